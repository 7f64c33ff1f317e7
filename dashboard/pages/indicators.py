"""指标 Indicators: each key indicator's total, and the sentences that make it up."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import ALL, Input, Output, callback, ctx, dcc, html

from dashboard import data, ids
from dashboard.components import empty_warehouse, highlighted, no_data, text_or
from views import figures
from views.i18n import indicator_name, t, unit_label
from views.summaries import headline_split, shared_note
from views.theme import format_number, format_quantity
from warehouse import queries
from warehouse.filters import Filters

dash.register_page(__name__, path="/indicators", name="indicators", order=2)


def layout(**_query) -> html.Div:
    return html.Div(
        [
            dcc.Store(id=ids.INDICATOR_PICK),
            dbc.Row(
                [
                    dbc.Col(html.Div(id=ids.INDICATOR_LIST), lg=5),
                    dbc.Col(html.Div(id=ids.INDICATOR_SOURCES), lg=7),
                ]
            ),
        ]
    )


@callback(
    Output(ids.INDICATOR_LIST, "children"),
    Input(ids.URL, "search"),
    Input(ids.LANG, "data"),
)
def render_list(search, lang):
    lang = lang or "zh"
    with data.cursor() as con:
        if con is None:
            return empty_warehouse(lang)
        f = Filters.from_search(search)
        totals = queries.filtered_indicator_totals(con, f)
    # The headline indicators first, then the catalogue's order: the same places every time.
    totals = pd.concat(headline_split(totals))
    if totals.empty:
        return no_data(lang, figures.empty_message(f, "none_indicators"))
    items = [
        dbc.ListGroupItem(
            [
                html.Span(indicator_name(row, lang), className="me-auto"),
                html.Span(
                    [
                        html.Strong(
                            format_quantity(
                                row["total"] if row["n_metrics"] else 0,
                                unit_label(row["unit"], lang),
                                lang,
                                row.get("qualifier"),
                            )
                        ),
                        html.Div(shared_note(row, lang), className="small text-muted"),
                    ],
                    className="text-end",
                ),
            ],
            id={"type": "indicator", "code": row["code"]},
            action=True,
            n_clicks=0,
            className="d-flex justify-content-between",
        )
        for _, row in totals.iterrows()
    ]
    return dbc.ListGroup(items)


@callback(
    Output(ids.INDICATOR_PICK, "data"),
    Input({"type": "indicator", "code": ALL}, "n_clicks"),
    prevent_initial_call=True,
)
def pick(clicks):
    if not any(clicks or []):
        return dash.no_update
    return ctx.triggered_id["code"]


@callback(
    Output(ids.INDICATOR_SOURCES, "children"),
    Input(ids.INDICATOR_PICK, "data"),
    Input(ids.URL, "search"),
    Input(ids.LANG, "data"),
)
def render_sources(code, search, lang):
    lang = lang or "zh"
    if not code:
        return html.P(t("indicator_pick", lang), className="text-muted")
    with data.cursor() as con:
        if con is None:
            return empty_warehouse(lang)
        rows = queries.indicator_sources(con, Filters.from_search(search), code)
    if rows.empty:
        return no_data(lang)
    body = []
    for r in rows.itertuples():
        start = int(r.start_offset) - int(r.measure_start)
        span = (start, start + int(r.end_offset) - int(r.start_offset))
        shared = (
            [
                " ",
                dbc.Badge(
                    t("indicator_shared_badge", lang),
                    color="secondary",
                    title=t("indicator_shared_with", lang).format(owners=r.owners),
                    className="shared-figure",
                ),
            ]
            if r.shared
            else []
        )
        body.append(
            html.Tr(
                [
                    html.Td([format_number(r.value, lang), *shared]),
                    html.Td(highlighted(r.measure_text, [span]), className="source-text small"),
                    html.Td(
                        text_or(r.report_title)
                        + " › "
                        + text_or(r.path, t("figure_outside_measures", lang)),
                        className="small text-muted",
                    ),
                ]
            )
        )
    head = html.Thead(
        html.Tr(
            [
                html.Th(t("col_total", lang)),
                html.Th(t("col_sentence", lang)),
                html.Th(t("col_report", lang)),
            ]
        )
    )
    return html.Div(
        [
            html.H5(t("indicator_sources_title", lang)),
            dbc.Table(
                [head, html.Tbody(body)], size="sm", striped=True, id="indicator-sources-table"
            ),
        ]
    )
