"""Numbers counted right or said to be doubtful: a status no words decided names its rule and
is warned of; a report's counts of its problems are stated totals, not work; dues paid are not
funds recovered; 整章建制 counts as rules made; the same words with figures repeated are
warned of; the stated totals the counts disagree with are warned of by the overview's rules."""

from __future__ import annotations

import pytest
from conftest import REPORTS_DIR, SHARED

from etl.extract import extract
from etl.reader import read_document

HOSTILE = SHARED / "cases" / "hostile"


def _extract(name: str):
    return extract(read_document(REPORTS_DIR / name).text)


def _codes(x, level: str | None = None) -> list[str]:
    return [w.code for w in x.warnings if level is None or w.level == level]


@pytest.mark.parametrize("name", ["r03.txt", "r05.txt", "r08.txt", "r10.txt", "r12.txt"])
def test_an_organisation_measure_completed_by_default_names_its_rule_and_is_warned(name):
    x = _extract(name)
    (m,) = [m for m in x.measures if m.section == "organisation" and "默认规则" in m.status_cue]
    assert m.status == "completed"
    assert m.status_cue == (
        "默认规则 section_default_organisation：组织落实部分记述的是已做的工作 / "
        "default rule section_default_organisation: the organisation section tells what was done"
    )
    (w,) = [w for w in x.warnings if w.code == "status_default_done"]
    assert w.level == "review" and w.args == {"n": 1, "rule": "section_default_organisation"}
    assert (w.start, w.end) == (m.start, m.end)


def test_a_default_that_counts_nothing_as_done_is_a_note(seed_extraction):
    notes = [w for w in seed_extraction.warnings if w.code == "status_default"]
    assert [(w.level, w.args) for w in notes] == [
        ("info", {"n": 2, "rule": "section_default_next_steps"}),
        ("info", {"n": 1, "rule": "default"}),
    ]
    assert _codes(seed_extraction, "review") == []  # the seed has nothing to review


def test_a_reports_counts_of_its_problems_are_stated_totals_not_work():
    x = _extract("r08.txt")
    got = [(m.value, m.unit, m.role, m.indicator) for m in x.metrics]
    assert got == [
        (4, "个", "stated", None),  # 4个方面
        (18, "个", "stated", None),  # 18个问题
        (17, "个", "stated", None),  # 已完成整改17个
        (1, "个", "stated", None),  # 基本完成整改1个
        (4, "条", "result", "rules_revised"),  # 整章建制4条
        (1200, "元", "result", "funds_recovered"),  # 清退…资金1200元
        (3225, "元", "result", None),  # 补缴工会会费个人部分3225元: dues, not funds recovered
    ]
    # The rules made it states now agree with the rules counted: no false mismatch.
    assert "stated_total_mismatch" not in [
        w.code for w in x.warnings if w.args.get("field", "").endswith("rules_made")
    ]


def test_the_stated_totals_a_count_disagrees_with_are_warned_as_the_overview_compares_them():
    """r02 states 37 problems, 34 completed and 3 in progress; its opening holds 2 items, one
    of them completed: all three disagree, each a review warning; r04 states 34 problems."""
    r02 = _extract("r02.txt")
    mismatched = [(w.code, w.args) for w in r02.warnings if w.code.startswith("stated_")]
    assert mismatched == [
        ("stated_vs_counted", {"stated": 37, "counted": 2}),
        ("stated_total_mismatch", {"field": "已完成整改 completed", "stated": 34, "counted": 1}),
        ("stated_total_mismatch", {"field": "正在整改 in_progress", "stated": 3, "counted": 0}),
    ]
    assert {w.level for w in r02.warnings if w.code.startswith("stated_")} == {"review"}
    r04 = _extract("r04.txt")
    (w,) = [w for w in r04.warnings if w.code == "stated_vs_counted"]
    assert w.args == {"stated": 34, "counted": 1} and w.level == "review"


def test_the_same_stated_count_at_another_level_is_no_longer_accepted():
    """A report stating 3 problems whose skeleton has 3 problems but 5 items (具体问题, what
    the overview counts) is warned: the overview's table would flag it too."""
    text = (
        "中共某县林业局党组关于巡察整改进展情况的通报\n"
        "根据县委统一部署,2024年3月1日至4月30日,县委第一巡察组对县林业局党组开展了常规巡察。"
        "2024年6月5日,县委第一巡察组向县林业局党组反馈了巡察意见。巡察反馈问题3个。\n"
        "一、整改落实情况\n"
        "(一)关于党建方面\n"
        "1.关于“学习不深入”的问题\n(1)学习不够系统。已制定学习计划。\n(2)研讨不深入。已开展专题研讨。\n"
        "2.关于“制度不健全”的问题\n(1)制度缺失。已修订制度。\n(2)执行不严。已开展检查。\n"
        "3.关于“监督不到位”的问题\n(1)监督缺位。已建立监督台账。\n"
    )
    x = extract(text)
    levels = {f.level for f in x.findings}
    assert sum(f.level == "problem" for f in x.findings) == 3 and "item" in levels
    (w,) = [w for w in x.warnings if w.code == "stated_vs_counted"]
    assert w.args == {"stated": 3, "counted": 5}


def test_the_same_words_with_figures_repeated_are_warned():
    x = extract(read_document(HOSTILE / "txt_long_line_50000.txt").text)
    repeated = [w for w in x.warnings if w.code == "text_repeated"]
    assert [(w.level, w.args) for w in repeated] == [
        ("review", {"text": "开展整改工作共计12.5万元", "n": 2273}),
        ("review", {"text": "培训干部3次", "n": 2272}),
    ]
    trained = [m for m in x.metrics if m.indicator == "trainings"]
    assert len(trained) == 2272  # still counted as written, but no longer silently


def test_words_said_twice_are_not_repeated_abnormally(seed_extraction):
    text = (
        "中共某县林业局党组关于巡察整改进展情况的通报\n"
        "根据县委统一部署,2024年3月1日至4月30日,县委第一巡察组对县林业局党组开展了常规巡察。\n"
        "一、整改落实情况\n(一)关于党建方面\n1.关于“学习不深入”的问题\n"
        "已组织专题培训干部3次。已组织专题培训干部3次。\n"
    )
    assert "text_repeated" not in _codes(extract(text))
    assert "text_repeated" not in _codes(seed_extraction)
