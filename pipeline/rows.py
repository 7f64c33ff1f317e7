"""An extraction as the warehouse's rows: one dict per row, in schema.sql's columns."""

from __future__ import annotations

import hashlib
import json
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import date

from etl.classify import derive_finding_status, item_ids
from etl.model import Extraction, Finding, Measure, Metric, ParseWarning, ReportHeader
from etl.overrides import Change
from etl.rules import Rules, load_rules
from etl.warnings import is_settled, level_of, settled_by
from warehouse.rows import ReportRows


def item_count(x: Extraction) -> int:
    """The problems a report is counted by, everywhere (upload preview, load summary, the
    通报 page, the overview): its items (具体问题), the findings its measures hang from, as
    the warehouse's item_fact keeps them."""
    return len(item_ids(x.measures))


def report_id_for(plain_text: str, cells: Iterable[str] | None = None) -> str:
    """Stable id, 16 hex digits. A prose report's is the hash of its plain text, so the same
    report gives the same id whatever its encoding or wrapper (.txt, .html, .docx). A
    ledger's plain text leaves out its status, deadline, owner and evidence cells, so its id
    is the hash of every cell read instead (`cells`: etl.ledger.LedgerTable.identity): two
    ledgers, or two months of one ledger, that differ in any cell are two reports."""
    digest = hashlib.sha256()
    if cells is None:
        digest.update(plain_text.encode("utf-8"))
    else:
        digest.update(b"ledger\n")
        for piece in cells:
            digest.update(piece.encode("utf-8"))
    return digest.hexdigest()[:16]


@dataclass
class Prepared:
    """An extraction ready to be written, with where it came from."""

    report_id: str
    source_path: str
    file_name: str
    encoding: str
    source_kind: str
    extraction: Extraction
    # What the corrections in force changed in the extraction as read (etl.overrides):
    # undone by `etl.overrides.restore` before the corrections are applied again.
    changes: list[Change] = field(default_factory=list)

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
            "level": w.level,
        }
        for i, w in enumerate(x.warnings, start=1)
    ]
    metric_measure = {str(i): mt.measure_id for i, mt in enumerate(x.metrics, start=1)}
    corrections = [
        {
            "report_id": rid,
            "target": c.target,
            "item": c.key,
            "measure_id": {"metric": metric_measure.get(c.key), "measure": c.key}.get(c.target),
            "field": c.field,
            "before": _json(c.before),
            "after": _json(c.after),
            "by_hand": c.by_hand,
        }
        for c in p.changes
    ]
    return {
        "report": [report],
        "finding": findings,
        "measure": measures,
        "metric": metrics,
        "measure_department": links,
        "parse_warning": warnings,
        "correction": corrections,
        "review_item": review_rows(rid, x),
        "item_department": item_department_rows(rid, x),
    }


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def review_rows(report_id: str, x: Extraction) -> list[dict]:
    """What an analyst should look at in this report (the 待核查 list): one row per measure
    whose status is one the rules list for review (`review: true`, e.g. unknown) or that
    holds a warning of level review (its start inside the measure), and one for the report
    (measure_id '') when it has review-level warnings no measure holds. Info-level notes
    (sheets read, a 合计 row skipped) ask nothing of anyone and are not listed, nor are
    warnings the corrections in `x` settled (etl.warnings.is_settled)."""
    review = {s.id for s in load_rules().statuses if s.review}
    spans = sorted((m.start, m.end, m.id) for m in x.measures)
    starts = [s for s, _e, _m in spans]
    status_of = {m.id: m.status for m in x.measures}
    statuses = Counter(status_of.values())
    settle = settled_by()
    held: dict[str, list[int]] = {}
    loose: list[int] = []
    for n, w in enumerate(x.warnings, start=1):
        if w.level != "review":
            continue
        i = bisect_right(starts, w.start) - 1 if w.start is not None else -1
        inside = i >= 0 and spans[i][0] <= w.start < max(spans[i][1], spans[i][0] + 1)
        holder = spans[i][2] if inside else None
        if is_settled(w.code, statuses, status_of.get(holder), settle):
            continue  # an analyst's corrections answered it (etl.warnings.settled_by)
        if holder is not None:
            held.setdefault(holder, []).append(n)
        else:
            loose.append(n)
    figures: dict[str | None, int] = {}
    for mt in x.metrics:
        figures[mt.measure_id] = figures.get(mt.measure_id, 0) + 1
    rows = []
    if loose:
        rows.append(
            {
                "report_id": report_id,
                "measure_id": "",
                "unknown": False,
                "warnings": loose,
                "n_figures": 0,
                "start_offset": 0,
            }
        )
    for m in x.measures:
        if m.status in review or m.id in held:
            rows.append(
                {
                    "report_id": report_id,
                    "measure_id": m.id,
                    "unknown": m.status in review,
                    "warnings": held.get(m.id, []),
                    "n_figures": figures.get(m.id, 0),
                    "start_offset": m.start,
                }
            )
    return rows


