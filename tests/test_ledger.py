"""整改台账: a ledger written in the tests (Chinese headers, merged cells, a GB18030 CSV twin)
loads with the right departments, deadlines and statuses; warnings for a fixed "today"."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from etl.deadlines import Deadline, read_deadline
from etl.errors import InputError
from etl.ledger import (
    as_ledger,
    deadline_band,
    filled_date,
    find_header,
    ledger_extraction,
    map_columns,
    parse_deadline,
    read_table,
    row_totals,
    sheet_kind,
    status_from_cells,
    status_word,
)
from etl.normalize import fold
from etl.rules import load_rules, read_rule_files
from etl.warnings import render
from pipeline import load_paths, prepare_file
from warehouse import queries
from warehouse.db import connect_readonly
from warehouse.filters import Filters

RULES = load_rules()
LEDGER = read_rule_files()["ledger"]
TITLE = "区城市管理委党委巡察反馈问题整改台账"
HEADER = [
    "序号",
    "反馈问题",
    "整改措施",
    "责任\n单位",
    "责任领导",
    "整改时限",
    "整改状态",
    "佐证材料",
    "是否销号",
]
GAS = "燃气安全隐患排查整治不彻底"
ROWS = [
    ["1", GAS, "开展燃气安全专项整治,排查整改燃气隐患108项。", "区城市管理委", "张某", date(2024, 12, 31), "已完成", "整治台账", "是"],
    ["", "", "完成供热老旧管网改造33.9公里", "区市容市政和公用事业服务中心", "李某", "2025年6月", "正在整改", "", "否"],
    ["2", "园林绿化养护管理不到位", "加强绿化养护考核,补植苗木1200余株", "园林中心、区城市管理委", "王某", "2025-01-15", "整改中", "", ""],
    ["3", "干部队伍作风建设有差距", "持续开展作风建设", "机关党委", "赵某", "长期坚持", "长期坚持", "", ""],
    ["4", "内部控制制度不健全", "修订财务制度5项", "财务室", "钱某", "2025.3.1", "未启动", "", ""],
]  # fmt: skip


@pytest.fixture()
def ledger_files(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.title = "台账"
    sheet.append([TITLE])
    sheet.merge_cells("A1:I1")
    sheet.append(HEADER)
    for row in ROWS:
        sheet.append(row)
    # The first problem spans two rows, as ledgers merge it.
    sheet.merge_cells("A3:A4")
    sheet.merge_cells("B3:B4")
    xlsx = tmp_path / "台账.xlsx"
    book.save(xlsx)
    # The CSV twin, as Excel saves merged cells: the value in the first row only.
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([TITLE])
    writer.writerow(HEADER)
    for row in ROWS:
        writer.writerow([v.isoformat() if isinstance(v, date) else v for v in row])
    twin = tmp_path / "台账.csv"
    twin.write_bytes(out.getvalue().encode("gb18030"))
    return xlsx, twin


def _extraction(path):
    return ledger_extraction(as_ledger(read_table(path), RULES, str(path)), RULES, path.name)


def test_ledger_rows_become_findings_and_measures(ledger_files):
    x = _extraction(ledger_files[0])
    assert x.report.title == TITLE and x.report.inspected_unit == "区城市管理委"
    assert [(f.label, f.title) for f in x.findings] == [
        ("1", GAS),
        ("2", "园林绿化养护管理不到位"),
        ("3", "干部队伍作风建设有差距"),
        ("4", "内部控制制度不健全"),
    ]
    first = x.findings[0].id
    assert [m.finding_id == first for m in x.measures] == [True, True, False, False, False]
    assert [m.status for m in x.measures] == [
        "completed",
        "in_progress",
        "in_progress",
        "ongoing",
        "not_started",
    ]
    assert [m.deadline for m in x.measures] == [
        "2024-12-31",
        "2025-06-30",
        "2025-01-15",
        None,
        "2025-03-01",
    ]
    assert [m.owner for m in x.measures] == ["张某", "李某", "王某", "赵某", "钱某"]
    # 园林中心 is the department list's alias of 区园林绿化服务中心; unknown names stay as written.
    assert x.measures[2].departments == ["区园林绿化服务中心", "区城市管理委"]
    assert x.measures[4].departments == ["财务室"] and x.measures[0].evidence == "整治台账"
    by_indicator = {m.indicator: m.value for m in x.metrics if m.indicator}
    assert by_indicator["gas_hazards_closed"] == 108
    assert by_indicator["heating_network_renovated"] == 33.9
    for m in x.measures:  # offsets into the ledger's plain text give each measure's text
        assert x.text[m.start : m.end] == m.text
    for mt in x.metrics:
        assert x.text[mt.start : mt.end] == mt.raw


def test_gb18030_csv_twin_gives_the_same_extraction(ledger_files):
    xlsx, twin = ledger_files
    assert read_table(twin).encoding == "gb18030"
    assert _extraction(twin).to_dict() == _extraction(xlsx).to_dict()


def test_deadline_warnings_for_a_fixed_today(ledger_files, tmp_path):
    db = tmp_path / "w.duckdb"
    result = load_paths([ledger_files[0]], db)
    assert not result.failed and result.loaded[0].source_kind == "ledger"
    con = connect_readonly(db)
    try:
        open_tasks = queries.deadline_measures(con, Filters(), date(2025, 1, 10))
        assert list(open_tasks["measure_id"]) == ["M3", "M5", "M2"]  # soonest first, done left out
        assert list(open_tasks["days_left"]) == [5, 50, 171]
        bands = [
            deadline_band(int(d), s)
            for d, s in zip(open_tasks["days_left"], open_tasks["status"], strict=True)
        ]
        assert bands == ["due_soon", "on_track", "on_track"]
        later = queries.deadline_measures(con, Filters(), date(2025, 2, 15))
        assert [deadline_band(int(d), "in_progress") for d in later["days_left"]] == [
            "overdue",
            "watch",
            "on_track",
        ]
        garden = queries.deadline_measures(
            con, Filters(department="区园林绿化服务中心"), date(2025, 1, 10)
        )
        assert list(garden["measure_id"]) == ["M3"]
    finally:
        con.close()


def test_deadline_tiles_and_explorer_column(ledger_files, tmp_path):
    from dashboard.components import deadline_tiles
    from dashboard.grid import rows_for
    from views.summaries import deadline_counts

    db = tmp_path / "w.duckdb"
    load_paths([ledger_files[0]], db)
    con = connect_readonly(db)
    try:
        rows = rows_for(queries.explorer_measures(con, Filters()), "zh", date(2025, 1, 10))
        counts = deadline_counts(queries.deadline_measures(con, Filters(), date(2025, 1, 20)))
    finally:
        con.close()
    assert [(r["deadline"], r["deadline_band"]) for r in rows] == [
        ("2024年12月31日", None),  # done: no warning
        ("2025年6月30日", "on_track"),
        ("2025年1月15日", "due_soon"),
        ("", None),
        ("2025年3月1日", "on_track"),
    ]
    assert [(c["band"], c["n"]) for c in counts] == [
        ("overdue", 1),
        ("due_soon", 0),
        ("watch", 0),
        ("on_track", 2),
    ]
    from dashboard.grid import column_defs

    assert [c["field"] for c in column_defs("zh", deadlines=False)][-1] == "figures"
    assert [c["field"] for c in column_defs("zh")][-1] == "deadline"
    con = connect_readonly(db)
    try:
        assert queries.has_deadlines(con, Filters())
        assert not queries.has_deadlines(con, Filters(department="机关党委"))  # 长期坚持: no date
    finally:
        con.close()
    tiles = str(deadline_tiles(counts, "zh"))
    assert "已逾期" in tiles and "10 天内到期" in tiles and "20 天以上" in tiles


def test_ledger_without_a_header_says_what_to_do(tmp_path):
    path = tmp_path / "notes.csv"
    path.write_text("日期,金额\n2024-01-01,5\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        prepare_file(path)
    assert "no ledger header found" in info.value.message and "ledger.yaml" in info.value.message
    old = tmp_path / "old.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(InputError) as info:
        prepare_file(old)
    assert ".xlsx" in info.value.message


@pytest.mark.parametrize("rule", LEDGER["columns"], ids=lambda r: r["id"])
def test_column_examples_map_to_their_field(rule):
    assert map_columns(["", rule["example"]], RULES) == {rule["field"]: 1}


@pytest.mark.parametrize("rule", LEDGER["statuses"], ids=lambda r: r["id"])
def test_status_examples_read_as_stated(rule):
    assert rule["status"] in RULES.status_ids
    assert status_word(rule["example"], RULES) == rule["status"]
    # The same word in the 销号 column (是/否 there, or a word) reads the same.
    assert status_from_cells("", rule["example"], RULES) == rule["status"]


@pytest.mark.parametrize(
    ("cell", "status"),
    [
        ("已完成（待销号）", "completed"),
        ("部分完成", "in_progress"),
        ("尚未完成", "in_progress"),
        ("整改中", "in_progress"),
        ("未完成", "in_progress"),
        ("已建立", "completed"),
        ("正在审计", "in_progress"),
        ("未启动", "not_started"),
        ("长期坚持", "ongoing"),
        ("是", "completed"),
        ("否", "in_progress"),
        ("是否", None),  # 是 must be the whole cell
        # Part done is never completed, however the share is written.
        ("已完成80%", "in_progress"),
        ("整改中（已完成70%）", "in_progress"),
        ("正在推进，已完成部分", "in_progress"),
        ("已完成（部分）", "in_progress"),
        ("已完成99.5%", "in_progress"),
        ("已完成100%", "completed"),
        ("未启动(0%)", "not_started"),
        ("已全部完成", "completed"),
        ("已整改到位", "completed"),
        ("待定", None),
        ("#N/A", None),
        ("", None),
    ],
)
def test_status_words(cell, status):
    assert status_word(cell, RULES) == status


@pytest.mark.parametrize("band", LEDGER["warnings"], ids=lambda b: b["id"])
def test_warning_examples_fall_in_their_band(band):
    assert deadline_band(int(band["example"]), "in_progress") == band["id"]
    assert deadline_band(int(band["example"]), "completed") is None


@pytest.mark.parametrize("rule", LEDGER["deadlines"], ids=lambda r: r["id"])
def test_deadline_examples(rule):
    assert parse_deadline(str(rule["example"]), rule.get("year"), RULES) == rule["expect"]


@pytest.mark.parametrize(
    ("cell", "year", "iso", "problem"),
    [
        ("2024年6月—2024年12月", None, "2024-12-31", None),
        ("2024.6-2024.12", None, "2024-12-31", None),
        ("2024年6月至12月", None, "2024-12-31", None),
        ("2024年第四季度", None, "2024-12-31", None),
        ("2025年上半年", None, "2025-06-30", None),
        ("2025年下半年", None, "2025-12-31", None),
        ("2024年12月底前", None, "2024-12-31", None),
        ("2024年底前", None, "2024-12-31", None),
        ("2024年年底前", None, "2024-12-31", None),  # 年 twice: the year is still stated
        ("2025年度年内", None, "2025-12-31", None),
        ("即知即改", None, None, None),
        ("二〇二四年十二月三十一日", None, "2024-12-31", None),
        ("2025.3", None, "2025-03-31", None),
        ("2025-03-01 00:00:00", None, "2025-03-01", None),
        ("45657", None, "2024-12-31", None),  # an Excel serial shown as a number
        ("6月底前", 2025, "2025-06-30", None),  # the ledger's year
        ("第三季度", 2025, "2025-09-30", None),
        ("年底", 2025, "2025-12-31", None),
        ("6月底前", None, None, "no_year"),
        ("下半年", None, None, "no_year"),
        ("长期坚持", None, None, None),
        ("立行立改", None, None, None),
        ("", None, None, None),
        ("尽快", None, None, "unreadable"),
        ("2025/02/30", None, None, "unreadable"),
    ],
)
def test_deadline_forms(cell, year, iso, problem):
    assert read_deadline(cell, year, RULES) == Deadline(iso, problem)


def test_title_rules():
    rule = LEDGER["title"]
    m = RULES.ledger_rx("title").search(fold(rule["example"]))
    assert (m.group("unit"), m.group("issuer")) == (rule["expect"], rule["expect_issuer"])
    assert RULES.ledger_rx("title_skip").search(fold(LEDGER["title_skip"]["example"]))
    rule = LEDGER["filled_date"]
    assert filled_date([rule["example"]], RULES) == (rule["expect"], int(rule["expect"][:4]))
    assert filled_date(["填报时间:2025年1月"], RULES) == (None, 2025)
    rule = LEDGER["title_year"]
    assert int(RULES.ledger_rx("title_year").search(rule["example"]).group("y")) == rule["expect"]


@pytest.mark.parametrize("rule", LEDGER["sheets"], ids=lambda r: r["id"])
def test_sheet_kind_examples(rule):
    assert sheet_kind(rule["example"], RULES) == rule["kind"]
    assert sheet_kind("台账", RULES) is None and sheet_kind("明细", RULES) is None


def test_area_sheet_and_row_rules():
    rule = LEDGER["area_sheet"]
    assert RULES.ledger_rx("area_sheet").search(rule["example"]).group("area") == rule["expect"]
    for name, area in (("二、作风建设方面", "作风建设方面"), ("(三)党建方面问题", "党建方面")):
        assert RULES.ledger_rx("area_sheet").search(name).group("area") == area
    assert RULES.ledger_rx("area_sheet").search("台账") is None
    rows = LEDGER["rows"]
    for key in ("area", "total", "note"):
        assert RULES.ledger_rx("rows", key).search(fold(rows[key]["example"])), key
    assert RULES.ledger_rx("rows", "total").match("合计:共3个问题")
    assert not RULES.ledger_rx("rows", "total").match("合计金额超标问题")
    sub = RULES.ledger_rx("rows", "sub_serial").match(rows["sub_serial"]["example"])
    assert sub.group("major") == rows["sub_serial"]["expect"]
    marker = RULES.ledger_rx("rows", "area_marker").match(rows["area_marker"]["example"])
    assert marker.group("marker") == rows["area_marker"]["expect"]
    assert RULES.ledger_rx("undated").search(LEDGER["undated"]["example"])
    assert RULES.ledger_rx("count_column").search(LEDGER["count_column"]["example"])
    # A count column names no field, so a summary table is no ledger.
    assert map_columns(["问题类别", LEDGER["count_column"]["example"]], RULES) == {"area": 0}
    assert LEDGER["date_formats"]["example"] in {
        n for lo, hi in LEDGER["date_formats"]["builtin_ids"] for n in range(lo, hi + 1)
    }
    assert isinstance(LEDGER["warning_cap"], int) and LEDGER["warning_cap"] > 0


@pytest.mark.parametrize("rule", LEDGER["totals"], ids=lambda r: r["id"])
def test_totals_row_examples(rule):
    assert row_totals(rule["example"], RULES)[rule["key"]] == rule["expect"]


@pytest.mark.parametrize("rule", LEDGER["summary_columns"], ids=lambda r: r["id"])
def test_summary_column_examples(rule):
    i = LEDGER["summary_columns"].index(rule)
    assert RULES.ledger_rx("summary_columns", i).search(fold(rule["example"]))


def test_header_names_the_most_fields_and_joins_a_group_header():
    rows = [
        ["某局党组关于区委第三轮巡察反馈问题整改措施落实情况台账"],  # a title naming fields
        ["填报单位:某局", "", "", "填报时间:2025年1月10日"],
        ["序号", "问题来源", "问题描述", "整改措施", "整改情况", ""],
        ["", "", "", "", "完成时限", "完成情况"],
        ["1", "巡察", "问题", "措施", "2025-06-30", "已完成"],
    ]
    header = find_header(rows, RULES)
    assert (header.first, header.last) == (2, 3)
    # 问题描述 names the problem better than 问题来源; the group header gives way below.
    assert header.columns == {
        "seq": 0,
        "problem": 2,
        "measure": 3,
        "deadline": 4,
        "progress": 5,
    }


# -- the ledgers of ../shared/cases/ledgers, field by field --------------------------------

CASES = Path(__file__).resolve().parent.parent.parent / "shared" / "cases" / "ledgers"
needs_cases = pytest.mark.skipif(not CASES.exists(), reason="../shared/cases is not present")
TOTAL_WORDS = ("合计", "总计", "小计")
P1, P2 = "内控制度不健全。", "公车管理不规范。"
M1, M2 = "修订内控制度2项。", "清理公车3辆。"
DONE, OPEN, NEW, LONG, UNKNOWN = "completed", "in_progress", "not_started", "ongoing", "unknown"

# file → areas (title, [problem indexes]), problems (label, title), measures
# (problem index, text, status, deadline), stated totals, warning codes (ref where it applies).
LEDGER_CASES = {
    "01_totals_row.xlsx": {
        "problems": [("1", P1), ("2", P2)],
        "measures": [(0, M1, DONE, "2024-12-31"), (1, M2, OPEN, "2024-12-31")],
        "stated": {"problems": 2},
        "warnings": [("ledger_total_row", "A5")],
    },
    "02_seq_1-1_merged_problem.xlsx": {
        "problems": [("1", P1), ("2", P2)],
        "measures": [
            (0, M1, DONE, "2024-12-31"),
            (0, "开展内控培训1次。", DONE, "2024-12-31"),
            (1, M2, OPEN, "2024-12-31"),
        ],
        "warnings": [],
    },
    "03_two_row_header.xlsx": {
        "problems": [("1", P1), ("2", P2)],
        "measures": [(0, M1, DONE, "2024-12-31"), (1, M2, OPEN, "2025-03-31")],
        "warnings": [],
    },
    "04_sheet_per_area.xlsx": {
        "areas": [("党的建设方面", [0]), ("业务工作方面", [1, 2])],
        "problems": [("1", P1), ("1", "审计整改跟踪不到位。"), ("2", "审计质量控制不严。")],
        "measures": [
            (0, M1, DONE, "2024-12-31"),
            (1, "建立审计整改台账。", OPEN, "2025-03-31"),
            (2, "修订审计质量办法1项。", NEW, "2025-06-30"),
        ],
        "warnings": [("ledger_sheets_read", None)],
    },
    "06_summary_sheet_first.xlsx": {
        "problems": [("1", P1), ("2", P2)],
        "measures": [(0, M1, DONE, "2024-12-31"), (1, M2, OPEN, "2024-12-31")],
        "stated": {"problems": 2, "completed": 1},
        "warnings": [("ledger_sheets_read", None), ("ledger_sheet_summary", None)],
    },
    "07_deadline_ranges.xlsx": {
        "problems": [(str(i + 1), f"问题{c}。") for i, c in enumerate("甲乙丙丁戊")],
        "measures": [
            (i, f"措施{c}。", OPEN, d)
            for i, (c, d) in enumerate(
                zip(
                    "甲乙丙丁戊",
                    ["2024-12-31", "2024-12-31", "2025-06-30", "2024-12-31", "2024-12-31"],
                    strict=True,
                )
            )
        ],
        "warnings": [],
    },
    "08_formula_cells_no_cache.xlsx": {
        "problems": [("1", P1), ("2", P2)],
        "measures": [(0, M1, UNKNOWN, "2024-12-31"), (1, M2, UNKNOWN, "2024-12-31")],
        "warnings": [
            ("ledger_formula_no_value", "F3"),
            ("ledger_formula_no_value", "F4"),
            ("status_unknown", None),
        ],
    },
    "09_deadline_zh_builtin_datefmt.xlsx": {
        "problems": [("1", P1), ("2", P2)],
        "measures": [(0, M1, OPEN, "2024-12-31"), (1, M2, OPEN, "2025-03-31")],
        "warnings": [],
    },
    "10_gbk_header_row3_totals.csv": {
        "problems": [("1", P1), ("2", P2)],
        "measures": [
            (0, M1, DONE, "2024-12-31"),
            (0, "开展内控培训1次。", OPEN, "2025-03-31"),
            (1, M2, LONG, None),
        ],
        "stated": {"problems": 2},
        "warnings": [("ledger_total_row", "A7")],
    },
    "15_blank_status_cells.xlsx": {
        "problems": [("1", P1), ("2", P2), ("3", "档案管理不规范。")],
        "measures": [
            (0, M1, UNKNOWN, "2025-12-31"),
            (1, "清理超编公车3辆。", UNKNOWN, "2025-12-31"),
            (2, "开展档案专项清理。", OPEN, "2025-12-31"),
        ],
        "warnings": [
            ("ledger_status_blank", "F3"),
            ("ledger_status_blank", "F4"),
            ("status_unknown", None),
        ],
    },
    "16_closed_column_no.xlsx": {
        "problems": [("1", P1), ("2", P2)],
        "measures": [(0, M1, DONE, "2025-12-31"), (1, "清理超编公车3辆。", OPEN, "2025-12-31")],
        "warnings": [],
    },
}


def assert_ledger(x, want: dict) -> None:
    """The extraction holds exactly the expected areas, problems, measures, totals and
    warnings, traces every measure and figure to its text, and nothing from a 合计 row."""
    areas = [f for f in x.findings if f.level == "area"]
    problems = [f for f in x.findings if f.level == "item"]
    assert [(f.label, f.title) for f in problems] == want["problems"]
    assert [
        (
            problems.index(next(p for p in problems if p.id == m.finding_id)),
            m.text,
            m.status,
            m.deadline,
        )
        for m in x.measures
    ] == want["measures"]
    assert [
        (a.title, [i for i, p in enumerate(problems) if p.parent_id == a.id]) for a in areas
    ] == (want.get("areas", []))
    stated = {k: v for k, v in x.report.stated_totals.items() if v is not None}
    assert {k: stated.get(k) for k in want.get("stated", {})} == want.get("stated", {})
    assert [(w.code, w.args.get("ref")) for w in x.warnings] == want["warnings"]
    for w in x.warnings:  # every warning renders in both languages
        assert "{" not in render(w.code, w.args, "zh") and "{" not in render(w.code, w.args, "en")
    for m in x.measures:
        assert x.text[m.start : m.end] == m.text
        assert not any(w in m.text or w in "".join(m.departments) for w in TOTAL_WORDS)
        assert re.search(r"\d{4}-\d{2}-\d{2}", m.text) is None  # no date glued into the text
    for f in x.findings:
        assert not any(w in f.title for w in TOTAL_WORDS)
    for mt in x.metrics:
        assert x.text[mt.start : mt.end] == mt.raw and not any(w in mt.raw for w in TOTAL_WORDS)
    assert not any(w in x.text for w in TOTAL_WORDS)


@needs_cases
@pytest.mark.parametrize("name", sorted(LEDGER_CASES))
def test_shared_ledger_cases(name):
    x = prepare_file(CASES / name).extraction
    assert_ledger(x, LEDGER_CASES[name])
    assert x.report.title == "区审计局党组巡察整改台账"
    assert (x.report.issuer, x.report.inspected_unit) == ("区审计局党组", "区审计局")


@needs_cases
def test_shared_ledger_case_files_are_all_covered():
    assert {p.name for p in CASES.iterdir()} == set(LEDGER_CASES) | {"14_wps_native.et"}


@needs_cases
def test_formula_and_blank_status_warnings_say_what_to_do():
    x = prepare_file(CASES / "08_formula_cells_no_cache.xlsx").extraction
    formula = next(w for w in x.warnings if w.code == "ledger_formula_no_value")
    assert "Excel or WPS" in formula.message and "WPS" in render(formula.code, formula.args, "zh")
    measure = x.measures[0]
    assert (formula.start, formula.end) == (measure.start, measure.end)
    assert next(w for w in x.warnings if w.code == "status_unknown").args == {"n": 2}


@needs_cases
def test_wps_and_old_excel_files_get_one_line(tmp_path):
    for path in (CASES / "14_wps_native.et", tmp_path / "old.xls"):
        if not path.exists():
            path.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100)
        with pytest.raises(InputError) as info:
            prepare_file(path)
        message = info.value.message
        assert "save it as .xlsx" in message and "\n" not in message
    renamed = tmp_path / "renamed.xlsx"
    renamed.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100)
    with pytest.raises(InputError, match="save it as .xlsx"):
        prepare_file(renamed)


# -- the same kinds on ledgers laid out otherwise ------------------------------------------


def _save(book, path):
    book.save(path)
    return path


def _area_sheet(book, name, title, rows, merges=()):
    """A sheet as staff make one: a merged title, a 填报 line, a two-row header (整改进展
    over 时限要求 / 是否完成, other names than the shared cases use), data, 小计 and a note."""
    sheet = book.create_sheet(name)
    sheet.append([title])
    sheet.merge_cells("A1:G1")
    sheet.append(["填报单位:区财政局", None, None, None, "填报时间:2025年1月10日"])
    sheet.append(["编号", "存在问题", "整改目标及措施", "牵头部门", "责任人", "整改进展", None])
    sheet.append([None, None, None, None, None, "时限要求", "是否完成"])
    for col in "ABCDE":
        sheet.merge_cells(f"{col}3:{col}4")
    sheet.merge_cells("F3:G3")
    for row in rows:
        sheet.append(row)
        if isinstance(row[5], date):
            sheet.cell(sheet.max_row, 6).number_format = 'yyyy"年"m"月"d"日"'
    for merge in merges:
        sheet.merge_cells(merge)
    sheet.append(["小计", None, "共2个问题"])
    sheet.append(["注:是否完成填是或否"])
    return sheet


def test_a_workbook_as_staff_make_it(tmp_path):
    title = "某区财政局党组关于区委第三轮巡察反馈问题整改台账"
    book = Workbook()
    cover = book.active
    cover.title = "封面"
    cover.append([title])
    guide = book.create_sheet("填报说明")
    guide.append(["填报说明"])
    guide.append(["编号", "存在问题", "整改目标及措施"])  # a sample header: still not a ledger
    summary = book.create_sheet("汇总")
    summary.append(["整改情况统计"])
    summary.append(["问题类别", "问题数", "已完成数", "完成率"])
    summary.append(["政治建设", 2, 1, "50%"])
    summary.append(["作风建设", 1, 0, "0%"])
    summary.append(["合计", 3, 1, "33%"])
    _area_sheet(
        book,
        "一、政治建设方面",
        title + "(政治建设方面)",
        [
            ["1", "理论学习不深入", "制定学习计划", "办公室", "张某", "6月底前", "是"],
            [None, None, "开展专题学习4次", None, None, "第三季度", "否"],
            [None, None, "建立学习台账", None, None, date(2025, 9, 30), None],
            [
                "2",
                "民主生活会质量不高",
                "召开专题民主生活会",
                "机关党委",
                "李某",
                "2025.3-2025.6",
                "是",
            ],
        ],
        merges=["A5:A7", "B5:B7", "D5:D7", "E5:E7"],
    )
    sheet = _area_sheet(
        book,
        "二、作风建设方面",
        title + "(作风建设方面)",
        [
            ["1", "公务接待不规范", "清退违规接待费用1.2万元", "财务科", "王某", None, "是"],
            [None, None, "修订公务接待办法", None, None, "下半年", "待定"],
        ],
        merges=["A5:A6", "B5:B6", "D5:D6", "E5:E6"],
    )
    sheet["F5"] = "=DATE(2025,3,31)"  # saved by openpyxl: a formula without its value
    x = prepare_file(_save(book, tmp_path / "台账.xlsx")).extraction
    assert_ledger(
        x,
        {
            "areas": [("政治建设方面", [0, 1]), ("作风建设方面", [2])],
            "problems": [
                ("1", "理论学习不深入"),
                ("2", "民主生活会质量不高"),
                ("1", "公务接待不规范"),
            ],
            "measures": [
                (0, "制定学习计划。", DONE, "2025-06-30"),  # the year of 填报时间
                (0, "开展专题学习4次。", OPEN, "2025-09-30"),
                (0, "建立学习台账。", UNKNOWN, "2025-09-30"),  # a date cell
                (1, "召开专题民主生活会。", DONE, "2025-06-30"),
                (2, "清退违规接待费用1.2万元。", DONE, None),
                (2, "修订公务接待办法。", UNKNOWN, "2025-12-31"),
            ],
            "stated": {"problems": 3, "completed": 1, "completion_rate_pct": 33},
            "warnings": [
                ("ledger_sheets_read", None),
                ("ledger_sheet_cover", None),
                ("ledger_sheet_instructions", None),
                ("ledger_sheet_summary", None),
                ("ledger_total_row", "一、政治建设方面!A9"),
                ("ledger_note_row", "一、政治建设方面!A10"),
                ("ledger_total_row", "二、作风建设方面!A7"),
                ("ledger_note_row", "二、作风建设方面!A8"),
                ("ledger_status_blank", "一、政治建设方面!G7"),
                ("ledger_formula_no_value", "二、作风建设方面!F5"),
                ("ledger_status_unreadable", "二、作风建设方面!G6"),
                ("status_unknown", None),
            ],
        },
    )
    # Merged department and owner cells fill the measures under them.
    assert [m.departments for m in x.measures][:3] == [["办公室"]] * 3
    assert [m.owner for m in x.measures] == ["张某"] * 3 + ["李某"] + ["王某"] * 2
    r = x.report
    assert (r.title, r.issuer, r.inspected_unit) == (title, "某区财政局党组", "某区财政局")
    assert (r.round, r.inspection_kind, r.publish_date) == ("区委第三轮巡察", "巡察", "2025-01-10")
    assert x.warnings[0].args == {"sheets": "“一、政治建设方面”、“二、作风建设方面”"}


GBK_LEDGER = """附件1
2024年度某街道工委巡察整改问题清单
序号,责任单位,问题描述,整改措施,整改时限,完成情况,备注
一、党的建设方面,,,,,,
1,党政办,三会一课制度落实不严格,规范组织生活记录,2024年10月,已完成,
1.2,,,补开支部委员会2次,11月底,已完成（待销号）,
2,组织办,发展党员程序不规范,全面自查发展党员档案,年底前,部分完成,
二、业务工作方面,,,,,,
序号,责任单位,问题描述,整改措施,整改时限,完成情况,备注
3,财务科,专项资金使用不规范,追缴违规资金15.6万元，已追缴12.3万元,2024.12,整改中,
4,城建科,老旧小区改造推进慢,,,,
,,,完成改造小区3个,2024年12月31日,正在审计,
5,,,,,,
合计,,5个问题,,,,
填报人：张三    审核人：李四
"""


def test_area_rows_heading_rows_and_other_columns_in_a_gbk_csv(tmp_path):
    path = tmp_path / "清单.csv"
    path.write_bytes(GBK_LEDGER.encode("gb18030"))
    x = prepare_file(path).extraction
    assert_ledger(
        x,
        {
            "areas": [("党的建设方面", [0, 1]), ("业务工作方面", [2, 3])],
            "problems": [
                ("1", "三会一课制度落实不严格"),
                ("2", "发展党员程序不规范"),
                ("3", "专项资金使用不规范"),
                ("4", "老旧小区改造推进慢"),  # a heading row: its measure follows
            ],
            "measures": [
                (0, "规范组织生活记录。", DONE, "2024-10-31"),
                (0, "补开支部委员会2次。", DONE, "2024-11-30"),  # 1.2, the title's year
                (1, "全面自查发展党员档案。", OPEN, "2024-12-31"),
                (2, "追缴违规资金15.6万元，已追缴12.3万元。", OPEN, "2024-12-31"),
                (3, "完成改造小区3个。", OPEN, "2024-12-31"),
            ],
            "stated": {"problems": 5},
            "warnings": [
                ("ledger_header_repeated", "A9"),
                ("ledger_row_no_text", "A13"),
                ("ledger_total_row", "A14"),
                ("ledger_note_row", "A15"),
                ("stated_vs_counted", None),
            ],
        },
    )
    assert [m.departments for m in x.measures] == [
        ["党政办"],
        ["党政办"],  # a blank unit under the same problem is the one above
        ["组织办"],
        ["财务科"],
        ["城建科"],
    ]
    assert [a.label for a in x.findings if a.level == "area"] == ["一、", "二、"]
    assert (x.report.issuer, x.report.inspected_unit) == ("某街道工委", "某街道")


def _merged_ledger_rows():
    return [
        ["区城市管理委党委巡察反馈问题整改台账"],
        ["填报时间:2025年3月1日"],
        ["序号", "反馈问题", "整改措施", "责任单位", "责任领导", "完成时限", "整改状态"],
        ["1.1", "燃气安全隐患排查整治不彻底", "排查整改燃气隐患108项", "区城市管理委", "张某", date(2025, 6, 30), "已完成"],
        ["1.2", "", "完成供热老旧管网改造33.9公里", "", "", "9月底前", "正在整改"],
        ["2.1", "园林绿化养护管理不到位", "补植苗木1200余株", "园林中心", "王某", "2025年第二季度", ""],
        ["合计", "", "共2个问题", "", "", "", ""],
    ]  # fmt: skip


def test_the_csv_twin_of_a_merged_workbook_gives_the_same_extraction(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.title = "台账"
    for row in _merged_ledger_rows():
        sheet.append([None if v == "" else v for v in row])
    for merge in ("A1:G1", "B4:B5", "D4:D5", "E4:E5"):
        sheet.merge_cells(merge)
    sheet["F4"].number_format = "yyyy/m/d"
    xlsx = _save(book, tmp_path / "台账.xlsx")
    out = io.StringIO()
    for row in _merged_ledger_rows():  # as Excel saves it: merged values in the first cell
        csv.writer(out).writerow(
            [f"{v.year}/{v.month}/{v.day}" if isinstance(v, date) else v for v in row]
        )
    twin = tmp_path / "台账.csv"
    twin.write_bytes(out.getvalue().encode("utf-8-sig"))
    x, y = prepare_file(xlsx).extraction, prepare_file(twin).extraction
    assert x.to_dict() == y.to_dict()
    assert_ledger(
        x,
        {
            "problems": [("1", "燃气安全隐患排查整治不彻底"), ("2", "园林绿化养护管理不到位")],
            "measures": [
                (0, "排查整改燃气隐患108项。", DONE, "2025-06-30"),
                (0, "完成供热老旧管网改造33.9公里。", OPEN, "2025-09-30"),
                (1, "补植苗木1200余株。", UNKNOWN, "2025-06-30"),
            ],
            "stated": {"problems": 2},
            "warnings": [
                ("ledger_total_row", "A7"),
                ("ledger_status_blank", "G6"),
                ("status_unknown", None),
            ],
        },
    )
    assert [m.departments for m in x.measures] == [
        ["区城市管理委"],
        ["区城市管理委"],
        ["区园林绿化服务中心"],
    ]
    assert x.report.publish_date == "2025-03-01"


def test_the_measure_text_decides_only_without_a_status_column(tmp_path):
    rows = [["序号", "反馈问题", "整改措施", "责任单位"]]
    rows += [
        ["1", "制度不健全", "已印发管理办法", "办公室"],
        ["2", "台账不完整", "正在补录台账", "办公室"],
    ]
    book = Workbook()
    for row in rows:
        book.active.append(row)
    x = prepare_file(_save(book, tmp_path / "无状态列.xlsx")).extraction
    assert [m.status for m in x.measures] == [DONE, OPEN]
    assert all(m.status_cue for m in x.measures)  # the cue phrase that decided
    book = Workbook()
    for row in [rows[0] + ["整改状态"], rows[1] + [""], rows[2] + ["已完成"]]:
        book.active.append(row)
    x = prepare_file(_save(book, tmp_path / "有状态列.xlsx")).extraction
    # 已印发 in the text does not make a blank status cell completed.
    assert [m.status for m in x.measures] == [UNKNOWN, DONE]
    assert [w.code for w in x.warnings] == ["ledger_status_blank", "status_unknown"]


def test_hidden_duplicate_and_headerless_sheets_are_left_out_and_said(tmp_path):
    header = ["序号", "问题", "整改措施", "责任单位", "整改状态"]
    rows = [
        ["1", "问题甲", "措施甲", "办公室", "已完成"],
        ["2", "问题乙", "措施乙", "财务科", "整改中"],
    ]
    book = Workbook()
    book.active.title = "总表"
    for name, part in (("总表", rows), ("办公室", rows[:1]), ("财务科", rows[1:]), ("旧表", rows)):
        sheet = book[name] if name in book.sheetnames else book.create_sheet(name)
        for row in [header, *part]:
            sheet.append(row)
    book["旧表"].sheet_state = "hidden"
    book.create_sheet("备忘").append(["下周一前报送"])
    x = prepare_file(_save(book, tmp_path / "台账.xlsx")).extraction
    assert [m.text for m in x.measures] == ["措施甲。", "措施乙。"]  # counted once
    assert [(w.code, w.args.get("sheet")) for w in x.warnings] == [
        ("ledger_sheets_read", None),
        ("ledger_sheet_duplicate", "办公室"),
        ("ledger_sheet_duplicate", "财务科"),
        ("ledger_sheet_hidden", "旧表"),
        ("ledger_sheet_no_header", "备忘"),
    ]


def test_deadlines_not_understood_and_many_blank_statuses_are_said_once_each(tmp_path):
    path = tmp_path / "台账.csv"
    lines = [
        "序号,反馈问题,整改措施,完成时限,整改状态",
        "1,问题一,措施一,6月底前,已完成",
        "2,问题二,措施二,尽快,已完成",
    ]
    lines += [f"{i},问题{i},措施{i},2025-12-31," for i in range(3, 28)]
    path.write_text("\n".join(lines), encoding="utf-8")
    x = prepare_file(path).extraction
    assert [m.deadline for m in x.measures[:3]] == [None, None, "2025-12-31"]
    codes = Counter(w.code for w in x.warnings)
    assert codes["ledger_deadline_no_year"] == 1 and codes["ledger_deadline_unreadable"] == 1
    cap = LEDGER["warning_cap"]
    assert codes["ledger_status_blank"] == cap
    more = next(w for w in x.warnings if w.code == "ledger_more")
    assert more.args == {"kind": "ledger_status_blank", "n": 25 - cap}
    assert next(w for w in x.warnings if w.code == "status_unknown").args == {"n": 25}


def test_area_serials_head_areas_and_arabic_serials_head_problems(tmp_path):
    path = tmp_path / "台账.csv"
    path.write_text(
        "序号,问题,整改措施,责任单位,整改状态\n"
        "一,党的建设方面,,,\n"
        "1,理论学习不深入,制定学习计划,办公室,已完成\n"
        "（二）,业务工作方面,,,\n"
        "2,审计质量控制不严,修订办法,法规科,整改中\n"
        "3,意识形态工作方面,,,\n"  # a problem whose measures follow, though worded like an area
        ",,开展专题培训,宣传科,已完成\n",
        encoding="utf-8",
    )
    x = prepare_file(path).extraction
    assert_ledger(
        x,
        {
            "areas": [("党的建设方面", [0]), ("业务工作方面", [1, 2])],
            "problems": [
                ("1", "理论学习不深入"),
                ("2", "审计质量控制不严"),
                ("3", "意识形态工作方面"),
            ],
            "measures": [
                (0, "制定学习计划。", DONE, None),
                (1, "修订办法。", OPEN, None),
                (2, "开展专题培训。", DONE, None),
            ],
            "warnings": [],
        },
    )
    assert [f.label for f in x.findings if f.level == "area"] == ["一、", "（二）"]


def _csv_twin(xlsx: Path, out: Path) -> Path:
    """The workbook's one sheet as Excel saves it as CSV: a merged range's value in its first
    cell only, numbers as shown (a date serial under a format openpyxl does not know stays a
    number, as a CSV from a spreadsheet without that format would show it)."""
    from openpyxl import load_workbook

    sheet = load_workbook(xlsx).worksheets[0]
    buf = io.StringIO()
    for row in sheet.iter_rows(values_only=True):
        csv.writer(buf).writerow(
            ["" if v is None else v.date().isoformat() if hasattr(v, "date") else v for v in row]
        )
    out.write_text(buf.getvalue(), encoding="utf-8")
    return out


@needs_cases
@pytest.mark.parametrize(
    "name",
    [n for n in sorted(LEDGER_CASES) if n.endswith(".xlsx") and n[:2] not in ("04", "06", "08")],
)
def test_csv_twins_of_the_shared_workbooks_give_the_same_extraction(name, tmp_path):
    twin = _csv_twin(CASES / name, tmp_path / (Path(name).stem + ".csv"))
    xlsx = prepare_file(CASES / name).extraction.to_dict()
    assert prepare_file(twin).extraction.to_dict() == xlsx


@needs_cases
def test_blank_statuses_show_as_unknown_on_the_overview_and_in_the_deck(tmp_path):
    """A ledger's blank status cells read 未明确 wherever statuses show, and the completion
    rate counts them as not completed."""
    import io

    from pptx import Presentation

    from exports.deck import build_deck
    from views import figures
    from views.export import gather_for
    from views.overview import gather_overview
    from warehouse.db import connect_readonly

    db = tmp_path / "w.duckdb"
    assert not load_paths([CASES / "15_blank_status_cells.xlsx"], db).failed
    con = connect_readonly(db)
    try:
        o = gather_overview(con, Filters())
        deck = Presentation(io.BytesIO(build_deck(gather_for("deck", con, Filters(), "zh"))))
    finally:
        con.close()
    # Two of three problems have nothing but a blank status: unknown, not in progress.
    assert dict(zip(o.completion_items["status"], o.completion_items["n"], strict=True)) == {
        "unknown": 2,
        "in_progress": 1,
    }
    assert o.kpis["completion_rate"] == 0 and o.kpis["measures_completed"] == 0
    for unit in ("items", "measures"):
        doughnut = figures.status_doughnut(o.completion(unit), "zh")
        assert "未明确" in doughnut["data"][0]["labels"]
    charted = {
        str(c)
        for slide in deck.slides
        for shape in slide.shapes
        if shape.has_chart
        for plot in shape.chart.plots
        for c in plot.categories
    } | {
        s.name
        for slide in deck.slides
        for shape in slide.shapes
        if shape.has_chart
        for s in shape.chart.series
    }
    assert "未明确" in charted and "已完成" not in charted


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_csv_and_workbook_of_a_ledger_carry_deadline_owner_and_evidence(
    ledger_files, tmp_path, lang
):
    from exports.tables import to_csv, to_xlsx
    from views.export import gather
    from views.i18n import t

    db = tmp_path / "w.duckdb"
    load_paths([ledger_files[0]], db)
    con = connect_readonly(db)
    try:
        content = gather(con, Filters(), lang, date(2025, 1, 10))
    finally:
        con.close()
    deadline, owner, evidence = (t(k, lang) for k in ("col_deadline", "col_owner", "col_evidence"))
    back = pd.read_csv(io.BytesIO(to_csv(content)), encoding="utf-8-sig", keep_default_na=False)
    book = pd.read_excel(io.BytesIO(to_xlsx(content)), sheet_name=t("sheet_measures", lang))
    for table in (back, book):
        columns = list(table.columns)
        assert columns.index(deadline) < columns.index(owner) < columns.index(evidence)
        assert list(table[owner]) == ["张某", "李某", "王某", "赵某", "钱某"]
        assert table[evidence].iloc[0] == "整治台账"
    days = ["2024-12-31", "2025-06-30", "2025-01-15", "", "2025-03-01"]
    assert list(back[deadline]) == days
    assert [str(v)[:10] if not pd.isna(v) else "" for v in book[deadline]] == days
    assert pd.Timestamp(book[deadline].iloc[0]).date() == date(2024, 12, 31)
    assert pd.isna(book[deadline].iloc[3])


def test_exports_of_reports_leave_ledger_columns_out(con):
    from exports.tables import measures_table
    from views.export import gather
    from views.i18n import t

    table = measures_table(gather(con, Filters(), "zh", date(2025, 1, 10)))
    assert t("col_deadline") not in table.columns and t("col_owner") not in table.columns


@pytest.mark.parametrize("rule", LEDGER["columns"], ids=lambda r: r["id"])
def test_every_column_synonym_alone_names_its_own_field(rule):
    """No synonym is taken by another field's longer one (牵头科室 is a department)."""
    for synonym in rule["synonyms"]:
        assert map_columns([synonym], RULES) == {rule["field"]: 0}, synonym


