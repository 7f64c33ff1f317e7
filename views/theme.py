"""Fonts, figure layout and number formats: one place for how things look (the colours of
categories and statuses come with their vocabulary, views/vocabulary.py).

Numbers read one way everywhere (tiles, axes, tooltips, tables, deck, exports): in Chinese
in 万 and 亿 (3.2万, 3.01亿), in English with thousands separators (32,000); dates as
2024年6月 in Chinese and Jun 2024 in English."""

from __future__ import annotations

import math

import pandas as pd

# The accent of titles and rules in the deck.
ACCENT = "#1f6fb2"
# Category and status colours are vocabulary: views/vocabulary.py reads them from the rules.
FONT_FAMILY = (
    '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif'
)
FIGURE_LAYOUT = {
    "font": {"family": FONT_FAMILY, "size": 14},
    "margin": {"l": 20, "r": 20, "t": 50, "b": 40},
    "paper_bgcolor": "white",
    "plot_bgcolor": "white",
    # Numbers on hover and axes come formatted from Python (format_number), never d3's SI
    # suffixes (5k, 3M), which read wrongly in Chinese.
    "separators": ".,",
}
MEETING_FONT_SIZE = 22
# A heat map's cells, from few (light) to many (dark); an empty cell stays blank.
SEQUENTIAL = [[0.0, "#deebf7"], [0.5, "#6baed6"], [1.0, "#08306b"]]
# How dimmed the bars, slices and cells a cross-filter did not pick are drawn.
DIMMED_OPACITY = 0.3
# The deck's typeface, for Latin and East Asian text alike: the one every office PC in China
# has (PowerPoint and WPS); LibreOffice substitutes a CJK font where it is missing.
DECK_FONT = "Microsoft YaHei"
# No Plotly toolbar: each chart has its own PNG and SVG buttons (components.chart), a click
# on a bar, slice or cell filters, and zooming counts of a handful of bars is of no use in a
# meeting. Not building the toolbar also takes about 50 ms off drawing the overview's charts.
GRAPH_CONFIG = {"displayModeBar": False}

_ZH_SCALES = ((1e8, "亿"), (1e4, "万"))


def _trimmed(value: float, digits: int, separators: bool) -> str:
    text = f"{value:,.{digits}f}" if separators else f"{value:.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def is_missing(value) -> bool:
    if value is None or value is pd.NA:
        return True
    try:
        return math.isnan(float(value))
    except (TypeError, ValueError):
        return True


def format_number(value, lang: str = "zh", digits: int = 2) -> str:
    """A figure as people read it: 96000 → 9.6万, 301058800 → 3.01亿 in Chinese (below 万 as
    written: 6372.8), 96,000 and 301,058,800 in English; at most `digits` decimals, trailing
    zeros dropped; None or NaN → —."""
    if is_missing(value):
        return "—"
    value = float(value)
    if lang == "zh":
        for scale, suffix in _ZH_SCALES:
            if abs(value) >= scale:
                scaled = _trimmed(value / scale, digits, False)
                # 9999.999万 rounds to 10000万: that is 1亿.
                if suffix == "万" and abs(float(scaled)) >= 10000:
                    return _trimmed(value / 1e8, digits, False) + "亿"
                return scaled + suffix
        return _trimmed(value, digits, False)
    return _trimmed(value, digits, True)


def format_quantity(value, unit: str, lang: str = "zh", qualifier: str | None = None) -> str:
    """A number with its (already translated) unit: 3.01亿元 in Chinese, 33.9 km in English.
    A total that is not exact says so (`qualifier`, as a figure's: 'lower_bound' when a
    floor such as 百余万 is among its parts, 'approx' when an estimate such as 约8万 is):
    100万余元 / over 1,000,000 yuan, 约9.6万平米 / about 96,000 m2."""
    number = format_number(value, lang)
    if number == "—":
        return number
    if lang == "zh":
        if qualifier == "lower_bound":
            return f"{number}余{unit}" if unit else f"{number}余"
        text = f"{number}{unit}"
        return f"约{text}" if qualifier == "approx" else text
    text = f"{number} {unit}" if unit else number
    return {"lower_bound": f"over {text}", "approx": f"about {text}"}.get(qualifier or "", text)


def format_total(value, lang: str = "zh", qualifier: str | None = None) -> str:
    """A total without its unit, marked as format_quantity marks it when it is not exact:
    100万余, 约9.6万; over 1,000,000, about 96,000."""
    return format_quantity(value, "", lang, qualifier)


def format_percent(share: float | None) -> str:
    return "—" if is_missing(share) else f"{share * 100:.0f}%"


def _day(value) -> pd.Timestamp | None:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    try:
        day = pd.Timestamp(value)
    except (TypeError, ValueError):
        return None
    return None if pd.isna(day) else day


def format_month(value, lang: str = "zh") -> str:
    """A date to the month: 2024年6月, Jun 2024; blank for none."""
    day = _day(value)
    if day is None:
        return ""
    return f"{day.year}年{day.month}月" if lang == "zh" else day.strftime("%b %Y")


def format_date(value, lang: str = "zh") -> str:
    """A day: 2024年6月27日, 27 Jun 2024; blank for none."""
    day = _day(value)
    if day is None:
        return ""
    return f"{day.year}年{day.month}月{day.day}日" if lang == "zh" else f"{day.day} {day:%b %Y}"


# Plotly's date formats (d3-time-format) for the same readings on a date axis and its hover.
DATE_TICKS = {"zh": "%Y年%-m月", "en": "%b %Y"}
DATE_HOVER = {"zh": "%Y年%-m月%-d日", "en": "%-d %b %Y"}


def nice_ticks(top: float, count: int = 5, integer: bool = True) -> list[float]:
    """Round tick values from 0 past `top` (about `count` of them): steps of 1, 2, 2.5 or 5
    times a power of ten; whole numbers only when `integer`."""
    if is_missing(top) or top <= 0:
        return [0, 1] if integer else [0.0, 1.0]
    raw = top / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    if integer:
        step = max(1, round(step))
    ticks, k = [], 0
    while True:
        ticks.append(round(k * step, 10))
        if k * step >= top:
            return ticks
        k += 1


def value_axis(top: float, lang: str = "zh", integer: bool = True, **extra) -> dict:
    """A numeric axis whose labels are format_number's (no 5k, 3M): explicit tick values and
    texts, and a range that shows the last tick."""
    ticks = nice_ticks(top, integer=integer)
    return {
        "tickmode": "array",
        "tickvals": ticks,
        "ticktext": [format_number(v, lang) for v in ticks],
        "range": [0, ticks[-1] * 1.02],
        **extra,
    }


def wrap_label(text: str, width: int) -> str:
    """A long label broken into lines of at most `width` characters, as even as they can be
    (Plotly's <br>), nothing dropped: a department's full name stays readable on a narrow
    axis (区城市综合行政执法支队 → 区城市综合行<br>政执法支队, not a lone 队)."""
    text = str(text)
    if len(text) <= width:
        return text
    if " " in text:  # words (an English label): break between them, never inside one
        lines, line = [], ""
        for word in text.split():
            if line and len(line) + 1 + len(word) > width:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}".strip()
        return "<br>".join([*lines, line])
    lines = -(-len(text) // width)
    size = -(-len(text) // lines)
    return "<br>".join(text[i : i + size] for i in range(0, len(text), size))
