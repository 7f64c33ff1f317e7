"""整改台账 at scale (issue 13): a 40,000-row ledger, as CSV and as .xlsx, read into its
extraction and loaded into a warehouse. One `name: value unit` line per figure; time grows
with the rows, so the per-1,000-rows figure holds for any size.

BENCH_LEDGER_ROWS sets the size (default 40000).
"""

from __future__ import annotations

import csv
import io
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline import load_paths, prepare_file  # noqa: E402

ROWS = int(os.environ.get("BENCH_LEDGER_ROWS", "40000"))
HEADER = ["序号", "反馈问题", "整改措施", "责任单位", "责任领导", "完成时限", "整改状态"]
STATUSES = ["已完成", "正在整改", "", "长期坚持", "未启动"]


def ledger_rows(n: int) -> list[list[str]]:
    """A title, a header, `n` task rows (two measures per problem, the second with the
    problem cell blank as a merged cell saved as CSV) and a 合计 row."""
    rows = [["区城市管理委党委关于区委第三轮巡察反馈问题整改台账"], HEADER]
    for i in range(n):
        first = i % 2 == 0
        rows.append(
            [
                str(i // 2 + 1) if first else "",
                f"燃气安全隐患排查整治不彻底(第{i // 2 + 1}项)" if first else "",
                f"开展燃气安全专项整治,排查整改燃气隐患{i % 300 + 1}项",
                "区城市管理委" if i % 3 else "区市容市政和公用事业服务中心",
                "张某",
                f"2025年{i % 12 + 1}月底前",
                STATUSES[i % len(STATUSES)],
            ]
        )
    rows.append(["合计", "", f"共{(n + 1) // 2}个问题"])
    return rows


def write_files(folder: Path, n: int) -> tuple[Path, Path]:
    from openpyxl import Workbook

    rows = ledger_rows(n)
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    csv_path = folder / "台账.csv"
    csv_path.write_text(out.getvalue(), encoding="utf-8")
    book = Workbook(write_only=True)
    sheet = book.create_sheet("台账")
    for row in rows:
        sheet.append(row)
    xlsx_path = folder / "台账.xlsx"
    book.save(xlsx_path)
    return csv_path, xlsx_path


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        csv_path, xlsx_path = write_files(folder, ROWS)
        (folder / "warm").mkdir()
        prepare_file(write_files(folder / "warm", 10)[0])  # rules and patterns compiled
        for kind, path in (("csv", csv_path), ("xlsx", xlsx_path)):
            t0 = time.perf_counter()
            prepared = prepare_file(path)
            parsed = time.perf_counter() - t0
            assert len(prepared.extraction.measures) == ROWS
            db = folder / f"{kind}.duckdb"
            t0 = time.perf_counter()
            result = load_paths([path], db)
            loaded = time.perf_counter() - t0
            assert not result.failed
            print(f"ledger_{ROWS}_rows_{kind}_extract: {parsed:.2f} s")
            print(f"ledger_{kind}_extract_per_1000_rows: {parsed / ROWS * 1000 * 1000:.0f} ms")
            print(f"ledger_{ROWS}_rows_{kind}_load: {loaded:.2f} s")
            print(f"ledger_{kind}_load_per_1000_rows: {loaded / ROWS * 1000 * 1000:.0f} ms")


if __name__ == "__main__":
    main()
