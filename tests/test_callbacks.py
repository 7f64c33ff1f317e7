"""Page callbacks called directly, as Dash would call them, on a real seed warehouse: each
returns what the warehouse queries say, in both languages, for a filter or none."""

from __future__ import annotations

import pandas as pd
import pytest

from views import figures, vocabulary
from views.summaries import department_summary
from warehouse import queries
from warehouse.db import connect_readonly
from warehouse.filters import Filters

GARDEN = "区园林绿化服务中心"


@pytest.fixture(scope="module")
def app_db(tmp_path_factory):
    """The app made once on a seed warehouse of its own (pages register with it)."""
    import shutil

    from conftest import SEED

    from dashboard.app import create_app
    from pipeline import load_paths

    db = tmp_path_factory.mktemp("cb") / "w.duckdb"
    assert not load_paths([SEED], db).failed
    create_app(db)
    yield db
    shutil.rmtree(db.parent, ignore_errors=True)


def _page(name: str):
    """A page's module as the app registered it (Dash imports pages from its pages folder as
    `pages.<name>`; importing them again under another name would register them twice)."""
    import sys

    return sys.modules[f"pages.{name}"]


def _figure_total(fig: dict) -> int:
    """The counts a bar chart stands for (a horizontal bar's customdata[2] holds its count)."""
    return sum(
        int(c[2]) if trace.get("orientation") == "h" and trace["type"] == "bar" else int(y)
        for trace in fig["data"]
        for c, y in zip(trace.get("customdata") or trace["y"], trace["y"], strict=True)
    )


def _text(component) -> str:
    """Every string inside a Dash component tree."""
    if isinstance(component, str | int | float):
        return str(component)
    if isinstance(component, list | tuple):
        return " ".join(_text(c) for c in component)
    children = getattr(component, "children", None)
    return "" if children is None else _text(children)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("search", ["", "?category=safety", f"?department={GARDEN}"])
def test_overview_callback_equals_the_queries(app_db, search, lang):
    overview = _page("overview")

    tiles, completion, status, heat, _timeline, _stated, _deadlines, indicators, units, _ = (
        overview.redraw_overview(search, lang, "measures")
    )
    f = Filters.from_search(search)
    con = connect_readonly(app_db)
    try:
        counts = queries.completion(con, f, "measures")
        # The charts highlight a pick among the rest: completion across every category and
        # status, the doughnut across every status of the chosen category.
        around = queries.completion(con, Filters(department=f.department), "measures")
        totals = queries.filtered_indicator_totals(con, f).set_index("code")
    finally:
        con.close()
    assert _figure_total(completion) == around["n"].sum()
    assert sum(status["data"][0]["values"]) == counts["n"].sum()
    shown = _text(tiles)
    done = counts[counts["status"] == "completed"]["n"].sum()
    assert f"{int(done)} / {int(counts['n'].sum())}" in shown.replace("  ", " ")
    assert [o["value"] for o in units] == ["items", "measures"]
    # Each chart names the level it counts in (the switch asked for measures).
    assert completion["layout"]["title"]["text"] == (
        "各类别整改完成率（按整改措施）"
        if lang == "zh"
        else "Completion rate by category (measures)"
    )
    # One completion rate on the screen: the tile, the doughnut's centre and a picked
    # category's bar say the same number, rounded alike, in the unit chosen.
    rate = f"{round(100 * done / counts['n'].sum())}%"
    assert ("整改完成率（按整改措施）" if lang == "zh" else "Completion rate (measures)") in shown
    assert rate in shown and status["layout"]["annotations"][0]["text"].startswith(f"<b>{rate}</b>")
    safety = vocabulary.category_label("safety", lang)
    for trace in completion["data"]:
        for label, opacity in zip(trace["y"], trace["marker"]["opacity"], strict=True):
            assert opacity == (
                1
                if f.category in (None, "safety") and (f.category is None or label == safety)
                else 0.3
            )
    # The headline indicators lead, in the order the rules give, with their units.
    words = _text(indicators)
    if "gas_hazards_closed" in totals.index and totals.loc["gas_hazards_closed", "n_metrics"]:
        gas = totals.loc["gas_hazards_closed"]
        assert (gas["name_zh"] if lang == "zh" else gas["name_en"]) in words
        assert ("项" if lang == "zh" else "items") in words


