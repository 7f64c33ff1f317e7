"""Report layouts from ../shared/cases/layouts.md, one made-up report (or several) per kind,
with the levels, titles, header values and totals the parser must give. Names are invented;
the kinds are what real reports from other bodies do."""

from __future__ import annotations

import pytest

from etl.extract import extract
from etl.reader import plain_text

OPENING = (
    "根据县委统一部署,2024年3月1日至4月30日,县委第一巡察组对县林业局党组开展了常规巡察。"
    "2024年6月5日,县委第一巡察组向县林业局党组反馈了巡察意见。"
    "按照巡察工作有关要求,现将整改情况予以公布。"
)
TITLE = "中共某县林业局党组关于县委第二轮巡察集中整改进展情况的通报"
LINED = [
    TITLE,
    OPENING,
    "一、落实整改主体责任情况",
    "(一)加强组织领导。局党组成立整改工作领导小组,召开专题会议3次。",
    "(二)细化整改方案。制定整改方案,建立问题清单。",
    "二、反馈问题整改落实情况",
    "(一)关于“林长制落实不到位”问题的整改",
    "1.针对“巡林记录不全”问题。一是建立巡林台账,补录记录120条。二是开展巡林培训2次。",
    "2.针对“护林员管理松散”问题。已完成护林员考核,解聘不合格人员5名。",
    "(二)关于“防火责任落实不力”问题的整改",
    "1.针对“防火设施老化”问题。更新灭火器材300套,已全部完成。",
    "中共某县林业局党组",
    "2024年8月1日",
]


def nodes(x) -> list[tuple[str, str, str | None]]:
    """(level, label, title) of each finding; parents by label path."""
    return [(f.level, f.label, f.title) for f in x.findings]


def measures(x) -> list[tuple[str, str | None, str]]:
    labels = {f.id: f.label for f in x.findings}
    return [(m.section, labels.get(m.finding_id), m.text) for m in x.measures]


def parents(x) -> list[str | None]:
    by_id = {f.id: f.label for f in x.findings}
    return [by_id.get(f.parent_id) for f in x.findings]


def offsets_trace(x, text: str) -> None:
    for m in x.measures:
        assert text[m.start : m.end] == m.text
    for f in x.findings:
        assert f.title in text[f.start : f.end]


# -- skeleton -------------------------------------------------------------------------------
def test_1_no_line_breaks_gives_the_same_skeleton():
    lined = "\n".join(LINED)
    flat = " ".join(LINED)
    a, b = extract(lined), extract(flat)
    offsets_trace(b, flat)
    assert (
        nodes(b)
        == nodes(a)
        == [
            ("area", "(一)", "林长制落实不到位"),
            ("problem", "1.", "巡林记录不全"),
            ("problem", "2.", "护林员管理松散"),
            ("area", "(二)", "防火责任落实不力"),
            ("problem", "1.", "防火设施老化"),
        ]
    )
    # The last area keeps its problem when the signature and date run on after it.
    assert parents(b) == parents(a) == [None, "(一)", "(一)", None, "(二)"]
    assert measures(b) == measures(a)
    assert [(s, label) for s, label, _ in measures(b)] == [
        ("organisation", None),
        ("organisation", None),
        ("findings", "1."),
        ("findings", "1."),
        ("findings", "2."),
        ("findings", "1."),
    ]
    assert b.measures[2].text == "建立巡林台账,补录记录120条。"
    assert b.report.title == a.report.title == TITLE
    assert b.report.issuer == "中共某县林业局党组"
    assert b.report.publish_date == a.report.publish_date == "2024-08-01"
    assert b.report.team == "县委第一巡察组" and b.report.feedback_date == "2024-06-05"


def test_1_the_seed_without_line_breaks_keeps_its_skeleton(seed_text, seed_extraction):
    flat = " ".join(seed_text.split("\n"))
    x = extract(flat)
    assert [(f.level, f.label, f.title) for f in x.findings] == [
        (f.level, f.label, f.title) for f in seed_extraction.findings
    ]
    assert [(m.section, m.text) for m in x.measures] == [
        (m.section, m.text) for m in seed_extraction.measures
    ]
    assert x.report.publish_date == "2025-05-20"
    assert [(w.code, w.args) for w in x.warnings] == [
        (w.code, w.args) for w in seed_extraction.warnings
    ]
    assert [w for w in x.warnings if w.level == "review"] == []


