"""A ledger's 完成时限 cell as an ISO date, by the rules in rules/ledger.yaml `deadlines`.

Dates, months, quarters, halves and year ends give the last day of what they name; a range
gives its end (2024.6-2024.12 → 2024-12-31); a month or day without a year takes the year of
an earlier date in the cell, else the ledger's year; without either it is no date, and says
so. Chinese numerals in dates (二〇二四年十二月, 第四季度) count as digits.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from etl.normalize import fold
from etl.rules import Rules, load_rules

_CN_DIGITS = dict(
    zip("〇零一二两三四五六七八九", (0, 0, 1, 2, 2, 3, 4, 5, 6, 7, 8, 9), strict=True)
)
_CN_DATE_NUMBER = re.compile(r"[〇零一二两三四五六七八九十]+(?=\s*(?:年|月|日|号|季度))")
_SPACE = re.compile(r"\s+")
_HALF_END = {"上": 6, "下": 12}
_PART_DAY = {"上旬": 10, "中旬": 20}


@dataclass(frozen=True)
class Deadline:
    """`iso` is the date or None; `problem` says why there is none: 'no_year' (a month or day
    without a year the ledger states), 'unreadable' (words that name no date), or None (a
    date, a blank cell, or a cell that needs no date such as 长期坚持)."""

    iso: str | None
    problem: str | None = None


def read_deadline(text: str | None, year: int | None = None, rules: Rules | None = None):
    """The deadline a cell states (see Deadline); `year` is the ledger's own, if it states
    one."""
    rules = rules or load_rules()
    cell = _SPACE.sub(" ", _digits(fold(text or ""))).strip()
    if not cell:
        return Deadline(None)
    matches = []  # (end, -start, match): the one that ends last wins, the longest on a tie
    for rx in (rules.ledger_rx("deadlines", i) for i in range(len(rules.ledger["deadlines"]))):
        for m in rx.finditer(cell):
            if m.end() > m.start():
                matches.append((m.end(), -m.start(), m))
    if not matches:
        undated = rules.ledger_rx("undated").search(cell)
        return Deadline(None, None if undated else "unreadable")
    best = max(matches, key=lambda t: (t[0], t[1]))[2]
    serial = best.groupdict().get("serial")
    if serial:  # days since 1899-12-30, as Excel counts
        return Deadline((date(1899, 12, 30) + timedelta(days=int(serial))).isoformat())
    found_year = _year_of(best)
    if found_year is None:
        earlier = [_year_of(m) for _, _, m in matches if m.end() <= best.start()]
        found_year = next((y for y in reversed(earlier) if y), None) or year
    if found_year is None:
        return Deadline(None, "no_year")
    iso = _end_date(best, found_year)
    return Deadline(iso, None if iso else "unreadable")


def parse_deadline(text: str | None, year: int | None = None, rules: Rules | None = None):
    """The ISO date a deadline cell gives, or None (see read_deadline)."""
    return read_deadline(text, year, rules).iso


def _year_of(m: re.Match) -> int | None:
    groups = m.groupdict()
    raw = groups.get("y") or groups.get("y2")
    return int(raw) if raw else None


def _end_date(m: re.Match, year: int) -> str | None:
    g = m.groupdict()
    if not 1900 <= year <= 2100:
        return None
    try:
        if g.get("q"):
            month = 3 * int(g["q"])
            return date(year, month, calendar.monthrange(year, month)[1]).isoformat()
        if g.get("h"):
            month = _HALF_END[g["h"]]
            return date(year, month, calendar.monthrange(year, month)[1]).isoformat()
        if g.get("m"):
            month = int(g["m"])
            if g.get("d"):
                day = int(g["d"])
            else:
                day = _PART_DAY.get(g.get("part") or "") or calendar.monthrange(year, month)[1]
            return date(year, month, day).isoformat()
        return date(year, 12, 31).isoformat()
    except (ValueError, calendar.IllegalMonthError):
        return None


def _digits(text: str) -> str:
    """Chinese numerals before 年/月/日/季度 as Arabic digits: 二〇二四年 → 2024年,
    十二月 → 12月, 第四季度 → 第4季度."""
    if not any(ch in text for ch in "〇零一二两三四五六七八九十"):
        return text
    return _CN_DATE_NUMBER.sub(lambda m: str(_cn_number(m.group(0))), text)


def _cn_number(word: str) -> int:
    if "十" not in word:  # digit by digit, as years are written: 二〇二四
        return int("".join(str(_CN_DIGITS[ch]) for ch in word))
    tens, _, ones = word.partition("十")
    return (_CN_DIGITS.get(tens[-1], 1) if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)
