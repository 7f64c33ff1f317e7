"""Doubts: what to check before a rate is trusted. The reports a view draws on whose parse
warned at review level, or whose own stated totals disagree with what was counted in them
(views/stated.py). The overview's completion-rate tile, meeting mode and the deck's KPI
slide mark their rates 待核查 with these reasons (the 待核查 list of single entries to work
through is views/review.py)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import duckdb

from etl.rules import load_rules
from etl.warnings import level_of, settled_by
from views.i18n import plural, t
from views.reports import distinct_name, render_warning, stored_level, warnings_now
from views.stated import Reconciled, reconcile, stated_label
from views.theme import format_number
from views.vocabulary import done_statuses
from warehouse import queries

# Reports named with their reasons; beyond them the mark says how many more there are.
SHOWN_REPORTS = 8


def review_codes() -> list[str]:
    """The warning codes that ask for review (rules/warnings.yaml): how a warning stored
    before levels were kept is judged."""
    return [
        w["id"] for w in load_rules().raw["warnings"]["warnings"] if level_of(w["id"]) == "review"
    ]


@dataclass(frozen=True)
class ReportDoubts:
    name: dict  # queries.report_names' row: the report's label and what tells it apart
    warnings: list[tuple[str, dict, str]]  # (code, args, stored message), review level only
    stated: list[Reconciled]  # its stated totals that disagree with its own counts


@dataclass(frozen=True)
class Doubts:
    total: int = 0  # reports that need review
    reports: list[ReportDoubts] = field(default_factory=list)  # the first SHOWN_REPORTS

    def __bool__(self) -> bool:
        return self.total > 0


def gather_doubts(con: duckdb.DuckDBPyConnection, report: str | None) -> Doubts:
    """The reports to review among those a view draws on (`report`, or every one): their
    review-level warnings and their mismatched stated totals, each report's totals beside
    the counts of the whole report (never a cross-filtered part of it)."""
    rules = load_rules().raw["totals"]["reconcile"]
    warned = queries.warned_reports(con, report, review_codes(), list(settled_by()))
    mismatched = queries.stated_mismatches(con, report, rules, done_statuses())
    flagged = list(dict.fromkeys([*warned, *mismatched["report_id"]]))
    if not flagged:
        return Doubts()
    names = queries.report_names(con, flagged)
    names = names.sort_values(["label", "file_name"], kind="stable")
    shown = list(names["report_id"][:SHOWN_REPORTS])
    warnings: dict[str, list] = {}
    for row in warnings_now(con, shown).to_dict("records"):
        if stored_level(row["code"], row["args"], row["level"]) != "review":
            continue
        try:
            args = json.loads(row["args"]) if isinstance(row["args"], str) and row["args"] else {}
        except ValueError:
            args = {}
        warnings.setdefault(row["report_id"], []).append((row["code"], args, row["message"]))
    stated = {}
    for row in mismatched.to_dict("records"):
        if row["report_id"] in shown:
            given = {k[len("stated_") :]: v for k, v in row.items() if k.startswith("stated_")}
            counted = {k[len("counted_") :]: v for k, v in row.items() if k.startswith("counted_")}
            stated[row["report_id"]] = [
                r for r in reconcile(given, _counted_by(rules, counted)) if r.mismatch
            ]
    for rid, rows in stated.items():
        # The parser's own stated-vs-counted warning says what the stated line says.
        if any(r.key == "problems" for r in rows) and rid in warnings:
            warnings[rid] = [w for w in warnings[rid] if w[0] != "stated_vs_counted"]
    by_id = {r["report_id"]: r for r in names.to_dict("records")}
    return Doubts(
        total=len(flagged),
        reports=[
            ReportDoubts(by_id[rid], warnings.get(rid, []), stated.get(rid, [])) for rid in shown
        ],
    )


def _counted_by(rules: list[dict], counted: dict) -> dict:
    """The counts of queries.stated_mismatches (by rule key) under the names the rules
    check them by (items, items_done, indicator:<code> …)."""
    return {rule["counted"]: counted.get(rule["key"]) for rule in rules}


def doubt_summary(doubts: Doubts, lang: str) -> str:
    """What the 待核查 mark says before it is opened: how many reports to check where the
    view draws on several, else how many things to check in its one report."""
    if doubts.total > 1:
        return plural("review_reports", lang, doubts.total)
    lines = sum(len(r.warnings) + len(r.stated) for r in doubts.reports)
    return plural("review_reasons", lang, lines)


def doubt_reasons(doubts: Doubts, lang: str) -> list[str]:
    """One line per reason, in `lang`: a warning, or a stated total beside its count; each
    prefixed by its report's name where the view draws on several reports, and a last line
    for the reports left out."""
    several = doubts.total > 1
    lines = []
    for report in doubts.reports:
        prefix = f"《{distinct_name(report.name, lang)}》" if several else ""
        for code, args, stored in report.warnings:
            lines.append(prefix + render_warning(code, args, lang, stored))
        for row in report.stated:
            lines.append(
                prefix
                + t("review_stated", lang).format(
                    total=t(stated_label(row.key), lang),
                    stated=format_number(row.stated, lang),
                    counted=format_number(row.counted, lang),
                )
            )
    more = doubts.total - len(doubts.reports)
    if more > 0:
        lines.append(plural("review_more_reports", lang, more))
    return lines
