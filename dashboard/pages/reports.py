"""通报 Reports: what is loaded in the warehouse, a page at a time, searched on the server;
each report with its file name, load time, counts, and a 待核查 mark where the parse warned."""

from __future__ import annotations

import dash
from dash import Input, Output, callback, dcc, html

from dashboard import ids
from dashboard.components import (
    empty_warehouse,
    list_place,
    report_list_controls,
    report_list_page,
    reports_table,
)
from views.i18n import t

dash.register_page(__name__, path="/reports", name="reports", order=4)


def layout(lang: str | None = None, **_query) -> html.Div:
    lang = lang or "zh"
    return html.Div(
        [
            html.H2(t("reports_heading", lang), id=ids.REPORTS_HEADING),
            report_list_controls(ids.REPORTS_SEARCH, ids.REPORTS_PAGER, ids.REPORTS_PLACE, lang),
            dcc.Loading(html.Div(id=ids.REPORTS_BODY), type="circle", delay_show=150),
        ]
    )


@callback(
    Output(ids.REPORTS_BODY, "children"),
    Output(ids.REPORTS_PAGER, "max_value"),
    Output(ids.REPORTS_PAGER, "active_page"),
    Output(ids.REPORTS_PLACE, "children"),
    Output(ids.REPORTS_HEADING, "children"),
    Output(ids.REPORTS_SEARCH, "placeholder"),
    Input(ids.REPORTS_SEARCH, "value"),
    Input(ids.REPORTS_PAGER, "active_page"),
    Input(ids.LANG, "data"),
)
def render(search, active_page, lang):
    """One page of the reports; a new search starts again at its first page."""
    lang = lang or "zh"
    labels = (t("reports_heading", lang), t("reports_search", lang))
    page = report_list_page(ids.REPORTS_SEARCH, search, active_page, lang)
    if page is None:
        return empty_warehouse(lang), 1, 1, "", *labels
    return reports_table(page, lang), page.pages, page.page, list_place(page, lang), *labels
