"""Small pieces of layout shared by pages: KPI tiles, badges, empty states, highlighted text."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import ctx, dcc, html

from dashboard import data, ids
from views import clock, vocabulary
from views.i18n import (
    indicator_name,
    inspection_kind_label,
    plural,
    status_label,
    t,
    unit_label,
)
from views.reports import reports_page
from views.summaries import share, shared_note
from views.theme import GRAPH_CONFIG, format_date, format_number, format_percent, format_total


def empty_warehouse(lang: str = "zh") -> html.Div:
    return html.Div(
        [
            html.H2(t("empty_title", lang)),
            html.P(t("empty_body", lang)),
            html.Pre(t("empty_command", lang)),
        ],
        className="rectify-empty",
        id="empty-warehouse",
    )


def kpi_tile(
    label: str,
    value,
    unit: str = "",
    tile_id: str | None = None,
    width: str = "col-6 col-md-4 col-lg-3",
    extra_class: str = "",
    note: str = "",
    hint: str | None = None,
) -> html.Div:
    # Plain elements with Bootstrap's classes, as few as show it: the overview draws a dozen
    # of these on every filter change, and each component costs the renderer time.
    card = html.Div(
        [
            html.Div(label, className="kpi-label"),
            # The figure never breaks; its unit may go under it in a narrow tile.
            html.Div(
                [html.Span(value, className="kpi-num")]
                + ([html.Span(unit, className="kpi-unit")] if unit else []),
                className="kpi-value",
            ),
            *([html.Div(note, className="kpi-note small text-muted")] if note else []),
        ],
        className=f"card card-body kpi-tile {extra_class}".strip(),
        **({"title": hint} if hint else {}),
    )
    extra = {"id": tile_id} if tile_id else {}
    return html.Div(card, className=width, **extra)


def step_button(button_id: str) -> dbc.Button:
    """A quiet previous/next button (meeting mode's slides, the explorer's pages); its label
    comes from the page's callback, in the reader's language."""
    return dbc.Button(
        id=button_id, n_clicks=0, color="secondary", outline=True, size="sm", className="me-2"
    )


def status_badge(status: str | None, lang: str = "zh") -> dbc.Badge:
    colour = vocabulary.status_badge(status)
    # Light and yellow badges need dark text to be read (未明确 is light grey).
    text = "dark" if colour in ("light", "warning", "info") else None
    return dbc.Badge(status_label(status, lang), color=colour, text_color=text)


def highlighted(text: str, spans: list[tuple[int, int]]) -> list:
    """The text as plain strings with each [start, end) span marked; never parsed as HTML."""
    pieces, pos = [], 0
    for start, end in sorted(spans):
        if start < pos or start >= len(text):
            continue
        pieces.append(text[pos:start])
        pieces.append(html.Mark(text[start:end]))
        pos = end
    pieces.append(text[pos:])
    return [p for p in pieces if p != ""]


def no_data(lang: str = "zh", message: str = "no_data") -> html.Div:
    """An empty list's words: nothing under the filters, or `message`, what is missing."""
    return html.Div(t(message, lang), className="text-muted p-3")


def _done_of(done: int, total: int, lang: str) -> list:
    return [
        format_number(done, lang),
        html.Span(f" / {format_number(total, lang)}", className="kpi-of"),
    ]


