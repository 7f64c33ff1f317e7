"""Every query the app and the CLI make: one named function each, values always bound."""

from __future__ import annotations

from dataclasses import dataclass

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


# -- Filtered views for the dashboard ------------------------------------------------------
# Every filter is a bound parameter; NULL means "no filter". The WHERE fragments below are
# constant SQL text shared by several queries, never built from values.


@dataclass(frozen=True)
class Filters:
    report: str | None = None
    department: str | None = None
    category: str | None = None
    status: str | None = None
    q: str | None = None

    def params(self) -> dict:
        return {
            "report": self.report or None,
            "department": self.department or None,
            "category": self.category or None,
            "status": self.status or None,
            "q": self.q or None,
        }


# Measures matching report, department and free text (category and status apply per unit).
_BASE_MEASURES = """
    SELECT m.* FROM measure m
    WHERE ($report IS NULL OR m.report_id = $report)
      AND ($department IS NULL OR EXISTS (
            SELECT 1 FROM measure_department d
            WHERE d.report_id = m.report_id AND d.measure_id = m.measure_id
              AND d.role = 'responsible' AND d.department = $department))
      AND ($q IS NULL OR contains(m.text, $q) OR contains(coalesce(m.headline, ''), $q))
"""
_FILTERED_MEASURES = f"""
    SELECT * FROM ({_BASE_MEASURES}) b
    WHERE ($category IS NULL OR b.category = $category)
      AND ($status IS NULL OR b.status = $status)
"""
# Items (the 具体问题 fed back) with at least one matching measure, by their own labels.
_FILTERED_ITEMS = f"""
    SELECT f.* FROM v_leaf_finding f
    WHERE EXISTS (SELECT 1 FROM ({_BASE_MEASURES}) b
                  WHERE b.report_id = f.report_id AND b.finding_id = f.finding_id)
      AND ($category IS NULL OR f.category = $category)
      AND ($status IS NULL OR f.status = $status)
"""


