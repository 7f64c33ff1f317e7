"""整改台账 (rectification ledgers): a spreadsheet with one task per row, read into the same
extraction a report gives, so it loads, filters and exports alike.

Ledgers as staff lay them out: title rows over the header, a two-row header (a merged group
header such as 整改情况 over 完成时限 / 完成情况), 1-1 / 1-2 serials for the measures of one
problem, merged or blank problem cells that continue the problem above, 合计 rows, one sheet
per area (…方面), cover, instruction and summary sheets. Column names, status words,
deadline forms and row kinds are data (rules/ledger.yaml).

Status: in a sheet with a status column (or a 是否销号 column, or a progress column that
holds only status words) the cell decides; a blank cell, a word no rule knows, or a formula
saved without a value gives `unknown`, never completed. Only in a sheet with no such column
does the measure's own text decide, by the status cues of rules/status.yaml (spec: "the
measure's own text decides only where the ledger has no such column").

Departments: the 责任单位 column (a blank cell under a merged one is the cell above for the
same problem; otherwise blank stays blank, the column being the ledger's word). A sheet with
no such column is read as a report is: the internal units a measure's text names (a bare
党委/党组 is the inspected body's own offices), else those its problem names, else the body's
own offices from the title; an info warning says the units were read from the text. A
figure is credited as a report's is, whatever the column says: to the units its own sentence
names (a bare 党委/党组 there is the body's own offices), else to its row's units.

Everything the reader is unsure of, or leaves out, is said in `Extraction.warnings`: sheets
read and skipped and why, rows skipped and why, statuses not understood, deadlines not
understood, formula cells without a value. The ledger is also written out as plain text (one
line per area, problem and measure), which every offset points into, so a figure in a ledger
traces back like one in a report. `read_table` is the IO edge; everything else is pure.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from itertools import zip_longest
from pathlib import Path

from etl.classify import (
    classify_category,
    derive_finding_status,
    find_departments,
    find_partners,
    own_offices,
    status_decision,
    without_party_name,
)
from etl.deadlines import parse_deadline, read_deadline
from etl.errors import InputError
from etl.extract import (
    DEFAULT_CATEGORY,
    extraction_metrics,
    repeated_text_warnings,
    stated_total_warnings,
    status_default_warnings,
)
from etl.model import TOTAL_KEYS, Extraction, Finding, Measure, ParseWarning, ReportHeader
from etl.normalize import fold, normalize
from etl.rules import Rules, load_rules
from etl.totals import stated_totals
from etl.warnings import warn
from etl.workbook import Sheet, TableLimits, cell_ref, read_csv, read_xlsx

__all__ = [
    "LEDGER_SUFFIXES",
    "Ledger",
    "LedgerTable",
    "as_ledger",
    "deadline_band",
    "filled_date",
    "find_header",
    "ledger_extraction",
    "map_columns",
    "parse_deadline",
    "read_table",
    "row_totals",
    "sheet_kind",
    "status_from_cells",
    "status_word",
]

LEDGER_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".et", ".csv"}
# Spreadsheet formats we do not parse: one line saying what to do instead.
_SAVE_AS_XLSX = {
    ".xls": "old Excel .xls workbooks cannot be read",
    ".et": "WPS .et spreadsheets cannot be read",
}
_OLE = b"\xd0\xcf\x11\xe0"  # the container of .xls, .et and .doc files
_SPACE = re.compile(r"\s+")
_SPLIT_NAMES = re.compile(r"[、,,;;/\n]+")
_NUMERIC = re.compile(r"^[\d.\-/:年月日%\s]+$")
_TEXT_FIELDS = ("problem", "measure", "progress")
_LEAD = 12  # characters of a cell enough to tell a 合计 or 注: row by its start
_TRAILING_BRACKETS = re.compile(r"[(\uff08]([^()\uff08\uff09]*)[)\uff09]\s*$")


def _squash(text: str) -> str:
    """Folded, without spaces or line breaks: how names and words are compared."""
    return _SPACE.sub("", fold(text))


# -- reading (IO) ------------------------------------------------------------------------


@dataclass(frozen=True)
class LedgerTable:
    """A workbook's sheets (one for a CSV file), as read by etl.workbook."""

    sheets: list[Sheet]
    encoding: str

    def identity(self) -> Iterator[str]:
        """Every cell read, sheet by sheet, as canonical text pieces (JSON), whatever the
        file's encoding or format details: what a ledger's report id is a hash of. Two
        ledgers differing in any cell (a status, a deadline, an owner, evidence, a unit …)
        give different pieces; the same cells saved in GB18030 or UTF-8 give the same."""
        for sheet in self.sheets:
            head = [sheet.name, sheet.hidden, sorted(sheet.no_value)]
            yield json.dumps(head, ensure_ascii=False) + "\n"
            for number, row in zip_longest(sheet.numbers, sheet.rows):
                yield json.dumps([number, row], ensure_ascii=False) + "\n"


