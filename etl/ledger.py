"""整改台账 (rectification ledgers): a spreadsheet with one task per row, read into the same
extraction a report gives, so it loads, filters and exports alike.

The reader finds the header row by column names kept as data (rules/ledger.yaml), fills
merged cells, and turns consecutive rows of one problem into one finding with a measure per
row. It also writes the ledger out as plain text (one line per problem, one per measure),
which is what every offset points into, so a figure in a ledger traces back like one in a
report. `read_table` is the IO edge; everything else is pure.
"""

from __future__ import annotations

import calendar
import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from etl.classify import classify_category, classify_status, find_departments, find_partners
from etl.errors import InputError
from etl.extract import DEFAULT_CATEGORY, extraction_metrics
from etl.model import Extraction, Finding, Measure, ReportHeader
from etl.normalize import fold, normalize
from etl.rules import Rules, load_rules

LEDGER_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".csv"}
_SPACE = re.compile(r"\s+")
_DATE = re.compile(r"(\d{4})\s*[年./\-]\s*(\d{1,2})(?:\s*[月./\-]\s*(\d{1,2}))?")
_SPLIT_NAMES = re.compile(r"[、,,;;/\n]+")


@dataclass(frozen=True)
class LedgerTable:
    rows: list[list[str]]  # every row of the sheet, merged cells filled, as text
    sheet: str | None
    encoding: str


@dataclass(frozen=True)
class Ledger:
    title: str | None
    columns: dict[str, int]  # field → column index
    rows: list[list[str]]  # the data rows under the header


# -- reading (IO) ------------------------------------------------------------------------


def read_table(path: Path) -> LedgerTable:
    """The first sheet of a workbook that has a ledger header, or a CSV file, as text rows."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        from etl.reader import _read_bytes, decode_bytes

        encoding, text = decode_bytes(_read_bytes(path), path)
        dialect = csv.excel_tab if text.count("\t") > text.count(",") else csv.excel
        return LedgerTable([row for row in csv.reader(io.StringIO(text), dialect)], None, encoding)
    if suffix == ".xls":
        return _read_xls(path)
    return _read_xlsx(path)


def _read_xlsx(path: Path) -> LedgerTable:
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    if not path.exists():
        raise InputError(path, "file not found", "check the path")
    try:
        book = load_workbook(path, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise InputError(
            path, f"not a readable Excel workbook ({exc})", "save it again as .xlsx"
        ) from exc
    rules = load_rules()
    tables = []
    for sheet in book.worksheets:
        rows = [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        for merged in sheet.merged_cells.ranges:  # a merged cell's value fills its range
            value = rows[merged.min_row - 1][merged.min_col - 1] if rows else ""
            for r in range(merged.min_row - 1, min(merged.max_row, len(rows))):
                for c in range(merged.min_col - 1, merged.max_col):
                    if c < len(rows[r]):
                        rows[r][c] = value
        tables.append(LedgerTable(rows, sheet.title, "xlsx"))
        if find_header(rows, rules) is not None:
            return tables[-1]
    return tables[0] if tables else LedgerTable([], None, "xlsx")


def _read_xls(path: Path) -> LedgerTable:
    try:
        import xlrd
    except ImportError as exc:
        raise InputError(
            path,
            "old Excel .xls files cannot be read here",
            "open it in Excel or WPS and save it as .xlsx",
        ) from exc
    book = xlrd.open_workbook(str(path))
    sheet = book.sheet_by_index(0)
    rows = [
        [_cell_text(sheet.cell_value(r, c)) for c in range(sheet.ncols)] for r in range(sheet.nrows)
    ]
    return LedgerTable(rows, sheet.name, "xls")


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


# -- the header and the columns -----------------------------------------------------------


def _column_synonyms(rules: Rules) -> list[tuple[str, str]]:
    """(folded synonym, field), longest first, so 问题描述 wins over 问题."""
    pairs = [(fold(s), c["field"]) for c in rules.ledger["columns"] for s in c["synonyms"]]
    return sorted(pairs, key=lambda p: -len(p[0]))


def map_columns(header: list[str], rules: Rules) -> dict[str, int]:
    """Each field's column: the first column whose name holds one of the field's synonyms."""
    synonyms = _column_synonyms(rules)
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        key = _SPACE.sub("", fold(name))
        if not key:
            continue
        for synonym, field in synonyms:
            if synonym in key:
                columns.setdefault(field, index)
                break
    return columns


def find_header(rows: list[list[str]], rules: Rules) -> tuple[int, dict[str, int]] | None:
    """The header row's index and its column map, or None when no row names enough fields."""
    settings = rules.ledger["header"]
    for index, row in enumerate(rows[: settings["scan_rows"]]):
        columns = map_columns(row, rules)
        if len(columns) >= settings["min_fields"] and ({"problem", "measure"} & set(columns)):
            return index, columns
    return None


