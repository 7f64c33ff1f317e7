"""The Dash application: the shell (navigation, filters, language) around the pages."""

from __future__ import annotations

from pathlib import Path

import dash
import dash_bootstrap_components as dbc
import flask
from dash import Input, Output, State, ctx, dcc, html
from dash.development.base_component import Component

from dashboard import auth, data, ids, security
from dashboard.arrival import arrival_address, page_at, page_container, url_location
from dashboard.components import SEARCH_PAUSE
from dashboard.downloads import ExportUnavailable, exports_for
from dashboard.index import (
    REGENERATOR_ASSET,
    defer_grid_bundle,
    skip_polyfill_for_modern_browsers,
)
from dashboard.uploads import MAX_REQUEST_BYTES
from views.filters import describe, stale, stale_notice
from views.i18n import LANGS, both, category_label, status_label, t
from views.reports import report_names
from views.vocabulary import categories, statuses
from warehouse import queries
from warehouse.filters import Filters

_login_on = False  # set by create_app: whether users are configured (dashboard/auth.py)
ROOT = Path(__file__).resolve().parent.parent
ASSETS = ROOT / "assets"
PAGES = Path(__file__).resolve().parent / "pages"
NAV_PAGES = (
    ("/", "nav_overview"),
    ("/explorer", "nav_explorer"),
    ("/indicators", "nav_indicators"),
    ("/departments", "nav_departments"),
    ("/reports", "nav_reports"),
    ("/rounds", "nav_rounds"),
    ("/review", "nav_review"),
    ("/audit", "nav_audit"),
    ("/data", "nav_data"),
)


UNFILTERED_PAGES = ("/meeting", "/rounds", "/data", "/reports", "/audit")
# The language also lives in a cookie, so that the first page comes in it from the server;
# the browser's own store (dcc.Store, local) stays the one the app reads.
LANG_COOKIE = "rectify_lang"
LANG_COOKIE_AGE = 365 * 24 * 3600


def _navbar() -> dbc.Navbar:
    links = [
        dbc.NavItem(dcc.Link(id=f"nav-{key}", href=path, className="nav-link"))
        for path, key in NAV_PAGES
    ]
    return dbc.Navbar(
        dbc.Container(
            [
                html.Span(id=ids.PAGE_TITLE, className="navbar-brand"),
                dbc.Nav(links, className="me-auto"),
                dbc.DropdownMenu(
                    [dbc.DropdownMenuItem(id=item, n_clicks=0) for item in ids.EXPORT_ITEMS],
                    id=ids.EXPORT_MENU,
                    size="sm",
                    color="light",
                    align_end=True,
                    className="me-2",
                ),
                dcc.Link(
                    id=ids.MEETING_LINK,
                    href="/meeting",
                    className="btn btn-outline-light btn-sm me-2",
                ),
                dbc.Button(id=ids.LANG_SWITCH, size="sm", color="light", outline=True, n_clicks=0),
                *(
                    [
                        html.A(
                            both("logout"),
                            href="/logout",
                            className="btn btn-link btn-sm text-light",
                            id="logout",
                        )
                    ]
                    if _login_on
                    else []
                ),
            ],
            fluid=True,
        ),
        color="dark",
        dark=True,
        id=ids.NAV,
        className="mb-2",
    )


def _department_options() -> list[dict]:
    """Every responsible department, fixed for the page: a dropdown clears a value that is
    missing from new options, so these never change under a chosen value."""
    with data.cursor() as con:
        departments = queries.department_options(con) if con is not None else []
    return [{"label": d, "value": d} for d in departments]


def _category_options(lang: str, keep: str | None = None) -> list[dict]:
    """The categories of the rules; `keep` (a bookmarked category the rules no longer have)
    first, marked as gone, so that the dropdown keeps it rather than silently clearing it."""
    options = [{"label": category_label(c, lang), "value": c} for c in categories()]
    return [_stale_option(keep, lang), *options] if keep and keep not in categories() else options


