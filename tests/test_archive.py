"""Zip-based inputs are checked part by part before a parser opens them."""

from __future__ import annotations

import io
import zipfile

import pytest

from etl.archive import ZipLimits, check_zip
from etl.errors import InputError

SMALL = ZipLimits(total_bytes=8 << 20, part_bytes=4 << 20, ratio=50, parts=100)


def _zip(parts: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return buf.getvalue()


def test_an_ordinary_archive_passes():
    check_zip(_zip({"a.xml": b"<a>" + "整改".encode() * 1000 + b"</a>"}), "ok.xlsx", SMALL)


def test_a_bomb_is_refused_from_its_directory():
    raw = _zip({"xl/worksheets/sheet1.xml": b"\0" * (6 << 20)})
    assert len(raw) < 64 << 10
    with pytest.raises(InputError) as info:
        check_zip(raw, "bomb.xlsx", SMALL)
    assert "bomb.xlsx" in info.value.message and "zip bomb" in info.value.message


def test_a_directory_that_lies_is_caught_while_inflating():
    raw = bytearray(_zip({"x.xml": b"A" * (3 << 20)}))
    # Claim a tiny size in both the local header and the central directory.
    small = (100).to_bytes(4, "little")
    local = raw.find(b"PK\x03\x04")
    raw[local + 22 : local + 26] = small
    central = raw.find(b"PK\x01\x02")
    raw[central + 24 : central + 28] = small
    with pytest.raises(InputError):
        check_zip(bytes(raw), "liar.docx", SMALL)


def test_too_many_parts_and_not_a_zip():
    with pytest.raises(InputError, match="parts"):
        check_zip(_zip({f"p{i}": b"x" for i in range(101)}), "many.xlsx", SMALL)
    with pytest.raises(InputError, match="not a readable zip"):
        check_zip(b"plain text, not a zip", "fake.xlsx", SMALL)


def test_limits_come_from_the_rules():
    limits = ZipLimits.from_rules()
    assert limits.total_bytes >= 100 << 20 and limits.ratio > 10
