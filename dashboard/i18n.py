"""Every user-facing string, in zh-CN (default) and English."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "app_title": {"zh": "整改进展看板", "en": "Rectification dashboard"},
    "reports_heading": {"zh": "已载入的通报", "en": "Loaded reports"},
    "col_title": {"zh": "标题", "en": "Title"},
    "col_unit": {"zh": "被巡察单位", "en": "Inspected unit"},
    "col_kind": {"zh": "类别", "en": "Kind"},
    "col_published": {"zh": "发布日期", "en": "Published"},
    "col_items": {"zh": "具体问题", "en": "Items"},
    "col_measures": {"zh": "整改措施", "en": "Measures"},
    "col_metrics": {"zh": "数据项", "en": "Figures"},
    "empty_title": {"zh": "仓库中还没有通报", "en": "No reports in the warehouse yet"},
    "empty_body": {
        "zh": "在项目目录运行下面的命令载入随附的样例通报,然后刷新本页:",
        "en": "Run this in the project folder to load the bundled sample reports, then reload this page:",
    },
    "empty_command": {
        "zh": "make run    # 或:.venv/bin/rectify load data/samples",
        "en": "make run    # or: .venv/bin/rectify load data/samples",
    },
    "untitled": {"zh": "(无标题)", "en": "(untitled)"},
}


def t(key: str, lang: str = "zh") -> str:
    entry = MESSAGES[key]
    return entry.get(lang) or entry["zh"]
