"""Warnings an extraction carries (spec: `warnings`), rendered from rules/warnings.yaml.

`warn("stated_vs_counted", stated=25, counted=19)` gives a ParseWarning whose `message` is the
English text and whose `args` let any front end render it in another language with
`render(code, args, lang)`. An unknown code is a programming error (KeyError), caught by the
tests that run every emitter.
"""

from __future__ import annotations

from etl.model import ParseWarning
from etl.rules import load_rules


def _catalogue() -> dict[str, dict]:
    return {w["id"]: w for w in load_rules().raw["warnings"]["warnings"]}


def render(code: str, args: dict | None = None, lang: str = "en") -> str:
    """The warning's message in `lang` ('zh' or 'en'); an unknown code reads as the code."""
    entry = _catalogue().get(code)
    if entry is None:
        return code
    try:
        return entry[lang].format(**(args or {}))
    except (KeyError, IndexError, ValueError):
        return entry[lang]


def warn(code: str, start: int | None = None, end: int | None = None, **args) -> ParseWarning:
    """A warning with its English message; `start`/`end` are plain-text offsets, if any."""
    if code not in _catalogue():
        raise KeyError(f"warning code {code!r} is not in rules/warnings.yaml")
    return ParseWarning(code, render(code, args, "en"), start, end, args)
