"""Prepare or load files in a child process under an address-space and time limit.

The dashboard's uploads run here, so a hostile file (a zip bomb, a sheet that claims a
million columns, a line that makes the parser quadratic) ends a child process with a
message, never the web worker that asked. A job lives in a folder:

- `.job.json`: what to do (written once by `start`);
- `.status.json`: progress and results, written by the job's supervisor only and replaced
  atomically, so any web worker (gunicorn runs several) can follow it with `read_status`.

The supervisor (`python -m pipeline.jobs FOLDER`, its own session) forks one child per file
to prepare ("stage"), or one child to prepare and write a batch ("load"); each child runs
under RLIMIT_AS and a wall-clock deadline (RLIMIT_CPU behind it). A child that dies or runs
out of time is reported with a code (`memory`, `time`, `crashed`) the caller can word in
its user's language. Limits come from rules/reader.yaml (`limits`).
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import select
import signal
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

JOB_FILE = ".job.json"
STATUS_FILE = ".status.json"
STAGE, LOAD = "stage", "load"
RUNNING, DONE = "running", "done"
# Allocators and thread pools reserve address space per thread; under RLIMIT_AS a child
# keeps to what it uses (OpenBLAS, glibc arenas, Arrow's allocator).
_CHILD_ENV = {
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MALLOC_ARENA_MAX": "2",
    "ARROW_DEFAULT_MEMORY_POOL": "system",
}
_STATUS_EVERY = 0.2  # seconds between progress writes
_CRASHED, _OUT_OF_MEMORY = 1, 3  # a child's exit codes


@dataclass(frozen=True)
class JobLimits:
    parse_memory_bytes: int  # address space of a child that prepares one file
    load_memory_bytes: int  # address space of a child that prepares and writes a batch
    seconds: int  # wall-clock time for one file (a load: per file, plus the write)

    @classmethod
    def from_rules(cls) -> JobLimits:
        from etl.rules import load_rules

        lim = load_rules().raw["reader"]["limits"]
        return cls(lim["job_parse_memory_bytes"], lim["job_load_memory_bytes"], lim["job_seconds"])


@dataclass
class Status:
    """What a job's supervisor last wrote. `results`: per file for a stage (name, ok,
    message or code, and what was understood); for a load, `loaded` and `failed`."""

    state: str  # "running", "done", or "lost" (the supervisor is gone without a word)
    kind: str
    total: int = 0
    done: int = 0
    current: str = ""
    step: str = ""
    elapsed: float = 0.0
    seconds: int = 0
    results: list[dict] = field(default_factory=list)
    loaded: list[dict] = field(default_factory=list)
    failed: list[dict] = field(default_factory=list)
    error: dict | None = None  # a whole load that failed: code, and message or limits

    @property
    def fraction(self) -> float:
        """Share of the work done, 0..1; a file under way counts by its step."""
        steps = {"read": 0.1, "extract": 0.4, "check": 0.8, "write": 0.9}
        if not self.total:
            return 0.0
        return min(1.0, (self.done + steps.get(self.step, 0.0)) / self.total)


def start(
    folder: Path,
    kind: str,
    files: Iterable[Path],
    db: Path | None = None,
    cleanup: Iterable[Path] = (),
    limits: JobLimits | None = None,
) -> None:
    """Start a job on `files` with its status in `folder`; returns at once.

    kind "stage": prepare each file; a file that fails is deleted. kind "load": prepare all
    and write them into the warehouse `db` in one swap; if that fails, the paths in
    `cleanup` (files just published for it) are removed.
    """
    limits = limits or JobLimits.from_rules()
    files = [str(Path(f)) for f in files]
    job = {
        "kind": kind,
        "files": files,
        "db": str(db) if db else None,
        "cleanup": [str(p) for p in cleanup],
        "parse_memory_bytes": limits.parse_memory_bytes,
        "load_memory_bytes": limits.load_memory_bytes,
        "seconds": limits.seconds,
    }
    _write_json(folder / JOB_FILE, job)
    proc = subprocess.Popen(
        [sys.executable, "-m", "pipeline.jobs", str(folder.resolve())],
        start_new_session=True,  # its own process group: cancel ends it and its child
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        env={**os.environ, **_CHILD_ENV},
    )
    _write_json(
        folder / STATUS_FILE,
        {
            "state": RUNNING,
            "kind": kind,
            "pid": proc.pid,
            "total": len(files),
            "started": time.time(),
            "seconds": _shown_seconds(kind, limits.seconds, len(files)),
        },
    )
    # Reap it when it ends, so it never lingers as a zombie of the web worker.
    threading.Thread(target=proc.wait, daemon=True).start()


def _shown_seconds(kind: str, per_file: int, files: int) -> int:
    """The time limit a status states: per file for a stage, for the whole of a load (each
    file, and the write)."""
    return per_file if kind == STAGE else per_file * (files + 1)


def read_status(folder: Path) -> Status | None:
    """The job's status, or None when the folder holds no job."""
    try:
        raw = json.loads((folder / STATUS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    status = Status(
        state=raw.get("state", RUNNING),
        kind=raw.get("kind", STAGE),
        total=raw.get("total", 0),
        done=raw.get("done", 0),
        current=raw.get("current", ""),
        step=raw.get("step", ""),
        elapsed=time.time() - raw.get("started", time.time()),
        seconds=raw.get("seconds", 0),
        results=raw.get("results", []),
        loaded=raw.get("loaded", []),
        failed=raw.get("failed", []),
        error=raw.get("error"),
    )
    if status.state == RUNNING and not _alive(raw.get("pid"), folder):
        status.state = "lost"
    return status


def cancel(folder: Path) -> None:
    """End a running job and its child at once (nothing it was writing is published)."""
    try:
        pid = json.loads((folder / STATUS_FILE).read_text(encoding="utf-8")).get("pid")
    except (OSError, ValueError):
        return
    if _alive(pid, folder):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, signal.SIGKILL)


def _alive(pid, folder: Path) -> bool:
    """Whether `pid` is still this folder's supervisor (not a zombie, not a reused pid)."""
    if not isinstance(pid, int) or pid <= 0:
        return False
    proc = Path(f"/proc/{pid}")
    try:
        if proc.exists():
            state = (proc / "stat").read_text().rsplit(")", 1)[1].split()[0]
            args = (proc / "cmdline").read_bytes().split(b"\0")
            return state != "Z" and str(folder.resolve()).encode() in args
        os.kill(pid, 0)  # no /proc: the best a pid can say
        return True
    except (OSError, IndexError):
        return False


def _write_json(path: Path, data: dict) -> None:
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)


