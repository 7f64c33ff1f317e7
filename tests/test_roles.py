"""Who may correct: with sign-in on, editors only (a viewer's request is refused on the
server whatever it says); without sign-in, only a server bound to the loopback address.
Run through the app's own server in-process (its test client: no browser, no server)."""

from __future__ import annotations

import getpass
import json

import pytest
from werkzeug.security import generate_password_hash

from dashboard import auth
from pipeline.corrections import open_log

FAST_HASH = "pbkdf2:sha256:1000"  # the tests' own users: a real hash, made quickly
PASSWORD = "正确的口令 horse"


@pytest.fixture()
def db(seed_db):
    """The seed's warehouse, this test's own copy."""
    return seed_db


def _users_file(path, **roles) -> None:
    """A users file: `name=role` (None: a line without a role, as before roles existed)."""
    lines = []
    for name, role in roles.items():
        hashed = generate_password_hash(PASSWORD, method=FAST_HASH)
        lines.append(f"{name}:{hashed}" if role is None else f"{name}:{role}:{hashed}")
    auth.write_users_file(path, lines)


def test_roles_in_the_users_file_and_lines_without_one(tmp_path, monkeypatch):
    path = tmp_path / "users"
    _users_file(path, old=None, ed="editor", vi="viewer")
    monkeypatch.setenv("RECTIFY_USERS_FILE", str(path))
    monkeypatch.delenv("RECTIFY_USERS", raising=False)
    accounts = auth.load_accounts()
    assert {n: a.role for n, a in accounts.items()} == {
        "old": "viewer",
        "ed": "editor",
        "vi": "viewer",
    }
    assert auth.load_users()["old"].startswith("pbkdf2:")  # the hash whole, with its colons
    assert auth.set_role(path, "old", "editor") and not auth.set_role(path, "nobody", "editor")
    assert auth.load_accounts()["old"].role == "editor"
    assert auth.check_password_hash(auth.load_users()["old"], PASSWORD)  # the password kept
    # Adding again keeps the role unless one is given; a new user is a viewer.
    assert auth.add_user(path, "old", "another password") == "editor"
    assert auth.add_user(path, "new", "another password") == "viewer"
    assert auth.add_user(path, "new", "another password", "editor") == "editor"
    with pytest.raises(auth.AuthError):
        auth.set_role(path, "old", "admin")
    users = auth.Users()
    assert users.role("new") == "editor" and users.role("nobody") is None


@pytest.mark.parametrize(
    ("bind", "https", "allowed"),
    [
        ("127.0.0.1", "", True),
        ("localhost", "", True),
        ("::1", "", True),
        ("0.0.0.0", "", False),  # noqa: S104 - the case under test
        ("10.1.2.3", "", False),
        ("127.0.0.1", "1", False),  # a proxy in front: requests are not this machine's
        (None, "", False),  # not started by `rectify serve`: nobody knows where it listens
    ],
)
def test_without_sign_in_only_a_loopback_server_lets_this_machine_correct(
    db, monkeypatch, bind, https, allowed
):
    from dashboard.app import create_app

    monkeypatch.delenv("RECTIFY_USERS_FILE", raising=False)
    monkeypatch.delenv("RECTIFY_USERS", raising=False)
    monkeypatch.setenv("RECTIFY_HTTPS", https)
    if bind is None:
        monkeypatch.delenv("RECTIFY_BIND", raising=False)
    else:
        monkeypatch.setenv("RECTIFY_BIND", bind)
    app = create_app(db)
    with app.server.test_request_context("/", environ_base={"REMOTE_ADDR": "127.0.0.1"}):
        shown = auth.permission()
    assert shown.allowed is allowed
    assert shown.user == (getpass.getuser() if allowed else None)
    assert shown.refusal == (None if allowed else "edit_needs_login")


