"""Turns raw pages into clean, quotable text with a page map.

Owns the document-level clean-up between parsing and chunking: dropping running headers, footers,
page numbers and printer boilerplate; lifting footnotes out of the sentence a page break cut in two;
re-flowing wrapped lines into paragraphs; re-joining hyphenated words; and keeping, for every
character of the result, the page it came from (`CleanDocument.page_spans`).

Output format: one paragraph per line, paragraphs separated by one blank line; list items are
paragraphs starting "- "; a footnote is its own paragraph "[N] text", placed after the paragraph in
which its page ended, and its reference in the text becomes "word[N]".

Shortcuts on purpose: re-flow is decided from line lengths against an estimated wrap width, so a
text without a consistent right margin (OCR pages, HTML, DOCX) keeps every line as a paragraph; a
footnote is only recognised at a page bottom and only when its number is also glued to a word
("Europol1.") somewhere in the text.
"""

from __future__ import annotations

import bisect
import difflib
import math
import re
from dataclasses import dataclass, field

from ingest import cleanrules as rules
from ingest.budget import check_budget
from ingest.parse import RawDocument

EDGE_LINES = 3  # running headers/footers sit in the first or last 3 lines of a page
# A line was wrapped when it plus the next word's visual width reaches 97% of the right margin:
# on jbz-2020 and fpdf2 output wrapped lines measure >= 0.986, headings <= 0.947.
FULL_LINE = 0.97
MAX_FOOTNOTE_LINES = 4  # a footnote line plus up to three continuation lines
_NUMBERED_HEADING = re.compile(r"^(?:\d{1,2}|[IVX]{1,4})\.\s+[^\W\d_]")  # "2. Diversen", "I. Asiel"
_FOOTNOTE = re.compile(r"^(\d{1,3}) +(\S.*)$")


@dataclass(frozen=True)
class CleanDocument:
    text: str
    page_spans: tuple[tuple[int, int, int], ...]  # (start, end, page) covering text, in order

    def pages_for(self, start: int, end: int) -> tuple[int, ...]:
        """Sorted distinct pages overlapping text[start:end] (the page at `start` if empty).

        >>> CleanDocument("ab\\n\\ncd", ((0, 4, 1), (4, 6, 2))).pages_for(1, 5)
        (1, 2)
        """
        if not self.page_spans:
            return ()
        end = max(end, start + 1)
        # Spans are sorted: bisect to the first one that can overlap (chunkers call this a lot).
        i = max(bisect.bisect_right(self.page_spans, (start, math.inf, math.inf)) - 1, 0)
        pages = set()
        for s, e, page in self.page_spans[i:]:
            if s >= end:
                break
            if e > start:
                pages.add(page)
        return tuple(sorted(pages))


@dataclass
class _Line:
    text: str
    page: int
    soft_wrap: bool = False  # the raw line ended in a space: pdftotext's mark of a wrapped line
    bullet: bool = False
    heading: bool = False
    footnotes: list[_Footnote] = field(default_factory=list)  # footnotes at this page's bottom


@dataclass
class _Footnote:
    number: str
    lines: list[str]
    page: int


Piece = tuple[str, int]  # a run of output text and the page it came from


def clean(raw: RawDocument) -> CleanDocument:
    """Clean a parsed document; see the module docstring for the output format.

    Example: `clean(parse_file(path)).text.split("\\n\\n")[0]` is the report's first paragraph.
    """
    pages = []
    for p in raw.pages:
        check_budget("clean-up")
        pages.append(_page_lines(p.text, p.number))
    raw_markers = _footnote_markers([ln.text for page in pages for ln in page if ln is not None])
    pages = _drop_furniture(pages, raw_markers, raw.format)
    all_lines = [ln.text for page in pages for ln in page if ln is not None]
    markers = _footnote_markers(all_lines)
    for page in pages:
        _lift_footnotes(page, markers)
    body = [ln for page in pages for ln in page if ln is not None]
    width = _wrap_width([ln.text for ln in body if not ln.bullet], raw.format)
    plain, compound = rules.vocabulary(all_lines)
    paragraphs = _paragraphs(pages, width)
    out: list[list[Piece]] = []
    for lines, footnotes in paragraphs:
        check_budget("clean-up")
        out.append(_join_lines(lines, plain, compound))
        for note in footnotes:
            # The note follows the paragraph that cites it (not the one its page ended in), so
            # it stays with the citing sentence; it keeps the page it is printed on.
            cited = _mark_reference(out, note.number)
            at = len(out) if cited is None else cited + 1
            while at < len(out) and _is_footnote(out[at]):
                at += 1
            out.insert(at, _footnote_piece(note, plain, compound))
    return _assemble(out)


