"""A note an official can send on, written as Markdown or as a Word document (DOCX).

Both notes of the app, the meeting briefing (`rag.ui.meeting_note`) and the curated conversation
(`rag.ui.briefing`), are a `Note`: a title, a line saying when it was made, blocks (headings,
labels, paragraphs, bullets, an assistant's answer with its own bullets) whose text carries `[n]`
markers, and the numbered sources those markers point at. The two writers here turn one `Note`
into either format, so both notes look alike and a label is chosen once, in `rag.ui.text`.

Markdown escapes report text (`NOTE_CHARS`: the note stays readable raw and renders safely);
DOCX needs no escaping, only the control characters XML cannot hold removed. The DOCX has real
headings (Title, Heading 1, Heading 2), bullets ("List Bullet") and the sources as a table:
number, report, meeting, agenda item, page, and the passage verbatim.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from rag.core.models import Citation
from rag.core.terminal import printable
from rag.ui.render import NOTE_CHARS, answer_markdown, escape_md
from rag.ui.text import t

BlockKind = Literal["h2", "h3", "label", "text", "bullet", "note", "answer"]
_BOLD_LINE = re.compile(r"^\*\*(?P<inner>.+)\*\*$")
_BULLET = re.compile(r"^\s*[-*] (?P<rest>.*)$")
_NUMBERED = re.compile(r"^\s*\d{1,3}\. (?P<rest>.*)$")


@dataclass(frozen=True)
class Block:
    """One piece of a note. `text` is plain text with `[n]` markers; "answer" is an assistant's
    answer, whose `**heading**` and `- bullet` lines keep their meaning."""

    kind: BlockKind
    text: str


@dataclass(frozen=True)
class Note:
    """What either writer needs; `sources[i]` is marker [i + 1]."""

    title: str
    generated: str
    blocks: tuple[Block, ...]
    sources: tuple[Citation, ...]
    lang: str


# -- Markdown ----------------------------------------------------------------------------------
def note_markdown(note: Note, chars: frozenset[str] = NOTE_CHARS) -> str:
    """The note as Markdown; `chars` are escaped in report text (NOTE_CHARS for a file; the app
    shows it with every punctuation character escaped, `rag.ui.render.escape_md`'s default).

    >>> n = Note("Note", "Made today.", (Block("h2", "1. Q?"), Block("bullet", "a [1]")), (), "en")
    >>> print(note_markdown(n))
    # Note
    <BLANKLINE>
    _Made today._
    <BLANKLINE>
    ## 1. Q?
    <BLANKLINE>
    - a [1]
    <BLANKLINE>
    """

    def esc(text: str) -> str:
        return escape_md(text, chars)

    lines = [f"# {esc(note.title)}", "", f"_{esc(note.generated)}_", ""]
    for i, block in enumerate(note.blocks):
        text = block.text
        if block.kind == "h2":
            lines += ["", f"## {esc(text)}", ""]
        elif block.kind == "h3":
            lines += ["", f"### {esc(text)}", ""]
        elif block.kind == "label":
            lines += [f"**{esc(text)}**", ""]
        elif block.kind == "note":
            lines += [f"_{esc(text)}_", ""]
        elif block.kind == "bullet":
            lines.append(answer_markdown(f"- {text}", chars))
            if i + 1 == len(note.blocks) or note.blocks[i + 1].kind != "bullet":
                lines.append("")
        else:  # "text" and "answer": an answer's own bullets and bold lines stay
            lines += [answer_markdown(text, chars), ""]
    if note.sources:
        lines += ["", f"## {t(note.lang, 'briefing_sources')}", ""]
        for n, c in enumerate(note.sources, 1):
            quote = esc(" ".join(c.text.split()))
            lines += [_source_line(n, c, note.lang, esc), "", f"> {quote}", ""]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def _source_line(n: int, c: Citation, lang: str, esc: Callable[[str], str]) -> str:
    detail = " · ".join(x for x in (_meeting(c), c.section, _page(c, lang)) if x)
    title = esc(c.title or c.file)
    return f"[{n}] **{title}** — {esc(detail)}" if detail else f"[{n}] **{title}**"


def _meeting(c: Citation) -> str:
    return " · ".join(x for x in (c.formation, c.meeting_date) if x)


def _page(c: Citation, lang: str) -> str:
    return f"{t(lang, 'page')} {c.page}" if c.page else ""


# -- DOCX --------------------------------------------------------------------------------------
def note_docx(note: Note) -> bytes:
    """The note as a Word document (python-docx), with headings, bullets and a source table."""
    from docx import Document  # python-docx: only the DOCX export needs it

    doc = Document()
    doc.core_properties.title = _x(note.title)
    doc.add_heading(_x(note.title), level=0)
    doc.add_paragraph().add_run(_x(note.generated)).italic = True
    for block in note.blocks:
        text = _x(block.text)
        if block.kind == "h2":
            doc.add_heading(text, level=1)
        elif block.kind == "h3":
            doc.add_heading(text, level=2)
        elif block.kind == "label":
            doc.add_paragraph().add_run(text).bold = True
        elif block.kind == "note":
            doc.add_paragraph().add_run(text).italic = True
        elif block.kind == "bullet":
            doc.add_paragraph(text, style="List Bullet")
        elif block.kind == "answer":
            _answer(doc, text)
        else:
            doc.add_paragraph(text)
    if note.sources:
        doc.add_heading(t(note.lang, "briefing_sources"), level=1)
        _source_table(doc, note.sources, note.lang)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _answer(doc, text: str) -> None:  # type: ignore[no-untyped-def]
    """An answer's lines: `**heading**` bold, `- x` bullets, `1. x` numbered, the rest text."""
    for line in text.split("\n"):
        if not line.strip():
            continue
        if m := _BOLD_LINE.match(line):
            doc.add_paragraph().add_run(m["inner"]).bold = True
        elif m := _BULLET.match(line):
            doc.add_paragraph(m["rest"], style="List Bullet")
        elif m := _NUMBERED.match(line):
            doc.add_paragraph(m["rest"], style="List Number")
        else:
            doc.add_paragraph(line)


SOURCE_COLUMNS = ("src_n", "src_report", "src_meeting", "src_item", "src_page", "src_passage")


def _source_table(doc, sources: Sequence[Citation], lang: str) -> None:  # type: ignore[no-untyped-def]
    table = doc.add_table(rows=1, cols=len(SOURCE_COLUMNS))
    table.style = "Table Grid"
    for cell, key in zip(table.rows[0].cells, SOURCE_COLUMNS):
        cell.text = ""
        cell.paragraphs[0].add_run(t(lang, key)).bold = True
    for n, c in enumerate(sources, 1):
        values = (
            f"[{n}]",
            c.title or c.file,
            _meeting(c),
            c.section,
            str(c.page) if c.page else "",
            " ".join(c.text.split()),
        )
        for cell, value in zip(table.add_row().cells, values):
            cell.text = _x(value)


def _x(text: str) -> str:
    """Text XML can hold: no control characters or terminal escape sequences."""
    return printable(text)
