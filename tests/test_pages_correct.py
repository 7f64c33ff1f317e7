"""The pages answer correctly whatever a user brings: a heatmap cell's click, a bookmark of
something deleted since, an unknown address, a detail panel whose row a filter drops, a list
of reports paged on the server with their parse warnings, the rounds of a unit paged, and one
count of problems from the upload preview to the overview. Callbacks are called directly, as
Dash calls them, on a real warehouse."""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import REPORTS_DIR, SAMPLES, SEED

from etl.model import ParseWarning
from etl.warnings import warn
from warehouse import queries
from warehouse.db import connect_readonly
from warehouse.filters import Filters

GARDEN = "区园林绿化服务中心"
UNKNOWN_CODE = "a_code_added_later"


@pytest.fixture(scope="module")
def app_db(tmp_path_factory):
    """The seed, with two parse warnings (one of a code the catalogue does not know yet), and
    the other bundled openings; the app made on it."""
    import shutil

    from dashboard.app import create_app
    from pipeline import load_paths, prepare_file, write_prepared

    db = tmp_path_factory.mktemp("pages") / "w.duckdb"
    assert not load_paths(sorted(REPORTS_DIR.glob("r*.txt")), db).failed
    seed = prepare_file(SEED)
    seed.extraction.warnings = [
        warn("stated_vs_counted", stated=25, counted=19),
        ParseWarning(UNKNOWN_CODE, "a warning from a newer parser", 10, 20),
    ]
    write_prepared(db, [seed])
    app = create_app(db)
    yield db, app, seed.report_id
    shutil.rmtree(db.parent, ignore_errors=True)


def _page(name: str):
    return sys.modules[f"pages.{name}"]


@contextmanager
def triggered(prop_id: str, value=None):
    """A callback's trigger, set as Dash's documentation on testing callbacks shows."""
    from dash._callback_context import context_value
    from dash._utils import AttributeDict

    token = context_value.set(
        AttributeDict(triggered_inputs=[{"prop_id": prop_id, "value": value}])
    )
    try:
        yield
    finally:
        context_value.reset(token)


def _text(node) -> str:
    if node is None:
        return ""
    if isinstance(node, str | int | float):
        return str(node)
    if isinstance(node, list | tuple):
        return " ".join(_text(c) for c in node)
    return _text(getattr(node, "children", None))


# -- cross-filter ---------------------------------------------------------------------------


def test_a_heatmap_cell_filters_by_its_department_and_category_and_clears_on_a_second_click(
    app_db,
):
    overview = _page("overview")
    # What Plotly hands for a heatmap cell: its labels, no customdata.
    for label in ("安全", "Safety"):
        cell = {"points": [{"curveNumber": 0, "x": label, "y": GARDEN, "z": 3}]}
        with triggered("chart-heatmap.clickData", cell):
            once = overview.cross_filter(None, None, cell, "?report=x")
            twice = overview.cross_filter(None, None, cell, once)
        assert Filters.from_search(once) == Filters(
            report="x", department=GARDEN, category="safety"
        )
        assert Filters.from_search(twice) == Filters(report="x")
    # A doughnut slice, and a click on nothing that can be read: no change, no error.
    slice_ = {"points": [{"customdata": "completed", "label": "已完成"}]}
    with triggered("chart-status.clickData", slice_):
        assert Filters.from_search(overview.cross_filter(None, slice_, None, "")).status == (
            "completed"
        )
    odd = {"points": [{"x": "no such category", "y": GARDEN}]}
    with triggered("chart-heatmap.clickData", odd):
        assert overview.cross_filter(None, None, odd, "") is overview.dash.no_update


# -- stale bookmarks --------------------------------------------------------------------------


