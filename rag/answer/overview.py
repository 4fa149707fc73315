"""A meeting overview: its agenda items in order, each with its lead sentence, cited.

"What was discussed at the JHA Council of 14 December 2020?" is answered by the report's
structure, stored at ingest (`DocumentRecord.items`), not by the one passage that scores best:
the meeting is that of the best passage within the question's filters, and each numbered agenda
item gives one line (its title and first sentence) with its own citation. A question whose topic
names one agenda item ("what was discussed under interoperability?") is about that item, not the
meeting, and gets an ordinary answer.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from rag.answer.brief import MAX_CITED_CHARS, item_outcome, sentence_pages, span_citation
from rag.answer.checks import covers
from rag.answer.framing import LABELS, meeting
from rag.answer.question import Question
from rag.core.lexical import analyse
from rag.core.models import AgendaItem, Citation, DocumentRecord, Hit
from rag.core.sentences import one_line
from rag.core.store import Store
from rag.vocab.cues import cue
from rag.vocab.documents import is_procedural

MIN_ITEMS = 2  # one item is no overview: answer from the passages instead


def _pins_one_item(q: Question, items: Sequence[AgendaItem], vocabulary: Collection[str]) -> bool:
    """The question's topic names an agenda item's title (then it asks about that item); the
    words that ask for the agenda ("what was on the agenda") name no item ("voorlopige agenda")."""
    frame = {t for m in cue("overview").finditer(q.asked) for t in analyse(m.group(0))}
    topic = {t for t in q.topic if t in vocabulary and t not in frame}
    return bool(topic) and any(covers(i.name, topic) for i in items)


def overview(
    q: Question, hits: Sequence[Hit], store: Store, vocabulary: Collection[str]
) -> tuple[str, list[Citation]] | None:
    """(answer text, citations) listing the agenda items of the best passage's meeting, or None
    when that report has too few items or the question is about one of them."""
    if not hits:
        return None
    got = store.get_document(hits[0].chunk.doc_id)
    if got is None:
        return None
    record, text = got
    items = record.agenda
    if len(items) < MIN_ITEMS or _pins_one_item(q, items, vocabulary):
        return None
    lang = q.lang
    # "Item by item, what was the outcome?": each item's conclusion or next step where the
    # report gives one (what the briefing note calls the outcome), else its lead sentence.
    outcomes = bool(cue("overview_outcome").search(q.asked))
    head = LABELS[lang]["overview_outcome" if outcomes else "overview"]
    lines = [head.format(meeting=meeting(record.meta, lang)), ""]
    citations = []
    # The items of substance in order, then those of form (the agenda's approval, the A items)
    # on one line: they tell nothing of what the meeting discussed.
    substance = [i for i in items if not is_procedural(i.title)]
    form = [i for i in items if is_procedural(i.title)] if substance else []
    pages = sentence_pages(store, record.doc_id) if outcomes else []
    for n, item in enumerate(substance or items, start=1):
        ended = item_outcome(record, item, text) if outcomes else []
        if ended:
            said = " ".join(one_line(text[a:b]) for a, b in ended)
            lines.append(f"- **{one_line(item.title)}**: {said} [{n}]")
            span = (ended[0][0], ended[-1][1])
            if span[1] - span[0] > MAX_CITED_CHARS:  # far apart: cite the first, quoted whole above
                span = ended[0]
            citations.append(span_citation(n, record, text, span, pages, item))
            continue
        a, b = item.lead
        lead = one_line(text[a:b]) if b > a else ""
        lines.append(f"- **{one_line(item.title)}**" + (f": {lead}" if lead else "") + f" [{n}]")
        citations.append(_citation(n, record, item, text))
    if form:
        listed = []
        for n, item in enumerate(form, start=len(citations) + 1):
            listed.append(f"{one_line(item.title)} [{n}]")
            citations.append(_citation(n, record, item, text))
        lines += ["", f"{LABELS[lang]['procedural']} " + "; ".join(listed)]
    return "\n".join(lines), citations


def _citation(n: int, record: DocumentRecord, item: AgendaItem, text: str) -> Citation:
    """The item's heading and lead sentence as the passage shown; the lead is highlighted."""
    a, b = item.lead if item.lead[1] > item.lead[0] else (item.start, item.end)
    m = record.meta
    return Citation(
        n=n,
        doc_id=record.doc_id,
        file=record.file,
        title=m.title,
        formation=m.formation,
        meeting_date=m.meeting_date,
        section=item.title,
        page=item.pages[0] if item.pages else None,
        text=text[item.start : b].strip(),
        score=0.0,
        char_start=a,
        char_end=b,
    )
