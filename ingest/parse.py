"""Reads PDF, DOCX, HTML and TXT/MD files into pages of raw text.

This module owns getting text out of a file and refusing bad input with one actionable line
(`rag.errors.IngestError`). It does no clean-up beyond what a format needs to be read: headers,
footnotes, hyphenation and paragraph re-flow are `ingest.clean`'s job. Shortcuts taken on purpose:
PDF text comes from pypdf's plain `extract_text()` (no layout analysis), HTML is one page, and a
DOCX only knows the page breaks written into it (explicit breaks and Word's last rendered ones).
DOCX footnotes (kept by Word in footnotes.xml) come out in the form `ingest.clean` gives PDF ones:
`[n]` at the reference and a paragraph "[n] text" after the paragraph that cites it.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ingest.ocr import OcrSettings, missing_tools, ocr_pages
from ingest.txtpages import split_txt_pages
from rag.core.errors import IngestError

log = logging.getLogger(__name__)

SUPPORTED_SUFFIXES: frozenset[str] = frozenset({".pdf", ".docx", ".html", ".htm", ".txt", ".md"})
_FORMATS = {".pdf": "pdf", ".docx": "docx", ".html": "html", ".htm": "html", ".txt": "txt"}
_FORMATS[".md"] = "txt"
PAGE_JOIN = "\n\f\n"  # how RawDocument.text separates pages: a form feed on its own line
_MB = 1_000_000
# A DOCX is a ZIP: refuse it from its directory (declared sizes), before inflating anything. A
# 300-page report's document.xml is ~5 MB, and Word's XML deflates about 5-10x; DEFLATE itself
# cannot exceed ~1032x, which is what a zip bomb of repeated bytes reaches.
DOCX_MAX_UNPACKED_BYTES = 200 * _MB
DOCX_MAX_RATIO = 100  # for members of more than 1 MB; media (already compressed) stay near 1x


class UnsupportedFile(IngestError):
    """The file's type is not one we read; the pipeline counts it as skipped, not failed."""


@dataclass(frozen=True)
class RawPage:
    number: int  # 1-based page number
    text: str
    ocr_confidence: float | None = None  # 0..1 when the text came from OCR, else None


@dataclass(frozen=True)
class RawDocument:
    path: Path
    format: str  # "pdf" | "docx" | "html" | "txt"
    pages: tuple[RawPage, ...]
    has_page_numbers: bool  # True when page numbers mean printed pages (PDF, paged DOCX/TXT)

    @property
    def text(self) -> str:
        """All pages, separated by a form feed on its own line."""
        return PAGE_JOIN.join(p.text for p in self.pages)


def parse_file(
    path: Path,
    max_bytes: int = 50_000_000,
    data: bytes | None = None,
    ocr: OcrSettings | None = None,
) -> RawDocument:
    """Read one file into raw pages, or raise IngestError naming the file and the fix.

    `data`: the file's bytes when the caller has read them already (ingest hashes them first).
    `ocr`: how PDF pages without a text layer are read (None: they are not, as with RAG_OCR=off).
    Example: `parse_file(Path("verslag.pdf")).pages[1].text` is the text of printed page 2.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if data is None or suffix not in SUPPORTED_SUFFIXES:
        data = _read_checked(path, max_bytes)
    elif not data:
        raise IngestError(f"{path}: is empty (0 bytes); re-export or re-download it.", code="empty")
    confidence: dict[int, float] = {}
    if suffix == ".pdf":
        pages, confidence, paged = *_parse_pdf(path, data, ocr), True
    elif suffix == ".docx":
        pages, paged = _parse_docx(path, data)
    elif suffix in (".html", ".htm"):
        pages, paged = [_parse_html(path, data)], False
    else:
        pages, paged = _parse_txt(path, data)
    if not any(p.strip() for p in pages):
        raise IngestError(
            f"{path}: contains no text; check that it is the report you meant to add.",
            code="no_text",
        )
    raw_pages = tuple(RawPage(i, t, confidence.get(i)) for i, t in enumerate(pages, start=1))
    return RawDocument(path, _FORMATS[suffix], raw_pages, paged)


def _read_checked(path: Path, max_bytes: int) -> bytes:
    """The file's bytes, after the checks every format shares (existence, type, size)."""
    if not path.exists():
        raise IngestError(f"{path}: file not found; check the path and re-run.")
    if path.is_dir():
        raise IngestError(f"{path}: is a directory, not a file; pass the files inside it.")
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        supported = ", ".join(sorted(SUPPORTED_SUFFIXES))
        raise UnsupportedFile(
            f"{path}: unsupported type {suffix or '(none)'}, skipped; supported: {supported}"
        )
    size = path.stat().st_size
    if size == 0:
        raise IngestError(f"{path}: is empty (0 bytes); re-export or re-download it.", code="empty")
    if size > max_bytes:
        raise IngestError(
            f"{path}: is {size / _MB:.1f} MB, over the {max_bytes / _MB:g} MB limit; "
            "split it or raise RAG_MAX_FILE_MB.",
            code="too_large",
            mb=f"{size / _MB:.1f}",
            limit=f"{max_bytes / _MB:g}",
        )
    try:
        return path.read_bytes()
    except PermissionError:
        raise IngestError(
            f"{path}: cannot be read (permission denied); fix its permissions (chmod +r) "
            "and re-run.",
            code="unreadable",
            reason="permission denied",
        ) from None
    except OSError as exc:
        raise IngestError(
            f"{path}: cannot be read ({exc.strerror}); check the disk and re-run.",
            code="unreadable",
            reason=exc.strerror,
        ) from None


