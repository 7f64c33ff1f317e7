"""What a first visit loads: the index page's scripts (no Babel polyfill for modern browsers,
no grid bundle before a grid is shown) and the overview drawn with its routing request. The
same in Debian's chromium: tests/test_dashboard.py, test_first_visit_… and test_a_browser_…"""

from __future__ import annotations

import json
import re

import pytest
from test_dashboard import GARDEN

from dashboard.app import create_app
from dashboard.index import (
    GridBundleNotFound,
    PolyfillNotFound,
    defer_grid_bundle,
    skip_polyfill_for_modern_browsers,
)
from warehouse import queries
from warehouse.db import connect_readonly
from warehouse.filters import Filters

POLYFILL = '<script src="/_dash-component-suites/dash/deps/polyfill@7.v4m1.12.1.min.js"></script>'
GRID = '<script src="/_dash-component-suites/dash_ag_grid/dash_ag_grid.v35m1.min.js"></script>\n'
REACT = '<script src="/_dash-component-suites/dash/deps/react@18.v4m1.3.1.min.js"></script>'


def test_modern_browsers_get_the_regenerator_runtime_in_the_polyfill_place():
    scripts = skip_polyfill_for_modern_browsers(POLYFILL + "\n" + REACT, "/assets/rr.js")
    loader, runtime, react = scripts.splitlines()
    # The polyfill is only written by the feature test, escaped so the parser keeps the string.
    assert loader.startswith("<script>if (!(window.Promise && Promise.prototype.finally")
    assert 'document.write("<script src=\\"/_dash-component-suites/dash/deps/polyfill@' in loader
    assert "<\\/script>" in loader and loader.count("</script>") == 1
    assert runtime == '<script src="/assets/rr.js?v=0.14.1"></script>'
    assert react == REACT  # the order of everything after is unchanged
    with pytest.raises(PolyfillNotFound):
        skip_polyfill_for_modern_browsers(REACT, "/assets/rr.js")


def test_grid_bundle_leaves_the_index_and_its_address_stays():
    scripts = defer_grid_bundle(REACT + "\n" + GRID + REACT)
    flags, first, second = scripts.splitlines()
    page = json.loads(re.fullmatch(r"<script>window.rectifyPage = (.*);</script>", flags)[1])
    assert page == {"gridSrc": "/_dash-component-suites/dash_ag_grid/dash_ag_grid.v35m1.min.js"}
    assert first == second == REACT
    with pytest.raises(GridBundleNotFound):
        defer_grid_bundle(REACT)


def test_served_index_loads_neither_bundle_and_still_serves_the_grid(seed_db):
    client = create_app(seed_db).server.test_client()
    index = client.get("/explorer?department=x").get_data(as_text=True)
    tags = re.findall(r'<script src="([^"]+)"', index)
    assert not [t for t in tags if "polyfill@" in t or "dash_ag_grid" in t]
    assert any(t.startswith("/assets/regenerator-runtime.js") for t in tags)
    grid_src = json.loads(re.search(r"window.rectifyPage = (.*?);</script>", index)[1])["gridSrc"]
    served = client.get(grid_src)
    assert served.status_code == 200 and b"dash_ag_grid" in served.data
    assert client.get("/assets/lazy-grid.js").status_code == 200


def test_overview_layout_is_drawn_with_the_query_it_routes_with(seed_db):
    """The routing request brings the whole overview: tiles and figures for the URL's filters,
    and the timeline of a chosen report."""
    import sys

    create_app(seed_db)
    overview = next(m for k, m in sys.modules.items() if k.endswith("pages.overview"))
    con = connect_readonly(seed_db)
    report = con.execute("SELECT report_id FROM report").fetchone()[0]
    expected = int(queries.completion(con, Filters(department=GARDEN), "items")["n"].sum())
    con.close()

    def graphs(component, found):
        if getattr(component, "figure", None) is not None:
            found[component.id] = component.figure
        children = getattr(component, "children", None)
        for child in children if isinstance(children, list) else [children]:
            if child is not None and not isinstance(child, str):
                graphs(child, found)
        return found

    drawn = graphs(overview.layout(lang="en", department=GARDEN), {})
    counts = [c[2] for tr in drawn["chart-completion"]["data"] for c in tr["customdata"]]
    assert sum(counts) == expected
    assert drawn["chart-status"]["data"][0]["type"] == "pie"
    assert "Completion rate by category" in json.dumps(drawn["chart-completion"]["layout"]["title"])
    with_report = graphs(overview.layout(lang="zh", report=report), {})
    assert {tr["type"] for tr in with_report["chart-timeline"]["data"]} == {"scatter"}


def test_shell_arrives_labelled_in_the_language_of_the_cookie(seed_db):
    client = create_app(seed_db).server.test_client()

    def layout_text() -> str:
        return json.dumps(client.get("/_dash-layout").get_json(), ensure_ascii=False)

    chinese = layout_text()
    assert "总览" in chinese and "问题清单" in chinese and "Overview" not in chinese
    client.set_cookie("rectify_lang", "en")
    english = layout_text()
    assert "Overview" in english and "Explorer" in english and "总览" not in english
    assert '"id": "lang-store"' in english and '"data": "en"' in english
    client.set_cookie("rectify_lang", "<script>")  # anything else is Chinese
    assert "总览" in layout_text()


def test_the_first_layout_carries_the_page_arrived_on(seed_db):
    """The layout request names its page (Referer): the page comes drawn inside it, with both
    location components set to the address, so nothing is routed a second time."""
    client = create_app(seed_db).server.test_client()

    def layout(referrer: str | None) -> dict:
        headers = {"Referer": referrer} if referrer else {}
        return client.get("/_dash-layout", headers=headers).get_json()

    def find(node, wanted: str):
        if isinstance(node, dict):
            if node.get("props", {}).get("id") == wanted:
                return node["props"]
            for value in node.get("props", {}).values():
                found = find(value, wanted)
                if found is not None:
                    return found
        elif isinstance(node, list):
            for item in node:
                found = find(item, wanted)
                if found is not None:
                    return found
        return None

    search = "?department=" + GARDEN
    arrived = layout("http://localhost/" + search)
    for location in ("_pages_location", "url"):
        props = find(arrived, location)
        assert (props["pathname"], props["search"], props["hash"]) == ("/", search, "")
    assert find(arrived, "kpi-row") is not None and find(arrived, "chart-completion")["figure"]
    assert find(arrived, "_pages_store")["data"]["title"]

    # A query of its own named like a routing state does not clash with it.
    assert find(layout("http://localhost/explorer?lang=fr&x=1"), "measures-grid") is not None

    for elsewhere in (None, "http://other.example/" + search):
        plain = layout(elsewhere)
        assert find(plain, "kpi-row") is None
        assert "pathname" not in find(plain, "_pages_location")  # routed as usual
    # An address of this site with no page arrives with the not-found page.
    missing = layout("http://localhost/no-such-page")
    assert find(missing, "kpi-row") is None and find(missing, "not-found") is not None
    assert find(missing, "_pages_location")["pathname"] == "/no-such-page"
