"""Spreadsheets read by the cells that hold content: the .xlsx parts as Excel, WPS and other
tools write them (shared and inline strings, rich text, strict namespaces, built-in and
custom date formats, formulas with and without a value, merged ranges), and hostile ones
refused with one line."""

from __future__ import annotations

import io
import zipfile

import pytest

from etl.errors import InputError
from etl.workbook import TableLimits, cell_ref, column_letters, read_csv, read_xlsx

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRICT = "http://purl.oclc.org/ooxml/spreadsheetml/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
LIMITS = TableLimits(rows=1000, columns=50, field_chars=10_000)


def xlsx(
    sheets: dict[str, str],
    strings: list[str] | None = None,
    styles: str | None = None,
    ns: str = MAIN,
    workbook_pr: str = "",
    states: dict[str, str] | None = None,
) -> bytes:
    """A minimal workbook: each sheet's <sheetData>…</sheetData> (and what follows it)."""
    rel = f"{REL}/" if ns == MAIN else "http://purl.oclc.org/ooxml/officeDocument/relationships/"
    entries = "".join(
        f'<sheet name="{name}" sheetId="{i}" r:id="rId{i}"'
        + (f' state="{(states or {}).get(name)}"' if (states or {}).get(name) else "")
        + "/>"
        for i, name in enumerate(sheets, 1)
    )
    rels = "".join(
        f'<Relationship Id="rId{i}" Type="{rel}worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, len(sheets) + 1)
    )
    rels += f'<Relationship Id="rS" Type="{rel}sharedStrings" Target="sharedStrings.xml"/>'
    rels += f'<Relationship Id="rT" Type="{rel}styles" Target="/xl/styles.xml"/>'
    parts = {
        "_rels/.rels": f'<Relationships xmlns="{PKG}"><Relationship Id="r1" '
        f'Type="{rel}officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook xmlns="{ns}" xmlns:r="{REL}">{workbook_pr}'
        f"<sheets>{entries}</sheets></workbook>",
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{PKG}">{rels}</Relationships>',
        "xl/sharedStrings.xml": f'<sst xmlns="{ns}">'
        + "".join(f"<si>{s}</si>" for s in (strings or []))
        + "</sst>",
        "xl/styles.xml": styles or f'<styleSheet xmlns="{ns}"/>',
    }
    for i, body in enumerate(sheets.values(), 1):
        parts[f"xl/worksheets/sheet{i}.xml"] = f'<worksheet xmlns="{ns}">{body}</worksheet>'
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            z.writestr(name, text)
    return buf.getvalue()


def inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


STYLES = (
    f'<styleSheet xmlns="{MAIN}"><numFmts><numFmt numFmtId="176" formatCode="yyyy&quot;年&quot;m&quot;月&quot;"/></numFmts>'
    '<cellStyleXfs><xf numFmtId="14"/></cellStyleXfs>'
    '<cellXfs><xf numFmtId="0"/><xf numFmtId="31"/><xf numFmtId="57"/><xf numFmtId="176"/>'
    '<xf numFmtId="9"/><xf numFmtId="14"/></cellXfs></styleSheet>'
)


def test_values_as_the_cells_show_them():
    body = (
        "<sheetData>"
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
        + inline("C1", "行内_x000D_文字")
        + "</row>"
        '<row r="2"><c r="A2" s="1"><v>45657</v></c><c r="B2" s="2"><v>45747</v></c>'
        '<c r="C2" s="3"><v>45658</v></c><c r="D2" s="4"><v>0.76</v></c><c r="E2"><v>33.9</v></c>'
        '<c r="F2"><v>12</v></c></row>'
        '<row r="3"><c r="A3" t="str"><f>A1&amp;""</f><v>已完成</v></c><c r="B3"><f>1+1</f><v>2</v></c>'
        '<c r="C3"><f>IF(1&gt;2,"a","b")</f><v></v></c><c r="D3"><f>X</f></c>'
        '<c r="E3" t="b"><v>1</v></c><c r="F3" t="e"><v>#N/A</v></c><c r="G3" t="d"><v>2025-03-31T00:00:00</v></c></row>'
        "</sheetData>"
    )
    strings = ["<t>序号</t>", "<r><t>反馈</t></r><r><t>问题</t></r><rPh><t>ハン</t></rPh>"]
    sheet = read_xlsx(xlsx({"台账": body}, strings, STYLES), "t.xlsx", LIMITS)[0]
    assert sheet.rows == [
        ["序号", "反馈问题", "行内\r文字"],
        ["2024-12-31", "2025-03-31", "2025-01-01", "76%", "33.9", "12"],
        ["已完成", "2", "", "", "TRUE", "#N/A", "2025-03-31"],
    ]
    # Formulas saved without a value are marked, the ones with a value are read.
    assert sheet.no_value == {(3, 2), (3, 3)}
    assert sheet.numbers == [1, 2, 3] and sheet.name == "台账" and not sheet.hidden


def test_strict_namespace_1904_dates_rows_without_references_and_hidden_sheets():
    body = (
        '<sheetData><row><c><v>1</v></c><c t="inlineStr"><is><t>甲</t></is></c></row>'
        '<row r="5"><c r="B5" s="1"><v>1</v></c></row></sheetData>'
    )
    styles = f'<styleSheet xmlns="{STRICT}"><cellXfs><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs></styleSheet>'
    raw = xlsx(
        {"一": body, "二": "<sheetData/>"},
        styles=styles,
        ns=STRICT,
        workbook_pr='<workbookPr date1904="1"/>',
        states={"二": "hidden"},
    )
    first, second = read_xlsx(raw, "s.xlsx", LIMITS)
    assert first.rows == [["1", "甲"], ["", "1904-01-02"]] and first.numbers == [1, 5]
    assert second.hidden and second.rows == []


