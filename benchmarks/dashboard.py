"""Dashboard benchmark on a synthetic warehouse of 10,000 reports varied from the seed.

Prints p50/p95 latency of the main callbacks over HTTP (gunicorn, as `rectify serve` runs
it) beside the same aggregates as bare DuckDB queries, and the overview's first load in
Debian's chromium. Targets (issue 4): p95 under 100 ms and under 3x the bare queries; first
load under 1.5 s. Issue 15: the rounds (one unit of 10,000 reports), 数据 and 通报 pages'
callbacks beside their bare queries (under 3x) and their first loads (under 2 s), and the
errors of 16 clients sending random filters for 30 s (must be 0).
"""

from __future__ import annotations

import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline import load_paths  # noqa: E402
from views.rounds import party_organ_suffix  # noqa: E402
from views.vocabulary import categories, statuses  # noqa: E402
from warehouse import queries  # noqa: E402
from warehouse.db import connect_readonly, swap  # noqa: E402
from warehouse.filters import Filters  # noqa: E402
from warehouse.synthetic import replicate_reports  # noqa: E402

SEED = ROOT / "data" / "samples" / "000_ea4a386f79e332ee.txt"
N_REPORTS = int(os.environ.get("BENCH_REPORTS", "10000"))
ROUNDS = 100
FIRST_LOADS = 9  # cold-cache loads of the overview; the median is reported
DEPARTMENTS = [
    None,
    "区园林绿化服务中心",
    "区城市管理委",
    "区市容市政和公用事业服务中心",
    "区城市综合行政执法支队",
]
CALLBACKS = {  # name → (an output id the callback writes, the bare queries it runs)
    "overview": (
        "kpi-row",
        lambda con, f: (
            queries.completion(con, f, "items"),
            queries.completion(con, f, "measures"),
            queries.filtered_indicator_totals(con, f),
            queries.department_category(con, f),
            queries.has_deadlines(con, f),  # the synthetic reports have none to list
            queries.review_counts(con, f, []),  # how many the 待核查 list holds, not reviewed
        ),
    ),
    "explorer": (
        "measures-grid.rowData",
        lambda con, f: (queries.explorer_measures(con, f, limit=50), queries.measure_count(con, f)),
    ),
    "departments": ("chart-departments", lambda con, f: queries.department_status(con, f)),
}
UNIT = "区城市管理委"  # the seed's inspected unit: every synthetic report is one of its rounds
ROUNDS_PER_PAGE = 6  # dashboard/pages/rounds.py
REPORTS_PER_PAGE = 25  # views/reports.py


