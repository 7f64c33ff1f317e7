"""The loaded reports as the 通报 and 数据 pages list them: a page at a time, searched on the
server, each report with its counts (made as every view makes them), its file name and load
time, and its parse warnings in the reader's language."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from etl.rules import load_rules
from etl.warnings import level_of, recounted, render, settled_by
from views.theme import format_date
from views.vocabulary import status_rule_words
from warehouse import queries

__all__ = ["level_of", "render_warning", "report_warnings", "reports_page", "warning_messages"]

PAGE_SIZE = 25


@dataclass(frozen=True)
class ReportsPage:
    rows: pd.DataFrame  # queries.reports_page
    total: int  # reports matching the search
    page: int  # 1-based, within 1..pages
    pages: int  # at least 1
    warnings: dict[str, list[str]]  # report id → its review-level warnings (待核查), rendered
    notes: dict[str, list[str]] = field(default_factory=dict)  # report id → its info notes

    @property
    def first(self) -> int:
        """The 1-based position of the page's first report (0 when there is none)."""
        return (self.page - 1) * PAGE_SIZE + 1 if self.total else 0

    @property
    def last(self) -> int:
        return min(self.total, self.page * PAGE_SIZE)


def name_parts(row: dict, lang: str, limit: int | None = None) -> tuple[str, str]:
    """A report's label (queries.label_sql) and what tells it apart from reports of the same
    label (queries.report_names' row): its file name, and where that is shared too, its date
    (published, else loaded); '' when nothing need tell it apart. `limit` shortens the label
    (never what tells it apart)."""
    label = row["label"]
    if limit and len(label) > limit:
        label = label[: limit - 1] + "…"
    extra = []
    if row.get("same_label", 1) > 1:
        extra.append(row["file_name"])
        if row.get("same_file", 1) > 1:
            day = row.get("publish_date")
            day = row.get("loaded_at") if day is None or pd.isna(day) else day
            extra.append(format_date(day, lang))
    extra = [e for e in extra if isinstance(e, str) and e and e != label]
    return label, ("，" if lang == "zh" else ", ").join(extra)


def distinct_name(row: dict, lang: str, limit: int | None = None) -> str:
    """The name a report goes by: its label, with what tells it apart (name_parts) in
    brackets."""
    return joined_name(*name_parts(row, lang, limit), lang)


def joined_name(label: str, extra: str, lang: str) -> str:
    """A label and what tells it apart as one name: 标题(文件名), Title (file name)."""
    if not extra:
        return label
    return f"{label}（{extra}）" if lang == "zh" else f"{label} ({extra})"


def report_names(
    con: duckdb.DuckDBPyConnection, report_ids: list[str], lang: str, limit: int | None = None
) -> dict[str, str]:
    """Report id → the name it goes by in every list, legend, footer and export: its label
    (title, else inspected unit, else file name), told apart from others of the same label
    by file name and date (distinct_name; `limit` shortens the label). Ids the warehouse
    lacks are left out."""
    if not len(report_ids):
        return {}
    frame = queries.report_names(con, list(report_ids))
    return {r["report_id"]: distinct_name(r, lang, limit) for r in frame.to_dict("records")}


def short_name(label: str, extra: str, lang: str, limit: int) -> str:
    """A name for a narrow column: the label cut to `limit` characters at its end, what
    tells it apart (a file name) cut at its start, so that its distinguishing end stays."""
    label = label if len(label) <= limit else label[: limit - 1] + "…"
    extra = extra if len(extra) <= limit else "…" + extra[-(limit - 1) :]
    return joined_name(label, extra, lang)


def report_name_parts(
    con: duckdb.DuckDBPyConnection, report_ids: list[str], lang: str
) -> dict[str, tuple[str, str]]:
    """Report id → (label, what tells it apart) of the name report_names gives it, for a
    list that shows the two on lines of their own (the explorer's 通报 column)."""
    if not len(report_ids):
        return {}
    frame = queries.report_names(con, list(report_ids))
    return {r["report_id"]: name_parts(r, lang) for r in frame.to_dict("records")}


def _field_names(code: str, args: dict, lang: str) -> dict:
    """A warning's field arguments (`field`, `fields`: the report fields it names, as the
    catalogue entry's `fields` lists them, given as "发布单位 issuer, 巡察组 team" or as a
    list of keys) in `lang`: 发布单位、巡察组 in Chinese, issuer, team in English."""
    names = next(
        (w.get("fields") for w in load_rules().raw["warnings"]["warnings"] if w["id"] == code),
        None,
    )
    if not names:
        return args
    out = dict(args)
    for key in ("field", "fields"):
        value = args.get(key)
        parts = value if isinstance(value, list) else str(value or "").split(",")
        keys = []
        for part in (str(p).strip() for p in parts):
            word = part.split()[-1] if part else ""
            keys.append(word if word in names else part)
        if value is None or not any(k in names for k in keys):
            continue
        words = [
            (names[k] if lang == "zh" else k.replace("_", " ")) if k in names else k
            for k in keys
            if k
        ]
        out[key] = ("、" if lang == "zh" else ", ").join(words)
    return out


