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
<div class="share">【打印本页】【关闭窗口】</div>
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