def _status_options(lang: str, keep: str | None = None) -> list[dict]:
    """The statuses of the rules, `keep` first where the rules lack it (_category_options)."""
    options = [{"label": status_label(s, lang), "value": s} for s in statuses()]
    return [_stale_option(keep, lang), *options] if keep and keep not in statuses() else options


def _filter_bar() -> html.Div:
    dropdown = {"clearable": True, "className": "filter-dropdown"}
    return html.Div(
        [
            dbc.Row(
                [
                    dbc.Col(dcc.Dropdown(id=ids.F_REPORT, **dropdown), md=6, lg=3),
                    dbc.Col(
                        dcc.Dropdown(
                            id=ids.F_DEPARTMENT, options=_department_options(), **dropdown
                        ),
                        md=6,
                        lg=3,
                    ),
                    dbc.Col(dcc.Dropdown(id=ids.F_CATEGORY, **dropdown), md=4, lg=2),
                    dbc.Col(dcc.Dropdown(id=ids.F_STATUS, **dropdown), md=4, lg=2),
                    dbc.Col(
                        dcc.Input(
                            id=ids.F_TEXT,
                            type="search",
                            debounce=SEARCH_PAUSE,
                            className="form-control",
                        ),
                        md=4,
                        lg=2,
                    ),
                ],
                className="g-2",
            ),
            html.Div(
                [
                    html.Span(id=ids.ACTIVE_FILTERS, className="me-2"),
                    dbc.Button(id=ids.RESET, size="sm", color="link", n_clicks=0),
                ],
                className="active-filters",
            ),
            html.Div(id=ids.STALE_NOTICE),
        ],
        id=ids.FILTER_BAR,
        className="container-fluid mb-2",
    )


def shell_labels(lang: str, f: Filters | None = None) -> list[tuple[str, str, object]]:
    """Every label of the shell in `lang`, as (component id, property, value); the filters
    `f` keep an option for a category or status the rules no longer have."""
    f = f or Filters()
    return [
        (ids.PAGE_TITLE, "children", t("app_title", lang)),
        (ids.LANG_SWITCH, "children", t("lang_switch", lang)),
        (ids.MEETING_LINK, "children", t("nav_meeting", lang)),
        (ids.RESET, "children", t("filter_reset", lang)),
        (ids.F_REPORT, "placeholder", t("filter_all_reports", lang)),
        (ids.F_DEPARTMENT, "placeholder", t("filter_department", lang)),
        (ids.F_CATEGORY, "placeholder", t("filter_category", lang)),
        (ids.F_STATUS, "placeholder", t("filter_status", lang)),
        (ids.F_TEXT, "placeholder", t("filter_text", lang)),
        # Options from the start: a dropdown drops a value it has no option for, and would
        # lose a bookmarked filter.
        (ids.F_CATEGORY, "options", _category_options(lang, f.category)),
        (ids.F_STATUS, "options", _status_options(lang, f.status)),
        *[(f"nav-{key}", "children", t(key, lang)) for _, key in NAV_PAGES],
        (ids.EXPORT_MENU, "label", t("export_menu", lang)),
        *[(item, "children", t(item.replace("-", "_"), lang)) for item in ids.EXPORT_ITEMS],
    ]


def _labelled(tree: Component, lang: str, f: Filters | None = None) -> Component:
    """A part of the shell with every label set, so that it is whole from its first paint."""
    wanted: dict[str, dict] = {}
    for component, prop, value in shell_labels(lang, f):
        wanted.setdefault(component, {})[prop] = value

    def visit(node) -> None:
        if isinstance(node, Component):
            node_id = getattr(node, "id", None)
            for prop, value in wanted.get(
                node_id if isinstance(node_id, str) else None, {}
            ).items():
                setattr(node, prop, value)
            children = getattr(node, "children", None)
            for child in children if isinstance(children, list | tuple) else [children]:
                visit(child)

    visit(tree)
    return tree


def request_lang() -> str:
    """The language the browser last chose (a cookie the language switch keeps), or zh."""
    lang = flask.request.cookies.get(LANG_COOKIE) if flask.has_request_context() else None
    return lang if lang in LANGS else "zh"


