"""轮次对比 Rounds: several reports of one unit side by side — completion by category per
round, measures whose status changed, problems that recur, stated totals reconciled."""

from __future__ import annotations

from collections import Counter

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, callback, ctx, dcc, html

from dashboard import data, ids
from dashboard.components import chart, empty_warehouse, pager, stated_check, text_or
from views import figures, rounds
from views.i18n import status_label, t
from views.reports import report_names
from views.stated import stated_label
from views.theme import format_date
from views.vocabulary import done_statuses
from warehouse import queries

dash.register_page(__name__, path="/rounds", name="rounds", order=5)

_EMPTY = pd.DataFrame({"report_id": [], "category": [], "status": [], "n": []})


# Rounds shown side by side: a unit may have hundreds of reports, compared a page at a time
# (the latest first shown), each page's status changes and recurrences found within it and
# against the round just before it.
ROUNDS_PER_PAGE = 6


def layout(lang: str | None = None, **_query) -> html.Div:
    with data.cursor() as con:
        units = (
            queries.compared_units(con, rounds.party_organ_suffix()) if con is not None else None
        )
    if units is None or units.empty:
        return html.Div(id=ids.ROUNDS_BODY, children=empty_warehouse(lang or "zh"))
    lang = lang or "zh"
    count = "{}（{}）" if lang == "zh" else "{} ({})"
    options = [
        {"label": count.format(u.unit, u.n_reports), "value": u.unit} for u in units.itertuples()
    ]
    figure, body, pages, page, place = page_of(options[0]["value"], None, lang)
    return html.Div(
        [
            dbc.Row(
                [
                    dbc.Col(
                        dcc.Dropdown(
                            id=ids.ROUNDS_UNIT,
                            options=options,
                            value=options[0]["value"],
                            clearable=False,
                        ),
                        md=6,
                    ),
                    dbc.Col(
                        html.Div(
                            [
                                html.Span(
                                    place, id=ids.ROUNDS_PLACE, className="small text-muted me-2"
                                ),
                                pager(ids.ROUNDS_PAGER, pages, page),
                            ],
                            className="d-flex align-items-center flex-wrap",
                        ),
                        md=6,
                    ),
                ],
                className="mb-2",
            ),
            chart(ids.CHART_ROUNDS, figure),
            dcc.Loading(html.Div(body, id=ids.ROUNDS_BODY), type="circle", delay_show=150),
        ]
    )


