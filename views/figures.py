"""Pure figure functions: a DataFrame (from a warehouse query) in, a Plotly figure out.

Figures are plain dicts in Plotly's JSON shape (what dcc.Graph takes): building them skips
graph_objects' validation, which costs more than the queries on a large warehouse.
"""

from __future__ import annotations

import pandas as pd

from views import theme, vocabulary
from views.i18n import category_label, status_label, t


def _figure(data: list[dict], title: str, big: bool = False, **layout) -> dict:
    base = dict(theme.FIGURE_LAYOUT)
    if big:
        base["font"] = {**base["font"], "size": theme.MEETING_FONT_SIZE}
    return {"data": data, "layout": {**base, "title": {"text": title}, **layout}}


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


def completion_by_category(df: pd.DataFrame, lang: str = "zh", big: bool = False) -> dict:
    """Stacked bars: categories × status, counts with shares in the hover."""
    title = t("chart_completion", lang)
    if df.empty:
        return _empty(title, lang, big)
    counted: dict[tuple[str, str], int] = {}
    for category, status, n in zip(df["category"], df["status"], df["n"], strict=True):
        counted[(category, status)] = counted.get((category, status), 0) + int(n)
    totals = {
        c: sum(n for (cat, _s), n in counted.items() if cat == c) for c in vocabulary.categories()
    }
    categories = [c for c in vocabulary.categories() if totals[c]]
    data = []
    for status in vocabulary.statuses():
        if not any(s == status for _c, s in counted):
            continue
        counts = [counted.get((c, status), 0) for c in categories]
        shares = [n / totals[c] for n, c in zip(counts, categories, strict=True)]
        data.append(
            {
                "type": "bar",
                "name": status_label(status, lang),
                "x": [category_label(c, lang) for c in categories],
                "y": counts,
                "marker": {"color": vocabulary.status_colour(status)},
                "customdata": [
                    [c, status, f"{s:.0%}"] for c, s in zip(categories, shares, strict=True)
                ],
                "hovertemplate": "%{x} · "
                + status_label(status, lang)
                + ": %{y} (%{customdata[2]})<extra></extra>",
                "text": counts,
                "textposition": "inside",
            }
        )
    return _figure(
        data,
        title,
        big,
        barmode="stack",
        legend={"orientation": "h", "y": -0.15},
        yaxis={"title": {"text": t("axis_count", lang)}},
    )


def status_doughnut(df: pd.DataFrame, lang: str = "zh", big: bool = False) -> dict:
    """Share of each status; takes the same frame as completion_by_category."""
    title = t("chart_status", lang)
    if df.empty:
        return _empty(title, lang, big)
    counts: dict[str, int] = {}
    for status, n in zip(df["status"], df["n"], strict=True):
        counts[status] = counts.get(status, 0) + int(n)
    statuses = [s for s in vocabulary.statuses() if s in counts]
    pie = {
        "type": "pie",
        "labels": [status_label(s, lang) for s in statuses],
        "values": [counts[s] for s in statuses],
        "customdata": statuses,
        "hole": 0.55,
        "sort": False,
        "marker": {"colors": [vocabulary.status_colour(s) for s in statuses]},
        "textinfo": "label+percent",
        "hovertemplate": "%{label}: %{value} (%{percent})<extra></extra>",
    }
    return _figure([pie], title, big, showlegend=False)


def department_heatmap(df: pd.DataFrame, lang: str = "zh", big: bool = False) -> dict:
    """Departments × categories, measures per cell."""
    title = t("chart_heatmap", lang)
    if df.empty:
        return _empty(title, lang, big)
    cells: dict[str, dict[str, int]] = {}
    for dept, category, n in zip(df["department"], df["category"], df["n"], strict=True):
        row = cells.setdefault(dept, {})
        row[category] = row.get(category, 0) + int(n)
    categories = [c for c in vocabulary.categories() if any(c in row for row in cells.values())]
    # The busiest department at the top (Plotly draws the first row at the bottom).
    departments = sorted(cells, key=lambda d: (sum(cells[d].values()), d))
    values = [[cells[d].get(c, 0) for c in categories] for d in departments]
    heat = {
        "type": "heatmap",
        "z": values,
        "x": [category_label(c, lang) for c in categories],
        "y": departments,
        "customdata": [[[dept, c] for c in categories] for dept in departments],
        "colorscale": "Blues",
        "text": values,
        "texttemplate": "%{text}",
        "hovertemplate": "%{y} · %{x}: %{z}<extra></extra>",
        "showscale": False,
    }
    return _figure([heat], title, big, height=max(300, 60 + 40 * len(departments)))