def shell() -> html.Div:
    lang, address = request_lang(), arrival_address()
    return html.Div(
        [
            url_location(address),
            dcc.Store(id=ids.LANG, storage_type="local", data=lang),
            dcc.Store(id=ids.EXPORT_LABEL),
            dcc.Store(id=ids.CHART_DOWNLOADED),
            dcc.Download(id=ids.DOWNLOAD),
            dcc.Loading(html.Div(id=ids.EXPORT_ERROR), type="circle", fullscreen=False),
            _labelled(_navbar(), lang),
            _labelled(
                _filter_bar(), lang, Filters.from_search(address.search) if address else None
            ),
            # The page arrived on, already drawn where the address is known.
            html.Div(page_container(address, lang), className="container-fluid"),
        ]
    )


class RectifyDash(dash.Dash):
    """Dash, with an index page that spares modern browsers Babel's polyfill and leaves the
    grid's bundle to the first grid (dashboard/index.py)."""

    def interpolate_index(self, **kwargs) -> str:
        scripts = skip_polyfill_for_modern_browsers(
            kwargs["scripts"], self.get_asset_url(REGENERATOR_ASSET)
        )
        scripts = defer_grid_bundle(scripts)
        return super().interpolate_index(**{**kwargs, "scripts": scripts})


def create_app(db_path: Path | str) -> dash.Dash:
    data.configure(db_path)
    app = RectifyDash(
        __name__,
        use_pages=True,
        pages_folder=str(PAGES),
        assets_folder=str(ASSETS),
        # plotly.js is loaded by the first chart, not with the page (assets/plotly-bundle.js);
        # the regenerator runtime is placed by dashboard/index.py, before the components.
        assets_ignore=r"plotly-rectify\.min\.js|regenerator-runtime\.js",
        title=t("app_title"),
        serve_locally=True,
        update_title=None,
        suppress_callback_exceptions=True,
        # Pages are drawn in the user's language in the request that routes to them.
        routing_callback_inputs={"lang": State(ids.LANG, "data")},
    )
    app.layout = shell
    _register_shell_callbacks(app)
    app.server.after_request(_not_found_status)
    global _login_on
    security.install(app.server, MAX_REQUEST_BYTES)
    _login_on = auth.install(app.server, Path(db_path).parent)
    return app


# Addresses that are not pages: the app's own routes, served as they are.
NOT_PAGES = ("/_dash", "/_reload", "/_favicon", "/assets", "/login", "/logout")


def _not_found_status(response: flask.Response) -> flask.Response:
    """The index page at an address with no page is the not-found page: say so with 404, so
    that links checkers, proxies and crawlers see it too (the page itself still draws)."""
    request = flask.request
    if (
        request.method == "GET"
        and response.status_code == 200
        and response.mimetype == "text/html"
        and not request.path.startswith(NOT_PAGES)
        and page_at(request.path) is None
    ):
        response.status_code = 404
    return response


def warm_up(app: dash.Dash) -> None:
    """Render the index page once, in-process. Dash registers the script bundles it may serve
    when it renders the index; a worker that has not yet done so answers a browser's request
    for a bundle (the index came from another worker) with an error."""
    client = app.server.test_client()
    signed_in = None
    if _login_on:  # the index is behind the login: warm up as a signed-in user, briefly
        name, hashed = next(iter(auth.load_users().items()))
        signed_in = auth.session_store(app.server).open(name, hashed)
        with client.session_transaction() as session:
            session.update(user=name, sid=signed_in)
    host = next((h for h in security.allowed_hosts() or [] if not h.startswith(".")), "localhost")
    response = client.get("/", headers={"Host": host})
    if signed_in:
        auth.session_store(app.server).close(signed_in)
    if response.status_code != 200:
        raise RuntimeError(f"dashboard failed to start: index returned {response.status_code}")


