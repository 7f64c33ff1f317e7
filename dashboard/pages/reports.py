"""通报 Reports: what is loaded in the warehouse."""

from __future__ import annotations

import dash
from dash import Input, Output, callback, html

from dashboard import data, ids
from dashboard.components import empty_warehouse, reports_table
from views.i18n import t
from warehouse.queries import list_reports

dash.register_page(__name__, path="/reports", name="reports", order=4)


def layout(**_query) -> html.Div:
    return html.Div(id=ids.REPORTS_BODY)


@callback(Output(ids.REPORTS_BODY, "children"), Input(ids.LANG, "data"))
def render(lang):
    lang = lang or "zh"
    with data.cursor() as con:
        if con is None:
            return empty_warehouse(lang)
        frame = list_reports(con)
    if frame.empty:
        return empty_warehouse(lang)
    return html.Div([html.H2(t("reports_heading", lang)), reports_table(frame, lang)])
