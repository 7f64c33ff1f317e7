"""Word and PDF reports to lines of text, for the reader to turn into plain text.

A .docx gives its paragraphs and table rows in document order, each numbered paragraph
with the marker Word's list numbering draws before it (一、 (一) 1.; etl.docx_numbering). A PDF gives its text layer,
page by page; its visual lines are joined back into paragraphs (a line that runs to the right
edge continues on the next one, unless the next opens a new block with a structure marker),
so the same report as .txt, .docx, .pdf or .html gives the same plain text.
"""

from __future__ import annotations

import io
import logging
import re
import unicodedata
import zipfile
from dataclasses import dataclass

from etl.docx_numbering import WordNumbering
from etl.normalize import fold
from etl.rules import load_rules

# CJK radicals that some PDF fonts map their glyphs to (⼀ U+2F00 for 一, ⻅ U+2EC5 for 见).
_RADICAL_RANGES = "\u2e80-\u2eff\u2f00-\u2fdf"
_variant_patterns: dict[tuple[str, ...], re.Pattern] = {}
# Spaces the layout puts beside a Chinese character or full-width mark (justified text,
# glyphs from another font), or two and more inside a number, are positioning, not content.
_CJK_GAP = re.compile(r"(?<=[^\x00-\x7f]) +| +(?=[^\x00-\x7f])|(?<=\d) {2,}(?=\d)")
# Without indents, a line that reaches the edge but ends a sentence is taken to end its
# paragraph: splitting a paragraph is a lesser harm than running two together.
_SENTENCE_ENDS = ("。", "!", "?", "!", "?", "”。", "。”")
# A line this share of the page's usual full line length (or more) runs to the right edge.
FULL_LINE = 0.75
# Pages of a PDF whose text layer has fewer characters than this on average are a scan.
MIN_CHARS_PER_PAGE = 20


class ScannedPdf(ValueError):
    """The PDF has no text layer (a scan): its text needs OCR first."""


class UnreadableDocument(ValueError):
    """The file is not the Word or PDF document its name says."""


class DocumentTooLarge(ValueError):
    """The document holds more paragraphs or XML elements than the reader takes."""


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_W_P, _W_TBL, _W_R, _W_HYPERLINK = f"{_W}p", f"{_W}tbl", f"{_W}r", f"{_W}hyperlink"
_W_T, _W_TAB, _W_PTAB, _W_BR, _W_CR = f"{_W}t", f"{_W}tab", f"{_W}ptab", f"{_W}br", f"{_W}cr"
_W_NO_BREAK_HYPHEN, _W_TYPE = f"{_W}noBreakHyphen", f"{_W}type"
_XML_CHUNK = 1 << 16


@dataclass(frozen=True)
class DocumentLimits:
    paragraphs: int  # w:p elements over all parts (body, tables, headers, notes)
    elements: int  # XML elements over all parts

    @classmethod
    def from_rules(cls) -> DocumentLimits:
        lim = load_rules().raw["reader"]["limits"]
        return cls(lim["paragraphs"], lim["document_elements"])


class _PartCounter:
    """An lxml parser target: counts elements and paragraphs as they stream past, builds no
    tree, and refuses a DOCTYPE (entity declarations: external entities, billion laughs)."""

    def __init__(self, limits: DocumentLimits, elements: int = 0, paragraphs: int = 0):
        self.limits, self.elements, self.paragraphs = limits, elements, paragraphs

    def doctype(self, *_args) -> None:
        raise UnreadableDocument("it declares a DOCTYPE with XML entities, which Word never writes")

    def start(self, tag, _attrib) -> None:
        self.elements += 1
        if tag == _W_P:
            self.paragraphs += 1
            if self.paragraphs > self.limits.paragraphs:
                raise DocumentTooLarge(f"it holds more than {self.limits.paragraphs:,} paragraphs")
        if self.elements > self.limits.elements:
            raise DocumentTooLarge(f"it holds more than {self.limits.elements:,} XML elements")

    def end(self, _tag) -> None:
        pass

    def data(self, _text) -> None:
        pass

    def close(self) -> None:
        return None


