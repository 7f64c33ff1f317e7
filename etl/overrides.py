"""An analyst's corrections, kept in overrides.yaml beside the warehouse and applied last.

Each entry names a report (its id, or its file name) and either a measure (category, status,
departments) or a metric (by measure and value) whose indicator is set. Because they are
applied on every load, a correction survives reloading the report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml

from etl.classify import derive_finding_statuses
from etl.errors import InputError
from etl.model import Extraction
from etl.rules import load_rules

FILE_NAME = "overrides.yaml"


@dataclass
class Override:
    report: str
    measure: str | None = None
    category: str | None = None
    status: str | None = None
    departments: list[str] | None = None
    metric_value: float | None = None
    indicator: str | None = None
    note: str | None = None
    added: str = field(default_factory=lambda: date.today().isoformat())

    def validate(self, indicator_codes: set[str]) -> None:
        where = f"override for {self.report} {self.measure or ''}".strip()
        rules = load_rules()
        categories, statuses = rules.category_ids, rules.status_ids
        if self.category and self.category not in categories:
            raise InputError(
                where, f"unknown category {self.category!r}", f"use one of {', '.join(categories)}"
            )
        if self.status and self.status not in statuses:
            raise InputError(
                where, f"unknown status {self.status!r}", f"use one of {', '.join(statuses)}"
            )
        if self.indicator and self.indicator != "none" and self.indicator not in indicator_codes:
            raise InputError(
                where, f"unknown indicator {self.indicator!r}", "see etl/rules/indicators.yaml"
            )
        if self.indicator and self.metric_value is None:
            raise InputError(
                where, "an indicator override needs the metric's value", "pass --value"
            )


def overrides_path(db_path: Path) -> Path:
    return Path(db_path).with_name(FILE_NAME)


def read_overrides(path: Path) -> list[Override]:
    if not path.exists():
        return []
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        return [Override(**entry) for entry in data.get("overrides", [])]
    except (yaml.YAMLError, TypeError) as exc:
        raise InputError(path, f"cannot read overrides ({exc})", "fix or remove the file") from exc


def write_overrides(path: Path, overrides: list[Override]) -> None:
    entries = [{k: v for k, v in vars(o).items() if v is not None} for o in overrides]
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(
        yaml.safe_dump({"overrides": entries}, allow_unicode=True, sort_keys=False),
        encoding="utf-8",
    )
    tmp.replace(path)


def apply_overrides(
    x: Extraction, report_id: str, file_name: str, overrides: list[Override]
) -> int:
    """Apply the overrides that name this report; return how many took effect."""
    applied = 0
    measures = {m.id: m for m in x.measures}
    for o in overrides:
        if o.report not in (report_id, file_name):
            continue
        if o.metric_value is not None:
            for mt in x.metrics:
                if (o.measure is None or mt.measure_id == o.measure) and abs(
                    float(mt.value) - o.metric_value
                ) < 1e-9:
                    mt.indicator = None if o.indicator == "none" else o.indicator
                    applied += 1
                    break
            continue
        m = measures.get(o.measure or "")
        if m is None:
            continue
        if o.category:
            m.category = o.category
        if o.status:
            m.status, m.status_cue = o.status, f"override: {o.note or 'analyst'}"
        if o.departments is not None:
            m.departments = list(o.departments)
        applied += 1
    if applied:
        derive_finding_statuses(x.findings, x.measures)
    return applied
