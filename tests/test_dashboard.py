"""The dashboard: query and figure functions on a real seed warehouse, and the served app
driven in Debian's chromium (no console errors, no foreign requests, filters, meeting mode)."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from views import figures, vocabulary
from views.summaries import department_summary, kpis
from views.theme import format_number
from warehouse import queries
from warehouse.db import connect_readonly
from warehouse.filters import Filters

CHROMIUM = "/usr/bin/chromium"
GARDEN = "区园林绿化服务中心"


def test_completion_in_items_and_measures(con):
    items = queries.completion(con, Filters(), "items")
    measures = queries.completion(con, Filters(), "measures")
    assert items["n"].sum() == 29 and measures["n"].sum() == 79
    k = kpis(items, measures)
    assert k["items"] == 29 and k["measures"] == 79
    assert k["completion_rate"] == pytest.approx(k["items_completed"] / 29)


def test_department_filter_counts_match_links(con):
    f = Filters(department=GARDEN)
    measures = queries.completion(con, f, "measures")
    expected = con.execute(
        "SELECT count(*) FROM measure_department WHERE department = $d AND role = 'responsible'",
        {"d": GARDEN},
    ).fetchone()[0]
    assert measures["n"].sum() == expected == 14
    items = queries.completion(con, f, "items")
    assert 0 < items["n"].sum() < 29


def test_category_status_and_text_filters(con):
    safety = queries.completion(con, Filters(category="safety"), "measures")
    assert set(safety["category"]) == {"safety"}
    done = queries.explorer_measures(con, Filters(status="completed"))
    assert set(done["status"]) == {"completed"}
    # Free text goes through the facts rather than the rollup: the counts must agree with it.
    everything = queries.completion(con, Filters(q="。"), "measures")["n"].sum()
    with_stop = con.execute("SELECT count(*) FROM measure WHERE contains(text, '。')").fetchone()[0]
    assert everything == with_stop
    gas_items = queries.completion(con, Filters(q="燃气"), "items")["n"].sum()
    assert 0 < gas_items < 29
    gas_totals = queries.filtered_indicator_totals(con, Filters(q="燃气")).set_index("code")
    assert gas_totals.loc["gas_hazards_closed", "total"] == 108
    assert queries.department_status(con, Filters(q="燃气"))["n"].sum() > 0
    gas = queries.explorer_measures(con, Filters(q="燃气"))
    texts = con.execute(
        "SELECT measure_id, text FROM measure WHERE measure_id IN (SELECT unnest($ids))",
        {"ids": list(gas["measure_id"])},
    ).fetchall()
    assert len(gas) == len(texts) == queries.measure_count(con, Filters(q="燃气")) > 3
    assert all("燃气" in text for _id, text in texts)


def test_explorer_pages_cover_every_measure_once_in_order(con):
    everything = queries.explorer_measures(con, Filters(), limit=1000)
    assert queries.measure_count(con, Filters()) == len(everything) == 79
    pages = [queries.explorer_measures(con, Filters(), limit=20, offset=o) for o in (0, 20, 40, 60)]
    assert [len(p) for p in pages] == [20, 20, 20, 19]
    paged = [m for p in pages for m in p["measure_id"]]
    assert paged == list(everything["measure_id"])
    assert list(everything["start_offset"]) == sorted(everything["start_offset"])
    # Sorted by status as the column reads (its label), descending: the page holds the same
    # rows the full sort would.
    from dashboard.grid import label_rank

    rank = label_rank("status", "zh")
    by_status = queries.explorer_measures(
        con, Filters(), limit=79, order="status", descending=True, label_rank=rank
    )
    labels = [vocabulary.status_label(s) for s in by_status["status"]]
    assert labels == sorted(labels, reverse=True) and len(set(labels)) > 1
    first = queries.explorer_measures(
        con, Filters(), limit=10, order="status", descending=True, label_rank=rank
    )
    assert list(first["measure_id"]) == list(by_status["measure_id"][:10])
    # Every column sorts by what it shows.
    for order, column in (("headline", "headline"), ("departments", "departments")):
        rows = queries.explorer_measures(con, Filters(), limit=None, order=order)
        shown = [v if isinstance(v, str) else "" for v in rows[column]]
        assert [v for v in shown if v] == sorted(v for v in shown if v)
    # Counts agree with the filtered rows, through the rollup and through the facts.
    garden = Filters(department=GARDEN)
    assert queries.measure_count(con, garden) == len(queries.explorer_measures(con, garden)) == 14


def test_explorer_sort_and_page_requests_are_bounded_and_known():
    from dashboard.grid import PAGE_SIZE, column_defs, label_rank, page_bounds, sort_request

    assert page_bounds(1, 79) == (1, PAGE_SIZE) and page_bounds(5, 79) == (1, PAGE_SIZE)
    assert page_bounds(-3, 79) == (0, 0) and page_bounds(2, 0) == (0, 0)
    state = [{"colId": "status_label", "sort": "desc", "sortIndex": 0}, {"colId": "path"}]
    assert sort_request(state) == ("status", True)
    assert sort_request([{"colId": "category_label", "sort": "asc"}]) == ("category", False)
    hostile = [{"colId": "1; DROP TABLE measure", "sort": "asc"}]
    assert sort_request(hostile) == ("report", False) and sort_request(None) == ("report", False)
    # Category sorts by its label in the reader's language, not by the hidden id.
    zh = [vocabulary.category_label(c, "zh") for c in label_rank("category", "zh")]
    en = [vocabulary.category_label(c, "en") for c in label_rank("category", "en")]
    assert zh == sorted(zh) and en == sorted(en) and label_rank("report", "zh") is None
    # Every column of the table can be sorted, and a sort is the server's.
    columns = column_defs("zh")
    assert {c["field"] for c in columns} >= {"report", "path", "category_label", "deadline"}
    assert all(
        sort_request([{"colId": c["field"], "sort": "asc"}])[0] != "report"
        or c["field"] == "report"
        for c in columns
    )


def test_indicator_totals_and_sources(con):
    totals = queries.filtered_indicator_totals(con, Filters()).set_index("code")
    assert totals.loc["gas_hazards_closed", "total"] == 108
    assert totals.loc["heating_network_renovated", "total"] == pytest.approx(33.9)
    sources = queries.indicator_sources(con, Filters(), "gas_hazards_closed")
    assert sorted(sources["value"]) == [12, 13, 83]
    for row in sources.itertuples():
        start = row.start_offset - row.measure_start
        assert row.measure_text[start : start + len(row.raw)] == row.raw


def test_department_summary_and_heatmap(con):
    summary = department_summary(queries.department_status(con, Filters()))
    summary = summary.set_index("department")
    assert summary.loc[GARDEN, "measures"] == 14
    row = summary.loc[GARDEN]
    assert sum(row[s] for s in vocabulary.statuses()) == 14
    assert row["done"] == row["completed"] and row["completion_rate"] == row["done"] / 14
    heat = queries.department_category(con, Filters())
    assert heat[heat["department"] == GARDEN]["n"].sum() == 14


def test_measure_detail_offsets(con):
    rid = con.execute("SELECT report_id FROM report").fetchone()[0]
    detail = queries.measure_detail(con, rid, "M20")
    assert detail["path"].endswith("燃气安全形势依然严峻")
    for s, e, raw in zip(
        detail["figures"]["start_offset"],
        detail["figures"]["end_offset"],
        detail["figures"]["raw"],
        strict=True,
    ):
        assert detail["text"][s - detail["start"] : e - detail["start"]] == raw
    header = queries.report_header(con, rid)
    assert str(header["feedback_date"]) == "2024-06-27" and header["stated_rules_made"] == 66


def test_figures_carry_the_query_values(con):
    frame = queries.completion(con, Filters(), "items")
    fig = figures.completion_by_category(frame, "zh")
    assert sum(c[2] for trace in fig["data"] for c in trace["customdata"]) == 29
    assert {trace["name"] for trace in fig["data"]} <= {
        "已完成",
        "推进中",
        "常态长效",
        "未启动",
        "未明确",
    }
    assert fig["data"][0]["name"] == "已完成"  # the completed share first, at the left
    assert fig["data"][0]["y"][0] in ("治理", "安全", "党建", "资产")
    # Each bar is a category's shares; they add up to the whole bar.
    for k, label in enumerate(fig["data"][0]["y"]):
        assert sum(trace["x"][k] for trace in fig["data"]) == pytest.approx(1)
        assert label in " ".join(a["y"] for a in fig["layout"]["annotations"])
    doughnut = figures.status_doughnut(frame, "en")
    assert sum(doughnut["data"][0]["values"]) == 29 and "Completed" in doughnut["data"][0]["labels"]
    cells = queries.department_category(con, Filters())
    heat = figures.department_heatmap(cells, "zh")
    assert GARDEN in heat["data"][0]["y"]
    assert sum(v or 0 for row in heat["data"][0]["z"] for v in row) == cells["n"].sum()
    depts = figures.department_completion(
        department_summary(queries.department_status(con, Filters())), "zh"
    )
    assert GARDEN in depts["data"][0]["y"]
    rid = con.execute("SELECT report_id FROM report").fetchone()[0]
    timeline = figures.milestones(queries.report_header(con, rid), "en")
    assert len(timeline["data"]) == 3 and "Feedback" in [tr["name"] for tr in timeline["data"]]
    assert (
        figures.milestones(queries.report_header(con, rid), "zh")["layout"]["xaxis"]["tickformat"]
        == "%Y年%-m月"
    )
    assert "Pick one report" in figures.milestones(None, "en")["layout"]["annotations"][0]["text"]
    empty = figures.completion_by_category(frame.iloc[0:0], "zh")
    assert "没有数据" in empty["layout"]["annotations"][0]["text"]


def test_filters_round_trip_and_toggle():
    f = Filters(report="abc", department=GARDEN, q="燃气")
    assert Filters.from_search(f.to_search()) == f
    g = f.toggle(category="safety", status="completed")
    assert (g.category, g.status) == ("safety", "completed")
    assert g.toggle(category="safety", status="completed") == f


def test_number_formats():
    assert format_number(96000, "zh") == "9.6万" and format_number(96000, "en") == "96,000"
    assert format_number(33.9, "zh") == "33.9" and format_number(108, "zh") == "108"
    assert format_number(3.2e8, "zh") == "3.2亿" and format_number(3.2e8, "en") == "320,000,000"
    assert format_number(301058800, "zh") == "3.01亿" and format_number(32000, "zh") == "3.2万"
    assert format_number(19866, "zh") == "1.99万" and format_number(5000, "zh") == "5000"
    assert format_number(99999999, "zh") == "1亿"  # not 10000万
    assert format_number(float("nan"), "zh") == "—" and format_number(None, "en") == "—"


# -- In a real browser --------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def launch(playwright):
    """Debian's chromium, headless, as every browser test here drives it."""
    return playwright.chromium.launch(
        executable_path=CHROMIUM, args=["--no-sandbox", "--headless", "--disable-gpu"]
    )


