"""Rounds compared: two rounds of one unit (the seed, and the seed as a later report with two
measures set back and a new date) side by side on a real warehouse."""

from __future__ import annotations

import pytest
from conftest import SEED

from pipeline import load_paths
from views import figures, rounds
from warehouse import queries
from warehouse.db import connect_readonly

CHANGED = {  # old wording → new wording: each sets one completed measure back to in progress
    "已整改解决市级三批次221处": "正在整改解决市级三批次221处",
    "2024年完成房产拍卖2处,完成出租30套": "2024年正在推进房产拍卖2处、出租30套",
}


@pytest.fixture()
def two_rounds(tmp_path):
    seed = SEED.read_text(encoding="utf-8")
    later = seed.replace("第八轮", "第九轮").replace("2025年5月20日", "2025年11月20日")
    for old, new in CHANGED.items():
        assert old in later
        later = later.replace(old, new)
    (tmp_path / "round9.txt").write_text(later, encoding="utf-8")
    (tmp_path / "round8.txt").write_text(seed, encoding="utf-8")
    db = tmp_path / "w.duckdb"
    assert not load_paths([tmp_path / "round9.txt", tmp_path / "round8.txt"], db).failed
    con = connect_readonly(db)
    yield con
    con.close()


def test_units_and_rounds_in_time_order(two_rounds):
    units = queries.compared_units(two_rounds, rounds.party_organ_suffix())
    assert units.iloc[0]["unit"] == "区城市管理委" and units.iloc[0]["n_reports"] == 2
    frame = queries.unit_rounds(two_rounds, "区城市管理委", rounds.party_organ_suffix())
    assert [str(d)[:10] for d in frame["publish_date"]] == ["2025-05-20", "2025-11-20"]
    assert list(frame["round"]) == ["四届区委第八轮巡察", "四届区委第九轮巡察"]
    assert list(frame["items"]) == [29, 29]


def test_status_changes_and_recurring_problems(two_rounds):
    frame = queries.unit_rounds(two_rounds, "区城市管理委", rounds.party_organ_suffix())
    order = list(frame["report_id"])
    changes = rounds.status_changes(queries.rounds_measures(two_rounds, order), order)
    assert list(changes["measure_after"]) == ["M8", "M10"]
    assert set(changes["status_before"]) == {"completed"}
    assert set(changes["status_after"]) == {"in_progress"}
    assert (changes["report_before"] == order[0]).all()
    recurring = rounds.recurring_problems(queries.rounds_problems(two_rounds, order), order)
    problems = queries.rounds_problems(two_rounds, order[1:])
    assert len(recurring) == len(problems) > 20  # the same report again: every problem recurs
    assert (recurring["title_before"] == recurring["title_after"]).all()
    shares = rounds.completion_shares(queries.rounds_completion(two_rounds, order))
    by = shares.set_index(["report_id", "category"])
    assert by.loc[(order[0], "party_building"), "items"] == 18
    figure = figures.rounds_completion(shares, {order[0]: "八", order[1]: "九"})
    assert [trace["name"] for trace in figure["data"]] == ["八", "九"]
    assert figure["layout"]["barmode"] == "group"


def test_similarity_ignores_shared_wording():
    assert rounds.similarity("关于“落实主体责任有缺失”的问题", "落实主体责任有缺失") == 1.0
    assert rounds.similarity("燃气安全隐患排查不彻底", "干部队伍作风建设有差距") < 0.2
    assert rounds.similarity("", "任何") == 0.0


def test_reconciliation_flags_only_stated_differences():
    import pandas as pd

    frame = pd.DataFrame(
        {
            "report_id": ["a", "b"],
            "stated_problems": [18, None],
            "stated_completed": [17, None],
            "stated_in_progress": [1, None],
            "items": [18, 5],
            "items_completed": [15, 2],
            "items_in_progress": [3, 3],
        }
    )
    out = rounds.reconciliation(frame).set_index(["report_id", "total"])
    assert out.loc[("a", "problems"), "mismatch"] == False  # noqa: E712 (numpy bool)
    assert out.loc[("a", "completed"), "mismatch"] == True  # noqa: E712
    assert out.loc[("a", "completed"), "counted"] == 15
    assert not out.loc["b"]["mismatch"].any()  # nothing stated, nothing to flag


def test_every_similarity_rule_example_is_taken_for_one():
    from etl.rules import read_rule_files

    raw = read_rule_files()["compare"]
    for rule in raw["similarity"]:
        assert rule["id"] and rule["description"]
        first, second = rule["example"]
        assert rounds.similarity(first, second) >= rounds.threshold(rule["id"])
    assert raw["boilerplate"]["example"] and raw["boilerplate"]["description"]
