"""Load the rule files in this folder (YAML an analyst can edit) into compiled form.

`RECTIFY_RULES_DIR` points at another folder holding the same files, for an organisation
that keeps its own taxonomy or department list.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

import yaml

# libyaml's loader parses the rule files about ten times faster than the pure-Python one
# (which stays the fallback where PyYAML was built without libyaml).
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

RULES_DIR = Path(__file__).parent
RULE_FILES = (
    "units",
    "reader",
    "structure",
    "taxonomy",
    "status",
    "departments",
    "indicators",
    "totals",
    "ledger",
    "compare",
    "warnings",
)
# Files added after RECTIFY_RULES_DIR existed: a folder without them falls back to ours.
LATER_FILES = ("ledger", "compare", "warnings")


class RulesError(Exception):
    """A rule file an analyst edited does not load; the message names the file and rule."""


@dataclass(frozen=True)
class Unit:
    written: str
    normalized: str | None  # None: the counter word is its own normalised unit


@dataclass(frozen=True)
class Category:
    id: str
    zh: str
    en: str
    keywords: tuple[tuple[str, float], ...]
    colour: str = "#777777"


@dataclass(frozen=True)
class Status:
    """One status of the vocabulary (rules/status.yaml `statuses`)."""

    id: str
    zh: str
    en: str
    colour: str
    badge: str
    done: bool  # counts as completed in a completion rate
    open: bool  # keeps a finding open
    review: bool = False  # a measure with it is listed for an analyst's review (待核查)


@dataclass(frozen=True)
class StatusRule:
    id: str
    status: str
    patterns: tuple[re.Pattern, ...]
    sections: tuple[str, ...]
    default: bool
    description: str = ""  # in English; `zh` in Chinese (the cue of a default rule tells both)
    zh: str = ""


@dataclass(frozen=True)
class Department:
    name: str
    kind: str
    body: str | None
    own_offices: bool
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Indicator:
    code: str
    zh: str
    en: str
    unit: str
    category: str
    units: tuple[str, ...]
    clause: tuple[re.Pattern, ...]
    sentence: tuple[re.Pattern, ...]
    measure: tuple[re.Pattern, ...]
    exclude: tuple[re.Pattern, ...]


@dataclass(frozen=True)
class TotalRule:
    id: str
    key: str
    pattern: re.Pattern


@dataclass(frozen=True)
class Rules:
    raw: dict
    units: tuple[Unit, ...]
    qualifier_prefix: tuple[tuple[str, str], ...]
    qualifier_between: tuple[tuple[str, str], ...]
    qualifier_suffix: tuple[tuple[str, str], ...]
    qualifier_clause: tuple[tuple[str, str], ...]
    furniture: tuple[re.Pattern, ...]
    pdf_glyphs: dict[str, str]
    ledger: dict  # rules/ledger.yaml as read: column synonyms, status words, warning bands
    compare: dict  # rules/compare.yaml as read: how rounds are matched
    structure: dict
    categories: tuple[Category, ...]
    statuses: tuple[Status, ...]
    status_rules: tuple[StatusRule, ...]
    departments: tuple[Department, ...]
    partner_known: tuple[tuple[str, tuple[str, ...]], ...]
    partner_patterns: tuple[tuple[tuple[str, ...], re.Pattern], ...]
    own_body_words: tuple[re.Pattern, ...]
    partner_strip: re.Pattern | None
    indicators: tuple[Indicator, ...]
    totals: tuple[TotalRule, ...]
    # stated-total key → the pattern of one figure of its kind (totals.yaml single_figure)
    total_single_figure: dict = field(default_factory=dict)
    compiled: dict = field(default_factory=dict)

    @property
    def category_ids(self) -> tuple[str, ...]:
        """The category vocabulary, in the order rules/taxonomy.yaml lists it."""
        return tuple(c.id for c in self.categories)

    @property
    def status_ids(self) -> tuple[str, ...]:
        """The status vocabulary, in the order rules/status.yaml lists it."""
        return tuple(s.id for s in self.statuses)

    def rx(self, key: str, flags: int = 0) -> re.Pattern:
        """A compiled pattern from structure.yaml by dotted key, e.g. 'header.team'."""
        cache_key = (key, flags)
        if cache_key not in self.compiled:
            node = self.structure
            for part in key.split("."):
                node = node[part]
            pattern = node["pattern"] if isinstance(node, dict) else node
            self.compiled[cache_key] = re.compile(pattern, flags)
        return self.compiled[cache_key]

    def ledger_rx(self, *path: str | int) -> re.Pattern:
        """A compiled pattern from ledger.yaml by its path, e.g. ('rows', 'total') or
        ('deadlines', 0); a broken pattern raises RulesError naming the rule."""
        cache_key = ("ledger", *path)
        if cache_key not in self.compiled:
            node = self.ledger
            for part in path:
                node = node[part]
            where = f"ledger.yaml {node.get('id', '.'.join(map(str, path)))}"
            self.compiled[cache_key] = _compile(node["pattern"], where)
        return self.compiled[cache_key]


def _compile(pattern: str, where: str) -> re.Pattern:
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise RulesError(f"{where}: bad regular expression {pattern!r}: {exc}") from exc


def _compile_all(patterns, where: str) -> tuple[re.Pattern, ...]:
    return tuple(_compile(p, where) for p in (patterns or []))


def rules_dir() -> Path:
    return Path(os.environ.get("RECTIFY_RULES_DIR") or RULES_DIR)


def read_rule_files(folder: Path | None = None) -> dict:
    folder = folder or rules_dir()
    raw = {}
    for name in RULE_FILES:
        path = folder / f"{name}.yaml"
        if not path.exists() and name in LATER_FILES:
            # An organisation's folder from before this file existed uses the bundled one.
            path = RULES_DIR / f"{name}.yaml"
        try:
            raw[name] = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
        except FileNotFoundError as exc:
            raise RulesError(f"{path}: rule file missing") from exc
        except yaml.YAMLError as exc:
            raise RulesError(f"{path}: not valid YAML: {exc}") from exc
    return raw


@cache
def _bundled(name: str) -> dict:
    """One of the rule files shipped with rectify, as read."""
    return yaml.load((RULES_DIR / f"{name}.yaml").read_text(encoding="utf-8"), Loader=_LOADER)


@lru_cache(maxsize=4)
def load_rules(folder: str | None = None) -> Rules:
    raw = read_rule_files(Path(folder) if folder else None)
    units = []
    for rule in raw["units"]["units"]:
        for written in rule["written"]:
            units.append(Unit(written, rule["normalized"]))
    # Longest spelling first, so 人次 wins over 人 and 平方公里 over 公里.
    unique = {u.written: u for u in units}
    units = sorted(unique.values(), key=lambda u: -len(u.written))
    prefix, between, suffix, clause = [], [], [], []
    for q in raw["units"]["qualifiers"]:
        prefix += [(w, q["qualifier"]) for w in q.get("prefix", [])]
        between += [(w, q["qualifier"]) for w in q.get("between", [])]
        suffix += [(w, q["qualifier"]) for w in q.get("suffix", [])]
        clause += [(w, q["qualifier"]) for w in q.get("clause", [])]
    prefix.sort(key=lambda x: -len(x[0]))
    suffix.sort(key=lambda x: -len(x[0]))
    colours = {c["id"]: c.get("colour") for c in _bundled("taxonomy")["categories"]}
    categories = tuple(
        Category(
            c["id"],
            c["zh"],
            c["en"],
            tuple((k, float(v)) for k, v in c["keywords"].items()),
            c.get("colour") or colours.get(c["id"]) or "#777777",
        )
        for c in raw["taxonomy"]["categories"]
    )
    # A rules folder copied before the vocabulary moved into the rule files keeps ours.
    vocabulary = raw["status"].get("statuses") or _bundled("status")["statuses"]
    # A copy made before statuses said which are listed for review keeps the bundled choice.
    if not any("review" in s for s in vocabulary):
        bundled = {s["id"]: s for s in _bundled("status")["statuses"]}
        vocabulary = [{**s, "review": bundled.get(s["id"], {}).get("review")} for s in vocabulary]
    statuses = tuple(
        Status(
            s["id"],
            s["zh"],
            s["en"],
            s.get("colour") or "#777777",
            s.get("badge") or "secondary",
            bool(s.get("done")),
            bool(s.get("open")),
            bool(s.get("review")),
        )
        for s in vocabulary
    )
    known = {s.id for s in statuses}
    for r in raw["status"]["rules"]:
        if r["status"] not in known:
            raise RulesError(f"status.yaml {r['id']}: status {r['status']!r} is not in `statuses`")
    status_rules = tuple(
        StatusRule(
            r["id"],
            r["status"],
            _compile_all(r.get("patterns"), f"status.yaml {r['id']}"),
            tuple(r.get("sections", [])),
            bool(r.get("default", False)),
            r.get("description", ""),
            r.get("zh", ""),
        )
        for r in raw["status"]["rules"]
    )
    departments = tuple(
        Department(
            u["name"], u["kind"], u.get("body"), bool(u.get("own_offices")), tuple(u["aliases"])
        )
        for u in raw["departments"]["units"]
    )
    partners = raw["departments"]["partners"]
    # `exclusions`: figures an indicator's rule meets and that are not what it counts, kept
    # out of it by their clause (each entry names the indicator).
    excluded: dict[str, list[str]] = {}
    for e in raw["indicators"].get("exclusions") or []:
        excluded.setdefault(e["indicator"], []).append(e["clause"])
    indicators = tuple(
        Indicator(
            i["code"],
            i["zh"],
            i["en"],
            i["unit"],
            i["category"],
            tuple(i["units"]),
            _compile_all(i.get("clause"), f"indicators.yaml {i['code']}"),
            _compile_all(i.get("sentence"), f"indicators.yaml {i['code']}"),
            _compile_all(i.get("measure"), f"indicators.yaml {i['code']}"),
            _compile_all(
                [*(i.get("not") or []), *excluded.get(i["code"], [])],
                f"indicators.yaml {i['code']}",
            ),
        )
        for i in raw["indicators"]["indicators"]
    )
    totals = tuple(
        TotalRule(t["id"], t["key"], _compile(t["pattern"], f"totals.yaml {t['id']}"))
        for t in raw["totals"]["totals"]
    )
    return Rules(
        raw=raw,
        units=tuple(units),
        qualifier_prefix=tuple(prefix),
        qualifier_between=tuple(between),
        qualifier_suffix=tuple(suffix),
        qualifier_clause=tuple(clause),
        furniture=_compile_all([f["pattern"] for f in raw["reader"]["furniture"]], "reader.yaml"),
        pdf_glyphs=dict(raw["reader"]["pdf_glyphs"]["map"]),
        ledger=raw["ledger"],
        compare=raw["compare"],
        structure=raw["structure"],
        categories=categories,
        statuses=statuses,
        status_rules=status_rules,
        departments=departments,
        partner_known=tuple((p["name"], tuple(p["aliases"])) for p in partners["known"]),
        partner_patterns=tuple(
            (tuple(p.get("needs", [])), _compile(p["pattern"], f"departments.yaml {p['id']}"))
            for p in partners["patterns"]
        ),
        partner_strip=_compile(partners["strip_prefix"], "departments.yaml strip_prefix")
        if partners.get("strip_prefix")
        else None,
        own_body_words=_compile_all(
            raw["departments"].get("own_body_words", {}).get("patterns"),
            "departments.yaml own_body_words",
        ),
        indicators=indicators,
        totals=totals,
        total_single_figure={
            t["key"]: _compile(t["pattern"], f"totals.yaml {t['id']}")
            for t in raw["totals"].get("single_figure", [])
        },
    )