def test_3_marked_action_lines_under_a_problem_are_its_measures():
    text = "\n".join(
        [
            OPENING,
            "二、反馈问题整改落实情况",
            "(一)关于“理论学习不深入”问题",
            "1.制定年度学习计划,开展集中学习12次。",
            "2.开展专题研讨4次。",
            "(二)关于“资金管理不规范”问题",
            "1.追回违规资金3万元。",
            "三、整改成效",
            "巡察反馈的问题已全部完成整改。",
        ]
    )
    x = extract(text)
    assert nodes(x) == [
        ("problem", "(一)", "理论学习不深入"),
        ("problem", "(二)", "资金管理不规范"),
    ]
    assert [(s, label) for s, label, _ in measures(x)] == [
        ("findings", "(一)"),
        ("findings", "(一)"),
        ("findings", "(二)"),
        ("organisation", None),
    ]


@pytest.mark.parametrize(
    "heading,children",
    [
        (
            "一、提高思想认识,把整改作为头等大事",
            [
                "(一)迅速召开专题会议。局党组第一时间研究部署。",
                "(二)建立整改台账。逐条明确责任人和时限。",
            ],
        ),
        (
            "一、坚持以上率下,层层压实整改责任",
            ["1.党组书记带头抓。主持召开推进会5次。", "2.班子成员分工抓。认领分管领域问题。"],
        ),
        (
            "一、整改工作开展情况",
            ["一是成立工作专班。抽调骨干集中办公。", "二是强化督导检查。每月通报进度。"],
        ),
    ],
)
def test_2_organisation_section_in_any_wording(heading, children):
    text = "\n".join(
        [
            TITLE,
            OPENING,
            heading,
            *children,
            "二、在履行全面从严治党责任方面",
            "1.关于“谈心谈话不经常”的问题",
            "整改情况:开展谈心谈话85人次。",
        ]
    )
    x = extract(text)
    assert [m.section for m in x.measures] == ["organisation", "organisation", "findings"]
    assert [f.level for f in x.findings] == ["area", "problem"]
    assert x.findings[0].title == "在履行全面从严治党责任"
    assert x.measures[0].headline and x.measures[0].text.startswith(x.measures[0].headline)


def test_3_levels_follow_the_documents_nesting():
    """(一) is a problem under 一、…方面, an area under a findings heading."""
    deep = "\n".join(
        [
            TITLE,
            OPENING,
            "一、在落实上级决策部署方面",
            "(一)关于“林长制落实不到位”问题的整改",
            "1.针对“巡林记录不全”问题",
            "整改情况:补录巡林记录120条。",
            "2.针对“护林员管理松散”问题",
            "整改情况:解聘不合格护林员5名。",
        ]
    )
    x = extract(deep)
    assert nodes(x) == [
        ("area", "一、", "在落实上级决策部署"),
        ("problem", "(一)", "林长制落实不到位"),
        ("item", "1.", "巡林记录不全"),
        ("item", "2.", "护林员管理松散"),
    ]
    assert parents(x) == [None, "一、", "(一)", "(一)"]
    shallow = "\n".join(
        [
            TITLE,
            OPENING,
            "一、整改组织领导情况",
            "局党组成立领导小组,统筹推进整改。",
            "二、反馈问题整改落实情况",
            "(一)贯彻落实上级决策部署方面",
            "1.关于巡林记录不全的问题",
            "整改情况:补录巡林记录120条。",
        ]
    )
    y = extract(shallow)
    assert nodes(y) == [
        ("area", "(一)", "贯彻落实上级决策部署"),
        ("problem", "1.", "巡林记录不全"),
    ]
    assert all(w.code != "level_skipped" for w in y.warnings)


def test_3_a_fourth_marked_level_is_the_items_measures():
    text = "\n".join(
        [
            OPENING,
            "一、在落实上级决策部署方面",
            "(一)关于“林长制落实不到位”问题的整改",
            "1.针对“巡林记录不全”问题",
            "(1)补录巡林记录120条。",
            "(2)建立巡林记录抽查制度。",
        ]
    )
    x = extract(text)
    assert [f.level for f in x.findings] == ["area", "problem", "item"]
    assert [(m.finding_id, m.text) for m in x.measures] == [
        ("I1", "补录巡林记录120条。"),
        ("I1", "建立巡林记录抽查制度。"),
    ]


