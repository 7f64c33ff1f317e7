"""The corrections log and the review marks: a small SQLite file beside the warehouse.

The warehouse file is replaced on every load; what analysts did must outlive it. Here is
every correction (who, when, which field of which measure or figure, the value before and
after, why, and which earlier entry an undo undoes), and which entries of the 待核查 list
were marked reviewed, by whom and when. SQLite serialises writers from any process or
thread (a write is one transaction; `writing()` holds one open across a warehouse swap),
and its write-ahead log lets readers go on while one writes, so no entry is ever lost to
two editors saving at the same moment.

Rows come back as plain dicts; values of fields are JSON text (`old`, `new`), decoded by the
callers. Times are ISO 8601 in UTC.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from pathlib import Path

from warehouse.errors import WarehouseError

SUFFIX = ".corrections.sqlite"
BUSY_SECONDS = 300  # a writer waits this long for another (one may be swapping a big warehouse)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS change (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    at           TEXT NOT NULL,      -- ISO 8601, UTC
    user         TEXT NOT NULL,
    via          TEXT NOT NULL,      -- app | cli | import
    report       TEXT NOT NULL,      -- report id (a file name for entries of overrides.yaml)
    report_title TEXT,
    measure      TEXT,               -- measure id (a figure's measure)
    metric       INTEGER,            -- a figure's number in the report (1-based)
    metric_value REAL,               -- a figure's value as read: with its number, finds it
    figure       TEXT,               -- the figure as written (46人次), to show
    field        TEXT NOT NULL,      -- category | status | departments | deadline | indicator | value
    old          TEXT,               -- JSON: the value shown before
    new          TEXT,               -- JSON: the value after (null clears)
    reason       TEXT NOT NULL,
    reverts      INTEGER REFERENCES change (id)
);
CREATE INDEX IF NOT EXISTS change_report ON change (report);
CREATE INDEX IF NOT EXISTS change_user ON change (user);
CREATE TABLE IF NOT EXISTS review (
    report  TEXT NOT NULL,
    measure TEXT NOT NULL,           -- '' for the report as a whole
    user    TEXT NOT NULL,
    at      TEXT NOT NULL,
    PRIMARY KEY (report, measure)
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
"""
COLUMNS = (
    "id",
    "at",
    "user",
    "via",
    "report",
    "report_title",
    "measure",
    "metric",
    "metric_value",
    "figure",
    "field",
    "old",
    "new",
    "reason",
    "reverts",
)


def log_path(db_path: Path | str) -> Path:
    """The log of the warehouse at `db_path`: beside it, named after it."""
    db_path = Path(db_path)
    return db_path.with_name(db_path.stem + SUFFIX)


@dataclass(frozen=True)
class LogFilter:
    """Which entries to list: a report (id or file name), a user, a field, words in the
    reason or the figure, a period of days (ISO dates, inclusive) as they fall in `zone` (the
    time zone the entries' times are shown in: a day runs from its midnight there). None:
    any. where() raises ValueError for a day that is not an ISO date."""

    report: str | None = None
    user: str | None = None
    field: str | None = None
    text: str | None = None
    since: str | None = None
    until: str | None = None
    zone: tzinfo = dataclasses.field(default=UTC, compare=False)

    def where(self) -> tuple[str, dict]:
        clauses, params = [], {}
        for key in ("report", "user", "field"):
            if getattr(self, key):
                clauses.append(f"{key} = :{key}")
                params[key] = getattr(self, key)
        if self.text:
            clauses.append(
                "(instr(reason, :text) OR instr(coalesce(figure, ''), :text)"
                " OR instr(coalesce(report_title, ''), :text) OR instr(coalesce(measure, ''), :text))"
            )
            params["text"] = self.text
        # Times are ISO in UTC, which sort as text: a day is the span from its midnight in
        # `zone` to the next one's.
        if self.since:
            clauses.append("at >= :since")
            params["since"] = _day_start(self.since, self.zone)
        if self.until:
            clauses.append("at < :before")
            params["before"] = _day_start(self.until, self.zone, later=1)
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def _day_start(day: str, zone: tzinfo, later: int = 0) -> str:
    """When the day `later` days after `day` (ISO) begins in `zone`, in UTC as the log writes
    times (2026-01-04T16:00:00+00:00 for 2026-01-05 in Asia/Shanghai)."""
    start = datetime.combine(date.fromisoformat(day) + timedelta(days=later), time(), zone)
    return start.astimezone(UTC).isoformat(timespec="seconds")


