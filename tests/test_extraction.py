"""The seed against its gold, the report openings against theirs, and unseen layouts."""

from __future__ import annotations

import pytest
from conftest import REPORTS_DIR

from etl.evaluate import FINDING_KEYS, MEASURE_KEYS, evaluate
from etl.extract import extract
from etl.numbers import parse_number


def test_seed_skeleton_equals_gold(seed_extraction, seed_gold):
    got = seed_extraction.to_dict()
    assert [f["level"] for f in got["findings"]].count("area") == 3
    assert [f["level"] for f in got["findings"]].count("problem") == 11
    assert [f["level"] for f in got["findings"]].count("item") == 29
    sections = [m["section"] for m in got["measures"]]
    assert (
        sections.count("organisation"),
        sections.count("findings"),
        sections.count("remaining"),
        sections.count("next_steps"),
    ) == (3, 70, 2, 4)
    for g, p in zip(seed_gold["findings"], got["findings"], strict=True):
        assert {k: p[k] for k in FINDING_KEYS} == {k: g[k] for k in FINDING_KEYS}
    for g, p in zip(seed_gold["measures"], got["measures"], strict=True):
        assert {k: p[k] for k in MEASURE_KEYS} == {k: g[k] for k in MEASURE_KEYS}


def test_seed_header_and_totals(seed_extraction, seed_gold):
    assert seed_extraction.to_dict()["report"] == seed_gold["report"]


def test_offsets_trace_back_to_the_text(seed_extraction, seed_text):
    for m in seed_extraction.measures:
        assert seed_text[m.start : m.end] == m.text
    for mt in seed_extraction.metrics:
        assert seed_text[mt.start : mt.end] == mt.raw
        assert any(ch.isdigit() or ch in "十百千万" for ch in mt.raw)


def test_seed_metric_precision_recall_and_indicators(seed_extraction, seed_gold):
    score = evaluate(seed_extraction.to_dict(), seed_gold)
    assert score.precision >= 0.99, score.spurious_metrics
    assert score.recall >= 0.99, score.missed_metrics
    assert len(score.indicators) == 14
    for code, (want, got) in score.indicators.items():
        assert got == pytest.approx(want), code
    assert score.indicators["gas_hazards_closed"] == (108, 108)
    assert score.indicators["heating_network_renovated"][1] == pytest.approx(33.9)
    assert score.indicators["roads_repaired"][1] == pytest.approx(96000)


def test_seed_labels_accuracy(seed_extraction, seed_gold):
    score = evaluate(seed_extraction.to_dict(), seed_gold)
    assert score.category_accuracy >= 0.90
    assert score.status_accuracy >= 0.85
    assert score.department_f1 >= 0.90


def test_seed_values_and_qualifiers(seed_extraction):
    by_raw = {m.raw: m for m in seed_extraction.metrics}
    assert (by_raw["百余万元"].value, by_raw["百余万元"].unit, by_raw["百余万元"].qualifier) == (
        1000000,
        "万元",
        "lower_bound",
    )
    assert (by_raw["3.2万余平米"].value, by_raw["3.2万余平米"].unit_normalized) == (32000, "m2")
    assert by_raw["约8万平米"].qualifier == "approx"
    raws = " ".join(by_raw)
    for not_a_metric in ("400天", "022", "3715", "2024年", "1201160001"):
        assert not_a_metric not in raws


def test_finding_status_is_derived(seed_extraction):
    by_id = {f.id: f for f in seed_extraction.findings}
    statuses = {m.finding_id: [] for m in seed_extraction.measures}
    for m in seed_extraction.measures:
        statuses[m.finding_id].append(m.status)
    assert by_id["I18"].status == "in_progress" and "in_progress" in statuses["I18"]
    assert by_id["I24"].status == "completed"


@pytest.mark.parametrize("entry_index", range(8))
def test_report_openings_header_totals_metrics(entry_index, reports_index):
    entry = reports_index[entry_index]
    from etl.reader import read_document

    pred = extract(read_document(REPORTS_DIR / entry["file"]).text).to_dict()
    score = evaluate(pred, entry)
    assert score.header_ok == score.header_total, score.header_misses
    assert score.totals_ok == score.totals_total, score.totals_misses
    assert score.metric_f1 >= 0.95, (score.missed_metrics, score.spurious_metrics)


@pytest.mark.parametrize(
    "text,value",
    [
        ("3.2万", 32000),
        ("百余万", 1000000),
        ("六十", 60),
        ("二十", 20),
        ("5.0227万", 50227),
        ("1,200", 1200),
        ("三千二百万", 32000000),
    ],
)
def test_numbers(text, value):
    assert parse_number(text.replace("余", "")) == value


UNSEEN = {
    "fullwidth_markers_no_yishi": (
        "某局党组关于巡察整改进展情况的通报\n"
        "根据区委统一部署,2024年4月1日至5月30日,区委第一巡察组对某局党组开展了巡察。\n"
        "一、组织整改落实情况\n成立整改领导小组,召开专题会议部署整改。\n"
        "二、反馈问题整改落实情况\n（一）关于党的建设方面\n１．关于“学习不深入”的问题\n"
        "（１）针对理论学习不系统的问题。\n制定学习计划,全年集中学习12次。\n"
        "（２）针对制度不健全的问题。\n一是完善制度。修订制度5项。二是加强监督。已全部整改完毕。\n"
    ),
    "problems_without_items": (
        "根据市委部署,2023年7月1日至8月31日,市委第二巡察组对某中心开展了巡察。\n"
        "一、反馈意见整改落实情况\n1.关于“资产管理不规范”问题\n整改情况:清理闲置资产3处,追回资金12万元。\n"
        "2、关于“安全生产责任落实不到位”问题\n整改情况:一是开展应急演练4次;二是正在推进隐患排查。\n"
    ),
    "skips_to_items": (
        "一、整改进展情况\n(1)关于台账管理不规范的问题。已建立整改台账,销号23项。\n"
    ),
    "no_structure": "这是一段没有任何结构的文字,只提到巡察。",
}


@pytest.mark.parametrize("name", UNSEEN)
def test_unseen_layouts_parse(name):
    x = extract(UNSEEN[name])
    d = x.to_dict()
    for m in x.measures:
        assert UNSEEN[name][m.start : m.end] == m.text
    if name == "fullwidth_markers_no_yishi":
        assert [f["level"] for f in d["findings"]] == ["area", "problem", "item", "item"]
        assert d["findings"][1]["title"] == "学习不深入"
        assert [m["section"] for m in d["measures"]] == [
            "organisation",
            "findings",
            "findings",
            "findings",
        ]
        assert {mt["value"] for mt in d["metrics"]} == {12, 5}
        assert d["report"]["team"] == "区委第一巡察组"
    if name == "problems_without_items":
        assert [(f["level"], f["parent_id"]) for f in d["findings"]] == [
            ("problem", None),
            ("problem", None),
        ]
        assert len(d["measures"]) == 3
        assert d["measures"][2]["status"] == "in_progress"
        assert any(mt["unit_normalized"] == "yuan" and mt["value"] == 120000 for mt in d["metrics"])
    if name == "skips_to_items":
        assert d["findings"][0]["level"] == "item" and d["measures"][0]["status"] == "completed"
