"""Finds the page breaks in plain text that was extracted from a PDF without form feeds.

Some extractors (pdftotext-style, as in the corpus file jbz-2020) drop the form feed between pages
but leave a trace: the first line of a new page starts with one space. The same trace marks a list
item whose bullet glyph (U+F0B7) was lost. This module tells the two apart and owns nothing else.
Shortcut on purpose: it trusts only this one trace; text without it stays one page.
"""

from __future__ import annotations

import re

BULLET_MARK = "\uf0b7"  # the Symbol-font bullet that the extractor lost; clean() turns it into "- "
SENTENCE_END = ".:;!?"
_FOOTNOTE_START = re.compile(r"^(\d{1,2}) \S")  # "1 Uw Kamer zal ..." at a page bottom
_LEADING_SPACE = re.compile(r"^ \S")  # exactly one leading space


def split_txt_pages(text: str) -> list[str]:
    """Split extracted text into pages at lines that start with a single space.

    A single-space line starts a new page when the text above it is a footnote block (the bottom of
    the previous page) or ends mid-sentence (the page break cut a sentence); otherwise it is a
    bullet item and gets BULLET_MARK in front.

    >>> split_txt_pages("Eind van de zin.\\n\\n1 Voetnoot.\\n Volgende pagina")
    ['Eind van de zin.\\n\\n1 Voetnoot.', 'Volgende pagina']
    """
    lines = text.split("\n")
    if not any(_LEADING_SPACE.match(line) for line in lines):
        return [text]
    pages: list[list[str]] = [[]]
    for i, line in enumerate(lines):
        if _LEADING_SPACE.match(line):
            prev = _previous_nonblank(lines, i)
            if prev is None:
                pages[-1].append(line[1:])
            elif _ends_footnote_block(lines, prev) or not _ends_sentence(lines[prev]):
                pages.append([line[1:]])
            else:
                pages[-1].append(BULLET_MARK + " " + line[1:])
        else:
            pages[-1].append(line)
    return ["\n".join(p) for p in pages]


def _previous_nonblank(lines: list[str], i: int) -> int | None:
    for j in range(i - 1, -1, -1):
        if lines[j].strip():
            return j
    return None


def _ends_sentence(line: str) -> bool:
    return line.rstrip()[-1:] in tuple(SENTENCE_END)


def _ends_footnote_block(lines: list[str], j: int) -> bool:
    """Line j is a footnote ("N text") or the one line continuing it."""
    if _FOOTNOTE_START.match(lines[j]):
        return True
    before = _previous_nonblank(lines, j)
    # A continuation line directly follows its footnote (no blank line between them).
    return before == j - 1 and before is not None and bool(_FOOTNOTE_START.match(lines[before]))
