"""Loads into a real DuckDB file: idempotent, atomic, and never blocked by a reader."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from conftest import ROOT, SEED

from pipeline import load_paths
from warehouse import queries
from warehouse.db import ReadOnlyWarehouse, connect_readonly, swap


def _counts(db):
    con = connect_readonly(db)
    try:
        return queries.table_counts(con)
    finally:
        con.close()


def test_seed_rows(seed_db):
    counts = _counts(seed_db)
    assert counts["report"] == 1 and counts["finding"] == 43 and counts["measure"] == 79
    assert counts["metric"] == 80 and counts["indicator"] == 14


def test_reload_is_idempotent(seed_db):
    before = _counts(seed_db)
    load_paths([SEED], seed_db)
    load_paths([SEED, SEED], seed_db)
    assert _counts(seed_db) == before


def test_failed_load_leaves_warehouse_unchanged(seed_db, tmp_path):
    before = seed_db.read_bytes()
    with pytest.raises(RuntimeError), swap(seed_db) as con:
        con.execute("DELETE FROM measure")
        raise RuntimeError("killed midway")
    assert seed_db.read_bytes() == before
    assert _counts(seed_db)["measure"] == 79
    assert not list(tmp_path.glob(".*.tmp*"))


def test_killed_load_leaves_warehouse_unchanged(seed_db):
    before = seed_db.read_bytes()
    script = (
        f"import os, sys; sys.path.insert(0, {str(ROOT)!r})\n"
        "from warehouse.db import swap\n"
        f"with swap({str(seed_db)!r}) as con:\n"
        "    con.execute('DELETE FROM report')\n"
        "    os.kill(os.getpid(), 9)\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True)
    assert proc.returncode == -9
    assert seed_db.read_bytes() == before
    assert _counts(seed_db)["report"] == 1


def test_open_reader_does_not_block_a_load(seed_db, reports_index):
    from conftest import REPORTS_DIR

    reader = ReadOnlyWarehouse(seed_db)
    con = reader.connection()
    assert con.execute("SELECT count(*) FROM report").fetchone()[0] == 1
    result = load_paths([REPORTS_DIR / e["file"] for e in reports_index], seed_db)
    assert not result.failed
    # The old connection still reads the old file; the wrapper reconnects to the new one.
    assert con.execute("SELECT count(*) FROM report").fetchone()[0] == 1
    assert reader.connection().execute("SELECT count(*) FROM report").fetchone()[0] == 1 + len(
        reports_index
    )
    reader.close()


def test_queries_on_seed(seed_db):
    con = connect_readonly(seed_db)
    totals = queries.filtered_indicator_totals(con, queries.Filters()).set_index("code")["total"]
    assert totals["gas_hazards_closed"] == 108
    assert totals["heating_network_renovated"] == pytest.approx(33.9)
    cats = queries.completion(con, queries.Filters(), "measures")
    assert cats["n"].sum() == 79
    garden = queries.completion(con, queries.Filters(department="区园林绿化服务中心"), "measures")
    expected = con.execute("""SELECT count(*) FROM measure_department
        WHERE department = '区园林绿化服务中心' AND role = 'responsible'""").fetchone()[0]
    assert garden["n"].sum() == expected > 0
    reports = queries.list_reports(con)
    assert reports.loc[0, "n_items"] == 29 and reports.loc[0, "n_measures"] == 79
    path = con.execute("SELECT path FROM v_measure WHERE measure_id = 'M4'").fetchone()[0]
    assert path.endswith("在学懂弄通做实上下功夫不足") and path.count("›") == 2
    con.close()


def test_bound_parameters_take_hostile_values(seed_db):
    con = connect_readonly(seed_db)
    evil = "x' OR '1'='1"
    assert queries.completion(con, queries.Filters(report=evil), "measures").empty
    assert queries.report_header(con, evil) is None
    con.close()


def test_readonly_folder_gives_clear_error(tmp_path):
    from warehouse.db import WarehouseError

    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        if os.access(folder, os.W_OK):
            pytest.skip("root ignores folder permissions")
        with pytest.raises(WarehouseError, match="read-only"), swap(folder / "w.duckdb"):
            pass
    finally:
        folder.chmod(0o700)


def test_unwritable_location_gives_clear_error(tmp_path):
    """Works as root too: the warehouse's folder would have to be made inside a file."""
    from warehouse.db import WarehouseError

    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    with (
        pytest.raises(WarehouseError, match="cannot create the warehouse folder"),
        swap(blocker / "sub" / "w.duckdb"),
    ):
        pass


