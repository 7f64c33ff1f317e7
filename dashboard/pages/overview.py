"""总览 Overview: the leaders' page. KPI tiles, completion by category, status, departments."""

from __future__ import annotations

from datetime import date

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, callback, html

from dashboard import data, figures, ids
from dashboard.components import chart, deadline_tiles, empty_warehouse, kpi_tiles
from dashboard.filters import from_query, from_search, to_search, toggle
from dashboard.i18n import t
from dashboard.summaries import deadline_counts, kpis
from dashboard.theme import format_number
from warehouse import queries
from warehouse.queries import Filters

dash.register_page(__name__, path="/", name="overview", order=0)

EMPTY = pd.DataFrame({"category": [], "status": [], "n": []})


def layout(lang: str | None = None, **query) -> html.Div:
    """The page drawn in full on the server, in the request that brings it: the first
    layout when a visitor arrives here (dashboard/arrival.py), or Dash's routing when they
    come from another page. Either way the figures need no further round trip. `lang` comes
    from the language cookie or with the routing (`routing_callback_inputs`)."""
    lang = lang or "zh"
    kpi_row, completion, status, heatmap, timeline_box, stated, deadlines = overview_parts(
        from_query(query), lang, "items"
    )
    return html.Div(
        [
            dbc.Row(kpi_row, id=ids.KPI_ROW, className="g-2 mb-2"),
            html.Div(deadlines, id=ids.DEADLINES),
            dbc.RadioItems(
                id=ids.UNIT_SWITCH,
                options=unit_options(lang),
                value="items",
                inline=True,
                className="mb-2",
            ),
            dbc.Row(
                [
                    dbc.Col(chart(ids.CHART_COMPLETION, completion), lg=8),
                    dbc.Col(chart(ids.CHART_STATUS, status), lg=4),
                ]
            ),
            dbc.Row(
                [
                    dbc.Col(chart(ids.CHART_HEATMAP, heatmap), lg=7),
                    dbc.Col(
                        [
                            html.Div(timeline_box, id=ids.TIMELINE_BOX),
                            html.Div(stated, id=ids.STATED_TOTALS),
                        ],
                        lg=5,
                    ),
                ]
            ),
        ],
        id=ids.OVERVIEW_BODY,
    )


def stated_vs_counted(header: dict | None, k: dict, completion, totals, lang: str):
    if not header:
        return None
    by_code = dict(zip(totals["code"], totals["total"], strict=True))
    counted_status = completion.groupby("status")["n"].sum() if not completion.empty else {}
    rows = [
        ("stated_problems", header.get("stated_problems"), k["items"]),
        ("stated_completed", header.get("stated_completed"), k["items_completed"]),
        (
            "stated_in_progress",
            header.get("stated_in_progress"),
            int(counted_status.get("in_progress", 0)) if len(counted_status) else 0,
        ),
        ("stated_rules_made", header.get("stated_rules_made"), by_code.get("rules_revised")),
        ("stated_funds", header.get("stated_funds_recovered_yuan"), by_code.get("funds_recovered")),
    ]
    rows = [r for r in rows if r[1] is not None]
    if not rows:
        return html.P(t("stated_none", lang), className="text-muted", id="stated-none")
    body = []
    for key, stated, counted in rows:
        mismatch = counted is None or abs(float(stated) - float(counted or 0)) > 1e-6
        flag = dbc.Badge(t("stated_mismatch", lang), color="danger") if mismatch else ""
        body.append(
            html.Tr(
                [
                    html.Td(t(key, lang)),
                    html.Td(format_number(stated, lang)),
                    html.Td(format_number(counted, lang)),
                    html.Td(flag),
                ]
            )
        )
    head = html.Thead(
        html.Tr(
            [
                html.Th(t("stated_heading", lang)),
                html.Th(t("stated_col_stated", lang)),
                html.Th(t("stated_col_counted", lang)),
                html.Th(""),
            ]
        )
    )
    return dbc.Table([head, html.Tbody(body)], size="sm", bordered=True, id="stated-table")


