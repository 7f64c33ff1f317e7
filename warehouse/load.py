"""Writing extractions into the warehouse: replace by report id (and by source path)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd

from etl.model import Extraction
from etl.rules import load_rules
from warehouse.contracts import check_extraction

TABLES = ("report", "finding", "measure", "metric", "measure_department")


def report_id_for(plain_text: str) -> str:
    """Stable id: the same report gives the same id whatever its encoding or wrapper."""
    return hashlib.sha256(plain_text.encode("utf-8")).hexdigest()[:16]


@dataclass
class Prepared:
    """An extraction ready to be written, with where it came from."""

    report_id: str
    source_path: str
    file_name: str
    encoding: str
    source_kind: str
    extraction: Extraction


def _rows(p: Prepared, loaded_at: datetime) -> dict[str, list[dict]]:
    x, r = p.extraction, p.extraction.report
    t = r.stated_totals
    report = {
        "report_id": p.report_id,
        "source_path": p.source_path,
        "file_name": p.file_name,
        "encoding": p.encoding,
        "source_kind": p.source_kind,
        "title": r.title,
        "issuer": r.issuer,
        "inspected_unit": r.inspected_unit,
        "inspection_kind": r.inspection_kind,
        "round": r.round,
        "team": r.team,
        "inspection_start": r.inspection_start,
        "inspection_end": r.inspection_end,
        "feedback_date": r.feedback_date,
        "publish_date": r.publish_date,
        "stated_problems": t.get("problems"),
        "stated_completed": t.get("completed"),
        "stated_in_progress": t.get("in_progress"),
        "stated_not_started": t.get("not_started"),
        "stated_completion_rate_pct": t.get("completion_rate_pct"),
        "stated_rules_made": t.get("rules_made"),
        "stated_funds_recovered_yuan": t.get("funds_recovered_yuan"),
        "plain_text": x.text,
        "loaded_at": loaded_at,
    }
    findings = [
        {
            "report_id": p.report_id,
            "finding_id": f.id,
            "parent_id": f.parent_id,
            "level": f.level,
            "label": f.label,
            "title": f.title,
            "category": f.category,
            "status": f.status,
            "start_offset": f.start,
            "end_offset": f.end,
        }
        for f in x.findings
    ]
    measures = [
        {
            "report_id": p.report_id,
            "measure_id": m.id,
            "finding_id": m.finding_id,
            "section": m.section,
            "ordinal": m.ordinal,
            "headline": m.headline,
            "text": m.text,
            "category": m.category,
            "status": m.status,
            "status_cue": m.status_cue,
            "start_offset": m.start,
            "end_offset": m.end,
            "deadline": m.deadline,
            "owner": m.owner,
            "evidence": m.evidence,
        }
        for m in x.measures
    ]
    metrics = [
        {
            "report_id": p.report_id,
            "metric_no": i,
            "measure_id": mt.measure_id,
            "value": float(mt.value),
            "unit": mt.unit,
            "unit_normalized": mt.unit_normalized,
            "qualifier": mt.qualifier,
            "label": mt.label,
            "indicator": mt.indicator,
            "raw": mt.raw,
            "start_offset": mt.start,
            "end_offset": mt.end,
        }
        for i, mt in enumerate(x.metrics, start=1)
    ]
    links = []
    for m in x.measures:
        links += [
            {"report_id": p.report_id, "measure_id": m.id, "department": d, "role": "responsible"}
            for d in dict.fromkeys(m.departments)
        ]
        links += [
            {"report_id": p.report_id, "measure_id": m.id, "department": d, "role": "partner"}
            for d in dict.fromkeys(m.partners)
        ]
    return {
        "report": [report],
        "finding": findings,
        "measure": measures,
        "metric": metrics,
        "measure_department": links,
    }


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict]) -> None:
    if not rows:
        return
    cols = [c[0] for c in con.execute(f"DESCRIBE {table}").fetchall()]  # noqa: S608 - fixed table names
    frame = pd.DataFrame(rows, columns=cols)
    con.register("incoming", frame)
    try:
        con.execute(f"INSERT INTO {table} SELECT * FROM incoming")  # noqa: S608
    finally:
        con.unregister("incoming")


def write_prepared(con: duckdb.DuckDBPyConnection, batch: list[Prepared]) -> None:
    """Replace each report (by id, and any older version from the same path) with its new rows."""
    for p in batch:
        check_extraction(p.extraction, p.source_path)
    ids = sorted({p.report_id for p in batch})
    paths = sorted({p.source_path for p in batch})
    stale = [
        r[0]
        for r in con.execute(
            "SELECT report_id FROM report WHERE report_id IN (SELECT unnest($ids)) "
            "OR source_path IN (SELECT unnest($paths))",
            {"ids": ids, "paths": paths},
        ).fetchall()
    ]
    delete_reports(con, stale)
    loaded_at = datetime.now()
    collected: dict[str, list[dict]] = {t: [] for t in TABLES}
    seen: set[str] = set()
    for p in reversed(batch):  # the last copy of a report in a batch wins
        if p.report_id in seen:
            continue
        seen.add(p.report_id)
        for table, rows in _rows(p, loaded_at).items():
            collected[table].extend(rows)
    for table in TABLES:
        _insert(con, table, collected[table])
    refresh_facts(con, ids)
    backfill_facts(con)
    refresh_rollup_all(con)
    refresh_catalogue(con)


def delete_reports(con: duckdb.DuckDBPyConnection, report_ids: list[str]) -> None:
    if not report_ids:
        return
    for table in (
        "rollup",
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


def refresh_facts(con: duckdb.DuckDBPyConnection, report_ids: list[str] | None = None) -> None:
    """Rebuild the derived measure_fact, item_fact and rollup rows of these reports (None: all)."""
    scope = "TRUE" if report_ids is None else "report_id IN (SELECT unnest($ids))"
    params = {} if report_ids is None else {"ids": report_ids}
    for table in ("rollup", "item_fact", "measure_fact"):
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
    con.execute(
        f"""
        INSERT INTO rollup
        WITH items AS (SELECT * FROM item_fact WHERE {scope}),
             measures AS (SELECT * FROM measure_fact WHERE {scope}),
             figures AS (SELECT mt.report_id, mf.category, mf.status, mf.departments, mt.indicator, mt.value
                         FROM (SELECT * FROM metric WHERE indicator IS NOT NULL AND {scope}) mt
                         JOIN measures mf ON mf.report_id = mt.report_id AND mf.measure_id = mt.measure_id)
        SELECT report_id, 'item', '', category, status, NULL, count(*), NULL FROM items GROUP BY ALL
        UNION ALL
        SELECT report_id, 'item', department, category, status, NULL, count(*), NULL
        FROM (SELECT report_id, unnest(departments) AS department, category, status FROM items) GROUP BY ALL
        UNION ALL
        SELECT report_id, 'measure', '', category, status, NULL, count(*), NULL FROM measures GROUP BY ALL
        UNION ALL
        SELECT report_id, 'measure', department, category, status, NULL, count(*), NULL
        FROM (SELECT report_id, unnest(departments) AS department, category, status FROM measures) GROUP BY ALL
        UNION ALL
        SELECT report_id, 'metric', '', category, status, indicator, count(*), sum(value) FROM figures GROUP BY ALL
        UNION ALL
        SELECT report_id, 'metric', department, category, status, indicator, count(*), sum(value)
        FROM (SELECT report_id, unnest(departments) AS department, category, status, indicator, value FROM figures)
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
        SELECT unit, department, category, status, indicator, sum(n), sum(total)
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


