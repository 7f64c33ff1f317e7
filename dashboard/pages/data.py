"""数据 Data: load reports and ledgers from the browser, see what will be loaded before it is,
and delete or reload what is there. Files are prepared and loaded by jobs in a child process
under memory and time limits (dashboard/uploads.py, pipeline/jobs.py), which the page follows
with a progress bar; every write is an atomic swap of the warehouse, so everyone else keeps
viewing the old one until the new one is published."""

from __future__ import annotations

from pathlib import Path

import dash
import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, callback, clientside_callback, ctx, dcc, html

from dashboard import auth, data, ids
from dashboard.components import (
    asked_page,
    list_place,
    report_list_controls,
    report_list_page,
    reports_table,
    review_mark,
    text_or,
)
from dashboard.uploads import (
    MAX_BATCH_BYTES,
    MAX_UPLOAD_BYTES,
    Staged,
    batch_folder,
    describe,
    discard,
    new_batch,
    problem,
    publish,
    receive,
    start_loading,
    start_reload,
    start_staging,
    status,
)
from pipeline import REPORT_SUFFIXES, remove_reports
from pipeline.jobs import RUNNING, Status
from views.i18n import labelled, plural, t
from warehouse import queries
from warehouse.db import WarehouseError
from warehouse.queries import resolve_report

dash.register_page(__name__, path="/data", name="data", order=6)

ACCEPT = ",".join(sorted(REPORT_SUFFIXES - {".text", ".md", ".shtml", ".xhtml"}))
POLL_MS = 500
HIDDEN = {"display": "none"}
_NOTHING = dash.no_update


