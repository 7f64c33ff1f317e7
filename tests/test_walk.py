"""Every bundled report × every category, status and department filter, through the page
callbacks the app registered (called directly, as Dash calls them), compared with counts made
here in Python from the warehouse's own rows: no error, no NaN, the same numbers.

All of it runs in the slow lane (make test): the fast lane calls the same callbacks on the
seed and a few reports (test_callbacks, test_pages_correct)."""

from __future__ import annotations

import json
import math
import re
import sys
from dataclasses import dataclass, replace

import plotly.utils
import pytest
from conftest import REPORTS_DIR, SAMPLES

from views import vocabulary
from warehouse.db import connect_readonly
from warehouse.filters import Filters

STALE_DEPARTMENT = "已撤销的某某中心"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def walk_db(tmp_path_factory):
    """Every bundled report (the shared openings and the samples) in one warehouse, with the
    app made on it."""
    import shutil

    from dashboard.app import create_app
    from pipeline import load_paths

    db = tmp_path_factory.mktemp("walk") / "w.duckdb"
    files = sorted(REPORTS_DIR.glob("r*.txt")) + sorted(SAMPLES.glob("*.txt"))
    result = load_paths(files, db)
    assert not result.failed and len(result.loaded) == len(files)
    create_app(db)
    yield db
    shutil.rmtree(db.parent, ignore_errors=True)


@dataclass(frozen=True)
class Facts:
    """A report's rows as plain tuples, to count what each filter keeps without the queries."""

    items: list[tuple]  # (category, status, departments)
    measures: list[tuple]  # (category, status, departments)
    figures: list[tuple]  # (indicator, value, category, status, owners); outside any
    # measure, category and status are None


def _facts(con, report: str | None) -> Facts:
    where = "WHERE report_id = $r" if report else "WHERE $r IS NULL"
    items = con.execute(
        f"SELECT category, status, departments FROM item_fact {where}", {"r": report}
    ).fetchall()
    measures = con.execute(
        f"SELECT category, status, departments FROM measure_fact {where}", {"r": report}
    ).fetchall()
    # A figure outside any measure counts too, with no category or status (a category or
    # status filter leaves it out), for the units its own words name.
    figures = con.execute(
        f"""SELECT mt.indicator, mt.value, fm.category, fm.status,
                   CASE WHEN len(coalesce(mt.departments, [])) > 0 THEN mt.departments
                        ELSE coalesce(fm.departments, []) END
            FROM metric mt LEFT JOIN measure_fact fm USING (report_id, measure_id)
            {where.replace("report_id", "mt.report_id")}
              AND (mt.measure_id IS NULL OR fm.measure_id IS NOT NULL)
              AND mt.indicator IS NOT NULL AND mt.role = 'result'""",
        {"r": report},
    ).fetchall()
    return Facts(items, measures, figures)


def _keeps(f: Filters, category, status, departments) -> bool:
    return (
        (not f.category or category == f.category)
        and (not f.status or status == f.status)
        and (not f.department or f.department in departments)
    )


def _filters(con, report: str | None) -> list[Filters]:
    """No filter, each category, each status, each department of the report, one department
    of another report, and one the warehouse never had."""
    own = con.execute(
        "SELECT DISTINCT unnest(departments) FROM measure_fact WHERE report_id = $r OR $r IS NULL",
        {"r": report},
    ).fetchall()
    other = con.execute(
        "SELECT DISTINCT unnest(departments) AS d FROM measure_fact WHERE report_id <> $r "
        "ORDER BY d LIMIT 1",
        {"r": report or ""},
    ).fetchall()
    departments = sorted({d for (d,) in own + other}) + [STALE_DEPARTMENT]
    return [
        Filters(report=report),
        *[Filters(report=report, category=c) for c in vocabulary.categories()],
        *[Filters(report=report, status=s) for s in vocabulary.statuses()],
        *[Filters(report=report, department=d) for d in departments],
    ]


def _page(name: str):
    return sys.modules[f"pages.{name}"]


def _by_id(node, wanted: str):
    """The component with id `wanted` in a layout tree (a component or a list of them)."""
    if isinstance(node, list | tuple):
        return next((f for c in node if (f := _by_id(c, wanted)) is not None), None)
    if getattr(node, "id", None) == wanted:
        return node
    children = getattr(node, "children", None)
    return _by_id(children, wanted) if children is not None else None


def _text(node) -> str:
    if isinstance(node, str | int | float):
        return str(node)
    if isinstance(node, list | tuple):
        return "".join(_text(c) for c in node)
    return _text(getattr(node, "children", None) or "")


def _numbers(text: str) -> list[float]:
    """The numbers in an English text (1,234 or 33.9), in order."""
    found = [float(n.replace(",", "")) for n in re.findall(r"-?\d[\d,]*(?:\.\d+)?", text)]
    assert found, text
    return found


def _number(text: str) -> float:
    return _numbers(text)[0]


def _no_nan(*outputs) -> None:
    body = json.dumps(outputs, cls=plotly.utils.PlotlyJSONEncoder)
    assert not re.search(r"\bNaN\b|\bnan\b|Infinity", body), body[:300]


