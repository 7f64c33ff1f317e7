"""Rounds compared: several reports of one unit side by side. Pure functions on the frames the
warehouse queries return: which measures changed status from one report to the next, which
problems recur, and how each report's stated totals reconcile with what was counted."""

from __future__ import annotations

import re
from functools import lru_cache

import pandas as pd

from etl.normalize import fold
from etl.rules import load_rules
from views.stated import reconcile
from views.vocabulary import done_statuses

_NOT_CONTENT = re.compile(r"[\s\W_\d]+")


def party_organ_suffix() -> str:
    """The pattern that names a unit without its party organ (departments.yaml)."""
    return load_rules().raw["departments"]["party_organ_suffix"]["pattern"]


def threshold(rule_id: str) -> float:
    """How alike two texts must be to be taken for one (rules/compare.yaml)."""
    rules = load_rules().compare["similarity"]
    return float(next(r["threshold"] for r in rules if r["id"] == rule_id))


def _pairs(text: str) -> frozenset[str]:
    """The character pairs of a text's content (folded, boilerplate words and punctuation
    dropped, the first `compared_chars`); remembered, as a report's texts are compared with
    the report before it and the report after it."""
    rules = load_rules().compare
    return _content_pairs(text or "", id(rules))


@lru_cache(maxsize=8192)
def _content_pairs(text: str, _rules_id: int) -> frozenset[str]:
    rules = load_rules().compare
    text = fold(text)
    for word in rules["boilerplate"]["words"]:
        text = text.replace(word, "")
    text = _NOT_CONTENT.sub("", text)[: rules["compared_chars"]]
    return frozenset({text[i : i + 2] for i in range(len(text) - 1)} or ({text} if text else ()))


def _dice(pa: frozenset[str], pb: frozenset[str]) -> float:
    return 2 * len(pa & pb) / (len(pa) + len(pb)) if pa and pb else 0.0


def similarity(a: str, b: str) -> float:
    """Dice coefficient of the character pairs of two texts (0 to 1)."""
    return _dice(_pairs(a), _pairs(b))


def _best_matches(before: list[dict], after: list[dict], column: str, minimum: float):
    """(earlier row, later row, similarity) for each later row's best match above threshold,
    in the later rows' order; each earlier row is matched at most once, best pairs first.

    Texts with the same character pairs (similarity 1, the best there is) are paired first,
    found by lookup; only the rows left are compared pair by pair. A report usually repeats
    most of its predecessor's wording, so this takes most of the quadratic work away, and it
    pairs exactly as comparing every pair would."""
    left = [_pairs(row[column]) for row in before]
    right = [_pairs(row[column]) for row in after]
    same: dict[frozenset, list[int]] = {}
    for i, pa in enumerate(left):
        if pa:
            same.setdefault(pa, []).append(i)
    identical = [(1.0, i, j) for j, pb in enumerate(right) for i in same.get(pb, [])]
    used_left, used_right, out = set(), set(), []

    def take(scored) -> None:
        for score, i, j in sorted(scored, reverse=True):
            if i not in used_left and j not in used_right:
                used_left.add(i)
                used_right.add(j)
                out.append((j, before[i], after[j], score))

    take(identical)
    rest_left = [(i, pa) for i, pa in enumerate(left) if i not in used_left]
    take(
        (score, i, j)
        for j, pb in enumerate(right)
        if j not in used_right
        for i, pa in rest_left
        if (score := _dice(pa, pb)) >= minimum
    )
    return [(old, new, score) for _j, old, new, score in sorted(out, key=lambda m: m[0])]


def _by_report(frame: pd.DataFrame) -> dict[str, list[dict]]:
    """The frame's rows as dicts, by report, each report's in the frame's order."""
    out: dict[str, list[dict]] = {}
    for row in frame.to_dict("records"):
        out.setdefault(row["report_id"], []).append(row)
    return out


def status_changes(measures: pd.DataFrame, order: list[str]) -> pd.DataFrame:
    """Measures found again in the next report with another status."""
    rows = []
    by_report = _by_report(measures)
    for before, after in zip(order, order[1:], strict=False):
        a, b = by_report.get(before, []), by_report.get(after, [])
        for old, new, score in _best_matches(a, b, "text", threshold("same_measure")):
            if old["status"] != new["status"]:
                rows.append(
                    {
                        "report_before": before,
                        "report_after": after,
                        "measure_before": old["measure_id"],
                        "measure_after": new["measure_id"],
                        "text": new["headline"] or new["text"][:60],
                        "status_before": old["status"],
                        "status_after": new["status"],
                        "similarity": round(score, 2),
                    }
                )
    return pd.DataFrame(rows, columns=_CHANGE_COLUMNS)


_CHANGE_COLUMNS = [
    "report_before",
    "report_after",
    "measure_before",
    "measure_after",
    "text",
    "status_before",
    "status_after",
    "similarity",
]


def recurring_problems(problems: pd.DataFrame, order: list[str]) -> pd.DataFrame:
    """Problems of a report that an earlier report of the unit already listed (similar titles):
    each later problem with its closest earlier one."""
    rows = []
    records = problems.to_dict("records")
    for k, later_id in enumerate(order[1:], start=1):
        earlier_ids = set(order[:k])
        later = [row for row in records if row["report_id"] == later_id]
        earlier = [row for row in records if row["report_id"] in earlier_ids]
        for old, new, score in _best_matches(earlier, later, "title", threshold("same_problem")):
            rows.append(
                {
                    "report_before": old["report_id"],
                    "report_after": later_id,
                    "title_before": old["title"],
                    "title_after": new["title"],
                    "similarity": round(score, 2),
                }
            )
    columns = ["report_before", "report_after", "title_before", "title_after", "similarity"]
    return pd.DataFrame(rows, columns=columns)


def reconciliation(rounds: pd.DataFrame) -> pd.DataFrame:
    """Per report and total: what it states, what was counted, and whether they differ, by
    the same rules as the overview (views/stated.py; a total the report does not state is
    not a mismatch). Totals counted from items only: the rounds compare items."""
    rows = []
    for r in rounds.to_dict("records"):
        stated = {k[len("stated_") :]: v for k, v in r.items() if k.startswith("stated_")}
        counted = {
            "items": r["items"],
            "items_done": r["items_completed"],
            "items_status:in_progress": r["items_in_progress"],
        }
        for row in reconcile(stated, counted, only_stated=False):
            if row.counted_by not in counted:
                continue
            rows.append(
                {
                    "report_id": r["report_id"],
                    "total": row.key,
                    "stated": None if row.stated is None else int(row.stated),
                    "counted": None if row.counted is None else int(row.counted),
                    "mismatch": row.mismatch,
                }
            )
    return pd.DataFrame(rows, columns=["report_id", "total", "stated", "counted", "mismatch"])


def completion_shares(completion: pd.DataFrame) -> pd.DataFrame:
    """Per report and category: items, items completed and the completed share."""
    if completion.empty:
        return pd.DataFrame(columns=["report_id", "category", "items", "completed", "share"])
    grouped = completion.groupby(["report_id", "category"])
    out = grouped["n"].sum().rename("items").to_frame()
    finished = completion["status"].isin(done_statuses())
    done = completion[finished].groupby(["report_id", "category"])["n"]
    out["completed"] = done.sum().reindex(out.index, fill_value=0)
    out["share"] = out["completed"] / out["items"]
    return out.reset_index()
