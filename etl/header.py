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
from etl.numbers import parse_chinese
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
    the title on the same line (发布时间…, 字号…). Navigation run into the title on one line
    (a page without line breaks): the |-piece that reads as a title, and in it what follows
    the breadcrumb's last item (当前位置:首页 > 巡察工作 > 整改公开 中共某局党组关于…)."""
    end_rx = rules.rx("header.title_end")
    pieces = text.split("|")
    text = next((p for p in pieces if end_rx.search(_cleaned(p, rules))), pieces[0])
    crumb = max(text.rfind(">"), text.rfind("»"))
    if crumb >= 0 and end_rx.search(_cleaned(text[crumb + 1 :], rules)):
        rest = text[crumb + 1 :]
        gap = re.search(r"\S\s+(?=\S)", rest)
        after = rest[gap.end() :] if gap else ""
        text = after if after and end_rx.search(_cleaned(after, rules)) else rest
    return _cleaned(text, rules)


def _cleaned(text: str, rules: Rules) -> str:
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


OPENING_CONTINUED_LINES = 2  # paragraphs after the opening that may go on telling it


def _text_window(layout: Layout, rules: Rules) -> str:
    """The opening paragraph (or, lacking one, the first lines) where header facts are told,
    with the paragraphs right after it that go on telling them the same way (2022年1月27日,
    …向…反馈巡察情况): an opening may run over two paragraphs."""
    if layout.opening is None:
        return "\n".join(ln.text for ln in layout.lines[: min(len(layout.lines), 6)])
    opening_rx, topic_rx = rules.rx("header.opening"), rules.rx("header.opening_topic")
    texts = [layout.lines[layout.opening].text]
    stop = min(layout.body_end, layout.opening + 1 + OPENING_CONTINUED_LINES)
    for line in layout.lines[layout.opening + 1 : stop]:
        if not (opening_rx.search(line.text) and topic_rx.search(line.text)):
            break
        texts.append(line.text)
    return "\n".join(texts)


def title_body(title: str | None) -> str | None:
    """The body a title names before 关于 (中共某县林业局党组关于… → 中共某县林业局党组)."""
    if title and "关于" in title:
        prefix = title.split("关于", 1)[0]
        if 2 <= len(prefix) <= 40:
            return prefix
    return None


def extract_header(layout: Layout, rules: Rules, findings_from: int | None = None) -> ReportHeader:
    """The header from the lines before the opening, the opening, and (for the round the text
    rectifies and the body's own name) the text before `findings_from`, the folded offset
    where the findings begin: a problem quoting an earlier round is not this report's."""
    header = ReportHeader()
    header.title = find_title(layout, rules)
    opening = _text_window(layout, rules)
    whole = "\n".join(ln.text for ln in layout.lines)
    if findings_from is not None:
        whole = whole[:findings_from]
    short = rules.rx("header.short_name")

    team = rules.rx("header.team").search(opening)
    header.team = team.group(1) if team else None
    # Several teams and no one of them named: the text tells a whole round, not one body's.
    round_wide = team is None and _several_teams(opening, rules)
    inspected_rx = rules.rx("header.inspected")
    inspected = (inspected_rx.search(opening, team.end()) if team else None) or inspected_rx.search(
        opening
    )
    body = title_body(header.title)
    if inspected and not round_wide:
        header.inspected_unit = _resolve_we(short.sub("", inspected.group(1)), body, whole, rules)
    kind_source = header.team or header.title or opening
    if "巡视" in kind_source or ("巡视" in opening and "巡察" not in opening):
        header.inspection_kind = "巡视"
    elif "巡察" in kind_source or "巡察" in opening:
        header.inspection_kind = "巡察"

    header.round = _round(header.title, opening, whole, rules)
    _dates(header, opening, rules)
    header.publish_date = _publish_date(layout, rules)
    header.issuer = _issuer(layout, header, body, opening, whole, round_wide, rules)
    return header


def _several_teams(opening: str, rules: Rules) -> bool:
    m = rules.rx("header.several_teams").search(opening)
    if not m:
        return False
    raw = m.group(1)
    try:
        return (int(raw) if raw.isdigit() else parse_chinese(raw.replace("两", "二"))) > 1
    except ValueError:
        return False


def _resolve_we(name: str, body: str | None, text: str, rules: Rules) -> str | None:
    """我单位 / 我院党组 is the body the title names (keeping 党组/党委 when it says so); with no
    title, the body as it names itself on a rectification document it issued
    (《中共某院党组关于…整改方案》). Unresolved, it is not a name (None, and a warning says so)."""
    we = rules.rx("header.we").match(name)
    if not we:
        return name
    if not body:
        body = _own_name(we.group(1), text, rules)
        if not body:
            return None
    organ = we.group(2)
    if organ and not _PARTY_ORGAN.search(body):
        return body + organ
    return body


