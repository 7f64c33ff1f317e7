"""Figures that count some of another figure are never added to its indicator: the things of
a checked count that had problems (巡查燃气场站1278座,整改问题场站12座) and the parts a cue
puts inside a figure (34个(含立行立改问题2个), 20项,其中新建5项), in reports' prose outside
the sentences that state a report's totals; on the parser and through a real load."""

from __future__ import annotations

from conftest import loaded_indicator_totals

from etl.extract import extract

HEAD = "一、反馈问题整改情况\n"


def _report(*problems: tuple[str, str]) -> str:
    """A report's findings section: each problem's title and its 整改情况 paragraph."""
    return HEAD + "".join(
        f"{i}.关于“{title}”的问题\n整改情况:{text}\n" for i, (title, text) in enumerate(problems, 1)
    )


def _figures(text: str) -> list[tuple[str, str, str | None]]:
    return [(mt.raw, mt.role, mt.indicator) for mt in extract(text).metrics]


CHECKED = _report(
    (
        "燃气安全监管不到位",
        "各燃气企业自查巡查燃气场站1278座，整改问题场站12座。"
        "排查燃气场站100座，整改问题场站8座。"
        "检查燃气经营企业50家，发现问题企业12家，其中不合格企业3家，已全部整改到位。"
        "巡查燃气管线500公里，发现问题管线2公里。"
        "巡查燃气场站40座，整改问题管线井6座。",
    ),
    ("市容环境整治不彻底", "开展环境综合整治，检查市容环境点位500处，整改问题点位120处。"),
)


def test_the_things_of_a_checked_count_that_had_problems_are_not_more_of_it():
    """After a count of things checked, the figure of those that had problems (problem
    stations fixed, problem firms found, 其中不合格) keeps its role and feeds no indicator the
    checked count feeds; 排查 of stations is checking, not problems owed; other things
    (问题管线井) feed their own indicator; places checked are not problems fixed."""
    assert _figures(CHECKED) == [
        ("1278座", "result", "gas_stations_inspected"),
        ("12座", "result", None),  # stations whose problems were fixed: not inspected again
        ("100座", "result", "gas_stations_inspected"),  # was a target, 8 its progress
        ("8座", "result", None),
        ("50家", "result", None),
        ("12家", "result", None),
        ("3家", "result", None),
        ("500公里", "result", "gas_pipeline_inspected"),
        ("2公里", "result", None),
        ("40座", "result", "gas_stations_inspected"),
        ("6座", "result", "manholes_fixed"),  # other things: their own indicator
        ("500处", "result", None),  # places checked: not problems fixed
        ("120处", "result", "city_issues_fixed"),
    ]


def test_the_checked_counts_totals_through_a_load(tmp_path):
    totals = loaded_indicator_totals(tmp_path, CHECKED)
    assert totals.loc["gas_stations_inspected", "total"] == 1278 + 100 + 40
    assert totals.loc["gas_stations_inspected", "n_metrics"] == 3
    assert totals.loc["gas_pipeline_inspected", "total"] == 500
    assert totals.loc["manholes_fixed", "total"] == 6
    assert totals.loc["city_issues_fixed", "total"] == 120


PARTS = _report(
    ("燃气隐患整改不彻底", "燃气隐患已整改完成34项(含立行立改隐患2项、限期整改隐患5项)。"),
    ("燃气隐患排查不到位", "整改燃气隐患40处，其中立行立改隐患10处，限期整改隐患30处。"),
    ("制度建设滞后", "修订完善制度20项，其中新建制度5项。另整改燃气隐患3项。"),
    ("培训演练不足", "开展各类培训60次（其中应急演练20次）。"),
    ("供热管网老化", "计划改造供热老旧管网20公里(含新建管网5公里)，已完成改造18公里。"),
    ("燃气隐患销号滞后", "共发现燃气隐患20个，其中已整改15个。"),
)


def test_a_part_inside_a_figure_is_not_added_to_its_indicator():
    """N个(含…M个), N项，其中M项…: the parts take the whole's role and feed no indicator the
    whole feeds (one of another indicator feeds its own); 其中已整改 after what was found is
    its progress, as before; a figure after another matter's word (另) is not a part."""
    assert _figures(PARTS) == [
        ("34项", "result", "gas_hazards_closed"),  # was a target, 2 its "progress"
        ("2项", "result", None),
        ("5项", "result", None),
        ("40处", "result", "gas_hazards_closed"),
        ("10处", "result", None),
        ("30处", "result", None),  # the list of parts goes on after the comma
        ("20项", "result", "rules_revised"),
        ("5项", "result", None),
        ("3项", "result", "gas_hazards_closed"),  # another sentence, another matter
        ("60次", "result", "trainings"),
        ("20次", "result", "emergency_drills"),
        ("20公里", "target", None),
        ("5公里", "target", None),  # part of what is planned
        ("18公里", "result", "heating_network_renovated"),
        ("20个", "target", None),
        ("15个", "result", "gas_hazards_closed"),
    ]
    x = extract(PARTS)
    labels = {mt.raw: mt.label for mt in x.metrics}
    assert labels["2项"] == "含立行立改隐患" and labels["20次"] == "应急演练"


def test_a_parts_totals_through_a_load(tmp_path):
    totals = loaded_indicator_totals(tmp_path, PARTS)
    assert totals.loc["gas_hazards_closed", "total"] == 34 + 40 + 3 + 15
    assert totals.loc["gas_hazards_closed", "n_metrics"] == 4
    assert totals.loc["rules_revised", "total"] == 20
    assert totals.loc["trainings", "total"] == 60
    assert totals.loc["emergency_drills", "total"] == 20
    assert totals.loc["heating_network_renovated", "total"] == 18


def test_a_part_in_a_sentence_stating_the_totals_stays_stated():
    """The stated-totals sentence keeps its counts as the report's own (both `stated`)."""
    text = (
        "根据区委统一部署,区委第三巡察组对区交通运输局党组开展了巡察。现将整改情况报告如下。\n"
        "截至2025年6月30日,巡察反馈的4个方面37个问题,已整改完成34个(含立行立改问题2个)。\n"
    )
    got = [(mt.raw, mt.role, mt.label) for mt in extract(text + PARTS).metrics]
    assert [g for g in got if g[0] in ("34个", "2个")] == [
        ("34个", "stated", "整改完成"),
        ("2个", "stated", "含立行立改问题"),
    ]
