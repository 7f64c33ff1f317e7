"""Recover a report's skeleton: sections, areas → problems → items, and measures.

Three passes over the paragraphs; none knows one report's wording (every cue is in
rules/structure.yaml):

1. **Nesting.** Paragraphs nest as the document nests them: a marker (一、 (一) 1. (1) 问题1:)
   of a kind already open closes what is under it and opens a sibling; a first one (一, 1)
   opens a child; a later number of a kind not open (4. after (二)) goes under the nearest
   part of a higher usual rank. Text written without line breaks is first split before the
   markers that continue the document's numbering.
2. **Roles.** Each top-level part gets its role from what it says and what it holds: how the
   body organised the work (organisation), which problems it fixed (findings), what remains
   and what comes next (tail). Inside the findings a marked paragraph is a finding when it,
   or what it holds, reads as a problem (关于/针对, 问题, 方面, 不到位, 差距 …); marked action
   paragraphs under a finding, or after a label such as 整改措施:, are its measures.
3. **Levels.** Findings get area, problem or item from how deep they sit in the findings;
   the usual level of each marker only breaks ties (a lone list of (1) stays items). A
   finding that sits two levels under its parent, or an item with nothing above it, is
   reported as a skipped level.

Measures are what the organisation and tail parts hold, and what each finding without
sub-findings holds: 一是/二是 paragraphs, paragraphs after a label, marked action paragraphs
(a headline alone on its line takes the paragraph after it).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from etl.model import LEVELS, Finding, Measure
from etl.normalize import Normalized
from etl.numbers import parse_chinese
from etl.rules import Rules

LEVEL_PREFIX = {"area": "A", "problem": "P", "item": "I"}
# The usual rank of each marker kind (smaller is higher), for closing parts whose kind is
# not open; problem_no (问题1:) stands where (1) does.
RANK = {"top": 0, "paren_cn": 1, "arabic": 2, "paren_arabic": 3, "problem_no": 3}
_TRAILING = " \t\r\n"
_HEADLINE_END = re.compile(r"[。!?;\n]")  # where a heading's first sentence ends
_HEADLINE_STOP = re.compile(r"[。\n]")  # where a measure's headline ends
OPENING_SCAN_LINES = 120  # a navigation list may stand before the title and the opening
HEADING_MAX_CHARS = 80  # a heading alone on its line is no longer than this
ATTACHMENT_NOTE_LINES = 4  # lines an attachment's note (附件:1.… 2.…) may take before the signature


@dataclass
class Line:
    text: str  # folded
    start: int  # folded offsets
    end: int
    physical: int = -1  # the line of the text it is (part of)
    inline: bool = False  # split off from inside that line (a run-in marker)


@dataclass
class Layout:
    """Where the parts of a report sit, as indexes into its lines."""

    lines: list[Line]
    opening: int | None  # the 根据…部署 paragraph
    body_start: int
    body_end: int  # exclusive; signature, date and closing lines come after
    signature: int | None = None
    date_line: int | None = None


@dataclass(eq=False)
class Node:
    """A marked paragraph and what the document puts under it, in order."""

    kind: str
    number: int
    line: Line
    head: int  # folded offset where the heading text starts (after the marker)
    label: str
    parent: Node | None = None
    content: list = field(default_factory=list)  # Line and Node, in document order
    role: str = ""  # container | finding | measure | part
    depth: int = 0  # findings above it
    level: str | None = None

    @property
    def heading(self) -> str:
        return self.line.text[self.head - self.line.start :]

    @property
    def children(self) -> list[Node]:
        return [c for c in self.content if isinstance(c, Node)]

    @property
    def end(self) -> int:
        """Where the last line under this node ends (folded)."""
        last = self.content[-1] if self.content else None
        if last is None:
            return self.line.end
        return last.end if isinstance(last, Line) else last.end

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class Skeleton:
    layout: Layout
    findings: list[Finding]
    measures: list[Measure]
    status_notes: dict[str, str]  # finding id → its 完成情况 line
    # Folded spans of the top-level findings (what they say about themselves is not a total).
    findings_spans: list[tuple[int, int]] = field(default_factory=list)
    skipped: list[Finding] = field(default_factory=list)  # findings with a level skipped


# -- lines --------------------------------------------------------------------------------
def split_lines(norm: Normalized) -> list[Line]:
    lines, pos = [], 0
    for i, chunk in enumerate(norm.text.split("\n")):
        lines.append(Line(chunk, pos, pos + len(chunk), i))
        pos += len(chunk) + 1
    return lines


def _sub_line(text: str, start: int, end: int, of: Line | None = None) -> Line | None:
    """The stripped part of `text` between folded offsets start and end (a piece of line
    `of`), or None if blank."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end <= start:
        return None
    physical = of.physical if of is not None else -1
    inline = of is not None and (of.inline or start > of.start)
    return Line(text[start:end], start, end, physical, inline)


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


