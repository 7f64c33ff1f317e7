"""Corrections, their log and the review list, on real warehouses (no browser, no server):
a correction applied to the stored report equals what reloading its file gives, is kept
across reloads, is logged with who, when, old → new and why, and can be undone (which is
logged too); refusals change nothing; two editors at once both keep theirs; review marks
outlive reloads; exports count what was corrected by hand."""

from __future__ import annotations

import io
import json
import shutil
import threading
from datetime import date
from pathlib import Path

import duckdb
import pytest
from conftest import SEED
from openpyxl import Workbook, load_workbook

from etl.extract import extract
from etl.overrides import Change, Entry, Override, apply_overrides, replay, restore
from pipeline import load_paths
from pipeline.corrections import (
    CorrectionRefused,
    Edit,
    mark_reviewed,
    open_log,
    overrides_in_force,
    record,
    revert,
)
from views.review import review_page, unreviewed
from warehouse import queries
from warehouse.corrections import LogFilter, log_path
from warehouse.db import connect_readonly
from warehouse.filters import Filters
from warehouse.load import TABLES as LOADED

TABLES = (
    *LOADED,
    "measure_fact",
    "item_fact",
    "rollup",
    "rollup_all",
    "department",
)


# Opening a warehouse costs a DuckDB instance (some 20 ms): a test reads what it checks
# between two writes through one read-only connection (`with connect_readonly(db) as con`),
# closed before the next write.


def dump(con: duckdb.DuckDBPyConnection) -> dict[str, list]:
    """Every table's rows (loaded_at aside), sorted: two warehouses that say the same compare
    equal."""
    out = {}
    for table in TABLES:
        rows = con.execute(f"SELECT COLUMNS(lambda c: c != 'loaded_at') FROM {table}").fetchall()
        out[table] = sorted(map(repr, rows))
    return out


def dump_of(db: Path) -> dict[str, list]:
    with connect_readonly(db) as con:
        return dump(con)


def one(con: duckdb.DuckDBPyConnection, sql: str, params=None):
    return con.execute(sql, params or {}).fetchone()


def one_of(db: Path, sql: str, params=None):
    """`one` on a connection of its own, for a single read between two writes."""
    with connect_readonly(db) as con:
        return one(con, sql, params)


def report_id(con: duckdb.DuckDBPyConnection) -> str:
    return one(con, "SELECT report_id FROM report LIMIT 1")[0]


@pytest.fixture(scope="module")
def seed_rid(con) -> str:
    """The seed's report id, as every copy of the seed warehouse holds it."""
    return report_id(con)


@pytest.fixture(scope="module")
def loaded(tmp_path_factory, _seed_db_template):
    """`loaded(paths, db)`: a warehouse at `db` holding the files `paths`, a copy of one
    loaded once per module for those files (a load costs some 0.3 s), so each test may change
    its own. Tests that check loading itself load."""
    templates: dict[tuple[Path, ...], Path] = {(SEED,): _seed_db_template}

    def copy(paths: list[Path], db: Path) -> Path:
        key = tuple(paths)
        if key not in templates:
            template = tmp_path_factory.mktemp("loaded") / "w.duckdb"
            assert not load_paths(list(paths), template).failed
            templates[key] = template
        db.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(templates[key], db)
        return db

    return copy


@pytest.fixture(scope="module")
def ledger(tmp_path_factory) -> Path:
    """A 整改台账 with a blank status cell (unknown, listed for review) and deadlines (one
    file for the module: tests only read it)."""
    book = Workbook()
    sheet = book.active
    sheet.append(["区城市管理委党委巡察反馈问题整改台账"])
    sheet.append(["序号", "反馈问题", "整改措施", "责任单位", "整改时限", "整改状态"])
    sheet.append(
        [
            "1",
            "燃气安全隐患排查不彻底",
            "排查整改燃气隐患108项",
            "区城市管理委",
            date(2024, 12, 31),
            "已完成",
        ]
    )
    sheet.append(["2", "园林养护管理不到位", "补植苗木1200余株", "园林中心", "2025-06-30", ""])
    sheet.append(["3", "内部控制制度不健全", "修订财务制度5项", "财务室", "2025-03-01", "正在整改"])
    path = tmp_path_factory.mktemp("ledger") / "台账.xlsx"
    book.save(path)
    return path


