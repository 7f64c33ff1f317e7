"""The data page's uploads: names from the browser never choose a path, a batch is checked and
previewed before anything loads, and the load swaps the warehouse atomically."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from conftest import SEED

from dashboard.uploads import batch_folder, discard, new_batch, publish, safe_name, stage
from pipeline import load_paths, remove_reports
from warehouse.db import connect_readonly
from warehouse.queries import list_reports


def _data_url(raw: bytes) -> str:
    return "data:application/octet-stream;base64," + base64.b64encode(raw).decode()


@pytest.mark.parametrize(
    "given,expected",
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("..\\..\\windows\\整改通报.DOCX", "整改通报.docx"),
        ("a\x00b<script>.html", "a_b_script_.html"),
        ("...", "upload"),
        ("/abs/path/台账.xlsx", "台账.xlsx"),
    ],
)
def test_safe_names_stay_in_the_folder(given, expected):
    assert safe_name(given) == expected


def test_a_batch_is_checked_then_published_and_loaded(tmp_path):
    db = tmp_path / "w.duckdb"
    token, folder = new_batch(db)
    assert batch_folder(db, token) == folder
    assert batch_folder(db, "../../etc") is None and batch_folder(db, "0" * 16) is None
    good = stage(folder, "../seed.txt", _data_url(SEED.read_bytes()))
    assert good.ok and good.kind == "text" and good.measures == 79 and good.name == "seed.txt"
    not_a_report = stage(folder, "notes.txt", _data_url("今天天气很好。".encode()))
    assert not not_a_report.ok and "no rectification report" in not_a_report.message
    wrong_type = stage(folder, "virus.exe", _data_url(b"MZ"))
    assert not wrong_type.ok and "unsupported file type" in wrong_type.message
    damaged = stage(folder, "x.txt", "data:;base64,@@@")
    assert not damaged.ok
    assert sorted(p.name for p in folder.iterdir()) == ["seed.txt"]  # only what can load stays

    paths = publish(db, token)
    assert [p.name for p in paths] == ["seed.txt"] and paths[0].parent == db.parent / "uploads"
    assert batch_folder(db, token) is None
    result = load_paths(paths, db)
    assert not result.failed
    con = connect_readonly(db)
    reports = list_reports(con)
    con.close()
    assert list(reports["file_name"]) == ["seed.txt"]
    assert Path(reports["source_path"][0]).exists()  # kept, so the data page can reload it

    remove_reports(db, list(reports["report_id"]))
    con = connect_readonly(db)
    assert list_reports(con).empty
    con.close()


def test_cancelled_batch_leaves_nothing(tmp_path):
    db = tmp_path / "w.duckdb"
    token, folder = new_batch(db)
    stage(folder, "seed.txt", _data_url(SEED.read_bytes()))
    discard(db, token)
    assert not folder.exists() and not db.exists()
