"""Every chart of an export as PNG (3x on a 16:9 canvas) and SVG, rendered server-side by
kaleido in Debian's chromium. One renderer is started per process and kept warm (~0.2 s per
image instead of ~2.5 s for a cold start); a machine with no browser gets a clear message."""

from __future__ import annotations

import io
import os
import shutil
import threading
import zipfile
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path

from views import figures
from views.export import ExportContent, file_name
from views.i18n import t

PLOTLY_BUNDLE = Path(__file__).resolve().parent.parent / "assets" / "plotly-rectify.min.js"
WIDTH, HEIGHT, SCALE = 1280, 720, 3  # 16:9; PNG comes out 3840 x 2160
FIRST_RENDER_TIMEOUT = 90  # seconds: starting chromium on a busy machine is slow
RENDER_TIMEOUT = 30
IMAGE_DEPARTMENTS = 18
BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")


class ImagesUnavailable(RuntimeError):
    """Images cannot be rendered here (no browser, or it failed to start in time)."""


_lock = threading.Lock()
_runner = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kaleido")
_started = False
_stuck: str | None = None  # set when the renderer hung: later calls fail fast, not queue behind it


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


def _start() -> None:
    global _started
    if _started:
        return
    path = browser_path()
    if path is None:
        raise ImagesUnavailable(
            "no Chromium or Chrome found to render chart images: install Debian's chromium "
            "(sudo apt install chromium fonts-noto-cjk) or set BROWSER_PATH to a Chrome binary"
        )
    import kaleido

    os.environ.setdefault("BROWSER_PATH", path)
    # mathjax=False: kaleido would otherwise fetch MathJax from a CDN; nothing leaves here.
    # plotlyjs: the dashboard's own bundle (tools/plotly-bundle). Kaleido reloads its page after every
    # image, and a third of the script to parse makes each image about twice as fast.
    kaleido.start_sync_server(
        n=1,
        timeout=RENDER_TIMEOUT,
        mathjax=False,
        plotlyjs=str(PLOTLY_BUNDLE),
        silence_warnings=True,
    )
    _started = True


def render(figure: dict, fmt: str = "png") -> bytes:
    """One figure (a plain Plotly dict) as PNG or SVG bytes."""
    import kaleido

    opts = {"format": fmt, "width": WIDTH, "height": HEIGHT, "scale": SCALE if fmt == "png" else 1}
    global _stuck
    with _lock:  # kaleido's sync server answers one caller at a time
        if _stuck:
            raise ImagesUnavailable(_stuck)
        first = not _started
        _start()
        job = _runner.submit(kaleido.calc_fig_sync, figure, opts=opts)
        try:
            return job.result(timeout=FIRST_RENDER_TIMEOUT if first else RENDER_TIMEOUT)
        except FutureTimeout as exc:
            _stuck = (
                f"the chart renderer ({browser_path()}) did not answer within "
                f"{FIRST_RENDER_TIMEOUT if first else RENDER_TIMEOUT} s; check that chromium "
                "starts headless on this machine (chromium --headless --no-sandbox), then restart"
            )
            raise ImagesUnavailable(_stuck) from exc


def chart_figures(content: ExportContent) -> dict[str, dict]:
    """The charts of an export, by their catalogue key, built by the dashboard's own figure
    functions so an image matches what is on screen."""
    lang = content.lang
    charts = {
        "chart_completion": figures.completion_by_category(content.completion, lang),
        "chart_status": figures.status_doughnut(content.completion, lang),
        # As many departments as a 16:9 canvas shows with their names legible.
        "chart_heatmap": figures.department_heatmap(content.heat, lang, limit=IMAGE_DEPARTMENTS),
        "chart_departments": figures.department_completion(
            content.departments, lang, limit=IMAGE_DEPARTMENTS
        ),
    }
    if content.header:
        charts["chart_timeline"] = figures.milestones(content.header, lang)
    for figure in charts.values():  # a slide's canvas, not a browser column's
        figure["layout"] = {**figure["layout"], "width": WIDTH, "height": HEIGHT}
    return charts


def render_all(content: ExportContent, formats=("png", "svg")) -> dict[str, bytes]:
    """Every chart in every format, by file name (chart, report, date)."""
    out = {}
    for key, figure in chart_figures(content).items():
        for fmt in formats:
            out[file_name(content, t(key, content.lang), fmt)] = render(figure, fmt)
    return out


def images_zip(content: ExportContent) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in render_all(content).items():
            archive.writestr(name, data)
    return buffer.getvalue()