def report_options(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute("""
        SELECT report_id, coalesce(title, inspected_unit, file_name) AS label, publish_date
        FROM report ORDER BY publish_date DESC NULLS LAST, label
    """).df()


def department_options(con: duckdb.DuckDBPyConnection, report: str | None = None) -> list[str]:
    rows = con.execute(
        """
        SELECT department, count(*) AS n FROM measure_department
        WHERE role = 'responsible' AND ($report IS NULL OR report_id = $report)
        GROUP BY department ORDER BY n DESC, department
        """,
        {"report": report or None},
    ).fetchall()
    return [r[0] for r in rows]


def completion(con: duckdb.DuckDBPyConnection, f: Filters, unit: str = "items") -> pd.DataFrame:
    """Counts per category and status, in items (具体问题) or in measures."""
    source = _FILTERED_ITEMS if unit == "items" else _FILTERED_MEASURES
    return con.execute(
        f"SELECT category, status, count(*) AS n FROM ({source}) s GROUP BY ALL ORDER BY ALL",
        f.params(),
    ).df()


def kpis(con: duckdb.DuckDBPyConnection, f: Filters) -> dict:
    row = con.execute(
        f"""
        SELECT (SELECT count(*) FROM ({_FILTERED_ITEMS}) i),
               (SELECT count(*) FILTER (WHERE status = 'completed') FROM ({_FILTERED_ITEMS}) i),
               (SELECT count(*) FROM ({_FILTERED_MEASURES}) m),
               (SELECT count(*) FILTER (WHERE status = 'completed') FROM ({_FILTERED_MEASURES}) m)
        """,
        f.params(),
    ).fetchone()
    items, items_done, measures, measures_done = row
    return {
        "items": items,
        "items_completed": items_done,
        "measures": measures,
        "measures_completed": measures_done,
        "completion_rate": items_done / items if items else None,
    }


def filtered_indicator_totals(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Each key indicator's total over the figures of the filtered measures."""
    return con.execute(
        f"""
        SELECT i.code, i.name_zh, i.name_en, i.unit, i.category,
               sum(mt.value) AS total, count(mt.value) AS n_metrics
        FROM indicator i
        LEFT JOIN (SELECT mt.* FROM metric mt JOIN ({_FILTERED_MEASURES}) fm
                   ON fm.report_id = mt.report_id AND fm.measure_id = mt.measure_id) mt
          ON mt.indicator = i.code
        GROUP BY ALL ORDER BY total DESC NULLS LAST, i.code
        """,
        f.params(),
    ).df()


def indicator_sources(con: duckdb.DuckDBPyConnection, f: Filters, code: str) -> pd.DataFrame:
    """The figures that make up an indicator's total, each with its sentence and place."""
    return con.execute(
        f"""
        SELECT mt.report_id, r.title AS report_title, mt.measure_id, vm.path, vm.headline,
               mt.value, mt.unit, mt.qualifier, mt.raw, mt.start_offset, mt.end_offset,
               vm.text AS measure_text, vm.start_offset AS measure_start
        FROM metric mt
        JOIN ({_FILTERED_MEASURES}) fm ON fm.report_id = mt.report_id AND fm.measure_id = mt.measure_id
        JOIN v_measure vm ON vm.report_id = mt.report_id AND vm.measure_id = mt.measure_id
        JOIN report r ON r.report_id = mt.report_id
        WHERE mt.indicator = $code
        ORDER BY r.title, mt.start_offset
        """,
        {**f.params(), "code": code},
    ).df()


def department_category(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Measures per responsible department and category."""
    return con.execute(
        f"""
        SELECT d.department, fm.category, count(*) AS n
        FROM ({_FILTERED_MEASURES}) fm
        JOIN measure_department d ON d.report_id = fm.report_id AND d.measure_id = fm.measure_id
        WHERE d.role = 'responsible'
        GROUP BY ALL ORDER BY ALL
        """,
        f.params(),
    ).df()


def department_summary(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Per responsible department: measures, their statuses and completion rate."""
    return con.execute(
        f"""
        SELECT d.department, count(*) AS measures,
               count(*) FILTER (WHERE fm.status = 'completed') AS completed,
               count(*) FILTER (WHERE fm.status = 'in_progress') AS in_progress,
               count(*) FILTER (WHERE fm.status = 'ongoing') AS ongoing,
               count(*) FILTER (WHERE fm.status = 'not_started') AS not_started,
               count(*) FILTER (WHERE fm.status = 'completed') / count(*) AS completion_rate
        FROM ({_FILTERED_MEASURES}) fm
        JOIN measure_department d ON d.report_id = fm.report_id AND d.measure_id = fm.measure_id
        WHERE d.role = 'responsible'
        GROUP BY d.department ORDER BY measures DESC, d.department
        """,
        f.params(),
    ).df()


def explorer_measures(
    con: duckdb.DuckDBPyConnection, f: Filters, limit: int = 5000
) -> pd.DataFrame:
    """The filtered measures with their path, departments and figures, for the table."""
    return con.execute(
        f"""
        SELECT fm.report_id, fm.measure_id, fm.section, vm.path, fm.headline, fm.category,
               fm.status, fm.status_cue,
               (SELECT string_agg(d.department, '、' ORDER BY d.department)
                FROM measure_department d WHERE d.report_id = fm.report_id
                  AND d.measure_id = fm.measure_id AND d.role = 'responsible') AS departments,
               (SELECT string_agg(mt.raw, ';' ORDER BY mt.start_offset) FROM metric mt
                WHERE mt.report_id = fm.report_id AND mt.measure_id = fm.measure_id) AS figures,
               fm.start_offset
        FROM ({_FILTERED_MEASURES}) fm
        JOIN v_measure vm ON vm.report_id = fm.report_id AND vm.measure_id = fm.measure_id
        ORDER BY fm.report_id, fm.start_offset
        LIMIT $limit
        """,
        {**f.params(), "limit": limit},
    ).df()


def measure_detail(con: duckdb.DuckDBPyConnection, report_id: str, measure_id: str) -> dict | None:
    """One measure's full text, place, status cue, and its figures' offsets within the text."""
    row = con.execute(
        """
        SELECT vm.text, vm.start_offset, vm.path, vm.section, vm.headline, vm.category,
               vm.status, vm.status_cue, r.title
        FROM v_measure vm JOIN report r ON r.report_id = vm.report_id
        WHERE vm.report_id = $r AND vm.measure_id = $m
        """,
        {"r": report_id, "m": measure_id},
    ).fetchone()
    if row is None:
        return None
    figures = con.execute(
        """
        SELECT start_offset, end_offset, raw, value, unit, indicator FROM metric
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
    )
    return {**dict(zip(keys, row, strict=True)), "figures": figures}


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
