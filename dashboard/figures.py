"""Pure figure functions: a DataFrame (from a warehouse query) in, a Plotly figure out."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard import theme
from dashboard.i18n import category_label, status_label, t


def _base(fig: go.Figure, title: str, big: bool = False) -> go.Figure:
    layout = dict(theme.FIGURE_LAYOUT)
    if big:
        layout["font"] = {**layout["font"], "size": theme.MEETING_FONT_SIZE}
    fig.update_layout(title={"text": title}, **layout)
    return fig


def _empty(title: str, lang: str, big: bool = False, message: str = "no_data") -> go.Figure:
    fig = go.Figure()
    fig.add_annotation(
        text=t(message, lang), showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper"
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _base(fig, title, big)


def completion_by_category(df: pd.DataFrame, lang: str = "zh", big: bool = False) -> go.Figure:
    """Stacked bars: categories × status, counts with shares in the hover."""
    title = t("chart_completion", lang)
    if df.empty:
        return _empty(title, lang, big)
    totals = df.groupby("category")["n"].sum()
    categories = [c for c in theme.CATEGORIES if c in totals.index]
    fig = go.Figure()
    for status in theme.STATUSES:
        part = df[df["status"] == status].set_index("category")["n"]
        if part.empty:
            continue
        counts = [int(part.get(c, 0)) for c in categories]
        shares = [
            n / totals[c] if totals[c] else 0 for n, c in zip(counts, categories, strict=True)
        ]
        fig.add_bar(
            name=status_label(status, lang),
            x=[category_label(c, lang) for c in categories],
            y=counts,
            marker_color=theme.STATUS_COLOURS[status],
            customdata=[[c, status, f"{s:.0%}"] for c, s in zip(categories, shares, strict=True)],
            hovertemplate="%{x} · "
            + status_label(status, lang)
            + ": %{y} (%{customdata[2]})<extra></extra>",
            text=counts,
            textposition="inside",
        )
    fig.update_layout(barmode="stack", legend={"orientation": "h", "y": -0.15})
    fig.update_yaxes(title=t("axis_count", lang))
    return _base(fig, title, big)


def status_doughnut(df: pd.DataFrame, lang: str = "zh", big: bool = False) -> go.Figure:
    """Share of each status; takes the same frame as completion_by_category."""
    title = t("chart_status", lang)
    if df.empty:
        return _empty(title, lang, big)
    counts = df.groupby("status")["n"].sum()
    statuses = [s for s in theme.STATUSES if s in counts.index]
    fig = go.Figure(
        go.Pie(
            labels=[status_label(s, lang) for s in statuses],
            values=[int(counts[s]) for s in statuses],
            customdata=statuses,
            hole=0.55,
            sort=False,
            marker={"colors": [theme.STATUS_COLOURS[s] for s in statuses]},
            textinfo="label+percent",
            hovertemplate="%{label}: %{value} (%{percent})<extra></extra>",
        )
    )
    fig.update_layout(showlegend=False)
    return _base(fig, title, big)


def department_heatmap(df: pd.DataFrame, lang: str = "zh", big: bool = False) -> go.Figure:
    """Departments × categories, measures per cell."""
    title = t("chart_heatmap", lang)
    if df.empty:
        return _empty(title, lang, big)
    pivot = df.pivot_table(
        index="department", columns="category", values="n", aggfunc="sum", fill_value=0
    )
    categories = [c for c in theme.CATEGORIES if c in pivot.columns]
    pivot = pivot[categories]
    pivot = pivot.loc[pivot.sum(axis=1).sort_values().index]
    fig = go.Figure(
        go.Heatmap(
            z=pivot.values,
            x=[category_label(c, lang) for c in categories],
            y=list(pivot.index),
            customdata=[[[dept, c] for c in categories] for dept in pivot.index],
            colorscale="Blues",
            text=pivot.values,
            texttemplate="%{text}",
            hovertemplate="%{y} · %{x}: %{z}<extra></extra>",
            showscale=False,
        )
    )
    fig.update_layout(height=max(300, 60 + 40 * len(pivot.index)))
    return _base(fig, title, big)


def milestones(header: dict | None, lang: str = "zh", big: bool = False) -> go.Figure:
    """The inspection period, feedback and publication on one time line."""
    title = t("chart_timeline", lang)
    if not header:
        return _empty(title, lang, big, message="pick_report_for_timeline")
    fig = go.Figure()
    start, end = header.get("inspection_start"), header.get("inspection_end")
    if start and end:
        fig.add_trace(
            go.Scatter(
                x=[start, end],
                y=[1, 1],
                mode="lines+markers",
                line={"width": 10, "color": "#1f6fb2"},
                name=t("ms_inspection", lang),
                hovertemplate="%{x|%Y-%m-%d}<extra></extra>",
            )
        )
    points = [
        (header.get("feedback_date"), "ms_feedback", "#d9822b"),
        (header.get("publish_date"), "ms_publish", "#2e8b57"),
    ]
    for when, key, colour in points:
        if when:
            fig.add_trace(
                go.Scatter(
                    x=[when],
                    y=[1],
                    mode="markers+text",
                    marker={"size": 16, "color": colour},
                    text=[t(key, lang)],
                    textposition="top center",
                    name=t(key, lang),
                    hovertemplate="%{x|%Y-%m-%d}<extra></extra>",
                )
            )
    if not fig.data:
        return _empty(title, lang, big)
    fig.update_yaxes(visible=False, range=[0.5, 1.6])
    fig.update_layout(height=220, showlegend=False)
    return _base(fig, title, big)


def department_completion(df: pd.DataFrame, lang: str = "zh", big: bool = False) -> go.Figure:
    """Per department: measures by status, horizontal stacked bars."""
    title = t("chart_departments", lang)
    if df.empty:
        return _empty(title, lang, big)
    ordered = df.sort_values("measures")
    fig = go.Figure()
    for status in theme.STATUSES:
        if ordered[status].sum() == 0:
            continue
        fig.add_bar(
            name=status_label(status, lang),
            y=ordered["department"],
            x=ordered[status],
            orientation="h",
            marker_color=theme.STATUS_COLOURS[status],
            customdata=[[d, status] for d in ordered["department"]],
            hovertemplate="%{y} · " + status_label(status, lang) + ": %{x}<extra></extra>",
        )
    fig.update_layout(
        barmode="stack",
        height=max(300, 80 + 40 * len(ordered)),
        legend={"orientation": "h", "y": -0.1},
    )
    return _base(fig, title, big)
