"""Categories and statuses as every view shows them: ids in order, labels in both languages,
colours and badge styles, all read from rules/taxonomy.yaml and rules/status.yaml (or
RECTIFY_RULES_DIR's copies). Nothing here lists a category or a status by name."""

from __future__ import annotations

import unicodedata

from etl.classify import default_cue
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


def status_rule_words(rule_id: str | None, lang: str = "zh") -> str:
    """What a status rule (rules/status.yaml) says, in `lang`: its `zh` in Chinese, its
    `description` in English; an id the rules do not know reads as is. A reader is told the
    rule, not its id (section_default_organisation)."""
    rule = next((r for r in load_rules().status_rules if r.id == rule_id), None)
    if rule is None:
        return rule_id or ""
    return (rule.zh or rule.description) if lang == "zh" else (rule.description or rule.id)


def status_cue(cue: str | None, lang: str = "zh") -> str | None:
    """A status cue as a reader of `lang` sees it: the cue a default rule left (its id and
    words in both languages, etl.classify.default_cue) reads as that rule's words in `lang`
    alone; any other cue (the report's own words) as it stands. A default's cue matches
    whatever the width of its punctuation (NFKC): warehouses loaded before the rules' Chinese
    took full-width marks hold it with ASCII ones."""
    if not cue:
        return cue
    from views.i18n import t  # views.i18n reads its labels from here

    rules = load_rules()
    folded = unicodedata.normalize("NFKC", cue)
    for rule in rules.status_rules:
        if rule.default and folded == unicodedata.normalize("NFKC", default_cue(rule, rules)):
            return t("default_rule_cue", lang).format(rule=status_rule_words(rule.id, lang))
    return cue


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
