"""The report's header: title, issuer, inspected unit, round, team and its dates."""

from __future__ import annotations

import re
from datetime import date

from etl.model import ReportHeader
from etl.rules import Rules
from etl.skeleton import Layout


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _clean(text: str) -> str:
    return re.sub(r"\s+", "", text.split("|")[0])


def find_title(layout: Layout, rules: Rules) -> str | None:
    """Join the lines before the opening paragraph until they read as a title (…的通报)."""
    head = [ln.text for ln in layout.lines[: layout.opening if layout.opening is not None else 4]]
    end_rx = rules.rx("header.title_end")
    for i in range(len(head)):
        joined = ""
        for j in range(i, min(i + 3, len(head))):
            joined += _clean(head[j])
            if (
                end_rx.search(joined)
                and ("关于" in joined or "整改" in joined)
                and len(joined) <= 120
            ):
                return joined
    return None


def _text_window(layout: Layout) -> str:
    """The opening paragraph (or, lacking one, the first lines) where header facts are told."""
    if layout.opening is not None:
        return layout.lines[layout.opening].text
    return "\n".join(ln.text for ln in layout.lines[: min(len(layout.lines), 6)])


def extract_header(layout: Layout, rules: Rules) -> ReportHeader:
    header = ReportHeader()
    header.title = find_title(layout, rules)
    opening = _text_window(layout)
    top = "\n".join(ln.text for ln in layout.lines[: (layout.opening or 0) + 1])

    team = rules.rx("header.team").search(opening)
    header.team = team.group(1) if team else None
    inspected = rules.rx("header.inspected").search(opening)
    header.inspected_unit = inspected.group(1) if inspected else None
    kind_source = header.team or header.title or opening
    if "巡视" in kind_source or ("巡视" in opening and "巡察" not in opening):
        header.inspection_kind = "巡视"
    elif "巡察" in kind_source or "巡察" in opening:
        header.inspection_kind = "巡察"

    header.round = _round(header.title, opening, rules)
    _dates(header, opening, rules)
    header.publish_date = _publish_date(layout, top, rules)
    header.issuer = _issuer(layout, header, rules)
    return header


def _round(title: str | None, opening: str, rules: Rules) -> str | None:
    if title:
        m = rules.rx("header.round_in_title").search(title)
        if m:
            return m.group(1)
    m = rules.rx("header.round_in_text").search(opening)
    return m.group(1) if m else None


def _dates(header: ReportHeader, opening: str, rules: Rules) -> None:
    span = rules.rx("header.date_range").search(opening)
    after = 0
    end_date = None
    if span:
        y1, m1, d1, y2, m2, d2 = span.groups()
        header.inspection_start = _iso(int(y1), int(m1), int(d1))
        end_year = int(y2) if y2 else int(y1)
        header.inspection_end = _iso(end_year, int(m2), int(d2))
        if (
            header.inspection_end
            and header.inspection_start
            and header.inspection_end < header.inspection_start
        ):
            header.inspection_end = _iso(end_year + 1, int(m2), int(d2))  # a period over New Year
        end_date = header.inspection_end
        after = span.end()
    feedback = rules.rx("header.feedback").search(opening, after)
    if feedback:
        year, month, day = feedback.groups()
        if year:
            header.feedback_date = _iso(int(year), int(month), int(day))
        elif end_date:
            # The year is left out when it is the inspection's; a month before the end means
            # the next year.
            guess = _iso(int(end_date[:4]), int(month), int(day))
            if guess and guess < end_date:
                guess = _iso(int(end_date[:4]) + 1, int(month), int(day))
            header.feedback_date = guess


def _publish_date(layout: Layout, top: str, rules: Rules) -> str | None:
    if layout.date_line is not None:
        m = rules.rx("header.date_line").match(layout.lines[layout.date_line].text)
        return _iso(*map(int, m.groups()))
    m = rules.rx("header.meta_publish").search(top)
    return _iso(*map(int, m.groups())) if m else None


def _issuer(layout: Layout, header: ReportHeader, rules: Rules) -> str | None:
    if layout.signature is not None:
        return layout.lines[layout.signature].text.strip()
    if header.title and "关于" in header.title:
        prefix = header.title.split("关于", 1)[0]
        if 2 <= len(prefix) <= 40:
            return prefix
    return header.inspected_unit
