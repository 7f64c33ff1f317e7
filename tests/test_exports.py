"""Exports on a real seed warehouse: the deck read back with python-pptx, the workbook and CSV
read back with pandas, chart images rendered by kaleido in Debian's chromium, and the CLI."""

from __future__ import annotations

import io
import os
import re
import struct
import time
import zipfile
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from pptx.enum.shapes import MSO_SHAPE_TYPE
from test_cli import run

from exports.deck import build_deck
from exports.tables import (
    measures_table,
    metrics_table,
    sentence_around,
    to_csv,
    to_xlsx,
)
from views.export import file_name, gather
from views.i18n import category_label, status_label, t
from warehouse import queries
from warehouse.filters import Filters

GARDEN = "区园林绿化服务中心"
TODAY = date(2026, 11, 29)
CHROMIUM = "/usr/bin/chromium"
LEDGERS = Path(__file__).resolve().parents[2] / "shared" / "cases" / "ledgers"


def _deck(con, f: Filters, lang: str = "zh", template=None) -> Presentation:
    return Presentation(io.BytesIO(build_deck(gather(con, f, lang, TODAY), template)))


class Built:
    """Each export of the seed warehouse gathered and each deck built once, on first ask, for
    the tests that read them (a gather and a deck build cost about 0.2 s each). The gathered
    content is shared and only read; each deck is handed out as a Presentation of its own,
    parsed from the built bytes, so no test sees another's."""

    def __init__(self, con):
        self.con = con
        self._content: dict = {}
        self._decks: dict = {}

    def content(self, f: Filters, lang: str = "zh"):
        """`gather(con, f, lang, TODAY)`."""
        if (f, lang) not in self._content:
            self._content[f, lang] = gather(self.con, f, lang, TODAY)
        return self._content[f, lang]

    def deck_bytes(self, f: Filters, lang: str = "zh") -> bytes:
        """`build_deck` of that content, as written to a .pptx file."""
        if (f, lang) not in self._decks:
            self._decks[f, lang] = build_deck(self.content(f, lang))
        return self._decks[f, lang]

    def deck(self, f: Filters, lang: str = "zh") -> Presentation:
        return Presentation(io.BytesIO(self.deck_bytes(f, lang)))


@pytest.fixture(scope="module")
def built(con) -> Built:
    return Built(con)


def _deck_of(db: Path, files: list[Path], lang: str = "zh") -> Presentation:
    """The deck of a warehouse `db` once `files` are loaded into it."""
    from pipeline import load_paths
    from warehouse.db import connect_readonly

    assert not load_paths(files, db).failed
    con = connect_readonly(db)
    try:
        return _deck(con, Filters(), lang)
    finally:
        con.close()


def _tables(prs):
    """Every table shape of the deck."""
    return [shape for slide in prs.slides for shape in slide.shapes if shape.has_table]


def _titles(prs) -> list[str]:
    return [s.shapes.title.text for s in prs.slides]


def _charts(prs) -> dict:
    return {
        s.shapes.title.text: shape.chart
        for s in prs.slides
        for shape in s.shapes
        if shape.has_chart
    }


