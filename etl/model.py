"""The extraction, as dataclasses that serialise to the spec's JSON (spec/extraction.md)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field

TOTAL_KEYS = (
    "problems",
    "completed",
    "in_progress",
    "not_started",
    "completion_rate_pct",
    "rules_made",
    "funds_recovered_yuan",
)
SECTIONS = ("organisation", "findings", "remaining", "next_steps")
# result: work done; target: planned or owed; stated: a count the report states about itself
# (its problems, aspects, completed ones: rules/totals.yaml `stated_counts`), not work.
ROLES = ("result", "target", "stated")
LEVELS = ("area", "problem", "item")
# Categories and statuses are vocabulary, read from rules/taxonomy.yaml and rules/status.yaml
# (Rules.category_ids, Rules.status_ids), never listed in code.


@dataclass
class ReportHeader:
    title: str | None = None
    issuer: str | None = None
    inspected_unit: str | None = None
    inspection_kind: str | None = None
    round: str | None = None
    team: str | None = None
    inspection_start: str | None = None
    inspection_end: str | None = None
    feedback_date: str | None = None
    publish_date: str | None = None
    stated_totals: dict = field(default_factory=lambda: dict.fromkeys(TOTAL_KEYS))


@dataclass
class Finding:
    id: str
    parent_id: str | None
    level: str
    label: str
    title: str
    category: str | None = None
    status: str | None = None
    start: int = 0
    end: int = 0


@dataclass
class Measure:
    id: str
    finding_id: str | None
    section: str
    ordinal: int
    headline: str | None
    text: str
    category: str | None = None
    status: str | None = None
    status_cue: str | None = None
    departments: list[str] = field(default_factory=list)
    partners: list[str] = field(default_factory=list)
    start: int = 0
    end: int = 0
    deadline: str | None = None
    owner: str | None = None
    evidence: str | None = None


@dataclass
class Metric:
    measure_id: str | None
    value: int | float
    unit: str
    unit_normalized: str
    qualifier: str
    label: str
    indicator: str | None
    raw: str
    start: int
    end: int
    # result (what was done) | target (planned or owed): see the spec | stated (the report's
    # own count of its problems in a totals sentence, not work: rules/totals.yaml)
    role: str = "result"
    # The internal units the figure's own clause or sentence names (etl.classify.
    # figure_departments); empty when it names none and counts for its measure's units.
    departments: list[str] = field(default_factory=list)


@dataclass
class ParseWarning:
    """Where the parse is unsure (spec: `warnings`): a stable code, a message in plain
    words, and offsets into the plain text where it applies (None where it does not)."""

    code: str
    message: str  # English; rules/warnings.yaml holds it in both languages
    start: int | None = None
    end: int | None = None
    args: dict = field(default_factory=dict)  # the message's fields, to render it in zh
    # `review`: a number may be wrong until someone checks it (raises 待核查); `info`: said so
    # that nothing is left out silently (rules/warnings.yaml `level`).
    level: str = "review"


@dataclass
class Extraction:
    report: ReportHeader
    findings: list[Finding]
    measures: list[Measure]
    metrics: list[Metric]
    warnings: list[ParseWarning] = field(default_factory=list)
    # Not part of the JSON contract: the plain text the offsets point into.
    text: str = ""

    def to_dict(self) -> dict:
        return {
            "report": asdict(self.report),
            "findings": [asdict(f) for f in self.findings],
            "measures": [asdict(m) for m in self.measures],
            "metrics": [asdict(m) for m in self.metrics],
            "warnings": [asdict(w) for w in self.warnings],
        }

    def json_chunks(self, indent: int | None = 2) -> Iterator[str]:
        """The text of json.dumps(self.to_dict(), ensure_ascii=False, indent=indent), piece by
        piece, so that a report with hundreds of thousands of figures is written without
        holding its whole JSON (or its dict) in memory."""

        def dump(value, depth: int) -> str:
            text = json.dumps(value, ensure_ascii=False, indent=indent)
            return text.replace("\n", "\n" + " " * (indent * depth)) if indent else text

        lists = {
            "findings": self.findings,
            "measures": self.measures,
            "metrics": self.metrics,
            "warnings": self.warnings,
        }
        pad = " " * (indent or 0)
        newline = "\n" if indent else ""
        comma = "," + newline if indent else ", "
        yield "{" + newline + pad + '"report": ' + dump(asdict(self.report), 1)
        for key, items in lists.items():
            yield comma + pad + json.dumps(key) + ": "
            if not items:
                yield "[]"
                continue
            yield "[" + newline
            for i, item in enumerate(items):
                yield (comma if i else "") + pad * 2 + dump(asdict(item), 2)
            yield newline + pad + "]"
        yield newline + "}"