def _is_footnote(pieces: list[Piece]) -> bool:
    return bool(re.fullmatch(r"\[\d+\] ", pieces[0][0]))


# --- lines and page furniture ---------------------------------------------------------------------


def _page_lines(text: str, page: int) -> list[_Line | None]:
    """A page's lines, normalised; None stands for a blank line."""
    raw_lines = text.split("\n")
    lines: list[_Line | None] = []
    carry = ""
    for raw in raw_lines:
        text_ = rules.normalise_line(raw)
        if not text_:
            lines.append(None)
            continue
        # OCR splits "'s-Gravenhage" into a lone "'" and "s-Gravenhage": put it back together.
        if text_ in ("'", "’"):
            carry = text_
            continue
        line = _Line(carry + text_, page, soft_wrap=raw[-1:].isspace())
        carry = ""
        if (item := rules.bullet_text(line.text)) is not None:
            line.text, line.bullet = item, True
        elif (title := rules.heading_text(line.text)) is not None:
            line.text, line.heading = title, True
        lines.append(line)
    return lines


def _drop_furniture(
    pages: list[list[_Line | None]], markers: set[str], fmt: str = "pdf"
) -> list[list[_Line | None]]:
    """Remove running headers/footers, page numbers, printer boilerplate and OCR garbage.

    A line at a page edge (first or last three lines) goes when it recurs on half of all pages.
    The odd/even rule is stricter, as it judges from fewer pages: it looks only at the very
    first and last line of a page, only in printed layouts (PDF, pdftotext text; a DOCX body
    holds no headers), and never at footnotes at a page bottom ("1 Uw Kamer zal ..." and its
    lines can repeat on two pages too).
    """
    edges = [_edge_indexes(page) for page in pages]
    everywhere, _ = _running_keys(
        [{furniture_key(page[i].text) for i in idx} for page, idx in zip(pages, edges)]  # type: ignore[union-attr]
    )
    outer = [_outer_indexes(page) - _footnote_block(page, markers) for page in pages]
    by_parity: set[str] = set()
    if fmt in ("pdf", "txt"):
        _, by_parity = _running_keys(
            [{furniture_key(page[i].text) for i in idx} for page, idx in zip(pages, outer)]  # type: ignore[union-attr]
        )
    cleaned = []
    for page, idx, ends in zip(pages, edges, outer, strict=True):
        kept: list[_Line | None] = []
        for i, line in enumerate(page):
            if line is not None:
                key = furniture_key(line.text)
                running = key in everywhere or (key in by_parity and i in ends)
                if i in idx and (running or rules.is_page_number(line.text)):
                    continue
                if rules.is_boilerplate(line.text) or (
                    rules.is_garbage(line.text) and not line.bullet
                ):
                    continue
            kept.append(line)
        cleaned.append(kept)
    return cleaned


def _outer_indexes(page: list[_Line | None]) -> set[int]:
    """The page's first and last line."""
    idx = [i for i, line in enumerate(page) if line is not None]
    return {idx[0], idx[-1]} if idx else set()


def _footnote_block(page: list[_Line | None], markers: set[str]) -> set[int]:
    """Indexes of the page's last lines from the first that starts a footnote ("2 Uw Kamer")."""
    idx = [i for i, line in enumerate(page) if line is not None]
    for k in idx[-EDGE_LINES:]:
        m = _FOOTNOTE.match(page[k].text)  # type: ignore[union-attr]
        if m and m.group(1) in markers:
            return {i for i in idx if i >= k}
    return set()


def furniture_key(text: str) -> str:
    """What stays of a header line from page to page: no digits at its ends (the page number,
    left on even pages and right on odd ones), digits inside as '#', case and spacing folded.

    >>> furniture_key("4 Tweede Kamer, vergaderjaar 2020–2021, 32 317, nr. 653")
    'tweede kamer, vergaderjaar #–#, # #, nr'
    >>> furniture_key("Pagina 3 van 7") == furniture_key("Pagina 4 van 7")
    True
    """
    key = re.sub(r"\d+", "#", " ".join(text.casefold().split()))
    return re.sub(r"^[#\W]+|[#\W]+$", "", key) or key