def _serve(db: Path):
    port = _free_port()
    rectify = str(Path(sys.executable).with_name("rectify"))
    log = open(Path(db).with_suffix(".serve.log"), "wb")  # noqa: SIM115 - kept open while it runs
    proc = subprocess.Popen(
        [rectify, "serve", "--db", str(db), "--port", str(port), "--workers", "2"],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=dict(os.environ),
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            urllib.request.urlopen(url, timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    return url, proc


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    from conftest import SEED

    from pipeline import load_paths

    db = tmp_path_factory.mktemp("served") / "w.duckdb"
    load_paths([SEED], db)
    url, proc = _serve(db)
    yield url, db
    proc.terminate()
    proc.wait(timeout=10)


@pytest.mark.slow
def test_served_page_over_http(served):
    body = urllib.request.urlopen(served[0], timeout=5).read().decode()
    assert "bootstrap.min.css" in body and "cdn" not in body.lower()


needs_browser = pytest.mark.skipif(
    not shutil.which("chromium") and not os.path.exists(CHROMIUM), reason="needs Debian's chromium"
)


@pytest.fixture()
def browser_page(served):
    from playwright.sync_api import sync_playwright

    base = served[0]
    problems: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--headless",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-sync",
            ],
        )
        page = browser.new_page(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
        page.set_default_timeout(45000)  # a shared, busy machine can be slow; a hang still fails
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.on(
            "request",
            # Same origin only; a download the page builds itself is a blob: of that origin.
            lambda r: (
                problems.append("foreign " + r.url)
                if not r.url.startswith((base, "blob:" + base, "data:"))
                else None
            ),
        )
        yield page, base, problems
        browser.close()


def _total_js(graph_id: str) -> str:
    """JavaScript for the counts a bar chart stands for as drawn (-1 until it is drawn): a
    horizontal bar's count is its customdata[2] (its length is a share)."""
    return (
        f"(() => {{ const d = document.querySelector('#{graph_id} .js-plotly-plot')?.data;"
        " const n = tr => tr.orientation === 'h' ? (tr.customdata || []).map(c => c[2]) : (tr.y || []);"
        f" return d && d.length ? d.reduce((s, tr) => s + n(tr).reduce((a, b) => a + b, 0), 0) : -1; }})()"
    )


def _dimmed_js(graph_id: str) -> str:
    """JavaScript: how many bars a cross-filter dimmed (drawn, not dropped)."""
    return (
        f"(() => {{ const d = document.querySelector('#{graph_id} .js-plotly-plot')?.data || [];"
        " return d.reduce((s, tr) => s + [].concat(tr.marker?.opacity ?? 1).filter(o => o < 1).length, 0); })()"
    )


def _chart_total(page, graph_id: str) -> int:
    return page.evaluate(_total_js(graph_id))


def _wait(page, js: str, what: str) -> None:
    """wait_for_function, failing with what the page showed instead of a bare timeout."""
    try:
        page.wait_for_function(js, timeout=45000)
    except Exception as exc:
        shown = page.evaluate("() => document.querySelector('#active-filters')?.innerText")
        raise AssertionError(f"{what}: url={page.url} filters={shown!r}") from exc


def _wait_chart(page, graph_id: str):
    page.wait_for_function(
        f"() => document.querySelector('#{graph_id} .js-plotly-plot')?.data?.length > 0"
    )


@needs_browser
@pytest.mark.browser
def test_every_page_loads_clean(browser_page):
    page, base, problems = browser_page
    for path, selector in [
        ("/", "#kpi-gas_hazards_closed"),
        ("/explorer", ".ag-row"),
        ("/indicators", ".list-group-item"),
        ("/departments", "#departments-table"),
        ("/reports", "#reports-table"),
        ("/rounds", "#rounds-reconciliation"),
        ("/data", "#reports-table"),
        ("/meeting", "#meeting-kpis"),
    ]:
        page.goto(base + path)
        page.wait_for_selector(selector, timeout=45000)
        # The filter bar shows where filters apply, and only there.
        shown = path not in ("/meeting", "/rounds", "/data", "/reports")
        page.wait_for_function(
            f"() => (getComputedStyle(document.querySelector('#filter-bar')).display !== 'none') === {str(shown).lower()}"
        )
    page.wait_for_timeout(500)
    assert problems == []


@needs_browser
@pytest.mark.browser
def test_overview_kpis_filter_cross_filter_and_reset(browser_page, served):
    page, base, problems = browser_page
    page.goto(base + "/")
    page.wait_for_selector("#kpi-gas_hazards_closed")
    assert "108" in page.inner_text("#kpi-gas_hazards_closed")
    assert "33.9" in page.inner_text("#kpi-heating_network_renovated")
    _wait_chart(page, "chart-completion")
    assert _chart_total(page, "chart-completion") == 29

    # Filtering to one department: the chart shows exactly that department's items.
    page.goto(base + "/?department=" + GARDEN)
    page.wait_for_function(
        "() => document.querySelector('#active-filters')?.innerText.includes('园林')"
    )
    con = connect_readonly(served[1])
    expected = int(queries.completion(con, Filters(department=GARDEN), "items")["n"].sum())
    con.close()
    page.wait_for_function(f"() => {_total_js('chart-completion')} === {expected}")

    # Cross-filter: a click on a bar filters by its category and status, the same click again
    # clears it; the reset button clears everything.
    page.click("#filter-reset")
    page.wait_for_function("() => !window.location.search")
    page.wait_for_function(f"() => {_total_js('chart-completion')} === 29")

    def click_first_bar():
        bar = page.locator("#chart-completion g.point path").first
        bar.scroll_into_view_if_needed()
        box = bar.bounding_box()
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)

    page.wait_for_timeout(300)  # let Plotly finish drawing before the first click
    click_first_bar()
    page.wait_for_function(
        "() => window.location.search.includes('category=') && window.location.search.includes('status=')"
    )
    # The pick is highlighted among the rest: every bar stays, the others dimmed; the tiles
    # count the pick alone.
    _wait(page, f"() => {_dimmed_js('chart-completion')} > 0", "bars dimmed")
    assert _chart_total(page, "chart-completion") == 29
    _wait(
        page,
        "() => !document.querySelector('#kpi-items')?.innerText.includes('/ 29')",
        "tiles count the pick",
    )
    assert "当前筛选" in page.inner_text("#active-filters")
    page.wait_for_timeout(300)
    click_first_bar()
    page.wait_for_function("() => !window.location.search")
    page.wait_for_function(f"() => {_dimmed_js('chart-completion')} === 0")  # all bars again
    page.wait_for_timeout(300)  # let Plotly finish the redraw before clicking again
    click_first_bar()
    page.wait_for_function("() => window.location.search.includes('category=')")
    page.click("#filter-reset")
    page.wait_for_function("() => !window.location.search")
    page.wait_for_function(f"() => {_total_js('chart-completion')} === 29")
    assert problems == []


