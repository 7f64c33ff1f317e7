"""CSV and Excel of exactly what the filters show, each row carrying its provenance (report,
section, place in the hierarchy, source sentence and character offsets). Pure: ExportContent
in, bytes out."""

from __future__ import annotations

import io
import re

import pandas as pd

from views.audit import field_label
from views.export import ExportContent
from views.i18n import category_label, indicator_name, status_label, t, unit_label
from views.vocabulary import status_cue

_SENTENCE_END = "。！？；!?;\n"
# A cell that starts like a formula is run by Excel when the CSV is opened (CSV injection);
# a leading apostrophe keeps it text. Only text columns are touched; numbers stay numbers.
_FORMULA_START = re.compile(r"^[=+\-@\t\r]")


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence of `text` that holds [start, end): from the last sentence end before it
    to the next one after it, ends included."""
    if not text:
        return ""
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    left = max((text.rfind(ch, 0, start) for ch in _SENTENCE_END), default=-1) + 1
    ends = [i for i in (text.find(ch, end) for ch in _SENTENCE_END) if i != -1]
    right = min(ends) + 1 if ends else len(text)
    return text[left:right].strip()


# A ledger's own columns, carried where the data has them (reports have none of them).
LEDGER_COLUMNS = (
    ("deadline", "col_deadline"),
    ("owner", "col_owner"),
    ("evidence", "col_evidence"),
)


def measures_table(content: ExportContent) -> pd.DataFrame:
    """The filtered measures with their provenance; 完成时限, 责任人 and 佐证材料 (a ledger's
    deadline as a date, owner and evidence) when any measure has them."""
    lang, m = content.lang, content.measures
    table = pd.DataFrame(
        {
            t("col_report", lang): [content.name(r) for r in m["report_id"]],
            t("col_report_id", lang): m["report_id"],
            t("col_measure_id", lang): m["measure_id"],
            t("col_section", lang): [t(f"section_{s}", lang) for s in m["section"]],
            t("col_path", lang): m["path"].fillna(""),
            t("col_headline", lang): m["headline"].fillna(""),
            t("col_text", lang): m["text"],
            t("col_category", lang): [category_label(c, lang) for c in m["category"]],
            t("col_status", lang): [status_label(s, lang) for s in m["status"]],
            t("detail_cue", lang): [status_cue(c, lang) or "" for c in m["status_cue"].fillna("")],
            t("col_departments", lang): m["departments"].fillna(""),
            t("col_figures", lang): m["figures"].fillna(""),
            t("col_start_offset", lang): m["start_offset"].astype("int64"),
            t("col_end_offset", lang): m["end_offset"].astype("int64"),
        }
    )
    if "corrected" in m and any(len(c) for c in m["corrected"] if c is not None):
        sep = "、" if lang == "zh" else ", "
        table[t("col_corrected", lang)] = [
            sep.join(field_label(f, lang) for f in (fields if fields is not None else []))
            for fields in m["corrected"]
        ]
    at = table.columns.get_loc(t("col_figures", lang)) + 1
    for column, key in LEDGER_COLUMNS:
        if column in m and m[column].notna().any():
            values = m[column]
            if column == "deadline":
                values = pd.to_datetime(values).dt.date
            table.insert(at, t(key, lang), values.where(values.notna(), None))
            at += 1
    return table


def metrics_table(content: ExportContent) -> pd.DataFrame:
    lang, mt = content.lang, content.metrics
    names = {r.code: indicator_name(r._asdict(), lang) for r in content.indicators.itertuples()}
    paths = dict(
        zip(
            zip(content.measures["report_id"], content.measures["measure_id"], strict=True),
            content.measures["path"].fillna(""),
            strict=True,
        )
    )
    sentences = [
        sentence_around(text, s - base, e - base)
        for text, s, e, base in zip(
            mt["measure_text"],
            mt["start_offset"],
            mt["end_offset"],
            mt["measure_start"],
            strict=True,
        )
    ]
    return pd.DataFrame(
        {
            t("col_report", lang): [content.name(r) for r in mt["report_id"]],
            t("col_report_id", lang): mt["report_id"],
            t("col_measure_id", lang): mt["measure_id"],
            t("col_section", lang): [
                t(f"section_{s}", lang)
                if isinstance(s, str)
                else t("figure_outside_measures", lang)
                for s in mt["section"]
            ],
            t("col_path", lang): [
                paths.get(k, "") for k in zip(mt["report_id"], mt["measure_id"], strict=True)
            ],
            t("col_value", lang): mt["value"].astype("float64"),
            t("col_unit_of", lang): mt["unit"],
            t("col_qualifier", lang): [t(f"qualifier_{q}", lang) for q in mt["qualifier"]],
            t("col_indicator", lang): [names.get(c, c or "") for c in mt["indicator"]],
            t("col_raw", lang): mt["raw"].fillna(""),
            t("col_sentence", lang): sentences,
            t("col_start_offset", lang): mt["start_offset"].astype("int64"),
            t("col_end_offset", lang): mt["end_offset"].astype("int64"),
        }
    )


def indicators_table(content: ExportContent) -> pd.DataFrame:
    lang, ind = content.lang, content.indicators
    return pd.DataFrame(
        {
            t("col_indicator_code", lang): ind["code"],
            t("col_indicator", lang): [indicator_name(r._asdict(), lang) for r in ind.itertuples()],
            t("col_total", lang): ind["total"].astype("float64"),
            t("col_unit_of", lang): [unit_label(u, lang) for u in ind["unit"]],
            # Whether the total is exact, a floor (百余万 among its parts) or an estimate.
            t("col_qualifier", lang): [
                t(f"qualifier_{q}", lang)
                for q in (ind["qualifier"] if "qualifier" in ind else ["exact"] * len(ind))
            ],
            t("col_metrics", lang): ind["n_metrics"].astype("int64"),
            t("col_category", lang): [category_label(c, lang) for c in ind["category"]],
        }
    )


def about_table(content: ExportContent) -> pd.DataFrame:
    """Which reports (one row each: name, file and id) and filters the workbook holds, when
    it was made and what its offsets point into."""
    lang = content.lang
    reports = [f"《{content.name(rid)}》 {rid}" for rid in content.reports["report_id"]] or [
        t("cite_none", lang)
    ]
    fields = [t("col_report", lang)] * len(reports)
    return pd.DataFrame(
        {
            t("export_field", lang): [
                *fields,
                t("filter_active", lang).rstrip(":： "),
                t("export_generated", lang),
                t("export_offsets", lang),
                t("export_corrected", lang),
            ],
            t("export_value", lang): [
                *reports,
                content.filter_line,
                content.today.isoformat(),
                t("export_offsets_note", lang),
                content.corrected_note,
            ],
        }
    )


def _neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = [
                "'" + v if isinstance(v, str) and _FORMULA_START.match(v) else v
                for v in out[column]
            ]
    return out


def to_csv(content: ExportContent) -> bytes:
    """The filtered measures as CSV, UTF-8 with a BOM so that Excel shows the Chinese."""
    return _neutralise(measures_table(content)).to_csv(index=False).encode("utf-8-sig")


def to_xlsx(content: ExportContent) -> bytes:
    """A workbook: measures, metrics (figures with their sentences) and indicators, and a
    sheet saying which reports and filters it holds."""
    out = io.BytesIO()
    lang = content.lang
    sheets = {
        t("sheet_measures", lang): measures_table(content),
        t("sheet_metrics", lang): metrics_table(content),
        t("sheet_indicators", lang): indicators_table(content),
        t("sheet_about", lang): about_table(content),
    }
    # Strings stay strings: never turned into formulas or links, whatever they start with.
    options = {"strings_to_formulas": False, "strings_to_urls": False}
    # The figure column of each sheet that has one.
    figures = {
        t("sheet_metrics", lang): t("col_value", lang),
        t("sheet_indicators", lang): t("col_total", lang),
    }
    with pd.ExcelWriter(out, engine="xlsxwriter", engine_kwargs={"options": options}) as writer:
        grouped = {
            whole: writer.book.add_format({"num_format": FIGURE_FORMATS[whole]})
            for whole in (True, False)
        }
        for name, frame in sheets.items():
            frame.to_excel(writer, sheet_name=name, index=False)
            sheet = writer.sheets[name]
            sheet.freeze_panes(1, 0)
            for i, column in enumerate(frame.columns):
                longest = max([len(str(column))] + [len(str(v)) for v in frame[column].head(200)])
                sheet.set_column(i, i, min(60, max(8, longest * 1.6)))
                if figures.get(name) == column:  # numbers still, read with their separators
                    for row, value in enumerate(frame[column], start=1):
                        if not pd.isna(value):
                            sheet.write_number(row, i, value, grouped[float(value).is_integer()])
    return out.getvalue()


# A figure's cell: thousands grouped (1,105,837), decimals only where it has them (33.9).
FIGURE_FORMATS = {True: "#,##0", False: "#,##0.0########"}
