"""待核查 To review: reports and measures the parse was unsure about, and measures whose
status is unknown, under the filters; an editor marks each reviewed (or not again). The
marks live in the corrections log beside the warehouse, so reloads keep them."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, callback, ctx, dcc, html

from dashboard import auth, data, ids
from dashboard.components import empty_warehouse, entries_place, list_pager
from pipeline.corrections import mark_reviewed
from views.i18n import t
from views.review import PAGE_SIZE, ReviewPage, ReviewRow, review_page
from views.theme import format_number
from warehouse.errors import WarehouseError
from warehouse.filters import Filters

dash.register_page(__name__, path="/review", name="review", order=7)


def layout(lang: str | None = None, **_query) -> html.Div:
    lang = lang or "zh"
    return html.Div(
        [
            html.H2(t("review_heading", lang), id="review-heading"),
            html.P(t("review_intro", lang), className="text-muted small", id="review-intro"),
            html.Div(
                [
                    html.Span(id=ids.REVIEW_COUNT, className="me-3"),
                    dbc.Switch(
                        id=ids.REVIEW_SHOW_DONE,
                        label=t("review_show_done", lang),
                        value=False,
                        className="d-inline-block",
                    ),
                ],
                className="mb-2",
            ),
            dcc.Store(id=ids.REVIEW_VERSION, data=0),
            list_pager(ids.REVIEW_PAGE_INFO, ids.REVIEW_PAGER),
            html.Div(id=ids.REVIEW_MESSAGE),
            html.Div(id=ids.REVIEW_TABLE),
        ],
        id=ids.REVIEW_BODY,
    )


def review_table(shown: ReviewPage, lang: str, may_mark: bool):
    if not shown.rows:
        return html.P(t("review_empty", lang), className="text-muted", id="review-empty")
    keys = (
        "col_report",
        "review_col_place",
        "review_col_why",
        "review_col_figures",
        "review_col_state",
    )
    head = html.Thead(
        html.Tr([html.Th(t(k, lang), className="text-nowrap") for k in keys] + [html.Th("")])
    )
    return html.Table(
        [head, html.Tbody([_row(r, lang, may_mark) for r in shown.rows])],
        className="table table-sm table-striped review-table",
        id="review-entries",
    )


def _row(r: ReviewRow, lang: str, may_mark: bool) -> html.Tr:
    key = f"{r.report_id}/{r.measure_id}"
    state = (
        html.Span(
            "✓ " + t("review_done", lang).format(user=r.reviewed[0], when=r.reviewed[1]),
            className="text-success small",
        )
        if r.reviewed
        else html.Span(t("review_pending", lang), className="text-warning small")
    )
    where = Filters(report=r.report_id, q=r.words).to_search()
    actions = [
        dcc.Link(
            t("review_open", lang),
            href=f"/explorer{where}" if r.measure_id else f"/{where}",
            className="btn btn-link btn-sm",
        )
    ]
    if may_mark:
        actions.append(
            dbc.Button(
                t("review_unmark" if r.reviewed else "review_mark", lang),
                id={"type": ids.REVIEW_TOGGLE, "key": key, "on": not r.reviewed},
                size="sm",
                color="secondary" if r.reviewed else "success",
                outline=bool(r.reviewed),
                n_clicks=0,
            )
        )
    return html.Tr(
        [
            html.Td(r.report_title, className="review-report"),
            html.Td(r.place),
            html.Td(html.Ul([html.Li(x) for x in r.reasons], className="mb-0 small")),
            html.Td(r.figures),
            html.Td(state),
            html.Td(actions, className="text-nowrap"),
        ],
        id=f"review-{r.report_id}-{r.measure_id or 'report'}",
        className="" if r.reviewed else "review-open",
    )


@callback(
    Output(ids.REVIEW_TABLE, "children"),
    Output(ids.REVIEW_PAGER, "max_value"),
    Output(ids.REVIEW_PAGER, "active_page"),
    Output(ids.REVIEW_PAGE_INFO, "children"),
    Output(ids.REVIEW_COUNT, "children"),
    Input(ids.URL, "search"),
    Input(ids.LANG, "data"),
    Input(ids.REVIEW_SHOW_DONE, "value"),
    Input(ids.REVIEW_PAGER, "active_page"),
    Input(ids.REVIEW_VERSION, "data"),
)
def render(search, lang, show_done, active_page, _version):
    """A page of the list under the filters: the one the pager asks for, the same after a
    mark, the first on a new filter."""
    lang = lang or "zh"
    keep = ctx.triggered_id in (ids.REVIEW_PAGER, ids.REVIEW_VERSION, ids.LANG)
    page = active_page if keep else 1
    with data.cursor() as con:
        if con is None:
            return empty_warehouse(lang), 1, 1, "", ""
        shown = review_page(
            con, data.log(), Filters.from_search(search), page, lang, bool(show_done)
        )
    place = entries_place(shown.page, PAGE_SIZE, len(shown.rows), shown.total, lang)
    count = t("review_count", lang).format(
        n=format_number(shown.counts.entries, lang), open=format_number(shown.counts.open, lang)
    )
    return (
        review_table(shown, lang, auth.permission().allowed),
        shown.pages,
        shown.page,
        place,
        count,
    )


@callback(
    Output(ids.REVIEW_MESSAGE, "children"),
    Output(ids.REVIEW_VERSION, "data"),
    Input({"type": ids.REVIEW_TOGGLE, "key": ALL, "on": ALL}, "n_clicks"),
    State(ids.REVIEW_VERSION, "data"),
    State(ids.LANG, "data"),
    prevent_initial_call=True,
)
def toggle(_clicks, version, lang):
    """Mark an entry reviewed, or unmark it, as the signed-in editor (or the local user):
    refused, whatever the request says, when this request may not."""
    lang = lang or "zh"
    trigger = ctx.triggered_id
    if not isinstance(trigger, dict) or not ctx.triggered or not ctx.triggered[0]["value"]:
        return dash.no_update, dash.no_update  # the table was drawn again: its buttons are new
    permission = auth.permission()
    if not permission.allowed:
        alert = dbc.Alert(t(permission.refusal, lang), color="danger", id="review-alert")
        return alert, dash.no_update
    report_id, _, measure_id = str(trigger["key"]).partition("/")
    try:
        mark_reviewed(
            data.db_path(), report_id, measure_id, permission.user, on=bool(trigger["on"])
        )
    except WarehouseError as exc:
        return dbc.Alert(str(exc), color="danger", id="review-alert"), dash.no_update
    return None, (version or 0) + 1


@callback(
    Output("review-heading", "children"),
    Output("review-intro", "children"),
    Output(ids.REVIEW_SHOW_DONE, "label"),
    Input(ids.LANG, "data"),
    prevent_initial_call=True,
)
def labels(lang):
    """The page's words again when the language changes (it arrives in the reader's)."""
    lang = lang or "zh"
    return t("review_heading", lang), t("review_intro", lang), t("review_show_done", lang)
