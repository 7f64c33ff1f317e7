"""How numbers, labels and colours read: one number format (万/亿 in Chinese, separators in
English) on tiles and axes, full department names, a light-to-dark heat map, cross-filter
highlights, and "today" in the organisation's time zone."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pandas as pd
import pytest

from views import clock, figures, theme, vocabulary
from views.summaries import headline_split
from warehouse import queries
from warehouse.filters import Filters

GARDEN = "区园林绿化服务中心"


def _luminance(colour: str) -> float:
    r, g, b = (int(colour.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_value_axes_read_in_wan_and_yi_never_k_or_m():
    axis = theme.value_axis(3.2e8, "zh")
    assert axis["ticktext"] == ["0", "1亿", "2亿", "3亿", "4亿"] and axis["range"][1] >= 3.2e8
    assert theme.value_axis(32000, "zh")["ticktext"][-1].endswith("万")
    english = theme.value_axis(32000, "en")["ticktext"]
    assert english[-1] == "40,000" and not any(t.endswith(("k", "M")) for t in english)
    assert theme.nice_ticks(29) == [0, 10, 20, 30] and theme.nice_ticks(0) == [0, 1]


def test_a_total_of_3_2e8_reads_3_2_yi_on_its_tile():
    from dashboard.components import indicator_tiles

    frame = pd.DataFrame(
        [{"code": "funds_recovered", "name_zh": "资金", "name_en": "Funds", "total": 3.2e8,
          "unit": "yuan", "n_metrics": 2}]
    )  # fmt: skip
    zh, en = str(indicator_tiles(frame, "zh")), str(indicator_tiles(frame, "en"))
    assert "3.2亿" in zh and "元" in zh and "yuan" not in zh
    assert "320,000,000" in en and "yuan" in en
    assert theme.format_quantity(3.01e8, "元", "zh") == "3.01亿元"
    assert theme.format_quantity(33.9, "km", "en") == "33.9 km"


def test_dates_read_as_year_and_month_in_chinese():
    assert theme.format_month("2024-06-27", "zh") == "2024年6月"
    assert theme.format_month(date(2024, 6, 27), "en") == "Jun 2024"
    assert theme.format_date(pd.Timestamp("2024-06-27"), "zh") == "2024年6月27日"
    assert theme.format_date(None, "zh") == "" and theme.format_date(pd.NaT, "en") == ""


def test_long_names_wrap_evenly_and_lose_nothing():
    name = "区城市综合行政执法支队"
    wrapped = theme.wrap_label(name, 10)
    assert wrapped == "区城市综合行<br>政执法支队" and wrapped.replace("<br>", "") == name
    assert theme.wrap_label("办公室", 10) == "办公室"
    assert theme.wrap_label("Party building", 12) == "Party<br>building"  # between words


def test_department_axes_carry_full_names(con):
    from views.summaries import department_summary

    heat = figures.department_heatmap(queries.department_category(con, Filters()), "zh")
    axis = heat["layout"]["yaxis"]
    assert axis["automargin"] is True
    assert [text.replace("<br>", "") for text in axis["ticktext"]] == axis["tickvals"]
    assert GARDEN in axis["tickvals"]
    summary = department_summary(queries.department_status(con, Filters()))
    bars = figures.department_completion(summary, "zh", big=True, limit=3)
    shown = bars["layout"]["yaxis"]["tickvals"]
    assert shown == list(summary["department"].head(3))[::-1]  # the busiest three, top down
    assert "3" in bars["layout"]["title"]["text"]
    assert all(t.endswith(("0", "5")) or t == "0" for t in bars["layout"]["xaxis"]["ticktext"])


def test_busiest_first_orders_by_measures_then_name():
    from views.summaries import busiest_first

    # Ties by name as Python compares it (code points: 乙 U+4E59 before 甲 U+7532).
    assert busiest_first({"甲": 2, "乙": 2, "丙": 5, "丁": 0}) == ["丙", "乙", "甲", "丁"]
    assert busiest_first({}) == []


def test_heatmap_lists_departments_as_the_departments_page_does(con):
    """The overview's heat map and the 部门 page's bar chart list the departments in one order
    (busiest first, ties by name), under every status and category filter, and keep the same
    busiest ones when cut to a few."""
    from views.summaries import department_summary

    tied = False
    for f in [
        Filters(),
        *(Filters(status=s) for s in vocabulary.statuses()),
        *(Filters(category=c) for c in vocabulary.categories()),
    ]:
        summary = department_summary(queries.department_status(con, f))
        cells = queries.department_category(con, f)
        if summary.empty:
            continue
        tied |= summary["measures"].duplicated().any()
        for limit in (None, 3, 2):
            bars = figures.department_completion(summary, "zh", limit=limit)["data"][0]["y"]
            heat = figures.department_heatmap(cells, "zh", limit=limit)["data"][0]["y"]
            assert heat == bars, (f, limit)
            # Plotly draws the first row at the bottom: top down, the page's table order.
            assert heat[::-1] == list(summary["department"].head(limit)), (f, limit)
    assert tied  # a filter where departments have as many measures: the tie-break is checked


def test_heatmap_runs_light_to_dark_with_a_colour_bar_and_blank_empty_cells(con):
    cells = queries.department_category(con, Filters())
    heat = figures.department_heatmap(cells, "zh")["data"][0]
    scale = heat["colorscale"]
    assert _luminance(scale[0][1]) > _luminance(scale[-1][1]) + 100  # few: light; many: dark
    assert heat["showscale"] is True and heat["zmin"] == 0
    assert heat["colorbar"]["title"]["text"] == "措施数"
    flat = [v for row in heat["z"] for v in row]
    texts = [v for row in heat["text"] for v in row]
    assert None in flat and 0 not in flat  # an empty cell is blank, not a pale 0
    assert all(t == "" for v, t in zip(flat, texts, strict=True) if v is None)


def test_cross_filter_highlights_the_pick_and_dims_the_rest(con):
    frame = queries.completion(con, Filters(), "items")
    fig = figures.completion_by_category(frame, "zh", picked=("safety", "completed"))
    safety = vocabulary.category_label("safety")
    for trace in fig["data"]:
        for label, opacity in zip(trace["y"], trace["marker"]["opacity"], strict=True):
            picked = label == safety and trace["name"] == vocabulary.status_label("completed")
            assert opacity == (1 if picked else theme.DIMMED_OPACITY)
    # Every bar is still drawn: the chart does not shrink to the one picked.
    assert len(fig["data"][0]["y"]) == len(set(frame["category"]))
    doughnut = figures.status_doughnut(frame, "zh", picked="completed")["data"][0]
    assert doughnut["pull"][[c[0] for c in doughnut["customdata"]].index("completed")] > 0
    assert (
        sum(c.startswith("rgba") for c in doughnut["marker"]["colors"])
        == len(doughnut["values"]) - 1
    )
    heat = figures.department_heatmap(
        queries.department_category(con, Filters()), "zh", picked=(GARDEN, None)
    )
    assert len(heat["data"]) == 2 and heat["data"][0]["opacity"] == theme.DIMMED_OPACITY
    row = heat["data"][1]["y"].index(GARDEN)
    assert all(v is None for k, r in enumerate(heat["data"][1]["z"]) if k != row for v in r)


def test_overview_context_keeps_every_category_around_a_pick(con):
    from views.overview import gather_overview

    o = gather_overview(con, Filters(category="safety", status="completed"), context=True)
    assert set(o.completion_context("items")["category"]) == set(
        queries.completion(con, Filters(), "items")["category"]
    )
    assert set(o.completion("items")["category"]) == {"safety"}
    assert set(o.status_context("items")["category"]) == {"safety"}
    plain = gather_overview(con, Filters(department=GARDEN))
    assert plain.completion_context("items") is plain.completion_items


def test_headline_indicators_lead_in_the_rules_order_whatever_the_totals(con):
    totals = queries.filtered_indicator_totals(con, Filters())
    headline, rest = headline_split(totals)
    assert (
        list(headline["code"])
        == [c for c in vocabulary.headline_indicators() if c in set(totals["code"])][
            : len(headline)
        ]
    )
    assert headline["code"].iloc[0] == "gas_hazards_closed"
    # The rest in catalogue order: the same places however the totals change.
    reversed_totals = totals.assign(total=totals["total"][::-1].to_numpy())
    assert list(headline_split(reversed_totals)[1]["code"]) == list(rest["code"])
    assert not set(headline["code"]) & set(rest["code"])


def test_today_follows_rectify_tz(monkeypatch, con):
    from views.export import gather

    for zone in ("Asia/Shanghai", "Pacific/Kiritimati", "Pacific/Pago_Pago"):
        monkeypatch.setenv("RECTIFY_TZ", zone)
        assert clock.today() == datetime.now(ZoneInfo(zone)).date()
    monkeypatch.setenv("RECTIFY_TZ", "Not/AZone")
    assert clock.today() == datetime.now(ZoneInfo("Asia/Shanghai")).date()
    monkeypatch.setenv("RECTIFY_TZ", "Pacific/Kiritimati")  # UTC+14: often a day ahead of UTC
    assert gather(con, Filters(), "zh", rows=False).today == clock.today()


def test_the_explorer_bands_deadlines_by_the_organisations_today(monkeypatch):
    from dashboard import grid

    frame = pd.DataFrame(
        [{"report_id": "r", "measure_id": "M1", "report_title": "t", "path": "p", "section": "findings",
          "headline": "h", "category": "safety", "status": "in_progress", "departments": float("nan"),
          "figures": None, "deadline": pd.Timestamp("2025-01-15"), "text": "h。"}]
    )  # fmt: skip
    monkeypatch.setattr(clock, "today", lambda: date(2025, 1, 16))
    (row,) = grid.rows_for(frame, "zh")
    assert row["deadline_band"] == "overdue" and row["departments"] == "" and row["figures"] == ""
    monkeypatch.setattr(clock, "today", lambda: date(2024, 10, 1))
    assert grid.rows_for(frame, "zh")[0]["deadline_band"] == "on_track"


@pytest.mark.parametrize("status", ["unknown", "in_progress", "completed"])
def test_every_status_badge_is_readable(status):
    from dashboard.components import status_badge

    badge = status_badge(status, "zh")
    assert badge.children == vocabulary.status_label(status, "zh")
    if vocabulary.status_badge(status) in ("light", "warning"):
        assert badge.text_color == "dark"


def test_a_default_status_rule_reads_as_its_words_in_the_readers_language(con):
    """The 待核查 reasons and the status cue of a measure no words decided name the default
    rule by what it says, in one language, never by its id (section_default_organisation)."""
    import re

    from etl.classify import default_cue
    from etl.rules import load_rules
    from exports.tables import measures_table
    from views.export import gather
    from views.i18n import t
    from views.reports import render_warning

    rules = load_rules()
    latin, han = re.compile(r"[A-Za-z_]{3,}"), re.compile(r"[\u4e00-\u9fff]")
    for rule in (r for r in rules.status_rules if r.default):
        cue = default_cue(rule, rules)
        zh, en = vocabulary.status_cue(cue, "zh"), vocabulary.status_cue(cue, "en")
        assert zh == t("default_rule_cue", "zh").format(rule=rule.zh or rule.description)
        assert en == t("default_rule_cue", "en").format(rule=rule.description)
        assert not latin.search(zh) and not han.search(en)
        # A warehouse loaded before the rules' Chinese took full-width marks holds the cue
        # with ASCII ones ("默认规则 id:…,…"); it reads the same.
        ascii_cue = cue.translate(str.maketrans("：，；（）", ":,;()"))
        assert ascii_cue != cue
        assert vocabulary.status_cue(ascii_cue, "zh") == zh
        said = render_warning("status_default_done", {"n": 2, "rule": rule.id}, "zh")
        assert rule.id not in said and (rule.zh or rule.description) in said
        assert rule.description in render_warning("status_default", {"n": 2, "rule": rule.id}, "en")
    # The report's own words stay as they are.
    assert vocabulary.status_cue("已全部完成", "en") == "已全部完成"
    # The seed's next steps are decided by their default rule: the workbook says so in
    # the workbook's language.
    cues = measures_table(gather(con, Filters(), "zh", date(2026, 11, 29)))[t("detail_cue")]
    next_steps = t("default_rule_cue").format(
        rule=vocabulary.status_rule_words("section_default_next_steps")
    )
    assert (cues == next_steps).sum() > 0
    assert not cues.str.contains("section_default").any()


def test_every_milestone_is_named_and_the_end_labels_run_inward(con):
    """The inspection period carries its name (above it) as the feedback and publication
    points do (below them; a bare blue bar said nothing), and the labels at the time line's
    ends run inward, so that 公布整改进展 is not cut at the right edge of a narrow chart."""
    from views.i18n import t

    rid = con.execute("SELECT report_id FROM report").fetchone()[0]
    for lang in ("zh", "en"):
        fig = figures.milestones(queries.report_header(con, rid), lang)
        named = {tr["name"]: tr for tr in fig["data"]}
        assert set(named) == {t(k, lang) for k in ("ms_inspection", "ms_feedback", "ms_publish")}
        for name, trace in named.items():
            assert name in trace["text"]
        assert named[t("ms_inspection", lang)]["textposition"] == "top right"
        assert named[t("ms_publish", lang)]["textposition"] == "bottom left"
        assert named[t("ms_feedback", lang)]["textposition"] == "bottom center"


LEDGERS = __import__("pathlib").Path(__file__).resolve().parents[2] / "shared" / "cases" / "ledgers"


@pytest.mark.skipif(not LEDGERS.exists(), reason="../shared/cases is not present")
def test_the_review_list_tells_ledgers_of_one_title_apart(tmp_path):
    """Two ledgers titled alike (区审计局党组巡察整改台账) are named on the 待核查 list as
    everywhere else, by title and file name, not twice by the same title."""
    from pipeline import load_paths
    from views.reports import report_names
    from views.review import review_page
    from warehouse.db import connect_readonly

    db = tmp_path / "w.duckdb"
    files = [LEDGERS / "08_formula_cells_no_cache.xlsx", LEDGERS / "15_blank_status_cells.xlsx"]
    assert not load_paths(files, db).failed
    con = connect_readonly(db)
    try:
        page = review_page(con, None, Filters(), 1, "zh")
        names = report_names(con, [r.report_id for r in page.rows], "zh")
        titles = con.execute("SELECT DISTINCT title FROM report").fetchall()
    finally:
        con.close()
    assert len(titles) == 1 and len(set(names.values())) == 2
    assert {r.report_title for r in page.rows} == set(names.values())
    for name, file in zip(sorted(names.values()), sorted(f.name for f in files), strict=True):
        assert file in name


@pytest.mark.parametrize(
    ("lang", "published", "loaded"),
    [
        ("zh", "2025年5月20日", r"\d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d"),
        ("en", "20 May 2025", r"\d{1,2} [A-Z][a-z]{2} \d{4} \d\d:\d\d"),
    ],
)
def test_the_reports_list_writes_its_dates_as_every_page_does(con, lang, published, loaded):
    """通报 and 数据: the published and loaded dates read 2025年5月20日 (20 May 2025), as the
    explorer's deadlines and the meeting footer do, not 2025-05-20."""
    import re

    from dashboard.components import reports_table
    from views.reports import reports_page

    page = reports_page(con, None, 1, lang)
    (row,) = reports_table(page, lang).children[1].children
    cells = [c.children for c in row.children]
    assert cells[3] == published
    assert re.fullmatch(loaded, cells[4])
    # At 1024 px the load time breaks between its day and its minute, never inside either.
    assert row.children[4].className == "keep-words"