@pytest.mark.parametrize("department", [None, GARDEN])
def test_deck_charts_hold_the_warehouse_numbers(con, built, department):
    f = Filters(department=department)
    prs = built.deck(f)
    titles = _titles(prs)
    assert titles[0].startswith("区城市管理委党委关于")
    for key in ("deck_kpis", "deck_indicators"):
        assert t(key) in titles
    # The charts say the level they count in.
    for key in ("chart_completion", "chart_status"):
        assert t(key) + t("counted_in_items") in titles
    assert t("chart_departments") in titles
    # A list slide only where the list has rows (no empty 下一步措施 slide).
    steps = built.content(f).next_steps
    assert (t("section_next_steps") in titles) == (len(steps) > 0)
    assert len(steps) > 0 or department is not None
    assert prs.slide_width * 9 == prs.slide_height * 16  # 16:9

    charts = _charts(prs)
    completion = charts[t("chart_completion") + t("counted_in_items")]
    # 100% bars: each category's completed share reads as its rate; the data are the counts.
    assert completion.chart_type == XL_CHART_TYPE.BAR_STACKED_100
    expected = queries.completion(con, f, "items")
    counts = expected.groupby(["category", "status"])["n"].sum()
    categories = list(completion.plots[0].categories)
    assert set(categories) <= {category_label(c) for c in expected["category"]}
    assert "党建" in categories  # Chinese category names, as the dashboard shows them
    by_label = {category_label(c): c for c in expected["category"]}
    for series in completion.series:
        status = {status_label(s): s for s in expected["status"]}[series.name]
        for label, value in zip(categories, series.values, strict=True):
            assert (value or 0) == counts.get((by_label[label], status), 0)
    total = sum(v or 0 for s in completion.series for v in s.values)
    assert total == expected["n"].sum() == (29 if department is None else total)

    doughnut = charts[t("chart_status") + t("counted_in_items")]
    assert doughnut.chart_type == XL_CHART_TYPE.DOUGHNUT
    by_status = expected.groupby("status")["n"].sum()
    shown = dict(zip(doughnut.plots[0].categories, doughnut.series[0].values, strict=True))
    assert shown == {status_label(s): by_status[s] for s in by_status.index if by_status[s] > 0}


def test_deck_tables_notes_and_fonts(con, built):
    prs = built.deck(Filters(department=GARDEN))
    slides = {s.shapes.title.text: s for s in prs.slides}
    table = next(sh.table for sh in slides[t("chart_departments")].shapes if sh.has_table)
    rows = {table.cell(i, 0).text: table.cell(i, 1).text for i in range(1, len(table.rows))}
    assert rows[GARDEN] == "14"
    indicator_rows = [
        [c.text for c in row.cells]
        for s in prs.slides
        if s.shapes.title.text.startswith(t("deck_indicators"))
        for sh in s.shapes
        if sh.has_table
        for row in list(sh.table.rows)[1:]
    ]
    totals = queries.filtered_indicator_totals(con, Filters(department=GARDEN))
    assert len(indicator_rows) == int(totals["total"].notna().sum())
    for s in prs.slides:  # every slide cites where its numbers come from
        notes = s.notes_slide.notes_text_frame.text
        assert "《区城市管理委党委关于" in notes and GARDEN in notes
    # Chinese is set in an East Asian typeface on text and inside the charts.
    xml = prs.slides[2].shapes._spTree.xml
    assert 'a:ea typeface="Microsoft YaHei"' in xml
    chart_part = next(sh for sh in prs.slides[2].shapes if sh.has_chart).chart.part
    assert b'a:ea typeface="Microsoft YaHei"' in chart_part.blob
    assert any(sh.shape_type == MSO_SHAPE_TYPE.CHART for sh in prs.slides[2].shapes)


def test_deck_in_english_and_from_a_template(con, built, tmp_path):
    template = tmp_path / "org.pptx"
    template.write_bytes(built.deck_bytes(Filters(), "zh"))
    prs = _deck(con, Filters(status="in_progress"), "en", template)
    titles = _titles(prs)
    completion = "Completion rate by category (items)"
    assert completion in titles and "Measures still in progress" in titles
    # The template's own slides are dropped; its layouts are used.
    assert titles.count(completion) == 1
    assert len(prs.slide_layouts) == len(Presentation(str(template)).slide_layouts)


def test_deck_says_how_many_measures_it_left_out(con, built):
    from views.export import gather_for

    full = built.content(Filters(), "zh")
    total = len(full.in_progress)
    assert total == queries.measure_count(con, Filters(status="in_progress"), "findings") > 8
    cut = gather(con, Filters(), "zh", TODAY, rows=False, list_limit=8)
    assert len(cut.in_progress) == 8 and cut.list_totals["in_progress"] == total
    prs = Presentation(io.BytesIO(build_deck(cut)))
    slides = [s for s in prs.slides if s.shapes.title.text.startswith(t("deck_in_progress"))]
    rows = sum(len(sh.table.rows) - 1 for s in slides for sh in s.shapes if sh.has_table)
    assert rows == 8  # the eight fetched, over as many slides as they take
    notes = [s.notes_slide.notes_text_frame.text for s in slides]
    said = f"另有 {total - 8} 条未列出"
    assert [said in n for n in notes] == [False] * (len(slides) - 1) + [True]
    # On the slide, the note stands in a place of its own, under the table.
    last = slides[-1]
    table = next(sh for sh in last.shapes if sh.has_table)
    note = next(sh for sh in last.shapes if sh.has_text_frame and said in sh.text_frame.text)
    assert note.top >= table.top + table.height and note.top + note.height <= prs.slide_height
    deck_content = gather_for("deck", con, Filters(), "zh", TODAY)
    assert deck_content.measures is None and deck_content.list_totals["in_progress"] == total


