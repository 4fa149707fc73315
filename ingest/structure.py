"""A report's structure, computed once at ingest: its agenda items, their lead sentences and pages,
and the summary ("Belangrijkste resultaten") linked to the items it summarises.

Built from `ingest.sections` (headings and their ranges). An agenda item is a numbered heading
("4. Nieuw Migratie- en Asielpact"); a summary sub-section ("Belangrijkste resultaten – Nieuw
Migratie- en Asielpact") is linked to the item with the same name; roman headings are parts.
Reports without numbered items keep their sections, so an overview still has something to list.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ingest.sections import INTRO_TITLE, Section
from rag.core.models import AgendaItem, Statement
from rag.core.sentence_records import SentenceFacts
from rag.core.sentences import sentence_spans
from rag.vocab.actors import ACTORS, role_in
from rag.vocab.cues import stance_of
from rag.vocab.documents import is_summary


def _body_start(text: str, section: Section) -> int:
    """After the heading line (the heading stays in the section's first chunk, not its lead)."""
    nl = text.find("\n", section.start, section.end)
    return section.end if nl < 0 else nl + 1


def _lead(text: str, start: int, end: int) -> tuple[int, int]:
    for a, b in sentence_spans(text, start, end):
        if text[a:b].strip():
            return a, b
    return 0, 0


def _kind(section: Section) -> str:
    if section.title == INTRO_TITLE:
        return "intro"
    if is_summary(section.title):
        return "summary"
    if section.number and section.number.isdigit():
        return "item"
    if section.number:
        return "part"
    return "section"


def agenda_items(
    text: str, sections: Sequence[Section], pages_for: Callable[[int, int], tuple[int, ...]]
) -> tuple[AgendaItem, ...]:
    """The report's sections as `AgendaItem`s, in order.

    >>> from ingest.sections import find_sections
    >>> text = "Titel\\n\\nBelangrijkste resultaten\\n\\nPact\\n\\nKort.\\n\\n1. Pact\\n\\nDe Raad sprak. Meer."
    >>> [(i.kind, i.name, i.summary_of) for i in agenda_items(text, find_sections(text), lambda a, b: ())]
    [('intro', 'Inleiding', ''), ('summary', 'Belangrijkste resultaten', ''), ('summary', 'Belangrijkste resultaten – Pact', '1. Pact'), ('item', 'Pact', '')]
    """
    items = []
    for s in sections:
        kind = _kind(s)
        start = s.start if kind == "intro" else _body_start(text, s)
        items.append(
            AgendaItem(
                title=s.title,
                start=s.start,
                end=s.end,
                kind=kind,
                number=s.number,
                pages=pages_for(s.start, s.end),
                lead=_lead(text, start, s.end),
            )
        )
    by_name = {i.name.casefold(): i.title for i in items if i.kind == "item"}
    linked = []
    for i in items:
        if i.kind == "summary" and " – " in i.title:
            i = AgendaItem(**{**i.__dict__, "summary_of": by_name.get(
                i.title.split(" – ", 1)[1].casefold(), "")})  # fmt: skip
        linked.append(i)
    return tuple(linked)


def statements(text: str, items: Sequence[AgendaItem]) -> tuple[Statement, ...]:
    """Every sentence in which a catalogued actor speaks or is included, one `Statement` per actor,
    in report order (named persons are found at question time, not here).

    >>> item = AgendaItem("1. Pact", 0, 60)
    >>> [(s.actor, s.stance) for s in statements("Nederland steunde het pact. De Raad sprak.", [item])]
    [('nl', 'supports'), ('council', '')]
    """
    out = []
    for item in items:
        if item.kind == "intro":
            continue
        for a, b in sentence_spans(text, item.start, item.end):
            sentence = text[a:b]
            stance = stance_of(sentence)
            for actor in ACTORS:
                if role_in(sentence, actor) == 2:
                    out.append(Statement(actor.key, stance, a, b, item.title))
    return tuple(out)


def sentence_facts(
    text: str, spans: Sequence[tuple[int, int]], items: Sequence[AgendaItem]
) -> tuple[SentenceFacts, ...]:
    """For each sentence span (offsets in the report), its agenda item, stance and actors with
    their role (2 speaks or is included, 1 mentioned): the metadata of the sentence records.

    >>> item = AgendaItem("1. Pact", 0, 60)
    >>> f = sentence_facts("Nederland steunde het pact van de Commissie.", [(0, 44)], [item])[0]
    >>> f.item, f.stance, f.roles
    ('1. Pact', 'supports', (('nl', 2), ('commission', 1)))
    """
    out = []
    for a, b in spans:
        sentence = text[a:b]
        item = next((i for i in items if i.start <= a < i.end and i.kind != "intro"), None)
        roles = tuple((actor.key, role) for actor in ACTORS if (role := role_in(sentence, actor)))
        out.append(SentenceFacts(item.title if item else "", stance_of(sentence), roles))
    return tuple(out)
