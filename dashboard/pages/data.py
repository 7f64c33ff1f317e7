"""数据 Data: load reports and ledgers from the browser, see what will be loaded before it is,
and delete or reload what is there. Every write is an atomic swap of the warehouse, so
everyone else keeps viewing the old one until the new one is published."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, callback, ctx, dcc, html

from dashboard import data, ids
from dashboard.components import (
    asked_page,
    list_place,
    report_list_controls,
    report_list_page,
    reports_table,
    text_or,
)
from dashboard.uploads import MAX_UPLOAD_BYTES, Staged, discard, new_batch, publish, stage
from pipeline import REPORT_SUFFIXES, load_paths, remove_reports
from views.i18n import t
from warehouse.db import WarehouseError
from warehouse.queries import resolve_report

dash.register_page(__name__, path="/data", name="data", order=6)

ACCEPT = ",".join(sorted(REPORT_SUFFIXES - {".text", ".md", ".shtml", ".xhtml"}))


def layout(lang: str | None = None, **_query) -> html.Div:
    """Drawn with the first page of loaded reports, in the request that brings it."""
    lang = lang or "zh"
    page = report_list_page(None, 1, lang)
    return html.Div(
        [
            html.H2(id=ids.DATA_HEADING),
            dcc.Upload(
                id=ids.UPLOAD,
                multiple=True,
                # The browser drops bigger files without a word; up to three times the limit
                # reaches the server, which says what is wrong with each.
                max_size=3 * MAX_UPLOAD_BYTES,
                accept=ACCEPT,
                className="upload-zone",
                children=html.Div(id=ids.UPLOAD_HINT),
            ),
            dcc.Store(id=ids.UPLOAD_BATCH),
            dcc.Store(id=ids.DATA_VERSION, data=0),
            dcc.Loading(html.Div(id=ids.UPLOAD_PREVIEW), type="circle"),
            html.Div(id=ids.UPLOAD_RESULT, className="mt-2"),
            html.H4(id=ids.DATA_LIST_HEADING, className="mt-4"),
            report_list_controls(ids.DATA_SEARCH, ids.DATA_PAGER, ids.DATA_PLACE, lang, page),
            dcc.Loading(
                html.Div(report_table(page, lang), id=ids.DATA_LIST), type="circle", delay_show=150
            ),
        ]
    )


@callback(
    Output(ids.DATA_HEADING, "children"),
    Output(ids.UPLOAD_HINT, "children"),
    Output(ids.DATA_LIST_HEADING, "children"),
    Input(ids.LANG, "data"),
)
def labels(lang):
    lang = lang or "zh"
    hint = t("upload_hint", lang).format(mb=MAX_UPLOAD_BYTES // 1_048_576)
    return t("nav_data", lang), hint, t("reports_heading", lang)


def preview(staged: list[Staged], lang: str) -> html.Div:
    head = ["upload_file", "col_kind", "col_items", "col_measures", "col_metrics", "upload_note"]
    rows = [
        html.Tr(
            [
                html.Td(s.name),
                html.Td(t(f"kind_{s.kind}", lang) if s.ok else "—"),
                html.Td(s.items if s.ok else ""),
                html.Td(s.measures if s.ok else ""),
                html.Td(s.metrics if s.ok else ""),
                html.Td(s.message, className="" if s.ok else "text-danger"),
            ],
            className="" if s.ok else "table-danger",
        )
        for s in staged
    ]
    good = sum(s.ok for s in staged)
    return html.Div(
        [
            html.Table(
                [
                    html.Thead(
                        html.Tr(
                            [
                                html.Th(
                                    t(k, lang),
                                    title=t("count_level_note", lang) if k == "col_items" else None,
                                )
                                for k in head
                            ]
                        )
                    ),
                    html.Tbody(rows),
                ],
                className="table table-sm",
                id="upload-preview-table",
            ),
            dbc.Button(
                t("upload_confirm", lang).format(n=good),
                id=ids.UPLOAD_CONFIRM,
                color="primary",
                disabled=good == 0,
                className="me-2",
                n_clicks=0,
            ),
            dbc.Button(
                t("upload_cancel", lang),
                id=ids.UPLOAD_CANCEL,
                color="secondary",
                outline=True,
                n_clicks=0,
            ),
        ]
    )


@callback(
    Output(ids.UPLOAD_PREVIEW, "children"),
    Output(ids.UPLOAD_BATCH, "data"),
    Output(ids.UPLOAD_RESULT, "children", allow_duplicate=True),
    Input(ids.UPLOAD, "contents"),
    State(ids.UPLOAD, "filename"),
    State(ids.UPLOAD_BATCH, "data"),
    State(ids.LANG, "data"),
    prevent_initial_call=True,
)
def stage_files(contents, names, previous, lang):
    """Dropped files are checked and prepared in a staging folder; nothing is loaded yet."""
    lang, db = lang or "zh", data.db_path()
    if not contents or db is None:
        return None, None, None
    if previous:
        discard(db, previous)
    try:
        token, folder = new_batch(db)
    except OSError as exc:
        return None, None, dbc.Alert(f"{t('upload_failed', lang)} {exc}", color="danger")
    staged = [stage(folder, name, body) for name, body in zip(names, contents, strict=True)]
    return preview(staged, lang), token, None


@callback(
    Output(ids.UPLOAD_RESULT, "children"),
    Output(ids.UPLOAD_PREVIEW, "children", allow_duplicate=True),
    Output(ids.UPLOAD_BATCH, "data", allow_duplicate=True),
    Output(ids.DATA_VERSION, "data"),
    Input(ids.UPLOAD_CONFIRM, "n_clicks"),
    Input(ids.UPLOAD_CANCEL, "n_clicks"),
    State(ids.UPLOAD_BATCH, "data"),
    State(ids.DATA_VERSION, "data"),
    State(ids.LANG, "data"),
    prevent_initial_call=True,
)
def confirm_or_cancel(confirmed, cancelled, token, version, lang):
    lang, db = lang or "zh", data.db_path()
    if db is None or not token or not (confirmed or cancelled):
        return dash.no_update, dash.no_update, dash.no_update, dash.no_update
    if ctx.triggered_id == ids.UPLOAD_CANCEL:
        discard(db, token)
        return None, None, None, version
    try:
        result = load_paths(publish(db, token), db)
    except WarehouseError as exc:
        return dbc.Alert(f"{t('upload_failed', lang)} {exc}", color="danger"), None, None, version
    message = [
        t("upload_loaded", lang).format(n=len(result.loaded)),
        " ",
        html.A(t("upload_view", lang), href="/"),
    ]
    alerts = [dbc.Alert(message, color="success", id="upload-done")]
    alerts += [dbc.Alert(msg, color="danger") for _path, msg in result.failed]
    return alerts, None, None, (version or 0) + 1


@callback(
    Output(ids.DATA_LIST, "children"),
    Output(ids.DATA_PAGER, "max_value"),
    Output(ids.DATA_PAGER, "active_page"),
    Output(ids.DATA_PLACE, "children"),
    Output(ids.DATA_SEARCH, "placeholder"),
    Input(ids.DATA_VERSION, "data"),
    Input(ids.DATA_SEARCH, "value"),
    Input(ids.DATA_PAGER, "active_page"),
    Input(ids.LANG, "data"),
    prevent_initial_call=True,  # the layout comes with the first page
)
def loaded_reports(_version, search, active_page, lang):
    """The loaded reports a page at a time (searched on the server), each with its buttons; a
    new search starts again at its first page."""
    return report_list(search, asked_page(ids.DATA_SEARCH, active_page), lang or "zh")


def report_list(search: str | None, page_asked: int | None, lang: str) -> tuple:
    """(table with each report's buttons, pages, page, place, search placeholder)."""
    placeholder = t("reports_search", lang)
    page = report_list_page(search, page_asked, lang)
    if page is None:
        return report_table(None, lang), 1, 1, "", placeholder
    return report_table(page, lang), page.pages, page.page, list_place(page, lang), placeholder


def report_table(page, lang: str):
    """A page of the loaded reports, each with its delete and reload buttons."""
    if page is None:
        return html.P(t("empty_title", lang), className="text-muted")
    actions = {
        r.report_id: html.Span(
            className="text-nowrap",
            children=[
                dcc.ConfirmDialogProvider(
                    dbc.Button(t("data_delete", lang), size="sm", color="danger", outline=True),
                    id={"type": ids.DATA_DELETE, "report": r.report_id},
                    message=t("data_delete_confirm", lang).format(
                        name=text_or(r.title, text_or(r.file_name))
                    ),
                ),
                " ",
                dbc.Button(
                    t("data_reload", lang),
                    id={"type": ids.DATA_RELOAD, "report": r.report_id},
                    size="sm",
                    color="secondary",
                    outline=True,
                    n_clicks=0,
                ),
            ],
        )
        for r in page.rows.itertuples()
    }
    return reports_table(page, lang, actions)


@callback(
    Output(ids.DATA_VERSION, "data", allow_duplicate=True),
    Output(ids.UPLOAD_RESULT, "children", allow_duplicate=True),
    Input({"type": ids.DATA_DELETE, "report": ALL}, "submit_n_clicks"),
    Input({"type": ids.DATA_RELOAD, "report": ALL}, "n_clicks"),
    State(ids.DATA_VERSION, "data"),
    State(ids.LANG, "data"),
    prevent_initial_call=True,
)
def delete_or_reload(_deleted, _reloaded, version, lang):
    lang, db, which = lang or "zh", data.db_path(), ctx.triggered_id
    if db is None or not which or not ctx.triggered or not ctx.triggered[0]["value"]:
        return dash.no_update, dash.no_update
    report = which["report"]
    try:
        if which["type"] == ids.DATA_DELETE:
            remove_reports(db, [report])
            return (version or 0) + 1, dbc.Alert(t("data_deleted", lang), color="info")
        with data.cursor() as con:
            found = resolve_report(con, report)
        result = load_paths([found[1]], db) if found else None
    except WarehouseError as exc:
        return dash.no_update, dbc.Alert(str(exc), color="danger")
    if result is None or result.failed or not result.loaded:
        problem = (
            result.failed[0][1] if result and result.failed else t("data_source_missing", lang)
        )
        return dash.no_update, dbc.Alert(problem, color="warning")
    return (version or 0) + 1, dbc.Alert(t("data_reloaded", lang), color="info")
