"""问题清单 Explorer: the analysts' page. Filtered measures; a row opens its source text."""

from __future__ import annotations

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import Input, Output, callback, html

from dashboard import data, ids
from dashboard.components import empty_warehouse, highlighted, status_badge
from dashboard.filters import from_search
from dashboard.i18n import category_label, status_label, t
from warehouse import queries

dash.register_page(__name__, path="/explorer", name="explorer", order=1)


def layout(**_query) -> html.Div:
    return html.Div(
        [
            html.Div(id=ids.EXPLORER_NOTE, className="text-muted small mb-1"),
            dbc.Row(
                [
                    dbc.Col(
                        dag.AgGrid(
                            id=ids.GRID,
                            rowData=[],
                            columnDefs=[],
                            defaultColDef={
                                "sortable": True,
                                "filter": True,
                                "resizable": True,
                                "wrapText": True,
                                "autoHeight": True,
                            },
                            dashGridOptions={
                                "rowSelection": {"mode": "singleRow"},
                                "animateRows": False,
                                "pagination": True,
                                "paginationPageSize": 50,
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


def column_defs(lang: str) -> list[dict]:
    return [
        {"field": "path", "headerName": t("col_path", lang), "flex": 4, "tooltipField": "path"},
        {"field": "headline", "headerName": t("col_headline", lang), "flex": 3},
        {"field": "category_label", "headerName": t("col_category", lang), "width": 90},
        {"field": "status_label", "headerName": t("col_status", lang), "width": 100},
        {"field": "departments", "headerName": t("col_departments", lang), "flex": 2},
        {"field": "figures", "headerName": t("col_figures", lang), "flex": 2},
    ]


def rows_for(frame, lang: str) -> list[dict]:
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
            }
        )
    return rows


ROW_LIMIT = 1000


@callback(
    Output(ids.GRID, "rowData"),
    Output(ids.GRID, "columnDefs"),
    Output(ids.EXPLORER_NOTE, "children"),
    Input(ids.URL, "search"),
    Input(ids.LANG, "data"),
)
def render_grid(search, lang):
    lang = lang or "zh"
    with data.cursor() as con:
        if con is None:
            return [], column_defs(lang), None
        frame = queries.explorer_measures(con, from_search(search), limit=ROW_LIMIT)
    note = t("explorer_limited", lang).format(n=ROW_LIMIT) if len(frame) >= ROW_LIMIT else None
    return rows_for(frame, lang), column_defs(lang), note


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