def test_overview_cross_filter_toggles(app_db):
    overview = _page("overview")

    click = {"points": [{"customdata": ["safety", "completed"]}]}
    # Called directly, a callback has no context to name its trigger: set it as Dash's docs
    # on testing callbacks show.
    from dash._callback_context import context_value
    from dash._utils import AttributeDict

    trigger = [{"prop_id": "chart-completion.clickData", "value": click}]
    token = context_value.set(AttributeDict(triggered_inputs=trigger))
    try:
        once = overview.cross_filter(click, None, None, "")
        twice = overview.cross_filter(click, None, None, once)
    finally:
        context_value.reset(token)
    assert Filters.from_search(once) == Filters(category="safety", status="completed")
    assert twice == ""


def test_departments_callback_lists_every_status_of_the_vocabulary(app_db):
    departments = _page("departments")

    fig, table = departments.render("", "en")
    con = connect_readonly(app_db)
    try:
        summary = department_summary(queries.department_status(con, Filters()))
    finally:
        con.close()
    assert fig["data"][0]["y"][-1] == summary["department"].iloc[0]  # busiest at the top
    drawn = {trace["name"] for trace in fig["data"]}
    present = {vocabulary.status_label(s, "en") for s in vocabulary.statuses() if summary[s].sum()}
    assert drawn == present
    table, note = table.children
    header = [th.children for th in table.children[0].children.children]
    assert header[:4] == ["Department", "Items", "Completion (items)", "Measures"]
    assert header[-1] == "Completion (measures)" and "own measures" in note.children


def test_a_departments_completion_is_the_overviews_under_its_filter(app_db):
    """The 部门 page's rate in items is the overview's headline rate under that department's
    filter: an item counts by that department's own measures (the seed's I1 is completed for
    区园林绿化服务中心, whose M5 is done, though 区城市管理委's M6 is still open)."""
    from views.summaries import kpis

    departments = _page("departments")
    con = connect_readonly(app_db)
    try:
        (rid,) = con.execute("SELECT report_id FROM report WHERE file_name LIKE '000_%'").fetchone()
        statuses = dict(
            con.execute(
                "SELECT department, status FROM item_department_fact"
                " WHERE report_id = $r AND finding_id = 'I1'",
                {"r": rid},
            ).fetchall()
        )
        assert statuses[GARDEN] == "completed" and statuses["区城市管理委"] == "in_progress"
        _fig, body = departments.render(f"?report={rid}", "zh")
        rows = {
            tr.children[0].children: [td.children for td in tr.children]
            for tr in body.children[0].children[1].children
        }
        for department, cells in rows.items():
            f = Filters(report=rid, department=department)
            k = kpis(queries.completion(con, f, "items"), queries.completion(con, f, "measures"))
            assert cells[1] == k["items"], department
            assert cells[2] == f"{k['completion_rate'] * 100:.0f}%", department
            assert cells[3] == k["measures"], department
        assert rows[GARDEN][1:3] == [11, "64%"]
    finally:
        con.close()


