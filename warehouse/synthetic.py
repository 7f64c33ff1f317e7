"""Synthetic warehouses for benchmarks: N reports varied from a loaded template report.

Each copy gets its own report id, shuffled statuses, categories and responsible departments,
and scaled figures, so aggregates differ from report to report as real ones would.
"""

from __future__ import annotations

import duckdb

from warehouse.load import refresh_catalogue, refresh_facts, refresh_rollup_all


def replicate_reports(
    con: duckdb.DuckDBPyConnection, template_id: str, n: int, seed: float = 0.42
) -> None:
    """Add n varied copies of report `template_id` (already in the warehouse)."""
    con.execute("SELECT setseed($s)", {"s": seed})
    con.execute(
        "CREATE TEMP TABLE copies AS SELECT i, printf('syn%012d', i) AS rid FROM range($n) t(i)",
        {"n": n},
    )
    params = {"t": template_id}
    con.execute(
        """
        INSERT INTO report
        SELECT c.rid, r.source_path || '#' || c.i, 'synthetic_' || c.i || '.txt', r.encoding, r.source_kind,
               r.title || ' (' || c.i || ')', r.issuer, r.inspected_unit, r.inspection_kind, r.round, r.team,
               r.inspection_start + CAST(c.i % 700 AS INTEGER), r.inspection_end + CAST(c.i % 700 AS INTEGER),
               r.feedback_date + CAST(c.i % 700 AS INTEGER), r.publish_date + CAST(c.i % 700 AS INTEGER),
               r.stated_problems, r.stated_completed, r.stated_in_progress, r.stated_not_started,
               r.stated_completion_rate_pct, r.stated_rules_made, r.stated_funds_recovered_yuan,
               r.plain_text, now()
        FROM report r, copies c WHERE r.report_id = $t
        """,
        params,
    )
    con.execute(
        """
        INSERT INTO finding
        SELECT c.rid, f.finding_id, f.parent_id, f.level, f.label, f.title,
               CASE WHEN random() < 0.2 THEN (['governance','safety','party_building','assets'])[1 + floor(random() * 4)::INT]
                    ELSE f.category END,
               (['completed','completed','in_progress','ongoing'])[1 + floor(random() * 4)::INT],
               f.start_offset, f.end_offset
        FROM finding f, copies c WHERE f.report_id = $t
        """,
        params,
    )
    con.execute(
        """
        INSERT INTO measure
        SELECT c.rid, m.measure_id, m.finding_id, m.section, m.ordinal, m.headline, m.text,
               CASE WHEN random() < 0.2 THEN (['governance','safety','party_building','assets'])[1 + floor(random() * 4)::INT]
                    ELSE m.category END,
               (['completed','completed','in_progress','ongoing','not_started'])[1 + floor(random() * 5)::INT],
               m.status_cue, m.start_offset, m.end_offset, m.deadline, m.owner, m.evidence
        FROM measure m, copies c WHERE m.report_id = $t
        """,
        params,
    )
    con.execute(
        """
        INSERT INTO metric
        SELECT c.rid, mt.metric_no, mt.measure_id, round(mt.value * (0.5 + random()), 1), mt.unit,
               mt.unit_normalized, mt.qualifier, mt.label, mt.indicator, mt.raw, mt.start_offset,
               mt.end_offset, mt.role, mt.departments
        FROM metric mt, copies c WHERE mt.report_id = $t
        """,
        params,
    )
    con.execute(
        """
        INSERT INTO measure_department
        SELECT DISTINCT c.rid, d.measure_id,
               CASE WHEN d.role = 'responsible' AND random() < 0.3
                    THEN (SELECT list(DISTINCT department) FROM measure_department
                          WHERE report_id = $t AND role = 'responsible')[1 + (c.i % 5)::INT]
                    ELSE d.department END,
               d.role
        FROM measure_department d, copies c WHERE d.report_id = $t
        """,
        params,
    )
    # About one report in ten warns about its statuses, and one measure in twenty of those
    # holds a warning of its own: the 待核查 list has entries to count.
    con.execute(
        """
        INSERT INTO parse_warning
        SELECT c.rid, 1, 'status_no_cue', 'synthetic', '{"n": 1, "total": 1}', NULL, NULL,
               'review'
        FROM copies c WHERE c.i % 10 = 3
        """
    )
    con.execute(
        """
        INSERT INTO review_item
        SELECT c.rid, '', false, [1], 0, 0 FROM copies c WHERE c.i % 10 = 3
        UNION ALL
        SELECT c.rid, m.measure_id, false, [1], 0, m.start_offset
        FROM measure m, copies c WHERE m.report_id = $t AND c.i % 10 = 3 AND random() < 0.05
        """,
        params,
    )
    ids = [r[0] for r in con.execute("SELECT rid FROM copies").fetchall()]
    con.execute("DROP TABLE copies")
    refresh_facts(con, ids)
    refresh_rollup_all(con)
    refresh_catalogue(con, None)  # the copies use the catalogue already stored