def _runs(prs) -> list[str]:
    return [
        run.text
        for slide in prs.slides
        for shape in slide.shapes
        for frame in (
            [shape.text_frame]
            if shape.has_text_frame
            else [c.text_frame for row in shape.table.rows for c in row.cells]
            if shape.has_table
            else []
        )
        for paragraph in frame.paragraphs
        for run in paragraph.runs
    ]


def test_deck_speaks_its_language_keeps_tables_on_the_slide_and_leads_with_headlines(con, built):
    from views.summaries import headline_split
    from views.vocabulary import headline_indicators

    zh = built.deck(Filters())
    runs = _runs(zh)
    assert runs and not [r for r in runs if re.search(r"yuan|m2|km", r)]
    en = built.deck(Filters(), "en")
    assert not [r for r in _runs(en) if re.search(r"[座户]", r)]
    for prs in (zh, en):
        tables = [sh for s in prs.slides for sh in s.shapes if sh.has_table]
        assert len(tables) >= 4
        for shape in tables:
            assert shape.left >= 0 and shape.top >= 0
            assert shape.left + shape.width <= prs.slide_width
            assert shape.top + shape.height <= prs.slide_height
            # The frame is as tall as its rows, each reckoned for the text it wraps.
            assert sum(row.height for row in shape.table.rows) == shape.height
    # The KPI slide: the completion rate and the headline indicators, with their units.
    kpi = next(s for s in zh.slides if s.shapes.title.text == t("deck_kpis"))
    text = " ".join(sh.text_frame.text for sh in kpi.shapes if sh.has_text_frame)
    headline, _rest = headline_split(queries.filtered_indicator_totals(con, Filters()))
    assert list(headline["code"]) == [
        c for c in headline_indicators() if c in set(headline["code"])
    ]
    assert {"gas_hazards_closed", "heating_network_renovated"} <= set(headline["code"])
    for row in headline.to_dict("records"):
        assert row["name_zh"] in text
    assert "108项" in text and "33.9公里" in text and "整改完成率" in text
    # Figures are never broken across lines: each is one run in a box that does not wrap.
    figure = next(sh for sh in kpi.shapes if sh.has_text_frame and sh.text_frame.text == "108项")
    assert figure.text_frame.word_wrap is False


def test_file_names_carry_the_filters(con):
    content = gather(con, Filters(department=GARDEN, status="completed"), "zh", TODAY)
    name = file_name(content, t("export_deck_name"), "pptx")
    title = "区城市管理委党委关于四届区委第八轮巡察集中整改进展情况的通报"
    assert name == f"整改进展汇报_{title}_{GARDEN}_已完成_2026-11-29.pptx"


