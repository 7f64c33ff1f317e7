"""The report's header: title, issuer, inspected unit, round, team and its dates.

Read from the lines before the opening paragraph (title, metadata block, date stamps) and
from the opening paragraph itself (根据…部署, the team, the inspected body, the dates). Page
furniture a portal leaves around the title (无障碍 登录, 【巡察整改】, 字号 大 中 小, a list of
links) is cut off by the cues in rules/structure.yaml, never glued to the title or issuer.
"""

from __future__ import annotations

import re
from datetime import date

from etl.model import ReportHeader
from etl.rules import Rules
from etl.skeleton import Layout

TITLE_MAX_CHARS = 120
TITLE_LINES = 3  # a title broken over at most this many lines
HEAD_LINES_WITHOUT_OPENING = 8
HEAD_LINE_MAX_CHARS = 400  # longer lines are text, not a title, metadata or a date stamp
_TITLE_TAIL = re.compile(
    r"(?:发布时间|发布日期|信息来源|来源|作者|编辑|浏览|点击|阅读|字号|字体|【|\[|"
    r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}).*$"
)
_PARTY_ORGAN = re.compile(r"(党组|党委|党工委|工委|委员会|党总支|党支部)$")


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _head_lines(layout: Layout) -> list[str]:
    """The lines before the opening paragraph (or the first few, lacking one); a line too
    long to be a title or a date line reads as empty."""
    stop = layout.opening if layout.opening is not None else HEAD_LINES_WITHOUT_OPENING
    lines = layout.lines[: min(stop, layout.body_start or stop)]
    return [ln.text if len(ln.text) <= HEAD_LINE_MAX_CHARS else "" for ln in lines]


def _clean_title_line(text: str, rules: Rules) -> str:
    """A head line without its metadata label, the furniture before it and what follows
    the title on the same line (发布时间…, 字号…)."""
    text = text.split("|")[0]
    text = rules.rx("header.title_label").sub("", text.strip())
    text = rules.rx("header.title_noise").sub("", text)
    text = _TITLE_TAIL.sub("", text).rstrip(" \t::|")
    return re.sub(r"\s+", "", text)


def find_title(layout: Layout, rules: Rules) -> str | None:
    """The title: the last line (or up to three consecutive lines) before the opening that
    reads as one (…关于…的通报), furniture removed."""
    head = [_clean_title_line(t, rules) for t in _head_lines(layout)]
    end_rx = rules.rx("header.title_end")
    for j in range(len(head) - 1, -1, -1):
        if not head[j] or not end_rx.search(head[j]):
            continue
        fallback = None
        for i in range(j, max(-1, j - TITLE_LINES), -1):
            joined = "".join(head[i : j + 1])
            if len(joined) > TITLE_MAX_CHARS:
                break
            if "关于" in joined:
                # 中共某县林业局党组 / 关于…的通报: the body's name on the line above belongs too.
                above = head[i - 1] if i and head[i].startswith("关于") else ""
                if above and rules.rx("header.issuer_line").match(above):
                    return above + joined
                return joined
            if fallback is None and "整改" in joined:
                fallback = joined
            if i < j and not head[i]:
                break
        if fallback:
            return fallback
    return None


def _text_window(layout: Layout) -> str:
    """The opening paragraph (or, lacking one, the first lines) where header facts are told."""
    if layout.opening is not None:
        return layout.lines[layout.opening].text
    return "\n".join(ln.text for ln in layout.lines[: min(len(layout.lines), 6)])


def title_body(title: str | None) -> str | None:
    """The body a title names before 关于 (中共某县林业局党组关于… → 中共某县林业局党组)."""
    if title and "关于" in title:
        prefix = title.split("关于", 1)[0]
        if 2 <= len(prefix) <= 40:
            return prefix
    return None


def extract_header(layout: Layout, rules: Rules) -> ReportHeader:
    header = ReportHeader()
    header.title = find_title(layout, rules)
    opening = _text_window(layout)
    short = rules.rx("header.short_name")

    team = rules.rx("header.team").search(opening)
    header.team = team.group(1) if team else None
    inspected_rx = rules.rx("header.inspected")
    inspected = (inspected_rx.search(opening, team.end()) if team else None) or inspected_rx.search(
        opening
    )
    body = title_body(header.title)
    if inspected:
        header.inspected_unit = _resolve_we(short.sub("", inspected.group(1)), body, rules)
    kind_source = header.team or header.title or opening
    if "巡视" in kind_source or ("巡视" in opening and "巡察" not in opening):
        header.inspection_kind = "巡视"
    elif "巡察" in kind_source or "巡察" in opening:
        header.inspection_kind = "巡察"

    header.round = _round(header.title, opening, rules)
    _dates(header, opening, rules)
    header.publish_date = _publish_date(layout, rules)
    header.issuer = _issuer(layout, header, body, opening, rules)
    return header


def _resolve_we(name: str, body: str | None, rules: Rules) -> str:
    """我单位 / 我院党组 is the body the title names (keeping 党组/党委 when it says so)."""
    we = rules.rx("header.we").match(name)
    if not we or not body:
        return name
    organ = we.group(2)
    if organ and not _PARTY_ORGAN.search(body):
        return body + organ
    return body


def _abbreviations(text: str, rules: Rules) -> dict[str, str]:
    """Abbreviations the text defines: 中共某区科学技术协会党组(以下简称区科协党组) gives
    区科协党组 → 中共某区科学技术协会党组 (the name is what stands before the note, after 对/向)."""
    out = {}
    for m in rules.rx("header.short_name").finditer(text):
        before = re.split(r"[,。,;:、]|对|向|由", text[max(0, m.start() - 40) : m.start()])[-1]
        if len(before) >= 2:
            out[m.group(1)] = before
    return out


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


def _publish_date(layout: Layout, rules: Rules) -> str | None:
    """The date under the signature; else a labelled date (发布时间:, 成文日期:), a date with a
    time stamp, or a line that starts with a date, before the opening."""
    if layout.date_line is not None:
        m = rules.rx("header.date_line").match(layout.lines[layout.date_line].text)
        return _iso(*map(int, m.groups()))
    head = _head_lines(layout)
    for key in ("meta_publish", "stamped_date", "bare_date"):
        rx = rules.rx(f"header.{key}")
        for line in head:
            m = rx.search(line.strip())
            if m:
                found = _iso(*map(int, m.groups()[:3]))
                if found:
                    return found
    return None


def _issuer(
    layout: Layout, header: ReportHeader, body: str | None, opening: str, rules: Rules
) -> str | None:
    """The signature line; else the body the title names; else the body the team reported
    back to (向X反馈); else the inspected body."""
    short = rules.rx("header.short_name")
    if layout.signature is not None:
        return short.sub("", layout.lines[layout.signature].text.strip())
    if body:
        return short.sub("", body)
    told = rules.rx("header.feedback_to").search(opening)
    if told:
        name = _resolve_we(short.sub("", told.group(1)), body, rules)
        name = _abbreviations(opening, rules).get(name, name)
        if not rules.rx("header.we").match(name):
            return name
    return header.inspected_unit
