"""Fuzzing (hypothesis): random and mutated reports, truncated files, mixed encodings, huge
lines and deeply nested markers. Every input gives a valid extraction or a clean InputError:
never another exception, never a hang (each example has a deadline, generous for a busy
machine but far below what a runaway regex or loop would take)."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from conftest import SEED
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl.errors import InputError
from etl.extract import extract
from etl.metrics import find_metrics, metric_value
from etl.normalize import normalize
from etl.reader import decode_bytes, read_document
from etl.rules import load_rules
from pipeline.contracts import check_extraction

RULES = load_rules()
SEED_TEXT = SEED.read_text(encoding="utf-8")
SEED_LINES = SEED_TEXT.splitlines()
# Characters reports are made of: markers, numerals, units, qualifiers, punctuation.
REPORT_ALPHABET = (
    "一二三四五六七八九十百千万亿零两是、.,,。;;::()()1234567890%%"
    "余多约近共累计完成整改推进持续已正在项处个公里平方米元万元吨户人次"
    "关于问题措施情况下一步存在党委巡察通报年月日\n \t“”《》-—"
)
FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "60")),  # more for a deeper run by hand
    deadline=timedelta(seconds=10),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def _valid(text: str) -> None:
    """The extraction of any text passes the warehouse contract."""
    check_extraction(extract(text, RULES), "fuzz")


@FUZZ
@given(st.text(alphabet=REPORT_ALPHABET, max_size=3000))
def test_random_report_text_extracts_validly(text):
    _valid(text)


@FUZZ
@given(st.text(max_size=2000))
def test_any_unicode_extracts_validly(text):
    _valid(text)


@FUZZ
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["drop", "dup", "swap", "cut", "insert"]),
            st.integers(0, len(SEED_LINES) - 1),
            st.text(alphabet=REPORT_ALPHABET, max_size=40),
        ),
        max_size=12,
    )
)
@pytest.mark.slow
def test_mutated_seed_extracts_validly(mutations):
    lines = list(SEED_LINES)
    for op, i, extra in mutations:
        i = min(i, len(lines) - 1)
        if op == "drop" and len(lines) > 1:
            del lines[i]
        elif op == "dup":
            lines.insert(i, lines[i])
        elif op == "swap" and i + 1 < len(lines):
            lines[i], lines[i + 1] = lines[i + 1], lines[i]
        elif op == "cut":
            lines[i] = lines[i][: len(lines[i]) // 2]
        elif op == "insert":
            lines.insert(i, extra)
    _valid("\n".join(lines))


@FUZZ
@given(st.text(alphabet=REPORT_ALPHABET, max_size=500))
def test_metrics_are_finite_and_inside_the_text(text):
    norm = normalize(text)
    for raw in find_metrics(norm.text, RULES, 0, len(norm.text)):
        value = float(metric_value(raw))
        assert value == value and abs(value) != float("inf")
        a, b = norm.to_plain(raw.start, raw.end)
        assert 0 <= a < b <= len(text)


@FUZZ
@given(st.binary(max_size=4000))
def test_any_bytes_decode_or_fail_cleanly(raw):
    try:
        encoding, text = decode_bytes(raw)
    except InputError:
        return
    assert isinstance(text, str) and encoding


@FUZZ
@given(
    st.sampled_from([".txt", ".html", ".pdf", ".docx", ".htm"]),
    st.integers(1, len(SEED_TEXT.encode("utf-8"))),
    st.sampled_from(["utf-8", "gb18030", "utf-16"]),
)
@pytest.mark.slow
def test_truncated_files_in_any_encoding_read_or_fail_cleanly(tmp_path_factory, suffix, cut, enc):
    path = tmp_path_factory.mktemp("fuzz") / f"report{suffix}"
    path.write_bytes(SEED_TEXT.encode(enc)[:cut])
    try:
        doc = read_document(path)
    except InputError:
        return
    _valid(doc.text)


@FUZZ
@given(st.binary(min_size=1, max_size=3000), st.sampled_from([b"%PDF-1.7\n", b"PK\x03\x04", b""]))
def test_damaged_documents_fail_cleanly(tmp_path_factory, body, magic):
    suffix = {b"%PDF-1.7\n": ".pdf", b"PK\x03\x04": ".docx", b"": ".txt"}[magic]
    path = tmp_path_factory.mktemp("fuzz") / f"damaged{suffix}"
    path.write_bytes(magic + body)
    try:
        doc = read_document(path)
    except InputError:
        return
    _valid(doc.text)


def test_mixed_encodings_in_one_file_read_or_fail_cleanly(tmp_path):
    half = len(SEED_LINES) // 2
    raw = "\n".join(SEED_LINES[:half]).encode("utf-8") + "\n".join(SEED_LINES[half:]).encode(
        "gb18030"
    )
    path = tmp_path / "mixed.txt"
    path.write_bytes(raw)
    try:
        _valid(read_document(path).text)
    except InputError as exc:
        assert str(path) in exc.message


@pytest.mark.slow
def test_huge_lines_and_deep_nesting_finish():
    huge = "一是加强管理,完成整改108项。" * 40_000  # one line of about 600,000 characters
    _valid(huge)
    nested = "\n".join(
        f"{'(' * (i % 7)}{i}{')' * (i % 7)}.{'(一)' * (i % 5)}一、二是三是关于问题{i}项"
        for i in range(3000)
    )
    _valid(nested)
    numbers = "共" + "1" * 5000 + "万余项;" + "约" * 3000 + "3.5.6.7亿元"
    _valid(numbers)