def _save_request(seed: dict, status: str, reason: str) -> dict:
    """The save button's callback as the browser sends it (dashboard/pages/explorer.py)."""

    def value(component: str, v, prop: str = "value") -> dict:
        return {"id": component, "property": prop, "value": v}

    return {
        "output": "..edit-message.children...edit-version.data..",
        "outputs": [
            {"id": "edit-message", "property": "children"},
            {"id": "edit-version", "property": "data"},
        ],
        "inputs": [value("edit-save", 1, "n_clicks")],
        "state": [
            value("edit-base", seed, "data"),
            value("edit-category", seed["category"]),
            value("edit-status", status),
            value("edit-departments", seed["departments"]),
            value("edit-deadline", ""),
            [],
            [],
            [],
            [],
            value("edit-reason", reason),
            value("edit-version", 0, "data"),
            value("lang-store", "en", "data"),
        ],
        "changedPropIds": ["edit-save.n_clicks"],
    }


# Read through the app's own handle on the warehouse: DuckDB keeps one instance per path in
# a process, so a second connection would see the file the app opened, not a swapped one.


def _seen(db) -> dict:
    from dashboard import data
    from views.detail import measure_panel

    with data.cursor() as con:
        rid = con.execute("SELECT report_id FROM report").fetchone()[0]
        return measure_panel(con, None, rid, "M3", "en").seen()


def _status(db) -> str:
    from dashboard import data

    with data.cursor() as con:
        return con.execute("SELECT status FROM measure WHERE measure_id = 'M3'").fetchone()[0]


def test_a_viewers_edit_sent_straight_to_the_callback_is_refused_and_an_editors_is_applied(
    db, tmp_path, monkeypatch
):
    from dashboard.app import create_app

    users = tmp_path / "users"
    _users_file(users, viewer="viewer", legacy=None, editor="editor")
    monkeypatch.setenv("RECTIFY_USERS_FILE", str(users))
    monkeypatch.delenv("RECTIFY_USERS", raising=False)
    monkeypatch.setenv("RECTIFY_BIND", "127.0.0.1")  # loopback: sign-in still decides
    app = create_app(db)
    seen = _seen(db)
    assert seen["status"] == "completed"
    stamp = db.stat().st_mtime_ns

    def send(name: str | None):
        client = app.server.test_client()
        if name:
            signed = client.post("/login", data={"user": name, "password": PASSWORD, "next": "/"})
            assert signed.status_code == 302
        return client.post(
            "/_dash-update-component", json=_save_request(seen, "not_started", f"{name} says so")
        )

    assert send(None).status_code == 401  # not signed in: the login answers first
    for name in ("viewer", "legacy"):
        answer = send(name)
        assert answer.status_code == 200
        body = json.dumps(answer.get_json(), ensure_ascii=False)
        assert "your account is a viewer" in body
        assert _status(db) == "completed" and db.stat().st_mtime_ns == stamp
        assert open_log(db).count() == 0
    answer = send("editor")
    assert answer.status_code == 200 and "Saved and applied" in json.dumps(answer.get_json())
    assert _status(db) == "not_started"
    (entry,) = open_log(db).entries()
    assert (entry["user"], entry["reason"], entry["via"]) == ("editor", "editor says so", "app")
    # Made a viewer now, the same editor's next request is refused at once.
    auth.set_role(users, "editor", "viewer")
    seen = _seen(db)
    client = app.server.test_client()
    client.post("/login", data={"user": "editor", "password": PASSWORD, "next": "/"})
    answer = client.post("/_dash-update-component", json=_save_request(seen, "completed", "again"))
    assert "your account is a viewer" in json.dumps(answer.get_json())
    assert _status(db) == "not_started" and open_log(db).count() == 1


def _request(client, output_part: str, values: dict, changed: str) -> dict:
    """A callback's request as the browser builds it, from the app's own dependency list:
    the callback whose output names `output_part`, each input and state given its value
    from `values` ((id, property) → value; None when absent; pattern-matching ones as the
    list of {id, property, value} the browser sends)."""
    deps = client.get("/_dash-dependencies").get_json()
    dep = next(d for d in deps if output_part in d["output"])

    def item(spec):
        key = (
            json.dumps(spec["id"], sort_keys=True) if isinstance(spec["id"], dict) else spec["id"],
            spec["property"],
        )
        if isinstance(spec["id"], dict):
            return values.get(key, [])
        return {"id": spec["id"], "property": spec["property"], "value": values.get(key)}

    outputs = [
        {"id": part.split(".")[0], "property": part.split(".")[1].split("@")[0]}
        for part in dep["output"].strip(".").split("...")
    ]
    return {
        "output": dep["output"],
        "outputs": outputs,
        "inputs": [item(spec) for spec in dep["inputs"]],
        "state": [item(spec) for spec in dep["state"]],
        "changedPropIds": [changed],
    }


