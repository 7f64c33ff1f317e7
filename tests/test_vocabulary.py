"""One vocabulary: a category or a status added to the rule files loads, charts, filters,
exports and translates with no code change; and every view lists them in the rules' order."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import SEED

from etl.rules import RULES_DIR

# Run in a process of its own: the rules are read once per process.
SCRIPT = r"""
import io, json, sys
from pathlib import Path
import openpyxl
from pptx import Presentation
from pipeline import load_paths
from warehouse.db import connect_readonly
from warehouse.filters import Filters
from views import figures, vocabulary
from views.overview import gather_overview
from views.export import gather_for
from exports.deck import build_deck
from exports.tables import to_xlsx

db = Path(sys.argv[2])
result = load_paths([sys.argv[1]], db)
assert not result.failed, result.failed
con = connect_readonly(db)
out = {"categories": list(vocabulary.categories()), "statuses": list(vocabulary.statuses())}
o = gather_overview(con, Filters())
out["counted_categories"] = sorted(set(o.completion_measures["category"]))
out["counted_statuses"] = sorted(set(o.completion_measures["status"]))
out["item_categories"] = sorted(set(o.completion_items["category"]))
for lang in ("zh", "en"):
    fig = figures.completion_by_category(o.completion_measures, lang)
    out[f"chart_{lang}"] = sorted({y for trace in fig["data"] for y in trace["y"]})  # categories
    out[f"legend_{lang}"] = sorted(trace["name"] for trace in fig["data"])
    deck = Presentation(io.BytesIO(build_deck(gather_for("deck", con, Filters(), lang))))
    out[f"deck_{lang}"] = sorted(
        {
            str(c)
            for slide in deck.slides
            for shape in slide.shapes
            if shape.has_chart
            for plot in shape.chart.plots
            for c in plot.categories
        }
        | {
            s.name
            for slide in deck.slides
            for shape in slide.shapes
            if shape.has_chart
            for s in shape.chart.series
        }
    )
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(gather_for("xlsx", con, Filters(), lang))))
    out[f"xlsx_{lang}"] = sorted(
        {str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row if v}
    )
only = gather_overview(con, Filters(category="environment"))
out["filtered_measures"] = only.kpis["measures"]
print(json.dumps(out, ensure_ascii=False))
"""


def _rules_with(tmp_path: Path, edit) -> Path:
    folder = tmp_path / "rules"
    shutil.copytree(RULES_DIR, folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    edit(folder)
    return folder


def _edit_yaml(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _add_environment_and_verifying(folder: Path) -> None:
    def category(data):
        data["categories"].append(
            {
                "id": "environment",
                "zh": "生态环境",
                "en": "Environment",
                "colour": "#2a9d8f",
                "description": "green space and ecology",
                "example": "园林绿化养护",
                # 精细化管理 and 人民为中心 reach two items' titles; 园林/绿化 many measures.
                "keywords": {"园林": 6, "绿化": 6, "生态": 6, "精细化管理": 9, "人民为中心": 9},
            }
        )

    def status(data):
        data["statuses"].insert(
            1,
            {
                "id": "verifying",
                "zh": "待验收",
                "en": "Awaiting sign-off",
                "colour": "#8e44ad",
                "badge": "info",
                "done": False,
                "open": True,
                "description": "done, waiting for the check",
                "example": "督查",
            },
        )
        data["rules"].insert(
            0,
            {
                "id": "verifying",
                "status": "verifying",
                "description": "a check under way",
                "patterns": ["督查"],
                "example": "开展专项督查",
            },
        )

    _edit_yaml(folder / "taxonomy.yaml", category)
    _edit_yaml(folder / "status.yaml", status)


@pytest.mark.slow
def test_a_fifth_category_and_a_new_status_flow_through_every_view(tmp_path):
    rules = _rules_with(tmp_path, _add_environment_and_verifying)
    env = {"RECTIFY_RULES_DIR": str(rules), "PATH": "/usr/bin:/bin"}
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(SEED), str(tmp_path / "w.duckdb")],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["categories"][-1] == "environment" and out["statuses"][1] == "verifying"
    assert "environment" in out["counted_categories"] and "verifying" in out["counted_statuses"]
    assert "environment" in out["item_categories"]
    assert "生态环境" in out["chart_zh"] and "Environment" in out["chart_en"]
    assert "待验收" in out["legend_zh"] and "Awaiting sign-off" in out["legend_en"]
    # The deck counts items, whose status is derived (a new open status reads as in progress
    # there, by the spec's rule); the workbook lists every measure with its own status.
    assert "生态环境" in out["deck_zh"] and "Environment" in out["deck_en"]
    assert {"生态环境", "待验收"} <= set(out["xlsx_zh"])
    assert {"Environment", "Awaiting sign-off"} <= set(out["xlsx_en"])
    assert out["filtered_measures"] > 0


def test_views_list_the_vocabulary_in_the_rules_order():
    from views import vocabulary

    assert vocabulary.categories() == ("governance", "safety", "party_building", "assets")
    assert vocabulary.statuses()[-1] == "unknown"
    assert vocabulary.status_label("unknown", "zh") == "未明确"
    assert vocabulary.status_label("unknown", "en") == "Unknown"
    assert vocabulary.done_statuses() == ("completed",)
    assert vocabulary.category_label("no_such", "zh") == "no_such"
