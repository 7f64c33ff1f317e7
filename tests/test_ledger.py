"""整改台账: a ledger written in the tests (Chinese headers, merged cells, a GB18030 CSV twin)
loads with the right departments, deadlines and statuses; warnings for a fixed "today"."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from openpyxl import Workbook

from etl.errors import InputError
from etl.ledger import (
    as_ledger,
    deadline_band,
    ledger_extraction,
    map_columns,
    parse_deadline,
    read_table,
    status_from_cells,
)
from etl.normalize import fold
from etl.rules import load_rules, read_rule_files
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
        ("2024-12-31", None),  # done: no warning
        ("2025-06-30", "on_track"),
        ("2025-01-15", "due_soon"),
        ("", None),
        ("2025-03-01", "on_track"),
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
    if rule.get("column") == "closed":
        assert status_from_cells("", rule["example"], RULES) == rule["status"]
    else:
        assert status_from_cells(rule["example"], "", RULES) == rule["status"]


@pytest.mark.parametrize("band", LEDGER["warnings"], ids=lambda b: b["id"])
def test_warning_examples_fall_in_their_band(band):
    assert deadline_band(int(band["example"]), "in_progress") == band["id"]
    assert deadline_band(int(band["example"]), "completed") is None


def test_title_rule_and_deadline_formats():
    import re

    rule = LEDGER["title"]
    assert re.search(rule["pattern"], fold(rule["example"])).group(1) == rule["expect"]
    assert parse_deadline("2024年12月31日") == "2024-12-31"
    assert parse_deadline("2025.3") == "2025-03-31"
    assert parse_deadline("2024年底前") == "2024-12-31"
    assert parse_deadline("2025/02/30") is None and parse_deadline("长期坚持") is None
    assert status_from_cells("", "是否", RULES) is None  # 是 must be the whole 销号 cell