def read_table(path: Path) -> LedgerTable:
    """Every sheet of an .xlsx workbook, or the rows of a CSV file, bounded by the limits of
    rules/reader.yaml. Raises InputError for .xls/.et files (save them as .xlsx), damaged or
    hostile files, and tables past the limits."""
    from etl.reader import _read_bytes, decode_bytes

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in _SAVE_AS_XLSX:
        raise InputError(
            path,
            _SAVE_AS_XLSX[suffix],
            "open it in Excel or WPS and save it as .xlsx",
            "save_as",
            suffix=suffix,
        )
    raw = _read_bytes(path)
    limits = TableLimits.from_rules()
    if suffix == ".csv":
        if raw[:4] in (b"PK\x03\x04", _OLE):
            raise InputError(
                path,
                "is a spreadsheet workbook under a .csv name, not CSV text",
                "save it as .xlsx (or as CSV) from Excel or WPS",
                "csv_is_workbook",
            )
        try:
            encoding, text = decode_bytes(raw, path)
        except InputError as exc:
            raise InputError(
                path,
                f"not a readable CSV text file ({exc.problem})",
                "save it again from Excel or WPS as CSV (UTF-8) or as .xlsx",
                "csv_unreadable",
            ) from exc
        return LedgerTable([read_csv(text, path, limits)], encoding)
    if raw[:4] == _OLE:
        raise InputError(
            path,
            "is an old .xls or WPS workbook under an .xlsx name",
            "open it in Excel or WPS and save it as .xlsx",
            "save_as",
            suffix=".xls",
        )
    if raw[:2] != b"PK":
        raise InputError(
            path,
            "not an Excel .xlsx workbook",
            "open it in Excel or WPS and save it as .xlsx",
            "unreadable",
            programs="excel",
        )
    return LedgerTable(read_xlsx(raw, path, limits), "xlsx")


# -- the header and the columns -----------------------------------------------------------


def _column_synonyms(rules: Rules) -> list[tuple[str, str]]:
    """(folded synonym, field), longest first, so 问题描述 wins over 问题."""
    key = ("ledger", "_synonyms")
    if key not in rules.compiled:
        pairs = [(fold(s), c["field"]) for c in rules.ledger["columns"] for s in c["synonyms"]]
        rules.compiled[key] = sorted(pairs, key=lambda p: -len(p[0]))
    return rules.compiled[key]


def _column_field(name: str, rules: Rules) -> tuple[str, int] | None:
    """(field, score) that a header cell names; None for a title, a count or no name."""
    key = _squash(name)
    if not key or len(key) > rules.ledger["header"]["max_chars"]:
        return None
    if rules.ledger_rx("count_column").search(key):
        return None
    for synonym, field_name in _column_synonyms(rules):
        if synonym in key:
            return field_name, len(synonym) + (100 if key == synonym else 0)
    return None


def map_columns(header: list[str], rules: Rules) -> dict[str, int]:
    """Each field's column: the column that names it best (a whole-cell name, then the
    longest synonym it holds; the leftmost on a tie). A merged title repeated across the row
    names one field at most, as its cells are one text."""
    best: dict[str, tuple[int, int]] = {}
    for index, name in enumerate(header):
        found = _column_field(name, rules)
        if found and (found[0] not in best or found[1] > best[found[0]][0]):
            best[found[0]] = (found[1], index)
    return {f: i for f, (_, i) in best.items()}


@dataclass(frozen=True)
class Header:
    first: int  # index of the header's first row (a group header row, if any)
    last: int  # index of its last row; data start below it
    columns: dict[str, int]
    names: list[str]  # each column's name (the lower row's, where a group header spans it)


def find_header(rows: list[list[str]], rules: Rules) -> Header | None:
    """The header among the sheet's first rows: the row naming the most fields (at least
    `min_fields`, the problem or the measure among them), joined by a header-like row right
    above or below it (a two-row header). None when no row qualifies."""
    settings = rules.ledger["header"]
    best = None
    for index, row in enumerate(rows[: settings["scan_rows"]]):
        columns = map_columns(row, rules)
        enough = len(columns) >= settings["min_fields"] and {"problem", "measure"} & set(columns)
        if enough and (best is None or len(columns) > len(best[1])):
            best = (index, columns)
    if best is None:
        return None
    index = best[0]
    first = index - 1 if index > 0 and _header_like(rows[index - 1], rules) else index
    below = rows[index + 1] if index + 1 < len(rows) else []
    last = index + 1 if _header_like(below, rules) and _under_groups(below, rows[index]) else index
    width = max(len(r) for r in rows[first : last + 1])
    names = []
    for c in range(width):
        below_first = [rows[r][c] for r in range(last, first - 1, -1) if c < len(rows[r])]
        names.append(next((n for n in below_first if n), ""))
    return Header(first, last, map_columns(names, rules), names)


def _under_groups(row: list[str], header: list[str]) -> bool:
    """Whether each name in `row` sits under the same name (a merged cell) or under a group
    header: a blank, or a name that spans the cells beside it (merged, or saved as CSV with
    blanks after it)."""
    for c, text in enumerate(row):
        above = header[c] if c < len(header) else ""
        if not text or text == above or not above:
            continue
        left = header[c - 1] if c > 0 else None
        right = header[c + 1] if c + 1 < len(header) else ""
        if above not in (left, right) and right:
            return False
    return True


