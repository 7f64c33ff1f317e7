"""What a report says about itself: 反馈问题N个, 已完成整改M个, 完善制度N项 …"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from dataclasses import dataclass

from etl.model import TOTAL_KEYS
from etl.numbers import as_plain_number, parse_number
from etl.rules import Rules, RulesError, load_rules


def stated_totals(text: str, rules: Rules) -> dict:
    """The totals a report states about itself (spec: `report.stated_totals`). The first rule
    (in file order) that matches sets its key; a sum of money given as several figures in one
    sentence (清退…万元、追回…万元) is no single stated total and stays None."""
    return read_totals(text, rules)[0]


def read_totals(text: str, rules: Rules) -> tuple[dict, dict[str, int]]:
    """The stated totals, and for each key left empty because its sentence gives it in
    parts, how many figures that sentence gives (for the `total_in_parts` warning)."""
    totals: dict = dict.fromkeys(TOTAL_KEYS)
    in_parts: dict[str, int] = {}
    for rule in rules.totals:
        if totals[rule.key] is not None:
            continue
        m = next(
            (m for m in rule.pattern.finditer(text) if not _counts_tasks(rule.key, text, m, rules)),
            None,
        )
        if not m:
            continue
        single = rules.total_single_figure.get(rule.key)
        parts = _figures_in_sentence(single, text, m) if single is not None else 1
        if parts > 1:
            in_parts[rule.key] = parts
            continue
        groups = {k: v for k, v in m.groupdict().items() if v}
        raw = next(iter(groups.values()), None)
        if raw is None:
            continue
        try:
            value = parse_number(raw)
        except (ValueError, ArithmeticError):
            continue
        totals[rule.key] = as_plain_number(value)
    if totals["funds_recovered_yuan"] is not None:
        totals["funds_recovered_yuan"] = float(totals["funds_recovered_yuan"])
    return totals, {k: n for k, n in in_parts.items() if totals[k] is None}


def _counts_tasks(key: str, text: str, m: re.Match, rules: Rules) -> bool:
    """Whether the count `m` reads for `key` counts tasks: the nearest count before it in its
    sentence is one of tasks or measures, not of problems (totals.yaml `counts_of_tasks`)."""
    rule = rules.raw["totals"].get("counts_of_tasks")
    if not rule or key not in rule["keys"]:
        return False
    start, _end = _sentence_of(text, m.start(), m.end())
    tasks = list(_compiled_pattern(rule, rules).finditer(text, start, m.start()))
    if not tasks:
        return False
    problems = [
        p.end()
        for e in rules.raw["totals"].get("stated_counts") or []
        if e.get("pattern")
        for p in _compiled_pattern(e, rules).finditer(text, start, m.start())
    ]
    last = tasks[-1]
    # Counted with the tasks' own counter word (任务52项 … 已完成48项); 已完成整改21个 after
    # 整改措施86项 counts problems again.
    same_counter = _COUNTER.findall(last.group(0))[-1:] == _COUNTER.findall(m.group(0))[-1:]
    return last.end() > max(problems, default=-1) and same_counter


_COUNTER = re.compile("[项条个件]")


def stated_count_spans(text: str, rules: Rules) -> list[tuple[int, int]]:
    """Where `text` (folded) states the report's own counts of problems (totals.yaml
    `stated_counts`): in each sentence a `problems` rule matches, or another rule of the
    `keys` matches beside a count of problems, the spans the rules of the `keys` match. A figure inside one is a stated total (role `stated`), not work done.
    Sorted and disjoint; time linear in the text for each rule."""
    entries = rules.raw["totals"].get("stated_counts") or []
    keys = {k for e in entries for k in e["keys"]}
    if not keys:
        return []
    problem_counts = [_compiled_pattern(e, rules) for e in entries if e.get("pattern")]
    counting = [r.pattern for r in rules.totals if r.key in keys] + problem_counts
    sentences: list[tuple[int, int]] = []
    for rule in rules.totals:
        if rule.key not in keys:
            continue
        for m in rule.pattern.finditer(text):
            sentence = _sentence_of(text, m.start(), m.end())
            # A sentence a `problems` rule reads is a totals sentence; so is one where another
            # key's rule reads a count beside a count of problems (6个问题已完成整改5个).
            if rule.key == "problems" or any(rx.search(text, *sentence) for rx in problem_counts):
                sentences.append(sentence)
    spans: list[tuple[int, int]] = []
    for a, b in sorted(set(sentences)):
        for rx in counting:
            spans += [(m.start(), m.end()) for m in rx.finditer(text, a, b)]
    merged: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


def _compiled_pattern(entry: dict, rules: Rules):
    key = ("totals_pattern", entry["id"])
    if key not in rules.compiled:
        try:
            rules.compiled[key] = re.compile(entry["pattern"])
        except re.error as exc:
            raise RulesError(f"totals.yaml {entry['id']}: bad regular expression: {exc}") from exc
    return rules.compiled[key]


def in_spans(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether [start, end) lies inside one of the sorted, disjoint `spans`."""
    i = bisect_right(spans, (start, 1 << 62)) - 1
    return i >= 0 and spans[i][0] <= start and end <= spans[i][1]


_SENTENCE_END = "。;;!?!?\n"
_SENTENCE_REACH = (
    300  # characters looked at on either side (a line without stops is not read whole)
)


def _sentence_of(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence (between 。;!? and line breaks) holding text[start:end], at most
    _SENTENCE_REACH characters on either side."""
    low, high = max(0, start - _SENTENCE_REACH), min(len(text), end + _SENTENCE_REACH)
    left = max(max(text.rfind(ch, low, start) for ch in _SENTENCE_END) + 1, low)
    stops = [i for i in (text.find(ch, end, high) for ch in _SENTENCE_END) if i >= 0]
    return left, min(stops) if stops else high


def _figures_in_sentence(pattern, text: str, m) -> int:
    """How many figures `pattern` finds in the sentence of match `m`."""
    start = max(text.rfind("。", 0, m.start()), text.rfind("\n", 0, m.start())) + 1
    stops = [i for i in (text.find("。", m.end()), text.find("\n", m.end())) if i >= 0]
    end = min(stops) if stops else len(text)
    return sum(1 for _ in pattern.finditer(text, start, end))


# -- stated totals beside the counts ------------------------------------------------------


@dataclass(frozen=True)
class Reconciled:
    key: str  # the stated total's key (problems, completed …)
    counted_by: str  # the count it is checked against (items, indicator:rules_revised …)
    stated: float | None
    counted: float | None
    mismatch: bool  # stated, and counted differs (or could not be counted)


def _number(value) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def reconcile(
    stated: dict, counted: dict, only_stated: bool = True, rules: Rules | None = None
) -> list[Reconciled]:
    """Each rule's stated value (from `stated`, by key) beside its count (from `counted`, by
    the rule's `counted` name: items, items_done, items_status:<id>, indicator:<code>), by
    the one rule list of rules/totals.yaml `reconcile`: the parse's stated-total warnings,
    the overview's table and the rounds page all use it. Values may be None or NaN (not
    stated, not counted). `only_stated` drops totals the report leaves out."""
    out = []
    for rule in (rules or load_rules()).raw["totals"]["reconcile"]:
        s = _number(stated.get(rule["key"]))
        c = _number(counted.get(rule["counted"]))
        if s is None and only_stated:
            continue
        mismatch = s is not None and (c is None or abs(s - c) > 1e-6)
        out.append(Reconciled(rule["key"], rule["counted"], s, c, mismatch))
    return out