def check_docx_parts(raw: bytes, limits: DocumentLimits | None = None) -> None:
    """Stream every XML part of a .docx once, before python-docx builds its objects: raise
    UnreadableDocument on malformed XML or a DOCTYPE, DocumentTooLarge past the limits.

    Memory stays at one chunk of one part; time at the parts' inflated size (bounded by
    etl.archive.check_zip beforehand), and stops at the first paragraph over the limit.
    """
    from lxml import etree

    limits = limits or DocumentLimits.from_rules()
    counter = _PartCounter(limits)
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        for info in archive.infolist():
            if not info.filename.lower().endswith((".xml", ".rels")):
                continue
            parser = etree.XMLParser(
                target=counter,
                resolve_entities=False,
                no_network=True,
                load_dtd=False,
                huge_tree=False,
            )
            try:
                with archive.open(info) as part:
                    while chunk := part.read(_XML_CHUNK):
                        parser.feed(chunk)
                parser.close()
            except etree.XMLSyntaxError as exc:
                raise UnreadableDocument(
                    f"part {info.filename} is not well-formed XML ({exc.msg})"
                ) from exc


def docx_lines(raw: bytes, limits: DocumentLimits | None = None) -> list[str]:
    """Paragraphs and table rows (cells joined by a tab) of a .docx, in document order.

    Its XML is checked first (check_docx_parts): UnreadableDocument or DocumentTooLarge.
    python-docx opens the package; the text is read from its XML directly, as python-docx
    reads it (runs and hyperlinks of a paragraph; tabs, breaks, no-break hyphens), at a
    fraction of the cost of its objects per paragraph.
    """
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table

    try:
        check_docx_parts(raw, limits)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise UnreadableDocument(f"not a Word .docx document ({exc})") from exc
    try:
        document = docx.Document(io.BytesIO(raw))
        numbering = _numbering(document)
        lines: list[str] = []
        for block in document.element.body:
            if block.tag == _W_P:
                lines.extend(numbered_text(block, numbering).splitlines() or [""])
            elif block.tag == _W_TBL:
                lines.extend(_table_rows(Table(block, document), numbering))
    except (PackageNotFoundError, zipfile.BadZipFile) as exc:
        raise UnreadableDocument(f"not a Word .docx document ({exc})") from exc
    except Exception as exc:  # noqa: BLE001 - any failure of the parser on a damaged file
        raise UnreadableDocument(f"not a Word .docx document ({type(exc).__name__})") from exc
    return lines