def _bare_rounds(con, page: int) -> None:
    """The queries the rounds page runs for page `page` of the unit's rounds."""
    suffix = party_organ_suffix()
    total = queries.unit_round_count(con, UNIT, suffix)
    offset = max(0, total - (-(-total // ROUNDS_PER_PAGE) - page + 1) * ROUNDS_PER_PAGE)
    before = 1 if offset else 0  # the round before the page, as the page asks for it
    shown = min(ROUNDS_PER_PAGE, total - offset) + before
    frame = queries.unit_rounds(con, UNIT, suffix, ("completed",), shown, offset - before)
    ids = list(frame["report_id"])
    queries.rounds_measures(con, ids)
    queries.rounds_problems(con, ids)
    queries.rounds_completion(con, ids[before:])


def _bare_reports(con, page: int) -> None:
    """The queries the 数据 and 通报 lists run for one page."""
    queries.report_count(con, None)
    rows = queries.reports_page(con, None, REPORTS_PER_PAGE, (page - 1) * REPORTS_PER_PAGE)
    queries.report_warnings(con, list(rows["report_id"]))


# Callbacks that take no filter, paged instead: name → (output id, the pager's id, bare queries
# for page n). Each is timed on random pages.
PAGED = {
    "rounds": ("chart-rounds", "rounds-pager", _bare_rounds),
    "reports": ("reports-body", "reports-pager", _bare_reports),
    "data": ("data-list", "data-pager", _bare_reports),
}
PAGE_SELECTORS = {  # the first loads timed: path → what shows the page is there
    "rounds": ("/rounds", "#rounds-reconciliation"),
    "reports": ("/reports", "#reports-table"),
    "data": ("/data", "#reports-table"),
}


def build(db: Path) -> None:
    load_paths([SEED], db)
    with swap(db) as con:
        template = con.execute("SELECT report_id FROM report").fetchone()[0]
        replicate_reports(con, template, N_REPORTS - 1)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# When the KPI tiles enter the page, and when every chart of the overview is drawn with its
# data, by the page's own clock (navigation start = 0), as the browser's own load metrics are
# taken: the time the test driver spends asking the page is not the page's.
CHARTS_DRAWN = (
    "(() => { const g = document.querySelectorAll('#overview-body .js-plotly-plot');"
    " return g.length >= 3"
    " && [...g].every(x => x.querySelector('.main-svg') && x.data && x.data.length); })()"
)
PAGE_CLOCK = f"""
new MutationObserver((_, observer) => {{
    if (document.querySelector('#kpi-gas_hazards_closed')) {{
        window.__kpiShown = performance.now();
        observer.disconnect();
    }}
}}).observe(document, {{childList: true, subtree: true}});
(function watchCharts() {{
    if (document.body && {CHARTS_DRAWN}) {{
        window.__chartsDrawn = performance.now();
    }} else {{
        requestAnimationFrame(watchCharts);
    }}
}})();
"""


@dataclass(frozen=True)
class FirstLoad:
    """Medians over the cold-cache loads, in seconds."""

    charts: float  # navigation start to the KPIs and every chart drawn (the page's clock)
    kpis: float  # navigation start to the KPI tiles shown
    wall: float  # the same as charts, timed by the test driver around its own round trips

    def print(self, prefix: str = "", note: str = "") -> None:
        print(f"{prefix}overview_first_kpis_median: {self.kpis * 1000:.0f} ms{note}")
        print(
            f"{prefix}overview_first_load_median: {self.charts * 1000:.0f} ms"
            f" (navigation start to KPIs and all charts drawn, empty cache){note}"
        )
        print(
            f"{prefix}overview_first_load_wall_median: {self.wall * 1000:.0f} ms"
            f" (the same, timed by the test driver: adds its own round trips){note}"
        )


def capture_payloads(base: str) -> tuple[dict, FirstLoad]:
    """Load each page once in chromium; keep the callback requests; time the overview."""
    from playwright.sync_api import sync_playwright

    payloads: dict[str, dict] = {}

    def keep(request):
        if request.method == "POST" and "_dash-update-component" in request.url:
            body = json.loads(request.post_data or "{}")
            for name, (output_id, _q) in CALLBACKS.items():
                given = body.get("inputs", []) + body.get("state", [])
                if any(
                    i.get("value") is None and i.get("id") != "url" for i in body.get("inputs", [])
                ):
                    return  # a callback's first call before its input exists does no work
                if output_id in body.get("output", "") and any(i.get("id") == "url" for i in given):
                    payloads.setdefault(name, body)

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--headless", "--disable-gpu"],
        )
        # The browser is running before the user opens the dashboard: warm its font cache on
        # a page of its own, then time fresh contexts (empty HTTP cache, as a first visit).
        warm = browser.new_page()
        warm.set_content("<p>整改进展 rectification</p>")
        warm.close()
        loads, kpis_shown, walls = [], [], []
        for attempt in range(FIRST_LOADS):
            context = browser.new_context()
            context.add_init_script(PAGE_CLOCK)
            page = context.new_page()
            if attempt == 0:
                page.on("request", keep)
            t0 = time.perf_counter()
            page.goto(base + "/")
            page.wait_for_function("() => window.__chartsDrawn", timeout=60000)
            walls.append(time.perf_counter() - t0)
            loads.append(page.evaluate("window.__chartsDrawn") / 1000)
            kpis_shown.append(page.evaluate("window.__kpiShown") / 1000)
            if attempt == 0:
                # The overview arrives drawn with its routing request; its callback (the one
                # timed below) runs when a filter changes.
                page.fill("#filter-text", "管网")
                page.keyboard.press("Enter")
                page.wait_for_function("() => window.location.search.includes('q=')")
                page.wait_for_timeout(1000)
                for path, selector in (
                    ("/explorer", ".ag-row"),
                    ("/departments", "#departments-table"),
                ):
                    page.goto(base + path)
                    page.wait_for_selector(selector, timeout=60000)
            context.close()
        browser.close()
    return payloads, FirstLoad(
        statistics.median(loads), statistics.median(kpis_shown), statistics.median(walls)
    )


PAGE_SHOWN = """
window.__shownAt = null;
new MutationObserver((_, observer) => {{
    if (document.querySelector({selector!r})) {{
        window.__shownAt = performance.now();
        observer.disconnect();
    }}
}}).observe(document, {{childList: true, subtree: true}});
"""


def capture_paged(base: str, loads: int = 5) -> tuple[dict, dict]:
    """Open the rounds, 通报 and 数据 pages in chromium: the first request of each paged
    callback (kept to be replayed on random pages), and each page's first load (median of
    `loads` cold-cache loads, navigation start to its table in the page, by its own clock)."""
    from playwright.sync_api import sync_playwright

    payloads: dict[str, dict] = {}

    def keep(request):
        if request.method == "POST" and "_dash-update-component" in request.url:
            body = json.loads(request.post_data or "{}")
            outputs = {o.get("id") for o in _as_list(body.get("outputs"))}
            for name, (output_id, _pager, _q) in PAGED.items():
                if output_id in outputs:
                    payloads.setdefault(name, body)

    first: dict[str, float] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--headless", "--disable-gpu"],
        )
        for name, (path, selector) in PAGE_SELECTORS.items():
            times = []
            for attempt in range(loads):
                context = browser.new_context()
                context.add_init_script(PAGE_SHOWN.format(selector=selector))
                page = context.new_page()
                if attempt == 0:
                    page.on("request", keep)
                page.goto(base + path)
                page.wait_for_function("() => window.__shownAt", timeout=120000)
                times.append(page.evaluate("window.__shownAt") / 1000)
                if attempt == 0:  # turn the page: the pager's callback, to replay
                    pager = PAGED[name][1]
                    turn = page.locator(f"#{pager} a:has-text('»')")
                    if not turn.count():  # on the last page already (the rounds start there)
                        turn = page.locator(f"#{pager} a:has-text('«')")
                    with page.expect_request(lambda r: "_dash-update-component" in r.url):
                        turn.first.click()
                    page.wait_for_timeout(1000)
                context.close()
            first[name] = statistics.median(times)
        browser.close()
    return payloads, first


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value] if value else []


