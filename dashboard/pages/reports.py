"""通报 Reports: what is loaded in the warehouse."""

from __future__ import annotations

import dash
import pandas as pd
from dash import Input, Output, callback, html

from dashboard import data, ids
from dashboard.components import empty_warehouse
from dashboard.i18n import t
from warehouse.queries import list_reports

dash.register_page(__name__, path="/reports", name="reports", order=4)


def layout(**_query) -> html.Div:
    return html.Div(id=ids.REPORTS_BODY)


def _text(value, fallback: str = "") -> str:
    return value if isinstance(value, str) and value else fallback


def _date(value) -> str:
    """ISO date of a pandas value, or blank when the report gives none."""
    return "" if pd.isna(value) else str(value)[:10]


def reports_table(frame, lang: str = "zh") -> html.Table:
    keys = (
        "col_title",
        "col_unit",
        "col_kind",
        "col_published",
        "col_items",
        "col_measures",
        "col_metrics",
    )
    head = html.Thead(html.Tr([html.Th(t(k, lang)) for k in keys]))
    rows = [
        html.Tr(
            [
                html.Td(_text(r.title, _text(r.file_name, t("untitled", lang)))),
                html.Td(_text(r.inspected_unit)),
                html.Td(_text(r.inspection_kind)),
                html.Td(_date(r.publish_date)),
                html.Td(int(r.n_items)),
                html.Td(int(r.n_measures)),
                html.Td(int(r.n_metrics)),
            ],
            id=f"report-{r.report_id}",
        )
        for r in frame.itertuples()
    ]
    return html.Table(
        [head, html.Tbody(rows)], className="table table-sm table-striped", id="reports-table"
    )


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
