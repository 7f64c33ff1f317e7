"""Time and memory linear in the input: hostile texts run through `rectify extract` in a
subprocess under a 1 GiB address-space limit, which must exit 0 with valid JSON. The
tests assert the exit, never a time (benchmarks/run.py measures the time)."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SHARED

pytestmark = pytest.mark.slow  # each test starts a process

RECTIFY = str(Path(sys.executable).with_name("rectify"))
ADDRESS_SPACE = 1 << 30  # 1 GiB
HEAD = (
    "中共某区委关于巡察集中整改进展情况的通报\n"
    "根据区委统一部署,2023年7月13日至8月31日,区委第五巡察组对某局党组开展了常规巡察。\n"
    "一、巡察整改组织领导情况\n局党组高度重视巡察整改工作。\n"
    "二、反馈意见整改落实情况\n1.关于“落实不到位”问题\n整改情况:"
)


def _limit() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


def _extract_bounded(path: Path, out: Path) -> dict:
    with out.open("wb") as sink:
        proc = subprocess.run(
            [RECTIFY, "extract", "--compact", str(path)],
            stdout=sink,
            stderr=subprocess.PIPE,
            preexec_fn=_limit,
            timeout=900,
        )
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")[-2000:]
    return json.loads(out.read_text(encoding="utf-8"))


def test_a_run_of_200000_chinese_numerals(tmp_path):
    path = tmp_path / "numerals.txt"
    path.write_text(HEAD + "一" * 200_000 + "次。\n", encoding="utf-8")
    x = _extract_bounded(path, tmp_path / "out.json")
    assert [f["level"] for f in x["findings"]] == ["problem"]
    assert x["metrics"] == []  # a numeral run is not a quantity


def test_a_2000000_character_line_with_figures(tmp_path):
    unit = "组织开展专项检查整改工作,督促落实各项整改措施,培训干部3次,追缴资金12.5万元;"
    line = unit * (2_000_000 // len(unit))
    path = tmp_path / "line.txt"
    path.write_text(HEAD + line + "\n", encoding="utf-8")
    x = _extract_bounded(path, tmp_path / "out.json")
    figures = 2 * (2_000_000 // len(unit))
    assert len(x["metrics"]) == figures
    assert {m["value"] for m in x["metrics"]} == {3, 125000}
    assert len(x["measures"]) == 2


def test_runs_of_spaces_tabs_and_digits(tmp_path):
    """Whitespace runs in a title line and in the text, and a long run of digits."""
    path = tmp_path / "runs.txt"
    path.write_text(
        "中共某县林业局党组关于巡察整改情况的通报 "
        + " " * 300_000
        + "。\n"
        + HEAD.split("\n", 1)[1]
        + "整改"
        + "\t" * 300_000
        + "完成。"
        + "1" * 300_000
        + "次。\n",
        encoding="utf-8",
    )
    x = _extract_bounded(path, tmp_path / "out.json")
    assert x["report"]["team"] == "区委第五巡察组" and x["metrics"] == []


@pytest.mark.skipif(
    not (SHARED / "cases" / "hostile" / "txt_long_line_50000.txt").exists(),
    reason="../shared/cases is not beside this clone",
)
def test_the_shared_50000_character_line(tmp_path):
    x = _extract_bounded(
        SHARED / "cases" / "hostile" / "txt_long_line_50000.txt", tmp_path / "out.json"
    )
    assert x["metrics"] and all(m["raw"] in ("12.5万元", "3次") for m in x["metrics"])
