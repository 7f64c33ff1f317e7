"""The same report gives the same text and extraction whatever its encoding or wrapper."""

from __future__ import annotations

import html

import pytest
from conftest import SEED

from etl.errors import InputError
from etl.extract import extract
from etl.reader import read_document


def _portal_page(text: str) -> str:
    paragraphs = "\n".join(
        f"<p style='text-indent:2em'><span>{html.escape(line)}</span></p>"
        for line in text.split("\n")
    )
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>通报</title>
<script>var x = "一、不是正文";</script><style>p{{margin:0}}</style></head>
<body><nav><a href="/">首页</a> &gt; <a>巡察工作</a></nav>
<div class="breadcrumb">当前位置:首页 &gt; 巡察工作 &gt; 巡察反馈</div>
<div class="article">{paragraphs}</div>
<div class="share">【打印本页】【关闭窗口】</div><div>分享到:</div><div>浏览量:1024</div>
<footer>主办单位:某某区人民政府 网站标识码:1201160001</footer>
<div>主办单位:天津市滨海新区城市管理委员会</div><div>推荐使用IE8及以上版本浏览器浏览</div>
</body></html>"""


@pytest.fixture(scope="module")
def variants(tmp_path_factory, seed_text):
    d = tmp_path_factory.mktemp("variants")
    raw = SEED.read_text(encoding="utf-8")
    (d / "gb.txt").write_bytes(raw.encode("gb18030"))
    (d / "u16.txt").write_bytes(raw.encode("utf-16"))
    (d / "u16le.txt").write_bytes(raw.encode("utf-16-le"))
    (d / "bom.txt").write_bytes(raw.encode("utf-8-sig"))
    (d / "crlf.txt").write_bytes(raw.replace("\n", "\r\n").encode("utf-8"))
    (d / "page.html").write_text(_portal_page(seed_text), encoding="utf-8")
    (d / "page_gbk.htm").write_bytes(
        _portal_page(seed_text).replace('charset="utf-8"', 'charset="gbk"').encode("gb18030")
    )
    return d


@pytest.mark.parametrize(
    "name", ["gb.txt", "u16.txt", "u16le.txt", "bom.txt", "crlf.txt", "page.html", "page_gbk.htm"]
)
def test_same_text_and_extraction(variants, name, seed_text, seed_extraction):
    doc = read_document(variants / name)
    assert doc.text == seed_text
    assert extract(doc.text).to_dict() == seed_extraction.to_dict()


def test_furniture_dropped(seed_text):
    assert "网站标识码" not in seed_text and "推荐使用" not in seed_text
    assert seed_text.endswith("2025年5月20日")


@pytest.mark.parametrize(
    "content,problem",
    [
        (None, "file not found"),
        (b"", "file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
        (b"   \n\n  ", "no text"),
    ],
)
def test_bad_files_give_clear_errors(tmp_path, content, problem):
    path = tmp_path / "bad.txt"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(InputError) as info:
        read_document(path)
    assert problem in info.value.message and str(path) in info.value.message


CHROMIUM = "/usr/bin/chromium"


def _docx(text: str, path, table: list[list[str]] | None = None) -> None:
    import docx

    document = docx.Document()
    for line in text.split("\n"):
        document.add_paragraph(line)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for i, row in enumerate(table):
            for j, value in enumerate(row):
                grid.cell(i, j).text = value
        grid.cell(1, 1).merge(grid.cell(1, 2))  # a merged cell is read once
    document.save(path)


def _pdf(markup: str, path) -> None:
    """A PDF printed by chromium, as Word or WPS would export one: A4, text layer, CJK font."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--headless"])
        page = browser.new_page()
        page.set_content(markup)
        page.pdf(
            path=str(path),
            format="A4",
            margin={k: "2.5cm" for k in ("top", "bottom", "left", "right")},
        )
        browser.close()


def _official_document(text: str) -> str:
    """The report set as a 公文: justified, each paragraph's first line indented two characters."""
    body = "".join(f"<p>{html.escape(line)}</p>" for line in text.split("\n"))
    return (
        "<html><body style='font-family:\"Noto Serif CJK SC\"; font-size:16pt'>"
        "<style>p{text-indent:2em; text-align:justify; margin:0}</style>"
        f"{body}<p style='text-align:center'>- 1 -</p></body></html>"
    )


def _same_report(a, b) -> None:
    """Same skeleton, figures and assignments (offsets may shift with whitespace)."""
    assert [(f.level, f.title) for f in a.findings] == [(f.level, f.title) for f in b.findings]
    assert [(m.section, m.status, m.category) for m in a.measures] == [
        (m.section, m.status, m.category) for m in b.measures
    ]
    assert [sorted(m.departments) for m in a.measures] == [
        sorted(m.departments) for m in b.measures
    ]
    key = lambda m: (m.value, m.unit, m.qualifier, m.indicator or "")  # noqa: E731
    assert [key(m) for m in a.metrics] == [key(m) for m in b.metrics]
    assert a.report.inspected_unit == b.report.inspected_unit
    assert a.report.publish_date == b.report.publish_date


