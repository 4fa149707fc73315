"""Who said what: an actor's statements in an agenda item, gathered whole.

A position is often more than the one sentence that scores best: "Nederland ziet graag snelle
voortgang ... en de herziening van de Terugkeerrichtlijn. Ten aanzien van de Terugkeerrichtlijn
onderstreepte Nederland ...". For a position question, `gather_statements` reads every sentence of
the agenda item(s) the chosen sentences come from (across chunk boundaries, from the sentence spans
stored at ingest) and quotes, in report order, each sentence in which the actor speaks on the
question's topic, plus the sentence right after it when that one continues it ("Daarbij ...",
"Ook ..."). `verdict` reads the stance of those statements for a fact-check.

Shortcut on purpose: "continues" is read from the sentence's first words (the cue table's
`continuation` row) and the absence of another speaker, not from parsing.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence

from rag.answer.checks import coverage
from rag.answer.question import Question
from rag.answer.scoring import ScoredSentence
from rag.answer.turns import turn_roles
from rag.core.models import Chunk, Hit
from rag.core.store import Store
from rag.vocab.actors import ACTORS, MEMBER_STATES, Actor, is_included, role_in
from rag.vocab.cues import cue, stance_of
from rag.vocab.documents import agenda_item_key, is_summary

MAX_STATEMENTS = 5  # a position answer stays short; the whole item is one click away
# A statement beyond the chosen ones must cover at least this share of the topic's IDF weight,
# so the actor's other statements in the item quote it on the asked topic, not just near it.
# Chosen by `python -m rag.eval --tune` in every fold of eleven sets (README); was 0.3.
MIN_COVERAGE = 0.7


def _continues(sentence: str, actor: Actor) -> bool:
    """The sentence goes on with the previous speaker: it opens with a continuation cue, and no
    other actor is its subject."""
    head = " ".join(sentence.split()[:3])
    if not cue("continuation").match(head):
        return False
    return not any(a.key != actor.key and role_in(sentence, a) == 2 for a in ACTORS)


# A report's chunk ids, when the caller knows them (the lexical index does): reading chunks by id
# takes ~3 ms at 50k chunks, Chroma's filter on the report ~16 ms.
ChunkIds = Callable[[str], Sequence[str]]


def _document_chunks(store: Store, doc_id: str, ids_of: ChunkIds | None) -> list[Chunk]:
    """Every chunk of the report, in report order."""
    if ids_of is None:
        chunks = store.chunks_of_documents([doc_id])
    else:
        chunks = list(store.get_chunks(ids_of(doc_id)).values())
    return sorted(chunks, key=lambda c: c.index)


def _item_chunks(store: Store, chunk: Chunk, ids_of: ChunkIds | None = None) -> list[Chunk]:
    """Every chunk of the chunk's agenda item, in report order."""
    return [c for c in _document_chunks(store, chunk.doc_id, ids_of) if c.section == chunk.section]


def gather_statements(
    q: Question,
    hits: Sequence[Hit],
    chosen: Sequence[ScoredSentence],
    store: Store,
    vocabulary: Collection[str],
    idf: Callable[[str], float] = lambda t: 1.0,
    ids_of: ChunkIds | None = None,
) -> tuple[list[Hit], list[ScoredSentence]]:
    """(hits, possibly extended by the item's other chunks; the actor's statements to quote).

    Returns the inputs unchanged when the question names no actor or the chosen sentences are
    not the actor's own.
    """
    if not q.actors or not chosen or max(s.role for s in chosen) < 2:
        return list(hits), list(chosen)
    actor = q.actors[0]
    topic = {t for t in q.topic if t in vocabulary}
    hits = list(hits)
    rank_of = {h.chunk.id: r for r, h in enumerate(hits)}
    chosen_at = {(hits[s.hit_rank].chunk.id, s.start) for s in chosen}
    out: list[ScoredSentence] = []
    seen_items: set[tuple[str, str]] = set()
    for s in chosen:
        anchor = hits[s.hit_rank].chunk
        if (anchor.doc_id, anchor.section) in seen_items:
            continue
        seen_items.add((anchor.doc_id, anchor.section))
        chunks = _item_chunks(store, anchor, ids_of)
        records = store.get_sentences(chunks)
        sentences = [
            (c, a, b, page)
            for c in chunks
            for a, b, page in (records[c.id].spans if c.id in records else ())
        ]
        keep: set[int] = set()
        # The agenda item is the topic ("de Nederlandse inzet bij het migratiepact" under "Nieuw
        # Migratie- en Asielpact"): every statement of the actor in it is on the topic.
        whole_item = bool(topic) and coverage(anchor.section, topic, idf) >= MIN_COVERAGE
        # On the topic: the item is, or the sentence covers it, or was chosen, or goes on from a sentence that is ("Eveneens
        # ...", or a reaction to it: "naar aanleiding van deze toelichting").
        on_topic: list[bool] = []
        for i, x in enumerate(sentences):
            text = _text(x)
            on_topic.append(
                whole_item
                or coverage(text, topic, idf) >= MIN_COVERAGE
                or (x[0].id, x[1]) in chosen_at
                or (
                    i > 0
                    and on_topic[i - 1]
                    and bool(
                        cue("continuation").match(text) or cue("reaction_to_previous").search(text)
                    )
                )
            )
        roles = [  # a sentence in the actor's turn is the actor's (rag.answer.turns)
            role
            for c in chunks
            for role in turn_roles(
                c.text,
                [(a, b) for a, b, _ in (records[c.id].spans if c.id in records else ())],
                [actor],
            )
        ]
        for i in range(len(sentences)):
            if on_topic[i] and roles[i] == 2:
                keep.add(i)
        for i in sorted(keep):  # a statement's other half: the sentence after or before it
            after = i + 1
            if after < len(sentences) and _continues(_text(sentences[after]), actor):
                keep.add(after)
            before = i - 1
            if (
                before >= 0
                and _continues(_text(sentences[i]), actor)
                and role_in(_text(sentences[before]), actor) == 2
            ):
                keep.add(before)
        for i in sorted(keep):
            c, a, b, page = sentences[i]
            if c.id not in rank_of:
                rank_of[c.id] = len(hits)
                hits.append(Hit(c, 0.0))
            out.append(ScoredSentence(rank_of[c.id], a, b, int(page), s.score, c.text[a:b], 2))
    if not out:
        return hits, list(chosen)
    # The chosen sentences first (their passages are the best evidence and are cited first),
    # then the other statements in report order, at most MAX_STATEMENTS in all.
    return hits, _chosen_first(out, chosen, hits, MAX_STATEMENTS, actor)


