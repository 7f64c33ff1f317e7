"""Shared fixtures: the seed, its gold, the report openings, and real DuckDB warehouses."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

# One DuckDB thread per connection: xdist runs one test process per core already, and two
# threads each on two cores only make the workers wait on each other.
os.environ.setdefault("RECTIFY_DB_THREADS", "1")

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SAMPLES = ROOT / "data" / "samples"


def _pick(shared: Path, bundled: Path) -> Path:
    """Prefer ../shared (the annotators' current copy); a fresh clone alone has the bundled one."""
    return shared if shared.exists() else bundled


SEED = _pick(SHARED / "seeds" / "000_ea4a386f79e332ee.txt", SAMPLES / "000_ea4a386f79e332ee.txt")
SEED_GOLD = _pick(SHARED / "gold" / "seed.gold.json", ROOT / "data" / "gold" / "seed.gold.json")
REPORTS_DIR = _pick(SHARED / "reports", SAMPLES)
REPORTS_INDEX = _pick(SHARED / "reports" / "index.json", SAMPLES / "reports-index.json")


def loaded_indicator_totals(folder: Path, text: str, name: str = "通报.txt"):
    """Each key indicator's total (warehouse.queries.filtered_indicator_totals, by code) after
    a real load of `text` saved as `name` in `folder` into a warehouse there."""
    from pipeline import load_paths
    from warehouse import queries
    from warehouse.db import connect_readonly
    from warehouse.filters import Filters

    path = folder / name
    path.write_text(text, encoding="utf-8")
    db = folder / "w.duckdb"
    assert not load_paths([path], db).failed
    con = connect_readonly(db)
    try:
        return queries.filtered_indicator_totals(con, Filters()).set_index("code")
    finally:
        con.close()


@pytest.fixture(scope="session")
def seed_text() -> str:
    """The seed's plain text (what `rectify text` prints; page furniture dropped)."""
    from etl.reader import read_document

    return read_document(SEED).text


@pytest.fixture(scope="session")
def seed_gold() -> dict:
    return json.loads(SEED_GOLD.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def reports_index() -> list[dict]:
    return json.loads(REPORTS_INDEX.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def seed_extraction(seed_text):
    from etl.extract import extract

    return extract(seed_text)


@pytest.fixture(scope="session")
def _seed_db_template(tmp_path_factory) -> Path:
    from pipeline import load_paths

    db = tmp_path_factory.mktemp("seed") / "w.duckdb"
    result = load_paths([SEED], db)
    assert not result.failed
    return db


@pytest.fixture()
def seed_db(tmp_path, _seed_db_template) -> Path:
    """A real warehouse file holding the seed (a copy of one loaded once per session, so each
    test may change its own)."""
    import shutil

    db = tmp_path / "w.duckdb"
    shutil.copyfile(_seed_db_template, db)
    return db


@pytest.fixture(scope="session")
def con(_seed_db_template):
    """A read-only connection to the seed warehouse, as the dashboard and exports hold one.
    One per session: DuckDB refuses it any write, so no test can change what the next reads
    (a test that writes takes `seed_db`, its own copy)."""
    from warehouse.db import connect_readonly

    c = connect_readonly(_seed_db_template)
    yield c
    c.close()
