"""Opening and publishing the warehouse file.

Writers never touch the live file: they copy it beside itself, change the copy, CHECKPOINT,
close and `os.replace` it in. A crash leaves the old file as it was; a dashboard holding the
old file open keeps reading it and reconnects when the inode or mtime changes.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import duckdb

from warehouse.errors import WarehouseError  # noqa: F401 - re-exported for callers

SCHEMA = Path(__file__).with_name("schema.sql")
DEFAULT_DB = Path(__file__).with_name("rectification.duckdb")


def db_threads(value: str | None) -> int | None:
    """DuckDB's threads per connection as RECTIFY_DB_THREADS gives them (for processes that
    share the cores, as several server workers or test workers do): a positive whole number,
    else None (DuckDB's own: the cores)."""
    value = (value or "").strip()
    return int(value) if value.isdigit() and int(value) > 0 else None


CONFIG: dict = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}
if threads := db_threads(os.environ.get("RECTIFY_DB_THREADS")):
    CONFIG["threads"] = threads


def default_db_path() -> Path:
    return Path(os.environ.get("RECTIFY_DB") or DEFAULT_DB)


def apply_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the tables and views of schema.sql and add the columns a warehouse written by an
    earlier version lacks. A file already brought up to this very schema (its digest kept in
    warehouse_meta) is left as it is: every write calls this, and the statements cost more
    than the load of a small report."""
    sql = SCHEMA.read_text(encoding="utf-8")
    digest = hashlib.sha256(sql.encode("utf-8")).hexdigest()
    try:
        kept = con.execute("SELECT value FROM warehouse_meta WHERE key = 'schema'").fetchone()
    except duckdb.CatalogException:
        kept = None  # a new file, or one written before warehouse_meta existed
    if kept and kept[0] == digest:
        return
    con.execute(sql)
    con.execute(
        "INSERT OR REPLACE INTO warehouse_meta VALUES ('schema', $digest)", {"digest": digest}
    )


def connect_readonly(path: Path | str) -> duckdb.DuckDBPyConnection:
    path = Path(path)
    if not path.exists():
        raise WarehouseError(
            f"{path}: no warehouse yet. Load reports first: rectify load data/samples --db {path}"
        )
    if wrong := _not_a_warehouse(path):
        raise wrong
    try:
        return duckdb.connect(str(path), read_only=True, config=CONFIG)
    except duckdb.Error as exc:
        raise WarehouseError(
            f"{path}: cannot open it as a DuckDB warehouse ({exc}). Check the path"
        ) from exc


def _writable_folder(path: Path) -> None:
    """The warehouse's folder, made if missing; WarehouseError when it cannot be written."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WarehouseError(
            f"{path.parent}: cannot create the warehouse folder ({exc.strerror})"
        ) from exc
    if not os.access(path.parent, os.W_OK):
        raise WarehouseError(
            f"{path.parent}: folder is read-only. Choose another --db or fix its permissions"
        )


# A DuckDB database file says so at this offset of its first block.
_DUCKDB_MAGIC = (8, b"DUCK")


def _not_a_warehouse(path: Path) -> WarehouseError | None:
    """The error for an existing file at `path` that is not a DuckDB database (a report, a
    spreadsheet, anything given as --db by mistake); None when it is one, or is empty."""
    at, magic = _DUCKDB_MAGIC
    try:
        with open(path, "rb") as f:
            head = f.read(at + len(magic))
    except OSError:
        return None  # the connect that follows says what is wrong
    if not head or head[at:] == magic:
        return None
    return WarehouseError(
        f"{path}: is not a DuckDB warehouse but some other file, and is left as it is."
        " Give another --db path, or move this file away"
    )


@contextmanager
def writer_lock(path: Path | str) -> Iterator[None]:
    """One writer at a time: a second load waits instead of overwriting the first one's swap.
    Held around `swap(path, locked=True)` by a writer that must read or write something else
    (the corrections log) in step with the warehouse it publishes."""
    path = Path(path)
    _writable_folder(path)
    lock_path = path.with_name(f".{path.name}.lock")
    with open(lock_path, "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _out_of_space(exc: BaseException) -> bool:
    """A write that failed for want of room (disk full, quota, file size limit) or a broken
    disk: the user's to fix, with a message rather than a traceback."""
    if isinstance(exc, OSError):
        return exc.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT, errno.EIO, errno.EROFS)
    return isinstance(exc, (duckdb.IOException, duckdb.FatalException)) and any(
        cue in str(exc) for cue in ("No space", "too large", "Could not write", "Disk", "quota")
    )