def headline_tiles(
    k: dict,
    lang: str,
    width: str = "col-12 col-sm-4",
    rate: tuple[int, int] | None = None,
    unit: str = "items",
    review: tuple[str, list[str]] | None = None,
    status_filtered: bool = False,
    reviewed: tuple | None = None,
) -> list:
    """The overview's first row: the completion rate counted in `unit` (items or measures,
    said in its label) from `rate` (completed, all: views.overview.Overview.rate), then items
    and measures completed of all. `review` (views.doubts' summary and reasons) marks the
    rate 待核查 with its reasons one click away (已核查, by whom: `reviewed`, once an analyst
    marked the one report's warnings reviewed); `status_filtered` notes that the rate keeps every
    status (a status filter picks a slice of it)."""
    rate = rate or (k["items_completed"], k["items"])
    done, total = rate
    note = (
        t("kpi_rate_all_statuses", lang).format(
            done=format_number(done, lang), total=format_number(total, lang)
        )
        if status_filtered
        else ""
    )
    rate_tile = kpi_tile(
        t(f"kpi_rate_{unit}", lang),
        format_percent(share(rate)),
        tile_id="kpi-rate",
        width=width,
        extra_class="kpi-rate",
        note=note,
    )
    if review and review[1]:
        rate_tile.children.children.append(
            review_mark(review[1], lang, "review-details", reviewed, summary=review[0])
        )
    return [
        rate_tile,
        kpi_tile(
            t("kpi_items_done", lang),
            _done_of(k["items_completed"], k["items"], lang),
            tile_id="kpi-items",
            width=width,
            hint=t("count_level_note", lang),
        ),
        kpi_tile(
            t("kpi_measures_done", lang),
            _done_of(k["measures_completed"], k["measures"], lang),
            tile_id="kpi-measures",
            width=width,
        ),
    ]


def indicator_tiles(frame, lang: str, width: str = "col-6 col-md-4 col-lg-3") -> list:
    """A tile per indicator of `frame` (views.summaries.headline_split's halves), with unit;
    a total with lower-bound or approximate parts says so (100万余, 约9.6万)."""
    return [
        kpi_tile(
            indicator_name(row, lang),
            format_total(row["total"] if row["n_metrics"] else 0, lang, row.get("qualifier")),
            unit_label(row["unit"], lang),
            tile_id=f"kpi-{row['code']}",
            width=width,
            note=shared_note(row, lang),
        )
        for row in frame.to_dict("records")
    ]


def has_data(figure: dict | None) -> bool:
    """Whether a figure draws anything (views.figures' empty charts have no traces)."""
    return bool(figure and figure.get("data"))


def chart(graph_id: str, figure: dict | None = None) -> html.Div:
    """A chart with its own PNG (3x, 16:9) and SVG download buttons beneath it, saved by the
    browser from what is drawn, named after the chart, the report and the date, and a loading
    indicator while it waits for its figure. The buttons show only while the figure has data
    (`graph_id` one of ids.CHARTS: app.py keeps them in step with the figure)."""
    buttons = [
        html.Button(
            f"⤓ {fmt.upper()}",
            id={"type": ids.CHART_DOWNLOAD, "chart": graph_id, "format": fmt},
            className="btn btn-link btn-sm chart-download",
            n_clicks=0,
        )
        for fmt in ("png", "svg")
    ]
    graph = dcc.Graph(id=graph_id, config=GRAPH_CONFIG, **({"figure": figure} if figure else {}))
    return html.Div(
        [
            # A spinner over the chart while its callback runs (after a short delay, so a
            # quick redraw does not flash one).
            dcc.Loading(graph, type="circle", delay_show=250),
            html.Div(
                buttons,
                id={"type": ids.CHART_DOWNLOADS, "chart": graph_id},
                className="chart-downloads",
                style=None if has_data(figure) else {"display": "none"},
            ),
        ]
    )


def deadline_tiles(counts: list[dict], lang: str) -> html.Div:
    """Open tasks by days left to their deadline: overdue, due soon, … (ledgers only)."""
    previous = None
    tiles = []
    for band in counts:
        label = t(f"band_{band['band']}", lang).format(n=band["days"], m=previous)
        tiles.append(
            dbc.Col(
                html.Div(
                    [
                        html.Div(label, className="kpi-label"),
                        html.Div(str(band["n"]), className="kpi-value"),
                    ],
                    className="kpi-tile deadline-tile",
                    style={"borderLeft": f"6px solid {band['colour']}"},
                    id=f"deadline-{band['band']}",
                ),
                xs=6,
                md=3,
            )
        )
        previous = band["days"]
    heading = html.H6(t("deadlines_heading", lang), className="mt-2 mb-1")
    return html.Div([heading, dbc.Row(tiles, className="g-2 mb-2")], className="deadline-tiles")