def _number(m: re.Match) -> int:
    raw = next((g for g in m.groups() if g), "1")
    try:
        return int(raw) if raw.isdigit() else parse_chinese(raw)
    except ValueError:
        return 1


def _unflatten(text: str, lines: list[Line], rules: Rules) -> list[Line]:
    """Split lines where a paragraph was run on into them (a report without line breaks,
    run-in 一、…。二、… paragraphs, a 整改情况: label after a full stop). A top-level marker is
    split off when it continues the document's 一、二、 numbering; lower markers only inside a
    line that held such a split, or in a text where no line starts with a marker at all, and
    when they start their own numbering or continue it."""
    flat = not any(_marker(ln.text, rules) for ln in lines)
    boundary, labels = rules.rx("run_in"), rules.rx("run_in_label")
    opening = rules.rx("run_in_opening")
    last: dict[str, int] = dict.fromkeys(RANK, 0)
    out: list[Line] = []
    for line in lines:
        own = _marker(line.text, rules)
        if own:
            last[own[0]] = _number(own[1])
        cuts, line_has_top = [], False
        for b in boundary.finditer(line.text):
            pos = b.end()
            marked = _marker(line.text[pos : pos + 12], rules) if pos else None
            if not marked:
                continue
            kind, number = marked[0], _number(marked[1])
            if kind == "top":
                ok = number == last["top"] + 1
                line_has_top = line_has_top or ok
            else:
                ok = (flat or line_has_top) and number in (1, last[kind] + 1)
            if ok:
                last[kind] = number
                cuts.append(pos)
        cuts += [b.end() for b in labels.finditer(line.text) if b.end()]
        cuts += [m.end() for m in opening.finditer(line.text) if m.end() < len(line.text)]
        if not cuts:
            out.append(line)
            continue
        edges = [line.start] + [line.start + c for c in sorted(set(cuts))] + [line.end]
        for a, b in zip(edges, edges[1:], strict=False):
            piece = _sub_line(text, a, b, line)
            if piece:
                out += _heading_gap(text, piece, line, rules)
    return _split_title_and_signature(text, out, rules)


def _heading_gap(text: str, piece: Line, line: Line, rules: Rules) -> list[Line]:
    """A marked piece of a run-in line whose heading is followed by a space and its text
    (三、下一步工作打算 持续巩固…) as the heading and the paragraph under it."""
    marked = _marker(piece.text, rules)
    if not marked:
        return [piece]
    gap = re.compile(r"\s+").search(
        piece.text, marked[1].end(), marked[1].end() + HEADING_MAX_CHARS
    )
    if not gap or _HEADLINE_END.search(piece.text, marked[1].end(), gap.start()):
        return [piece]
    cut = piece.start + gap.start()
    return [
        ln
        for ln in (_sub_line(text, piece.start, cut, line), _sub_line(text, cut, piece.end, line))
        if ln
    ]


