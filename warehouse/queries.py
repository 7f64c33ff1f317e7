"""Every query the app and the CLI make: one named function each, values always bound."""

from __future__ import annotations

import duckdb
import pandas as pd


def list_reports(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute("""
        SELECT r.report_id, r.file_name, r.title, r.issuer, r.inspected_unit, r.inspection_kind,
               r.round, r.team, r.feedback_date, r.publish_date, r.loaded_at,
               (SELECT count(*) FROM v_leaf_finding f WHERE f.report_id = r.report_id) AS n_items,
               (SELECT count(*) FROM measure m WHERE m.report_id = r.report_id) AS n_measures,
               (SELECT count(*) FROM metric t WHERE t.report_id = r.report_id) AS n_metrics
        FROM report r
        ORDER BY r.publish_date DESC NULLS LAST, r.file_name
    """).df()


def report_counts(con: duckdb.DuckDBPyConnection, report_id: str) -> dict:
    row = con.execute(
        """
        SELECT (SELECT count(*) FROM finding WHERE report_id = $id),
               (SELECT count(*) FROM measure WHERE report_id = $id),
               (SELECT count(*) FROM metric WHERE report_id = $id)
    """,
        {"id": report_id},
    ).fetchone()
    return {"findings": row[0], "measures": row[1], "metrics": row[2]}


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


def report_text(con: duckdb.DuckDBPyConnection, report_id: str) -> str | None:
    row = con.execute(
        "SELECT plain_text FROM report WHERE report_id = $id", {"id": report_id}
    ).fetchone()
    return row[0] if row else None


def indicator_totals(con: duckdb.DuckDBPyConnection, report_id: str | None = None) -> pd.DataFrame:
    return con.execute(
        """
        SELECT code, name_zh, name_en, unit, category, sum(total) AS total, sum(n_metrics) AS n_metrics
        FROM v_indicator_total
        WHERE $report_id IS NULL OR report_id = $report_id
        GROUP BY ALL ORDER BY code
    """,
        {"report_id": report_id},
    ).df()


def completion_by_category(
    con: duckdb.DuckDBPyConnection, report_id: str | None = None, department: str | None = None
) -> pd.DataFrame:
    """Measures per category and status (optionally one report, one responsible department)."""
    return con.execute(
        """
        SELECT m.category, m.status, count(*) AS n
        FROM measure m
        WHERE ($report_id IS NULL OR m.report_id = $report_id)
          AND ($department IS NULL OR EXISTS (
                SELECT 1 FROM measure_department d
                WHERE d.report_id = m.report_id AND d.measure_id = m.measure_id
                  AND d.role = 'responsible' AND d.department = $department))
        GROUP BY ALL ORDER BY m.category, m.status
    """,
        {"report_id": report_id, "department": department},
    ).df()