def _header_like(row: list[str], rules: Rules) -> bool:
    """A row of column names: short cells, no figures or dates, at least half of them naming
    a field. One text alone is a group header only away from the first column (there it is
    a title, merged across or not)."""
    texts = list(dict.fromkeys(c for c in row if c))
    if not texts or any(_NUMERIC.match(t) for t in texts):
        return False
    if len(texts) == 1 and row and row[0]:
        return False
    named = sum(1 for t in texts if _column_field(t, rules))
    too_long = any(len(_squash(t)) > rules.ledger["header"]["max_chars"] for t in texts)
    return named >= 1 and not too_long and 2 * named >= len(texts)


# -- the ledger's structure ---------------------------------------------------------------


@dataclass
class Row:
    number: int  # the row's number in its sheet (1-based)
    cells: list[str]
    kind: str  # "task" or "area" (a heading row: 一、…方面)
    heading: str = ""  # the area an area row heads, as written (一、党的建设方面)
    values: dict[str, str] = field(default_factory=dict)  # a task row's cells by field


@dataclass
class LedgerSheet:
    name: str | None
    area: str | None  # the area the sheet is named after (…方面), if it is
    columns: dict[str, int]
    rows: list[Row]
    no_value: set[tuple[int, int]]  # (row number, column) of formulas saved without a value
    status_from_text: bool  # no status or 销号 column: the measure's text decides

    def cell(self, row: Row, field_name: str) -> str:
        return row.values.get(field_name, "")


@dataclass
class Ledger:
    """What as_ledger understood of a workbook: its ledger sheets with their task rows, and
    what the title, the 填报 lines, 合计 rows and summary sheets say."""

    title: str | None
    sheets: list[LedgerSheet]
    publish_date: str | None = None
    year: int | None = None  # the year the ledger states, for deadlines without one
    stated_totals: dict = field(default_factory=lambda: dict.fromkeys(TOTAL_KEYS))
    warnings: list[ParseWarning] = field(default_factory=list)
    sheet_refs: bool = False  # cell references name the sheet (a workbook of several)


class _Notes:
    """Warnings in order; row and cell warnings of one code up to `cap`, then one line with
    how many more."""

    def __init__(self, rules: Rules, items: list[ParseWarning] | None = None):
        self.cap = int(rules.ledger["warning_cap"])
        self.items = list(items or [])
        self.counts: Counter = Counter()

    def add(self, code: str, start: int | None = None, end: int | None = None, **args) -> None:
        self.counts[code] += 1
        if self.counts[code] <= self.cap:
            self.items.append(warn(code, start, end, **args))

    def done(self) -> list[ParseWarning]:
        more = [
            warn("ledger_more", kind=code, n=n - self.cap)
            for code, n in self.counts.items()
            if n > self.cap
        ]
        return self.items + more


def as_ledger(table: LedgerTable, rules: Rules, where: str) -> Ledger:
    """The workbook's ledger sheets, their header and task rows; which sheets and rows were
    left out is said in `warnings`. Raises InputError when no sheet has a ledger header."""
    notes = _Notes(rules)
    content = [s for s in table.sheets if s.rows]
    sheet_refs = len(content) > 1
    ledger = Ledger(None, [], sheet_refs=sheet_refs)
    seen_tasks: set[tuple[str, str]] = set()
    read, skipped, above, covers = [], [], [], []
    for sheet in content:
        name = sheet.name or ""
        if sheet.hidden:
            notes.add("ledger_sheet_hidden", sheet=name)
            skipped.append(name)
            continue
        kind = sheet_kind(name, rules)
        header = None if kind in ("cover", "instructions") else find_header(sheet.rows, rules)
        if kind == "cover":
            covers.append(_title(sheet.rows, rules))
        counts = _summary_totals(sheet, rules) if kind == "summary" or header is None else {}
        if header and kind == "summary" and "measure" not in header.columns and counts:
            header = None  # counts by area or status, whatever other columns it names
        if header is None:
            top = " ".join(c for c in sheet.rows[0] if c)
            kind = kind or sheet_kind(top, rules)
            if kind == "summary":
                _fill_totals(ledger.stated_totals, counts)
            above.extend(" ".join(dict.fromkeys(c for c in r if c)) for r in sheet.rows[:3])
            notes.add(f"ledger_sheet_{kind or 'no_header'}", sheet=name)
            skipped.append(name)
            continue
        parsed, title, footer = _ledger_sheet(
            sheet, header, rules, notes, sheet_refs, ledger.stated_totals
        )
        tasks = {_task_key(parsed, r) for r in parsed.rows if r.kind == "task"}
        if tasks and tasks <= seen_tasks:
            notes.add("ledger_sheet_duplicate", sheet=name)
            skipped.append(name)
            continue
        seen_tasks |= tasks
        ledger.sheets.append(parsed)
        read.append(name)
        if ledger.title is None and title:
            ledger.title = _strip_area(title, parsed.area)
        above.extend(" ".join(dict.fromkeys(c for c in r if c)) for r in sheet.rows[: header.first])
        above.extend(footer)
    if not ledger.sheets:
        raise InputError(
            where,
            "no ledger header found (a row naming columns such as 序号, 问题, 整改措施, 责任单位)"
            + (
                f"; sheets left out: {'、'.join(named)}"
                if (named := [n for n in skipped if n])
                else ""
            ),
            "check the sheet, or add the column names your ledger uses to etl/rules/ledger.yaml",
            "ledger_no_header",
        )
    ledger.title = ledger.title or next((t for t in covers if t), None)
    if sheet_refs:
        notes.items.insert(0, warn("ledger_sheets_read", sheets="、".join(f"“{n}”" for n in read)))
    ledger.publish_date, filled_year = filled_date(above, rules)
    title_year = rules.ledger_rx("title_year").search(fold(ledger.title or ""))
    ledger.year = int(title_year.group("y")) if title_year else filled_year
    ledger.warnings = notes.done()
    return ledger


