"""Figures attributed to the right department: a figure whose own words name a unit counts
for that unit, not for every unit of its measure; a department filter's indicator totals are
the figures it owns alone, and the ones it shares are kept apart (and marked)."""

from __future__ import annotations

import pytest

from etl.extract import extract
from etl.normalize import fold
from warehouse import queries
from warehouse.filters import Filters

STUDY = "study_sessions"
ENFORCEMENT = "区城市综合行政执法支队"
GARDEN = "区园林绿化服务中心"


def _departments(text: str) -> list[list[str]]:
    """Each figure's own units, for a made-up report of one measure."""
    report = (
        "区城市管理委党委关于巡察整改进展情况的通报\n"
        "一、关于“理论学习不深入”的问题\n"
        "1.关于“学习不经常”的问题。" + text + "\n"
    )
    return [m.departments for m in extract(report).metrics]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Each clause names its own unit: each figure is that unit's.
        (
            "区城市管理执法支队组织学习32次,区园林绿化中心组织学习24次。",
            [[ENFORCEMENT], [GARDEN]],
        ),
        # The subject is said once, clauses before the figure.
        ("区园林绿化中心牵头,全年组织专题培训12次。", [[GARDEN]]),
        # Two units in the figure's clause: the figure is theirs together.
        ("区园林绿化中心和区城市管理执法支队共开展演练6次。", [[GARDEN, ENFORCEMENT]]),
        # No unit named in the sentence: it counts for its measure's units (none of its own).
        ("全年组织专题培训12次。", [[]]),
    ],
)
def test_a_figure_belongs_to_the_units_its_own_words_name(text, expected):
    assert _departments(fold(text)) == expected


def test_the_seed_study_sessions_go_to_the_unit_their_clause_names(seed_extraction):
    measures = {m.id: m for m in seed_extraction.measures}
    studies = [mt for mt in seed_extraction.metrics if mt.indicator == STUDY and mt.value == 32]
    assert len(studies) == 1
    assert studies[0].departments == [ENFORCEMENT]
    assert len(measures[studies[0].measure_id].departments) == 3  # the measure names three


def _owned_by_sentence(extraction, department: str) -> tuple[float, float]:
    """From the extraction alone: (the indicator figures' sum a department owns — its own
    words name that unit alone, or name none and its measure's sole unit is that one —, the
    sum it shares — several units, it among them), per indicator, for the seed."""
    measures = {m.id: m for m in extraction.measures}
    owned: dict[str, float] = {}
    shared: dict[str, float] = {}
    for mt in extraction.metrics:
        if not mt.indicator or mt.role != "result" or mt.measure_id is None:
            continue
        owners = mt.departments or measures[mt.measure_id].departments
        if owners == [department]:
            owned[mt.indicator] = owned.get(mt.indicator, 0) + float(mt.value)
        elif department in owners:
            shared[mt.indicator] = shared.get(mt.indicator, 0) + float(mt.value)
    return owned, shared


@pytest.mark.parametrize("text", [None, "。"])  # through the rollup, and through the facts
def test_department_indicator_totals_equal_the_figures_its_sentences_give_it(
    con, seed_extraction, text
):
    departments = con.execute("SELECT name FROM department WHERE kind = 'internal'").fetchall()
    assert len(departments) >= 4
    for (department,) in departments:
        owned, shared = _owned_by_sentence(seed_extraction, department)
        f = Filters(department=department, q=text)
        totals = queries.filtered_indicator_totals(con, f).set_index("code")
        got_owned = {c: r.total for c, r in totals.iterrows() if r.n_metrics}
        got_shared = {c: r.shared_total for c, r in totals.iterrows() if r.n_shared}
        if text:  # the facts path keeps measures whose text holds the searched words
            assert set(got_owned) <= set(owned)
            continue
        assert got_owned == pytest.approx(owned), department
        assert got_shared == pytest.approx(shared), department


def test_garden_centre_no_longer_counts_the_enforcement_units_study_sessions(con, seed_extraction):
    garden = queries.filtered_indicator_totals(con, Filters(department=GARDEN)).set_index("code")
    assert garden.loc[STUDY, "total"] == 24  # not 24 + 32 + 3
    assert garden.loc[STUDY, "shared_total"] == 3  # with the 市容市政 centre, marked apart
    enforcement = queries.filtered_indicator_totals(con, Filters(department=ENFORCEMENT))
    assert enforcement.set_index("code").loc[STUDY, "total"] == 32
    sources = queries.indicator_sources(con, Filters(department=GARDEN), STUDY)
    assert sorted(zip(sources["value"], sources["shared"], strict=True)) == [
        (3, True),
        (24, False),
    ]
    # Unfiltered, every figure counts once.
    everyone = queries.filtered_indicator_totals(con, Filters()).set_index("code")
    assert everyone.loc[STUDY, "total"] == sum(
        float(mt.value)
        for mt in seed_extraction.metrics
        if mt.indicator == STUDY and mt.role == "result" and mt.measure_id
    )