@needs_browser
@pytest.mark.browser
def test_explorer_pages_filters_and_opens_the_source_sentence(browser_page, served):
    page, base, problems = browser_page
    page.goto(base + "/explorer")
    page.wait_for_selector(".ag-row")
    _wait(page, "() => document.querySelector('#explorer-note')?.innerText.includes('79')", "count")
    # Rows come a page at a time: the second page is fetched from the server on demand.
    first = page.inner_text(".ag-center-cols-container .ag-row[row-index='0']")
    assert "第 1 / 2 页" in page.inner_text("#explorer-page-info")
    page.click("#explorer-next")
    _wait(
        page,
        "() => document.querySelector('#explorer-page-info')?.innerText.includes('第 2 / 2 页')",
        "page 2",
    )
    _wait(
        page,
        "() => window.dash_ag_grid.getApi('measures-grid').getDisplayedRowCount() === 29",
        "rows 51-79",
    )
    page.click("#explorer-prev")
    _wait(
        page,
        "() => document.querySelector('#explorer-page-info')?.innerText.includes('第 1 / 2 页')",
        "page 1",
    )
    # A row grows to its text: rows differ in height, none cuts its text.
    _wait(
        page,
        "() => new Set([...document.querySelectorAll('.ag-center-cols-container .ag-row')]"
        ".map(r => r.offsetHeight)).size > 1",
        "rows of their own heights",
    )
    page.wait_for_timeout(500)
    clipped = page.evaluate(
        "() => [...document.querySelectorAll('.ag-center-cols-container .ag-cell')]"
        ".filter(c => c.scrollHeight > c.clientHeight + 2).length"
    )
    assert clipped == 0
    # Sorting by 类别 orders the rows by the label shown.
    page.click(".ag-header-cell[col-id='category_label'] .ag-header-cell-label")
    _wait(
        page,
        "() => document.querySelector('.ag-header-cell[col-id=\\'category_label\\']')?.getAttribute('aria-sort') === 'ascending'",
        "sorted",
    )
    page.wait_for_timeout(1500)
    shown = page.evaluate(
        "() => { const out = []; window.dash_ag_grid.getApi('measures-grid')"
        ".forEachNodeAfterFilterAndSort(n => out.push(n.data.category_label)); return out; }"
    )
    assert shown == sorted(shown) and len(set(shown)) > 1

    # Free text typed in the filter bar refetches the rows: only measures that mention it.
    page.fill("#filter-text", "燃气")
    page.press("#filter-text", "Enter")
    con = connect_readonly(served[1])
    expected = queries.measure_count(con, Filters(q="燃气"))
    from dashboard.grid import label_rank

    # The first row in the order the table is sorted in (by 类别, as clicked above).
    gas = queries.explorer_measures(
        con, Filters(q="燃气"), limit=1, order="category", label_rank=label_rank("category", "zh")
    )
    con.close()
    _wait(
        page,
        f"() => document.querySelector('#explorer-note')?.innerText.includes('{expected}')",
        "text filter count",
    )
    _wait(
        page,
        f"() => window.dash_ag_grid.getApi('measures-grid').getDisplayedRowCount() === {min(expected, 50)}",
        "text filter rows",
    )
    assert page.inner_text(".ag-center-cols-container .ag-row[row-index='0']") != first

    # Selecting a row shows its full text with each figure marked at its offsets.
    page.click(".ag-center-cols-container .ag-row[row-index='0']")
    page.wait_for_selector("#detail-text")
    assert "燃气" in page.inner_text("#detail-text")
    marks = page.locator("#detail-text mark").all_inner_texts()
    if gas["figures"][0]:
        assert marks == gas["figures"][0].split(";")
    assert problems == []