def test_workbook_and_csv_read_back_equal_the_filtered_rows(con, built):
    f = Filters(department=GARDEN)
    content = built.content(f, "zh")
    expected = queries.explorer_measures(con, f, limit=None)
    book = pd.read_excel(io.BytesIO(to_xlsx(content)), sheet_name=None)
    assert list(book) == ["整改措施", "数据项", "重点指标", "说明"]
    measures = book["整改措施"]
    # Every header in the chosen language, ids and offsets kept for tracing back.
    assert list(measures["措施编号"]) == list(expected["measure_id"]) and len(measures) == 14
    assert list(measures["起始位置"]) == list(expected["start_offset"])
    assert not [c for c in measures.columns if c.isascii()]
    assert set(measures["状态"]) <= {status_label(s) for s in expected["status"]}

    metrics = book["数据项"]
    assert len(metrics) == len(queries.export_metrics(con, f)) > 0
    text = con.execute("SELECT plain_text FROM report").fetchone()[0]
    start, end = metrics.columns.get_loc("起始位置") + 1, metrics.columns.get_loc("结束位置") + 1
    for row in metrics.itertuples():  # each figure's offsets point at it in the report text
        assert text[row[start] : row[end]] == row[metrics.columns.get_loc("原文数字") + 1]
        assert (
            str(row[metrics.columns.get_loc("原文数字") + 1])
            in row[metrics.columns.get_loc("原文") + 1]
        )
    indicators = book["重点指标"].set_index("指标代码")
    assert set(indicators["单位"]) <= {"项", "公里", "元", "平米", "次", "座", "户", "处", "%"}
    totals = queries.filtered_indicator_totals(con, f).dropna(subset=["total"]).set_index("code")
    assert indicators["合计"].to_dict() == pytest.approx(totals["total"].to_dict())

    raw = to_csv(content)
    assert raw.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(raw), encoding="utf-8-sig", keep_default_na=False)
    table = measures_table(content)
    assert list(back.columns) == list(table.columns)
    assert back.astype(str).values.tolist() == table.astype(str).values.tolist()


def test_metric_sentences_and_csv_formula_cells():
    text = "一是加强管理。共排查隐患108项,已整改83项;二是完善制度。"
    start = text.index("108")
    assert sentence_around(text, start, start + 4) == "共排查隐患108项,已整改83项;"
    assert sentence_around("没有句号的一句话12项", 8, 11) == "没有句号的一句话12项"
    assert sentence_around("", 0, 0) == ""

    from exports.tables import _neutralise

    frame = pd.DataFrame({"text": ['=HYPERLINK("x")', "正常", "-1+2"], "n": [1, 2, 3]})
    safe = _neutralise(frame)
    assert safe["text"].tolist() == ['\'=HYPERLINK("x")', "正常", "'-1+2"]
    assert safe["n"].tolist() == [1, 2, 3]


def test_metrics_table_paths_match_measures(built):
    content = built.content(Filters(), "en")
    metrics = metrics_table(content)
    assert set(metrics["Qualifier"]) <= {"exact", "at least (余/多)", "approximate"}
    gas = metrics[metrics["Indicator"] == "Gas hazards closed"]
    assert sorted(gas["Value"]) == [12, 13, 83]
    assert all("›" in p or p == "" for p in metrics["Area › problem › item"])


def test_file_names_are_safe_and_dated(built):
    content = built.content(Filters(), "zh")
    name = file_name(content, "整改/进展:汇报", "pptx")
    assert name.endswith("_2026-11-29.pptx") and "/" not in name and ":" not in name
    assert name.startswith("整改进展汇报_区城市管理委党委")


needs_browser = pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="needs Debian's chromium")


@needs_browser
@pytest.mark.slow
def test_chart_images_are_3x_16_9_png_and_svg(con):
    from exports.images import chart_figures, render

    content = gather(con, Filters(), "zh", TODAY)
    charts = chart_figures(content)
    assert set(charts) == {"chart_completion", "chart_status", "chart_heatmap", "chart_departments"}
    png = render(charts["chart_completion"], "png")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", png[16:24]) == (3840, 2160)
    svg = render(charts["chart_status"], "svg").decode()
    assert svg.startswith("<svg") and "已完成" in svg  # Chinese kept as text in the SVG


@pytest.mark.slow
def test_cli_exports_deck_csv_xlsx_with_filters(seed_db, tmp_path):
    deck = tmp_path / "out" / "deck.pptx"
    proc = run("export", "deck", "--db", seed_db, "--out", deck, "--department", GARDEN)
    assert proc.returncode == 0, proc.stderr
    prs = Presentation(str(deck))
    assert any(GARDEN in s.notes_slide.notes_text_frame.text for s in prs.slides)
    csv = tmp_path / "m.csv"
    assert (
        run("export", "csv", "--db", seed_db, "--out", csv, "--status", "completed").returncode == 0
    )
    back = pd.read_csv(csv, encoding="utf-8-sig")
    assert len(back) > 0 and set(back["状态"]) == {"已完成"}
    xlsx = tmp_path / "m.xlsx"
    assert run("export", "xlsx", "--db", seed_db, "--out", xlsx, "--lang", "en").returncode == 0
    assert list(pd.read_excel(xlsx, sheet_name=None)) == [
        "Measures",
        "Figures",
        "Indicators",
        "About",
    ]


