"""Spreadsheets (.xlsx and CSV) read by the cells that hold content, within set bounds.

A sheet is what its cells say, never what its declared dimension or its merged ranges claim:
a 2 KB file whose one merged range spans A3:XFD1048576, or whose one cell sits at
XFD1048576, costs what its few cells cost. The .xlsx reader streams each part through lxml's
`iterparse` with entities left unresolved and no network; a part that declares a DOCTYPE
(entities, XXE, billion laughs) or is not well-formed XML is refused with one line. Every
zip part is checked first (etl.archive.check_zip). Numbers keep their cell format's meaning:
a serial under a date format (the built-in ones Chinese Excel writes, numFmtId 27–36 and
50–58, included; rules/ledger.yaml `date_formats`) reads as an ISO date.

Limits (rules/reader.yaml `limits`): rows that hold content, the column of any cell that
holds content, and the characters in one CSV field. Past one, InputError says which.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import PurePosixPath

from etl.errors import InputError
from etl.rules import Rules, load_rules

_CELL_REF = re.compile(r"^([A-Za-z]{1,3})(\d+)$")
_RANGE_REF = re.compile(r"^([A-Za-z]{1,3})(\d+):([A-Za-z]{1,3})(\d+)$")
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")  # OOXML writes control characters as _x000D_
_REL_SHEET = "/worksheet"
_REL_STRINGS = "/sharedStrings"
_REL_STYLES = "/styles"
_REL_OFFICE = "/officeDocument"
_HIDDEN = {"hidden", "veryHidden"}
_RESAVE = "open it in Excel or WPS and save it again as .xlsx"


@dataclass(frozen=True)
class TableLimits:
    """The largest table we read (rules/reader.yaml `limits`)."""

    rows: int  # rows that hold content, per sheet and over a workbook
    columns: int  # the rightmost column a cell with content may sit in
    field_chars: int  # characters in one CSV field

    @classmethod
    def from_rules(cls, rules: Rules | None = None) -> TableLimits:
        lim = (rules or load_rules()).raw["reader"]["limits"]
        return cls(lim["table_rows"], lim["table_columns"], lim["table_field_chars"])


@dataclass
class Sheet:
    """The rows of one sheet that hold content, as text; merged ranges filled with their
    value. `numbers[i]` is the 1-based row number of `rows[i]` in the sheet, so a warning
    can name the cell (`cell_ref`). `no_value` holds (row number, column index) of formula
    cells saved without a computed value (their text is empty)."""

    name: str | None
    rows: list[list[str]] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)
    no_value: set[tuple[int, int]] = field(default_factory=set)
    hidden: bool = False


def column_letters(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_ref(column: int, row_number: int) -> str:
    """The cell's address as Excel shows it (column index from 0, row number from 1)."""
    return f"{column_letters(column)}{row_number}"


