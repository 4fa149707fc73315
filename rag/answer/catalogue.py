"""Questions about the documents themselves: "Welke brieven van minister Maij-Weggen zitten
erbij?", "Which documents in the collection deal with the Internal Market Council?", "Of the 1993
letters, which announced a Council and which reported on one?".

The answer lists every stored report that fits, one line each (its title, which says who sent
what; its date and Kamerstuk), quoting the sentence that shows why it fits and citing it, instead
of the one passage that scores best. What fits: the question's filters (formation, period,
document type) and the names it gives (a sender, "Eerste Kamer", a place), each of which the
report's text must contain. A name most of the stored reports contain ("Kamer") frames the question
and narrows nothing. Without any filter or narrowing name there is no list to give, and
the ordinary answer stands.

Written here because neither llama-index nor Chroma answers a question over document records:
their retrievers return passages, never the set of documents a condition selects.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rag.answer.brief import MAX_CITED_CHARS, sentence_pages, span_citation
from rag.answer.framing import LABELS, format_date
from rag.answer.question import Question, names_in
from rag.core.lexical import LexicalIndex, analyse
from rag.core.models import Citation, DocumentRecord
from rag.core.sentences import one_line, sentence_spans, trim
from rag.core.store import Store
from rag.vocab.actors import find_actors, is_cover_formula
from rag.vocab.countries import PLACES_NL
from rag.vocab.cues import cue
from rag.vocab.documents import ADDRESSEE, COMPOSITION_FOOTNOTE

MAX_DOCUMENTS = 12  # more are counted, not listed: the question should narrow them
FRAME_SHARE = 0.5  # a name in more than this share of all reports frames the question


def asks_documents(asked: str) -> bool:
    """The question asks which documents fit, not what one of them says.

    >>> asks_documents("Welke brieven van minister Maij-Weggen zitten erbij?")
    True
    >>> asks_documents("Welke stukken werden besproken in het mondeling overleg van 14 november 1991?")
    False
    >>> asks_documents("What documents did Pronk attach to his report?")
    False
    """
    return bool(cue("documents_asked").search(asked)) and not (
        cue("overview").search(asked) or cue("documents_within").search(asked)
    )


def catalogue(
    q: Question, store: Store, lexical: LexicalIndex
) -> tuple[str, list[Citation]] | None:
    """(answer text, citations) listing the reports that fit, or None when the question sets no
    condition or no report fits."""
    in_filters = set(lexical.postings.doc[lexical.mask(q.filters)].tolist())
    names = _narrowing(q)
    if not in_filters or (q.filters.is_empty() and not names):
        return None
    got: dict[str, tuple[DocumentRecord, str] | None] = {}

    def text_of(doc_id: str) -> str:
        if doc_id not in got:
            got[doc_id] = store.get_document(doc_id)
        found = got[doc_id]
        return found[1] if found else ""

    matches: dict[str, list[tuple[int, int]]] = {}  # doc -> where each name occurs
    candidates = set(in_filters)
    reports = len(lexical.doc_ids())
    kept_names = []
    for name, rx in names:
        holding = lexical.docs_with(analyse(name))
        if len(holding) > FRAME_SHARE * reports:
            continue  # "Kamer", "Raad": most reports have it, the frame of the question
        found = {d: m for d in holding & in_filters if (m := rx.search(text_of(d)))}
        if not found:
            continue  # no report has it: it narrows nothing ("als ontvanger")
        kept_names.append(name)
        candidates &= set(found)
        for d in candidates:
            matches.setdefault(d, []).append(found[d].span())
    if not candidates or (q.filters.is_empty() and not kept_names):
        return None
    records = []
    for d in candidates:
        text_of(d)  # read now if no name made it read before
        if (record := got[d]) is not None:
            records.append(record)
    records.sort(key=lambda rt: (not _date(rt[0]), _date(rt[0]), rt[0].file))  # undated last
    return _compose(q, records[:MAX_DOCUMENTS], len(records), matches, store)


def _date(record: DocumentRecord) -> str:
    return record.meta.letter_date or record.meta.meeting_date


def _narrowing(q: Question) -> list[tuple[str, re.Pattern[str]]]:
    """The names the question gives (in either language: a sender's name is no English word)
    and the places and bodies it names, each as a pattern over report text."""
    out: list[tuple[str, re.Pattern[str]]] = []
    for name, words in names_in(q.asked):
        if words:  # the whole name ("Eerste Kamer", not "Eerste"), as Dutch writes it
            dutch = PLACES_NL.get(name.casefold(), name)
            words_rx = r"[\s-]*".join(map(re.escape, dutch.split()))
            out.append((dutch, re.compile(words_rx, re.IGNORECASE)))
    for actor in find_actors(q.asked):
        out.append((actor.label_nl or actor.key, re.compile(actor.in_text, re.IGNORECASE)))
    return out


def _compose(
    q: Question,
    records: Sequence[tuple[DocumentRecord, str]],
    total: int,
    matches: dict[str, list[tuple[int, int]]],
    store: Store,
) -> tuple[str, list[Citation]]:
    labels = LABELS[q.lang]
    lines = [labels["catalogue"].format(n=total), ""]
    citations = []
    for n, (record, text) in enumerate(records, start=1):
        spans = _evidence(text, matches.get(record.doc_id, []))
        m = record.meta
        when = _date(record)
        facts = [format_date(when, q.lang)] if when else []
        if m.kamerstuk:
            facts.append(f"{labels['kamerstuk']} {m.kamerstuk}")
        said = " … ".join(one_line(text[a:b]) for a, b in spans)
        head = f"- **{one_line(m.title or record.file)}**" + (
            f" ({'; '.join(facts)})" if facts else ""
        )
        lines.append(head + (f": {said}" if said else "") + f" [{n}]")
        a, b = (spans[0][0], spans[-1][1]) if spans else (0, min(len(text), 300))
        if b - a > MAX_CITED_CHARS:
            a, b = spans[0]
        item = next((i for i in record.agenda if i.start <= a < i.end), None)
        pages = sentence_pages(store, record.doc_id)
        citations.append(span_citation(n, record, text, (a, b), pages, item))
    if total > len(records):
        lines += ["", labels["catalogue_more"].format(n=total - len(records))]
    return "\n".join(lines), citations


def _evidence(text: str, found: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """What the document is (its sending sentence, else its first full sentence) and where it
    names what the question asked for, in text order, each once."""
    spans = [trim(text, a, b) for a, b in sentence_spans(text)]
    spans = [(a, b) for a, b in spans if b > a]
    sending = next((s for s in spans if _says_what_it_is(text[s[0] : s[1]])), None)
    if sending is None:
        sending = next((s for s in spans if _plain(text[s[0] : s[1]])), None)
    named = [next((s for s in spans if s[0] <= a < s[1]), None) for a, _ in found]
    return sorted({s for s in [sending, *named] if s is not None})


def _says_what_it_is(sentence: str) -> bool:
    """A letter's sending formula or a committee report's opening ("... hebben op 26 mei 1993
    mondeling overleg gevoerd met de Minister ...")."""
    return is_cover_formula(sentence) or bool(cue("document_purpose").search(sentence))


def _plain(sentence: str) -> bool:
    """A sentence of running text: not a heading in capitals, a list of members, an address."""
    letters = [c for c in sentence if c.isalpha()]
    return (
        len(sentence.split()) >= 6
        and sum(c.isupper() for c in letters) < 0.3 * len(letters)
        and not COMPOSITION_FOOTNOTE.match(sentence)
        and not ADDRESSEE.match(sentence)
    )
