"""A report written in Word with list numbering (一、 (一) 1. drawn by Word from
word/numbering.xml, not typed) reads as the same report with typed markers: the same
skeleton, whether the paragraphs name the list themselves (w:numPr) or through their style."""

from __future__ import annotations

import io
import zipfile

import pytest
from test_layouts import LINED, TITLE, measures, nodes, parents

from etl.docx_numbering import draw_count
from etl.errors import InputError
from etl.extract import extract
from etl.reader import read_document

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _lvl(ilvl: int, fmt: str, text: str, start: int = 1, extra: str = "") -> str:
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/>{extra}</w:lvl>'
    )


# The outline Chinese reports use: 一、 at the top, （一） below it (full-width brackets, as
# Word's Chinese templates write them), 1. below that.
OUTLINE = (
    _lvl(0, "chineseCounting", "%1、")
    + _lvl(1, "chineseCountingThousand", "（%2）")
    + _lvl(2, "decimal", "%3.")
)
NUMBERING = (
    f'<w:numbering xmlns:w="{W}">'
    f'<w:abstractNum w:abstractNumId="7">{OUTLINE}</w:abstractNum>'
    '<w:num w:numId="3"><w:abstractNumId w:val="7"/></w:num>'
    "</w:numbering>"
)
# The same outline tied to three paragraph styles, as Word's 标题 1/2/3 with 多级列表: each
# style names the list; the level comes from the level's w:pStyle (标题 2 → the second).
STYLED_NUMBERING = NUMBERING.replace(
    OUTLINE,
    _lvl(0, "chineseCounting", "%1、", extra='<w:pStyle w:val="Area"/>')
    + _lvl(1, "chineseCounting", "（%2）", extra='<w:pStyle w:val="Problem"/>')
    + _lvl(2, "decimal", "%3.", extra='<w:pStyle w:val="Item"/>'),
)
NEVER_RESTART = '<w:lvlRestart w:val="0"/>'
_MARKERS = ("一、", "二、", "(一)", "(二)", "1.", "2.")


def _split(line: str) -> tuple[int | None, str]:
    """(outline level, text without its typed marker) of a line of LINED."""
    for marker in _MARKERS:
        if line.startswith(marker):
            return {"、": 0, ")": 1, ".": 2}[marker[-1]], line[len(marker) :]
    return None, line