def _column_index(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n - 1


# -- CSV ---------------------------------------------------------------------------------


class _Semicolon(csv.excel):
    delimiter = ";"  # Excel's CSV where the decimal mark is a comma


def read_csv(text: str, path, limits: TableLimits) -> Sheet:
    """The CSV's records that hold content (a record spanning lines counts once); comma or
    tab separated, or semicolon where the start of the text has far more semicolons than
    commas (a cell's own half-width ; does not make a comma file one).
    csv.Error, a field past the limit included, raises InputError."""
    commas, tabs, semis = (text.count(sep, 0, 65536) for sep in (",", "\t", ";"))
    if tabs > commas and tabs >= semis:
        dialect = csv.excel_tab
    elif semis > 2 * commas and semis > tabs:
        dialect = _Semicolon
    else:
        dialect = csv.excel
    previous = csv.field_size_limit(limits.field_chars)
    sheet = Sheet(None)
    number = 0
    try:
        for number, record in enumerate(csv.reader(io.StringIO(text), dialect), 1):  # noqa: B007
            last = _last_content(record)
            if last < 0:
                continue
            if last >= limits.columns:
                raise _too_wide(path, cell_ref(last, number), limits)
            sheet.rows.append([c.strip() for c in record[: last + 1]])
            sheet.numbers.append(number)
            if len(sheet.rows) > limits.rows:
                raise _too_long(path, None, limits)
    except csv.Error as exc:
        raise InputError(
            path,
            f"not a readable CSV file (record {number + 1}: {exc})",
            "save it again from Excel or WPS as CSV (UTF-8) or as .xlsx",
            "csv_unreadable",
            record=number + 1,
        ) from exc
    finally:
        csv.field_size_limit(previous)
    return sheet


def _last_content(record: list[str]) -> int:
    for i in range(len(record) - 1, -1, -1):
        if record[i].strip():
            return i
    return -1


def _too_wide(path, ref: str, limits: TableLimits) -> InputError:
    return InputError(
        path,
        f"cell {ref} lies beyond column {column_letters(limits.columns - 1)}, the "
        f"{limits.columns}-column limit of a ledger",
        "delete what is there, or move the ledger's columns to the left",
        "ledger_columns",
        ref=ref,
        limit=limits.columns,
    )


def _too_long(path, sheet: str | None, limits: TableLimits) -> InputError:
    """Past the row limit: in one sheet (named) or over the workbook's sheets."""
    where = f"sheet {sheet} holds" if sheet else "it holds"
    return InputError(
        path,
        f"{where} more than {limits.rows:,} rows with content, the limit of a ledger",
        "split the ledger into smaller files",
        "ledger_rows",
        limit=f"{limits.rows:,}",
    )


# -- XLSX --------------------------------------------------------------------------------


def read_xlsx(raw: bytes, path, limits: TableLimits, rules: Rules | None = None) -> list[Sheet]:
    """Every sheet of the workbook in `raw`, in the workbook's order (hidden ones marked).

    Raises InputError for a zip bomb, a damaged or foreign file, any XML that declares
    entities or does not parse, and tables past the limits.
    """
    from etl.archive import check_zip

    check_zip(raw, path)
    rules = rules or load_rules()
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:  # check_zip let it through
        raise InputError(
            path, f"not a readable Excel workbook ({exc})", _RESAVE, "unreadable", programs="excel"
        ) from exc
    with archive:
        reader = _XlsxReader(archive, path, limits, rules)
        return reader.sheets()


class _XlsxReader:
    def __init__(self, archive: zipfile.ZipFile, path, limits: TableLimits, rules: Rules):
        self.archive = archive
        self.path = path
        self.limits = limits
        self.names = set(archive.namelist())
        self.date_ids = _date_format_ids(rules)
        self.rows_read = 0
        self.columns: dict[str, int | None] = {}  # column letters → index

    def sheets(self) -> list[Sheet]:
        book = self._office_document()
        rels = self._relationships(book)
        entries, date1904 = self._workbook(book)
        self.epoch = date(1904, 1, 1) if date1904 else date(1899, 12, 30)
        strings_part = next((t for t, kind in rels.values() if kind.endswith(_REL_STRINGS)), None)
        styles_part = next((t for t, kind in rels.values() if kind.endswith(_REL_STYLES)), None)
        self.strings = self._shared_strings(strings_part) if strings_part else []
        self.formats = self._cell_formats(styles_part) if styles_part else []
        out = []
        for name, rid, state in entries:
            target, kind = rels.get(rid, (None, ""))
            sheet = Sheet(name, hidden=state in _HIDDEN)
            if target and kind.endswith(_REL_SHEET) and target in self.names:
                self._read_sheet(target, sheet)
            out.append(sheet)
        return out

    # parts and relationships

    def _office_document(self) -> str:
        for target, kind in self._relationships("").values():
            if kind.endswith(_REL_OFFICE) and target in self.names:
                return target
        if "xl/workbook.xml" in self.names:
            return "xl/workbook.xml"
        raise InputError(
            self.path,
            "not an Excel workbook (no workbook part in it)",
            _RESAVE,
            "unreadable",
            programs="excel",
        )

    def _relationships(self, part: str) -> dict[str, tuple[str, str]]:
        """rId → (target part, relationship type) for `part` ('' for the package)."""
        folder = str(PurePosixPath(part).parent) if part else ""
        rels = (f"{folder}/" if folder and folder != "." else "") + "_rels/"
        rels += f"{PurePosixPath(part).name}.rels" if part else ".rels"
        out = {}
        if rels not in self.names:
            return out
        for el in self._parse(rels, ("Relationship",)):
            target = el.get("Target") or ""
            if el.get("TargetMode") == "External":
                continue
            if target.startswith("/"):
                resolved = target.lstrip("/")
            else:
                resolved = _join(folder if folder != "." else "", target)
            out[el.get("Id") or ""] = (resolved, el.get("Type") or "")
        return out

    def _workbook(self, part: str) -> tuple[list[tuple[str, str, str]], bool]:
        entries, date1904 = [], False
        for el in self._parse(part, ("sheet", "workbookPr")):
            if _local(el.tag) == "workbookPr":
                date1904 = (el.get("date1904") or "").lower() in ("1", "true")
                continue
            rid = next((v for k, v in el.attrib.items() if _local(k) == "id"), "")
            entries.append((el.get("name") or "", rid, el.get("state") or "visible"))
        return entries, date1904

    def _shared_strings(self, part: str) -> list[str]:
        if part not in self.names:
            return []
        return [_rich_text(el).strip() for el in self._parse(part, ("si",))]

    def _cell_formats(self, part: str) -> list[str]:
        """Each cell style's kind, by its index in cellXfs: 'date', 'percent' or ''."""
        from openpyxl.styles.numbers import is_date_format

        if part not in self.names:
            return []
        custom: dict[int, str] = {}
        kinds = []
        for el in self._parse(part, ("numFmt", "xf")):
            if _local(el.tag) == "numFmt":
                custom[_int(el.get("numFmtId"))] = el.get("formatCode") or ""
                continue
            parent = el.getparent()
            if parent is None or _local(parent.tag) != "cellXfs":
                continue
            fmt_id = _int(el.get("numFmtId"))
            code = custom.get(fmt_id)
            if code is not None:
                kind = "date" if is_date_format(code) else ("percent" if "%" in code else "")
            elif fmt_id in self.date_ids:
                kind = "date"
            else:
                kind = "percent" if fmt_id in (9, 10) else ""
            kinds.append(kind)
        return kinds

    # cells

    def _read_sheet(self, part: str, sheet: Sheet) -> None:
        unordered = False
        number = 0
        merges: list[tuple[int, int, int, int]] = []
        for el in self._parse(part, ("row", "mergeCell")):
            if _local(el.tag) == "mergeCell":
                m = _RANGE_REF.match(el.get("ref") or "")
                if m:
                    c1, r1, c2, r2 = m.groups()
                    merges.append((int(r1), _column_index(c1), int(r2), _column_index(c2)))
                    if len(merges) > self.limits.rows * 4:
                        raise InputError(
                            self.path,
                            f"sheet {sheet.name} declares more merged ranges than a ledger holds",
                            _RESAVE,
                            "ledger_merges",
                            sheet=sheet.name,
                        )
                continue
            number = _int(el.get("r"), number + 1)
            row = self._row(el, number, sheet)
            if row is None:
                continue
            if sheet.numbers and number <= sheet.numbers[-1]:
                unordered = True
            sheet.rows.append(row)
            sheet.numbers.append(number)
            self.rows_read += 1
            if self.rows_read > self.limits.rows:  # over the workbook, this sheet included
                raise _too_long(
                    self.path,
                    sheet.name if self.rows_read == len(sheet.rows) else None,
                    self.limits,
                )
        if unordered:
            order = sorted(range(len(sheet.numbers)), key=sheet.numbers.__getitem__)
            sheet.rows = [sheet.rows[i] for i in order]
            sheet.numbers = [sheet.numbers[i] for i in order]
        _fill_merges(sheet, merges, self.limits, self.path)

    def _row(self, el, number: int, sheet: Sheet) -> list[str] | None:
        tags = _tags(el.tag)
        cells: dict[int, str] = {}
        column = -1
        for c in el.iterchildren(tags.c):
            at = self._column(c.get("r"))
            column = column + 1 if at is None else at
            text, missing = self._value(c, tags)
            if not text and not missing:
                continue
            if column >= self.limits.columns:
                raise _too_wide(self.path, cell_ref(column, number), self.limits)
            cells[column] = text
            if missing:
                sheet.no_value.add((number, column))
        if not cells:
            return None
        row = [""] * (max(cells) + 1)
        for i, text in cells.items():
            row[i] = text
        return row

    def _column(self, ref: str | None) -> int | None:
        """The column index a cell reference names; None when it names none (the cell then
        follows the one before, as the format allows)."""
        if not ref:
            return None
        letters = ref.rstrip("0123456789")
        if letters not in self.columns:
            self.columns[letters] = _column_index(letters) if _CELL_REF.match(ref) else None
        return self.columns[letters]

    def _value(self, c, tags: _Tags) -> tuple[str, bool]:
        """(text, formula saved without a value)."""
        kind = c.get("t") or "n"
        value = inline = None
        formula = False
        for child in c:
            tag = child.tag
            if tag == tags.v:
                value = child.text or ""
            elif tag == tags.f:
                formula = True
            elif tag == tags.is_:
                inline = child
        if kind == "inlineStr":
            return (_rich_text(inline, tags) if inline is not None else "").strip(), False
        if formula and (value is None or (value == "" and kind != "str")):
            return "", True
        if value is None:
            return "", False
        if kind == "s":
            i = _int(value, -1)
            return (self.strings[i] if 0 <= i < len(self.strings) else ""), False
        if kind in ("str", "e"):
            return _unescape(value).strip(), False
        if kind == "b":
            return ("TRUE" if value.strip() in ("1", "true") else "FALSE"), False
        if kind == "d":
            return value.strip()[:10], False
        try:
            number = float(value)
        except ValueError:
            return value.strip(), False
        style = _int(c.get("s"), 0)
        fmt = self.formats[style] if 0 <= style < len(self.formats) else ""
        return _number_text(number, fmt, self.epoch), False

    # XML

    def _parse(self, part: str, tags: tuple[str, ...]):
        """The elements named `tags` (any namespace), each once complete; memory stays at one
        element. A DOCTYPE (entity declarations) or a parse error raises InputError."""
        from lxml import etree

        checked = False
        try:
            with self.archive.open(part) as stream:
                events = etree.iterparse(
                    stream,
                    events=("end",),
                    tag=[f"{{*}}{t}" for t in tags],
                    resolve_entities=False,
                    no_network=True,
                    load_dtd=False,
                    huge_tree=False,
                    remove_comments=True,
                    remove_pis=True,
                )
                for _, el in events:
                    if not checked:
                        self._refuse_doctype(el, part)
                        checked = True
                    yield el
                    el.clear()
                    parent = el.getparent()
                    while parent is not None and el.getprevious() is not None:
                        del parent[0]
                if not checked and events.root is not None:
                    self._refuse_doctype(events.root, part)
        except etree.XMLSyntaxError as exc:
            # Where, not the XML library's own words (its function names mean nothing here).
            raise InputError(
                self.path,
                f"part {part} is not well-formed XML{_position(exc)}",
                _RESAVE,
                "unreadable",
                programs="excel",
            ) from exc
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
            raise InputError(
                self.path,
                f"part {part} cannot be read ({exc})",
                _RESAVE,
                "unreadable",
                programs="excel",
            ) from exc

    def _refuse_doctype(self, el, part: str) -> None:
        info = el.getroottree().docinfo
        if info.doctype or info.internalDTD is not None or info.externalDTD is not None:
            raise InputError(
                self.path,
                f"part {part} declares XML entities (a DOCTYPE), which no spreadsheet needs; "
                "refused as unsafe",
                _RESAVE,
                "unsafe",
                programs="excel",
            )


def _fill_merges(sheet: Sheet, merges, limits: TableLimits, path) -> None:
    """Each merged range's value fills the blank cells of the range in rows that hold
    content; ranges over nothing cost nothing, and ranges that overlap past the size of the
    sheet's content are refused."""
    if not merges or not sheet.rows:
        return
    budget = len(sheet.rows) * limits.columns
    index = {n: i for i, n in enumerate(sheet.numbers)}
    for r1, c1, r2, c2 in merges:
        top = index.get(r1)
        if top is None or c1 >= len(sheet.rows[top]) or c1 >= limits.columns:
            continue
        value = sheet.rows[top][c1]
        if not value:
            continue
        c2 = min(c2, limits.columns - 1)
        for i in range(bisect_left(sheet.numbers, r1), bisect_right(sheet.numbers, r2)):
            row = sheet.rows[i]
            budget -= c2 - c1 + 1
            if budget < 0:
                raise InputError(
                    path,
                    f"sheet {sheet.name} has overlapping merged ranges",
                    _RESAVE,
                    "ledger_merges",
                    sheet=sheet.name,
                )
            if len(row) <= c2:
                row.extend([""] * (c2 + 1 - len(row)))
            for c in range(c1, c2 + 1):
                if not row[c]:
                    row[c] = value


def _date_format_ids(rules: Rules) -> frozenset[int]:
    ids = set()
    for lo, hi in rules.ledger["date_formats"]["builtin_ids"]:
        ids.update(range(lo, hi + 1))
    return frozenset(ids)


def _number_text(number: float, fmt: str, epoch: date) -> str:
    if fmt == "date" and 1 <= number < 2958466:
        return (epoch + timedelta(days=int(number))).isoformat()
    if fmt == "percent":
        return f"{number * 100:.15g}%"
    if number.is_integer() and abs(number) < 1e15:
        return str(int(number))
    return f"{number:.15g}"


@dataclass(frozen=True)
class _Tags:
    """The qualified names of SpreadsheetML elements in one namespace (transitional or
    strict), so elements are compared without splitting their tags."""

    c: str
    v: str
    f: str
    is_: str
    t: str
    r: str


@lru_cache(maxsize=8)
def _tags(tag: str) -> _Tags:
    ns = tag[: tag.index("}") + 1] if tag.startswith("{") else ""
    return _Tags(*(ns + name for name in ("c", "v", "f", "is", "t", "r")))


def _rich_text(el, tags: _Tags | None = None) -> str:
    """The text of a shared or inline string: its <t>, or its runs' <t>; phonetic runs
    (<rPh>) left out."""
    tags = tags or _tags(el.tag)
    parts = []
    for child in el:
        if child.tag == tags.t:
            parts.append(child.text or "")
        elif child.tag == tags.r:
            parts.extend(t.text or "" for t in child.iterchildren(tags.t))
    if len(parts) == 1:
        return _unescape(parts[0])
    return _unescape("".join(parts))


def _unescape(text: str) -> str:
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text) if "_x" in text else text


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _int(text, default: int = 0) -> int:
    try:
        return int(text)
    except (TypeError, ValueError):
        return default


def _join(folder: str, target: str) -> str:
    parts: list[str] = [p for p in folder.split("/") if p]
    for p in target.split("/"):
        if p == "..":
            if parts:
                parts.pop()
        elif p and p != ".":
            parts.append(p)
    return "/".join(parts)


def _position(exc: Exception) -> str:
    """(line L, column C) of an XML syntax error, where the parser gives it; else ''."""
    line, column = (getattr(exc, "position", None) or (None, None))[:2]
    return f" (line {line}, column {column})" if line else ""


def _first_line(exc: Exception) -> str:
    text = (getattr(exc, "msg", None) or str(exc) or type(exc).__name__).splitlines()[0]
    return re.sub(r"\s*\(<string>, line \d+\)$", "", text)[:160]