def _split_title_and_signature(text: str, lines: list[Line], rules: Rules) -> list[Line]:
    """In a report without line breaks, the title runs into the opening (…的通报 根据…) and the
    signature and date run on from the last paragraph: split them off."""
    lines = [ln for ln in lines if ln.text.strip()]
    if not lines:
        return lines
    first = lines[0]
    opening = re.search(r"(?:通报|报告|公告|公示)\s*(?=根据|按照|依据|遵照)", first.text[:300])
    if opening and opening.end() < len(first.text):
        cut = first.start + opening.end()
        lines[:1] = [
            ln for ln in (_sub_line(text, first.start, cut), _sub_line(text, cut, first.end)) if ln
        ]
    closing = rules.rx("closing_run_in").search(lines[-1].text)
    if closing and closing.start() > 0:
        last = lines[-1]
        cut = last.start + closing.start()
        lines[-1:] = [
            ln
            for ln in (_sub_line(text, last.start, cut, last), _sub_line(text, cut, last.end, last))
            if ln
        ]
    last = lines[-1]
    date = re.search(r"(?:^|(?<=[。\s]))(\d{4}年\d{1,2}月\d{1,2}日)$", last.text)
    if date and date.start() > 0:
        cut = last.start + date.start()
        head = _sub_line(text, last.start, cut, last)
        tail = _sub_line(text, cut, last.end, last)
        pieces = [head, tail]
        if head is not None:
            name = re.search(r"(?<=[。\s])(\S{2,40})$", head.text)
            if name and rules.rx("header.issuer_line").match(name.group(1)):
                cut2 = head.start + name.start()
                pieces = [
                    _sub_line(text, head.start, cut2, head),
                    _sub_line(text, cut2, head.end, head),
                    tail,
                ]
        lines[-1:] = [ln for ln in pieces if ln]
    return lines


# -- layout -------------------------------------------------------------------------------
def find_layout(norm: Normalized, rules: Rules) -> Layout:
    lines = _unflatten(norm.text, split_lines(norm), rules)
    opening_rx, topic_rx = rules.rx("header.opening"), rules.rx("header.opening_topic")
    opening = None
    for i, ln in enumerate(lines[:OPENING_SCAN_LINES]):
        marked = _marker(ln.text, rules)
        if marked and marked[0] in ("top", "paren_cn"):
            break  # the body has begun: an opening would stand before it
        if opening_rx.search(ln.text) and topic_rx.search(ln.text):
            opening = i
            break
    if opening is None:
        marker = next((i for i, ln in enumerate(lines) if _marker(ln.text, rules)), len(lines))
        body_start = marker
    else:
        body_start = opening + 1
    date_rx, issuer_rx = rules.rx("header.date_line"), rules.rx("header.issuer_line")
    attachment_rx = rules.rx("attachment")
    end = next(
        (i for i in range(body_start, len(lines)) if attachment_rx.match(lines[i].text)),
        len(lines),
    )
    # The attachment's note may stand before the signature and date (附件:整改台账 / 中共某局
    # 党组 / 2024年8月1日 / then the attachment itself): the report is signed after it.
    date_line = signature = None
    for d in range(end + 2, min(len(lines), end + ATTACHMENT_NOTE_LINES + 2)):
        if date_rx.match(lines[d].text) and issuer_rx.match(lines[d - 1].text):
            signature, date_line = d - 1, d
            break
    if date_line is None and end > body_start and date_rx.match(lines[end - 1].text):
        date_line = end - 1
        end -= 1
    if (
        signature is None
        and end > body_start
        and issuer_rx.match(lines[end - 1].text)
        and not _marker(lines[end - 1].text, rules)
    ):
        signature = end - 1
        end -= 1
    closing_rx = rules.rx("closing")
    while end > body_start and closing_rx.search(lines[end - 1].text):
        end -= 1
    return Layout(lines, opening, body_start, end, signature, date_line)


# -- titles -------------------------------------------------------------------------------
def finding_title(heading: str, rules: Rules, statement: bool = False) -> tuple[str, int]:
    """Title of a finding heading (marker removed) and where its own text ends.

    关于“X”的问题 → X; 针对X的问题。→ X; (一)关于X的整改情况 → X; 问题1:X。→ X; else the first
    sentence (a full stop inside an open quote does not end it). A `statement` (a heading
    whose rectification stands under a label of its own, 整改情况:) runs to its sentence end:
    超编问题,本轮仍然存在。 is one title; elsewhere X问题,已建立台账 ends at 问题 as
    关于X的问题,… does.
    """
    label = rules.rx("titles.label").match(heading)
    skip = label.end() if label else 0
    title, end = _title_after_label(heading[skip:], rules, statement)
    return title, end + skip


