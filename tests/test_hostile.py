"""Hostile and broken inputs (../shared/cases/hostile/, and bombs made by hostile_inputs.py):
run by the CLI under a 1 GiB address-space limit, each report ends with a valid extraction or
exit 2 and one line (spreadsheets: tests/test_ledger_bounds.py); uploaded on the data page,
every one gets a message, no HTTP 500, an empty staging folder, and the server still
answers. Word documents are checked as zips, then as XML, before python-docx builds
anything."""

from __future__ import annotations

import io
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import urllib.request
import zipfile
from pathlib import Path

import pytest
from hostile_inputs import GENERATED, HOSTILE_DIR, generated, stored

from etl.documents import DocumentLimits, DocumentTooLarge, UnreadableDocument, docx_lines
from etl.errors import InputError
from etl.ledger import LEDGER_SUFFIXES
from etl.reader import read_document

RECTIFY = str(Path(sys.executable).with_name("rectify"))
CHROMIUM = "/usr/bin/chromium"
GIB = 1 << 30
CLI_SECONDS = 120
LEDGERS = tuple(LEDGER_SUFFIXES)


@pytest.fixture(scope="session")
def made(tmp_path_factory) -> list[Path]:
    return generated(tmp_path_factory.mktemp("hostile"))


def _one_gib() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (GIB, GIB))


def test_the_stored_cases_are_there():
    names = {p.name for p in stored()}
    assert {"docx_paragraph_bomb.docx", "xlsx_merge.xlsx", "csv_big_field.csv"} <= names
    assert HOSTILE_DIR.is_dir()


REPORTS = [n for n in [*(p.name for p in stored()), *GENERATED] if not n.endswith(LEDGERS)]


@pytest.mark.slow
@pytest.mark.parametrize("name", REPORTS)
def test_each_report_ends_in_a_valid_extraction_or_one_line_under_1_gib(name, made):
    for path in [p for p in [*stored(), *made] if p.name == name]:
        proc = subprocess.run(
            [RECTIFY, "extract", "--compact", str(path)],
            capture_output=True,
            text=True,
            preexec_fn=_one_gib,
            timeout=CLI_SECONDS,
            env={**os.environ, "OPENBLAS_NUM_THREADS": "1", "MALLOC_ARENA_MAX": "2"},
        )
        assert proc.returncode in (0, 2), (path.name, proc.returncode, proc.stderr[-2000:])
        if proc.returncode == 0:
            extraction = json.loads(proc.stdout)
            assert extraction["measures"] and "Traceback" not in proc.stderr
        else:
            lines = proc.stderr.strip().splitlines()
            assert len(lines) == 1 and lines[0].startswith(f"rectify: {path}"), proc.stderr[-2000:]


def test_hostile_text_stays_readable(tmp_path):
    doc = read_document(HOSTILE_DIR / "txt_hostile.txt")
    assert "<script>alert(document.cookie)</script>" in doc.text  # kept as text, not dropped


