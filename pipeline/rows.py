"""An extraction as the warehouse's rows: one dict per row, in schema.sql's columns."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from etl.model import Extraction
from etl.rules import Rules
from warehouse.rows import ReportRows


def item_count(x: Extraction) -> int:
    """The problems a report is counted by, everywhere (upload preview, load summary, the
    通报 page, the overview): its items (具体问题), the findings its measures hang from, as
    the warehouse's item_fact keeps them."""
    return len({m.finding_id for m in x.measures if m.finding_id})


def report_id_for(plain_text: str) -> str:
    """Stable id: the same report gives the same id whatever its encoding or wrapper."""
    return hashlib.sha256(plain_text.encode("utf-8")).hexdigest()[:16]


@dataclass
class Prepared:
    """An extraction ready to be written, with where it came from."""

    report_id: str
    source_path: str
    file_name: str
    encoding: str
    source_kind: str
    extraction: Extraction

    def rows(self) -> ReportRows:
        return ReportRows(self.report_id, self.source_path, extraction_rows(self))


def extraction_rows(p: Prepared) -> dict[str, list[dict]]:
    rid, x, r = p.report_id, p.extraction, p.extraction.report
    t = r.stated_totals
    report = {
        "report_id": rid,
        "source_path": p.source_path,
        "file_name": p.file_name,
        "encoding": p.encoding,
        "source_kind": p.source_kind,
        "title": r.title,
        "issuer": r.issuer,
        "inspected_unit": r.inspected_unit,
        "inspection_kind": r.inspection_kind,
        "round": r.round,
        "team": r.team,
        "inspection_start": r.inspection_start,
        "inspection_end": r.inspection_end,
        "feedback_date": r.feedback_date,
        "publish_date": r.publish_date,
        **{f"stated_{key}": t.get(key) for key in t},
        "plain_text": x.text,
    }
    findings = [
        {
            "report_id": rid,
            "finding_id": f.id,
            "parent_id": f.parent_id,
            "level": f.level,
            "label": f.label,
            "title": f.title,
            "category": f.category,
            "status": f.status,
            "start_offset": f.start,
            "end_offset": f.end,
        }
        for f in x.findings
    ]
    measures = [
        {
            "report_id": rid,
            "measure_id": m.id,
            "finding_id": m.finding_id,
            "section": m.section,
            "ordinal": m.ordinal,
            "headline": m.headline,
            "text": m.text,
            "category": m.category,
            "status": m.status,
            "status_cue": m.status_cue,
            "start_offset": m.start,
            "end_offset": m.end,
            "deadline": m.deadline,
            "owner": m.owner,
            "evidence": m.evidence,
        }
        for m in x.measures
    ]
    metrics = [
        {
            "report_id": rid,
            "metric_no": i,
            "measure_id": mt.measure_id,
            "value": float(mt.value),
            "unit": mt.unit,
            "unit_normalized": mt.unit_normalized,
            "qualifier": mt.qualifier,
            "label": mt.label,
            "indicator": mt.indicator,
            "raw": mt.raw,
            "start_offset": mt.start,
            "end_offset": mt.end,
            "role": mt.role,
            "departments": list(mt.departments),
        }
        for i, mt in enumerate(x.metrics, start=1)
    ]
    links = []
    for m in x.measures:
        links += [
            {"report_id": rid, "measure_id": m.id, "department": d, "role": "responsible"}
            for d in dict.fromkeys(m.departments)
        ]
        links += [
            {"report_id": rid, "measure_id": m.id, "department": d, "role": "partner"}
            for d in dict.fromkeys(m.partners)
        ]
    warnings = [
        {
            "report_id": rid,
            "warning_no": i,
            "code": w.code,
            "message": w.message,
            "args": json.dumps(w.args, ensure_ascii=False, default=str) if w.args else None,
            "start_offset": w.start,
            "end_offset": w.end,
        }
        for i, w in enumerate(x.warnings, start=1)
    ]
    return {
        "report": [report],
        "finding": findings,
        "measure": measures,
        "metric": metrics,
        "measure_department": links,
        "parse_warning": warnings,
    }


def indicator_rows(rules: Rules) -> list[dict]:
    """The indicator catalogue as rows of the indicator table."""
    return [
        {"code": i.code, "name_zh": i.zh, "name_en": i.en, "unit": i.unit, "category": i.category}
        for i in rules.indicators
    ]