def test_4_an_area_worded_as_a_bare_problem_statement():
    text = "\n".join(
        [
            TITLE,
            OPENING,
            "一、落实上级决策部署有差距",
            "1.林长制落实不到位。整改情况:一是制定林长制实施方案。二是开展巡河巡林30次。",
            "2.河道保洁不彻底。整改情况:清理河道垃圾120吨,已全部完成。",
            "二、财务管理不规范",
            "1.公务接待超标准。整改情况:已清退超标准费用1.2万元。",
        ]
    )
    x = extract(text)
    assert nodes(x) == [
        ("area", "一、", "落实上级决策部署有差距"),
        ("problem", "1.", "林长制落实不到位"),
        ("problem", "2.", "河道保洁不彻底"),
        ("area", "二、", "财务管理不规范"),
        ("problem", "1.", "公务接待超标准"),
    ]
    assert parents(x) == [None, "一、", "一、", None, "二、"]
    assert [m.text for m in x.measures[:2]] == ["制定林长制实施方案。", "开展巡河巡林30次。"]


def test_5_quoted_titles_leave_no_stray_measure():
    text = "\n".join(
        [
            OPENING,
            "一、反馈问题整改情况",
            "(一)关于“防火责任落实不力”问题的整改",
            "1.关于“防火设施老化”的问题",
            "整改情况:更新灭火器材300套。",
            "(二)关于“林地管理不规范”方面的整改情况",
            "1.关于“林地台账不全”问题",
            "整改情况:建立林地台账。",
        ]
    )
    x = extract(text)
    assert [f.title for f in x.findings] == [
        "防火责任落实不力",
        "防火设施老化",
        "林地管理不规范",
        "林地台账不全",
    ]
    assert [m.text for m in x.measures] == ["更新灭火器材300套。", "建立林地台账。"]


def test_6_a_headline_alone_on_its_line_takes_the_next_paragraph():
    text = "\n".join(
        [
            TITLE,
            OPENING,
            "一、整改工作组织情况",
            "(一)统一思想认识",
            "局党组召开专题会议,传达学习巡察反馈意见。",
            "(二)健全工作机制",
            "局党组建立整改台账,实行销号管理。",
            "二、反馈问题整改情况",
            "1.关于“统计数据质量不高”的问题",
            "整改措施及成效:纠正错误数据15条。",
        ]
    )
    x = extract(text)
    org = [m for m in x.measures if m.section == "organisation"]
    assert [(m.headline, m.text) for m in org] == [
        ("统一思想认识", "统一思想认识\n局党组召开专题会议,传达学习巡察反馈意见。"),
        ("健全工作机制", "健全工作机制\n局党组建立整改台账,实行销号管理。"),
    ]
    offsets_trace(x, text)


@pytest.mark.parametrize(
    "lead",
    [
        "局党组高度重视巡察整改工作。一是压实整改责任,书记履行第一责任人职责。"
        "二是细化整改措施,逐条制定整改方案。三是强化督导检查,定期通报整改进度。",
        "局党组高度重视巡察整改工作,把整改作为重要政治任务。一、压实整改责任。书记履行第一责任人职责。"
        "二、细化整改措施。逐条制定整改方案。三、强化督导检查。定期通报整改进度。",
    ],
)
def test_7_run_in_organisation_paragraphs(lead):
    text = "\n".join(
        [OPENING, lead, "(一)关于“养老服务监管不到位”的问题", "整改情况:整改隐患36处。"]
    )
    x = extract(text)
    org = [m for m in x.measures if m.section == "organisation"]
    assert [m.headline.split(",")[0] for m in org] == [
        "压实整改责任",
        "细化整改措施",
        "强化督导检查",
    ]
    assert nodes(x) == [("problem", "(一)", "养老服务监管不到位")]
    assert [m.section for m in x.measures][-1] == "findings"


@pytest.mark.parametrize("label", ["整改情况:", "整改措施:", "整改落实情况:", "整改措施及成效:"])
def test_8_labels_are_not_text(label):
    text = "\n".join(
        [
            OPENING,
            "一、反馈问题整改情况",
            "1.关于“资产管理不规范”的问题",
            f"{label}清理闲置资产3处。",
            "2.关于“制度执行不严格”的问题",
            label,
            "(1)修订制度5项。",
            "(2)开展制度执行检查2次。",
        ]
    )
    x = extract(text)
    assert nodes(x) == [
        ("problem", "1.", "资产管理不规范"),
        ("problem", "2.", "制度执行不严格"),
    ]
    assert [m.text for m in x.measures] == [
        "清理闲置资产3处。",
        "修订制度5项。",
        "开展制度执行检查2次。",
    ]


