"""会议模式 Meeting mode: one chart per screen, large type, ←/→ and PageUp/PageDown to move."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html

from dashboard import data, ids
from dashboard.components import deadline_tiles, empty_warehouse, kpi_tiles
from views import figures
from views.i18n import t
from views.overview import gather_overview
from views.summaries import deadline_counts
from views.theme import GRAPH_CONFIG
from warehouse.filters import Filters

dash.register_page(__name__, path="/meeting", name="meeting", order=9)

SLIDES = ("kpis", "completion", "status", "heatmap", "departments")


def layout(**_query) -> html.Div:
    # The hidden buttons are what assets/meeting.js presses for arrow keys and clickers.
    return html.Div(
        [
            dcc.Store(id=ids.MEETING_INDEX, data=0),
            html.Div(id=ids.MEETING_SLIDE, className="meeting-slide"),
            html.Div(
                [
                    dbc.Button(
                        id=ids.MEETING_PREV,
                        n_clicks=0,
                        color="secondary",
                        outline=True,
                        className="me-2",
                    ),
                    dbc.Button(
                        id=ids.MEETING_NEXT,
                        n_clicks=0,
                        color="secondary",
                        outline=True,
                        className="me-3",
                    ),
                    html.Span(id=ids.MEETING_HINT, className="text-muted me-3"),
                    dcc.Link(id=ids.MEETING_EXIT, href="/"),
                ],
                className="meeting-controls",
            ),
        ],
        className="meeting",
    )


@callback(
    Output(ids.MEETING_INDEX, "data"),
    Input(ids.MEETING_PREV, "n_clicks"),
    Input(ids.MEETING_NEXT, "n_clicks"),
    State(ids.MEETING_INDEX, "data"),
    prevent_initial_call=True,
)
def move(_prev, _next, index):
    step = -1 if dash.ctx.triggered_id == ids.MEETING_PREV else 1
    return ((index or 0) + step) % len(SLIDES)


@callback(
    Output(ids.MEETING_SLIDE, "children"),
    Output(ids.MEETING_PREV, "children"),
    Output(ids.MEETING_NEXT, "children"),
    Output(ids.MEETING_HINT, "children"),
    Output(ids.MEETING_EXIT, "children"),
    Output(ids.MEETING_EXIT, "href"),
    Input(ids.MEETING_INDEX, "data"),
    Input(ids.URL, "search"),
    Input(ids.LANG, "data"),
)
def render(index, search, lang):
    lang, f = lang or "zh", Filters.from_search(search)
    slide = SLIDES[(index or 0) % len(SLIDES)]
    chrome = (
        t("prev", lang),
        t("next", lang),
        f"{(index or 0) + 1}/{len(SLIDES)} · {t('meeting_hint', lang)}",
        t("meeting_exit", lang),
        "/" + (search or ""),
    )
    with data.cursor() as con:
        if con is None:
            return (empty_warehouse(lang), *chrome)
        o = gather_overview(con, f, departments=slide == "departments")
    if slide == "kpis":
        body = dbc.Row(
            kpi_tiles(o.kpis, o.indicators, lang), className="g-3 meeting-kpis", id="meeting-kpis"
        )
        # Where ledgers give deadlines, what is overdue belongs on the first screen too.
        if not o.deadlines.empty:
            body = html.Div([body, deadline_tiles(deadline_counts(o.deadlines), lang)])
        return (body, *chrome)
    if slide in ("completion", "status"):
        chart_of = (
            figures.completion_by_category if slide == "completion" else figures.status_doughnut
        )
        fig = chart_of(o.completion_items, lang, big=True)
    elif slide == "heatmap":
        fig = figures.department_heatmap(o.heat, lang, big=True)
    else:
        fig = figures.department_completion(o.departments, lang, big=True)
    graph = dcc.Graph(
        figure=fig, config=GRAPH_CONFIG, style={"height": "80vh"}, id=f"meeting-{slide}"
    )
    return (graph, *chrome)
