"""Plain text in, the spec's extraction out: a pure function, no IO."""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter

from etl.classify import (
    Mentions,
    classify_category,
    classify_status,
    department_mentions,
    derive_finding_statuses,
    figure_departments,
    find_departments,
    find_partners,
    match_indicator,
    measures_under,
    own_offices,
)
from etl.header import extract_header
from etl.metrics import iter_metrics, metric_value
from etl.model import Extraction, Finding, Measure, Metric, ParseWarning
from etl.normalize import fold, normalize
from etl.rules import Rules, load_rules
from etl.skeleton import parse_skeleton
from etl.totals import read_totals
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
    for m in measures:
        note = skeleton.status_notes.get(m.finding_id or "")
        m.status, m.status_cue = classify_status(note or folded[m.id], m.section, rules)
        if note:
            m.status_cue = note
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
    metrics = extraction_metrics(norm, plain, measures, folded, body_from, body_to, rules, home)
    warnings = parse_warnings(header, findings, measures, skeleton.skipped, rules, in_parts)
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
) -> list[ParseWarning]:
    """Where the parse is unsure (spec: `warnings`), in a stable order: the skeleton, the
    stated totals, the statuses, the header. A clean report gets none. `in_parts` names the
    stated totals left empty because the report gives them as several figures."""
    out: list[ParseWarning] = []
    if not findings and not measures:
        out.append(warn("no_findings"))
    elif not findings:
        out.append(warn("findings_not_found", measures=len(measures)))
    for f in skipped:
        out.append(warn("level_skipped", f.start, f.end, label=f.label, title=f.title[:40]))
    stated = header.stated_totals.get("problems")
    if stated is not None and findings:
        by_level = Counter(f.level for f in findings)
        parents = {f.parent_id for f in findings}
        leaves = sum(1 for f in findings if f.id not in parents)
        if stated not in {*by_level.values(), leaves}:
            counted = next(by_level[lv] for lv in ("problem", "item", "area") if by_level[lv])
            out.append(warn("stated_vs_counted", stated=stated, counted=counted))
    names = _warning_entry("total_in_parts", rules)["fields"]
    for key, n in (in_parts or {}).items():
        out.append(warn("total_in_parts", field=f"{names.get(key, key)} {key}", n=n))
    no_cue = _warning_entry("status_no_cue", rules)
    graded = [m for m in measures if m.section == "findings"]
    blind = sum(1 for m in graded if not m.status_cue)
    if len(graded) >= no_cue["min_measures"] and blind > no_cue["share"] * len(graded):
        out.append(warn("status_no_cue", n=blind, total=len(graded)))
    fields = _warning_entry("header_missing", rules)["fields"]
    missing = [f"{zh} {key}" for key, zh in fields.items() if getattr(header, key) is None]
    if missing:
        out.append(warn("header_missing", fields=", ".join(missing)))
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
) -> list[Metric]:
    """Every figure between `start` and `end` of the normalised text, tied to the measure
    whose span holds it, with its role, its indicator (results only), the units its own
    words name (`home`: the inspected body's own offices, for a bare 党委) and its offsets in
    the plain text."""
    starts = [m.start for m in measures]
    mentions = Mentions(department_mentions(norm.text, rules, home, start, end))
    hits: dict[str, dict] = {}  # measure id → indicator code → whether the measure qualifies
    out = []
    for raw in iter_metrics(norm.text, rules, start, end):
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
