"""Past one machine (issue 7): a synthetic warehouse of 100,000 reports — load time, file
size, callback p95 over HTTP on it — and a crowd of users: requests/s and p95 from many client
threads against several gunicorn workers. Prints one `name: value unit` line per figure.

BENCH_SCALE_REPORTS sets the size (default 100000); BENCH_CLIENTS the crowd (default 16).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline import load_paths  # noqa: E402
from warehouse.db import connect_readonly, swap  # noqa: E402
from warehouse.parquet import export_parquet  # noqa: E402
from warehouse.synthetic import replicate_reports  # noqa: E402


def _dashboard_bench():
    """benchmarks/dashboard.py, by path: its name would shadow the app's own package."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "dashboard_bench", ROOT / "benchmarks" / "dashboard.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


_bench = _dashboard_bench()
p95, with_department = _bench.p95, _bench.with_department
_capture = _bench.capture_payloads

SEED = ROOT / "data" / "samples" / "000_ea4a386f79e332ee.txt"
N = int(os.environ.get("BENCH_SCALE_REPORTS", "100000"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "16"))
CROWD_SECONDS = 20


def post(base: str, body: bytes) -> float:
    request = urllib.request.Request(
        base + "/_dash-update-component", data=body, headers={"Content-Type": "application/json"}
    )
    t0 = time.perf_counter()
    with urllib.request.urlopen(request, timeout=120) as response:
        response.read()
        assert response.status == 200, response.status
    return time.perf_counter() - t0


def crowd(base: str, payload: dict) -> tuple[float, list[float], int]:
    times: list[float] = []
    errors = [0]
    stop = time.monotonic() + CROWD_SECONDS
    departments = [None, "区园林绿化服务中心", "区城市管理委"]

    def client(k: int) -> None:
        i = 0
        while time.monotonic() < stop:
            try:
                times.append(post(base, with_department(payload, departments[(k + i) % 3])))
            except Exception:  # noqa: BLE001 - counted and printed
                errors[0] += 1
            i += 1

    threads = [threading.Thread(target=client, args=(k,)) for k in range(CLIENTS)]
    t0 = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - t0, times, errors[0]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "scale.duckdb"
        t0 = time.perf_counter()
        load_paths([SEED], db)
        with swap(db) as con:
            template = con.execute("SELECT report_id FROM report").fetchone()[0]
            replicate_reports(con, template, N - 1)
        print(f"scale_load_{N}_reports: {time.perf_counter() - t0:.1f} s")
        print(f"scale_warehouse_size: {db.stat().st_size / 1_048_576:.0f} MiB")
        con = connect_readonly(db)
        t0 = time.perf_counter()
        export_parquet(con, Path(tmp) / "parquet")
        con.close()
        size = sum(f.stat().st_size for f in (Path(tmp) / "parquet").iterdir())
        print(
            f"scale_parquet_export: {time.perf_counter() - t0:.1f} s ({size / 1_048_576:.0f} MiB)"
        )

        workers = max(2, os.cpu_count() or 2)
        proc, base = _bench.start_server(db, workers)
        try:
            payloads, first_load = _capture(base)
            first_load.print(prefix="scale_", note=f" ({N} reports)")
            overview = payloads["overview"]
            single = [post(base, with_department(overview, d)) for d in [None, "区城市管理委"] * 10]
            print(f"scale_callback_overview_p95: {p95(single) * 1000:.0f} ms ({N} reports)")
            explorer = [post(base, with_department(payloads["explorer"], None)) for _ in range(20)]
            print(f"scale_callback_explorer_p95: {p95(explorer) * 1000:.0f} ms ({N} reports)")
            elapsed, times, errors = crowd(base, overview)
            print(
                f"crowd_requests_per_s: {len(times) / elapsed:.1f} req/s ({CLIENTS} clients, {workers} workers)"
            )
            print(f"crowd_p95: {p95(times) * 1000:.0f} ms")
            print(f"crowd_p50: {statistics.median(times) * 1000:.0f} ms")
            print(f"crowd_errors: {errors}")
        finally:
            proc.terminate()
            proc.wait(timeout=10)


if __name__ == "__main__":
    main()