def test_a_status_column_under_a_group_header_beside_area_rows_is_the_status(tmp_path):
    """Area rows merged across the table (一、…方面 in every cell they span) do not hide that
    the 完成情况 column holds status words: it decides, and its words stay out of the text."""
    book = Workbook()
    sheet = book.active
    for row in [
        ["县交通运输局党组巡察反馈问题整改台账"],
        ["序号", "反馈问题", "整改措施", "牵头科室", "整改情况", None],
        [None, None, None, None, "完成时限", "完成情况"],
        ["一、政治建设方面"],
        ["1", "理论学习流于形式。", "开展集中学习12次。", "办公室", "2024-12-31", "已完成"],
        ["二、工程建设领域"],
        ["2", "工程变更审批不规范。", "修订工程变更管理办法。", "工程科", "2025-03-31", "正在整改"],
        ["3", "质量监督抽检不足。", "开展质量抽检40次。", "质监站", "2025-03-31", "未启动"],
    ]:
        sheet.append(row)
    for merge in ("A2:A3", "B2:B3", "C2:C3", "D2:D3", "E2:F2", "A4:F4", "A6:F6"):
        sheet.merge_cells(merge)
    x = prepare_file(_save(book, tmp_path / "台账.xlsx")).extraction
    assert [(m.text, m.status, m.status_cue, m.deadline) for m in x.measures] == [
        ("开展集中学习12次。", DONE, "已完成", "2024-12-31"),
        ("修订工程变更管理办法。", OPEN, "正在整改", "2025-03-31"),
        ("开展质量抽检40次。", NEW, "未启动", "2025-03-31"),
    ]
    assert [m.departments for m in x.measures] == [["办公室"], ["工程科"], ["质监站"]]
    assert [f.title for f in x.findings if f.level == "area"] == ["政治建设方面", "工程建设领域"]


