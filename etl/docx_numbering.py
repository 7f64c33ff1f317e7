"""Word's list numbering drawn as Word draws it: the 一、 (一) 1. a numbered paragraph shows.

A heading Word numbers holds no marker in its text: the paragraph (or its style) names a list
instance (w:numPr: w:numId, w:ilvl), whose abstract definition in word/numbering.xml gives
each level's start, format (w:numFmt) and text (w:lvlText, "%1、"). Counting follows
ECMA-376 §17.9 as Word does it: list instances that share an abstract definition share its
counts; an instance with a w:startOverride restarts that level where it is first used; a
level restarts when a higher level advances (or as its w:lvlRestart says).

The parts come as python-docx parsed them, after etl.documents.check_docx_parts streamed
them (no DOCTYPE, bounded elements). Anything missing or malformed (no numbering part, an
instance without its abstract definition, a count that is no number) leaves the paragraph
unnumbered: its text as written, never an error.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from etl.numbers import chinese_numeral
from etl.rules import load_rules

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_VAL, _PPR, _NUMPR = f"{_W}val", f"{_W}pPr", f"{_W}numPr"
_PSTYLE, _NUMID, _ILVL = f"{_W}pStyle", f"{_W}numId", f"{_W}ilvl"
LEVELS = 9  # w:ilvl 0–8
_STYLE_DEPTH = 16  # w:basedOn links followed at most (a loop in them stops there)


def _runs_on(marker: str) -> bool:
    """Whether a marker's text would run into the text after it (第一章, 1, A): it ends in a
    letter, digit or ideograph, not a mark (一、 (一) 1. ①)."""
    last = marker[-1]
    return (last.isascii() and last.isalnum()) or "\u4e00" <= last <= "\u9fff"


def _int(value: str | None, default: int | None = None) -> int | None:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _val(parent, tag: str) -> str | None:
    child = parent.find(f"{_W}{tag}") if parent is not None else None
    return child.get(_VAL) if child is not None else None


@dataclass(frozen=True)
class Level:
    start: int
    fmt: str  # w:numFmt
    text: str  # w:lvlText
    restart: int | None  # w:lvlRestart: restart after a level above this 1-based one
    legal: bool  # w:isLgl: every count in decimal
    suffix: str  # w:suff: tab, space or nothing
    style: str | None  # w:pStyle: the paragraph style this level belongs to


def _level(lvl) -> tuple[int, Level] | None:
    ilvl = _int(lvl.get(f"{_W}ilvl"))
    if ilvl is None or not 0 <= ilvl < LEVELS:
        return None
    legal = lvl.find(f"{_W}isLgl")
    return ilvl, Level(
        start=max(0, _int(_val(lvl, "start"), 1)),
        fmt=_val(lvl, "numFmt") or "decimal",
        text=_val(lvl, "lvlText") or "",
        restart=_int(_val(lvl, "lvlRestart")),
        legal=legal is not None and legal.get(_VAL, "1") not in ("0", "false", "off"),
        suffix=_val(lvl, "suff") or "tab",
        style=_val(lvl, "pStyle"),
    )


def _levels(parent) -> dict[int, Level]:
    out = {}
    for lvl in parent.iterfind(f"{_W}lvl"):
        if (item := _level(lvl)) is not None:
            out.setdefault(*item)
    return out


@dataclass(frozen=True)
class _Instance:
    abstract: str
    starts: dict[int, int]  # w:lvlOverride/w:startOverride by level
    levels: dict[int, Level]  # w:lvlOverride/w:lvl: a level redefined for this instance


@dataclass(frozen=True)
class _Style:
    num: str | None
    ilvl: int | None
    based_on: str | None


@dataclass
class WordNumbering:
    """Draws the marker of each paragraph in document order (`marker`): it keeps counts, so
    give it every paragraph once, in order, tables' too."""

    abstracts: dict[str, dict[int, Level]] = field(default_factory=dict)
    links: dict[str, str] = field(default_factory=dict)  # abstract → its w:numStyleLink style
    instances: dict[str, _Instance] = field(default_factory=dict)
    styles: dict[str, _Style] = field(default_factory=dict)
    default_style: str | None = None
    counts: dict[str, list[int | None]] = field(default_factory=dict)
    seen: set[str] = field(default_factory=set)

    @classmethod
    def from_parts(cls, numbering, styles) -> WordNumbering:
        """From the w:numbering and w:styles elements (either may be None: no numbering)."""
        self = cls()
        if numbering is not None:
            for a in numbering.iterfind(f"{_W}abstractNum"):
                aid = a.get(f"{_W}abstractNumId")
                if aid is None or aid in self.abstracts:
                    continue
                self.abstracts[aid] = _levels(a)
                if link := _val(a, "numStyleLink"):
                    self.links[aid] = link
            for n in numbering.iterfind(f"{_W}num"):
                nid, aid = n.get(f"{_W}numId"), _val(n, "abstractNumId")
                if nid is None or aid is None or nid in self.instances:
                    continue
                starts, levels = {}, {}
                for o in n.iterfind(f"{_W}lvlOverride"):
                    ilvl = _int(o.get(f"{_W}ilvl"))
                    if ilvl is None or not 0 <= ilvl < LEVELS:
                        continue
                    if (start := _int(_val(o, "startOverride"))) is not None:
                        starts[ilvl] = max(0, start)
                    if (lvl := o.find(f"{_W}lvl")) is not None and (item := _level(lvl)):
                        levels[ilvl] = item[1]
                self.instances[nid] = _Instance(aid, starts, levels)
        if styles is not None:
            for s in styles.iterfind(f"{_W}style"):
                sid = s.get(f"{_W}styleId")
                if sid is None:
                    continue
                num_pr = s.find(f"{_W}pPr/{_W}numPr")
                self.styles[sid] = _Style(
                    _val(num_pr, "numId"), _int(_val(num_pr, "ilvl")), _val(s, "basedOn")
                )
                if (
                    s.get(f"{_W}type") == "paragraph"
                    and s.get(f"{_W}default") in ("1", "true", "on")
                    and self.default_style is None
                ):
                    self.default_style = sid
        return self

    def _definition(self, nid: str) -> tuple[str, dict[int, Level]] | None:
        """The abstract definition (its id, its levels) of list instance `nid`, following a
        numbering style's link (w:numStyleLink) to the definition that holds the levels."""
        for _ in range(3):
            instance = self.instances.get(nid)
            if instance is None or instance.abstract not in self.abstracts:
                return None
            link = self.links.get(instance.abstract)
            style = self.styles.get(link) if link else None
            if style is None or style.num is None or style.num == nid:
                return instance.abstract, self.abstracts[instance.abstract]
            nid = style.num
        return None

    def _numbering_of(self, p) -> tuple[str, int, str | None] | None:
        """(numId, ilvl, paragraph style) of a w:p, from its own w:numPr or its style's."""
        nid = ilvl = style = None
        ppr = p[0] if len(p) and p[0].tag == _PPR else None  # w:pPr comes first when there
        for child in ppr if ppr is not None else ():
            if child.tag == _PSTYLE:
                style = child.get(_VAL)
            elif child.tag == _NUMPR:
                for item in child:
                    if item.tag == _NUMID:
                        nid = item.get(_VAL)
                    elif item.tag == _ILVL:
                        ilvl = _int(item.get(_VAL))
        style = style or self.default_style
        sid, depth = style, 0
        while (nid is None or ilvl is None) and sid in self.styles and depth < _STYLE_DEPTH:
            s = self.styles[sid]
            if nid is None and s.num is not None:
                nid = s.num
                if ilvl is None:  # the level a style gives goes with the list it names
                    ilvl = s.ilvl
            sid, depth = s.based_on, depth + 1
        if nid is None or nid == "0":
            return None
        return nid, ilvl if ilvl is not None else -1, style

    def marker(self, p) -> tuple[str, str]:
        """(marker, what follows it) Word draws before paragraph `p`'s text, counting it:
        ('', '') when it is not numbered. The follower is '' after a closing mark (一、 (一)
        1. ①), else one space for Word's tab or space."""
        found = self._numbering_of(p) if self.instances else None
        if found is None:
            return "", ""
        nid, ilvl, style = found
        definition = self._definition(nid)
        if definition is None:
            return "", ""
        aid, levels = definition
        instance = self.instances[nid]
        levels = {**levels, **instance.levels}
        if ilvl < 0:  # no w:ilvl: the level tied to the paragraph's style, else the first
            ilvl = next((i for i, lv in levels.items() if style and lv.style == style), 0)
        level = levels.get(ilvl)
        if level is None:
            return "", ""
        counts = self.counts.setdefault(aid, [None] * LEVELS)
        if nid not in self.seen:
            self.seen.add(nid)
            for i in instance.starts:
                counts[i] = None
        start = instance.starts.get(ilvl, level.start)
        counts[ilvl] = start if counts[ilvl] is None else counts[ilvl] + 1
        for deeper in range(ilvl + 1, LEVELS):
            restart = levels[deeper].restart if deeper in levels else None
            if restart is None or (restart != 0 and ilvl < restart):
                counts[deeper] = None
        formats = load_rules().raw["reader"]["docx_numbering"]
        if formats["formats"].get(level.fmt, {}).get("kind") == "bullet":
            return "", ""
        text = _draw(level.text, counts, levels, level.legal, formats["formats"])
        if not text.strip() or len(text) > formats["marker_chars"]:
            return "", ""
        follower = " " if level.suffix != "nothing" and _runs_on(text) else ""
        return text, follower


