"""Files dropped on the data page: received into a staging batch beside the warehouse,
prepared and loaded by jobs in a child process under memory and time limits
(pipeline/jobs.py), previewed before anything is loaded. Names from the browser never
choose a path.

Layout beside the warehouse:

- `uploads/staging/<token>/<n>/<name>`: a batch, one folder per file so that two files of
  one name both stay; the job's status beside them. A batch is removed when it is loaded,
  cancelled, fails, or is left alone for `STAGING_TTL` seconds.
- `uploads/<content hash>/<name>`: a published file. Its path is unique to its content, so
  a different file of the same name never replaces it (nor, in the warehouse, its report),
  and the data page can reload it later.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import re
import secrets
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from pipeline import REPORT_SUFFIXES, jobs
from views.export import UNSAFE_IN_NAMES
from views.i18n import input_message, programs_for, t
from views.reports import level_of, render_warning

MAX_UPLOAD_BYTES = 20 * 1024 * 1024  # one file
MAX_BATCH_BYTES = 3 * MAX_UPLOAD_BYTES  # what one drop may send, all files together
# The largest request body the server reads (Flask's MAX_CONTENT_LENGTH): a batch's files
# as base64 data URLs in the callback's JSON, with room for the rest of the request.
MAX_REQUEST_BYTES = MAX_BATCH_BYTES * 4 // 3 + (1 << 20)
STAGING_TTL = 3600  # seconds: a batch left alone this long is abandoned and removed
_TOKEN = re.compile(r"^[0-9a-f]{16}$")


@dataclass(frozen=True)
class Staged:
    name: str  # the file's safe name
    ok: bool
    kind: str
    items: int  # problems as counted everywhere (pipeline.item_count: 具体问题)
    measures: int
    metrics: int
    message: str  # the problem, or what was understood
    report_id: str = ""
    warnings: tuple[str, ...] = ()  # what the parse was unsure of (review level), worded in
    # the page's language: these raise the 待核查 mark
    notes: tuple[str, ...] = ()  # what the parse left out as it should (info level), worded


def uploads_root(db: Path) -> Path:
    """Uploaded files live beside the warehouse, so a reload finds them again."""
    return db.parent / "uploads"


def staging_root(db: Path) -> Path:
    return uploads_root(db) / "staging"


def safe_name(name: str) -> str:
    """A browser's file name as a plain file name: no folders, no control characters, no
    leading dots; its suffix kept."""
    base = UNSAFE_IN_NAMES.sub("_", Path(str(name).replace("\\", "/")).name).strip(" .")
    stem, suffix = Path(base).stem[:80] or "upload", Path(base).suffix.lower()[:8]
    return f"{stem}{suffix}"


def new_batch(db: Path) -> tuple[str, Path]:
    """A fresh staging batch (token, folder); abandoned batches are swept first."""
    sweep(db)
    token = secrets.token_hex(8)
    folder = staging_root(db) / token
    folder.mkdir(parents=True, exist_ok=True)
    return token, folder


def batch_folder(db: Path, token: str) -> Path | None:
    """The staging folder of a batch, only for a token this module made."""
    if not isinstance(token, str) or not _TOKEN.match(token):
        return None
    folder = staging_root(db) / token
    return folder if folder.is_dir() else None


def receive(folder: Path, index: int, name: str, contents: str | None) -> dict | None:
    """Decode the `index`th dcc.Upload file of a drop into the batch; a rejection (a result
    the preview shows) when its type, size or encoding is wrong, else None. `contents`
    None: the browser held it back as too large."""
    safe = safe_name(name)
    suffix = Path(safe).suffix
    if suffix not in REPORT_SUFFIXES:
        return {"name": safe, "ok": False, "code": "type", "suffix": suffix or "(none)"}
    if contents is None:
        return {"name": safe, "ok": False, "code": "size", "mib": MAX_UPLOAD_BYTES >> 20}
    try:
        raw = base64.b64decode(contents.split(",", 1)[1], validate=True)
    except (IndexError, ValueError, binascii.Error):
        return {"name": safe, "ok": False, "code": "damaged"}
    if len(raw) > MAX_UPLOAD_BYTES:
        return {"name": safe, "ok": False, "code": "size", "mib": MAX_UPLOAD_BYTES >> 20}
    slot = folder / str(index)
    slot.mkdir()
    (slot / safe).write_bytes(raw)
    return None


def staged_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*/*") if p.is_file())


def start_staging(folder: Path) -> bool:
    """Prepare the batch's files in a limited child process; False when none was received."""
    files = staged_files(folder)
    if files:
        jobs.start(folder, jobs.STAGE, files)
    return bool(files)


