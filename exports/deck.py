"""A 16:9 PowerPoint deck of what the filters show, with native charts (editable, their data
embedded) rather than pictures, Chinese set in an East Asian typeface, and each slide's notes
citing its source. Pure: ExportContent in, bytes out."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
from lxml import etree
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.oxml.ns import qn
from pptx.util import Emu, Pt

from views import theme, vocabulary
from views.export import DECK_LIST_ROWS, ExportContent
from views.i18n import category_label, indicator_name, status_label, t

ROWS_PER_TABLE = 12
MEASURE_ROWS = 8  # measures carry a sentence each: fewer rows to a slide
# A long list continues in the workbook, not over dozens of slides: as many slides as the rows
# gather_for fetches for a deck fill.
MAX_SLIDES_PER_LIST = DECK_LIST_ROWS // MEASURE_ROWS
TEXT_LIMIT = 90  # characters of a measure's text on a slide; the notes and workbook hold all

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class TemplateError(ValueError):
    """The organisation's template cannot be used (not a .pptx, or no usable layout)."""


def build_deck(content: ExportContent, template: Path | None = None) -> bytes:
    prs = _presentation(template)
    deck = _Deck(prs, content)
    deck.title_slide()
    deck.kpi_slide()
    deck.completion_slide()
    deck.status_slide()
    deck.indicator_slides()
    deck.department_slides()
    deck.measure_slides("in_progress", "deck_in_progress", "findings")
    deck.deadline_slides()
    deck.measure_slides("remaining", "section_remaining", "remaining")
    deck.measure_slides("next_steps", "section_next_steps", "next_steps")
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


def _presentation(template: Path | None) -> Presentation:
    if template is None:
        prs = Presentation()
        prs.slide_width, prs.slide_height = Emu(12192000), Emu(6858000)  # 16:9, as PowerPoint
        return prs
    try:
        prs = Presentation(str(template))
    except Exception as exc:  # python-pptx raises several kinds for a file that is not a deck
        raise TemplateError(f"not a PowerPoint (.pptx) file ({exc})") from exc
    # A template's own slides are examples; the deck keeps its masters and layouts only.
    slide_ids = prs.slides._sldIdLst
    for slide_id in list(slide_ids):
        prs.part.drop_rel(slide_id.rId)
        slide_ids.remove(slide_id)
    return prs


def _clean(text) -> str:
    """Text as PowerPoint can hold it: no control characters (XML forbids them)."""
    return _CONTROL.sub("", "" if text is None or text is pd.NA else str(text))


def _short(text, limit: int = TEXT_LIMIT) -> str:
    text = _clean(text).replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _east_asian(rpr, typeface: str = theme.DECK_FONT) -> None:
    """Name the typeface for Latin and East Asian text on a run's properties (a:rPr or
    a:defRPr): without a:ea, PowerPoint sets Chinese in whatever its fallback is."""
    rpr.get_or_add_latin().set("typeface", typeface)
    ea = rpr.find(qn("a:ea"))
    if ea is None:
        ea = etree.SubElement(rpr, qn("a:ea"))
        rpr.find(qn("a:latin")).addnext(ea)
    ea.set("typeface", typeface)


def _style_text_frame(frame, size: int | None = None, bold: bool = False, colour=None) -> None:
    for paragraph in frame.paragraphs:
        for run in paragraph.runs:
            if size:
                run.font.size = Pt(size)
            run.font.bold = bold or None
            if colour:
                run.font.color.rgb = colour
            _east_asian(run.font._rPr)


def _rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#"))


