"""Totals that keep every figure and say how exact they are, on a real warehouse: a figure
outside any measure (r05's summary paragraph) counts in the unfiltered and per-report totals,
its sources and the workbook; a total with lower-bound or estimated parts says so on tiles,
the indicators page, the deck and the workbook; an older warehouse is brought up to it."""

from __future__ import annotations

import io
from datetime import date

import pytest
from conftest import REPORTS_DIR, SEED

from warehouse import queries
from warehouse.db import connect_readonly
from warehouse.filters import Filters

TODAY = date(2026, 11, 29)
GARDEN = "区园林绿化服务中心"


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    from pipeline import load_paths

    path = tmp_path_factory.mktemp("kept") / "w.duckdb"
    assert not load_paths([SEED, REPORTS_DIR / "r05.txt", REPORTS_DIR / "r08.txt"], path).failed
    return path


@pytest.fixture()
def con(db):
    c = connect_readonly(db)
    yield c
    c.close()


def _rid(con, name: str) -> str:
    return con.execute("SELECT report_id FROM report WHERE file_name = $n", {"n": name}).fetchone()[
        0
    ]


def _totals(con, f: Filters) -> dict:
    frame = queries.filtered_indicator_totals(con, f)
    return {r.code: (r.total, r.n_metrics, r.qualifier) for r in frame.itertuples() if r.n_metrics}


def test_figures_outside_any_measure_count_in_the_totals(con):
    r05 = _rid(con, "r05.txt")
    assert (
        con.execute(
            "SELECT count(*) FROM metric WHERE report_id = $r AND measure_id IS NULL AND indicator IS NOT NULL",
            {"r": r05},
        ).fetchone()[0]
        == 2
    )
    assert _totals(con, Filters(report=r05)) == {
        "rules_revised": (45.0, 1, "exact"),
        "funds_recovered": (50227.0, 1, "exact"),
    }
    everything = _totals(con, Filters())
    # The seed's 百余万元, r05's 5.0227万元 and r08's 1200元 (its 3225元 of dues paid is not
    # funds recovered); the seed's 66 rules, r05's 45 and r08's 整章建制4条.
    assert everything["funds_recovered"] == (1_000_000 + 50_227 + 1_200, 3, "lower_bound")
    assert everything["rules_revised"] == (66 + 45 + 4, 3, "exact")


def test_a_category_or_status_filter_leaves_figures_without_a_measure_out(con):
    r05 = _rid(con, "r05.txt")
    assert _totals(con, Filters(report=r05, category="assets")) == {}
    assert _totals(con, Filters(report=r05, status="completed")) == {}
    assert _totals(con, Filters(report=r05, q="制度")) == {}  # free text searches measures


def test_the_sources_and_the_workbook_list_figures_outside_any_measure(con):
    from exports.tables import metrics_table
    from views.export import gather

    r05 = _rid(con, "r05.txt")
    sources = queries.indicator_sources(con, Filters(report=r05), "rules_revised")
    (row,) = sources.itertuples()
    assert row.measure_id is None and row.path is None and row.value == 45
    at = row.start_offset - row.measure_start
    assert row.measure_text[at : at + row.end_offset - row.start_offset] == "45项"
    assert row.measure_text.startswith("巡察反馈后") and row.measure_text.endswith("5.0227万元。")
    content = gather(con, Filters(report=r05), "zh", TODAY)
    sheet = metrics_table(content)
    loose = sheet[sheet["措施编号"].isna()]
    assert list(loose["数值"]) == [24.0, 45.0, 50227.0]
    assert set(loose["部分"]) == {"未归入具体整改措施的数字（如综述段落）"}
    assert "建立完善制度45项" in loose["原文"].iloc[1]


def test_the_indicators_page_lists_a_figure_outside_any_measure(con, db):
    from dashboard.app import create_app

    create_app(db)
    import sys

    page = sys.modules["pages.indicators"]
    r05 = _rid(con, "r05.txt")
    body = str(page.render_sources("rules_revised", f"?report={r05}", "zh"))
    assert "未归入具体整改措施的数字" in body and "45项" in body


