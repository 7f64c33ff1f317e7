"""审计记录 Audit log: every correction (who, when, what, old → new, why), filtered and paged
on the server; an editor may undo the last change to a field, with a reason, which is
itself logged."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, callback, ctx, dcc, html

from dashboard import auth, data, ids
from dashboard.components import entries_place, list_pager
from pipeline.corrections import CorrectionRefused, revert
from views.audit import (
    PAGE_SIZE,
    AuditPage,
    AuditRow,
    audit_page,
    field_label,
    log_filter,
    refusal,
)
from views.i18n import t
from warehouse.errors import WarehouseError

dash.register_page(__name__, path="/audit", name="audit", order=8)


def layout(lang: str | None = None, report: str | None = None, **_query) -> html.Div:
    lang = lang or "zh"
    dropdown = {"clearable": True, "className": "filter-dropdown"}
    log = data.log()
    # Options from the start: a dropdown drops a value it has no option for (?report=…).
    reports = report_options(log.choices()["reports"]) if log is not None else []
    return html.Div(
        [
            html.H2(t("audit_heading", lang), id="audit-heading"),
            html.P(t("audit_intro", lang), className="text-muted small", id="audit-intro"),
            # Two rows: the report, who, which field and words; then the period. Six boxes in
            # one row cut the dates and the search words at a projector's 1024 px.
            dbc.Row(
                [
                    dbc.Col(
                        dcc.Dropdown(
                            id=ids.AUDIT_REPORT, options=reports, value=report, **dropdown
                        ),
                        md=4,
                    ),
                    dbc.Col(dcc.Dropdown(id=ids.AUDIT_USER, **dropdown), md=4, lg=2),
                    dbc.Col(dcc.Dropdown(id=ids.AUDIT_FIELD, **dropdown), md=4, lg=2),
                    dbc.Col(
                        dcc.Input(
                            id=ids.AUDIT_TEXT,
                            type="search",
                            debounce=True,
                            className="form-control",
                            placeholder=t("audit_filter_text", lang),
                        ),
                        md=12,
                        lg=4,
                    ),
                    dbc.Col(_date_input(ids.AUDIT_SINCE, "audit_filter_since", lang), **_DATE_COL),
                    dbc.Col(_date_input(ids.AUDIT_UNTIL, "audit_filter_until", lang), **_DATE_COL),
                ],
                className="g-2 mb-2",
            ),
            dcc.Store(id=ids.AUDIT_VERSION, data=0),
            dcc.Store(id=ids.AUDIT_REVERT_ENTRY),
            list_pager(ids.AUDIT_PAGE_INFO, ids.AUDIT_PAGER),
            html.Div(id=ids.AUDIT_MESSAGE),
            html.Div(id=ids.AUDIT_TABLE),
            dbc.Modal(
                [
                    dbc.ModalHeader(dbc.ModalTitle(id=ids.AUDIT_MODAL_TITLE)),
                    dbc.ModalBody(
                        [
                            dbc.Label(
                                t("audit_revert_reason", lang),
                                html_for=ids.AUDIT_REVERT_REASON,
                                id=ids.AUDIT_REVERT_LABEL,
                            ),
                            dcc.Textarea(
                                id=ids.AUDIT_REVERT_REASON, className="form-control", rows=2
                            ),
                            html.Div(id=ids.AUDIT_MODAL_ERROR, className="mt-2"),
                        ]
                    ),
                    dbc.ModalFooter(
                        [
                            dbc.Button(
                                t("audit_cancel", lang),
                                id=ids.AUDIT_REVERT_CANCEL,
                                color="secondary",
                                outline=True,
                                n_clicks=0,
                            ),
                            dbc.Button(
                                t("audit_revert_confirm", lang),
                                id=ids.AUDIT_REVERT_CONFIRM,
                                color="danger",
                                n_clicks=0,
                            ),
                        ]
                    ),
                ],
                id=ids.AUDIT_MODAL,
                is_open=False,
            ),
        ],
        id=ids.AUDIT_BODY,
    )


# A date box's width: half the row at md, a quarter from lg, a sixth on a wide screen.
_DATE_COL = {"md": 6, "lg": 3, "xxl": 2}


def _date_input(input_id: str, label_key: str, lang: str) -> dbc.InputGroup:
    """A labelled date box that reads and takes YYYY-MM-DD whatever the browser's locale (a
    browser's own date input writes its locale's order, 01/05/2026 in an American one), with
    a calendar whose weeks start on Monday; its value is the ISO date or None (cleared)."""
    return dbc.InputGroup(
        [
            dbc.InputGroupText(t(label_key, lang), id=f"{input_id}-label"),
            dcc.DatePickerSingle(
                id=input_id,
                display_format="YYYY-MM-DD",
                first_day_of_week=1,
                clearable=True,
                **date_words(lang),
            ),
        ],
        size="sm",
        className="audit-date",
    )


def date_words(lang: str) -> dict:
    """A date box's properties that follow the language: its placeholder and how its
    calendar names the month (1月, January); assets/datepicker-language.js gives the
    calendar that language's month and weekday names."""
    return {
        "placeholder": t("audit_date_placeholder", lang),
        "month_format": t("audit_date_month_format", lang),
    }


