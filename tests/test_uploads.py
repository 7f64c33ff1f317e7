"""The data page's uploads: names from the browser never choose a path, a batch is prepared
by a job in a child process under limits and previewed before anything loads, stored files
are unique by content (a same-named file never replaces another), and batches that fail,
are cancelled or abandoned leave nothing in staging."""

from __future__ import annotations

import base64
import json
import os
import threading
import time
from pathlib import Path

import pytest
from conftest import SEED

from dashboard.uploads import (
    batch_folder,
    describe,
    discard,
    new_batch,
    publish,
    receive,
    safe_name,
    staged_files,
    staging_root,
    start_loading,
    start_staging,
    status,
    sweep,
)
from pipeline import jobs, remove_reports
from warehouse.db import connect_readonly
from warehouse.queries import list_reports


def _data_url(raw: bytes) -> str:
    return "data:application/octet-stream;base64," + base64.b64encode(raw).decode()


def _variant(i: int) -> bytes:
    """A different report each time (its round changed), so each loads as its own."""
    return SEED.read_text(encoding="utf-8").replace("第八轮", f"第{i + 9}轮", 1).encode()


def _wait(db: Path, token: str, timeout: float = 120) -> jobs.Status:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        s = status(db, token)
        assert s is not None
        if s.state != jobs.RUNNING:
            return s
        time.sleep(0.2)
    raise AssertionError(f"job {token} still running after {timeout} s")


def _reports(db: Path):
    con = connect_readonly(db)
    try:
        return list_reports(con)
    finally:
        con.close()


def _stage(db: Path, files: list[tuple[str, bytes]]) -> tuple[str, list[dict], jobs.Status]:
    token, folder = new_batch(db)
    rejected = [
        r for i, (name, raw) in enumerate(files) if (r := receive(folder, i, name, _data_url(raw)))
    ]
    assert start_staging(folder)
    return token, rejected, _wait(db, token)


def _load(db: Path, token: str) -> jobs.Status:
    paths, new = publish(db, token)
    start_loading(batch_folder(db, token), db, paths, new)
    done = _wait(db, token)
    discard(db, token)
    return done


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


@pytest.mark.slow  # starts job processes
def test_a_batch_is_prepared_by_a_job_then_published_and_loaded(tmp_path):
    db = tmp_path / "w.duckdb"
    token, folder = new_batch(db)
    assert batch_folder(db, token) == folder
    assert batch_folder(db, "../../etc") is None and batch_folder(db, "0" * 16) is None
    files = [
        ("../seed.txt", SEED.read_bytes()),
        ("notes.txt", "今天天气很好。".encode()),
        ("virus.exe", b"MZ"),
    ]
    rejected = [
        r for i, (n, raw) in enumerate(files) if (r := receive(folder, i, n, _data_url(raw)))
    ]
    assert receive(folder, 3, "x.txt", "data:;base64,@@@") == {
        "name": "x.txt",
        "ok": False,
        "code": "damaged",
    }
    assert [describe(r, "en").message for r in rejected] == ["Unsupported file type .exe."]
    assert describe(rejected[0], "zh").message == "不支持的文件类型 .exe。"
    assert start_staging(folder)
    s = _wait(db, token)
    assert s.state == "done" and s.done == s.total == 2
    staged = {r["name"]: describe(r, "en") for r in s.results}
    assert staged["seed.txt"].ok and staged["seed.txt"].kind == "text"
    assert staged["seed.txt"].measures == 79 and len(staged["seed.txt"].report_id) == 16
    assert not staged["notes.txt"].ok and "No rectification report" in staged["notes.txt"].message
    # Only what can load stays in staging.
    assert [p.name for p in folder.glob("*/*") if p.is_file()] == ["seed.txt"]

    done = _load(db, token)
    assert (
        done.state == "done"
        and not done.error
        and [r["file_name"] for r in done.loaded] == ["seed.txt"]
    )
    assert batch_folder(db, token) is None and list(staging_root(db).iterdir()) == []
    reports = _reports(db)
    assert list(reports["file_name"]) == ["seed.txt"]
    source = Path(reports["source_path"][0])
    assert source.exists() and source.parent.parent == db.parent / "uploads"  # kept, by hash
    remove_reports(db, list(reports["report_id"]))
    assert _reports(db).empty


