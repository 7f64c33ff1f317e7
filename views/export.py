"""What an export holds for one set of filters: gathered once from the warehouse, then turned
into a deck, a workbook or images by pure functions. The dashboard and the CLI share it, so a
deck made from the browser and one made from the terminal say the same thing."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from datetime import date

import duckdb
import pandas as pd

from views.doubts import Doubts
from views.filters import cite_reports, describe, parts
from views.i18n import t
from views.overview import gather_overview
from views.reports import report_name_parts, report_names, short_name
from views.theme import format_date
from views.vocabulary import unknown_status
from warehouse import queries
from warehouse.filters import Filters


@dataclass(frozen=True)
class ExportContent:
    filters: Filters
    lang: str
    today: date
    reports: pd.DataFrame  # report_id, title, label, inspected_unit, publish_date
    names: dict  # report id → the name it goes by (views.reports.report_names)
    header: dict | None  # the one report's header when the filters pick one
    completion: pd.DataFrame  # category, status, n — in items (具体问题)
    completion_measures: pd.DataFrame  # the same in measures
    kpis: dict
    indicators: pd.DataFrame  # key indicators with a total under the filters
    departments: pd.DataFrame  # views.summaries.department_summary
    heat: pd.DataFrame  # department × category
    in_progress: pd.DataFrame  # findings' measures still in progress: what is left
    remaining: pd.DataFrame  # measures of the 存在的问题 section
    next_steps: pd.DataFrame  # measures of the 下一步 section
    list_totals: dict  # how many rows each of those three lists has in all (they may be cut)
    deadlines: pd.DataFrame  # open measures with a deadline (ledgers), soonest first, banded
    measures: pd.DataFrame | None  # every filtered measure (the explorer's rows), for tables
    metrics: pd.DataFrame | None  # every figure of those measures, with provenance
    corrected: int = 0  # values of those measures and figures an analyst corrected by hand
    rate: tuple[int, int] = (0, 0)  # (completed, all) items behind the completion rate
    doubts: Doubts = dataclasses.field(default_factory=Doubts)  # what to check first
    unknown: pd.DataFrame | None = None  # findings' measures of unknown status (未明确)
    # report id → (label, what tells it apart): views.reports.report_name_parts
    name_parts: dict = dataclasses.field(default_factory=dict)

    def name(self, report_id: str) -> str:
        """The name a report goes by (views.reports.report_names), its id when unknown."""
        return self.names.get(report_id, report_id)

    def short_name(self, report_id: str, limit: int = 14) -> str:
        """The name for a table's 通报 column: its label cut to `limit` characters and what
        tells it apart cut at its start (views.reports.short_name)."""
        if report_id not in self.name_parts:
            return self.name(report_id)
        return short_name(*self.name_parts[report_id], self.lang, limit)

    @property
    def title(self) -> str:
        """The one report's name when the filters draw on one, else 全部通报."""
        if self.filters.report and self.filters.report in self.names:
            return self.name(self.filters.report)
        if len(self.reports) == 1:
            return self.name(self.reports["report_id"].iloc[0])
        return t("filter_all_reports", self.lang)

    @property
    def filter_line(self) -> str:
        label = self.name(self.filters.report) if self.filters.report else None
        return describe(self.filters, label, self.lang)

    def source_note(self, section: str | None = None) -> str:
        """A slide's citation: the reports it draws on and, where it has one, the section."""
        cited = cite_reports([self.name(r) for r in self.reports["report_id"]], self.lang, shown=5)
        where = f" · {t(f'section_{section}', self.lang)}" if section else ""
        return (
            f"{t('export_source', self.lang)}{cited}{where}\n"
            f"{self.filter_line}\n{t('export_generated', self.lang)} "
            f"{format_date(self.today, self.lang)}"
            + (f"\n{self.corrected_note}" if self.corrected else "")
        )

    @property
    def corrected_note(self) -> str:
        """How many values were corrected by hand, and where to read who and why."""
        return t("export_corrected_note", self.lang).format(n=self.corrected)