# -- the pure part: overrides applied, undone, and the log replayed --------------------------


def test_applying_overrides_says_what_changed_and_restoring_gives_the_extraction_back(seed_text):
    x = extract(seed_text)
    read = x.to_dict()
    # A findings measure, completed as read, alone under its item.
    m = next(
        m
        for m in x.measures
        if m.finding_id
        and m.status == "completed"
        and sum(o.finding_id == m.finding_id for o in x.measures) == 1
    )
    category = m.category
    first = next(i for i, mt in enumerate(x.metrics, start=1) if mt.measure_id == "M14")
    overrides = [
        Override("rid", measure=m.id, status="in_progress", note="台账"),
        Override("rid", measure=m.id, departments=["办公室", "财务室"], deadline="2025-06-30"),
        Override("rid", metric=first, metric_value=float(x.metrics[first - 1].value), new_value=64),
        Override("other", measure=m.id, category="assets"),  # another report's: not applied
    ]
    changes = apply_overrides(x, "rid", "seed.txt", overrides)
    fields = {(c.target, c.key, c.field) for c in changes}
    assert {("measure", m.id, "status"), ("measure", m.id, "status_cue")} <= fields
    assert ("measure", m.id, "departments") in fields and ("measure", m.id, "deadline") in fields
    assert ("metric", str(first), "value") in fields
    assert m.status == "in_progress" and m.status_cue == "override: 台账"
    assert m.category == category  # the other report's: untouched
    assert x.metrics[first - 1].value == 64.0
    # A finding's status follows its measures, and is kept to be restored, not as by hand.
    assert any(c.target == "finding" and not c.by_hand for c in changes)
    assert sum(c.by_hand for c in changes) == 4
    restore(x, changes)
    again = x.to_dict()
    for key in ("findings", "measures"):
        assert again[key] == read[key]
    assert [float(m["value"]) for m in again["metrics"]] == [
        float(m["value"]) for m in read["metrics"]
    ]


def test_a_figure_is_found_by_its_number_and_value_as_read_even_once_corrected(seed_text):
    x = extract(seed_text)
    n = next(i for i, mt in enumerate(x.metrics, start=1) if mt.measure_id == "M14")
    read = float(x.metrics[n - 1].value)
    changes = apply_overrides(
        x,
        "rid",
        "f",
        [
            Override("rid", metric=n, metric_value=read, new_value=read + 1),
            Override("rid", metric=n, metric_value=read, indicator="trainings"),
        ],
    )
    assert x.metrics[n - 1].value == read + 1 and x.metrics[n - 1].indicator == "trainings"
    assert {c.field for c in changes} == {"value", "indicator"}
    # A number that no longer fits the value as read falls back to the value, within the measure.
    x2 = extract(seed_text)
    apply_overrides(
        x2,
        "rid",
        "f",
        [Override("rid", measure="M14", metric=1, metric_value=read, indicator="trainings")],
    )
    assert x2.metrics[n - 1].indicator == "trainings"


def test_the_log_replays_sets_and_undos_and_only_the_last_change_to_a_field_may_be_undone():
    def e(i, new=None, reverts=None, field="status"):
        return Entry(i, "r", field, new, measure="M1", reverts=reverts)

    state = replay([e(1, "completed"), e(2, "in_progress"), e(3, "assets", field="category")])
    assert [(o.status, o.category) for o in state.overrides] == [
        ("in_progress", None),
        (None, "assets"),
    ]
    assert not state.revertible(1, e(1).key) and state.revertible(2, e(2).key)
    # Undoing #2 puts back #1's value; undoing #1 then removes the override (the value as read).
    state = replay([e(1, "completed"), e(2, "in_progress"), e(4, reverts=2)])
    assert [o.status for o in state.overrides] == ["completed"] and state.undone == {2: 4}
    state = replay([e(1, "completed"), e(2, "in_progress"), e(4, reverts=2), e(5, reverts=1)])
    assert state.overrides == []
    # An undo is itself a change that may be undone.
    state = replay([e(1, "completed"), e(4, reverts=1), e(6, reverts=4)])
    assert [o.status for o in state.overrides] == ["completed"] and state.revertible(6, e(6).key)