def _own_name(institution: str, text: str, rules: Rules) -> str | None:
    """The name the body gives itself on its own rectification document, if it is one of
    the kind 我X says (我院 → a name with 院; 我单位 → any)."""
    for m in rules.rx("header.own_document").finditer(text):
        name = m.group(1)
        if institution == "单位" or institution in name:
            return name
    return None


def _abbreviations(text: str, rules: Rules) -> dict[str, str]:
    """Abbreviations the text defines: 中共某区科学技术协会党组(以下简称区科协党组) gives
    区科协党组 → 中共某区科学技术协会党组 (the name is what stands before the note, after 对/向)."""
    out = {}
    for m in rules.rx("header.short_name").finditer(text):
        before = re.split(r"[,。,;:、]|对|向|由", text[max(0, m.start() - 40) : m.start()])[-1]
        if len(before) >= 2:
            out[m.group(1)] = before
    return out


def _round(title: str | None, opening: str, text: str, rules: Rules) -> str | None:
    """The round as the title names it; else as the opening does; else the round whose
    feedback or rectification the text speaks of (…第二轮巡察的整改进展情况)."""
    if title:
        m = rules.rx("header.round_in_title").search(title)
        if m:
            return m.group(1)
    m = rules.rx("header.round_in_text").search(opening) or rules.rx(
        "header.round_rectified"
    ).search(text)
    return m.group(1) if m else None


def month_day(digits: str) -> tuple[int, int] | None:
    """A month and day printed without 月 (717 → 7, 17; 1112 → 11, 12), where only one split
    of the digits is a date; None when none or several are (111 is 1-11 or 11-1)."""
    found = set()
    for i in (1, 2):
        month, day = digits[:i], digits[i:]
        if not day or len(day) > 2 or month == "0" or (i == 1 and day.startswith("0")):
            continue
        m, d = int(month), int(day)
        if 1 <= m <= 12 and _iso(2000, m, d):  # a leap year: 229 reads as 2-29
            found.add((m, d))
    return found.pop() if len(found) == 1 else None


def _stay(opening: str, rules: Rules) -> tuple[int, tuple | None, tuple | None]:
    """Where the stay ends in the opening, its first day and its last (year, month, day),
    the last day's year None when the text leaves it out; also printed without 年/月
    (2024717日至830日) where the digits have one reading."""
    span = rules.rx("header.date_range").search(opening)
    if span:
        y1, m1, d1, y2, m2, d2 = span.groups()
        return span.end(), (int(y1), int(m1), int(d1)), (y2 and int(y2), int(m2), int(d2))
    bare = rules.rx("header.date_range_unmarked").search(opening)
    if bare:
        y1, md1, y2, md2 = bare.groups()
        first, last = month_day(md1), month_day(md2)
        if first and last:
            return bare.end(), (int(y1), *first), (y2 and int(y2), *last)
    return 0, None, None


def _dates(header: ReportHeader, opening: str, rules: Rules) -> None:
    after, first, last = _stay(opening, rules)
    end_date = None
    if first and last:
        y1, m1, d1 = first
        y2, m2, d2 = last
        header.inspection_start = _iso(y1, m1, d1)
        end_year = y2 or y1
        header.inspection_end = _iso(end_year, m2, d2)
        if (
            header.inspection_end
            and header.inspection_start
            and header.inspection_end < header.inspection_start
        ):
            header.inspection_end = _iso(end_year + 1, m2, d2)  # a period over New Year
        end_date = header.inspection_end
    feedback = rules.rx("header.feedback").search(opening, after)
    groups = feedback.groups() if feedback else None
    if not feedback:
        bare = rules.rx("header.feedback_unmarked").search(opening, after)
        read = month_day(bare.group(1)) if bare else None
        groups = (None, *read) if read else None
    if groups:
        year, month, day = groups
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
    layout: Layout,
    header: ReportHeader,
    body: str | None,
    opening: str,
    text: str,
    round_wide: bool,
    rules: Rules,
) -> str | None:
    """The signature line (the full name, when it signs with a short name the opening
    defines); else the body the title names; else the body the team reported
    back to (向X反馈); else the inspected body. A round's notice (several teams) names no
    issuer unless it is signed or titled."""
    short = rules.rx("header.short_name")
    if layout.signature is not None:
        signed = short.sub("", layout.lines[layout.signature].text.strip())
        # Signed with the short name the opening defines (以下简称区科协党组): its full name.
        return _abbreviations(opening, rules).get(signed, signed)
    if body:
        return short.sub("", body)
    if round_wide:
        return None
    told = rules.rx("header.feedback_to").search(opening)
    if told:
        name = _resolve_we(short.sub("", told.group(1)), body, text, rules)
        name = _abbreviations(opening, rules).get(name, name) if name else None
        unit = header.inspected_unit
        if name and unit and unit != name and unit.endswith(name):
            return unit  # 向学院党委反馈 names 计算机学院党委 again, shorter
        if name and not rules.rx("header.we").match(name):
            return name
    return header.inspected_unit
