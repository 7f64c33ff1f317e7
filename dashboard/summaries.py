"""Pure summaries of query results, shared by pages."""

from __future__ import annotations

import pandas as pd


def kpis(items: pd.DataFrame, measures: pd.DataFrame) -> dict:
    """Headline counts from the two completion frames (items and measures) already queried."""
    n_items, n_measures = int(items["n"].sum()), int(measures["n"].sum())
    items_done = int(items.loc[items["status"] == "completed", "n"].sum())
    measures_done = int(measures.loc[measures["status"] == "completed", "n"].sum())
    return {
        "items": n_items,
        "items_completed": items_done,
        "measures": n_measures,
        "measures_completed": measures_done,
        "completion_rate": items_done / n_items if n_items else None,
    }