def test_word_report_gives_the_same_text_and_extraction(tmp_path, seed_text, seed_extraction):
    _docx(seed_text, tmp_path / "seed.docx")
    doc = read_document(tmp_path / "seed.docx")
    assert doc.kind == "docx" and doc.text == seed_text
    assert extract(doc.text).to_dict() == seed_extraction.to_dict()

    rows = [["序号", "问题", "整改措施"], ["1", "台账管理不规范", ""]]
    _docx("附件", tmp_path / "table.docx", rows)
    assert (
        read_document(tmp_path / "table.docx").text
        == "附件\n序号\t问题\t整改措施\n1\t台账管理不规范"
    )


@pytest.mark.skipif(not __import__("os").path.exists(CHROMIUM), reason="needs Debian's chromium")
@pytest.mark.slow
def test_pdf_report_gives_the_same_skeleton_and_metrics(tmp_path, seed_text, seed_extraction):
    _pdf(_official_document(seed_text), tmp_path / "seed.pdf")
    doc = read_document(tmp_path / "seed.pdf")
    assert doc.kind == "pdf" and "- 1 -" not in doc.text  # page numbers are furniture
    # Paragraphs come back whole: as many lines as the text report has.
    assert len(doc.text.splitlines()) == len(seed_text.splitlines())
    _same_report(extract(doc.text), seed_extraction)


@pytest.mark.skipif(not __import__("os").path.exists(CHROMIUM), reason="needs Debian's chromium")
@pytest.mark.slow
def test_scanned_pdf_says_it_needs_ocr(tmp_path):
    _pdf(
        "<html><body><div style='width:400px;height:600px;background:#888'></div></body></html>",
        tmp_path / "scan.pdf",
    )
    with pytest.raises(InputError) as info:
        read_document(tmp_path / "scan.pdf")
    assert "no text layer" in info.value.message and "OCR" in info.value.message


@pytest.mark.parametrize(
    "name,content,problem",
    [
        ("old.doc", b"\xd0\xcf\x11\xe0 old word", "save it as .docx"),
        ("broken.docx", b"PK\x03\x04 not really a zip", "not a Word .docx document"),
        ("broken.pdf", b"%PDF-1.7 nothing else", "not a readable PDF"),
    ],
)
def test_unreadable_documents_say_what_to_do(tmp_path, name, content, problem):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError) as info:
        read_document(path)
    assert problem in info.value.message and str(path) in info.value.message


def test_pdf_glyph_variants_read_as_the_ideographs_shown():
    from etl.documents import unradical
    from etl.rules import load_rules

    assert unradical("巡察意⻅,⼀是⽤戶端,⼾内改造") == "巡察意见,一是用户端,户内改造"
    for shown, meant in load_rules().pdf_glyphs.items():
        assert len(shown) == len(meant) == 1 and "\u4e00" <= meant <= "\u9fff"


def test_a_page_is_read_as_it_streams_so_depth_and_element_count_are_bounded(monkeypatch):
    from etl import reader
    from etl.rules import load_rules

    # Text 200,000 elements deep is read (a parsed tree used to lose it).
    deep = (
        "<html><body>"
        + "<div>" * 200_000
        + "中共某局党组关于巡察整改情况的通报"
        + "</div>" * 200_000
    )
    assert reader.html_to_lines(deep) == ["中共某局党组关于巡察整改情况的通报"]
    # Past the element limit of rules/reader.yaml: refused, with the limit named.
    limits = load_rules().raw["reader"]["limits"]
    monkeypatch.setitem(limits, "document_elements", 1000)
    with pytest.raises(reader.HtmlTooLarge, match="more than 1,000 HTML elements"):
        reader.html_to_lines("<p>" + "<b>一</b>" * 1001 + "</p>")
    assert reader.html_to_lines("<p>" + "<b>一</b>" * 900 + "</p>") == ["一" * 900]


def test_big5_is_read_and_other_garbage_is_refused_rather_than_parsed(tmp_path):
    """Big5 bytes decode as GB18030 into private-use garbage: read them as Big5; bytes no
    Chinese encoding reads get one line, never a report of garbage."""
    from etl.reader import decode_bytes

    text = (
        "中共某市水務局黨組關於市委第三輪巡察整改進展情況的通報\n"
        "根據市委統一部署,市委第二巡察組對市水務局黨組進行了常規巡察。\n"
        "一、反饋問題整改情況\n1.關於“河長制工作推進不力”的問題\n整改情況:清理違建12處。\n"
    )
    path = tmp_path / "big5.txt"
    path.write_bytes(text.encode("big5"))
    doc = read_document(path)
    assert (doc.encoding, doc.text.splitlines()[0]) == ("big5", text.splitlines()[0])
    x = extract(doc.text)
    assert [(f.label, f.title) for f in x.findings] == [("1.", "河長制工作推進不力")]
    assert x.report.issuer == "中共某市水务局党组"
    assert decode_bytes("中共某局党组关于巡察整改情况的通报".encode("gb18030"))[0] == "gb18030"
    garbage = tmp_path / "garbage.txt"
    garbage.write_bytes(bytes(range(0x81, 0xFF)) * 40)
    with pytest.raises(InputError, match="does not read as Chinese"):
        read_document(garbage)
