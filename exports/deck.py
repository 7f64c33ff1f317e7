"""A 16:9 PowerPoint deck of what the filters show, with native charts (editable, their data
embedded) rather than pictures, Chinese set in an East Asian typeface, and each slide's notes
citing its source. Pure: ExportContent in, bytes out."""

from __future__ import annotations

import dataclasses
import io
import math
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
from pptx.enum.text import MSO_ANCHOR
from pptx.oxml.ns import qn
from pptx.util import Emu, Pt

from views import theme, vocabulary
from views.doubts import doubt_reasons, doubt_summary
from views.export import ExportContent
from views.i18n import category_label, indicator_name, plural, status_label, t, unit_label
from views.summaries import headline_split, share, shared_note
from views.vocabulary import unknown_status

# A long list continues in the workbook, not over dozens of slides: at most this many slides
# of one list (a slide holds the rows that fit it, see _fit_rows).
MAX_SLIDES_PER_LIST = 5
TEXT_LIMIT = 90  # characters of a measure's text on a slide; the notes and workbook hold all
TABLE_HEAD_PT, TABLE_BODY_PT = 13, 11
# A table cell's inner margins as PowerPoint and LibreOffice draw them (0.1" sides, 0.05"
# top and bottom), and the line height of its text, for reckoning how tall a row grows.
CELL_SIDE_PT, CELL_TOP_PT, LINE_HEIGHT = 7.2, 3.6, 1.25
EMU_PER_PT = 12700

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
    deck.review_slides()
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


def _presentation(template: Path | None) -> Presentation:
    if template is None:
        prs = Presentation()
        wide = Emu(12192000)  # 16:9, as PowerPoint
        _widen(prs, wide / prs.slide_width)
        prs.slide_width, prs.slide_height = wide, Emu(6858000)
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
    """Every run at `size` (points), bold or not, in `colour`; a paragraph's end mark takes
    the size too, so that an empty cell is as tall as its text would be, not the 18 pt the
    slide's default gives it (a table whose rows were reckoned to fit grew off the slide)."""
    for paragraph in frame.paragraphs:
        if size:
            paragraph._p.get_or_add_endParaRPr().set("sz", str(size * 100))
        for run in paragraph.runs:
            if size:
                run.font.size = Pt(size)
            run.font.bold = bold or None
            if colour:
                run.font.color.rgb = colour
            _east_asian(run.font._rPr)


