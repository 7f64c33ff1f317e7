"""Layers point one way: rules → etl → pipeline → warehouse → views → dashboard / exports.
Checked on the source, so a stray import fails here before it tangles the packages."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# What each package may not import (its own layer and those below it are fine).
FORBIDDEN = {
    "etl": {"pipeline", "warehouse", "views", "dashboard", "exports"},
    "warehouse": {"etl", "pipeline", "views", "dashboard", "exports"},
    "pipeline": {"views", "dashboard", "exports"},
    "views": {"pipeline", "dashboard", "exports"},
    "exports": {"dashboard", "pipeline"},
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_no_import_against_the_layers(package):
    wrong = {
        str(path.relative_to(ROOT)): sorted(_imports(path) & FORBIDDEN[package])
        for path in (ROOT / package).rglob("*.py")
    }
    assert {k: v for k, v in wrong.items() if v} == {}


def test_the_check_sees_a_wrong_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from dashboard.i18n import t\nimport warehouse.db\n", encoding="utf-8")
    assert _imports(bad) == {"dashboard", "warehouse"}