# -- applied to the warehouse at once, as a reload would -----------------------------------------


@pytest.mark.parametrize("source", ["seed", "ledger"])
def test_a_correction_applied_at_once_equals_a_reload_and_survives_one(
    tmp_path, ledger, loaded, source
):
    path = SEED if source == "seed" else ledger
    db = loaded([path], tmp_path / "a" / "w.duckdb")
    with connect_readonly(db) as con:
        rid = report_id(con)
        measure, status = one(
            con, "SELECT measure_id, status FROM measure ORDER BY ordinal LIMIT 1"
        )
        metric, value = one(con, "SELECT metric_no, value FROM metric ORDER BY metric_no LIMIT 1")
    new_status = "not_started" if status != "not_started" else "completed"
    ids = record(
        db,
        [
            Edit(rid, "status", new_status, measure=measure),
            Edit(rid, "category", "assets", measure=measure),
            Edit(rid, "departments", ["财务室", "办公室"], measure=measure),
            Edit(rid, "deadline", "2026-01-31", measure=measure),
            Edit(rid, "value", value + 10, metric=metric),
            Edit(rid, "indicator", "trainings", metric=metric),
        ],
        "张三",
        "核对原件",
    )
    assert len(ids) == 6
    with connect_readonly(db) as con:
        applied = dump(con)
        assert one(
            con,
            "SELECT status, category, deadline FROM measure WHERE measure_id = $m",
            {"m": measure},
        ) == (new_status, "assets", date(2026, 1, 31))
        assert one(
            con, "SELECT value, indicator FROM metric WHERE metric_no = $n", {"n": metric}
        ) == (value + 10, "trainings")
    # A fresh warehouse loaded from the file with the same log says the same, table by table.
    fresh = tmp_path / "b" / "w.duckdb"
    fresh.parent.mkdir()
    log_path(fresh).write_bytes(log_path(db).read_bytes())
    load_paths([path], fresh)
    assert dump_of(fresh) == applied
    # Reloading the file keeps every correction.
    load_paths([path], db)
    assert dump_of(db) == applied
    # The log says who, when, what and why.
    entry = open_log(db).entries(LogFilter(field="status"))[0]
    assert (entry["user"], entry["reason"], json.loads(entry["old"]), json.loads(entry["new"])) == (
        "张三",
        "核对原件",
        status,
        new_status,
    )
    assert entry["at"].startswith(str(date.today().year)[:2])


def test_undoing_restores_the_value_as_read_and_both_entries_remain(seed_db, seed_rid):
    db, rid = seed_db, seed_rid
    before = dump_of(db)
    (first,) = record(db, [Edit(rid, "status", "not_started", measure="M3")], "a", "why")
    assert one_of(db, "SELECT status FROM measure WHERE measure_id = 'M3'")[0] == "not_started"
    undo = revert(db, first, "b", "wrong one")
    assert dump_of(db) == before  # as read again, the correction table empty
    entries = open_log(db).entries()
    assert [(e["id"], e["reverts"], e["undone_by"]) for e in entries] == [
        (undo, first, None),
        (first, None, undo),
    ]
    assert json.loads(entries[0]["new"]) == "completed"
    with pytest.raises(CorrectionRefused) as refused:
        revert(db, first, "b", "again")
    assert refused.value.code == "superseded"
    # Undoing the undo applies the correction again.
    revert(db, undo, "c", "it was right")
    assert one_of(db, "SELECT status FROM measure WHERE measure_id = 'M3'")[0] == "not_started"