def _title_after_label(heading: str, rules: Rules, statement: bool) -> tuple[str, int]:
    window = heading[:300]
    quoted = rules.rx("titles.quoted").match(window)
    if quoted:
        return quoted.group("a"), quoted.end()
    prefix = rules.rx("titles.prefix")
    suffix = rules.rx("titles.suffix").search(window)
    sentence_end = _sentence_end(heading)
    if (
        suffix
        and statement
        and not prefix.match(window)
        and suffix.group(0).startswith("问题")
        and window[suffix.end() : suffix.end() + 1] in (",", ",")
    ):
        suffix = None  # a word of the statement (…超编问题,本轮…), not the heading's end
    if suffix and suffix.start() <= max(sentence_end, 0) + 200:
        title, end = heading[: suffix.start()], suffix.end()
    else:
        title, end = heading[:sentence_end], sentence_end
    title = prefix.sub("", title).strip(" ,,。")
    return title, end


def _sentence_end(text: str) -> int:
    """Where the first sentence ends: a full stop not inside an open “quote” (a quoted
    finding may hold several sentences; one cut off by the end of the text holds the rest)."""
    depth = 0
    for i, ch in enumerate(text[:2000]):
        if ch == "“":
            depth += 1
        elif ch == "”":
            depth = max(0, depth - 1)
        elif depth == 0 and ch in "。!?;":
            return i
    return min(len(text), 2000)


def _headline(text: str) -> str:
    """A heading's first sentence, where its cues are read."""
    m = _HEADLINE_END.search(text, 0, HEADING_MAX_CHARS)
    return text[: m.start()] if m else text[:HEADING_MAX_CHARS]


def _heading_only(node: Node) -> bool:
    """Whether the marked line is a heading alone (no sentence after its first one)."""
    text = node.heading.strip()
    if len(text) > HEADING_MAX_CHARS:
        return False
    m = _HEADLINE_END.search(text)
    return m is None or not text[m.end() :].strip()


# -- cues ---------------------------------------------------------------------------------
def _cue_list(rules: Rules, key: str) -> list[re.Pattern]:
    cache = f"_cues_{key}"
    if cache not in rules.compiled:
        rules.compiled[cache] = [re.compile(c["pattern"]) for c in rules.structure[key]]
    return rules.compiled[cache]


def finding_cues(text: str, rules: Rules) -> set[str]:
    """The ids of the problem cues a heading carries (about, quoted, problem_word, shortfall)."""
    ids = [c["id"] for c in rules.structure["finding_cues"]]
    return {
        i for i, rx in zip(ids, _cue_list(rules, "finding_cues"), strict=True) if rx.search(text)
    }


def finding_score(text: str, rules: Rules) -> int:
    """How many kinds of problem cue a heading carries (关于/针对, quoted, 问题/方面, shortfall)."""
    return len(finding_cues(text, rules))


def organisation_score(text: str, rules: Rules) -> int:
    """How many kinds of organisation cue a heading carries (组织领导, 主体责任, 政治站位 …)."""
    return sum(1 for rx in _cue_list(rules, "organisation_cues") if rx.search(text))


def classify_heading(text: str, rules: Rules) -> str | None:
    """What a section heading's own words say it holds (tail, organisation or findings), or
    None when they do not say."""
    for section in rules.structure["sections"]:
        if re.search(section["pattern"], text):
            return section["id"]
    return None


def _tail_part(text: str, rules: Rules) -> str | None:
    hits = [p["id"] for p in rules.structure["tail_parts"] if re.search(p["pattern"], text)]
    return hits[0] if hits else None


def _is_label(line: Line, rules: Rules) -> bool:
    return bool(rules.rx("body_labels").match(line.text))


def _has_label(node: Node, rules: Rules) -> bool:
    return any(isinstance(c, Line) and _is_label(c, rules) for c in node.content)


