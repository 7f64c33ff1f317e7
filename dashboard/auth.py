"""Optional login. Off unless users are configured; then every page, callback and download
needs a signed-in session, and a session holds only as long as the server says so.

Users live in a file of `name:role:hash` lines (`rectify user add NAME --users FILE [--role
editor]` writes one; the hash is werkzeug's scrypt), named by RECTIFY_USERS_FILE, or in
RECTIFY_USERS as `name:role:hash,…`. A role is `viewer` (sees everything) or `editor` (may
also correct values and mark them reviewed); a line without one (`name:hash`, as files
written before roles were) is a viewer. The file is read again whenever it changes, so
removing a user, changing a password or a role takes effect on a running server at once.

Who may correct (`permission()`): with sign-in on, a signed-in editor; without it, anyone on
this machine when the server listens on the loopback address only (a local single-user run,
recorded under the OS user), and nobody when it listens on any other address.

The session cookie is signed with RECTIFY_SECRET_KEY, else with a key kept in
`<users file>.secret`, so that every gunicorn worker and host behind a proxy shares it. It
carries a session id that must be in the session store (`<users file>.sessions`, SQLite,
shared by the workers): signing out deletes it, and a session whose user is gone or whose
password changed since sign-in is refused. The store also counts failed sign-ins per user
name and per address: past a few, that name or address must wait (doubling each time)
before the next try, answered at once without checking any password, so an attack costs
signed-in users nothing. An unknown name is checked against a dummy hash, so it takes as
long as a wrong password. Static code (scripts, styles) is served to anyone: it holds no data.
"""

from __future__ import annotations

import getpass
import hashlib
import html
import math
import os
import secrets
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from flask import Flask, Response, redirect, request, session
from werkzeug.security import check_password_hash, generate_password_hash

PUBLIC_PREFIXES = ("/assets/", "/_dash-component-suites/", "/_favicon.ico", "/login", "/logout")
SESSION_HOURS = 12  # a sign-in holds this long at most
FREE_FAILURES = {"user": 5, "address": 20}  # failed sign-ins before a wait
FIRST_WAIT = 60  # seconds; doubles with each failure past the free ones
LONGEST_WAIT = 15 * 60
FORGET_AFTER = 60 * 60  # seconds without a failure after which the count starts again
ROLES = ("viewer", "editor")
DEFAULT_ROLE = "viewer"  # a users line without a role (written before roles existed)
EDITOR = "editor"


class AuthError(ValueError):
    """Login is configured wrongly (unreadable users file, bad line)."""


def users_file() -> Path | None:
    value = os.environ.get("RECTIFY_USERS_FILE")
    return Path(value) if value else None


@dataclass(frozen=True)
class Account:
    hashed: str
    role: str


def _parse_line(entry: str) -> tuple[str, Account] | None:
    """A users line: `name:role:hash`, or `name:hash` (a viewer); None for a blank line or
    a comment. A hash never starts with a role's name (it starts with its method)."""
    entry = entry.strip()
    if not entry or entry.startswith("#"):
        return None
    name, sep, rest = entry.partition(":")
    role, sep2, hashed = rest.partition(":")
    if not (sep2 and role.strip() in ROLES):
        role, hashed = DEFAULT_ROLE, rest
    if not sep or not name.strip() or not hashed.strip():
        raise ValueError
    return name.strip(), Account(hashed.strip(), role.strip())


def load_accounts() -> dict[str, Account]:
    """name → Account (password hash, role), from RECTIFY_USERS and the users file; empty
    when login is off."""
    accounts: dict[str, Account] = {}
    entries = [e for e in os.environ.get("RECTIFY_USERS", "").split(",") if e.strip()]
    path = users_file()
    if path is not None:
        try:
            entries += path.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise AuthError(f"{path}: cannot read the users file ({exc.strerror})") from exc
    for number, entry in enumerate(entries, start=1):
        try:
            parsed = _parse_line(entry)
        except ValueError:
            raise AuthError(f"users entry {number}: expected name:role:hash") from None
        if parsed:
            accounts[parsed[0]] = parsed[1]
    return accounts


def load_users() -> dict[str, str]:
    """name → password hash, from RECTIFY_USERS and the users file; empty when login is off."""
    return {name: a.hashed for name, a in load_accounts().items()}


