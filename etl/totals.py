"""What a report says about itself: 反馈问题N个, 已完成整改M个, 完善制度N项 …"""

from __future__ import annotations

from etl.model import TOTAL_KEYS
from etl.numbers import as_plain_number, parse_number
from etl.rules import Rules


def stated_totals(text: str, rules: Rules) -> dict:
    """The totals a report states about itself (spec: `report.stated_totals`). The first rule
    (in file order) that matches sets its key; a sum of money given as several figures in one
    sentence (清退…万元、追回…万元) is no single stated total and stays None."""
    return read_totals(text, rules)[0]


def read_totals(text: str, rules: Rules) -> tuple[dict, dict[str, int]]:
    """The stated totals, and for each key left empty because its sentence gives it in
    parts, how many figures that sentence gives (for the `total_in_parts` warning)."""
    totals: dict = dict.fromkeys(TOTAL_KEYS)
    in_parts: dict[str, int] = {}
    for rule in rules.totals:
        if totals[rule.key] is not None:
            continue
        m = rule.pattern.search(text)
        if not m:
            continue
        single = rules.total_single_figure.get(rule.key)
        parts = _figures_in_sentence(single, text, m) if single is not None else 1
        if parts > 1:
            in_parts[rule.key] = parts
            continue
        groups = {k: v for k, v in m.groupdict().items() if v}
        raw = next(iter(groups.values()), None)
        if raw is None:
            continue
        try:
            value = parse_number(raw)
        except (ValueError, ArithmeticError):
            continue
        totals[rule.key] = as_plain_number(value)
    if totals["funds_recovered_yuan"] is not None:
        totals["funds_recovered_yuan"] = float(totals["funds_recovered_yuan"])
    return totals, {k: n for k, n in in_parts.items() if totals[k] is None}


def _figures_in_sentence(pattern, text: str, m) -> int:
    """How many figures `pattern` finds in the sentence of match `m`."""
    start = max(text.rfind("。", 0, m.start()), text.rfind("\n", 0, m.start())) + 1
    stops = [i for i in (text.find("。", m.end()), text.find("\n", m.end())) if i >= 0]
    end = min(stops) if stops else len(text)
    return sum(1 for _ in pattern.finditer(text, start, end))
