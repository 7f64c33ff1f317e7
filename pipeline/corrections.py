"""Corrections made and undone, applied to the warehouse at once, and review marks.

A correction is written to the log beside the warehouse (warehouse/corrections.py) and
applied in the same step: holding the warehouse's writer lock, the log's write transaction
is opened, the entry added, and every report it touches is corrected again from what the
warehouse holds of it — its values as read put back (the `correction` table), then every
correction in force applied by `etl.overrides.apply_overrides`, the very function a load
applies them with — and the warehouse swapped atomically; only then is the entry committed.
So the corrected report is what reloading its file would give (its file need not be read,
nor even be there), a correction that fails leaves neither the log nor the warehouse
changed, and a load (which reads the log holding the same lock) never misses one.

Who may correct is the caller's business (the dashboard's sign-in and roles, the CLI's
user); this records who did.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from etl.errors import InputError
from etl.overrides import (
    FIELDS,
    LEGACY_FILE_NAME,
    METRIC_FIELDS,
    Entry,
    Override,
    apply_overrides,
    entries_of,
    read_legacy_overrides,
    replay,
    restore,
)
from etl.rules import load_rules
from pipeline.rows import Prepared, indicator_rows, prepared_from_rows
from warehouse.corrections import CorrectionLog, log_path

_UNSEEN = object()  # an edit made without saying what its maker saw
LEGACY_STAMP = "imported_overrides_yaml"


class CorrectionRefused(Exception):
    """A correction or undo that cannot be made. `code` says why (views/i18n.py has
    `correction_<code>` in both languages), `args` fill the message: no_reason, unknown (no
    such report, measure or figure), no_entry (no log entry of that number: `entry`), invalid (a value the rules do not know: `detail`),
    conflict (someone changed it meanwhile: `field`, `now`), superseded (a later change to
    the same field: `later`), nothing (no value differs from the one shown)."""

    def __init__(self, code: str, **args):
        self.code = code
        self.args_ = args
        super().__init__(f"{code}: {args}" if args else code)


@dataclass(frozen=True)
class Edit:
    """One field of a measure, or of a figure (`metric`: its 1-based number in the report),
    set to `new` (None clears a deadline or an indicator). `seen`: the value its maker was
    shown; if the warehouse holds another by now, the edit is refused as a conflict."""

    report_id: str
    field: str
    new: object
    measure: str | None = None
    metric: int | None = None
    seen: object = _UNSEEN


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def open_log(db: Path | str) -> CorrectionLog:
    """The warehouse's log, with the overrides.yaml of an earlier version beside the
    warehouse imported into it once (then renamed overrides.yaml.imported)."""
    db = Path(db)
    log = CorrectionLog(log_path(db))
    legacy = db.with_name(LEGACY_FILE_NAME)
    if legacy.exists() and os.access(db.parent, os.W_OK) and log.meta(LEGACY_STAMP) is None:
        _import_legacy(log, legacy)
    return log


def _import_legacy(log: CorrectionLog, legacy: Path) -> None:
    overrides = read_legacy_overrides(legacy)
    with log.writing() as w:
        if w.meta(LEGACY_STAMP) is not None:
            return  # another process imported it meanwhile
        raw = {}
        try:
            import yaml

            raw = yaml.safe_load(legacy.read_text(encoding="utf-8")) or {}
        except (OSError, ValueError):
            pass
        added = [e.get("added") for e in raw.get("overrides", [])] if isinstance(raw, dict) else []
        for i, o in enumerate(overrides):
            at = str(added[i]) if i < len(added) and added[i] else now_iso()
            for name, value in entries_of(o):
                w.append(
                    {
                        "at": at,
                        "user": LEGACY_FILE_NAME,
                        "via": "import",
                        "report": o.report,
                        "measure": o.measure,
                        "metric_value": o.metric_value,
                        "field": name,
                        "new": json.dumps(value, ensure_ascii=False),
                        "reason": o.note or LEGACY_FILE_NAME,
                    }
                )
        w.set_meta(LEGACY_STAMP, now_iso())
    legacy.rename(legacy.with_name(legacy.name + ".imported"))


def overrides_in_force(db: Path | str) -> list[Override]:
    """The corrections in force for the warehouse at `db` (the log replayed; none when the
    warehouse has no log yet, which is then not made)."""
    db = Path(db)
    if not log_path(db).exists() and not db.with_name(LEGACY_FILE_NAME).exists():
        return []
    return replay([Entry.from_row(r) for r in open_log(db).all_entries()]).overrides


def correct_prepared(batch: Iterable[Prepared], overrides: list[Override]) -> None:
    """Apply the corrections to each prepared report, as read: what a load writes."""
    for p in batch:
        restore(p.extraction, p.changes)
        p.changes = apply_overrides(p.extraction, p.report_id, p.file_name, overrides)


def record(
    db: Path | str, edits: list[Edit], user: str, reason: str, via: str = "app"
) -> list[int]:
    """Record the edits (one log entry each, with `user`, the time and `reason`) and apply
    them to the warehouse at once; the new entries' ids. CorrectionRefused says why not
    (nothing is recorded or changed then); WarehouseError when the warehouse cannot be
    written."""
    reason = (reason or "").strip()
    if not reason:
        raise CorrectionRefused("no_reason")
    for e in edits:
        _validate(e)
    return _write(db, lambda con, w: _add_edits(con, w, edits, user, reason, via))


def revert(db: Path | str, entry_id: int, user: str, reason: str, via: str = "app") -> int:
    """Undo a log entry: its field goes back to what it was before it (the value as read,
    when it was the first correction), recorded as an entry of its own; its id. Only the
    last entry on a field may be undone (CorrectionRefused 'superseded' names the later one);
    an undo may itself be undone."""
    reason = (reason or "").strip()
    if not reason:
        raise CorrectionRefused("no_reason")
    return _write(db, lambda con, w: [_add_revert(con, w, entry_id, user, reason, via)])[0]


def mark_reviewed(db: Path | str, report_id: str, measure_id: str, user: str, on: bool = True):
    """Mark an entry of the 待核查 list reviewed (or no longer); measure '' is the report.
    Kept in the log beside the warehouse, so it outlives reloads."""
    log = open_log(db)
    if on:
        log.mark(report_id, measure_id or "", user, now_iso())
    else:
        log.unmark(report_id, measure_id or "")


class _NothingToDo(Exception):
    pass


def _write(db: Path | str, add) -> list[int]:
    """Under the warehouse's writer lock: a log transaction in which `add(con, writer)` adds
    entries (their ids), then the touched reports corrected again in a swap of the
    warehouse; the entries are committed once the new warehouse is published."""
    from warehouse.db import swap, writer_lock

    db = Path(db)
    log = open_log(db)
    try:
        with writer_lock(db), log.writing() as w, swap(db, locked=True) as con:
            ids = add(con, w)
            if not ids:
                raise _NothingToDo
            added = [r for r in w.all_entries() if r["id"] in ids]
            state = replay([Entry.from_row(r) for r in w.all_entries()])
            _correct_stored(con, sorted({r["report"] for r in added}), state.overrides)
            _check_applied(con, w, added)
    except _NothingToDo:
        raise CorrectionRefused("nothing") from None
    return ids


def _check_applied(con, w, added: list[dict]) -> None:
    """Each new entry's field as the corrected warehouse now shows it: an edit's must be
    what was asked (else nothing is kept); an undo's is recorded as its new value."""
    from warehouse.queries import correction_target

    for r in added:
        target = correction_target(con, r["report"], r["measure"], r["metric"], r["metric_value"])
        now = _normal(r["field"], target[r["field"]]) if target else None
        if r["reverts"] is not None:
            w.db.execute(
                "UPDATE change SET new = ? WHERE id = ?",
                (json.dumps(now, ensure_ascii=False), r["id"]),
            )
        elif now != json.loads(r["new"]):
            raise CorrectionRefused("unknown", report=r["report"], what=r["measure"] or r["metric"])


