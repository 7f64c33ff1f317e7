"""Plain text in, the spec's extraction out: a pure function, no IO."""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from collections import Counter
from dataclasses import replace

from etl.classify import (
    Mentions,
    classify_category,
    department_mentions,
    derive_finding_statuses,
    figure_departments,
    find_departments,
    find_partners,
    item_ids,
    match_indicator,
    measures_under,
    own_offices,
    status_decision,
)
from etl.header import extract_header
from etl.metrics import iter_metrics, metric_value
from etl.model import Extraction, Finding, Measure, Metric, ParseWarning
from etl.normalize import fold, normalize
from etl.rules import Rules, load_rules
from etl.skeleton import parse_skeleton
from etl.totals import in_spans, read_totals, reconcile, stated_count_spans
from etl.warnings import warn

DEFAULT_CATEGORY = "governance"


def extract(plain: str, rules: Rules | None = None) -> Extraction:
    rules = rules or load_rules()
    norm = normalize(plain)
    skeleton = parse_skeleton(norm, plain, rules)
    findings_from = min((a for a, _b in skeleton.findings_spans), default=None)
    header = extract_header(skeleton.layout, rules, findings_from)
    header.stated_totals, in_parts = read_totals(
        _outside(norm.text, skeleton.findings_spans), rules
    )
    findings, measures = skeleton.findings, skeleton.measures
    folded = {m.id: norm.text[slice(*norm.to_folded(m.start, m.end))] for m in measures}

    _assign_categories(findings, measures, folded, rules)
    defaults: dict[str, str] = {}  # measure id → the default rule that set its status
    for m in measures:
        note = skeleton.status_notes.get(m.finding_id or "")
        decided = status_decision(note or folded[m.id], m.section, rules)
        m.status, m.status_cue = decided.status, note or decided.cue
        if decided.default and not note and decided.rule:
            defaults[m.id] = decided.rule
    derive_finding_statuses(findings, measures)
    home = own_offices(header.inspected_unit, rules)
    for m in measures:
        m.departments = find_departments(folded[m.id], rules, home) or ([home] if home else [])
        m.partners = find_partners(folded[m.id], m.departments, rules)

    layout = skeleton.layout
    # Figures are taken from the opening paragraph on (期间移交立行立改事项2件), not from the
    # title, metadata or page furniture above it.
    first = layout.opening if layout.opening is not None else layout.body_start
    body_from = layout.lines[first].start if first < len(layout.lines) else len(norm.text)
    body_to = (
        layout.lines[layout.body_end - 1].end if layout.body_end > layout.body_start else body_from
    )
    repeats: dict = {}
    metrics = extraction_metrics(
        norm, plain, measures, folded, body_from, body_to, rules, home, repeats
    )
    warnings = parse_warnings(
        header, findings, measures, skeleton.skipped, rules, in_parts, defaults, metrics
    )
    warnings += repeated_text_warnings(repeats, rules)
    return Extraction(header, findings, measures, metrics, warnings, text=plain)


def _warning_entry(code: str, rules: Rules) -> dict:
    return next(w for w in rules.raw["warnings"]["warnings"] if w["id"] == code)


def parse_warnings(
    header,
    findings: list[Finding],
    measures: list[Measure],
    skipped: list[Finding],
    rules: Rules,
    in_parts: dict[str, int] | None = None,
    defaults: dict[str, str] | None = None,
    metrics: list[Metric] | None = None,
) -> list[ParseWarning]:
    """Where the parse is unsure (spec: `warnings`), in a stable order: the skeleton, the
    stated totals, the statuses, the header. A clean report gets none. `in_parts` names the
    stated totals left empty because the report gives them as several figures; `defaults`
    the measures whose status a default rule set (measure id → rule id); `metrics` the
    figures the stated totals of work (rules, funds) are checked against."""
    defaults, metrics = defaults or {}, metrics or []
    out: list[ParseWarning] = []
    if not findings and not measures:
        out.append(warn("no_findings"))
    elif not findings:
        out.append(warn("findings_not_found", measures=len(measures)))
    for f in skipped:
        out.append(warn("level_skipped", f.start, f.end, label=f.label, title=f.title[:40]))
    if findings or measures:
        out += stated_total_warnings(header.stated_totals, findings, measures, metrics, rules)
    names = _warning_entry("total_in_parts", rules)["fields"]
    for key, n in (in_parts or {}).items():
        out.append(warn("total_in_parts", field=f"{names.get(key, key)} {key}", n=n))
    no_cue = _warning_entry("status_no_cue", rules)
    graded = [m for m in measures if m.section == "findings"]
    blind = sum(1 for m in graded if m.id in defaults)
    if len(graded) >= no_cue["min_measures"] and blind > no_cue["share"] * len(graded):
        out.append(warn("status_no_cue", n=blind, total=len(graded)))
    out += status_default_warnings(measures, defaults, rules)
    fields = _warning_entry("header_missing", rules)["fields"]
    missing = [f"{zh} {key}" for key, zh in fields.items() if getattr(header, key) is None]
    if missing:
        out.append(warn("header_missing", fields=", ".join(missing)))
    return out


