"""Pure figure functions: a DataFrame (from a warehouse query) in, a Plotly figure out.

Figures are plain dicts in Plotly's JSON shape (what dcc.Graph takes): building them skips
graph_objects' validation, which costs more than the queries on a large warehouse.
"""

from __future__ import annotations

import pandas as pd

from views import theme, vocabulary
from views.i18n import category_label, status_label, t
from views.summaries import busiest_first


def _figure(data: list[dict], title: str, big: bool = False, **layout) -> dict:
    base = dict(theme.FIGURE_LAYOUT)
    if big:
        base["font"] = {**base["font"], "size": theme.MEETING_FONT_SIZE}
        base["margin"] = {**base["margin"], "t": 80}
    # The title hangs from the top of the figure, inside it, whatever the margins.
    heading = {
        "text": title,
        "x": 0.01,
        "xanchor": "left",
        "y": 1,
        "yref": "container",
        "yanchor": "top",
        "pad": {"t": 12},
    }
    return {"data": data, "layout": {**base, "title": heading, **layout}}


def empty_message(filters, missing: str) -> str:
    """What an empty chart says: 'no_data' (nothing under these filters) where filters other
    than the report narrow the view, else `missing`, what the reports lack (none_items,
    none_departments …): an empty chart blames the filters only when they are to blame."""
    return "no_data" if filters.without("report").is_set else missing


def _empty(title: str, lang: str, big: bool = False, message: str = "no_data") -> dict:
    note = {
        "text": t(message, lang),
        "showarrow": False,
        "x": 0.5,
        "y": 0.5,
        "xref": "paper",
        "yref": "paper",
    }
    hidden = {"visible": False}
    return _figure([], title, big, annotations=[note], xaxis=hidden, yaxis=hidden)