@pytest.mark.slow
def test_cli_export_mistakes_get_one_line_and_leave_nothing(seed_db, tmp_path):
    out = tmp_path / "deck.pptx"
    proc = run("export", "deck", "--db", seed_db, "--out", out, "--department", "不存在的部门")
    assert proc.returncode == 2 and "no such responsible department" in proc.stderr
    assert "Traceback" not in proc.stderr and not out.exists()
    bad_template = tmp_path / "t.pptx"
    bad_template.write_text("not a deck")
    proc = run("export", "deck", "--db", seed_db, "--out", out, "--template", bad_template)
    assert proc.returncode == 2 and "not a PowerPoint" in proc.stderr and not out.exists()
    proc = run("export", "deck", "--db", seed_db, "--out", out, "--report", "nope")
    assert proc.returncode == 2 and "no such report" in proc.stderr


def _images(seed_db, out, *more, env=None):
    return run("export", "images", "--db", seed_db, "--out", out, *more, env=env)


@pytest.mark.slow
def test_cli_images_without_a_browser_says_so_quickly(seed_db, tmp_path):
    started = time.monotonic()
    proc = _images(
        seed_db, tmp_path / "img", env={"BROWSER_PATH": str(tmp_path / "no-such-chromium")}
    )
    assert proc.returncode == 2 and "no Chromium or Chrome found" in proc.stderr
    assert time.monotonic() - started < 60 and not (tmp_path / "img").exists()


def _hanging_browser(folder: Path) -> tuple[Path, Path]:
    """A 'browser' that starts a helper and never answers; it notes both their pids."""
    pids = folder / "pids"
    script = folder / "hanging-browser"
    script.write_text(f"#!/bin/sh\necho $$ >> {pids}\nsleep 600 &\necho $! >> {pids}\nwait\n")
    script.chmod(0o755)
    return script, pids


def _none_left(pids: Path) -> bool:
    """Every process the fake browser noted has ended (gone, or a zombie awaiting init)."""
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        alive = []
        for pid in pids.read_text().split():
            try:
                state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
            except OSError:
                continue
            if state != "Z":
                alive.append(pid)
        if not alive:
            return True
        time.sleep(0.2)
    return False


@pytest.mark.slow
def test_cli_images_stop_when_the_browser_never_answers(seed_db, tmp_path):
    script, pids = _hanging_browser(tmp_path)
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    started = time.monotonic()
    proc = _images(
        seed_db,
        tmp_path / "img",
        "--timeout",
        "5",
        env={"BROWSER_PATH": str(script), "TMPDIR": str(scratch)},
    )
    took = time.monotonic() - started
    assert proc.returncode == 2 and took < 5 + 15, (proc.returncode, took)
    assert proc.stderr.count("\n") == 1 and "did not answer within 5 s" in proc.stderr
    assert len(pids.read_text().split()) == 2 and _none_left(pids)
    assert list(scratch.iterdir()) == [] and not (tmp_path / "img").exists()


@pytest.mark.slow
def test_images_refused_without_a_chinese_font(seed_db, tmp_path):
    """No font for Chinese: refused with the package to install, not drawn as boxes."""
    conf = tmp_path / "fonts.conf"
    conf.write_text("<?xml version='1.0'?><fontconfig></fontconfig>")
    proc = _images(seed_db, tmp_path / "img", env={"FONTCONFIG_FILE": str(conf)})
    assert proc.returncode == 2 and "fonts-noto-cjk" in proc.stderr
    assert proc.stderr.count("\n") == 1 and not (tmp_path / "img").exists()


