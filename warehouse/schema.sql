-- The rectify warehouse. One row per report; everything else hangs off report_id.
-- Offsets (start_offset, end_offset) point into report.plain_text.

CREATE TABLE IF NOT EXISTS report (
    report_id              VARCHAR PRIMARY KEY,   -- sha256 of the plain text, 16 hex digits
    source_path            VARCHAR NOT NULL,
    file_name              VARCHAR NOT NULL,
    encoding               VARCHAR,
    source_kind            VARCHAR,               -- text | html | ledger
    title                  VARCHAR,
    issuer                 VARCHAR,
    inspected_unit         VARCHAR,
    inspection_kind        VARCHAR,
    round                  VARCHAR,
    team                   VARCHAR,
    inspection_start       DATE,
    inspection_end         DATE,
    feedback_date          DATE,
    publish_date           DATE,
    stated_problems        INTEGER,
    stated_completed       INTEGER,
    stated_in_progress     INTEGER,
    stated_not_started     INTEGER,
    stated_completion_rate_pct DOUBLE,
    stated_rules_made      INTEGER,
    stated_funds_recovered_yuan DOUBLE,
    plain_text             VARCHAR NOT NULL,
    loaded_at              TIMESTAMP NOT NULL
);

CREATE TABLE IF NOT EXISTS finding (
    report_id    VARCHAR NOT NULL,
    finding_id   VARCHAR NOT NULL,
    parent_id    VARCHAR,
    level        VARCHAR NOT NULL,      -- area | problem | item
    label        VARCHAR,
    title        VARCHAR,
    category     VARCHAR,
    status       VARCHAR,
    start_offset INTEGER,
    end_offset   INTEGER,
    PRIMARY KEY (report_id, finding_id)
);

CREATE TABLE IF NOT EXISTS measure (
    report_id    VARCHAR NOT NULL,
    measure_id   VARCHAR NOT NULL,
    finding_id   VARCHAR,
    section      VARCHAR NOT NULL,      -- organisation | findings | remaining | next_steps
    ordinal      INTEGER NOT NULL,
    headline     VARCHAR,
    text         VARCHAR NOT NULL,
    category     VARCHAR,
    status       VARCHAR,
    status_cue   VARCHAR,
    start_offset INTEGER NOT NULL,
    end_offset   INTEGER NOT NULL,
    deadline     DATE,
    owner        VARCHAR,
    evidence     VARCHAR,
    PRIMARY KEY (report_id, measure_id)
);

CREATE TABLE IF NOT EXISTS metric (
    report_id       VARCHAR NOT NULL,
    metric_no       INTEGER NOT NULL,
    measure_id      VARCHAR,
    value           DOUBLE NOT NULL,
    unit            VARCHAR NOT NULL,
    unit_normalized VARCHAR NOT NULL,
    qualifier       VARCHAR NOT NULL,   -- exact | lower_bound | approx
    label           VARCHAR,
    indicator       VARCHAR,
    raw             VARCHAR,
    start_offset    INTEGER NOT NULL,
    end_offset      INTEGER NOT NULL,
    role            VARCHAR NOT NULL DEFAULT 'result',  -- result | target (planned or owed) | stated (a report's count of its problems)
    -- The internal units the figure's own clause or sentence names; empty (or NULL, loaded
    -- before this was kept) when it names none: it then counts for its measure's units.
    departments     VARCHAR[],
    PRIMARY KEY (report_id, metric_no)
);

-- Where the parse of a report was unsure (spec: warnings): a stable code, its message in
-- English, the message's fields as JSON (to render it in Chinese), offsets where they apply,
-- and its level: 'review' (a number may be wrong until someone checks it: the 待核查 mark)
-- or 'info' (said so that nothing is left out silently). NULL (loaded before levels were
-- kept) reads as 'review'.
CREATE TABLE IF NOT EXISTS parse_warning (
    report_id    VARCHAR NOT NULL,
    warning_no   INTEGER NOT NULL,
    code         VARCHAR NOT NULL,
    message      VARCHAR NOT NULL,
    args         VARCHAR,
    start_offset INTEGER,
    end_offset   INTEGER,
    level        VARCHAR,
    PRIMARY KEY (report_id, warning_no)
);

