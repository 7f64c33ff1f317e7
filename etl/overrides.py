"""An analyst's corrections, applied last to an extraction, and how a log of them reads.

A correction names a report (its id, or its file name) and either a measure (category,
status, departments, deadline) or one of its figures (a metric: indicator, value). The
corrections are kept as a log (who, when, what, why; `pipeline.corrections` keeps it beside
the warehouse, the CLI and the dashboard write it); `active_overrides` replays the log into
the overrides in force, and `apply_overrides` applies them to a freshly read extraction on
every load, so a correction survives reloading the report. `apply_overrides` says what it
changed (`Change`: before and after), so that the same extraction can be put back as read
(`restore`) and corrected again without reading its file.

Pure: no files here, except `read_legacy_overrides` for the overrides.yaml of earlier
versions, which is imported into the log once.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml

from etl.classify import derive_finding_statuses
from etl.errors import InputError
from etl.model import Extraction
from etl.rules import load_rules

LEGACY_FILE_NAME = "overrides.yaml"
CLEARED = "none"  # an indicator or a deadline set to nothing
MEASURE_FIELDS = ("category", "status", "departments", "deadline")
METRIC_FIELDS = ("indicator", "value")
FIELDS = MEASURE_FIELDS + METRIC_FIELDS
OVERRIDE_CUE = "override: "  # how a corrected status's cue starts


@dataclass
class Override:
    """One correction in force. A measure's: `measure` with any of category, status,
    departments, deadline (ISO date, or "none"). A figure's: `metric_value` (its value as
    read) and, to tell figures of one value apart, `metric` (its 1-based number in the
    report) and `measure`; with `indicator` (a code, or "none") and/or `new_value`."""

    report: str
    measure: str | None = None
    category: str | None = None
    status: str | None = None
    departments: list[str] | None = None
    deadline: str | None = None
    metric: int | None = None
    metric_value: float | None = None
    indicator: str | None = None
    new_value: float | None = None
    note: str | None = None

    @property
    def is_metric(self) -> bool:
        return self.metric_value is not None or self.metric is not None

    def validate(self, indicator_codes: set[str]) -> None:
        """InputError naming what is wrong: an unknown category, status or indicator, a
        deadline that is no date, a value that is no finite number, or a figure's
        correction without the figure's value."""
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
        if self.indicator and self.indicator != CLEARED and self.indicator not in indicator_codes:
            raise InputError(
                where, f"unknown indicator {self.indicator!r}", "see etl/rules/indicators.yaml"
            )
        if self.deadline and self.deadline != CLEARED:
            try:
                date.fromisoformat(self.deadline)
            except ValueError as exc:
                raise InputError(
                    where, f"deadline {self.deadline!r} is not a date", "give it as 2025-06-30"
                ) from exc
        if self.new_value is not None and not math.isfinite(self.new_value):
            raise InputError(where, "the new value is not a number", "give a number")
        if (self.indicator or self.new_value is not None) and self.metric_value is None:
            raise InputError(
                where, "a figure's correction needs the figure's value", "pass --value"
            )


@dataclass(frozen=True)
class Change:
    """What applying the overrides changed in an extraction: `target` ('measure',
    'metric' or 'finding'), its `key` (measure id, metric number 1-based, finding id), the
    `field`, and the values before and after (departments as a list, a deadline as an ISO
    date, a value as a float). A finding's status changes with its measures'; a measure's
    status cue with its status: those are kept to restore, and are not corrections."""

    target: str
    key: str
    field: str
    before: object
    after: object

    @property
    def by_hand(self) -> bool:
        """Whether this is a value an analyst corrected (not a status cue, not a finding's
        status that follows its measures)."""
        return self.target != "finding" and self.field in FIELDS


def _plain(value):
    """A value as a Change keeps it: a list of departments as a set would read (sorted, once
    each: the warehouse keeps them as a set), a number as a float (the warehouse's), anything
    else as it is."""
    if isinstance(value, list):
        return sorted(dict.fromkeys(value))
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return value


def _same(a, b) -> bool:
    return _plain(a) == _plain(b)


def _cleared(value):
    return None if value == CLEARED else value