@pytest.mark.parametrize("n", [1, 2, 3, 6, 7])
def test_rounds_run_light_to_dark_in_time_order(n):
    """Each round's bars are darker than the round before (the palette cycled light, dark,
    darkest, mid, so the latest round could look the earliest)."""
    shares = pd.DataFrame(
        [
            {
                "report_id": f"r{k}",
                "category": vocabulary.categories()[0],
                "share": 0.5,
                "completed": 1,
                "items": 2,
            }
            for k in range(n)
        ]
    )
    fig = figures.rounds_completion(shares, {f"r{k}": f"第{k + 1}轮" for k in range(n)}, "zh")
    shades = [_luminance(tr["marker"]["color"]) for tr in fig["data"]]
    assert len(shades) == n
    assert all(a > b for a, b in zip(shades, shades[1:], strict=False)), shades


def test_a_page_of_entries_says_where_it_sits_and_nothing_for_an_empty_list():
    """The audit and review lists' place line: 第 51–57 条，共 57 条, 51–57 of 57; an empty
    list leaves it blank (第 0–0 条，共 0 条 stood above 尚无更正记录。)."""
    from dashboard.components import entries_place

    assert entries_place(1, 50, 0, 0, "zh") == entries_place(1, 50, 0, 0, "en") == ""
    assert entries_place(2, 50, 7, 57, "zh") == "第 51–57 条，共 57 条"
    assert entries_place(1, 50, 50, 1200, "en") == "1–50 of 1,200"


