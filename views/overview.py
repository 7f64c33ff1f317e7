"""What the overview shows under a set of filters, gathered once from the warehouse: the
overview page, meeting mode and every export draw on the same `Overview`."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

import duckdb
import pandas as pd

from views import clock
from views.doubts import Doubts, gather_doubts
from views.stated import Reconciled, reconcile
from views.summaries import department_summary, done_of, kpis, with_bands
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
    stated: list[Reconciled]  # the one report's stated totals beside its whole counts
    # For charts that highlight a cross-filter's pick among the rest rather than drop the rest:
    # completion without the category and status filters, the heat map without department
    # and category (each filtered by everything else). None unless asked for.
    statusless_items: pd.DataFrame | None = None  # under a status filter: without it
    statusless_measures: pd.DataFrame | None = None
    completion_context_items: pd.DataFrame | None = None
    completion_context_measures: pd.DataFrame | None = None
    heat_context: pd.DataFrame | None = None
    # The reports drawn on that need review (warnings, stated totals that disagree).
    doubts: Doubts = field(default_factory=Doubts)

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
        """Completion under the filters with every status kept (a status filter only picks a
        slice): the doughnut's slices and the completion rate."""
        frame = self.statusless_measures if unit == "measures" else self.statusless_items
        return self.completion(unit) if frame is None else frame

    def rate(self, unit: str) -> tuple[int, int]:
        """(done, all) behind the completion rate in 'items' or 'measures': the one rate the
        tile, the doughnut's centre and a category's bar give. A status filter does not narrow
        it (the completed among the completed would always be 100%)."""
        return done_of(self.status_context(unit))


def counted(completion_items: pd.DataFrame, indicators: pd.DataFrame) -> dict:
    """The counts a stated total is checked against (the names rules/totals.yaml `reconcile`
    uses), from a report's completion in items and its indicator totals."""
    items_done, items = done_of(completion_items)
    out = {"items": items, "items_done": items_done}
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
    stated = []
    if header:
        # A report's stated totals are checked against the whole report, never against the
        # part of it other filters (a category, a status) keep.
        own = Filters(report=f.report)
        stated = reconcile(
            {key[len("stated_") :]: v for key, v in header.items() if key.startswith("stated_")},
            counted(
                by_item if own == f else queries.completion(con, own, "items"),
                indicators if own == f else queries.filtered_indicator_totals(con, own),
            ),
        )
    extra = {}
    if f.status:
        unstatused = replace(f, status=None)
        extra["statusless_items"] = queries.completion(con, unstatused, "items")
        extra["statusless_measures"] = queries.completion(con, unstatused, "measures")
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
        doubts=gather_doubts(con, f.report),
    )
