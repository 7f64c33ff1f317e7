"""Numbers as Chinese reports write them: 3.2万, 百余万, 二十余, 6372.8, 5.0227万."""

from __future__ import annotations

from decimal import Decimal

CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
CN_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
CN_BIG_UNITS = {"万": 10_000, "亿": 100_000_000}
CN_NUMERAL_CHARS = "".join(CN_DIGITS) + "".join(CN_SMALL_UNITS) + "".join(CN_BIG_UNITS)


def _parse_cn_section(text: str) -> int:
    """A run below 万: 三百二十五, 十五, 二十, 百 (a bare 十/百 means one of them)."""
    total, digit = 0, None
    for ch in text:
        if ch in CN_DIGITS:
            digit = CN_DIGITS[ch]
        elif ch in CN_SMALL_UNITS:
            total += (1 if digit is None else digit) * CN_SMALL_UNITS[ch]
            digit = None
        else:
            raise ValueError(f"not a Chinese numeral: {text!r}")
    return total + (digit or 0)


def parse_chinese(text: str) -> int:
    """Parse a Chinese numeral such as 三千二百万 or 一亿零五百; 余/多 must be removed first."""
    if not text:
        raise ValueError("empty numeral")
    total, section = 0, ""
    for ch in text:
        if ch in CN_BIG_UNITS:
            total += (_parse_cn_section(section) if section else 1) * CN_BIG_UNITS[ch]
            section = ""
        else:
            section += ch
    return total + (_parse_cn_section(section) if section else 0)


def parse_number(text: str) -> Decimal:
    """Parse Arabic (with , separators and a trailing 万/亿) or Chinese numerals to a Decimal."""
    text = text.replace(",", "").strip()
    multiplier = Decimal(1)
    while text and text[-1] in CN_BIG_UNITS and any(c.isdigit() for c in text):
        multiplier *= CN_BIG_UNITS[text[-1]]
        text = text[:-1]
    if text and all(c.isdigit() or c == "." for c in text):
        return Decimal(text) * multiplier
    return Decimal(parse_chinese(text)) * multiplier


def as_plain_number(value: Decimal) -> int | float:
    """Decimal to the JSON number a user expects: 32000 not 32000.0, 6372.8 not 6372.80."""
    if value == value.to_integral_value():
        return int(value)
    return float(value.normalize())