def test_a_review_marks_count_never_breaks_inside():
    """In a narrow 核查 column the count (5 条解析提示) stays on one line; who reviewed may
    wrap."""
    from dashboard.components import review_mark

    mark = review_mark(["甲", "乙"], "zh", reviewed=("王五", "2026年11月30日"))
    count, done = mark.children[0].children[2:]
    assert "text-nowrap" in count.className and count.children == "2 条解析提示"
    assert "text-nowrap" not in done.className and "王五" in done.children
    assert review_mark(["甲"], "zh").children[0].children[2].children == "1 条解析提示"


def test_explorer_rows_give_a_reports_title_and_what_tells_it_apart_on_their_own(tmp_path):
    """Ledgers of one title: each row carries the title and the file name that tells them
    apart as parts (the 通报 column shows them on lines of their own) and the whole name, as
    every list gives it (views.reports.report_names), for its tooltip."""
    from openpyxl import Workbook

    from dashboard import grid
    from pipeline import load_paths
    from views.reports import report_name_parts, report_names
    from warehouse.db import connect_readonly

    title = "区园林局党组巡察反馈问题整改台账"
    files = []
    for batch, words in (("第一批", "补植苗木1200余株"), ("第二批", "修订财务制度5项")):
        book = Workbook()
        sheet = book.active
        sheet.append([title])
        sheet.append(["序号", "反馈问题", "整改措施", "责任单位", "整改状态"])
        sheet.append(["1", "绿地养护不到位", words, "园林中心", "已完成"])
        files.append(tmp_path / f"园林台账_{batch}.xlsx")
        book.save(files[-1])
    db = tmp_path / "w.duckdb"
    assert not load_paths(files, db).failed
    con = connect_readonly(db)
    try:
        frame = queries.explorer_measures(con, Filters())
        ids = list(frame["report_id"])
        parts, names = report_name_parts(con, ids, "zh"), report_names(con, ids, "zh")
    finally:
        con.close()
    rows = grid.rows_for(frame, "zh", names=parts)
    assert sorted((r["report_label"], r["report_extra"]) for r in rows) == [
        (title, "园林台账_第一批.xlsx"),
        (title, "园林台账_第二批.xlsx"),
    ]
    assert (
        sorted(r["report"] for r in rows)
        == sorted(names.values())
        == [
            f"{title}（园林台账_第一批.xlsx）",
            f"{title}（园林台账_第二批.xlsx）",
        ]
    )
    column = next(c for c in grid.column_defs("zh") if c["field"] == "report")
    assert column["tooltipField"] == "report" and column["cellRenderer"] == "ReportName"