@needs_browser
@pytest.mark.browser
def test_export_menu_gives_a_deck_and_charts_save_as_png(browser_page, served, tmp_path):
    import struct

    from pptx import Presentation

    page, base, problems = browser_page
    page.goto(base + "/?department=" + GARDEN)
    page.wait_for_selector("#kpi-items")
    _wait_chart(page, "chart-completion")
    page.click("#export-menu")
    with page.expect_download() as download:
        page.click("#export-deck")
    assert download.value.suggested_filename.endswith(".pptx")
    deck = tmp_path / "deck.pptx"
    download.value.save_as(deck)
    prs = Presentation(str(deck))
    charts = [sh.chart for s in prs.slides for sh in s.shapes if sh.has_chart]
    con = connect_readonly(served[1])
    expected = int(queries.completion(con, Filters(department=GARDEN), "items")["n"].sum())
    con.close()
    assert sum(v or 0 for series in charts[0].series for v in series.values) == expected

    with page.expect_download() as download:
        page.click("div:has(#chart-completion) > .chart-downloads button >> nth=0")
    name = download.value.suggested_filename
    assert name.startswith("各类别整改完成率") and name.endswith(".png")
    image = tmp_path / name
    download.value.save_as(image)
    assert struct.unpack(">II", image.read_bytes()[16:24]) == (3840, 2160)
    # A chart with nothing to draw offers no image of it: its buttons are hidden.
    buttons = "div:has(#{}) > .chart-downloads"
    assert page.is_visible(buttons.format("chart-completion"))
    page.goto(base + "/?q=" + "无此措施字样")
    page.wait_for_selector("#kpi-items")
    page.wait_for_function(
        "() => document.querySelector('#chart-completion .js-plotly-plot')?.data?.length === 0"
    )
    page.wait_for_selector(buttons.format("chart-completion"), state="hidden")
    assert page.is_hidden(buttons.format("chart-status"))
    assert problems == []


