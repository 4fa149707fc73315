"""Who chaired the parliamentary committees of a committee report ("Wie was voorzitter van de
vaste Commissie voor EG-zaken bij het overleg van januari 1991?").

A committee report names its committees in its opening sentence and lists each one's members in
a footnote ("1 Samenstelling: Leden: ..., Stemerdink (PvdA), voorzitter, ..."), which the
ordinary answer never quotes (it is no statement of anyone). The answer reads the chair from that
footnote (`rag.vocab.documents.committees`) and cites the footnote.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from rag.answer.brief import MAX_CITED_CHARS, sentence_pages, span_citation
from rag.answer.framing import LABELS
from rag.answer.question import Question
from rag.core.lexical import analyse
from rag.core.models import Citation, Hit
from rag.core.sentences import one_line
from rag.core.store import Store
from rag.vocab.cues import cue
from rag.vocab.documents import committees


def asks_committee_chair(asked: str) -> bool:
    """
    >>> asks_committee_chair("Wie zaten de twee Kamercommissies voor bij het overleg?")
    True
    >>> asks_committee_chair("Wie was voorzitter van de Europese Commissie?")
    False
    """
    return bool(cue("chair_question").search(asked) and cue("committee_word").search(asked))


def committee_chairs(
    q: Question, hits: Sequence[Hit], store: Store
) -> tuple[str, list[Citation]] | None:
    """(answer, citations) naming the chair of each committee the question asks about (all of
    the report's when it names none), from the best passage's committee report; None when the
    passages come from no committee report or its footnotes name no chair."""
    for doc_id in dict.fromkeys(h.chunk.doc_id for h in hits):
        got = store.get_document(doc_id)
        if got is None:
            continue
        record, text = got
        found = [c for c in committees(text) if c.chair]
        if not found:
            continue
        # The committee whose own words the question uses ("EG-zaken", not the "zaken" both
        # "EG-zaken" and "Buitenlandse Zaken" have).
        words = {c.name: set(analyse(c.name)) for c in found}
        shared = set.intersection(*words.values())
        named = [c for c in found if (words[c.name] - shared) & set(q.terms)]
        chosen = named or found
        labels = LABELS[q.lang]
        lines = [f"{labels['committee_report']} {record.meta.title}:", ""]
        citations = []
        pages = sentence_pages(store, doc_id)
        for n, c in enumerate(chosen, start=1):
            lines.append(f"- {labels['committee_chair'].format(name=c.name)}: **{c.chair}** [{n}]")
            span = (c.start, min(c.end, c.start + MAX_CITED_CHARS))
            cited = span_citation(n, record, text, span, pages)
            # The list of members runs over line breaks: shown as one line.
            citations.append(replace(cited, text=one_line(cited.text)))
        return "\n".join(lines), citations
    return None
