"""Chinese text takes full-width punctuation (：，；（）！？ and “” quotes), as official documents
and Chinese UIs write it: every zh string of the catalogue (views/i18n.py, the grid's own words)
and every `zh` text of the rule files is scanned. Latin stays Latin: a colon in 12:30, a path,
a range 1–50 or a bracket around Latin words between Latin words are not next to a Chinese
character and are not flagged."""

from __future__ import annotations

import re

import pytest

from dashboard.grid import LOCALE_ZH
from etl.rules import load_rules
from views import i18n

# An ASCII , : ; ( ) ! ? or " next to a Chinese character (or a full-width mark).
_CJK = r"[\u3400-\u9fff“”‘’（）。、《》…]"
_ASCII_NEXT_TO_CJK = re.compile(rf"{_CJK} ?[,:;()!?\"]|[,:;()!?\"] ?{_CJK}")
# A bracket opened in one width and closed in the other.
_MIXED_BRACKETS = re.compile(r"（[^（）()]*\)|\([^（）()]*）")
# A placeholder filled in; a word such as 工作表 stands for what Chinese text puts there, so
# "{label}{title}:缺少" is caught as well as "标题:缺少".
_FIELD = re.compile(r"\{[a-z_]+\}")

# Strings that keep an ASCII mark next to Chinese on purpose, with the reason. Empty: none
# needs one today; a new entry must say why (e.g. a shell command quoted in a message).
ALLOWED: dict[str, str] = {}


def _zh_values(node, where: str):
    """(where, text) for every string under a `zh` key (or zh_one …), recursively."""
    if isinstance(node, dict):
        for key, value in node.items():
            here = f"{where}.{key}"
            if str(key).startswith("zh") and isinstance(value, str):
                yield here, value
            else:
                yield from _zh_values(value, here)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _zh_values(value, f"{where}[{i}]")


def _catalogue() -> list[tuple[str, str]]:
    texts = []
    for name in ("MESSAGES", "INPUT_ERRORS", "PROGRAMS", "UNITS", "INSPECTION_KINDS"):
        texts += _zh_values(getattr(i18n, name), f"views.i18n.{name}")
    texts += [(f"dashboard.grid.LOCALE_ZH.{k}", v) for k, v in LOCALE_ZH.items()]
    for name, doc in load_rules().raw.items():
        texts += _zh_values(doc, f"etl/rules/{name}.yaml")
    return texts


def _faults(text: str) -> list[str]:
    filled = _FIELD.sub("工作表", text)
    found = {m.group(0) for s in (text, filled) for m in _ASCII_NEXT_TO_CJK.finditer(s)}
    return sorted(found | {m.group(0) for m in _MIXED_BRACKETS.finditer(text)})


def test_the_scan_reads_every_kind_of_chinese_text():
    texts = dict(_catalogue())
    assert texts["views.i18n.MESSAGES.reports_place.zh"] == "第 {first}–{last} 份，共 {total} 份"
    assert texts["views.i18n.INPUT_ERRORS.csv_unreadable.zh"].endswith("CSV（UTF-8）或 .xlsx。")
    assert texts["dashboard.grid.LOCALE_ZH.pageSizeSelectorLabel"] == "每页："
    warnings = [v for w, v in texts.items() if w.startswith("etl/rules/warnings.yaml")]
    assert "{n}项整改措施状态未明确，未计入已完成" in warnings
    assert texts["etl/rules/status.yaml.default_cue.zh"] == "默认规则 {id}：{zh}"
    assert texts["etl/rules/taxonomy.yaml.categories[0].zh"] == "治理"


def test_chinese_text_uses_full_width_punctuation():
    faults = {
        where: _faults(text)
        for where, text in _catalogue()
        if _faults(text) and ALLOWED.get(where) is None
    }
    assert not faults, faults


@pytest.mark.parametrize(
    "text, faults",
    [
        ("第 1–50 份,共 23 份", ["份,"]),
        ("当前筛选: 未筛选", ["选:"]),
        ("另存为 CSV(UTF-8)或 .xlsx", [")或"]),
        ("{label}{title}:缺少上一层级", [":缺", "表:"]),
        ("(以下简称", ["(以"]),
        ('记为"未明确"', ['为"', '确"']),
        ("状态（未计入已完成)", ["成)", "（未计入已完成)"]),
        # Latin and numbers keep their marks.
        ("会议于 12:30 开始，见 https://example.org/a:b", []),
        ("第 {first}–{last} 条，共 {n} 条", []),
        ("另存为 CSV（UTF-8）或 .xlsx", []),
    ],
)
def test_the_scan_finds_ascii_marks_only_in_chinese_text(text, faults):
    assert _faults(text) == sorted(faults)
