"""What a report says about itself: 反馈问题N个, 已完成整改M个, 完善制度N项 …"""

from __future__ import annotations

from etl.model import TOTAL_KEYS
from etl.numbers import as_plain_number, parse_number
from etl.rules import Rules


def stated_totals(text: str, rules: Rules) -> dict:
    totals: dict = dict.fromkeys(TOTAL_KEYS)
    for rule in rules.totals:
        if totals[rule.key] is not None:
            continue
        m = rule.pattern.search(text)
        if not m:
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
    return totals
