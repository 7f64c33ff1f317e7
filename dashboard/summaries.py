"""Pure summaries of query results, shared by pages."""

from __future__ import annotations

import pandas as pd

from etl.ledger import deadline_band
from etl.rules import load_rules


def _counted(frame: pd.DataFrame) -> tuple[int, int]:
    """All and completed, from a completion frame (a few dozen rows: plain Python is quicker
    here than pandas' machinery, and this runs on every overview draw)."""
    total = done = 0
    for status, n in zip(frame["status"], frame["n"], strict=True):
        total += int(n)
        done += int(n) if status == "completed" else 0
    return total, done


def kpis(items: pd.DataFrame, measures: pd.DataFrame) -> dict:
    """Headline counts from the two completion frames (items and measures) already queried."""
    (n_items, items_done), (n_measures, measures_done) = _counted(items), _counted(measures)
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