def layout(lang: str | None = None, **_query) -> html.Div:
    """Drawn with the first page of loaded reports, in the request that brings it."""
    lang = lang or "zh"
    page = report_list_page(None, 1, lang)
    # Drawn with its words: the drop zone is never an empty box while a callback is awaited
    # (the callback below follows a language switch).
    heading, hint, list_heading, stop = labels(lang)
    return html.Div(
        [
            html.H2(heading, id=ids.DATA_HEADING),
            dcc.Upload(
                id=ids.UPLOAD,
                multiple=True,
                # The browser drops bigger files without a word; up to three times the limit
                # reaches the page, which says what is wrong with each.
                max_size=3 * MAX_UPLOAD_BYTES,
                accept=ACCEPT,
                className="upload-zone",
                children=html.Div(hint, id=ids.UPLOAD_HINT),
            ),
            dcc.Store(id=ids.UPLOAD_SENT),
            dcc.Store(id=ids.UPLOAD_REFUSED),
            dcc.Store(id=ids.UPLOAD_BATCH),
            dcc.Store(id=ids.DATA_VERSION, data=0),
            dcc.Interval(id=ids.UPLOAD_POLL, interval=POLL_MS, disabled=True),
            html.Div(
                [
                    dbc.Progress(
                        id=ids.UPLOAD_PROGRESS,
                        value=0,
                        striped=True,
                        animated=True,
                        className="mb-1",
                    ),
                    html.Span(id=ids.UPLOAD_PROGRESS_TEXT, className="small text-muted me-2"),
                    dbc.Button(
                        stop,
                        id=ids.UPLOAD_STOP,
                        size="sm",
                        color="secondary",
                        outline=True,
                        n_clicks=0,
                    ),
                ],
                id=ids.UPLOAD_PROGRESS_BOX,
                style=HIDDEN,
                className="my-2",
            ),
            html.Div(id=ids.UPLOAD_PREVIEW),
            html.Div(id=ids.UPLOAD_RESULT, className="mt-2"),
            html.H4(list_heading, id=ids.DATA_LIST_HEADING, className="mt-4"),
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
    Output(ids.UPLOAD_STOP, "children"),
    Input(ids.LANG, "data"),
    prevent_initial_call=True,  # the layout comes with them
)
def labels(lang):
    """(heading, drop-zone hint, list heading, cancel button) in `lang`."""
    lang = lang or "zh"
    hint = t("upload_hint", lang).format(mb=MAX_UPLOAD_BYTES // 1_048_576)
    return t("nav_data", lang), hint, t("reports_heading", lang), t("upload_cancel", lang)


# The browser checks sizes before it sends anything: a file over the limit is sent as its
# name alone (the server says so), and a drop over what one request may carry is not sent.
clientside_callback(
    f"""function (contents, names) {{
        const none = window.dash_clientside.no_update;
        if (!contents) {{ return [none, none]; }}
        let total = 0;
        const kept = contents.map(function (c) {{
            if (c.length > {MAX_UPLOAD_BYTES * 4 // 3 + 512}) {{ return null; }}
            total += c.length;
            return c;
        }});
        if (total > {MAX_BATCH_BYTES * 4 // 3 + 64 * 1024}) {{ return [none, total]; }}
        return [{{names: names, contents: kept, at: Date.now()}}, null];
    }}""",
    Output(ids.UPLOAD_SENT, "data"),
    Output(ids.UPLOAD_REFUSED, "data"),
    Input(ids.UPLOAD, "contents"),
    State(ids.UPLOAD, "filename"),
    prevent_initial_call=True,
)


@callback(
    Output(ids.UPLOAD_RESULT, "children", allow_duplicate=True),
    Input(ids.UPLOAD_REFUSED, "data"),
    State(ids.LANG, "data"),
    prevent_initial_call=True,
)
def refused(size, lang):
    if not size:
        return _NOTHING
    message = t("upload_too_much", lang or "zh").format(mib=MAX_BATCH_BYTES >> 20)
    return dbc.Alert(message, color="warning", id="upload-refused-alert")


def preview(staged: list[Staged], lang: str, loaded: dict[str, str] | None = None) -> html.Div:
    """The batch as understood, one row a file; `loaded`: report id → file name of what
    the warehouse holds, to say when the same content is there already."""
    loaded = loaded or {}
    # Files of this batch that resolve to one report (the same text, or a ledger with the
    # same cells): said on each, as only one copy is loaded.
    names_by_report: dict[str, list[tuple[int, str]]] = {}
    for i, s in enumerate(staged):
        if s.ok and s.report_id:
            names_by_report.setdefault(s.report_id, []).append((i, s.name))
    head = ["upload_file", "col_kind", "col_items", "col_measures", "col_metrics", "upload_note"]

    def note(i: int, s: Staged) -> list:
        if not s.ok:
            return [s.message]
        out = [
            s.message,
            review_mark(list(s.warnings), lang, f"upload-review-{i}", notes=list(s.notes)),
        ]
        others = [n for k, n in names_by_report.get(s.report_id, []) if k != i]
        if others:
            same = t("upload_same_batch", lang).format(names="”“".join(others))
            out.append(html.Div(same, className="small text-warning upload-same-batch"))
        if s.report_id in loaded:
            already = t("upload_already", lang).format(name=loaded[s.report_id])
            out.append(html.Div(already, className="small text-warning upload-already"))
        return [part for part in out if part is not None]

    rows = [
        html.Tr(
            [
                html.Td(s.name),
                html.Td(t(f"kind_{s.kind}", lang) if s.ok else "—"),
                html.Td(s.items if s.ok else ""),
                html.Td(s.measures if s.ok else ""),
                html.Td(s.metrics if s.ok else ""),
                html.Td(note(i, s), className="" if s.ok else "text-danger"),
            ],
            className="" if s.ok else "table-danger",
        )
        for i, s in enumerate(staged)
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
            # Nothing to load: no button offering to load none (it stays, hidden, for its
            # callback).
            dbc.Button(
                plural("upload_confirm", lang, good),
                id=ids.UPLOAD_CONFIRM,
                color="primary",
                disabled=good == 0,
                className="me-2",
                n_clicks=0,
                style={"display": "none"} if good == 0 else None,
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


def progress(s: Status | None, phase: str, lang: str) -> tuple:
    """The progress box's style, bar value, text and stop button's style for a running job."""
    if s is None:
        return IDLE
    elapsed = int(s.elapsed)
    if phase == "stage":
        step = t(f"upload_step_{s.step if s.step in ('read', 'extract', 'check') else ''}", lang)
        text = t("upload_progress", lang).format(
            step=step,
            name=s.current,
            n=min(s.done + 1, s.total),
            total=s.total,
            elapsed=elapsed,
            limit=s.seconds,
        )
    else:
        text = plural(
            "upload_loading", lang, s.total, total=s.total, elapsed=elapsed, limit=s.seconds
        )
    return {}, round(100 * s.fraction), text, {} if phase == "stage" else HIDDEN


IDLE = (HIDDEN, 0, "", HIDDEN)
# What the callbacks that start, follow or end a job write, in this order (see _answer).
JOB_OUTPUTS = [
    Output(ids.UPLOAD_PREVIEW, "children", allow_duplicate=True),
    Output(ids.UPLOAD_BATCH, "data", allow_duplicate=True),
    Output(ids.UPLOAD_RESULT, "children", allow_duplicate=True),
    Output(ids.UPLOAD_POLL, "disabled", allow_duplicate=True),
    Output(ids.UPLOAD_PROGRESS_BOX, "style", allow_duplicate=True),
    Output(ids.UPLOAD_PROGRESS, "value", allow_duplicate=True),
    Output(ids.UPLOAD_PROGRESS_TEXT, "children", allow_duplicate=True),
    Output(ids.UPLOAD_STOP, "style", allow_duplicate=True),
]


def _answer(preview=_NOTHING, batch=_NOTHING, result=_NOTHING, polling=None, shown=None) -> tuple:
    """JOB_OUTPUTS' values: the preview, the batch store, the result line; `polling`
    whether the page follows a job (None: as it was); `shown` the progress box's four
    values (`progress()`, IDLE, or None: as it was)."""
    return (
        preview,
        batch,
        result,
        _NOTHING if polling is None else not polling,
        *(shown or (_NOTHING,) * 4),
    )


@callback(
    *JOB_OUTPUTS,
    Input(ids.UPLOAD_SENT, "data"),
    State(ids.UPLOAD_BATCH, "data"),
    State(ids.LANG, "data"),
    prevent_initial_call=True,
)
def stage_files(sent, previous, lang):
    """Dropped files go into a staging batch, and a job prepares them; nothing is loaded."""
    lang, db = lang or "zh", data.db_path()
    if not sent or db is None:
        return _answer(None, None, None, False, IDLE)
    if (refusal := _refusal(lang)) is not None:
        return _answer(None, None, refusal, False, IDLE)
    if previous and previous.get("phase") in ("stage", "staged"):
        discard(db, previous.get("token"))  # a load under way is left to finish
    try:
        token, folder = new_batch(db)
        received = zip(sent["names"], sent["contents"], strict=True)
        rejected = [r for i, (n, body) in enumerate(received) if (r := receive(folder, i, n, body))]
        running = start_staging(folder)
    except OSError as exc:
        alert = dbc.Alert(labelled("upload_failed", lang, exc), color="danger")
        return _answer(None, None, alert, False, IDLE)
    if not running:  # nothing to prepare: the refusals are the whole answer
        discard(db, token)
        return _answer(
            preview([describe(r, lang) for r in rejected], lang), None, None, False, IDLE
        )
    batch = {"token": token, "phase": "stage", "rejected": rejected}
    return _answer(None, batch, None, True, progress(status(db, token), "stage", lang))


@callback(
    *JOB_OUTPUTS,
    Output(ids.DATA_VERSION, "data", allow_duplicate=True),
    Input(ids.UPLOAD_POLL, "n_intervals"),
    State(ids.UPLOAD_BATCH, "data"),
    State(ids.DATA_VERSION, "data"),
    State(ids.LANG, "data"),
    prevent_initial_call=True,
)
def follow(_tick, batch, version, lang):
    """While a job runs, its progress; when it ends, the preview or the load's outcome."""
    lang, db = lang or "zh", data.db_path()
    if not batch or db is None:
        return *_answer(polling=False, shown=IDLE), _NOTHING
    token, phase = batch.get("token"), batch.get("phase")
    s = status(db, token)
    if s is None:  # removed meanwhile: cancelled in another tab, or abandoned and swept
        expired = dbc.Alert(t("upload_expired", lang), color="warning")
        return *_answer(None, None, expired, False, IDLE), _NOTHING
    if s.state == RUNNING:
        return *_answer(polling=True, shown=progress(s, phase, lang)), _NOTHING
    if phase == "stage":
        lost = [
            {"name": p.name, "ok": False, "code": "lost"}
            for p in sorted((batch_folder(db, token) or Path()).glob("*/*"))
            if p.name not in {r["name"] for r in s.results}
        ]
        staged = [describe(r, lang) for r in batch.get("rejected", []) + s.results + lost]
        if s.state != "done" or not any(x.ok for x in staged):
            discard(db, token)  # nothing to load: the batch goes now
            batch = None
        else:
            batch = {"token": token, "phase": "staged"}
        loaded = _loaded([x.report_id for x in staged if x.ok])
        return *_answer(preview(staged, lang, loaded), batch, None, False, IDLE), _NOTHING
    discard(db, token)
    return *_answer(None, None, _outcome(s, phase, lang), False, IDLE), (version or 0) + 1


def _loaded(report_ids: list[str]) -> dict[str, str]:
    """Which of these reports the warehouse already holds: report id → its file name."""
    with data.cursor() as con:
        return queries.report_files(con, report_ids) if con is not None and report_ids else {}


def _outcome(s: Status, phase: str, lang: str) -> list:
    if s.state != "done":
        return [dbc.Alert(t("upload_lost", lang), color="danger")]
    if s.error:
        return [dbc.Alert(labelled("upload_failed", lang, problem(s.error, lang)), color="danger")]
    failed = [dbc.Alert(f["message"], color="danger") for f in s.failed]
    if phase == "reload":
        done = [dbc.Alert(t("data_reloaded", lang), color="info")] if s.loaded else []
        return done + failed
    reports = len({r.get("report_id") for r in s.loaded})
    loaded = (
        plural("upload_loaded", lang, len(s.loaded))
        if reports == len(s.loaded)
        else t("upload_loaded_reports", lang).format(n=len(s.loaded), reports=reports)
    )
    message = [
        loaded,
        " ",
        html.A(t("upload_view", lang), href="/"),
    ]
    return [dbc.Alert(message, color="success", id="upload-done"), *failed]


def _refusal(lang: str) -> dbc.Alert | None:
    """Why this request may not change the warehouse (load, reload, delete), decided on the
    server as for corrections (dashboard/auth.py permission): None when it may."""
    permission = auth.permission()
    if permission.allowed:
        return None
    key = "data_viewer" if permission.refusal == "edit_viewer" else "data_needs_login"
    return dbc.Alert(t(key, lang), color="danger", id="data-refused")


@callback(
    *JOB_OUTPUTS,
    Input(ids.UPLOAD_CONFIRM, "n_clicks"),
    Input(ids.UPLOAD_CANCEL, "n_clicks"),
    Input(ids.UPLOAD_STOP, "n_clicks"),
    State(ids.UPLOAD_BATCH, "data"),
    State(ids.LANG, "data"),
    prevent_initial_call=True,
)
def confirm_or_cancel(confirmed, cancelled, stopped, batch, lang):
    """Load the previewed batch (a job again), or drop it: cancelled, or stopped while it
    was being prepared."""
    lang, db = lang or "zh", data.db_path()
    if db is None or not (confirmed or cancelled or stopped):
        return _answer()
    token = (batch or {}).get("token")
    if ctx.triggered_id in (ids.UPLOAD_CANCEL, ids.UPLOAD_STOP):
        if token and (batch or {}).get("phase") in ("stage", "staged"):
            discard(db, token)
        return _answer(None, None, None, False, IDLE)
    if (refusal := _refusal(lang)) is not None:
        if token:
            discard(db, token)
        return _answer(None, None, refusal, False, IDLE)
    folder = batch_folder(db, token) if batch and batch.get("phase") == "staged" else None
    if folder is None:
        expired = dbc.Alert(t("upload_expired", lang), color="warning")
        return _answer(None, None, expired, False, IDLE)
    try:
        paths, new = publish(db, token)
        start_loading(folder, db, paths, new)
    except OSError as exc:
        discard(db, token)
        alert = dbc.Alert(labelled("upload_failed", lang, exc), color="danger")
        return _answer(None, None, alert, False, IDLE)
    batch = {"token": token, "phase": "load"}
    return _answer(None, batch, None, True, progress(status(db, token), "load", lang))


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
    *JOB_OUTPUTS,
    Output(ids.DATA_VERSION, "data", allow_duplicate=True),
    Input({"type": ids.DATA_DELETE, "report": ALL}, "submit_n_clicks"),
    Input({"type": ids.DATA_RELOAD, "report": ALL}, "n_clicks"),
    State(ids.DATA_VERSION, "data"),
    State(ids.LANG, "data"),
    prevent_initial_call=True,
)
def delete_or_reload(_deleted, _reloaded, version, lang):
    """Delete a report (one swap, here), or load its kept file again (a job)."""
    lang, db, which = lang or "zh", data.db_path(), ctx.triggered_id
    if db is None or not which or not ctx.triggered or not ctx.triggered[0]["value"]:
        return *_answer(), _NOTHING
    if (refusal := _refusal(lang)) is not None:
        return *_answer(result=refusal), _NOTHING
    report = which["report"]
    try:
        if which["type"] == ids.DATA_DELETE:
            remove_reports(db, [report])
            deleted = dbc.Alert(t("data_deleted", lang), color="info")
            return *_answer(result=deleted), (version or 0) + 1
        with data.cursor() as con:
            found = resolve_report(con, report)
        if found is None or not Path(found[1]).is_file():
            missing = dbc.Alert(t("data_source_missing", lang), color="warning")
            return *_answer(result=missing), _NOTHING
        token = start_reload(db, Path(found[1]))
    except (WarehouseError, OSError) as exc:
        return *_answer(result=dbc.Alert(str(exc), color="danger")), _NOTHING
    batch = {"token": token, "phase": "reload"}
    shown = progress(status(db, token), "reload", lang)
    return *_answer(None, batch, None, True, shown), _NOTHING
