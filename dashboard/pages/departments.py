"""部门 Departments: completion, counts and categories per responsible department."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, callback, html

from dashboard import data, ids
from dashboard.components import chart, empty_warehouse, no_data
from views import figures
from views.i18n import t
from views.summaries import department_summary
from views.theme import format_percent
from views.vocabulary import status_label, statuses
from warehouse import queries
from warehouse.filters import Filters

dash.register_page(__name__, path="/departments", name="departments", order=3)

_EMPTY = department_summary(pd.DataFrame({"department": [], "status": [], "n": []}))
_ITEMS_HEAD = ("col_items", "col_rate_items", "col_measures")


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
        f = Filters.from_search(search)
        summary = department_summary(
            queries.department_status(con, f), queries.department_status(con, f, "items")
        )
    if summary.empty:
        missing = figures.empty_message(f, "none_departments")
        return (
            figures.department_completion(summary, lang, empty=missing),
            no_data(lang, missing),
        )
    shown = [s for s in statuses() if summary[s].sum() > 0]
    # Both levels, each named: items (具体问题, by the department's own measures: what the
    # overview's rate under that department's filter counts) and measures.
    head = html.Thead(
        html.Tr(
            [html.Th(t("col_department", lang))]
            + [html.Th(t(k, lang)) for k in _ITEMS_HEAD]
            + [html.Th(status_label(s, lang)) for s in shown]
            + [html.Th(t("col_rate_measures", lang))]
        )
    )
    rows = [
        html.Tr(
            [
                html.Td(r["department"]),
                html.Td(r["items"]),
                html.Td(format_percent(r["item_completion_rate"])),
                html.Td(r["measures"]),
            ]
            + [html.Td(r[s]) for s in shown]
            + [html.Td(format_percent(r["completion_rate"]))]
        )
        for r in summary.to_dict("records")
    ]
    return figures.department_completion(summary, lang), html.Div(
        [
            dbc.Table([head, html.Tbody(rows)], size="sm", striped=True, id="departments-table"),
            html.P(t("dept_levels_note", lang), className="small text-muted"),
        ]
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
    department, status = click["points"][0]["customdata"][:2]
    return Filters.from_search(search).toggle(department=department, status=status).to_search()
