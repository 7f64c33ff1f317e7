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


def chinese_numeral(
    n: int, digits: str = "零一二三四五六七八九", units: str = "十百千", bare_ten: bool = True
) -> str:
    """1 ≤ n ≤ 9999 as a Chinese numeral, as a list counts: 一, 十, 十一, 二十, 一百零一,
    一千零一十 (parse_chinese reads it back). `digits` are 零 to 九 and `units` 十 百 千 in
    the script wanted (壹…玖, 拾佰仟 for the financial forms); `bare_ten` drops the 一 of
    10–19 (十一, not 一十一). ValueError outside 1–9999."""
    if not 1 <= n <= 9999:
        raise ValueError(f"{n} is outside 1–9999")
    places = [(n // 1000) % 10, (n // 100) % 10, (n // 10) % 10, n % 10]
    unit_of = [units[2], units[1], units[0], ""]
    out: list[str] = []
    zero = False
    for place, (digit, unit) in enumerate(zip(places, unit_of, strict=True)):
        if digit == 0:
            zero = bool(out)
            continue
        if zero:
            out.append(digits[0])
            zero = False
        if not (bare_ten and place == 2 and digit == 1 and not out):
            out.append(digits[digit])
        out.append(unit)
    return "".join(out)