@needs_browser
@pytest.mark.browser
def test_upload_a_report_on_the_data_page_and_see_it_in_the_overview(tmp_path):
    """A fresh server: uploading changes its warehouse, which the shared one must keep."""
    from conftest import SAMPLES, SEED
    from playwright.sync_api import sync_playwright

    from pipeline import load_paths

    db = tmp_path / "upload" / "w.duckdb"
    load_paths([SEED], db)
    url, proc = _serve(db)
    opening = sorted(SAMPLES.glob("r01*"))[0]
    errors: list[str] = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=CHROMIUM, args=["--no-sandbox", "--headless", "--disable-gpu"]
            )
            page = browser.new_page()
            page.set_default_timeout(45000)
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("dialog", lambda dialog: dialog.accept())
            page.goto(url + "/data")
            page.wait_for_selector("#reports-table")
            assert page.locator("#reports-table tbody tr").count() == 1
            page.set_input_files("#upload input[type=file]", [str(opening)])
            page.wait_for_selector("#upload-preview-table")
            assert opening.name in page.inner_text("#upload-preview-table")
            page.click("#upload-confirm")
            page.wait_for_selector("#upload-done")
            page.wait_for_function(
                "() => document.querySelectorAll('#reports-table tbody tr').length === 2"
            )
            # The overview now offers the uploaded report and counts it.
            con = connect_readonly(db)
            reports = queries.list_reports(con)
            con.close()
            new_id = reports.loc[reports["file_name"] == opening.name, "report_id"].iloc[0]
            row = reports[reports["report_id"] == new_id].iloc[0]
            page.goto(url + "/?report=" + new_id)
            _wait(
                page,
                f"() => document.querySelector('#active-filters')?.innerText.includes('{row['title'][:10]}')",
                "uploaded report in the filters",
            )
            _wait(
                page,
                f"() => document.querySelector('#kpi-measures')?.innerText.includes('{int(row['n_measures'])}')",
                "uploaded report's measures counted",
            )
            # Delete it again from the data page (the browser's confirm dialog is accepted).
            page.goto(url + "/data")
            page.wait_for_function(
                "() => document.querySelectorAll('#reports-table tbody tr').length === 2"
            )
            page.click(f"#report-{new_id} button:has-text('删除')")
            page.wait_for_function(
                "() => document.querySelectorAll('#reports-table tbody tr').length === 1"
            )
            browser.close()
        assert errors == []
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@needs_browser
@pytest.mark.browser
def test_a_bookmarked_view_keeps_every_filter(browser_page, served):
    page, base, problems = browser_page
    con = connect_readonly(served[1])
    report = queries.list_reports(con)["report_id"][0]
    con.close()
    search = Filters(
        report=report, department=GARDEN, category="governance", status="completed", q="绿化"
    ).to_search()
    page.goto(base + "/explorer" + search)
    _wait(
        page,
        "() => document.querySelector('#active-filters')?.innerText.includes('区城市管理委党委关于')",
        "report filter shown",
    )
    page.wait_for_timeout(1500)  # long enough for any control to have cleared a value
    assert Filters.from_search(urllib.parse.urlparse(page.url).query) == Filters.from_search(search)
    shown = page.inner_text("#active-filters")
    assert all(part in shown for part in (GARDEN, "治理", "已完成", "绿化"))
    assert problems == []


