"""Sentence boundaries with character offsets, for Dutch (and English) report text.

Uses NLTK's Punkt model for Dutch, which ships inside llama-index-core (`_static/nltk_cache`), so it
works offline; we only add abbreviations common in Dutch parliamentary papers that the stock model
lacks ("m.b.t.", "c.s.", "d.d.", ...). Punkt gives spans, which the chunker and the highlighter need.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache

from rag.core.models import Chunk

# Abbreviations frequent in Kamerstukken that the stock Dutch Punkt model splits after.
_EXTRA_ABBREVIATIONS = (
    "m.b.t c.s d.d i.v.m t.a.v t.b.v i.p.v n.a.v o.b.v m.n z.g zgn e.a bijv vgl resp incl excl "
    "plv art ca vs i.h.k.v jo e.g i.e p.v.d.a v.s dhr mw hfdst blz nrs kamerstuk"
).split()

_SPACE_RUN = re.compile(r"\S")
_LOWER = re.compile(r"[a-zà-ÿ]")
# A span that ends in initials ("E.H.T.M.", "W.", "O.P.G.") or a Roman numeral before a heading
# ("I.") ends no sentence when a capital follows: it is a signature's or a member's name ("De
# Minister van Financiën, W. Kok") or a numbered heading. Punkt's Dutch model splits there, as
# it learnt initials only from running text.
_INITIALS_END = re.compile(r"(?:^|[\s,(])(?:[A-Z]\.\s?){1,6}$")
_UPPER = re.compile(r"[A-ZÀ-Þ]")
# Punkt runs its regexes over a whole paragraph, and NLTK's ReDoS guard stops any of them after
# 5 s: a 20 MB text without a blank line reached it. Paragraphs of reports stay under ~5,000
# characters, so longer ones are split into windows of this size first.
MAX_BLOCK_CHARS = 50_000


@lru_cache(maxsize=1)
def _tokenizer():  # type: ignore[no-untyped-def]
    import llama_index.core
    import nltk
    from nltk.tokenize.punkt import PunktTokenizer

    bundled = os.path.join(os.path.dirname(llama_index.core.__file__), "_static", "nltk_cache")
    if bundled not in nltk.data.path:
        nltk.data.path.append(bundled)
    tok = PunktTokenizer("dutch")
    tok._params.abbrev_types.update(_EXTRA_ABBREVIATIONS)
    return tok


def trim(text: str, a: int, b: int) -> tuple[int, int]:
    """The span `text[a:b]` without the white space around it (a stored sentence span may
    start at the line break before it).

    >>> trim("  Zin.\\n", 0, 7)
    (2, 6)
    """
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def one_line(text: str) -> str:
    """The text with every run of white space (line breaks too) as one space.

    >>> one_line(" Eerste\\nregel  tweede ")
    'Eerste regel tweede'
    """
    return " ".join(text.split())


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence (start, end) offsets of `text[start:end]`, relative to `text`.

    Paragraph breaks (blank lines) always end a sentence, so a heading never merges into the
    sentence that follows it.

    >>> sentence_spans("Eerste zin. Tweede zin.")
    [(0, 11), (12, 23)]

    No sentence starts in lower case, so an unknown abbreviation does not end one:

    >>> t = "Vertegenwoordigd door de p!v. ambassadeur bij de EG. De raad vergaderde."
    >>> [t[a:b] for a, b in sentence_spans(t)]
    ['Vertegenwoordigd door de p!v. ambassadeur bij de EG.', 'De raad vergaderde.']
    """
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    pos = start
    for block in re.split(r"(\n\s*\n)", text[start:end]):
        if block and not block.isspace():
            for w_start, window in _windows(block):
                for a, b in _tokenizer().span_tokenize(window):
                    a, b = pos + w_start + a, pos + w_start + b
                    if spans and spans[-1][1] > pos and _continues(text, spans[-1], a):
                        a = spans.pop()[0]
                    spans.append((a, b))
        pos += len(block)
    return spans


def _continues(text: str, previous: tuple[int, int], start: int) -> bool:
    """Whether the sentence Punkt starts at `start` continues the `previous` one.

    No sentence starts in lower case: the split was after an abbreviation Punkt does not know,
    or an OCR-garbled one ("door de p!v. ambassadeur"). Nor after initials before a name:

    >>> t = "De Minister van Financiën, W. Kok"
    >>> [t[a:b] for a, b in sentence_spans(t)]
    ['De Minister van Financiën, W. Kok']
    """
    if _LOWER.match(text, start):
        return True
    return bool(_UPPER.match(text, start) and _INITIALS_END.search(text[slice(*previous)]))


def _windows(block: str) -> list[tuple[int, str]]:
    """A paragraph in pieces of at most MAX_BLOCK_CHARS, cut after a sentence end when there is
    one in the last quarter of a piece, else at a space (no real paragraph is that long).

    >>> [len(w) for _, w in _windows("Een zin. " * 20_000)] == [49_995, 49_995, 49_995, 30_015]
    True
    """
    out: list[tuple[int, str]] = []
    pos = 0
    while len(block) - pos > MAX_BLOCK_CHARS:
        cut = pos + MAX_BLOCK_CHARS
        window = block[pos:cut]
        stop = max(window.rfind(". "), window.rfind("? "), window.rfind("! "))
        space = window.rfind(" ")
        end = pos + (
            stop + 2 if stop > 0.75 * MAX_BLOCK_CHARS else space + 1 if space > 0 else len(window)
        )
        out.append((pos, block[pos:end]))
        pos = end
    out.append((pos, block[pos:]))
    return out


def split_sentences(text: str) -> list[str]:
    """The sentences of `text` as strings (cached: retrieval splits the same chunks often).

    >>> split_sentences("Nederland steunde het. De Commissie niet.")
    ['Nederland steunde het.', 'De Commissie niet.']
    """
    return list(_split_cached(text))


@lru_cache(maxsize=8192)
def _split_cached(text: str) -> tuple[str, ...]:
    return tuple(text[a:b] for a, b in sentence_spans(text))


def chunk_sentences(chunk: Chunk) -> list[str]:
    """The sentences of a chunk, by the spans stored at ingest (split now only for chunks
    stored before spans were kept).

    >>> from rag.core.models import Chunk
    >>> chunk_sentences(Chunk("c", "d", "Eén. Twee.", "", (), 0, 10, 0, sentence_spans=((0, 4),)))
    ['Eén.']
    """
    if chunk.sentence_spans:
        return [chunk.text[a:b] for a, b in chunk.sentence_spans]
    return split_sentences(chunk.text)


def encode_spans(spans: tuple[tuple[int, int], ...] | list[tuple[int, int]]) -> str:
    """Spans as one metadata string (Chroma metadata holds no lists).

    >>> encode_spans([(0, 11), (12, 23)]), decode_spans("0-11,12-23")
    ('0-11,12-23', ((0, 11), (12, 23)))
    """
    return ",".join(f"{a}-{b}" for a, b in spans)


def decode_spans(raw: str) -> tuple[tuple[int, int], ...]:
    out = []
    for part in raw.split(","):
        if part:
            a, _, b = part.partition("-")
            out.append((int(a), int(b)))
    return tuple(out)