def test_refusals_change_nothing(seed_db, seed_rid):
    db, rid = seed_db, seed_rid
    record(db, [Edit(rid, "category", "assets", measure="M3")], "a", "first")
    stamp, tables = db.stat().st_mtime_ns, dump_of(db)
    cases = {
        "no_reason": ([Edit(rid, "status", "not_started", measure="M3")], "  "),
        "invalid": ([Edit(rid, "status", "finished", measure="M3")], "x"),
        "unknown": ([Edit(rid, "status", "not_started", measure="M999")], "x"),
        "nothing": ([Edit(rid, "category", "assets", measure="M3")], "x"),
        # What the editor saw is not what the warehouse holds now: someone changed it.
        "conflict": ([Edit(rid, "category", "safety", measure="M3", seen="party_building")], "x"),
    }
    for code, (edits, reason) in cases.items():
        with pytest.raises(CorrectionRefused) as refused:
            record(db, edits, "b", reason)
        assert refused.value.code == code
    # A whole batch is refused with its one bad edit.
    with pytest.raises(CorrectionRefused):
        record(
            db,
            [
                Edit(rid, "status", "not_started", measure="M4"),
                Edit(rid, "deadline", "soon", measure="M4"),
            ],
            "b",
            "x",
        )
    assert db.stat().st_mtime_ns == stamp and dump_of(db) == tables
    assert open_log(db).count() == 1


def test_two_editors_at_the_same_moment_both_keep_their_change(seed_db, seed_rid):
    db, rid = seed_db, seed_rid
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def edit(measure: str, user: str) -> None:
        start.wait()
        try:
            record(
                db, [Edit(rid, "status", "not_started", measure=measure)], user, f"{user}'s reason"
            )
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=edit, args=args) for args in (("M3", "甲"), ("M4", "乙"))]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
    with connect_readonly(db) as con:
        statuses = dict(
            con.execute(
                "SELECT measure_id, status FROM measure WHERE measure_id IN ('M3', 'M4')"
            ).fetchall()
        )
    assert statuses == {"M3": "not_started", "M4": "not_started"}
    assert sorted(e["user"] for e in open_log(db).entries()) == ["乙", "甲"]


def test_a_load_while_a_correction_waits_keeps_it(seed_db, seed_rid):
    """The log is read under the warehouse's writer lock, so a load that prepared its files
    before a correction was saved still writes the correction."""
    from pipeline import prepare_file, write_prepared

    db, rid = seed_db, seed_rid
    prepared = prepare_file(SEED)  # read before the correction
    record(db, [Edit(rid, "status", "not_started", measure="M3")], "a", "why")
    write_prepared(db, [prepared])
    assert one_of(db, "SELECT status FROM measure WHERE measure_id = 'M3'")[0] == "not_started"


def test_the_overrides_yaml_of_an_earlier_version_is_imported_once(tmp_path):
    db = tmp_path / "w.duckdb"
    (tmp_path / "overrides.yaml").write_text(
        "overrides:\n- report: 000_ea4a386f79e332ee.txt\n  measure: M3\n  category: assets\n"
        "  note: 旧的更正\n  added: '2025-01-02'\n- report: 000_ea4a386f79e332ee.txt\n"
        "  metric_value: 46\n  indicator: trainings\n",
        encoding="utf-8",
    )
    load_paths([SEED], db)
    with connect_readonly(db) as con:
        assert one(con, "SELECT category FROM measure WHERE measure_id = 'M3'")[0] == "assets"
        assert one(con, "SELECT indicator FROM metric WHERE value = 46")[0] == "trainings"
    assert (
        not (tmp_path / "overrides.yaml").exists()
        and (tmp_path / "overrides.yaml.imported").exists()
    )
    entries = open_log(db).entries()
    assert {(e["field"], e["via"], e["user"]) for e in entries} == {
        ("category", "import", "overrides.yaml"),
        ("indicator", "import", "overrides.yaml"),
    }
    assert len(overrides_in_force(db)) == 2
    # Undoing an imported correction puts back the value as read.
    entry = next(e for e in entries if e["field"] == "category")
    revert(db, entry["id"], "a", "not so")
    assert one_of(db, "SELECT category FROM measure WHERE measure_id = 'M3'")[0] == "party_building"


def test_a_warehouse_without_a_log_gets_none_from_a_load(seed_db):
    load_paths([SEED], seed_db)
    assert not log_path(seed_db).exists()


