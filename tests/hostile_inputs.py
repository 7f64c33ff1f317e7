"""Hostile inputs made on the spot (the stored ones are in ../shared/cases/hostile/): zip
bombs in .docx and .xlsx clothing, a 2,000,000-character line, a 40,000-row CSV ledger.
Used by tests/test_hostile.py and benchmarks/hostile.py."""

from __future__ import annotations

import csv
import io
import struct
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOSTILE_DIR = ROOT.parent / "shared" / "cases" / "hostile"
SEED = ROOT / "data" / "samples" / "000_ea4a386f79e332ee.txt"

_DOCX_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
        'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.wordprocessingml.document.main+xml"/></Types>'
    ),
    "_rels/.rels": (
        '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
        "</Relationships>"
    ),
}
_XLSX_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
        'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
        'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
        'worksheet+xml"/></Types>'
    ),
    "_rels/.rels": (
        '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>"
    ),
    "xl/workbook.xml": (
        '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
        '2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="台账" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        "</Relationships>"
    ),
}


def deflated(chunk: bytes, times: int) -> tuple[bytes, int, int]:
    """`chunk` repeated `times`, deflated without building it: one flushed block repeated
    (each is whole on its own), then an empty final block. (data, size, crc)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(times):
        crc = zlib.crc32(chunk, crc)
    return block * times + b"\x03\x00", len(chunk) * times, crc


def zip_bytes(parts: dict[str, bytes | tuple[bytes, int, int]]) -> bytes:
    """A zip written by hand, so one part may be given already deflated (as `deflated`
    gives it)."""
    out, central = io.BytesIO(), []
    for name, value in parts.items():
        if isinstance(value, bytes):
            packer = zlib.compressobj(6, zlib.DEFLATED, -15)
            value = (packer.compress(value) + packer.flush(), len(value), zlib.crc32(value))
        data, size, crc = value
        offset, n = out.tell(), name.encode()
        head = (crc, len(data), size, len(n))
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, *head, 0) + n + data)
        central.append(
            struct.pack(
                "<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, *head, 0, 0, 0, 0, 0, offset
            )
            + n
        )
    directory, start = b"".join(central), out.tell()
    out.write(directory)
    out.write(
        struct.pack(
            "<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), len(directory), start, 0
        )
    )
    return out.getvalue()


def _bomb(path: Path, parts: dict[str, str], big: str, megabytes: int) -> Path:
    spaces = deflated(b" " * (1 << 20), megabytes)
    path.write_bytes(zip_bytes({**{k: v.encode() for k, v in parts.items()}, big: spaces}))
    return path


def docx_zip_bomb(path: Path, megabytes: int = 2048) -> Path:
    """A .docx of about 2 MB whose document part inflates to `megabytes` MiB."""
    return _bomb(path, _DOCX_PARTS, "word/document.xml", megabytes)


def xlsx_zip_bomb(path: Path, megabytes: int = 2048) -> Path:
    """An .xlsx of about 2 MB whose sheet inflates to `megabytes` MiB."""
    return _bomb(path, _XLSX_PARTS, "xl/worksheets/sheet1.xml", megabytes)


def long_line(path: Path, chars: int = 2_000_000) -> Path:
    """A report whose one paragraph is `chars` characters of figures without a full stop."""
    seed = SEED.read_text(encoding="utf-8")
    line = next(x for x in seed.splitlines() if x.startswith("一是提高政治站位"))
    unit = "开展整改工作共计12.5万元,培训干部3次,"
    path.write_text(seed.replace(line, (unit * (chars // len(unit) + 1))[:chars], 1), "utf-8")
    return path


def big_ledger_csv(path: Path, rows: int = 40_000) -> Path:
    """A 整改台账 as CSV with `rows` measures."""
    with path.open("w", encoding="utf-8", newline="") as out:
        table = csv.writer(out)
        table.writerow(["序号", "反馈问题", "整改措施", "责任单位", "完成时限", "整改状态"])
        for i in range(1, rows + 1):
            table.writerow(
                [
                    i,
                    f"问题{i}:制度执行不到位",
                    f"措施{i}:完善制度,开展培训{i % 9 + 1}次",
                    "区财政局",
                    "2024年12月31日",
                    "已完成" if i % 3 else "整改中",
                ]
            )
    return path


def html_element_bomb(path: Path, elements: int = 3_000_000) -> Path:
    """A 30 MB page of millions of tiny elements (under the 50 MiB file limit): a parsed
    tree of it took more than 1 GB."""
    path.write_text("<html><body><p>" + "<b>一</b>" * elements + "</p></body></html>", "utf-8")
    return path


GENERATED = {
    "zip_bomb.docx": docx_zip_bomb,
    "zip_bomb.xlsx": xlsx_zip_bomb,
    "long_line_2000000.txt": long_line,
    "ledger_40000_rows.csv": big_ledger_csv,
    "html_element_bomb.html": html_element_bomb,
}


def generated(folder: Path) -> list[Path]:
    """Every generated hostile input, made in `folder` (about 10 MB in all)."""
    folder.mkdir(parents=True, exist_ok=True)
    return [make(folder / name) for name, make in GENERATED.items()]


def stored() -> list[Path]:
    """The hostile files in ../shared/cases/hostile/."""
    return sorted(p for p in HOSTILE_DIR.iterdir() if p.is_file() and p.name != "README.md")