def as_ledger(table: LedgerTable, rules: Rules, where: str) -> Ledger:
    found = find_header(table.rows, rules)
    if found is None:
        raise InputError(
            where,
            "no ledger header found (a row naming columns such as 序号, 问题, 整改措施, 责任单位)",
            "check the sheet, or add the column names your ledger uses to etl/rules/ledger.yaml",
        )
    index, columns = found
    # Rows above the header hold the title; a merged title repeats in every cell it spans.
    title = next(
        (" ".join(dict.fromkeys(c for c in row if c)) for row in table.rows[:index] if any(row)),
        None,
    )
    data = [row for row in table.rows[index + 1 :] if any(cell.strip() for cell in row)]
    return Ledger(title, columns, data)


# -- cells to values ---------------------------------------------------------------------


def parse_deadline(text: str) -> str | None:
    """An ISO date from a deadline cell: 2024-12-31, 2024年12月31日, 2024.12 (end of month),
    2024年底 (end of year); None for 长期坚持 and other words without a date."""
    folded = fold(text or "")
    m = _DATE.search(folded)
    if m:
        year, month = int(m.group(1)), int(m.group(2))
        if not 1 <= month <= 12:
            return None
        day = int(m.group(3)) if m.group(3) else calendar.monthrange(year, month)[1]
        try:
            return date(year, month, day).isoformat()
        except ValueError:
            return None
    m = re.search(r"(\d{4})\s*年\s*(底|末|年底|年末)", folded)
    return date(int(m.group(1)), 12, 31).isoformat() if m else None


def status_from_cells(status_cell: str, closed_cell: str, rules: Rules) -> str | None:
    """The status the ledger states, by the words in rules/ledger.yaml; None if it states none."""
    for rule in rules.ledger["statuses"]:
        cell = closed_cell if rule.get("column") == "closed" else status_cell
        folded = fold(cell or "")
        if any(word in folded for word in rule["words"]):
            if rule.get("column") == "closed" and folded.strip() != rule["words"][0]:
                continue  # 是 must be the whole 销号 cell, not a character inside a phrase
            return rule["status"]
    return None


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


