"""Every query the app and the CLI make: one named function each, values always bound."""

from __future__ import annotations

import duckdb
import pandas as pd

from warehouse.filters import Filters


def list_reports(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute(f"""
        SELECT r.report_id, r.file_name, r.source_path, r.source_kind, r.title,
               {label_sql("r.")} AS label, r.issuer,
               r.inspected_unit, r.inspection_kind,
               r.round, r.team, r.feedback_date, r.publish_date, r.loaded_at,
               coalesce(i.n, 0) AS n_items, coalesce(m.n, 0) AS n_measures, coalesce(t.n, 0) AS n_metrics
        FROM report r
        LEFT JOIN (SELECT report_id, count(*) AS n FROM item_fact GROUP BY ALL) i USING (report_id)
        LEFT JOIN (SELECT report_id, count(*) AS n FROM measure_fact GROUP BY ALL) m USING (report_id)
        LEFT JOIN (SELECT report_id, count(*) AS n FROM metric GROUP BY ALL) t USING (report_id)
        ORDER BY r.publish_date DESC NULLS LAST, r.file_name
    """).df()


# A search of the loaded reports: words in the title, the inspected unit or the file name.
_REPORT_MATCH = (
    "($search IS NULL OR contains(lower(concat_ws(' ', title, inspected_unit, file_name)),"
    " lower($search)))"
)
_REPORT_ORDER = "publish_date DESC NULLS LAST, loaded_at DESC, file_name, report_id"


def report_count(con: duckdb.DuckDBPyConnection, search: str | None = None) -> int:
    """How many loaded reports match `search` (None: all)."""
    sql = f"SELECT count(*) FROM report WHERE {_REPORT_MATCH}"  # noqa: S608 - constant fragments
    return int(con.execute(sql, {"search": search or None}).fetchone()[0])


def reports_page(
    con: duckdb.DuckDBPyConnection, search: str | None = None, limit: int = 50, offset: int = 0
) -> pd.DataFrame:
    """One page of the loaded reports (newest first) matching `search`: id, file name, source,
    title, unit, kind, dates (published, loaded), and counts made the way every view makes
    them: items (具体问题), measures, figures, and parse warnings (of either level). The counts
    are looked up for the page's reports only, so a page costs the same at 10 or 10,000
    reports."""
    sql = f"""
        WITH page AS (
            SELECT report_id, file_name, source_path, source_kind, title, {REPORT_LABEL} AS label,
                   issuer, inspected_unit, inspection_kind, round, publish_date, loaded_at
            FROM report WHERE {_REPORT_MATCH}
            ORDER BY {_REPORT_ORDER} LIMIT $limit OFFSET $offset)
        SELECT p.*, CAST(coalesce(u.n_items, 0) AS BIGINT) AS n_items,
               CAST(coalesce(u.n_measures, 0) AS BIGINT) AS n_measures,
               coalesce(t.n, 0) AS n_metrics, coalesce(w.n, 0) AS n_warnings
        FROM page p
        LEFT JOIN (SELECT report_id, sum(n) FILTER (WHERE unit = 'item') AS n_items,
                          sum(n) FILTER (WHERE unit = 'measure') AS n_measures
                   FROM rollup WHERE department = '' AND report_id IN (SELECT report_id FROM page)
                   GROUP BY ALL) u USING (report_id)
        LEFT JOIN (SELECT report_id, count(*) AS n FROM metric
                   WHERE report_id IN (SELECT report_id FROM page) GROUP BY ALL) t USING (report_id)
        LEFT JOIN (SELECT report_id, count(*) AS n FROM parse_warning
                   WHERE report_id IN (SELECT report_id FROM page) GROUP BY ALL) w USING (report_id)
        ORDER BY {_REPORT_ORDER}
    """  # noqa: S608 - constant fragments
    return con.execute(sql, {"search": search or None, "limit": limit, "offset": offset}).df()


def report_warnings(con: duckdb.DuckDBPyConnection, report_ids: list[str]) -> pd.DataFrame:
    """The parse warnings of these reports (report_id, warning_no, code, message, args as
    JSON, offsets, level: review or info, None where loaded before levels were kept), in
    their order."""
    return con.execute(
        """
        SELECT report_id, warning_no, code, message, args, start_offset, end_offset, level
        FROM parse_warning WHERE report_id IN (SELECT unnest($ids))
        ORDER BY report_id, warning_no
        """,
        {"ids": list(report_ids)},
    ).df()


def status_counts(con: duckdb.DuckDBPyConnection, report_ids: list[str]) -> dict:
    """(report_id, status) → how many of the report's measures have that status now (after
    corrections), for these reports; a status none has is absent."""
    rows = con.execute(
        """
        SELECT report_id, status, count(*) FROM measure
        WHERE report_id IN (SELECT unnest($ids)) GROUP BY ALL
        """,
        {"ids": list(report_ids)},
    ).fetchall()
    return {(rid, status): int(n) for rid, status, n in rows}


def warned_reports(
    con: duckdb.DuckDBPyConnection,
    report: str | None,
    codes: list[str] | None,
    settleable: list[str] = (),
) -> list[str]:
    """The reports (`report`, or every one) with a parse warning of level review; a warning
    stored before levels were kept counts when its code is one of `codes` (None: any code).
    A warning whose code is one of `settleable` counts only while the 待核查 list still
    holds it (review_item, made on the corrected report: corrections settle it). In id
    order."""
    sql = """
        SELECT DISTINCT report_id FROM parse_warning pw
        WHERE ($report IS NULL OR report_id = $report)
          AND (level = 'review'
               OR (level IS NULL AND ($codes IS NULL OR list_contains($codes, code))))
          AND NOT (list_contains($settleable, code) AND NOT EXISTS (
                SELECT 1 FROM review_item ri
                WHERE ri.report_id = pw.report_id AND list_contains(ri.warnings, pw.warning_no)))
        ORDER BY report_id
    """
    params = {
        "report": report,
        "codes": None if codes is None else list(codes),
        "settleable": list(settleable),
    }
    return [r[0] for r in con.execute(sql, params).fetchall()]


def listed_warnings(con: duckdb.DuckDBPyConnection, report_ids: list[str]) -> set[tuple]:
    """(report_id, warning_no) of the warnings the 待核查 list holds for these reports: the
    review-level ones the corrections have not settled."""
    rows = con.execute(
        """
        SELECT report_id, unnest(warnings) FROM review_item
        WHERE report_id IN (SELECT unnest($ids))
        """,
        {"ids": list(report_ids)},
    ).fetchall()
    return {(rid, int(no)) for rid, no in rows}


def _report_columns(con: duckdb.DuckDBPyConnection) -> set[str]:
    rows = con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE table_name = 'report'"
    ).fetchall()
    return {r[0] for r in rows}