# --- the supervisor and its children (run as `python -m pipeline.jobs FOLDER`) ---------


class _Supervisor:
    def __init__(self, folder: Path):
        self.folder = folder
        self.job = json.loads((folder / JOB_FILE).read_text(encoding="utf-8"))
        self.status = {
            "state": RUNNING,
            "kind": self.job["kind"],
            "pid": os.getpid(),
            "started": time.time(),
            "seconds": _shown_seconds(
                self.job["kind"], self.job["seconds"], len(self.job["files"])
            ),
            "total": len(self.job["files"]),
            "done": 0,
            "current": "",
            "step": "",
            "results": [],
        }
        self._last_write = 0.0
        self._pending = False

    def write(self, force: bool = False) -> None:
        """Publish the status: at once when `force`, else at most every _STATUS_EVERY
        seconds (what is held back goes out with the next call)."""
        now = time.monotonic()
        if force or now - self._last_write >= _STATUS_EVERY:
            _write_json(self.folder / STATUS_FILE, self.status)
            self._last_write = now
            self._pending = False
        else:
            self._pending = True

    def run(self) -> None:
        import pipeline  # noqa: F401 - loaded once here, shared by every forked child

        self.write(force=True)
        if self.job["kind"] == STAGE:
            self._stage()
        else:
            self._load()
        self.status["state"] = DONE
        self.write(force=True)

    def _stage(self) -> None:
        for path in map(Path, self.job["files"]):
            self.status.update(current=path.name, step="")
            self.write(force=True)
            result = self._in_child(
                lambda send, p=path: stage_one(p, send),
                self.job["parse_memory_bytes"],
                self.job["seconds"],
            )
            result.setdefault("name", path.name)
            if not result.get("ok"):
                path.unlink(missing_ok=True)  # only what can load stays in staging
            self.status["results"].append(result)
            self.status["done"] += 1
            self.write(force=True)

    def _load(self) -> None:
        files, db = self.job["files"], Path(self.job["db"])
        seconds = self.status["seconds"]
        result = self._in_child(
            lambda send: _load_all(files, db, send), self.job["load_memory_bytes"], seconds
        )
        self.status["loaded"] = result.get("loaded", [])
        self.status["failed"] = result.get("failed", [])
        self.status["done"] = len(files)
        unused = {str(Path(f["path"]).resolve()) for f in self.status["failed"]}
        if not result.get("ok"):
            self.status["error"] = {k: v for k, v in result.items() if k != "ok"}
            unused = {str(Path(f).resolve()) for f in files}
        for path in map(Path, self.job["cleanup"]):  # published for this load, not loaded
            if str(path.resolve()) in unused:
                path.unlink(missing_ok=True)
                with contextlib.suppress(OSError):  # its content-hash folder, if now empty
                    path.parent.rmdir()

    def _in_child(self, work: Callable, memory: int, seconds: int) -> dict:
        """Run `work(send)` in a forked child under the limits; its last result, or why it
        gave none."""
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child
            code = _CRASHED
            try:
                os.close(read_end)
                resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
                resource.setrlimit(resource.RLIMIT_CPU, (seconds + 1, seconds + 2))
                out = os.fdopen(write_end, "w", encoding="utf-8", buffering=1)
                work(lambda message: out.write(json.dumps(message, ensure_ascii=False) + "\n"))
                out.flush()
                code = 0
            except MemoryError:
                code = _OUT_OF_MEMORY
            except BaseException:  # noqa: BLE001 - the child reports and always exits here
                traceback.print_exc()
            finally:
                os._exit(code)
        os.close(write_end)
        result: dict | None = None
        timed_out = False
        deadline = time.monotonic() + seconds
        pending = b""
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                timed_out = True
                os.kill(pid, signal.SIGKILL)
                break
            ready, _, _ = select.select([read_end], [], [], min(left, _STATUS_EVERY))
            if not ready:
                if self._pending:
                    self.write()
                continue
            chunk = os.read(read_end, 1 << 16)
            if not chunk:
                break
            pending += chunk
            *lines, pending = pending.split(b"\n")
            for line in lines:
                message = json.loads(line)
                if "result" in message:
                    result = message["result"]
                else:  # progress: step, and for a load the files done
                    self.status.update(message)
                    self.write()
        os.close(read_end)
        _, wait_status = os.waitpid(pid, 0)
        if result is not None and not timed_out:
            return result
        signalled = os.WIFSIGNALED(wait_status)
        if timed_out or signalled and os.WTERMSIG(wait_status) == signal.SIGXCPU:
            return {"ok": False, "code": "time", "seconds": seconds}
        if not signalled and os.WEXITSTATUS(wait_status) == _OUT_OF_MEMORY:
            return {"ok": False, "code": "memory", "mib": memory >> 20}
        # Out of address space inside a C library, or a fault: the file broke the parser.
        return {"ok": False, "code": "crashed", "mib": memory >> 20}


