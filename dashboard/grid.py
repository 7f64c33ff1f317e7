"""The explorer table: its columns, its rows, the grid's own words in the reader's language,
and how a sort or a page asked for in the grid becomes a query.

The grid holds one page of rows at a time, fetched from the server (so a filter that keeps
a million measures costs one page), with the grid's client-side row model: that is what
lets each row grow to its text (AG Grid's infinite model needs one fixed row height)."""

from __future__ import annotations

from datetime import date

import pandas as pd

from etl.ledger import deadline_band
from views import clock
from views.i18n import category_label, status_label, t
from views.reports import joined_name
from views.theme import format_date
from views.vocabulary import categories, statuses

PAGE_SIZE = 50

# Grid columns, and the query order (warehouse.queries.EXPLORER_ORDERS) each sorts by.
SORTABLE = {
    "report": "title",
    "path": "path",
    "headline": "headline",
    "category_label": "category",
    "status_label": "status",
    "departments": "departments",
    "figures": "figures",
    "deadline": "deadline",
}


def sort_request(column_state: list[dict] | None) -> tuple[str, bool]:
    """The order and direction of the column the grid is sorted by (its columnState), or the
    reports' own order; a column the server does not know sorts nothing."""
    for column in sorted(
        (c for c in column_state or [] if c.get("sort")), key=lambda c: c.get("sortIndex") or 0
    ):
        if column.get("colId") in SORTABLE:
            return SORTABLE[column["colId"]], column["sort"] == "desc"
    return "report", False


def label_rank(order: str, lang: str) -> list[str] | None:
    """Category or status ids in the order of their labels in `lang`, for sorting the column
    by what it shows; None for other orders."""
    if order == "category":
        return sorted(categories(), key=lambda c: category_label(c, lang))
    if order == "status":
        return sorted(statuses(), key=lambda s: status_label(s, lang))
    return None