@needs_browser
@pytest.mark.browser
def test_meeting_mode_pages_by_keyboard_and_language_switch(browser_page):
    page, base, problems = browser_page
    page.goto(base + "/meeting")
    page.wait_for_selector("#meeting-kpis")
    assert page.is_hidden("#nav")
    page.keyboard.press("ArrowRight")
    page.wait_for_selector("#meeting-completion")
    page.keyboard.press("PageDown")
    page.wait_for_selector("#meeting-status")
    page.keyboard.press("ArrowLeft")
    page.wait_for_selector("#meeting-completion")

    page.goto(base + "/")
    page.wait_for_selector("#kpi-items")
    assert "具体问题" in page.inner_text("#kpi-items")
    page.click("#lang-switch")
    page.wait_for_function(
        "() => document.querySelector('#kpi-items')?.innerText.includes('Items')"
    )
    page.reload()
    page.wait_for_function(
        "() => document.querySelector('#kpi-items')?.innerText.includes('Items')"
    )
    # The choice is also a cookie, so that a new visit's first page comes in English.
    assert {"name": "rectify_lang", "value": "en"}.items() <= next(
        c for c in page.context.cookies() if c["name"] == "rectify_lang"
    ).items()
    assert page.inner_text("#nav-nav_overview") == "Overview"
    page.click("#lang-switch")
    page.wait_for_function(
        "() => document.querySelector('#kpi-items')?.innerText.includes('具体问题')"
    )
    assert problems == []


@needs_browser
@pytest.mark.browser
def test_empty_warehouse_says_how_to_load(tmp_path):
    from playwright.sync_api import sync_playwright

    url, proc = _serve(tmp_path / "none.duckdb")
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=CHROMIUM, args=["--no-sandbox", "--headless", "--disable-gpu"]
            )
            page = browser.new_page()
            errors = []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            for path in ("/", "/explorer", "/indicators", "/departments", "/reports"):
                page.goto(url + path)
                page.wait_for_selector("#empty-warehouse", timeout=45000)
                assert "rectify load" in page.inner_text("#empty-warehouse")
            browser.close()
        assert errors == []
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.mark.slow
def test_each_worker_is_set_up_before_it_serves(seed_db, monkeypatch):
    """Dash sets itself up on its first request; under threads a second request could find it
    half set up (no bundles registered, no callbacks). wsgi warms each worker up on import."""
    import importlib

    monkeypatch.setenv("RECTIFY_DB", str(seed_db))
    from dashboard import wsgi

    importlib.reload(wsgi)
    assert wsgi.app._got_first_request["setup_server"]
    assert any("dash_html_components" in p for p in wsgi.app.registered_paths["dash"])
    assert any("kpi-row" in key for key in wsgi.app.callback_map)


@needs_browser
@pytest.mark.browser
def test_first_visit_draws_the_overview_without_a_callback_and_loads_the_grid_on_demand(
    browser_page, served
):
    page, base, problems = browser_page
    overview_calls, routings, scripts = [], [], []
    page.on(
        "request",
        lambda r: (
            overview_calls.append(r)
            if "_dash-update-component" in r.url and "kpi-row" in (r.post_data or "")
            else routings.append(r)
            if "_dash-update-component" in r.url and "_pages_content" in (r.post_data or "")
            else scripts.append(r.url)
            if r.resource_type == "script"
            else None
        ),
    )
    page.goto(base + "/")
    page.wait_for_selector("#kpi-gas_hazards_closed")
    _wait(page, f"() => {_total_js('chart-completion')} === 29", "overview drawn")
    # The first layout carried the page and its figures: no routing, no overview callback.
    assert overview_calls == [] and routings == []
    assert not [s for s in scripts if "dash_ag_grid" in s or "polyfill@" in s]

    # A filter changes the figures through the overview's callback, computed once.
    page.fill("#filter-text", "绿化")
    page.keyboard.press("Enter")
    _wait(
        page,
        f"() => {_total_js('chart-completion')} > 0 && {_total_js('chart-completion')} < 29",
        "text filter applied",
    )
    assert len(overview_calls) == 1

    # The explorer, reached inside the app, loads the grid's bundle and shows rows.
    page.click("#nav-nav_explorer")
    page.wait_for_selector(".ag-row", timeout=45000)
    assert [s for s in scripts if "dash_ag_grid" in s]
    assert problems == []


@needs_browser
@pytest.mark.browser
def test_a_browser_without_modern_built_ins_gets_the_polyfill_and_works(browser_page):
    page, base, problems = browser_page
    polyfills = []
    page.on("request", lambda r: polyfills.append(r.url) if "polyfill@" in r.url else None)
    # An older browser, as the feature test sees it (core-js 2 gives it back).
    page.add_init_script("delete Promise.prototype.finally;")
    page.goto(base + "/")
    page.wait_for_selector("#kpi-gas_hazards_closed")
    _wait(page, f"() => {_total_js('chart-completion')} === 29", "overview drawn")
    assert len(polyfills) == 1
    assert problems == []


# -- At a projector's, a laptop's and a monitor's size ----------------------------------------

TICKS_JS = """(sel) => [...document.querySelectorAll(sel + ' .ytick text')].map(t => {
    const svg = t.closest('svg').getBoundingClientRect(), r = t.getBoundingClientRect();
    return {text: t.textContent, inside: r.left >= svg.left - 1 && r.right <= svg.right + 1
            && r.top >= svg.top - 1 && r.bottom <= svg.bottom + 1};
})"""
OVERFLOW_JS = """() => [...document.querySelectorAll('.meeting *')].filter(e => {
    const r = e.getBoundingClientRect();
    if (!r.width || !r.height) return false;
    const style = getComputedStyle(e);
    if (style.visibility === 'hidden' || style.display === 'none') return false;
    return r.left < -1 || r.top < -1 || r.right > innerWidth + 1 || r.bottom > innerHeight + 1;
}).map(e => e.tagName + ' ' + (e.getAttribute('class') || '') + ' ' + (e.textContent || '').slice(0, 30))"""


# A tile's figure wider than its tile (spilling over the next one).
SPILL_JS = """() => [...document.querySelectorAll('.kpi-tile')].filter(
    t => t.scrollWidth > t.clientWidth + 1).map(t => t.innerText)"""