def test_a_status_column_decides_beside_a_closed_column(tmp_path):
    """完成情况 of status words and 是否销号 side by side: the status column decides, the
    销号 cell only where the status cell is blank."""
    book = Workbook()
    for row in [
        ["某街道党工委巡察整改台账"],
        ["序号", "问题", "措施", "责任人", "时限", "完成情况", "是否销号"],
        ["1", "网格管理不精细。", "重新划分网格32个。", "张某", "2024-12-31", "正在整改", "是"],
        ["2", "安全排查不彻底。", "整改隐患45处。", "李某", "2024-12-31", "已完成", "否"],
        ["3", "信访积案化解慢。", "化解信访积案5件。", "王某", "2024-12-31", "", "否"],
        ["4", "台账不全。", "补录台账。", "赵某", "2024-12-31", "", ""],
    ]:
        book.active.append(row)
    x = prepare_file(_save(book, tmp_path / "台账.xlsx")).extraction
    assert [(m.text, m.status, m.status_cue) for m in x.measures] == [
        ("重新划分网格32个。", OPEN, "正在整改"),
        ("整改隐患45处。", DONE, "已完成"),
        ("化解信访积案5件。", OPEN, "否"),
        ("补录台账。", UNKNOWN, None),
    ]
    # No 责任单位 column, and no measure names a unit: each is the street office's own.
    assert [m.departments for m in x.measures] == [["某街道"]] * 4
    assert [w.code for w in x.warnings] == [
        "ledger_status_blank",
        "status_unknown",
        "ledger_departments_from_text",
    ]


