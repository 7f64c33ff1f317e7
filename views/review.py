"""The 待核查 list: what an analyst should check, and what has been checked.

An entry is a report with parse warnings that no measure holds, or a measure whose status
the rules list for review (unknown: nothing said) or that holds a warning (the warnings come
from the `parse_warning` table, rendered in the reader's language from rules/warnings.yaml).
The warehouse keeps the entries (review_item, made at load); the marks of review live in the
corrections log beside it, so they outlive reloads. The overview says how many entries under
its filters are not yet marked, and how many figures those measures hold.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import duckdb
import pandas as pd

from views.audit import when
from views.i18n import t
from views.reports import report_names, stored_warning, warnings_now
from warehouse import queries
from warehouse.corrections import CorrectionLog
from warehouse.filters import Filters

PAGE_SIZE = 50


def key(report_id: str, measure_id: str | None) -> str:
    return f"{report_id}/{measure_id or ''}"


def _marks(log: CorrectionLog | None, f: Filters) -> dict[tuple[str, str], tuple]:
    if log is None:
        return {}
    return log.reviewed([f.report] if f.report else None)


def warning_messages(frame: pd.DataFrame, lang: str) -> dict[tuple[str, int], str]:
    """(report_id, warning_no) → the warning in `lang` (queries.report_warnings rows)."""
    return {
        (rid, int(no)): stored_warning(code, message, args, lang)
        for rid, no, code, message, args in zip(
            frame["report_id"],
            frame["warning_no"],
            frame["code"],
            frame["message"],
            frame["args"],
            strict=True,
        )
    }


@dataclass(frozen=True)
class Unreviewed:
    entries: int  # entries of the list under the filters
    open: int  # of them, not marked reviewed
    open_figures: int  # figures the open measures hold


def unreviewed(con: duckdb.DuckDBPyConnection, log: CorrectionLog | None, f: Filters) -> Unreviewed:
    """What the overview says of the list under the filters `f`."""
    done = [key(r, m) for r, m in _marks(log, f)]
    return Unreviewed(**queries.review_counts(con, f, done))


@dataclass(frozen=True)
class ReviewRow:
    report_id: str
    measure_id: str  # '' for the report as a whole
    report_title: str  # the name it goes by (views.reports.report_names)
    place: str  # the measure's headline (or the start of its text), or 全份通报
    reasons: list[str]  # why it is listed, in the reader's language
    figures: int
    reviewed: tuple | None  # (user, when) once marked
    words: str | None = (
        None  # the start of the measure's headline or text: finds it in the explorer
    )


@dataclass(frozen=True)
class ReviewPage:
    rows: list[ReviewRow]
    total: int  # rows listed under the filters (the marked ones only with include_done)
    page: int
    pages: int
    counts: Unreviewed


def review_page(
    con: duckdb.DuckDBPyConnection,
    log: CorrectionLog | None,
    f: Filters,
    page: int | None,
    lang: str,
    include_done: bool = False,
) -> ReviewPage:
    """Page `page` (1-based; past the end: the last) of the list under `f`, PAGE_SIZE a
    page, in report and document order."""
    marks = _marks(log, f)
    done = [key(r, m) for r, m in marks]
    counts = Unreviewed(**queries.review_counts(con, f, done))
    total = queries.review_total(con, f, done, include_done)
    pages = max(1, math.ceil(total / PAGE_SIZE))
    page = min(max(1, int(page or 1)), pages)
    frame = queries.review_items(con, f, done, include_done, PAGE_SIZE, (page - 1) * PAGE_SIZE)
    reports = sorted(set(frame["report_id"]))
    messages = warning_messages(warnings_now(con, reports), lang) if reports else {}
    # The name each report goes by everywhere: ledgers of one title told apart by file name.
    names = report_names(con, reports, lang)
    rows = []
    for r in frame.itertuples():
        reasons = [t("review_unknown_status", lang)] if r.unknown else []
        reasons += [messages.get((r.report_id, int(n)), "") for n in list(r.warnings)]
        mark = marks.get((r.report_id, r.measure_id))
        rows.append(
            ReviewRow(
                report_id=r.report_id,
                measure_id=r.measure_id,
                report_title=names.get(r.report_id) or r.report_title or "",
                place=_place(r, lang),
                reasons=[x for x in reasons if x],
                figures=int(r.n_figures),
                reviewed=(mark[0], when(mark[1], lang)) if mark else None,
                words=_words(r),
            )
        )
    return ReviewPage(rows, total, page, pages, counts)


def _words(r) -> str | None:
    if not r.measure_id:
        return None
    words = r.headline if isinstance(r.headline, str) and r.headline else r.text or ""
    return words[:24] or None


def _place(r, lang: str) -> str:
    if not r.measure_id:
        return t("review_whole_report", lang)
    words = r.headline if isinstance(r.headline, str) and r.headline else r.text or ""
    return f"{r.measure_id} · {words[:60]}{'…' if len(words) > 60 else ''}"


def report_reviewed(log: CorrectionLog | None, report_id: str, lang: str) -> tuple | None:
    """(who, when) an analyst marked the report's own warnings reviewed, or None."""
    if log is None:
        return None
    mark = log.reviewed([report_id]).get((report_id, ""))
    return (mark[0], when(mark[1], lang)) if mark else None