def _department_names(db) -> set[str]:
    con = connect_readonly(db)
    try:
        return set(queries.department_options(con))
    finally:
        con.close()


def _full_names_inside(page, selector: str, names: set[str]) -> None:
    ticks = page.evaluate(TICKS_JS, selector)
    assert ticks, selector
    for tick in ticks:
        assert tick["text"] in names, (selector, tick)  # the full name, never its tail
        assert tick["inside"], (selector, tick)


@needs_browser
@pytest.mark.browser
@pytest.mark.parametrize("size", [(1366, 768), (1024, 768)])
def test_overview_first_chart_fits_and_axes_read_in_full(browser_page, served, size):
    page, base, problems = browser_page
    page.set_viewport_size({"width": size[0], "height": size[1]})
    page.goto(base + "/")
    _wait_chart(page, "chart-completion")
    _wait_chart(page, "chart-heatmap")
    page.wait_for_timeout(500)
    assert page.evaluate(SPILL_JS) == []
    box = page.locator("#chart-completion .main-svg").first.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= size[1], box  # no scrolling needed
    assert box["x"] >= 0 and box["x"] + box["width"] <= size[0], box
    _full_names_inside(page, "#chart-heatmap", _department_names(served[1]))
    # Numbers on the axes read as written (no 5k, 3M), in 万 or 亿 when large.
    ticks = page.evaluate(
        "() => [...document.querySelectorAll('#overview-body .xtick text, #overview-body .ytick text,"
        " #overview-body .cbaxis text')].map(t => t.textContent)"
    )
    assert ticks and not [t for t in ticks if re.search(r"\d[kKMG]$", t)]
    # The heat map has its colour bar; the headline indicators are there, the rest a click away.
    assert page.locator("#chart-heatmap .colorbar").count() == 1
    assert "108" in page.inner_text("#kpi-gas_hazards_closed")
    assert not page.is_visible("#kpi-trainings")
    page.click("#more-indicators")
    page.wait_for_selector("#kpi-trainings", state="visible")
    page.goto(base + "/departments")
    _wait_chart(page, "chart-departments")
    _full_names_inside(page, "#chart-departments", _department_names(served[1]))
    assert problems == []


@needs_browser
@pytest.mark.browser
@pytest.mark.parametrize(
    ("size", "lang"),
    [((1366, 768), "zh"), ((1024, 768), "zh"), ((1920, 1080), "zh"), ((1024, 768), "en")],
)
def test_meeting_mode_fits_the_screen_and_says_what_it_shows(browser_page, served, size, lang):
    page, base, problems = browser_page
    page.set_viewport_size({"width": size[0], "height": size[1]})
    page.context.add_cookies([{"name": "rectify_lang", "value": lang, "url": base}])
    page.add_init_script(f"localStorage.setItem('lang-store', JSON.stringify('{lang}'))")
    page.goto(base + f"/meeting?department={GARDEN}")
    page.wait_for_selector("#meeting-kpis")
    names = _department_names(served[1])
    for slide in ("kpis", "completion", "status", "heatmap", "departments"):
        page.wait_for_selector(f"#meeting-{slide}")
        if slide != "kpis":
            _wait_chart(page, f"meeting-{slide}")
        page.wait_for_timeout(600)  # let Plotly settle into the slide's box
        assert page.evaluate(OVERFLOW_JS) == [], slide
        assert page.evaluate(SPILL_JS) == [], slide
        footer = page.inner_text("#meeting-footer")
        assert "《区城市管理委党委关于" in footer and GARDEN in footer
        assert re.search(
            r"\d{4}年\d+月\d+日" if lang == "zh" else r"\d+ [A-Z][a-z]{2} \d{4}", footer
        )
        if slide in ("heatmap", "departments"):
            _full_names_inside(page, f"#meeting-{slide}", names)
        page.keyboard.press("ArrowRight")
    assert problems == []


def _projector(page, base: str, lang: str) -> None:
    """The page as a 1024×768 projector shows it, in `lang`."""
    page.set_viewport_size({"width": 1024, "height": 768})
    page.context.add_cookies([{"name": "rectify_lang", "value": lang, "url": base}])
    page.add_init_script(f"localStorage.setItem('lang-store', JSON.stringify('{lang}'))")


@needs_browser
@pytest.mark.browser
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_top_bar_keeps_one_line_and_search_boxes_fill_their_box_at_1024(browser_page, lang):
    """At a projector's 1024 px the top bar's brand, links and buttons share one line in
    either language, the reports' search box is as wide as its box (its placeholder was cut
    at the browser's default 20 characters), and the data page's list fits the width."""
    page, base, problems = browser_page
    _projector(page, base, lang)
    page.goto(base + "/reports")
    page.wait_for_selector("#reports-search")
    tops = page.evaluate(
        "() => [...document.querySelectorAll('#nav > .container-fluid > *')]"
        ".map(e => Math.round(e.getBoundingClientRect().top))"
    )
    assert len(tops) >= 5 and max(tops) - min(tops) < 12, tops
    inner, outer = page.evaluate(
        "() => { const e = document.querySelector('#reports-search');"
        " return [e.getBoundingClientRect().width, e.parentElement.getBoundingClientRect().width]; }"
    )
    assert inner >= outer * 0.9, (inner, outer)
    # The data page's list fits the width, its review counts on one line each.
    page.goto(base + "/data")
    page.wait_for_selector("#reports-table .review-summary, #reports-table details")
    page.wait_for_timeout(300)
    assert page.evaluate("() => document.documentElement.scrollWidth <= innerWidth + 1")
    lines = page.evaluate(
        "() => [...document.querySelectorAll('#reports-table .review-summary .text-nowrap')]"
        ".map(e => e.getClientRects().length)"
    )
    assert set(lines) <= {1}
    assert problems == []


