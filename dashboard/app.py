"""The Dash application: until the full dashboard lands, one page listing the loaded reports."""

from __future__ import annotations

from pathlib import Path

import dash
import pandas as pd
from dash import html

from dashboard.i18n import t
from warehouse.db import ReadOnlyWarehouse
from warehouse.queries import list_reports

ASSETS = Path(__file__).resolve().parent.parent / "assets"


def _text(value, fallback: str = "") -> str:
    return value if isinstance(value, str) and value else fallback


def _date(value) -> str:
    """ISO date of a pandas value, or blank when the report gives none."""
    return "" if pd.isna(value) else str(value)[:10]


def reports_table(frame, lang: str = "zh") -> html.Table:
    head = html.Thead(
        html.Tr(
            [
                html.Th(t(k, lang))
                for k in (
                    "col_title",
                    "col_unit",
                    "col_kind",
                    "col_published",
                    "col_items",
                    "col_measures",
                    "col_metrics",
                )
            ]
        )
    )
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


def empty_page(lang: str = "zh") -> html.Div:
    return html.Div(
        [
            html.H2(t("empty_title", lang)),
            html.P(t("empty_body", lang)),
            html.Pre(t("empty_command", lang)),
        ],
        className="rectify-empty",
        id="empty-warehouse",
    )


def create_app(db_path: Path | str) -> dash.Dash:
    warehouse = ReadOnlyWarehouse(db_path)
    app = dash.Dash(
        __name__,
        assets_folder=str(ASSETS),
        title=t("app_title"),
        serve_locally=True,
        update_title=None,
    )

    def layout():
        con = warehouse.connection()
        frame = list_reports(con) if con is not None else None
        body = (
            empty_page()
            if frame is None or frame.empty
            else html.Div([html.H2(t("reports_heading")), reports_table(frame)])
        )
        return html.Div(
            [
                html.Header(html.H1(t("app_title"), className="h3"), className="rectify-header"),
                body,
            ],
            className="container",
        )

    app.layout = layout
    return app
