"""The `rectify` command as a user runs it: clear one-line errors, exit codes, no tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPORTS_DIR, SEED, SEED_GOLD

RECTIFY = str(Path(sys.executable).with_name("rectify"))


def run(*args, env=None):
    return subprocess.run(
        [RECTIFY, *map(str, args)],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


@pytest.mark.parametrize(
    "sub",
    [
        "text",
        "extract",
        "load",
        "reports",
        "eval",
        "override",
        "overrides",
        "serve",
        "export",
        "user",
    ],
)
def test_help_on_every_subcommand(sub, capsys):
    # The parser the console script runs, asked in this process: a process per subcommand
    # would only time the interpreter's start, which test_text_and_extract covers.
    from rectify.cli import main

    with pytest.raises(SystemExit) as exited:
        main([sub, "--help"])
    assert exited.value.code == 0 and "usage: rectify " + sub in capsys.readouterr().out


def test_text_and_extract(seed_text):
    assert run("text", SEED).stdout == seed_text + "\n"
    out = json.loads(run("extract", SEED).stdout)
    assert set(out) == {"report", "findings", "measures", "metrics", "warnings"}
    assert len(out["measures"]) == 79 and out["report"]["team"] == "区委巡察一组"
    assert {"deadline", "owner", "evidence", "status_cue", "partners"} <= set(out["measures"][0])


@pytest.mark.slow
def test_load_summary_and_env_db(tmp_path):
    db = tmp_path / "env.duckdb"
    proc = run("load", SEED, env={"RECTIFY_DB": str(db)})
    assert proc.returncode == 0, proc.stderr
    assert "000_ea4a386f79e332ee.txt" in proc.stdout and "79 measures" in proc.stdout
    assert db.exists()
    listing = run("reports", env={"RECTIFY_DB": str(db)}).stdout
    assert "区城市管理委党委关于四届区委第八轮巡察集中整改进展情况的通报" in listing


@pytest.mark.slow
def test_load_prints_each_files_warnings_or_their_count(tmp_path):
    db = tmp_path / "w.duckdb"
    doubtful = REPORTS_DIR / "r04.txt"  # an opening: no header facts, 34 problems stated
    proc = run("load", SEED, doubtful, "--db", db)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("loaded r04.txt"))
    under = lines[at + 1 : next(i for i in range(at + 1, len(lines)) if lines[i][0] != " ")]
    warned = [line for line in under if line.startswith("  warning")]
    noted = [line for line in under if line.startswith("  note")]
    assert "  warning [stated_vs_counted]: the report states 34 problems" in "\n".join(warned)
    # A header field not given is a note (info level), not a warning to review.
    assert any("[header_missing]" in line for line in noted)
    seed_at = next(i for i, line in enumerate(lines) if line.startswith("loaded 000_"))
    seed_under = lines[
        seed_at + 1 : next(i for i in range(seed_at + 1, len(lines)) if lines[i][0] != " ")
    ]
    assert not [line for line in seed_under if line.startswith("  warning")]  # none to review
    quiet = run("load", doubtful, "--db", db, "--quiet").stdout
    said = f"{len(warned)} warning{'s' if len(warned) != 1 else ''} to review"
    said += f", {len(noted)} note{'s' if len(noted) != 1 else ''}"
    assert said in quiet
    assert "  warning" not in quiet and "  note" not in quiet
    assert "1 item, " in quiet and "(s)" not in quiet  # one item, not "1 items"


@pytest.mark.slow
def test_batch_with_bad_files_loads_the_good_ones(tmp_path):
    db = tmp_path / "w.duckdb"
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "blob.txt"
    binary.write_bytes(bytes(range(256)) * 4)
    prose = tmp_path / "prose.txt"
    prose.write_text("今天天气很好,我们去公园散步。", encoding="utf-8")
    proc = run("load", SEED, empty, binary, prose, tmp_path / "missing.txt", "--db", db)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "loaded 000_ea4a386f79e332ee.txt" in proc.stdout
    for name, problem in [
        ("empty.txt", "empty"),
        ("blob.txt", "binary"),
        ("prose.txt", "no rectification report"),
        ("missing.txt", "not found"),
    ]:
        line = next(ln for ln in proc.stderr.splitlines() if name in ln)
        assert problem in line
    assert "1 report loaded" in proc.stdout and "4 files not loaded" in proc.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("text", "/no/such/file.txt"),
        ("extract", "/no/such/file.txt"),
        ("reports", "--db", "/no/such/w.duckdb"),
    ],
)
@pytest.mark.slow
def test_single_bad_input_exit_2(args):
    proc = run(*args)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def main_here(capsys, *args) -> subprocess.CompletedProcess:
    """`rectify ARGS` as the console script runs it (main), in this process: for commands
    whose whole output is their own print-out (no library logging), where a process each
    would time only the interpreter's start."""
    from rectify.cli import main

    code = main(list(map(str, args)))
    out, err = capsys.readouterr()
    return subprocess.CompletedProcess(args, code, out, err)


def test_eval_prints_one_table(capsys):
    proc = main_here(capsys, "eval", SEED_GOLD, SEED)
    assert proc.returncode == 0 and proc.stderr == ""
    for row in (
        "skeleton exact",
        "metric precision",
        "metric recall",
        "indicator totals exact",
        "category accuracy",
        "status accuracy",
        "department F1",
    ):
        assert row in proc.stdout
    assert "gas_hazards_closed" in proc.stdout