def counted_totals(
    findings: list[Finding], measures: list[Measure], metrics: list[Metric], rules: Rules
) -> dict:
    """What a report's stated totals are checked against, counted as the overview counts the
    report (the names rules/totals.yaml `reconcile` uses): items (具体问题: the findings its
    measures hang from), items_done (those of a `done` status), items_status:<status>, and
    indicator:<code> (the sum of its result figures; None where it has none)."""
    status = {f.id: f.status for f in findings}
    items = item_ids(measures)
    done = {s.id for s in rules.statuses if s.done}
    out: dict = {"items": len(items), "items_done": sum(status.get(i) in done for i in items)}
    for s in rules.statuses:
        out[f"items_status:{s.id}"] = sum(status.get(i) == s.id for i in items)
    for mt in metrics:
        if mt.indicator and mt.role == "result":
            key = f"indicator:{mt.indicator}"
            out[key] = (out.get(key) or 0) + mt.value
    return out


def stated_total_warnings(
    stated: dict,
    findings: list[Finding],
    measures: list[Measure],
    metrics: list[Metric],
    rules: Rules,
) -> list[ParseWarning]:
    """A review warning for each stated total the counts disagree with, by the same rules
    and comparison as the overview's 通报自述 与 系统统计 table (etl.totals.reconcile):
    `stated_vs_counted` for the problems, `stated_total_mismatch` for the others."""
    fields = _warning_entry("stated_total_mismatch", rules)["fields"]
    counted = counted_totals(findings, measures, metrics, rules)
    out = []
    for row in reconcile(stated, counted, rules=rules):
        if not row.mismatch:
            continue
        s, c = _shown(row.stated), _shown(row.counted or 0)
        if row.key == "problems":
            out.append(warn("stated_vs_counted", stated=s, counted=c))
        else:
            name = f"{fields.get(row.key, row.key)} {row.key}"
            out.append(warn("stated_total_mismatch", field=name, stated=s, counted=c))
    return out


def _shown(value: float) -> int | float:
    """A count or sum as a message shows it: 25, not 25.0."""
    return int(value) if float(value).is_integer() else round(float(value), 4)


def status_default_warnings(
    measures: list[Measure], defaults: dict[str, str], rules: Rules
) -> list[ParseWarning]:
    """One warning per default status rule that decided measures (`defaults`: measure id →
    rule id), in rule order, at the first such measure: `status_default_done` (review) where
    the default counts them as completed (a `done` status: they raise the completion rate
    though no words say so), else `status_default` (info: a default that counts nothing as
    done)."""
    done = {s.id for s in rules.statuses if s.done}
    by_rule: dict[str, list[Measure]] = {}
    for m in measures:
        if m.id in defaults:
            by_rule.setdefault(defaults[m.id], []).append(m)
    out = []
    for rule in rules.status_rules:
        decided = by_rule.get(rule.id)
        if not decided:
            continue
        code = "status_default_done" if rule.status in done else "status_default"
        first = decided[0]
        out.append(warn(code, first.start, first.end, n=len(decided), rule=rule.id))
    return out


def _outside(text: str, spans: list[tuple[int, int]]) -> str:
    """The text without the given (sorted, disjoint) spans: what a report says about itself
    outside its findings, where each finding's own figures stand."""
    parts, pos = [], 0
    for start, end in sorted(spans):
        parts.append(text[pos:start])
        pos = max(pos, end)
    parts.append(text[pos:])
    return "\n".join(parts)


def _folded_headline(m: Measure, folded_text: str) -> str:
    """The headline is the measure's text up to its first 。 (see skeleton), folded."""
    return folded_text.split("。", 1)[0] if m.headline else ""