def stated_mismatches(
    con: duckdb.DuckDBPyConnection,
    report: str | None,
    rules: list[dict],
    done: tuple[str, ...] = ("completed",),
) -> pd.DataFrame:
    """The reports (`report`, or every one) one of whose stated totals disagrees with what
    was counted in the whole report, by the rules of rules/totals.yaml `reconcile` (`rules`:
    key and counted, one of items, items_done, items_status:<id>, indicator:<code>): one row
    per such report with stated_<key> and counted_<key> for every rule (views.stated.reconcile
    decides each; a stated total counted as nothing is a mismatch, as there)."""
    columns = _report_columns(con)
    params: dict = {"report": report, "done": list(done)}
    counted, pairs = [], []
    for k, rule in enumerate(rules):
        stated_column = f"stated_{rule['key']}"
        if stated_column not in columns:
            continue
        kind, _, arg = rule["counted"].partition(":")
        if kind == "items":
            expr = "coalesce(sum(n) FILTER (WHERE unit = 'item'), 0)"
        elif kind == "items_done":
            expr = (
                "coalesce(sum(n) FILTER (WHERE unit = 'item' AND list_contains($done, status)), 0)"
            )
        elif kind == "items_status":
            params[f"a{k}"] = arg
            expr = f"coalesce(sum(n) FILTER (WHERE unit = 'item' AND status = $a{k}), 0)"
        elif kind == "indicator":
            params[f"a{k}"] = arg
            expr = f"sum(total) FILTER (WHERE unit = 'metric' AND indicator = $a{k})"
        else:
            continue
        counted.append(f"{expr} AS c{k}")
        pairs.append((k, rule["key"], stated_column))
    if not pairs:
        return pd.DataFrame(columns=["report_id"])
    zero = {k: "0" for k, *_ in pairs}
    for k, rule in enumerate(rules):
        if rule["counted"].startswith("indicator:"):
            zero[k] = "NULL"
    picked = ", ".join(
        f'CAST(r.{column} AS DOUBLE) AS "stated_{key}", '
        f'coalesce(c.c{k}, {zero[k]}) AS "counted_{key}"'
        for k, key, column in pairs
    )
    differs = " OR ".join(
        f"(r.{column} IS NOT NULL AND (coalesce(c.c{k}, {zero[k]}) IS NULL"
        f" OR abs(r.{column} - coalesce(c.c{k}, {zero[k]})) > 1e-6))"
        for k, _key, column in pairs
    )
    sql = f"""
        WITH c AS (SELECT report_id, {", ".join(counted)} FROM rollup
                   WHERE department = '' AND ($report IS NULL OR report_id = $report)
                   GROUP BY report_id)
        SELECT r.report_id, {picked}
        FROM report r LEFT JOIN c USING (report_id)
        WHERE ($report IS NULL OR r.report_id = $report) AND ({differs})
        ORDER BY r.report_id
    """  # noqa: S608 - column names from the schema, values bound
    return con.execute(sql, {k: v for k, v in params.items() if f"${k}" in sql}).df()


def table_counts(con: duckdb.DuckDBPyConnection) -> dict:
    tables = (
        "report",
        "finding",
        "measure",
        "metric",
        "measure_department",
        "department",
        "indicator",
    )
    return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}  # noqa: S608


# -- Filtered views for the dashboard ------------------------------------------------------
# Every filter is a bound parameter; NULL means "no filter". The WHERE fragments below are
# constant SQL text shared by several queries, never built from values.


def _measures_sql(f: Filters) -> str:
    """The measures the filters keep (rows of measure_fact)."""
    return f.facts_sql("measure_fact", "measure_id")


def _items_sql(f: Filters) -> str:
    """Items (the 具体问题 fed back: the findings measures hang from) by their own category
    and status, with a measure matching the text; under a department filter, the items that
    department has a measure of, by their status for that department (its own measures)."""
    if f.department:
        return f.facts_sql("item_department_fact", "finding_id", "department = $department")
    return f.facts_sql("item_fact", "finding_id")


def report_options(
    con: duckdb.DuckDBPyConnection,
    search: str | None = None,
    include: str | None = None,
    limit: int = 50,
) -> pd.DataFrame:
    """Reports for a picker: the newest `limit` matching `search`, plus the one `include`d.
    Typing searches the rest; a short list keeps the page quick, as the browser's dropdown
    indexes every substring of every label it is given."""
    sql = f"""
        SELECT report_id, {REPORT_LABEL} AS label, publish_date
        FROM report
        WHERE ($search IS NULL
               OR contains(lower(concat_ws(' ', {REPORT_LABEL}, file_name)), lower($search)))
           OR report_id = $include
        ORDER BY report_id = $include DESC, publish_date DESC NULLS LAST, label
        LIMIT $limit
    """  # noqa: S608 - constant fragments
    return con.execute(
        sql, {"search": search or None, "include": include or None, "limit": limit}
    ).df()


def report_files(con: duckdb.DuckDBPyConnection, report_ids: list[str]) -> dict[str, str]:
    """Report id → file name, for those of `report_ids` already in the warehouse."""
    rows = con.execute(
        "SELECT report_id, file_name FROM report WHERE report_id IN (SELECT unnest($ids))",
        {"ids": list(report_ids)},
    ).fetchall()
    return dict(rows)