def gather(
    con: duckdb.DuckDBPyConnection,
    f: Filters,
    lang: str = "zh",
    today: date | None = None,
    rows: bool = True,
    list_limit: int | None = None,
) -> ExportContent:
    """Everything an export shows under the filters `f`. `rows=False` skips the full measure
    and figure lists (a deck does not need them); `list_limit` caps the three lists a deck
    shows (their full counts are kept in list_totals)."""
    o = gather_overview(con, f, today, departments=True)
    reports = queries.filtered_reports(con, f)
    # What is left: the findings' measures in progress, unless the filters ask for another status.
    progress_filters = dataclasses.replace(f, status="in_progress")
    # Measures whose status could not be read, listed for review (the vocabulary's unknown).
    unknown_filters = dataclasses.replace(f, status=unknown_status())
    lists, totals = {}, {}
    for key, filters, section in (
        ("in_progress", progress_filters, "findings"),
        ("remaining", f, "remaining"),
        ("next_steps", f, "next_steps"),
        ("unknown", unknown_filters, None),
    ):
        limit = list_limit
        if key in ("in_progress", "unknown") and (
            filters.status is None or f.status not in (None, filters.status)
        ):
            limit = 0  # the filters exclude that status: an empty list, same columns
        lists[key] = queries.explorer_measures(con, filters, limit=limit, section=section)
        totals[key] = (
            len(lists[key])
            if limit is None or len(lists[key]) < limit
            else queries.measure_count(con, filters, section)
        )
    return ExportContent(
        filters=f,
        lang=lang,
        today=o.today,
        reports=reports,
        names=report_names(con, list(reports["report_id"]), lang),
        name_parts=report_name_parts(con, list(reports["report_id"]), lang),
        header=o.header,
        completion=o.completion_items,
        completion_measures=o.completion_measures,
        kpis=o.kpis,
        indicators=o.indicators[o.indicators["total"].notna()].reset_index(drop=True),
        departments=o.departments,
        heat=o.heat,
        in_progress=lists["in_progress"],
        remaining=lists["remaining"],
        next_steps=lists["next_steps"],
        list_totals=totals,
        deadlines=o.deadlines,
        measures=queries.explorer_measures(con, f, limit=None) if rows else None,
        metrics=queries.export_metrics(con, f) if rows else None,
        corrected=queries.corrected_count(con, f),
        rate=o.rate("items"),
        doubts=o.doubts,
        unknown=lists["unknown"],
    )


# What each export needs: the deck shows at most DECK_LIST_ROWS of each measure list and no
# full tables; the workbook and CSV need the full tables and no lists; images need neither.
DECK_LIST_ROWS = 40
NEEDS = {
    "deck": {"rows": False, "list_limit": DECK_LIST_ROWS},
    "csv": {"rows": True, "list_limit": 0},
    "xlsx": {"rows": True, "list_limit": 0},
    "images": {"rows": False, "list_limit": 0},
}


def gather_for(
    kind: str, con: duckdb.DuckDBPyConnection, f: Filters, lang: str, today: date | None = None
) -> ExportContent:
    return gather(con, f, lang, today, **NEEDS[kind])


# What no file name may hold, on any system: folder separators, reserved marks, controls.
UNSAFE_IN_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')


def file_name(content: ExportContent, what: str, suffix: str) -> str:
    """A download's name after what it is, the report, the other filters and the date, safe
    on every system: 整改进展汇报_全部通报_区园林绿化服务中心_已完成_2026-11-29.pptx."""

    def safe(text: str, limit: int) -> str:
        return UNSAFE_IN_NAMES.sub("", text).strip(" .")[:limit]

    title = safe(content.title, 40) or "rectify"
    others = [
        safe(p, 20)
        for p in parts(dataclasses.replace(content.filters, report=None), None, content.lang)
    ]
    return (
        "_".join([safe(what, 40), title, *[p for p in others if p], content.today.isoformat()])
        + f".{suffix}"
    )
