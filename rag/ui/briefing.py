"""A conversation as a briefing note the user curates: the kept answers, one numbered source list.

The user ticks the answers to keep; the note holds only those. Every answer numbers its own
sources from [1]; the note renumbers them into one list over only what the kept answers actually
cite (an answer lists more sources than its text cites; those stay out), gives the same passage
one number however often it is cited (the same text twice is one source), and rewrites the
answers' markers to match. Labels come from `rag.ui.text` in one language. Written as Markdown or
DOCX by `rag.ui.note`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from rag.core.models import CITATION_MARKER, Answer, Citation
from rag.ui.note import Block, Note, note_docx, note_markdown
from rag.ui.text import t


@dataclass(frozen=True)
class Exchange:
    """One question of the conversation with its answer and the filters it was asked under."""

    question: str
    answer: Answer
    filters: str = ""  # Filters.describe() at the time of asking, "" without filters


def conversation_note(
    exchanges: Sequence[Exchange], lang: str = "nl", now: datetime | None = None
) -> Note:
    """The note of the given (kept) exchanges, with the sources their answers cite."""
    when = (now or datetime.now()).strftime("%Y-%m-%d %H:%M")
    numbers: dict[str, int] = {}
    sources: list[Citation] = []
    blocks: list[Block] = []
    for i, ex in enumerate(exchanges, 1):
        ans = ex.answer
        cited = {int(n) for n in CITATION_MARKER.findall(ans.answer)}
        local: dict[int, int] = {}
        for c in ans.citations:
            if c.n not in cited:
                continue
            key = " ".join(c.text.split())
            if key not in numbers:
                numbers[key] = len(numbers) + 1
                sources.append(c)
            local[c.n] = numbers[key]
        blocks.append(Block("h2", f"{i}. {ex.question}"))
        if ans.standalone_question and ans.standalone_question != ex.question:
            blocks.append(
                Block("note", f"{t(lang, 'briefing_interpreted')}: {ans.standalone_question}")
            )
        if ex.filters:
            blocks.append(Block("note", f"{t(lang, 'briefing_filters')}: {ex.filters}"))
        if ans.abstained:
            blocks.append(Block("label", t(lang, "briefing_no_answer")))
        text = CITATION_MARKER.sub(partial(_renumber, local=local), ans.answer)
        blocks.append(Block("answer", text))
    return Note(
        title=t(lang, "briefing_title"),
        generated=t(lang, "briefing_generated", when=when),
        blocks=tuple(blocks),
        sources=tuple(sources),
        lang=lang,
    )


def briefing_markdown(
    exchanges: Sequence[Exchange], lang: str = "nl", now: datetime | None = None
) -> str:
    """The note as Markdown text.

    >>> from rag.core.models import Answer
    >>> a = Answer("Q?", "- zin [1]", False, ())
    >>> print(briefing_markdown([Exchange("Q?", a)], "en", datetime(2024, 1, 2, 3, 4)))
    ... # doctest: +NORMALIZE_WHITESPACE
    # Briefing note
    <BLANKLINE>
    _Generated on 2024-01-02 03:04 with the Council reports assistant._
    <BLANKLINE>
    ## 1. Q?
    <BLANKLINE>
    - zin [1]
    """
    return note_markdown(conversation_note(exchanges, lang, now))


def briefing_docx(
    exchanges: Sequence[Exchange], lang: str = "nl", now: datetime | None = None
) -> bytes:
    """The note as a Word document."""
    return note_docx(conversation_note(exchanges, lang, now))


def _renumber(m: re.Match[str], local: dict[int, int]) -> str:
    n = int(m.group(1))
    return f"[{local[n]}]" if n in local else m.group(0)


def briefing_filename(now: datetime | None = None, ext: str = "md") -> str:
    """'briefing-20240102-0304.md'."""
    return f"briefing-{(now or datetime.now()).strftime('%Y%m%d-%H%M')}.{ext}"