def _assign_categories(
    findings: list[Finding], measures: list[Measure], folded: dict, rules: Rules
) -> None:
    own = {
        m.id: classify_category(folded[m.id], rules, _folded_headline(m, folded[m.id]))
        for m in measures
    }
    grouped = measures_under(findings, measures)
    for f in findings:
        votes = Counter(own[m.id] for m in grouped[f.id] if own[m.id])
        f.category = classify_category(fold(f.title), rules) or (
            votes.most_common(1)[0][0] if votes else DEFAULT_CATEGORY
        )
    by_id = {f.id: f for f in findings}
    for m in measures:
        fallback = by_id[m.finding_id].category if m.finding_id else DEFAULT_CATEGORY
        m.category = own[m.id] or fallback


def extraction_metrics(
    norm,
    plain: str,
    measures: list[Measure],
    folded: dict,
    start: int,
    end: int,
    rules: Rules,
    home: str | None = None,
    repeats: dict | None = None,
) -> list[Metric]:
    """Every figure between `start` and `end` of the normalised text, tied to the measure
    whose span holds it, with its role (`stated` inside a totals sentence's counts of
    problems: rules/totals.yaml `stated_counts`), its indicator (results only), the units
    its own words name (`home`: the inspected body's own offices, for a bare 党委) and its
    offsets in the plain text. `repeats`, when given, gathers each figure-bearing clause by
    its words (repeated_text_warnings)."""
    starts = [m.start for m in measures]
    mentions = Mentions(department_mentions(norm.text, rules, home, start, end))
    stated = stated_count_spans(norm.text[start:end], rules)
    hits: dict[str, dict] = {}  # measure id → indicator code → whether the measure qualifies
    out = []
    for raw in iter_metrics(norm.text, rules, start, end):
        if stated and in_spans(stated, raw.start - start, raw.end - start):
            raw = replace(raw, role="stated")
        a, b = norm.to_plain(raw.start, raw.end)
        i = bisect_right(starts, a) - 1
        measure = (
            measures[i] if i >= 0 and measures[i].start <= a and b <= measures[i].end else None
        )
        if measure is not None:
            indicator = match_indicator(
                raw, folded[measure.id], rules, hits.setdefault(measure.id, {})
            )
        else:
            indicator = match_indicator(raw, raw.sentence, rules)
        if repeats is not None:
            _gather_clause(repeats, raw, norm, a, b)
        out.append(
            Metric(
                measure_id=measure.id if measure else None,
                value=metric_value(raw),
                unit=raw.unit,
                unit_normalized=raw.unit_normalized,
                qualifier=raw.qualifier,
                label=raw.label,
                indicator=indicator,
                raw=plain[a:b],
                start=a,
                end=b,
                role=raw.role,
                departments=figure_departments(
                    mentions, raw.start, raw.clause_span, raw.sentence_span
                ),
            )
        )
    return out


def _gather_clause(repeats: dict, raw, norm, a: int, b: int) -> None:
    """Count the figure's clause by its words (a digest, so a long text costs little
    memory), once per clause: digest → [times, plain start, plain end, its words clipped]."""
    c_start, c_end = raw.clause_span
    if repeats.get("_last") == (c_start, c_end):
        return  # another figure of the clause just counted
    repeats["_last"] = (c_start, c_end)
    words = raw.source[c_start:c_end].strip()
    key = hashlib.blake2b(words.encode("utf-8"), digest_size=12).digest()
    seen = repeats.get(key)
    if seen is None:
        p_start, p_end = norm.to_plain(c_start, c_end)
        repeats[key] = [1, p_start, p_end, words[:40]]
    else:
        seen[0] += 1


def repeated_text_warnings(repeats: dict, rules: Rules) -> list[ParseWarning]:
    """A review warning for each figure-bearing clause whose very words come back at least
    `min_repeats` times (rules/warnings.yaml text_repeated; at least `min_chars` long): its
    figures are counted each time, which a copy-and-paste slip multiplies. The most repeated
    first, at most `max_listed`, at the first occurrence."""
    entry = _warning_entry("text_repeated", rules)
    found = [
        v
        for k, v in repeats.items()
        if k != "_last" and v[0] >= entry["min_repeats"] and len(v[3]) >= entry["min_chars"]
    ]
    found.sort(key=lambda v: (-v[0], v[1]))
    return [
        warn("text_repeated", start, end, text=words, n=times)
        for times, start, end, words in found[: entry["max_listed"]]
    ]