# -- the review list ---------------------------------------------------------------------------


def test_review_list_marks_outlive_reloads_and_a_corrected_status_leaves_it(
    tmp_path, ledger, loaded
):
    from views.reports import reports_page

    db = loaded([SEED, ledger], tmp_path / "w.duckdb")
    log = open_log(db)

    def counts(con, f: Filters | None = None):
        return unreviewed(con, log, f or Filters())

    # Review marks are kept in the log beside the warehouse: marking one leaves the warehouse
    # file as it is, so one connection reads it until a load or a correction replaces it.
    with connect_readonly(db) as con:
        items = con.execute(
            "SELECT report_id, measure_id, unknown, warnings FROM review_item ORDER BY ALL"
        ).fetchall()
        unknown = [(r, m) for r, m, u, _w in items if u]
        assert len(unknown) == 1  # the blank status cell
        rid, mid = unknown[0]
        total = counts(con)
        assert total.open == total.entries == len(items)
        assert counts(con, Filters(report=rid)).open == sum(1 for r, *_ in items if r == rid)
        mark_reviewed(db, rid, mid, "王五")
        assert counts(con).open == total.open - 1
    load_paths([ledger], db)  # reloaded: the mark stays
    with connect_readonly(db) as con:
        assert counts(con).open == total.open - 1
        page = review_page(con, log, Filters(), 1, "zh", include_done=True)
        shown = next(r for r in page.rows if (r.report_id, r.measure_id) == (rid, mid))
        assert shown.reviewed[0] == "王五" and "状态未明确" in shown.reasons[0]
        assert shown.figures == 1
        assert any("为空" in reason for reason in shown.reasons)  # the cell's warning, in Chinese
        mark_reviewed(db, rid, mid, "王五", on=False)
        assert counts(con).open == total.open
    # Correcting the unknown status settles the blank cell's warning too: the measure
    # leaves the list, and the cell's warning stays on the 通报 page as a note.
    record(db, [Edit(rid, "status", "in_progress", measure=mid)], "王五", "电话核实")
    with connect_readonly(db) as con:
        page = review_page(con, log, Filters(report=rid), 1, "en")
        notes = reports_page(con, None, 1, "en").notes.get(rid, [])
    assert mid not in [r.measure_id for r in page.rows]
    assert any("is empty" in note for note in notes)


def blank_status_ledger(path: Path, title: str) -> Path:
    """A 整改台账 of four measures, three of them with a blank status cell (unknown)."""
    book = Workbook()
    sheet = book.active
    sheet.append([title])
    sheet.append(["序号", "反馈问题", "整改措施", "责任单位", "整改状态"])
    sheet.append(["1", "绿地养护不到位", "补植苗木1200余株", "园林中心", ""])
    sheet.append(["2", "财务制度不健全", "修订财务制度5项", "财务室", ""])
    sheet.append(["3", "公园设施老化", "更换座椅80张", "公园科", ""])
    sheet.append(["4", "档案管理不规范", "整理档案300卷", "办公室", "已完成"])
    book.save(path)
    return path