@pytest.mark.slow
@needs_browser
def test_dashboard_image_download_stops_and_recovers(seed_db, tmp_path, monkeypatch):
    """The export menu's images: a browser that hangs ends the download with a message at
    the timeout, leaves no process, and the next download starts a working one."""
    from dashboard import data, ids
    from dashboard.downloads import ExportUnavailable, exports_for
    from exports import images

    data.configure(seed_db)
    script, pids = _hanging_browser(tmp_path)
    monkeypatch.setenv("BROWSER_PATH", str(script))
    monkeypatch.setattr(images, "TIMEOUT", 3)
    images.shutdown()
    started = time.monotonic()
    with pytest.raises(ExportUnavailable) as info:
        exports_for(ids.EXPORT_IMAGES, Filters(), "zh")
    assert time.monotonic() - started < 3 + 10
    assert "无法生成图表图片" in str(info.value) and "3 s" in str(info.value)
    assert _none_left(pids)
    monkeypatch.setenv("BROWSER_PATH", CHROMIUM)
    monkeypatch.setattr(images, "TIMEOUT", 90)
    name, payload = exports_for(ids.EXPORT_IMAGES, Filters(), "zh")
    assert name.endswith(".zip") and len(zipfile.ZipFile(io.BytesIO(payload)).namelist()) >= 8
    images.shutdown()


@needs_browser
@pytest.mark.slow
def test_cli_images_writes_every_chart(seed_db, tmp_path):
    proc = _images(seed_db, tmp_path / "img", "--report", "000_ea4a386f79e332ee.txt")
    assert proc.returncode == 0, proc.stderr
    names = sorted(p.name for p in (tmp_path / "img").iterdir())
    assert len(names) == 10  # five charts (the one report adds its milestones) × PNG and SVG
    assert any(n.startswith("时间节点_") and n.endswith(".png") for n in names)


@needs_browser
@pytest.mark.slow
def test_images_zip_holds_every_chart(con):
    from exports.images import images_zip

    archive = zipfile.ZipFile(io.BytesIO(images_zip(gather(con, Filters(), "en", TODAY))))
    names = archive.namelist()
    assert len(names) == 8 and sum(n.endswith(".svg") for n in names) == 4


def test_served_plotly_bundle_matches_the_installed_plotly():
    """The partial bundle in assets/ stands in for plotly.py's own plotly.js in the browser and
    in kaleido: the two must be the same release."""
    import re as _re

    import plotly

    from exports.images import PLOTLY_BUNDLE

    full = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    version = _re.compile(r"plotly\.js(?: \([^)]*\))? v(\d+\.\d+\.\d+)")
    ours = version.search(PLOTLY_BUNDLE.read_text(encoding="utf-8")[:400]).group(1)
    theirs = version.search(full.read_text(encoding="utf-8")[:400]).group(1)
    assert ours == theirs


@pytest.mark.skipif(not LEDGERS.exists(), reason="../shared/cases is not present")
def test_empty_table_cells_take_the_tables_size_so_rows_stay_as_reckoned(tmp_path):
    """An empty cell (a ledger without 责任人) is drawn at the body size, not the slide's
    default 18 pt that made every row of the deadline table taller than reckoned and ran it
    off the bottom of the slide in LibreOffice."""
    from exports.deck import TABLE_BODY_PT, TABLE_HEAD_PT

    db = tmp_path / "w.duckdb"
    prs = _deck_of(db, [LEDGERS / "16_closed_column_no.xlsx"])
    empty = 0
    for shape in _tables(prs):
        for r, row in enumerate(shape.table.rows):
            size = (TABLE_HEAD_PT if r == 0 else TABLE_BODY_PT) * 100
            for cell in row.cells:
                for p in cell.text_frame.paragraphs:
                    end = p._p.find(
                        "{http://schemas.openxmlformats.org/drawingml/2006/main}endParaRPr"
                    )
                    assert end is not None and end.get("sz") == str(size)
                    empty += not p.runs
    assert empty > 0  # the ledger's deadline table has no 责任人: empty cells


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_workbook_figures_are_numbers_with_thousands_grouped(built, lang):
    """The workbook's figures (数值, 合计) stay numbers and read grouped: 1,105,837 and 33.9,
    never 1105837 in General format."""
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(built.content(Filters(), lang))))
    for sheet, header in (("sheet_indicators", "col_total"), ("sheet_metrics", "col_value")):
        ws = book[t(sheet, lang)]
        col = [c.value for c in ws[1]].index(t(header, lang)) + 1
        cells = [ws.cell(r, col) for r in range(2, ws.max_row + 1)]
        assert cells and all(isinstance(c.value, int | float) for c in cells)
        for c in cells:
            whole = float(c.value).is_integer()
            assert c.number_format == ("#,##0" if whole else "#,##0.0########"), c.value
    totals = {
        row[0]: row[2]
        for row in book[t("sheet_indicators", lang)].iter_rows(min_row=2, values_only=True)
    }
    assert totals["heating_network_renovated"] == pytest.approx(33.9)
    assert totals["gas_hazards_closed"] == 108