def test_a_warehouse_from_before_the_derived_tables_is_backfilled(seed_db, reports_index):
    """Upgrading: reports whose derived rows are missing get them on the next load."""
    from conftest import REPORTS_DIR

    with swap(seed_db) as con:
        con.execute("DELETE FROM rollup")
        con.execute("DELETE FROM item_fact")
        con.execute("DELETE FROM measure_fact")
    load_paths([REPORTS_DIR / reports_index[0]["file"]], seed_db)
    con = connect_readonly(seed_db)
    assert queries.completion(con, queries.Filters(), "measures")["n"].sum() == 79 + 3
    con.close()


def test_rollup_over_all_reports_follows_loads_and_deletes(seed_db, reports_index):
    from conftest import REPORTS_DIR

    from pipeline import remove_reports

    def totals_match() -> int:
        con = connect_readonly(seed_db)
        try:
            summed = con.execute(
                "SELECT unit, department, category, status, indicator, sum(n), sum(total), "
                "sum(n_lower), sum(n_approx) FROM rollup GROUP BY ALL ORDER BY ALL"
            ).fetchall()
            kept = con.execute("SELECT * FROM rollup_all ORDER BY ALL").fetchall()
            assert kept == summed
            items = queries.completion(con, queries.Filters(), "items")["n"].sum()
        finally:
            con.close()
        return int(items)

    assert totals_match() == 29
    opening = REPORTS_DIR / reports_index[0]["file"]
    result = load_paths([opening], seed_db)
    assert result.loaded
    both = totals_match()
    assert both > 29
    remove_reports(seed_db, [result.loaded[0].report_id])
    assert totals_match() == 29


def test_a_warehouse_from_before_rollup_all_is_upgraded_on_serve(seed_db):
    import duckdb

    from warehouse.load import upgrade_if_needed

    con = duckdb.connect(str(seed_db))
    con.execute("DROP TABLE rollup_all")  # as the previous version wrote it
    con.execute("DROP TABLE warehouse_meta")  # nor did it keep which schema it had
    con.close()
    assert upgrade_if_needed(seed_db) is True
    con = connect_readonly(seed_db)
    try:
        assert queries.completion(con, queries.Filters(), "items")["n"].sum() == 29
    finally:
        con.close()
    assert upgrade_if_needed(seed_db) is False  # current now: left alone


def test_the_schema_is_applied_to_a_file_of_another_schema_and_skipped_on_a_current_one(seed_db):
    import duckdb

    from warehouse.db import apply_schema

    con = duckdb.connect(str(seed_db))
    try:
        views = "SELECT count(*) FROM duckdb_views() WHERE view_name = 'v_measure_status'"
        con.execute("DROP VIEW v_measure_status")
        apply_schema(con)  # the file says it has this schema: nothing is run
        assert con.execute(views).fetchone()[0] == 0
        con.execute("UPDATE warehouse_meta SET value = 'an earlier schema' WHERE key = 'schema'")
        apply_schema(con)
        assert con.execute(views).fetchone()[0] == 1
        digest = con.execute("SELECT value FROM warehouse_meta WHERE key = 'schema'").fetchone()
        assert digest[0] != "an earlier schema" and len(digest[0]) == 64
    finally:
        con.close()


def test_duckdb_threads_follow_rectify_db_threads(con):
    from warehouse.db import db_threads

    assert [db_threads(v) for v in ("3", " 2 ", "0", "-1", "two", "", None)] == [
        3,
        2,
        None,
        None,
        None,
        None,
        None,
    ]
    # conftest sets 1 for the test processes; every connection opened here has it.
    assert con.execute("SELECT current_setting('threads')").fetchone()[0] == 1