# --- PDF ------------------------------------------------------------------------------------------


def _parse_pdf(
    path: Path, data: bytes, ocr: OcrSettings | None
) -> tuple[list[str], dict[int, float]]:
    """Each page's text, and the OCR confidence of the pages that had to be OCR'd."""
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, PdfReadError

    # The PDF spec allows the header anywhere in the first 1024 bytes.
    if b"%PDF-" not in data[:1024]:
        raise IngestError(
            f"{path}: is not a PDF (no %PDF header; maybe another format renamed to .pdf); "
            "open it and export it as PDF again.",
            code="not_pdf",
        )
    # pypdf quietly reconstructs a PDF cut short and returns fewer pages; a missing end-of-file
    # marker is the reliable sign of a truncated download, so refuse it rather than index half.
    if b"%%EOF" not in data[-4096:]:
        raise IngestError(
            f"{path}: PDF is truncated (no %%EOF marker at the end); download or export it again.",
            code="pdf_truncated",
        )
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not _decrypt_empty(reader):
            raise IngestError(
                f"{path}: PDF is password-protected; remove the password (e.g. `qpdf --decrypt "
                "--password=... in.pdf out.pdf`) and re-run.",
                code="pdf_password",
            )
        texts = [page.extract_text() or "" for page in reader.pages]
    except IngestError:
        raise
    except DependencyError:
        raise IngestError(
            f"{path}: PDF is AES-encrypted and pypdf needs the `cryptography` package to open it; "
            "pip install cryptography, or save an unencrypted copy.",
            code="pdf_password",
        ) from None
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError) as exc:
        # pypdf signals broken structure with many exception types; all mean the same to a user.
        raise IngestError(
            f"{path}: PDF is corrupt and cannot be read ({type(exc).__name__}: {exc}); "
            "download or export it again.",
            code="pdf_corrupt",
            detail=f"{type(exc).__name__}: {exc}",
        ) from None
    if not texts:
        raise IngestError(
            f"{path}: PDF has no pages; download or export it again.",
            code="pdf_corrupt",
            detail="0 pages",
        )
    blank = [i for i, t in enumerate(texts, start=1) if not t.strip()]
    if not blank:
        return texts, {}
    if ocr is None or not ocr.enabled:
        if len(blank) < len(texts):
            return texts, {}  # a few empty pages (a blank back page) in a PDF with text
        raise IngestError(
            f"{path}: PDF has no text layer (scanned?) and OCR is off (RAG_OCR=off); set "
            "RAG_OCR=on, or run OCR first (`ocrmypdf in.pdf out.pdf`) and add the OCR'd file.",
            code="pdf_ocr_off",
        )
    if len(blank) < len(texts) and missing_tools(ocr.languages):
        log.warning("%s: %d pages without text not OCR'd: no OCR tools", path, len(blank))
        return texts, {}
    read = ocr_pages(path, data, blank, ocr)
    for page, result in read.items():
        texts[page - 1] = result.text
    if not any(t.strip() for t in texts):
        raise IngestError(
            f"{path}: PDF has no text layer and OCR found no text on its pages; check that it "
            "is the scan you meant (a photo or drawing has no text to read).",
            code="no_text",
        )
    return texts, {page: result.confidence for page, result in read.items()}


def _decrypt_empty(reader: object) -> bool:
    """Many 'protected' PDFs only restrict printing and open with the empty user password."""
    from pypdf import PasswordType

    try:
        return reader.decrypt("") != PasswordType.NOT_DECRYPTED  # type: ignore[attr-defined]
    except NotImplementedError:
        return False


# --- DOCX -----------------------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_PAGE_BREAK = "\f"  # internal marker while walking a DOCX body


