"""A report's identity: a prose report is its plain text (whatever the encoding or wrapper), a
ledger every cell read (statuses, deadlines, owners, evidence …), so that two ledgers that
differ only in what their plain text leaves out never replace each other; files of one load
that do resolve to one report are said to, never silently."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPORTS_DIR, SHARED

from pipeline import load_paths, prepare_file, superseded

LEDGERS = SHARED / "cases" / "ledgers"
# Ledgers with the same problems and measures, whose status and deadline cells differ: one
# report id each (they were one before, and replaced each other on load).
SAME_TEXT = [
    "01_totals_row.xlsx",
    "03_two_row_header.xlsx",
    "06_summary_sheet_first.xlsx",
    "08_formula_cells_no_cache.xlsx",
    "09_deadline_zh_builtin_datefmt.xlsx",
]
RECTIFY = str(Path(sys.executable).with_name("rectify"))


def test_ledgers_with_the_same_text_but_other_statuses_or_deadlines_are_other_reports():
    prepared = [prepare_file(LEDGERS / name) for name in SAME_TEXT]
    texts = {p.extraction.text for p in prepared}
    assert len(texts) < len(prepared)  # their plain text alone would not tell them apart
    assert len({p.report_id for p in prepared}) == len(SAME_TEXT)


def test_a_status_or_deadline_cell_changed_is_another_report(tmp_path):
    """A ledger's next month: the same rows, one status and one deadline moved on."""
    from openpyxl import load_workbook

    source = LEDGERS / "03_two_row_header.xlsx"
    before = prepare_file(source)
    wb = load_workbook(source)
    ws = wb.active
    assert (ws["E5"].value, ws["F5"].value) == ("2025-03-31", "正在整改")
    ws["F5"] = "已完成"
    wb.save(tmp_path / "next_month.xlsx")
    after = prepare_file(tmp_path / "next_month.xlsx")
    assert [m.status for m in before.extraction.measures] == ["completed", "in_progress"]
    assert [m.status for m in after.extraction.measures] == ["completed", "completed"]
    assert before.extraction.text == after.extraction.text
    assert before.report_id != after.report_id
    ws["E5"] = "2025-06-30"  # a deadline moved, nothing else
    ws["F5"] = "正在整改"
    wb.save(tmp_path / "deadline_moved.xlsx")
    moved = prepare_file(tmp_path / "deadline_moved.xlsx")
    assert [m.deadline for m in moved.extraction.measures] == ["2024-12-31", "2025-06-30"]
    assert moved.report_id not in (before.report_id, after.report_id)
    # Saved again unchanged, it is the same report.
    shutil.copyfile(source, tmp_path / "copy.xlsx")
    assert prepare_file(tmp_path / "copy.xlsx").report_id == before.report_id


def test_a_ledger_or_report_keeps_its_id_across_encodings(tmp_path):
    csv = LEDGERS / "10_gbk_header_row3_totals.csv"
    utf8 = tmp_path / "utf8.csv"
    utf8.write_text(csv.read_bytes().decode("gb18030"), encoding="utf-8")
    assert prepare_file(csv).report_id == prepare_file(utf8).report_id
    report = REPORTS_DIR / "r01.txt"
    gbk = tmp_path / "r01_gbk.txt"
    gbk.write_bytes(report.read_text(encoding="utf-8").encode("gb18030"))
    assert prepare_file(report).report_id == prepare_file(gbk).report_id


def test_files_of_one_load_that_are_one_report_are_named_and_counted_once(tmp_path):
    folder = tmp_path / "batch"
    folder.mkdir()
    shutil.copyfile(REPORTS_DIR / "r01.txt", folder / "a.txt")
    (folder / "b.txt").write_bytes(
        (REPORTS_DIR / "r01.txt").read_text(encoding="utf-8").encode("gb18030")
    )
    shutil.copyfile(LEDGERS / "03_two_row_header.xlsx", folder / "c.xlsx")
    db = tmp_path / "w.duckdb"
    result = load_paths([folder], db)
    assert [p.file_name for p in result.loaded] == ["a.txt", "b.txt", "c.xlsx"]
    kept = superseded(result.loaded)
    assert {i: p.file_name for i, p in kept.items()} == {0: "b.txt"}
    assert result.reports == 2 and result.replaced == []
    # The same ledger again from another place: the warehouse's copy is named as replaced.
    again = load_paths([LEDGERS / "03_two_row_header.xlsx"], db)
    assert [(rid, name) for rid, name, _path in again.replaced] == [
        (result.loaded[2].report_id, "c.xlsx")
    ]


@pytest.mark.slow  # a subprocess
def test_the_load_line_says_which_files_were_one_report(tmp_path):
    folder = tmp_path / "batch"
    folder.mkdir()
    for name in SAME_TEXT[:2]:
        shutil.copyfile(LEDGERS / name, folder / name)
    shutil.copyfile(LEDGERS / SAME_TEXT[0], folder / "copy_of_01.xlsx")
    db = tmp_path / "w.duckdb"
    proc = subprocess.run(
        [RECTIFY, "load", str(folder), "--db", str(db)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    at = lines.index(next(ln for ln in lines if ln.startswith("loaded 01_totals_row.xlsx")))
    below = lines[at + 1 : next(i for i in range(at + 1, len(lines)) if lines[i][0] != " ")]
    assert (
        "  same report as copy_of_01.xlsx (same content) in this load: replaced by it, not kept"
        in below
    )
    assert lines[-1].endswith(
        "2 reports loaded from 3 files (1 the same report as another, see above)"
    )
    listing = subprocess.run(
        [RECTIFY, "reports", "--db", str(db)], capture_output=True, text=True, timeout=60
    )
    assert len(listing.stdout.splitlines()) == 2