def test_merged_ranges_fill_rows_that_hold_content_only():
    body = (
        "<sheetData>"
        f'<row r="1">{inline("A1", "标题")}</row>'
        f'<row r="3">{inline("A3", "1")}{inline("B3", "问题")}{inline("C3", "措施一")}</row>'
        f'<row r="4">{inline("C4", "措施二")}</row>'
        f'<row r="9">{inline("C9", "措施三")}</row>'
        "</sheetData><mergeCells>"
        '<mergeCell ref="A1:E1"/><mergeCell ref="A3:B4"/><mergeCell ref="D5:XFD1048576"/>'
        "</mergeCells>"
    )
    sheet = read_xlsx(xlsx({"台账": body}), "m.xlsx", LIMITS)[0]
    assert sheet.rows == [
        ["标题"] * 5,
        ["1", "问题", "措施一"],
        ["1", "1", "措施二"],  # the range's value (its top-left cell) fills its blank cells
        ["", "", "措施三"],
    ]
    assert sheet.numbers == [1, 3, 4, 9]


def test_a_cell_past_the_column_limit_or_too_many_rows_is_refused():
    far = (
        f'<sheetData><row r="1">{inline("A1", "序号")}{inline("XFD1048576", "x")}</row></sheetData>'
    )
    with pytest.raises(InputError, match="XFD1"):
        read_xlsx(xlsx({"台账": far}), "far.xlsx", LIMITS)
    rows = "".join(f'<row r="{i}">{inline(f"A{i}", "x")}</row>' for i in range(1, 1003))
    with pytest.raises(InputError, match="1,000 rows"):
        read_xlsx(xlsx({"台账": f"<sheetData>{rows}</sheetData>"}), "long.xlsx", LIMITS)
    # Empty cells, styled cells and declared dimensions cost nothing.
    empty = '<dimension ref="A1:XFD1048576"/><sheetData><row r="1048576"><c r="XFD1048576" s="1"/></row></sheetData>'
    assert read_xlsx(xlsx({"台账": empty}), "e.xlsx", LIMITS)[0].rows == []


@pytest.mark.parametrize(
    ("part", "text"),
    [
        ("sheet", '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'),
        ("sheet", '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'),
        ("strings", "<!DOCTYPE sst>"),
        ("broken", ""),
    ],
)
def test_entity_declarations_and_broken_xml_are_refused(part, text):
    body = f'<sheetData><row r="1">{inline("A1", "x")}</row></sheetData>'
    raw = xlsx({"台账": body}, ["<t>甲</t>"])
    parts = {}
    with zipfile.ZipFile(io.BytesIO(raw)) as z:
        for name in z.namelist():
            parts[name] = z.read(name)
    key = "xl/sharedStrings.xml" if part == "strings" else "xl/worksheets/sheet1.xml"
    parts[key] = (text.encode() + parts[key]) if part != "broken" else parts[key][:-5]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    with pytest.raises(InputError) as info:
        read_xlsx(buf.getvalue(), "bad.xlsx", LIMITS)
    assert "bad.xlsx" in info.value.message and "\n" not in info.value.message
    assert ("DOCTYPE" in info.value.message) == (part != "broken")


def test_not_a_workbook():
    with pytest.raises(InputError, match="not a readable zip"):
        read_xlsx(b"PK\x03\x04 broken", "x.xlsx", LIMITS)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/document.xml", "<w/>")
    with pytest.raises(InputError, match="no workbook part"):
        read_xlsx(buf.getvalue(), "doc.xlsx", LIMITS)


def test_csv_records_limits_and_errors():
    sheet = read_csv('序号,问题\n\n1,"两行\n的问题",,\n', "a.csv", LIMITS)
    assert sheet.rows == [["序号", "问题"], ["1", "两行\n的问题"]] and sheet.numbers == [1, 3]
    assert read_csv("序号\t问题\n1\t甲\n", "t.csv", LIMITS).rows == [["序号", "问题"], ["1", "甲"]]
    # Semicolons as Excel writes them where the decimal mark is a comma; a comma file whose
    # cells hold half-width ; stays a comma file.
    assert read_csv("序号;问题\n1;甲\n", "s.csv", LIMITS).rows == [["序号", "问题"], ["1", "甲"]]
    assert read_csv("序号,措施\n1,一是甲;二是乙;三是丙\n", "c.csv", LIMITS).rows == [
        ["序号", "措施"],
        ["1", "一是甲;二是乙;三是丙"],
    ]
    with pytest.raises(InputError, match="field larger than field limit"):
        read_csv("a," + "措" * 20_000 + "\n", "big.csv", LIMITS)
    with pytest.raises(InputError, match="record 2"):
        read_csv("a\nb," + "措" * 20_000 + "\n", "late.csv", LIMITS)
    with pytest.raises(InputError, match="beyond column"):
        read_csv("," * 60 + "x\n", "wide.csv", LIMITS)
    with pytest.raises(InputError, match="rows"):
        read_csv("x\n" * 1001, "long.csv", LIMITS)


def test_cell_references():
    assert [column_letters(i) for i in (0, 25, 26, 199, 16383)] == ["A", "Z", "AA", "GR", "XFD"]
    assert cell_ref(5, 3) == "F3"
