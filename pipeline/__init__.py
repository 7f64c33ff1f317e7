"""The one pipeline: read → normalise → parse → validate → load.

It sits above `etl/` (pure extraction) and `warehouse/` (storage), which never import each
other: here an extraction is checked against the warehouse contract once, turned into rows,
and written in one atomic swap.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from etl.errors import InputError
from etl.extract import extract
from etl.ledger import LEDGER_SUFFIXES, as_ledger, ledger_extraction, read_table
from etl.overrides import apply_overrides
from etl.reader import DOCUMENT_SUFFIXES, HTML_SUFFIXES, TEXT_SUFFIXES, read_document
from etl.rules import load_rules
from pipeline.contracts import ContractError, check_extraction
from pipeline.rows import Prepared, indicator_rows, report_id_for
from pipeline.rows import item_count as item_count  # the one count of problems, re-exported

# The warehouse (and DuckDB with it) is imported by the functions that write, so preparing
# a report (`rectify extract`, an upload's preview) starts without loading the engine.

REPORT_SUFFIXES = (TEXT_SUFFIXES | HTML_SUFFIXES | DOCUMENT_SUFFIXES | LEDGER_SUFFIXES) - {""}


def looks_like_report(x) -> bool:
    """A rectification report has a skeleton, or at least header facts about an inspection."""
    r = x.report
    return bool(x.measures or x.findings or r.team or r.inspection_start)


def prepare_file(
    path: Path | str, overrides=(), progress: Callable[[str], None] | None = None
) -> Prepared:
    """Read, extract and check one file, with `overrides` (etl.overrides.Override) applied.
    InputError says what is wrong with it (also when it needs more memory than the process
    may take); `progress` hears each step's name ("read", "extract", "check") as it starts.
    A load applies the corrections in force when it writes (write_prepared), whatever was
    applied here."""
    try:
        return _prepare(Path(path), overrides, progress or (lambda _step: None))
    except MemoryError as exc:
        raise InputError(
            path,
            "it needs more memory than one file may take (a damaged or hostile file, or a "
            "report far longer than any we know)",
            "split it into smaller files, or report it with the file attached",
            "memory",
        ) from exc


def _prepare(path: Path, overrides, step: Callable[[str], None]) -> Prepared:
    step("read")
    cells = None
    if path.suffix.lower() in LEDGER_SUFFIXES:
        x, encoding, kind, cells = _read_ledger(path)
    else:
        doc = read_document(path)
        step("extract")
        x, encoding, kind = extract(doc.text), doc.encoding, doc.kind
    step("check")
    if not looks_like_report(x):
        raise InputError(
            path,
            "no rectification report found in it (no sections, findings or inspection header)",
            "check that it is a 巡视/巡察整改 report",
            "not_report",
        )
    rid = report_id_for(x.text, cells)
    try:
        check_extraction(x, str(path))
    except ContractError as exc:
        raise InputError(
            path, str(exc).split(": ", 1)[-1], "report it with the file attached", "contract"
        ) from exc
    changes = apply_overrides(x, rid, path.name, list(overrides))
    return Prepared(rid, str(path.resolve()), path.name, encoding, kind, x, changes)


def _read_ledger(path: Path):
    rules, table = load_rules(), read_table(path)
    ledger = as_ledger(table, rules, str(path))
    x = ledger_extraction(ledger, rules, path.name)
    return x, table.encoding, "ledger", table.identity()


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given; folders become the report files inside them (recursively, sorted),
    without hidden files and Office lock files (rules/reader.yaml `folder_skip`)."""
    skip = re.compile(load_rules().raw["reader"]["folder_skip"]["pattern"])
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out += sorted(
                f
                for f in p.rglob("*")
                if f.is_file()
                and f.suffix.lower() in REPORT_SUFFIXES
                and not any(skip.match(part) for part in f.relative_to(p).parts)
            )
        else:
            out.append(p)
    return out


@dataclass
class LoadResult:
    loaded: list[Prepared] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (path, message)
    # Reports the warehouse held before and this load replaced: (report id, file name,
    # source path) of the old copy (warehouse.load.write_reports).
    replaced: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def reports(self) -> int:
        """How many reports the load wrote: files that resolve to one report count once."""
        return len({p.report_id for p in self.loaded})


def superseded(batch: list[Prepared]) -> dict[int, Prepared]:
    """Files of a batch that resolve to the same report as a later file of it (the same
    plain text, or a ledger with the same cells): index in `batch` → the later file whose
    copy is kept (the last one wins, as the warehouse writes them)."""
    last: dict[str, Prepared] = {}
    for p in batch:
        last[p.report_id] = p
    return {i: last[p.report_id] for i, p in enumerate(batch) if last[p.report_id] is not p}


def load_paths(
    paths: Iterable[str | Path], db: Path, on_file: Callable[[Path], None] | None = None
) -> LoadResult:
    """Prepare every file, then write the good ones in one atomic swap of the warehouse,
    with the analysts' corrections in force applied."""
    result = LoadResult()
    for path in expand_paths(paths):
        try:
            result.loaded.append(prepare_file(path))
        except InputError as exc:
            result.failed.append((str(path), exc.message))
        if on_file:
            on_file(path)
    if result.loaded:
        result.replaced = write_prepared(db, result.loaded)
    return result


def write_prepared(db: Path, batch: list[Prepared]) -> list[tuple[str, str, str]]:
    """Write prepared reports into the warehouse at `db` in one atomic swap, each with the
    corrections in force (read from the log holding the writer lock, so that a correction
    saved while the files were read is not lost); returns the reports it held before that
    were replaced: (report id, file name, source path)."""
    from pipeline.corrections import correct_prepared, overrides_in_force
    from warehouse.db import swap, writer_lock
    from warehouse.load import write_reports

    with writer_lock(db):
        correct_prepared(batch, overrides_in_force(db))
        rows = [p.rows() for p in batch]
        with swap(db, locked=True) as con:
            return write_reports(con, rows, indicator_rows(load_rules()))


def remove_reports(db: Path, report_ids: list[str]) -> None:
    """Delete reports from the warehouse, in one atomic swap (readers keep the old file until
    the new one is published)."""
    from warehouse.db import swap
    from warehouse.load import delete_reports, refresh_catalogue, refresh_rollup_all

    with swap(db) as con:
        delete_reports(con, report_ids)
        refresh_rollup_all(con)
        refresh_catalogue(con, indicator_rows(load_rules()))