def _report_options(con, search: str | None, include: str | None, lang: str = "zh") -> list[dict]:
    """The newest reports, or those matching what is typed; `include` always listed (marked
    as gone when the warehouse no longer has it, so that a bookmarked value is kept)."""
    frame = queries.report_options(con, search=search, include=include)
    names = report_names(con, list(frame["report_id"]), lang)
    options = [
        {"label": names.get(rid, label), "value": rid}
        for rid, label in zip(frame["report_id"], frame["label"], strict=True)
    ]
    if include and include not in set(frame["report_id"]):
        options.insert(0, _stale_option(include, lang))
    return options


def _stale_option(value: str, lang: str) -> dict:
    return {"label": t("filter_stale_option", lang).format(value=value), "value": value}


def sync_filters(
    search, report, department, category, status, text, _reset, lang, department_options
):
    """The URL and the filter controls, kept in step; whichever changed wins. A filter
    the warehouse no longer knows (a bookmark older than a deletion) stays set, shows
    nothing, and is named in a notice."""
    lang = lang or "zh"
    triggered = {key.rsplit(".", 1)[0] for key in ctx.triggered_prop_ids}
    controls = {ids.F_REPORT, ids.F_DEPARTMENT, ids.F_CATEGORY, ids.F_STATUS, ids.F_TEXT}
    if ids.RESET in triggered:
        f = Filters()
    elif triggered & controls and ids.URL not in triggered:
        f = Filters(report=report, department=department, category=category, status=status, q=text)
    else:  # page load, a link, a chart click or the back button: the URL decides
        f = Filters.from_search(search)
    with data.cursor() as con:
        label = (
            report_names(con, [f.report], lang).get(f.report)
            if con is not None and f.report
            else None
        )
        department_known = (
            con is not None and f.department and queries.department_known(con, f.department)
        )
        # The chosen report arrives with its option in one update: a dropdown drops a
        # value it has no option for, which would lose a bookmarked report filter.
        options = (
            _report_options(con, None, f.report, lang)
            if con is not None and f.report and f.report != report
            else dash.no_update
        )
    gone = stale(f, label is not None, bool(department_known))
    listed = {o["value"] for o in department_options or []}
    departments = (
        [_stale_option(f.department, lang), *(department_options or [])]
        if f.department and not department_known and f.department not in listed
        else dash.no_update
    )
    # A category or status the rules no longer have keeps an option too (a dropdown drops a
    # value it has no option for, and the filter would silently go).
    stale_keys = {key for key, _value in gone}
    category_options = (
        _category_options(lang, f.category) if "category" in stale_keys else dash.no_update
    )
    status_options = _status_options(lang, f.status) if "status" in stale_keys else dash.no_update
    notice = (
        dbc.Alert(stale_notice(gone, lang), color="warning", className="py-1 px-2 mb-1 small")
        if gone
        else None
    )
    new_search = f.to_search()
    return (
        new_search if new_search != (search or "") else dash.no_update,
        options,
        departments,
        f.report,
        f.department,
        f.category,
        f.status,
        f.q,
        describe(f, label, lang),
        notice,
        label or t("filter_all_reports", lang),
        category_options,
        status_options,
    )


