"""Corrections on a running server and from the command line: an analyst corrects a status in
the browser, sees the overview change, reloads the report from its file, finds the change and
its audit entry still there, undoes it and finds both entries; two editors (two processes)
at the same moment both keep theirs; `rectify overrides list` prints the log."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SEED
from test_dashboard import _serve, launch, needs_browser

from pipeline import load_paths
from pipeline.corrections import open_log
from warehouse import queries
from warehouse.db import connect_readonly
from warehouse.filters import Filters

RECTIFY = str(Path(sys.executable).with_name("rectify"))


def run(*args, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [RECTIFY, *map(str, args)], capture_output=True, text=True, timeout=120, **kwargs
    )


def _alone_completed_measure(db: Path) -> tuple[str, str, str]:
    """(report id, measure id, words) of a completed findings measure that is its item's
    only one, and whose first words find it alone."""
    con = connect_readonly(db)
    try:
        rows = con.execute("""
            SELECT m.report_id, m.measure_id, coalesce(m.headline, left(m.text, 20)) FROM measure m
            WHERE m.section = 'findings' AND m.status = 'completed'
              AND (SELECT count(*) FROM measure o
                   WHERE o.report_id = m.report_id AND o.finding_id = m.finding_id) = 1
            ORDER BY m.ordinal
        """).fetchall()
        for rid, mid, headline in rows:
            if queries.measure_count(con, Filters(report=rid, q=headline)) == 1:
                return rid, mid, headline
    finally:
        con.close()
    raise AssertionError("the seed has no such measure")


@needs_browser
@pytest.mark.browser
def test_correct_a_status_see_it_counted_reload_and_undo_in_the_browser(tmp_path):
    from playwright.sync_api import sync_playwright

    db = tmp_path / "w.duckdb"
    load_paths([SEED], db)
    rid, mid, headline = _alone_completed_measure(db)
    url, proc = _serve(db)  # on 127.0.0.1 without sign-in: this machine may correct
    errors: list[str] = []
    try:
        with sync_playwright() as p:
            browser = launch(p)
            page = browser.new_page(viewport={"width": 1366, "height": 768})
            page.set_default_timeout(45000)
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(url + "/")
            page.wait_for_selector("#kpi-items")
            items_before = page.inner_text("#kpi-items")
            rate_before = page.inner_text("#kpi-rate")

            page.goto(url + "/explorer" + Filters(report=rid, q=headline).to_search())
            page.wait_for_selector(".ag-row[row-index='0']")
            page.click(".ag-row[row-index='0']")
            page.click("#edit-open")
            page.click("#edit-status")
            page.get_by_role("option", name="推进中", exact=True).click()
            page.click("#edit-save")  # without a reason: refused, nothing saved
            page.wait_for_selector("#edit-alert")
            assert "理由" in page.inner_text("#edit-alert")
            assert open_log(db).count() == 0
            page.fill("#edit-reason", "台账第3行写明尚未销号")
            page.click("#edit-save")
            page.wait_for_function(
                "() => document.querySelector('#edit-alert')?.innerText.includes('已保存')"
            )
            # The row and the panel show the correction, marked as made by hand.
            page.wait_for_function(
                "() => document.querySelector(\".ag-row[row-index='0'] [col-id='status_label']\")"
                "?.innerText.includes('推进中 ✎')"
            )
            page.wait_for_selector("#detail-corrected")
            assert "已完成" in page.inner_text("#detail-as-read")

            # The overview counts it: one item fewer completed, a lower rate.
            page.goto(url + "/")
            page.wait_for_selector("#kpi-items")
            assert page.inner_text("#kpi-items") != items_before
            assert page.inner_text("#kpi-rate") != rate_before
            items_corrected = page.inner_text("#kpi-items")

            # Reloaded from its file on the data page: the correction holds.
            page.goto(url + "/data")
            page.click(f"#report-{rid} button:has-text('重新载入')")
            page.wait_for_function(
                "() => document.body.innerText.includes('已重新载入')", timeout=120000
            )
            page.goto(url + "/")
            page.wait_for_selector("#kpi-items")
            assert page.inner_text("#kpi-items") == items_corrected

            # The audit log has the entry; undo it, with a reason.
            page.goto(url + "/audit")
            page.wait_for_selector("#audit-entry-1")
            entry = page.inner_text("#audit-entry-1")
            assert "已完成" in entry and "推进中" in entry and "台账第3行写明尚未销号" in entry
            assert os.environ.get("USER", "") in entry or open_log(db).entries()[0]["user"] in entry
            page.click("#audit-entry-1 button:has-text('撤销')")
            page.wait_for_selector("#audit-revert-reason", state="visible")
            page.fill("#audit-revert-reason", "误改,恢复原状")
            page.click("#audit-revert-confirm")
            page.wait_for_selector("#audit-entry-2")
            assert "撤销 #1" in page.inner_text("#audit-entry-2")
            assert "已由 #2 撤销" in page.inner_text("#audit-entry-1")
            page.goto(url + "/")
            page.wait_for_selector("#kpi-items")
            page.wait_for_function(
                f"() => document.querySelector('#kpi-items').innerText === {items_before!r}"
            )
            browser.close()
        assert errors == []
        entries = open_log(db).entries()
        assert [(e["id"], e["field"], e["reverts"]) for e in entries] == [
            (2, "status", 1),
            (1, "status", None),
        ]
    finally:
        proc.terminate()
        proc.wait(timeout=10)


# Where an audit filter box is cut: its date picker past its column, or its words past it.
AUDIT_CUT_JS = """() => [...document.querySelectorAll('#audit-body .row > [class*=col]')].flatMap(
    col => { const box = col.getBoundingClientRect();
        return [...col.querySelectorAll('input[type=search], input.dash-datepicker-input,'
                + ' .dash-datepicker-input-wrapper, .dash-datepicker-caret-icon, .input-group-text,'
                + ' button.dash-dropdown, .dash-dropdown-value, .dash-dropdown-trigger-icon')].filter(e => {
            const r = e.getBoundingClientRect();
            return r.right > box.right + 1 || r.left < box.left - 1
                || (e.scrollWidth > e.clientWidth + 1 && e.tagName !== 'svg'); })
            .map(e => (e.id || e.className.baseVal || e.className) + ' in ' + col.innerText); })"""


@needs_browser
@pytest.mark.browser
def test_audit_dates_read_yyyy_mm_dd_in_an_american_browser_and_filter_by_day_at_1024(tmp_path):
    """At a projector's 1024 px in a browser set to American English, the audit page's date
    boxes show and take 2026-11-30 (not 11/30/2026), nothing in the filter rows is cut, the
    calendar starts its weeks on Monday and names months and weekdays in the page's
    language, and the period filters by the days the entries' times show, both included."""
    from datetime import timedelta

    from playwright.sync_api import sync_playwright

    from pipeline.corrections import Edit, record
    from views import clock

    db = tmp_path / "w.duckdb"
    load_paths([SEED], db)
    con = connect_readonly(db)
    rid = con.execute("SELECT report_id FROM report").fetchone()[0]
    con.close()
    record(db, [Edit(rid, "status", "ongoing", measure="M3")], "张三", "台账写明尚未销号")
    record(db, [Edit(rid, "category", "assets", measure="M5")], "李四", "属资产类问题")
    today = clock.today()  # the entries' day as the page shows their times
    day = {k: (today + timedelta(days=k)).isoformat() for k in (-1, 0, 1)}
    url, proc = _serve(db)
    errors: list[str] = []
    try:
        with sync_playwright() as p:
            browser = launch(p)
            context = browser.new_context(viewport={"width": 1024, "height": 768}, locale="en-US")
            page = context.new_page()
            page.set_default_timeout(45000)
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(url + "/audit")
            page.wait_for_selector("#audit-entry-2")
            assert page.get_attribute("#audit-since", "placeholder") == "年-月-日"

            def pick(box: str, value: str, shown: str) -> None:
                page.fill(box, value)
                page.press(box, "Tab")
                page.wait_for_selector(shown)

            pick("#audit-since", day[0], "#audit-entry-1")  # today's entries: still both
            assert page.input_value("#audit-since") == day[0]
            assert page.evaluate(AUDIT_CUT_JS) == []
            pick("#audit-since", day[1], "#audit-table-empty")  # from tomorrow: none
            page.click("#audit-since-wrapper .dash-datepicker-clear")  # cleared: no bound
            page.wait_for_selector("#audit-entry-2")
            pick("#audit-until", day[-1], "#audit-table-empty")  # up to yesterday: none
            pick("#audit-until", day[0], "#audit-entry-2")  # up to today, included
            assert page.input_value("#audit-until") == day[0]

            def calendar() -> tuple[str, str]:
                page.click("#audit-since")
                page.wait_for_selector(".dash-datepicker-calendar thead th")
                first = page.inner_text(".dash-datepicker-calendar thead th >> nth=0")
                month = page.inner_text(".dash-datepicker-controls .dash-dropdown")
                page.keyboard.press("Escape")
                page.wait_for_selector(".dash-datepicker-calendar", state="detached")
                return first.strip(), month.strip()

            assert calendar() == ("一", f"{today.month}月")
            page.click("#lang-switch")
            page.wait_for_function(
                "() => document.querySelector('#audit-since')?.placeholder === 'YYYY-MM-DD'"
            )
            assert calendar() == ("Mo", today.strftime("%B"))
            assert page.evaluate(AUDIT_CUT_JS) == []
            browser.close()
        assert errors == []
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.mark.slow
def test_two_editors_in_two_processes_at_once_both_keep_their_change(tmp_path):
    db = tmp_path / "w.duckdb"
    assert run("load", SEED, "--db", db).returncode == 0
    env = dict(os.environ)
    procs = [
        subprocess.Popen(
            [RECTIFY, "override", "000_ea4a386f79e332ee.txt", "--measure", measure, "--status",
             "not_started", "--reason", f"{measure} 核实", "--db", str(db)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for measure in ("M3", "M4", "M5", "M6")
    ]  # fmt: skip
    outcomes = [proc.communicate(timeout=120) for proc in procs]
    assert [proc.returncode for proc in procs] == [0, 0, 0, 0], outcomes
    con = connect_readonly(db)
    statuses = con.execute(
        "SELECT measure_id, status FROM measure WHERE measure_id IN ('M3', 'M4', 'M5', 'M6')"
    ).fetchall()
    con.close()
    assert sorted(statuses) == [(m, "not_started") for m in ("M3", "M4", "M5", "M6")]
    assert len(open_log(db).entries()) == 4


@pytest.mark.slow
def test_override_list_and_revert_from_the_command_line(tmp_path):
    db = tmp_path / "w.duckdb"
    assert run("load", SEED, "--db", db).returncode == 0
    args = ("000_ea4a386f79e332ee.txt", "--db", db)
    done = run("override", *args, "--measure", "M3", "--deadline", "2025-06-30", "--reason", "台账")
    assert done.returncode == 0, done.stderr
    done = run("override", *args, "--value", "46", "--new-value", "64", "--reason", "原件为64")
    assert done.returncode == 0, done.stderr
    no_reason = run("override", *args, "--measure", "M3", "--status", "not_started")
    assert no_reason.returncode == 2 and "--reason" in no_reason.stderr
    same = run("override", *args, "--measure", "M3", "--deadline", "2025-06-30", "--reason", "x")
    assert same.returncode == 2 and "Nothing differs" in same.stderr
    listed = run("overrides", "list", "--db", db)
    assert listed.returncode == 0
    lines = listed.stdout.splitlines()
    assert lines[0].startswith("#2 ") and "value: 46 → 64" in lines[0] and "46次" in lines[0]
    assert "deadline: - → 2025-06-30" in lines[2] and lines[3].strip() == "why: 台账"
    undone = run("overrides", "revert", "1", "--reason", "不对", "--db", db)
    assert undone.returncode == 0, undone.stderr
    again = run("overrides", "revert", "1", "--reason", "再来", "--db", db)
    assert again.returncode == 2 and "#3" in again.stderr
    listed = run("overrides", "list", "--db", db, "--field", "deadline").stdout
    assert "[undoes #1]" in listed and "[undone by #3]" in listed
    con = connect_readonly(db)
    assert con.execute("SELECT deadline FROM measure WHERE measure_id = 'M3'").fetchone() == (None,)
    assert con.execute("SELECT value FROM metric WHERE raw = '46次'").fetchone() == (64.0,)
    con.close()


@pytest.mark.slow
def test_user_roles_from_the_command_line(tmp_path):
    users = tmp_path / "users"
    added = run("user", "add", "ana", "--users", users, "--role", "editor", "--password-stdin",
                input="a long password\n")  # fmt: skip
    assert added.returncode == 0 and "as an editor" in added.stdout
    assert users.read_text().startswith("ana:editor:scrypt:")
    assert run("user", "role", "ana", "viewer", "--users", users).returncode == 0
    assert users.read_text().startswith("ana:viewer:scrypt:")
    assert run("user", "role", "bob", "editor", "--users", users).returncode == 2