def _report_ids(db) -> list[str | None]:
    con = connect_readonly(db)
    try:
        return [None] + [
            r for (r,) in con.execute("SELECT report_id FROM report ORDER BY 1").fetchall()
        ]
    finally:
        con.close()


def test_the_walk_covers_every_bundled_report(walk_db):
    assert len(_report_ids(walk_db)) - 1 == len(
        {p.name for p in [*REPORTS_DIR.glob("r*.txt"), *SAMPLES.glob("*.txt")]}
    )


def test_every_report_and_filter_through_the_overview_explorer_and_indicators(walk_db):
    overview, explorer, indicators = _page("overview"), _page("explorer"), _page("indicators")
    con = connect_readonly(walk_db)
    walked = 0
    try:
        for report in _report_ids(walk_db):
            facts = _facts(con, report)
            for f in _filters(con, report):
                search = f.to_search()
                what = f"{report} {search}"
                items = sum(_keeps(f, *row) for row in facts.items)
                measures = sum(_keeps(f, *row) for row in facts.measures)
                # The charts highlight a pick among the rest: completion is drawn across
                # every category and status, the doughnut across every status of the chosen
                # category, the heat map across every department and category.
                open_chart = replace(f, category=None, status=None)
                drawn_items = sum(_keeps(open_chart, *row) for row in facts.items)
                in_category = sum(_keeps(replace(f, status=None), *row) for row in facts.items)
                open_heat = replace(f, department=None, category=None)
                heat = sum(len(row[2]) for row in facts.measures if _keeps(open_heat, *row))
                out = overview.redraw_overview(search, "en", "items")
                _no_nan(*out)
                tiles, completion, status, heatmap, *_rest = out
                assert _numbers(_text(_by_id(tiles, "kpi-items")))[-1] == items, what
                assert _numbers(_text(_by_id(tiles, "kpi-measures")))[-1] == measures, what
                drawn = sum(c[2] for trace in completion["data"] for c in trace["customdata"])
                assert drawn == drawn_items, what
                doughnut = sum(sum(tr.get("values", [])) for tr in status["data"])
                assert doughnut == in_category, what
                # The rate tile and the doughnut's centre say one number.
                if status["data"]:
                    centre = status["layout"]["annotations"][0]["text"].split("</b>")[0][3:]
                    assert centre in _text(_by_id(tiles, "kpi-rate")), what
                # The first layer holds every cell (a pick is drawn again over it).
                cells = heatmap["data"][0]["z"] if heatmap["data"] else []
                assert sum(v or 0 for row in cells for v in row) == heat, what

                _columns, note = explorer.render_frame(search, "en")
                assert _number(_text(note)) == measures, what

                owned: dict[str, float] = {}
                for indicator, value, category, status_id, owners in facts.figures:
                    mine = owners == [f.department] if f.department else True
                    if mine and _keeps(f, category, status_id, owners):
                        owned[indicator] = owned.get(indicator, 0) + value
                listed = indicators.render_list(search, "en")
                _no_nan(listed)
                shown = {
                    item.id["code"]: _number(_text(item.children[1].children[0]))
                    for item in getattr(listed, "children", []) or []
                    if hasattr(item, "id")
                }
                for code, total in owned.items():
                    assert math.isclose(shown[code], total, rel_tol=1e-9), what
                # The sentences behind the first indicator listed: what its total adds up.
                for code in list(shown)[:1]:
                    sources = indicators.render_sources(code, search, "en")
                    _no_nan(sources)
                    if owned.get(code):
                        rows = _by_id(sources, "indicator-sources-table").children[1].children
                        added = sum(
                            _number(_text(r.children[0]))
                            for r in rows
                            if "Shared" not in _text(r.children[0])
                        )
                        assert math.isclose(added, owned[code], rel_tol=1e-9), what
                walked += 1
    finally:
        con.close()
    assert walked > 14 * 12


def test_every_report_and_filter_through_departments_and_meeting(walk_db):
    departments, meeting = _page("departments"), _page("meeting")
    con = connect_readonly(walk_db)
    try:
        for report in _report_ids(walk_db):
            facts = _facts(con, report)
            for f in _filters(con, report):
                search = f.to_search()
                fig, table = departments.render(search, "zh")
                _no_nan(fig, table)
                expected = sum(
                    (1 if f.department else len(row[2]))
                    for row in facts.measures
                    if _keeps(f, *row)
                )
                assert sum(sum(tr["x"]) for tr in fig["data"]) == expected, search
                for index in range(len(meeting.SLIDES)):  # meeting mode gathers it all
                    _no_nan(meeting.render(index, search, "zh"))
    finally:
        con.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_unit_through_the_rounds_page(walk_db, lang):
    from views.rounds import party_organ_suffix
    from warehouse import queries

    rounds = _page("rounds")
    con = connect_readonly(walk_db)
    try:
        units = queries.compared_units(con, party_organ_suffix())
    finally:
        con.close()
    assert len(units) >= 10
    for unit, n in zip(units["unit"], units["n_reports"], strict=True):
        figure, body, pages, page, place = rounds.page_of(unit, None, lang)
        _no_nan(figure, body, place)
        assert pages == page == 1 and f"{n}" in place, unit
        assert len(figure["data"]) == min(n, 6) or not figure["data"], unit