def _parse_docx(path: Path, data: bytes) -> tuple[list[str], bool]:
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise IngestError(
            f"{path}: is not a Word .docx file (not a ZIP container; an old .doc or another "
            "format renamed?); open it in Word or LibreOffice and save it as .docx.",
            code="not_docx",
        )
    _check_zip_sizes(path, data)
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import XMLSyntaxError

    try:
        document = docx.Document(io.BytesIO(data))
        return _docx_pages(document)
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile, XMLSyntaxError) as exc:
        raise IngestError(
            f"{path}: is not a readable .docx ({type(exc).__name__}: {exc}); "
            "open it in Word or LibreOffice and save it as .docx again.",
            code="not_docx",
        ) from None


def _check_zip_sizes(path: Path, data: bytes) -> None:
    """Refuse a DOCX whose parts would inflate past sane sizes (a zip bomb), by its directory."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        infos = zf.infolist()
    total = sum(i.file_size for i in infos)
    worst = max(
        (i for i in infos if i.file_size > _MB),
        key=lambda i: i.file_size / max(i.compress_size, 1),
        default=None,
    )
    ratio = worst.file_size / max(worst.compress_size, 1) if worst else 0.0
    if total > DOCX_MAX_UNPACKED_BYTES or ratio > DOCX_MAX_RATIO:
        raise IngestError(
            f"{path}: refused unread: its parts would unpack to {total / _MB:,.0f} MB "
            f"({ratio:,.0f}x compression; limits {DOCX_MAX_UNPACKED_BYTES / _MB:g} MB, "
            f"{DOCX_MAX_RATIO}x), which no report needs (a zip bomb?); open it in Word or "
            "LibreOffice and save it as .docx again, or export it as PDF.",
            code="zip_bomb",
            mb=f"{total / _MB:,.0f}",
        )


def _docx_pages(document: object) -> tuple[list[str], bool]:
    """A python-docx document's body as pages of blocks (see `_parse_docx`)."""
    blocks: list[str] = []
    notes = _docx_footnotes(document)
    numbers: dict[str, int] = {}  # footnote id -> number in order of first reference, as printed
    for element in document.element.body.iterchildren():  # type: ignore[attr-defined]
        if element.tag == f"{_W}p":
            refs: list[str] = []
            blocks.append(_docx_paragraph(element, document, numbers, refs))
            blocks.extend(f"[{numbers[i]}] {notes[i]}" for i in refs if notes.get(i))
        elif element.tag == f"{_W}tbl":
            blocks.append(_docx_table(element))
    # Paragraphs become blank-line separated blocks, so clean() treats each as a paragraph.
    body = "\n\n".join(b for b in blocks if b.strip(" "))
    pages = [p.strip("\n") for p in re.split(r"\n*\f\n*", body)]
    # Word writes a lastRenderedPageBreak right after an explicit break: collapse empty pages.
    pages = [p for p in pages if p.strip()] or [""]
    return pages, len(pages) > 1