# -- header ---------------------------------------------------------------------------------
BODY = [
    "一、关于“森林防火责任落实不力”的问题",
    "整改情况:已修订防火责任制度,开展防火巡查60次。",
]


def _header(lines: list[str]):
    """The header of a page read as the reader reads it (furniture lines dropped)."""
    return extract(plain_text(lines)).report


def test_9_page_furniture_is_not_glued_to_the_title_or_issuer():
    r = _header(["无障碍 登录", "您的位置: > >通知公告", TITLE, OPENING, *BODY])
    assert (r.title, r.issuer) == (TITLE, "中共某县林业局党组")
    r = _header(["网站支持IPV6", "字体大小:", f"公告公示【巡察整改】{TITLE}", OPENING, *BODY])
    assert (r.title, r.issuer) == (TITLE, "中共某县林业局党组")
    cities = ["北京", "天津", "上海", "重庆", "石家庄", "太原", "沈阳", "长春", "哈尔滨", "南京"]
    r = _header([*cities, *cities, TITLE, "发布日期:2024年8月2日", OPENING, *BODY])
    assert (r.title, r.issuer, r.team, r.publish_date) == (
        TITLE,
        "中共某县林业局党组",
        "县委第一巡察组",
        "2024-08-02",
    )
    assert (r.inspection_start, r.feedback_date) == ("2024-03-01", "2024-06-05")


def test_9_a_title_broken_before_关于_keeps_the_body_above():
    r = _header(["中共某县林业局党组", "关于县委第二轮巡察集中整改进展情况的通报", OPENING, *BODY])
    assert (r.title, r.issuer) == (TITLE, "中共某县林业局党组")


def test_10_metadata_blocks_give_the_title_and_publish_date():
    title = "中共梅州市交通运输局党组关于市委第五轮巡察整改进展情况的通报"
    lines = [
        "信息索引号:11441400MB2C12345X/2023-00123",
        f"文件名称:{title}",
        "发布机构:梅州市交通运输局",
        "成文日期:2023-05-04",
        OPENING,
        *BODY,
    ]
    x = extract(plain_text(lines))
    assert (x.report.title, x.report.publish_date) == (title, "2023-05-04")
    assert x.report.issuer == "中共梅州市交通运输局党组"
    assert x.report.round == "市委第五轮巡察"
    assert not any("信息索引号" in m.text or "发布机构" in m.text for m in x.measures)


@pytest.mark.parametrize(
    "line,date",
    [
        ("2024-08-01", "2024-08-01"),
        ("2024-08-01 09:13 编辑:某某", "2024-08-01"),
        ("浏览次数:12 2024-08-03 08:57:04 来源:某县纪委监委", "2024-08-03"),
        ("2024/8/5", "2024-08-05"),
    ],
)
def test_11_publish_dates_without_a_label(line, date):
    assert _header([TITLE, line, OPENING, *BODY]).publish_date == date


def test_11_a_date_beside_the_title():
    r = _header([f"{TITLE}  2024-08-06", OPENING, *BODY])
    assert (r.title, r.publish_date) == (TITLE, "2024-08-06")


@pytest.mark.parametrize(
    "team,inspected",
    [
        ("市委乡村振兴领域专项巡察组", "市农业农村局党组"),
        ("市委第二提级交叉巡察组", "某镇党委"),
        ("县委第一联动巡察组", "某街道党工委"),
        ("省教育厅党组第二巡视组", "某大学党委"),
        ("市委对村巡察第二组", "某局党组"),
    ],
)
def test_12_teams_with_qualifiers(team, inspected):
    opening = f"根据统一部署,2024年4月1日至5月31日,{team}对{inspected}开展了巡察。"
    r = _header([opening, *BODY])
    assert (r.team, r.inspected_unit) == (team, inspected)