def sheet_kind(text: str, rules: Rules) -> str | None:
    """'cover', 'instructions' or 'summary' when a sheet's name (or title) says so."""
    folded = _squash(text)
    for i, rule in enumerate(rules.ledger["sheets"]):
        if folded and rules.ledger_rx("sheets", i).search(folded):
            return rule["kind"]
    return None


def _strip_area(title: str, area: str | None) -> str:
    """A per-area sheet's title without its area: 某局台账（党的建设方面） → 某局台账."""
    if area:
        m = _TRAILING_BRACKETS.search(title)
        if m and _squash(m.group(1)) == _squash(area):
            return title[: m.start()].rstrip()
    return title


def _task_key(sheet: LedgerSheet, row: Row) -> tuple[str, str]:
    return _squash(sheet.cell(row, "problem")), _squash(sheet.cell(row, "measure"))


def _ledger_sheet(
    sheet: Sheet, header: Header, rules: Rules, notes: _Notes, sheet_refs: bool, totals: dict
):
    """(LedgerSheet, its title, its note lines): task and area rows under the header; 合计
    rows (their counts into `totals`), notes and repeated headers left out with a warning."""
    columns = dict(header.columns)
    name = sheet.name or ""
    area = rules.ledger_rx("area_sheet").search(_squash(name)) if name else None

    def ref(column: int, number: int) -> str:
        at = cell_ref(column, number)
        return f"{name}!{at}" if sheet_refs else at

    body = sheet.rows[header.last + 1 :]
    # A progress column of status words is the status column, beside a 是否销号 column too
    # (the status column decides; 销号 only where its cell says nothing).
    if "status" not in columns and "progress" in columns and _status_like(body, columns, rules):
        columns["status"] = columns.pop("progress")
    status_from_text = "status" not in columns and "closed" not in columns
    rows: list[Row] = []
    footer: list[str] = []
    text_columns = [columns[f] for f in _TEXT_FIELDS if f in columns]
    total_rx, note_rx = rules.ledger_rx("rows", "total"), rules.ledger_rx("rows", "note")
    for i in range(header.last + 1, len(sheet.rows)):
        cells, number = sheet.rows[i], sheet.numbers[i]
        filled = [(c, t) for c, t in enumerate(cells) if t]
        if not filled:
            continue
        texts = list(dict.fromkeys(t for _, t in filled))
        lead = _squash(texts[0][:_LEAD])
        joined = " ".join(texts)
        at = ref(filled[0][0], number)
        if total_rx.match(lead) or any(
            total_rx.match(_squash(cells[columns[f]][:_LEAD]))
            for f in ("seq", "problem")
            if f in columns and columns[f] < len(cells)
        ):
            notes.add("ledger_total_row", ref=at, text=_clip(joined))
            _fill_totals(totals, row_totals(joined, rules))
        elif note_rx.match(lead):
            notes.add("ledger_note_row", ref=at, text=_clip(joined))
            footer.append(joined)
        elif _repeats_header(filled, header.names, len(columns)):
            notes.add("ledger_header_repeated", ref=at)
        elif heading := _area_heading(cells, texts, filled, columns, rules):
            rows.append(Row(number, cells, "area", heading))
        elif not any(cells[c] for c in text_columns if c < len(cells)):
            notes.add("ledger_row_no_text", ref=at, text=_clip(joined))
        else:
            values = {f: cells[c] for f, c in columns.items() if c < len(cells) and cells[c]}
            rows.append(Row(number, cells, "task", values=values))
    title = _title(sheet.rows[: header.first], rules)
    parsed = LedgerSheet(
        name or None,
        area.group("area") if area else None,
        columns,
        rows,
        sheet.no_value,
        status_from_text,
    )
    return parsed, title, footer


def _area_heading(cells, texts, filled, columns: dict[str, int], rules: Rules) -> str | None:
    """The area a row heads, or None: one text merged across the row or worded as an area
    (一、党的建设方面), or an area serial (一, (二)) beside one text, with no measure."""
    if len(texts) == 1:
        if len(filled) > 1 or rules.ledger_rx("rows", "area").search(_squash(texts[0])):
            return texts[0]
        return None
    seq = columns.get("seq")
    measure = columns.get("measure")
    if len(texts) != 2 or seq is None or seq >= len(cells) or cells[seq] != texts[0]:
        return None
    if measure is not None and measure < len(cells) and cells[measure]:
        return None
    if not rules.ledger_rx("rows", "area_serial").match(_squash(texts[0])):
        return None
    marker = texts[0] if texts[0][-1:] in "、.)）" else texts[0] + "、"
    return marker + texts[1]