def _docx(parts: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _word(body: str, prolog: str = "") -> bytes:
    import docx

    blank = io.BytesIO()
    docx.Document().save(blank)
    parts = {i.filename: zipfile.ZipFile(blank).read(i) for i in zipfile.ZipFile(blank).infolist()}
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    parts["word/document.xml"] = (
        f'<?xml version="1.0"?>{prolog}<w:document xmlns:w="{w}"><w:body>{body}</w:body>'
        "</w:document>"
    ).encode()
    return _docx(parts)


def _paragraphs(n: int, text: str = "") -> str:
    return "".join(f'<w:p w:rsidR="{i:08X}"><w:r><w:t>{text}</w:t></w:r></w:p>' for i in range(n))


def test_word_paragraphs_past_the_limit_are_refused_early():
    small = DocumentLimits(paragraphs=1000, elements=100_000)
    assert docx_lines(_word(_paragraphs(999, "整改")), small)[:2] == ["整改", "整改"]
    with pytest.raises(DocumentTooLarge, match="more than 1,000 paragraphs"):
        docx_lines(_word(_paragraphs(1001)), small)
    with pytest.raises(DocumentTooLarge, match="XML elements"):
        docx_lines(_word("<w:p>" + "<w:r/>" * 200_000 + "</w:p>"), small)


@pytest.mark.slow
def test_a_word_paragraph_bomb_that_passes_the_zip_check_ends_in_one_line(tmp_path):
    """300,000 paragraphs that do not compress to a bomb (each with its own id)."""
    path = tmp_path / "many.docx"
    path.write_bytes(_word(_paragraphs(300_000)))
    with pytest.raises(InputError) as info:
        read_document(path)
    assert "more than 200,000 paragraphs" in info.value.message and str(path) in info.value.message


@pytest.mark.slow
@pytest.mark.parametrize(
    "prolog,body,problem",
    [
        ('<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>', "<w:p/>", "DOCTYPE"),
        ('<!DOCTYPE d [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>', "<w:p/>", "DOCTYPE"),
        ("", "<w:p><w:r><w:t>&xxe;</w:t></w:r></w:p>", "not well-formed"),
        ("", "<w:p><w:r></w:p>", "not well-formed"),
    ],
)
def test_word_xml_with_entities_or_errors_is_refused(tmp_path, prolog, body, problem):
    raw = _word(body, prolog)
    with pytest.raises(UnreadableDocument, match=problem):
        docx_lines(raw)
    path = tmp_path / "bad.docx"
    path.write_bytes(raw)
    proc = subprocess.run([RECTIFY, "extract", str(path)], capture_output=True, text=True)
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and problem in proc.stderr


def test_word_text_reads_as_python_docx_reads_it():
    """Runs, hyperlinks, tabs and breaks read from the XML as python-docx reads them."""
    import docx
    from docx.enum.text import WD_BREAK

    document = docx.Document()
    p = document.add_paragraph("一是")
    p.add_run("加强\t管理").add_break()
    p.add_run("第二行").add_break(WD_BREAK.PAGE)
    table = document.add_table(rows=2, cols=2)
    for i in range(2):
        for j in range(2):
            table.cell(i, j).text = f"{i}{j}"
    table.cell(0, 0).merge(table.cell(0, 1))
    buffer = io.BytesIO()
    document.save(buffer)
    assert docx_lines(buffer.getvalue()) == ["一是加强\t管理", "第二行", "00\n01", "10\t11"]


# --- uploaded on the data page -----------------------------------------------------------


def _rules_with_job_seconds(folder: Path, seconds: int) -> Path:
    from etl.rules import RULES_DIR

    rules = folder / "rules"
    shutil.copytree(RULES_DIR, rules, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    reader = rules / "reader.yaml"
    text, n = re.subn(r"job_seconds: \d+", f"job_seconds: {seconds}", reader.read_text("utf-8"))
    assert n == 1
    reader.write_text(text, encoding="utf-8")
    return rules


@pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="needs Debian's chromium")
@pytest.mark.browser
def test_each_uploaded_on_the_data_page_gets_a_message(tmp_path, made, monkeypatch):
    from conftest import SEED
    from playwright.sync_api import sync_playwright
    from test_dashboard import _serve, launch

    from pipeline import load_paths

    db = tmp_path / "w" / "w.duckdb"
    load_paths([SEED], db)
    monkeypatch.setenv("RECTIFY_RULES_DIR", str(_rules_with_job_seconds(tmp_path, 60)))
    url, proc = _serve(db)
    staging = db.parent / "uploads" / "staging"
    errors, failures, shown = [], [], {}
    try:
        with sync_playwright() as p:
            browser = launch(p)
            page = browser.new_page()
            page.set_default_timeout(150_000)
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("response", lambda r: failures.append(r.url) if r.status >= 500 else None)
            page.goto(url + "/data")
            page.wait_for_selector("#reports-table")
            for path in [*stored(), *made]:
                page.set_input_files("#upload input[type=file]", [str(path)])
                page.wait_for_selector("#upload-preview-table")
                row = page.locator("#upload-preview-table tbody tr")
                assert row.count() == 1, path.name
                cells = row.locator("td").all_inner_texts()
                shown[path.name] = cells[-1]
                assert cells[0] == path.name and cells[-1].strip(), (path.name, cells)
                page.click("#upload-cancel")  # a file that prepared fine is dropped unloaded
                page.wait_for_selector("#upload-preview-table", state="detached")
                assert not staging.exists() or list(staging.iterdir()) == [], path.name
                with urllib.request.urlopen(url + "/", timeout=10) as answer:
                    assert answer.status == 200
            browser.close()
        assert failures == [] and errors == []
        assert "压缩炸弹" in shown["zip_bomb.docx"] and "压缩炸弹" in shown["zip_bomb.xlsx"]
    finally:
        proc.terminate()
        proc.wait(timeout=10)
