"""Writing reports into the warehouse: replace by report id (and by source path).

The warehouse knows tables and rows, not how they were extracted: the pipeline hands it one
`ReportRows` per report (plain dicts per table, in the columns of schema.sql) and the
indicator catalogue; this module writes them, keeps the derived tables, and nothing else.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

import duckdb

from warehouse.filters import FIGURE_OWNERS
from warehouse.rows import ReportRows

TABLES = (
    "report",
    "finding",
    "measure",
    "metric",
    "measure_department",
    "parse_warning",
    "correction",
    "review_item",
    "item_department",
)
# How each table's rows of one report are ordered when read back (report_rows).
_ORDER = {
    "finding": "start_offset, finding_id",
    "measure": "ordinal, measure_id",
    "metric": "metric_no",
    "measure_department": "measure_id, role, department",
    "parse_warning": "warning_no",
    "correction": "target, item, field",
    "review_item": "start_offset, measure_id",
    "item_department": "finding_id, department",
}


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict]) -> None:
    """Insert dict rows (missing keys are NULL) in one statement over Arrow columns."""
    if not rows:
        return
    import pyarrow as pa

    described = con.execute(f"DESCRIBE {table}").fetchall()  # noqa: S608 - fixed table names
    cols = [c[0] for c in described]
    incoming = pa.table({c: [row.get(c) for row in rows] for c in cols})
    con.register("incoming", incoming)
    try:
        casts = ", ".join(f"CAST({c} AS {kind})" for c, kind, *_ in described)
        con.execute(f"INSERT INTO {table} SELECT {casts} FROM incoming")  # noqa: S608
    finally:
        con.unregister("incoming")


def write_reports(
    con: duckdb.DuckDBPyConnection, batch: Sequence[ReportRows], indicators: list[dict]
) -> list[tuple[str, str, str]]:
    """Replace each report (by id, and any older version from the same path) with its new
    rows, then refresh the derived tables and the catalogue (`indicators`: rows of the
    indicator table, from the rules). Returns what was replaced: (report id, file name,
    source path) of each report held before, so that the caller can say so."""
    ids = sorted({p.report_id for p in batch})
    paths = sorted({p.source_path for p in batch})
    replaced = [
        (r[0], r[1], r[2])
        for r in con.execute(
            "SELECT report_id, file_name, source_path FROM report"
            " WHERE report_id IN (SELECT unnest($ids)) OR source_path IN (SELECT unnest($paths))"
            " ORDER BY report_id",
            {"ids": ids, "paths": paths},
        ).fetchall()
    ]
    delete_reports(con, [r[0] for r in replaced])
    loaded_at = datetime.now()
    collected: dict[str, list[dict]] = {t: [] for t in TABLES}
    seen: set[str] = set()
    for p in reversed(batch):  # the last copy of a report in a batch wins
        if p.report_id in seen:
            continue
        seen.add(p.report_id)
        for table in TABLES:
            rows = p.tables.get(table, [])
            if table == "report":  # a report corrected again keeps when it was loaded
                rows = [{**row, "loaded_at": row.get("loaded_at") or loaded_at} for row in rows]
            collected[table].extend(rows)
    for table in TABLES:
        _insert(con, table, collected[table])
    refresh_facts(con, ids)
    backfill_facts(con)
    refresh_rollup_all(con)
    refresh_catalogue(con, indicators)
    return replaced


def delete_reports(con: duckdb.DuckDBPyConnection, report_ids: list[str]) -> None:
    if not report_ids:
        return
    for table in (
        "review_item",
        "correction",
        "parse_warning",
        "rollup",
        "item_department_fact",
        "item_department",
        "item_fact",
        "measure_fact",
        "measure_department",
        "metric",
        "measure",
        "finding",
        "report",
    ):
        con.execute(
            f"DELETE FROM {table} WHERE report_id IN (SELECT unnest($ids))",  # noqa: S608
            {"ids": report_ids},
        )


def report_rows(con: duckdb.DuckDBPyConnection, report_id: str) -> ReportRows | None:
    """One report's rows as written (every table of TABLES, in a fixed order), or None when
    the warehouse has no such report."""
    tables: dict[str, list[dict]] = {}
    for table in TABLES:
        cur = con.execute(
            f"SELECT * EXCLUDE (report_id) FROM {table} WHERE report_id = $r"  # noqa: S608
            + (f" ORDER BY {_ORDER[table]}" if table in _ORDER else ""),
            {"r": report_id},
        )
        names = [d[0] for d in cur.description]
        tables[table] = [
            {"report_id": report_id, **dict(zip(names, row, strict=True))} for row in cur.fetchall()
        ]
    if not tables["report"]:
        return None
    return ReportRows(report_id, tables["report"][0]["source_path"], tables)


def refresh_facts(con: duckdb.DuckDBPyConnection, report_ids: list[str] | None = None) -> None:
    """Rebuild the derived measure_fact, item_fact, item_department_fact and rollup rows of
    these reports (None: all)."""
    scope = "TRUE" if report_ids is None else "report_id IN (SELECT unnest($ids))"
    params = {} if report_ids is None else {"ids": report_ids}
    for table in ("rollup", "item_department_fact", "item_fact", "measure_fact"):
        con.execute(f"DELETE FROM {table} WHERE {scope}", params)  # noqa: S608 - constant fragments
    con.execute(
        f"""
        INSERT INTO measure_fact
        SELECT m.report_id, m.measure_id, m.finding_id, m.section, m.category, m.status,
               coalesce(d.departments, []), m.start_offset
        FROM (SELECT * FROM measure WHERE {scope}) m
        LEFT JOIN (SELECT report_id, measure_id, list(department ORDER BY department) AS departments
                   FROM measure_department WHERE role = 'responsible' AND {scope} GROUP BY ALL) d
          ON d.report_id = m.report_id AND d.measure_id = m.measure_id
        """,  # noqa: S608
        params,
    )
    con.execute(
        f"""
        INSERT INTO item_fact
        SELECT f.report_id, f.finding_id, f.category, f.status,
               list_sort(list_distinct(flatten(list(mf.departments))))
        FROM (SELECT * FROM finding WHERE {scope}) f
        JOIN (SELECT * FROM measure_fact WHERE {scope}) mf
          ON mf.report_id = f.report_id AND mf.finding_id = f.finding_id
        GROUP BY ALL
        """,  # noqa: S608
        params,
    )
    # Each item once per responsible department, by its status for that department (the
    # pipeline derives it from that department's own measures); an item loaded before
    # item_department existed keeps its overall status.
    con.execute(
        f"""
        INSERT INTO item_department_fact
        SELECT i.report_id, i.finding_id, i.department, i.category,
               coalesce(d.status, i.status)
        FROM (SELECT report_id, finding_id, unnest(departments) AS department, category, status
              FROM item_fact WHERE {scope}) i
        LEFT JOIN (SELECT * FROM item_department WHERE {scope}) d
          ON d.report_id = i.report_id AND d.finding_id = i.finding_id
         AND d.department = i.department
        """,  # noqa: S608
        params,
    )
    con.execute(
        f"""
        INSERT INTO rollup
        WITH items AS (SELECT * FROM item_fact WHERE {scope}),
             item_units AS (SELECT * FROM item_department_fact WHERE {scope}),
             measures AS (SELECT * FROM measure_fact WHERE {scope}),
             figures AS (SELECT mt.report_id, fm.category, fm.status, mt.indicator, mt.value,
                                CASE mt.qualifier WHEN 'lower_bound' THEN 1 ELSE 0 END AS is_lower,
                                CASE mt.qualifier WHEN 'approx' THEN 1 ELSE 0 END AS is_approx,
                                {FIGURE_OWNERS} AS owners
                         FROM (SELECT * FROM metric WHERE indicator IS NOT NULL AND role = 'result' AND {scope}) mt
                         LEFT JOIN measures fm
                           ON fm.report_id = mt.report_id AND fm.measure_id = mt.measure_id
                         WHERE mt.measure_id IS NULL OR fm.measure_id IS NOT NULL)
        SELECT report_id, 'item', '', category, status, NULL, count(*), NULL, NULL, NULL
        FROM items GROUP BY ALL
        UNION ALL
        SELECT report_id, 'item', department, category, status, NULL, count(*), NULL, NULL, NULL
        FROM item_units GROUP BY ALL
        UNION ALL
        SELECT report_id, 'measure', '', category, status, NULL, count(*), NULL, NULL, NULL
        FROM measures GROUP BY ALL
        UNION ALL
        SELECT report_id, 'measure', department, category, status, NULL, count(*), NULL, NULL, NULL
        FROM (SELECT report_id, unnest(departments) AS department, category, status FROM measures) GROUP BY ALL
        UNION ALL
        SELECT report_id, 'metric', '', category, status, indicator, count(*), sum(value),
               sum(is_lower), sum(is_approx)
        FROM figures GROUP BY ALL
        UNION ALL
        SELECT report_id, 'metric', owners[1], category, status, indicator, count(*), sum(value),
               sum(is_lower), sum(is_approx)
        FROM figures WHERE len(owners) = 1 GROUP BY ALL
        UNION ALL
        SELECT report_id, 'metric_shared', department, category, status, indicator, count(*),
               sum(value), sum(is_lower), sum(is_approx)
        FROM (SELECT report_id, unnest(owners) AS department, category, status, indicator, value,
                     is_lower, is_approx
              FROM figures WHERE len(owners) > 1)
        GROUP BY ALL
        """,  # noqa: S608
        params,
    )


def refresh_rollup_all(con: duckdb.DuckDBPyConnection) -> None:
    """Sum the rollup over all reports (after any change to it)."""
    con.execute("DELETE FROM rollup_all")
    con.execute(
        """
        INSERT INTO rollup_all
        SELECT unit, department, category, status, indicator, sum(n), sum(total),
               sum(n_lower), sum(n_approx)
        FROM rollup GROUP BY ALL
        """
    )


def backfill_facts(con: duckdb.DuckDBPyConnection) -> None:
    """Reports loaded by a version without the derived tables get theirs on the next load."""
    missing = [
        r[0]
        for r in con.execute(
            "SELECT report_id FROM report WHERE report_id NOT IN (SELECT DISTINCT report_id FROM measure_fact)"
            " AND report_id IN (SELECT DISTINCT report_id FROM measure)"
        ).fetchall()
    ]
    if missing:
        refresh_facts(con, missing)


def refresh_catalogue(con: duckdb.DuckDBPyConnection, indicators: list[dict] | None) -> None:
    """The indicator catalogue (rows given, from the rule files; None keeps the one stored)
    and the department list (from the loaded links)."""
    if indicators is not None:
        con.execute("DELETE FROM indicator")
        _insert(con, "indicator", indicators)
    con.execute("DELETE FROM department")
    con.execute("""
        INSERT INTO department
        SELECT department, CASE WHEN bool_or(role = 'responsible') THEN 'internal' ELSE 'partner' END
        FROM measure_department GROUP BY department
    """)


def backfill_item_departments(
    con: duckdb.DuckDBPyConnection, item_status: Callable[[list[str]], str | None]
) -> None:
    """Reports loaded before item_department existed get their items' statuses per
    department, from each department's own measures of the item by `item_status` (the
    spec's derivation, handed in by the caller: the warehouse does not know it)."""
    groups = con.execute(
        """
        SELECT report_id, finding_id, department, list(status ORDER BY start_offset)
        FROM (SELECT report_id, finding_id, unnest(departments) AS department, status,
                     start_offset
              FROM measure_fact
              WHERE finding_id IS NOT NULL
                AND report_id NOT IN (SELECT DISTINCT report_id FROM item_department))
        GROUP BY ALL
        """
    ).fetchall()
    _insert(
        con,
        "item_department",
        [
            {"report_id": r, "finding_id": f, "department": d, "status": item_status(s)}
            for r, f, d, s in groups
        ],
    )


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> set[str]:
    return {
        r[0]
        for r in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = $t", {"t": table}
        ).fetchall()
    }