@needs_browser
@pytest.mark.browser
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_meeting_kpi_tiles_hold_their_figures_at_1024(browser_page, lang):
    """The meeting's indicator tiles at a projector's 1024 px: the longest figure (over
    1,000,000 yuan; 100万余元) stays inside its tile, over the next one in no language."""
    page, base, problems = browser_page
    _projector(page, base, lang)
    page.goto(base + "/meeting")
    page.wait_for_selector("#meeting-kpis .kpi-tile")
    page.wait_for_timeout(600)
    funds = page.inner_text("#meeting-kpis")
    assert ("over 1,000,000" if lang == "en" else "100万余") in funds
    spill = page.evaluate(
        "() => [...document.querySelectorAll('.meeting .kpi-tile')].filter(t => {"
        " const box = t.getBoundingClientRect();"
        " return [...t.querySelectorAll('.kpi-num, .kpi-unit, .kpi-label')].some(e => {"
        " const r = e.getBoundingClientRect(); return r.right > box.right + 1; }); })"
        ".map(t => t.innerText)"
    )
    assert spill == []
    assert page.evaluate(OVERFLOW_JS) == []
    assert problems == []


@needs_browser
@pytest.mark.browser
@pytest.mark.parametrize(
    ("size", "lang"), [((1024, 768), "zh"), ((1024, 768), "en"), ((1920, 1080), "en")]
)
def test_meeting_kpi_slide_fills_the_screen_with_large_figures(browser_page, size, lang):
    """Projected, the KPI slide's tiles fill the screen down to the footer, the headline
    figures stand a tenth of the screen's height or near it, and every tile holds its words
    and figures."""
    page, base, problems = browser_page
    page.set_viewport_size({"width": size[0], "height": size[1]})
    page.context.add_cookies([{"name": "rectify_lang", "value": lang, "url": base}])
    page.add_init_script(f"localStorage.setItem('lang-store', JSON.stringify('{lang}'))")
    page.goto(base + "/meeting")
    page.wait_for_selector("#meeting-kpis .kpi-tile")
    page.wait_for_timeout(600)
    shown = page.evaluate(
        """() => {
        const tiles = [...document.querySelectorAll('#meeting-kpis .kpi-tile')];
        const size = sel => parseFloat(getComputedStyle(document.querySelector(sel)).fontSize);
        return {
            top: Math.min(...tiles.map(t => t.getBoundingClientRect().top)),
            bottom: Math.max(...tiles.map(t => t.getBoundingClientRect().bottom)),
            footer: document.querySelector('.meeting-footer').getBoundingClientRect().top,
            headline: size('#kpi-rate .kpi-value'),
            indicator: size('#kpi-gas_hazards_closed .kpi-value'),
            spilt: tiles.filter(t => { const box = t.getBoundingClientRect();
                return [...t.querySelectorAll('*')].some(e => {
                    const r = e.getBoundingClientRect();
                    return r.width && (r.bottom > box.bottom + 1 || r.right > box.right + 1); });
            }).map(t => t.innerText),
        }; }"""
    )
    height = size[1]
    assert shown["top"] < 0.06 * height, shown
    assert shown["footer"] - shown["bottom"] < 0.06 * height, shown  # down to the footer
    assert shown["headline"] >= 0.09 * height, shown
    assert shown["indicator"] >= 0.07 * height, shown
    assert shown["spilt"] == []
    assert page.evaluate(OVERFLOW_JS) == []
    assert page.evaluate(SPILL_JS) == []
    assert problems == []


@needs_browser
@pytest.mark.browser
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_explorers_report_column_beside_the_detail_panel_takes_two_lines(
    browser_page, served, lang
):
    """At 1366×768 with a measure's detail open beside the table, the 通报 column is wide
    enough to read and a report's name takes at most two lines (cut with …), the whole name
    on hover; every header reads whole."""
    page, base, problems = browser_page
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(base + "/explorer")
    page.wait_for_selector(".ag-row")
    if lang == "en":
        page.click("#lang-switch")
        page.wait_for_function(
            "() => document.querySelector('#explorer-note')?.innerText.includes('measures')"
        )
    page.click(".ag-center-cols-container .ag-row >> nth=0")
    page.wait_for_selector("#detail-text")
    con = connect_readonly(served[1])
    name = con.execute("SELECT title FROM report").fetchone()[0]
    con.close()
    cells = page.eval_on_selector_all(
        ".ag-center-cols-container .ag-cell[col-id=report]",
        """cs => cs.map(c => { const v = c.querySelector('.report-title');
            const line = parseFloat(getComputedStyle(v).lineHeight);
            return [c.getBoundingClientRect().width, v.getBoundingClientRect().height / line,
                    v.scrollHeight > v.clientHeight, c.getAttribute('title')]; })""",
    )
    assert len(cells) >= 5  # the rows drawn (the grid draws those in sight)
    for width, lines, cut, title in cells:
        assert width >= 150 and lines <= 2.05 and cut and title == name
    # Every header word whole: no header taller than two lines, none broken inside a word.
    heads = page.eval_on_selector_all(
        ".ag-header-cell-text",
        "hs => hs.map(h => [h.innerText, h.scrollWidth <= h.clientWidth + 1])",
    )
    assert all(fits for _text, fits in heads), heads
    assert problems == []
