"""Chunking that follows the report's structure.

A chunk never crosses a section (agenda item) boundary, starts and ends on sentence boundaries,
and is sized in tiktoken cl100k tokens (loaded offline from the cache llama-index ships). Its text
is exactly `clean_text[char_start:char_end]`, so a citation can be highlighted in the report.

Written by hand because llama-index's `SentenceSplitter` neither keeps character offsets into the
source text nor knows about agenda items or pages; it is used for the stock baseline instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from ingest.budget import check_budget
from rag.core.models import Chunk, ReportMeta, chunk_id
from rag.core.sentences import sentence_spans

#: Default target size, chosen by measurement (see README, "Chunk size").
DEFAULT_CHUNK_TOKENS = 200


@lru_cache(maxsize=1)
def token_counter() -> Callable[[str], int]:
    """Counts cl100k tokens; `get_tokenizer` points tiktoken at llama-index's bundled cache."""
    from llama_index.core.utils import get_tokenizer

    encode = get_tokenizer()
    return lambda text: len(encode(text))


_FOOTNOTE_START = re.compile(r"\[\d{1,3}\] ")


@dataclass(frozen=True)
class SectionSpan:
    """What the chunker needs of a section: its title and the body's character range."""

    title: str
    start: int  # start of the body (after the heading line)
    end: int


def chunk_document(
    text: str,
    sections: Sequence[SectionSpan],
    pages_for: Callable[[int, int], tuple[int, ...]],
    doc_id: str,
    meta: ReportMeta,
    file: str,
    target_tokens: int = DEFAULT_CHUNK_TOKENS,
) -> list[Chunk]:
    """Split each section's body into sentence-aligned chunks of about `target_tokens`."""
    count = token_counter()
    chunks: list[Chunk] = []
    for section in sections:
        for start, end in _pack(text, section.start, section.end, target_tokens, count):
            body = text[start:end]
            index = len(chunks)
            chunks.append(
                Chunk(
                    id=chunk_id(doc_id, index, body),
                    doc_id=doc_id,
                    text=body,
                    section=section.title,
                    pages=pages_for(start, end),
                    char_start=start,
                    char_end=end,
                    index=index,
                    meta=meta,
                    file=file,
                )
            )
    return chunks


def _pack(
    text: str, start: int, end: int, target: int, count: Callable[[str], int]
) -> list[tuple[int, int]]:
    """Greedy packing of sentences into spans of at most ~target tokens.

    A sentence longer than 1.5x the target (OCR run-ons, member lists) is cut at word
    boundaries; a small remainder is merged into the previous span when it fits.
    """
    pieces: list[tuple[int, int, int]] = []  # (start, end, tokens)
    for a, b in sentence_spans(text, start, end):
        check_budget("chunking")
        n = count(text[a:b])
        if n > target * 1.5:
            pieces.extend(_split_long(text, a, b, target, count))
        else:
            pieces.append((a, b, n))
    spans: list[list[int]] = []  # [start, end, tokens]
    for a, b, n in pieces:
        # A footnote ("[1] Kamerstuk ...") stays with the sentence that cites it.
        if spans and (spans[-1][2] + n <= target or _FOOTNOTE_START.match(text, a)):
            spans[-1][1] = b
            spans[-1][2] += n
        else:
            spans.append([a, b, n])
    if (
        len(spans) >= 2
        and spans[-1][2] < target * 0.3
        and spans[-2][2] + spans[-1][2] <= target * 1.5
    ):
        last = spans.pop()
        spans[-1][1], spans[-1][2] = last[1], spans[-1][2] + last[2]
    return [(a, b) for a, b, _ in spans]


def _split_long(
    text: str, a: int, b: int, target: int, count: Callable[[str], int]
) -> list[tuple[int, int, int]]:
    words = [m.span() for m in re.finditer(r"\S+", text[a:b])]
    out: list[tuple[int, int, int]] = []
    i = 0
    while i < len(words):
        check_budget("chunking")
        j = i
        n = 0
        while j < len(words):
            w = count(text[a + words[j][0] : a + words[j][1]]) + 1
            if n + w > target and j > i:
                break
            n += w
            j += 1
        out.append((a + words[i][0], a + words[j - 1][1], n))
        i = j
    return out
