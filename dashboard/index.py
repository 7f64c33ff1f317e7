"""The page Dash serves first, made lighter: two script bundles every page paid for and few
need. Measured in Debian's chromium on the overview's first load (benchmarks/dashboard.py):

- Babel's polyfill (core-js 2 and regenerator, 100 kB), which Dash puts before everything
  else, cost about 200 ms: its own evaluation, and slower built-ins it swaps in (core-js 2
  replaces the native `trim`, for one). Browsers from Chromium 69 on (2018) have every
  built-in it provides; what the components still need from it is the regenerator runtime
  their transpiled async code calls. So modern browsers get only that runtime (vendored in
  assets/), and an older browser, failing a feature test, is written the full polyfill
  exactly where Dash had put it, so nothing loads out of order.
- dash-ag-grid's bundle (1.3 MB) cost about 120 ms, for the one page that shows a grid. It is
  left out of the index and loaded when a grid is first drawn (assets/lazy-grid.js).
"""

from __future__ import annotations

import json
import re

REGENERATOR_ASSET = "regenerator-runtime.js"
REGENERATOR_VERSION = "0.14.1"  # assets/README.md says where it came from
_POLYFILL_TAG = re.compile(r'<script src="(?P<src>[^"]*/polyfill@[^"]+\.js)"></script>')

# What core-js 2 adds that browsers before Chromium 69 lack; all of them present means the
# browser has every built-in the polyfill would give.
_MODERN_TEST = (
    "window.Promise && Promise.prototype.finally && Object.entries && Array.prototype.flat"
    " && String.prototype.padStart && window.Symbol && Symbol.asyncIterator"
)


def _inline_json(value) -> str:
    """JSON to write inside an inline <script>: "<\\/" so that the HTML parser does not take
    a closing tag in a string for the script's own."""
    return json.dumps(value).replace("</", "<\\/")


class PolyfillNotFound(RuntimeError):
    """Dash no longer writes the polyfill tag this module replaces (a Dash upgrade)."""


def skip_polyfill_for_modern_browsers(scripts: str, regenerator_url: str) -> str:
    """The index's script tags with Dash's polyfill loaded only where a feature test fails."""
    match = _POLYFILL_TAG.search(scripts)
    if match is None:
        raise PolyfillNotFound("Dash's index has no polyfill script tag to replace")
    fallback = _inline_json(f'<script src="{match["src"]}"></script>')
    loader = (
        f"<script>if (!({_MODERN_TEST})) document.write({fallback});</script>\n"
        f'<script src="{regenerator_url}?v={REGENERATOR_VERSION}"></script>'
    )
    return scripts[: match.start()] + loader + scripts[match.end() :]


_GRID_TAG = re.compile(
    r'<script src="(?P<src>[^"]*/dash_ag_grid/dash_ag_grid\.[^"]+\.js)"></script>\n?'
)


class GridBundleNotFound(RuntimeError):
    """Dash no longer writes dash-ag-grid's script tag as this module expects (an upgrade)."""


def defer_grid_bundle(scripts: str) -> str:
    """The index's script tags without dash-ag-grid's bundle, whose address is left in
    window.rectifyPage for assets/lazy-grid.js to load when a grid is first drawn."""
    match = _GRID_TAG.search(scripts)
    if match is None:
        raise GridBundleNotFound("Dash's index has no dash-ag-grid script tag to defer")
    page = _inline_json({"gridSrc": match["src"]})
    flags = f"<script>window.rectifyPage = {page};</script>\n"
    return flags + scripts[: match.start()] + scripts[match.end() :]
