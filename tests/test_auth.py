"""Optional login: off by default; when users are configured every page, callback and download
needs a signed-in session, passwords are stored hashed, and redirects stay on the site."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from rectify.cli import MAX_REQUESTS

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


def _user(users: Path, action: str, name: str, password: str = "") -> None:
    proc = subprocess.run(
        [RECTIFY, "user", action, name, "--users", str(users), "--password-stdin"],
        input=password + "\n",
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr


def _sign_in(url: str, name: str, password: str):
    """A signed-in requests session (its cookie), or the refused response."""
    import requests

    client = requests.Session()
    response = client.post(
        url + "/login",
        data={"user": name, "password": password, "next": "/"},
        allow_redirects=False,
        timeout=30,
    )
    return client, response


def _layout_status(url: str, cookies) -> int:
    import requests

    return requests.get(url + "/_dash-layout", cookies=cookies, timeout=30).status_code


@pytest.fixture()
def running(seed_db, users, monkeypatch):
    """`rectify serve` with a login, on a free port: (url, users file)."""
    from test_dashboard import _serve

    monkeypatch.setenv("RECTIFY_USERS_FILE", str(users))
    url, proc = _serve(seed_db)
    deadline = time.monotonic() + 60  # a busy machine may take longer than _serve waits
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            urllib.request.urlopen(url + "/login", timeout=5)
            break
        except OSError:
            time.sleep(0.2)
    yield url, users, proc
    proc.terminate()
    proc.wait(timeout=10)


def test_sign_out_user_removal_and_password_change_hold_on_a_running_server(running):
    url, users, proc = running
    # gunicorn (exec'd by rectify serve) recycles its workers, each at its own count.
    argv = Path(f"/proc/{proc.pid}/cmdline").read_bytes().decode().split("\0")
    assert argv[argv.index("--max-requests") + 1] == str(MAX_REQUESTS)
    assert int(argv[argv.index("--max-requests-jitter") + 1]) > 0
    _user(users, "add", "leader", "领导的密码 2025")
    analyst, signed = _sign_in(url, "analyst", PASSWORD)
    assert signed.status_code == 302 and _layout_status(url, analyst.cookies) == 200
    old_cookie = analyst.cookies.copy()

    # Signing out ends the session on the server: the cookie saved before is refused.
    analyst.get(url + "/logout", allow_redirects=False, timeout=30)
    assert _layout_status(url, old_cookie) == 401

    # A new password: sessions opened with the old one end, the old password is refused.
    analyst, _ = _sign_in(url, "analyst", PASSWORD)
    before_change = analyst.cookies.copy()
    assert _layout_status(url, before_change) == 200
    _user(users, "add", "analyst", "a new password 2025")
    assert _layout_status(url, before_change) == 401
    assert _sign_in(url, "analyst", PASSWORD)[1].status_code == 401
    analyst, signed = _sign_in(url, "analyst", "a new password 2025")
    assert signed.status_code == 302 and _layout_status(url, analyst.cookies) == 200

    # A removed user: out at once, and cannot sign in again; others stay signed in.
    leader, _ = _sign_in(url, "leader", "领导的密码 2025")
    _user(users, "remove", "analyst")
    assert _layout_status(url, analyst.cookies) == 401
    assert _sign_in(url, "analyst", "a new password 2025")[1].status_code == 401
    assert _layout_status(url, leader.cookies) == 200


def test_wrong_passwords_are_throttled_per_user_with_a_message(running):
    url, users, _ = running
    _user(users, "add", "leader", "领导的密码 2025")
    leader, _ = _sign_in(url, "leader", "领导的密码 2025")
    answers = [_sign_in(url, "analyst", f"wrong {i}")[1].status_code for i in range(10)]
    assert answers[:5] == [401] * 5 and set(answers[5:]) == {429}
    _, right = _sign_in(url, "analyst", PASSWORD)
    assert right.status_code == 429 and int(right.headers["Retry-After"]) > 0
    assert "登录失败次数过多" in right.text and "Too many failed sign-ins" in right.text
    # Another user, and those signed in, are not held back.
    assert _layout_status(url, leader.cookies) == 200
    assert _sign_in(url, "leader", "领导的密码 2025")[1].status_code == 302


def _client_with(seed_db, monkeypatch, users, **env):
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return _client(seed_db, monkeypatch, users)


def _post_login(client, name, password, **headers):
    return client.post(
        "/login", data={"user": name, "password": password, "next": "/"}, headers=headers
    )


def test_failures_from_one_address_are_throttled_whatever_the_names(seed_db, monkeypatch, users):
    client = _client(seed_db, monkeypatch, users)
    answers = [_post_login(client, f"nobody{i}", "x").status_code for i in range(21)]
    assert answers[:20] == [401] * 20 and answers[20] == 429
    assert _post_login(client, "analyst", PASSWORD).status_code == 429


def test_unknown_users_are_checked_against_a_hash_like_a_real_one(seed_db, monkeypatch, users):
    """An unknown name costs one password check of the users' own kind, as a wrong password
    does (so the time of the answer does not tell which names exist)."""
    import dashboard.auth as auth

    checked: list[str] = []
    real = auth.check_password_hash

    def counting(hashed, password):
        checked.append(hashed.rsplit("$", 2)[0])
        return real(hashed, password)

    monkeypatch.setattr(auth, "check_password_hash", counting)
    client = _client(seed_db, monkeypatch, users)
    assert _post_login(client, "nobody", "whatever").status_code == 401
    assert _post_login(client, "analyst", "wrong one").status_code == 401
    method = users.read_text().split(":", 2)[2].rsplit("$", 2)[0]  # name:role:hash
    assert checked == [method, method] and method.startswith("scrypt")


def test_hosts_framing_and_body_size_are_bounded(seed_db, monkeypatch):
    from dashboard.uploads import MAX_REQUEST_BYTES

    client = _client_with(
        seed_db, monkeypatch, None, RECTIFY_ALLOWED_HOSTS="localhost,127.0.0.1,reports.example"
    )
    assert client.get("/", headers={"Host": "localhost:8050"}).status_code == 200
    assert client.get("/", headers={"Host": "reports.example"}).status_code == 200
    assert client.get("/", headers={"Host": "evil.example"}).status_code == 400
    page = client.get("/", headers={"Host": "127.0.0.1:8050"})
    assert page.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in page.headers["Content-Security-Policy"]
    huge = client.post(
        "/_dash-update-component",
        data=b"x" * (MAX_REQUEST_BYTES + 1),
        headers={"Host": "localhost", "Content-Type": "application/json"},
    )
    assert huge.status_code == 413


def test_behind_https_the_cookie_is_secure_and_the_proxy_is_trusted(seed_db, monkeypatch, users):
    client = _client_with(
        seed_db, monkeypatch, users, RECTIFY_HTTPS="1", RECTIFY_ALLOWED_HOSTS="reports.example"
    )
    proxied = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "reports.example"}
    signed = _post_login(client, "analyst", PASSWORD, **proxied, **{"X-Forwarded-For": "10.0.0.9"})
    assert signed.status_code == 302
    cookie = signed.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    # The address is the client's, as the proxy says: one client's failures hold back only it.
    for i in range(21):
        _post_login(client, f"nobody{i}", "x", **proxied, **{"X-Forwarded-For": "10.0.0.1"})
    held = _post_login(client, "analyst", PASSWORD, **proxied, **{"X-Forwarded-For": "10.0.0.1"})
    other = _post_login(client, "analyst", PASSWORD, **proxied, **{"X-Forwarded-For": "10.0.0.2"})
    assert held.status_code == 429 and other.status_code == 302


def test_serve_allows_the_names_it_is_bound_to():
    from dashboard.security import bound_names

    assert set(bound_names("127.0.0.1")) == {"localhost", "127.0.0.1", "::1"}
    assert bound_names("reports.example") == ["reports.example"]
    everywhere = bound_names("0.0.0.0")
    assert {"localhost", "127.0.0.1", socket.gethostname().lower()} <= set(everywhere)