def _chosen_first(
    found: Sequence[ScoredSentence],
    chosen: Sequence[ScoredSentence],
    hits: Sequence[Hit],
    limit: int,
    actor: Actor | None = None,
) -> list[ScoredSentence]:
    """The chosen sentences first, in their order (their passages are the best evidence and are
    cited first; the actor's own statements before those of a group it is included in), then the
    others in report order; at most `limit`, all chosen ones kept."""
    rank = {(hits[c.hit_rank].chunk.id, c.start): i for i, c in enumerate(chosen)}
    key = {id(x): (hits[x.hit_rank].chunk.id, x.start) for x in found}
    first = sorted(
        (x for x in found if key[id(x)] in rank),
        key=lambda x: (actor is not None and is_included(x.text, actor), rank[key[id(x)]]),
    )
    rest = [x for x in found if key[id(x)] not in rank]
    return first + rest[: max(0, limit - len(first))]


def _text(sentence: tuple[Chunk, int, int, int]) -> str:
    c, a, b, _ = sentence
    return c.text[a:b]


def _speakers(q: Question) -> list[Actor]:
    """Whose statements an aggregation gathers: the asked actor, or for "which member states"
    every member state and the member states as a group."""
    if not q.actors:
        return []
    if q.actors[0].key == "member_states":
        return [a for a in ACTORS if a.key in MEMBER_STATES or a.key == "member_states"]
    return [q.actors[0]]


MAX_AGGREGATED = 8


def aggregate(
    q: Question,
    hits: Sequence[Hit],
    chosen: Sequence[ScoredSentence],
    store: Store,
    vocabulary: Collection[str],
    idf: Callable[[str], float] = lambda t: 1.0,
    ids_of: ChunkIds | None = None,
) -> tuple[list[Hit], list[ScoredSentence]]:
    """For "which member states ...", "on which items did X ...": the speakers' statements on the
    topic in every agenda item of the report(s) the chosen sentences come from, at most two per
    item, the chosen ones first. Returns the inputs unchanged when nothing is found."""
    if q.speakers_asked:
        return _item_speakers(q, hits, chosen, store, ids_of)
    speakers = _speakers(q)
    if not speakers or not chosen:
        return list(hits), list(chosen)
    topic = {t for t in q.topic if t in vocabulary}
    hits, found = _gather(hits, chosen, speakers, topic, store, idf, ids_of)
    chosen_at = {(hits[s.hit_rank].chunk.id, s.start) for s in chosen}
    if topic and all((hits[x.hit_rank].chunk.id, x.start) in chosen_at for x in found):
        # The topic words are the question's frame ("on which items did X speak"), not a
        # subject: every statement of the speakers counts.
        hits, found = _gather(hits, chosen, speakers, set(), store, idf, ids_of)
    if not found:
        return hits, list(chosen)
    return hits, _chosen_first(_without_summary_repeats(found, hits), chosen, hits, MAX_AGGREGATED)


# Keys left out with a group: "apart from the presidencies" leaves out the German and the
# Portuguese one, "apart from the member states" each of them.
_GROUPS = {
    "presidency": ("german_presidency", "portuguese_presidency"),
    "commission": ("johansson", "schinas"),
    "member_states": (*MEMBER_STATES, "ministers"),
}


