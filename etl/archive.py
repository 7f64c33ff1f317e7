"""Zip-based inputs (.xlsx, .docx) checked before a parser opens them.

A zip's directory says how large each part inflates to; a part that claims a huge size or an
extreme compression ratio (a zip bomb) is refused from the directory alone, and every part is
then read through a counting stream, so a directory that lies is caught while inflating, and
never past the limit. Limits come from rules/reader.yaml (`limits`).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from etl.errors import PROGRAMS_EN, InputError, office_programs
from etl.rules import load_rules

_CHUNK = 1 << 20


@dataclass(frozen=True)
class ZipLimits:
    total_bytes: int
    part_bytes: int
    ratio: float
    parts: int

    @classmethod
    def from_rules(cls) -> ZipLimits:
        lim = load_rules().raw["reader"]["limits"]
        return cls(
            lim["zip_total_bytes"], lim["zip_part_bytes"], float(lim["zip_ratio"]), lim["zip_parts"]
        )


def _too_big(path: Path | str, what: str) -> InputError:
    programs = office_programs(path)
    return InputError(
        path,
        f"{what}: it looks like a zip bomb or a damaged file",
        f"open it in {PROGRAMS_EN[programs]} and save it again, or send the original",
        "zip_bomb",
        programs=programs,
    )


def check_zip(raw: bytes, path: Path | str, limits: ZipLimits | None = None) -> None:
    """Raise InputError unless every part of the zip in `raw` inflates within the limits.

    Reads each part through zlib with a running count: memory stays at one chunk, and time at
    the size of the data actually present, whatever the directory claims.
    """
    limits = limits or ZipLimits.from_rules()
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InputError(
            path,
            f"not a readable zip-based file ({exc})",
            "open it and save it again",
            "unreadable",
            programs=office_programs(path),
        ) from exc
    with archive:
        infos = archive.infolist()
        if len(infos) > limits.parts:
            raise _too_big(path, f"it holds {len(infos):,} parts (limit {limits.parts:,})")
        claimed = 0
        for info in infos:
            claimed += info.file_size
            _check_sizes(path, info.filename, info.file_size, info.compress_size, limits)
        if claimed > limits.total_bytes:
            raise _too_big(path, f"its parts would inflate to {claimed // 1_048_576:,} MiB")
        total = 0
        for info in infos:
            read = 0
            try:
                with archive.open(info) as part:
                    while chunk := part.read(_CHUNK):
                        read += len(chunk)
                        total += len(chunk)
                        _check_sizes(path, info.filename, read, info.compress_size, limits)
                        if total > limits.total_bytes:
                            raise _too_big(
                                path,
                                f"its parts inflate past {limits.total_bytes // 1_048_576} MiB",
                            )
            except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
                raise InputError(
                    path,
                    f"part {info.filename} cannot be read ({exc})",
                    "open it and save it again",
                    "unreadable",
                    programs=office_programs(path),
                ) from exc


def _check_sizes(path, name: str, size: int, compressed: int, limits: ZipLimits) -> None:
    if size > limits.part_bytes:
        raise _too_big(path, f"part {name} inflates past {limits.part_bytes // 1_048_576} MiB")
    if size > _CHUNK and size > limits.ratio * max(compressed, 1):
        raise _too_big(
            path, f"part {name} inflates {size / max(compressed, 1):,.0f} times its stored size"
        )