@pytest.mark.parametrize(
    "lines,issuer,inspected",
    [
        (
            [
                "某市人民检察院关于市委巡察整改进展情况的通报",
                "根据市委统一部署,2024年4月1日至5月31日,市委第一巡察组对我院党组开展了常规巡察。",
            ],
            "某市人民检察院",
            "某市人民检察院党组",
        ),
        (
            [
                "共青团某县委员会关于巡察整改进展情况的通报",
                "根据县委统一部署,2024年4月1日至5月31日,县委第三巡察组对我单位开展了常规巡察。",
            ],
            "共青团某县委员会",
            "共青团某县委员会",
        ),
        (
            [
                "根据省委统一部署,2023年4月1日至5月31日,省委第三巡视组对某县开展了巡视。"
                "2023年7月1日,省委第三巡视组向某县县委反馈了巡视意见。"
            ],
            "某县县委",
            "某县",
        ),
        (
            [
                "根据区委统一部署,2024年4月1日至5月31日,区委第二巡察组对中共某区科学技术协会党组"
                "(以下简称区科协党组)开展了巡察。2024年7月1日,区委第二巡察组向区科协党组反馈了巡察意见。"
            ],
            "中共某区科学技术协会党组",
            "中共某区科学技术协会党组",
        ),
        (
            [
                "根据县委统一部署,2024年4月1日至5月31日,县委第一巡察组对某镇甲村、乙村等2个村级党组织进行了巡察。"
            ],
            "某镇甲村、乙村等2个村级党组织",
            "某镇甲村、乙村等2个村级党组织",
        ),
        (
            [
                "中共梅州市交通运输局党组关于市委巡察整改进展情况的通报",
                "根据市委统一部署,2024年4月1日至5月31日,市委第二巡察组对市交通运输局党组开展了巡察。",
            ],
            "中共梅州市交通运输局党组",
            "市交通运输局党组",
        ),
    ],
)
def test_13_issuer_and_inspected_unit(lines, issuer, inspected):
    r = _header([*lines, *BODY])
    assert (r.issuer, r.inspected_unit) == (issuer, inspected)


# -- stated totals ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "sentence,problems",
    [
        ("局党组对3个方面、15个具体问题逐项细化整改措施。", 15),
        ("巡察反馈的5个方面15个突出问题,已完成整改13个。", 15),
        ("针对反馈的3个大方面20个大项问题,细化整改任务50个。", 20),
        ("巡察反馈的三个方面十八个问题已全部整改。", 18),
    ],
)
def test_14_stated_problems_are_the_problems_not_the_areas(sentence, problems):
    text = "\n".join([OPENING, "一、整改组织情况", sentence, *BODY])
    assert extract(text).report.stated_totals["problems"] == problems


def test_15_no_spurious_totals():
    text = "\n".join(
        [
            OPENING,
            "一、整改组织情况",
            "局党组研究制定60项整改措施,明确责任人和时限。县纪委在日常监督中发现问题2个。",
            "二、反馈问题整改情况",
            "1.关于“资产管理不规范”的问题",
            "整改情况:已完成整改3个,收回资金5万元,完善制度2项。",
        ]
    )
    totals = extract(text).report.stated_totals
    assert not any(totals.values()), totals


# -- warnings ---------------------------------------------------------------------------------
def test_a_report_whose_skeleton_cannot_be_found_says_so():
    x = extract(OPENING + "\n局党组高度重视整改工作,各项整改有序推进。")
    assert [w.code for w in x.warnings] == ["no_findings"]
    y = extract(
        "\n".join([TITLE, OPENING, "一、整改组织领导情况", "(一)加强组织领导。成立领导小组。"])
    )
    assert "findings_not_found" in [w.code for w in y.warnings]


def test_a_skipped_level_and_a_stated_total_that_disagrees_are_warned():
    text = "\n".join(
        [
            TITLE,
            OPENING,
            "一、整改组织领导情况",
            "巡察反馈的2个方面12个问题已完成整改10个。",
            "二、反馈问题整改情况",
            "(一)党的建设方面",
            "1.关于“学习不深入”的问题",
            "(1)针对“学习计划不全”的问题。已制定学习计划。",
            "(二)财务管理方面",
            "(1)针对“票据管理不规范”的问题。已规范票据管理。",
        ]
    )
    x = extract(text)
    assert [f.level for f in x.findings] == ["area", "problem", "item", "area", "item"]
    skipped = [w for w in x.warnings if w.code == "level_skipped"]
    assert len(skipped) == 1 and text[skipped[0].start : skipped[0].end].startswith("(1)针对“票据")
    stated = next(w for w in x.warnings if w.code == "stated_vs_counted")
    # Counted as the overview counts: the items (具体问题) measures answer, here two.
    assert stated.args == {"stated": 12, "counted": 2}