@contextmanager
def swap(path: Path | str, locked: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to a fresh copy of the warehouse, published atomically on success.
    `locked`: the caller holds `writer_lock(path)` already."""
    path = Path(path)
    _writable_folder(path)
    with contextlib.nullcontext() if locked else writer_lock(path):
        # Holding the lock, any other copy beside the warehouse is a dead writer's (killed
        # mid-load): clear it, so crashes never pile up half-written files.
        for stale in path.parent.glob(f".{path.name}.*.tmp*"):
            stale.unlink(missing_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        _remove(tmp)
        if path.exists() and (wrong := _not_a_warehouse(path)):
            raise wrong
        try:
            if path.exists():
                shutil.copyfile(path, tmp)
            con = duckdb.connect(str(tmp), config=CONFIG)
        except (OSError, duckdb.Error) as exc:
            _remove(tmp)
            raise WarehouseError(
                f"{path}: cannot prepare a copy to write ({exc}). Check free disk space"
            ) from exc
        try:
            apply_schema(con)
            con.execute("BEGIN TRANSACTION")
            yield con
            con.execute("COMMIT")
            con.execute("CHECKPOINT")
            con.close()
            os.replace(tmp, path)
        except BaseException as exc:
            try:
                con.close()
            except duckdb.Error:
                pass  # a failed checkpoint leaves the connection unusable; the copy goes anyway
            finally:
                _remove(tmp)
            if _out_of_space(exc):
                raise WarehouseError(
                    f"{path}: could not write the new warehouse ({exc}). Free some disk space "
                    "and load again; the warehouse is unchanged"
                ) from exc
            raise


def _remove(p: Path) -> None:
    for candidate in (p, p.with_name(p.name + ".wal")):
        with suppress(FileNotFoundError):
            candidate.unlink()


class ReadOnlyWarehouse:
    """A read-only connection that reopens itself when a load has swapped the file.

    Threads share it through `cursor()`: each gets a cursor of its own, and a reopen waits
    until no cursor is in use (DuckDB keeps one instance per path, so the old connection must
    be closed before the new file can be opened).
    """

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self._con: duckdb.DuckDBPyConnection | None = None
        self._stamp: tuple[int, int] | None = None
        self._active = 0
        self._changed = threading.Condition()

    def _current_stamp(self) -> tuple[int, int] | None:
        try:
            st = self.path.stat()
        except FileNotFoundError:
            return None
        return st.st_ino, st.st_mtime_ns

    def _refresh(self) -> None:
        """Reopen if the file changed; the caller holds the condition and no cursor is out."""
        stamp = self._current_stamp()
        if stamp == self._stamp and self._con is not None:
            return
        self._close()
        if stamp is not None:
            self._con = connect_readonly(self.path)
            self._stamp = stamp

    def connection(self) -> duckdb.DuckDBPyConnection | None:
        """The open connection, or None when no warehouse exists yet (single-threaded use)."""
        with self._changed:
            self._changed.wait_for(lambda: self._active == 0)
            self._refresh()
            return self._con

    @contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection | None]:
        """A cursor of this thread's own, or None when no warehouse exists yet."""
        with self._changed:
            if self._current_stamp() != self._stamp or self._con is None:
                self._changed.wait_for(lambda: self._active == 0)
                self._refresh()
            if self._con is None:
                cur = None
            else:
                cur = self._con.cursor()
                self._active += 1
        try:
            yield cur
        finally:
            if cur is not None:
                cur.close()
                with self._changed:
                    self._active -= 1
                    self._changed.notify_all()

    def _close(self) -> None:
        if self._con is not None:
            self._con.close()
        self._con, self._stamp = None, None

    def close(self) -> None:
        with self._changed:
            self._close()
