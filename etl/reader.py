"""Read a report file into its plain text: any Chinese encoding, text or HTML, Word or PDF.

The plain text is what `rectify text` prints and what every offset points into: one line per
paragraph, each stripped, blank lines and page furniture dropped. A .txt file and the same
report saved as an HTML page give the same plain text.
"""

from __future__ import annotations

import codecs
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from etl.archive import check_zip
from etl.errors import InputError
from etl.normalize import fold
from etl.rules import load_rules

MAX_BYTES = 50 * 1024 * 1024
TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
HTML_SUFFIXES = {".html", ".htm", ".shtml", ".xhtml"}
DOCUMENT_SUFFIXES = {".docx", ".pdf"}
# Formats a user may have that we cannot read, and what to do about each.
_SAVE_AS = {
    ".doc": "open it in Word or WPS and save it as .docx",
    ".wps": "open it in WPS and save it as .docx",
    ".rtf": "save it as .docx or .txt",
    ".ofd": "export it from the OFD reader as PDF",
}
# Tags whose text is never report content.
_DROP_TAGS = {
    "script",
    "style",
    "noscript",
    "template",
    "nav",
    "header",
    "footer",
    "head",
    "iframe",
    "svg",
    "button",
    "select",
    "form",
    "object",
}
_BLOCK_TAGS = {
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "tr",
    "table",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "section",
    "article",
    "blockquote",
    "pre",
    "dd",
    "dt",
    "dl",
    "title",
    "td",
    "th",
    "hr",
    "main",
    "aside",
    "center",
    "body",
    "html",
}
_HTML_SNIFF = re.compile(rb"^\s*(<!doctype html|<html|<head|<body|<meta|<div|<p[ >])", re.I)


@dataclass(frozen=True)
class Document:
    path: str
    text: str
    encoding: str
    kind: str  # "text", "html", "docx" or "pdf"


