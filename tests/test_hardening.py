"""Hardened: crash-safe loads (SIGKILL at many points, disk full), hostile text stored as given
and shown inert, filters always bound, and the warehouse as Parquet for other engines."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import SEED

from pipeline import load_paths
from warehouse import queries
from warehouse.db import connect_readonly
from warehouse.filters import Filters

RECTIFY = str(Path(sys.executable).with_name("rectify"))
CHROMIUM = "/usr/bin/chromium"
HOSTILE = "<script>alert('x')</script><img src=x onerror=alert(1)>'; DROP TABLE report; --../../etc/passwd"


def _variants(folder: Path, n: int) -> list[Path]:
    """n different reports (one word of the title changed), so each loads as its own."""
    seed = SEED.read_text(encoding="utf-8")
    paths = []
    for i in range(n):
        path = folder / f"r{i:03d}.txt"
        path.write_text(seed.replace("第八轮", f"第{i + 9}轮", 1), encoding="utf-8")
        paths.append(path)
    return paths


def _content(db: Path) -> tuple:
    con = connect_readonly(db)
    try:
        ids = tuple(sorted(r[0] for r in con.execute("SELECT report_id FROM report").fetchall()))
        counts = tuple(
            con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("finding", "measure", "metric", "measure_fact", "rollup")
        )
    finally:
        con.close()
    return ids, counts


@pytest.mark.slow
def test_load_killed_at_many_points_leaves_old_or_new_warehouse_whole(tmp_path):
    db = tmp_path / "w.duckdb"
    load_paths([SEED], db)
    before = _content(db)
    files = _variants(tmp_path, 12)
    # How long a whole load takes here, then kills spread over that time.
    timing = tmp_path / "timing.duckdb"
    load_paths([SEED], timing)
    t0 = time.monotonic()
    subprocess.run([RECTIFY, "load", *map(str, files), "--db", str(timing), "--quiet"], check=True)
    whole = time.monotonic() - t0
    after = None
    for k in range(1, 11):
        proc = subprocess.Popen(
            [RECTIFY, "load", *map(str, files), "--db", str(db), "--quiet"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(whole * k / 10)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        now = _content(db)  # the warehouse opens after every kill
        if now != before:  # the kill came after the publish: the new warehouse, whole
            after = after or _content(timing)
            assert now == after
    # The next load clears what killed writers left beside the warehouse, and succeeds.
    assert load_paths(files[:1], db).loaded
    assert not list(tmp_path.glob(".w.duckdb.*.tmp*"))


@pytest.mark.slow
def test_disk_full_gives_a_clear_error_and_keeps_the_warehouse(tmp_path):
    db = tmp_path / "w.duckdb"
    load_paths([SEED], db)
    before = db.read_bytes()
    files = _variants(tmp_path, 3)

    def small_disk():  # writes past 2 MB fail as on a full disk (EFBIG instead of ENOSPC)
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (len(before) + 100_000,) * 2)

    proc = subprocess.run(
        [RECTIFY, "load", *map(str, files), "--db", str(db)],
        capture_output=True,
        text=True,
        preexec_fn=small_disk,
        timeout=120,
    )
    assert proc.returncode == 2, proc.stderr
    assert "could not write the new warehouse" in proc.stderr and "disk space" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert db.read_bytes() == before


def _hostile_report(folder: Path) -> Path:
    seed = SEED.read_text(encoding="utf-8")
    line = next(x for x in seed.splitlines() if x.startswith("一是提高政治站位"))
    path = folder / "<img src=x onerror=alert(1)>.txt"
    path.write_text(seed.replace(line, line + HOSTILE + "\x07响铃。", 1), encoding="utf-8")
    return path


def test_hostile_text_is_stored_as_given_and_filters_stay_bound(tmp_path):
    db = tmp_path / "w.duckdb"
    result = load_paths([_hostile_report(tmp_path)], db)
    assert not result.failed
    con = connect_readonly(db)
    try:
        text = con.execute("SELECT text FROM measure WHERE contains(text, '<script>')").fetchone()
        assert text and HOSTILE in text[0] and "\x07" in text[0]  # stored as given
        assert con.execute("SELECT count(*) FROM report").fetchone()[0] == 1  # nothing dropped
        assert con.execute("SELECT file_name FROM report").fetchone()[0].startswith("<img")
        for value in (HOSTILE, "'", "%", "\\", "' OR 1=1 --", "\x00"):
            f = Filters(report=value, department=value, category=value, status=value, q=value)
            assert queries.completion(con, f, "items").empty
            assert queries.explorer_measures(con, f).empty and queries.measure_count(con, f) == 0
        found = queries.explorer_measures(con, Filters(q="DROP TABLE"))
        assert len(found) == 1 and HOSTILE in found["text"][0]
    finally:
        con.close()


@pytest.mark.slow
def test_hostile_text_exports_cleanly(tmp_path):
    from io import BytesIO

    from pptx import Presentation

    from exports.deck import build_deck
    from exports.tables import to_csv, to_xlsx
    from views.export import gather

    db = tmp_path / "w.duckdb"
    load_paths([_hostile_report(tmp_path)], db)
    con = connect_readonly(db)
    content = gather(con, Filters(q="DROP TABLE"), "zh")
    con.close()
    Presentation(BytesIO(build_deck(content)))  # control characters dropped: valid XML
    assert HOSTILE.encode() in to_csv(content)
    assert len(to_xlsx(content)) > 0


@pytest.mark.slow
def test_parquet_export_reads_back_in_pyarrow(tmp_path, seed_db):
    import pyarrow.parquet as pq

    from warehouse.parquet import PARQUET_TABLES

    out = tmp_path / "parquet"
    proc = subprocess.run(
        [RECTIFY, "export", "parquet", "--db", str(seed_db), "--out", str(out)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    con = connect_readonly(seed_db)
    try:
        for table in PARQUET_TABLES:
            arrow = pq.read_table(out / f"{table}.parquet")
            expected = con.execute(f"SELECT * FROM {table}").df()
            assert arrow.num_rows == len(expected) and arrow.schema.names == list(expected.columns)
        measures = pq.read_table(out / "measure.parquet").to_pandas()
        assert sorted(measures["measure_id"]) == sorted(
            r[0] for r in con.execute("SELECT measure_id FROM measure").fetchall()
        )
    finally:
        con.close()
    again = subprocess.run(
        [RECTIFY, "export", "parquet", "--db", str(seed_db), "--out", str(out)],
        capture_output=True,
        text=True,
    )
    assert again.returncode == 2 and "not an empty folder" in again.stderr


@pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="needs Debian's chromium")
@pytest.mark.browser
def test_hostile_text_is_shown_as_inert_text(tmp_path):
    from playwright.sync_api import sync_playwright
    from test_dashboard import _serve, launch

    db = tmp_path / "w.duckdb"
    load_paths([_hostile_report(tmp_path)], db)
    url, proc = _serve(db)
    dialogs, errors = [], []
    try:
        with sync_playwright() as p:
            browser = launch(p)
            page = browser.new_page()
            page.set_default_timeout(45000)
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.goto(url + "/explorer?q=DROP+TABLE")
            page.wait_for_function(
                "() => document.querySelectorAll('.ag-center-cols-container .ag-row').length === 1"
            )
            page.click(".ag-center-cols-container .ag-row[row-index='0']")
            page.wait_for_selector("#detail-text")
            assert HOSTILE in page.inner_text("#detail-text")
            assert page.locator("#detail-text script, #detail-text img").count() == 0
            page.goto(url + "/reports")
            page.wait_for_selector("#reports-table")
            page.wait_for_timeout(500)
            browser.close()
        assert dialogs == [] and errors == []
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="needs Debian's chromium")
@pytest.mark.browser
def test_many_users_while_loads_swap_the_warehouse(tmp_path):
    """Several workers, many client threads (page loads and callbacks), and two loads that
    swap the warehouse meanwhile: every request answered, none with an error."""
    import json
    import threading
    import urllib.request

    from playwright.sync_api import sync_playwright
    from test_dashboard import _serve, launch

    db = tmp_path / "w.duckdb"
    load_paths([SEED], db)
    url, proc = _serve(db)
    callbacks = []
    try:
        with sync_playwright() as p:  # the overview's real callback requests, as sent
            browser = launch(p)
            page = browser.new_page()
            page.on(
                "request",
                lambda r: (
                    callbacks.append(r.post_data)
                    if "_dash-update-component" in r.url and r.post_data
                    else None
                ),
            )
            page.goto(url + "/")
            page.wait_for_selector("#kpi-gas_hazards_closed", timeout=45000)
            browser.close()
        assert callbacks
        failures: list[str] = []
        answered = []

        def client(k: int) -> None:
            for i in range(15):
                try:
                    if i % 3 == 0:
                        request = urllib.request.Request(
                            url + ("/", "/explorer", "/departments")[k % 3]
                        )
                    else:
                        body = callbacks[(k + i) % len(callbacks)].encode()
                        request = urllib.request.Request(
                            url + "/_dash-update-component",
                            data=body,
                            headers={"Content-Type": "application/json"},
                        )
                    with urllib.request.urlopen(request, timeout=60) as response:
                        payload = response.read()
                        if response.status not in (200, 204):
                            failures.append(f"HTTP {response.status}")
                        elif request.data and response.status == 200:
                            json.loads(payload)
                        answered.append(1)
                except Exception as exc:  # noqa: BLE001 - every failure is collected and shown
                    failures.append(repr(exc))

        threads = [threading.Thread(target=client, args=(k,)) for k in range(8)]
        for thread in threads:
            thread.start()
        for variant in _variants(tmp_path, 2):  # loads swap the file under the readers
            assert load_paths([variant], db).loaded
        for thread in threads:
            thread.join()
        assert failures == [] and len(answered) == 8 * 15
        assert _content(db)[0].__len__() == 3
    finally:
        proc.terminate()
        proc.wait(timeout=10)
