"""问题清单 Explorer: the analysts' page. Filtered measures; a row opens its source text."""

from __future__ import annotations

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, clientside_callback, dcc, html
from dash.exceptions import PreventUpdate

from dashboard import data, ids
from dashboard.components import empty_warehouse, highlighted, status_badge
from dashboard.grid import BLOCK_SIZE, column_defs, page_request, rows_for
from views.i18n import category_label, t
from warehouse import queries
from warehouse.filters import Filters

dash.register_page(__name__, path="/explorer", name="explorer", order=1)


def layout(**_query) -> html.Div:
    return html.Div(
        [
            html.Div(id=ids.EXPLORER_NOTE, className="text-muted small mb-1"),
            dcc.Store(id=ids.GRID_REFRESHED),
            dbc.Row(
                [
                    dbc.Col(
                        dag.AgGrid(
                            id=ids.GRID,
                            rowModelType="infinite",
                            columnDefs=[],
                            defaultColDef={"sortable": False, "resizable": True},
                            dashGridOptions={
                                "rowSelection": {
                                    "mode": "singleRow",
                                    "enableClickSelection": True,
                                    "checkboxes": False,
                                },
                                "animateRows": False,
                                "pagination": True,
                                "paginationPageSize": BLOCK_SIZE,
                                "cacheBlockSize": BLOCK_SIZE,
                                "maxBlocksInCache": 20,
                                "rowHeight": 56,
                                "tooltipShowDelay": 300,
                            },
                            getRowId="params.data.key",
                            style={"height": "70vh"},
                        ),
                        lg=8,
                    ),
                    dbc.Col(html.Div(id=ids.DETAIL, className="measure-detail"), lg=4),
                ]
            ),
        ],
        id=ids.EXPLORER_BODY,
    )


@callback(
    Output(ids.GRID, "getRowsResponse"),
    Input(ids.GRID, "getRowsRequest"),
    State(ids.URL, "search"),
    State(ids.LANG, "data"),
)
def serve_rows(request, search, lang):
    lang = lang or "zh"
    if request is None:
        raise PreventUpdate
    start, limit, order, descending = page_request(request)
    filters = Filters.from_search(search)
    with data.cursor() as con:
        if con is None:
            return {"rowData": [], "rowCount": 0}
        frame = queries.explorer_measures(con, filters, limit, start, order, descending)
        total = start + len(frame) if len(frame) < limit else queries.measure_count(con, filters)
    return {"rowData": rows_for(frame, lang), "rowCount": total}


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
    return column_defs(lang, deadlines), t("explorer_count", lang).format(n=f"{total:,}")


# A filter or language change asks the grid to fetch its rows again (the server callback
# reads the current filters from the URL with each block).
clientside_callback(
    f"""
    function (search, lang) {{
        const grid = window.dash_ag_grid && window.dash_ag_grid.getApi;
        if (grid) {{
            try {{ grid({ids.GRID!r}).purgeInfiniteCache(); }} catch (e) {{ /* grid not ready */ }}
        }}
        return window.dash_clientside.no_update;
    }}
    """,
    Output(ids.GRID_REFRESHED, "data"),
    Input(ids.URL, "search"),
    Input(ids.LANG, "data"),
    prevent_initial_call=True,
)


@callback(
    Output(ids.DETAIL, "children"),
    Input(ids.GRID, "selectedRows"),
    Input(ids.LANG, "data"),
)
def render_detail(selected, lang):
    lang = lang or "zh"
    if not selected:
        with data.cursor() as con:
            return (
                empty_warehouse(lang)
                if con is None
                else html.P(t("detail_pick", lang), className="text-muted")
            )
    report_id, measure_id = selected[0]["key"].split("/", 1)
    with data.cursor() as con:
        detail = queries.measure_detail(con, report_id, measure_id) if con is not None else None
    if detail is None:
        return html.P(t("no_data", lang))
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