def test_a_ledger_of_a_party_group_names_the_unit_without_the_party(tmp_path):
    path = tmp_path / "台账.csv"
    path.write_text(
        "中共某县水利局党组关于县委第二轮巡察反馈问题整改台账\n"
        "序号,问题,整改措施,整改状态\n1,制度不健全,修订办法,已完成\n",
        encoding="utf-8",
    )
    x = prepare_file(path).extraction
    assert (x.report.issuer, x.report.inspected_unit) == ("中共某县水利局党组", "某县水利局")
    assert x.report.round == "县委第二轮巡察"


# -- a ledger without a 责任单位 column: units from the measures' words ----------------------

NO_UNIT_HEADER = ["序号", "反馈问题", "整改措施", "整改状态"]


def _ledger_without_unit_column(path: Path, title: str | None, rows: list[list]) -> Path:
    book = Workbook()
    sheet = book.active
    if title:
        sheet.append([title])
        sheet.merge_cells("A1:D1")
    sheet.append(NO_UNIT_HEADER)
    for row in rows:
        sheet.append(row)
    return _save(book, path)


def test_a_ledger_without_a_unit_column_reads_units_from_the_measures(tmp_path):
    path = _ledger_without_unit_column(
        tmp_path / "无责任单位列.xlsx",
        TITLE,
        [
            ["1", "园林中心公车管理不规范", "修订车辆管理办法", "已完成"],
            ["2", "执法记录不全", "区城管执法支队补录执法记录120份", "整改中"],
            ["3", "主体责任落实不到位", "党委召开专题会议3次", "已完成"],
            ["4", "档案管理不规范", "完成档案整理", "已完成"],
            ["5", "市容市政中心考核不严", "执法支队会同园林中心修订考核办法", "整改中"],
        ],
    )
    x = _extraction(path)
    assert [m.departments for m in x.measures] == [
        ["区园林绿化服务中心"],  # the measure names none: its problem names whose it is
        ["区城市综合行政执法支队"],
        ["区城市管理委"],  # a bare 党委 is the inspected body's own offices
        ["区城市管理委"],  # nothing named: the body's own offices, as in a report
        ["区城市综合行政执法支队", "区园林绿化服务中心"],  # the measure's own words win
    ]
    (said,) = [w for w in x.warnings if w.code.startswith("ledger_departments")]
    assert (said.code, said.level) == ("ledger_departments_from_text", "info")
    assert said.args == {"n": 5, "named": 4, "rest": 1, "home": "区城市管理委"}
    assert "没有责任单位列" in render(said.code, said.args, "zh")

    db = tmp_path / "w.duckdb"
    assert not load_paths([path], db).failed
    con = connect_readonly(db)
    try:
        garden = queries.explorer_measures(con, Filters(department="区园林绿化服务中心"))
        assert sorted(garden["measure_id"]) == ["M1", "M5"]
        own = queries.explorer_measures(con, Filters(department="区城市管理委"))
        assert sorted(own["measure_id"]) == ["M3", "M4"]
        assert set(queries.department_options(con)) == {
            "区园林绿化服务中心",
            "区城市综合行政执法支队",
            "区城市管理委",
        }
        (report_id,) = queries.list_reports(con)["report_id"]
        stored = queries.report_warnings(con, [report_id])
        row = stored[stored["code"] == "ledger_departments_from_text"].iloc[0]
        assert row["level"] == "info"
    finally:
        con.close()