def apply_overrides(
    x: Extraction, report_id: str, file_name: str, overrides: list[Override]
) -> list[Change]:
    """Apply the overrides that name this report (by id or file name), in order, to an
    extraction as read; return what changed, one Change per field changed (its value as read
    and its value now). A figure is found by its number and value as read (else by its
    measure and value as read), so a corrected value never stops it being found."""
    before: dict[tuple[str, str, str], object] = {}
    measures = {m.id: m for m in x.measures}
    read_values = [float(mt.value) for mt in x.metrics]
    statuses_changed = False

    def put(obj, target: str, key: str, name: str, value) -> None:
        old = getattr(obj, name)
        if _same(old, value):
            return
        before.setdefault((target, key, name), _plain(old))
        setattr(obj, name, value)

    for o in overrides:
        if o.report not in (report_id, file_name):
            continue
        if o.is_metric:
            n = _find_metric(x, read_values, o)
            if n is None:
                continue
            mt = x.metrics[n - 1]
            if o.indicator:
                put(mt, "metric", str(n), "indicator", _cleared(o.indicator))
            if o.new_value is not None:
                put(mt, "metric", str(n), "value", float(o.new_value))
            continue
        m = measures.get(o.measure or "")
        if m is None:
            continue
        if o.category:
            put(m, "measure", m.id, "category", o.category)
        if o.status and o.status != m.status:
            statuses_changed = True
            put(m, "measure", m.id, "status", o.status)
            put(m, "measure", m.id, "status_cue", f"{OVERRIDE_CUE}{o.note or 'analyst'}")
        if o.departments is not None:
            put(m, "measure", m.id, "departments", list(o.departments))
        if o.deadline:
            put(m, "measure", m.id, "deadline", _cleared(o.deadline))
    if statuses_changed:
        read_statuses = {f.id: f.status for f in x.findings}
        derive_finding_statuses(x.findings, x.measures)
        for f in x.findings:
            if f.status != read_statuses[f.id]:
                before[("finding", f.id, "status")] = read_statuses[f.id]
    return [
        Change(target, key, name, old, _current(x, measures, target, key, name))
        for (target, key, name), old in before.items()
        if not _same(old, _current(x, measures, target, key, name))
    ]


def _find_metric(x: Extraction, read_values: list[float], o: Override) -> int | None:
    """The 1-based number of the figure an override names, or None."""

    def fits(n: int) -> bool:
        mt = x.metrics[n - 1]
        same_value = o.metric_value is None or abs(read_values[n - 1] - o.metric_value) < 1e-9
        return same_value and (o.measure is None or mt.measure_id == o.measure)

    if o.metric is not None and 1 <= o.metric <= len(x.metrics) and fits(o.metric):
        return o.metric
    if o.metric_value is None:
        return None
    return next((n for n in range(1, len(x.metrics) + 1) if fits(n)), None)


def _obj(x: Extraction, measures: dict, target: str, key: str):
    if target == "metric":
        return x.metrics[int(key) - 1]
    if target == "measure":
        return measures[key]
    return next(f for f in x.findings if f.id == key)


def _current(x: Extraction, measures: dict, target: str, key: str, name: str):
    return _plain(getattr(_obj(x, measures, target, key), name))


def restore(x: Extraction, changes: list[Change]) -> None:
    """Put back the values `changes` replaced: the extraction as it was read. A change that
    no longer fits the extraction (a measure or figure it lacks) is an error: the changes
    were made on another reading of the report."""
    measures = {m.id: m for m in x.measures}
    for c in reversed(changes):
        try:
            obj = _obj(x, measures, c.target, c.key)
        except (KeyError, IndexError, StopIteration) as exc:
            raise ValueError(f"no {c.target} {c.key} to restore {c.field} on") from exc
        setattr(obj, c.field, list(c.before) if isinstance(c.before, list) else c.before)


