"""Optional login: off by default; when users are configured every page, callback and download
needs a signed-in session, passwords are stored hashed, and redirects stay on the site."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

RECTIFY = str(Path(sys.executable).with_name("rectify"))
CHROMIUM = "/usr/bin/chromium"
PASSWORD = "correct horse 整改"
# Every test here runs `rectify user add` (scrypt) or serves the app: the full lane's.
pytestmark = pytest.mark.slow


@pytest.fixture()
def users(tmp_path):
    path = tmp_path / "users"
    proc = subprocess.run(
        [RECTIFY, "user", "add", "analyst", "--users", str(path), "--password-stdin"],
        input=PASSWORD + "\n",
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    return path


def _client(seed_db, monkeypatch, users_path):
    from dashboard.app import create_app

    if users_path:
        monkeypatch.setenv("RECTIFY_USERS_FILE", str(users_path))
    else:
        monkeypatch.delenv("RECTIFY_USERS_FILE", raising=False)
    monkeypatch.delenv("RECTIFY_USERS", raising=False)
    return create_app(seed_db).server.test_client()


def test_passwords_are_stored_hashed_and_private(users):
    text = users.read_text(encoding="utf-8")
    assert text.startswith("analyst:") and PASSWORD not in text and "scrypt" in text
    assert oct(users.stat().st_mode & 0o777) == "0o600"
    short = subprocess.run(
        [RECTIFY, "user", "add", "x", "--users", str(users), "--password-stdin"],
        input="short\n",
        capture_output=True,
        text=True,
    )
    assert short.returncode == 2 and "at least 8" in short.stderr


def test_login_is_off_by_default(seed_db, monkeypatch):
    client = _client(seed_db, monkeypatch, None)
    assert client.get("/").status_code == 200
    assert client.get("/_dash-layout").status_code == 200


def test_every_route_needs_a_login_when_users_are_set(seed_db, monkeypatch, users):
    client = _client(seed_db, monkeypatch, users)
    page = client.get("/explorer?department=x")
    assert page.status_code == 302 and page.headers["Location"].startswith("/login?next=/explorer")
    assert client.get("/_dash-layout").status_code == 401
    assert client.get("/_dash-dependencies").status_code == 401
    assert client.post("/_dash-update-component", json={}).status_code == 401
    assert client.get("/assets/bootstrap.min.css").status_code == 200  # code, not data

    wrong = client.post("/login", data={"user": "analyst", "password": "nope", "next": "/"})
    assert wrong.status_code == 401 and b"login-error" in wrong.data
    right = client.post(
        "/login", data={"user": "analyst", "password": PASSWORD, "next": "/explorer"}
    )
    assert right.status_code == 302 and right.headers["Location"] == "/explorer"
    assert client.get("/").status_code == 200
    assert client.get("/_dash-layout").status_code == 200
    client.get("/logout")
    assert client.get("/").status_code == 302


@pytest.mark.parametrize(
    "target", ["//evil.example/x", "https://evil.example/", "javascript:alert(1)"]
)
def test_login_never_redirects_off_the_site(seed_db, monkeypatch, users, target):
    client = _client(seed_db, monkeypatch, users)
    response = client.post("/login", data={"user": "analyst", "password": PASSWORD, "next": target})
    assert response.headers["Location"] == "/"


@pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="needs Debian's chromium")
@pytest.mark.browser
def test_sign_in_in_the_browser(seed_db, users, monkeypatch):
    from playwright.sync_api import sync_playwright
    from test_dashboard import _serve, launch

    monkeypatch.setenv("RECTIFY_USERS_FILE", str(users))
    url, proc = _serve(seed_db)
    try:
        with sync_playwright() as p:
            browser = launch(p)
            page = browser.new_page()
            page.set_default_timeout(45000)
            page.goto(url + "/departments")
            page.wait_for_selector("#login-form")
            page.fill("#user", "analyst")
            page.fill("#password", PASSWORD)
            page.click("#login-form button")
            page.wait_for_selector("#departments-table")
            assert page.url.endswith("/departments")
            page.click("#logout")
            page.wait_for_selector("#login-form")
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