def _widen(prs: Presentation, ratio: float) -> None:
    """Stretch the default 4:3 master's and layouts' placeholders across a wider slide, so
    that titles sit over the slide's middle and span its width (left as they were, a title
    sat centred over the left three quarters)."""
    shapes = list(prs.slide_master.placeholders)
    for layout in prs.slide_layouts:
        shapes += [p for p in layout.placeholders if p._element.xfrm is not None]
    for shape in shapes:
        if shape._element.xfrm is not None:
            shape.left, shape.width = Emu(int(shape.left * ratio)), Emu(int(shape.width * ratio))


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
            f"{t('col_published', self.lang)}: "
            f"{theme.format_date(header['publish_date'], self.lang)}"
            if header.get("publish_date")
            else "",
            self.c.filter_line,
            f"{t('export_generated', self.lang)} {theme.format_date(self.c.today, self.lang)}",
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
        """The completion rate, items and measures done of all, then the headline indicators
        (rules/indicators.yaml `headline`) with their units in the deck's language."""
        slide = self._slide(t("deck_kpis", self.lang))
        k, lang = self.c.kpis, self.lang
        of = "{} / {}"
        first = [
            (t("kpi_rate_items", lang), theme.format_percent(share(self.c.rate))),
            (
                t("kpi_items_done", lang),
                of.format(
                    theme.format_number(k["items_completed"], lang),
                    theme.format_number(k["items"], lang),
                ),
            ),
            (
                t("kpi_measures_done", lang),
                of.format(
                    theme.format_number(k["measures_completed"], lang),
                    theme.format_number(k["measures"], lang),
                ),
            ),
        ]
        headline, rest = headline_split(self.c.indicators)
        if headline.empty:
            headline = rest.head(4)
        # Under a department filter a tile says, as the dashboard's does, what the department
        # shares with other units and its total leaves out (views.summaries.shared_note).
        second = [
            (
                indicator_name(row, lang),
                theme.format_quantity(
                    row["total"], unit_label(row["unit"], lang), lang, row.get("qualifier")
                ),
                shared_note(row, lang),
            )
            for row in headline.head(4).to_dict("records")
        ]
        gap = Emu(int(self.width * 0.015))
        tile_h = Emu(int(self.height * 0.28))
        for number, tiles in enumerate((first, second)):
            if not tiles:
                continue
            per_row = max(len(tiles), 3)
            tile_w = Emu(int((self.width - 2 * self.margin - gap * (per_row - 1)) / per_row))
            top = self.top + (tile_h + gap) * number
            for i, (label, value, *note) in enumerate(tiles):
                left = self.margin + (tile_w + gap) * i
                self._tile(slide, left, top, tile_w, tile_h, label, value, *note)
        # What to check before the rate is trusted: one line under the tiles, all in the notes.
        reasons = doubt_reasons(self.c.doubts, lang)
        if reasons:
            summary = doubt_summary(self.c.doubts, lang)
            head = f"{t('needs_review', lang)}({summary}):"
            if lang != "zh":
                head = f"{t('needs_review', lang)} ({summary}): "
            more = t("deck_review_more", lang) if len(reasons) > 1 else ""
            # The first reason is shortened to the line, never the pointer to the rest.
            line = head + _short(reasons[0], max(20, 120 - len(head) - len(more))) + more
            top = self.top + (tile_h + gap) * 2
            self._text_box(slide, line, top, size=14, height=Emu(int(self.height * 0.08)))
        # The shared figures of the indicators beyond the tiles, in the notes.
        shown = set(headline.head(4)["code"])
        shared = [
            f"{indicator_name(row, lang)}{':' if lang == 'zh' else ': '}{shared_note(row, lang)}"
            for row in self.c.indicators.to_dict("records")
            if row["code"] not in shown and shared_note(row, lang)
        ]
        self._notes(slide, "findings", "\n".join([*reasons, *shared]) or None)

    def _tile(
        self, slide, left, top, width, height, label: str, value: str, note: str = ""
    ) -> None:
        """A label over a figure, and under it a `note` where there is one (what the figure
        leaves out); the figure on one line, its size made to fit the tile."""
        label_h = Emu(int(height * 0.4))
        note_h = Emu(int(height * 0.25)) if note else Emu(0)
        box = slide.shapes.add_textbox(left, top, width, label_h)
        box.text_frame.word_wrap = True
        box.text_frame.text = _clean(label)
        _style_text_frame(box.text_frame, size=16, colour=_rgb("#555555"))
        if note:
            under = slide.shapes.add_textbox(left, top + height - note_h, width, note_h)
            under.text_frame.word_wrap = True
            under.text_frame.text = _clean(note)
            _style_text_frame(under.text_frame, size=12, colour=_rgb("#6c757d"))
        figure = slide.shapes.add_textbox(left, top + label_h, width, height - label_h - note_h)
        frame = figure.text_frame
        frame.word_wrap = False  # a number never breaks across lines
        frame.text = _clean(value)
        frame.vertical_anchor = MSO_ANCHOR.MIDDLE
        inner_pt = width / EMU_PER_PT - 2 * CELL_SIDE_PT
        size = int(min(40, inner_pt / max(_text_ems(value, bold=True), 1)))
        _style_text_frame(frame, size=max(size, 12), bold=True, colour=_rgb(theme.ACCENT))

    def completion_slide(self) -> None:
        slide = self._slide(t("chart_completion", self.lang) + t("counted_in_items", self.lang))
        categories, series = completion_series(self.c.completion)
        if not categories:
            self._text_box(slide, t(self._empty_key("none_items"), self.lang), self.top, size=20)
            self._notes(slide, "findings")
            return
        data = CategoryChartData()
        data.categories = [category_label(c, self.lang) for c in categories]
        for status, values in series.items():
            # An empty segment is left out (no "0" label at the end of a bar).
            data.add_series(status_label(status, self.lang), [v or None for v in values])
        # Bars of 100%: each category's completed share at its left reads as its rate; the
        # labels give the counts, the data stays editable in PowerPoint.
        frame = self._chart(slide, XL_CHART_TYPE.BAR_STACKED_100, data)
        chart = frame.chart
        chart.category_axis.reverse_order = True  # the first category at the top
        chart.value_axis.tick_labels.number_format = "0%"
        chart.value_axis.tick_labels.number_format_is_linked = False
        plot = chart.plots[0]
        plot.gap_width = 60
        plot.has_data_labels = True
        plot.data_labels.show_value = True
        for plot_series, status in zip(chart.series, series, strict=True):
            plot_series.format.fill.solid()
            plot_series.format.fill.fore_color.rgb = _rgb(vocabulary.status_colour(status))
        self._notes(slide, "findings", t("unit_items", self.lang))

    def status_slide(self) -> None:
        slide = self._slide(t("chart_status", self.lang) + t("counted_in_items", self.lang))
        statuses, values = status_totals(self.c.completion)
        if not statuses:
            self._text_box(slide, t(self._empty_key("none_items"), self.lang), self.top, size=20)
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
                indicator_name(r, self.lang),
                # A figure and its unit in one cell: 100万元, never "100万" | "元".
                theme.format_quantity(
                    r["total"], unit_label(r["unit"], self.lang), self.lang, r.get("qualifier")
                ),
                theme.format_number(r["n_metrics"], self.lang),
            ]
            for r in pd.concat(headline_split(self.c.indicators)).to_dict("records")
        ]
        columns = [t("col_indicator", self.lang), t("col_total", self.lang)]
        columns += [t("col_metrics", self.lang)]
        self._table_slides(
            t("deck_indicators", self.lang),
            columns,
            rows,
            "findings",
            [5, 3, 2],
            empty="none_indicators",
        )

    def department_slides(self) -> None:
        frame = self.c.departments
        shown = [s for s in vocabulary.statuses() if s in frame and frame[s].sum() > 0]
        rows = [
            [r["department"], theme.format_number(r["measures"], self.lang)]
            + [theme.format_number(r[s], self.lang) for s in shown]
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
            empty="none_departments",
        )

    def deadline_slides(self) -> None:
        """Overdue and soon-due tasks (ledgers with deadlines); no slide when there are none.
        Where the deck draws on several reports each row names its report (ledgers often
        share measures word for word)."""
        urgent = self.c.deadlines[self.c.deadlines["band"].isin(["overdue", "due_soon"])]
        if urgent.empty:
            return
        several = len(self.c.reports) > 1
        rows = [
            [
                *([_clean(self.c.short_name(r.report_id))] if several else []),
                _short(r.text, 60),
                _clean(r.departments or ""),
                _clean(r.owner or ""),
                theme.format_date(r.deadline, self.lang),
                days_left(int(r.days_left), self.lang),
            ]
            for r in urgent.itertuples()
        ]
        columns = [t("col_measure_text", self.lang), t("col_departments", self.lang)]
        columns += [t("col_owner", self.lang), t("col_deadline", self.lang)]
        columns += [t("col_days_left", self.lang)]
        widths = [7, 3, 2, 3, 2]
        if several:
            columns, widths = [t("col_report", self.lang), *columns], [4, 6, 3, 2, 3, 2]
        self._table_slides(t("deck_deadlines", self.lang), columns, rows, "findings", widths)

    def measure_slides(self, key: str, title_key: str, section: str) -> None:
        """A list of measures, with the columns that say something in its section: the
        findings' open measures with their place; the remaining problems and the next steps
        as what they say and who is responsible (they have no place, and their status is
        the section's own). No slide for an empty list."""
        frame = getattr(self.c, key)
        several = len(self.c.reports) > 1
        if section == "findings":
            columns = [t("col_path", self.lang), t("col_measure_text", self.lang)]
            widths = [3, 7, 3]
        else:
            text_key = "col_problem_text" if section == "remaining" else "col_measure_text"
            columns, widths = [t(text_key, self.lang)], [10, 3]
        columns += [t("col_departments", self.lang)]
        if several:
            columns, widths = [t("col_report", self.lang), *columns], [3, *widths]
        rows = []
        for r in frame.itertuples():
            row = [_short(r.path or "", 40)] if section == "findings" else []
            row += [_short(r.text), _clean(r.departments or "")]
            rows.append([_clean(self.c.short_name(r.report_id)), *row] if several else row)
        self._table_slides(
            t(title_key, self.lang),
            columns,
            rows,
            section,
            widths,
            total=self.c.list_totals[key],
            empty=None,
        )

    def review_slides(self) -> None:
        """What to check by hand: the reports' review-level warnings and stated totals that
        disagree with the counts, then the measures of unknown status (未明确), which are
        never counted as completed. No slide when there is nothing to check."""
        reasons = doubt_reasons(self.c.doubts, self.lang)
        if reasons:
            rows = [[_short(line, 200)] for line in reasons]
            self._table_slides(
                t("deck_review", self.lang), [t("deck_review_reason", self.lang)], rows, None, [1]
            )
        frame = self.c.unknown
        if frame is None or frame.empty:
            return
        rows = [
            [
                _clean(self.c.short_name(r.report_id)),
                _short(r.path or "", 40),
                _short(r.text),
                _clean(r.departments or ""),
            ]
            for r in frame.itertuples()
        ]
        columns = [t("col_report", self.lang), t("col_path", self.lang)]
        columns += [t("col_measure_text", self.lang), t("col_departments", self.lang)]
        self._table_slides(
            t("deck_unknown", self.lang).format(status=status_label(unknown_status(), self.lang)),
            columns,
            rows,
            None,
            [3, 3, 7, 3],
            total=self.c.list_totals["unknown"],
            empty=None,
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

    def _text_box(self, slide, text: str, top, size: int, bold: bool = False, height=None) -> None:
        box = slide.shapes.add_textbox(
            self.margin, top, self.width - 2 * self.margin, height or Emu(int(self.height * 0.12))
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
        chart.has_title = False  # the slide's title says what it is (no "推进中" of one series)
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
        total: int | None = None,
        empty: str | None = "no_data",
    ) -> None:
        """As many slides as the rows take (at most MAX_SLIDES_PER_LIST), each holding the
        rows that fit it; a note under the last table, in a band of its own, says how many
        rows were left out (`total`: how many the list has in all). With no rows, a slide
        saying `empty` (a message: what is missing), or none when `empty` is None."""
        if not rows:
            if empty is not None:
                slide = self._slide(title)
                self._text_box(slide, t(self._empty_key(empty), self.lang), self.top, size=20)
                self._notes(slide, section)
            return
        width = self.width - 2 * self.margin
        col_widths = _column_widths(width, widths, columns, rows)
        note_top = self.height - Emu(int(self.height * 0.09))
        room = note_top - Emu(int(self.height * 0.02)) - self.top
        head_h = _row_height(columns, col_widths, TABLE_HEAD_PT)
        heights = [_row_height(row, col_widths, TABLE_BODY_PT) for row in rows]
        chunks: list[list[int]] = []
        for i, h in enumerate(heights):
            used = head_h + sum(heights[j] for j in chunks[-1]) if chunks else None
            if used is None or used + h > room:
                if len(chunks) == MAX_SLIDES_PER_LIST:
                    break
                chunks.append([])
            chunks[-1].append(i)
        shown = sum(len(c) for c in chunks)
        left_out = (len(rows) if total is None else total) - shown
        for number, chunk in enumerate(chunks):
            heading = title if number == 0 else f"{title}{t('deck_continued', self.lang)}"
            slide = self._slide(heading)
            self._table(
                slide,
                columns,
                [rows[i] for i in chunk],
                col_widths,
                [head_h] + [heights[i] for i in chunk],
            )
            extra = None
            if number == len(chunks) - 1 and left_out > 0:
                extra = t("deck_more_rows", self.lang).format(
                    n=theme.format_number(left_out, self.lang)
                )
                self._text_box(slide, extra, note_top, size=12, height=Emu(int(self.height * 0.06)))
            self._notes(slide, section, extra)

    def _table(self, slide, columns: Sequence[str], rows, col_widths, heights) -> None:
        shape = slide.shapes.add_table(
            len(rows) + 1, len(columns), self.margin, self.top, sum(col_widths), sum(heights)
        )
        table = shape.table
        for i, w in enumerate(col_widths):
            table.columns[i].width = w
        for i, h in enumerate(heights):
            table.rows[i].height = h
        for j, name in enumerate(columns):
            table.cell(0, j).text = _clean(name)
            _style_text_frame(table.cell(0, j).text_frame, size=TABLE_HEAD_PT, bold=True)
        for i, row in enumerate(rows, start=1):
            for j, value in enumerate(row):
                cell = table.cell(i, j)
                cell.text = _clean(value)
                _style_text_frame(cell.text_frame, size=TABLE_BODY_PT)

    def _empty_key(self, missing: str) -> str:
        """What an empty slide says: that the filters keep nothing where they narrow the
        reports, else what the reports lack (`missing`)."""
        narrowed = dataclasses.replace(self.c.filters, report=None).is_set
        return "no_data" if narrowed or missing == "no_data" else missing

    def _notes(self, slide, section: str | None, extra: str | None = None) -> None:
        note = self.c.source_note(section)
        slide.notes_slide.notes_text_frame.text = note + (f"\n{extra}" if extra else "")


# How wide Latin letters and digits are set, in ems: Microsoft YaHei's and, where it is
# missing (LibreOffice substitutes DejaVu Sans), the fallback's, bold wider.
LATIN_EMS = {False: 0.62, True: 0.7}


def _text_ems(text: str, bold: bool = False) -> float:
    """How wide a text is set, in ems: a Chinese character one em, Latin and digits about
    0.6, 0.7 in bold (a conservative reckoning, so that what is measured to fit does fit)."""
    latin = LATIN_EMS[bold]
    return sum(1.0 if ord(ch) > 0x2E7F else latin for ch in str(text))


def _longest_word_ems(text: str, bold: bool = False) -> float:
    """The widest piece of a text a line cannot break inside, in ems: a Latin word or a
    number (Chinese breaks between any two characters)."""
    pieces = re.findall(r"[0-9A-Za-z%.,'’()\-/:+]+|\S", _clean(text))
    return max((_text_ems(p, bold) for p in pieces), default=0.0)


def _column_widths(width, weights: Sequence[int], columns, rows) -> list[Emu]:
    """Columns in proportion to `weights`, each at least as wide as its header's longest
    word at the header's size and its values' longest word at the body's, so that no word
    breaks inside ("Complete d"); the room taken is given back by the widest columns."""
    need = []
    for j, header in enumerate(columns):
        body = max((_longest_word_ems(row[j]) for row in rows), default=0.0)
        ems = max(_longest_word_ems(header, bold=True) * TABLE_HEAD_PT, body * TABLE_BODY_PT)
        need.append(int((ems + 2 * CELL_SIDE_PT + 2) * EMU_PER_PT))
    share = [width * w / sum(weights) for w in weights]
    widths = [max(s, n) for s, n in zip(share, need, strict=True)]
    over = sum(widths) - width
    while over > 0:
        slack = [w - n for w, n in zip(widths, need, strict=True)]
        room = sum(x for x in slack if x > 0)
        if room <= 0:
            break
        take = min(over, room)
        widths = [w - take * max(x, 0) / room for w, x in zip(widths, slack, strict=True)]
        over -= take
    return [Emu(int(w)) for w in widths]


def days_left(days: int, lang: str) -> str:
    """Days to a deadline as people say it: 还剩 5 天, 今天到期, 逾期 699 天."""
    if days < 0:
        return plural("days_overdue", lang, -days)
    if days == 0:
        return t("due_today", lang)
    return plural("days_to_go", lang, days)


def _row_height(values: Sequence[str], col_widths, size_pt: int) -> Emu:
    """How tall a table row grows when its cells wrap within their columns at `size_pt`."""
    lines = 1
    for value, width in zip(values, col_widths, strict=True):
        inner_ems = max((width / EMU_PER_PT - 2 * CELL_SIDE_PT) / size_pt, 1)
        paragraphs = _clean(value).split("\n")
        lines = max(lines, sum(max(1, math.ceil(_text_ems(p) / inner_ems)) for p in paragraphs))
    return Emu(int((lines * size_pt * LINE_HEIGHT + 2 * CELL_TOP_PT) * EMU_PER_PT))


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
    present_statuses = set(frame["status"].dropna())
    statuses = [s for s in vocabulary.statuses_done_first() if s in present_statuses]
    counts = frame.groupby(["category", "status"])["n"].sum()
    series = {s: [int(counts.get((c, s), 0)) for c in categories] for s in statuses}
    return categories, series


def status_totals(frame: pd.DataFrame) -> tuple[list[str], list[int]]:
    by_status = frame.groupby("status")["n"].sum()
    statuses = [s for s in vocabulary.statuses() if by_status.get(s, 0) > 0]
    return statuses, [int(by_status[s]) for s in statuses]