def test_the_seed_has_nothing_to_review(seed_extraction):
    """Only notes: three measures whose status is a default that counts nothing as done."""
    assert [(w.code, w.level) for w in seed_extraction.warnings] == [
        ("status_default", "info"),
        ("status_default", "info"),
    ]


@pytest.mark.parametrize(
    "heading",
    ["二、聚焦问题,逐项抓好整改落实", "二、直面问题,扎实推进整改", "二、对照问题清单,全面整改到位"],
)
def test_2_a_findings_section_headed_by_a_slogan_is_no_area(heading):
    """A findings section headed by what the body did about the problems in general (聚焦问题,
    逐项抓好整改落实) holds the problems; it is not an area titled 聚焦."""
    text = "\n".join(
        [
            TITLE,
            OPENING,
            "一、高位推动,把整改责任扛在肩上",
            "(一)统一思想认识",
            "局党组召开专题会议,深入学习巡察反馈意见。",
            heading,
            "(一)关于“统计数据质量管控不严”问题的整改",
            "整改措施及成效:查处统计违法案件7件。",
            "(二)关于“统计服务能力不强”问题的整改",
            "整改措施及成效:编印统计分析报告24期,已全部印发。",
        ]
    )
    x = extract(text)
    assert nodes(x) == [
        ("problem", "(一)", "统计数据质量管控不严"),
        ("problem", "(二)", "统计服务能力不强"),
    ]
    assert parents(x) == [None, None]
    assert [(m.section, m.text) for m in x.measures] == [
        ("organisation", "统一思想认识\n局党组召开专题会议,深入学习巡察反馈意见。"),
        ("findings", "查处统计违法案件7件。"),
        ("findings", "编印统计分析报告24期,已全部印发。"),
    ]


def test_13_a_report_signed_with_the_short_name_the_opening_defines_keeps_the_full_name():
    full = "中国科学技术协会某区委员会党组"
    text = "\n".join(
        [
            f"{full}关于巡察整改进展情况的通报",
            f"根据区委统一部署,2024年4月8日至6月7日,区委第二巡察组对{full}(以下简称区科协党组)"
            "开展了常规巡察,2024年7月12日反馈了巡察意见。",
            "一、关于党的领导弱化的问题",
            "1.学习贯彻不深入。建立第一议题学习制度,开展学习12次。",
            "区科协党组",
            "2024年11月5日",
        ]
    )
    x = extract(text)
    assert (x.report.issuer, x.report.inspected_unit) == (full, full)
    assert x.report.publish_date == "2024-11-05"


@pytest.mark.parametrize(
    "nav",
    [
        "首页 | 机构概况 | 政务公开 | 互动交流 当前位置:首页 > 巡察工作 > 整改公开",
        "北京 天津 河北 山西 内蒙古 辽宁 当前位置:首页>>巡视巡察",
    ],
)
def test_1_and_9_a_page_without_line_breaks_keeps_its_title_after_the_navigation(nav):
    flat = " ".join([nav, TITLE, "发布时间:2024-08-01 10:21:33 来源:县林业局", OPENING, *LINED[2:]])
    x = extract(flat)
    assert x.report.title == TITLE
    assert x.report.issuer == "中共某县林业局党组"
    assert x.report.publish_date == "2024-08-01"
    assert [f.title for f in x.findings] == [f.title for f in extract("\n".join(LINED)).findings]


@pytest.mark.parametrize("at_end", [False, True])
def test_an_attachment_after_the_report_is_not_read_as_its_problems(at_end):
    """附件:整改台账 with the ledger as rows (a Word table read as lines) before or after the
    signature: the report ends before it, so its rows are no problems and its figures are
    not counted twice."""
    body, closing = LINED[:-2], LINED[-2:]
    attachment = ["附件:整改台账", "序号\t反馈问题\t整改措施", "1\t巡林记录不全\t补录记录120条"]
    lines = body + closing + attachment if at_end else body + attachment + closing
    x = extract("\n".join(lines))
    plain = extract("\n".join(LINED))
    assert nodes(x) == nodes(plain)
    assert [(m.value, m.measure_id) for m in x.metrics] == [
        (m.value, m.measure_id) for m in plain.metrics
    ]
    assert x.report.issuer == "中共某县林业局党组"
    assert x.report.publish_date == ("2024-08-01" if at_end else plain.report.publish_date)
