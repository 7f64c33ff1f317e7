"""Files dropped on the data page: checked, kept in a staging folder beside the warehouse,
previewed, then loaded on confirmation. Names from the browser never choose a path."""

from __future__ import annotations

import base64
import binascii
import os
import re
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path

from etl.errors import InputError
from pipeline import REPORT_SUFFIXES, item_count, prepare_file
from views.export import UNSAFE_IN_NAMES

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
_TOKEN = re.compile(r"^[0-9a-f]{16}$")


@dataclass(frozen=True)
class Staged:
    name: str  # the file's safe name in the staging folder
    ok: bool
    kind: str
    items: int  # problems as counted everywhere (pipeline.item_count: 具体问题)
    measures: int
    metrics: int
    message: str  # the problem, or what was understood


def uploads_root(db: Path) -> Path:
    """Uploaded files live beside the warehouse, so a reload finds them again."""
    return db.parent / "uploads"


def safe_name(name: str) -> str:
    """A browser's file name as a plain file name: no folders, no control characters, no
    leading dots; its suffix kept."""
    base = UNSAFE_IN_NAMES.sub("_", Path(str(name).replace("\\", "/")).name).strip(" .")
    stem, suffix = Path(base).stem[:80] or "upload", Path(base).suffix.lower()[:8]
    return f"{stem}{suffix}"


def new_batch(db: Path) -> tuple[str, Path]:
    token = secrets.token_hex(8)
    folder = uploads_root(db) / "staging" / token
    folder.mkdir(parents=True, exist_ok=True)
    return token, folder


def batch_folder(db: Path, token: str) -> Path | None:
    """The staging folder of a batch, only for a token this module made."""
    if not isinstance(token, str) or not _TOKEN.match(token):
        return None
    folder = uploads_root(db) / "staging" / token
    return folder if folder.is_dir() else None


def stage(folder: Path, name: str, contents: str) -> Staged:
    """Decode one dcc.Upload file into the staging folder and prepare it (nothing is loaded)."""
    safe = safe_name(name)
    suffix = Path(safe).suffix
    if suffix not in REPORT_SUFFIXES:
        return Staged(safe, False, "", 0, 0, 0, f"unsupported file type {suffix or '(none)'}")
    try:
        raw = base64.b64decode(contents.split(",", 1)[1], validate=True)
    except (IndexError, ValueError, binascii.Error):
        return Staged(safe, False, "", 0, 0, 0, "the upload was damaged; try again")
    if len(raw) > MAX_UPLOAD_BYTES:
        return Staged(
            safe, False, "", 0, 0, 0, f"over the {MAX_UPLOAD_BYTES // 1_048_576} MiB limit"
        )
    path = folder / safe
    n = 1
    while path.exists():  # two files of one name in a batch keep both
        path = folder / f"{Path(safe).stem}-{n}{suffix}"
        n += 1
    path.write_bytes(raw)
    try:
        prepared = prepare_file(path)
    except InputError as exc:
        path.unlink(missing_ok=True)
        return Staged(path.name, False, "", 0, 0, 0, f"{exc.problem}. {exc.action}")
    x = prepared.extraction
    title = x.report.title or path.name
    return Staged(
        path.name,
        True,
        prepared.source_kind,
        item_count(x),
        len(x.measures),
        len(x.metrics),
        title,
    )


def publish(db: Path, token: str) -> list[Path]:
    """Move a batch's good files out of staging into the uploads folder; their new paths."""
    folder = batch_folder(db, token)
    if folder is None:
        return []
    kept = []
    for path in sorted(folder.iterdir()):
        # A file uploaded again under its name replaces the earlier one, as a report loaded
        # again from one path replaces itself in the warehouse.
        target = uploads_root(db) / path.name
        os.replace(path, target)
        kept.append(target)
    shutil.rmtree(folder, ignore_errors=True)
    return kept


def discard(db: Path, token: str) -> None:
    folder = batch_folder(db, token)
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)
