"""通报 Reports: what is loaded in the warehouse, a page at a time, searched on the server;
each report with its file name, load time, counts, and a 待核查 mark where the parse warned."""

from __future__ import annotations

import dash
from dash import Input, Output, callback, dcc, html

from dashboard import ids
from dashboard.components import (
    asked_page,
    empty_warehouse,
    list_place,
    report_list_controls,
    report_list_page,
    reports_table,
)
from views.i18n import t

dash.register_page(__name__, path="/reports", name="reports", order=4)


def layout(lang: str | None = None, **_query) -> html.Div:
    """Drawn with its first page of reports, in the request that brings it."""
    lang = lang or "zh"
    page = report_list_page(None, 1, lang)
    return html.Div(
        [
            html.H2(t("reports_heading", lang), id=ids.REPORTS_HEADING),
            report_list_controls(
                ids.REPORTS_SEARCH, ids.REPORTS_PAGER, ids.REPORTS_PLACE, lang, page
            ),
            dcc.Loading(
                html.Div(
                    reports_table(page, lang) if page else empty_warehouse(lang),
                    id=ids.REPORTS_BODY,
                ),
                type="circle",
                delay_show=150,
            ),
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
    prevent_initial_call=True,  # the layout comes with the first page
)
def render(search, active_page, lang):
    """One page of the reports; a new search starts again at its first page."""
    return drawn(search, asked_page(ids.REPORTS_SEARCH, active_page), lang or "zh")


def drawn(search: str | None, page_asked: int | None, lang: str) -> tuple:
    """(table, pages, page, place, heading, search placeholder) of one page of the reports."""
    labels = (t("reports_heading", lang), t("reports_search", lang))
    page = report_list_page(search, page_asked, lang)
    if page is None:
        return empty_warehouse(lang), 1, 1, "", *labels
    return reports_table(page, lang), page.pages, page.page, list_place(page, lang), *labels