def _entries(node: Node, rules: Rules) -> list[str]:
    """Headlines of what a part holds: its marked children and its 一是 paragraphs."""
    marker_rx = rules.rx("measure_marker")
    out = []
    for c in node.content:
        if isinstance(c, Node):
            out.append(_headline(c.heading))
        else:
            m = marker_rx.match(c.text)
            if m:
                out.append(_headline(c.text[m.end() :]))
    return out


def _root_role(node: Node, previous: str | None, rules: Rules) -> str:
    """tail, organisation or findings, from the heading's words and what the part holds; a
    part with no evidence either way is organisation (or tail, after a tail part): a finding
    has to read as one."""
    head = _headline(node.heading)
    said = classify_heading(head, rules)
    if said == "tail":
        return "tail"
    f = 2 * finding_score(head, rules) + (2 if said == "findings" else 0)
    o = 2 * organisation_score(head, rules) + (2 if said == "organisation" else 0)
    for entry in _entries(node, rules):  # what the part holds weighs as much as its words
        if finding_score(entry, rules):
            f += 2
        elif organisation_score(entry, rules):
            o += 2
    if any(_has_label(n, rules) for n in node.walk()):
        f += 2
    if f == o:
        if f:
            return "findings"
        return "tail" if previous == "tail" else "organisation"
    return "findings" if f > o else "organisation"


def _is_container(node: Node, rules: Rules) -> bool:
    """A findings section's own heading (二、反馈问题整改落实情况), not a finding."""
    head = _headline(node.heading)
    if not _heading_only(node) or not node.children:
        return False
    if finding_cues(head, rules) - {"about"}:
        return False  # it names a problem of its own (quoted, 不到位, …的问题), not 关于 alone
    return bool(rules.rx("container").search(head))


def _reads_as_finding(node: Node, rules: Rules) -> bool:
    """A marked paragraph under a finding is a finding when it holds a labelled rectification
    (整改情况:) or findings of its own, or reads as a problem and holds something (a
    paragraph, or text after its title); a lone sentence with nothing under it is a measure
    (1.追回违规资金3万元。)."""
    if _has_label(node, rules) or any(_reads_as_finding(c, rules) for c in node.children):
        return True
    if not finding_score(_headline(node.heading), rules):
        return False
    if node.content:
        return True
    _title, title_end = finding_title(node.heading, rules)
    return bool(node.heading[title_end:].strip(" 。,,;:: "))


# -- the parser ---------------------------------------------------------------------------
def parse_skeleton(norm: Normalized, plain: str, rules: Rules) -> Skeleton:
    layout = find_layout(norm, rules)
    body = [ln for ln in layout.lines[layout.body_start : layout.body_end] if ln.text.strip()]
    return _Parser(norm, plain, rules).parse(layout, body)


