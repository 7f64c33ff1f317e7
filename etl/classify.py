"""Category, status, departments and key indicators, all decided by rules/*.yaml."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass

from etl.metrics import RawMetric
from etl.model import Finding, Measure
from etl.rules import Rules, load_rules


def _keyword_index(rules: Rules) -> tuple[re.Pattern, dict[str, tuple[str, ...]], dict]:
    """One alternation of every keyword, longest first, and for each keyword the keywords a
    match on it can hide: those inside it (安全 in 安全生产) and those starting inside it and
    running on (治理现代化 after 城市治理). Counting the found ones and what they can hide gives
    the same scores as counting every keyword on its own, with one scan instead of hundreds.
    """
    if "_keywords" not in rules.compiled:
        weights: dict[str, list[tuple[str, float]]] = {}
        for c in rules.categories:
            for keyword, weight in c.keywords:
                weights.setdefault(keyword, []).append((c.id, weight))
        ordered = sorted(weights, key=len, reverse=True)
        rx = re.compile("|".join(map(re.escape, ordered)))
        known, in_order = set(weights), sorted(weights)
        hides = {k: _hidden_by(k, known, in_order) for k in ordered}
        rules.compiled["_keywords"] = (rx, hides, weights)
    return rules.compiled["_keywords"]


def _hidden_by(k: str, known: set[str], in_order: list[str]) -> tuple[str, ...]:
    """The keywords a match on `k` can hide: those inside it, and those starting inside it
    and running on past its end (found by prefix in the sorted list, not by trying all)."""
    found = {k[a:b] for a in range(len(k)) for b in range(a + 1, len(k) + 1)} & known
    for i in range(1, len(k)):
        tail = k[i:]
        j = bisect_left(in_order, tail)
        while j < len(in_order) and in_order[j].startswith(tail):
            found.add(in_order[j])
            j += 1
    return tuple(sorted(found, key=lambda w: (-len(w), w)))


def category_scores(text: str, rules: Rules) -> dict[str, float]:
    """Sum of weight x occurrences per category (overlapping keywords each count)."""
    rx, hides, weights = _keyword_index(rules)
    candidates: set[str] = set()
    for hit in set(rx.findall(text)):
        candidates.update(hides[hit])
    scores = dict.fromkeys((c.id for c in rules.categories), 0.0)
    for keyword in candidates:
        n = text.count(keyword)
        if n:
            for category, weight in weights[keyword]:
                scores[category] += weight * n
    return scores


def classify_category(text: str, rules: Rules, headline: str | None = None) -> str | None:
    """The category whose keywords weigh most in the text (headline counted twice)."""
    scores = Counter(category_scores(text, rules))
    if headline:
        scores.update(category_scores(headline, rules))
    best, score = max(scores.items(), key=lambda kv: kv[1]) if scores else (None, 0)
    return best if score > 0 else None


@dataclass(frozen=True)
class StatusDecision:
    """A measure's status, the cue that decided it (the clause around the matched words; for
    a default rule, the rule named in both languages: rules/status.yaml `default_cue`), and
    the id of the rule; `default` when no words decided it."""

    status: str
    cue: str | None
    rule: str | None
    default: bool = False


def status_decision(text: str, section: str, rules: Rules) -> StatusDecision:
    """The first status rule, in file order, with a cue in the text (or, failing all, the
    first default rule of the section): see StatusDecision."""
    for rule in rules.status_rules:
        if rule.sections and section not in rule.sections:
            continue
        if rule.default:
            return StatusDecision(rule.status, default_cue(rule, rules), rule.id, True)
        for rx in rule.patterns:
            m = rx.search(text)
            if m:
                return StatusDecision(rule.status, _clause(text, m.start(), m.end()), rule.id)
    return StatusDecision("ongoing", None, None, True)


def default_cue(rule, rules: Rules) -> str:
    """The cue of a status a default rule set: its id and description, in Chinese and
    English (rules/status.yaml `default_cue`)."""
    form = rules.raw["status"].get("default_cue") or _DEFAULT_CUE
    zh = form["zh"].format(id=rule.id, zh=rule.zh or rule.description)
    en = form["en"].format(id=rule.id, en=rule.description)
    return zh + form.get("joined", " / ") + en


# A rules folder from before `default_cue` existed tells defaults this way.
_DEFAULT_CUE = {"zh": "默认规则 {id}:{zh}", "en": "default rule {id}: {en}", "joined": " / "}


def classify_status(text: str, section: str, rules: Rules) -> tuple[str, str | None]:
    """(status, cue): the first status rule, in file order, with a cue in the text.

    The cue kept is the clause around the matched words, so a reader sees it in context; a
    status no words decided has the default rule as its cue (status_decision)."""
    decided = status_decision(text, section, rules)
    return decided.status, decided.cue


_CLAUSE_EDGE = re.compile(r"[,。;!?\n]")


def _clause(text: str, start: int, end: int) -> str:
    """The clause (between , ; 。) holding text[start:end]."""
    left = max((m.end() for m in _CLAUSE_EDGE.finditer(text, 0, start)), default=0)
    right = _CLAUSE_EDGE.search(text, max(end, start + 1) if end == start else end)
    return text[left : right.start() if right else len(text)].strip()


def derive_finding_status(statuses: list[str], open_statuses: set[str] | None = None) -> str | None:
    """The spec's rule: not_started if all are; in_progress if any is open (in progress, not
    started, unknown: `open` in rules/status.yaml); completed if any is; else ongoing.

    The first clause holds for every open status alike: a finding whose measures are all
    unknown is unknown (a leader must not read "in progress" where nobody knows)."""
    if not statuses:
        return None
    if open_statuses is None:
        open_statuses = {s.id for s in load_rules().statuses if s.open}
    if len(set(statuses)) == 1 and statuses[0] in open_statuses:
        return statuses[0]
    if any(s in open_statuses for s in statuses):
        return "in_progress"
    if "completed" in statuses:
        return "completed"
    return "ongoing"


def descendants(findings: list[Finding]) -> dict[str, set[str]]:
    """Each finding id → the ids of itself and every finding under it."""
    parent = {f.id: f.parent_id for f in findings}
    under: dict[str, set[str]] = {f.id: {f.id} for f in findings}
    for f in findings:
        p = parent[f.id]
        while p:
            under[p].add(f.id)
            p = parent[p]
    return under


def measures_under(findings: list[Finding], measures: list[Measure]) -> dict[str, list[Measure]]:
    """Each finding id → the measures of itself and every finding under it, in order
    (grouped once, so a report with thousands of findings is not read once per finding)."""
    own: dict[str | None, list[Measure]] = {}
    for m in measures:
        own.setdefault(m.finding_id, []).append(m)
    under = descendants(findings)
    return {
        f.id: sorted((m for g in under[f.id] for m in own.get(g, ())), key=lambda m: m.start)
        for f in findings
    }


def item_ids(measures: list[Measure]) -> list[str]:
    """The items (具体问题) a report is counted by: the findings its measures hang from
    directly, in order of first measure (the one count of problems everywhere)."""
    return list(dict.fromkeys(m.finding_id for m in measures if m.finding_id))


def derive_finding_statuses(findings: list[Finding], measures: list[Measure]) -> None:
    """Set each finding's status from the measures under it (see derive_finding_status)."""
    grouped = measures_under(findings, measures)
    open_statuses = {s.id for s in load_rules().statuses if s.open}
    for f in findings:
        f.status = derive_finding_status([m.status for m in grouped[f.id]], open_statuses)


