"""Safe Markdown for the app: escaping, the cited sentence highlighted, and the sources' views.

Everything the app shows from a report, a file name or a question goes through `escape_md`, which
backslash-escapes every ASCII punctuation character (CommonMark allows escaping any of them, and
an escaped character renders as itself). So no link, image, HTML tag, LaTeX (`$`) or Streamlit
directive (`:red[...]`) can form from that text. Only the markup this module adds itself is live:
the answer's bullets and bold group headings, and `:orange-background[...]` around a cited
sentence. Nothing here imports Streamlit, so it is tested without a browser.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from rag.core.models import Answer, Citation, DocumentRecord
from rag.core.store import Store
from rag.core.terminal import printable

_PUNCT = frozenset(string.punctuation)
# For a Markdown file people also read raw (the briefing note): only what can start markup that
# links, embeds or hides text; CommonMark renders an escaped character as itself either way.
NOTE_CHARS = frozenset("\\`*_[]<>#")
_MARKERS = re.compile(r"\[\d{1,3}\]")
_BOLD_LINE = re.compile(r"^\*\*(?P<inner>.+)\*\*$")
_BULLET = re.compile(r"^(?P<indent>\s*)[-*] (?P<rest>.*)$")
_NUMBERED = re.compile(r"^(?P<indent>\s*)(?P<num>\d{1,3})\. (?P<rest>.*)$")


def escape_md(text: str, chars: frozenset[str] = _PUNCT) -> str:
    """Text that Streamlit's Markdown shows literally (`chars`: which characters to escape);
    control characters and terminal escape sequences are dropped (`rag.core.terminal`).

    >>> escape_md("[x](javascript:alert(1)) <b>")
    '\\\\[x\\\\]\\\\(javascript\\\\:alert\\\\(1\\\\)\\\\) \\\\<b\\\\>'
    """
    return "".join("\\" + ch if ch in chars else ch for ch in _unlinkable(printable(text)))


# GitHub-flavoured Markdown turns bare URLs and e-mail addresses into links after parsing, so
# backslash escapes cannot stop it (mdast-util-gfm-autolink-literal matches `https?://`, `www.`
# and `x@y.z` in the text). A WORD JOINER (U+2060, invisible, no line break) inside each trigger
# keeps the text as it reads and leaves nothing to match.
_AUTOLINK = re.compile(r"(?i)(?<=\bwww)(?=\.)|(?<=:)(?=//)|(?=@)")


def _unlinkable(text: str) -> str:
    """`text` with a word joiner where a bare URL or e-mail address would become a link.

    >>> _unlinkable("https://x.nl www.x.nl a@x.nl").replace("\u2060", "|")
    'https:|//x.nl www|.x.nl a|@x.nl'
    """
    return _AUTOLINK.sub("\u2060", text)


def _escape_block(text: str) -> str:
    """Escaped text keeping its paragraphs; single line breaks become spaces."""
    paragraphs = re.split(r"\n\s*\n", text.replace("\f", "\n\n"))
    return "\n\n".join(escape_md(" ".join(p.split())) for p in paragraphs if p.strip())


def answer_markdown(text: str, chars: frozenset[str] = _PUNCT) -> str:
    """An answer as safe Markdown: its own bullets, bold headings and `[n]` markers stay.

    The extractive answer is built of a lead line, `**meeting — agenda item**` headings and
    `- sentence [n]` bullets; the sentences are report text, so they are escaped. A bare `[n]`
    renders as itself: it could only become a link followed by `:`, `(` or `[`, and those are
    always escaped after a marker.

    >>> answer_markdown("**A_B**\\n- x [1]")
    '**A\\\\_B**\\n- x [1]'
    """
    return "\n".join(_answer_line(line, chars) for line in text.split("\n"))


def _answer_line(line: str, chars: frozenset[str]) -> str:
    if m := _BOLD_LINE.match(line):
        return f"**{_escape_keeping_markers(m['inner'], chars)}**"
    if m := _BULLET.match(line):
        return f"{m['indent']}- {_escape_keeping_markers(m['rest'], chars)}"
    if m := _NUMBERED.match(line):
        return f"{m['indent']}{m['num']}. {_escape_keeping_markers(m['rest'], chars)}"
    return _escape_keeping_markers(line, chars)


def _escape_keeping_markers(text: str, chars: frozenset[str]) -> str:
    out, pos = [], 0
    for m in _MARKERS.finditer(text):
        out.append(escape_md(text[pos : m.start()], chars))
        out.append(m.group(0))
        pos = m.end()
        if pos < len(text) and text[pos] in ":([":
            out.append("\\" + text[pos])  # "[1]:", "[1](" or "[1][" would start a link
            pos += 1
    out.append(escape_md(text[pos:], chars))
    return "".join(out)


def stream_markdown(pieces: Iterable[str]) -> Iterator[str]:
    """Escape a stream of answer text line by line (a line's markup is known once it is whole).

    Extractive answers arrive in one piece; an LLM's tokens are held back until their line ends.
    """
    pending = ""
    for piece in pieces:
        pending += piece
        if "\n" in pending:
            done, pending = pending.rsplit("\n", 1)
            yield answer_markdown(done) + "\n"
    if pending:
        yield answer_markdown(pending)


def highlight(passage: str, sentence: str, style: str = "orange-background") -> str:
    """`passage` as safe Markdown with `sentence` (if found in it) highlighted.

    >>> highlight("Eerst dit. Dan <dat>.", "Dan <dat>.")
    'Eerst dit\\\\. :orange-background[Dan \\\\<dat\\\\>\\\\.]'
    """
    span = _find(passage, sentence)
    if span is None:
        return _escape_block(passage)
    a, b = span
    marked = " ".join(passage[a:b].split())
    before, after = _escape_block(passage[:a]), _escape_block(passage[b:])
    # Keep the paragraph breaks around the sentence; inside one paragraph join with a space.
    sep_before = "\n\n" if re.search(r"\n\s*\n\s*$", passage[:a]) else " "
    sep_after = "\n\n" if re.match(r"^\s*\n\s*\n", passage[b:]) else " "
    out = f":{style}[{escape_md(marked)}]"
    if before:
        out = before + sep_before + out
    if after:
        out = out + sep_after + after
    return out


def _find(passage: str, sentence: str) -> tuple[int, int] | None:
    """Where `sentence` occurs in `passage`, ignoring differences in white space."""
    sentence = sentence.strip()
    if not sentence:
        return None
    i = passage.find(sentence)
    if i != -1:
        return i, i + len(sentence)
    words = [re.escape(w) for w in sentence.split()]
    m = re.search(r"\s+".join(words), passage)
    return (m.start(), m.end()) if m else None


@dataclass(frozen=True)
class SourceView:
    """What the app shows for one citation: safe Markdown, ready to render."""

    n: int
    heading: str  # "[1] title", escaped
    details: str  # "formation · date · agenda item · p. 3", escaped
    passage: str  # the passage with the cited sentence highlighted
    section_title: str  # escaped too: Streamlit renders Markdown in widget labels
    section: str  # the whole agenda item with the cited sentence highlighted; "" if unknown
    # For opening the original (`rag.ui.original`) and telling copies apart; raw, not Markdown.
    doc_id: str = ""
    page: int | None = None
    sentence: str = ""  # the cited sentence as in the cleaned text; "" for an abstention
    file_type: str = ""  # "PDF", "DOCX", "HTML", "TXT"
    added_at: str = ""  # ISO time the report was ingested; "" when unknown


def source_views(store: Store, answer: Answer) -> list[SourceView]:
    """The answer's sources, each with its whole agenda item from the document's cleaned text.

    Called once per answer (the app keeps the result), so the documents are read once.
    """
    docs: dict[str, tuple[str, DocumentRecord | None]] = {}
    for c in answer.citations:
        if c.doc_id not in docs:
            got = store.get_document(c.doc_id)
            docs[c.doc_id] = (got[1], got[0]) if got else ("", None)
    return [_view(c, *docs[c.doc_id], answer.abstained) for c in answer.citations]


def _view(c: Citation, doc_text: str, record: DocumentRecord | None, abstained: bool) -> SourceView:
    sentence = ""
    if doc_text and 0 <= c.char_start < c.char_end <= len(doc_text):
        sentence = doc_text[c.char_start : c.char_end]
    # An abstention cites whole passages, not a sentence: show them without a highlight.
    cited = "" if abstained or sentence.strip() == c.text.strip() else sentence
    passage = highlight(c.text, cited) if cited else _escape_block(c.text)
    section_md, section_title = "", c.section
    item = record.item_at(c.char_start) if doc_text and record else None
    if item is not None:
        body = doc_text[item.start : item.end]
        section_md = highlight(body, cited) if cited else _escape_block(body)
        section_title = item.title or c.section
    details = [c.formation, c.meeting_date, c.section, f"p. {c.page}" if c.page else ""]
    return SourceView(
        n=c.n,
        heading=f"\\[{c.n}\\] {escape_md(c.title or c.file)}",
        details=escape_md(" · ".join(d for d in details if d)),
        passage=passage,
        section_title=escape_md(section_title or ""),
        section=section_md,
        doc_id=c.doc_id,
        page=c.page,
        sentence=cited or "",
        file_type=record.file_type if record else "",
        added_at=record.added_at if record else "",
    )