def resolve_report(con: duckdb.DuckDBPyConnection, key: str) -> tuple[str, str] | None:
    """(report_id, source_path) of the report a user named by id or by file name."""
    return con.execute(
        "SELECT report_id, source_path FROM report WHERE report_id = $r OR file_name = $r",
        {"r": key},
    ).fetchone()


def report_ids_for(con: duckdb.DuckDBPyConnection, keys: list[str]) -> list[str]:
    """The ids of the reports these keys name (each an id or a file name), sorted."""
    rows = con.execute(
        "SELECT DISTINCT report_id FROM report WHERE report_id IN (SELECT unnest($k))"
        " OR file_name IN (SELECT unnest($k)) ORDER BY 1",
        {"k": list(keys)},
    ).fetchall()
    return [r[0] for r in rows]


def label_sql(alias: str = "") -> str:
    """A report as people name it, everywhere: its title, else its inspected unit, else its
    file name (SQL over the report table, `alias` its alias with the dot: 'r.')."""
    a = alias
    return (
        f"coalesce(nullif(trim({a}title), ''), nullif(trim({a}inspected_unit), ''), {a}file_name)"
    )


REPORT_LABEL = label_sql()


def report_label(con: duckdb.DuckDBPyConnection, report_id: str) -> str | None:
    """The report's label (label_sql); None when the warehouse has no such report."""
    row = con.execute(
        f"SELECT {REPORT_LABEL} FROM report WHERE report_id = $r",  # noqa: S608 - constant
        {"r": report_id},
    ).fetchone()
    return row[0] if row else None


def report_names(con: duckdb.DuckDBPyConnection, report_ids: list[str]) -> pd.DataFrame:
    """What tells these reports apart: report_id, label (label_sql), file_name, publish_date,
    loaded_at, and how many reports of the warehouse share the label (same_label) and the
    label and file name both (same_file). views.reports.report_names words it."""
    sql = f"""
        WITH named AS (SELECT report_id, {REPORT_LABEL} AS label, file_name, publish_date,
                              loaded_at FROM report),
             wanted AS (SELECT * FROM named WHERE report_id IN (SELECT unnest($ids)))
        SELECT w.*, CAST(coalesce(s.n, 1) AS BIGINT) AS same_label,
               CAST(coalesce(sf.n, 1) AS BIGINT) AS same_file
        FROM wanted w
        LEFT JOIN (SELECT label, count(*) AS n FROM named
                   WHERE label IN (SELECT label FROM wanted) GROUP BY ALL) s USING (label)
        LEFT JOIN (SELECT label, file_name, count(*) AS n FROM named
                   WHERE label IN (SELECT label FROM wanted) GROUP BY ALL) sf
          USING (label, file_name)
    """  # noqa: S608 - constant fragments
    return con.execute(sql, {"ids": list(dict.fromkeys(report_ids))}).df()


def department_known(con: duckdb.DuckDBPyConnection, department: str) -> bool:
    """Whether any measure of the warehouse has `department` as a responsible unit."""
    sql = """SELECT EXISTS (SELECT 1 FROM rollup_all
                            WHERE unit = 'measure' AND department = $d)"""
    return bool(con.execute(sql, {"d": department}).fetchone()[0])


