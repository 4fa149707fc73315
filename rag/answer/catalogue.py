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

import numpy as np

from rag.answer.brief import sentence_pages
from rag.answer.framing import LABELS, format_date
from rag.answer.question import Question, names_in
from rag.core.lexical import LexicalIndex, analyse
from rag.core.models import AgendaItem, Citation, DocumentRecord
from rag.core.sentences import sentence_spans
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
    p = lexical.postings
    docs_in_filters = list(dict.fromkeys(p.doc[lexical.mask(q.filters)].tolist()))
    names = _narrowing(q)
    if not docs_in_filters or (q.filters.is_empty() and not names):
        return None
    texts: dict[str, tuple[DocumentRecord, str]] = {}

    def text_of(doc_id: str) -> str:
        if doc_id not in texts:
            got = store.get_document(doc_id)
            texts[doc_id] = got if got is not None else (None, "")  # type: ignore[assignment]
        return texts[doc_id][1]

    matches: dict[str, list[tuple[int, int]]] = {}  # doc -> where each name occurs
    candidates = set(docs_in_filters)
    every = set(p.doc.tolist())
    kept_names = []
    for name, rx in names:
        terms = analyse(name)
        if len(_docs_with(lexical, terms, every)) > FRAME_SHARE * len(every):
            continue  # "Kamer", "Raad": most reports have it, the frame of the question
        holding = _docs_with(lexical, terms, set(docs_in_filters))
        found = {d: m for d in holding if (m := rx.search(text_of(d)))}
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
        text_of(d)
        record, text = texts[d]
        if record is not None:
            records.append((record, text))
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


def _docs_with(lexical: LexicalIndex, terms: Sequence[str], among: set[str]) -> set[str]:
    """The reports among `among` with a chunk holding every term (a cheap sieve before the
    text is read)."""
    p = lexical.postings
    ids = {t: i for i, t in enumerate(p.terms)}
    wanted = [ids[t] for t in terms if t in ids]
    if len(wanted) < len(set(terms)):
        return set()
    if not wanted:
        return set(among)
    holding: set[int] | None = None
    for tid in wanted:
        where = np.flatnonzero(p.term_ids == tid)  # positions; their chunks by the offsets
        chunks = set(np.unique(np.searchsorted(p.offsets, where, side="right") - 1).tolist())
        holding = chunks if holding is None else holding & chunks
    return {p.doc[i] for i in holding or ()} & among


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
        said = " … ".join(_one_line(text[a:b]) for a, b in spans)
        head = f"- **{_one_line(m.title or record.file)}**" + (
            f" ({'; '.join(facts)})" if facts else ""
        )
        lines.append(head + (f": {said}" if said else "") + f" [{n}]")
        a, b = (spans[0][0], spans[-1][1]) if spans else (0, min(len(text), 300))
        if b - a > 1200:
            a, b = spans[0]
        pages = sentence_pages(store, record.doc_id)
        page = next((pg for s, e, pg in pages if s <= a < e and pg), None)
        citations.append(
            Citation(
                n=n,
                doc_id=record.doc_id,
                file=record.file,
                title=m.title,
                formation=m.formation,
                meeting_date=m.meeting_date,
                section=_section_at(record.agenda, a),
                page=page,
                text=text[a:b].strip(),
                score=0.0,
                char_start=a,
                char_end=b,
            )
        )
    if total > len(records):
        lines += ["", labels["catalogue_more"].format(n=total - len(records))]
    return "\n".join(lines), citations


def _evidence(text: str, found: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """What the document is (its sending sentence, else its first full sentence) and where it
    names what the question asked for, in text order, each once."""
    spans = [_trim(text, a, b) for a, b in sentence_spans(text)]
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


def _section_at(items: Sequence[AgendaItem], offset: int) -> str:
    return next((i.title for i in items if i.start <= offset < i.end), "")


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def _one_line(text: str) -> str:
    return " ".join(text.split())