def _iso(value) -> str | None:
    return value.isoformat() if isinstance(value, date) else value


def prepared_from_rows(rows: ReportRows) -> Prepared:
    """The Prepared report a ReportRows was made of (`Prepared.rows`' inverse): what the
    warehouse holds of a report is enough to apply corrections to it again without reading
    its file. Departments come back in the warehouse's order (a set), figures and warnings
    in theirs."""
    tables = rows.tables
    r = tables["report"][0]
    header = ReportHeader(
        **{f.name: _iso(r.get(f.name)) for f in fields(ReportHeader) if f.name != "stated_totals"}
    )
    header.stated_totals = {k: r.get(f"stated_{k}") for k in header.stated_totals}
    findings = [
        Finding(
            f["finding_id"],
            f["parent_id"],
            f["level"],
            f["label"],
            f["title"],
            f["category"],
            f["status"],
            f["start_offset"],
            f["end_offset"],
        )
        for f in tables.get("finding", [])
    ]
    links: dict[tuple[str, str], list[str]] = {}
    for link in tables.get("measure_department", []):
        links.setdefault((link["measure_id"], link["role"]), []).append(link["department"])
    measures = [
        Measure(
            m["measure_id"],
            m["finding_id"],
            m["section"],
            m["ordinal"],
            m["headline"],
            m["text"],
            m["category"],
            m["status"],
            m["status_cue"],
            links.get((m["measure_id"], "responsible"), []),
            links.get((m["measure_id"], "partner"), []),
            m["start_offset"],
            m["end_offset"],
            _iso(m["deadline"]),
            m["owner"],
            m["evidence"],
        )
        for m in tables.get("measure", [])
    ]
    metrics = [
        Metric(
            mt["measure_id"],
            mt["value"],
            mt["unit"],
            mt["unit_normalized"],
            mt["qualifier"],
            mt["label"],
            mt["indicator"],
            mt["raw"],
            mt["start_offset"],
            mt["end_offset"],
            mt["role"],
            list(mt.get("departments") or []),
        )
        for mt in sorted(tables.get("metric", []), key=lambda mt: mt["metric_no"])
    ]
    warnings = []
    for w in sorted(tables.get("parse_warning", []), key=lambda w: w["warning_no"]):
        args = json.loads(w["args"]) if w["args"] else {}
        # Stored before levels were kept: the catalogue's level for the code.
        level = w.get("level") or level_of(w["code"], args)
        warnings.append(
            ParseWarning(w["code"], w["message"], w["start_offset"], w["end_offset"], args, level)
        )
    changes = [
        Change(c["target"], c["item"], c["field"], json.loads(c["before"]), json.loads(c["after"]))
        for c in tables.get("correction", [])
    ]
    x = Extraction(header, findings, measures, metrics, warnings, text=r["plain_text"])
    return Prepared(
        rows.report_id,
        r["source_path"],
        r["file_name"],
        r["encoding"],
        r["source_kind"],
        x,
        changes,
    )


def item_status(statuses: list[str]) -> str | None:
    """An item's status from its measures' statuses (the spec's derivation), for the
    warehouse's upgrade of items loaded before their statuses per department were kept."""
    return derive_finding_status(statuses)


def item_department_rows(rid: str, x: Extraction) -> list[dict]:
    """Each item (具体问题) with each responsible department of its measures, and the item's
    status for that department: the spec's derivation (etl.classify.derive_finding_status)
    over that department's own measures of the item, so that under a department filter an
    item is not left open by another unit's measure."""
    own: dict[tuple[str, str], list[str]] = {}
    for m in x.measures:
        if m.finding_id:
            for d in dict.fromkeys(m.departments):
                own.setdefault((m.finding_id, d), []).append(m.status)
    open_statuses = {s.id for s in load_rules().statuses if s.open}
    return [
        {
            "report_id": rid,
            "finding_id": finding_id,
            "department": department,
            "status": derive_finding_status(statuses, open_statuses),
        }
        for (finding_id, department), statuses in own.items()
    ]


def indicator_rows(rules: Rules) -> list[dict]:
    """The indicator catalogue as rows of the indicator table."""
    return [
        {"code": i.code, "name_zh": i.zh, "name_en": i.en, "unit": i.unit, "category": i.category}
        for i in rules.indicators
    ]
