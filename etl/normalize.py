"""Normalisation that keeps offsets.

Parsers match on NFKC text (full-width brackets, digits and punctuation folded), but every
offset we report must point into the plain text the user sees. `Normalized` keeps, for each
character of the folded text, the offset of the plain-text character it came from.
"""

from __future__ import annotations

import importlib.util
import json
import re
import unicodedata
from array import array
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

# Characters NFKC leaves alone that reports use interchangeably with ASCII ones.
_EXTRA = str.maketrans({"\u3000": " ", "\xa0": " ", "．": ".", "～": "~", "－": "-"})


@cache
def _simplified() -> dict[str, str]:
    """Traditional → simplified, one character for one (zhconv's zh-cn table), so that a
    mirror printed in traditional characters folds to the text the cues are written in
    (rules/reader.yaml `traditional`). The table is read from zhconv's data file: importing
    zhconv itself costs half a second (it imports pkg_resources)."""
    spec = importlib.util.find_spec("zhconv")
    data = Path(next(iter(spec.submodule_search_locations))) / "zhcdict.json" if spec else None
    if data is not None and data.is_file():
        tables = json.loads(data.read_text(encoding="utf-8"))
        pairs = {**tables["zh2Hans"], **tables["zh2CN"]}
    else:  # another layout of the package: its public API
        from zhconv import zhconv

        pairs = zhconv.getdict("zh-cn")
    return {k: v for k, v in pairs.items() if len(k) == 1 and len(v) == 1 and k != v}


class _FoldTable(dict):
    """str.translate table that folds each character once and remembers it."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        folded = ch if code < 128 else unicodedata.normalize("NFKC", ch.translate(_EXTRA))
        if len(folded) == 1 and code >= 0x3400:
            folded = _simplified().get(folded, folded)
        self[code] = folded
        return folded


_TABLE = _FoldTable()


@dataclass(frozen=True)
class Normalized:
    """Folded text plus a map from each folded position back to the plain text."""

    text: str
    # origin[i] = plain offset of folded char i, one extra at the end: a range when folding
    # kept every offset (the usual case), else a compact array (8 bytes a character).
    origin: Sequence[int]

    def to_plain(self, start: int, end: int) -> tuple[int, int]:
        """Map a folded [start, end) span to the plain-text span it came from."""
        if end <= start:
            pos = self.origin[start]
            return pos, pos
        return self.origin[start], self.origin[end - 1] + 1

    def to_folded(self, start: int, end: int) -> tuple[int, int]:
        """Map a plain-text [start, end) span to the folded span made from it."""
        return bisect_left(self.origin, start), bisect_left(self.origin, end)


def normalize(plain: str) -> Normalized:
    """Fold `plain` character by character, so each folded char knows where it came from;
    then drop the pinyin glosses a mirror prints after characters (根據(jù) → 根据)."""
    text = plain.translate(_TABLE)
    if len(text) == len(plain):
        # Almost always: every folded character replaced exactly one plain one.
        folded = Normalized(text, range(len(plain) + 1))
    else:
        origin = array("q")
        for i, ch in enumerate(plain):
            n = len(_TABLE[ord(ch)])
            if n == 1:
                origin.append(i)
            elif n:
                origin.extend([i] * n)
        origin.append(len(plain))
        folded = Normalized(text, origin)
    return _without_glosses(folded)


@cache
def _gloss_rx() -> re.Pattern:
    from etl.rules import load_rules

    return re.compile(load_rules().raw["reader"]["pinyin_gloss"]["pattern"])


def _without_glosses(folded: Normalized) -> Normalized:
    text = folded.text
    if "(" not in text:
        return folded
    spans = [m.span() for m in _gloss_rx().finditer(text)]
    if not spans:
        return folded
    pieces, origin, pos = [], array("q"), 0
    for start, end in [*spans, (len(text), len(text))]:
        pieces.append(text[pos:start])
        origin.extend(folded.origin[i] for i in range(pos, start))
        pos = end
    origin.append(folded.origin[len(text)])
    return Normalized("".join(pieces), origin)


def fold(text: str) -> str:
    """Folded text alone, for short strings such as header fields."""
    return normalize(text).text if "(" in text else text.translate(_TABLE)