def _item_speakers(
    q: Question,
    hits: Sequence[Hit],
    chosen: Sequence[ScoredSentence],
    store: Store,
    ids_of: ChunkIds | None,
) -> tuple[list[Hit], list[ScoredSentence]]:
    """For "who took the floor on this item?": the first statement of each actor that speaks in
    the agenda item of the best sentence, in report order, but those the question leaves out."""
    if not chosen:
        return list(hits), list(chosen)
    left_out = set(q.excluded).union(*(_GROUPS.get(k, ()) for k in q.excluded))
    speakers = [a for a in ACTORS if a.key not in left_out]
    hits = list(hits)
    rank_of = {h.chunk.id: r for r, h in enumerate(hits)}
    chunks = _item_chunks(store, hits[chosen[0].hit_rank].chunk, ids_of)
    records = store.get_sentences(chunks)
    seen: set[str] = set()
    found: list[ScoredSentence] = []
    for c in chunks:
        for a, b, page in records[c.id].spans if c.id in records else ():
            text = c.text[a:b]
            new = [x.key for x in speakers if x.key not in seen and role_in(text, x) == 2]
            if not new:
                continue
            seen.update(new)
            if c.id not in rank_of:
                rank_of[c.id] = len(hits)
                hits.append(Hit(c, 0.0))
            found.append(ScoredSentence(rank_of[c.id], a, b, int(page), 0.0, text, 2))
    if not found:
        return hits, list(chosen)
    return hits, found[:MAX_AGGREGATED]


def _without_summary_repeats(
    found: Sequence[ScoredSentence], hits: Sequence[Hit]
) -> list[ScoredSentence]:
    """The found statements without those of the report's summary of an agenda item whose own
    text has statements too (the summary repeats them; the item is the place to cite)."""
    sections = [(hits[x.hit_rank].chunk.doc_id, hits[x.hit_rank].chunk.section) for x in found]
    in_body = {(doc, agenda_item_key(sec)) for doc, sec in sections if not is_summary(sec)}
    return [
        x
        for x, (doc, sec) in zip(found, sections)
        if not (is_summary(sec) and (doc, agenda_item_key(sec)) in in_body)
    ]


def _gather(
    hits: Sequence[Hit],
    chosen: Sequence[ScoredSentence],
    speakers: Sequence[Actor],
    topic: set[str],
    store: Store,
    idf: Callable[[str], float],
    ids_of: ChunkIds | None,
) -> tuple[list[Hit], list[ScoredSentence]]:
    """The speakers' statements on the topic, at most two per agenda item, per report of the
    chosen sentences, in report order."""
    hits = list(hits)
    rank_of = {h.chunk.id: r for r, h in enumerate(hits)}
    chosen_at = {(hits[s.hit_rank].chunk.id, s.start) for s in chosen}
    found: list[ScoredSentence] = []
    for doc_id in dict.fromkeys(hits[s.hit_rank].chunk.doc_id for s in chosen):
        chunks = _document_chunks(store, doc_id, ids_of)
        records = store.get_sentences(chunks)
        per_item: dict[str, list[ScoredSentence]] = {}
        for c in chunks:
            for a, b, page in records[c.id].spans if c.id in records else ():
                text = c.text[a:b]
                if not any(role_in(text, x) == 2 for x in speakers):
                    continue
                if coverage(text, topic, idf) < MIN_COVERAGE and (c.id, a) not in chosen_at:
                    continue
                if c.id not in rank_of:
                    rank_of[c.id] = len(hits)
                    hits.append(Hit(c, 0.0))
                statement = ScoredSentence(rank_of[c.id], a, b, int(page), 0.0, text, 2)
                per_item.setdefault(c.section, []).append(statement)
        for statements in per_item.values():
            # Two per item: one actor's own statements before those of a group it is in ("een
            # meerderheid, waaronder Nederland"; for "which member states" those name them).
            own = [
                x for x in statements if len(speakers) == 1 and not is_included(x.text, speakers[0])
            ]
            keep = {id(x) for x in (own + statements)[:2]}
            found += [x for x in statements if id(x) in keep]
    return hits, found


def verdict(q: Question, statements: Sequence[ScoredSentence]) -> str:
    """For a fact-check about an actor's stance ("Did X reject ...?", "Why did X support ...?"):
    'stated' when the quoted statements take the asked stance, 'contradicted' when they take the
    other one and never the asked one, '' when the question names no stance or the statements
    take none."""
    asked = stance_of(q.asked)
    if not asked or not q.actors:
        return ""
    # Only the actor's own statements: another's support is no verdict on the actor's stance.
    own = [s for s in statements if any(role_in(s.text, a) == 2 for a in q.actors)]
    found = {stance_of(s.text) for s in own} - {""}
    if asked in found:
        return "stated"
    return "contradicted" if found else ""