def _running_keys(edge_keys: list[set[str]]) -> tuple[set[str], set[str]]:
    """Edge-line keys that recur as running headers or footers: (on half of all pages, on half
    of the pages of one parity only).

    A header recurs on at least half of all pages, or, when odd and even pages carry different
    ones, on at least half of the pages of its parity (two at least either way). Keys count
    together when they are nearly the same line (difflib ratio >= 0.9: an OCR'd header varies
    by a character or two from page to page).
    """
    n = len(edge_keys)
    if n < 2:
        return set(), set()
    pages_with: dict[str, set[int]] = {}
    for page, keys in enumerate(edge_keys):
        for key in keys:
            pages_with.setdefault(key, set()).add(page)
    keys = sorted(pages_with, key=lambda k: -len(pages_with[k]))
    if len(keys) <= 600:  # similar keys: pairwise, bounded (6 edge lines x 100 pages)
        for i, a in enumerate(keys):
            matcher = difflib.SequenceMatcher(None, a, autojunk=False)
            for b in keys[i + 1 :]:
                if abs(len(a) - len(b)) > 0.1 * max(len(a), len(b), 1):
                    continue
                matcher.set_seq2(b)
                if matcher.quick_ratio() >= 0.9 and matcher.ratio() >= 0.9:
                    merged = pages_with[a] | pages_with[b]
                    pages_with[a] = pages_with[b] = merged
    half_all = max(2, math.ceil(n / 2))
    everywhere: set[str] = set()
    by_parity: set[str] = set()
    for key, on in pages_with.items():
        if len(on) >= half_all:
            everywhere.add(key)
            continue
        for parity in (0, 1):
            of_parity = [p for p in on if p % 2 == parity]
            total = len(range(parity, n, 2))
            if (
                len(of_parity) >= max(2, math.ceil(total / 2))
                and len(of_parity) == len(on)
                and len(key) <= 150  # a header, not a repeated sentence of the body
            ):
                by_parity.add(key)
    return everywhere, by_parity


def _edge_indexes(page: list[_Line | None]) -> set[int]:
    idx = [i for i, line in enumerate(page) if line is not None]
    return set(idx[:EDGE_LINES] + idx[-EDGE_LINES:])


# --- footnotes ------------------------------------------------------------------------------------


def _footnote_markers(lines: list[str]) -> set[str]:
    """Numbers glued to the end of a word ("Europol1.", "Becker3"): candidate footnote refs."""
    found: set[str] = set()
    for line in lines:
        found.update(re.findall(r"(?<=[^\W\d_])(\d{1,3})(?=[\s.,;:)\]]|$)", line))
    return found


def _lift_footnotes(page: list[_Line | None], markers: set[str]) -> None:
    """Move the footnote block at the bottom of a page onto the page's last body line."""
    idx = [i for i, line in enumerate(page) if line is not None]
    for start in range(max(1, len(idx) - 3 * MAX_FOOTNOTE_LINES), len(idx)):
        texts = [page[i].text for i in idx[start:]]  # type: ignore[union-attr]
        notes = _parse_footnotes(texts, markers)
        if notes:
            page_no = page[idx[0]].page  # type: ignore[union-attr]
            anchor = page[idx[start - 1]]
            assert anchor is not None
            anchor.footnotes.extend(_Footnote(n, ls, page_no) for n, ls in notes)
            for i in idx[start:]:
                page[i] = None
            return


def _parse_footnotes(lines: list[str], markers: set[str]) -> list[tuple[str, list[str]]] | None:
    """Split lines into footnotes ("N text" + continuation lines), or None if they are not that."""
    notes: list[tuple[str, list[str]]] = []
    for line in lines:
        m = _FOOTNOTE.match(line)
        if m and m.group(1) in markers:
            notes.append((m.group(1), [m.group(2)]))
            continue
        if not notes or len(notes[-1][1]) >= MAX_FOOTNOTE_LINES:
            return None
        # A continuation line carries on an unfinished sentence; anything else is body text.
        if rules.ends_sentence(notes[-1][1][-1]) and not rules.starts_lower(line):
            return None
        notes[-1][1].append(line)
    return notes or None


def _mark_reference(out: list[list[Piece]], number: str) -> int | None:
    """Turn the footnote's glued reference ("Europol1.") into "Europol[1]." in the nearest
    preceding paragraph that has it, and return that paragraph's index (None: not found);
    numbers that are not glued to a word are never touched."""
    pattern = re.compile(rf"(?<=[^\W\d_]){number}(?=[\s.,;:)\]]|$)")
    for index in range(len(out) - 1, max(len(out) - 31, -1), -1):
        pieces = out[index]
        if _is_footnote(pieces):
            continue  # another footnote
        for k in range(len(pieces) - 1, -1, -1):
            text, page = pieces[k]
            hits = list(pattern.finditer(text))
            if hits:
                m = hits[-1]
                pieces[k] = (f"{text[: m.start()]}[{number}]{text[m.end() :]}", page)
                return index
    return None


def _footnote_piece(note: _Footnote, plain: set[str], compound: set[str]) -> list[Piece]:
    lines = [_Line(text, note.page, soft_wrap=True) for text in note.lines]
    pieces = _join_lines(lines, plain, compound)
    return [(f"[{note.number}] ", note.page), *pieces]


# --- paragraphs -----------------------------------------------------------------------------------


