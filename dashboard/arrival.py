"""The page a visitor arrives on, put in the first layout the browser asks for.

Dash's pages start empty: the browser asks for the layout, draws the shell, and its location
component then asks the server, in a second round trip, for the page at that address. The
browser's layout request names the page it comes from (its Referer), so the layout can carry
that page already, with both location components set to the address: they then report no
change when they mount, and neither the router nor the callbacks that watch the address run
again. Without a usable Referer (stripped by a proxy, another site's, an unknown page) the
container is Dash's own and the page is routed as usual.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import dash
import flask
from dash import dcc

from dashboard import ids

# Dash's own ids inside dash.page_container (dash/dash.py).
_PAGES_LOCATION = "_pages_location"
_PAGES_CONTENT = "_pages_content"
_PAGES_STORE = "_pages_store"  # the routed page's title, which a clientside callback shows


@dataclass(frozen=True)
class Address:
    href: str
    pathname: str
    search: str  # "" or "?…"

    def location_props(self) -> dict:
        # All four set: a location component with any of them unset reports the browser's on
        # mount, which would route the page a second time.
        return {"href": self.href, "pathname": self.pathname, "search": self.search, "hash": ""}


def arrival_address() -> Address | None:
    """The address of the page whose layout is being asked for, if the request says it and
    it is on this site."""
    if not flask.has_request_context() or not flask.request.referrer:
        return None
    parts = urlsplit(flask.request.referrer)
    if parts.netloc != flask.request.host or parts.scheme not in ("http", "https"):
        return None
    href = parts._replace(fragment="").geturl()  # the browser does not send the fragment
    return Address(href, parts.path or "/", f"?{parts.query}" if parts.query else "")


def _query_values(search: str) -> dict:
    """Query parameters as Dash's router hands them to a layout (one value, or a list)."""
    parsed = parse_qs(search.lstrip("?"), keep_blank_values=True)
    return {k: v[0] if len(v) == 1 else v for k, v in parsed.items()}


NOT_FOUND_MODULE = "not_found_404"  # Dash's name for the page of an unknown address


def page_at(pathname: str) -> dict | None:
    """The registered page at `pathname`, or None (the not-found page is at no address)."""
    relative = "/" + (dash.strip_relative_path(pathname) or "")
    for module, page in dash.page_registry.items():
        if module.split(".")[-1] == NOT_FOUND_MODULE:
            continue
        if page["path"] == relative and not page.get("path_template"):
            return page
    return None


def _not_found_page() -> dict | None:
    return next(
        (p for m, p in dash.page_registry.items() if m.split(".")[-1] == NOT_FOUND_MODULE),
        None,
    )


def url_location(address: Address | None) -> dcc.Location:
    """The app's own location component (ids.URL), set to the arrival address when known."""
    return dcc.Location(id=ids.URL, refresh=False, **(address.location_props() if address else {}))


def page_container(address: Address | None, lang: str):
    """Dash's page container, holding the page at `address` drawn in `lang` when there is
    one; otherwise Dash's own, empty until routed."""
    if address is None:
        return dash.page_container
    # An unknown address arrives with the not-found page, as Dash's router would route it.
    page = page_at(address.pathname) or _not_found_page()
    if page is None:
        return dash.page_container
    layout = page["layout"]
    # As Dash's router: the query's parameters, then the routing states (a query's own "lang"
    # gives way to the chosen language).
    arguments = {**_query_values(address.search), "lang": lang}
    content = layout(**arguments) if callable(layout) else layout
    container = copy.copy(dash.page_container)
    container.children = []
    for child in dash.page_container.children:
        child = copy.copy(child)
        if child.id == _PAGES_LOCATION:
            for prop, value in address.location_props().items():
                setattr(child, prop, value)
        elif child.id == _PAGES_CONTENT:
            child.children = content
        elif child.id == _PAGES_STORE:
            title = page["title"]
            child.data = {"title": title() if callable(title) else title}
        container.children.append(child)
    return container
