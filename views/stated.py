"""A report's stated totals beside what was counted, by one rule list (rules/totals.yaml
`reconcile`), for the overview, the rounds page and exports alike."""

from __future__ import annotations

import math
from dataclasses import dataclass

from etl.rules import load_rules


@dataclass(frozen=True)
class Reconciled:
    key: str  # the stated total's key (problems, completed …)
    counted_by: str  # the count it is checked against (items, indicator:rules_revised …)
    stated: float | None
    counted: float | None
    mismatch: bool  # stated, and counted differs (or could not be counted)


# The message (views/i18n.py) naming each stated total; a key without one reads as itself.
LABELS = {
    "problems": "stated_problems",
    "completed": "stated_completed",
    "in_progress": "stated_in_progress",
    "rules_made": "stated_rules_made",
    "funds_recovered_yuan": "stated_funds",
}


def stated_label(key: str) -> str:
    """The message key naming a stated total (`problems` → stated_problems)."""
    return LABELS.get(key, f"stated_{key}")


def _number(value) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def reconcile(stated: dict, counted: dict, only_stated: bool = True) -> list[Reconciled]:
    """Each rule's stated value (from `stated`, by key) beside its count (from `counted`, by
    the rule's `counted` name: items, items_done, items_status:<id>, indicator:<code>). Values may be
    None or NaN (not stated, not counted). `only_stated` drops totals the report leaves out."""
    out = []
    for rule in load_rules().raw["totals"]["reconcile"]:
        s = _number(stated.get(rule["key"]))
        c = _number(counted.get(rule["counted"]))
        if s is None and only_stated:
            continue
        mismatch = s is not None and (c is None or abs(s - c) > 1e-6)
        out.append(Reconciled(rule["key"], rule["counted"], s, c, mismatch))
    return out
