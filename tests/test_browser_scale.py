"""In Debian's chromium, on a warehouse of 10,000 reports of one inspected unit: a heatmap
cell's click filters every view and a second click clears it; the rounds page draws a page
of the unit's rounds; the 数据 and 通报 pages list the reports a page at a time, with file
names, load times and a search answered by the server."""

from __future__ import annotations

import urllib.parse

import pytest
from conftest import REPORTS_DIR, SEED
from test_dashboard import CHROMIUM, _serve, needs_browser

N_REPORTS = 10_000
PICKED = ("r05.txt", "r08.txt")


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    from pipeline import load_paths
    from warehouse.db import swap
    from warehouse.synthetic import replicate_reports

    db = tmp_path_factory.mktemp("big") / "w.duckdb"
    assert not load_paths([SEED], db).failed
    with swap(db) as con:
        template = con.execute("SELECT report_id FROM report").fetchone()[0]
        replicate_reports(con, template, N_REPORTS - 1 - len(PICKED))
    # Two openings of other bodies among them, picked below by the report filter's search.
    assert not load_paths([REPORTS_DIR / name for name in PICKED], db).failed
    url, proc = _serve(db)
    yield url
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture()
def page(big):
    from playwright.sync_api import sync_playwright

    problems: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--headless", "--disable-gpu"]
        )
        tab = browser.new_page(viewport={"width": 1366, "height": 768})
        tab.set_default_timeout(60000)
        tab.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        tab.on("pageerror", lambda e: problems.append(str(e)))
        yield tab, big, problems
        browser.close()


def _filters(tab) -> str:
    return tab.evaluate("() => window.location.search")


@needs_browser
@pytest.mark.browser
def test_a_heatmap_click_filters_and_a_second_click_clears(page):
    tab, base, problems = page
    tab.goto(base + "/")
    graph = "#chart-heatmap .js-plotly-plot"
    tab.wait_for_function(f"() => document.querySelector('{graph}')?.data?.length > 0")

    def click_top_left_cell():
        tab.query_selector("#chart-heatmap").scroll_into_view_if_needed()
        tab.wait_for_timeout(300)  # let Plotly finish drawing before the click
        box = tab.query_selector("#chart-heatmap .nsewdrag").bounding_box()
        tab.mouse.click(box["x"] + 5, box["y"] + 5)

    click_top_left_cell()
    tab.wait_for_function("() => window.location.search.includes('department=')")
    search = _filters(tab)
    assert "category=" in search
    # The heat map keeps every cell and draws the pick over them; the tiles count the pick.
    tab.wait_for_function(f"() => document.querySelector('{graph}')?.data?.length === 2")
    department = urllib.parse.parse_qs(search.lstrip("?"))["department"][0]
    assert department in tab.inner_text("#active-filters")
    click_top_left_cell()
    tab.wait_for_function("() => !window.location.search.includes('department=')")
    tab.wait_for_function(f"() => document.querySelector('{graph}')?.data?.length === 1")
    assert problems == []


@needs_browser
@pytest.mark.browser
def test_picking_reports_one_after_another_shows_each_ones_figures(page):
    """The report filter's search (the server's) finds a report among thousands; the figures
    then are that report's, for one report after another."""
    from pipeline import prepare_file

    tab, base, problems = page
    tab.goto(base + "/")
    tab.wait_for_selector("#kpi-measures")
    for name in (*PICKED, PICKED[0]):
        x = prepare_file(REPORTS_DIR / name)
        header = x.extraction.report
        title = header.title or header.inspected_unit or name  # as the report picker names it
        tab.click("#filter-report")
        tab.click(".dash-dropdown-search")
        tab.keyboard.type(title[:6])
        option = tab.locator("[role=option]", has_text=title[:6]).first
        option.click()
        tab.keyboard.press("Escape")
        tab.wait_for_function(f"() => window.location.search.includes('report={x.report_id}')")
        measures = len(x.extraction.measures)
        tab.wait_for_function(
            "() => (document.querySelector('#kpi-measures')?.innerText || '')"
            f".replace(/\\s/g, '').endsWith('/{measures}')"
        )
        assert title[:6] in tab.inner_text("#active-filters")
    assert problems == []


@needs_browser
@pytest.mark.browser
def test_the_rounds_page_draws_a_page_of_a_unit_with_thousands_of_rounds(page):
    tab, base, problems = page
    tab.goto(base + "/rounds")
    tab.wait_for_selector("#rounds-reconciliation")
    tab.wait_for_function(
        "() => document.querySelector('#chart-rounds .js-plotly-plot')?.data?.length === 6"
    )
    unit_rounds = N_REPORTS - len(PICKED)  # the two openings are other bodies'
    assert f"{unit_rounds:,}" in tab.inner_text("#rounds-place").replace(" ", "")
    tab.click("#rounds-pager a:has-text('«')")  # the first page: the earliest rounds
    tab.wait_for_function(
        "() => document.querySelector('#rounds-place')?.innerText.includes('第 1–')"
    )
    assert problems == []


@needs_browser
@pytest.mark.browser
@pytest.mark.parametrize("path", ["/data", "/reports"])
def test_the_lists_of_10000_reports_page_and_search_on_the_server(page, path):
    tab, base, problems = page
    prefix = "data" if path == "/data" else "reports"
    tab.goto(base + path)
    tab.wait_for_selector("#reports-table")
    assert tab.locator("#reports-table tbody tr").count() == 25
    assert f"共 {N_REPORTS:,} 份" in tab.inner_text(f"#{prefix}-place")
    assert "synthetic_" in tab.inner_text("#reports-table")  # file names
    copies = N_REPORTS - 1 - len(PICKED)  # synthetic_0.txt … (replicate_reports)
    matching = sum(str(i).startswith("999") for i in range(copies))
    tab.fill(f"#{prefix}-search", "synthetic_999")
    tab.keyboard.press("Enter")
    tab.wait_for_function(
        f"() => document.querySelector('#{prefix}-place')?.innerText.includes('共 {matching} 份')"
    )
    assert tab.locator("#reports-table tbody tr").count() == matching
    assert problems == []