def upgrade_if_needed(
    path: Path | str,
    indicators: list[dict] | None = None,
    review_rows: Callable[[duckdb.DuckDBPyConnection, str], list[dict]] | None = None,
    item_status: Callable[[list[str]], str | None] | None = None,
) -> bool:
    """Bring a warehouse written by an earlier version up to this schema (derived tables made
    and filled) in one atomic swap; True if it did. A current warehouse is left untouched.
    `review_rows(con, report_id)` gives a report's review_item rows, for a warehouse written
    before the 待核查 list was kept (the pipeline knows what they are). `item_status` (a list
    of measure statuses → the item's status, the spec's derivation) fills items' statuses per
    department for reports loaded before they were kept; without it those items keep their
    overall status for every department."""
    from warehouse.db import connect_readonly, swap

    path = Path(path)
    if not path.exists():
        return False
    con = connect_readonly(path)
    try:
        tables = {
            r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()
        }
        columns = _columns(con, "metric")
        reviewed = "review_item" in tables
        facts_current = (
            {"item_department", "item_department_fact"} <= tables
            and "n_lower" in _columns(con, "rollup")
            and "level" in _columns(con, "parse_warning")
        )
        current = (
            {"measure_fact", "item_fact", "rollup", "rollup_all", "parse_warning"} <= tables
            and {"review_item", "correction"} <= tables
            and {"role", "departments"} <= columns
            and facts_current
            and con.execute(
                "SELECT (SELECT count(*) FROM rollup_all) > 0 OR (SELECT count(*) FROM rollup) = 0"
            ).fetchone()[0]
        )
    finally:
        con.close()
    if current:
        return False
    with swap(path) as con:
        backfill_facts(con)
        if item_status is not None and "item_department" not in tables:
            backfill_item_departments(con, item_status)
        if "departments" not in columns or not facts_current:
            # Figures' own units, items per department, exactness of totals and figures
            # outside any measure are newer than these facts: rebuild them all.
            refresh_facts(con)
        refresh_rollup_all(con)
        refresh_catalogue(con, indicators)
        if not reviewed and review_rows is not None:
            for (rid,) in con.execute("SELECT report_id FROM report").fetchall():
                _insert(con, "review_item", review_rows(con, rid))
    return True
