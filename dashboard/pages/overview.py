"""总览 Overview: the leaders' page. KPI tiles, completion by category, status, departments."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, callback, dcc, html

from dashboard import data, ids
from dashboard.components import (
    chart,
    deadline_tiles,
    empty_warehouse,
    has_data,
    headline_tiles,
    indicator_tiles,
    stated_check,
)
from views import figures
from views.doubts import doubt_reasons, doubt_summary
from views.i18n import t
from views.overview import Overview, gather_overview
from views.review import report_reviewed, unreviewed
from views.stated import stated_label
from views.summaries import deadline_counts, headline_split
from views.theme import format_number
from views.vocabulary import category_from_label
from warehouse.filters import Filters

dash.register_page(__name__, path="/", name="overview", order=0)

EMPTY = pd.DataFrame({"category": [], "status": [], "n": []})


def layout(lang: str | None = None, **query) -> html.Div:
    """The page drawn in full on the server, in the request that brings it: the first
    layout when a visitor arrives here (dashboard/arrival.py), or Dash's routing when they
    come from another page. Either way the figures need no further round trip. `lang` comes
    from the language cookie or with the routing (`routing_callback_inputs`).

    Its story, top to bottom: the completion rate with items and measures completed, then
    completion by category (at 1366×768 without scrolling), the headline indicators with the
    rest one click away, deadlines where ledgers give them, then departments and milestones."""
    lang = lang or "zh"
    kpi_row, completion, status, heatmap, timeline_box, stated, deadlines, indicators = (
        overview_parts(Filters.from_query(query), lang, "items")
    )
    return html.Div(
        [
            dbc.Row(kpi_row, id=ids.KPI_ROW, className="g-2 mb-1"),
            html.Div(
                [
                    dbc.RadioItems(
                        id=ids.UNIT_SWITCH,
                        options=unit_options(lang),
                        value="items",
                        inline=True,
                        className="unit-switch",
                    ),
                    html.Div(
                        review_line(Filters.from_query(query), lang),
                        id=ids.OVERVIEW_REVIEW,
                        className="overview-review small",
                    ),
                ],
                className="d-flex flex-wrap justify-content-between align-items-center",
            ),
            dbc.Row(
                [
                    dbc.Col(chart(ids.CHART_COMPLETION, completion), lg=8),
                    dbc.Col(chart(ids.CHART_STATUS, status), lg=4),
                ],
                className="g-2",
            ),
            html.Div(indicators, id=ids.INDICATOR_TILES),
            html.Div(deadlines, id=ids.DEADLINES),
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
                ],
                className="g-2",
            ),
        ],
        id=ids.OVERVIEW_BODY,
    )


def indicator_block(indicators, lang: str):
    """The headline indicators as tiles, the others behind one click (a <details>)."""
    headline, rest = headline_split(indicators)
    if headline.empty and rest.empty:
        return None
    if headline.empty:  # nothing chosen has figures here: the first few stand in
        headline, rest = rest.head(4), rest.iloc[4:]
    parts = [dbc.Row(indicator_tiles(headline, lang), className="g-2")]
    if not rest.empty:
        parts.append(
            html.Details(
                [
                    html.Summary(
                        t("more_indicators", lang).format(n=len(rest)), id="more-indicators"
                    ),
                    dbc.Row(indicator_tiles(rest, lang), className="g-2 mt-1"),
                ],
                className="more-indicators",
            )
        )
    return html.Div(parts, className="mt-2 mb-2")


def stated_vs_counted(o: Overview, lang: str):
    """The one report's stated totals beside the counts (views/stated.py), mismatches flagged."""
    if not o.header:
        return None
    if not o.stated:
        return html.P(t("stated_none", lang), className="text-muted", id="stated-none")
    body = []
    for row in o.stated:
        body.append(
            html.Tr(
                [
                    html.Td(t(stated_label(row.key), lang)),
                    html.Td(format_number(row.stated, lang)),
                    html.Td(format_number(row.counted, lang)),
                    html.Td(stated_check(row.mismatch, lang)),
                ]
            )
        )
    head = html.Thead(
        html.Tr(
            [
                html.Th(t("stated_heading", lang)),
                html.Th(t("stated_col_stated", lang)),
                html.Th(t("stated_col_counted", lang)),
                html.Th(t("stated_col_check", lang)),
            ]
        )
    )
    table = dbc.Table([head, html.Tbody(body)], size="sm", bordered=True, id="stated-table")
    if o.filters == Filters(report=o.filters.report):
        return table
    # Under other filters too, the report's totals are still set beside the whole report.
    note = html.P(t("stated_whole_report", lang), className="small text-muted mb-1")
    return html.Div([table, note])


def unit_options(lang: str) -> list[dict]:
    return [
        {"label": t("unit_items", lang), "value": "items"},
        {"label": t("unit_measures", lang), "value": "measures"},
    ]