def test_a_bookmarked_report_or_department_no_longer_loaded_gives_a_notice_not_all_data(app_db):
    from dashboard.app import sync_filters
    from views.i18n import t

    search = "?report=0123456789abcdef&department=已撤销的中心"
    with triggered("url.search", search):
        out = sync_filters(search, None, None, None, None, None, 0, "zh", [])
    (_search, report_options, department_options, report, department, *_values) = out
    active, notice, _label, _categories, _statuses = out[-5:]
    assert report == "0123456789abcdef" and department == "已撤销的中心"  # kept, not reset
    assert report_options[0]["value"] == report and "已不存在" in report_options[0]["label"]
    assert department_options[0]["value"] == department
    assert "0123456789abcdef" in _text(notice) and "已撤销的中心" in _text(notice)
    assert t("filter_stale", "zh").split("{")[0] in _text(notice)
    assert "未筛选" not in active
    # And what the pages then show is nothing, not every report's figures.
    tiles, *_rest = _page("overview").redraw_overview(search, "zh", "items")
    assert "0" in _text(tiles) and "29" not in _text(tiles)
    # A known report and department give no notice.
    db, _app, seed_id = app_db
    good = f"?report={seed_id}&department={GARDEN}"
    with triggered("url.search", good):
        out = sync_filters(good, None, None, None, None, None, 0, "en", [])
    assert out[-4] is None and out[3] == seed_id and out[4] == GARDEN


# -- the address of no page -------------------------------------------------------------------


@pytest.mark.parametrize(("lang", "words"), [("zh", "找不到这个页面"), ("en", "Page not found")])
def test_an_unknown_address_answers_404_in_the_chosen_language(app_db, lang, words):
    _db, app, _seed = app_db
    client = app.server.test_client()
    client.set_cookie("rectify_lang", lang)
    assert client.get("/no-such-page").status_code == 404
    assert client.get("/explorer/no/such").status_code == 404
    for known in ("/", "/explorer", "/reports", "/rounds", "/assets/rectify.css"):
        assert client.get(known).status_code == 200, known
    # The layout the browser then asks for carries the not-found page in that language.
    layout = client.get("/_dash-layout", headers={"Referer": "http://localhost/no-such-page"})
    assert words in json.dumps(layout.get_json(), ensure_ascii=False)


# -- the explorer's detail panel --------------------------------------------------------------


def test_the_detail_panel_lets_go_of_a_row_the_new_filter_excludes(app_db):
    explorer = _page("explorer")
    db, _app, seed_id = app_db
    con = connect_readonly(db)
    try:
        row = queries.explorer_measures(con, Filters(report=seed_id, status="completed"), limit=1)
    finally:
        con.close()
    selected = [{"key": f"{seed_id}/{row['measure_id'][0]}"}]
    panel, selection = explorer.render_detail(selected, f"?report={seed_id}", "zh")
    assert selection is explorer.dash.no_update and "detail-text" in str(panel)
    panel, selection = explorer.render_detail(selected, "?status=in_progress", "zh")
    assert selection == [] and "detail-text" not in str(panel)


# -- the lists of reports ---------------------------------------------------------------------


