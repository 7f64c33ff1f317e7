"""Filters live in the URL query, so a view can be bookmarked and sent."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode

from warehouse.queries import Filters

KEYS = ("report", "department", "category", "status", "q")


def from_search(search: str | None) -> Filters:
    params = parse_qs((search or "").lstrip("?"))
    return Filters(**{k: (params.get(k) or [None])[0] or None for k in KEYS})


def to_search(f: Filters) -> str:
    pairs = [(k, getattr(f, k)) for k in KEYS if getattr(f, k)]
    return "?" + urlencode(pairs) if pairs else ""


def toggle(f: Filters, **changes) -> Filters:
    """Set filters from a click; clicking the value already set clears it (cross-filter)."""
    values = {k: getattr(f, k) for k in KEYS}
    if all(values.get(k) == v for k, v in changes.items()):
        for k in changes:
            values[k] = None
    else:
        values.update(changes)
    return Filters(**values)