def audit_table(shown: AuditPage, lang: str, may_undo: bool) -> html.Table | html.P:
    if not shown.rows:
        return html.P(t("audit_empty", lang), className="text-muted", id=ids.AUDIT_TABLE + "-empty")
    keys = (
        "audit_col_when",
        "audit_col_user",
        "col_report",
        "audit_col_target",
        "audit_col_field",
        "audit_col_change",
        "audit_col_reason",
        "audit_col_action",
    )
    head = html.Thead(html.Tr([html.Th("#")] + [html.Th(t(k, lang)) for k in keys]))
    body = html.Tbody([_row(r, lang, may_undo) for r in shown.rows])
    return html.Table(
        [head, body], className="table table-sm table-striped audit-table", id="audit-entries"
    )


def _row(r: AuditRow, lang: str, may_undo: bool) -> html.Tr:
    notes = []
    if r.reverts:
        notes.append(
            html.Div(t("audit_undoes", lang).format(id=r.reverts), className="small text-muted")
        )
    if r.undone_by:
        action = html.Span(
            t("audit_undone_by", lang).format(id=r.undone_by), className="small text-muted"
        )
    elif not r.revertible:
        action = html.Span(
            t("audit_superseded", lang).format(id=r.later), className="small text-muted"
        )
    elif may_undo:
        action = dbc.Button(
            t("audit_revert", lang),
            id={"type": ids.AUDIT_REVERT, "entry": r.id},
            size="sm",
            color="secondary",
            outline=True,
            n_clicks=0,
        )
    else:
        action = None
    return html.Tr(
        [
            html.Td(r.id),
            html.Td(r.when, className="text-nowrap"),
            html.Td([r.user, html.Div(t(f"via_{r.via}", lang), className="small text-muted")]),
            html.Td(r.report_title, className="audit-report"),
            html.Td(r.target),
            html.Td(r.field),
            html.Td([html.Span(r.old, className="audit-old"), " → ", html.Strong(r.new), *notes]),
            html.Td(r.reason, className="audit-reason"),
            html.Td(action),
        ],
        id=f"audit-entry-{r.id}",
    )


def report_options(reports: list[tuple[str, str | None]]) -> list[dict]:
    return [{"label": title or rid, "value": rid} for rid, title in reports]


@callback(
    Output(ids.AUDIT_TABLE, "children"),
    Output(ids.AUDIT_PAGER, "max_value"),
    Output(ids.AUDIT_PAGER, "active_page"),
    Output(ids.AUDIT_PAGE_INFO, "children"),
    Output(ids.AUDIT_REPORT, "options"),
    Output(ids.AUDIT_USER, "options"),
    Output(ids.AUDIT_FIELD, "options"),
    Output(ids.AUDIT_REPORT, "placeholder"),
    Output(ids.AUDIT_USER, "placeholder"),
    Output(ids.AUDIT_FIELD, "placeholder"),
    Input(ids.LANG, "data"),
    Input(ids.AUDIT_REPORT, "value"),
    Input(ids.AUDIT_USER, "value"),
    Input(ids.AUDIT_FIELD, "value"),
    Input(ids.AUDIT_TEXT, "value"),
    Input(ids.AUDIT_SINCE, "date"),
    Input(ids.AUDIT_UNTIL, "date"),
    Input(ids.AUDIT_PAGER, "active_page"),
    Input(ids.AUDIT_VERSION, "data"),
)
def render(lang, report, user, field, text, since, until, active_page, _version):
    """A page of the log under its filters: the one the pager asks for, the same after an
    undo, the first on a new filter."""
    lang = lang or "zh"
    keep = ctx.triggered_id in (ids.AUDIT_PAGER, ids.AUDIT_VERSION, ids.LANG)
    page = active_page if keep else 1
    log = data.log()
    f = log_filter(report, user, field, text, since, until)
    shown = audit_page(log, f, page, lang)
    place = entries_place(shown.page, PAGE_SIZE, len(shown.rows), shown.total, lang)
    choices = shown.choices
    return (
        audit_table(shown, lang, auth.permission().allowed),
        shown.pages,
        shown.page,
        place,
        report_options(choices["reports"]),
        [{"label": u, "value": u} for u in choices["users"]],
        [{"label": field_label(x, lang), "value": x} for x in choices["fields"]],
        t("audit_filter_report", lang),
        t("audit_filter_user", lang),
        t("audit_filter_field", lang),
    )