-- An analyst's corrections as applied to each report (etl/overrides.py Change): the field's
-- value as read (`before`) and as corrected (`after`), as JSON. Putting `before` back gives
-- the report as read, so corrections are applied to the stored report without reading its
-- file again. `by_hand`: a value an analyst set (not a status cue, nor a finding's status
-- that follows its measures'). The log of who changed what and why is kept beside the
-- warehouse (pipeline/corrections.py), so that it outlives any warehouse.
CREATE TABLE IF NOT EXISTS correction (
    report_id  VARCHAR NOT NULL,
    target     VARCHAR NOT NULL,        -- measure | metric | finding
    item       VARCHAR NOT NULL,        -- measure id, figure number (metric_no), finding id
    measure_id VARCHAR,                 -- the measure, or the figure's measure
    field      VARCHAR NOT NULL,
    before     VARCHAR,
    after      VARCHAR,
    by_hand    BOOLEAN NOT NULL,
    PRIMARY KEY (report_id, target, item, field)
);

-- What an analyst should look at (the 待核查 list): per report, one row per measure whose
-- status the rules list for review (unknown) or that holds a parse warning, and one row
-- (measure_id '') for the report's warnings no measure holds.
CREATE TABLE IF NOT EXISTS review_item (
    report_id    VARCHAR NOT NULL,
    measure_id   VARCHAR NOT NULL,      -- '' for the report as a whole
    unknown      BOOLEAN NOT NULL,      -- its status is one listed for review
    warnings     INTEGER[] NOT NULL,    -- warning_no of the warnings it holds
    n_figures    INTEGER NOT NULL,      -- the measure's figures (0 for the report)
    start_offset INTEGER NOT NULL,
    PRIMARY KEY (report_id, measure_id)
);

-- Each item (具体问题) for each responsible department of its measures: the item's status for
-- that department, derived (by the pipeline, with the spec's rule) from that department's own
-- measures of the item, so that another unit's open measure does not leave it open under
-- that department's filter.
CREATE TABLE IF NOT EXISTS item_department (
    report_id  VARCHAR NOT NULL,
    finding_id VARCHAR NOT NULL,
    department VARCHAR NOT NULL,
    status     VARCHAR,
    PRIMARY KEY (report_id, finding_id, department)
);

CREATE TABLE IF NOT EXISTS department (
    name VARCHAR PRIMARY KEY,
    kind VARCHAR NOT NULL               -- internal | partner
);

CREATE TABLE IF NOT EXISTS measure_department (
    report_id  VARCHAR NOT NULL,
    measure_id VARCHAR NOT NULL,
    department VARCHAR NOT NULL,
    role       VARCHAR NOT NULL,        -- responsible (internal unit) | partner
    PRIMARY KEY (report_id, measure_id, department, role)
);

CREATE TABLE IF NOT EXISTS indicator (
    code     VARCHAR PRIMARY KEY,
    name_zh  VARCHAR NOT NULL,
    name_en  VARCHAR NOT NULL,
    unit     VARCHAR NOT NULL,
    category VARCHAR NOT NULL
);

-- Derived tables, kept by warehouse/load.py for the dashboard's speed: one row per measure
-- and per item (the finding its measures hang from) with their responsible departments as a
-- list, so that filters and counts scan one table instead of joining on text keys.
CREATE TABLE IF NOT EXISTS measure_fact (
    report_id   VARCHAR NOT NULL,
    measure_id  VARCHAR NOT NULL,
    finding_id  VARCHAR,
    section     VARCHAR NOT NULL,
    category    VARCHAR,
    status      VARCHAR,
    departments VARCHAR[] NOT NULL,
    start_offset INTEGER NOT NULL,
    PRIMARY KEY (report_id, measure_id)
);

CREATE TABLE IF NOT EXISTS item_fact (
    report_id   VARCHAR NOT NULL,
    finding_id  VARCHAR NOT NULL,
    category    VARCHAR,
    status      VARCHAR,
    departments VARCHAR[] NOT NULL,
    PRIMARY KEY (report_id, finding_id)
);

-- An item once per responsible department, with its status for that department (from
-- item_department; an item loaded before that table existed keeps its overall status): what
-- counts and filters items under a department filter.
CREATE TABLE IF NOT EXISTS item_department_fact (
    report_id   VARCHAR NOT NULL,
    finding_id  VARCHAR NOT NULL,
    department  VARCHAR NOT NULL,
    category    VARCHAR,
    status      VARCHAR,
    PRIMARY KEY (report_id, finding_id, department)
);

-- Pre-aggregated counts for the dashboard's charts, kept with the facts: per report, unit
-- ('item', 'measure', 'metric', 'metric_shared'), department ('' for all, else the things
-- that department is responsible for; an item by its status for that department, from
-- item_department_fact), category, status and indicator (metrics only): count n and sum of
-- values, and of the figures summed how many are lower bounds (余/多/超: n_lower) and how
-- many estimates (约/近: n_approx), so that a total says it is not exact. A figure counts for
-- a department ('metric') when it is that unit's alone (its own words name it alone, or name
-- none and its measure has that one unit); a figure several units share counts for none of
-- them alone, and is kept for each of them under 'metric_shared', so that a department's
-- view can mark it. A figure outside any measure (a summary paragraph the skeleton makes no
-- measure of) counts in the unfiltered and per-report totals with no category and status (so
-- a category or status filter leaves it out), and for the unit its own words name alone.
CREATE TABLE IF NOT EXISTS rollup (
    report_id  VARCHAR NOT NULL,
    unit       VARCHAR NOT NULL,
    department VARCHAR NOT NULL,
    category   VARCHAR,
    status     VARCHAR,
    indicator  VARCHAR,
    n          BIGINT NOT NULL,
    total      DOUBLE,
    n_lower    BIGINT,
    n_approx   BIGINT
);

-- The rollup summed over all reports: what the dashboard shows when no report is picked, so
-- that view costs a few hundred rows whatever the number of reports.
CREATE TABLE IF NOT EXISTS rollup_all (
    unit       VARCHAR NOT NULL,
    department VARCHAR NOT NULL,
    category   VARCHAR,
    status     VARCHAR,
    indicator  VARCHAR,
    n          BIGINT NOT NULL,
    total      DOUBLE,
    n_lower    BIGINT,
    n_approx   BIGINT
);

-- Measures with their place in the hierarchy (area › problem › item).
CREATE OR REPLACE VIEW v_measure AS
SELECT m.*,
       item.title  AS item_title,
       prob.title  AS problem_title,
       area.title  AS area_title,
       concat_ws(' › ', area.title, prob.title, item.title) AS path
FROM measure m
LEFT JOIN finding leaf ON leaf.report_id = m.report_id AND leaf.finding_id = m.finding_id
LEFT JOIN finding item ON item.report_id = m.report_id AND item.finding_id = m.finding_id AND item.level = 'item'
LEFT JOIN finding prob ON prob.report_id = m.report_id AND prob.level = 'problem'
     AND prob.finding_id = CASE WHEN leaf.level = 'problem' THEN leaf.finding_id
                                WHEN leaf.level = 'item' THEN leaf.parent_id END
LEFT JOIN finding area ON area.report_id = m.report_id AND area.level = 'area'
     AND area.finding_id = CASE WHEN leaf.level = 'area' THEN leaf.finding_id
                                ELSE coalesce(prob.parent_id,
                                              CASE WHEN leaf.level = 'item' THEN leaf.parent_id END) END;

-- Each key indicator's total per report, with its catalogue entry.
CREATE OR REPLACE VIEW v_indicator_total AS
SELECT mt.report_id, i.code, i.name_zh, i.name_en, i.unit, i.category,
       sum(mt.value) AS total, count(*) AS n_metrics
FROM metric mt JOIN indicator i ON i.code = mt.indicator
GROUP BY ALL;

-- Counts of measures per category and status, per report.
CREATE OR REPLACE VIEW v_measure_status AS
SELECT report_id, category, status, count(*) AS n
FROM measure GROUP BY ALL;

-- Columns added since the first warehouses were written: an older file gains them on its
-- next load or when the dashboard opens it (warehouse/load.py upgrade_if_needed).
ALTER TABLE metric ADD COLUMN IF NOT EXISTS role VARCHAR DEFAULT 'result';
ALTER TABLE metric ADD COLUMN IF NOT EXISTS departments VARCHAR[];
ALTER TABLE parse_warning ADD COLUMN IF NOT EXISTS level VARCHAR;
ALTER TABLE rollup ADD COLUMN IF NOT EXISTS n_lower BIGINT;
ALTER TABLE rollup ADD COLUMN IF NOT EXISTS n_approx BIGINT;
ALTER TABLE rollup_all ADD COLUMN IF NOT EXISTS n_lower BIGINT;
ALTER TABLE rollup_all ADD COLUMN IF NOT EXISTS n_approx BIGINT;

-- Which schema this file was last brought up to (key 'schema': a digest of this file), so a
-- write to a current warehouse skips the statements above (warehouse/db.py apply_schema).
CREATE TABLE IF NOT EXISTS warehouse_meta (
  key   VARCHAR PRIMARY KEY,
  value VARCHAR NOT NULL
);