def unit_options(lang: str) -> list[dict]:
    return [
        {"label": t("unit_items", lang), "value": "items"},
        {"label": t("unit_measures", lang), "value": "measures"},
    ]


def overview_parts(f: Filters, lang: str, unit: str) -> tuple:
    """Everything the page shows under the filters: KPI tiles, the three charts, the
    timeline, stated totals beside counted ones, and deadline warnings."""
    with data.cursor() as con:
        if con is None:
            empty = figures.completion_by_category(EMPTY, lang)
            return [empty_warehouse(lang)], empty, empty, empty, None, None, None
        by_item = queries.completion(con, f, "items")
        by_measure = queries.completion(con, f, "measures")
        totals = queries.filtered_indicator_totals(con, f)
        heat = queries.department_category(con, f)
        header = queries.report_header(con, f.report) if f.report else None
        # Only ledgers give deadlines; most warehouses have none, and asking is cheaper.
        deadlines = (
            queries.deadline_measures(con, f, date.today())
            if queries.has_deadlines(con, f)
            else None
        )
    completion = by_measure if unit == "measures" else by_item
    k = kpis(by_item, by_measure)
    return (
        kpi_tiles(k, totals, lang),
        figures.completion_by_category(completion, lang),
        figures.status_doughnut(completion, lang),
        figures.department_heatmap(heat, lang),
        timeline(header, lang),
        stated_vs_counted(header, k, by_item, totals, lang),
        # Deadline warnings only where ledgers give deadlines.
        None
        if deadlines is None or deadlines.empty
        else deadline_tiles(deadline_counts(deadlines), lang),
    )


@callback(
    Output(ids.KPI_ROW, "children"),
    Output(ids.CHART_COMPLETION, "figure"),
    Output(ids.CHART_STATUS, "figure"),
    Output(ids.CHART_HEATMAP, "figure"),
    Output(ids.TIMELINE_BOX, "children"),
    Output(ids.STATED_TOTALS, "children"),
    Output(ids.DEADLINES, "children"),
    Output(ids.UNIT_SWITCH, "options"),
    Input(ids.URL, "search"),
    Input(ids.LANG, "data"),
    Input(ids.UNIT_SWITCH, "value"),
    prevent_initial_call=True,
)
def redraw_overview(search, lang, unit):
    """A filter, a chart click, the language or the items/measures switch; not on arrival,
    when the layout has drawn the page already."""
    lang = lang or "zh"
    return (*overview_parts(from_search(search), lang, unit), unit_options(lang))


def timeline(header: dict | None, lang: str):
    """One report's milestones; across reports there is no one timeline, so a hint instead of
    an empty chart (which the browser would still have to draw)."""
    if not header:
        return html.P(
            t("pick_report_for_timeline", lang), className="text-muted mt-3", id="timeline-hint"
        )
    return chart(ids.CHART_TIMELINE, figures.milestones(header, lang))


@callback(
    Output(ids.URL, "search", allow_duplicate=True),
    Input(ids.CHART_COMPLETION, "clickData"),
    Input(ids.CHART_STATUS, "clickData"),
    Input(ids.CHART_HEATMAP, "clickData"),
    State(ids.URL, "search"),
    prevent_initial_call=True,
)
def cross_filter(bar, slice_, cell, search):
    """A click on a bar, a slice or a cell filters every view; the same click again clears it."""
    f = from_search(search)
    trigger = dash.ctx.triggered_id
    point = {ids.CHART_COMPLETION: bar, ids.CHART_STATUS: slice_, ids.CHART_HEATMAP: cell}[trigger]
    if not point or not point.get("points"):
        return dash.no_update
    custom = point["points"][0].get("customdata")
    if trigger == ids.CHART_COMPLETION:
        f = toggle(f, category=custom[0], status=custom[1])
    elif trigger == ids.CHART_STATUS:
        f = toggle(f, status=custom if isinstance(custom, str) else custom[0])
    else:
        f = toggle(f, department=custom[0], category=custom[1])
    return to_search(f)