class Users:
    """The configured users, read again when the users file changes (checked by its
    modification time, size and inode on each call: a stat, no read)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._seen = self._stamp()  # before the read: a change meanwhile is read again
        self._accounts: dict[str, Account] = load_accounts()
        self._users = {name: a.hashed for name, a in self._accounts.items()}

    @staticmethod
    def _stamp() -> tuple | None:
        path = users_file()
        if path is None:
            return None
        try:
            st = path.stat()
        except OSError:
            return ("missing",)
        return (st.st_mtime_ns, st.st_size, st.st_ino)

    def current(self) -> dict[str, str]:
        """name → password hash, as the users file says now."""
        stamp = self._stamp()
        if stamp != self._seen:
            with self._lock:
                try:
                    self._accounts = load_accounts()
                except AuthError:
                    self._accounts = {}  # unreadable now: nobody signs in until it is fixed
                self._users = {name: a.hashed for name, a in self._accounts.items()}
                self._seen = stamp
        return self._users

    def role(self, name: str | None) -> str | None:
        """The user's role as the users file says now (None: no such user)."""
        self.current()
        account = self._accounts.get(name or "")
        return account.role if account else None


def write_users_file(path: Path, lines: list[str]) -> None:
    """Replace the users file in one step (a running server never reads half of it), kept
    readable by its owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write("\n".join(lines) + ("\n" if lines else ""))
    os.replace(tmp, path)


def _existing_role(lines: list[str], name: str) -> str | None:
    for line in lines:
        try:
            parsed = _parse_line(line)
        except ValueError:
            continue
        if parsed and parsed[0] == name:
            return parsed[1].role
    return None


def add_user(path: Path, name: str, password: str, role: str | None = None) -> str:
    """Add or replace a user in the users file (kept readable by its owner only), with
    `role` (None: the role they had, else a viewer); the role they now have."""
    if not name or ":" in name or "," in name or name != name.strip():
        raise AuthError("a user name cannot be empty or hold ':' or ','")
    if len(password) < 8:
        raise AuthError("choose a password of at least 8 characters")
    if role is not None and role not in ROLES:
        raise AuthError(f"a role is one of {', '.join(ROLES)}")
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    role = role or _existing_role(lines, name) or DEFAULT_ROLE
    kept = [line for line in lines if line.partition(":")[0].strip() != name]
    kept.append(f"{name}:{role}:{generate_password_hash(password)}")
    write_users_file(path, kept)
    return role


def set_role(path: Path, name: str, role: str) -> bool:
    """Give a user of the users file another role; False when there is none of that name."""
    if role not in ROLES:
        raise AuthError(f"a role is one of {', '.join(ROLES)}")
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    out, found = [], False
    for line in lines:
        try:
            parsed = _parse_line(line)
        except ValueError:
            parsed = None
        if parsed and parsed[0] == name:
            out.append(f"{name}:{role}:{parsed[1].hashed}")
            found = True
        else:
            out.append(line)
    if found:
        write_users_file(path, out)
    return found


def remove_user(path: Path, name: str) -> bool:
    """Remove a user from the users file; False when there was none of that name."""
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    kept = [line for line in lines if line.partition(":")[0].strip() != name]
    if len(kept) == len(lines):
        return False
    write_users_file(path, kept)
    return True


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


def _password_tag(hashed: str) -> str:
    """Changes when the password does (a digest of its hash, never the hash itself)."""
    return hashlib.sha256(hashed.encode()).hexdigest()[:16]


class SessionStore:
    """Sessions and failed sign-ins, in a SQLite file every worker shares (one connection
    per thread; WAL, so readers never wait for a writer)."""

    def __init__(self, path: Path):
        self.path = path
        self._local = threading.local()
        with self._db() as db:
            db.executescript("""
                CREATE TABLE IF NOT EXISTS session (
                    sid TEXT PRIMARY KEY, user TEXT NOT NULL, password TEXT NOT NULL,
                    created REAL NOT NULL);
                CREATE TABLE IF NOT EXISTS failure (
                    key TEXT PRIMARY KEY, count INTEGER NOT NULL, last REAL NOT NULL);
                CREATE INDEX IF NOT EXISTS failure_last ON failure (last);
            """)
        path.chmod(0o600)

    def _db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, timeout=10, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            self._local.db = db
        return db

    def open(self, user: str, hashed: str) -> str:
        sid = secrets.token_urlsafe(32)
        now = time.time()
        db = self._db()
        db.execute("DELETE FROM session WHERE created < ?", (now - SESSION_HOURS * 3600,))
        db.execute(
            "INSERT INTO session VALUES (?, ?, ?, ?)", (sid, user, _password_tag(hashed), now)
        )
        return sid

    def valid(self, sid, user, users: dict[str, str]) -> bool:
        if not isinstance(sid, str) or user not in users:
            return False
        row = (
            self._db()
            .execute("SELECT user, password, created FROM session WHERE sid = ?", (sid,))
            .fetchone()
        )
        return (
            row is not None
            and row[0] == user
            and row[1] == _password_tag(users[user])
            and time.time() - row[2] < SESSION_HOURS * 3600
        )

    def close(self, sid) -> None:
        if isinstance(sid, str):
            self._db().execute("DELETE FROM session WHERE sid = ?", (sid,))

    def wait(self, keys: dict[str, str]) -> int:
        """Seconds to wait before the next sign-in for these keys ({"user": name, "address":
        ip}); 0: go ahead."""
        now, longest = time.time(), 0.0
        for kind, value in keys.items():
            row = (
                self._db()
                .execute("SELECT count, last FROM failure WHERE key = ?", (f"{kind}:{value}",))
                .fetchone()
            )
            if row is None or now - row[1] > FORGET_AFTER or row[0] < FREE_FAILURES[kind]:
                continue
            pause = min(LONGEST_WAIT, FIRST_WAIT * 2 ** (row[0] - FREE_FAILURES[kind]))
            longest = max(longest, row[1] + pause - now)
        return math.ceil(longest) if longest > 0 else 0

    def failed(self, keys: dict[str, str]) -> None:
        now = time.time()
        # Counts past their time are forgotten for good (names an attacker made up).
        self._db().execute("DELETE FROM failure WHERE last < ?", (now - FORGET_AFTER,))
        for kind, value in keys.items():
            self._db().execute(
                """INSERT INTO failure VALUES (?, 1, ?) ON CONFLICT (key) DO UPDATE SET
                       count = CASE WHEN ? - last > ? THEN 1 ELSE count + 1 END, last = ?""",
                (f"{kind}:{value}", now, now, FORGET_AFTER, now),
            )

    def succeeded(self, user: str) -> None:
        self._db().execute("DELETE FROM failure WHERE key = ?", (f"user:{user}",))


def _store_path(state_dir: Path | None) -> Path:
    path = users_file()
    if path is not None:
        return path.with_name(path.name + ".sessions")
    if state_dir is None:
        raise AuthError("set RECTIFY_USERS_FILE, or give the app a folder for its sessions")
    return state_dir / ".rectify-sessions"


def _dummy_hash(users: dict[str, str]) -> str:
    """A hash made like the users' own, for names that are not there: checking it takes as
    long as checking a real one."""
    method = next(iter(users.values())).rsplit("$", 2)[0] if users else "scrypt"
    try:
        return generate_password_hash(secrets.token_hex(16), method=method)
    except ValueError:
        return generate_password_hash(secrets.token_hex(16))


def install(server: Flask, state_dir: Path | None = None) -> bool:
    """Require a login on every route of the app's server when users are configured. The
    session store lives beside the users file, else in `state_dir`."""
    users = Users()
    if not users.current():
        return False
    server.secret_key = _secret_key()
    server.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax")
    path = _store_path(state_dir)
    try:
        store = SessionStore(path)
    except (sqlite3.Error, OSError) as exc:
        raise AuthError(f"{path}: cannot keep the sign-in sessions here ({exc})") from exc
    server.extensions["rectify_sessions"] = store
    server.extensions["rectify_users"] = users
    dummy = _dummy_hash(users.current())

    @server.before_request
    def require_login():
        if request.path.startswith(PUBLIC_PREFIXES):
            return None
        if store.valid(session.get("sid"), session.get("user"), users.current()):
            return None
        if request.method == "GET" and not request.path.startswith("/_dash"):
            return redirect("/login?next=" + _safe_next(request.full_path))
        return Response("login required", status=401)

    @server.route("/login", methods=["GET", "POST"])
    def login():
        target = _safe_next(request.values.get("next", "/"))
        if request.method != "POST":
            return Response(_login_page(target), mimetype="text/html")
        name = request.form.get("user", "")
        keys = {"user": name, "address": request.remote_addr or "-"}
        wait = store.wait(keys)
        if wait:
            page = _login_page(target, error="login_throttled", minutes=math.ceil(wait / 60))
            return Response(
                page, status=429, mimetype="text/html", headers={"Retry-After": str(wait)}
            )
        current = users.current()
        hashed = current.get(name)
        right = check_password_hash(hashed or dummy, request.form.get("password", ""))
        if not (hashed and right):
            store.failed(keys)
            return Response(
                _login_page(target, error="login_failed"), status=401, mimetype="text/html"
            )
        store.succeeded(name)
        session.clear()
        session["user"] = name
        session["sid"] = store.open(name, hashed)
        return redirect(target)

    @server.route("/logout")
    def logout():
        store.close(session.get("sid"))
        session.clear()
        return redirect("/login")

    return True


def session_store(server: Flask) -> SessionStore:
    return server.extensions["rectify_sessions"]


def _safe_next(target: str) -> str:
    """Only a path on this site: never a redirect to another host."""
    parsed = urlparse(target or "/")
    if parsed.scheme or parsed.netloc or not (parsed.path or "/").startswith("/"):
        return "/"
    path = parsed.path.rstrip("?") or "/"
    if path.startswith("//"):
        return "/"
    return path + (f"?{parsed.query}" if parsed.query else "")


def _login_page(target: str, error: str | None = None, **values) -> str:
    """The sign-in form, in both languages (the visitor's choice is not known yet); `error`:
    the message key to show above it, filled with `values`."""
    from views.i18n import both

    def text(key: str) -> str:
        return html.escape(both(key).format(**values))

    alert = f'<div class="alert alert-danger" id="login-error">{text(error)}</div>' if error else ""
    return f"""<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">
<title>{text("login_submit")}</title><link rel="stylesheet" href="/assets/bootstrap.min.css"></head>
<body class="bg-light"><main class="container" style="max-width:420px;margin-top:12vh">
<h1 class="h4 mb-3">{text("login_title")}</h1>{alert}
<form method="post" action="/login" id="login-form">
<input type="hidden" name="next" value="{html.escape(target, quote=True)}">
<label class="form-label" for="user">{text("login_user")}</label>
<input class="form-control mb-2" id="user" name="user" autocomplete="username" required autofocus>
<label class="form-label" for="password">{text("login_password")}</label>
<input class="form-control mb-3" id="password" name="password" type="password"
 autocomplete="current-password" required>
<button class="btn btn-primary w-100" type="submit">{text("login_submit")}</button>
</form></main></body></html>"""


@dataclass(frozen=True)
class Permission:
    """Whether this request may correct values: `user` (recorded as who did) when it may,
    else `refusal`, the views/i18n.py key that says why not."""

    user: str | None
    refusal: str | None = None

    @property
    def allowed(self) -> bool:
        return self.user is not None


def permission() -> Permission:
    """Who may correct in the current request (see the module's docstring). Decided here,
    on the server, from the session and the users file as they are now: nothing the
    browser sends besides its session cookie counts."""
    from flask import current_app, has_request_context

    from dashboard.security import local_only

    if not has_request_context():
        return Permission(None, "edit_needs_login")
    users = current_app.extensions.get("rectify_users")
    if users is not None:
        name = session.get("user")
        store = current_app.extensions["rectify_sessions"]
        if not store.valid(session.get("sid"), name, users.current()):
            return Permission(None, "edit_needs_login")
        if users.role(name) != EDITOR:
            return Permission(None, "edit_viewer")
        return Permission(name)
    if local_only() and (request.remote_addr or "") in LOOPBACK_ADDRESSES:
        return Permission(getpass.getuser())
    return Permission(None, "edit_needs_login")


LOOPBACK_ADDRESSES = ("127.0.0.1", "::1")
