"""Figures of rectification work: a number, its unit, its qualifier, and what it counts.

A number is a metric only when a unit from rules/units.yaml follows it; ordinals, numbers
inside names and titles, dates and codes are skipped (see `exclusions` in that file).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field, replace
from decimal import Decimal

from etl.numbers import CN_NUMERAL_CHARS, as_plain_number, parse_number
from etl.rules import Rules

_CN = f"[{CN_NUMERAL_CHARS}]"
# Arabic (with , groups or decimals) or Chinese numerals; a qualifier word written between
# number and unit (余, 多: see units.yaml) may also sit inside the number (百余万, 3.2万余).
# A number starts where a run of digits or numerals starts (the lookbehinds) and takes the
# run whole (possessive), so a run of 200,000 numerals is read once, not once per character.
# The lookahead first lets the regex engine skip to the next digit or numeral quickly.
_NUMBER = (
    r"(?=[\d{cn_chars}])(?:"
    r"(?<!\d)(?<!\d\.)(?:\d{{1,3}}(?:,\d{{3}})++|\d++)(?:\.\d++)?(?:{between}?[万亿])?"
    r"|(?<!{cn}){cn}++(?:{between}{cn}*+)?)"
)
_CLAUSE_BREAK = "。;;,,:!?\n"
_SENTENCE_BREAK = "。;;!?\n"
# How far a clause or a sentence reaches on either side of a figure: a line without
# punctuation is not read whole for each of its figures.
CLAUSE_REACH = 120
SENTENCE_REACH = 300
NUMERAL_MAX_CHARS = 24  # a longer run of digits or numerals is not a quantity
_LABEL_LEAD = re.compile(
    r"^(?:截至[^,]*|(?:\d{4}年)?(?:\d{1,2}月)?(?:份|以来|底|初|末)?|全年|今年|去年|目前|其中|同时|并|共计|共|累计|合计|先后|已|均)+"
)
_LABEL_TAIL = re.compile(
    r"(?:共计|共|累计|合计|达到|达|约|近|超过|突破|超|逾|等|总计|计|为|了|的)+$"
)


@dataclass(frozen=True)
class RawMetric:
    """A figure found in folded text: offsets into that text, not copies of its sentence."""

    value: Decimal
    unit: str
    unit_normalized: str
    qualifier: str
    label: str
    start: int  # folded offsets
    end: int
    clause_span: tuple[int, int]  # the clause around the figure (between , ; 。), bounded
    sentence_span: tuple[int, int]  # the sentence around it (between 。 ; ! ?), bounded
    role: str = "result"  # result or target (see `roles` in units.yaml)
    source: str = field(default="", repr=False, compare=False)  # the folded text (shared)
    # The clause of the target figure this result counts the things of, when its own clause
    # names only the doing (排查燃气隐患150处,整改完成120处: 120 counts the 燃气隐患).
    of_target: tuple[int, int] | None = None
    # The earlier figure of its sentence this one counts some of, so that it never adds to
    # that figure's indicator: one `included` in it (34个(含立行立改问题2个), 20项,其中新建5项:
    # part of its count, in its role), or the things it checked that had problems (巡查燃气场站
    # 1278座,整改问题场站12座: another quantity, in its own role). See units.yaml `roles`.
    whole: RawMetric | None = field(default=None, repr=False, compare=False)
    included: bool = False

    @property
    def clause(self) -> str:
        return self.source[slice(*self.clause_span)]

    @property
    def counted_clause(self) -> str:
        """The words saying what the figure counts: its clause, after the clause of the
        target whose things it counts (`of_target`), if any."""
        if self.of_target is None:
            return self.clause
        return self.source[slice(*self.of_target)] + "," + self.clause

    @property
    def sentence(self) -> str:
        return self.source[slice(*self.sentence_span)]


def _metric_regex(rules: Rules) -> re.Pattern:
    if "_metric" not in rules.compiled:
        rules.compiled["_metric"] = _build_metric_regex(rules)
    return rules.compiled["_metric"]


def _build_metric_regex(rules: Rules) -> re.Pattern:
    def alt(words) -> str:
        return "|".join(re.escape(w) for w in words) or "(?!)"

    between = f"(?:{alt(w for w, _ in rules.qualifier_between)})"
    number = _NUMBER.format(between=between, cn=_CN, cn_chars=CN_NUMERAL_CHARS)
    return re.compile(
        # The pattern starts at the number, so the regex engine can skip ahead to digits;
        # a qualifier written before the number is looked up afterwards (_prefix_word).
        rf"(?P<num>{number})"
        rf"(?P<more>{between})?(?P<unit>{alt(u.written for u in rules.units)})"
        rf"(?P<suffix>{alt(w for w, _ in rules.qualifier_suffix)})?"
    )


def _prefix_word(text: str, pos: int, rules: Rules) -> str:
    """The qualifier word (超过, 约 …) written just before position `pos`, or ''."""
    if "_prefix" not in rules.compiled:
        words = [w for w, _q in rules.qualifier_prefix]  # longest first
        longest = max((len(w) for w in words), default=0)
        alternation = "|".join(re.escape(w) for w in words) or "(?!)"
        rules.compiled["_prefix"] = (re.compile(f"(?:{alternation})$"), longest)
    rx, longest = rules.compiled["_prefix"]
    window = text[max(0, pos - longest) : pos]
    for i in range(len(window)):  # the longest word ending at pos wins
        m = rx.match(window, i)
        if m:
            return m.group(0)
    return ""


def _not_a_figure(text: str, m: re.Match, quoted: list[tuple[int, int]]) -> bool:
    """Ordinals, small Chinese counts, names in quotes, codes: see `exclusions` in units.yaml."""
    num, n_start = m.group("num"), m.start("num")
    before = text[n_start - 1] if n_start > 0 else ""
    if len(num) > NUMERAL_MAX_CHARS:
        return True
    if num[0] in CN_NUMERAL_CHARS:
        if not re.search("[十百千万亿]", num) and m.group("more") is None:
            return True  # small counts spelled only in Chinese numerals are optional: skip
        if before and before in CN_NUMERAL_CHARS:
            return True
    if before == "第":
        return True
    return before.isdigit() or _inside(n_start, quoted) or _is_code(text, n_start, m.end("num"))


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    """Spans inside “…” and 《…》: names and titles, whose numbers are not figures."""
    spans = []
    for opener, closer in (("“", "”"), ("《", "》"), ('"', '"')):
        for m in re.finditer(
            re.escape(opener) + r"[^" + re.escape(closer) + r"\n]{0,40}" + re.escape(closer), text
        ):
            spans.append((m.start(), m.end()))
    return sorted(spans)


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    """Whether pos lies inside one of the sorted, rarely nested spans."""
    i = bisect_right(spans, (pos, 1 << 62))
    return any(a < pos < b for a, b in spans[max(0, i - 4) : i])


def _is_code(text: str, start: int, end: int) -> bool:
    """Phone numbers, ids, times and formulas: 022-6530, 11:24, 1+3, IE8."""
    before = text[start - 1] if start > 0 else ""
    before2 = text[start - 2] if start > 1 else ""
    after = text[end] if end < len(text) else ""
    if before.isascii() and before.isalpha():
        return True
    if before in "-+/:.~_#" and (before2.isdigit() or (before2.isascii() and before2.isalpha())):
        return True
    return after in "-+/:_" and end + 1 < len(text) and text[end + 1].isalnum()


class _Breaks:
    """Positions of the characters that end a clause or a sentence, found once per text."""

    def __init__(self, text: str, chars: str, reach: int):
        self.text_len = len(text)
        self.reach = reach
        self.positions = [m.start() for m in re.finditer(f"[{re.escape(chars)}]", text)]

    def around(self, start: int, end: int) -> tuple[int, int]:
        """The span between the break before `start` and the break at or after `end`, at
        most `reach` characters on either side."""
        i = bisect_right(self.positions, start - 1)
        left = self.positions[i - 1] + 1 if i else 0
        j = bisect_right(self.positions, end - 1)
        right = self.positions[j] if j < len(self.positions) else self.text_len
        return max(left, start - self.reach), min(right, end + self.reach)


def _label(text: str, clause_start: int, num_start: int, unit_end: int, clause_end: int) -> str:
    before = _LABEL_LEAD.sub("", text[clause_start:num_start].strip())
    before = _LABEL_TAIL.sub("", before).strip(" 、")
    after = text[unit_end:clause_end].strip()
    after = re.split(r"[、(((]", after, maxsplit=1)[0]
    if len(before) >= 2 and len(after) <= 1:
        return before[-24:]
    if len(before) < 2:
        return after[:16]
    return (before[-16:] + after[:10]) if len(after) <= 10 else before[-24:]


def find_metrics(
    text: str, rules: Rules, start: int = 0, end: int | None = None
) -> list[RawMetric]:
    """All metrics in folded `text[start:end]`, in order."""
    return list(iter_metrics(text, rules, start, end))


def iter_metrics(text: str, rules: Rules, start: int = 0, end: int | None = None):
    """The metrics of `find_metrics` one by one, in order (time and memory linear in the text)."""
    end = len(text) if end is None else end
    unit_by_spelling = {u.written: u for u in rules.units}
    prefixes = dict(rules.qualifier_prefix)
    between = dict(rules.qualifier_between)
    suffixes = dict(rules.qualifier_suffix)
    rx = _metric_regex(rules)
    quoted = _quoted_spans(text)
    clauses = _Breaks(text, _CLAUSE_BREAK, CLAUSE_REACH)
    sentences = _Breaks(text, _SENTENCE_BREAK, SENTENCE_REACH)
    previous: list[RawMetric] = []  # figures earlier in the same sentence, for roles
    for m in rx.finditer(text, start, end):
        if _not_a_figure(text, m, quoted):
            continue
        num, n_start = m.group("num"), m.start("num")
        qualifier = "exact"
        cleaned = num
        for word, q in between.items():
            if word in num or m.group("more") == word:
                qualifier = q
                cleaned = cleaned.replace(word, "")
        try:
            value = parse_number(cleaned)
        except (ValueError, ArithmeticError):
            continue
        unit_written = m.group("unit")
        unit = unit_by_spelling[unit_written]
        normalized = unit.normalized or unit_written
        big = re.search("[万亿]$", cleaned)
        if normalized == "yuan" and big and unit_written == "元":
            unit_written = big.group(0) + "元"
        prefix = _prefix_word(text, n_start, rules)
        if prefix:
            qualifier = prefixes[prefix]
        if m.group("suffix"):
            qualifier = suffixes[m.group("suffix")]
        c_start, c_end = clauses.around(n_start, m.end())
        s_span = sentences.around(n_start, m.end())
        start = n_start - len(prefix)
        # A part in brackets after the figure (34个(含…2个)) is not its words, nor is the
        # figure's whole words of the part's.
        c_end = min(c_end, _part_bracket(text, m.end(), c_end, rules))
        whole, words_from = _included_in(text, start, normalized, previous, rules)
        c_start = max(c_start, words_from)
        lead = text[c_start:n_start]
        if qualifier == "exact":
            for cue, q in rules.qualifier_clause:
                if cue in lead:
                    qualifier = q
                    break
        found = RawMetric(
            value=value,
            unit=unit_written,
            unit_normalized=normalized,
            qualifier=qualifier,
            label=_label(text, c_start, start, m.end("unit"), c_end),
            start=start,
            end=m.end(),
            clause_span=(c_start, c_end),
            sentence_span=s_span,
            role=figure_role(lead, rules),
            source=text,
        )
        if whole is not None:  # part of the whole's count: what it is, it is too
            found = replace(found, whole=whole, included=True, role=whole.role)
        else:
            whole = _checked_before(found, previous, rules)
            found = replace(found, whole=whole) if whole is not None else found
        # A part of a figure is neither progress on it nor on a target before it.
        progress = None if whole else _progress_of(found, lead, previous, rules)
        if progress is not None:
            yield from _flush(previous, until=progress)
            previous.remove(progress)
            owed = replace(progress, role="target")
            previous[:] = [
                replace(q, role="target", whole=owed) if q.whole is progress and q.included else q
                for q in previous
            ]
            yield owed
        target = progress or (None if whole else _target_before(found, lead, previous, rules))
        if target is not None and _counts_only_the_doing(found.label, rules):
            found = replace(found, of_target=target.clause_span)
        previous.append(found)
        # Figures leave the window once no later figure of their sentence can qualify them.
        while previous and previous[0].sentence_span[1] <= found.start:
            yield previous.pop(0)
        if len(previous) > _PENDING_MAX:
            yield previous.pop(0)
    yield from previous


_PENDING_MAX = 8  # figures of one sentence held back to learn their role


def _flush(previous: list[RawMetric], until: RawMetric):
    """Yield (and drop) the held figures before `until`, keeping document order."""
    while previous and previous[0] is not until:
        yield previous.pop(0)


def figure_role(lead: str, rules: Rules) -> str:
    """`target` when the clause before the figure says it is planned or owed (计划, 力争,
    应追缴, 涉及资金 …), unless the same clause reports it done: a result cue after that word
    (计划…已完成) or an achievement before it (完成年度目标任务); else `result`."""
    cues = _role_cues(rules)
    hits = list(cues["target_rx"].finditer(lead))
    if not hits:
        return "result"
    last = hits[-1]
    after, before = lead[last.end() :], lead[: last.start()]
    if any(c in after for c in cues["result"]) or any(c in before for c in cues["achieved"]):
        return "result"
    return "target"


def _progress_of(found: RawMetric, lead: str, previous: list[RawMetric], rules: Rules):
    """The earlier figure of the same sentence that `found` reports progress on: 追缴违规资金
    15.6万元,已追缴12.3万元 — same unit, a smaller value, a progress cue (已) before it and a
    verb the two share (追缴); or, without a progress cue, a later figure no larger on a
    fixing verb after one found (排查隐患150处,整改完成120处). That earlier figure is a
    target, not a result."""
    cues = _role_cues(rules)
    if found.role != "result":
        return None
    progress = any(c in lead for c in cues["progress"])
    fixing = any(v in lead for v in cues["fix_verbs"])
    if not (progress or fixing):
        return None
    for p in reversed(previous):
        if p.role != "result" or p.value < found.value or p.included:
            continue
        same_unit = p.unit_normalized == found.unit_normalized
        if not (same_unit or fixing) or not _same_sentence(found.source, p.end, found.start):
            continue
        if (
            progress
            and same_unit
            and p.value > found.value
            and any(v in lead and v in p.label for v in cues["shared_verbs"])
        ):
            return p
        if (
            fixing
            and (same_unit or _same_counted_things(p, found, rules))
            and _found_count(p.label, cues)
            and not any(v in p.label for v in cues["fix_verbs"])
        ):
            return p  # 排查隐患150处,整改完成120处: what was found is what is owed
    return None


def _found_count(label: str, cues: dict) -> bool:
    """Whether a figure's words count things found (排查隐患, 发现问题), or things checked that
    are problems (检查燃气隐患点位), rather than things checked (检查企业: work done)."""
    if any(v in label for v in cues["found_verbs"]):
        return True
    return any(v in label for v in cues["checked_verbs"]) and any(
        w in label for w in cues["problem_words"]
    )


def _same_counted_things(earlier: RawMetric, later: RawMetric, rules: Rules) -> bool:
    """Two counters of the same things found and fixed (排查隐患150处,已整改120个): both
    generic counters, the later figure naming only the doing (整改完成32个点位 counts points
    of its own)."""
    counters = _role_cues(rules)["same_counters"]
    return (
        earlier.unit_normalized in counters
        and later.unit_normalized in counters
        and _counts_only_the_doing(later.label, rules)
    )


def _target_before(found: RawMetric, lead: str, previous: list[RawMetric], rules: Rules):
    """The target figure earlier in the sentence that a result reported on a progress or
    fixing word reports on (应整改隐患20处,已整改15处; 计划改造管网20公里,已完成18公里): the
    nearest earlier figure of the same unit, when it is a target no smaller; else None."""
    cues = _role_cues(rules)
    if found.role != "result" or not any(c in lead for c in cues["progress_words"]):
        return None
    for p in reversed(previous):
        if p.unit_normalized != found.unit_normalized or p.included:
            continue  # a part of a figure: the result reports on the whole
        near = _same_sentence(found.source, p.end, found.start)
        return p if p.role == "target" and p.value >= found.value and near else None
    return None


def _part_bracket(text: str, end: int, clause_end: int, rules: Rules) -> int:
    """Where a bracket opening a part of the figure ending at `end` stands (34个(含立行立改
    问题2个): the `(`), else `clause_end`."""
    at = end
    while at < clause_end and text[at] == " ":
        at += 1
    if at < clause_end and text[at] == "(" and _role_cues(rules)["part_rx"].match(text, at):
        return at
    return clause_end


def _included_in(text: str, start: int, unit: str, previous: list[RawMetric], rules: Rules):
    """(the figure a figure starting at `start`, in normalised `unit`, is part of, where its
    own words start) or (None, 0): the figure just before it when a part cue stands between them (34个(含立行立改
    问题2个), 修订制度20项,其中新建5项), unless 其中 leads words that name only the doing with
    a progress word (发现问题20个,其中已整改15个: progress on what was found, not a part); or
    the whole of the part just before it when the list of parts goes on (其中立行立改2项、限期
    整改32项; inside the part's brackets; after a comma, in the part's unit and naming things
    of its own, with no word that starts another matter: `list_breaks`)."""
    if not previous:
        return None, 0
    p = previous[-1]
    if start - p.end > CLAUSE_REACH:
        return None, 0
    gap = text[p.end : start]
    cues = _role_cues(rules)
    m = cues["part_rx"].match(gap)
    if m:
        words = gap[m.end() :]
        progress = any(w in words for w in cues["progress_words"])
        if (
            m.group("cue") in cues["of_them_cues"]
            and progress
            and _counts_only_the_doing(words, rules)
        ):
            return None, 0
        return (p.whole if p.included else p), p.end + m.start("cue")
    if not p.included or any(ch in _SENTENCE_BREAK for ch in gap):
        return None, 0
    whole = p.whole
    if start - whole.end > SENTENCE_REACH:  # a list of parts is read within one sentence
        return None, 0
    joint = re.match(r"[ 、,]*", gap).end()
    words = gap[joint:]
    since = text[whole.end : start]
    if since.count("(") > since.count(")"):  # still inside the part's brackets
        return whole, p.end + joint
    if (
        joint
        and p.unit_normalized == unit
        and not any(w in words for w in cues["list_breaks"])
        and not _counts_only_the_doing(words, rules)
    ):
        return whole, p.end + joint
    return None, 0


def _checked_before(found: RawMetric, previous: list[RawMetric], rules: Rules):
    """The count of things checked earlier in the sentence (巡查燃气场站1278座, 检查企业50家:
    its words check things, not problems) that `found` counts those of which had problems:
    its words qualify things by a problem word (整改问题场站12座, 发现问题企业12家), or name
    only such a word that stands for the things (不合格3家, in the checked count's unit);
    else None. Problems themselves (整改隐患20个) are things of their own."""
    cues = _role_cues(rules)
    hits = list(cues["subset_rx"].finditer(found.label))
    if not hits:
        return None
    last = hits[-1]
    things = found.label[last.end() :].lstrip("的").strip(" 、")
    if not things and last.group(0) not in cues["standalone_qualifiers"]:
        return None
    for p in reversed(previous):
        if not _same_sentence(found.source, p.end, found.start):
            break
        if _checks_things(p.label, cues) and (things or p.unit_normalized == found.unit_normalized):
            return p.whole if p.included else p
    return None


def _checks_things(label: str, cues: dict) -> bool:
    """Whether a figure's words count things checked (巡查燃气场站, 排查企业), not problems."""
    checked = any(v in label for v in cues["checked_verbs"] + cues["found_verbs"])
    return checked and not any(
        w in label for w in cues["problem_words"] + cues["subset_qualifiers"]
    )


def _counts_only_the_doing(label: str, rules: Rules) -> bool:
    """Whether a figure's words name only the doing (整改完成, 已整改, 其中已销号), so that
    it counts the things of the figure it reports on, not things of its own."""
    rest = label
    for word in _role_cues(rules)["doing_words"]:
        rest = rest.replace(word, "")
    return not rest.strip(" 、")


def _same_sentence(text: str, a: int, b: int) -> bool:
    return b - a <= SENTENCE_REACH and not any(ch in _SENTENCE_BREAK for ch in text[a:b])


def _role_cues(rules: Rules) -> dict:
    if "_roles" not in rules.compiled:
        cues: dict[str, list[str]] = {
            key: []
            for key in (
                "target",
                "result",
                "achieved",
                "progress",
                "shared_verbs",
                "found_verbs",
                "checked_verbs",
                "problem_words",
                "fix_verbs",
                "same_counters",
                "of_them_words",
                "part_cues",
                "of_them_cues",
                "list_breaks",
                "subset_qualifiers",
                "standalone_qualifiers",
            )
        }
        for entry in rules.raw["units"].get("roles", []):
            for key in cues:
                cues[key] += entry.get(key, [])
        # Words a result reports progress on its target by, and the words of a clause that
        # names only the doing (longest first, so 整改完成 goes before 整改 and 完成).
        cues["progress_words"] = cues["progress"] + cues["fix_verbs"] + cues["shared_verbs"]
        cues["doing_words"] = cues["progress_words"] + cues["of_them_words"]
        compiled: dict = {k: tuple(sorted(v, key=len, reverse=True)) for k, v in cues.items()}
        patterns = [
            p
            for entry in rules.raw["units"].get("roles", [])
            for p in entry.get("target_patterns", [])
        ]
        alternation = "|".join([*(re.escape(c) for c in compiled["target"]), *patterns]) or "(?!)"
        compiled["target_rx"] = re.compile(alternation)
        # A part cue after a figure, behind the punctuation or bracket that opens it.
        part = "|".join(map(re.escape, compiled["part_cues"])) or "(?!)"
        compiled["part_rx"] = re.compile(rf"[ ,;:、。(]*(?P<cue>{part})")
        compiled["subset_rx"] = re.compile(
            "|".join(map(re.escape, compiled["subset_qualifiers"])) or "(?!)"
        )
        rules.compiled["_roles"] = compiled
    return rules.compiled["_roles"]


def metric_value(raw: RawMetric) -> int | float:
    return as_plain_number(raw.value)
