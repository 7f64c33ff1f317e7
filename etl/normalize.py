"""Normalisation that keeps offsets.

Parsers match on NFKC text (full-width brackets, digits and punctuation folded), but every
offset we report must point into the plain text the user sees. `Normalized` keeps, for each
character of the folded text, the offset of the plain-text character it came from.
"""

from __future__ import annotations

import unicodedata
from array import array
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass

# Characters NFKC leaves alone that reports use interchangeably with ASCII ones.
_EXTRA = str.maketrans({"\u3000": " ", "\xa0": " ", "．": ".", "～": "~", "－": "-"})


class _FoldTable(dict):
    """str.translate table that folds each character once and remembers it."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        folded = ch if code < 128 else unicodedata.normalize("NFKC", ch.translate(_EXTRA))
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
    """Fold `plain` character by character, so each folded char knows where it came from."""
    text = plain.translate(_TABLE)
    if len(text) == len(plain):
        # Almost always: every folded character replaced exactly one plain one.
        return Normalized(text, range(len(plain) + 1))
    origin = array("q")
    for i, ch in enumerate(plain):
        n = len(_TABLE[ord(ch)])
        if n == 1:
            origin.append(i)
        elif n:
            origin.extend([i] * n)
    origin.append(len(plain))
    return Normalized(text, origin)


def fold(text: str) -> str:
    """Folded text alone, for short strings such as header fields."""
    return text.translate(_TABLE)
