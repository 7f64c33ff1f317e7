"""Recover a report's skeleton: sections, areas → problems → items, and measures.

One generic pass over the paragraphs. A paragraph's leading marker says what it opens:
(一) an area, 1. a problem, (1) or 问题1: an item, 一是 a measure; the section it stands in
(organisation, findings, remaining, next steps) says how to read those markers. Nothing
here knows one report's wording: markers and section cues come from rules/structure.yaml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from etl.model import LEVELS, Finding, Measure
from etl.normalize import Normalized
from etl.rules import Rules

LEVEL_OF_MARKER = {"paren_cn": "area", "arabic": "problem", "paren_arabic": "item"}
LEVEL_PREFIX = {"area": "A", "problem": "P", "item": "I"}
_TRAILING = " \t\r\n"


@dataclass
class Line:
    text: str  # folded
    start: int  # folded offsets
    end: int


@dataclass
class Layout:
    """Where the parts of a report sit, as indexes into its lines."""

    lines: list[Line]
    opening: int | None  # the 根据…部署 paragraph
    body_start: int
    body_end: int  # exclusive; signature, date and closing lines come after
    signature: int | None = None
    date_line: int | None = None


@dataclass
class _Container:
    """Something that collects body paragraphs: a finding, or a section part."""

    section: str
    finding: Finding | None = None
    segments: list[tuple[int, int, bool]] = field(default_factory=list)  # start, end, marked
    status_note: str | None = None


@dataclass
class Skeleton:
    layout: Layout
    findings: list[Finding]
    measures: list[Measure]
    status_notes: dict[str, str]  # finding id → its 完成情况 line


def split_lines(norm: Normalized) -> list[Line]:
    lines, pos = [], 0
    for chunk in norm.text.split("\n"):
        lines.append(Line(chunk, pos, pos + len(chunk)))
        pos += len(chunk) + 1
    return lines


def find_layout(norm: Normalized, rules: Rules) -> Layout:
    lines = split_lines(norm)
    opening_rx, topic_rx = rules.rx("header.opening"), rules.rx("header.opening_topic")
    opening = next(
        (
            i
            for i, ln in enumerate(lines[:15])
            if opening_rx.search(ln.text) and topic_rx.search(ln.text)
        ),
        None,
    )
    if opening is None:
        marker = next((i for i, ln in enumerate(lines) if _marker(ln.text, rules)), len(lines))
        body_start = marker
    else:
        body_start = opening + 1
    end = len(lines)
    date_line = signature = None
    date_rx, issuer_rx = rules.rx("header.date_line"), rules.rx("header.issuer_line")
    if end > body_start and date_rx.match(lines[end - 1].text):
        date_line = end - 1
        end -= 1
    if (
        end > body_start
        and issuer_rx.match(lines[end - 1].text)
        and not _marker(lines[end - 1].text, rules)
    ):
        signature = end - 1
        end -= 1
    closing_rx = rules.rx("closing")
    while end > body_start and closing_rx.search(lines[end - 1].text):
        end -= 1
    return Layout(lines, opening, body_start, end, signature, date_line)


def _marker(text: str, rules: Rules) -> tuple[str, re.Match] | None:
    for marker_id, rx in _marker_patterns(rules):
        m = rx.match(text)
        if m:
            return marker_id, m
    return None


def _marker_patterns(rules: Rules) -> list[tuple[str, re.Pattern]]:
    key = "_markers"
    if key not in rules.compiled:
        rules.compiled[key] = [
            (mk["id"], re.compile(mk["pattern"])) for mk in rules.structure["markers"]
        ]
    return rules.compiled[key]


def _classify_heading(text: str, rules: Rules) -> str:
    for section in rules.structure["sections"]:
        if re.search(section["pattern"], text):
            return section["id"]
    return "findings"


def _tail_part(text: str, rules: Rules) -> str | None:
    hits = [p["id"] for p in rules.structure["tail_parts"] if re.search(p["pattern"], text)]
    if not hits:
        return None
    return hits[0]


def finding_title(heading: str, rules: Rules) -> tuple[str, int]:
    """Title of a finding heading (marker removed) and where its own text ends.

    关于“X”的问题 → X; 针对X的问题。→ X; (一)关于X的整改情况 → X; else the first sentence.
    """
    quoted = rules.rx("title_quoted").match(heading[:300])
    if quoted:
        return quoted.group(1), quoted.end()
    suffix = re.search(rules.structure["title_suffix"], heading[:300])
    sentence_end = _sentence_end(heading)
    if suffix and suffix.start() <= max(sentence_end, 0) + 200:
        title = heading[: suffix.start()]
        end = suffix.end()
    else:
        title, end = heading[:sentence_end], sentence_end
    title = re.sub(rules.structure["title_prefix"], "", title).strip(" ,,。")
    return title, end


def _sentence_end(text: str) -> int:
    m = re.search(r"[。!?;]", text)
    return m.start() if m else len(text)


def parse_skeleton(norm: Normalized, plain: str, rules: Rules) -> Skeleton:
    layout = find_layout(norm, rules)
    parser = _Parser(norm, plain, rules)
    for line in layout.lines[layout.body_start : layout.body_end]:
        if line.text.strip():
            parser.feed(line)
    return parser.finish(layout)


class _Parser:
    def __init__(self, norm: Normalized, plain: str, rules: Rules):
        self.norm, self.plain, self.rules = norm, plain, rules
        self.section = "preamble"
        self.tail_part: str | None = None
        self.findings: list[Finding] = []
        self.containers: list[_Container] = []
        self.current: _Container | None = None
        self.open: dict[str, Finding | None] = {"area": None, "problem": None, "item": None}
        self.counters = {"area": 0, "problem": 0, "item": 0}
        self.children: set[str] = set()

    # -- helpers -------------------------------------------------------------------------
    def _plain(self, start: int, end: int) -> str:
        a, b = self.norm.to_plain(start, end)
        return self.plain[a:b]

    def _new_container(self, section: str, finding: Finding | None = None) -> _Container:
        self.current = _Container(section, finding)
        self.containers.append(self.current)
        return self.current

    # -- feeding lines -------------------------------------------------------------------
    def feed(self, line: Line) -> None:
        marked = _marker(line.text, self.rules)
        kind, m = marked if marked else (None, None)
        if kind == "top":
            self._top_heading(line, m)
        elif self.section == "preamble" and kind in LEVEL_OF_MARKER:
            # A report that goes straight from its header to the findings: (一) 1. (1).
            self.section = "findings"
            self._open_finding(LEVEL_OF_MARKER[kind], line, m)
        elif self.section in ("organisation", "preamble"):
            self._organisation_paragraph(line, kind, m)
        elif self.section == "tail":
            self._tail_paragraph(line, kind, m)
        elif kind in LEVEL_OF_MARKER:
            self._open_finding(LEVEL_OF_MARKER[kind], line, m)
        else:
            self._body(line)

    def _top_heading(self, line: Line, m: re.Match) -> None:
        heading = line.text[m.end() :]
        section = _classify_heading(heading, self.rules)
        self.section = section
        self.open = {"area": None, "problem": None, "item": None}
        if section == "tail":
            self.tail_part = _tail_part(heading, self.rules)
            self._new_container(self.tail_part or "remaining")
        elif section == "organisation":
            self._new_container("organisation")
        elif self.rules.rx("finding_heading").search(heading):
            # A report that numbers its findings 一、二、 directly: the heading is an area.
            self.section = "findings"
            self._open_finding("area", line, m)
        else:
            self.current = None

    def _organisation_paragraph(self, line: Line, kind: str | None, m: re.Match | None) -> None:
        """Organisation (and preamble) paragraphs: each marked paragraph is a measure."""
        if self.section == "preamble" and not self._has_measure_marker(line.text) and kind is None:
            # Preamble prose before the first heading: keep it only as organisation measures
            # when it is marked; otherwise it is context, not a measure.
            return
        container = (
            self.current
            if self.current and self.current.section == "organisation"
            else self._new_container("organisation")
        )
        offset = m.end() if kind in LEVEL_OF_MARKER else 0
        container.segments.append((line.start + offset, line.end, bool(offset)))

    def _tail_paragraph(self, line: Line, kind: str | None, m: re.Match | None) -> None:
        if kind == "paren_cn":
            part = _tail_part(line.text[m.end() :], self.rules)
            if part:
                self.tail_part = part
                self._new_container(part)
                return
        container = self.current or self._new_container(self.tail_part or "remaining")
        offset = m.end() if kind else 0
        container.segments.append((line.start + offset, line.end, bool(offset)))

    def _has_measure_marker(self, text: str) -> bool:
        return bool(self.rules.rx("measure_marker").search(text))

    def _open_finding(self, level: str, line: Line, m: re.Match) -> None:
        heading = line.text[m.end() :]
        title, title_end = finding_title(heading, self.rules)
        if level == "area":
            parent = None
        elif level == "problem":
            parent = self.open["area"]
        else:
            parent = self.open["problem"] or self.open["area"]
        self.counters[level] += 1
        head_start = line.start + m.end()
        t_start = head_start + heading.find(title) if title and title in heading else head_start
        finding = Finding(
            id=f"{LEVEL_PREFIX[level]}{self.counters[level]}",
            parent_id=parent.id if parent else None,
            level=level,
            label=m.group(0).strip(),
            title=self._plain(t_start, t_start + len(title)) if title in heading else title,
            start=self.norm.to_plain(line.start, line.end)[0],
            end=self.norm.to_plain(line.start, line.end)[1],
        )
        if parent:
            self.children.add(parent.id)
        self.findings.append(finding)
        self.open[level] = finding
        for lower in LEVELS[LEVELS.index(level) + 1 :]:
            self.open[lower] = None
        self._new_container("findings", finding)
        rest = heading[title_end:]
        skip = len(rest) - len(rest.lstrip("。,,;:: "))
        rest_start = head_start + title_end + skip
        if rest_start < line.end:
            self.current.segments.append((rest_start, line.end, False))

    def _body(self, line: Line) -> None:
        if self.current is None:
            return  # prose between a heading and its first finding: an introduction
        self.current.segments.append((line.start, line.end, False))

    # -- measures ------------------------------------------------------------------------
    def finish(self, layout: Layout) -> Skeleton:
        measures: list[Measure] = []
        notes: dict[str, str] = {}
        for container in self.containers:
            finding = container.finding
            if finding is not None and finding.id in self.children:
                continue  # a finding with sub-findings: its own prose is an introduction
            drafts, note = self._measures_of(container)
            if note and finding is not None:
                notes[finding.id] = note
            measures += [self._measure(container, *draft) for draft in drafts]
        # Ordinals count within a finding or section part; ids follow the document.
        measures.sort(key=lambda ms: ms.start)
        seen: dict[tuple, int] = {}
        for i, measure in enumerate(measures, start=1):
            measure.id = f"M{i}"
            key = (measure.section, measure.finding_id)
            seen[key] = seen.get(key, 0) + 1
            measure.ordinal = seen[key]
        return Skeleton(layout, self.findings, measures, notes)

    def _measures_of(self, container: _Container) -> tuple[list[tuple[int, int, bool]], str | None]:
        """Split a container's paragraphs into (start, end, has_headline) spans."""
        text = self.norm.text
        label_rx, status_rx = self.rules.rx("body_labels"), self.rules.rx("status_line")
        marker_rx = self.rules.rx("measure_marker")
        spans: list[tuple[int, int, bool]] = []
        note = None
        segments = container.segments
        for index, (start, end, headed) in enumerate(segments):
            para = text[start:end]
            status = status_rx.match(para)
            if status:
                note = status.group(2).strip()
                continue
            label = label_rx.match(para)
            if label:
                start += label.end()
                para = text[start:end]
            marks = list(marker_rx.finditer(para))
            if marks:
                for k, mark in enumerate(marks):
                    m_end = marks[k + 1].start() if k + 1 < len(marks) else len(para)
                    spans.append((start + mark.end(), start + m_end, True))
                continue
            next_marked = index + 1 < len(segments) and (
                segments[index + 1][2]
                or marker_rx.match(text[segments[index + 1][0] : segments[index + 1][1]])
            )
            if container.section != "findings" and next_marked and not headed:
                continue  # an introduction to the marked paragraphs that follow
            if para.strip():
                spans.append((start, end, headed))
        trimmed = [self._trim(s) for s in spans]
        return [(a, b, headed) for a, b, headed in trimmed if b > a], note

    def _trim(self, span: tuple[int, int, bool]) -> tuple[int, int, bool]:
        start, end, headed = span
        text = self.norm.text
        while start < end and text[start] in " ,,:;:、":
            start += 1
        while end > start and text[end - 1] in _TRAILING:
            end -= 1
        return start, end, headed

    def _measure(self, container: _Container, start: int, end: int, headed: bool) -> Measure:
        """A measure without its id and ordinal, which `finish` numbers in document order."""
        a, b = self.norm.to_plain(start, end)
        body = self.plain[a:b]
        headline = None
        if headed:
            stop = re.search(r"。", self.norm.text[start:end])
            headline = self._plain(start, start + stop.start()) if stop else body
        return Measure(
            id="",
            finding_id=container.finding.id if container.finding else None,
            section=container.section,
            ordinal=0,
            headline=headline,
            text=body,
            start=a,
            end=b,
        )
