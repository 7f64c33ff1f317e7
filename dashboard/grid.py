"""The explorer table: its columns, its rows, and the server-side paging of a grid request."""

from __future__ import annotations

from datetime import date

import pandas as pd

from etl.ledger import deadline_band
from views import clock
from views.i18n import category_label, status_label, t

# Rows come from the server a block at a time (AG Grid's infinite row model), so a filter
# that keeps a million measures costs one page of rows, never the whole list.
BLOCK_SIZE = 50

# Grid columns the server can sort by, and the query order each one stands for.
SORTABLE = {"category_label": "category", "status_label": "status", "path": "report"}


def page_request(request: dict | None) -> tuple[int, int, str, bool]:
    """Offset, row count, order and direction from the grid's request for a block."""
    request = request or {}
    start = max(0, int(request.get("startRow") or 0))
    end = int(request.get("endRow") or start + BLOCK_SIZE)
    limit = min(max(1, end - start), 500)  # never more than a few blocks at once
    order, descending = "report", False
    for item in request.get("sortModel") or []:
        if item.get("colId") in SORTABLE:
            order, descending = SORTABLE[item["colId"]], item.get("sort") == "desc"
            break
    return start, limit, order, descending


def column_defs(lang: str, deadlines: bool = True) -> list[dict]:
    """The table's columns; the 完成时限 column only where ledgers give deadlines."""
    wrapped = {"wrapText": True, "cellClass": "cell-clamp"}
    columns = [
        {
            "field": "path",
            "headerName": t("col_path", lang),
            "flex": 4,
            "tooltipField": "path",
            "sortable": True,
            **wrapped,
        },
        {
            "field": "headline",
            "headerName": t("col_headline", lang),
            "flex": 3,
            "tooltipField": "headline",
            **wrapped,
        },
        {
            "field": "category_label",
            "headerName": t("col_category", lang),
            "width": 100,
            "sortable": True,
        },
        {
            "field": "status_label",
            "headerName": t("col_status", lang),
            "width": 110,
            "sortable": True,
        },
        {
            "field": "departments",
            "headerName": t("col_departments", lang),
            "flex": 2,
            "tooltipField": "departments",
            **wrapped,
        },
        {"field": "figures", "headerName": t("col_figures", lang), "flex": 2, **wrapped},
        {
            "field": "deadline",
            "headerName": t("col_deadline", lang),
            "width": 120,
            # The band (overdue, due soon …) colours the cell, by rules/ledger.yaml.
            "cellClassRules": {
                f"deadline-{band}": f"params.data && params.data.deadline_band === '{band}'"
                for band in ("overdue", "due_soon", "watch", "on_track")
            },
        },
    ]
    return columns if deadlines else columns[:-1]


def rows_for(frame, lang: str, today: date | None = None) -> list[dict]:
    today = today or clock.today()
    rows = []
    for r in frame.itertuples():
        rows.append(
            {
                "key": f"{r.report_id}/{r.measure_id}",
                "path": r.path or t(f"section_{r.section}", lang),
                "headline": r.headline or "",
                "category_label": category_label(r.category, lang),
                "status_label": status_label(r.status, lang),
                "departments": r.departments or "",
                "figures": r.figures or "",
                "deadline": _day(r.deadline),
                "deadline_band": _band(r.deadline, r.status, today),
            }
        )
    return rows


def _day(value) -> str:
    return "" if value is None or pd.isna(value) else pd.Timestamp(value).date().isoformat()


def _band(deadline, status: str | None, today: date) -> str | None:
    if deadline is None or pd.isna(deadline):
        return None
    return deadline_band((pd.Timestamp(deadline).date() - today).days, status)
