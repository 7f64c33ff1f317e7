"""Categories and statuses as every view shows them: ids in order, labels in both languages,
colours and badge styles, all read from rules/taxonomy.yaml and rules/status.yaml (or
RECTIFY_RULES_DIR's copies). Nothing here lists a category or a status by name."""

from __future__ import annotations

from etl.rules import Category, Status, load_rules

FALLBACK_COLOUR = "#777777"


def categories() -> tuple[str, ...]:
    return load_rules().category_ids


def statuses() -> tuple[str, ...]:
    return load_rules().status_ids


def _category(category_id: str | None) -> Category | None:
    return next((c for c in load_rules().categories if c.id == category_id), None)


def _status(status_id: str | None) -> Status | None:
    return next((s for s in load_rules().statuses if s.id == status_id), None)


def category_label(category: str | None, lang: str = "zh") -> str:
    """The category's name in `lang` ('zh' or 'en'); an id the rules do not know reads as is."""
    c = _category(category)
    return (c.zh if lang == "zh" else c.en) if c else (category or "")


def status_label(status: str | None, lang: str = "zh") -> str:
    s = _status(status)
    return (s.zh if lang == "zh" else s.en) if s else (status or "")


def category_from_label(label: str | None) -> str | None:
    """The category id a chart's axis label stands for, in either language (an id reads as
    itself); None for a label no category has."""
    for c in load_rules().categories:
        if label in (c.id, c.zh, c.en):
            return c.id
    return None


def category_colour(category: str | None) -> str:
    c = _category(category)
    return c.colour if c else FALLBACK_COLOUR


def status_colour(status: str | None) -> str:
    s = _status(status)
    return s.colour if s else FALLBACK_COLOUR


def status_badge(status: str | None) -> str:
    """The Bootstrap colour of the status's badge (success, warning …)."""
    s = _status(status)
    return s.badge if s else "secondary"


def done_statuses() -> tuple[str, ...]:
    """The statuses a completion rate counts as completed (`done: true`)."""
    return tuple(s.id for s in load_rules().statuses if s.done)


def statuses_done_first() -> tuple[str, ...]:
    """The statuses with the completed ones first, so a stacked bar's done share starts at
    its left (charts of completion on screen and in the deck)."""
    done = set(done_statuses())
    return tuple(s for s in statuses() if s in done) + tuple(s for s in statuses() if s not in done)


def unread_statuses() -> tuple[str, ...]:
    """The statuses no cue and no ledger word gives (rules/status.yaml `rules`,
    rules/ledger.yaml `statuses`): what a measure gets when nothing says how it stands
    (未明确), never completed, listed for review."""
    raw = load_rules().raw
    given = {r.get("status") for r in raw["status"].get("rules") or []}
    given |= {r.get("status") for r in (raw.get("ledger") or {}).get("statuses") or []}
    return tuple(s for s in statuses() if s not in given and s not in done_statuses())


def unknown_status() -> str | None:
    """The first of unread_statuses (None when every status is some rule's)."""
    return next(iter(unread_statuses()), None)


def is_done(status: str | None) -> bool:
    return status in done_statuses()


def headline_indicators() -> tuple[str, ...]:
    """The codes of the indicators shown first (rules/indicators.yaml `headline`), in order;
    none when an organisation's copy of the rules predates the list."""
    raw = load_rules().raw["indicators"]
    return tuple(code for rule in raw.get("headline") or [] for code in rule["codes"])