def text_or(value, fallback: str = "") -> str:
    """A text cell of a query's frame, or `fallback` where it has none (None or NaN: a pandas
    frame may hold either for a missing string, and NaN is truthy)."""
    return value if isinstance(value, str) and value else fallback


def _when(value, lang: str) -> str:
    """Day and minute of a pandas timestamp (when a report was loaded) in the organisation's
    time zone (views.clock), the day as every page writes it: 2026年11月30日 03:42."""
    if pd.isna(value):
        return ""
    moment = clock.local(pd.Timestamp(value).to_pydatetime())
    return f"{format_date(moment, lang)} {moment:%H:%M}"


def stated_check(mismatch: bool, lang: str):
    """The 核对 cell of a stated-vs-counted table: 不一致 flagged, else a quiet 一致."""
    if mismatch:
        return dbc.Badge(t("stated_mismatch", lang), color="danger")
    return html.Span(t("stated_match", lang), className="text-muted small")


def review_mark(
    messages: list[str],
    lang: str,
    mark_id: str | None = None,
    reviewed: tuple | None = None,
    notes: list[str] | tuple = (),
    summary: str | None = None,
):
    """待核查 (needs review) with the parse's review-level warnings (`messages`) one click
    away, said in `summary` (else as a count of parse warnings), and its info `notes` under
    them; once an analyst marked them reviewed (`reviewed`: who, when), 已核查 and by whom;
    with notes alone, a quiet 说明 (notes) list and no mark; None when there is neither."""
    if not messages and not notes:
        return None
    named = {"id": mark_id} if mark_id else {}
    listed = (
        [html.Ul([html.Li(m) for m in notes], className="small mb-1 text-muted review-notes")]
        if notes
        else []
    )
    if not messages:
        quiet = html.Summary(
            html.Span(plural("parse_notes_count", lang, len(notes)), className="small"),
            className="review-summary text-muted",
        )
        return html.Details([quiet, *listed], className="review-notes-only", **named)
    badge = (
        dbc.Badge("✓ " + t("reviewed", lang), color="success")
        if reviewed
        else dbc.Badge(t("needs_review", lang), color="warning", text_color="dark")
    )
    # The count never breaks inside (5 条解析 / 提示 in a narrow column); who reviewed may.
    count = [html.Span(summary or plural("needs_review_count", lang, len(messages)),
                       className="small text-nowrap")]  # fmt: skip
    if reviewed:
        done = t("review_done", lang).format(user=reviewed[0], when=reviewed[1])
        count.append(html.Span(" · " + done, className="small"))
    head = html.Summary([badge, " ", *count], className="review-summary")
    items = html.Ul([html.Li(m) for m in messages], className="small mb-1 review-warnings")
    return html.Details([head, items, *listed], className="review-mark", **named)


def pager(pager_id: str, max_value: int = 1, active_page: int | None = 1) -> dbc.Pagination:
    """A compact pager (first, previous, a few pages, next, last) for a list paged on the
    server."""
    return dbc.Pagination(
        id=pager_id,
        max_value=max_value,
        active_page=active_page,
        fully_expanded=False,
        previous_next=True,
        first_last=True,
        size="sm",
        class_name="mb-0",
    )


def report_list_controls(
    search_id: str, pager_id: str, count_id: str, lang: str, page=None
) -> html.Div:
    """A search box, the place in the list and a pager: the reports are paged on the server;
    `page` (views.reports.ReportsPage), when given, is the one the list arrives with."""
    return html.Div(
        [
            # Searched as it is typed, once typing pauses.
            dcc.Input(
                id=search_id,
                type="search",
                debounce=SEARCH_PAUSE,
                placeholder=t("reports_search", lang),
                className="form-control form-control-sm me-2 reports-search",
                style={"width": "20rem", "maxWidth": "100%"},
            ),
            html.Span(
                list_place(page, lang) if page else "",
                id=count_id,
                className="small text-muted me-2 text-nowrap",
            ),
            pager(pager_id, page.pages, page.page) if page else pager(pager_id),
        ],
        className="d-flex align-items-center flex-wrap gap-1 mb-2",
    )