def on_page(body: dict, pager: str, page: int) -> bytes:
    """A captured paged callback's request, as if its pager had been turned to `page`."""
    body = json.loads(json.dumps(body))
    for item in body["inputs"]:
        if item.get("id") == pager and item.get("property") == "active_page":
            item["value"] = page
    body["changedPropIds"] = [f"{pager}.active_page"]
    return json.dumps(body).encode()


def with_filters(body: dict, f: Filters) -> bytes:
    """A captured filtered callback's request under the filters `f`."""
    body = json.loads(json.dumps(body))
    for item in body["inputs"] + body.get("state", []):
        if item.get("id") == "url" and item.get("property") == "search":
            item["value"] = f.to_search()
    return json.dumps(body).encode()


def with_department(body: dict, department: str | None) -> bytes:
    body = json.loads(json.dumps(body))
    search = "" if department is None else "?" + urllib.parse.urlencode({"department": department})
    for item in body["inputs"] + body.get("state", []):
        if item.get("id") == "url" and item.get("property") == "search":
            item["value"] = search
    return json.dumps(body).encode()


def start_server(db: Path, workers: int) -> tuple[subprocess.Popen, str]:
    """`rectify serve` on a free port, as a user runs it; returns once it answers."""
    port = free_port()
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("rectify")),
            "serve",
            "--db",
            str(db),
            "--port",
            str(port),
            "--workers",
            str(workers),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            urllib.request.urlopen(base, timeout=2)
            break
        except OSError:
            time.sleep(0.1)
    return server, base