def read_document(path: str | Path) -> Document:
    """Read a report file; raise InputError with a message a user can act on."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix in _SAVE_AS:
        raise InputError(
            p, f"{suffix} files cannot be read", _SAVE_AS[suffix], "save_as", suffix=suffix
        )
    raw = _read_bytes(p)
    if suffix in DOCUMENT_SUFFIXES or raw[:5] == b"%PDF-":
        return _read_binary_document(p, raw, "pdf" if raw[:5] == b"%PDF-" else suffix[1:])
    encoding, decoded = decode_bytes(raw, p)
    is_html = p.suffix.lower() in HTML_SUFFIXES or bool(_HTML_SNIFF.match(raw[:512]))
    if not is_html and p.suffix.lower() not in TEXT_SUFFIXES:
        raise InputError(
            p,
            f"unsupported file type {p.suffix!r}",
            "give a .txt, .html, .docx or .pdf report",
            "type",
            suffix=p.suffix,
        )
    try:
        text = plain_text(html_to_lines(decoded) if is_html else decoded.splitlines())
    except HtmlTooLarge as exc:
        raise InputError(
            p,
            str(exc),
            "save the report's text as .txt, or check that it is a report",
            "document_too_large",
        ) from exc
    if not text.strip():
        raise InputError(
            p,
            "no text found in the file",
            "check that it is a report, not an empty page",
            "no_text",
        )
    return Document(str(p), text, encoding, "html" if is_html else "text")


def _read_binary_document(p: Path, raw: bytes, kind: str) -> Document:
    from etl.documents import (
        DocumentTooLarge,
        ScannedPdf,
        UnreadableDocument,
        docx_lines,
        pdf_lines,
    )

    if kind == "docx":
        if not zipfile.is_zipfile(io.BytesIO(raw)):
            raise InputError(
                p,
                "not a Word .docx document (not a zip package)",
                "open it and save it again",
                "unreadable",
                programs="word",
            )
        check_zip(raw, p)  # a zip bomb is refused before any part is parsed
    try:
        lines = pdf_lines(raw) if kind == "pdf" else docx_lines(raw)
    except DocumentTooLarge as exc:
        raise InputError(
            p,
            str(exc),
            "split it into smaller documents, or check that it is a report",
            "document_too_large",
        ) from exc
    except ScannedPdf as exc:
        raise InputError(
            p,
            str(exc),
            "run OCR on it first, or ask for the Word or text version of the report",
            "scanned_pdf",
        ) from exc
    except UnreadableDocument as exc:
        raise InputError(
            p,
            str(exc),
            "open it and save it again, or give the .txt",
            "unreadable",
            programs="word" if kind == "docx" else "pdf",
        ) from exc
    text = plain_text(lines)
    if not text.strip():
        raise InputError(p, "no text found in the document", "check that it is a report", "no_text")
    return Document(str(p), text, "unicode", kind)


def _read_bytes(p: Path) -> bytes:
    if not p.exists():
        raise InputError(p, "file not found", "check the path", "not_found")
    if p.is_dir():
        raise InputError(
            p,
            "is a folder, not a file",
            "give the report file, or use `rectify load` for folders",
            "folder",
        )
    size = p.stat().st_size
    if size == 0:
        raise InputError(p, "file is empty", "export the report again", "empty")
    if size > MAX_BYTES:
        raise InputError(
            p,
            f"file is {size // 1_048_576} MiB, over the 50 MiB limit",
            "split it or check it is a report",
            "too_big",
            mib=size // 1_048_576,
            limit=MAX_BYTES // 1_048_576,
        )
    try:
        return p.read_bytes()
    except OSError as exc:
        raise InputError(
            p, f"cannot read it ({exc.strerror})", "check its permissions", "permission"
        ) from exc


def decode_bytes(raw: bytes, p: Path | str = "<bytes>") -> tuple[str, str]:
    """Decode with a BOM if any, else UTF-16 by its NULs, UTF-8, strict GB18030, then a guess."""
    if raw.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", raw.decode("utf-8-sig")
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", _decode_or_fail(raw, "utf-16", p)
    utf16 = _sniff_bomless_utf16(raw)
    if utf16:
        return utf16, _decode_or_fail(raw, utf16, p)
    if b"\x00" in raw[:8192]:
        raise InputError(
            p,
            "looks like a binary file, not a text report",
            "give a .txt or .html report",
            "binary",
        )
    for encoding in ("utf-8", "gb18030"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding == "gb18030" and _garbled(text):
            return _other_chinese_encoding(raw, p)
        return encoding, text
    from charset_normalizer import from_bytes

    best = from_bytes(raw).best()
    if best is None:
        raise InputError(
            p, "cannot tell the text encoding", "save the report as UTF-8 and try again", "encoding"
        )
    return best.encoding, str(best)


def _garbled(text: str) -> bool:
    """Whether text decoded as GB18030 reads as garbage: Big5 and other encodings decoded so
    land in the private use area (rules/reader.yaml `garbled`), which real text never does."""
    rule = load_rules().raw["reader"]["garbled"]
    sample = text[: rule["sample_chars"]]
    private = sum(1 for ch in sample if "\ue000" <= ch <= "\uf8ff")
    return bool(sample) and private >= rule["private_use_share"] * len(sample)


def _other_chinese_encoding(raw: bytes, p: Path | str) -> tuple[str, str]:
    """Big5 (traditional Chinese) when the bytes are that; else an InputError, rather than
    a report read from garbage."""
    for encoding in load_rules().raw["reader"]["garbled"]["try"]:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if not _garbled(text):
            return encoding, text
    raise InputError(
        p,
        "its text does not read as Chinese in UTF-8, GB18030 or Big5",
        "save the report again as UTF-8",
        "encoding",
    )


def _sniff_bomless_utf16(raw: bytes) -> str | None:
    """UTF-16 without a BOM: most NULs (ASCII digits, punctuation) sit on one parity; CJK
    characters such as 一 (U+4E00) put a few on the other."""
    sample = raw[: 8192 - (len(raw[:8192]) % 2)]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    total = even + odd
    if total < max(2, len(sample) // 200):
        return None
    for name, on, _off in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if on >= 0.75 * total:
            try:
                sample.decode(name)
            except UnicodeDecodeError:
                return None
            return name
    return None


def _decode_or_fail(raw: bytes, encoding: str, p: Path | str) -> str:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(
            p, f"broken {encoding} text", "save the report again as UTF-8", "encoding"
        ) from exc


class HtmlTooLarge(ValueError):
    """The page holds more elements than the reader takes (rules/reader.yaml limits)."""


class _HtmlText:
    """An lxml parser target: the text of a page as it streams past, one line per block
    element, script and navigation dropped; it builds no tree (a page of millions of tiny or
    deeply nested elements costs no more memory than its text) and stops past `limit`
    elements."""

    def __init__(self, limit: int):
        self.limit, self.elements, self.dropped = limit, 0, 0
        self.lines: list[str] = []
        self.current: list[str] = []

    def _flush(self) -> None:
        if self.current:
            self.lines.append("".join(self.current))
            self.current.clear()

    def start(self, tag, _attrib) -> None:
        self.elements += 1
        if self.elements > self.limit:
            raise HtmlTooLarge(f"the page holds more than {self.limit:,} HTML elements")
        name = tag.lower() if isinstance(tag, str) else ""
        if self.dropped or name in _DROP_TAGS:
            self.dropped += 1
        elif name in _BLOCK_TAGS:
            self._flush()

    def end(self, tag) -> None:
        if self.dropped:
            self.dropped -= 1
        elif isinstance(tag, str) and tag.lower() in _BLOCK_TAGS:
            self._flush()

    def data(self, text: str) -> None:
        if not self.dropped:
            self.current.append(text)

    def comment(self, _text: str) -> None:
        pass

    def close(self) -> list[str]:
        self._flush()
        return self.lines


def html_to_lines(markup: str) -> list[str]:
    """Body text of an HTML page, one line per block element; scripts and navigation dropped.
    Raises HtmlTooLarge past the element limit of rules/reader.yaml (`document_elements`)."""
    import lxml.etree

    target = _HtmlText(load_rules().raw["reader"]["limits"]["document_elements"])
    parser = lxml.etree.HTMLParser(target=target, recover=True, no_network=True)
    try:
        parser.feed(markup)
        return parser.close()
    except HtmlTooLarge:
        raise
    except (ValueError, lxml.etree.LxmlError):
        return target.close()


def plain_text(lines: list[str]) -> str:
    """Strip each line, drop blank lines and furniture, join with newlines."""
    furniture = load_rules().furniture
    kept = []
    for line in lines:
        line = line.strip(" \t\r\n\u3000\xa0\ufeff")
        if line and not any(rx.search(fold(line)) for rx in furniture):
            kept.append(line)
    return "\n".join(kept)