def overview_parts(f: Filters, lang: str, unit: str) -> tuple:
    """Everything the page shows under the filters: headline tiles, the three charts, the
    timeline, stated totals beside counted ones, deadline warnings, indicator tiles, and the
    待核查 mark of a report whose parse warned."""
    with data.cursor() as con:
        if con is None:
            empty = figures.completion_by_category(EMPTY, lang)
            return [empty_warehouse(lang)], empty, empty, empty, None, None, None, None
        o = gather_overview(con, f, context=True)
    # A cross-filter highlights its pick among the rest (the tiles count the pick alone); the
    # rate is one number, in the unit chosen, on the tile, the doughnut and the bars alike.
    return (
        headline_tiles(
            o.kpis,
            lang,
            rate=o.rate(unit),
            unit=unit,
            review=(doubt_summary(o.doubts, lang), doubt_reasons(o.doubts, lang)),
            status_filtered=f.status is not None,
            reviewed=report_reviewed(data.log(), f.report, lang) if f.report else None,
        ),
        figures.completion_by_category(
            o.completion_context(unit),
            lang,
            picked=(f.category, f.status),
            unit=unit,
            empty=figures.empty_message(f, f"none_{unit}"),
        ),
        figures.status_doughnut(
            o.status_context(unit),
            lang,
            picked=f.status,
            unit=unit,
            empty=figures.empty_message(f, f"none_{unit}"),
        ),
        figures.department_heatmap(
            o.heat if o.heat_context is None else o.heat_context,
            lang,
            picked=(f.department, f.category),
            empty=figures.empty_message(f, "none_departments"),
        ),
        timeline(o.header, lang),
        stated_vs_counted(o, lang),
        # Deadline warnings only where ledgers give deadlines.
        None if o.deadlines.empty else deadline_tiles(deadline_counts(o.deadlines), lang),
        indicator_block(o.indicators, lang),
    )


@callback(
    Output(ids.KPI_ROW, "children"),
    Output(ids.CHART_COMPLETION, "figure"),
    Output(ids.CHART_STATUS, "figure"),
    Output(ids.CHART_HEATMAP, "figure"),
    Output(ids.TIMELINE_BOX, "children"),
    Output(ids.STATED_TOTALS, "children"),
    Output(ids.DEADLINES, "children"),
    Output(ids.INDICATOR_TILES, "children"),
    Output(ids.UNIT_SWITCH, "options"),
    Output(ids.OVERVIEW_REVIEW, "children"),
    Input(ids.URL, "search"),
    Input(ids.LANG, "data"),
    Input(ids.UNIT_SWITCH, "value"),
    prevent_initial_call=True,
)
def redraw_overview(search, lang, unit):
    """A filter, a chart click, the language or the items/measures switch; not on arrival,
    when the layout has drawn the page already."""
    lang = lang or "zh"
    f = Filters.from_search(search)
    return (*overview_parts(f, lang, unit), unit_options(lang), review_line(f, lang))


def review_line(f: Filters, lang: str):
    """How many entries of the 待核查 list under the filters are not yet reviewed, and how
    many figures they hold, with a link to the list; nothing when none is left."""
    with data.cursor() as con:
        if con is None:
            return None
        counts = unreviewed(con, data.log(), f)
    if not counts.open:
        return None
    text = t("overview_unreviewed", lang).format(
        n=format_number(counts.open, lang), m=format_number(counts.open_figures, lang)
    )
    return [
        html.Span("⚠ " + text, id="unreviewed-count"),
        " ",
        dcc.Link(t("overview_review_link", lang), href="/review" + f.to_search()),
    ]


def timeline(header: dict | None, lang: str):
    """One report's milestones; across reports there is no one timeline, so a hint instead of
    an empty chart (which the browser would still have to draw). A report that gives none of
    its dates (a 整改台账 mostly) has no time line at all: nothing, not an empty box."""
    if not header:
        return html.P(
            t("pick_report_for_timeline", lang), className="text-muted mt-3", id="timeline-hint"
        )
    figure = figures.milestones(header, lang)
    return chart(ids.CHART_TIMELINE, figure) if has_data(figure) else None


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
    f = Filters.from_search(search)
    trigger = dash.ctx.triggered_id
    point = {ids.CHART_COMPLETION: bar, ids.CHART_STATUS: slice_, ids.CHART_HEATMAP: cell}.get(
        trigger
    )
    if not point or not point.get("points"):
        return dash.no_update
    changes = clicked(trigger, point["points"][0])
    if not changes or not all(changes.values()):
        return dash.no_update
    return f.toggle(**changes).to_search()


def clicked(chart_id: str, point: dict) -> dict | None:
    """The filters a clicked point stands for: a bar its category and status, a slice its
    status, a heatmap cell its department and category. Plotly hands a heatmap cell's x and
    y (its labels) without its customdata, so the category is read back from its label."""
    custom = point.get("customdata")
    if chart_id == ids.CHART_COMPLETION and isinstance(custom, list) and len(custom) >= 2:
        return {"category": custom[0], "status": custom[1]}
    if chart_id == ids.CHART_STATUS:
        return {"status": custom if isinstance(custom, str) else (custom or [None])[0]}
    if chart_id == ids.CHART_HEATMAP:
        if isinstance(custom, list) and len(custom) >= 2:
            return {"department": custom[0], "category": custom[1]}
        return {"department": point.get("y"), "category": category_from_label(point.get("x"))}
    return None