def _with_parts(raw: bytes, parts: dict[str, bytes]) -> bytes:
    """The package with these parts (word/numbering.xml …) replaced, as Word would write
    them or not."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, parts.get(info.filename) or src.read(info))
    return out.getvalue()


def numbered_docx(path, lines: list[str], numbering: str = NUMBERING, styled: bool = False):
    """LINED as Word writes it with list numbering: each marker taken out of the text and
    drawn by numbering.xml, on the paragraph itself or (styled) through its style."""
    import docx
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml import parse_xml

    document = docx.Document()
    if styled:
        for name in ("Area", "Problem", "Item"):
            style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.element.get_or_add_pPr().append(
                parse_xml(f'<w:numPr xmlns:w="{W}"><w:numId w:val="3"/></w:numPr>')
            )
    for line in lines:
        level, text = _split(line)
        if level is None:
            document.add_paragraph(text)
        elif styled:
            document.add_paragraph(text, style=("Area", "Problem", "Item")[level])
        else:
            p = document.add_paragraph(text)
            p._p.get_or_add_pPr().append(
                parse_xml(
                    f'<w:numPr xmlns:w="{W}"><w:ilvl w:val="{level}"/>'
                    '<w:numId w:val="3"/></w:numPr>'
                )
            )
    buffer = io.BytesIO()
    document.save(buffer)
    path.write_bytes(_with_parts(buffer.getvalue(), {"word/numbering.xml": numbering.encode()}))
    return path


@pytest.mark.parametrize("styled", [False, True], ids=["numPr", "style"])
def test_word_numbered_headings_give_the_skeleton_of_typed_markers(tmp_path, styled):
    numbering = STYLED_NUMBERING if styled else NUMBERING
    doc = read_document(numbered_docx(tmp_path / "r.docx", LINED, numbering, styled))
    lines = doc.text.splitlines()
    # Word's drawing: counts per level, lower levels restart when a higher one advances.
    assert lines[2:6] == [
        "一、落实整改主体责任情况",
        "（一）加强组织领导。局党组成立整改工作领导小组,召开专题会议3次。",
        "（二）细化整改方案。制定整改方案,建立问题清单。",
        "二、反馈问题整改落实情况",
    ]
    assert [line[:2] for line in lines[6:11]] == ["（一", "1.", "2.", "（二", "1."]
    typed = extract("\n".join(LINED))
    word = extract(doc.text)
    assert nodes(word) == nodes(typed)  # test_layouts: 2 areas, 3 problems
    levels = [level for level, _label, _title in nodes(word)]
    assert levels == ["area", "problem", "problem", "area", "problem"]
    assert nodes(word)[3][2] == "防火责任落实不力"
    assert parents(word) == parents(typed)
    assert [(s, label) for s, label, _ in measures(word)] == [
        (s, label) for s, label, _ in measures(typed)
    ]
    assert word.report.title == typed.report.title == TITLE


def test_without_its_numbering_the_same_document_reads_bare_headings(tmp_path):
    """The fault this fixes: the text alone has no markers, and no area is found."""
    bare = [_split(line)[1] for line in LINED]
    assert nodes(extract("\n".join(bare))) != nodes(extract("\n".join(LINED)))


def test_start_restart_override_and_shared_counts(tmp_path):
    numbering = (
        f'<w:numbering xmlns:w="{W}">'
        + '<w:abstractNum w:abstractNumId="1">'
        + _lvl(0, "chineseCounting", "%1、", start=9)
        + _lvl(1, "decimalEnclosedCircleChinese", "%2")
        + _lvl(2, "ideographTraditional", "%3.", extra=NEVER_RESTART)
        + "</w:abstractNum>"
        '<w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>'
        # Another instance of the same list continues its counts …
        '<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>'
        # … unless it restarts a level (Word's 重新开始编号 writes this).
        '<w:num w:numId="4"><w:abstractNumId w:val="1"/>'
        '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
        "</w:numbering>"
    )
    paragraphs = [
        ("1", 0, "甲"),
        ("1", 1, "乙"),
        ("1", 2, "丙"),
        ("1", 1, "丁"),
        ("1", 2, "戊"),
        ("2", 0, "己"),  # same list, another instance: continues at 十
        ("2", 1, "庚"),  # level 1 restarted when level 0 advanced
        ("2", 2, "辛"),  # lvlRestart 0: never restarts
        ("4", 0, "壬"),  # startOverride: 一 again
        ("0", 0, "癸"),  # numId 0: numbering removed
    ]
    body = "".join(
        f'<w:p><w:pPr><w:numPr><w:ilvl w:val="{lvl}"/><w:numId w:val="{nid}"/></w:numPr>'
        f"</w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"
        for nid, lvl, text in paragraphs
    )
    path = _raw_docx(tmp_path / "n.docx", body, numbering)
    assert read_document(path).text.splitlines() == [
        "九、甲",
        "①乙",
        "甲.丙",
        "②丁",
        "乙.戊",
        "十、己",
        "①庚",
        "丙.辛",
        "一、壬",
        "癸",
    ]


def _raw_docx(path, body: str, numbering: str):
    import docx

    buffer = io.BytesIO()
    docx.Document().save(buffer)
    document = f'<w:document xmlns:w="{W}"><w:body>{body}<w:sectPr/></w:body></w:document>'
    parts = {"word/numbering.xml": numbering.encode(), "word/document.xml": document.encode()}
    path.write_bytes(_with_parts(buffer.getvalue(), parts))
    return path


@pytest.mark.parametrize(
    "n,fmt,drawn",
    [
        (1, "chineseCounting", "一"),
        (10, "chineseCounting", "十"),
        (11, "chineseCounting", "十一"),
        (20, "chineseCountingThousand", "二十"),
        (105, "chineseCountingThousand", "一百零五"),
        (11, "chineseLegalSimplified", "壹拾壹"),
        (3, "ideographTraditional", "丙"),
        (11, "ideographTraditional", "11"),  # past 癸: decimal, as Word does
        (12, "decimalEnclosedCircleChinese", "⑫"),
        (21, "decimalEnclosedCircle", "21"),
        (4, "decimalEnclosedParen", "⑷"),
        (7, "decimalZero", "07"),
        (28, "upperLetter", "BB"),
        (14, "lowerRoman", "xiv"),
        (5, "none", ""),
        (5, "someFormatWordAddsLater", "5"),
    ],
)
def test_counts_are_drawn_in_their_format(n, fmt, drawn):
    assert draw_count(n, fmt) == drawn


def _lines_with(tmp_path, numbering: str) -> list[str]:
    body = (
        '<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="3"/></w:numPr></w:pPr>'
        "<w:r><w:t>加强组织领导</w:t></w:r></w:p>"
    )
    return read_document(_raw_docx(tmp_path / "h.docx", body, numbering)).text.splitlines()


@pytest.mark.parametrize(
    "numbering,expected",
    [
        # The instance names an abstract definition that is not there.
        (
            f'<w:numbering xmlns:w="{W}"><w:num w:numId="3"><w:abstractNumId w:val="99"/>'
            "</w:num></w:numbering>",
            "加强组织领导",
        ),
        # No instance 3 at all; an empty numbering part.
        (f'<w:numbering xmlns:w="{W}"/>', "加强组织领导"),
        # Counts and levels that are no numbers, a level past 8, a marker of 10,000 characters.
        (
            f'<w:numbering xmlns:w="{W}"><w:abstractNum w:abstractNumId="7">'
            '<w:lvl w:ilvl="x"><w:start w:val="1"/></w:lvl><w:lvl w:ilvl="12"/>'
            + _lvl(0, "chineseCounting", "%1" * 5000, start=2)
            + '</w:abstractNum><w:num w:numId="3"><w:abstractNumId w:val="7"/></w:num>'
            "</w:numbering>",
            "加强组织领导",
        ),
        # A start far past any count a format writes, and a link to a numbering style that
        # loops back to itself.
        (
            f'<w:numbering xmlns:w="{W}"><w:abstractNum w:abstractNumId="7">'
            '<w:numStyleLink w:val="Loop"/>'
            + _lvl(0, "upperLetter", "%1、", start=10**9)
            + '</w:abstractNum><w:num w:numId="3"><w:abstractNumId w:val="7"/></w:num>'
            "</w:numbering>",
            "1000000000、加强组织领导",  # in decimal: no billion letters held
        ),
    ],
    ids=["missing-abstract", "empty", "garbage-values", "huge-start"],
)
def test_broken_numbering_falls_back_to_the_text(tmp_path, numbering, expected):
    assert _lines_with(tmp_path, numbering) == [expected]


def test_hostile_numbering_gets_one_line(tmp_path, monkeypatch):
    from etl.rules import load_rules

    entities = (
        '<?xml version="1.0"?><!DOCTYPE w:numbering [<!ENTITY a "一二三四五六七八九十">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        f'<w:numbering xmlns:w="{W}"><w:abstractNum w:abstractNumId="7">'
        + _lvl(0, "decimal", "&b;%1")
        + "</w:abstractNum></w:numbering>"
    )
    with pytest.raises(InputError) as info:
        _lines_with(tmp_path, entities)
    assert "DOCTYPE" in info.value.message and "h.docx" in info.value.message
    assert "\n" not in info.value.message

    limits = load_rules().raw["reader"]["limits"]
    monkeypatch.setitem(limits, "document_elements", 5000)
    huge = (
        f'<w:numbering xmlns:w="{W}">'
        + "".join(
            f'<w:abstractNum w:abstractNumId="{i}">{_lvl(0, "decimal", "%1.")}</w:abstractNum>'
            for i in range(2000)
        )
        + "</w:numbering>"
    )
    with pytest.raises(InputError) as info:
        _lines_with(tmp_path, huge)
    assert "more than 5,000 XML elements" in info.value.message


def test_numbering_through_a_based_on_style_and_a_numbering_style_link():
    """A style based on a numbered heading style is numbered as it is; a list that links to a
    numbering style (w:numStyleLink, Word's 列表样式) takes the levels of the list that style
    names; a paragraph's own ilvl picks the level of its style's list."""
    from lxml import etree

    from etl.docx_numbering import WordNumbering

    numbering = etree.fromstring(
        f'<w:numbering xmlns:w="{W}">'
        '<w:abstractNum w:abstractNumId="1"><w:numStyleLink w:val="Outline"/></w:abstractNum>'
        f'<w:abstractNum w:abstractNumId="2"><w:styleLink w:val="Outline"/>{OUTLINE}'
        "</w:abstractNum>"
        '<w:num w:numId="5"><w:abstractNumId w:val="1"/></w:num>'
        '<w:num w:numId="6"><w:abstractNumId w:val="2"/></w:num>'
        "</w:numbering>"
    )
    styles = etree.fromstring(
        f'<w:styles xmlns:w="{W}">'
        '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"/>'
        '<w:style w:type="numbering" w:styleId="Outline"><w:pPr><w:numPr>'
        '<w:numId w:val="6"/></w:numPr></w:pPr></w:style>'
        '<w:style w:type="paragraph" w:styleId="H1"><w:pPr><w:numPr><w:ilvl w:val="0"/>'
        '<w:numId w:val="5"/></w:numPr></w:pPr></w:style>'
        '<w:style w:type="paragraph" w:styleId="MyH1"><w:basedOn w:val="H1"/></w:style>'
        "</w:styles>"
    )
    words = WordNumbering.from_parts(numbering, styles)

    def para(style: str | None, ilvl: int | None = None):
        ppr = f'<w:pStyle w:val="{style}"/>' if style else ""
        if ilvl is not None:
            ppr += f'<w:numPr><w:ilvl w:val="{ilvl}"/></w:numPr>'
        return etree.fromstring(f'<w:p xmlns:w="{W}"><w:pPr>{ppr}</w:pPr></w:p>')

    drawn = [
        "".join(words.marker(p))
        for p in (para("H1"), para("MyH1", 1), para("MyH1", 1), para("MyH1"), para(None))
    ]
    assert drawn == ["一、", "（一）", "（二）", "二、", ""]
