"""Warnings an extraction carries (spec: `warnings`), rendered from rules/warnings.yaml.

`warn("stated_vs_counted", stated=25, counted=19)` gives a ParseWarning whose `message` is the
English text, whose `args` let any front end render it in another language with
`render(code, args, lang)`, and whose `level` (review or info) says whether it asks for a
person's check. An unknown code is a programming error (KeyError), caught by the
tests that run every emitter.
"""

from __future__ import annotations

from etl.model import ParseWarning
from etl.rules import load_rules


def _catalogue() -> dict[str, dict]:
    return {w["id"]: w for w in load_rules().raw["warnings"]["warnings"]}


def render(code: str, args: dict | None = None, lang: str = "en") -> str:
    """The warning's message in `lang` ('zh' or 'en'); an unknown code reads as the code.
    A count the catalogue says is counted again (`recount`) reads as at load and now when
    `args` carry a `now` that differs from `n`; a warning an analyst's correction settled
    (`args` carry `settled`) reads as its `settled` wording, where it has one."""
    entry = _catalogue().get(code)
    if entry is None:
        return code
    args = args or {}
    recount = entry.get("recount")
    if recount and "now" in args and args["now"] != args.get("n"):
        entry = recount  # counted again on the corrected warehouse: say both counts
    elif entry.get("settled") and args.get("settled"):
        entry = entry["settled"]  # says it was read so, and has since been corrected
    try:
        return entry[lang].format(**args)
    except (KeyError, IndexError, ValueError):
        return entry[lang]


LEVELS = ("review", "info")  # what a warning asks of a person (rules/warnings.yaml `level`)


def level_of(code: str, args: dict | None = None) -> str:
    """`review` (a number may be wrong until someone checks it: raises 待核查) or `info` (said
    so that nothing is left out silently), from the catalogue; a code the catalogue lacks is
    `review`, as is a `level_from` code whose named code is unknown."""
    entry = _catalogue().get(code)
    if entry is None:
        return "review"
    source = entry.get("level_from")
    if source:
        named = (args or {}).get(source)
        return level_of(named) if named and named != code else "review"
    return entry.get("level", "review")


def warn(code: str, start: int | None = None, end: int | None = None, **args) -> ParseWarning:
    """A warning with its English message and its level (`review` or `info`, from the
    catalogue); `start`/`end` are plain-text offsets, if any."""
    if code not in _catalogue():
        raise KeyError(f"warning code {code!r} is not in rules/warnings.yaml")
    return ParseWarning(code, render(code, args, "en"), start, end, args, level_of(code, args))


def settled_by() -> dict[str, tuple[str, str]]:
    """Code → (scope, status) for the warnings an analyst's corrections can settle: scope
    `report` (rules/warnings.yaml `recount`: settled when none of the report's measures has
    that status any more) or `measure` (`measure_status`: settled when the measure the
    warning lies in has another status)."""
    out = {code: ("report", status) for code, status in recounted().items()}
    for code, e in _catalogue().items():
        if e.get("measure_status"):
            out[code] = ("measure", e["measure_status"])
    return out


def is_settled(
    code: str, statuses: dict[str, int], holder_status: str | None, settle: dict | None = None
) -> bool:
    """Whether a warning of `code` is settled (settled_by) given how many of its report's
    measures have each status now (`statuses`) and the status of the measure it lies in
    (None: it lies in none)."""
    scope, status = (settle if settle is not None else settled_by()).get(code, (None, None))
    if scope == "report":
        return statuses.get(status, 0) == 0
    if scope == "measure":
        return holder_status is not None and holder_status != status
    return False


def recounted() -> dict[str, str]:
    """Code → the measure status its count `n` counts, for the warnings whose count follows
    an analyst's corrections (rules/warnings.yaml `recount`)."""
    return {code: e["recount"]["status"] for code, e in _catalogue().items() if e.get("recount")}
