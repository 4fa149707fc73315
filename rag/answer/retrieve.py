"""Hybrid retrieval: dense search (the multilingual embedder in Chroma) fused with BM25.

Fusion is reciprocal rank fusion (Cormack, Clarke & Büttcher 2009, k=60), and the lexical ranking
takes part only when the question's terms (with the glossary's Dutch translations) actually occur
in the reports: BM25 scores an English question against Dutch text as zero and would then rank
at random. Choices were measured with `python -m rag.eval` (README, "Retrieval choices").
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace

import numpy as np

from rag.answer.question import Question
from rag.core.embedders import Embedder
from rag.core.filters import Filters, date_span, iso_day
from rag.core.lexical import LexicalIndex
from rag.core.lexical_cache import LexicalCache
from rag.core.models import Chunk, Hit, ReportMeta
from rag.core.sentences import chunk_sentences
from rag.core.store import Store
from rag.vocab.actors import role_in

log = logging.getLogger(__name__)

RRF_K = 60  # Cormack et al. 2009


@dataclass(frozen=True)
class RetrievalSettings:
    """Knobs measured by the evaluation; the defaults are the winners."""

    candidates: int = 30  # per ranking, before fusion
    lexical_weight: float = 1.0  # 0 disables BM25
    use_glossary: bool = True
    actor_boost: float = 0.25  # in RRF units of 1/(k+1): an actor's own passage moves up
    fusion: str = "rrf"  # "rrf" or "dense"
    # A follow-up's search within the reports the previous answer quoted joins the fusion as a
    # further ranking with this weight (0 disables it).
    context_weight: float = 1.0


class Retriever:
    """Finds the chunks that answer a parsed question."""

    def __init__(
        self, store: Store, embedder: Embedder, settings: RetrievalSettings | None = None
    ) -> None:
        self.store = store
        self.embedder = embedder
        self.settings = settings or RetrievalSettings()
        self.lexical_cache = LexicalCache(store)
        # (store version, every report's metadata): reading 2,000 reports' takes ~0.4 s, so the
        # date filters read it once per store version. One tuple, swapped whole (threads).
        self._metas: tuple[str, list[tuple[str, ReportMeta]]] = ("", [])

    def lexical(self) -> LexicalIndex:
        """The BM25 index, up to date with the store (it checks the store's version each time)."""
        return self.lexical_cache.index()

    def report_metas(self) -> list[tuple[str, ReportMeta]]:
        """(doc id, metadata) of every report, as of the store's current version."""
        version = self.store.version()
        cached_version, metas = self._metas
        if cached_version != version:
            metas = self.store.list_document_meta()
            self._metas = (version, metas)
        return metas

    def newest_meeting_filter(self, filters: Filters) -> Filters:
        """Restrict to the report(s) of the most recent meeting within `filters`."""
        docs = [
            (doc_id, meta.meeting_date or meta.letter_date)
            for doc_id, meta in self.report_metas()
            if (not filters.formation or meta.formation == filters.formation)
            and (not filters.doc_ids or doc_id in filters.doc_ids)
            and (meta.meeting_date or meta.letter_date)
        ]
        if not docs:
            return filters
        newest = max(date for _, date in docs)
        return replace(filters, doc_ids=tuple(d for d, date in docs if date == newest))

    def day_filter(self, filters: Filters, day: str) -> Filters:
        """Restrict to the reports whose meeting or letter dates span `day`, when any does: "the
        Fisheries Council of 3 April 1992" is not the Agriculture Council of 28 April, which the
        month either side of a named day admits (that margin is for days of events around a
        meeting: "the proposals of 9 December", discussed on the 14th)."""
        asked = iso_day(day)
        ids = tuple(
            doc_id
            for doc_id, meta in self.report_metas()
            if (not filters.doc_ids or doc_id in filters.doc_ids)
            and (not filters.formation or filters.formation in meta.covered_formations())
            and date_span(meta)[0] <= asked <= date_span(meta)[1]
        )
        return replace(filters, doc_ids=ids) if ids else filters

    def retrieve(
        self,
        parsed: Question,
        k: int,
        query_vector: np.ndarray | None = None,
        index: LexicalIndex | None = None,
    ) -> list[Hit]:
        """The top-k chunks for the question, best first (`index`: the lexical index, when the
        caller holds it already; each fetch checks the store's version)."""
        s = self.settings
        filters = parsed.filters
        if parsed.latest:
            filters = self.newest_meeting_filter(filters)
        elif parsed.day:
            filters = self.day_filter(filters, parsed.day)
        q = query_vector if query_vector is not None else self.embedder.embed_query(parsed.text)
        where, within = filters.where(), None
        if where:  # the lexical index knows which chunks the filters admit
            index = index if index is not None else self.lexical()
            within = index.admitted(filters)
        dense = self.store.query(q, s.candidates, where=where, within=within)
        scores: dict[str, float] = {}
        chunks = {}
        dense_rank: dict[str, int] = {}
        for rank, (chunk, sim) in enumerate(dense):
            chunks[chunk.id] = chunk
            dense_rank[chunk.id] = rank + 1
            scores[chunk.id] = 1.0 / (RRF_K + rank + 1) if s.fusion == "rrf" else sim
        lexical_rank: dict[str, int] = {}
        if s.lexical_weight > 0 and s.fusion == "rrf":
            index = index if index is not None else self.lexical()
            query = parsed.lexical_query if s.use_glossary else parsed.text
            found = index.search(query, s.candidates, filters)
            chunks.update(
                self.store.get_chunks([h.chunk_id for h in found if h.chunk_id not in chunks])
            )
            for rank, hit in enumerate(found):
                if hit.chunk_id not in chunks:  # deleted since the index was read
                    continue
                lexical_rank[hit.chunk_id] = rank + 1
                scores[hit.chunk_id] = scores.get(hit.chunk_id, 0.0) + s.lexical_weight / (
                    RRF_K + rank + 1
                )
        if parsed.context and s.context_weight and s.fusion == "rrf":
            index = index if index is not None else self.lexical()
            self._add_context(parsed, filters, q, index, scores, chunks)
        if parsed.actors and s.actor_boost:
            for cid, chunk in chunks.items():
                role = max(
                    (
                        role_in(sentence, a)
                        for sentence in chunk_sentences(chunk)
                        for a in parsed.actors
                    ),
                    default=0,
                )
                if role == 2:
                    scores[cid] += s.actor_boost / (RRF_K + 1)
        ranked = sorted(scores, key=lambda cid: -scores[cid])
        if parsed.context_items:  # "dat agendapunt": the item the previous answer quoted
            items = set(parsed.context_items)
            ranked = [c for c in ranked if (chunks[c].doc_id, chunks[c].section) in items] or ranked
        ranked = ranked[:k]
        return [
            Hit(chunks[cid], scores[cid], dense_rank.get(cid), lexical_rank.get(cid))
            for cid in ranked
        ]

    def _add_context(
        self,
        parsed: Question,
        filters: Filters,
        q: np.ndarray,
        index: LexicalIndex,
        scores: dict[str, float],
        chunks: dict[str, Chunk],
    ) -> None:
        """Fuse in the dense and BM25 rankings within the reports of the conversation (within
        the question's filters too): "and the Commission?", "where was it held?" are asked about
        the report just quoted. A ranking of its own rather than a filter, so a follow-up that
        turns to another meeting still finds it."""
        docs = parsed.context
        if filters.doc_ids:
            docs = tuple(d for d in docs if d in filters.doc_ids)
        if not docs:
            return
        scoped = replace(filters, doc_ids=docs)
        weight = self.settings.context_weight
        dense = self.store.query(
            q, self.settings.candidates, where=scoped.where(), within=index.admitted(scoped)
        )
        for rank, (chunk, _) in enumerate(dense):
            chunks.setdefault(chunk.id, chunk)
            scores[chunk.id] = scores.get(chunk.id, 0.0) + weight / (RRF_K + rank + 1)
        if self.settings.lexical_weight <= 0:
            return
        query = parsed.lexical_query if self.settings.use_glossary else parsed.text
        found = index.search(query, self.settings.candidates, scoped)
        chunks.update(
            self.store.get_chunks([h.chunk_id for h in found if h.chunk_id not in chunks])
        )
        for rank, hit in enumerate(found):
            if hit.chunk_id in chunks:
                scores[hit.chunk_id] = scores.get(hit.chunk_id, 0.0) + (
                    weight * self.settings.lexical_weight / (RRF_K + rank + 1)
                )