def list_pager(place_id: str, pager_id: str) -> html.Div:
    """Where the page sits in a list paged on the server, and the pager."""
    return html.Div(
        [html.Span(id=place_id, className="small text-muted me-2"), pager(pager_id)],
        className="d-flex align-items-center flex-wrap gap-1 mb-2",
    )


def report_list_page(search: str | None, page: int | None, lang: str):
    """Page `page` of the loaded reports matching `search` (views.reports.ReportsPage); None
    with no warehouse or no report at all."""
    with data.cursor() as con:
        found = reports_page(con, search, page, lang) if con is not None else None
    return None if found is None or (found.total == 0 and not search) else found


def asked_page(search_id: str, active_page: int | None) -> int | None:
    """The page a list's callback is asked for: the first again when its search changed."""
    return 1 if ctx.triggered_id == search_id else active_page


def reports_table(page, lang: str = "zh", actions: dict | None = None) -> html.Table:
    """A page of the loaded reports (views.reports.ReportsPage): title with its file name,
    unit, kind, published and loaded dates, counts, and a 待核查 mark where the parse warned;
    `actions` adds a last cell per report id (the data page's buttons)."""
    actions = actions or {}
    keys = (
        "col_title",
        "col_unit",
        "col_kind",
        "col_published",
        "col_loaded",
        "col_items",
        "col_measures",
        "col_metrics",
        "col_review",
    )
    titles = {"col_items": t("count_level_note", lang)}
    head = html.Thead(
        html.Tr(
            [html.Th(t(k, lang), title=titles.get(k), className="text-nowrap") for k in keys]
            + ([html.Th("")] if actions else [])
        )
    )
    rows = [
        html.Tr(
            [
                html.Td(
                    [
                        # The name the report goes by everywhere (title, else unit, else
                        # file), its file name under it.
                        html.Div(text_or(r.label, text_or(r.file_name))),
                        html.Div(text_or(r.file_name), className="small text-muted file-name"),
                    ]
                ),
                html.Td(text_or(r.inspected_unit)),
                html.Td(
                    inspection_kind_label(text_or(r.inspection_kind), lang), className="text-nowrap"
                ),
                html.Td(format_date(r.publish_date, lang), className="text-nowrap"),
                html.Td(_when(r.loaded_at, lang), className="keep-words"),
                html.Td(int(r.n_items)),
                html.Td(int(r.n_measures)),
                html.Td(int(r.n_metrics)),
                html.Td(
                    review_mark(
                        page.warnings.get(r.report_id, []),
                        lang,
                        notes=page.notes.get(r.report_id, []),
                    )
                ),
                *([html.Td(actions.get(r.report_id))] if actions else []),
            ],
            id=f"report-{r.report_id}",
        )
        for r in page.rows.itertuples()
    ]
    return html.Table(
        [head, html.Tbody(rows)], className="table table-sm table-striped", id="reports-table"
    )


# Seconds of no typing after which a search box searches.
SEARCH_PAUSE = 0.4


def entries_place(page: int, page_size: int, shown: int, total: int, lang: str) -> str:
    """Where a page of `shown` entries (page `page`, 1-based) sits in a list of `total`:
    第 21–40 条,共 57 条; blank for an empty list (its table says that nothing is there, and
    第 0–0 条,共 0 条 said it twice)."""
    if not total:
        return ""
    first = (page - 1) * page_size + 1
    return t("entries_place", lang).format(
        first=f"{first:,}", last=f"{first + shown - 1:,}", total=f"{total:,}"
    )


def list_place(page, lang: str) -> str:
    """Where the page sits in the list: 第 1–25 条,共 10,000 份通报; that none match."""
    if not page.total:
        return t("reports_none", lang)
    return t("reports_place", lang).format(
        first=f"{page.first:,}", last=f"{page.last:,}", total=f"{page.total:,}"
    )
