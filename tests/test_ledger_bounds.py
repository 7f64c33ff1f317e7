"""Hostile and huge spreadsheets end within bounds: each runs through `rectify extract` in a
subprocess under a 1 GiB address-space limit and ends with a valid extraction, or exit 2
and one line on stderr (../shared/cases/hostile, a zip bomb and a 40,000-row ledger made
here)."""

from __future__ import annotations

import csv
import io
import json
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from hostile_inputs import deflated as _deflated
from hostile_inputs import zip_bytes as _zip

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = ROOT.parent / "shared" / "cases" / "hostile"
GIB = 1 << 30
pytestmark = pytest.mark.slow  # each test starts a process


def _limit_memory():
    resource.setrlimit(resource.RLIMIT_AS, (GIB, GIB))


def run_extract(path: Path, timeout: int = 120) -> tuple[int, dict | None, str]:
    proc = subprocess.run(
        [sys.executable, "-m", "rectify.cli", "extract", "--compact", str(path)],
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=_limit_memory,
        cwd=ROOT,
    )
    if proc.returncode == 0:
        return 0, json.loads(proc.stdout), proc.stderr
    return proc.returncode, None, proc.stderr


def assert_bounded(path: Path) -> dict | None:
    """Exit 0 with a valid extraction, or exit 2 with one line naming the file."""
    code, extraction, stderr = run_extract(path)
    assert code in (0, 2), stderr[-2000:]
    if code == 2:
        lines = stderr.strip().splitlines()
        assert len(lines) == 1 and path.name in lines[0] and "Traceback" not in stderr
        return None
    assert extraction["measures"] and not stderr.strip()
    return extraction


@pytest.mark.skipif(not HOSTILE.exists(), reason="../shared/cases is not present")
@pytest.mark.parametrize(
    "name",
    [
        "xlsx_merge.xlsx",
        "xlsx_dimension.xlsx",
        "xlsx_xxe.xlsx",
        "xlsx_laughs_shared.xlsx",
        "csv_big_field.csv",
    ],
)
def test_hostile_spreadsheets_end_bounded(name):
    extraction = assert_bounded(HOSTILE / name)
    if name in ("xlsx_xxe.xlsx", "xlsx_laughs_shared.xlsx"):
        assert extraction is None  # refused: entity declarations are never read
    if name == "xlsx_merge.xlsx":  # the merged range over nothing costs nothing
        assert [m["text"] for m in extraction["measures"]] == ["措施一。"]
    if extraction:
        assert "/etc/passwd" not in json.dumps(extraction) and "root:" not in json.dumps(extraction)


def test_a_zip_bomb_workbook_is_refused(tmp_path):
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    raw = _zip(
        {
            "xl/workbook.xml": f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
            '<sheet name="台账" sheetId="1" r:id="rId1"/></sheets></workbook>'.encode(),
            "xl/_rels/workbook.xml.rels": (
                '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
                "</Relationships>"
            ).encode(),
            "xl/worksheets/sheet1.xml": _deflated(b" " * (1 << 20), 2048),  # 2 GiB of spaces
        }
    )
    assert len(raw) < 3 << 20
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(raw)
    assert assert_bounded(path) is None


def test_a_40000_row_ledger_loads(tmp_path):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["区城市管理委党委巡察反馈问题整改台账"])
    writer.writerow(["序号", "反馈问题", "整改措施", "责任单位", "完成时限", "整改状态"])
    for i in range(40_000):
        problem = f"问题{i // 2 + 1}:燃气安全隐患排查整治不彻底" if i % 2 == 0 else ""
        status = ("已完成", "正在整改", "")[i % 3]
        writer.writerow(
            [
                i // 2 + 1 if i % 2 == 0 else "",
                problem,
                f"排查整改燃气隐患{i % 300 + 1}项",
                "区城市管理委",
                f"2025年{i % 12 + 1}月",
                status,
            ]
        )
    writer.writerow(["合计", "", "共20000个问题"])
    path = tmp_path / "big.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    extraction = assert_bounded(path)
    assert len(extraction["measures"]) == 40_000
    assert sum(f["level"] == "item" for f in extraction["findings"]) == 20_000
    statuses = [m["status"] for m in extraction["measures"]]
    assert statuses.count("unknown") == 13_333 and statuses.count("completed") == 13_334
    assert extraction["report"]["stated_totals"]["problems"] == 20_000