def test_eval_on_report_openings(reports_index, capsys):
    from conftest import REPORTS_INDEX

    openings = [REPORTS_DIR / e["file"] for e in reports_index]
    proc = main_here(capsys, "eval", REPORTS_INDEX, *openings)
    assert proc.returncode == 0 and proc.stdout.count("metric F1") == len(reports_index)


@pytest.mark.slow
def test_override_survives_reload(tmp_path):
    db = tmp_path / "w.duckdb"
    assert run("load", SEED, "--db", db).returncode == 0
    proc = run(
        "override",
        "000_ea4a386f79e332ee.txt",
        "--measure",
        "M3",
        "--category",
        "assets",
        "--status",
        "in_progress",
        "--db",
        db,
        "--note",
        "test",
    )
    assert proc.returncode == 0, proc.stderr
    proc = run(
        "override",
        "000_ea4a386f79e332ee.txt",
        "--value",
        "46",
        "--indicator",
        "trainings",
        "--db",
        db,
        "--reason",
        "a training, as the source says",
    )
    assert proc.returncode == 0, proc.stderr
    assert run("load", SEED, "--db", db).returncode == 0
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT category, status FROM measure WHERE measure_id='M3'").fetchone() == (
        "assets",
        "in_progress",
    )
    assert con.execute(
        "SELECT indicator FROM metric WHERE measure_id='M14' AND value=46"
    ).fetchone() == ("trainings",)
    con.close()
    bad = run(
        "override",
        "000_ea4a386f79e332ee.txt",
        "--measure",
        "M3",
        "--indicator",
        "nope",
        "--value",
        "1",
        "--db",
        db,
        "--reason",
        "x",
    )
    assert bad.returncode == 2 and "unknown indicator" in bad.stderr
    # Both corrections are in the log, with the reasons given.
    listed = run("overrides", "list", "--db", db)
    assert listed.returncode == 0 and listed.stdout.count("why: test") == 2
    assert "why: a training, as the source says" in listed.stdout


@pytest.mark.parametrize("indent", [2, None])
def test_extract_json_is_written_piece_by_piece_as_json_dumps_writes_it(indent, seed_extraction):
    from etl.extract import extract

    for x in (seed_extraction, extract("没有结构的一句话。")):
        whole = json.dumps(x.to_dict(), ensure_ascii=False, indent=indent)
        assert "".join(x.json_chunks(indent)) == whole


@pytest.mark.parametrize(
    "name,raw,says,not_says",
    [
        # pypdf's own repair notes (EOF marker not found) are not printed beside ours.
        ("damaged.pdf", b"%PDF-1.4 xxx", "not a readable PDF", None),
        # A CSV has no sheets to name: no empty "sheets left out: ." clause.
        ("tiny.csv", b"a,b,c\n", "no ledger header found", "sheets left out"),
    ],
)
def test_a_damaged_file_gets_exactly_one_line(tmp_path, name, raw, says, not_says):
    path = tmp_path / name
    path.write_bytes(raw)
    proc = run("extract", path)
    assert proc.returncode == 2 and proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and name in lines[0] and says in lines[0]
    assert not_says is None or not_says not in lines[0]


@pytest.mark.slow  # loads warehouses through several rectify processes
def test_a_db_that_is_some_other_file_is_named_and_left_alone(tmp_path):
    """--db given a report by mistake: one line saying so, the file untouched, no copy left."""
    db = tmp_path / "notes.duckdb"
    db.write_text("巡察整改台账,not a warehouse\n", encoding="utf-8")
    before = db.read_bytes()
    for args in (("load", SEED, "--db", db), ("reports", "--db", db)):
        proc = run(*args)
        assert proc.returncode == 2 and "Traceback" not in proc.stderr
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1 and str(db) in lines[0] and "not a DuckDB warehouse" in lines[0]
        assert "disk space" not in lines[0]
    assert db.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith("tmp")) == []


@pytest.mark.slow  # loads warehouses through several rectify processes
def test_an_override_that_misses_says_whether_the_report_or_the_measure_is_wrong(tmp_path):
    db = tmp_path / "w.duckdb"
    assert run("load", SEED, "--db", db).returncode == 0
    name = "000_ea4a386f79e332ee.txt"
    cases = [
        ((name, "--measure", "M999", "--status", "completed"), "has no measure M999", "M1–M79"),
        (("nope.txt", "--measure", "M1", "--status", "completed"), "no report with this id", ""),
        (
            (name, "--measure", "M3", "--value", "123456", "--indicator", "none"),
            "in measure M3",
            "",
        ),
    ]
    for args, says, also in cases:
        proc = run("override", *args, "--db", db, "--reason", "test")
        lines = proc.stderr.strip().splitlines()
        assert proc.returncode == 2 and len(lines) == 1, proc.stderr
        assert says in lines[0] and also in lines[0] and args[0] in lines[0]
    assert run("overrides", "list", "--db", db).stdout.strip() == "no corrections logged"


@pytest.mark.slow  # loads warehouses through several rectify processes
def test_overrides_mistakes_get_one_line_naming_what_is_wrong(tmp_path):
    db = tmp_path / "w.duckdb"
    assert run("load", SEED, "--db", db).returncode == 0
    cases = [
        (("revert", "99", "--reason", "x"), "no entry #99"),
        (("list", "--since", "2025-13-01"), "'2025-13-01' is not a date"),
        (("list", "--limit", "0"), "1 or more"),
    ]
    for args, says in cases:
        proc = run("overrides", *args, "--db", db)
        lines = proc.stderr.strip().splitlines()
        assert proc.returncode == 2 and len(lines) == 1 and says in lines[0], proc.stderr
