"""The filter: one object for what a user narrowed the view to. It owns its URL form (so a
view can be bookmarked and sent), its SQL (constant fragments with bound values, never
values in the text) and how it reads to a person (given the vocabulary's words).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from urllib.parse import parse_qs, urlencode

KEYS = ("report", "department", "category", "status", "q")

# The units a figure counts for, as SQL over a metric `mt` joined (LEFT) to its measure's
# facts `fm`: those its own words name, else its measure's (schema.sql, metric.departments);
# a figure outside any measure whose words name none counts for no unit alone.
FIGURE_OWNERS = (
    "CASE WHEN len(coalesce(mt.departments, [])) > 0 THEN mt.departments"
    " ELSE coalesce(fm.departments, []) END"
)


@dataclass(frozen=True)
class Filters:
    """Report id, responsible department, category id, status id and free text; None (or
    '') means not filtered by it."""

    report: str | None = None
    department: str | None = None
    category: str | None = None
    status: str | None = None
    q: str | None = None

    # -- URL form --------------------------------------------------------------------------
    @classmethod
    def from_search(cls, search: str | None) -> Filters:
        """From a URL's query string (?report=…&status=…); unknown keys are ignored and a
        repeated key counts once (its first value)."""
        params = parse_qs((search or "").lstrip("?"))
        return cls(**{k: (params.get(k) or [None])[0] or None for k in KEYS})

    @classmethod
    def from_query(cls, query: dict) -> Filters:
        """From the query parameters Dash hands a page's layout (a repeated key gives a list)."""

        def first(value):
            return (value[0] if value else None) if isinstance(value, list) else value

        return cls(**{k: first(query.get(k)) or None for k in KEYS})

    def to_search(self) -> str:
        pairs = [(k, getattr(self, k)) for k in KEYS if getattr(self, k)]
        return "?" + urlencode(pairs) if pairs else ""

    def toggle(self, **changes) -> Filters:
        """Set filters from a click; clicking the value already set clears it (cross-filter)."""
        if all(getattr(self, k) == v for k, v in changes.items()):
            return replace(self, **dict.fromkeys(changes))
        return replace(self, **changes)

    def without(self, *keys: str) -> Filters:
        return replace(self, **dict.fromkeys(keys))

    @property
    def is_set(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))

    # -- how it reads ----------------------------------------------------------------------
    def parts(self, name: Callable[[str, str], str]) -> list[str]:
        """The filters that are set, in KEYS order, each as `name(key, value)` words it (a
        report's title, a category's label; free text is quoted)."""
        out = []
        for key in KEYS:
            value = getattr(self, key)
            if value:
                out.append(f"“{value}”" if key == "q" else name(key, value))
        return out

    # -- SQL -------------------------------------------------------------------------------
    def params(self) -> dict:
        return {k: getattr(self, k) or None for k in KEYS}

    def bound(self, sql: str, **extra) -> dict:
        """The parameters `sql` names: the filters that are set, and any extra ones."""
        return {k: v for k, v in {**self.params(), **extra}.items() if f"${k}" in sql}

    def _conditions(self, department: str) -> list[str]:
        where = []
        if self.report:
            where.append("report_id = $report")
        if self.department:
            where.append(department)
        if self.category:
            where.append("category = $category")
        if self.status:
            where.append("status = $status")
        return where

    def facts_sql(
        self,
        table: str,
        key: str,
        department: str = "list_contains(departments, $department)",
    ) -> str:
        """The rows of a fact table (measure_fact by measure_id, item_fact by finding_id,
        item_department_fact with `department` = "department = $department") that the
        filters keep; free text matches a measure's text or headline."""
        where = self._conditions(department)
        if self.q:
            where.append(
                f"(report_id, {key}) IN (SELECT report_id, {key} FROM measure"
                " WHERE contains(text, $q) OR contains(coalesce(headline, ''), $q))"
            )
        return f"SELECT * FROM {table} WHERE " + " AND ".join(["TRUE", *where])  # noqa: S608

    def figures_sql(self) -> str:
        """The figures (metric rows, with their measure's category and status, `owners` and
        `shared`) the filters keep: of the measures the other filters keep and, with a
        department, only those the department owns alone or shares (`shared` true), never a
        figure its own words give to another unit. A figure outside any measure (category
        and status NULL) is kept unless a category, status or free text is asked for: it
        has none of them to match."""
        measures = self.without("department").facts_sql("measure_fact", "measure_id")
        owned = " WHERE list_contains(owners, $department)" if self.department else ""
        of_report = " WHERE report_id = $report" if self.report else ""
        loose = "FALSE" if (self.category or self.status or self.q) else "TRUE"
        return f"""SELECT * FROM (
            SELECT mt.*, fm.category, fm.status, {FIGURE_OWNERS} AS owners,
                   len({FIGURE_OWNERS}) > 1 AS shared
            FROM (SELECT * FROM metric{of_report}) mt LEFT JOIN ({measures}) fm
              ON fm.report_id = mt.report_id AND fm.measure_id = mt.measure_id
            WHERE fm.measure_id IS NOT NULL OR (mt.measure_id IS NULL AND {loose})) f{owned}"""  # noqa: S608

    def rollup_sql(self, unit: str, by_department: bool = False) -> str:
        """Rows of the pre-aggregated rollup for `unit` ('item', 'measure', 'metric',
        'metric_shared': the code's own constants) under the filters, free text excluded (callers use the facts
        when it is set); `by_department` keeps one row set per department."""
        where = [f"unit = '{unit}'"]
        if not self.department:
            where.append("department <> ''" if by_department else "department = ''")
        where += self._conditions("department = $department")
        # Over all reports, the rollup already summed across them: a few hundred rows at most.
        table = "rollup" if self.report else "rollup_all"
        return f"SELECT * FROM {table} WHERE " + " AND ".join(where)  # noqa: S608
