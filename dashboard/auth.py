"""Optional login. Off unless users are configured; then every page, callback and download
needs a signed-in session.

Users live in a file of `name:hash` lines (`rectify user add NAME --users FILE` writes one;
the hash is werkzeug's scrypt), named by RECTIFY_USERS_FILE, or in RECTIFY_USERS as
`name:hash,name:hash`. Sessions are signed with RECTIFY_SECRET_KEY, else with a key kept in
`<users file>.secret`, so that every gunicorn worker and host behind a proxy shares it.
Static code (scripts, styles) is served to anyone: it holds no data.
"""

from __future__ import annotations

import html
import os
import secrets
from pathlib import Path
from urllib.parse import urlparse

from flask import Flask, Response, redirect, request, session
from werkzeug.security import check_password_hash, generate_password_hash

PUBLIC_PREFIXES = ("/assets/", "/_dash-component-suites/", "/_favicon.ico", "/login", "/logout")


class AuthError(ValueError):
    """Login is configured wrongly (unreadable users file, bad line)."""


def users_file() -> Path | None:
    value = os.environ.get("RECTIFY_USERS_FILE")
    return Path(value) if value else None


def load_users() -> dict[str, str]:
    """name → password hash, from RECTIFY_USERS and the users file; empty when login is off."""
    users: dict[str, str] = {}
    entries = [e for e in os.environ.get("RECTIFY_USERS", "").split(",") if e.strip()]
    path = users_file()
    if path is not None:
        try:
            entries += path.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise AuthError(f"{path}: cannot read the users file ({exc.strerror})") from exc
    for number, entry in enumerate(entries, start=1):
        entry = entry.strip()
        if not entry or entry.startswith("#"):
            continue
        name, sep, hashed = entry.partition(":")
        if not sep or not name or not hashed:
            raise AuthError(f"users entry {number}: expected name:hash")
        users[name.strip()] = hashed.strip()
    return users


def add_user(path: Path, name: str, password: str) -> None:
    """Add or replace a user in the users file (kept readable by its owner only)."""
    if not name or ":" in name or "," in name or name != name.strip():
        raise AuthError("a user name cannot be empty or hold ':' or ','")
    if len(password) < 8:
        raise AuthError("choose a password of at least 8 characters")
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    kept = [line for line in lines if line.partition(":")[0].strip() != name]
    kept.append(f"{name}:{generate_password_hash(password)}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    path.chmod(0o600)


def _secret_key() -> str:
    configured = os.environ.get("RECTIFY_SECRET_KEY")
    if configured:
        return configured
    path = users_file()
    if path is None:
        # Users from the environment alone: every worker must be given the same key.
        raise AuthError("set RECTIFY_SECRET_KEY when users come from RECTIFY_USERS")
    secret = path.with_name(path.name + ".secret")
    if not secret.exists():
        try:
            fd = os.open(secret, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as out:
                out.write(secrets.token_hex(32))
        except FileExistsError:
            pass  # another worker made it first
    return secret.read_text(encoding="utf-8").strip()


def install(server: Flask) -> bool:
    """Require a login on every route of the app's server when users are configured."""
    users = load_users()
    if not users:
        return False
    server.secret_key = _secret_key()
    server.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax")

    @server.before_request
    def require_login():
        if request.path.startswith(PUBLIC_PREFIXES) or session.get("user") in users:
            return None
        if request.method == "GET" and not request.path.startswith("/_dash"):
            return redirect("/login?next=" + _safe_next(request.full_path))
        return Response("login required", status=401)

    @server.route("/login", methods=["GET", "POST"])
    def login():
        target = _safe_next(request.values.get("next", "/"))
        if request.method == "POST":
            name = request.form.get("user", "")
            hashed = users.get(name)
            if hashed and check_password_hash(hashed, request.form.get("password", "")):
                session.clear()
                session["user"] = name
                return redirect(target)
            return Response(_login_page(target, failed=True), status=401, mimetype="text/html")
        return Response(_login_page(target), mimetype="text/html")

    @server.route("/logout")
    def logout():
        session.clear()
        return redirect("/login")

    return True


def _safe_next(target: str) -> str:
    """Only a path on this site: never a redirect to another host."""
    parsed = urlparse(target or "/")
    if parsed.scheme or parsed.netloc or not (parsed.path or "/").startswith("/"):
        return "/"
    path = parsed.path.rstrip("?") or "/"
    if path.startswith("//"):
        return "/"
    return path + (f"?{parsed.query}" if parsed.query else "")


def _login_page(target: str, failed: bool = False) -> str:
    """The sign-in form, in both languages (the visitor's choice is not known yet)."""
    from views.i18n import both

    def text(key: str) -> str:
        return html.escape(both(key))

    error = f'<div class="alert alert-danger" id="login-error">{text("login_failed")}</div>'
    return f"""<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">
<title>{text("login_submit")}</title><link rel="stylesheet" href="/assets/bootstrap.min.css"></head>
<body class="bg-light"><main class="container" style="max-width:420px;margin-top:12vh">
<h1 class="h4 mb-3">{text("login_title")}</h1>{error if failed else ""}
<form method="post" action="/login" id="login-form">
<input type="hidden" name="next" value="{html.escape(target, quote=True)}">
<label class="form-label" for="user">{text("login_user")}</label>
<input class="form-control mb-2" id="user" name="user" autocomplete="username" required autofocus>
<label class="form-label" for="password">{text("login_password")}</label>
<input class="form-control mb-3" id="password" name="password" type="password"
 autocomplete="current-password" required>
<button class="btn btn-primary w-100" type="submit">{text("login_submit")}</button>
</form></main></body></html>"""