def _alias_index(rules: Rules) -> tuple[re.Pattern, dict[str, str]]:
    """One alternation of every alias, longest first, so the longest alias wins at a position."""
    key = "_alias_index"
    if key not in rules.compiled:
        names = {alias: d.name for d in rules.departments for alias in d.aliases}
        ordered = sorted(names, key=len, reverse=True)
        rules.compiled[key] = (re.compile("|".join(map(re.escape, ordered))), names)
    return rules.compiled[key]


def department_mentions(
    text: str, rules: Rules, home: str | None = None, start: int = 0, end: int | None = None
) -> list[tuple[int, str]]:
    """(position, canonical unit) of every internal unit named in `text[start:end]`, in order,
    in one scan; longest alias wins. With `home` (the inspected body's own offices), a bare
    党委/党组 not attached to a named unit counts as a mention of it."""
    end = len(text) if end is None else end
    rx, names = _alias_index(rules)
    hits: list[tuple[int, str]] = []
    ends: set[int] = set()
    spans: list[tuple[int, int]] = []
    for m in rx.finditer(text, start, end):
        hits.append((m.start(), names[m.group(0)]))
        ends.add(m.end())
        spans.append((m.start(), m.end()))
    if home:
        for word_rx in rules.own_body_words:
            for m in word_rx.finditer(text, start, end):
                # Attached to a named unit (园林中心党委) or inside one: not the body's own.
                i = bisect_left(spans, (m.start() + 1,)) - 1
                if m.start() in ends or (i >= 0 and spans[i][0] <= m.start() < spans[i][1]):
                    continue
                hits.append((m.start(), home))
    return sorted(hits)


def _distinct(names) -> list[str]:
    return list(dict.fromkeys(names))


def find_departments(text: str, rules: Rules, home: str | None = None) -> list[str]:
    """Canonical internal units named in the text, in order of first mention; longest alias wins.

    With `home` (the inspected body's own offices), a bare 党委/党组 not attached to a named
    unit counts as a mention of it.
    """
    return _distinct(name for _, name in department_mentions(text, rules, home))


class Mentions:
    """Units named in a text (department_mentions' list), asked span by span in O(log n)."""

    def __init__(self, mentions: list[tuple[int, str]]):
        self.positions = [p for p, _ in mentions]
        self.names = [n for _, n in mentions]

    def between(self, start: int, end: int) -> list[str]:
        """The distinct units named in [start, end), in order of first mention."""
        a, b = bisect_left(self.positions, start), bisect_left(self.positions, end)
        return _distinct(self.names[a:b])