def status(db: Path, token: str) -> jobs.Status | None:
    folder = batch_folder(db, token)
    return jobs.read_status(folder) if folder is not None else None


def describe(result: dict, lang: str) -> Staged:
    """A job's (or the receiver's) result for one file, worded in `lang`."""
    if result.get("ok"):
        said = [
            (
                w.get("level") or level_of(w.get("code", ""), w.get("args")),
                render_warning(w.get("code", ""), w.get("args"), lang, w.get("message", "")),
            )
            for w in result.get("warnings", [])
        ]
        return Staged(
            result["name"],
            True,
            result["kind"],
            result["items"],
            result["measures"],
            result["metrics"],
            result["title"],
            result["report_id"],
            tuple(text for level, text in said if level != "info"),
            tuple(text for level, text in said if level == "info"),
        )
    return Staged(result["name"], False, "", 0, 0, 0, problem(result, lang))


def problem(result: dict, lang: str) -> str:
    """Why a file or a job failed, in `lang`: a job's code, the kind of problem the parser
    named (views.i18n.INPUT_ERRORS), else the parser's own line."""
    code = result.get("code")
    if code is not None:
        return t(f"upload_{code}", lang).format(
            **{"programs": programs_for(result.get("name", ""), lang), **result}
        )
    refused = result.get("input") or {}
    said = input_message(refused.get("code"), refused.get("fields"), lang)
    if said is not None:
        return said
    message = result.get("message", "")
    return message[:1].upper() + message[1:]


def publish(db: Path, token: str) -> tuple[list[Path], list[Path]]:
    """Move the batch's files (those its staging job kept) into the uploads folder, each
    under its content hash; (their paths, those that were not there before)."""
    folder = batch_folder(db, token)
    if folder is None:
        return [], []
    paths, new = [], []
    for path in staged_files(folder):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
        target = uploads_root(db) / digest / path.name
        if not target.exists():  # same hash and name: the very same file is already kept
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, target)
            new.append(target)
        paths.append(target)
    return paths, new


def start_loading(folder: Path, db: Path, paths: list[Path], new: list[Path]) -> None:
    """Load `paths` into the warehouse in a limited child process; if it fails, the files
    just published for it (`new`) are removed again."""
    jobs.start(folder, jobs.LOAD, paths, db=db, cleanup=new)


def start_reload(db: Path, source: Path) -> str:
    """Load one kept file again, as a job of its own batch; the batch's token."""
    token, folder = new_batch(db)
    jobs.start(folder, jobs.LOAD, [source], db=db)
    return token


def discard(db: Path, token: str) -> None:
    """End the batch's job, if running, and remove the batch."""
    folder = batch_folder(db, token)
    if folder is not None:
        jobs.cancel(folder)
        shutil.rmtree(folder, ignore_errors=True)


def sweep(db: Path, max_age: float = STAGING_TTL) -> None:
    """Remove batches nobody has touched for `max_age` seconds (a closed tab, a crash)."""
    root = staging_root(db)
    if not root.is_dir():
        return
    now = time.time()
    for folder in root.iterdir():
        try:
            touched = max(p.stat().st_mtime for p in [folder, *folder.glob(".*.json")])
        except OSError:
            continue
        if now - touched > max_age:
            jobs.cancel(folder)
            shutil.rmtree(folder, ignore_errors=True)