@pytest.mark.slow  # starts job processes
def test_same_named_files_one_after_the_other_are_both_kept_and_loaded(tmp_path):
    db = tmp_path / "w.duckdb"
    for i in range(2):
        token, _, staged = _stage(db, [("整改通报.txt", _variant(i))])
        assert staged.results[0]["ok"]
        assert not _load(db, token).error
    reports = _reports(db)
    assert list(reports["file_name"]) == ["整改通报.txt"] * 2
    assert reports["source_path"].nunique() == 2 and all(
        map(os.path.exists, reports["source_path"])
    )
    # The same content again: told at preview, and loading it replaces only itself.
    token, _, staged = _stage(db, [("副本.txt", _variant(1))])
    assert staged.results[0]["report_id"] in set(reports["report_id"])
    assert not _load(db, token).error
    assert len(_reports(db)) == 2


@pytest.mark.slow  # starts job processes
def test_same_named_files_confirmed_at_the_same_moment_are_both_loaded(tmp_path):
    db = tmp_path / "w.duckdb"
    tokens = [_stage(db, [("台账.txt", _variant(i))])[0] for i in range(2)]
    barrier = threading.Barrier(2)
    outcomes = []

    def confirm(token: str) -> None:
        barrier.wait()
        outcomes.append(_load(db, token))

    threads = [threading.Thread(target=confirm, args=(token,)) for token in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [o.error for o in outcomes] == [None, None]
    reports = _reports(db)
    assert len(reports) == 2 and set(reports["file_name"]) == {"台账.txt"}


@pytest.mark.slow  # starts job processes
def test_a_file_past_the_memory_limit_ends_its_child_not_the_caller(tmp_path):
    """Whatever a file makes the parser take: past the limit its child ends, the batch says
    why, and the file leaves staging. (A limit below what any parse takes stands in for a
    bomb here; the real ones are uploaded in tests/test_hostile.py.)"""
    from hostile_inputs import big_ledger_csv

    db = tmp_path / "w.duckdb"
    token, folder = new_batch(db)
    ledger = big_ledger_csv(tmp_path / "台账.csv")  # some 300 MB to read, 5 MB to send
    receive(folder, 0, ledger.name, _data_url(ledger.read_bytes()))
    jobs.start(
        folder, jobs.STAGE, staged_files(folder), limits=jobs.JobLimits(16 << 20, 1 << 30, 60)
    )
    s = _wait(db, token)
    assert s.state == "done" and len(s.results) == 1
    refused = describe(s.results[0], "zh")
    assert not refused.ok and "内存超过" in refused.message
    assert staged_files(folder) == []
    discard(db, token)
    assert list(staging_root(db).iterdir()) == []


@pytest.mark.slow  # starts job processes
def test_a_file_past_the_time_limit_is_stopped(tmp_path):
    db = tmp_path / "w.duckdb"
    token, folder = new_batch(db)
    receive(folder, 0, "seed.txt", _data_url(SEED.read_bytes()))
    jobs.start(
        folder, jobs.STAGE, sorted(folder.glob("*/*")), limits=jobs.JobLimits(1 << 30, 1 << 30, 0)
    )
    s = _wait(db, token)
    assert s.results[0]["code"] == "time"
    assert "0 秒" in describe(s.results[0], "zh").message
    discard(db, token)


@pytest.mark.slow  # starts job processes
def test_cancelled_and_abandoned_batches_leave_nothing(tmp_path):
    db = tmp_path / "w.duckdb"
    token, folder = new_batch(db)
    receive(folder, 0, "seed.txt", _data_url(SEED.read_bytes()))
    start_staging(folder)
    pid = json.loads((folder / jobs.STATUS_FILE).read_text())["pid"]
    discard(db, token)  # while it runs: its job ends with it
    assert not folder.exists() and not db.exists()
    deadline = time.monotonic() + 10
    while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not Path(f"/proc/{pid}").exists()

    old, _ = new_batch(db)
    fresh, _ = new_batch(db)
    past = time.time() - 7200
    os.utime(batch_folder(db, old), (past, past))
    sweep(db)
    assert batch_folder(db, old) is None and batch_folder(db, fresh) is not None


@pytest.mark.skipif(not os.path.exists("/usr/bin/chromium"), reason="needs Debian's chromium")
@pytest.mark.browser
def test_same_named_files_from_two_browsers_are_all_kept(tmp_path):
    """Two browsers confirm different files of one name at the same moment, then one more
    of that name follows: every one is loaded; the same content again is pointed out."""
    from playwright.sync_api import sync_playwright
    from test_dashboard import _serve, launch

    from pipeline import load_paths

    db = tmp_path / "w" / "w.duckdb"
    load_paths([SEED], db)
    files = []
    for i in range(3):
        folder = tmp_path / f"desk{i}"
        folder.mkdir()
        (folder / "整改通报.txt").write_bytes(_variant(i))
        files.append(folder / "整改通报.txt")
    url, proc = _serve(db)
    errors: list[str] = []
    try:
        with sync_playwright() as p:
            browser = launch(p)
            pages = [browser.new_context().new_page() for _ in range(2)]
            for page, path in zip(pages, files, strict=False):
                page.set_default_timeout(60_000)
                page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
                page.goto(url + "/data")
                page.wait_for_selector("#reports-table")
                page.set_input_files("#upload input[type=file]", [str(path)])
            for page in pages:
                page.wait_for_selector("#upload-preview-table")
            for page in pages:  # both confirmed at once
                page.click("#upload-confirm")
            for page in pages:
                page.wait_for_selector("#upload-done")
            first = pages[0]
            first.set_input_files("#upload input[type=file]", [str(files[2])])
            first.wait_for_selector("#upload-preview-table")
            assert first.locator(".upload-already").count() == 0
            first.click("#upload-confirm")
            first.wait_for_selector("#upload-done")
            again = pages[1]
            again.set_input_files("#upload input[type=file]", [str(files[0])])
            again.wait_for_selector("#upload-preview-table .upload-already")
            assert "整改通报.txt" in again.inner_text(".upload-already")
            again.click("#upload-cancel")
            # The cancel is answered (its batch removed) before the browser goes.
            again.wait_for_selector("#upload-preview-table", state="detached")
            browser.close()
        assert errors == []
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    reports = _reports(db)
    named = reports[reports["file_name"] == "整改通报.txt"]
    assert len(reports) == 4 and len(named) == 3 and named["source_path"].nunique() == 3
    assert list((db.parent / "uploads" / "staging").iterdir()) == []


@pytest.mark.parametrize(("lang", "word"), [("zh", "未明确"), ("en", "no readable status")])
def test_the_preview_lists_what_the_parse_was_unsure_of_before_loading(lang, word):
    """A ledger with blank status cells: the preview's row names the cells and the unknown
    statuses in the page's language, under a 待核查 mark, before anything is loaded."""
    from conftest import SHARED

    from dashboard.components import review_mark
    from dashboard.uploads import describe
    from pipeline.jobs import stage_one
    from views.i18n import t

    path = SHARED / "cases" / "ledgers" / "15_blank_status_cells.xlsx"
    if not path.exists():
        pytest.skip("../shared/cases is not present")
    sent: list[dict] = []
    stage_one(path, sent.append)  # what the upload job reports for the preview
    staged = describe(sent[-1]["result"], lang)
    assert staged.ok and len(staged.warnings) == 3
    assert [w for w in staged.warnings if "F3" in w] and [w for w in staged.warnings if "F4" in w]
    assert any(word in w for w in staged.warnings)
    shown = str(review_mark(list(staged.warnings), lang, notes=list(staged.notes)))
    assert t("needs_review", lang) in shown and word in shown


def test_the_preview_lists_notes_without_a_review_mark():
    """A ledger whose only warnings are notes (sheets read): listed, but no 待核查 mark."""
    from conftest import SHARED

    from dashboard.components import review_mark
    from dashboard.uploads import describe
    from pipeline.jobs import stage_one

    path = SHARED / "cases" / "ledgers" / "04_sheet_per_area.xlsx"
    if not path.exists():
        pytest.skip("../shared/cases is not present")
    sent: list[dict] = []
    stage_one(path, sent.append)
    staged = describe(sent[-1]["result"], "zh")
    assert staged.warnings == ()
    assert staged.notes == ("已读取工作表：“党的建设方面”、“业务工作方面”",)
    shown = review_mark(list(staged.warnings), "zh", "m", notes=list(staged.notes))
    assert "待核查" not in str(shown) and "党的建设方面" in str(shown)
    assert shown.className == "review-notes-only"
    assert review_mark([], "zh") is None