def test_a_short_report_name_keeps_the_end_of_the_file_name_that_tells_it_apart():
    """The deck's 通报 columns: the title cut at its end, the file name at its start, so two
    batches of one ledger stay apart (第一批, 第二批)."""
    from views.reports import short_name

    title = "中共北京市某某区园林绿化局党组关于区委第三轮巡察反馈意见整改落实情况台账"
    first = short_name(title, "园林绿化局整改落实台账_第一批.xlsx", "zh", 14)
    assert first == "中共北京市某某区园林绿化局…（…落实台账_第一批.xlsx）"
    assert short_name(title, "园林绿化局整改落实台账_第二批.xlsx", "en", 14).endswith(
        " (…落实台账_第二批.xlsx)"
    )
    assert short_name("区园林局整改台账", "", "zh", 14) == "区园林局整改台账"


def test_a_blank_status_a_correction_settled_reads_as_corrected_on_the_reports_page(tmp_path):
    """The 通报 page keeps a settled blank-status warning as a note that says the status was
    corrected by hand, not that it is still recorded as 未明确; unsettled ones read as read."""
    from test_corrections import blank_status_ledger

    from pipeline import load_paths
    from pipeline.corrections import Edit, record
    from views.reports import report_warnings, reports_page
    from warehouse.db import connect_readonly

    db = tmp_path / "w.duckdb"
    assert not load_paths(
        [blank_status_ledger(tmp_path / "园林.xlsx", "园林局整改台账")], db
    ).failed
    con = connect_readonly(db)
    rid, mid = con.execute(
        "SELECT report_id, measure_id FROM measure WHERE status = 'unknown' ORDER BY ordinal"
    ).fetchone()
    con.close()
    record(db, [Edit(rid, "status", "completed", measure=mid)], "王五", "电话核实")
    con = connect_readonly(db)
    try:
        page = {lang: reports_page(con, None, 1, lang) for lang in ("zh", "en")}
        review = report_warnings(con, rid, "zh")
    finally:
        con.close()
    zh = [n for n in page["zh"].notes.get(rid, []) if "整改状态为空" in n]
    assert len(zh) == 1 and zh[0].endswith("载入时记为“未明确”，已人工更正")
    en = [n for n in page["en"].notes.get(rid, []) if "is empty" in n]
    assert len(en) == 1 and en[0].endswith("has since been corrected by hand")
    blank = [w for w in review if "整改状态为空" in w]  # the two not corrected yet
    assert len(blank) == 2 and all(w.endswith("记为“未明确”，不计入已完成") for w in blank)
