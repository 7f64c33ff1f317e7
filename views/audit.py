"""The corrections log as people read it: the 审计记录 page and `rectify overrides list`.

Each entry says when (in the organisation's time zone), who, which report and which measure
or figure, the field, its value before and after in the reader's language (a category's or
a status's label, an indicator's name, a date as dates are written) and why; an undo names
the entry it undoes, and an entry says whether it may still be undone (only the last change
to a field may: views cannot undo an earlier one without undoing the later ones unsaid).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import date, datetime

from etl.overrides import METRIC_FIELDS, Entry, replay
from etl.rules import load_rules
from views import clock
from views.i18n import category_label, status_label, t
from views.theme import format_date, format_number
from warehouse.corrections import CorrectionLog, LogFilter

PAGE_SIZE = 50
FIELD_LABELS = {
    "category": "col_category",
    "status": "col_status",
    "departments": "col_departments",
    "deadline": "col_deadline",
    "indicator": "col_indicator",
    "value": "col_value",
}


def field_label(field: str, lang: str) -> str:
    return t(FIELD_LABELS[field], lang) if field in FIELD_LABELS else field


def decode(value: str | None):
    return None if value is None else json.loads(value)


def show_value(field: str, value, lang: str) -> str:
    """A field's value in `lang`: a label for a category or status, names for an indicator,
    departments joined, a date as written in `lang`, a number as numbers read; — for none."""
    if value is None or value == []:
        return "—"
    if field == "category":
        return category_label(value, lang)
    if field == "status":
        return status_label(value, lang)
    if field == "departments":
        return "、".join(value) if lang == "zh" else ", ".join(value)
    if field == "deadline":
        return format_date(value, lang) or str(value)
    if field == "indicator":
        found = next((i for i in load_rules().indicators if i.code == value), None)
        return (found.zh if lang == "zh" else found.en) if found else str(value)
    if field == "value" and isinstance(value, int | float) and math.isfinite(value):
        return format_number(value, lang, digits=4)
    return str(value)


def when(at: str, lang: str = "zh") -> str:
    """A log time (ISO, UTC) in the organisation's time zone, to the minute."""
    try:
        moment = datetime.fromisoformat(at).astimezone(clock.zone())
    except (TypeError, ValueError):
        return str(at)
    return moment.strftime("%Y-%m-%d %H:%M")


def target_text(row: dict, lang: str) -> str:
    """What an entry changed: the measure, or the figure (as written) and its measure."""
    if row["field"] in METRIC_FIELDS:
        figure = row.get("figure") or format_number(row.get("metric_value"), lang)
        return t("audit_figure", lang).format(figure=figure, measure=row.get("measure") or "—")
    return t("audit_measure", lang).format(measure=row.get("measure") or "—")


@dataclass(frozen=True)
class AuditRow:
    id: int
    when: str
    user: str
    via: str
    report: str
    report_title: str
    target: str
    field: str
    old: str
    new: str
    reason: str
    reverts: int | None  # the entry this one undoes
    undone_by: int | None  # the entry that undid this one
    later: int | None  # a later change to the same field (then this one cannot be undone)

    @property
    def revertible(self) -> bool:
        return self.later is None


def audit_rows(entries: list[dict], every: list[dict], lang: str) -> list[AuditRow]:
    """Rows of `entries` (log rows) to show; `every` is the whole log, which says which
    entries may still be undone."""
    state = replay([Entry.from_row(r) for r in every])
    rows = []
    for r in entries:
        key = Entry.from_row(r).key
        last = state.latest.get(key)
        rows.append(
            AuditRow(
                id=r["id"],
                when=when(r["at"], lang),
                user=r["user"],
                via=r["via"],
                report=r["report"],
                report_title=r.get("report_title") or r["report"],
                target=target_text(r, lang),
                field=field_label(r["field"], lang),
                old=show_value(r["field"], decode(r.get("old")), lang),
                new=show_value(r["field"], decode(r.get("new")), lang),
                reason=r["reason"],
                reverts=r.get("reverts"),
                undone_by=r.get("undone_by") or state.undone.get(r["id"]),
                later=None if last == r["id"] else last,
            )
        )
    return rows


