"""Sections (agenda items and headings) of a cleaned report, as character ranges.

Owns `find_sections(text) -> list[Section]` over CLEANED text: paragraphs separated by a blank line,
one line each, headings as their own short paragraph, list items starting with "- ".

Decisions and shortcuts, on purpose:
- Sections are contiguous and cover the whole text: the part before the first heading is a section
  titled "Inleiding" (the title paragraph, a letter's header and opening); a text without any
  heading is one section titled "" so every offset still maps to a section.
- The first paragraph is the document title, never a heading. The front matter of a Kamerstuk
  letter or committee report (header, "BRIEF VAN ...", "Aan de Voorzitter ...", date line,
  "VERSLAG VAN EEN ... OVERLEG") is never searched for headings: its short lines look like them.
- Levels: a Roman part ("I. Binnenlandse Zaken, Asiel en Migratie") is 1; a numbered item
  ("4. Nieuw Migratie- en Asielpact") is 2 under a part, else 1; an unnumbered heading directly
  followed by another heading ("Belangrijkste resultaten") is a parent, and the unnumbered headings
  under it (or under an agenda item) are one level deeper and titled "Parent – Child" so that a
  citation shows it comes from the summary.
- A numbered paragraph without a final period is a heading even when long (1990 agenda items run to
  40 words); an unnumbered one must be short (<= 14 words, <= 110 characters) and be followed by
  body text (or by one child heading): a run of three short lines is an address block, not headings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

INTRO_TITLE = "Inleiding"
MAX_HEADING_WORDS = 14
MAX_HEADING_CHARS = 110
MAX_NUMBERED_CHARS = 400  # long 1990 agenda items; a numbered *paragraph* of body text is longer

_ROMAN = re.compile(r"^(?P<num>[IVX]{1,5})[.)]\s+(?P<title>\S.*)$")
_NUMBERED = re.compile(r"^(?P<num>\d{1,2})[.)]\s+(?P<title>\S.*)$")
_FINAL_PUNCT = re.compile(r"[.:;,]$")
# Paragraphs that end a letter's or committee report's front matter, searched in the first part.
_FRONT_END = re.compile(
    r"^(?:BRIEF\s*VAN\b|Aan de Voorzitter|De Voorzitter van de Tweede Kamer|VERSLAG VAN EEN\b"
    r"|Vastgesteld\s+\d|'?\s*s-?\s*Gravenhage,?\s+\w+\s+\w+\s+\d{4}|Den Haag,\s+\d"
    # The place-and-date line under the heading of the Council's own documents.
    r"|(?:Brussels|Luxembourg|Bruxelles|Brüssel|Brussel),?\s+\d)"
)
_FRONT_SEARCH_PARAGRAPHS = 40
# Short paragraphs that are not headings: signatures, printer lines, footers, footnotes.
_NOT_HEADING = re.compile(
    r"^(?:De\s*(?:Minister|Staatssecretaris)|Tweede Kamer|Eerste Kamer|Kamerstuk|ISSN|\d+\s+\S|\[\d+\]"
    r"|Nr\.\s*\d|Vergaderjaar)",
    re.I,
)


@dataclass(frozen=True)
class Section:
    """A heading's range of the cleaned text: from the heading to the next heading."""

    title: str
    start: int
    end: int
    level: int
    number: str


@dataclass(frozen=True)
class _Para:
    start: int
    end: int
    text: str


def _paragraphs(text: str) -> list[_Para]:
    return [
        _Para(m.start(), m.end(), " ".join(m[0].split()))
        for m in re.finditer(r"\S(?:.*\S)?(?:\n(?!\s*\n).*\S)*", text)
    ]


def _front_matter_end(paras: list[_Para]) -> int:
    """Index of the first body paragraph after a Kamerstuk's front matter (0 if there is none)."""
    end = 0
    for i, p in enumerate(paras[:_FRONT_SEARCH_PARAGRAPHS]):
        if _FRONT_END.match(p.text):
            end = i + 1
    return end


def _kind(text: str) -> tuple[str, str, str] | None:
    """("roman" | "numbered" | "plain", number, title) when `text` looks like a heading."""
    if text.startswith(("- ", "\u2022", "\uf0b7")) or _NOT_HEADING.match(text):
        return None
    if m := _ROMAN.match(text):
        if len(text.split()) <= MAX_HEADING_WORDS and not _FINAL_PUNCT.search(text):
            return ("roman", m["num"], text)
    if m := _NUMBERED.match(text):
        if len(text) <= MAX_NUMBERED_CHARS and not _FINAL_PUNCT.search(text):
            return ("numbered", m["num"], text)
        return None
    if (
        len(text) <= MAX_HEADING_CHARS
        and len(text.split()) <= MAX_HEADING_WORDS
        and not _FINAL_PUNCT.search(text)
        and (text[0].isupper() or text[0].isdigit())
        and re.search(r"[a-z]", text)  # not "2", not an all-caps header line
    ):
        return ("plain", "", text)
    return None


def find_sections(text: str) -> list[Section]:
    """Contiguous sections covering `text`, in order.

    >>> [s.title for s in find_sections("Titel\\n\\n1. Agenda\\n\\nTekst.")]
    ['Inleiding', '1. Agenda']
    """
    paras = _paragraphs(text)
    if not paras:
        return []
    first_body = max(1, _front_matter_end(paras))
    kinds = [_kind(p.text) if i >= first_body else None for i, p in enumerate(paras)]

    # A run of one or two short plain lines followed by more text is a heading (two: parent and
    # child, "Belangrijkste resultaten" + "Nieuw Migratie- en Asielpact"); three or more in a row
    # are an address block or a list, and nothing is a heading at the very end of the text.
    i = 0
    while i < len(kinds):
        k = kinds[i]
        if k is None or k[0] != "plain":
            i += 1
            continue
        j = i
        while j < len(kinds) and kinds[j] is not None and kinds[j][0] == "plain":
            j += 1
        if j - i > 2 or j == len(kinds):
            kinds[i:j] = [None] * (j - i)
        i = j

    heads: list[tuple[int, str, int, str]] = []  # (paragraph index, title, level, number)
    part_open = False
    parent: tuple[str, int] | None = None  # enclosing heading for unnumbered children
    for i, k in enumerate(kinds):
        if k is None:
            continue
        kind, number, title = k
        if kind == "roman":
            part_open, parent = True, None
            heads.append((i, title, 1, number))
        elif kind == "numbered":
            level = 2 if part_open else 1
            parent = (title, level)
            heads.append((i, title, level, number))
        else:
            nxt = kinds[i + 1] if i + 1 < len(kinds) else None
            is_parent = nxt is not None and nxt[0] == "plain"
            if parent is not None and not is_parent:
                heads.append((i, f"{parent[0]} – {title}", parent[1] + 1, ""))
            else:
                level = 2 if part_open else 1
                heads.append((i, title, level, ""))
                parent = (title, level) if is_parent else parent

    sections: list[Section] = []
    starts = [paras[i].start for i, *_ in heads]
    if not heads:
        return [Section("", 0, len(text), 1, "")]
    if text[: starts[0]].strip():
        sections.append(Section(INTRO_TITLE, 0, starts[0], 1, ""))
    else:
        starts[0] = 0
    for n, (_, title, level, number) in enumerate(heads):
        end = starts[n + 1] if n + 1 < len(heads) else len(text)
        sections.append(Section(title, starts[n], end, level, number))
    return sections


def section_at(sections: list[Section], offset: int) -> Section | None:
    """The section holding character `offset`, or None."""
    for s in sections:
        if s.start <= offset < s.end:
            return s
    return None