def _numbering(document) -> WordNumbering:
    """The document's list numbering (word/numbering.xml and the styles that name lists);
    none when it has no numbering part."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    parts = []
    for rel in (RT.NUMBERING, RT.STYLES):
        try:
            parts.append(document.part.part_related_by(rel).element)
        except (KeyError, AttributeError):
            parts.append(None)
    return WordNumbering.from_parts(*parts)


def numbered_text(p, numbering: WordNumbering | None) -> str:
    """A w:p element's text with the marker Word draws before it (一、 (一) 1.) when Word
    numbers it (etl.docx_numbering): '一、加强组织领导'. A numbered paragraph without text
    is counted, but gives no marker alone."""
    text = paragraph_text(p)
    if numbering is None:
        return text
    marker, follower = numbering.marker(p)
    return f"{marker}{follower}{text}" if marker and text.strip() else text


def paragraph_text(p) -> str:
    """A w:p element's text as python-docx's Paragraph.text gives it: its runs and the runs
    of its hyperlinks (not those inside tracked changes or content controls)."""
    out: list[str] = []
    for child in p:
        if child.tag == _W_R:
            _run_text(child, out)
        elif child.tag == _W_HYPERLINK:
            for run in child:
                if run.tag == _W_R:
                    _run_text(run, out)
    return "".join(out)


def _run_text(run, out: list[str]) -> None:
    for item in run:
        tag = item.tag
        if tag == _W_T:
            out.append(item.text or "")
        elif tag in (_W_TAB, _W_PTAB):
            out.append("\t")
        elif tag == _W_CR or (tag == _W_BR and item.get(_W_TYPE, "textWrapping") == "textWrapping"):
            out.append("\n")
        elif tag == _W_NO_BREAK_HYPHEN:
            out.append("-")


def _table_rows(table, numbering: WordNumbering | None = None) -> list[str]:
    rows = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:  # a merged cell is listed once per grid column it spans
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            text = "\n".join(numbered_text(p, numbering) for p in cell._tc if p.tag == _W_P)
            cells.append(text.strip())
        if any(cells):
            rows.append("\t".join(cells))
    return rows


def pdf_lines(raw: bytes) -> list[str]:
    """The text layer of a PDF as paragraphs; ScannedPdf when there is none."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    # pypdf logs what it repairs (EOF marker not found …) to stderr: the one line a damaged
    # file gets is ours, so its warnings are kept quiet while it reads.
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(raw))
        # Layout mode keeps each line's indent: a Chinese paragraph opens indented (首行缩进).
        pages = [page.extract_text(extraction_mode="layout") or "" for page in reader.pages]
    except PdfReadError as exc:
        raise UnreadableDocument(f"not a readable PDF ({exc})") from exc
    except Exception as exc:  # noqa: BLE001 - any failure of the parser on a damaged file
        raise UnreadableDocument(f"not a readable PDF ({type(exc).__name__})") from exc
    finally:
        logger.setLevel(level)
    if not pages or sum(len(p.strip()) for p in pages) < MIN_CHARS_PER_PAGE * len(pages):
        raise ScannedPdf("the PDF has no text layer (a scanned image)")
    furniture = load_rules().furniture
    lines = []
    for page in pages:
        for line in page.splitlines():
            text = _CJK_GAP.sub("", unradical(line).strip())
            # Page furniture goes before lines are joined, so it never hides in a paragraph.
            if text and not any(rx.search(fold(text)) for rx in furniture):
                lines.append(VisualLine(text, len(line) - len(line.lstrip()), len(line.rstrip())))
    return reflow(lines)


@dataclass(frozen=True)
class VisualLine:
    text: str
    indent: int  # leading columns in the layout text
    right: int  # columns to the line's last character


def unradical(text: str) -> str:
    """Code points read from a PDF, as the ideographs they show: the Kangxi radicals by NFKC,
    the others by the table in rules/reader.yaml."""
    table = load_rules().pdf_glyphs
    key = tuple(table)
    if key not in _variant_patterns:
        _variant_patterns[key] = re.compile(f"[{_RADICAL_RANGES}{re.escape(''.join(key))}]")
    return _variant_patterns[key].sub(
        lambda m: table.get(m.group(), unicodedata.normalize("NFKC", m.group())), text
    )


def reflow(lines: list[VisualLine]) -> list[str]:
    """Join visual lines back into paragraphs. Where paragraphs open indented, an indented
    line opens one; elsewhere a line opens one after a line that stops short of the right
    edge or ends a sentence, or when it starts with a structure marker (一、 (一) 1. 一是 …)."""
    if not lines:
        return []
    rights = sorted(line.right for line in lines)
    full = rights[int(len(rights) * 0.9)] if len(rights) >= 5 else rights[-1]
    base = min(line.indent for line in lines)
    indented = [line.indent >= base + 2 for line in lines]
    by_indent = 0.02 < sum(indented) / len(lines) < 0.7  # some lines open paragraphs, not all
    opens_block = _block_openers()
    out: list[str] = []
    previous: VisualLine | None = None
    for line, is_indented in zip(lines, indented, strict=True):
        reaches_edge = previous is not None and previous.right >= FULL_LINE * full
        if by_indent:
            starts = previous is None or is_indented or not reaches_edge
        else:
            starts = (
                previous is None
                or not reaches_edge
                or previous.text.endswith(_SENTENCE_ENDS)
                or bool(opens_block(fold(line.text)))
            )
        if starts:
            out.append(line.text)
        else:
            out[-1] += line.text
        previous = line
    return out


def _block_openers():
    rules = load_rules()
    patterns = [re.compile(marker["pattern"]) for marker in rules.structure["markers"]]
    patterns.append(rules.rx("measure_marker"))

    def opens(line: str) -> bool:
        return any(p.match(line) for p in patterns)

    return opens