@pytest.mark.slow  # a scenario through several pages or exports: make test runs it
def test_a_report_whose_unknown_statuses_are_all_corrected_is_settled(tmp_path):
    """Once an analyst has given every measure of unknown status a status, the report's
    recount warning (0 still unknown) and its blank-cell warnings are settled: the report
    leaves the 待核查 list and raises no 待核查 mark (overview, 通报 page, deck), the count
    of reports to review drops, the 通报 page keeps the warnings as notes and the audit trail
    keeps the corrections; one undone, the report is listed and marked again."""
    from views.audit import audit_page
    from views.doubts import gather_doubts
    from views.reports import report_warnings, reports_page

    paths = [
        blank_status_ledger(tmp_path / "园林.xlsx", "区园林局党组巡察反馈问题整改台账"),
        blank_status_ledger(tmp_path / "水务.xlsx", "区水务局党组巡察反馈问题整改台账"),
    ]
    db = tmp_path / "w.duckdb"
    load_paths(paths, db)
    log = open_log(db)

    def state(con) -> tuple:
        page = review_page(con, log, Filters(report=rid), 1, "en")
        reports = reports_page(con, None, 1, "en")
        return (
            [(r.measure_id, len(r.reasons)) for r in page.rows],
            page.counts,
            gather_doubts(con, rid).total,
            gather_doubts(con, None).total,
            len(report_warnings(con, rid, "en")),
            len(reports.notes.get(rid, [])),
        )

    def state_now() -> tuple:
        with connect_readonly(db) as con:
            return state(con)

    with connect_readonly(db) as con:
        rows = con.execute(
            """SELECT r.report_id, m.measure_id FROM measure m JOIN report r USING (report_id)
               WHERE m.status = 'unknown' AND r.title LIKE '%园林%' ORDER BY m.ordinal"""
        ).fetchall()
        rid, unknown = rows[0][0], [m for _r, m in rows]
        assert len(unknown) == 3
        # At load: the report's own entry (its count) and the three measures, each with its cell.
        listed, counts, marked, to_review, warnings, notes = state(con)
    assert listed == [("", 1), (unknown[0], 2), (unknown[1], 2), (unknown[2], 2)]
    assert (counts.entries, counts.open, marked, to_review, warnings, notes) == (4, 4, 1, 2, 4, 0)
    ids = [
        record(db, [Edit(rid, "status", "completed", measure=m)], "王五", "电话核实")[0]
        for m in unknown[:2]
    ]
    listed, counts, marked, to_review, warnings, notes = state_now()
    assert listed == [("", 1), (unknown[2], 2)]  # 1 still unknown: not settled yet
    assert (counts.open, marked, to_review, warnings) == (2, 1, 2, 2)
    ids += record(db, [Edit(rid, "status", "in_progress", measure=unknown[2])], "王五", "现场核实")
    with connect_readonly(db) as con:
        listed, counts, marked, to_review, warnings, notes = state(con)
        zh = reports_page(con, None, 1, "zh").notes[rid]
    assert listed == [] and (counts.entries, counts.open, counts.open_figures) == (0, 0, 0)
    assert (marked, to_review, warnings, notes) == (0, 1, 0, 4)
    assert "载入时3项整改措施状态未明确；经人工更正，现仍有0项未明确，未计入已完成" in zh
    trail = audit_page(log, LogFilter(report=rid), 1, "en")
    assert sorted(r.id for r in trail.rows) == sorted(ids) and trail.total == 3
    assert {r.reason for r in trail.rows} == {"电话核实", "现场核实"}
    # One undone: that measure is unknown again, so are the report and its count.
    revert(db, ids[2], "李四", "核实有误")
    listed, counts, marked, to_review, warnings, notes = state_now()
    assert listed == [("", 1), (unknown[2], 2)] and (marked, to_review) == (1, 2)
    assert audit_page(log, LogFilter(report=rid), 1, "en").total == 4


