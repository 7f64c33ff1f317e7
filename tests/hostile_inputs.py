"""Hostile inputs made on the spot (the stored ones are in ../shared/cases/hostile/): zip
bombs in .docx and .xlsx clothing, a 2,000,000-character line, a 40,000-row CSV ledger.
Used by tests/test_hostile.py and benchmarks/hostile.py."""

from __future__ import annotations

import csv
import struct
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOSTILE_DIR = ROOT.parent / "shared" / "cases" / "hostile"
SEED = ROOT / "data" / "samples" / "000_ea4a386f79e332ee.txt"

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
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


def _bomb_stream(head: bytes, filler: int, megabytes: int, tail: bytes) -> tuple[bytes, int, int]:
    """Raw deflate of head + `megabytes` MiB of one byte + tail, made without compressing
    it all: after a full flush each MiB compresses to the same bytes, so one is repeated.
    (deflate data, CRC-32, inflated size)."""
    chunk = bytes([filler]) * (1 << 20)
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = packer.compress(head) + packer.flush(zlib.Z_FULL_FLUSH)
    repeated = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)
    again = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)
    assert again == repeated  # the state after a full flush is the same each time
    last = packer.compress(tail) + packer.flush()
    data = first + repeated * megabytes + last
    crc = zlib.crc32(head)
    for _ in range(megabytes):
        crc = zlib.crc32(chunk, crc)
    return data, zlib.crc32(tail, crc), len(head) + megabytes * len(chunk) + len(tail)


def _write_zip(path: Path, parts: list[tuple[str, bytes, int, int]]) -> Path:
    """A zip of already deflated parts: (name, raw deflate, CRC-32, inflated size)."""
    local, central = bytearray(), bytearray()
    for name, data, crc, size in parts:
        encoded = name.encode()
        offset = len(local)
        local += struct.pack(
            "<IHHHHHIIIHH", 0x04034B50, 20, 0x800, 8, 0, 0x21, crc, len(data), size,
            len(encoded), 0,
        )  # fmt: skip
        local += encoded + data
        central += struct.pack(
            "<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0x800, 8, 0, 0x21, crc, len(data), size,
            len(encoded), 0, 0, 0, 0, 0, offset,
        )  # fmt: skip
        central += encoded
    end = struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, len(parts), len(parts), len(central), len(local), 0
    )
    path.write_bytes(bytes(local + central + end))
    return path


def _deflated(name: str, text: str) -> tuple[str, bytes, int, int]:
    raw = text.encode("utf-8")
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return name, packer.compress(raw) + packer.flush(), zlib.crc32(raw), len(raw)


def docx_zip_bomb(path: Path, megabytes: int = 2048) -> Path:
    """A .docx of about 2 MB whose document part inflates to `megabytes` MiB."""
    head = f'<?xml version="1.0"?><w:document xmlns:w="{_W}"><w:body><w:p><w:r><w:t>'.encode()
    body = _bomb_stream(head, 0x20, megabytes, b"</w:t></w:r></w:p></w:body></w:document>")
    small = [_deflated(name, text) for name, text in _DOCX_PARTS.items()]
    return _write_zip(path, [*small, ("word/document.xml", *body)])


def xlsx_zip_bomb(path: Path, megabytes: int = 2048) -> Path:
    """An .xlsx of about 2 MB whose sheet inflates to `megabytes` MiB."""
    head = (
        b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main"><sheetData>'
    )
    sheet = _bomb_stream(head, 0x20, megabytes, b"</sheetData></worksheet>")
    small = [_deflated(name, text) for name, text in _XLSX_PARTS.items()]
    return _write_zip(path, [*small, ("xl/worksheets/sheet1.xml", *sheet)])


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


GENERATED = {
    "zip_bomb.docx": docx_zip_bomb,
    "zip_bomb.xlsx": xlsx_zip_bomb,
    "long_line_2000000.txt": long_line,
    "ledger_40000_rows.csv": big_ledger_csv,
}


def generated(folder: Path) -> list[Path]:
    """Every generated hostile input, made in `folder` (about 10 MB in all)."""
    folder.mkdir(parents=True, exist_ok=True)
    return [make(folder / name) for name, make in GENERATED.items()]


def stored() -> list[Path]:
    """The hostile files in ../shared/cases/hostile/."""
    return sorted(p for p in HOSTILE_DIR.iterdir() if p.is_file() and p.name != "README.md")
