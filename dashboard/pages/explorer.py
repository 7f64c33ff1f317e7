"""问题清单 Explorer: the analysts' page. Filtered measures; a row opens its source text."""

from __future__ import annotations

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html

from dashboard import data, ids
from dashboard.components import empty_warehouse, highlighted, status_badge, step_button
from dashboard.grid import (
    PAGE_SIZE,
    column_defs,
    label_rank,
    locale_text,
    page_bounds,
    rows_for,
    sort_request,
)
from views.i18n import category_label, t
from views.theme import format_number
from warehouse import queries
from warehouse.filters import Filters

dash.register_page(__name__, path="/explorer", name="explorer", order=1)


def layout(lang: str | None = None, **_query) -> html.Div:
    lang = lang or "zh"
    return html.Div(
        [
            html.Div(id=ids.EXPLORER_NOTE, className="text-muted small mb-1"),
            dcc.Store(id=ids.EXPLORER_PAGE, data=0),
            dbc.Row(
                [
                    dbc.Col(
                        [
                            dag.AgGrid(
                                id=ids.GRID,
                                rowData=[],
                                columnDefs=[],
                                defaultColDef={"sortable": True, "resizable": True},
                                dashGridOptions={
                                    "rowSelection": {
                                        "mode": "singleRow",
                                        "enableClickSelection": True,
                                        "checkboxes": False,
                                    },
                                    "animateRows": False,
                                    "localeText": locale_text(lang),
                                    "suppressMultiSort": True,
                                },
                                getRowId="params.data.key",
                                className="explorer-grid",
                                style={"height": "calc(100vh - 250px)", "minHeight": "320px"},
                            ),
                            html.Div(
                                [
                                    step_button(ids.EXPLORER_PREV),
                                    html.Span(id=ids.EXPLORER_PAGE_INFO, className="mx-2"),
                                    step_button(ids.EXPLORER_NEXT),
                                ],
                                className="explorer-pager",
                            ),
                        ],
                        xl=8,
                    ),
                    dbc.Col(html.Div(id=ids.DETAIL, className="measure-detail"), xl=4),
                ]
            ),
        ],
        id=ids.EXPLORER_BODY,
    )


@callback(
    Output(ids.GRID, "rowData"),
    Output(ids.EXPLORER_PAGE, "data"),
    Output(ids.EXPLORER_PAGE_INFO, "children"),
    Output(ids.EXPLORER_PREV, "children"),
    Output(ids.EXPLORER_NEXT, "children"),
    Output(ids.EXPLORER_PREV, "disabled"),
    Output(ids.EXPLORER_NEXT, "disabled"),
    Input(ids.URL, "search"),
    Input(ids.LANG, "data"),
    Input(ids.GRID, "columnState"),
    Input(ids.EXPLORER_PREV, "n_clicks"),
    Input(ids.EXPLORER_NEXT, "n_clicks"),
    State(ids.EXPLORER_PAGE, "data"),
)
def serve_page(search, lang, column_state, _prev, _next, page):
    """One page of rows in the order the grid's header asks for: the previous or next page
    on the pager's buttons, the first again on a new filter or sort."""
    lang = lang or "zh"
    trigger = dash.ctx.triggered_id
    step = {ids.EXPLORER_PREV: -1, ids.EXPLORER_NEXT: 1}.get(trigger)
    page = (page or 0) + step if step else 0
    order, descending = sort_request(column_state)
    filters = Filters.from_search(search)
    with data.cursor() as con:
        if con is None:
            return [], 0, "", t("prev", lang), t("next", lang), True, True
        total = queries.measure_count(con, filters)
        page, offset = page_bounds(page, total)
        frame = queries.explorer_measures(
            con, filters, PAGE_SIZE, offset, order, descending, label_rank=label_rank(order, lang)
        )
    pages = max(1, -(-total // PAGE_SIZE))
    info = t("explorer_page", lang).format(
        page=page + 1,
        pages=pages,
        first=format_number(offset + 1 if total else 0, lang),
        last=format_number(offset + len(frame), lang),
        n=format_number(total, lang),
    )
    return (
        rows_for(frame, lang),
        page,
        info,
        t("prev", lang),
        t("next", lang),
        page == 0,
        page >= pages - 1,
    )


@callback(
    Output(ids.GRID, "columnDefs"),
    Output(ids.EXPLORER_NOTE, "children"),
    Input(ids.URL, "search"),
    Input(ids.LANG, "data"),
)
def render_frame(search, lang):
    lang = lang or "zh"
    with data.cursor() as con:
        if con is None:
            return column_defs(lang), None
        filters = Filters.from_search(search)
        total = queries.measure_count(con, filters)
        deadlines = queries.has_deadlines(con, filters)
    return column_defs(lang, deadlines), t("explorer_count", lang).format(
        n=format_number(total, lang)
    )


@callback(
    Output(ids.DETAIL, "children"),
    Output(ids.GRID, "selectedRows"),
    Input(ids.GRID, "selectedRows"),
    Input(ids.URL, "search"),
    Input(ids.LANG, "data"),
)
def render_detail(selected, search, lang):
    """The selected row's full text; a filter that no longer keeps the row clears it (and its
    selection), so the panel never shows what the table does not."""
    lang = lang or "zh"
    pick = html.P(t("detail_pick", lang), className="text-muted")
    if not selected:
        with data.cursor() as con:
            return (empty_warehouse(lang) if con is None else pick), dash.no_update
    report_id, measure_id = selected[0]["key"].split("/", 1)
    with data.cursor() as con:
        if con is None:
            return empty_warehouse(lang), []
        if not queries.measure_kept(con, Filters.from_search(search), report_id, measure_id):
            return pick, []
        detail = queries.measure_detail(con, report_id, measure_id)
    if detail is None:
        return html.P(t("no_data", lang)), []
    return _detail(detail, lang), dash.no_update


def _detail(detail: dict, lang: str) -> html.Div:
    """A measure's headline, badges, place, status cue and text with its figures marked."""
    base = detail["start"]
    spans = [
        (int(s) - base, int(e) - base)
        for s, e in zip(
            detail["figures"]["start_offset"], detail["figures"]["end_offset"], strict=True
        )
    ]
    return html.Div(
        [
            html.H5(detail["headline"] or detail["text"][:30]),
            html.Div(
                [
                    status_badge(detail["status"], lang),
                    " ",
                    dbc.Badge(category_label(detail["category"], lang), color="info"),
                ]
            ),
            html.P(
                [
                    html.Strong(t("detail_place", lang) + ":"),
                    " ",
                    detail["report_title"] or "",
                    " › ",
                    detail["path"] or t(f"section_{detail['section']}", lang),
                ],
                className="small mt-2",
            ),
            html.P(
                [html.Strong(t("detail_cue", lang) + ":"), " ", detail["status_cue"] or "—"],
                className="small",
            ),
            html.Div(highlighted(detail["text"], spans), className="source-text", id="detail-text"),
        ]
    )