def post(base: str, body: bytes) -> None:
    """One callback request; any answer but 200 raises."""
    request = urllib.request.Request(
        base + "/_dash-update-component", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        if response.status != 200:
            raise RuntimeError(f"HTTP {response.status}")
        response.read()


CROWD_CLIENTS = 16
CROWD_SECONDS = 30


def random_filters(pick: random.Random, reports: list[str], departments: list[str]) -> Filters:
    """A filter as a user might set one: any report (a deleted one too), department, category,
    status and word, each set or not."""
    return Filters(
        report=pick.choice([None, None, *reports, "0000000000000000"]),
        department=pick.choice([None, None, *departments, "已撤销的中心"]),
        category=pick.choice([None, None, *categories(), "no_such_category"]),
        status=pick.choice([None, None, *statuses()]),
        q=pick.choice([None, None, None, "管网", "燃气", "制度"]),
    )


def random_crowd(base: str, filtered: dict, paged: dict, con) -> tuple[int, int, list[float]]:
    """CROWD_CLIENTS threads, each sending for CROWD_SECONDS a random page's callback: a
    filtered one under random filters, or a paged one on a random page. Returns the number
    of requests, of errors (an answer other than 200, or none) and the times."""
    reports = [r for (r,) in con.execute("SELECT report_id FROM report USING SAMPLE 50").fetchall()]
    departments = queries.department_options(con)
    times: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.monotonic() + CROWD_SECONDS

    def client(k: int) -> None:
        pick = random.Random(k)
        while time.monotonic() < stop:
            name = pick.choice([*filtered, *paged])
            if name in filtered:
                body = with_filters(filtered[name], random_filters(pick, reports, departments))
            else:
                body = on_page(paged[name], PAGED[name][1], pick.randint(1, 500))
            t0 = time.perf_counter()
            try:
                post(base, body)
            except Exception:  # noqa: BLE001 - counted and printed
                with lock:
                    errors[0] += 1
                continue
            with lock:
                times.append(time.perf_counter() - t0)

    threads = [threading.Thread(target=client, args=(k,)) for k in range(CROWD_CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(times) + errors[0], errors[0], times


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, int(len(values) * 0.95) - 1)]


def correction_timing(db: Path) -> None:
    """A correction's time on the warehouse a server is reading: logged, applied to the stored
    report and published in a swap (the copy of the file is most of it)."""
    from pipeline.corrections import Edit, record

    con = connect_readonly(db)
    rid, measure, status = con.execute(
        "SELECT report_id, measure_id, status FROM measure ORDER BY report_id DESC LIMIT 1"
    ).fetchone()
    con.close()
    times = []
    for i, new in enumerate(["not_started", status, "not_started", status]):
        t0 = time.perf_counter()
        record(db, [Edit(rid, "status", new, measure=measure)], "bench", f"round {i}")
        times.append(time.perf_counter() - t0)
    print(
        f"correction_applied_median: {statistics.median(times):.2f} s "
        f"({N_REPORTS} reports, {db.stat().st_size / 1_048_576:.0f} MiB warehouse)"
    )


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.duckdb"
        t0 = time.perf_counter()
        build(db)
        print(f"synthetic_warehouse_build: {time.perf_counter() - t0:.1f} s ({N_REPORTS} reports)")
        server, base = start_server(db, workers=2)
        try:
            payloads, first_load = capture_payloads(base)
            first_load.print()
            con = connect_readonly(db)
            for name, (_output, bare_queries) in CALLBACKS.items():
                http, bare = [], []
                for i in range(ROUNDS):
                    department = DEPARTMENTS[i % len(DEPARTMENTS)]
                    request = urllib.request.Request(
                        base + "/_dash-update-component",
                        data=with_department(payloads[name], department),
                        headers={"Content-Type": "application/json"},
                    )
                    t0 = time.perf_counter()
                    with urllib.request.urlopen(request, timeout=30) as response:
                        assert response.status == 200, f"{name}: HTTP {response.status}"
                        response.read()
                    http.append(time.perf_counter() - t0)
                    t0 = time.perf_counter()
                    bare_queries(con, Filters(department=department))
                    bare.append(time.perf_counter() - t0)
                ratio = p95(http) / p95(bare)
                print(f"callback_{name}_http_p50: {statistics.median(http) * 1000:.1f} ms")
                print(f"callback_{name}_http_p95: {p95(http) * 1000:.1f} ms")
                print(f"callback_{name}_bare_duckdb_p95: {p95(bare) * 1000:.1f} ms")
                print(f"callback_{name}_ratio_p95: {ratio:.2f} x")
            paged, first_loads = capture_paged(base)
            pick = random.Random(15)
            for name, (_output, pager, bare_queries) in PAGED.items():
                pages = (
                    -(-N_REPORTS // ROUNDS_PER_PAGE)
                    if name == "rounds"
                    else -(-N_REPORTS // REPORTS_PER_PAGE)
                )
                http, bare = [], []
                for _ in range(ROUNDS):
                    page = pick.randint(1, pages)
                    t0 = time.perf_counter()
                    post(base, on_page(paged[name], pager, page))
                    http.append(time.perf_counter() - t0)
                    t0 = time.perf_counter()
                    bare_queries(con, page)
                    bare.append(time.perf_counter() - t0)
                print(f"callback_{name}_http_p50: {statistics.median(http) * 1000:.1f} ms")
                print(f"callback_{name}_http_p95: {p95(http) * 1000:.1f} ms")
                print(f"callback_{name}_bare_duckdb_p95: {p95(bare) * 1000:.1f} ms")
                print(f"callback_{name}_ratio_p95: {p95(http) / p95(bare):.2f} x")
                print(
                    f"{name}_first_load_median: {first_loads[name] * 1000:.0f} ms"
                    f" (navigation start to its table, empty cache, {N_REPORTS} reports)"
                )
            requests, errors, times = random_crowd(base, payloads, paged, con)
            print(
                f"crowd_random_filters_requests: {requests} ({CROWD_CLIENTS} clients,"
                f" {CROWD_SECONDS} s, {N_REPORTS} reports)"
            )
            print(f"crowd_random_filters_p95: {p95(times) * 1000:.0f} ms")
            print(f"crowd_random_filters_errors: {errors}")
            con.close()
            correction_timing(db)
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
