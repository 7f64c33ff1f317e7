"""What the explorer's detail panel shows of one measure: its text and place, its values as
they stand (corrections applied) with what each was read as, the choices a correction may
pick from, and the measure's corrections log."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from etl.rules import load_rules
from views.audit import AuditRow, measure_history
from views.i18n import category_label, status_label
from views.vocabulary import categories, statuses
from warehouse import queries
from warehouse.corrections import CorrectionLog


@dataclass(frozen=True)
class Figure:
    metric: int  # its number in the report
    raw: str  # as written (46人次)
    value: float
    unit: str
    indicator: str | None
    start: int  # within the measure's text
    end: int
    read_value: float | None = None  # the value as read, when corrected
    read_indicator: object = None  # the indicator as read, when corrected ('' for none)


@dataclass(frozen=True)
class MeasurePanel:
    report_id: str
    measure_id: str
    detail: dict  # queries.measure_detail
    figures: list[Figure]
    corrected: dict[str, object]  # field → its value as read, for the measure's own fields
    history: list[AuditRow] = field(default_factory=list)

    def seen(self) -> dict:
        """The values shown, as an edit states what its maker saw (JSON-friendly)."""
        d = self.detail
        return {
            "report_id": self.report_id,
            "measure_id": self.measure_id,
            "category": d["category"],
            "status": d["status"],
            "departments": sorted(d["departments"] or []),
            "deadline": d["deadline"].isoformat() if d["deadline"] is not None else None,
            "figures": {
                str(f.metric): {"indicator": f.indicator, "value": f.value} for f in self.figures
            },
        }


def measure_panel(
    con: duckdb.DuckDBPyConnection,
    log: CorrectionLog | None,
    report_id: str,
    measure_id: str,
    lang: str,
) -> MeasurePanel | None:
    detail = queries.measure_detail(con, report_id, measure_id)
    if detail is None:
        return None
    fixed = queries.corrections_of(con, report_id, measure_id)
    read = {
        (t, i, f): json.loads(b) if isinstance(b, str) else None
        for t, i, f, b in zip(
            fixed["target"], fixed["item"], fixed["field"], fixed["before"], strict=True
        )
    }
    base = int(detail["start"])
    figures = [
        Figure(
            metric=int(r.metric_no),
            raw=r.raw or "",
            value=float(r.value),
            unit=r.unit or "",
            indicator=r.indicator if isinstance(r.indicator, str) else None,
            start=int(r.start_offset) - base,
            end=int(r.end_offset) - base,
            read_value=read.get(("metric", str(r.metric_no), "value")),
            read_indicator=(
                read.get(("metric", str(r.metric_no), "indicator")) or ""
                if ("metric", str(r.metric_no), "indicator") in read
                else None
            ),
        )
        for r in detail["figures"].itertuples()
    ]
    corrected = {f: v for (t, _i, f), v in read.items() if t == "measure"}
    history = measure_history(log, report_id, measure_id, lang) if log is not None else []
    return MeasurePanel(report_id, measure_id, detail, figures, corrected, history)


def category_options(lang: str) -> list[dict]:
    return [{"label": category_label(c, lang), "value": c} for c in categories()]


def status_options(lang: str) -> list[dict]:
    return [{"label": status_label(s, lang), "value": s} for s in statuses()]


def indicator_options(lang: str, none_label: str) -> list[dict]:
    return [{"label": none_label, "value": ""}] + [
        {"label": i.zh if lang == "zh" else i.en, "value": i.code} for i in load_rules().indicators
    ]


def department_options(con: duckdb.DuckDBPyConnection, current: list[str]) -> list[dict]:
    """Every department the warehouse or the rules know, and the measure's own."""
    names = set(queries.department_names(con)) | {d.name for d in load_rules().departments}
    names |= set(current)
    return [{"label": n, "value": n} for n in sorted(names)]


def number_or_none(value) -> float | None:
    """A number typed in a form, or None when it is blank or not a finite number."""
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def deadline_text(value) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return None
    return pd.Timestamp(value).date().isoformat()