class _Deck:
    def __init__(self, prs: Presentation, content: ExportContent):
        self.prs, self.c, self.lang = prs, content, content.lang
        self.title_layout = prs.slide_layouts[0]
        self.body_layout = _title_only_layout(prs)
        self.width, self.height = prs.slide_width, prs.slide_height
        self.margin = Emu(int(self.width * 0.04))
        self.top = Emu(int(self.height * 0.2))

    # -- slides ----------------------------------------------------------------------------

    def title_slide(self) -> None:
        slide = self.prs.slides.add_slide(self.title_layout)
        slide.shapes.title.text = _clean(self.c.title)
        _style_text_frame(slide.shapes.title.text_frame, bold=True)
        header = self.c.header or {}
        lines = [
            header.get("inspected_unit") or "",
            f"{t('col_published', self.lang)}: {header['publish_date']}"
            if header.get("publish_date")
            else "",
            self.c.filter_line,
            f"{t('export_generated', self.lang)} {self.c.today.isoformat()}",
        ]
        subtitle = _placeholder(slide, PP_PLACEHOLDER.SUBTITLE)
        text = "\n".join(_clean(line) for line in lines if line)
        if subtitle is not None:
            subtitle.text = text
            _style_text_frame(subtitle.text_frame, size=18)
        else:
            self._text_box(slide, text, self.top, size=18)
        self._notes(slide, None)

    def kpi_slide(self) -> None:
        slide = self._slide(t("deck_kpis", self.lang))
        k = self.c.kpis
        tiles = [
            (t("kpi_items", self.lang), theme.format_number(k["items"], self.lang), ""),
            (t("kpi_measures", self.lang), theme.format_number(k["measures"], self.lang), ""),
            (t("kpi_rate", self.lang), theme.format_percent(k["completion_rate"]), ""),
        ]
        for row in self.c.indicators.head(5).itertuples():
            tiles.append(
                (
                    indicator_name(row._asdict(), self.lang),
                    theme.format_number(row.total, self.lang),
                    row.unit,
                )
            )
        per_row = 4
        gap = Emu(int(self.width * 0.015))
        tile_w = Emu(int((self.width - 2 * self.margin - gap * (per_row - 1)) / per_row))
        tile_h = Emu(int(self.height * 0.28))
        for i, (label, value, unit) in enumerate(tiles):
            left = self.margin + (tile_w + gap) * (i % per_row)
            top = self.top + (tile_h + gap) * (i // per_row)
            box = slide.shapes.add_textbox(left, top, tile_w, tile_h)
            frame = box.text_frame
            frame.word_wrap = True
            frame.text = _clean(label)
            value_line = frame.add_paragraph()
            value_line.text = f"{value} {_clean(unit)}".strip()
            _style_text_frame(frame, size=16, colour=_rgb("#555555"))
            for run in value_line.runs:
                run.font.size, run.font.bold = Pt(36), True
                run.font.color.rgb = _rgb(theme.ACCENT)
        self._notes(slide, "findings")

    def completion_slide(self) -> None:
        slide = self._slide(t("chart_completion", self.lang))
        categories, series = completion_series(self.c.completion)
        if not categories:
            self._text_box(slide, t("no_data", self.lang), self.top, size=20)
            self._notes(slide, "findings")
            return
        data = CategoryChartData()
        data.categories = [category_label(c, self.lang) for c in categories]
        for status, values in series.items():
            data.add_series(status_label(status, self.lang), values)
        frame = self._chart(slide, XL_CHART_TYPE.COLUMN_STACKED, data)
        for plot_series, status in zip(frame.chart.series, series, strict=True):
            plot_series.format.fill.solid()
            plot_series.format.fill.fore_color.rgb = _rgb(vocabulary.status_colour(status))
        self._notes(slide, "findings", t("unit_items", self.lang))

    def status_slide(self) -> None:
        slide = self._slide(t("chart_status", self.lang))
        statuses, values = status_totals(self.c.completion)
        if not statuses:
            self._text_box(slide, t("no_data", self.lang), self.top, size=20)
            self._notes(slide, "findings")
            return
        data = CategoryChartData()
        data.categories = [status_label(s, self.lang) for s in statuses]
        data.add_series(t("kpi_items", self.lang), values)
        frame = self._chart(slide, XL_CHART_TYPE.DOUGHNUT, data)
        plot = frame.chart.plots[0]
        plot.has_data_labels = True
        plot.data_labels.show_value = True
        for point, status in zip(plot.series[0].points, statuses, strict=True):
            point.format.fill.solid()
            point.format.fill.fore_color.rgb = _rgb(vocabulary.status_colour(status))
        self._notes(slide, "findings", t("unit_items", self.lang))

    def indicator_slides(self) -> None:
        rows = [
            [
                indicator_name(r._asdict(), self.lang),
                theme.format_number(r.total, self.lang),
                r.unit,
                str(int(r.n_metrics)),
            ]
            for r in self.c.indicators.itertuples()
        ]
        columns = [t("col_indicator", self.lang), t("col_total", self.lang)]
        columns += [t("col_unit_of", self.lang), t("col_metrics", self.lang)]
        self._table_slides(t("deck_indicators", self.lang), columns, rows, "findings", [5, 2, 2, 2])

    def department_slides(self) -> None:
        frame = self.c.departments
        shown = [s for s in vocabulary.statuses() if s in frame and frame[s].sum() > 0]
        rows = [
            [r["department"], str(int(r["measures"]))]
            + [str(int(r[s])) for s in shown]
            + [theme.format_percent(r["completion_rate"])]
            for r in frame.to_dict("records")
        ]
        columns = [t("col_department", self.lang), t("col_measures", self.lang)]
        columns += [status_label(s, self.lang) for s in shown]
        columns += [t("col_rate", self.lang)]
        self._table_slides(
            t("chart_departments", self.lang),
            columns,
            rows,
            "findings",
            [5, 2, *[2] * len(shown), 2],
        )

    def deadline_slides(self) -> None:
        """Overdue and soon-due tasks (ledgers with deadlines); no slide when there are none."""
        urgent = self.c.deadlines[self.c.deadlines["band"].isin(["overdue", "due_soon"])]
        if urgent.empty:
            return
        rows = [
            [
                _short(r.text, 60),
                _clean(r.departments or ""),
                _clean(r.owner or ""),
                pd.Timestamp(r.deadline).date().isoformat(),
                str(int(r.days_left)),
            ]
            for r in urgent.itertuples()
        ]
        columns = [t("col_headline", self.lang), t("col_departments", self.lang)]
        columns += [t("col_owner", self.lang), t("col_deadline", self.lang)]
        columns += [t("col_days_left", self.lang)]
        self._table_slides(
            t("deck_deadlines", self.lang), columns, rows, "findings", [7, 3, 2, 2, 2], MEASURE_ROWS
        )

    def measure_slides(self, key: str, title_key: str, section: str) -> None:
        frame = getattr(self.c, key)
        rows = [
            [
                _short(r.path or "", 40),
                _short(r.text),
                _clean(r.departments or ""),
                status_label(r.status, self.lang),
            ]
            for r in frame.itertuples()
        ]
        columns = [t("col_path", self.lang), t("col_headline", self.lang)]
        columns += [t("col_departments", self.lang), t("col_status", self.lang)]
        self._table_slides(
            t(title_key, self.lang),
            columns,
            rows,
            section,
            [3, 7, 3, 2],
            MEASURE_ROWS,
            total=self.c.list_totals[key],
        )

    # -- building blocks -------------------------------------------------------------------

    def _slide(self, title: str):
        slide = self.prs.slides.add_slide(self.body_layout)
        if slide.shapes.title is not None:
            slide.shapes.title.text = _clean(title)
            _style_text_frame(slide.shapes.title.text_frame, size=28, bold=True)
        else:
            self._text_box(slide, title, Emu(int(self.height * 0.05)), size=28, bold=True)
        return slide

    def _text_box(self, slide, text: str, top, size: int, bold: bool = False) -> None:
        box = slide.shapes.add_textbox(
            self.margin, top, self.width - 2 * self.margin, Emu(int(self.height * 0.12))
        )
        box.text_frame.word_wrap = True
        box.text_frame.text = _clean(text)
        _style_text_frame(box.text_frame, size=size, bold=bold)

    def _chart(self, slide, kind, data: CategoryChartData):
        frame = slide.shapes.add_chart(
            kind,
            self.margin,
            self.top,
            self.width - 2 * self.margin,
            self.height - self.top - Emu(int(self.height * 0.06)),
            data,
        )
        chart = frame.chart
        chart.has_legend = True
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
        chart.font.size = Pt(14)
        _east_asian(chart.font._rPr)
        return frame

    def _table_slides(
        self,
        title: str,
        columns: Sequence[str],
        rows: list[list[str]],
        section: str | None,
        widths: Sequence[int],
        per_slide: int = ROWS_PER_TABLE,
        total: int | None = None,
    ) -> None:
        if not rows:
            slide = self._slide(title)
            self._text_box(slide, t("no_data", self.lang), self.top, size=20)
            self._notes(slide, section)
            return
        chunks = [rows[i : i + per_slide] for i in range(0, len(rows), per_slide)]
        shown = chunks[:MAX_SLIDES_PER_LIST]
        for number, chunk in enumerate(shown):
            heading = title if number == 0 else f"{title}{t('deck_continued', self.lang)}"
            slide = self._slide(heading)
            self._table(slide, columns, chunk, widths)
            left_out = (len(rows) if total is None else total) - sum(len(c) for c in shown)
            extra = None
            if number == len(shown) - 1 and left_out:
                extra = t("deck_more_rows", self.lang).format(n=left_out)
                self._text_box(slide, extra, self.height - Emu(int(self.height * 0.09)), size=12)
            self._notes(slide, section, extra)

    def _table(self, slide, columns: Sequence[str], rows: list[list[str]], widths) -> None:
        width = self.width - 2 * self.margin
        height = self.height - self.top - Emu(int(self.height * 0.1))
        shape = slide.shapes.add_table(
            len(rows) + 1, len(columns), self.margin, self.top, width, height
        )
        table = shape.table
        total = sum(widths)
        for i, w in enumerate(widths):
            table.columns[i].width = Emu(int(width * w / total))
        for j, name in enumerate(columns):
            table.cell(0, j).text = _clean(name)
            _style_text_frame(table.cell(0, j).text_frame, size=13, bold=True)
        for i, row in enumerate(rows, start=1):
            for j, value in enumerate(row):
                cell = table.cell(i, j)
                cell.text = _clean(value)
                _style_text_frame(cell.text_frame, size=11)

    def _notes(self, slide, section: str | None, extra: str | None = None) -> None:
        note = self.c.source_note(section)
        slide.notes_slide.notes_text_frame.text = note + (f"\n{extra}" if extra else "")


def _placeholder(slide, kind):
    for shape in slide.placeholders:
        if shape.placeholder_format.type == kind:
            return shape
    return None


def _title_only_layout(prs: Presentation):
    """The layout for content slides: one with a title and as few other placeholders as
    possible ('Title Only' in PowerPoint's default and in most organisations' templates)."""
    best = None
    for layout in list(prs.slide_layouts)[1:] or list(prs.slide_layouts):
        kinds = [p.placeholder_format.type for p in layout.placeholders]
        if PP_PLACEHOLDER.TITLE not in kinds:
            continue
        if best is None or len(kinds) < best[0]:
            best = (len(kinds), layout)
    if best is None:
        if not len(prs.slide_layouts):
            raise TemplateError("the template has no slide layouts")
        return prs.slide_layouts[len(prs.slide_layouts) - 1]
    return best[1]


def completion_series(frame: pd.DataFrame) -> tuple[list[str], dict[str, list[int]]]:
    """Categories (in the theme's order) and one list of counts per status: the data of the
    completion chart, the same numbers the dashboard draws."""
    present = set(frame["category"].dropna())
    categories = [c for c in vocabulary.categories() if c in present]
    statuses = [s for s in vocabulary.statuses() if s in set(frame["status"].dropna())]
    counts = frame.groupby(["category", "status"])["n"].sum()
    series = {s: [int(counts.get((c, s), 0)) for c in categories] for s in statuses}
    return categories, series


def status_totals(frame: pd.DataFrame) -> tuple[list[str], list[int]]:
    by_status = frame.groupby("status")["n"].sum()
    statuses = [s for s in vocabulary.statuses() if by_status.get(s, 0) > 0]
    return statuses, [int(by_status[s]) for s in statuses]