def _repeats_header(filled: list[tuple[int, str]], names: list[str], fields: int) -> bool:
    """A row that repeats the header's names in place (as a table printed over pages does)."""
    c, first = filled[0]
    if c >= len(names) or first != names[c]:
        return False
    same = sum(1 for c, t in filled if c < len(names) and t == names[c])
    return same >= max(2, fields // 2)


def _status_like(rows: list[list[str]], columns: dict[str, int], rules: Rules) -> bool:
    """Whether the progress column holds status words only (已完成, 正在整改), as a 完成情况
    column under a group header often does."""
    settings = rules.ledger["status_like"]
    col = columns["progress"]
    total_rx = rules.ledger_rx("rows", "total")
    text_cols = [columns[f] for f in ("problem", "measure") if f in columns]

    def task_like(r: list[str]) -> bool:
        # A task's cell: not a heading merged across the row (一、…方面 repeated in every
        # cell it spans), not a 合计 row, beside a problem or measure of its own.
        texts = [r[c] for c in text_cols if c < len(r) and r[c]]
        lead = next((t for t in r if t), "")
        return any(t != r[col] for t in texts) and not total_rx.match(_squash(lead[:_LEAD]))

    cells = [r[col] for r in rows if col < len(r) and r[col] and task_like(r)]
    if not cells:
        return False
    words = sum(
        1
        for c in cells
        if len(_squash(c)) <= settings["max_chars"] and status_word(c, rules) is not None
    )
    return words >= settings["share"] * len(cells)


def _title(rows: list[list[str]], rules: Rules) -> str | None:
    """The first row above the header that is not an attachment label or a 填报 line; a
    merged title repeats in every cell it spans, so each text counts once."""
    skip = rules.ledger_rx("title_skip")
    for row in rows:
        text = " ".join(dict.fromkeys(c for c in row if c))
        if text and not skip.search(_squash(text)):
            return text
    return None


def filled_date(lines: list[str], rules: Rules) -> tuple[str | None, int | None]:
    """(publish date, year) from a 填报时间 line; the year alone when the day is not given."""
    rx = rules.ledger_rx("filled_date")
    for line in lines:
        m = rx.search(_squash(line))
        if m:
            year = int(m.group("y"))
            iso = None
            if m.group("m") and m.group("d"):
                try:
                    iso = date(year, int(m.group("m")), int(m.group("d"))).isoformat()
                except ValueError:
                    iso = None
            return iso, year
    return None, None


def row_totals(text: str, rules: Rules) -> dict:
    """Counts a 合计 row states: the report rules of totals.yaml, then the ledger's own."""
    folded = fold(text)
    totals = stated_totals(folded, rules)
    for i, rule in enumerate(rules.ledger["totals"]):
        m = rules.ledger_rx("totals", i).search(folded)
        if m and totals.get(rule["key"]) is None:
            totals[rule["key"]] = int(m.group("n"))
    return totals


def _summary_totals(sheet: Sheet, rules: Rules) -> dict:
    """Counts a summary sheet states: its 合计 row, else the sum of its rows, under columns
    such as 问题数 and 已完成 (rules/ledger.yaml `summary_columns`)."""
    specs = rules.ledger["summary_columns"]
    total_rx = rules.ledger_rx("rows", "total")
    for h, row in enumerate(sheet.rows[: rules.ledger["header"]["scan_rows"]]):
        keys = {}
        for c, text in enumerate(row):
            for i, spec in enumerate(specs):
                if text and rules.ledger_rx("summary_columns", i).search(_squash(text)):
                    keys.setdefault(spec["key"], c)
                    break
        if not keys:
            continue
        data = sheet.rows[h + 1 :]
        totals_row = next(
            (r for r in data if any(total_rx.match(_squash(t)) for t in r if t)), None
        )
        rows = [totals_row] if totals_row else data
        out = {}
        for key, c in keys.items():
            values = [_number(r[c]) if c < len(r) else None for r in rows]
            values = [v for v in values if v is not None]
            if values and (key != "completion_rate_pct" or len(values) == 1):
                out[key] = sum(values)
        return out
    return {}


def _number(text: str) -> int | float | None:
    try:
        value = float(text.strip().rstrip("%"))
    except ValueError:
        return None
    return int(value) if value.is_integer() else value


def _fill_totals(totals: dict, found: dict) -> None:
    for key, value in found.items():
        if value is not None and totals.get(key) is None:
            totals[key] = value


def _clip(text: str, n: int = 40) -> str:
    text = _SPACE.sub(" ", text).strip()
    return text if len(text) <= n else text[: n - 1] + "…"


# -- cells to values ---------------------------------------------------------------------


def status_word(text: str, rules: Rules, _year: int | None = None) -> str | None:
    """The status a status or 销号 cell states by the words in rules/ledger.yaml, or None
    when no rule knows it (or the cell is blank)."""
    cell = _squash(text or "").upper()
    if not cell:
        return None
    for i, rule in enumerate(rules.ledger["statuses"]):
        if "pattern" in rule:
            if rules.ledger_rx("statuses", i).search(cell):
                return rule["status"]
            continue
        words = rule["words"]
        if rule.get("whole"):
            if cell.strip("。.!!") in (w.upper() for w in words):
                return rule["status"]
        elif any(w in cell for w in words):
            return rule["status"]
    return None


def status_from_cells(status_cell: str, closed_cell: str, rules: Rules) -> str | None:
    """The status the ledger states: the status column's word, else the 销号 column's;
    None when neither states one (the caller decides `unknown`)."""
    return status_word(status_cell, rules) or status_word(closed_cell, rules)


def deadline_band(
    days_left: int | None, status: str | None, rules: Rules | None = None
) -> str | None:
    """The warning band of an open task by days left (rules/ledger.yaml); None when the task
    is done or has no deadline."""
    if days_left is None or status == "completed":
        return None
    for band in (rules or load_rules()).ledger["warnings"]:
        if band["max_days"] is None or days_left <= band["max_days"]:
            return band["id"]
    return None


# -- the extraction ----------------------------------------------------------------------


class _PlainText:
    """The ledger written out line by line; each line's offsets."""

    def __init__(self):
        self.lines: list[str] = []
        self.offset = 0

    def add(self, text: str) -> tuple[int, int]:
        text = _SPACE.sub(" ", text).strip()
        start = self.offset
        self.lines.append(text)
        self.offset += len(text) + 1
        return start, start + len(text)

    def text(self) -> str:
        return "\n".join(self.lines)


class _Builder:
    """Findings and measures from the task rows, sheet by sheet. `home` is the inspected
    body's own offices (etl.classify.own_offices of the title's unit), or None."""

    def __init__(self, ledger: Ledger, rules: Rules, home: str | None = None):
        self.ledger, self.rules, self.home = ledger, rules, home
        # Measures of sheets without a department column: (how many, how many name a unit).
        self.from_text_units = [0, 0]
        self.plain = _PlainText()
        self.findings: list[Finding] = []
        self.measures: list[Measure] = []
        self.areas: dict[str, Finding] = {}
        self.notes = _Notes(rules, ledger.warnings)
        self.from_text: set[str] = set()  # measures whose status their text decides
        self.who: dict[tuple[str | None, str], str] = {}  # (finding, field) → the cell above
        self.memo: dict[tuple, object] = {}
        self.sub_serial = rules.ledger_rx("rows", "sub_serial")

    def ref(self, sheet: LedgerSheet, field_name: str, row: Row) -> str:
        at = cell_ref(sheet.columns.get(field_name, 0), row.number)
        return f"{sheet.name}!{at}" if self.ledger.sheet_refs else at

    def sheet(self, sheet: LedgerSheet) -> None:
        self.current: Finding | None = None
        self.major: str | None = None
        self.pending: Row | None = None  # a problem row with no measure yet
        area = sheet.area
        carried_area = ""
        for row in sheet.rows:
            if row.kind == "area":
                self._flush(sheet)
                area = row.heading
                carried_area = ""
                self.current = None
                continue
            if "area" in sheet.columns:
                carried_area = sheet.cell(row, "area") or carried_area
            self.task(sheet, row, carried_area or area)
        self._flush(sheet)

    def _area(self, name: str | None) -> Finding | None:
        """The area finding of that name (一、党的建设方面: label 一、, title 党的建设方面)."""
        if not name:
            return None
        if name not in self.areas:
            start, end = self.plain.add(name)
            line = self.plain.lines[-1]
            folded = fold(line)
            marker = self.rules.ledger_rx("rows", "area_marker").match(folded)
            if len(folded) != len(line):
                marker = None  # the offsets would not carry over
            cut = marker.end() if marker else 0
            self.areas[name] = Finding(
                f"A{len(self.areas) + 1}",
                None,
                "area",
                line[:cut].strip(),
                line[cut:],
                start=start + cut,
                end=end,
            )
            self.findings.append(self.areas[name])
        return self.areas[name]

    def task(self, sheet: LedgerSheet, row: Row, area_name: str | None) -> None:
        problem = sheet.cell(row, "problem")
        measure = sheet.cell(row, "measure")
        progress = sheet.cell(row, "progress")
        seq = sheet.cell(row, "seq").rstrip("、.,，．")
        sub = self.sub_serial.match(_squash(seq)) if seq else None
        major = sub.group("major") if sub else None
        area = self._area(area_name)
        parent = area.id if area else None
        current = self.current
        if current is not None and current.parent_id != parent:
            current = None
        serial_break = bool(major and self.major and major != self.major)
        if "problem" not in sheet.columns:
            new = current is None or not sub or serial_break
        elif problem:
            new = current is None or _squash(problem) != _squash(current.title) or serial_break
        else:
            new = current is None or serial_break
            if new:
                self.notes.add("ledger_problem_blank", ref=self.ref(sheet, "problem", row))
        if new:
            self._flush(sheet)
            label = major or seq
            title = problem or measure or progress
            start, end = self.plain.add(f"{label}、{title}" if label else title)
            offset = len(label) + 1 if label else 0
            self.current = Finding(
                f"F{len(self.findings) + 1}",
                parent,
                "item",
                label,
                title,
                start=start + offset,
                end=end,
            )
            self.findings.append(self.current)
            for name in ("department", "partner", "owner"):
                self._who(sheet, row, name)  # a heading row's units hold for its measures
            self.major = major
            if problem and not (measure or progress):
                self.pending = row  # the measures may follow on rows of their own
                return
        else:
            self.major = major or self.major
            if measure or progress:
                self.pending = None  # the problem row was a heading: its measures follow
            else:
                self._flush(sheet)
        self._measure(sheet, row)

    def _flush(self, sheet: LedgerSheet) -> None:
        """A problem row that no measure row followed stands as its own measure."""
        if self.pending is not None:
            row, self.pending = self.pending, None
            self._measure(sheet, row)

    def _measure(self, sheet: LedgerSheet, row: Row) -> None:
        rules = self.rules
        parts = [sheet.cell(row, f) for f in ("measure", "progress")]
        text = "。".join(p.rstrip("。") for p in parts if p) or sheet.cell(row, "problem")
        if text and not text.endswith(("。", ".", "!", "?", "!", "?")):
            text += "。"
        start, end = self.plain.add(text)
        text = self.plain.lines[-1]
        m_id = f"M{len(self.measures) + 1}"
        status, cue = self._status(sheet, row, start, end)
        if status is None:
            self.from_text.add(m_id)
        deadline = self._deadline(sheet, row, start, end)
        if "department" in sheet.columns:
            departments = self._names(self._who(sheet, row, "department"))
        else:
            departments = self._named_in_text(text)
        partners = self._names(self._who(sheet, row, "partner"))
        partners = [p for p in partners if p not in departments]
        self._formula_warnings(sheet, row, start, end)
        self.measures.append(
            Measure(
                id=m_id,
                finding_id=self.current.id if self.current else None,
                section="findings",
                ordinal=len(self.measures) + 1,
                headline=text.split("。", 1)[0][:60] or None,
                text=text,
                status=status,
                status_cue=cue,
                departments=departments,
                partners=partners or find_partners(fold(text), departments, rules),
                start=start,
                end=end,
                deadline=deadline,
                owner=self._who(sheet, row, "owner") or None,
                evidence=sheet.cell(row, "evidence") or None,
            )
        )

    def _memo(self, compute, text: str):
        """compute(text, rules, year), once per distinct text (ledgers repeat units, status
        words and dates)."""
        key = (compute, text)
        if key not in self.memo:
            self.memo[key] = compute(text, self.rules, self.ledger.year)
        return self.memo[key]

    def _names(self, text: str) -> list[str]:
        return list(self._memo(_names, text))

    def _named_in_text(self, text: str) -> list[str]:
        """The units of a measure in a sheet with no department column, as a report's are
        found: the internal units its text names (a bare 党委/党组 is the body's own offices),
        else those its problem names (whose problem it is answers it), else the inspected
        body's own offices; [] when the ledger's title names no body either."""
        rules, home = self.rules, self.home
        named = find_departments(fold(text), rules, home)
        if not named and self.current:
            named = find_departments(fold(self.current.title), rules, home)
        self.from_text_units[0] += 1
        self.from_text_units[1] += bool(named)
        return named or ([home] if home else [])

    def _who(self, sheet: LedgerSheet, row: Row, field_name: str) -> str:
        """The department, partner or owner cell; blank on a later row of the same problem, it
        is the one above (a merged cell saved as CSV keeps its value in the first row only)."""
        value = sheet.cell(row, field_name)
        key = (self.current.id if self.current else None, field_name)
        if value:
            self.who[key] = value
        return value or self.who.get(key, "")

    def _status(self, sheet: LedgerSheet, row: Row, start: int, end: int):
        """(status, cue) from the status column, else the 销号 column; `unknown` when they
        say nothing readable; (None, None) when the sheet has neither (the text decides)."""
        if sheet.status_from_text:
            return None, None
        reason = None
        for field_name in ("status", "closed"):
            col = sheet.columns.get(field_name)
            if col is None:
                continue
            text = sheet.cell(row, field_name)
            if (row.number, col) in sheet.no_value:
                reason = reason or ("ledger_formula_no_value", {})
                continue
            if not text:
                continue
            status = self._memo(status_word, text)
            if status:
                return status, text
            reason = reason or ("ledger_status_unreadable", {"text": _clip(text)})
        code, args = reason or ("ledger_status_blank", {})
        field_name = "status" if "status" in sheet.columns else "closed"
        if code != "ledger_formula_no_value":  # said once per cell by _formula_warnings
            self.notes.add(code, start, end, ref=self.ref(sheet, field_name, row), **args)
        return "unknown", None

    def _deadline(self, sheet: LedgerSheet, row: Row, start: int, end: int) -> str | None:
        text = sheet.cell(row, "deadline")
        found = self._memo(_deadline_of, text)
        if found.problem:
            self.notes.add(
                f"ledger_deadline_{found.problem}",
                start,
                end,
                ref=self.ref(sheet, "deadline", row),
                text=_clip(text),
            )
        return found.iso

    def _formula_warnings(self, sheet: LedgerSheet, row: Row, start: int, end: int) -> None:
        for field_name, col in sheet.columns.items():
            if (row.number, col) in sheet.no_value:
                self.notes.add(
                    "ledger_formula_no_value", start, end, ref=self.ref(sheet, field_name, row)
                )


def ledger_extraction(ledger: Ledger, rules: Rules | None = None, name: str = "") -> Extraction:
    """The ledger as an extraction: one finding per problem (rows of one problem share it:
    1-1/1-2 serials, merged or blank problem cells), one measure per task row, areas from
    area rows, an area column or the sheet's name, figures found in the measure and
    progress text; `warnings` carry what as_ledger left out and what a cell did not say."""
    rules = rules or load_rules()
    title = ledger.title or Path(name).stem or "整改台账"
    header = _header(title, ledger, rules)
    home = own_offices(header.inspected_unit, rules)
    build = _Builder(ledger, rules, home)
    build.plain.add(title)
    for sheet in ledger.sheets:
        build.sheet(sheet)
    findings, measures = build.findings, build.measures
    plain = build.plain.text()
    norm = normalize(plain)
    folded = {m.id: norm.text[slice(*norm.to_folded(m.start, m.end))] for m in measures}
    for f in findings:
        f.category = classify_category(fold(f.title), rules)
    by_id = {f.id: f for f in findings}
    by_finding: dict[str | None, list[str]] = {}
    defaults: dict[str, str] = {}  # measure id → the default rule that set its status
    for m in measures:
        own = classify_category(folded[m.id], rules)
        m.category = own or (by_id[m.finding_id].category if m.finding_id else None)
        m.category = m.category or DEFAULT_CATEGORY
        if m.id in build.from_text:
            decided = status_decision(folded[m.id], "findings", rules)
            m.status, m.status_cue = decided.status, decided.cue
            if decided.default and decided.rule:
                defaults[m.id] = decided.rule
        by_finding.setdefault(m.finding_id, []).append(m.status)
    for f in findings:  # problems before their areas: an area's statuses are its problems'
        if f.level != "area" and f.parent_id:
            by_finding.setdefault(f.parent_id, []).extend(by_finding.get(f.id, []))
    open_statuses = {s.id for s in rules.statuses if s.open}
    for f in findings:
        f.category = f.category or DEFAULT_CATEGORY
        f.status = derive_finding_status(by_finding.get(f.id, []), open_statuses)
    repeats: dict = {}
    # A figure's own words credit units as a report's do: a bare 党委/党组 is the body's own.
    metrics = extraction_metrics(norm, plain, measures, folded, 0, len(plain), rules, home, repeats)
    notes = build.notes
    unknown = sum(1 for m in measures if m.status == "unknown")
    if unknown:
        notes.items.append(warn("status_unknown", n=unknown))
    notes.items += status_default_warnings(measures, defaults, rules)
    notes.items += stated_total_warnings(header.stated_totals, findings, measures, metrics, rules)
    notes.items += repeated_text_warnings(repeats, rules)
    n, named = build.from_text_units
    if n:  # departments a sheet without a 责任单位 column left to the measures' words
        counts = {"n": n, "named": named, "rest": n - named}
        if home:
            notes.items.append(warn("ledger_departments_from_text", home=home, **counts))
        else:
            notes.items.append(warn("ledger_departments_from_text_no_body", **counts))
    if not measures:
        notes.items.append(warn("no_findings"))
    return Extraction(header, findings, measures, metrics, notes.done(), text=plain)


def _header(title: str, ledger: Ledger, rules: Rules) -> ReportHeader:
    header = ReportHeader(title=title)
    folded = _squash(title)
    m = rules.ledger_rx("title").search(folded)
    header.inspected_unit = m.group("unit") if m else None
    if m and header.inspected_unit and m.group("issuer") != header.inspected_unit:
        # 中共某县水利局党组 keeps the 某县水利局: the party's name goes with its organ.
        header.inspected_unit = without_party_name(header.inspected_unit, rules)
    before = folded.split("关于", 1)[0] if "关于" in folded else None
    header.issuer = (
        before if before and 2 <= len(before) <= 40 else (m.group("issuer") if m else None)
    )
    header.inspection_kind = "巡视" if "巡视" in title else ("巡察" if "巡察" in title else None)
    for key in ("header.round_in_title", "header.round_in_text"):
        found = rules.rx(key).search(folded)
        if found:
            header.round = found.group(1)
            break
    header.publish_date = ledger.publish_date
    header.stated_totals = dict(ledger.stated_totals)
    return header


def _deadline_of(text: str, rules: Rules, year: int | None):
    return read_deadline(text, year, rules)


def _names(cell_text: str, rules: Rules, _year: int | None = None) -> list[str]:
    """Departments named in a cell: the canonical name where the department list knows the
    alias, else the name as written (a ledger is the authority on who is responsible)."""
    names = []
    for part in _SPLIT_NAMES.split(cell_text or ""):
        part = part.strip()
        if not part:
            continue
        known = find_departments(fold(part), rules)
        for name in known or [part]:
            if name not in names:
                names.append(name)
    return names
