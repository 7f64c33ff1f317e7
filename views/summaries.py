"""Pure summaries of query results, shared by pages."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from etl.ledger import deadline_band
from etl.rules import load_rules
from views import vocabulary
from views.i18n import t, unit_label
from views.theme import format_number


def done_of(frame: pd.DataFrame) -> tuple[int, int]:
    """(completed, all) from a completion frame (category, status, n: a few dozen rows, where
    plain Python is quicker than pandas' machinery, and this runs on every overview draw)."""
    total = done = 0
    done_ids = set(vocabulary.done_statuses())
    for status, n in zip(frame["status"], frame["n"], strict=True):
        total += int(n)
        done += int(n) if status in done_ids else 0
    return done, total


def share(done_all: tuple[int, int]) -> float | None:
    """completed / all of a (completed, all) pair; None of nothing."""
    done, total = done_all
    return done / total if total else None


def shared_note(row: dict, lang: str) -> str:
    """Under a department filter: the figures the department shares with other units, which
    its own total leaves out (queries.filtered_indicator_totals' shared_total, n_shared), as
    the dashboard's tiles and the deck's KPI slide say it; '' when there are none."""
    if not row.get("n_shared"):
        return ""
    return t("indicator_shared", lang).format(
        total=format_number(row["shared_total"], lang), unit=unit_label(row["unit"], lang)
    )


def kpis(items: pd.DataFrame, measures: pd.DataFrame) -> dict:
    """Headline counts from the two completion frames (items and measures) already queried."""
    (items_done, n_items), (measures_done, n_measures) = done_of(items), done_of(measures)
    return {
        "items": n_items,
        "items_completed": items_done,
        "measures": n_measures,
        "measures_completed": measures_done,
        "completion_rate": items_done / n_items if n_items else None,
    }


def with_bands(deadlines: pd.DataFrame) -> pd.DataFrame:
    """Open measures with deadlines, each with its warning band (rules/ledger.yaml)."""
    out = deadlines.copy()
    out["band"] = [
        deadline_band(int(d), s) for d, s in zip(out["days_left"], out["status"], strict=True)
    ]
    return out


def deadline_counts(deadlines: pd.DataFrame) -> list[dict]:
    """Per warning band, in the order the rules list them: id, count, colour and threshold."""
    banded = with_bands(deadlines)
    return [
        {
            "band": band["id"],
            "n": int((banded["band"] == band["id"]).sum()),
            "colour": band["colour"],
            "days": band["max_days"],
        }
        for band in load_rules().ledger["warnings"]
    ]


def busiest_first(measures: Mapping[str, int]) -> list[str]:
    """Departments (the keys of `measures`: department → measures) busiest first, ties by
    name: the one order the 部门 page, its chart and the overview's heat map list them in."""
    return sorted(measures, key=lambda department: (-measures[department], department))


def department_summary(
    by_status: pd.DataFrame, items_by_status: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Per responsible department (busiest first): measures, a column per status of the
    vocabulary (in its order), `done` (the completed ones) and `completion_rate` (done share
    of measures), from queries.department_status's long frame. With `items_by_status` (the
    same frame counted in items, each by its status for that department) also `items`,
    `items_done` and `item_completion_rate`: the rate the overview shows under that
    department's filter."""
    statuses = vocabulary.statuses()
    done_ids = set(vocabulary.done_statuses())
    rows: dict[str, dict] = {}
    for department, status, n in zip(
        by_status["department"], by_status["status"], by_status["n"], strict=True
    ):
        row = rows.setdefault(department, {"department": department, "measures": 0, "done": 0})
        row["measures"] += int(n)
        row[status] = row.get(status, 0) + int(n)
        row["done"] += int(n) if status in done_ids else 0
    items: dict[str, list[int]] = {}
    if items_by_status is not None:
        for department, status, n in zip(
            items_by_status["department"],
            items_by_status["status"],
            items_by_status["n"],
            strict=True,
        ):
            counted = items.setdefault(department, [0, 0])
            counted[0] += int(n)
            counted[1] += int(n) if status in done_ids else 0
    columns = ["department", "measures", *statuses, "done", "completion_rate"]
    if items_by_status is not None:
        columns += ["items", "items_done", "item_completion_rate"]
    out = []
    for row in (rows[d] for d in busiest_first({d: r["measures"] for d, r in rows.items()})):
        entry = {
            **{s: 0 for s in statuses},
            **row,
            "completion_rate": row["done"] / row["measures"] if row["measures"] else None,
        }
        if items_by_status is not None:
            n_items, n_done = items.get(row["department"], (0, 0))
            entry |= {
                "items": n_items,
                "items_done": n_done,
                "item_completion_rate": n_done / n_items if n_items else None,
            }
        out.append(entry)
    return pd.DataFrame(out, columns=columns)


def headline_split(indicators: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The indicators that have figures, as (headline, rest): the headline ones in the order
    rules/indicators.yaml lists them under `headline`, the rest in catalogue order, so that
    tiles and slides keep their places whatever the totals."""
    # Under a department filter, one whose figures it only shares still shows (its own total
    # 0, the shared ones named beside it).
    shared = indicators["n_shared"] > 0 if "n_shared" in indicators else False
    shown = indicators[(indicators["n_metrics"] > 0) | shared]
    headline = vocabulary.headline_indicators()
    catalogue = [i.code for i in load_rules().indicators]
    rank = {code: k for k, code in enumerate(headline)}
    rank.update({code: len(headline) + k for k, code in enumerate(catalogue) if code not in rank})
    ordered = shown.assign(_rank=[rank.get(c, len(rank)) for c in shown["code"]])
    ordered = ordered.sort_values(["_rank", "code"], kind="stable").drop(columns="_rank")
    first = ordered["code"].isin(headline)
    return ordered[first].reset_index(drop=True), ordered[~first].reset_index(drop=True)
