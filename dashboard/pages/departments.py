"""部门 Departments: completion, counts and categories per responsible department."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, callback, html

from dashboard import data, figures, ids
from dashboard.components import chart, empty_warehouse, no_data
from dashboard.filters import from_search, to_search, toggle
from dashboard.i18n import t
from dashboard.theme import format_percent
from warehouse import queries

dash.register_page(__name__, path="/departments", name="departments", order=3)

_EMPTY = pd.DataFrame(
    {
        k: []
        for k in ("department", "measures", "completed", "in_progress", "ongoing", "not_started")
    }
)


def layout(**_query) -> html.Div:
    return html.Div([chart(ids.CHART_DEPT), html.Div(id=ids.DEPT_BODY)])


@callback(
    Output(ids.CHART_DEPT, "figure"),
    Output(ids.DEPT_BODY, "children"),
    Input(ids.URL, "search"),
    Input(ids.LANG, "data"),
)
def render(search, lang):
    lang = lang or "zh"
    with data.cursor() as con:
        if con is None:
            return figures.department_completion(_EMPTY, lang), empty_warehouse(lang)
        summary = queries.department_summary(con, from_search(search))
    if summary.empty:
        return figures.department_completion(summary, lang), no_data(lang)
    head = html.Thead(
        html.Tr(
            [
                html.Th(t(k, lang))
                for k in (
                    "col_department",
                    "col_measures",
                    "status_completed",
                    "status_in_progress",
                    "status_ongoing",
                    "col_rate",
                )
            ]
        )
    )
    rows = [
        html.Tr(
            [
                html.Td(r.department),
                html.Td(r.measures),
                html.Td(r.completed),
                html.Td(r.in_progress),
                html.Td(r.ongoing),
                html.Td(format_percent(r.completion_rate)),
            ]
        )
        for r in summary.itertuples()
    ]
    return figures.department_completion(summary, lang), dbc.Table(
        [head, html.Tbody(rows)], size="sm", striped=True, id="departments-table"
    )


@callback(
    Output(ids.URL, "search", allow_duplicate=True),
    Input(ids.CHART_DEPT, "clickData"),
    State(ids.URL, "search"),
    prevent_initial_call=True,
)
def filter_by_department(click, search):
    if not click or not click.get("points"):
        return dash.no_update
    department, status = click["points"][0]["customdata"]
    return to_search(toggle(from_search(search), department=department, status=status))