def _docx_footnotes(document: object) -> dict[str, str]:
    """Footnote id -> its text, from the document's footnotes part (none: {})."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from lxml import etree

    for rel in document.part.rels.values():  # type: ignore[attr-defined]
        if rel.reltype == RT.FOOTNOTES and not rel.is_external:
            root = etree.fromstring(rel.target_part.blob)
            return {
                note.get(f"{_W}id", ""): " ".join(
                    "".join(t.text or "" for t in note.iter(f"{_W}t")).split()
                )
                for note in root.iter(f"{_W}footnote")
                if note.get(f"{_W}type") not in ("separator", "continuationSeparator")
            }
    return {}


def _docx_paragraph(
    p: object,
    document: object,
    numbers: dict[str, int] | None = None,
    refs: list[str] | None = None,
) -> str:
    """One paragraph's text; page breaks inside it become form feeds, a footnote reference
    becomes "[n]" (its id is appended to `refs`, numbered in `numbers`)."""
    numbers = {} if numbers is None else numbers
    parts: list[str] = []
    for node in p.iter():  # type: ignore[attr-defined]
        tag = node.tag
        if tag == f"{_W}footnoteReference":
            note_id = node.get(f"{_W}id", "")
            parts.append(f"[{numbers.setdefault(note_id, len(numbers) + 1)}]")
            if refs is not None:
                refs.append(note_id)
        elif tag == f"{_W}t" and node.text:
            parts.append(node.text)
        elif tag == f"{_W}tab":
            parts.append(" ")
        elif tag == f"{_W}br":
            kind = node.get(f"{_W}type")
            parts.append(_PAGE_BREAK if kind == "page" else ("" if kind == "column" else "\n"))
        elif tag == f"{_W}lastRenderedPageBreak":
            parts.append(_PAGE_BREAK)
    text = "".join(parts)
    if text.replace(_PAGE_BREAK, "").strip() and _is_list_paragraph(p, document):
        lead = len(text) - len(text.lstrip(_PAGE_BREAK))
        text = text[:lead] + "- " + text[lead:].lstrip()
    return text


def _is_list_paragraph(p: object, document: object) -> bool:
    ppr = p.find(f"{_W}pPr")  # type: ignore[attr-defined]
    if ppr is not None and ppr.find(f"{_W}numPr") is not None:
        return True
    style_id = ""
    if ppr is not None and ppr.find(f"{_W}pStyle") is not None:
        style_id = ppr.find(f"{_W}pStyle").get(f"{_W}val", "")
    if not style_id:
        return False
    try:
        name = document.styles.get_by_id(style_id, 1).name or ""  # type: ignore[attr-defined]
    except (KeyError, ValueError):
        name = style_id
    # Style names of bulleted/numbered lists in English and Dutch Word ("Lijstopsommingteken").
    return bool(re.search(r"list|lijst", name, re.IGNORECASE)) and "table" not in name.lower()


def _docx_table(tbl: object) -> str:
    """A table as one line per row, cells separated by ' | '."""
    rows = []
    for tr in tbl.iter(f"{_W}tr"):  # type: ignore[attr-defined]
        cells = []
        for tc in tr.iter(f"{_W}tc"):
            cells.append(" ".join("".join(t.text or "" for t in tc.iter(f"{_W}t")).split()))
        if any(cells):
            rows.append(" | ".join(cells))
    return "\n".join(rows)


# --- HTML -----------------------------------------------------------------------------------------

_DROP_TAGS = ("script", "style", "nav", "header", "footer", "noscript", "template", "head")
_BLOCK_TAGS = frozenset(
    "p div h1 h2 h3 h4 h5 h6 li ul ol dl dt dd table tr td th caption blockquote pre section "
    "article main aside figure figcaption address hr form fieldset".split()
)


def _parse_html(path: Path, data: bytes) -> str:
    from bs4 import BeautifulSoup, Comment, NavigableString

    soup = BeautifulSoup(data, "html.parser")
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    for tag in soup.find_all(_DROP_TAGS):
        tag.decompose()
    lines: list[str] = []
    buf: list[str] = []
    prefix = [""]

    def flush() -> None:
        text = " ".join("".join(buf).split())
        buf.clear()
        if text:
            lines.append(prefix[0] + text)
            prefix[0] = ""

    def walk(node: object) -> None:
        for child in node.children:  # type: ignore[attr-defined]
            if isinstance(child, Comment):
                continue
            if isinstance(child, NavigableString):
                buf.append(str(child))
            elif child.name == "br":
                buf.append(" ")
            elif child.name in _BLOCK_TAGS:
                flush()
                if child.name == "li":
                    prefix[0] = "- "
                elif child.name in ("td", "th"):
                    buf.append(" ")
                walk(child)
                flush()
            else:
                walk(child)

    walk(soup.body or soup)
    flush()
    # A page without an <h1> still has a title worth indexing.
    if title and not soup.find("h1"):
        lines.insert(0, title)
    return "\n\n".join(lines)


# --- TXT / MD -------------------------------------------------------------------------------------


def _parse_txt(path: Path, data: bytes) -> tuple[list[str], bool]:
    text = _decode_text(path, data)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\f" in text:
        pages = text.split("\f")
        if len(pages) > 1 and not pages[-1].strip():
            pages.pop()  # pdftotext ends every page, including the last, with a form feed
        return pages, len(pages) > 1
    pages = split_txt_pages(text)
    return pages, len(pages) > 1


def _decode_text(path: Path, data: bytes) -> str:
    """UTF-16 with a BOM, else UTF-8 (BOM stripped), else cp1252, else latin-1.

    A UTF-16 byte-order mark is believed only when the bytes look like UTF-16 (a NUL in every
    other byte for Latin text) and decode; otherwise it was false and is dropped.
    >>> _decode_text(Path("x.txt"), b"\\xff\\xfeRaad")
    'Raad'
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = data[2:8194]
        if head.count(0) >= len(head) // 4:
            try:
                return data.decode("utf-16")
            except UnicodeDecodeError:
                pass
        log.warning("%s: starts with a UTF-16 byte-order mark but is not UTF-16; ignored it", path)
        data = data[2:]
    if b"\x00" in data[:8192]:
        raise IngestError(
            f"{path}: looks like a binary file, not text; give it the right extension or export "
            "it as text.",
            code="binary",
        )
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


__all__ = [
    "SUPPORTED_SUFFIXES",
    "RawDocument",
    "RawPage",
    "UnsupportedFile",
    "parse_file",
]
