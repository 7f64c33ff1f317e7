"""How the filters read to a person: the bar under the filters and every export's filter
line (the filter object itself, its URL form and SQL, is warehouse.filters.Filters)."""

from __future__ import annotations

from views.i18n import labelled, plural, t
from views.vocabulary import categories, category_label, status_label, statuses
from warehouse.filters import Filters


def parts(f: Filters, report_label: str | None, lang: str) -> list[str]:
    """The filters that are set, as a reader names them."""

    def name(key: str, value: str) -> str:
        if key == "report":
            return report_label or value
        if key == "category":
            return category_label(value, lang)
        if key == "status":
            return status_label(value, lang)
        return value

    return f.parts(name)


def describe(f: Filters, report_label: str | None, lang: str) -> str:
    """One line for the active-filters bar and for exports: 当前筛选:… or 未筛选."""
    named = parts(f, report_label, lang)
    return labelled("filter_active", lang, " · ".join(named) if named else t("filter_none", lang))


def cite_reports(labels: list[str], lang: str, shown: int = 1) -> str:
    """The reports a view draws on (their names: views.reports.report_names), as a footer or
    a slide's note names them: 《A》, or 《A》等 12 份通报 (12 in all) / 《A》 and 11 more
    reports; (没有通报) when there are none (a report filter the warehouse lacks)."""
    named = [f"《{label}》" for label in labels if isinstance(label, str) and label][:shown]
    if not named:
        return t("cite_none", lang)
    more = len(labels) - len(named)
    if more <= 0:
        return "、".join(named)
    return "、".join(named) + plural("export_more_reports", lang, more, total=len(labels))


def stale(f: Filters, report_known: bool, department_known: bool) -> list[tuple[str, str]]:
    """The filters a bookmark holds that the warehouse or the rules no longer know, as
    (key, value): a report deleted since, a department no measure has any more, a category
    or status taken out of the rules. They stay set (the views show nothing for them) and
    the page says so, rather than quietly showing everything."""
    known = {
        "report": report_known,
        "department": department_known,
        "category": f.category in categories(),
        "status": f.status in statuses(),
    }
    return [(k, getattr(f, k)) for k, ok in known.items() if getattr(f, k) and not ok]


def stale_notice(gone: list[tuple[str, str]], lang: str) -> str:
    """One sentence naming the stale filters (views.filters.stale)."""
    if lang == "zh":
        named = "、".join(f"{t('filter_' + k, lang)}“{v}”" for k, v in gone)
    else:
        named = ", ".join(f'{t("filter_" + k, lang).lower()} "{v}"' for k, v in gone)
    return t("filter_stale", lang).format(filters=named)