def _correct_stored(con, report_ids: list[str], overrides: list[Override]) -> None:
    """Correct these reports (ids, or file names as overrides.yaml named them) again from
    what the warehouse holds of them."""
    from warehouse.load import report_rows, write_reports
    from warehouse.queries import report_ids_for

    batch = []
    for rid in report_ids_for(con, report_ids):
        rows = report_rows(con, rid)
        if rows is None:
            continue  # named by a file name only (overrides.yaml), or deleted meanwhile
        p = prepared_from_rows(rows)
        correct_prepared([p], overrides)
        batch.append(p.rows())
    if batch:
        write_reports(con, batch, indicator_rows(load_rules()))


def _validate(e: Edit) -> None:
    if e.field not in FIELDS:
        raise CorrectionRefused("invalid", detail=f"no field {e.field!r}")
    if (e.field in METRIC_FIELDS) != (e.metric is not None) or (
        e.field not in METRIC_FIELDS and not e.measure
    ):
        raise CorrectionRefused("invalid", detail=f"{e.field} of what")
    o = Override(report=e.report_id, measure=e.measure)
    value = e.new
    try:
        if e.field == "value":
            if isinstance(value, bool) or not isinstance(value, int | float | str):
                raise ValueError
            o.new_value, o.metric_value = float(value), 0.0
            if not math.isfinite(o.new_value):
                raise ValueError
        elif e.field == "indicator":
            o.indicator, o.metric_value = value or "none", 0.0
        elif e.field == "departments":
            if not isinstance(value, list) or not all(isinstance(d, str) and d for d in value):
                raise ValueError
        elif e.field == "deadline":
            o.deadline = value or "none"
        elif not isinstance(value, str):
            raise ValueError
        else:
            setattr(o, e.field, value)
        o.validate({i.code for i in load_rules().indicators})
    except ValueError:
        raise CorrectionRefused("invalid", detail=f"{e.field} {value!r}") from None
    except InputError as exc:
        raise CorrectionRefused("invalid", detail=exc.problem) from None