@dataclass(frozen=True)
class AuditPage:
    rows: list[AuditRow]
    total: int  # entries matching the filters
    page: int  # 1-based
    pages: int
    choices: dict  # CorrectionLog.choices(): users, fields, reports


def log_filter(
    report: str | None = None,
    user: str | None = None,
    field: str | None = None,
    text: str | None = None,
    since: str | None = None,
    until: str | None = None,
) -> LogFilter:
    """The audit page's filters as the log's: a blank one is no bound, words are trimmed, and
    the period (ISO dates, both days included) is in the organisation's time zone, the one
    the entries' times are shown in; a date that is not one (a forged request) is no bound."""
    return LogFilter(
        report=report or None,
        user=user or None,
        field=field or None,
        text=(text or "").strip() or None,
        since=_iso_day(since),
        until=_iso_day(until),
        zone=clock.zone(),
    )


def _iso_day(value) -> str | None:
    try:
        return date.fromisoformat(value).isoformat() if value else None
    except (TypeError, ValueError):
        return None


def audit_page(log: CorrectionLog, f: LogFilter, page: int | None, lang: str) -> AuditPage:
    """Page `page` (1-based; past the end: the last) of the entries matching `f`, newest
    first, PAGE_SIZE a page."""
    total = log.count(f)
    pages = max(1, math.ceil(total / PAGE_SIZE))
    page = min(max(1, int(page or 1)), pages)
    entries = log.entries(f, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    return AuditPage(
        audit_rows(entries, log.all_entries(), lang), total, page, pages, log.choices()
    )


def measure_history(log: CorrectionLog, report_id: str, measure_id: str, lang: str):
    """A measure's entries (its figures' too), newest first: what the detail panel lists."""
    entries = [e for e in log.entries(LogFilter(report=report_id)) if e["measure"] == measure_id]
    return audit_rows(entries, log.all_entries(), lang) if entries else []


def log_lines(entries: list[dict], every: list[dict]) -> list[str]:
    """`rectify overrides list`: one line an entry (ids and codes, as scripts read them),
    and its reason on the next."""
    lines = []
    for row, shown in zip(entries, audit_rows(entries, every, "en"), strict=True):
        old, new = decode(row.get("old")), decode(row.get("new"))
        target = row.get("measure") or "-"
        if row["field"] in METRIC_FIELDS:
            target += f" figure {row.get('metric') or '?'} ({row.get('figure') or row.get('metric_value')})"
        notes = []
        if shown.reverts:
            notes.append(f"undoes #{shown.reverts}")
        if shown.undone_by:
            notes.append(f"undone by #{shown.undone_by}")
        elif shown.later:
            notes.append(f"superseded by #{shown.later}")
        lines.append(
            f"#{row['id']}  {shown.when}  {row['user']} ({row['via']})  {row['report']} {target}  "
            f"{row['field']}: {_code(old)} → {_code(new)}"
            + (f"  [{'; '.join(notes)}]" if notes else "")
        )
        lines.append(f"    why: {row['reason']}")
    return lines


def _code(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, list):
        return ",".join(value) or "-"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def refusal(code: str, args: dict, lang: str) -> str:
    """Why a correction was refused (pipeline.corrections.CorrectionRefused), in `lang`."""
    values = dict(args)
    if "field" in values:
        values["field"] = field_label(values["field"], lang)
    if "now" in values:
        values["now"] = show_value(args.get("field", ""), values["now"], lang)
    try:
        return t(f"correction_{code}", lang).format(**values)
    except (KeyError, IndexError):
        return t(f"correction_{code}", lang)