def _register_shell_callbacks(app: dash.Dash) -> None:
    @app.callback(
        Output(ids.LANG, "data"),
        Input(ids.LANG_SWITCH, "n_clicks"),
        State(ids.LANG, "data"),
        prevent_initial_call=True,
    )
    def switch_language(_clicks, lang):
        return LANGS[(LANGS.index(lang or "zh") + 1) % len(LANGS)]

    @app.callback(
        *[Output(component, prop) for component, prop, _ in shell_labels("zh")],
        Input(ids.LANG, "data"),
        State(ids.URL, "search"),
        # The shell arrives labelled in the language of the cookie (shell()); this relabels
        # it when the language changes, and keeps the cookie in step.
        prevent_initial_call=True,
    )
    def label_shell(lang, search):
        lang = lang if lang in LANGS else "zh"
        ctx.response.set_cookie(
            LANG_COOKIE, lang, max_age=LANG_COOKIE_AGE, samesite="Lax", httponly=True
        )
        return tuple(value for _, _, value in shell_labels(lang, Filters.from_search(search)))

    @app.callback(
        *[Output(f"nav-{key}", "href") for _, key in NAV_PAGES],
        Output(ids.MEETING_LINK, "href"),
        Output(ids.NAV, "style"),
        Output(ids.FILTER_BAR, "style"),
        Input(ids.URL, "search"),
        Input(ids.URL, "pathname"),
    )
    def keep_filters_in_links(search, pathname):
        hidden = {"display": "none"}
        return (
            *[path + (search or "") for path, _ in NAV_PAGES],
            "/meeting" + (search or ""),
            hidden if pathname == "/meeting" else {},
            # Meeting mode has no chrome; the rounds, data and reports pages take no filters.
            hidden if pathname in UNFILTERED_PAGES else {},
        )

    app.callback(
        Output(ids.URL, "search", allow_duplicate=True),
        Output(ids.F_REPORT, "options", allow_duplicate=True),
        Output(ids.F_DEPARTMENT, "options"),
        Output(ids.F_REPORT, "value"),
        Output(ids.F_DEPARTMENT, "value"),
        Output(ids.F_CATEGORY, "value"),
        Output(ids.F_STATUS, "value"),
        Output(ids.F_TEXT, "value"),
        Output(ids.ACTIVE_FILTERS, "children"),
        Output(ids.STALE_NOTICE, "children"),
        Output(ids.EXPORT_LABEL, "data"),
        Output(ids.F_CATEGORY, "options", allow_duplicate=True),
        Output(ids.F_STATUS, "options", allow_duplicate=True),
        Input(ids.URL, "search"),
        Input(ids.F_REPORT, "value"),
        Input(ids.F_DEPARTMENT, "value"),
        Input(ids.F_CATEGORY, "value"),
        Input(ids.F_STATUS, "value"),
        Input(ids.F_TEXT, "value"),
        Input(ids.RESET, "n_clicks"),
        Input(ids.LANG, "data"),
        State(ids.F_DEPARTMENT, "options"),
        prevent_initial_call="initial_duplicate",
    )(sync_filters)

    @app.callback(
        Output(ids.DOWNLOAD, "data"),
        Output(ids.EXPORT_ERROR, "children"),
        *[Input(item, "n_clicks") for item in ids.EXPORT_ITEMS],
        State(ids.URL, "search"),
        State(ids.LANG, "data"),
        prevent_initial_call=True,
    )
    def export(*args):
        """The export menu: deck, CSV, Excel or a zip of chart images, of what the filters show."""
        *clicks, search, lang = args
        if not any(clicks):
            return dash.no_update, dash.no_update
        try:
            name, payload = exports_for(ctx.triggered_id, Filters.from_search(search), lang or "zh")
        except ExportUnavailable as exc:
            return dash.no_update, dbc.Alert(str(exc), color="warning", dismissable=True)
        return dcc.send_bytes(payload, name), None

    for graph_id in ids.CHARTS:
        # A chart's download buttons only while it draws something (an empty chart's image
        # would hold nothing but its "no data" note).
        app.clientside_callback(
            """function (figure) {
                return figure && figure.data && figure.data.length ? null : {display: "none"};
            }""",
            Output({"type": ids.CHART_DOWNLOADS, "chart": graph_id}, "style"),
            Input(graph_id, "figure"),
        )
    app.clientside_callback(
        dash.ClientsideFunction("rectify", "downloadChart"),
        Output(ids.CHART_DOWNLOADED, "data"),
        Input({"type": ids.CHART_DOWNLOAD, "chart": dash.ALL, "format": dash.ALL}, "n_clicks"),
        State(ids.EXPORT_LABEL, "data"),
        prevent_initial_call=True,
    )

    @app.callback(
        Output(ids.F_REPORT, "options"),
        Input(ids.F_REPORT, "search_value"),
        Input(ids.F_REPORT, "value"),
        State(ids.LANG, "data"),
    )
    def report_choices(search, selected, lang):
        """The newest reports, or those matching what is typed; the chosen one always listed."""
        with data.cursor() as con:
            return [] if con is None else _report_options(con, search, selected, lang or "zh")
