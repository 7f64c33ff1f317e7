"""A report's stated totals beside what was counted, by one rule list (rules/totals.yaml
`reconcile`), for the overview, the rounds page and exports alike: the same comparison the
parse warns by (etl.totals.reconcile), so the table and the 待核查 warning agree."""

from __future__ import annotations

from etl.totals import Reconciled, reconcile

__all__ = ["LABELS", "Reconciled", "reconcile", "stated_label"]

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
