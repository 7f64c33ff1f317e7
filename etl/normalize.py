"""Normalisation that keeps offsets.

Parsers match on NFKC text (full-width brackets, digits and punctuation folded), but every
offset we report must point into the plain text the user sees. `Normalized` keeps, for each
character of the folded text, the offset of the plain-text character it came from.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Characters NFKC leaves alone that reports use interchangeably with ASCII ones.
_EXTRA = str.maketrans({"\u3000": " ", "\xa0": " ", "．": ".", "～": "~", "－": "-"})


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    return unicodedata.normalize("NFKC", ch.translate(_EXTRA))


@dataclass(frozen=True)
class Normalized:
    """Folded text plus a map from each folded position back to the plain text."""

    text: str
    origin: tuple[int, ...]  # origin[i] = plain offset of folded char i; one extra at the end

    def to_plain(self, start: int, end: int) -> tuple[int, int]:
        """Map a folded [start, end) span to the plain-text span it came from."""
        if end <= start:
            pos = self.origin[start]
            return pos, pos
        return self.origin[start], self.origin[end - 1] + 1


def normalize(plain: str) -> Normalized:
    """Fold `plain` character by character, so each folded char knows where it came from."""
    parts: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(plain):
        folded = _fold_char(ch) if ord(ch) > 127 else ch
        parts.append(folded)
        origin.extend([i] * len(folded))
    origin.append(len(plain))
    return Normalized("".join(parts), tuple(origin))


def fold(text: str) -> str:
    """Folded text alone, for short strings such as header fields."""
    return "".join(_fold_char(c) if ord(c) > 127 else c for c in text)