# -- The log --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One line of the corrections log, as far as what is in force depends on it: the
    value it set on one field of one measure or figure (`new`: None clears), or, with
    `reverts`, the entry whose change it undoes."""

    id: int
    report: str
    field: str
    new: object = None
    measure: str | None = None
    metric: int | None = None
    metric_value: float | None = None
    reverts: int | None = None
    note: str | None = None

    @classmethod
    def from_row(cls, row) -> Entry:
        """An entry from a row of the log (a mapping of its columns; `new` as JSON text)."""
        return cls(
            id=row["id"],
            report=row["report"],
            field=row["field"],
            new=None if row.get("new") is None else json.loads(row["new"]),
            measure=row.get("measure"),
            metric=row.get("metric"),
            metric_value=row.get("metric_value"),
            reverts=row.get("reverts"),
            note=row.get("reason"),
        )

    @property
    def key(self) -> tuple:
        """What the entry changes: one field of one measure or figure of one report."""
        if self.field in METRIC_FIELDS:
            if self.metric is not None:
                return (self.report, self.measure, "metric", self.metric, self.field)
            return (self.report, self.measure, "value", self.metric_value, self.field)
        return (self.report, self.measure, "measure", None, self.field)


_ABSENT = object()


@dataclass
class LogState:
    """The log replayed: the overrides in force, and which entries may still be undone."""

    overrides: list[Override] = field(default_factory=list)
    latest: dict[tuple, int] = field(default_factory=dict)  # key → its last entry's id
    undone: dict[int, int] = field(default_factory=dict)  # entry id → the entry undoing it

    def revertible(self, entry_id: int, key: tuple) -> bool:
        """Only the last entry on a field may be undone: undoing an earlier one would undo
        the later ones with it, unsaid."""
        return self.latest.get(key) == entry_id


def replay(entries: list[Entry]) -> LogState:
    """The log in id order: each entry sets its field; an undo puts the field back to what
    it was before the entry it undoes (which may be no override at all: the value as read)."""
    state: dict[tuple, tuple[object, Entry]] = {}
    prior: dict[int, object] = {}
    out = LogState()
    for e in sorted(entries, key=lambda e: e.id):
        key = e.key
        prior[e.id] = state.get(key, _ABSENT)
        out.latest[key] = e.id
        if e.reverts is None:
            state[key] = (e.new, e)
            continue
        out.undone[e.reverts] = e.id
        before = prior.get(e.reverts, _ABSENT)
        if before is _ABSENT:
            state.pop(key, None)
        else:
            state[key] = before
    for value, e in sorted(state.values(), key=lambda pair: pair[1].id):
        out.overrides.append(_override(e, value))
    return out


def _override(e: Entry, value) -> Override:
    o = Override(report=e.report, measure=e.measure, note=e.note)
    if e.field in METRIC_FIELDS:
        o.metric, o.metric_value = e.metric, e.metric_value
    if e.field == "indicator":
        o.indicator = CLEARED if value is None else value
    elif e.field == "value":
        o.new_value = float(value)
    elif e.field == "deadline":
        o.deadline = CLEARED if value is None else str(value)
    elif e.field == "departments":
        o.departments = list(value or [])
    else:
        setattr(o, e.field, value)
    return o


def active_overrides(entries: list[Entry]) -> list[Override]:
    return replay(entries).overrides


def entries_of(o: Override) -> list[tuple[str, object]]:
    """The (field, value) pairs one override sets, one log entry each (value None clears)."""
    pairs = []
    for name in MEASURE_FIELDS + METRIC_FIELDS:
        value = o.new_value if name == "value" else getattr(o, name)
        if value is None:
            continue
        pairs.append((name, None if value == CLEARED else value))
    return pairs


def read_legacy_overrides(path: Path) -> list[Override]:
    """The overrides.yaml earlier versions wrote beside the warehouse (empty if none)."""
    if not path.exists():
        return []
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        kept = {"report", "measure", "category", "status", "departments", "metric_value"}
        return [
            Override(
                **{k: v for k, v in entry.items() if k in kept},
                indicator=entry.get("indicator"),
                note=entry.get("note"),
            )
            for entry in data.get("overrides", [])
        ]
    except (yaml.YAMLError, TypeError, AttributeError) as exc:
        raise InputError(path, f"cannot read overrides ({exc})", "fix or remove the file") from exc