class _Parser:
    def __init__(self, norm: Normalized, plain: str, rules: Rules):
        self.norm, self.plain, self.rules = norm, plain, rules
        self.findings: list[Node] = []
        # (section, finding node or None, segments, lead) where a segment is (start, end,
        # headed) and `lead` marks the paragraphs before the first section (the preamble)
        self.parts: list[tuple[str, Node | None, list[tuple[int, int, bool]], bool]] = []
        self.spans: list[tuple[int, int]] = []
        self.text_end = len(norm.text.rstrip())  # where the last words of the text end

    def _plain(self, start: int, end: int) -> str:
        a, b = self.norm.to_plain(start, end)
        return self.plain[a:b]

    # -- 1. nesting ------------------------------------------------------------------------
    def _nest(self, lines: list[Line]) -> tuple[list[Line], list[Node]]:
        preamble: list[Line] = []
        roots: list[Node] = []
        stack: list[Node] = []
        for line in lines:
            # Markers written inside one line (一、…。二、… in a lead paragraph) hold only what
            # that line holds: the next line is not theirs.
            while stack and stack[-1].line.inline and stack[-1].line.physical != line.physical:
                stack.pop()
            marked = _marker(line.text, self.rules)
            if marked is None:
                (stack[-1].content if stack else preamble).append(line)
                continue
            kind, m = marked
            number = _number(m)
            node = Node(kind, number, line, line.start + m.end(), m.group(0).strip())
            if any(n.kind == kind for n in stack):
                while stack[-1].kind != kind:
                    stack.pop()
                stack.pop()
            elif number > 1:
                while stack and RANK[stack[-1].kind] >= RANK[kind]:
                    stack.pop()
            if stack:
                node.parent = stack[-1]
                stack[-1].content.append(node)
            else:
                roots.append(node)
            stack.append(node)
        return preamble, roots

    # -- 2. roles --------------------------------------------------------------------------
    def parse(self, layout: Layout, lines: list[Line]) -> Skeleton:
        preamble, roots = self._nest(lines)
        self._part("organisation", None, [self._line_segment(ln) for ln in preamble], lead=True)
        role = None
        for root in roots:
            role = _root_role(root, role, self.rules)
            if role == "tail":
                self._tail(root)
            elif role == "organisation":
                self._organisation(root)
            else:
                if _is_container(root, self.rules):
                    root.role = "container"
                    for child in root.children:
                        self._finding(child, 0)
                else:
                    self._finding(root, 0)
        findings, skipped = self._levels()
        measures, notes = self._measures(findings)
        return Skeleton(layout, findings, measures, notes, self.spans, skipped)

    def _cut_off(self, node: Node) -> bool:
        """A marked paragraph with nothing under it that the text stops inside (an excerpt cut
        in its first sentence)."""
        if node.content or node.line.end < self.text_end:
            return False
        return not re.search(r"[。!?;”)]\s*$", node.heading)

    def _line_segment(self, line: Line) -> tuple[int, int, bool]:
        return (line.start, line.end, False)

    def _node_segments(self, node: Node) -> list[tuple[int, int, bool]]:
        """A marked action paragraph as a headed segment; a headline alone on its line takes
        the paragraphs after it, others are paragraphs of their own."""
        if _heading_only(node) and not node.children:
            return [(node.head, node.end, True)]
        segments = [(node.head, node.line.end, True)]
        self._collect(node, segments)
        return segments

    def _part(self, section: str, finding: Node | None, segments, lead: bool = False) -> None:
        if segments:
            self.parts.append((section, finding, segments, lead))

    def _organisation(self, root: Node) -> None:
        """An organisation part: a run-in paragraph is a measure; a heading holds measures."""
        segments = [] if _heading_only(root) else [(root.head, root.line.end, True)]
        self._collect(root, segments)
        self._part("organisation", None, segments)

    def _collect(self, node: Node, segments: list) -> None:
        """Segments of everything under `node`: lines as they are, marked paragraphs as
        headed segments, and what a marked paragraph holds when it holds marked ones too."""
        for c in node.content:
            if isinstance(c, Line):
                segments.append(self._line_segment(c))
            elif c.children:
                if not _heading_only(c):
                    segments.append((c.head, c.line.end, True))
                self._collect(c, segments)
            else:
                segments += self._node_segments(c)

    def _tail(self, root: Node) -> None:
        part = _tail_part(_headline(root.heading), self.rules) or "next_steps"
        segments: list = [] if _heading_only(root) else [(root.head, root.line.end, True)]
        for c in root.content:
            if isinstance(c, Line):
                segments.append(self._line_segment(c))
                continue
            sub = _tail_part(_headline(c.heading), self.rules) if _heading_only(c) else None
            if sub and c.content:
                self._part(part, None, segments)
                part, segments = sub, []
                self._collect(c, segments)
                self._part(part, None, segments)
                segments = []
            else:
                segments += self._node_segments(c)
        self._part(part, None, segments)

    def _finding(self, node: Node, depth: int) -> None:
        """A finding: its marked children are findings when any reads as one (or holds one),
        measures when none does or when a label (整改措施:) came before them. A last child the
        text stops inside (an excerpt) is a finding when what is left of it reads as one, or
        when it sits under an area heading (…方面): its words are cut off before they say so."""
        node.role, node.depth = "finding", depth
        self.findings.append(node)
        if depth == 0:
            self.spans.append((node.line.start, node.end))
        # Three levels at most (area, problem, item): what sits under an item is its measures.
        deepest = depth >= len(LEVELS) - 1
        area = bool(self.rules.rx("area_heading").search(_headline(node.heading)))
        any_finding = not deepest and any(
            _reads_as_finding(c, self.rules)
            or (self._cut_off(c) and (area or finding_score(_headline(c.heading), self.rules)))
            for c in node.children
        )
        label_seen = False
        for c in node.content:
            if isinstance(c, Line):
                label_seen = label_seen or _is_label(c, self.rules)
            elif any_finding and not label_seen:
                self._finding(c, depth + 1)
            else:
                c.role = "measure"

    # -- 3. levels -------------------------------------------------------------------------
    def _levels(self) -> tuple[list[Finding], list[Finding]]:
        nodes = sorted(self.findings, key=lambda n: n.line.start)
        if not nodes:
            return [], []
        usual = {
            mk["id"]: LEVELS.index(mk.get("level", "item"))
            for mk in self.rules.structure["markers"]
        }
        depth_count = max(n.depth for n in nodes) + 1
        by_depth: dict[int, Counter] = {}
        for n in nodes:
            by_depth.setdefault(n.depth, Counter())[n.kind] += 1
        wanted = [usual[by_depth[d].most_common(1)[0][0]] for d in range(depth_count)]
        holds = any(n.content or self._rest(n) for n in nodes if n.depth == depth_count - 1)
        if depth_count == 1 and holds:
            # One level of findings holding measures: each marker's level when it stands alone.
            alone = {
                mk["id"]: LEVELS.index(mk.get("alone", mk.get("level", "item")))
                for mk in self.rules.structure["markers"]
            }
            wanted = [alone[by_depth[0].most_common(1)[0][0]]]
        first = self._first_level(wanted)
        kind_depth: dict[str, Counter] = {}
        for n in nodes:
            kind_depth.setdefault(n.kind, Counter())[n.depth] += 1
        kind_level = {
            k: min(first + c.most_common(1)[0][0], len(LEVELS) - 1) for k, c in kind_depth.items()
        }
        counters = dict.fromkeys(LEVELS, 0)
        out, skipped = [], []
        made: dict[int, Finding] = {}
        for n in nodes:
            index = kind_level[n.kind]
            parent = n.parent
            while parent is not None and parent.role != "finding":
                parent = parent.parent
            above = LEVELS.index(parent.level) if parent is not None else -1
            if index <= above:
                index = min(above + 1, len(LEVELS) - 1)
            n.level = LEVELS[index]
            counters[n.level] += 1
            finding = self._make_finding(n, counters[n.level], made.get(id(parent)))
            made[id(n)] = finding
            out.append(finding)
            if index > above + 1 and index == len(LEVELS) - 1:
                skipped.append(finding)
        return out, skipped

    @staticmethod
    def _first_level(wanted: list[int]) -> int:
        """The level of the shallowest findings: levels run on from it one per depth, as close
        as can be to the markers' usual levels (ties go to the higher level)."""
        top = len(LEVELS) - 1
        choices = range(0, max(0, top - len(wanted) + 1) + 1)
        return min(
            choices, key=lambda s: sum(abs(min(s + d, top) - w) for d, w in enumerate(wanted))
        )

    def _rest(self, node: Node) -> tuple[int, int] | None:
        """The text after a finding's title on its own line, if any."""
        heading = node.heading
        _title, title_end = finding_title(heading, self.rules, _has_label(node, self.rules))
        rest = heading[title_end:]
        skip = len(rest) - len(rest.lstrip("。,,;:: "))
        start = node.head + title_end + skip
        return (start, node.line.end) if start < node.line.end else None

    def _make_finding(self, n: Node, number: int, parent: Finding | None) -> Finding:
        heading = n.heading
        title, _end = finding_title(heading, self.rules, _has_label(n, self.rules))
        if title and title in heading:
            t_start = n.head + heading.find(title)
            title = self._plain(t_start, t_start + len(title))
        a, b = self.norm.to_plain(n.line.start, n.line.end)
        return Finding(
            id=f"{LEVEL_PREFIX[n.level]}{number}",
            parent_id=parent.id if parent else None,
            level=n.level,
            label=n.label,
            title=title,
            start=a,
            end=b,
        )

    # -- measures --------------------------------------------------------------------------
    def _measures(self, findings: list[Finding]) -> tuple[list[Measure], dict[str, str]]:
        by_node = dict(
            zip(
                (id(n) for n in sorted(self.findings, key=lambda n: n.line.start)),
                findings,
                strict=True,
            )
        )
        for n in self.findings:
            if any(c.role == "finding" for c in n.children):
                continue  # a finding with sub-findings: its own prose is an introduction
            rest = self._rest(n)
            segments = [(rest[0], rest[1], False)] if rest else []
            for c in n.content:
                if isinstance(c, Line):
                    segments.append(self._line_segment(c))
                else:
                    segments += self._node_segments(c)
            self.parts.append(("findings", n, segments, False))
        measures: list[Measure] = []
        notes: dict[str, str] = {}
        for section, node, segments, lead in self.parts:
            finding = by_node[id(node)] if node is not None else None
            drafts, note = self._spans(segments, section, lead)
            if note and finding is not None:
                notes[finding.id] = note
            measures += [self._measure(section, finding, *d) for d in drafts]
        # Ordinals count within a finding or section part; ids follow the document.
        measures.sort(key=lambda ms: ms.start)
        seen: dict[tuple, int] = {}
        for i, measure in enumerate(measures, start=1):
            measure.id = f"M{i}"
            key = (measure.section, measure.finding_id)
            seen[key] = seen.get(key, 0) + 1
            measure.ordinal = seen[key]
        return measures, notes

    def _spans(
        self, segments, section: str, lead: bool
    ) -> tuple[list[tuple[int, int, bool]], str | None]:
        """Split a part's segments into (start, end, has_headline) measure spans.

        A status line (完成情况:已完成) is a note, not a measure; a label (整改情况:) is cut
        off; 一是/二是 split a paragraph into measures (what comes before the first is a lead
        and is dropped); outside the findings an unmarked paragraph just before marked ones
        leads into them and is dropped; in the preamble (`lead`) unmarked paragraphs are
        context, not measures.
        """
        text = self.norm.text
        label_rx, status_rx = self.rules.rx("body_labels"), self.rules.rx("status_line")
        marker_rx = self.rules.rx("measure_marker")
        spans: list[tuple[int, int, bool]] = []
        note = None
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
            if lead and not headed:
                continue
            following = segments[index + 1] if index + 1 < len(segments) else None
            next_marked = following is not None and (
                following[2] or marker_rx.match(text[following[0] : following[1]])
            )
            if section != "findings" and next_marked and not headed:
                continue  # an introduction to the marked paragraphs that follow
            if para.strip():
                spans.append((start, end, headed))
        trimmed = [self._trim(s) for s in spans]
        return [(a, b, headed) for a, b, headed in trimmed if b > a], note

    def _trim(self, span: tuple[int, int, bool]) -> tuple[int, int, bool]:
        start, end, headed = span
        text = self.norm.text
        while start < end and text[start] in " ,,:;:、\n":
            start += 1
        while end > start and text[end - 1] in _TRAILING:
            end -= 1
        return start, end, headed

    def _measure(
        self, section: str, finding: Finding | None, start: int, end: int, headed: bool
    ) -> Measure:
        """A measure without its id and ordinal, which `_measures` numbers in document order."""
        a, b = self.norm.to_plain(start, end)
        body = self.plain[a:b]
        headline = None
        if headed:
            stop = _HEADLINE_STOP.search(self.norm.text, start, end)
            headline = self._plain(start, stop.start()) if stop else body
        return Measure(
            id="",
            finding_id=finding.id if finding else None,
            section=section,
            ordinal=0,
            headline=headline,
            text=body,
            start=a,
            end=b,
        )