def test_slide_titles_sit_over_the_middle_of_the_wide_slide(built):
    """The default deck is 16:9: its titles are centred over the slide and as wide as its
    content (the 4:3 layouts left them centred over the left three quarters)."""
    prs = built.deck(Filters())
    for slide in prs.slides:
        title = slide.shapes.title
        middle = (title.left + title.width / 2) / prs.slide_width
        assert middle == pytest.approx(0.5, abs=0.01), title.text
        assert title.width >= prs.slide_width * 0.8


DEJAVU_BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")


@pytest.mark.slow  # measures every header of a whole deck in a font: make test runs it
@pytest.mark.skipif(not DEJAVU_BOLD.exists(), reason="needs fonts-dejavu")
@pytest.mark.skipif(not LEDGERS.exists(), reason="../shared/cases is not present")
def test_english_table_headers_fit_their_columns_in_the_fallback_font(seed_db):
    """Each bold header word fits its column as LibreOffice draws it without Microsoft
    YaHei (DejaVu Sans Bold, measured): Completed and Completion broke as Complete d and
    Completio n."""
    from PIL import ImageFont

    from exports.deck import CELL_SIDE_PT, EMU_PER_PT, TABLE_HEAD_PT

    # Ledgers add statuses (未明确, 未启动): the department table's columns narrow to them.
    cases = ["04_sheet_per_area.xlsx", "15_blank_status_cells.xlsx", "16_closed_column_no.xlsx"]
    font = ImageFont.truetype(str(DEJAVU_BOLD), TABLE_HEAD_PT * 10)
    prs = _deck_of(seed_db, [LEDGERS / c for c in cases], "en")
    checked = 0
    for shape in _tables(prs):
        for j, cell in enumerate(shape.table.rows[0].cells):
            inner = shape.table.columns[j].width / EMU_PER_PT - 2 * CELL_SIDE_PT
            for word in re.findall(r"[0-9A-Za-z%.,'’()\-/:+]+", cell.text):
                assert font.getlength(word) / 10 <= inner, (word, inner)
                checked += 1
    assert checked > 20


@pytest.fixture(scope="module")
def reports_con(_seed_db_template, tmp_path_factory):
    """A read-only connection to the seed warehouse with the report openings loaded into it,
    loaded once for the tests that read it in either language."""
    import shutil

    from pipeline import load_paths
    from warehouse.db import connect_readonly

    reports = Path(__file__).resolve().parents[2] / "shared" / "reports"
    if not reports.exists():
        pytest.skip("../shared/reports is not present")
    db = tmp_path_factory.mktemp("reports") / "w.duckdb"
    shutil.copyfile(_seed_db_template, db)
    assert not load_paths(sorted(reports.glob("r*.txt")), db).failed
    c = connect_readonly(db)
    yield c
    c.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_kpi_slides_review_line_keeps_its_pointer_whole(reports_con, lang):
    """Where several reports are to check, the KPI slide's 待核查 line shortens its first
    reason, never the pointer to the rest (…“To check by hand” s… was cut)."""
    prs = _deck(reports_con, Filters(), lang)
    kpi = next(s for s in prs.slides if s.shapes.title.text == t("deck_kpis", lang))
    (line,) = [
        sh.text_frame.text
        for sh in kpi.shapes
        if sh.has_text_frame and sh.text_frame.text.startswith(t("needs_review", lang))
    ]
    assert line.endswith(t("deck_review_more", lang)) and len(line) <= 125