@callback(
    Output(ids.AUDIT_MODAL, "is_open"),
    Output(ids.AUDIT_REVERT_ENTRY, "data"),
    Output(ids.AUDIT_MODAL_TITLE, "children"),
    Output(ids.AUDIT_REVERT_REASON, "value"),
    Output(ids.AUDIT_MODAL_ERROR, "children"),
    Input({"type": ids.AUDIT_REVERT, "entry": ALL}, "n_clicks"),
    Input(ids.AUDIT_REVERT_CANCEL, "n_clicks"),
    State(ids.LANG, "data"),
    prevent_initial_call=True,
)
def ask_why(_clicks, _cancel, lang):
    """An undo button opens the dialog that asks why; cancel closes it."""
    trigger = ctx.triggered_id
    if trigger == ids.AUDIT_REVERT_CANCEL:
        return False, None, dash.no_update, "", None
    if not isinstance(trigger, dict) or not ctx.triggered or not ctx.triggered[0]["value"]:
        return (dash.no_update,) * 5  # the table was drawn again: its buttons are new
    entry = trigger["entry"]
    return True, entry, t("audit_revert_title", lang or "zh").format(id=entry), "", None


@callback(
    Output(ids.AUDIT_MESSAGE, "children"),
    Output(ids.AUDIT_VERSION, "data"),
    Output(ids.AUDIT_MODAL, "is_open", allow_duplicate=True),
    Output(ids.AUDIT_MODAL_ERROR, "children", allow_duplicate=True),
    Input(ids.AUDIT_REVERT_CONFIRM, "n_clicks"),
    State(ids.AUDIT_REVERT_ENTRY, "data"),
    State(ids.AUDIT_REVERT_REASON, "value"),
    State(ids.AUDIT_VERSION, "data"),
    State(ids.LANG, "data"),
    prevent_initial_call=True,
)
def undo(clicks, entry, reason, version, lang):
    """Undo the entry, as the signed-in editor (or the local user), refused whatever the
    request says when this request may not correct."""
    lang = lang or "zh"
    if not clicks or entry is None:
        return (dash.no_update,) * 4
    permission = auth.permission()
    if not permission.allowed:
        alert = dbc.Alert(t(permission.refusal, lang), color="danger", id="audit-alert")
        return alert, dash.no_update, False, None
    try:
        new = revert(data.db_path(), int(entry), permission.user, reason or "")
    except CorrectionRefused as exc:
        return (
            dash.no_update,
            dash.no_update,
            True,
            dbc.Alert(refusal(exc.code, exc.args_, lang), color="warning"),
        )
    except (WarehouseError, ValueError, TypeError) as exc:
        return dash.no_update, dash.no_update, True, dbc.Alert(str(exc), color="danger")
    done = t("audit_reverted", lang).format(id=entry, new=new)
    return (
        dbc.Alert(done, color="success", id="audit-alert", duration=8000),
        (version or 0) + 1,
        False,
        None,
    )


@callback(
    Output("audit-heading", "children"),
    Output("audit-intro", "children"),
    Output(ids.AUDIT_TEXT, "placeholder"),
    Output(f"{ids.AUDIT_SINCE}-label", "children"),
    Output(f"{ids.AUDIT_UNTIL}-label", "children"),
    Output(ids.AUDIT_REVERT_LABEL, "children"),
    Output(ids.AUDIT_REVERT_CANCEL, "children"),
    Output(ids.AUDIT_REVERT_CONFIRM, "children"),
    *(
        Output(box, prop)
        for box in (ids.AUDIT_SINCE, ids.AUDIT_UNTIL)
        for prop in ("placeholder", "month_format")
    ),
    Input(ids.LANG, "data"),
    prevent_initial_call=True,
)
def labels(lang):
    """The page's words again when the language changes (it arrives in the reader's)."""
    lang = lang or "zh"
    words = tuple(
        t(key, lang)
        for key in (
            "audit_heading",
            "audit_intro",
            "audit_filter_text",
            "audit_filter_since",
            "audit_filter_until",
            "audit_revert_reason",
            "audit_cancel",
            "audit_revert_confirm",
        )
    )
    dates = date_words(lang)
    return words + (dates["placeholder"], dates["month_format"]) * 2