def test_a_viewer_can_neither_undo_nor_mark_reviewed_whatever_the_request(
    db, tmp_path, monkeypatch
):
    from dashboard.app import create_app
    from pipeline.corrections import Edit, record

    users = tmp_path / "users"
    _users_file(users, viewer="viewer")
    monkeypatch.setenv("RECTIFY_USERS_FILE", str(users))
    monkeypatch.delenv("RECTIFY_USERS", raising=False)
    app = create_app(db)
    rid = _seen(db)["report_id"]
    (entry,) = record(db, [Edit(rid, "status", "not_started", measure="M3")], "editor", "why")
    client = app.server.test_client()
    assert client.post("/login", data={"user": "viewer", "password": PASSWORD}).status_code == 302

    undo = _request(
        client,
        "audit-message.children",
        {("audit-revert-confirm", "n_clicks"): 1, ("audit-revert-entry", "data"): entry,
         ("audit-revert-reason", "value"): "forged", ("lang-store", "data"): "en"},
        "audit-revert-confirm.n_clicks",
    )  # fmt: skip
    answer = client.post("/_dash-update-component", json=undo)
    assert answer.status_code == 200 and "your account is a viewer" in answer.get_data(as_text=True)
    assert open_log(db).count() == 1 and _status(db) == "not_started"

    toggle_id = {"key": f"{rid}/", "on": True, "type": "review-toggle"}
    mark = _request(
        client,
        "review-message.children",
        {("lang-store", "data"): "en"},
        json.dumps(toggle_id, sort_keys=True, separators=(",", ":")) + ".n_clicks",
    )
    mark["inputs"] = [[{"id": toggle_id, "property": "n_clicks", "value": 1}]]
    answer = client.post("/_dash-update-component", json=mark)
    assert answer.status_code == 200 and "your account is a viewer" in answer.get_data(as_text=True)
    assert open_log(db).reviewed() == {}


def test_a_viewers_delete_of_a_report_is_refused_and_an_editors_goes_through(
    db, tmp_path, monkeypatch
):
    """Loading, reloading and deleting change the warehouse as a correction does: the 数据
    page's callbacks refuse them to a viewer on the server, whatever the browser sends."""
    from dashboard import ids
    from dashboard.app import create_app

    users = tmp_path / "users"
    _users_file(users, viewer="viewer", editor="editor")
    monkeypatch.setenv("RECTIFY_USERS_FILE", str(users))
    monkeypatch.delenv("RECTIFY_USERS", raising=False)
    app = create_app(db)
    rid = _seen(db)["report_id"]

    def delete(name: str) -> str:
        client = app.server.test_client()
        assert client.post("/login", data={"user": name, "password": PASSWORD}).status_code == 302
        button = {"report": rid, "type": ids.DATA_DELETE}
        deps = client.get("/_dash-dependencies").get_json()
        dep = next(d for d in deps if ids.DATA_DELETE in json.dumps(d["inputs"]))
        pressed = [{"id": button, "property": "submit_n_clicks", "value": 1}]
        request = {
            "output": dep["output"],
            "outputs": [
                {"id": part.split(".")[0], "property": part.split(".")[1].split("@")[0]}
                for part in dep["output"].strip(".").split("...")
            ],
            "inputs": [pressed, []],
            "state": [
                {"id": ids.DATA_VERSION, "property": "data", "value": 0},
                {"id": ids.LANG, "property": "data", "value": "en"},
            ],
            "changedPropIds": [json.dumps(button, separators=(",", ":")) + ".submit_n_clicks"],
        }
        answer = client.post("/_dash-update-component", json=request)
        assert answer.status_code == 200
        return answer.get_data(as_text=True)

    def reports() -> int:
        from dashboard import data

        with data.cursor() as con:
            return con.execute("SELECT count(*) FROM report").fetchone()[0]

    assert "your account is a viewer and may not load, reload or delete" in delete("viewer")
    assert reports() == 1
    assert "Deleted." in delete("editor")
    assert reports() == 0
