"""Every chart of an export as PNG (3x on a 16:9 canvas) and SVG, rendered server-side by
kaleido in Debian's chromium. One renderer is started per process and kept warm (~0.2 s per
image instead of ~2.5 s for a cold start); a machine with no browser, or with no Chinese
font (the labels would come out as boxes), gets a clear message.

The renderer never hangs its caller: the browser's start and every image are bounded by a
timeout, and a browser that does not answer in time is killed with its whole process group
(kaleido's wrapper, chromium and its helpers), so nothing is left behind.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import io
import logging
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import zipfile
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path

from views import figures
from views.export import ExportContent, file_name
from views.i18n import t

PLOTLY_BUNDLE = Path(__file__).resolve().parent.parent / "assets" / "plotly-rectify.min.js"
WIDTH, HEIGHT, SCALE = 1280, 720, 3  # 16:9; PNG comes out 3840 x 2160
TIMEOUT = 90  # seconds for the browser to start, and for each image
IMAGE_DEPARTMENTS = 18
BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
FONT_PACKAGE = "fonts-noto-cjk"
# kaleido and choreographer log their own warnings (a browser closed by its watchdog):
# they go where the application sends its logs, never straight to a user's terminal.
for _name in ("kaleido", "choreographer", "logistro"):
    logging.getLogger(_name).addHandler(logging.NullHandler())


class ImagesUnavailable(RuntimeError):
    """Images cannot be rendered here (no browser, no Chinese font, or no answer in time)."""


def browser_path() -> str | None:
    """The browser kaleido will drive: $BROWSER_PATH if set, else the first one on PATH."""
    configured = os.environ.get("BROWSER_PATH")
    if configured:
        return configured if os.access(configured, os.X_OK) else None
    for name in BROWSER_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if os.access("/usr/bin/chromium", os.X_OK) else None


_fonts_found = False


def check_fonts() -> None:
    """ImagesUnavailable when fontconfig knows no font for Chinese (`fc-list :lang=zh`)."""
    global _fonts_found
    fc_list = shutil.which("fc-list")
    if _fonts_found or fc_list is None:  # without fontconfig's tool there is no asking
        return
    try:
        found = subprocess.run(
            [fc_list, ":lang=zh", "family"], capture_output=True, text=True, timeout=30
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return
    if not found:
        raise ImagesUnavailable(
            "no Chinese font is installed, so the charts' labels would come out as boxes: "
            f"install {FONT_PACKAGE} (sudo apt install {FONT_PACKAGE}), then try again"
        )
    _fonts_found = True


class _Renderer:
    """One kaleido (one headless chromium) driven from a thread of its own, with its own
    event loop; every call waits at most `timeout` seconds. Its page and the browser's
    profile live in one temporary folder of its own, removed when it closes."""

    def __init__(self):
        self.folder = Path(tempfile.mkdtemp(prefix="rectify-charts-"))
        self.loop = asyncio.new_event_loop()
        # What fails in here reaches the caller through its future (or was given up on
        # after a timeout): nothing is printed from the loop.
        self.loop.set_exception_handler(lambda _loop, _context: None)
        self.thread = threading.Thread(target=self.loop.run_forever, name="kaleido", daemon=True)
        self.thread.start()
        self.kaleido = None

    def _call(self, coroutine, timeout: float):
        future = asyncio.run_coroutine_threadsafe(coroutine, self.loop)
        try:
            return future.result(timeout)
        except FutureTimeout:
            future.cancel()
            raise

    def open(self, timeout: float) -> None:
        import kaleido

        # mathjax=False: kaleido would otherwise fetch MathJax from a CDN; nothing leaves
        # here. plotly: the dashboard's own bundle (tools/plotly-bundle); kaleido reloads
        # its page after every image, and a third of the script to parse makes each image
        # about twice as fast.
        page = self.folder / "index.html"
        page.write_text(
            kaleido.PageGenerator(plotly=str(PLOTLY_BUNDLE), mathjax=False).generate_index(),
            encoding="utf-8",
        )

        async def opening():
            self.kaleido = kaleido.Kaleido(
                n=1, timeout=timeout, page_generator=str(page), tmp_dir=str(self.folder)
            )
            await self.kaleido.open()

        self._call(opening(), timeout)

    def render(self, figure: dict, opts: dict, timeout: float) -> bytes:
        return self._call(self.kaleido.calc_fig(figure, opts=opts), timeout)

    def close(self, polite: bool = True) -> None:
        """Stop the browser: asked to close for a moment when `polite`, then its process
        group killed (kaleido's wrapper, chromium and its helpers); then the loop stopped
        and the folder removed. Safe on a renderer that never started or that hangs."""
        browser = getattr(self.kaleido, "subprocess", None)
        if polite and browser is not None and browser.poll() is None:
            with contextlib.suppress(Exception):
                self._call(self.kaleido.close(), 5)
        if browser is not None:
            # choreographer starts it in a session of its own: its group is all of it.
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(browser.pid, signal.SIGKILL)
            with contextlib.suppress(subprocess.TimeoutExpired):
                browser.wait(timeout=5)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=5)
        shutil.rmtree(self.folder, ignore_errors=True)


_lock = threading.Lock()
_renderer: _Renderer | None = None


def render(figure: dict, fmt: str = "png", timeout: float | None = None) -> bytes:
    """One figure (a plain Plotly dict) as PNG or SVG bytes; ImagesUnavailable when the
    browser cannot be found or does not answer within `timeout` seconds (default TIMEOUT;
    it is then killed, and the next call starts a new one)."""
    global _renderer
    timeout = timeout or TIMEOUT
    opts = {"format": fmt, "width": WIDTH, "height": HEIGHT, "scale": SCALE if fmt == "png" else 1}
    with _lock:  # one browser tab: one image at a time
        check_fonts()
        path = browser_path()
        if path is None:
            raise ImagesUnavailable(
                "no Chromium or Chrome found to render chart images: install Debian's chromium "
                f"(sudo apt install chromium {FONT_PACKAGE}) or set BROWSER_PATH to a Chrome "
                "binary"
            )
        os.environ.setdefault("BROWSER_PATH", path)
        try:
            if _renderer is None:
                _renderer = _Renderer()
                _renderer.open(timeout)
            return _renderer.render(figure, opts, timeout)
        except Exception as exc:  # noqa: BLE001 - a browser that fails in any way is stopped
            if _renderer is not None:
                _renderer.close(polite=False)
                _renderer = None
            what = (
                f"did not answer within {timeout:g} s"
                if isinstance(exc, FutureTimeout)
                else f"failed ({type(exc).__name__})"
            )
            raise ImagesUnavailable(
                f"the chart renderer ({path}) {what} and was stopped; check that chromium "
                "starts headless on this machine (chromium --headless --no-sandbox)"
            ) from exc


def shutdown() -> None:
    """Close the warm renderer, if any (at exit, and after a one-off export)."""
    global _renderer
    with _lock:
        if _renderer is not None:
            _renderer.close()
            _renderer = None


atexit.register(shutdown)


def chart_figures(content: ExportContent) -> dict[str, dict]:
    """The charts of an export, by their catalogue key, built by the dashboard's own figure
    functions so an image matches what is on screen."""
    lang, f = content.lang, content.filters
    items, departments = (
        figures.empty_message(f, "none_items"),
        figures.empty_message(f, "none_departments"),
    )
    charts = {
        "chart_completion": figures.completion_by_category(content.completion, lang, empty=items),
        "chart_status": figures.status_doughnut(content.completion, lang, empty=items),
        # As many departments as a 16:9 canvas shows with their names legible.
        "chart_heatmap": figures.department_heatmap(
            content.heat, lang, limit=IMAGE_DEPARTMENTS, empty=departments
        ),
        "chart_departments": figures.department_completion(
            content.departments, lang, limit=IMAGE_DEPARTMENTS, empty=departments
        ),
    }
    if content.header:
        charts["chart_timeline"] = figures.milestones(content.header, lang)
    for figure in charts.values():  # a slide's canvas, not a browser column's
        figure["layout"] = {**figure["layout"], "width": WIDTH, "height": HEIGHT}
    return charts


def render_all(
    content: ExportContent, formats=("png", "svg"), timeout: float | None = None
) -> dict[str, bytes]:
    """Every chart in every format, by file name (chart, report, date)."""
    out = {}
    for key, figure in chart_figures(content).items():
        for fmt in formats:
            out[file_name(content, t(key, content.lang), fmt)] = render(figure, fmt, timeout)
    return out


def images_zip(content: ExportContent, timeout: float | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in render_all(content, timeout=timeout).items():
            archive.writestr(name, data)
    return buffer.getvalue()
