"""The warehouse as Parquet files, one per table, that other engines (Spark, pandas/pyarrow,
Polars, another DuckDB) read unchanged: the way past one machine."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import duckdb

# Every table, base and derived; the views are queries over these and need no files.
PARQUET_TABLES = (
    "report",
    "finding",
    "measure",
    "metric",
    "department",
    "measure_department",
    "parse_warning",
    "item_department",
    "indicator",
    "measure_fact",
    "item_fact",
    "item_department_fact",
    "rollup",
    "rollup_all",
)


def _literal(path: Path) -> str:
    """A path as an SQL string literal: COPY takes no bound parameter for its target."""
    return "'" + str(path).replace("'", "''") + "'"


def export_parquet(con: duckdb.DuckDBPyConnection, out: Path) -> dict[str, int]:
    """Write each table to OUT/<table>.parquet (zstd) and a manifest.json of tables, rows and
    columns; written beside OUT first and renamed into place, so a failure leaves no half set.
    Returns rows per table."""
    out = Path(out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise FileExistsError(f"{out}: exists and is not an empty folder")
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    try:
        manifest = {"format": "rectify warehouse as parquet", "tables": {}}
        for table in PARQUET_TABLES:  # table names are the module's constants, never input
            con.execute(
                f"COPY (SELECT * FROM {table}) TO {_literal(tmp / f'{table}.parquet')} "
                "(FORMAT parquet, COMPRESSION zstd)"
            )
            rows = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            columns = [
                {"name": row[0], "type": str(row[1])}
                for row in con.execute(f"DESCRIBE {table}").fetchall()
            ]
            manifest["tables"][table] = {
                "file": f"{table}.parquet",
                "rows": rows,
                "columns": columns,
            }
        (tmp / "manifest.json").write_text(
            json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8"
        )
        if out.exists():
            out.rmdir()
        os.replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return {t: manifest["tables"][t]["rows"] for t in PARQUET_TABLES}
