"""The loaded reports as the 通报 and 数据 pages list them: a page at a time, searched on the
server, each report with its counts (made as every view makes them), its file name and load
time, and its parse warnings in the reader's language."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

import duckdb
import pandas as pd

from etl.warnings import render
from warehouse import queries

PAGE_SIZE = 25


@dataclass(frozen=True)
class ReportsPage:
    rows: pd.DataFrame  # queries.reports_page
    total: int  # reports matching the search
    page: int  # 1-based, within 1..pages
    pages: int  # at least 1
    warnings: dict[str, list[str]]  # report id → its warnings, rendered

    @property
    def first(self) -> int:
        """The 1-based position of the page's first report (0 when there is none)."""
        return (self.page - 1) * PAGE_SIZE + 1 if self.total else 0

    @property
    def last(self) -> int:
        return min(self.total, self.page * PAGE_SIZE)


def render_warning(code: str, args: dict | None, lang: str, stored: str = "") -> str:
    """One warning as a sentence in `lang` from the catalogue (rules/warnings.yaml); a code
    the catalogue lacks reads as its stored message."""
    text = render(code, args or {}, lang)
    return stored if text == code and stored else text


def stored_warning(code: str, message: str, args: str | None, lang: str) -> str:
    """A parse_warning row's warning in `lang` (its fields stored as JSON text)."""
    try:
        fields = json.loads(args) if isinstance(args, str) and args else {}
    except ValueError:
        fields = {}
    return render_warning(code, fields, lang, message)


def warning_messages(frame: pd.DataFrame, lang: str) -> dict[str, list[str]]:
    """Each report's warnings (queries.report_warnings) as sentences in `lang`, from the
    catalogue (rules/warnings.yaml); a code the catalogue lacks reads as its stored message."""
    out: dict[str, list[str]] = {}
    for rid, code, message, args in zip(
        frame["report_id"], frame["code"], frame["message"], frame["args"], strict=True
    ):
        out.setdefault(rid, []).append(stored_warning(code, message, args, lang))
    return out


def report_warnings(con: duckdb.DuckDBPyConnection, report_id: str, lang: str) -> list[str]:
    """One report's warnings in `lang` (empty: nothing to review)."""
    return warning_messages(queries.report_warnings(con, [report_id]), lang).get(report_id, [])


def reports_page(
    con: duckdb.DuckDBPyConnection, search: str | None, page: int | None, lang: str
) -> ReportsPage:
    """Page `page` (1-based; past the end gives the last) of the reports matching `search`."""
    search = (search or "").strip() or None
    total = queries.report_count(con, search)
    pages = max(1, math.ceil(total / PAGE_SIZE))
    page = min(max(1, int(page or 1)), pages)
    rows = queries.reports_page(con, search, PAGE_SIZE, (page - 1) * PAGE_SIZE)
    flagged = [r for r, n in zip(rows["report_id"], rows["n_warnings"], strict=True) if n]
    warnings = warning_messages(queries.report_warnings(con, flagged), lang) if flagged else {}
    return ReportsPage(rows, total, page, pages, warnings)