def figure_departments(
    mentions: Mentions, figure: int, clause: tuple[int, int], sentence: tuple[int, int]
) -> list[str]:
    """The units a figure at position `figure` is attributed to by its own words: those its
    clause names (区城市管理执法支队组织学习32次), else those named earlier in its sentence
    (the subject, said once before the figure's clause), else those named anywhere in its
    sentence; [] when its sentence names none (it then counts for its measure's units)."""
    return (
        mentions.between(*clause)
        or mentions.between(sentence[0], figure)
        or mentions.between(*sentence)
    )


def own_offices(inspected_unit: str | None, rules: Rules) -> str | None:
    """The canonical unit standing for the inspected body's own offices, if it is known."""
    if not inspected_unit:
        return None
    named = find_departments(inspected_unit, rules)
    if named:
        return named[0]
    return unit_without_party_organ(inspected_unit, rules) or inspected_unit


def unit_without_party_organ(name: str, rules: Rules) -> str:
    """The unit itself, without the party organ after its name (departments.yaml
    `party_organ_suffix`) and then without the party's name before it (`party_prefix`):
    区城市管理委党委 → 区城市管理委, 中共某县审计局党组 → 某县审计局; 中共某县县委 stays."""
    unit = re.sub(rules.raw["departments"]["party_organ_suffix"]["pattern"], "", name)
    return without_party_name(unit, rules) if unit != name else unit


def without_party_name(unit: str, rules: Rules) -> str:
    """A unit whose party organ was taken off, without the party's name before it
    (departments.yaml `party_prefix`): 中共某县审计局 → 某县审计局."""
    return re.sub(rules.raw["departments"]["party_prefix"]["pattern"], "", unit)


def find_partners(text: str, departments: list[str], rules: Rules) -> list[str]:
    """External bodies and companies: known names first, then generic shapes of a name."""
    found: list[tuple[int, str]] = []
    _, internal = _alias_index(rules)  # alias → canonical name of every internal unit
    for name, aliases in rules.partner_known:
        for alias in aliases:
            pos = text.find(alias)
            if pos >= 0:
                found.append((pos, name))
                break
    for needs, rx in rules.partner_patterns:
        if needs and not any(word in text for word in needs):
            continue
        for m in rx.finditer(text):
            name = m.group(0)
            if rules.partner_strip is not None:
                stripped = rules.partner_strip.sub("", name, count=1)
                name = stripped if len(stripped) >= 2 else name
            if name in internal or any(name in d or d in name for d in departments):
                continue
            found.append((m.start(), name))
    ordered: list[str] = []
    for _, name in sorted(found):
        if name not in ordered and not any(name in o for o in ordered):
            ordered.append(name)
    return ordered


def match_indicator(
    metric: RawMetric, measure_text: str, rules: Rules, measure_hits: dict | None = None
) -> str | None:
    """The first catalogue entry whose unit and clause/sentence/measure rules the metric meets.

    A `target` figure (planned or owed: 计划, 应追缴 …) or a `stated` one (the report's count of
    its problems) feeds no indicator, so indicator totals add results only and a sentence
    giving a target and its progress is not counted twice. A result that names only the doing
    (整改完成120处 after 排查燃气隐患150处) is matched on its target's clause and its own
    (RawMetric.counted_clause), so it feeds the indicator its target names.
    A figure that counts some of an earlier one (RawMetric.whole: 34个(含立行立改问题2个),
    巡查燃气场站1278座,整改问题场站12座) is matched on its own words and never feeds the
    indicator the whole's words meet (whatever the whole's role), so that total is the whole's.
    `measure_hits` caches, per indicator code, whether `measure_text` meets its measure rules
    (pass one dict per measure: a long measure is then searched once, not once per figure).
    """
    if metric.role != "result":
        return None
    code = _catalogue_match(metric, measure_text, rules, measure_hits)
    whole = metric.whole
    if code is None or whole is None:
        return code
    return None if code == _catalogue_match(whole, measure_text, rules, measure_hits) else code


def _catalogue_match(
    metric: RawMetric, measure_text: str, rules: Rules, measure_hits: dict | None
) -> str | None:
    """The first catalogue entry whose rules the figure's words meet, whatever its role."""
    clause = sentence = None
    for ind in rules.indicators:
        if metric.unit_normalized not in ind.units:
            continue
        clause = metric.counted_clause if clause is None else clause
        if not all(rx.search(clause) for rx in ind.clause):
            continue
        sentence = metric.sentence if sentence is None else sentence
        if not all(rx.search(sentence) for rx in ind.sentence):
            continue
        if measure_hits is None or ind.code not in measure_hits:
            hit = all(rx.search(measure_text) for rx in ind.measure)
            if measure_hits is not None:
                measure_hits[ind.code] = hit
        else:
            hit = measure_hits[ind.code]
        if not hit:
            continue
        if any(rx.search(clause) for rx in ind.exclude):
            continue
        return ind.code
    return None