def _deadline_ledger(path: Path, title: str) -> Path:
    """A 整改台账 of two open measures, both overdue at TODAY, worded as any ledger might."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append([title])
    sheet.append(["序号", "反馈问题", "整改措施", "责任单位", "完成时限", "整改状态"])
    sheet.append(["1", "制度执行不严", "修订完善内部管理制度", "办公室", "2026-06-30", "正在整改"])
    sheet.append(["2", "资产管理不规范", "开展固定资产清查", "财务科", "2026-09-30", "正在整改"])
    book.save(path)
    return path


def _deadline_tables(prs) -> list:
    title = t("deck_deadlines")
    return [
        sh
        for s in prs.slides
        if s.shapes.title.text.startswith(title)
        for sh in s.shapes
        if sh.has_table
    ]


@pytest.mark.slow  # a scenario through several pages or exports: make test runs it
def test_the_deadline_table_names_the_report_of_each_row_when_the_deck_has_several(tmp_path):
    """Ledgers share measures word for word: drawing on several reports, the deadline table's
    first column says whose each row is (the name the report goes by), and stays on the
    slide; drawing on one, it has no such column."""
    one = _deck_of(
        tmp_path / "one.duckdb", [_deadline_ledger(tmp_path / "园林.xlsx", "区园林局整改台账")]
    )
    (table,) = _deadline_tables(one)
    assert [c.text for c in table.table.rows[0].cells][0] == t("col_measure_text")
    two = _deck_of(
        tmp_path / "two.duckdb",
        [tmp_path / "园林.xlsx", _deadline_ledger(tmp_path / "水务.xlsx", "区水务局整改台账")],
    )
    (table,) = _deadline_tables(two)
    rows = [[c.text for c in row.cells] for row in table.table.rows]
    assert rows[0][:2] == [t("col_report"), t("col_measure_text")] and len(rows) == 5
    assert sorted(r[0] for r in rows[1:]) == ["区园林局整改台账"] * 2 + ["区水务局整改台账"] * 2
    # The same measure twice, told apart by its report.
    same = [r[0] for r in rows[1:] if r[1].startswith("修订完善内部管理制度")]
    assert sorted(same) == ["区园林局整改台账", "区水务局整改台账"]
    assert table.left + table.width <= two.slide_width
    assert table.top + table.height <= two.slide_height


@pytest.mark.parametrize(
    ("lang", "note"),
    [
        ("zh", "另有与其他单位共同的 3次 未计入"),
        ("en", "3 times shared with other units not included"),
    ],
)
def test_a_department_decks_kpi_slide_says_what_it_shares_as_the_dashboard_does(
    con, built, lang, note
):
    """Filtered to a department, a headline tile on the KPI slide says under its figure the
    figures shared with other units that the department's total leaves out, in the words of
    the dashboard's tile (views.summaries.shared_note); unfiltered, nothing is shared."""
    from views.summaries import shared_note

    def kpi_text(f: Filters) -> list[str]:
        prs = built.deck(f, lang)
        kpi = next(s for s in prs.slides if s.shapes.title.text == t("deck_kpis", lang))
        return [sh.text_frame.text for sh in kpi.shapes if sh.has_text_frame]

    totals = queries.filtered_indicator_totals(con, Filters(department=GARDEN))
    row = totals.set_index("code").loc["study_sessions"].to_dict()
    assert shared_note(row, lang) == note
    texts = kpi_text(Filters(department=GARDEN))
    assert note in texts
    # Under the tile of its indicator: the name, the note and the department's own total.
    name = row["name_zh"] if lang == "zh" else row["name_en"]
    assert texts.index(name) < texts.index(note)
    assert ("24次" if lang == "zh" else "24 times") in texts
    assert not [x for x in kpi_text(Filters()) if note in x or "另有" in x]