def rounds_window(total: int, page: int | None) -> tuple[int, int, int]:
    """(page, pages, offset) of a unit's `total` rounds, ROUNDS_PER_PAGE a page; no page
    asked for (None) is the last one, the latest rounds."""
    pages = max(1, -(-total // ROUNDS_PER_PAGE))
    page = pages if not page else min(max(1, int(page)), pages)
    # Counted back from the latest round, so the last page is full and the first may not be.
    return page, pages, max(0, total - (pages - page + 1) * ROUNDS_PER_PAGE)


def _labels(frame, names: dict, lang: str) -> dict:
    """A short name per report for legends and tables: its round, else its name (told apart
    from reports of the same title: views.reports.report_names), with its date; reports that
    still read alike on the page are told apart by their file names."""
    labels = {}
    for r in frame.itertuples():
        when = r.publish_date if not pd.isna(r.publish_date) else r.feedback_date
        name = text_or(r.round) or names.get(r.report_id) or text_or(r.file_name)
        labels[r.report_id] = f"{name} {format_date(when, lang)}".strip()
    alike = Counter(labels.values())
    files = dict(zip(frame["report_id"], frame["file_name"], strict=True))
    for rid, label in labels.items():
        if alike[label] > 1 and text_or(files.get(rid)) and files[rid] not in label:
            labels[rid] = f"{label} · {files[rid]}"
    return labels


# Characters of a report's title in a legend (what tells reports apart is never cut).
ROUND_LABEL_CHARS = 16

# Rows a table of the page shows; beyond them it says how many more there are (six rounds
# whose statuses all moved would otherwise send hundreds of rows at each page turn).
TABLE_ROWS = 25


def _table(columns: list[str], rows: list[list], table_id: str, lang: str):
    if not rows:
        return html.P(t("no_data", lang), className="text-muted", id=table_id)
    head = html.Thead(html.Tr([html.Th(c) for c in columns]))
    body = html.Tbody([html.Tr([html.Td(v) for v in row]) for row in rows[:TABLE_ROWS]])
    table = html.Table([head, body], className="table table-sm table-striped", id=table_id)
    if len(rows) <= TABLE_ROWS:
        return table
    more = t("rounds_more_rows", lang).format(n=f"{len(rows) - TABLE_ROWS:,}")
    return html.Div([table, html.P(more, className="small text-muted", id=f"{table_id}-more")])


@callback(
    Output(ids.CHART_ROUNDS, "figure"),
    Output(ids.ROUNDS_BODY, "children"),
    Output(ids.ROUNDS_PAGER, "max_value"),
    Output(ids.ROUNDS_PAGER, "active_page"),
    Output(ids.ROUNDS_PLACE, "children"),
    Input(ids.ROUNDS_UNIT, "value"),
    Input(ids.ROUNDS_PAGER, "active_page"),
    Input(ids.LANG, "data"),
    # The layout draws the latest rounds of the first unit: nothing to ask on arrival.
    prevent_initial_call=True,
)
def render(unit, active_page, lang):
    """One page of a unit's rounds; another unit starts again at its latest rounds."""
    asked = None if ctx.triggered_id == ids.ROUNDS_UNIT else active_page
    return page_of(unit, asked, lang or "zh")


def page_of(unit: str | None, asked: int | None, lang: str) -> tuple:
    """(figure, tables, pages, page, place) of page `asked` (None: the latest) of a unit's
    rounds."""
    suffix = rounds.party_organ_suffix()
    with data.cursor() as con:
        if con is None or not unit:
            empty = figures.rounds_completion(rounds.completion_shares(_EMPTY), {}, lang)
            return empty, None, 1, 1, ""
        total = queries.unit_round_count(con, unit, suffix)
        page, pages, offset = rounds_window(total, asked)
        # The round before the page, so its first report's changes are found too.
        before = 1 if offset else 0
        shown = min(ROUNDS_PER_PAGE, total - offset)
        frame = queries.unit_rounds(
            con, unit, suffix, done_statuses(), shown + before, offset - before
        )
        order = list(frame["report_id"])
        changes = rounds.status_changes(queries.rounds_measures(con, order), order)
        recurring = rounds.recurring_problems(queries.rounds_problems(con, order), order)
        # The round before the page too: changes name it.
        labels = _labels(frame, report_names(con, order, lang, limit=ROUND_LABEL_CHARS), lang)
        frame = frame.iloc[before:]
        shares = rounds.completion_shares(queries.rounds_completion(con, order[before:]))
    place = t("rounds_place", lang).format(
        first=f"{offset + 1 if total else 0:,}", last=f"{offset + len(frame):,}", total=f"{total:,}"
    )
    figure, body = _drawn(frame, labels, shares, changes, recurring, lang)
    return figure, body, pages, page, place


def _drawn(frame, labels, shares, changes, recurring, lang):
    """The chart and the tables of one page of rounds (`labels`: each report's short name)."""
    reconciled = rounds.reconciliation(frame)
    recon_rows = [
        [
            labels[r.report_id],
            t(stated_label(r.total), lang),
            "—" if r.stated is None else r.stated,
            r.counted,
            "" if r.stated is None else stated_check(r.mismatch, lang),
        ]
        for r in reconciled.itertuples()
    ]
    change_rows = [
        [
            f"{labels[r.report_before]} → {labels[r.report_after]}",
            r.text,
            status_label(r.status_before, lang),
            status_label(r.status_after, lang),
        ]
        for r in changes.itertuples()
    ]
    recurring_rows = [
        [
            labels[r.report_before],
            r.title_before,
            labels[r.report_after],
            r.title_after,
            f"{r.similarity:.0%}",
        ]
        for r in recurring.itertuples()
    ]
    on_page = {rid: labels[rid] for rid in frame["report_id"]}
    return figures.rounds_completion(shares, on_page, lang), html.Div(
        [
            html.H5(t("rounds_reconciliation", lang), className="mt-3"),
            _table(
                [
                    t("col_report", lang),
                    t("rounds_total", lang),
                    t("stated_col_stated", lang),
                    t("stated_col_counted", lang),
                    t("stated_col_check", lang),
                ],
                recon_rows,
                "rounds-reconciliation",
                lang,
            ),
            html.H5(t("rounds_changes", lang), className="mt-3"),
            _table(
                [
                    t("rounds_between", lang),
                    t("col_headline", lang),
                    t("rounds_before", lang),
                    t("rounds_after", lang),
                ],
                change_rows,
                "rounds-changes",
                lang,
            ),
            html.H5(t("rounds_recurring", lang), className="mt-3"),
            _table(
                [
                    t("rounds_earlier", lang),
                    t("rounds_problem", lang),
                    t("rounds_later", lang),
                    t("rounds_problem", lang),
                    t("rounds_similarity", lang),
                ],
                recurring_rows,
                "rounds-recurring",
                lang,
            ),
        ]
    )
