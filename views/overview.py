"""What the overview shows under a set of filters, gathered once from the warehouse: the
overview page, meeting mode and every export draw on the same `Overview`."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

import duckdb
import pandas as pd

from views import clock
from views.stated import Reconciled, reconcile
from views.summaries import department_summary, kpis, with_bands
from views.vocabulary import done_statuses, statuses
from warehouse import queries
from warehouse.filters import Filters


@dataclass(frozen=True)
class Overview:
    filters: Filters
    today: date
    completion_items: pd.DataFrame  # category, status, n — in items (具体问题)
    completion_measures: pd.DataFrame  # the same in measures
    kpis: dict  # views.summaries.kpis
    indicators: pd.DataFrame  # every catalogue indicator with its total (NaN: no figure)
    heat: pd.DataFrame  # department, category, n (measures)
    departments: pd.DataFrame | None  # views.summaries.department_summary, when asked for
    header: dict | None  # the one report's header when the filters pick one
    deadlines: pd.DataFrame  # open measures with a deadline (ledgers), banded; often empty
    stated: list[Reconciled]  # the report's stated totals beside the counts (one report)
    warnings: pd.DataFrame  # the one report's parse warnings (queries.report_warnings); often empty
    # For charts that highlight a cross-filter's pick among the rest rather than drop the rest:
    # completion without the category and status filters, the heat map without department
    # and category (each filtered by everything else). None unless asked for.
    completion_context_items: pd.DataFrame | None = None
    completion_context_measures: pd.DataFrame | None = None
    heat_context: pd.DataFrame | None = None

    def completion(self, unit: str) -> pd.DataFrame:
        """Completion counted in 'items' or 'measures'."""
        return self.completion_measures if unit == "measures" else self.completion_items

    def completion_context(self, unit: str) -> pd.DataFrame:
        """Completion in 'items' or 'measures' across every category and status (the other
        filters applied), for a chart that highlights the chosen ones; else as filtered."""
        frame = (
            self.completion_context_measures
            if unit == "measures"
            else self.completion_context_items
        )
        return self.completion(unit) if frame is None else frame

    def status_context(self, unit: str) -> pd.DataFrame:
        """Completion across every status within the chosen category, for the doughnut."""
        frame = self.completion_context(unit)
        category = self.filters.category
        return frame if category is None else frame[frame["category"] == category]


def counted(o_kpis: dict, completion_items: pd.DataFrame, indicators: pd.DataFrame) -> dict:
    """The counts a stated total is checked against (the names rules/totals.yaml `reconcile` uses)."""
    out = {"items": o_kpis["items"], "items_done": o_kpis["items_completed"]}
    for status in statuses():
        out[f"items_status:{status}"] = 0
    for status, n in zip(completion_items["status"], completion_items["n"], strict=True):
        key = f"items_status:{status}"
        out[key] = out.get(key, 0) + int(n)
    for code, total in zip(indicators["code"], indicators["total"], strict=True):
        out[f"indicator:{code}"] = total
    return out


def gather_overview(
    con: duckdb.DuckDBPyConnection,
    f: Filters,
    today: date | None = None,
    departments: bool = False,
    context: bool = False,
) -> Overview:
    """Everything the overview shows under `f`; `departments` adds the per-department
    summary (meeting mode and exports show it, the overview page does not); `context` the
    frames its charts highlight a cross-filter in (Overview.completion_context)."""
    today = today or clock.today()
    by_item = queries.completion(con, f, "items")
    by_measure = queries.completion(con, f, "measures")
    indicators = queries.filtered_indicator_totals(con, f)
    header = queries.report_header(con, f.report) if f.report else None
    k = kpis(by_item, by_measure)
    # Only ledgers give deadlines; most warehouses have none, and asking is cheaper.
    deadlines = with_bands(
        queries.deadline_measures(con, f, today, done_statuses())
        if queries.has_deadlines(con, f)
        else pd.DataFrame(columns=queries.DEADLINE_COLUMNS)
    )
    stated = (
        reconcile(
            {key[len("stated_") :]: v for key, v in header.items() if key.startswith("stated_")},
            counted(k, by_item, indicators),
        )
        if header
        else []
    )
    extra = {}
    if context:
        open_chart = replace(f, category=None, status=None)
        if open_chart != f:
            extra["completion_context_items"] = queries.completion(con, open_chart, "items")
            extra["completion_context_measures"] = queries.completion(con, open_chart, "measures")
        open_heat = replace(f, department=None, category=None)
        if open_heat != f:
            extra["heat_context"] = queries.department_category(con, open_heat)
    return Overview(
        **extra,
        filters=f,
        today=today,
        completion_items=by_item,
        completion_measures=by_measure,
        kpis=k,
        indicators=indicators,
        heat=queries.department_category(con, f),
        departments=department_summary(queries.department_status(con, f)) if departments else None,
        header=header,
        deadlines=deadlines,
        stated=stated,
        warnings=queries.report_warnings(con, [f.report] if header else []),
    )
