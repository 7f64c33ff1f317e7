"""Exports benchmark (issue 5): the deck, the workbook and chart images, timed on the seed and
on a synthetic warehouse of many reports. Targets: deck under 2 s; images under 0.3 s each
with the warm renderer. Prints one `name: value unit` line per figure."""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from exports.deck import build_deck  # noqa: E402
from exports.images import chart_figures, render  # noqa: E402
from exports.tables import to_xlsx  # noqa: E402
from pipeline import load_paths  # noqa: E402
from views.export import gather_for  # noqa: E402
from warehouse.db import connect_readonly, swap  # noqa: E402
from warehouse.filters import Filters  # noqa: E402
from warehouse.synthetic import replicate_reports  # noqa: E402

SEED = ROOT / "data" / "samples" / "000_ea4a386f79e332ee.txt"
N_REPORTS = int(os.environ.get("BENCH_EXPORT_REPORTS", "1000"))
ROUNDS = 5


def timed(fn, rounds: int = ROUNDS) -> list[float]:
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return times


def deck_seconds(con, f: Filters) -> list[float]:
    return timed(lambda: build_deck(gather_for("deck", con, f, "zh")))


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.duckdb"
        load_paths([SEED], db)
        con = connect_readonly(db)
        print(f"deck_seed_median: {statistics.median(deck_seconds(con, Filters())):.3f} s")
        xlsx = timed(lambda: to_xlsx(gather_for("xlsx", con, Filters(), "zh")))
        print(f"xlsx_seed_median: {statistics.median(xlsx):.3f} s")

        figures = chart_figures(gather_for("images", con, Filters(), "zh"))
        t0 = time.perf_counter()
        render(next(iter(figures.values())), "png")
        print(f"image_renderer_start: {time.perf_counter() - t0:.2f} s (once per process)")
        for fmt in ("png", "svg"):
            per_image = [
                t
                for figure in figures.values()
                for t in timed(lambda f=figure, fmt=fmt: render(f, fmt), 3)
            ]
            print(f"image_{fmt}_warm_median: {statistics.median(per_image):.3f} s")
            print(f"image_{fmt}_warm_max: {max(per_image):.3f} s")
        con.close()

        with swap(db) as w:
            template = w.execute("SELECT report_id FROM report").fetchone()[0]
            replicate_reports(w, template, N_REPORTS - 1)
        con = connect_readonly(db)
        times = deck_seconds(con, Filters())
        print(f"deck_{N_REPORTS}_reports_all_median: {statistics.median(times):.3f} s")
        times = deck_seconds(con, Filters(department="区园林绿化服务中心"))
        print(f"deck_{N_REPORTS}_reports_one_department_median: {statistics.median(times):.3f} s")
        con.close()


if __name__ == "__main__":
    main()
