"""What the pipeline hands the warehouse: one report's rows, table by table (no DuckDB here,
so preparing a report never loads the database engine)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ReportRows:
    """One report's rows by table name (warehouse.load.TABLES), each row a dict of
    schema.sql columns (a missing key is NULL); the report row's `loaded_at` is set when
    written."""

    report_id: str
    source_path: str
    tables: dict[str, list[dict]] = field(default_factory=dict)