def milestones(header: dict | None, lang: str = "zh", big: bool = False) -> dict:
    """The inspection period, feedback and publication on one time line."""
    title = t("chart_timeline", lang)
    if not header:
        return _empty(title, lang, big, message="pick_report_for_timeline")
    data = []
    start, end = header.get("inspection_start"), header.get("inspection_end")
    if start and end:
        data.append(
            {
                "type": "scatter",
                "x": [str(start), str(end)],
                "y": [1, 1],
                "mode": "lines+markers",
                "line": {"width": 10, "color": "#1f6fb2"},
                "name": t("ms_inspection", lang),
                "hovertemplate": "%{x|%Y-%m-%d}<extra></extra>",
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
                    "textposition": "top center",
                    "name": t(key, lang),
                    "hovertemplate": "%{x|%Y-%m-%d}<extra></extra>",
                }
            )
    if not data:
        return _empty(title, lang, big)
    return _figure(
        data,
        title,
        big,
        height=220,
        showlegend=False,
        yaxis={"visible": False, "range": [0.5, 1.6]},
        xaxis={"type": "date"},
    )


def department_completion(df: pd.DataFrame, lang: str = "zh", big: bool = False) -> dict:
    """Per department: measures by status, horizontal stacked bars."""
    title = t("chart_departments", lang)
    if df.empty:
        return _empty(title, lang, big)
    ordered = df.sort_values("measures")
    departments = list(ordered["department"])
    data = []
    for status in vocabulary.statuses():
        if ordered[status].sum() == 0:
            continue
        data.append(
            {
                "type": "bar",
                "orientation": "h",
                "name": status_label(status, lang),
                "y": departments,
                "x": [int(v) for v in ordered[status]],
                "marker": {"color": vocabulary.status_colour(status)},
                "customdata": [[d, status] for d in departments],
                "hovertemplate": "%{y} · " + status_label(status, lang) + ": %{x}<extra></extra>",
            }
        )
    return _figure(
        data,
        title,
        big,
        barmode="stack",
        height=max(300, 80 + 40 * len(ordered)),
        legend={"orientation": "h", "y": -0.1},
    )


ROUND_COLOURS = ("#9ecae1", "#4292c6", "#08519c", "#08306b", "#6baed6", "#2171b5")


def rounds_completion(shares: pd.DataFrame, labels: dict, lang: str = "zh") -> dict:
    """Grouped bars: per category, each round's share of items completed (counts in hover)."""
    title = t("chart_rounds", lang)
    if shares.empty:
        return _empty(title, lang)
    categories = [c for c in vocabulary.categories() if c in set(shares["category"])]
    data = []
    for k, (report_id, label) in enumerate(labels.items()):
        part = shares[shares["report_id"] == report_id].set_index("category")
        rows = [part.loc[c] if c in part.index else None for c in categories]
        data.append(
            {
                "type": "bar",
                "name": label,
                "x": [category_label(c, lang) for c in categories],
                "y": [float(r["share"]) if r is not None else 0 for r in rows],
                "marker": {"color": ROUND_COLOURS[k % len(ROUND_COLOURS)]},
                "customdata": [
                    [int(r["completed"]), int(r["items"])] if r is not None else [0, 0]
                    for r in rows
                ],
                "hovertemplate": "%{x} · "
                + label.replace("%", "%%")
                + ": %{y:.0%} (%{customdata[0]}/%{customdata[1]})<extra></extra>",
                "texttemplate": "%{y:.0%}",
                "textposition": "outside",
            }
        )
    return _figure(
        data,
        title,
        barmode="group",
        legend={"orientation": "h", "y": -0.15},
        yaxis={"tickformat": ".0%", "range": [0, 1.1], "title": {"text": t("col_rate", lang)}},
    )
