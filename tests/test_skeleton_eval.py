"""`rectify eval` scores the skeleton: node precision and recall by level against the gold's
`skeleton` lists, and the public report openings meet the targets."""

from __future__ import annotations

import pytest
from conftest import REPORTS_DIR

from etl.evaluate import evaluate, gold_nodes, keys_agree, node_key, render, render_total
from etl.extract import extract
from etl.reader import read_document


@pytest.mark.parametrize(
    "title,key",
    [
        ("关于“妨碍公平竞争问题仍然存在,侵害消费者", "妨碍公平竞争问题"),
        ("妨碍公平竞争问题仍然存在", "妨碍公平竞争问题"),
        ("针对《党委(党组)工作规则》执行不严的问题", "党委党组工作规则"),
        ("  学习 方式 规范化。制定", "学习方式规范化制"),
        ("（一）ＡＢ「关于」", "一AB关于"),
    ],
)
def test_node_keys_fold_and_drop_punctuation_quotes_and_a_leading_关于(title, key):
    assert node_key(title) == key


def test_keys_agree_on_eight_characters_or_a_short_title_that_starts_the_other():
    assert keys_agree("妨碍公平竞争问题", "妨碍公平竞争问题")
    assert not keys_agree("妨碍公平竞争问题", "妨碍公平竞争行为")
    assert keys_agree(node_key("理论学习不深入"), node_key("关于理论学习不深入的问题"))
    assert not keys_agree("学习", "学习不深入的问题")  # too short to say


def test_nodes_by_level_with_optional_gold():
    gold = {
        "report": {},
        "skeleton": [
            {"level": "measure", "title": "局党组高度重视", "optional": True},
            {"level": "problem", "title": "关于“学习不深入问题依然存在”问题"},
            {"level": "measure", "title": "制定学习计划,开展集中学习"},
            {"level": "problem", "title": "关于“资金管理不规范情况突出”问题"},
        ],
    }
    pred = {
        "report": {},
        "findings": [
            {"level": "problem", "title": "学习不深入问题依然存在"},
            {"level": "area", "title": "资金管理不规范情况突出"},
        ],
        "measures": [{"text": "局党组高度重视整改"}, {"text": "制定学习计划,开展集中学习12次"}],
        "metrics": [],
    }
    s = evaluate(pred, gold)
    assert s.nodes["problem"] == [1, 1, 2]
    assert s.nodes["measure"] == [1, 1, 1]  # the optional one counts neither way
    assert s.nodes["area"] == [0, 1, 0]
    p, r, f = s.node_scores()
    assert (p, r) == (2 / 3, 2 / 3) and f == pytest.approx(2 / 3)
    assert s.missed_nodes == [("problem", "关于“资金管理不规范情况突出”问题")]
    text = render(s, "x.txt")
    assert "skeleton nodes" in text and "  problem" in text and "missed node" in text
    assert render_total([s, s]).splitlines()[0].startswith("total")


def test_the_seed_gold_gives_its_skeleton_nodes(seed_gold, seed_extraction):
    nodes = gold_nodes(seed_gold)
    assert len(nodes) == len(seed_gold["findings"]) + len(seed_gold["measures"]) == 122
    s = evaluate(seed_extraction.to_dict(), seed_gold)
    assert s.node_scores() == (1.0, 1.0, 1.0)


def test_public_openings_meet_the_targets(reports_index):
    """Skeleton F1 ≥ 0.95 and header fields ≥ 0.95 over the openings, stated totals exact."""
    scores = []
    for entry in reports_index:
        if "skeleton" not in entry:
            continue
        pred = extract(read_document(REPORTS_DIR / entry["file"]).text).to_dict()
        s = evaluate(pred, entry)
        assert s.totals_ok == s.totals_total, (entry["file"], s.totals_misses)
        scores.append(s)
    if not scores:
        pytest.skip("the openings' gold has no skeleton lists")
    tp = sum(sum(s.nodes[lv][0] for lv in s.nodes) for s in scores)
    pred = sum(sum(s.nodes[lv][1] for lv in s.nodes) for s in scores)
    gold = sum(sum(s.nodes[lv][2] for lv in s.nodes) for s in scores)
    precision, recall = tp / pred, tp / gold
    assert 2 * precision * recall / (precision + recall) >= 0.95
    header = sum(s.header_ok for s in scores) / sum(s.header_total for s in scores)
    assert header >= 0.95