def refresh_catalogue(con: duckdb.DuckDBPyConnection) -> None:
    """The indicator catalogue and department list follow the rule files and loaded links."""
    rules = load_rules()
    con.execute("DELETE FROM indicator")
    _insert(
        con,
        "indicator",
        [
            {
                "code": i.code,
                "name_zh": i.zh,
                "name_en": i.en,
                "unit": i.unit,
                "category": i.category,
            }
            for i in rules.indicators
        ],
    )
    con.execute("DELETE FROM department")
    con.execute("""
        INSERT INTO department
        SELECT department, CASE WHEN bool_or(role = 'responsible') THEN 'internal' ELSE 'partner' END
        FROM measure_department GROUP BY department
    """)


def upgrade_if_needed(path: Path | str) -> bool:
    """Bring a warehouse written by an earlier version up to this schema (derived tables made
    and filled) in one atomic swap; True if it did. A current warehouse is left untouched."""
    from warehouse.db import connect_readonly, swap

    path = Path(path)
    if not path.exists():
        return False
    con = connect_readonly(path)
    try:
        tables = {
            r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()
        }
        current = {"measure_fact", "item_fact", "rollup", "rollup_all"} <= tables and (
            con.execute(
                "SELECT (SELECT count(*) FROM rollup_all) > 0 OR (SELECT count(*) FROM rollup) = 0"
            ).fetchone()[0]
        )
    finally:
        con.close()
    if current:
        return False
    with swap(path) as con:
        backfill_facts(con)
        refresh_rollup_all(con)
        refresh_catalogue(con)
    return True
