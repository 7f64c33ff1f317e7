"""问题清单 Explorer: the analysts' page. Filtered measures; a row opens its source text."""

from __future__ import annotations

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, callback, dcc, html

from dashboard import auth, data, ids
from dashboard.components import empty_warehouse, highlighted, status_badge, step_button
from dashboard.grid import (
    PAGE_SIZE,
    column_defs,
    label_rank,
    locale_text,
    page_bounds,
    rows_for,
    sort_request,
)
from pipeline.corrections import CorrectionRefused, Edit, record
from views.audit import refusal, show_value
from views.detail import (
    MeasurePanel,
    category_options,
    department_options,
    indicator_options,
    measure_panel,
    number_or_none,
    status_options,
)
from views.i18n import category_label, labelled, t
from views.reports import report_name_parts
from views.theme import format_number
from views.vocabulary import status_cue
from warehouse import queries
from warehouse.errors import WarehouseError
from warehouse.filters import Filters

dash.register_page(__name__, path="/explorer", name="explorer", order=1)


def layout(lang: str | None = None, **_query) -> html.Div:
    lang = lang or "zh"
    return html.Div(
        [
            html.Div(id=ids.EXPLORER_NOTE, className="text-muted small mb-1"),
            dcc.Store(id=ids.EXPLORER_PAGE, data=0),
            dbc.Row(
                [
                    dbc.Col(
                        [
                            dag.AgGrid(
                                id=ids.GRID,
                                rowData=[],
                                columnDefs=[],
                                defaultColDef={"sortable": True, "resizable": True},
                                dashGridOptions={
                                    "rowSelection": {
                                        "mode": "singleRow",
                                        "enableClickSelection": True,
                                        "checkboxes": False,
                                    },
                                    "animateRows": False,
                                    "localeText": locale_text(lang),
                                    "suppressMultiSort": True,
                                    # The 通报 column's whole name on hover (it is cut).
                                    "enableBrowserTooltips": True,
                                },
                                getRowId="params.data.key",
                                className="explorer-grid",
                                style={"height": "calc(100vh - 250px)", "minHeight": "320px"},
                            ),
                            html.Div(
                                [
                                    step_button(ids.EXPLORER_PREV),
                                    html.Span(id=ids.EXPLORER_PAGE_INFO, className="mx-2"),
                                    step_button(ids.EXPLORER_NEXT),
                                ],
                                className="explorer-pager",
                            ),
                        ],
                        xl=8,
                    ),
                    dbc.Col(
                        [
                            dcc.Store(id=ids.EDIT_VERSION, data=0),
                            html.Div(id=ids.EDIT_MESSAGE),
                            html.Div(id=ids.DETAIL, className="measure-detail"),
                        ],
                        xl=4,
                    ),
                ]
            ),
        ],
        id=ids.EXPLORER_BODY,
    )