def ledger_extraction(ledger: Ledger, rules: Rules | None = None, name: str = "") -> Extraction:
    """The ledger as an extraction: one finding per problem (consecutive rows of one problem
    share it), one measure per row, figures found in the measure and progress text."""
    rules = rules or load_rules()
    col = ledger.columns

    def cell(row: list[str], field: str) -> str:
        i = col.get(field)
        return row[i].strip() if i is not None and i < len(row) else ""

    lines: list[str] = []
    offset = 0

    def add_line(text: str) -> tuple[int, int]:
        nonlocal offset
        text = _SPACE.sub(" ", text).strip()
        start = offset
        lines.append(text)
        offset += len(text) + 1
        return start, start + len(text)

    title = ledger.title or Path(name).stem or "整改台账"
    add_line(title)
    findings: list[Finding] = []
    measures: list[Measure] = []
    areas: dict[str, Finding] = {}
    previous_key = None
    carried = {"area": "", "seq": "", "problem": ""}
    for row in ledger.rows:
        problem, measure_text = cell(row, "problem"), cell(row, "measure")
        progress = cell(row, "progress")
        if not (problem or measure_text or progress):
            continue
        # A merged cell saved as CSV keeps its value in the first row only: a row with a
        # measure and no problem belongs to the problem above.
        if not problem:
            row = _with(row, col, carried)
            problem = cell(row, "problem")
        carried = {k: cell(row, k) for k in carried}
        area_name = cell(row, "area")
        parent = None
        if area_name:
            if area_name not in areas:
                start, end = add_line(area_name)
                areas[area_name] = Finding(
                    f"A{len(areas) + 1}", None, "area", "", area_name, start=start, end=end
                )
                findings.append(areas[area_name])
            parent = areas[area_name].id
        key = (area_name, cell(row, "seq"), problem)
        if key != previous_key or not findings or findings[-1].level != "item":
            seq = cell(row, "seq")
            label = f"{seq}、" if seq else ""
            start, end = add_line(f"{label}{problem or measure_text}")
            findings.append(
                Finding(
                    f"F{len(findings) + 1}",
                    parent,
                    "item",
                    seq,
                    problem or measure_text,
                    start=start + len(label),
                    end=end,
                )
            )
            previous_key = key
        text = _SPACE.sub(
            " ", "。".join(p.rstrip("。") for p in (measure_text, progress) if p)
        ).strip()
        text = (
            (text + "。") if text and not text.endswith(("。", ".", "!", "?", "!", "?")) else text
        )
        start, end = add_line(text or problem)
        measures.append(
            _measure(len(measures) + 1, findings[-1].id, lines[-1], start, end, row, cell, rules)
        )
    plain = "\n".join(lines)
    norm = normalize(plain)
    folded = {m.id: norm.text[slice(*norm.to_folded(m.start, m.end))] for m in measures}
    for f in findings:
        f.category = classify_category(fold(f.title), rules)
    by_id = {f.id: f for f in findings}
    for m in measures:
        own = classify_category(folded[m.id], rules)
        m.category = own or by_id[m.finding_id].category or DEFAULT_CATEGORY
        if m.status is None:
            m.status, m.status_cue = classify_status(folded[m.id], "findings", rules)
    for f in findings:
        f.category = f.category or DEFAULT_CATEGORY
        statuses = [m.status for m in measures if m.finding_id == f.id]
        f.status = (
            statuses[0]
            if statuses and len(set(statuses)) == 1
            else ("in_progress" if statuses else None)
        )
    body_end = len(plain)
    metrics = extraction_metrics(norm, plain, measures, folded, 0, body_end, rules)
    header = ReportHeader(title=title)
    unit = re.search(rules.ledger["title"]["pattern"], fold(title))
    header.inspected_unit = unit.group(1) if unit else None
    header.inspection_kind = "巡视" if "巡视" in title else ("巡察" if "巡察" in title else None)
    return Extraction(header, findings, measures, metrics, text=plain)


def _measure(n: int, finding_id: str, text: str, start: int, end: int, row, cell, rules) -> Measure:
    status_cell, closed_cell = cell(row, "status"), cell(row, "closed")
    status = status_from_cells(status_cell, closed_cell, rules)
    departments = _names(cell(row, "department"), rules)
    partners = [p for p in _names(cell(row, "partner"), rules) if p not in departments]
    return Measure(
        id=f"M{n}",
        finding_id=finding_id,
        section="findings",
        ordinal=n,
        headline=text.split("。", 1)[0][:60] or None,
        text=text,
        status=status,
        status_cue=" ".join(c for c in (status_cell, closed_cell) if c) or None,
        departments=departments,
        partners=partners or find_partners(fold(text), departments, rules),
        start=start,
        end=end,
        deadline=parse_deadline(cell(row, "deadline")),
        owner=cell(row, "owner") or None,
        evidence=cell(row, "evidence") or None,
    )


def _with(row: list[str], columns: dict[str, int], values: dict[str, str]) -> list[str]:
    """The row with the given fields filled where they are blank."""
    row = list(row) + [""] * (max(columns.values(), default=0) + 1 - len(row))
    for field, value in values.items():
        i = columns.get(field)
        if i is not None and not row[i].strip():
            row[i] = value
    return row


def _names(cell_text: str, rules: Rules) -> list[str]:
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