def _normal(field: str, value):
    """A value as compared and logged: departments sorted, once each; a deadline as an ISO
    date; a figure's value as a float; an empty choice as None."""
    if value in ("", None, []) and field != "departments":
        return None
    if field == "departments":
        return sorted(dict.fromkeys(value or []))
    if field == "deadline":
        return value.isoformat() if isinstance(value, date) else str(value)
    if field == "value":
        return float(value)
    return value


def _add_edits(con, w, edits: list[Edit], user: str, reason: str, via: str) -> list[int]:
    from warehouse.queries import correction_target

    ids, at = [], now_iso()
    for e in edits:
        target = correction_target(con, e.report_id, e.measure, e.metric)
        if target is None:
            raise CorrectionRefused("unknown", report=e.report_id, what=e.measure or e.metric)
        shown = _normal(e.field, target[e.field])
        new = _normal(e.field, e.new)
        if e.seen is not _UNSEEN and _normal(e.field, e.seen) != shown:
            raise CorrectionRefused("conflict", field=e.field, now=shown)
        if new == shown:
            continue
        ids.append(
            w.append(
                {
                    "at": at,
                    "user": user,
                    "via": via,
                    "report": target["report_id"],
                    "report_title": target["report_title"],
                    "measure": target["measure_id"],
                    "metric": e.metric,
                    "metric_value": target.get("read_value"),
                    "figure": target.get("raw"),
                    "field": e.field,
                    "old": json.dumps(shown, ensure_ascii=False),
                    "new": json.dumps(new, ensure_ascii=False),
                    "reason": reason,
                }
            )
        )
    return ids


def _add_revert(con, w, entry_id: int, user: str, reason: str, via: str) -> int:
    from warehouse.queries import correction_target

    rows = w.all_entries()
    entry = next((r for r in rows if r["id"] == entry_id), None)
    if entry is None:
        raise CorrectionRefused("no_entry", entry=entry_id)
    state = replay([Entry.from_row(r) for r in rows])
    key = Entry.from_row(entry).key
    if not state.revertible(entry_id, key):
        raise CorrectionRefused("superseded", later=state.latest.get(key))
    target = correction_target(
        con, entry["report"], entry["measure"], entry["metric"], entry["metric_value"]
    )
    shown = _normal(entry["field"], target[entry["field"]]) if target else None
    # Its new value is what the field shows once the warehouse is corrected (_check_applied).
    return w.append(
        {
            **{k: entry[k] for k in ("report", "report_title", "measure", "metric")},
            **{k: entry[k] for k in ("metric_value", "figure", "field")},
            "at": now_iso(),
            "user": user,
            "via": via,
            "old": json.dumps(shown, ensure_ascii=False),
            "new": entry["old"],
            "reason": reason,
            "reverts": entry_id,
        }
    )


def stored_review_rows(con, report_id: str) -> list[dict]:
    """A stored report's review_item rows, made from what the warehouse holds of it (for a
    warehouse written before the list was kept: warehouse.load.upgrade_if_needed)."""
    from pipeline.rows import review_rows
    from warehouse.load import report_rows

    rows = report_rows(con, report_id)
    return review_rows(report_id, prepared_from_rows(rows).extraction) if rows else []
