"""A source's original file at the cited page: the PDF page drawn with the sentence marked, or
the cleaned text of that page with the sentence highlighted, and the file to download.

PDF pages are rendered with pypdfium2. The cited sentence comes from the cleaned text, which can
differ from the PDF's text layer in white space, hyphenation, quotes and footnote numbers, so it
is looked up on letters and digits only (case-folded, NFKC), skipping footnote digits glued to a
word. A sentence cut by a page break is marked as far as it runs on the page. Shortcuts on
purpose: rotated pages are drawn unrotated, and a page without a text layer (a scan) is shown
without a mark. Nothing here imports Streamlit.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from rag.core.models import DocumentRecord
from rag.core.store import Store
from rag.ui.render import highlight

MIME = {
    "PDF": "application/pdf",
    "DOCX": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "HTML": "text/html",
    "TXT": "text/plain",
}
HIGHLIGHT = (255, 196, 0, 96)  # translucent amber, as a highlighter pen
OUTLINE = (230, 120, 0, 255)
_MIN_MARK = 12  # letters and digits: a shorter match could be anywhere on the page
_REF = re.compile(r"\[\d{1,3}\]")
_CLOSING = frozenset(".,;:!?)]'\"’”»")


@dataclass(frozen=True)
class Box:
    """A rectangle in PDF points (origin at the bottom left of the page)."""

    left: float
    bottom: float
    right: float
    top: float


@dataclass(frozen=True)
class PageImage:
    """One rendered PDF page: PNG bytes, which page (1-based), of how many, and the marks."""

    png: bytes
    page: int
    pages: int
    boxes: tuple[Box, ...]  # one per line of the marked sentence; () when not found
    scale: float
    height: float  # the page's height in points, to map boxes to pixels

    @property
    def marked(self) -> bool:
        return bool(self.boxes)

    def pixels(self, box: Box) -> tuple[int, int, int, int]:
        """(x0, y0, x1, y1) of `box` in the PNG."""
        s = self.scale
        return (
            round(box.left * s),
            round((self.height - box.top) * s),
            round(box.right * s),
            round((self.height - box.bottom) * s),
        )


def _letters(text: str) -> list[tuple[str, int]]:
    """(letter or digit, index in `text`), case-folded; a ligature gives all its letters.

    >>> "".join(c for c, _ in _letters("Eﬃciënt, 2×!"))
    'efficiënt2'
    """
    out = []
    for i, ch in enumerate(text):
        for c in unicodedata.normalize("NFKC", ch).casefold():
            if c.isalnum():
                out.append((c, i))
    return out


def find_run(page: str, sentence: str) -> tuple[int, int] | None:
    """Where the longest part of `sentence` from its start (or, when its start is on the page
    before, from a later point) runs on `page`, as (first, last) indexes of `page`; None when
    less than a few words match.

    Footnote digits on the page glued into the sentence are stepped over.

    >>> page = "Kop\\nDe Raad be-\\nsprak Europol1 en\\nde EES. Voetnoot"
    >>> a, b = find_run(page, "De Raad besprak Europol[1] en de EES.")
    >>> page[a : b + 1]
    'De Raad be-\\nsprak Europol1 en\\nde EES'
    """
    hay = _letters(page)
    needle = [c for c, _ in _letters(_REF.sub("", sentence))]
    if len(needle) < _MIN_MARK:
        return None
    text = "".join(c for c, _ in hay)
    # Try the sentence's start first; a sentence continued from the previous page starts later.
    for offset in range(0, len(needle) - _MIN_MARK + 1, _MIN_MARK):
        probe = "".join(needle[offset : offset + _MIN_MARK])
        at = text.find(probe)
        while at != -1:
            end = _extend(text, at, needle, offset)
            if end - at >= min(len(needle) - offset, 2 * _MIN_MARK):
                return hay[at][1], hay[end - 1][1]
            at = text.find(probe, at + 1)
    return None


def _extend(text: str, at: int, needle: list[str], offset: int) -> int:
    """The end (exclusive) in `text` of the match of `needle[offset:]` starting at `at`."""
    i, k, end = at, offset, at
    while i < len(text) and k < len(needle):
        if text[i] == needle[k]:
            i, k, end = i + 1, k + 1, i + 1
        elif text[i].isdigit() and not needle[k].isdigit():
            i += 1  # a footnote number in the PDF that the cleaned text writes as [n]
        else:
            break
    return end  # never ends on a skipped digit (the footnote's own number below)


def _line_boxes(boxes: list[Box]) -> list[Box]:
    """Character boxes merged into one box per line (a new line starts lower or further left)."""
    lines: list[Box] = []
    for b in boxes:
        if lines:
            cur = lines[-1]
            height = max(cur.top - cur.bottom, 1.0)
            same_line = abs(b.bottom - cur.bottom) < height / 2 and b.left >= cur.left - 1
            if same_line:
                lines[-1] = Box(
                    min(cur.left, b.left),
                    min(cur.bottom, b.bottom),
                    max(cur.right, b.right),
                    max(cur.top, b.top),
                )
                continue
        lines.append(b)
    return lines


def _page_text(textpage: object) -> str:
    import pypdfium2.raw as pdfium_c

    raw = textpage.raw  # type: ignore[attr-defined]
    n = textpage.count_chars()  # type: ignore[attr-defined]
    return "".join(chr(pdfium_c.FPDFText_GetUnicode(raw, i) or 32) for i in range(n))


def sentence_boxes(textpage: object, sentence: str) -> tuple[Box, ...]:
    """The line boxes of `sentence` on a pypdfium2 text page; () when it is not there."""
    text = _page_text(textpage)
    run = find_run(text, sentence)
    if run is None:
        return ()
    last = run[1]
    # The closing full stop is part of it, after a footnote number glued to the word too.
    after = last + 1
    while after < len(text) and text[after].isdigit():
        after += 1
    while after < len(text) and text[after] in _CLOSING:
        last = after
        after += 1
    chars = []
    for i in range(run[0], last + 1):
        left, bottom, right, top = textpage.get_charbox(i)  # type: ignore[attr-defined]
        if right > left and top > bottom:  # generated spaces and line ends have no box
            chars.append(Box(left, bottom, right, top))
    return tuple(_line_boxes(chars))


def render_pdf_page(path: Path, page: int, sentence: str = "", scale: float = 1.5) -> PageImage:
    """PDF page `page` (1-based, clamped to the document) as PNG with `sentence` marked.

    When the sentence is not on `page` but starts on the next one (a passage's page is the page
    it starts on), that page is shown.
    """
    import pypdfium2 as pdfium
    from PIL import Image, ImageDraw

    pdf = pdfium.PdfDocument(str(path))
    try:
        count = len(pdf)
        number = min(max(page, 1), count)
        boxes: tuple[Box, ...] = ()
        if sentence:
            for candidate in (number, number + 1):
                if candidate > count:
                    break
                boxes = sentence_boxes(pdf[candidate - 1].get_textpage(), sentence)
                if boxes:
                    number = candidate
                    break
        pg = pdf[number - 1]
        height = pg.get_height()
        image = pg.render(scale=scale).to_pil().convert("RGBA")
    finally:
        pdf.close()
    shown = PageImage(b"", number, count, boxes, scale, height)
    if boxes:
        overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
        draw = ImageDraw.Draw(overlay)
        for b in boxes:
            x0, y0, x1, y1 = shown.pixels(b)
            draw.rectangle((x0 - 2, y0 - 2, x1 + 2, y1 + 2), fill=HIGHLIGHT, outline=OUTLINE)
        image = Image.alpha_composite(image, overlay)
    out = io.BytesIO()
    image.convert("RGB").save(out, format="PNG")
    return PageImage(out.getvalue(), number, count, boxes, scale, height)


def page_span(spans: list[tuple[int, int, int]], page: int | None, length: int) -> tuple[int, int]:
    """(start, end) in the cleaned text of `page`, from sentences' (start, end, page); the whole
    text when the format has no pages or the page is unknown.

    >>> page_span([(0, 9, 1), (10, 20, 1), (21, 30, 2)], 1, 30)
    (0, 20)
    >>> page_span([(0, 9, 1)], None, 30)
    (0, 30)
    """
    on_page = [(a, b) for a, b, p in spans if p == page] if page else []
    if not on_page:
        return 0, length
    return min(a for a, _ in on_page), max(b for _, b in on_page)


def sentence_pages(store: Store, doc_id: str) -> list[tuple[int, int, int]]:
    """Every sentence of a stored report as (start, end, page), offsets in its cleaned text."""
    chunks = store.chunks_of_documents([doc_id])
    stored = store.get_sentences([c.id for c in chunks])
    out = []
    for c in chunks:
        if c.id in stored:
            out.extend((c.char_start + a, c.char_start + b, p) for a, b, p in stored[c.id].spans)
    return sorted(out)


def page_markdown(store: Store, doc_id: str, page: int | None, sentence: str) -> str:
    """The cleaned text of `page` of a stored report as safe Markdown, `sentence` highlighted;
    "" when the report is no longer stored."""
    got = store.get_document(doc_id)
    if got is None:
        return ""
    text = got[1]
    start, end = page_span(sentence_pages(store, doc_id), page, len(text))
    return highlight(text[start:end], sentence)


def download_name(record: DocumentRecord) -> str:
    """The name the original downloads under: the name it was ingested under."""
    return Path(record.file).name or f"{record.doc_id}.{record.file_type.lower()}"