def test_a_total_with_floors_or_estimates_says_so(con):
    from dashboard.components import indicator_tiles
    from views.summaries import headline_split

    seed = _rid(con, "000_ea4a386f79e332ee.txt")
    totals = _totals(con, Filters(report=seed))
    assert totals["funds_recovered"] == (1_000_000, 1, "lower_bound")  # 百余万元
    assert totals["roads_repaired"] == (96_000, 2, "approx")  # 约8万 + 约1.6万平米
    assert totals["assets_revitalised_area"] == (32_000, 1, "lower_bound")  # 3.2万余平米
    assert totals["gas_hazards_closed"][2] == "exact"
    frame = queries.filtered_indicator_totals(con, Filters(report=seed))
    shown = {
        lang: {t.id: str(t) for t in indicator_tiles(frame[frame["n_metrics"] > 0], lang)}
        for lang in ("zh", "en")
    }
    assert "100万余" in shown["zh"]["kpi-funds_recovered"]
    assert "约9.6万" in shown["zh"]["kpi-roads_repaired"]
    assert "3.2万余" in shown["zh"]["kpi-assets_revitalised_area"]
    assert "over 1,000,000" in shown["en"]["kpi-funds_recovered"]
    assert "about 96,000" in shown["en"]["kpi-roads_repaired"]
    assert "余" not in shown["zh"]["kpi-gas_hazards_closed"]
    assert not headline_split(frame)[0].empty


def test_the_deck_and_the_workbook_say_a_total_is_not_exact(con):
    from pptx import Presentation

    from exports.deck import build_deck
    from exports.tables import indicators_table
    from views.export import gather

    seed = _rid(con, "000_ea4a386f79e332ee.txt")
    content = gather(con, Filters(report=seed), "zh", TODAY)
    prs = Presentation(io.BytesIO(build_deck(content)))
    text = " ".join(
        run.text
        for slide in prs.slides
        for shape in slide.shapes
        if shape.has_text_frame
        for p in shape.text_frame.paragraphs
        for run in p.runs
    )
    cells = " ".join(
        cell.text
        for slide in prs.slides
        for shape in slide.shapes
        if shape.has_table
        for row in shape.table.rows
        for cell in row.cells
    )
    assert "100万余元" in text  # the KPI slide's headline indicators
    assert "100万余" in cells and "约9.6万" in cells  # the indicators' table
    sheet = indicators_table(content).set_index("指标代码")
    assert sheet.loc["funds_recovered", "限定"] == "下限（余/多）"
    assert sheet.loc["roads_repaired", "限定"] == "约数"


def test_an_older_warehouse_gets_items_per_department_and_exact_totals(tmp_path):
    """A warehouse written before items per department, total exactness and warning levels
    were kept is brought up to them when the dashboard opens it."""
    import duckdb

    from pipeline import load_paths
    from pipeline.corrections import stored_review_rows
    from pipeline.rows import item_status
    from warehouse.load import upgrade_if_needed

    path = tmp_path / "old.duckdb"
    assert not load_paths([SEED], path).failed
    old = duckdb.connect(str(path))
    for table in ("item_department_fact", "item_department"):
        old.execute(f"DROP TABLE {table}")
    for table in ("rollup", "rollup_all"):
        old.execute(f"ALTER TABLE {table} DROP COLUMN n_lower")
        old.execute(f"ALTER TABLE {table} DROP COLUMN n_approx")
    old.execute("ALTER TABLE parse_warning DROP COLUMN level")
    old.execute("DROP TABLE warehouse_meta")  # nor did it keep which schema it had
    old.close()
    assert upgrade_if_needed(path, None, stored_review_rows, item_status) is True
    con = connect_readonly(path)
    try:
        (rid,) = con.execute("SELECT report_id FROM report").fetchone()
        (i1,) = con.execute(
            "SELECT status FROM item_department_fact WHERE finding_id = 'I1' AND department = $d",
            {"d": GARDEN},
        ).fetchone()
        assert i1 == "completed"
        assert _totals(con, Filters(report=rid))["funds_recovered"][2] == "lower_bound"
    finally:
        con.close()
    assert upgrade_if_needed(path, None, stored_review_rows, item_status) is False