class CorrectionLog:
    """The log file of one warehouse; every call opens its own connection (threads and
    processes share the file, not a connection)."""

    def __init__(self, path: Path | str):
        self.path = Path(path)

    def _connect(self) -> sqlite3.Connection:
        try:
            db = sqlite3.connect(self.path, timeout=BUSY_SECONDS, isolation_level=None)
            db.row_factory = sqlite3.Row
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")  # a saved correction survives a power cut
            db.executescript(_SCHEMA)
        except sqlite3.Error as exc:
            raise WarehouseError(
                f"{self.path}: cannot open the corrections log ({exc}). Check the folder's "
                "permissions and free space"
            ) from exc
        return db

    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """A connection to read with. No log yet reads as an empty one (nothing is made);
        a log in a folder this process may not write (a replica host's copy) is read as it
        stands."""
        if not self.path.exists():
            db = sqlite3.connect(":memory:")
            db.row_factory = sqlite3.Row
            db.executescript(_SCHEMA)
        else:
            try:
                db = self._connect()
            except WarehouseError:
                try:
                    db = sqlite3.connect(f"file:{self.path}?immutable=1", uri=True)
                    db.row_factory = sqlite3.Row
                    db.execute("SELECT count(*) FROM change").fetchone()
                except sqlite3.Error as exc:
                    raise WarehouseError(
                        f"{self.path}: cannot read the corrections log ({exc})"
                    ) from exc
        with closing(db):
            yield db

    @contextmanager
    def writing(self) -> Iterator[Writer]:
        """One write transaction: other writers wait until it ends; it is kept if the block
        ends normally, and nothing of it if the block raises."""
        with closing(self._connect()) as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield Writer(db)
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    # -- reading ---------------------------------------------------------------------------
    def entries(self, f: LogFilter | None = None, limit: int | None = None, offset: int = 0):
        """Entries matching `f`, newest first: dicts of COLUMNS plus `undone_by` (the id of
        the entry that undid it, or None)."""
        where, params = (f or LogFilter()).where()
        sql = (
            "SELECT c.*, (SELECT max(u.id) FROM change u WHERE u.reverts = c.id) AS undone_by"
            f" FROM change c{where} ORDER BY c.id DESC"
        )
        if limit is not None:
            sql += " LIMIT :limit OFFSET :offset"
            params = {**params, "limit": limit, "offset": offset}
        with self.reading() as db:
            return [dict(row) for row in db.execute(sql, params)]

    def count(self, f: LogFilter | None = None) -> int:
        where, params = (f or LogFilter()).where()
        with self.reading() as db:
            return db.execute(f"SELECT count(*) FROM change{where}", params).fetchone()[0]

    def all_entries(self) -> list[dict]:
        """Every entry in id order (what is in force is replayed from them)."""
        with self.reading() as db:
            return _all(db)

    def entry(self, entry_id: int) -> dict | None:
        with self.reading() as db:
            row = db.execute("SELECT * FROM change WHERE id = ?", (entry_id,)).fetchone()
        return dict(row) if row else None

    def choices(self) -> dict[str, list]:
        """What the log's filters may offer: its users, fields and reports (id, title)."""
        with self.reading() as db:
            users = [r[0] for r in db.execute("SELECT DISTINCT user FROM change ORDER BY user")]
            fields = [r[0] for r in db.execute("SELECT DISTINCT field FROM change ORDER BY 1")]
            reports = [
                (r[0], r[1])
                for r in db.execute(
                    "SELECT report, max(report_title) FROM change GROUP BY report ORDER BY 2, 1"
                )
            ]
        return {"users": users, "fields": fields, "reports": reports}

    def reviewed(self, reports: list[str] | None = None) -> dict[tuple[str, str], tuple]:
        """(report, measure) → (user, at) of what was marked reviewed; of these reports only
        when given (measure '' is the report as a whole)."""
        with self.reading() as db:
            if reports is None:
                rows = db.execute("SELECT report, measure, user, at FROM review").fetchall()
            else:
                rows = []
                for i in range(0, len(reports), 500):
                    chunk = reports[i : i + 500]
                    marks = ",".join("?" * len(chunk))
                    rows += db.execute(
                        f"SELECT report, measure, user, at FROM review WHERE report IN ({marks})",  # noqa: S608
                        chunk,
                    ).fetchall()
        return {(r[0], r[1]): (r[2], r[3]) for r in rows}

    def meta(self, key: str) -> str | None:
        with self.reading() as db:
            row = db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    # -- marks (one statement each: no warehouse swap goes with them) -----------------------
    def mark(self, report: str, measure: str, user: str, at: str) -> None:
        with self.writing() as w:
            w.db.execute(
                "INSERT INTO review VALUES (?, ?, ?, ?) ON CONFLICT (report, measure) DO UPDATE"
                " SET user = excluded.user, at = excluded.at",
                (report, measure, user, at),
            )

    def unmark(self, report: str, measure: str) -> None:
        with self.writing() as w:
            w.db.execute("DELETE FROM review WHERE report = ? AND measure = ?", (report, measure))


class Writer:
    """What a write transaction may do (CorrectionLog.writing)."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def append(self, entry: dict) -> int:
        """Add an entry (a dict of COLUMNS but `id`); its id."""
        names = [c for c in COLUMNS if c != "id"]
        cur = self.db.execute(
            f"INSERT INTO change ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",  # noqa: S608
            [entry.get(c) for c in names],
        )
        return int(cur.lastrowid)

    def all_entries(self) -> list[dict]:
        """Every entry in id order, this transaction's own included."""
        return _all(self.db)

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute(
            "INSERT INTO meta VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None


def _all(db: sqlite3.Connection) -> list[dict]:
    return [dict(row) for row in db.execute("SELECT * FROM change ORDER BY id")]
