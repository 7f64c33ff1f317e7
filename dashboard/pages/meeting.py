"""会议模式 Meeting mode: one chart per screen, large type, ←/→ and PageUp/PageDown to move."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html

from dashboard import data, ids
from dashboard.components import (
    deadline_tiles,
    empty_warehouse,
    headline_tiles,
    indicator_tiles,
    step_button,
)
from views import figures
from views.doubts import doubt_reasons, doubt_summary
from views.filters import cite_reports, describe, stale, stale_notice
from views.i18n import t
from views.overview import gather_overview
from views.reports import report_names
from views.summaries import deadline_counts, headline_split
from views.theme import GRAPH_CONFIG, format_date
from warehouse import queries
from warehouse.filters import Filters

dash.register_page(__name__, path="/meeting", name="meeting", order=9)

SLIDES = ("kpis", "completion", "status", "heatmap", "departments")
# Departments on one slide: as many as a 1024×768 projector shows in large type.
MEETING_DEPARTMENTS = 8


def layout(**_query) -> html.Div:
    # The whole screen: the slide takes what the footer leaves (assets/rectify.css). The
    # hidden-key buttons are what assets/meeting.js presses for arrow keys and clickers.
    return html.Div(
        [
            dcc.Store(id=ids.MEETING_INDEX, data=0),
            dcc.Loading(
                html.Div(id=ids.MEETING_SLIDE, className="meeting-slide"),
                type="circle",
                delay_show=250,
                # The stage takes the height the footer leaves, and the slide all of it.
                parent_className="meeting-stage",
            ),
            html.Div(
                [
                    html.Div(id=ids.MEETING_FOOTER, className="meeting-source"),
                    html.Div(
                        [
                            step_button(ids.MEETING_PREV),
                            step_button(ids.MEETING_NEXT),
                            html.Span(id=ids.MEETING_HINT, className="text-muted me-2"),
                            dcc.Link(id=ids.MEETING_EXIT, href="/"),
                        ],
                        className="meeting-controls",
                    ),
                ],
                className="meeting-footer",
            ),
        ],
        className="meeting",
    )


@callback(
    Output(ids.MEETING_INDEX, "data"),
    Input(ids.MEETING_PREV, "n_clicks"),
    Input(ids.MEETING_NEXT, "n_clicks"),
    State(ids.MEETING_INDEX, "data"),
    prevent_initial_call=True,
)
def move(_prev, _next, index):
    step = -1 if dash.ctx.triggered_id == ids.MEETING_PREV else 1
    return ((index or 0) + step) % len(SLIDES)


@callback(
    Output(ids.MEETING_SLIDE, "children"),
    Output(ids.MEETING_FOOTER, "children"),
    Output(ids.MEETING_PREV, "children"),
    Output(ids.MEETING_NEXT, "children"),
    Output(ids.MEETING_HINT, "children"),
    Output(ids.MEETING_EXIT, "children"),
    Output(ids.MEETING_EXIT, "href"),
    Input(ids.MEETING_INDEX, "data"),
    Input(ids.URL, "search"),
    Input(ids.LANG, "data"),
)
def render(index, search, lang):
    """The slide at `index` under the filters, and its footer: the report(s), the filters
    and the date it shows."""
    lang, f = lang or "zh", Filters.from_search(search)
    slide = SLIDES[(index or 0) % len(SLIDES)]
    chrome = (
        t("prev", lang),
        t("next", lang),
        f"{(index or 0) + 1}/{len(SLIDES)} · {t('meeting_hint', lang)}",
        t("meeting_exit", lang),
        "/" + (search or ""),
    )
    with data.cursor() as con:
        if con is None:
            return (empty_warehouse(lang), None, *chrome)
        o = gather_overview(con, f, departments=slide == "departments", context=True)
        cited = list(queries.filtered_reports(con, f)["report_id"])
        names = report_names(con, cited[:1] if f.report else cited[:FOOTER_REPORTS], lang)
        gone = stale(
            f,
            bool(names) or not f.report,
            not f.department or queries.department_known(con, f.department),
        )
    reasons = doubt_reasons(o.doubts, lang)
    # The report cited is not named a second time as a filter; the other filters are.
    rest = f.without("report") if f.report else f
    footer = [
        " · ".join(
            [
                cite_reports([names.get(rid, rid) for rid in cited] or [], lang),
                *([describe(rest, None, lang)] if rest.is_set or not f.report else []),
                format_date(o.today, lang),
            ]
        )
    ]
    if reasons:  # what to check before the rates are trusted, one line away
        footer += [
            " · ",
            dbc.Badge(t("needs_review", lang), color="warning", text_color="dark"),
            " ",
            html.Span(
                f"{doubt_summary(o.doubts, lang)}：{reasons[0]}"
                if lang == "zh"
                else f"{doubt_summary(o.doubts, lang)}: {reasons[0]}",
                className="meeting-review",
                title="\n".join(reasons),
            ),
        ]
    slide_body = _slide(slide, o, f, lang, reasons)
    if gone:  # a bookmark's filter the warehouse no longer knows: say so over the slide
        slide_body = html.Div(
            [
                dbc.Alert(stale_notice(gone, lang), color="warning", className="py-1 mb-1"),
                slide_body,
            ],
            className="meeting-stale",
        )
    return (slide_body, footer, *chrome)


# Reports named in the footer at most (it names the first and counts the rest).
FOOTER_REPORTS = 1


def _slide(slide: str, o, f: Filters, lang: str, reasons: list[str]):
    if slide == "kpis":
        return _kpi_slide(o, f, lang, reasons)
    if slide == "completion":
        fig = figures.completion_by_category(
            o.completion_context("items"),
            lang,
            big=True,
            picked=(f.category, f.status),
            empty=figures.empty_message(f, "none_items"),
        )
    elif slide == "status":
        fig = figures.status_doughnut(
            o.status_context("items"),
            lang,
            big=True,
            picked=f.status,
            empty=figures.empty_message(f, "none_items"),
        )
    elif slide == "heatmap":
        fig = figures.department_heatmap(
            o.heat if o.heat_context is None else o.heat_context,
            lang,
            big=True,
            picked=(f.department, f.category),
            limit=MEETING_DEPARTMENTS,
            empty=figures.empty_message(f, "none_departments"),
        )
    else:
        fig = figures.department_completion(
            o.departments,
            lang,
            big=True,
            limit=MEETING_DEPARTMENTS,
            empty=figures.empty_message(f, "none_departments"),
        )
    # The figure fills the slide's box (sized by the stylesheet), whatever the screen.
    return dcc.Graph(
        figure=fig,
        config={**GRAPH_CONFIG, "responsive": True},
        className="meeting-graph",
        id=f"meeting-{slide}",
    )


def _kpi_slide(o, f: Filters, lang: str, reasons: list[str]) -> html.Div:
    """The figures a leader asks for first, filling the screen: the completion rate, items
    and measures in one row, the headline indicators two to a row under it, and where
    ledgers give deadlines the open tasks by days left. Each row of tiles takes an equal
    share of the slide's height (its lines: `flexGrow`), and the figures' size follows that
    share (`--kpi-rows`, assets/rectify.css)."""
    headline, rest = headline_split(o.indicators)
    if headline.empty:
        headline = rest.head(4)
    lines = -(-len(headline) // 2)  # two indicator tiles to a row
    parts = [
        dbc.Row(
            headline_tiles(
                o.kpis,
                lang,
                rate=o.rate("items"),
                review=(doubt_summary(o.doubts, lang), reasons),
                status_filtered=f.status is not None,
            ),
            className="g-3 meeting-kpi-row meeting-headline",
        )
    ]
    if lines:
        parts.append(
            dbc.Row(
                indicator_tiles(headline, lang, width="col-6"),
                className="g-3 meeting-kpi-row",
                style={"flexGrow": lines},
            )
        )
    # Where ledgers give deadlines, what is overdue belongs on the first screen too.
    deadlines = not o.deadlines.empty
    if deadlines:
        parts.append(deadline_tiles(deadline_counts(o.deadlines), lang))
    rows = 1 + lines + deadlines
    return html.Div(parts, className="meeting-kpis", id="meeting-kpis", style={"--kpi-rows": rows})