@pytest.mark.slow  # a scenario through several pages or exports: make test runs it
def test_the_count_of_unknown_statuses_follows_corrections(tmp_path):
    """The report's entry on the 待核查 list (and its warnings on the 通报 page and in the
    doubts of the overview and deck) says how many measures are of unknown status now, beside
    the count at load, once an analyst has corrected some; undone, it reads as at load."""
    from views.doubts import doubt_reasons, gather_doubts
    from views.reports import report_warnings

    path = blank_status_ledger(tmp_path / "台账.xlsx", "区园林局党组巡察反馈问题整改台账")
    db = tmp_path / "w.duckdb"
    load_paths([path], db)
    log = open_log(db)

    def counts_measures(sentence: str) -> bool:  # the report's count, not a cell's warning
        return "measures" in sentence or "项整改措施" in sentence

    def shown(con, lang: str) -> tuple[list[str], list[str], list[str]]:
        page = review_page(con, log, Filters(report=rid), 1, lang)
        entry = next(r for r in page.rows if r.measure_id == "")
        doubts = doubt_reasons(gather_doubts(con, rid), lang)
        return (
            [x for x in entry.reasons if counts_measures(x)],
            [x for x in report_warnings(con, rid, lang) if counts_measures(x)],
            [x for x in doubts if counts_measures(x)],
        )

    at_load = "3 measures have no readable status and are not counted as completed"
    with connect_readonly(db) as con:
        rid = report_id(con)
        unknown = [
            m
            for (m,) in con.execute(
                "SELECT measure_id FROM measure WHERE status = 'unknown' ORDER BY ordinal"
            ).fetchall()
        ]
        assert len(unknown) == 3
        counted, on_page, doubts = shown(con, "en")
    assert counted == on_page == [at_load] and len(doubts) == 1 and at_load in doubts[0]
    (first,) = record(
        db, [Edit(rid, "status", "completed", measure=unknown[0])], "王五", "电话核实"
    )
    record(db, [Edit(rid, "status", "in_progress", measure=unknown[1])], "王五", "现场核实")
    now_en = (
        "3 measures had no readable status when loaded; after corrections by hand 1 still "
        "have none and are not counted as completed"
    )
    now_zh = "载入时3项整改措施状态未明确；经人工更正，现仍有1项未明确，未计入已完成"
    with connect_readonly(db) as con:
        counted, on_page, doubts = shown(con, "en")
        assert counted == on_page == [now_en] and len(doubts) == 1 and now_en in doubts[0]
        counted, on_page, doubts = shown(con, "zh")
        assert counted == on_page == [now_zh] and now_zh in doubts[0]
    # A correction undone: two unknown again, still said beside the count at load.
    revert(db, first, "李四", "核实有误")
    with connect_readonly(db) as con:
        assert shown(con, "zh")[0] == [
            "载入时3项整改措施状态未明确；经人工更正，现仍有2项未明确，未计入已完成"
        ]


def test_a_warehouse_from_before_the_review_list_is_given_one(tmp_path, ledger, loaded):
    from pipeline.corrections import stored_review_rows
    from warehouse.load import upgrade_if_needed

    seed_db = loaded([SEED, ledger], tmp_path / "w.duckdb")
    before = dump_of(seed_db)["review_item"]
    assert len(before) == 2  # the ledger: its blank status cell, its report-wide warning
    con = duckdb.connect(str(seed_db))
    con.execute("DROP TABLE review_item")
    con.execute("DROP TABLE correction")
    con.execute("DROP TABLE warehouse_meta")  # nor did it keep which schema it had
    con.close()
    assert upgrade_if_needed(seed_db, None, stored_review_rows) is True
    assert dump_of(seed_db)["review_item"] == before


# -- exports ---------------------------------------------------------------------------------


@pytest.mark.slow  # a scenario through several pages or exports: make test runs it
def test_exports_carry_corrections_and_say_how_many_values_were_corrected(seed_db, seed_rid):
    from exports.tables import to_csv, to_xlsx
    from views.export import gather_for

    rid = seed_rid
    with connect_readonly(seed_db) as con:
        sql = "SELECT metric_no FROM metric WHERE measure_id = 'M14' ORDER BY 1 LIMIT 1"
        n = one(con, sql)[0]
        done_before = gather_for("deck", con, Filters(), "zh").kpis["measures_completed"]
    record(
        seed_db,
        [Edit(rid, "status", "not_started", measure="M3"), Edit(rid, "value", 64, metric=n)],
        "a",
        "核对",
    )
    with connect_readonly(seed_db) as con:
        xlsx = gather_for("xlsx", con, Filters(), "zh")
        csv_en = gather_for("csv", con, Filters(), "en")
        assert queries.corrected_count(con, Filters()) == 2
        assert queries.corrected_count(con, Filters(status="completed")) == 1  # M14's figure
        deck = gather_for("deck", con, Filters(), "zh")  # drawn on the corrected warehouse
    assert xlsx.corrected == 2
    book = load_workbook(io.BytesIO(to_xlsx(xlsx)))
    about = [tuple(r) for r in book["说明"].iter_rows(values_only=True)]
    assert ("人工更正", "2 处数值经人工更正（谁、何时、为何，见看板“审计记录”）") in about
    rows = list(book["整改措施"].iter_rows(values_only=True))
    head = rows[0]
    m3 = next(r for r in rows if r[head.index("措施编号")] == "M3")
    assert m3[head.index("状态")] == "未启动" and m3[head.index("人工更正")] == "状态"
    figures = list(book["数据项"].iter_rows(values_only=True))
    assert 64 in [r[figures[0].index("数值")] for r in figures[1:]]
    text = to_csv(csv_en).decode("utf-8-sig")
    assert "Corrected by hand" in text.splitlines()[0] and "Status" in text
    # The deck draws on the corrected warehouse, and each slide's notes say how many.
    from pptx import Presentation

    from exports.deck import build_deck

    slides = Presentation(io.BytesIO(build_deck(deck))).slides
    notes = [s.notes_slide.notes_text_frame.text for s in slides]
    assert all("2 处数值经人工更正" in n for n in notes)
    assert deck.kpis["measures_completed"] == done_before - 1  # M3, completed as read