def _wrap_width(lines: list[str], fmt: str) -> float | None:
    """The right margin as a visual width, or None when lines are not wrapped at a common width.

    A PDF's lines always wrap at its text box. A text file must show it: at least half of its
    lines (five at least) within ~15% of the widest, as pdftotext output does; OCR text with a
    paragraph per line (the sgd letters) has lengths from 1 to 2,000 characters and no such
    cluster.
    """
    if fmt not in ("pdf", "txt") or not lines:
        return None
    widths = sorted(rules.visual_width(t) for t in lines)
    width = widths[int(0.95 * (len(widths) - 1))]  # p95, not max: one long URL is no margin
    if fmt == "pdf":
        return width if len(widths) >= 20 else widths[-1]
    near = [w for w in widths if 0.75 * width <= w <= 1.1 * width]
    # About 200 characters: no printed page is that wide.
    if len(near) < 5 or len(near) < 0.5 * len(widths) or width > 200 * 0.53:
        return None
    return width


def _paragraphs(
    pages: list[list[_Line | None]], width: float | None
) -> list[tuple[list[_Line], list[_Footnote]]]:
    """Group lines into paragraphs, with the footnotes to emit after each paragraph."""
    paras: list[tuple[list[_Line], list[_Footnote]]] = []
    gap = "none"
    for page in pages:
        if paras:
            gap = "page"
        for line in page:
            if line is None:
                gap = "page" if gap == "page" else "blank"
                continue
            if paras and _continues(paras[-1][0][-1], line, gap, width):
                paras[-1][0].append(line)
            else:
                paras.append(([line], []))
            paras[-1][1].extend(line.footnotes)
            gap = "none"
    return paras


def _continues(prev: _Line, line: _Line, gap: str, width: float | None) -> bool:
    """Does `line` carry on the paragraph that `prev` ends?"""
    if line.bullet or line.heading or prev.heading:
        return False
    if width is None:
        # No right margin to judge by (DOCX, HTML, OCR): only a page break that falls inside a
        # sentence ("... zorgvuldig" / "moeten worden ...") carries the paragraph on.
        return (
            gap == "page" and not rules.ends_sentence(prev.text) and rules.starts_lower(line.text)
        )
    if gap == "blank":
        # A blank line inside a sentence (the corpus puts one inside some list items) is no break.
        return not rules.ends_sentence(prev.text) and rules.starts_lower(line.text)
    # Same block, or across a page break (blank lines around a page break mean nothing).
    if rules.ends_sentence(prev.text) and _NUMBERED_HEADING.match(line.text):
        return False  # "... rechten." / "2. Diversen": a new numbered item, even after a full line
    if re.search(r"[^\W\d_]-$", prev.text) or rules.starts_lower(line.text):
        return True
    # Wrapped: the next line's first word would not have fitted on this line.
    if rules.visual_width(f"{prev.text} {line.text.split(' ', 1)[0]}") >= FULL_LINE * width:
        return True
    if rules.ends_sentence(prev.text):
        return False
    # A short line without final punctuation: a heading, unless something says it was wrapped.
    return (
        prev.soft_wrap
        or rules.last_word(prev.text) in rules.FUNCTION_WORDS
        or rules.has_inner_sentence(prev.text)
    )


def _join_lines(lines: list[_Line], plain: set[str], compound: set[str]) -> list[Piece]:
    """One paragraph's lines as pieces, re-joining words split at line ends."""
    pieces: list[Piece] = []
    for line in lines:
        text = rules.fix_inline_hyphens(line.text, plain)
        if pieces:
            prev_text, prev_page = pieces[-1]
            if re.search(r"[^\W\d_]-$", prev_text):
                sep = rules.join_hyphenated(prev_text, text, plain, compound)
                pieces[-1] = (prev_text[:-1] + sep, prev_page)
            else:
                pieces[-1] = (prev_text + " ", prev_page)
        pieces.append((text, line.page))
    return pieces


def _assemble(paragraphs: list[list[Piece]]) -> CleanDocument:
    """Concatenate paragraphs with blank lines, recording which page every character came from."""
    parts: list[str] = []
    spans: list[tuple[int, int, int]] = []
    pos = 0
    for n, pieces in enumerate(paragraphs):
        for k, (text, page) in enumerate(pieces):
            if k == len(pieces) - 1 and n < len(paragraphs) - 1:
                text += "\n\n"  # the separator belongs to the page the paragraph ends on
            if not text:
                continue
            parts.append(text)
            if spans and spans[-1][2] == page and spans[-1][1] == pos:
                spans[-1] = (spans[-1][0], pos + len(text), page)
            else:
                spans.append((pos, pos + len(text), page))
            pos += len(text)
    return CleanDocument("".join(parts), tuple(spans))
