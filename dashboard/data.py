"""The app's handle on the warehouse: read-only, reopened when a load swaps the file."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from warehouse.db import ReadOnlyWarehouse

_warehouse: ReadOnlyWarehouse | None = None


def configure(db_path: Path | str) -> None:
    global _warehouse
    if _warehouse is not None:
        _warehouse.close()
    _warehouse = ReadOnlyWarehouse(db_path)


@contextmanager
def cursor() -> Iterator[duckdb.DuckDBPyConnection | None]:
    """A cursor of its own for each callback (callbacks run on several threads)."""
    if _warehouse is None:
        yield None
        return
    with _warehouse.cursor() as cur:
        yield cur


def db_path() -> Path | None:
    """The warehouse file the app reads (and the data page writes, by atomic swaps)."""
    return _warehouse.path if _warehouse is not None else None


def log():
    """The corrections log beside the warehouse (pipeline/corrections.py), or None before the
    app is configured."""
    from pipeline.corrections import open_log

    return open_log(_warehouse.path) if _warehouse is not None else None