@callback(
    Output(ids.GRID, "rowData"),
    Output(ids.EXPLORER_PAGE, "data"),
    Output(ids.EXPLORER_PAGE_INFO, "children"),
    Output(ids.EXPLORER_PREV, "children"),
    Output(ids.EXPLORER_NEXT, "children"),
    Output(ids.EXPLORER_PREV, "disabled"),
    Output(ids.EXPLORER_NEXT, "disabled"),
    Input(ids.URL, "search"),
    Input(ids.LANG, "data"),
    Input(ids.GRID, "columnState"),
    Input(ids.EXPLORER_PREV, "n_clicks"),
    Input(ids.EXPLORER_NEXT, "n_clicks"),
    Input(ids.EDIT_VERSION, "data"),
    State(ids.EXPLORER_PAGE, "data"),
)
def serve_page(search, lang, column_state, _prev, _next, _version, page):
    """One page of rows in the order the grid's header asks for: the previous or next page
    on the pager's buttons, the same page again after a correction, the first again on a
    new filter or sort."""
    lang = lang or "zh"
    trigger = dash.ctx.triggered_id
    step = {ids.EXPLORER_PREV: -1, ids.EXPLORER_NEXT: 1, ids.EDIT_VERSION: 0}.get(trigger)
    page = (page or 0) + step if step is not None else 0
    order, descending = sort_request(column_state)
    filters = Filters.from_search(search)
    with data.cursor() as con:
        if con is None:
            return [], 0, "", t("prev", lang), t("next", lang), True, True
        total = queries.measure_count(con, filters)
        page, offset = page_bounds(page, total)
        frame = queries.explorer_measures(
            con, filters, PAGE_SIZE, offset, order, descending, label_rank=label_rank(order, lang)
        )
        names = report_name_parts(con, list(frame["report_id"]), lang)
    pages = max(1, -(-total // PAGE_SIZE))
    info = t("explorer_page", lang).format(
        page=page + 1,
        pages=pages,
        first=format_number(offset + 1 if total else 0, lang),
        last=format_number(offset + len(frame), lang),
        n=format_number(total, lang),
    )
    return (
        rows_for(frame, lang, names=names),
        page,
        info,
        t("prev", lang),
        t("next", lang),
        page == 0,
        page >= pages - 1,
    )


@callback(
    Output(ids.GRID, "columnDefs"),
    Output(ids.EXPLORER_NOTE, "children"),
    Input(ids.URL, "search"),
    Input(ids.LANG, "data"),
)
def render_frame(search, lang):
    lang = lang or "zh"
    with data.cursor() as con:
        if con is None:
            return column_defs(lang), None
        filters = Filters.from_search(search)
        total = queries.measure_count(con, filters)
        deadlines = queries.has_deadlines(con, filters)
    return column_defs(lang, deadlines), t("explorer_count", lang).format(
        n=format_number(total, lang)
    )


@callback(
    Output(ids.DETAIL, "children"),
    Output(ids.GRID, "selectedRows"),
    Input(ids.GRID, "selectedRows"),
    Input(ids.URL, "search"),
    Input(ids.LANG, "data"),
    Input(ids.EDIT_VERSION, "data"),
)
def render_detail(selected, search, lang, _version=None):
    """The selected measure: its text with each figure marked, its place and status cue,
    and, for whoever may correct, a form to correct it; its corrections log below. A filter
    that no longer keeps the row clears it (and its selection), so the panel never shows
    what the table does not."""
    lang = lang or "zh"
    pick = html.P(t("detail_pick", lang), className="text-muted")
    if not selected:
        with data.cursor() as con:
            return (empty_warehouse(lang) if con is None else pick), dash.no_update
    report_id, measure_id = selected[0]["key"].split("/", 1)
    with data.cursor() as con:
        if con is None:
            return empty_warehouse(lang), []
        if not queries.measure_kept(con, Filters.from_search(search), report_id, measure_id):
            return pick, []
        panel = measure_panel(con, data.log(), report_id, measure_id, lang)
        departments = (
            department_options(con, panel.detail["departments"]) if panel is not None else []
        )
    if panel is None:
        return html.P(t("no_data", lang)), []
    return detail_view(panel, lang, auth.permission(), departments), dash.no_update


@callback(
    Output(ids.EDIT_MESSAGE, "children", allow_duplicate=True),
    Input(ids.GRID, "selectedRows"),
    Input(ids.URL, "search"),
    Input(ids.LANG, "data"),
    prevent_initial_call=True,
)
def clear_message(_selected, _search, _lang):
    """Another row, filter or language: the last save's message goes."""
    return None


def detail_view(
    panel: MeasurePanel, lang: str, permission: auth.Permission, departments: list[dict]
) -> html.Div:
    detail = panel.detail
    spans = [(f.start, f.end) for f in panel.figures]
    corrected = bool(panel.corrected) or any(
        f.read_value is not None or f.read_indicator is not None for f in panel.figures
    )
    return html.Div(
        [
            html.H5(detail["headline"] or detail["text"][:30]),
            html.Div(
                [
                    status_badge(detail["status"], lang),
                    " ",
                    dbc.Badge(category_label(detail["category"], lang), color="info"),
                    " ",
                    dbc.Badge(
                        "✎ " + t("edit_corrected", lang),
                        color="dark",
                        className="corrected-badge",
                        id="detail-corrected",
                    )
                    if corrected
                    else None,
                ]
            ),
            html.P(
                [
                    html.Strong(t("detail_place", lang) + ":"),
                    " ",
                    detail["report_title"] or "",
                    " › ",
                    detail["path"] or t(f"section_{detail['section']}", lang),
                ],
                className="small mt-2",
            ),
            html.P(
                [html.Strong(t("detail_cue", lang) + ":"), " ", _cue(detail["status_cue"], lang)],
                className="small",
            ),
            html.Div(highlighted(detail["text"], spans), className="source-text", id="detail-text"),
            _corrected_values(panel, lang),
            edit_form(panel, lang, departments)
            if permission.allowed
            else html.P(
                t(permission.refusal, lang), className="small text-muted mt-2", id="edit-refused"
            ),
            _history(panel, lang),
        ]
    )


def _cue(cue: str | None, lang: str) -> str:
    """A status cue; a corrected status's reads as the correction's reason."""
    if cue and cue.startswith("override: "):
        return f"{t('edit_corrected', lang)}:{cue[len('override: ') :]}"
    return status_cue(cue, lang) or "—"


def _corrected_values(panel: MeasurePanel, lang: str):
    """What the measure's corrected values were read as."""
    lines = [
        f"{t(key, lang)}: {show_value(field, panel.corrected[field], lang)}"
        for field, key in (
            ("category", "col_category"),
            ("status", "col_status"),
            ("departments", "col_departments"),
            ("deadline", "col_deadline"),
        )
        if field in panel.corrected
    ]
    for f in panel.figures:
        if f.read_value is not None:
            lines.append(f"{f.raw}: {show_value('value', f.read_value, lang)}")
        if f.read_indicator is not None:
            lines.append(f"{f.raw}: {show_value('indicator', f.read_indicator or None, lang)}")
    if not lines:
        return None
    return html.Div(
        [html.Strong(t("edit_as_read", lang) + ":"), html.Ul([html.Li(x) for x in lines])],
        className="small text-muted mt-2",
        id="detail-as-read",
    )


def _labelled(label: str, control) -> html.Div:
    return html.Div([dbc.Label(label, className="small mb-0"), control], className="mb-2")


def _choice(label: str, control_id: str, options: list[dict], value) -> html.Div:
    return _labelled(
        label, dcc.Dropdown(id=control_id, options=options, value=value, clearable=False)
    )


def edit_form(panel: MeasurePanel, lang: str, departments: list[dict]) -> html.Details:
    """The correction form, folded under its summary until opened."""
    detail, seen = panel.detail, panel.seen()
    figures = [
        dbc.Row(
            [
                dbc.Col(html.Span(f.raw, className="small"), width=3, className="pt-1"),
                dbc.Col(
                    dcc.Dropdown(
                        id={"type": ids.EDIT_INDICATOR, "metric": f.metric},
                        options=indicator_options(lang, t("edit_no_indicator", lang)),
                        value=f.indicator or "",
                        clearable=False,
                        className="edit-indicator",
                    ),
                    width=6,
                ),
                dbc.Col(
                    dcc.Input(
                        id={"type": ids.EDIT_VALUE, "metric": f.metric},
                        type="number",
                        value=f.value,
                        className="form-control form-control-sm",
                        debounce=True,
                    ),
                    width=3,
                ),
            ],
            className="g-1 mb-1",
        )
        for f in panel.figures
    ]
    return html.Details(
        [
            html.Summary(t("edit_open", lang), id="edit-open"),
            dcc.Store(id=ids.EDIT_BASE, data=seen),
            dbc.Row(
                [
                    dbc.Col(
                        _choice(
                            t("col_category", lang),
                            ids.EDIT_CATEGORY,
                            category_options(lang),
                            detail["category"],
                        )
                    ),
                    dbc.Col(
                        _choice(
                            t("col_status", lang),
                            ids.EDIT_STATUS,
                            status_options(lang),
                            detail["status"],
                        )
                    ),
                ],
                className="g-2",
            ),  # fmt: skip
            _labelled(
                t("col_departments", lang),
                dcc.Dropdown(
                    id=ids.EDIT_DEPARTMENTS,
                    options=departments,
                    value=seen["departments"],
                    multi=True,
                ),
            ),
            _labelled(
                t("col_deadline", lang),
                dcc.Input(
                    id=ids.EDIT_DEADLINE,
                    type="date",
                    value=seen["deadline"] or "",
                    className="form-control form-control-sm",
                ),
            ),
            _labelled(t("edit_figures", lang), html.Div(figures)) if figures else None,
            _labelled(
                t("edit_reason", lang),
                dcc.Textarea(
                    id=ids.EDIT_REASON,
                    placeholder=t("edit_reason_placeholder", lang),
                    className="form-control",
                    rows=2,
                ),
            ),
            dbc.Button(
                t("edit_save", lang), id=ids.EDIT_SAVE, color="primary", size="sm", n_clicks=0
            ),
        ],
        className="edit-form mt-2",
        id="edit-form",
    )


def _history(panel: MeasurePanel, lang: str):
    if not panel.history:
        return None
    return html.Div(
        [
            html.Strong(t("edit_history", lang)),
            html.Ul(
                [
                    html.Li(
                        f"#{r.id} {r.when} {r.user} · {r.target} · {r.field}: "
                        f"{r.old} → {r.new} · {r.reason}"
                    )
                    for r in panel.history
                ],
                className="small",
            ),
            dcc.Link(
                t("nav_audit", lang), href=f"/audit?report={panel.report_id}", className="small"
            ),
        ],
        className="mt-2",
        id="detail-history",
    )


@callback(
    Output(ids.EDIT_MESSAGE, "children"),
    Output(ids.EDIT_VERSION, "data"),
    Input(ids.EDIT_SAVE, "n_clicks"),
    State(ids.EDIT_BASE, "data"),
    State(ids.EDIT_CATEGORY, "value"),
    State(ids.EDIT_STATUS, "value"),
    State(ids.EDIT_DEPARTMENTS, "value"),
    State(ids.EDIT_DEADLINE, "value"),
    State({"type": ids.EDIT_INDICATOR, "metric": ALL}, "value"),
    State({"type": ids.EDIT_INDICATOR, "metric": ALL}, "id"),
    State({"type": ids.EDIT_VALUE, "metric": ALL}, "value"),
    State({"type": ids.EDIT_VALUE, "metric": ALL}, "id"),
    State(ids.EDIT_REASON, "value"),
    State(ids.EDIT_VERSION, "data"),
    State(ids.LANG, "data"),
    prevent_initial_call=True,
)
def save_correction(
    clicks, seen, category, status, departments, deadline, indicators, indicator_ids,
    values, value_ids, reason, version, lang,
):  # fmt: skip
    """Record and apply the panel's changes, with their reason, as the signed-in editor (or
    the local user): refused, whatever the request says, when this request may not
    correct (dashboard/auth.py permission)."""
    lang = lang or "zh"
    if not clicks or not isinstance(seen, dict):
        return dash.no_update, dash.no_update
    permission = auth.permission()
    if not permission.allowed:
        return dbc.Alert(
            t(permission.refusal, lang), color="danger", id="edit-alert"
        ), dash.no_update
    try:
        edits = edits_from_form(
            seen, category, status, departments, deadline,
            dict(zip((i["metric"] for i in indicator_ids), indicators, strict=True)),
            dict(zip((i["metric"] for i in value_ids), values, strict=True)),
        )  # fmt: skip
        ids_ = record(data.db_path(), edits, permission.user, reason or "")
    except CorrectionRefused as exc:
        text = labelled("edit_failed", lang, refusal(exc.code, exc.args_, lang))
        return dbc.Alert(text, color="warning", id="edit-alert"), dash.no_update
    except WarehouseError as exc:
        return dbc.Alert(
            labelled("edit_failed", lang, exc), color="danger", id="edit-alert"
        ), dash.no_update
    saved = t("edit_saved", lang).format(n=len(ids_))
    return dbc.Alert(saved, color="success", id="edit-alert", duration=8000), (version or 0) + 1


def edits_from_form(
    seen: dict, category, status, departments, deadline, indicators: dict, values: dict
) -> list[Edit]:
    """The fields the form changed from what it showed (`seen`), one Edit each, each saying
    what was shown (a change made meanwhile by someone else is then refused)."""
    try:
        rid, mid = str(seen["report_id"]), str(seen["measure_id"])
        shown_figures = dict(seen.get("figures") or {})
    except (KeyError, TypeError, AttributeError):
        raise CorrectionRefused("invalid", detail="form") from None
    edits = []
    asked = {
        "category": category,
        "status": status,
        "departments": sorted(departments or []),
        "deadline": deadline or None,
    }
    for name, value in asked.items():
        if value != seen.get(name):
            edits.append(Edit(rid, name, value, measure=mid, seen=seen.get(name)))
    for key, shown in shown_figures.items():
        metric = int(key)
        if metric in indicators and (indicators[metric] or None) != shown.get("indicator"):
            edits.append(
                Edit(
                    rid,
                    "indicator",
                    indicators[metric] or None,
                    metric=metric,
                    seen=shown.get("indicator"),
                )
            )
        if metric in values:
            number = number_or_none(values[metric])
            if number is None:
                raise CorrectionRefused("invalid", detail=str(values[metric]))
            if number != shown.get("value"):
                edits.append(Edit(rid, "value", number, metric=metric, seen=shown.get("value")))
    return edits
