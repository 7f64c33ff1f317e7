"""A report's stated totals beside what was counted, by one rule list (rules/totals.yaml
`reconcile`), for the overview, the rounds page and exports alike: the same comparison the
parse warns by (etl.totals.reconcile), so the table and the 待核查 warning agree."""

from __future__ import annotations

from etl.totals import Reconciled, reconcile

__all__ = ["Reconciled", "reconcile"]