def test_reports_page_is_paged_and_searched_on_the_server_with_warnings_and_review_mark(app_db):
    from views.reports import PAGE_SIZE

    reports = _page("reports")
    db, _app, seed_id = app_db
    con = connect_readonly(db)
    try:
        total = queries.report_count(con)
        expected = queries.reports_page(con, None, PAGE_SIZE, 0)
    finally:
        con.close()
    with triggered("reports-search.value", None):
        body, pages, page, place, *_labels = reports.render(None, 1, "zh")
    assert pages == -(-total // PAGE_SIZE) and page == 1 and f"共 {total} 份" in place
    text = str(body)
    assert all(f"report-{rid}" in text for rid in expected["report_id"])
    assert "000_ea4a386f79e332ee.txt" in text  # file names shown
    # The seed's warnings, in Chinese from the catalogue, the unknown code by its message.
    assert "待核查" in text and "通报自述25个问题，系统识别出19个" in text
    assert "a warning from a newer parser" in text
    with triggered("reports-search.value", "区城市管理委"):
        body, pages, page, place, *_ = reports.render("区城市管理委", 5, "en")
    assert page == 1 and "1–1 of 1" in place and f"report-{seed_id}" in str(body)
    assert "Needs review" in str(body) and "the report states 25 problems" in str(body)
    with triggered("reports-search.value", "no report has this"):
        body, pages, page, place, *_ = reports.render("no report has this", 1, "en")
    assert pages == 1 and place == "No reports match"  # not "0–0 of 0"


def test_only_review_level_warnings_raise_the_mark_and_notes_are_still_listed(app_db):
    """A report whose parse only took notes (info: a header field not given) is listed with
    its notes and no 待核查; one with a warning to review carries the mark."""
    from dashboard.components import reports_table
    from views.reports import reports_page

    db, _app, seed_id = app_db
    con = connect_readonly(db)
    try:
        levels = con.execute(
            "SELECT report_id, list(DISTINCT level) FROM parse_warning GROUP BY ALL"
        ).fetchall()
        page = reports_page(con, None, 1, "zh")
    finally:
        con.close()
    noted = [rid for rid, kinds in levels if kinds == ["info"]]
    flagged = [rid for rid, kinds in levels if "review" in kinds]
    assert noted and seed_id in flagged
    rows = {r.id: r for r in reports_table(page, "zh").children[1].children}
    for rid in noted:
        assert "待核查" not in str(rows[f"report-{rid}"]) and page.notes[rid]
        assert "说明" in _text(rows[f"report-{rid}"])
    for rid in flagged:
        if f"report-{rid}" in rows:
            assert "待核查" in str(rows[f"report-{rid}"])


def test_the_parse_warns_of_the_stated_totals_the_overview_flags(app_db):
    """The stated totals the overview's 通报自述 与 系统统计 table flags for a report are the
    ones its parse warned of (one comparison, etl.totals.reconcile), and only those."""
    from views.overview import gather_overview

    db, _app, seed_id = app_db
    con = connect_readonly(db)
    try:
        ids = [r for (r,) in con.execute("SELECT report_id FROM report").fetchall()]
        checked = 0
        for rid in ids:
            if rid == seed_id:
                continue  # its warnings were replaced by the fixture's
            flagged = {
                r.key for r in gather_overview(con, Filters(report=rid)).stated if r.mismatch
            }
            warned = set()
            for code, args in con.execute(
                "SELECT code, args FROM parse_warning WHERE report_id = $r", {"r": rid}
            ).fetchall():
                if code == "stated_vs_counted":
                    warned.add("problems")
                elif code == "stated_total_mismatch":
                    warned.add(json.loads(args)["field"].rsplit(" ", 1)[-1])
            assert flagged == warned, rid
            checked += bool(flagged)
        assert checked >= 3  # r02, r04, r07, r08 state more than their openings hold
    finally:
        con.close()


def test_the_data_page_lists_the_same_page_with_its_buttons(app_db):
    data_page = _page("data")
    with triggered("data-search.value", "r0"):
        table, pages, page, place, _placeholder = data_page.loaded_reports(0, "r0", 1, "zh")
    assert pages == 1 and page == 1
    text = str(table)
    assert "r01.txt" in text and "data-delete" in text and "data-reload" in text


def test_the_upload_preview_says_which_files_of_the_batch_are_one_report(app_db):
    from dashboard.uploads import Staged

    data_page = _page("data")

    def staged(name: str, rid: str) -> Staged:
        return Staged(name, True, "ledger", 2, 2, 2, "台账", report_id=rid)

    batch = [
        staged("一月.xlsx", "a" * 16),
        staged("副本.xlsx", "a" * 16),
        staged("二月.xlsx", "b" * 16),
    ]
    rows = (
        data_page.preview(batch, "zh", {"b" * 16: "二月_旧.xlsx"}).children[0].children[1].children
    )
    notes = [_text(r.children[-1]) for r in rows]
    assert "与本批的“副本.xlsx”是同一份通报" in notes[0]
    assert "与本批的“一月.xlsx”是同一份通报" in notes[1]
    assert "同一份通报" not in notes[2] and "相同内容已载入（“二月_旧.xlsx”）" in notes[2]


def _by_id(node, wanted: str):
    """The component of `wanted` id inside a tree of components (None when absent)."""
    if isinstance(node, list | tuple):
        return next((f for f in (_by_id(c, wanted) for c in node) if f is not None), None)
    if getattr(node, "id", None) == wanted:
        return node
    children = getattr(node, "children", None)
    return None if children is None or isinstance(children, str) else _by_id(children, wanted)


def test_the_rate_tile_marks_what_to_review_with_the_reasons_one_click_away(app_db):
    overview = _page("overview")
    _db, _app, seed_id = app_db
    tiles, *_parts = overview.redraw_overview(f"?report={seed_id}", "zh", "items")
    review = _by_id(_by_id(tiles, "kpi-rate"), "review-details")
    assert review is not None and "待核查" in str(review)
    assert "通报自述25个问题" in str(review) and "a warning from a newer parser" in str(review)
    # Across every report the tile says how many reports need review, and names them.
    tiles, *_parts = overview.redraw_overview("", "zh", "items")
    review = _by_id(_by_id(tiles, "kpi-rate"), "review-details")
    assert review is not None and "份通报需核查" in _text(review)
    assert "《r04.txt》" in _text(review)  # an untitled report by its file name


# -- one count --------------------------------------------------------------------------------


def _bundled(every: bool) -> list[Path]:
    """The seed and the bundled openings (the shared ones and their sample copies); not
    `every`: the seed and the first two of each."""
    shared, samples = sorted(REPORTS_DIR.glob("r*.txt")), sorted(SAMPLES.glob("r*.txt"))
    return [SEED, *shared, *samples] if every else [SEED, *shared[:2], *samples[:2]]


@pytest.mark.parametrize(
    "every", [pytest.param(True, marks=pytest.mark.slow, id="every-file"), pytest.param(False)]
)
def test_the_upload_preview_the_lists_and_the_overview_count_problems_alike(app_db, every):
    from dashboard.uploads import describe
    from pipeline.jobs import stage_one

    overview = _page("overview")
    db, _app, _seed = app_db
    con = connect_readonly(db)
    try:
        for path in _bundled(every):
            sent: list[dict] = []
            stage_one(path, sent.append)  # what the upload job reports for the preview
            staged = describe(sent[-1]["result"], "en")
            rid = sent[-1]["result"]["report_id"]
            listed = queries.reports_page(con, path.name if path != SEED else "000_", 50, 0)
            row = listed[listed["report_id"] == rid]
            loaded = int(row["n_items"].iloc[0]) if len(row) else None
            tiles, *_ = overview.redraw_overview(f"?report={rid}", "en", "items")
            shown = next(t for t in tiles if getattr(t, "id", None) == "kpi-items")
            assert staged.ok, path
            assert staged.items == int(_text(shown).split()[-1].replace(",", "")), path
            if loaded is not None:  # the shared openings are loaded; their sample copies too
                assert staged.items == loaded, path
    finally:
        con.close()


# -- rounds -----------------------------------------------------------------------------------


def test_rounds_are_paged_from_the_latest(app_db):
    # The page as the app registered it: importing dashboard.pages.rounds again would
    # register it twice, and every app made after would refuse its requests.
    rounds = _page("rounds")
    assert rounds.ROUNDS_PER_PAGE
    assert rounds.rounds_window(301, None) == (51, 51, 295)
    assert rounds.rounds_window(301, 1) == (1, 51, 0)
    assert rounds.rounds_window(301, 99) == (51, 51, 295)
    assert rounds.rounds_window(4, None) == (1, 1, 0)
    with triggered("rounds-unit.value", "区城市管理委"):
        figure, body, pages, page, place = rounds.render("区城市管理委", None, "zh")
    assert pages == 1 and page == 1 and "rounds-reconciliation" in str(body)