def page_bounds(page: int, total: int) -> tuple[int, int]:
    """The page asked for, kept within the rows there are, and its first row's offset."""
    last = max(0, (total - 1) // PAGE_SIZE)
    page = min(max(0, int(page or 0)), last)
    return page, page * PAGE_SIZE


# Keeps the server's order: a click on a header asks the server (sort_request), and the grid
# must not sort the page it is given again by its own rules (by the text a cell shows: a
# date 2025年6月30日 after 2025年12月31日). The function lives in assets/grid-functions.js.
KEEP_ORDER = {"function": "keepServerOrder"}


def column_defs(lang: str, deadlines: bool = True) -> list[dict]:
    """The table's columns, each sortable by what it shows; long text wraps and the row grows
    to it, a header too long for its column wraps rather than being cut; the 完成时限 column
    only where ledgers give deadlines. The narrowest widths add up to what a 1366 px screen
    gives the table beside the detail panel; English words need a little more."""
    wrapped = {"wrapText": True, "autoHeight": True, "cellClass": "cell-wrap"}
    words = 1.2 if lang == "en" else 1.0  # English labels are longer words ("Governance")
    columns = [
        # A report's name (with its file's where ledgers share a title) runs to 40 and more
        # characters: at most two lines of it, cut with … (assets/grid-functions.js
        # ReportName: the title, and on a line of its own the file name's end that tells it
        # apart), the whole name on hover.
        {
            "field": "report",
            "headerName": t("col_report", lang),
            "flex": 3,
            "minWidth": 150,
            "tooltipField": "report",
            "cellRenderer": "ReportName",
            "cellClass": "cell-wrap cell-report",
        },
        {"field": "path", "headerName": t("col_path", lang), "flex": 4, "minWidth": 110},
        {"field": "headline", "headerName": t("col_headline", lang), "flex": 3, "minWidth": 100},
        {
            "field": "category_label",
            "headerName": t("col_category", lang),
            "width": int(88 * words),
            **wrapped,
        },
        {
            "field": "status_label",
            "headerName": t("col_status", lang),
            "width": int(88 * words),
            **wrapped,
        },
        {
            "field": "departments",
            "headerName": t("col_departments", lang),
            "flex": 2,
            "minWidth": int(95 * words),
        },
        {"field": "figures", "headerName": t("col_figures", lang), "flex": 2, "minWidth": 70},
        {
            "field": "deadline",
            "headerName": t("col_deadline", lang),
            "width": 122 if lang == "zh" else 112,
            # The band (overdue, due soon …) colours the cell, by rules/ledger.yaml.
            "cellClassRules": {
                f"deadline-{band}": f"params.data && params.data.deadline_band === '{band}'"
                for band in ("overdue", "due_soon", "watch", "on_track")
            },
        },
    ]
    for column in columns:
        column["comparator"] = KEEP_ORDER
        column["wrapHeaderText"] = True
        column["autoHeaderHeight"] = True
        if "flex" in column:
            column.update({**wrapped, "cellClass": column.get("cellClass", wrapped["cellClass"])})
    return columns if deadlines else columns[:-1]


# A measure without a headline (most ledgers, many reports) shows its text's start.
LEAD_CHARS = 40


def lead(text, headline) -> str:
    """What the 措施 column shows: the headline, else the start of the measure's text."""
    if isinstance(headline, str) and headline.strip():
        return headline
    text = _text(text).replace("\n", " ").strip()
    return text if len(text) <= LEAD_CHARS else text[: LEAD_CHARS - 1] + "…"


def rows_for(frame, lang: str, today: date | None = None, names: dict | None = None) -> list[dict]:
    """The grid's rows of a page of queries.explorer_measures; `names` (report id → its
    label and what tells it apart, views.reports.report_name_parts) tells reports of one
    title apart: `report` is the whole name, report_label and report_extra its parts (the
    通报 column shows them on lines of their own, assets/grid-functions.js ReportName)."""
    today = today or clock.today()
    names = names or {}
    joiner = "；" if lang == "zh" else "; "  # between a measure's figures, as read
    rows = []
    for r in frame.itertuples():
        label, extra = names.get(r.report_id) or (_text(r.report_title), "")
        corrected = getattr(r, "corrected", None)
        fixed = set() if corrected is None else set(corrected)

        def mark(text: str, *fields: str, fixed=fixed) -> str:
            """A value an analyst corrected carries ✎."""
            return f"{text} {CORRECTED_MARK}" if fixed & set(fields) else text

        rows.append(
            {
                "key": f"{r.report_id}/{r.measure_id}",
                "report": joined_name(label, extra, lang),
                "report_label": label,
                "report_extra": extra,
                "path": _text(r.path) or t(f"section_{r.section}", lang),
                "headline": lead(r.text, r.headline),
                "category_label": mark(category_label(r.category, lang), "category"),
                "status_label": mark(status_label(r.status, lang), "status"),
                "departments": mark(_text(r.departments), "departments"),
                "figures": mark(_text(r.figures).replace(";", joiner), "indicator", "value"),
                "deadline": mark(format_date(r.deadline, lang), "deadline"),
                "deadline_band": _band(r.deadline, r.status, today),
            }
        )
    return rows


CORRECTED_MARK = "✎"


def _text(value) -> str:
    """A text cell; blank for a missing value (None or pandas' NaN)."""
    return value if isinstance(value, str) else ""


def _band(deadline, status: str | None, today: date) -> str | None:
    if deadline is None or pd.isna(deadline):
        return None
    return deadline_band((pd.Timestamp(deadline).date() - today).days, status)


# The grid's own words (pager, loading, no rows) in Chinese; AG Grid's English is its default.
LOCALE_ZH = {
    "page": "第",
    "of": "/",
    "to": "至",
    "more": "更多",
    "next": "下一页",
    "last": "末页",
    "first": "首页",
    "previous": "上一页",
    "loadingOoo": "加载中…",
    "noRowsToShow": "没有符合条件的整改措施",
    "searchOoo": "搜索…",
    "pageSizeSelectorLabel": "每页：",
    "ariaPageSizeSelectorLabel": "每页行数",
    "sortAscending": "升序",
    "sortDescending": "降序",
    "sortUnSort": "取消排序",
    "ariaSortableColumn": "按 Enter 排序",
    "ariaRowSelect": "按空格选择此行",
}


def locale_text(lang: str) -> dict:
    return LOCALE_ZH if lang == "zh" else {}
