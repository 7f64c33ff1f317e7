"""What must hold before an extraction is written (checked once, by the pipeline); a
violation names the report and the row."""

from __future__ import annotations

import math

from etl.model import LEVELS, ROLES, SECTIONS, Extraction
from etl.rules import load_rules
from etl.warnings import LEVELS as WARNING_LEVELS

QUALIFIERS = ("exact", "lower_bound", "approx")


class ContractError(Exception):
    pass


def check_extraction(x: Extraction, where: str) -> None:
    problems: list[str] = []
    rules = load_rules()
    categories, statuses = set(rules.category_ids), set(rules.status_ids)
    n = len(x.text)
    finding_ids = {f.id for f in x.findings}
    if len(finding_ids) != len(x.findings):
        problems.append("duplicate finding ids")
    for f in x.findings:
        if f.level not in LEVELS:
            problems.append(f"finding {f.id}: level {f.level!r}")
        if f.parent_id and f.parent_id not in finding_ids:
            problems.append(f"finding {f.id}: parent {f.parent_id} missing")
        if f.category and f.category not in categories:
            problems.append(f"finding {f.id}: category {f.category!r}")
    measure_ids = {m.id for m in x.measures}
    if len(measure_ids) != len(x.measures):
        problems.append("duplicate measure ids")
    for m in x.measures:
        if m.section not in SECTIONS:
            problems.append(f"measure {m.id}: section {m.section!r}")
        if m.finding_id and m.finding_id not in finding_ids:
            problems.append(f"measure {m.id}: finding {m.finding_id} missing")
        if m.status not in statuses:
            problems.append(f"measure {m.id}: status {m.status!r}")
        if m.category not in categories:
            problems.append(f"measure {m.id}: category {m.category!r}")
        if not (0 <= m.start <= m.end <= n) or x.text[m.start : m.end] != m.text:
            problems.append(f"measure {m.id}: offsets {m.start}-{m.end} do not give its text")
    for i, mt in enumerate(x.metrics):
        if mt.measure_id and mt.measure_id not in measure_ids:
            problems.append(f"metric {i}: measure {mt.measure_id} missing")
        if not math.isfinite(float(mt.value)):
            problems.append(f"metric {i}: value {mt.value!r}")
        if mt.role not in ROLES:
            problems.append(f"metric {i}: role {mt.role!r}")
        if mt.qualifier not in QUALIFIERS:
            problems.append(f"metric {i}: qualifier {mt.qualifier!r}")
        if not (0 <= mt.start < mt.end <= n):
            problems.append(f"metric {i}: offsets {mt.start}-{mt.end}")
    for i, w in enumerate(x.warnings):
        if w.level not in WARNING_LEVELS:
            problems.append(f"warning {i} ({w.code}): level {w.level!r}")
    if problems:
        shown = "; ".join(problems[:5]) + (
            f" (+{len(problems) - 5} more)" if len(problems) > 5 else ""
        )
        raise ContractError(f"{where}: extraction breaks the warehouse contract: {shown}")
