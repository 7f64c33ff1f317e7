"""Fonts, figure layout and number formats: one place for how things look (the colours of
categories and statuses come with their vocabulary, views/vocabulary.py)."""

from __future__ import annotations

# The accent of titles and rules in the deck.
ACCENT = "#1f6fb2"
# Category and status colours are vocabulary: views/vocabulary.py reads them from the rules.
FONT_FAMILY = (
    '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif'
)
FIGURE_LAYOUT = {
    "font": {"family": FONT_FAMILY, "size": 14},
    "margin": {"l": 40, "r": 20, "t": 50, "b": 40},
    "paper_bgcolor": "white",
    "plot_bgcolor": "white",
}
MEETING_FONT_SIZE = 26
# The deck's typeface, for Latin and East Asian text alike: the one every office PC in China
# has (PowerPoint and WPS); LibreOffice substitutes a CJK font where it is missing.
DECK_FONT = "Microsoft YaHei"
# No Plotly toolbar: each chart has its own PNG and SVG buttons (components.chart), a click
# on a bar, slice or cell filters, and zooming counts of a handful of bars is of no use in a
# meeting. Not building the toolbar also takes about 50 ms off drawing the overview's charts.
GRAPH_CONFIG = {"displayModeBar": False}


def format_number(value, lang: str = "zh") -> str:
    """Readable figures: 96000 → 9.6万 in Chinese, 96,000 in English; decimals kept short."""
    if value is None:
        return "—"
    value = float(value)
    if lang == "zh" and abs(value) >= 10000:
        scaled = value / 10000
        return f"{scaled:,.2f}".rstrip("0").rstrip(".") + "万"
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def format_percent(share: float | None) -> str:
    return "—" if share is None else f"{share * 100:.0f}%"