@pytest.mark.parametrize("index", range(5))
def test_meeting_slides_render_with_a_footer_naming_reports_filters_and_date(app_db, index):
    from views import clock

    meeting = _page("meeting")

    slide, footer, *_chrome = meeting.render(index, f"?department={GARDEN}", "zh")
    assert slide is not None
    today = clock.today()
    footer = _text(footer)
    assert "《区城市管理委党委关于" in footer and GARDEN in footer
    assert f"{today.year}年{today.month}月{today.day}日" in footer


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_data_page_comes_with_its_words_not_an_empty_drop_zone(app_db, lang):
    """The drop zone, headings and cancel button are drawn with the page (a screenshot caught
    an empty dashed box while the labels callback was still awaited)."""
    from dashboard import ids
    from dashboard.uploads import MAX_UPLOAD_BYTES
    from views.i18n import t

    tree = _page("data").layout(lang)
    hint = t("upload_hint", lang).format(mb=MAX_UPLOAD_BYTES // 1_048_576)
    found = {}

    def walk(c):
        if isinstance(c, list | tuple):
            for x in c:
                walk(x)
        elif hasattr(c, "children"):
            if getattr(c, "id", None) in (ids.UPLOAD_HINT, ids.DATA_HEADING, ids.DATA_LIST_HEADING):
                found[c.id] = c.children
            walk(c.children)

    walk(tree)
    assert found == {
        ids.DATA_HEADING: t("nav_data", lang),
        ids.UPLOAD_HINT: hint,
        ids.DATA_LIST_HEADING: t("reports_heading", lang),
    }


def test_the_departments_chart_lists_departments_as_its_table_does(app_db):
    """Top down, the 部门 chart's bars come in the table's order, ties included (departments
    with as many measures came in another order in the chart than in the table)."""
    fig, table = _page("departments").render("", "zh")
    rows = table.children[0].children[1].children
    listed = [row.children[0].children for row in rows]
    assert len(listed) > 1 and list(reversed(fig["data"][0]["y"])) == listed
    # Ties: departments of equal counts keep the summary's order in the chart too.
    summary = department_summary(
        pd.DataFrame(
            [
                {"department": d, "status": "completed", "n": n}
                for d, n in [("乙局", 2), ("甲局", 2), ("丙局", 2), ("丁局", 5), ("戊局", 1)]
            ]
        )
    )
    fig = figures.department_completion(summary, "zh")
    assert list(reversed(fig["data"][0]["y"])) == list(summary["department"])
    assert len(set(summary["measures"])) < len(summary)


def test_the_meeting_footer_names_a_picked_report_once(app_db):
    """Picked in the report filter, the report is cited once in the footer (it was cited and
    then named again as the filter, three lines at 1024 px); other filters are still said."""
    from views.i18n import t

    meeting = _page("meeting")
    con = connect_readonly(app_db)
    try:
        rid = con.execute("SELECT report_id FROM report").fetchone()[0]
    finally:
        con.close()
    _slide, footer, *_ = meeting.render(0, f"?report={rid}", "zh")
    text = _text(footer)
    assert text.count("区城市管理委党委关于") == 1 and t("filter_active", "zh") not in text
    _slide, footer, *_ = meeting.render(0, f"?report={rid}&department={GARDEN}", "zh")
    text = _text(footer)
    assert text.count("区城市管理委党委关于") == 1
    assert f"{t('filter_active', 'zh')}{GARDEN}" in text
    _slide, footer, *_ = meeting.render(0, "", "zh")
    assert t("filter_none", "zh") in _text(footer)


@pytest.mark.parametrize(
    ("lang", "head", "agrees"),
    [
        ("zh", ["通报所述", "系统统计", "核对"], "一致"),
        ("en", ["Stated", "Counted", "Check"], "Agrees"),
    ],
)
def test_the_stated_vs_counted_table_names_every_column(app_db, lang, head, agrees):
    """The last column says what it holds (核对 / Check): 不一致 where a stated total
    disagrees with the count, 一致 where it agrees; never an unlabelled column."""
    from views.overview import gather_overview

    overview = _page("overview")
    con = connect_readonly(app_db)
    try:
        rid = con.execute("SELECT report_id FROM report").fetchone()[0]
        stated = gather_overview(con, Filters(report=rid)).stated
    finally:
        con.close()
    table = overview.redraw_overview(f"?report={rid}", lang, "measures")[5]
    thead, tbody = table.children
    assert [th.children for th in thead.children.children][1:] == head
    checks = [_text(tr.children[-1]) for tr in tbody.children]
    assert len(checks) == len(stated) > 0
    mismatch = {"zh": "不一致", "en": "Mismatch"}[lang]
    assert checks == [mismatch if r.mismatch else agrees for r in stated]


def test_an_empty_chart_offers_no_download_and_a_ledger_without_dates_no_time_line(
    app_db, tmp_path
):
    """The download buttons of a chart with no data are hidden from the first draw; a report
    that gives no milestone dates (a 整改台账) leaves no time-line box on the overview,
    while the seed report, which gives them, has its chart."""
    from openpyxl import Workbook

    from dashboard import ids
    from dashboard.components import chart
    from views.overview import gather_overview

    overview = _page("overview")
    empty = figures.completion_by_category(pd.DataFrame(columns=["category", "status", "n"]), "zh")
    assert empty["data"] == []
    downloads = chart(ids.CHART_COMPLETION, empty).children[1]
    assert downloads.id == {"type": ids.CHART_DOWNLOADS, "chart": ids.CHART_COMPLETION}
    assert downloads.style == {"display": "none"}
    book = Workbook()
    sheet = book.active
    sheet.append(["区园林局党组巡察反馈问题整改台账"])
    sheet.append(["序号", "反馈问题", "整改措施", "责任单位", "整改状态"])
    sheet.append(["1", "绿地养护不到位", "补植苗木1200余株", "园林中心", "已完成"])
    book.save(tmp_path / "台账.xlsx")
    from conftest import SEED

    from pipeline import load_paths

    db = tmp_path / "w.duckdb"
    load_paths([tmp_path / "台账.xlsx", SEED], db)
    con = connect_readonly(db)
    try:
        ledger, seed = (
            gather_overview(con, Filters(report=rid)).header
            for (rid,) in con.execute(
                "SELECT report_id FROM report ORDER BY file_name <> '台账.xlsx'"
            ).fetchall()
        )
    finally:
        con.close()
    assert overview.timeline(ledger, "zh") is None
    drawn = overview.timeline(seed, "en")
    assert drawn.children[0].children.figure["data"] and drawn.children[1].style is None