def test_measures_that_name_no_unit_in_a_ledger_of_no_named_body_have_none(tmp_path):
    rows = [
        ["1", "制度不健全", "修订管理办法2项", "已完成"],
        ["2", "台账不完整", "补录台账", "整改中"],
    ]
    path = _ledger_without_unit_column(tmp_path / "x.xlsx", None, rows)
    x = _extraction(path)
    assert x.report.inspected_unit is None
    assert [m.departments for m in x.measures] == [[], []]
    (said,) = [w for w in x.warnings if w.code.startswith("ledger_departments")]
    assert (said.code, said.level) == ("ledger_departments_from_text_no_body", "info")
    assert said.args == {"n": 2, "named": 0, "rest": 2}
    assert "未归入任何部门" in render(said.code, said.args, "zh")

    db = tmp_path / "w.duckdb"
    assert not load_paths([path], db).failed
    con = connect_readonly(db)
    try:
        assert queries.department_options(con) == []
        (report_id,) = queries.list_reports(con)["report_id"]
        codes = list(queries.report_warnings(con, [report_id])["code"])
        assert "ledger_departments_from_text_no_body" in codes
    finally:
        con.close()

    # The same measures in a ledger whose title names its body are the body's own offices.
    named = _ledger_without_unit_column(tmp_path / "y.xlsx", "区审计局党组巡察整改台账", rows)
    x = _extraction(named)
    assert [m.departments for m in x.measures] == [["区审计局"], ["区审计局"]]
    assert [w.args for w in x.warnings if w.code == "ledger_departments_from_text"] == [
        {"n": 2, "named": 0, "rest": 2, "home": "区审计局"}
    ]