def render_warning(code: str, args: dict | None, lang: str, stored: str = "") -> str:
    """One warning as a sentence in `lang` from the catalogue (rules/warnings.yaml), the
    report fields it names in that language too, and a status rule it names (`rule`) by what
    the rule says rather than its id; a code the catalogue lacks reads as its stored
    message."""
    args = _field_names(code, args or {}, lang)
    if args.get("rule"):
        args = {**args, "rule": status_rule_words(str(args["rule"]), lang)}
    text = render(code, args, lang)
    return stored if text == code and stored else text


def _fields(args: str | None) -> dict:
    try:
        return json.loads(args) if isinstance(args, str) and args else {}
    except ValueError:
        return {}


def warnings_now(con: duckdb.DuckDBPyConnection, report_ids: list[str]) -> pd.DataFrame:
    """queries.report_warnings, each warning that counts measures of a status
    (rules/warnings.yaml `recount`: status_unknown's n, counted at load) given `now` in its
    args: how many of the report's measures have that status in the corrected warehouse, so
    a correction never leaves the count at load shown alone; and a warning the corrections
    settled (etl.warnings.settled_by) given level info and `settled` in its args."""
    frame = queries.report_warnings(con, report_ids)
    recount = recounted()
    settle = settled_by()
    if frame.empty or not frame["code"].isin(list(settle)).any():
        return frame
    # A warning the corrections settled (etl.warnings.settled_by: no longer on the 待核查
    # list) stays a note: level info, so it raises no 待核查 mark.
    listed = queries.listed_warnings(con, report_ids)
    settled = [
        code in settle and (rid, int(no)) not in listed
        for rid, no, code in zip(
            frame["report_id"], frame["warning_no"], frame["code"], strict=True
        )
    ]
    frame["level"] = [
        "info" if done else level for done, level in zip(settled, frame["level"], strict=True)
    ]
    # Its wording says so too (rules/warnings.yaml `settled`): read so, corrected since.
    frame["args"] = [
        json.dumps({**_fields(args), "settled": True}, ensure_ascii=False) if done else args
        for done, args in zip(settled, frame["args"], strict=True)
    ]
    if not frame["code"].isin(list(recount)).any():
        return frame
    counts = queries.status_counts(con, report_ids)
    frame["args"] = [
        json.dumps(
            {**_fields(args), "now": counts.get((rid, recount[code]), 0)}, ensure_ascii=False
        )
        if code in recount
        else args
        for rid, code, args in zip(frame["report_id"], frame["code"], frame["args"], strict=True)
    ]
    return frame


def stored_warning(code: str, message: str, args: str | None, lang: str) -> str:
    """A parse_warning row's warning in `lang` (its fields stored as JSON text)."""
    return render_warning(code, _fields(args), lang, message)


def stored_level(code: str, args: str | None, level: str | None) -> str:
    """A parse_warning row's level: as stored, else (stored before levels were kept) the
    catalogue's, `review` for a code it lacks."""
    return level if isinstance(level, str) and level else level_of(code, _fields(args))


def warning_messages(
    frame: pd.DataFrame, lang: str, level: str | None = "review"
) -> dict[str, list[str]]:
    """Each report's warnings (queries.report_warnings) of one `level` ('review': those that
    raise the 待核查 mark; 'info': notes; None: both) as sentences in `lang`, from the
    catalogue (rules/warnings.yaml); a code the catalogue lacks reads as its stored message
    and counts as review, as does a warning stored before levels were kept."""
    out: dict[str, list[str]] = {}
    levels = frame["level"] if "level" in frame else [None] * len(frame)
    for rid, code, message, args, stored in zip(
        frame["report_id"], frame["code"], frame["message"], frame["args"], levels, strict=True
    ):
        if level is None or stored_level(code, args, stored) == level:
            out.setdefault(rid, []).append(stored_warning(code, message, args, lang))
    return out


def report_warnings(
    con: duckdb.DuckDBPyConnection, report_id: str, lang: str, level: str | None = "review"
) -> list[str]:
    """One report's warnings of `level` in `lang` (empty: nothing to review)."""
    frame = warnings_now(con, [report_id])
    return warning_messages(frame, lang, level).get(report_id, [])


def reports_page(
    con: duckdb.DuckDBPyConnection, search: str | None, page: int | None, lang: str
) -> ReportsPage:
    """Page `page` (1-based; past the end gives the last) of the reports matching `search`."""
    search = (search or "").strip() or None
    total = queries.report_count(con, search)
    pages = max(1, math.ceil(total / PAGE_SIZE))
    page = min(max(1, int(page or 1)), pages)
    rows = queries.reports_page(con, search, PAGE_SIZE, (page - 1) * PAGE_SIZE)
    flagged = [r for r, n in zip(rows["report_id"], rows["n_warnings"], strict=True) if n]
    frame = warnings_now(con, flagged) if flagged else None
    if frame is None:
        return ReportsPage(rows, total, page, pages, {}, {})
    review, info = warning_messages(frame, lang, "review"), warning_messages(frame, lang, "info")
    return ReportsPage(rows, total, page, pages, review, info)
