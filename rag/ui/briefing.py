"""A conversation as a Markdown briefing note: each question and answer, one numbered source list.

Every answer numbers its own sources from [1]; a note with several answers renumbers them into
one list (the same passage cited twice keeps one number) and rewrites the answers' markers to
match. Report text in the note has its markup characters escaped (`rag.render.NOTE_CHARS`): the note
renders safely in any Markdown viewer and stays readable raw; answers keep bullets and headings.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from rag.core.models import CITATION_MARKER, Answer, Citation
from rag.ui.render import NOTE_CHARS, answer_markdown, escape_md
from rag.ui.text import t


@dataclass(frozen=True)
class Exchange:
    """One question of the conversation with its answer and the filters it was asked under."""

    question: str
    answer: Answer
    filters: str = ""  # Filters.describe() at the time of asking, "" without filters


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
    when = (now or datetime.now()).strftime("%Y-%m-%d %H:%M")
    lines = [f"# {t(lang, 'briefing_title')}", "", f"_{t(lang, 'briefing_generated', when=when)}_"]
    numbers: dict[tuple[str, int, int, str], int] = {}
    sources: list[Citation] = []
    for i, ex in enumerate(exchanges, 1):
        ans = ex.answer
        local: dict[int, int] = {}
        for c in ans.citations:
            key = (c.doc_id, c.char_start, c.char_end, c.text)
            if key not in numbers:
                numbers[key] = len(numbers) + 1
                sources.append(c)
            local[c.n] = numbers[key]
        lines += ["", f"## {i}. {_esc(ex.question)}", ""]
        if ans.standalone_question and ans.standalone_question != ex.question:
            lines += [f"_{t(lang, 'briefing_interpreted')}: {_esc(ans.standalone_question)}_", ""]
        if ex.filters:
            lines += [f"_{t(lang, 'briefing_filters')}: {_esc(ex.filters)}_", ""]
        if ans.abstained:
            lines += [f"**{t(lang, 'briefing_no_answer')}**", ""]
        text = CITATION_MARKER.sub(partial(_renumber, local=local), ans.answer)
        lines += [answer_markdown(text, NOTE_CHARS)]
    if sources:
        lines += ["", f"## {t(lang, 'briefing_sources')}", ""]
        for n, c in enumerate(sources, 1):
            quote = _esc(" ".join(c.text.split()))
            lines += [_source_line(n, c, lang), "", f"> {quote}", ""]
    return "\n".join(lines).rstrip() + "\n"


def _renumber(m: re.Match[str], local: dict[int, int]) -> str:
    n = int(m.group(1))
    return f"[{local[n]}]" if n in local else m.group(0)


def _source_line(n: int, c: Citation, lang: str) -> str:
    where = [
        c.formation,
        c.meeting_date,
        c.section,
        f"{t(lang, 'page')} {c.page}" if c.page else "",
    ]
    detail = " · ".join(x for x in where if x)
    title = _esc(c.title or c.file)
    return f"[{n}] **{title}** — {_esc(detail)}" if detail else f"[{n}] **{title}**"


def _esc(text: str) -> str:
    return escape_md(text, NOTE_CHARS)


def briefing_filename(now: datetime | None = None) -> str:
    """'briefing-20240102-0304.md'."""
    return f"briefing-{(now or datetime.now()).strftime('%Y%m%d-%H%M')}.md"