def _faded(hex_colour: str, alpha: float) -> str:
    colour = hex_colour.lstrip("#")
    r, g, b = (int(colour[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def _picked(value: str, chosen: str | None) -> bool:
    """Whether a bar, slice or cell of `value` is part of a cross-filter's pick (none: all)."""
    return chosen is None or value == chosen


def _label_axis(names: list[str], width: int, **extra) -> dict:
    """A category axis of full names, long ones wrapped (never cut), given room by automargin."""
    return {
        "tickmode": "array",
        "tickvals": names,
        "ticktext": [theme.wrap_label(n, width) for n in names],
        "automargin": True,
        **extra,
    }


# A legend in one line above the plot, in the order the traces are drawn.
TOP_LEGEND = {"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom", "traceorder": "normal"}


def _bar_height(rows: int) -> int:
    """The overview's first row of charts: tall enough for `rows` bars, the same for both."""
    return max(300, 150 + 44 * rows)


def completion_by_category(
    df: pd.DataFrame,
    lang: str = "zh",
    big: bool = False,
    picked: tuple[str | None, str | None] = (None, None),
    unit: str = "items",
    empty: str = "no_data",
) -> dict:
    """Completion rate by category: one bar per category split by status into shares (the
    completed share first, at the left), the rate and counts beside each bar, counted in
    `unit` ('items' or 'measures', named in the title). `picked` (category, status) is what
    a cross-filter chose: drawn in full, the rest dimmed.
    Each segment's customdata: category, status, count, share, count as read, total as read."""
    title = t("chart_completion", lang) + t(f"counted_in_{unit}", lang)
    if df.empty:
        return _empty(title, lang, big, message=empty)
    counted: dict[tuple[str, str], int] = {}
    for category, status, n in zip(df["category"], df["status"], df["n"], strict=True):
        counted[(category, status)] = counted.get((category, status), 0) + int(n)
    totals = {
        c: sum(n for (cat, _s), n in counted.items() if cat == c) for c in vocabulary.categories()
    }
    categories = [c for c in vocabulary.categories() if totals[c]]
    labels = [category_label(c, lang) for c in categories]
    want_category, want_status = picked
    selecting = want_category is not None or want_status is not None
    data = []
    for status in vocabulary.statuses_done_first():
        if not any(s == status for _c, s in counted):
            continue
        counts = [counted.get((c, status), 0) for c in categories]
        shares = [n / totals[c] for n, c in zip(counts, categories, strict=True)]
        data.append(
            {
                "type": "bar",
                "orientation": "h",
                "name": status_label(status, lang),
                "y": labels,
                "x": shares,
                "marker": {
                    "color": vocabulary.status_colour(status),
                    "opacity": [
                        1
                        if not selecting
                        or (_picked(c, want_category) and _picked(status, want_status))
                        else theme.DIMMED_OPACITY
                        for c in categories
                    ],
                },
                "customdata": [
                    [
                        c,
                        status,
                        n,
                        theme.format_percent(s),
                        theme.format_number(n, lang),
                        theme.format_number(totals[c], lang),
                    ]
                    for c, n, s in zip(categories, counts, shares, strict=True)
                ],
                "hovertemplate": "%{y} · "
                + status_label(status, lang)
                + ": %{customdata[4]}/%{customdata[5]} (%{customdata[3]})<extra></extra>",
                "text": [theme.format_percent(s) if s >= 0.08 else "" for s in shares],
                "textposition": "inside",
                "insidetextanchor": "middle",
            }
        )
    done = set(vocabulary.done_statuses())
    notes = []
    for c, label in zip(categories, labels, strict=True):
        finished = sum(n for (cat, s), n in counted.items() if cat == c and s in done)
        notes.append(
            {
                "x": 1,
                "xref": "paper",
                "xanchor": "left",
                "xshift": 8,
                "y": label,
                "yref": "y",
                "showarrow": False,
                "align": "left",
                "text": f"<b>{theme.format_percent(finished / totals[c])}</b> "
                f"{theme.format_number(finished, lang)}/{theme.format_number(totals[c], lang)}",
            }
        )
    layout = {
        "barmode": "stack",
        "bargap": 0.35,
        "legend": TOP_LEGEND,
        "xaxis": {"range": [0, 1], "tickformat": ".0%", "fixedrange": True},
        "yaxis": _label_axis(labels, 12, autorange="reversed", fixedrange=True),
        "annotations": notes,
        "margin": {**theme.FIGURE_LAYOUT["margin"], "t": 80, "r": 180 if big else 110},
    }
    if not big:
        layout["height"] = _bar_height(len(categories))
    return _figure(data, title, big, **layout)


def status_doughnut(
    df: pd.DataFrame,
    lang: str = "zh",
    big: bool = False,
    picked: str | None = None,
    unit: str = "items",
    empty: str = "no_data",
) -> dict:
    """Share of each status, counted in `unit`; takes the same frame as
    completion_by_category. `picked` (a status a cross-filter chose) is pulled out, the
    other slices dimmed; the completion rate stands in the hole. Shares read as every
    percentage does (format_percent: whole per cent), so a slice and the rate agree."""
    title = t("chart_status", lang) + t(f"counted_in_{unit}", lang)
    if df.empty:
        return _empty(title, lang, big, message=empty)
    counts: dict[str, int] = {}
    for status, n in zip(df["status"], df["n"], strict=True):
        counts[status] = counts.get(status, 0) + int(n)
    statuses = [s for s in vocabulary.statuses() if s in counts]
    total = sum(counts.values())
    done = sum(counts[s] for s in statuses if vocabulary.is_done(s))
    colours = [
        vocabulary.status_colour(s)
        if _picked(s, picked)
        else _faded(vocabulary.status_colour(s), theme.DIMMED_OPACITY)
        for s in statuses
    ]
    pie = {
        "type": "pie",
        "labels": [status_label(s, lang) for s in statuses],
        "values": [counts[s] for s in statuses],
        "customdata": [
            [s, theme.format_number(counts[s], lang), theme.format_percent(counts[s] / total)]
            for s in statuses
        ],
        "hole": 0.55,
        "sort": False,
        "direction": "clockwise",
        "pull": [0.08 if picked is not None and s == picked else 0 for s in statuses],
        "marker": {"colors": colours, "line": {"color": "white", "width": 1}},
        "texttemplate": "%{customdata[2]}",
        "hovertemplate": "%{label}: %{customdata[1]} (%{customdata[2]})<extra></extra>",
    }
    centre = {
        "text": f"<b>{theme.format_percent(done / total if total else None)}</b><br>"
        f"{t('doughnut_centre', lang)}",
        "x": 0.5,
        "y": 0.5,
        "xref": "paper",
        "yref": "paper",
        "showarrow": False,
        "font": {"size": (theme.MEETING_FONT_SIZE if big else 14) + 4},
    }
    layout = {
        "showlegend": True,
        "legend": {"orientation": "h", "x": 0.5, "xanchor": "center", "y": -0.05},
        "annotations": [centre],
    }
    if not big:
        layout["height"] = _bar_height(len(set(df["category"])) if "category" in df else 0)
    return _figure([pie], title, big, **layout)


def department_heatmap(
    df: pd.DataFrame,
    lang: str = "zh",
    big: bool = False,
    picked: tuple[str | None, str | None] = (None, None),
    limit: int | None = None,
    empty: str = "no_data",
) -> dict:
    """Departments × categories, measures per cell, light (few) to dark (many) on a colour
    bar; an empty cell is blank. `limit` keeps the busiest departments (the title says so);
    `picked` (department, category) is drawn in full over the rest, dimmed."""
    title = t("chart_heatmap", lang)
    if df.empty:
        return _empty(title, lang, big, message=empty)
    cells: dict[str, dict[str, int]] = {}
    for dept, category, n in zip(df["department"], df["category"], df["n"], strict=True):
        row = cells.setdefault(dept, {})
        row[category] = row.get(category, 0) + int(n)
    categories = [c for c in vocabulary.categories() if any(c in row for row in cells.values())]
    # In the 部门 page's order, the busiest at the top (Plotly draws the first row at the
    # bottom); cut to the busiest `limit` of that order.
    departments = busiest_first({d: sum(row.values()) for d, row in cells.items()})
    if limit is not None and len(departments) > limit:
        departments = departments[:limit]
        title = t("chart_heatmap_top", lang).format(n=limit)
    departments.reverse()
    values = [[cells[d].get(c, 0) for c in categories] for d in departments]
    top = max(max(row) for row in values)
    ticks = theme.nice_ticks(top)
    labels = [category_label(c, lang) for c in categories]
    want_department, want_category = picked
    selecting = want_department is not None or want_category is not None

    def layer(keep) -> dict:
        return {
            "type": "heatmap",
            "z": [
                [v if v and keep(d, c) else None for v, c in zip(row, categories, strict=True)]
                for d, row in zip(departments, values, strict=True)
            ],
            "x": labels,
            "y": departments,
            "customdata": [
                [[d, c, theme.format_number(cells[d].get(c, 0), lang)] for c in categories]
                for d in departments
            ],
            "colorscale": theme.SEQUENTIAL,
            "zmin": 0,
            "zmax": ticks[-1],
            "xgap": 2,
            "ygap": 2,
            "text": [
                [
                    theme.format_number(v, lang) if v and keep(d, c) else ""
                    for v, c in zip(row, categories, strict=True)
                ]
                for d, row in zip(departments, values, strict=True)
            ],
            "texttemplate": "%{text}",
            "hovertemplate": "%{y} · %{x}: %{customdata[2]}<extra></extra>",
            "hoverongaps": False,
            "showscale": False,
        }

    heat = layer(lambda d, c: True)
    heat["showscale"] = True
    heat["colorbar"] = {
        "title": {"text": t("axis_measures", lang), "side": "top"},
        "tickmode": "array",
        "tickvals": ticks,
        "ticktext": [theme.format_number(v, lang) for v in ticks],
        "thickness": 14,
        "len": 0.8 if big else min(1.0, 300 / (60 + 40 * len(departments)) + 0.2),
    }
    data = [heat]
    if selecting:
        heat["opacity"] = theme.DIMMED_OPACITY
        data.append(layer(lambda d, c: _picked(d, want_department) and _picked(c, want_category)))
    layout = {
        "xaxis": {"side": "top", "automargin": True, "fixedrange": True},
        "yaxis": _label_axis(departments, 10 if big else 12, fixedrange=True),
        "margin": {**theme.FIGURE_LAYOUT["margin"], "t": 90 if big else 80},
    }
    if not big:
        layout["height"] = max(320, 130 + 40 * len(departments))
    return _figure(data, title, big, **layout)


def milestones(header: dict | None, lang: str = "zh", big: bool = False) -> dict:
    """The inspection period, feedback and publication on one time line."""
    title = t("chart_timeline", lang)
    if not header:
        return _empty(title, lang, big, message="pick_report_for_timeline")
    data = []
    hover = "%{x|" + theme.DATE_HOVER[lang] + "}<extra></extra>"
    start, end = header.get("inspection_start"), header.get("inspection_end")
    if start and end:
        data.append(
            {
                "type": "scatter",
                "x": [str(start), str(end)],
                "y": [1, 1],
                "mode": "lines+markers+text",
                "line": {"width": 10, "color": "#1f6fb2"},
                # Named above its start, the points below theirs: a short period's name
                # and the feedback close after it never meet.
                "text": [t("ms_inspection", lang), ""],
                "textposition": "top right",
                "name": t("ms_inspection", lang),
                "hovertemplate": t("ms_inspection", lang) + " " + hover,
            }
        )
    points = [
        (header.get("feedback_date"), "ms_feedback", "#d9822b"),
        (header.get("publish_date"), "ms_publish", "#2e8b57"),
    ]
    for when, key, colour in points:
        if when:
            data.append(
                {
                    "type": "scatter",
                    "x": [str(when)],
                    "y": [1],
                    "mode": "markers+text",
                    "marker": {"size": 16, "color": colour},
                    "text": [t(key, lang)],
                    "textposition": "bottom center",
                    "name": t(key, lang),
                    "hovertemplate": t(key, lang) + " " + hover,
                }
            )
    if not data:
        return _empty(title, lang, big, message="none_dates")
    # A label over the latest point runs left of it, over the earliest right of it, so that
    # neither is cut at the chart's edge however narrow the chart.
    days = [pd.Timestamp(x) for trace in data for x in trace["x"]]
    for trace in data[1:] if start and end else data:
        day = pd.Timestamp(trace["x"][0])
        if len(days) > 1 and day == max(days):
            trace["textposition"] = "bottom left"
        elif len(days) > 1 and day == min(days):
            trace["textposition"] = "bottom right"
    return _figure(
        data,
        title,
        big,
        height=220,
        showlegend=False,
        yaxis={"visible": False, "range": [0.3, 1.7]},
        xaxis={
            "type": "date",
            "tickformat": theme.DATE_TICKS[lang],
            "automargin": True,
            "range": _padded_dates([x for trace in data for x in trace["x"]]),
        },
    )


def _padded_dates(days: list[str]) -> list[str]:
    """A date axis's range with room either side for the labels at its ends."""
    stamps = [pd.Timestamp(d) for d in days]
    first, last = min(stamps), max(stamps)
    pad = max((last - first) * 0.12, pd.Timedelta(days=15))
    return [str((first - pad).date()), str((last + pad).date())]


def department_completion(
    df: pd.DataFrame,
    lang: str = "zh",
    big: bool = False,
    limit: int | None = None,
    empty: str = "no_data",
) -> dict:
    """Per department (views.summaries.department_summary's frame): measures by status,
    horizontal stacked bars, the busiest at the top (busiest_first, as the table under it);
    `limit` keeps the busiest departments (the title says so)."""
    title = t("chart_departments", lang)
    if df.empty:
        return _empty(title, lang, big, message=empty)
    order = busiest_first(dict(zip(df["department"], df["measures"], strict=True)))
    if limit is not None and len(order) > limit:
        order = order[:limit]
        title = t("chart_departments_top", lang).format(n=limit)
    # Bottom up: Plotly draws the first bar at the bottom.
    ordered = df.set_index("department").loc[order[::-1]].reset_index()
    departments = list(ordered["department"])
    data = []
    for status in vocabulary.statuses_done_first():
        if status not in ordered or ordered[status].sum() == 0:
            continue
        counts = [int(v) for v in ordered[status]]
        data.append(
            {
                "type": "bar",
                "orientation": "h",
                "name": status_label(status, lang),
                "y": departments,
                "x": counts,
                "marker": {"color": vocabulary.status_colour(status)},
                "customdata": [
                    [d, status, theme.format_number(n, lang)]
                    for d, n in zip(departments, counts, strict=True)
                ],
                "hovertemplate": "%{y} · "
                + status_label(status, lang)
                + ": %{customdata[2]}<extra></extra>",
            }
        )
    layout = {
        "barmode": "stack",
        "legend": TOP_LEGEND,
        "xaxis": theme.value_axis(float(ordered["measures"].max()), lang, automargin=True),
        "yaxis": _label_axis(departments, 10 if big else 14),
        "margin": {**theme.FIGURE_LAYOUT["margin"], "t": 90 if big else 80},
    }
    if not big:
        layout["height"] = max(320, 130 + 40 * len(ordered))
    return _figure(data, title, big, **layout)


# Rounds in time order run light (earliest) to dark (latest), as the heat map runs few to many.
ROUND_COLOURS = ("#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#08519c", "#08306b")


def round_colours(n: int) -> list[str]:
    """`n` colours from light to dark, spread over ROUND_COLOURS (repeated past its length)."""
    if n <= 1:
        return list(ROUND_COLOURS[-2:-1]) * n
    steps = len(ROUND_COLOURS) - 1
    if n > steps + 1:
        return [ROUND_COLOURS[k % len(ROUND_COLOURS)] for k in range(n)]
    return [ROUND_COLOURS[round(k * steps / (n - 1))] for k in range(n)]


def rounds_completion(shares: pd.DataFrame, labels: dict, lang: str = "zh") -> dict:
    """Grouped bars: per category, each round's share of items completed (counts in hover); a
    round with no item of a category leaves a gap there, not a bar of 0%."""
    title = t("chart_rounds", lang)
    if shares.empty:
        return _empty(title, lang)
    categories = [c for c in vocabulary.categories() if c in set(shares["category"])]
    data = []
    colours = round_colours(len(labels))
    for k, (report_id, label) in enumerate(labels.items()):
        part = shares[shares["report_id"] == report_id].set_index("category")
        rows = [part.loc[c] if c in part.index else None for c in categories]
        data.append(
            {
                "type": "bar",
                "name": label,
                "x": [category_label(c, lang) for c in categories],
                "y": [float(r["share"]) if r is not None else None for r in rows],
                "marker": {"color": colours[k]},
                "customdata": [
                    [int(r["completed"]), int(r["items"])] if r is not None else [None, None]
                    for r in rows
                ],
                "hovertemplate": "%{x} · "
                + label.replace("%", "%%")
                + ": %{y:.0%} (%{customdata[0]}/%{customdata[1]})<extra></extra>",
                # Text only where there is a bar (a template would print 0% over a gap).
                "text": [theme.format_percent(r["share"]) if r is not None else "" for r in rows],
                "textposition": "outside",
            }
        )
    return _figure(
        data,
        title,
        barmode="group",
        legend={"orientation": "h", "y": -0.15},
        yaxis={
            "tickformat": ".0%",
            "range": [0, 1.1],
            "title": {"text": t("col_rate", lang)},
            "automargin": True,
        },
        xaxis={"automargin": True},
    )
