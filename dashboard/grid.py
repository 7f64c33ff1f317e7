"""The explorer table's server-side paging: what a grid request for a block of rows asks."""

from __future__ import annotations

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