def test_a_blank_unit_cell_beside_a_unit_column_is_not_read_from_the_text(tmp_path):
    """Where the ledger has a 责任单位 column it is the authority: a blank cell (no cell above
    for the same problem) stays without a unit, whatever the measure's text names."""
    book = Workbook()
    for row in [
        ["序号", "反馈问题", "整改措施", "责任单位", "整改状态"],
        ["1", "公车管理不规范", "园林中心修订车辆管理办法", "", "已完成"],
        ["2", "执法记录不全", "补录执法记录", "执法支队", "整改中"],
    ]:
        book.active.append(row)
    x = _extraction(_save(book, tmp_path / "空单元格.xlsx"))
    assert [m.departments for m in x.measures] == [[], ["区城市综合行政执法支队"]]
    assert not [w for w in x.warnings if w.code.startswith("ledger_departments")]


# -- a ledger's figures are credited as a report's are -------------------------------------


def test_a_bare_party_committee_in_a_ledger_figures_sentence_is_the_bodys_own(tmp_path):
    """A figure's own sentence that names a bare 党委/党组 credits the inspected body's own
    offices (the home its title names, as the measures of a sheet without a unit column
    use), not the 责任单位 cell of its row; a figure whose sentence names no unit counts for
    its row's units; through a real load, per department."""
    book = Workbook()
    for row in [
        [TITLE],
        ["序号", "反馈问题", "整改措施", "责任单位", "整改状态"],
        ["1", "理论学习不扎实", "党委理论学习中心组集中学习12次", "执法支队", "已完成"],
        ["2", "应急能力不足", "开展燃气应急演练6次", "执法支队", "已完成"],
        ["3", "制度执行不严", "执法支队党委修订完善制度4项", "执法支队", "已完成"],
    ]:
        book.active.append(row)
    path = _save(book, tmp_path / "党委.xlsx")
    x = _extraction(path)
    assert x.report.inspected_unit == "区城市管理委"
    assert [m.departments for m in x.measures] == [["区城市综合行政执法支队"]] * 3
    assert [(mt.raw, mt.indicator, mt.departments) for mt in x.metrics] == [
        ("12次", "study_sessions", ["区城市管理委"]),  # a bare 党委: the body's own offices
        ("6次", "emergency_drills", []),  # names none: its row's 责任单位
        ("4项", "rules_revised", ["区城市综合行政执法支队"]),  # 执法支队党委 is the unit's
    ]

    db = tmp_path / "w.duckdb"
    assert not load_paths([path], db).failed
    con = connect_readonly(db)
    try:
        own = queries.filtered_indicator_totals(con, Filters(department="区城市管理委"))
        unit = queries.filtered_indicator_totals(con, Filters(department="区城市综合行政执法支队"))
    finally:
        con.close()
    own, unit = own.set_index("code"), unit.set_index("code")
    assert own.loc["study_sessions", "total"] == 12
    assert pd.isna(unit.loc["study_sessions", "total"])
    assert unit.loc["emergency_drills", "total"] == 6 and unit.loc["rules_revised", "total"] == 4
    assert pd.isna(own.loc["emergency_drills", "total"]) and pd.isna(
        own.loc["rules_revised", "total"]
    )