def department_options(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Responsible departments, the busiest first (from the summed rollup: every page load
    asks, so it must not scan every measure's links)."""
    rows = con.execute(
        """
        SELECT department, sum(n) AS n FROM rollup_all
        WHERE unit = 'measure' AND department <> '' GROUP BY department ORDER BY n DESC, department
        """
    ).fetchall()
    return [r[0] for r in rows]


def completion(con: duckdb.DuckDBPyConnection, f: Filters, unit: str = "items") -> pd.DataFrame:
    """Counts per category and status, in items (具体问题) or in measures."""
    if f.q:
        source = _items_sql(f) if unit == "items" else _measures_sql(f)
        sql = f"SELECT category, status, count(*) AS n FROM ({source}) s GROUP BY ALL ORDER BY ALL"
    else:
        source = f.rollup_sql("item" if unit == "items" else "measure")
        sql = f"SELECT category, status, sum(n) AS n FROM ({source}) s GROUP BY ALL ORDER BY ALL"
    return con.execute(sql, f.bound(sql)).df()


def filtered_indicator_totals(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Each key indicator's total over the figures of the filtered measures (code, names,
    unit, category, total, n_metrics; total NaN where no figure), and how exact it is:
    `qualifier` 'approx' when an estimate (约/近) is among its figures, else 'lower_bound'
    when a floor (余/多/超) is, else 'exact' (n_lower, n_approx count them). With a
    department filter, `total` adds the figures that department owns alone, and
    `shared_total`/`n_shared` those it shares with other units (schema.sql, rollup): a figure
    whose own sentence names another unit counts for neither. Figures outside any measure
    count unless a category, status or free text is asked for (Filters.figures_sql)."""
    if f.q:
        shared = "shared" if f.department else "FALSE"
        figures = f"""SELECT indicator,
                             CASE WHEN NOT {shared} THEN value END AS total,
                             CASE WHEN NOT {shared} THEN 1 ELSE 0 END AS n,
                             CASE WHEN NOT {shared} AND qualifier = 'lower_bound' THEN 1 ELSE 0 END
                                 AS n_lower,
                             CASE WHEN NOT {shared} AND qualifier = 'approx' THEN 1 ELSE 0 END
                                 AS n_approx,
                             CASE WHEN {shared} THEN value END AS shared_total,
                             CASE WHEN {shared} THEN 1 ELSE 0 END AS n_shared
                      FROM ({f.figures_sql()}) x
                      WHERE indicator IS NOT NULL AND role = 'result'"""
    else:
        figures = f"""SELECT indicator, total, n, n_lower, n_approx, NULL AS shared_total,
                             0 AS n_shared
                      FROM ({f.rollup_sql("metric")}) a"""
        if f.department:
            figures += f"""
                      UNION ALL
                      SELECT indicator, NULL, 0, 0, 0, total, n
                      FROM ({f.rollup_sql("metric_shared")}) b"""
    sql = f"""
        SELECT code, name_zh, name_en, unit, category, total, n_metrics, shared_total, n_shared,
               n_lower, n_approx,
               CASE WHEN n_approx > 0 THEN 'approx' WHEN n_lower > 0 THEN 'lower_bound'
                    ELSE 'exact' END AS qualifier
        FROM (
            SELECT i.code, i.name_zh, i.name_en, i.unit, i.category,
                   sum(mt.total) AS total, CAST(coalesce(sum(mt.n), 0) AS BIGINT) AS n_metrics,
                   sum(mt.shared_total) AS shared_total,
                   CAST(coalesce(sum(mt.n_shared), 0) AS BIGINT) AS n_shared,
                   CAST(coalesce(sum(mt.n_lower), 0) AS BIGINT) AS n_lower,
                   CAST(coalesce(sum(mt.n_approx), 0) AS BIGINT) AS n_approx
            FROM indicator i LEFT JOIN ({figures}) mt ON mt.indicator = i.code
            GROUP BY ALL) t
        ORDER BY total DESC NULLS LAST, code
    """
    return con.execute(sql, f.bound(sql)).df()


# A figure's context where it has no measure (a summary paragraph the skeleton makes no
# measure of): its sentence in the report's plain text, at most 60 characters on either side,
# as `measure_text` from `measure_start`, so that it reads and highlights like a measure's.
_LOOSE_LEFT = (
    "regexp_extract(substring(r.plain_text, greatest(mt.start_offset - 60, 0) + 1,"
    " mt.start_offset - greatest(mt.start_offset - 60, 0)), '[^\n。;!?]*$')"
)
_LOOSE_RIGHT = (
    "regexp_extract(substring(r.plain_text, mt.start_offset + 1,"
    " mt.end_offset - mt.start_offset + 60), '^[^\n。;!?]*[。;!?]?')"
)
_FIGURE_CONTEXT = f"""
    CASE WHEN {{m}}.measure_id IS NULL THEN {_LOOSE_LEFT} || {_LOOSE_RIGHT}
         ELSE {{m}}.text END AS measure_text,
    CASE WHEN {{m}}.measure_id IS NULL THEN mt.start_offset - length({_LOOSE_LEFT})
         ELSE {{m}}.start_offset END AS measure_start"""


def indicator_sources(
    con: duckdb.DuckDBPyConnection, f: Filters, code: str, limit: int = 500
) -> pd.DataFrame:
    """The figures that make up an indicator's total, each with its sentence and place; with
    a department filter also those the department shares with other units (`shared` true).
    A figure outside any measure has no path (None) and its own sentence as `measure_text`."""
    sql = f"""
        SELECT mt.report_id, {label_sql("r.")} AS report_title, mt.measure_id, vm.path, vm.headline,
               mt.value, mt.unit, mt.qualifier, mt.raw, mt.start_offset, mt.end_offset,
               {_FIGURE_CONTEXT.format(m="vm")},
               {"mt.shared" if f.department else "FALSE"} AS shared,
               array_to_string(mt.owners, '、') AS owners
        FROM ({f.figures_sql()}) mt
        LEFT JOIN v_measure vm ON vm.report_id = mt.report_id AND vm.measure_id = mt.measure_id
        JOIN report r ON r.report_id = mt.report_id
        WHERE mt.indicator = $code AND mt.role = 'result'
        ORDER BY shared, r.title, mt.start_offset
        LIMIT $limit
    """
    return con.execute(sql, f.bound(sql, code=code, limit=limit)).df()


_N = "sum(n)"


def _department_rows(f: Filters, unit: str = "measures") -> str:
    """(department, category, status, n) for measures, or for items ('items': each by its
    status for that department, from its own measures), split by responsible department."""
    if f.q:
        if unit == "items":
            items = f.facts_sql("item_department_fact", "finding_id", "department = $department")
            return f"SELECT department, category, status, 1 AS n FROM ({items}) fi"
        return f"""SELECT unnest(departments) AS department, category, status, 1 AS n
                   FROM ({_measures_sql(f)}) fm"""
    return f.rollup_sql("item" if unit == "items" else "measure", by_department=True)


def department_category(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Measures per responsible department and category."""
    sql = f"""
        SELECT department, category, {_N} AS n FROM ({_department_rows(f)}) x
        GROUP BY ALL ORDER BY ALL
    """
    return con.execute(sql, f.bound(sql)).df()


def department_status(
    con: duckdb.DuckDBPyConnection, f: Filters, unit: str = "measures"
) -> pd.DataFrame:
    """Measures (or, with unit 'items', items by their status for each department: the same
    counts as the overview's under that department's filter) per responsible department and
    status (department, status, n), one row each; views pivot it by the status vocabulary
    and order it."""
    sql = f"""
        SELECT department, status, {_N} AS n FROM ({_department_rows(f, unit)}) x
        GROUP BY ALL ORDER BY department, status
    """
    return con.execute(sql, f.bound(sql)).df()


# The orders the explorer's table may ask for, by column: constant SQL, picked by name. Each
# sorts the rows by what the column shows; `{t}` is the alias of the facts, `{dir}` ASC or
# DESC. Category and status sort by their labels' rank, bound as $label_rank (a list of ids in
# the order of their labels in the reader's language); the path in document order.
EXPLORER_ORDERS = {
    "report": "{t}report_id {dir}, {t}start_offset",
    "path": "{t}report_id {dir}, {t}start_offset {dir}",
    "title": "{t}_title {dir} NULLS LAST, {t}report_id, {t}start_offset",
    "headline": "{t}_headline {dir} NULLS LAST, {t}report_id, {t}start_offset",
    "category": "list_position($label_rank, {t}category) {dir} NULLS LAST, {t}report_id, {t}start_offset",
    "status": "list_position($label_rank, {t}status) {dir} NULLS LAST, {t}report_id, {t}start_offset",
    "departments": "array_to_string({t}departments, '、') {dir}, {t}report_id, {t}start_offset",
    "figures": "{t}_figures {dir} NULLS LAST, {t}report_id, {t}start_offset",
    "deadline": "{t}_deadline {dir} NULLS LAST, {t}report_id, {t}start_offset",
}
# What an order needs beside the facts (joined for every filtered row, so only when asked).
_ORDER_JOINS = {
    "title": f"LEFT JOIN (SELECT report_id, {REPORT_LABEL} AS _title FROM report) USING (report_id)",
    # The column shows the headline, else the start of the text (dashboard.grid.lead).
    "headline": "LEFT JOIN (SELECT report_id, measure_id,"
    " coalesce(nullif(trim(headline), ''), text) AS _headline FROM measure)"
    " USING (report_id, measure_id)",
    "deadline": "LEFT JOIN (SELECT report_id, measure_id, deadline AS _deadline FROM measure)"
    " USING (report_id, measure_id)",
    "figures": "LEFT JOIN (SELECT report_id, measure_id,"
    " string_agg(raw, ';' ORDER BY start_offset) AS _figures FROM metric GROUP BY ALL)"
    " USING (report_id, measure_id)",
}


def measure_count(con: duckdb.DuckDBPyConnection, f: Filters, section: str | None = None) -> int:
    """How many measures the filters keep, in one section if given (from the rollup unless
    free text or a section is asked for)."""
    if f.q or section:
        in_section = " WHERE section = $section" if section else ""
        sql = f"SELECT count(*) FROM ({_measures_sql(f)}) s{in_section}"
    else:
        sql = f"SELECT coalesce(sum(n), 0) FROM ({f.rollup_sql('measure')}) s"
    return int(con.execute(sql, f.bound(sql, section=section)).fetchone()[0])


def measure_kept(
    con: duckdb.DuckDBPyConnection, f: Filters, report_id: str, measure_id: str
) -> bool:
    """Whether the filters keep this measure."""
    sql = f"""SELECT EXISTS (SELECT 1 FROM ({_measures_sql(f)}) fm
                             WHERE report_id = $rid AND measure_id = $mid)"""
    return bool(con.execute(sql, f.bound(sql, rid=report_id, mid=measure_id)).fetchone()[0])


def explorer_measures(
    con: duckdb.DuckDBPyConnection,
    f: Filters,
    limit: int | None = 1000,
    offset: int = 0,
    order: str = "report",
    descending: bool = False,
    section: str | None = None,
    label_rank: list[str] | None = None,
) -> pd.DataFrame:
    """One page of the filtered measures, `limit` rows (None: all) from `offset` in `order`
    (a key of EXPLORER_ORDERS), with report, path, departments, text, figures, a ledger's
    deadline, owner and evidence, and the fields an analyst corrected (`corrected`, a list); `section` keeps one section of the reports (e.g.
    'remaining'); `label_rank` the category or status ids in the order their labels sort."""
    if order not in EXPLORER_ORDERS or (order in ("category", "status") and not label_rank):
        order = "report"
    template = EXPLORER_ORDERS[order]
    direction = "DESC" if descending else "ASC"
    in_section = " WHERE section = $section" if section else ""
    joined = _ORDER_JOINS.get(order, "")
    sql = f"""
        WITH page AS (SELECT * FROM ({_measures_sql(f)}) y {joined}{in_section}
                      ORDER BY {template.format(t="", dir=direction)} LIMIT $limit OFFSET $offset),
             fm AS (SELECT x.*, m.headline, m.status_cue, m.text, m.end_offset, m.deadline,
                           m.owner, m.evidence, {label_sql("r.")} AS report_title
                    FROM page x
                    JOIN measure m ON m.report_id = x.report_id AND m.measure_id = x.measure_id
                    JOIN report r ON r.report_id = x.report_id),
             leaf AS (SELECT f.* FROM finding f JOIN (SELECT DISTINCT report_id, finding_id FROM fm) k
                      USING (report_id, finding_id)),
             up1 AS (SELECT f.* FROM finding f JOIN (SELECT DISTINCT report_id, parent_id FROM leaf) k
                     ON f.report_id = k.report_id AND f.finding_id = k.parent_id),
             up2 AS (SELECT f.* FROM finding f JOIN (SELECT DISTINCT report_id, parent_id FROM up1) k
                     ON f.report_id = k.report_id AND f.finding_id = k.parent_id)
        SELECT fm.report_id, fm.measure_id, fm.section,
               concat_ws(' › ', up2.title, up1.title, leaf.title) AS path, fm.headline, fm.category,
               fm.status, fm.status_cue, array_to_string(fm.departments, '、') AS departments,
               mt.figures, fm.start_offset, fm.end_offset, fm.text, fm.report_title, fm.deadline,
               fm.owner, fm.evidence, coalesce(cr.corrected, []) AS corrected
        FROM fm
        LEFT JOIN leaf ON leaf.report_id = fm.report_id AND leaf.finding_id = fm.finding_id
        LEFT JOIN up1 ON up1.report_id = leaf.report_id AND up1.finding_id = leaf.parent_id
        LEFT JOIN up2 ON up2.report_id = up1.report_id AND up2.finding_id = up1.parent_id
        LEFT JOIN (SELECT x.report_id, x.measure_id,
                          string_agg(CASE WHEN c.item IS NULL THEN x.raw
                                          ELSE x.raw || ' → ' || CASE WHEN x.value = round(x.value) AND abs(x.value) < 1e15
                                                    THEN CAST(CAST(x.value AS BIGINT) AS VARCHAR)
                                                    ELSE CAST(x.value AS VARCHAR) END
                                     END, ';' ORDER BY x.start_offset) AS figures
                   FROM metric x
                   LEFT JOIN correction c
                     ON c.report_id = x.report_id AND c.target = 'metric' AND c.field = 'value'
                    AND c.item = CAST(x.metric_no AS VARCHAR)
                   WHERE (x.report_id, x.measure_id) IN (SELECT report_id, measure_id FROM page)
                   GROUP BY ALL) mt
          ON mt.report_id = fm.report_id AND mt.measure_id = fm.measure_id
        LEFT JOIN (SELECT report_id, measure_id, list(DISTINCT field ORDER BY field) AS corrected
                   FROM correction
                   WHERE by_hand AND (report_id, measure_id) IN (SELECT report_id, measure_id FROM page)
                   GROUP BY ALL) cr
          ON cr.report_id = fm.report_id AND cr.measure_id = fm.measure_id
        ORDER BY {template.format(t="fm.", dir=direction)}
    """
    params = f.bound(sql, limit=limit, offset=offset, section=section, label_rank=label_rank)
    return con.execute(sql, params).df()


def has_deadlines(con: duckdb.DuckDBPyConnection, f: Filters) -> bool:
    """Whether any measure the filters keep has a deadline (from a ledger)."""
    sql = f"""
        SELECT EXISTS (
            SELECT 1 FROM ({_measures_sql(f)}) fm
            JOIN measure m ON m.report_id = fm.report_id AND m.measure_id = fm.measure_id
            WHERE m.deadline IS NOT NULL)
    """
    return bool(con.execute(sql, f.bound(sql)).fetchone()[0])


DEADLINE_COLUMNS = (
    "report_id",
    "measure_id",
    "report_title",
    "headline",
    "text",
    "departments",
    "owner",
    "status",
    "deadline",
    "days_left",
)


def deadline_measures(
    con: duckdb.DuckDBPyConnection, f: Filters, today, done: tuple[str, ...] = ("completed",)
) -> pd.DataFrame:
    """Open measures with a deadline (from ledgers), soonest first, with days left at `today`
    (negative when overdue): DEADLINE_COLUMNS."""
    # Only ledgers give deadlines: the facts are cut to their reports before the join, which
    # keeps this a few milliseconds on a warehouse of thousands of reports without any.
    sql = f"""
        WITH due AS (SELECT * FROM measure WHERE deadline IS NOT NULL)
        SELECT fm.report_id, fm.measure_id, {label_sql("r.")} AS report_title, m.headline, m.text,
               array_to_string(fm.departments, '、') AS departments, m.owner, fm.status,
               m.deadline, date_diff('day', CAST($today AS DATE), m.deadline) AS days_left
        FROM ({_measures_sql(f)}) fm
        JOIN due m ON m.report_id = fm.report_id AND m.measure_id = fm.measure_id
        JOIN report r ON r.report_id = fm.report_id
        WHERE fm.report_id IN (SELECT report_id FROM due)
          AND NOT list_contains($done, coalesce(fm.status, ''))
        ORDER BY days_left, fm.report_id, fm.start_offset
    """
    return con.execute(sql, f.bound(sql, today=today, done=list(done))).df()


def export_metrics(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Every figure of the filtered measures with its provenance: report, section, the
    measure's place, its text and offsets (into the report's plain text); with a department
    filter, the figures that department owns or shares (Filters.figures_sql). A figure
    outside any measure (kept as Filters.figures_sql says) has no measure or section (None)
    and its own sentence as `measure_text`."""
    sql = f"""
        SELECT {label_sql("r.")} AS report_title, mt.report_id, mt.metric_no, mt.measure_id,
               m.section,
               mt.value, mt.unit, mt.unit_normalized, mt.qualifier, mt.label, mt.indicator,
               mt.raw, mt.start_offset, mt.end_offset,
               {_FIGURE_CONTEXT.format(m="m")}
        FROM ({f.figures_sql()}) mt
        LEFT JOIN measure m ON m.report_id = mt.report_id AND m.measure_id = mt.measure_id
        JOIN report r ON r.report_id = mt.report_id
        ORDER BY mt.report_id, mt.start_offset
    """
    return con.execute(sql, f.bound(sql)).df()


def filtered_reports(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """The reports the filters draw on, newest first: what an export cites as its source."""
    where = "WHERE report_id = $report" if f.report else ""
    sql = f"""
        SELECT report_id, title, {REPORT_LABEL} AS label, inspected_unit, publish_date
        FROM report {where}
        ORDER BY publish_date DESC NULLS LAST, label, report_id
    """
    return con.execute(sql, f.bound(sql)).df()


def measure_detail(con: duckdb.DuckDBPyConnection, report_id: str, measure_id: str) -> dict | None:
    """One measure's full text, place, status cue, deadline, responsible departments
    (sorted), and its figures (metric_no, offsets within the report, raw, value, unit,
    indicator)."""
    row = con.execute(
        f"""
        SELECT vm.text, vm.start_offset, vm.path, vm.section, vm.headline, vm.category,
               vm.status, vm.status_cue, {label_sql("r.")}, vm.deadline,
               coalesce((SELECT list(department ORDER BY department) FROM measure_department d
                         WHERE d.report_id = vm.report_id AND d.measure_id = vm.measure_id
                           AND d.role = 'responsible'), []) AS departments
        FROM v_measure vm JOIN report r ON r.report_id = vm.report_id
        WHERE vm.report_id = $r AND vm.measure_id = $m
        """,
        {"r": report_id, "m": measure_id},
    ).fetchone()
    if row is None:
        return None
    figures = con.execute(
        """
        SELECT metric_no, start_offset, end_offset, raw, value, unit, indicator FROM metric
        WHERE report_id = $r AND measure_id = $m ORDER BY start_offset
        """,
        {"r": report_id, "m": measure_id},
    ).df()
    keys = (
        "text",
        "start",
        "path",
        "section",
        "headline",
        "category",
        "status",
        "status_cue",
        "report_title",
        "deadline",
        "departments",
    )
    return {**dict(zip(keys, row, strict=True)), "figures": figures}


def department_names(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every department the warehouse knows (responsible or partner), by name."""
    return [r[0] for r in con.execute("SELECT name FROM department ORDER BY name").fetchall()]


def report_header(con: duckdb.DuckDBPyConnection, report_id: str) -> dict | None:
    """A report's header: title, unit, milestone dates and its stated totals."""
    cur = con.execute(
        """
        SELECT title, inspected_unit, inspection_kind, round, team, inspection_start,
               inspection_end, feedback_date, publish_date, stated_problems, stated_completed,
               stated_in_progress, stated_not_started, stated_completion_rate_pct,
               stated_rules_made, stated_funds_recovered_yuan
        FROM report WHERE report_id = $r
        """,
        {"r": report_id},
    )
    row = cur.fetchone()
    if row is None:
        return None
    return dict(zip([d[0] for d in cur.description], row, strict=True))


# Rounds compared: reports of one inspected unit, the unit named with or without its party
# organ (区城市管理委党委 and 区城市管理委 are one unit): $suffix is the rule's pattern
# (departments.yaml `party_organ_suffix`), bound like any value.
_UNIT_KEY = "regexp_replace(coalesce(inspected_unit, ''), $suffix, '')"


def compared_units(con: duckdb.DuckDBPyConnection, suffix: str) -> pd.DataFrame:
    """Inspected units (named without the party organ `suffix`, a regular expression) with
    their number of reports, those with the most first."""
    sql = f"""
        SELECT {_UNIT_KEY} AS unit, count(*) AS n_reports FROM report
        WHERE {_UNIT_KEY} <> '' GROUP BY ALL ORDER BY n_reports DESC, unit
    """
    return con.execute(sql, {"suffix": suffix}).df()


# A unit's reports in time order: publication, else feedback, else loading.
_ROUND_ORDER = "coalesce(publish_date, feedback_date, CAST(loaded_at AS DATE)), report_id"


def unit_round_count(con: duckdb.DuckDBPyConnection, unit: str, suffix: str) -> int:
    """How many reports the unit has (named with or without its party organ `suffix`)."""
    sql = f"SELECT count(*) FROM report WHERE {_UNIT_KEY} = $unit"  # noqa: S608
    return int(con.execute(sql, {"unit": unit, "suffix": suffix}).fetchone()[0])


def unit_rounds(
    con: duckdb.DuckDBPyConnection,
    unit: str,
    suffix: str,
    done: tuple[str, ...] = ("completed",),
    limit: int | None = None,
    offset: int = 0,
) -> pd.DataFrame:
    """A unit's reports in time order (publication, else feedback, else loading), `limit` of
    them (None: all) from `offset`, with their stated totals and what was counted: items,
    items completed and in progress. Counted for the reports asked for only, so a page of a
    unit's rounds costs the same at 3 or 3,000."""
    sql = f"""
        WITH page AS (
            SELECT report_id, title, file_name, round, source_kind, publish_date, feedback_date,
                   loaded_at, stated_problems, stated_completed, stated_in_progress
            FROM report WHERE {_UNIT_KEY} = $unit
            ORDER BY {_ROUND_ORDER} LIMIT $limit OFFSET $offset)
        SELECT * FROM (
        SELECT p.*,
               CAST(coalesce(sum(u.n), 0) AS BIGINT) AS items,
               CAST(coalesce(sum(u.n) FILTER (WHERE list_contains($done, u.status)), 0) AS BIGINT)
                   AS items_completed,
               CAST(coalesce(sum(u.n) FILTER (WHERE u.status = 'in_progress'), 0) AS BIGINT)
                   AS items_in_progress
        FROM page p
        LEFT JOIN rollup u
          ON u.report_id = p.report_id AND u.unit = 'item' AND u.department = ''
        GROUP BY ALL) rounds
        ORDER BY {_ROUND_ORDER}
    """  # noqa: S608 - constant fragments
    params = {"unit": unit, "suffix": suffix, "done": list(done), "limit": limit, "offset": offset}
    return con.execute(sql, params).df()


def rounds_completion(con: duckdb.DuckDBPyConnection, report_ids: list[str]) -> pd.DataFrame:
    """Items per report, category and status."""
    return con.execute(
        """
        SELECT report_id, category, status, sum(n) AS n FROM rollup
        WHERE unit = 'item' AND department = '' AND report_id IN (SELECT unnest($ids))
        GROUP BY ALL ORDER BY ALL
        """,
        {"ids": report_ids},
    ).df()


def rounds_measures(con: duckdb.DuckDBPyConnection, report_ids: list[str]) -> pd.DataFrame:
    """The findings' measures of the reports: what a status change is looked for in."""
    return con.execute(
        """
        SELECT report_id, measure_id, headline, text, category, status, start_offset
        FROM measure WHERE section = 'findings' AND report_id IN (SELECT unnest($ids))
        ORDER BY report_id, start_offset
        """,
        {"ids": report_ids},
    ).df()


def rounds_problems(con: duckdb.DuckDBPyConnection, report_ids: list[str]) -> pd.DataFrame:
    """The problems and items the reports list: what a recurrence is looked for in."""
    return con.execute(
        """
        SELECT report_id, finding_id, level, title, status FROM finding
        WHERE level IN ('problem', 'item') AND report_id IN (SELECT unnest($ids))
        ORDER BY report_id, start_offset
        """,
        {"ids": report_ids},
    ).df()


def report_of(con: duckdb.DuckDBPyConnection, report: str) -> tuple[str, str, int] | None:
    """(report_id, title or file name, number of measures) of the report whose id or file
    name is `report` (the id first); None when the warehouse has none."""
    return con.execute(
        "SELECT report_id, coalesce(title, file_name),"
        " (SELECT count(*) FROM measure m WHERE m.report_id = r.report_id) FROM report r"
        " WHERE report_id = $r OR file_name = $r ORDER BY report_id = $r DESC LIMIT 1",
        {"r": report},
    ).fetchone()


def correction_target(
    con: duckdb.DuckDBPyConnection,
    report: str,
    measure: str | None = None,
    metric: int | None = None,
    metric_value: float | None = None,
) -> dict | None:
    """What a correction would change, as the warehouse shows it now: a measure's category,
    status, responsible departments (sorted) and deadline; or, given a figure's number or
    its value as read (`metric_value`, within `measure` if given), that figure's indicator,
    value, text as written and value as read (`read_value`). With report_id, report_title
    and measure_id; None when there is no such report, measure or figure. `report`: an id
    or a file name."""
    found = report_of(con, report)
    if found is None:
        return None
    out = {"report_id": found[0], "report_title": found[1]}
    if metric is not None or metric_value is not None:
        cur = con.execute(
            """
            SELECT mt.metric_no AS metric, mt.measure_id, mt.indicator, mt.value, mt.raw,
                   coalesce(TRY_CAST(c.before AS DOUBLE), mt.value) AS read_value
            FROM metric mt
            LEFT JOIN correction c
              ON c.report_id = mt.report_id AND c.target = 'metric' AND c.field = 'value'
             AND c.item = CAST(mt.metric_no AS VARCHAR)
            WHERE mt.report_id = $r AND ($n IS NULL OR mt.metric_no = $n)
              AND ($m IS NULL OR mt.measure_id = $m)
              AND ($v IS NULL OR abs(coalesce(TRY_CAST(c.before AS DOUBLE), mt.value) - $v) < 1e-9)
            ORDER BY mt.metric_no LIMIT 1
            """,
            {"r": found[0], "n": metric, "m": measure, "v": metric_value},
        )
    else:
        cur = con.execute(
            """
            SELECT m.measure_id, m.category, m.status, m.deadline,
                   coalesce(list(d.department ORDER BY d.department)
                            FILTER (WHERE d.department IS NOT NULL), []) AS departments
            FROM measure m
            LEFT JOIN measure_department d
              ON d.report_id = m.report_id AND d.measure_id = m.measure_id
             AND d.role = 'responsible'
            WHERE m.report_id = $r AND m.measure_id = $m
            GROUP BY ALL
            """,
            {"r": found[0], "m": measure},
        )
    row = cur.fetchone()
    if row is None:
        return None
    return {**out, **dict(zip([d[0] for d in cur.description], row, strict=True))}


# -- The 待核查 list (review_item rows, kept at load) --------------------------------------
# A mark of review is kept outside the warehouse (the corrections log); the marked entries
# come in as `$done`, a list of "report_id/measure_id" keys ('' measure: the report).


def _review_scope(f: Filters) -> str:
    """review_item rows the filters keep: a measure's when the filters keep the measure,
    a report's when they keep the report (by the report filter alone, or, with filters on
    measures, when they keep any of its measures)."""
    if not (f.department or f.category or f.status or f.q):
        return "SELECT * FROM review_item WHERE $report IS NULL OR report_id = $report"
    kept = _measures_sql(f)
    return f"""
        SELECT ri.* FROM review_item ri
        WHERE (ri.measure_id <> '' AND (ri.report_id, ri.measure_id) IN
                  (SELECT report_id, measure_id FROM ({kept}) k))
           OR (ri.measure_id = '' AND ri.report_id IN (SELECT report_id FROM ({kept}) k))
    """  # noqa: S608 - constant fragments


def review_counts(con: duckdb.DuckDBPyConnection, f: Filters, done: list[str]) -> dict:
    """How many entries of the list the filters keep (`entries`), how many of them are not
    marked (`open`), and the figures those open measures hold (`open_figures`)."""
    sql = f"""
        SELECT count(*), count(*) FILTER (WHERE NOT marked),
               coalesce(sum(n_figures) FILTER (WHERE NOT marked), 0)
        FROM (SELECT *, (report_id || '/' || measure_id) IN (SELECT unnest($done)) AS marked
              FROM ({_review_scope(f)}) s)
    """
    params = {**f.params(), "done": list(done)}
    n, open_, figures = con.execute(
        sql, {k: params[k] for k in params if f"${k}" in sql}
    ).fetchone()
    return {"entries": int(n), "open": int(open_), "open_figures": int(figures)}


def review_items(
    con: duckdb.DuckDBPyConnection,
    f: Filters,
    done: list[str],
    include_done: bool,
    limit: int,
    offset: int,
) -> pd.DataFrame:
    """One page of the list in report and document order: report_id, measure_id ('' for
    the report), report_title, headline, text, status, unknown, warnings (warning numbers),
    n_figures and marked; without the marked entries unless `include_done`."""
    sql = f"""
        WITH s AS (SELECT *, (report_id || '/' || measure_id) IN (SELECT unnest($done)) AS marked
                   FROM ({_review_scope(f)}) x),
             page AS (SELECT * FROM s WHERE $all OR NOT marked
                      ORDER BY report_id, measure_id <> '', start_offset, measure_id
                      LIMIT $limit OFFSET $offset)
        SELECT p.report_id, p.measure_id, {label_sql("r.")} AS report_title,
               m.headline, m.text, m.status, p.unknown, p.warnings, p.n_figures, p.marked
        FROM page p
        JOIN report r ON r.report_id = p.report_id
        LEFT JOIN measure m ON m.report_id = p.report_id AND m.measure_id = p.measure_id
        ORDER BY p.report_id, p.measure_id <> '', p.start_offset, p.measure_id
    """
    params = {
        **f.params(),
        "done": list(done),
        "all": include_done,
        "limit": limit,
        "offset": offset,
    }
    return con.execute(sql, {k: params[k] for k in params if f"${k}" in sql}).df()


def review_total(
    con: duckdb.DuckDBPyConnection, f: Filters, done: list[str], include_done: bool
) -> int:
    sql = f"""
        SELECT count(*) FROM ({_review_scope(f)}) s
        WHERE $all OR (report_id || '/' || measure_id) NOT IN (SELECT unnest($done))
    """
    params = {**f.params(), "done": list(done), "all": include_done}
    return int(con.execute(sql, {k: params[k] for k in params if f"${k}" in sql}).fetchone()[0])


# -- Corrections as applied (the correction table) ------------------------------------------


def corrected_count(con: duckdb.DuckDBPyConnection, f: Filters) -> int:
    """How many values of the filtered measures (theirs and their figures') an analyst
    corrected by hand."""
    sql = f"""
        SELECT count(*) FROM correction c
        WHERE c.by_hand AND (c.report_id, c.measure_id) IN
              (SELECT report_id, measure_id FROM ({_measures_sql(f)}) fm)
    """
    return int(con.execute(sql, f.bound(sql)).fetchone()[0])


def corrections_of(con: duckdb.DuckDBPyConnection, report_id: str, measure_id: str) -> pd.DataFrame:
    """One measure's corrected values (its own and its figures'): target, item, field,
    before and after (JSON)."""
    return con.execute(
        """
        SELECT target, item, field, before, after FROM correction
        WHERE report_id = $r AND measure_id = $m AND by_hand ORDER BY target, item, field
        """,
        {"r": report_id, "m": measure_id},
    ).df()