def _draw(template: str, counts, levels: dict[int, Level], legal: bool, formats: dict) -> str:
    out, i = [], 0
    while i < len(template):
        ch = template[i]
        if ch == "%" and i + 1 < len(template) and "1" <= template[i + 1] <= "9":
            k = int(template[i + 1]) - 1
            level = levels.get(k)
            value = counts[k] if counts[k] is not None else (level.start if level else 1)
            fmt = "decimal" if legal or level is None else level.fmt
            out.append(draw_count(value, fmt, formats))
            i += 2
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def draw_count(n: int, fmt: str, formats: dict | None = None) -> str:
    """Count `n` written in Word number format `fmt` (rules/reader.yaml docx_numbering):
    draw_count(11, 'chineseCounting') == '十一'; decimal for a format not listed and for a
    count the format cannot write (past a sequence's end, 0 in Chinese)."""
    formats = formats or load_rules().raw["reader"]["docx_numbering"]["formats"]
    spec = formats.get(fmt, {"kind": "decimal"})
    kind = spec["kind"]
    if kind in ("none", "bullet"):
        return ""
    if kind == "chinese" and 1 <= n <= 9999:
        return chinese_numeral(
            n,
            spec.get("digits", "零一二三四五六七八九"),
            spec.get("units", "十百千"),
            spec.get("bare_ten", True),
        )
    if kind == "digits":
        return "".join(spec["digits"][int(d)] for d in str(n))
    if kind == "sequence" and 1 <= n <= len(spec["sequence"]):
        return spec["sequence"][n - 1]
    if kind == "letter" and 1 <= n <= 26 * len(spec["letters"]):
        letters = spec["letters"]
        return letters[(n - 1) % len(letters)] * ((n - 1) // len(letters) + 1)
    if kind == "roman" and 1 <= n <= 3999:
        roman = _roman(n)
        return roman.lower() if spec.get("lower") else roman
    return str(n).zfill(spec.get("width", 1))


def _roman(n: int) -> str:
    out = []
    for value, letters in (
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ):
        while n >= value:
            out.append(letters)
            n -= value
    return "".join(out)