def stage_one(path: Path, send: Callable[[dict], None]) -> None:
    """Prepare one file and `send` its progress steps, then {"result": …}: what the 数据
    page's preview shows of it (its counts, or the one-line problem)."""
    from etl.errors import InputError
    from pipeline import prepare_file

    try:
        prepared = prepare_file(path, progress=lambda step: send({"step": step}))
    except InputError as exc:
        send(
            {
                "result": {
                    "name": path.name,
                    "ok": False,
                    "message": _without_path(exc.message),
                    # The kind of problem, for the page to say in its reader's language.
                    "input": {"code": exc.code, "fields": exc.fields},
                }
            }
        )
        return
    send({"result": _summary(prepared) | {"name": path.name, "ok": True}})


def _load_all(files: list[str], db: Path, send: Callable[[dict], None]) -> None:
    from pipeline import load_paths
    from warehouse.errors import WarehouseError

    done = 0

    def one_more(path: Path) -> None:
        nonlocal done
        done += 1
        send(
            {
                "done": done,
                "current": Path(path).name,
                "step": "write" if done == len(files) else "",
            }
        )

    try:
        result = load_paths(files, db, on_file=one_more)
    except WarehouseError as exc:
        send({"result": {"ok": False, "code": "warehouse", "message": str(exc)}})
        return
    send(
        {
            "result": {
                "ok": True,
                "loaded": [_summary(p) for p in result.loaded],
                "failed": [
                    {"path": path, "message": f"{Path(path).name}: {_without_path(message)}"}
                    for path, message in result.failed
                ],
            }
        }
    )


def _without_path(message: str) -> str:
    """An InputError's line without the server's path in front (the page names the file)."""
    return message.split(": ", 1)[-1]


def _summary(prepared) -> dict:
    from pipeline.rows import item_count

    x = prepared.extraction
    return {
        "report_id": prepared.report_id,
        "file_name": prepared.file_name,
        "kind": prepared.source_kind,
        "title": x.report.title or prepared.file_name,
        "items": item_count(x),
        "measures": len(x.measures),
        "metrics": len(x.metrics),
        # What the parse was unsure of (rows and sheets skipped, unknown statuses, deadlines
        # not understood …), for the preview to list before anything is loaded.
        "warnings": [
            {"code": w.code, "message": w.message, "args": w.args, "level": w.level}
            for w in x.warnings
        ],
    }


if __name__ == "__main__":
    _Supervisor(Path(sys.argv[1])).run()
