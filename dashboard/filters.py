"""Filters live in the URL query, so a view can be bookmarked and sent."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode

from dashboard.i18n import category_label, status_label, t
from warehouse.queries import Filters

KEYS = ("report", "department", "category", "status", "q")


def from_search(search: str | None) -> Filters:
    params = parse_qs((search or "").lstrip("?"))
    return Filters(**{k: (params.get(k) or [None])[0] or None for k in KEYS})


def from_query(query: dict) -> Filters:
    """Filters from the query parameters Dash hands a page's layout (a repeated key gives a
    list: the first value counts, as in from_search)."""

    def first(value):
        return (value[0] if value else None) if isinstance(value, list) else value

    return Filters(**{k: first(query.get(k)) or None for k in KEYS})


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


def parts(f: Filters, report_label: str | None, lang: str) -> list[str]:
    """The filters that are set, as a reader names them."""
    named = []
    if f.report:
        named.append(report_label or f.report)
    if f.department:
        named.append(f.department)
    if f.category:
        named.append(category_label(f.category, lang))
    if f.status:
        named.append(status_label(f.status, lang))
    if f.q:
        named.append(f"“{f.q}”")
    return named


def describe(f: Filters, report_label: str | None, lang: str) -> str:
    """One line for the active-filters bar and for exports: 当前筛选:… or 未筛选."""
    named = parts(f, report_label, lang)
    return t("filter_active", lang) + " " + (" · ".join(named) if named else t("filter_none", lang))