def test_change_values_are_plain_json():
    c = Change("metric", "3", "value", 46, 64.0)
    assert json.dumps(c.before) == "46"  # the rows keep them as JSON


def test_a_log_not_made_yet_or_that_cannot_be_opened_to_write_is_read_without_writing(
    tmp_path, monkeypatch, loaded, seed_rid
):
    from warehouse.corrections import CorrectionLog
    from warehouse.errors import WarehouseError

    log = CorrectionLog(tmp_path / "none.corrections.sqlite")
    assert log.entries() == [] and log.reviewed() == {} and log.count() == 0
    assert not log.path.exists()  # reading made nothing
    db = loaded([SEED], tmp_path / "w.duckdb")
    record(db, [Edit(seed_rid, "status", "not_started", measure="M3")], "a", "why")

    def refused(_self):  # as in a folder this process may not write (a replica host's copy)
        raise WarehouseError("read-only")

    monkeypatch.setattr(CorrectionLog, "_connect", refused)
    assert [e["field"] for e in open_log(db).entries()] == ["status"]


def test_the_log_filters_days_as_its_times_are_shown(tmp_path, monkeypatch):
    """A period of days is the days the entries' times are shown in (the organisation's time
    zone), both included; blank is no bound, and a date that is not one is none either."""
    from zoneinfo import ZoneInfo

    from views.audit import log_filter, when
    from warehouse.corrections import CorrectionLog

    monkeypatch.setenv("RECTIFY_TZ", "Asia/Shanghai")
    log = CorrectionLog(tmp_path / "w.corrections.sqlite")
    times = (  # in Shanghai: 4 Jan 23:59:59, 5 Jan 00:00, 5 Jan 23:59:59, 6 Jan 00:00
        "2026-01-04T15:59:59+00:00",
        "2026-01-04T16:00:00+00:00",
        "2026-01-05T15:59:59+00:00",
        "2026-01-05T16:00:00+00:00",
    )
    with log.writing() as w:
        for k, at in enumerate(times):
            w.append(
                {"at": at, "user": "a", "via": "app", "report": "r", "field": "status"}
                | {"measure": f"M{k}", "new": '"completed"', "reason": "why"}
            )

    def shown(f) -> list[str]:
        return sorted(when(e["at"]) for e in log.entries(f))

    fifth = log_filter(since="2026-01-05", until="2026-01-05")
    assert fifth.zone == ZoneInfo("Asia/Shanghai")
    assert shown(fifth) == ["2026-01-05 00:00", "2026-01-05 23:59"]
    assert shown(log_filter(since="2026-01-06")) == ["2026-01-06 00:00"]
    assert shown(log_filter(until="2026-01-04")) == ["2026-01-04 23:59"]
    assert len(shown(log_filter(since="", until=None))) == 4
    forged = log_filter(since="2026-13-01", until="05/01/2026", text="  ")
    assert forged == log_filter() and len(shown(forged)) == 4
    # In UTC (the log's own times, the zone when none is given) the days fall elsewhere.
    utc = LogFilter(since="2026-01-05", until="2026-01-05")
    assert [e["at"] for e in log.entries(utc)] == [times[3], times[2]]
    with pytest.raises(ValueError):
        LogFilter(since="not a day").where()
