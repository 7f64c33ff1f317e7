"""The dashboard page: reports listed, an empty warehouse explained, served offline."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from dashboard.app import create_app

CHROMIUM = "/usr/bin/chromium"


def _render(app) -> str:
    return str(app.layout())


def test_layout_lists_reports(seed_db):
    page = _render(create_app(seed_db))
    assert "区城市管理委党委关于四届区委第八轮巡察集中整改进展情况的通报" in page
    assert "reports-table" in page


def test_empty_warehouse_says_how_to_load(tmp_path):
    page = _render(create_app(tmp_path / "none.duckdb"))
    assert "empty-warehouse" in page and "rectify load" in page


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture()
def served(seed_db):
    port = _free_port()
    rectify = str(Path(sys.executable).with_name("rectify"))
    proc = subprocess.Popen(
        [rectify, "serve", "--db", str(seed_db), "--port", str(port), "--workers", "1"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=dict(os.environ),
    )
    url = f"http://127.0.0.1:{port}/"
    for _ in range(100):
        try:
            urllib.request.urlopen(url, timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    yield url
    proc.terminate()
    proc.wait(timeout=10)


def test_served_page_over_http(served):
    body = urllib.request.urlopen(served, timeout=5).read().decode()
    assert "bootstrap.min.css" in body and "cdn" not in body.lower()


@pytest.mark.browser
@pytest.mark.skipif(
    not shutil.which("chromium") and not os.path.exists(CHROMIUM), reason="needs Debian's chromium"
)
def test_browser_no_console_errors_no_foreign_requests(served):
    from playwright.sync_api import sync_playwright

    errors, foreign = [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--headless",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-sync",
            ],
        )
        page = browser.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on(
            "request", lambda r: foreign.append(r.url) if not r.url.startswith(served) else None
        )
        page.goto(served)
        page.wait_for_selector("#reports-table")
        assert "区城市管理委党委关于四届区委第八轮巡察集中整改进展情况的通报" in page.inner_text(
            "#reports-table"
        )
        browser.close()
    assert errors == [] and foreign == []
