"""Lexical search: BM25 (bm25s) over the chunks, with a Dutch Snowball stemmer (PyStemmer).

The index is kept beside the store and brought up to date per report (`rag.core.lexical_cache`), so
a fresh process does not re-read every chunk. Filters are applied as a mask over all scores, so a
filtered search ranks within the filtered set. English questions are expanded with the glossary's
Dutch terms; BM25 can only help where a term actually occurs, so callers use the lexical ranking
only when `matched_terms` is non-empty.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from typing import Any

import numpy as np

from rag.core.filters import Filters, date_span, iso_day
from rag.core.models import Chunk

log = logging.getLogger(__name__)

_TOKEN = re.compile(r"[0-9a-zà-ÿ]+(?:-[0-9a-zà-ÿ]+)*")
# Words of English questions that would otherwise match Dutch text by accident ("over", "door").
_EXTRA_STOP = set(
    "what which who whom when where why how did does do say said says about the a an and or of to "
    "in on at for with by from was were is are be been this that these those there their they "
    "wat welke wie wanneer waarom hoe zei zeiden zegt vond over daarover".split()
)


def load_bm25s():  # type: ignore[no-untyped-def]
    """The bm25s module, its logger quieted: it sets itself to DEBUG, so every index build would
    print "Building index from IDs" through the root handler."""
    import bm25s

    logging.getLogger("bm25s").setLevel(logging.WARNING)
    return bm25s


@lru_cache(maxsize=1)
def _stemmer():  # type: ignore[no-untyped-def]
    import Stemmer

    return Stemmer.Stemmer("dutch")


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    from bm25s.stopwords import STOPWORDS_DUTCH, STOPWORDS_EN

    return frozenset(STOPWORDS_DUTCH) | frozenset(STOPWORDS_EN) | _EXTRA_STOP


def analyse(text: str) -> list[str]:
    """Lower-case, split (keeping hyphenated compounds whole and as parts), drop stopwords, stem.

    >>> analyse("De Terugkeerrichtlijn en de screening- en grensprocedure")
    ['terugkeerrichtlijn', 'screening', 'grensprocedur']
    """
    return list(_analysed(text))


def _analyse(text: str) -> tuple[str, ...]:
    stop = _stopwords()
    words: list[str] = []
    for tok in _TOKEN.findall(text.lower()):
        parts = tok.split("-")
        for w in [tok, *parts] if len(parts) > 1 else [tok]:
            if w and w not in stop and (len(w) > 1 or w.isdigit()):
                words.append(w)
    return tuple(_stemmer().stemWords(words))


# `analyse`, remembered: the checks and the scorer read the same sentences several times per
# question (~3 ms per question at 50k chunks). Indexing reads each chunk once and skips it.
_analysed = lru_cache(maxsize=8192)(_analyse)


_COORDINATED = re.compile(r"(\w{3,})-\s+(?:en|of|and|or)\s+(\w{5,})", re.IGNORECASE)


def coordinated_compounds(text: str) -> list[str]:
    """The compounds a Dutch coordination leaves implicit: "Migratie- en Asielpact" is also the
    "migratiepact" (and the "migratieasielpact", harmlessly: every split of the second word).

    >>> "migratiepact" in coordinated_compounds("het Nieuw Migratie- en Asielpact")
    True
    """
    out = []
    for m in _COORDINATED.finditer(text):
        first, second = m.group(1).lower(), m.group(2).lower()
        out.extend(first + second[i:] for i in range(len(second) - 3))
    return out


def analyse_with_compounds(text: str) -> set[str]:
    """The text's analysed terms and those of the compounds its coordinations leave implicit
    (`coordinated_compounds`): what the checks and the sentence scorer match question terms on.

    >>> "migratiepact" in analyse_with_compounds("Het Migratie- en Asielpact")
    True
    """
    words = set(analyse(text))
    if "-" in text:
        words.update(analyse(" ".join(coordinated_compounds(text))))
    return words


@dataclass(frozen=True)
class LexicalHit:
    chunk_id: str
    score: float


@dataclass(frozen=True)
class Postings:
    """Per chunk: id, report, filter fields and analysed terms (as ids into `terms`).

    Columns rather than `Chunk` objects: 50k chunks of text would cost hundreds of megabytes and
    seconds to load, and the index needs only these. `rag.core.lexical_cache` saves and loads them.
    """

    ids: list[str]
    doc: np.ndarray  # object: report id per chunk
    doc_type: np.ndarray  # object
    formations: list[frozenset[str]]
    first: np.ndarray  # int64 yyyymmdd, 0 = undated
    last: np.ndarray
    offsets: (
        np.ndarray
    )  # int64, len(ids) + 1: chunk i's terms are term_ids[offsets[i]:offsets[i+1]]
    term_ids: np.ndarray  # int32
    terms: list[str]

    @classmethod
    def from_chunks(cls, chunks: Sequence[Chunk]) -> Postings:
        term_of: dict[str, int] = {}
        flat: list[int] = []
        offsets = [0]
        for c in chunks:
            for w in _analyse(f"{c.section}\n{c.text}"):  # once per chunk: not remembered
                flat.append(term_of.setdefault(w, len(term_of)))
            offsets.append(len(flat))
        spans = [date_span(c.meta) for c in chunks]
        return cls(
            ids=[c.id for c in chunks],
            doc=np.array([c.doc_id for c in chunks], dtype=object),
            doc_type=np.array([c.meta.doc_type for c in chunks], dtype=object),
            formations=[c.meta.covered_formations() for c in chunks],
            first=np.array([a for a, _ in spans], dtype=np.int64),
            last=np.array([b for _, b in spans], dtype=np.int64),
            offsets=np.array(offsets, dtype=np.int64),
            term_ids=np.array(flat, dtype=np.int32),
            terms=list(term_of),
        )

    def __len__(self) -> int:
        return len(self.ids)

    def select(self, rows: np.ndarray) -> Postings:
        """The postings of the given rows, in that order."""
        spans = [self.term_ids[self.offsets[i] : self.offsets[i + 1]] for i in rows]
        lengths = np.array([len(t) for t in spans], dtype=np.int64)
        return replace(
            self,
            ids=[self.ids[i] for i in rows],
            doc=self.doc[rows],
            doc_type=self.doc_type[rows],
            formations=[self.formations[i] for i in rows],
            first=self.first[rows],
            last=self.last[rows],
            offsets=np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64),
            term_ids=np.concatenate(spans).astype(np.int32) if spans else self.term_ids[:0],
        )

    def concat(self, other: Postings) -> Postings:
        """These postings followed by `other`'s, over a merged, compacted term list."""
        term_of = {t: i for i, t in enumerate(self.terms)}
        remap = np.array([term_of.setdefault(t, len(term_of)) for t in other.terms], dtype=np.int32)
        merged = replace(
            self,
            ids=[*self.ids, *other.ids],
            doc=np.concatenate([self.doc, other.doc]),
            doc_type=np.concatenate([self.doc_type, other.doc_type]),
            formations=[*self.formations, *other.formations],
            first=np.concatenate([self.first, other.first]),
            last=np.concatenate([self.last, other.last]),
            offsets=np.concatenate([self.offsets, other.offsets[1:] + self.offsets[-1]]),
            term_ids=np.concatenate([self.term_ids, remap[other.term_ids]]).astype(np.int32),
            terms=list(term_of),
        )
        return merged.compacted()

    def compacted(self) -> Postings:
        """Drop terms no chunk uses any more (after deletions), renumbering the rest."""
        used = np.unique(self.term_ids)
        if len(used) == len(self.terms):
            return self
        return replace(
            self,
            term_ids=np.searchsorted(used, self.term_ids).astype(np.int32),
            terms=[self.terms[i] for i in used],
        )


class LexicalIndex:
    """BM25 over the postings of all chunks, with filter masks."""

    def __init__(self, postings: Postings, bm25: Any | None = None) -> None:
        bm25s = load_bm25s()
        self.postings = p = postings
        self.ids = p.ids
        self.vocabulary = set(p.terms)
        if bm25 is None:
            bm25 = bm25s.BM25()
            if len(p):
                per_chunk = [
                    p.term_ids[p.offsets[i] : p.offsets[i + 1]].tolist() for i in range(len(p))
                ]
                vocab = {t: i for i, t in enumerate(p.terms)}
                bm25.index((per_chunk, vocab), show_progress=False)
        # Document frequency = non-zeros per term column of bm25s's (chunks x terms) CSC score
        # matrix, whose columns follow our term ids; BM25 scores of present terms are positive.
        df = np.diff(bm25.scores["indptr"])[: len(p.terms)] if len(p) else np.zeros(0, np.int64)
        self._df = dict(zip(p.terms, df.tolist()))
        self.bm25 = bm25

    def __len__(self) -> int:
        return len(self.ids)

    def idf(self, term: str) -> float:
        """Inverse document frequency (BM25's), 0 for a term the reports never use."""
        df = self._df.get(term, 0)
        if not df:
            return 0.0
        n = len(self.ids)
        return float(np.log(1 + (n - df + 0.5) / (df + 0.5)))

    def chunk_ids_of(self, doc_id: str) -> list[str]:
        """The ids of a report's chunks (for reading them by id, not by Chroma's filter)."""
        return self._by_doc.get(doc_id, [])

    def doc_ids(self) -> set[str]:
        """Every indexed report."""
        return set(self._by_doc)

    def docs_with(self, terms: Sequence[str]) -> set[str]:
        """The reports with a chunk holding every one of the analysed terms (all reports for
        none; no report when a term is not indexed). Read from BM25's inverted index: its
        (chunks x terms) CSC score matrix lists, per term column, the chunks that hold it."""
        if not terms:
            return self.doc_ids()
        scores, doc = self.bm25.scores, self.postings.doc
        holding: set[int] | None = None
        for term in dict.fromkeys(terms):
            tid = self._term_id.get(term)
            if tid is None:
                return set()
            chunks = set(
                scores["indices"][scores["indptr"][tid] : scores["indptr"][tid + 1]].tolist()
            )
            holding = chunks if holding is None else holding & chunks
        return {doc[i] for i in holding or ()}

    @cached_property
    def _term_id(self) -> dict[str, int]:
        return {t: i for i, t in enumerate(self.postings.terms)}

    @cached_property
    def _by_doc(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for chunk_id, doc_id in zip(self.ids, self.postings.doc.tolist()):
            out.setdefault(doc_id, []).append(chunk_id)
        return out

    def matched_terms(self, query: str) -> list[str]:
        return [t for t in dict.fromkeys(analyse(query)) if t in self.vocabulary]

    def search(self, query: str, k: int, filters: Filters | None = None) -> list[LexicalHit]:
        """Top-k chunks with a positive BM25 score, within the filters."""
        terms = self.matched_terms(query)
        if not terms or not self.ids:
            return []
        scores = np.asarray(self.bm25.get_scores(terms), dtype=np.float64)
        if filters is not None and not filters.is_empty():
            scores = np.where(self.mask(filters), scores, 0.0)
        top = np.argsort(-scores, kind="stable")[:k]
        return [LexicalHit(self.ids[i], float(scores[i])) for i in top if scores[i] > 0]

    def admitted(self, filters: Filters) -> set[str] | None:
        """The ids of the chunks within the filters; None when there are no filters."""
        if filters.is_empty():
            return None
        return {self.ids[i] for i in np.flatnonzero(self.mask(filters))}

    def mask(self, filters: Filters) -> np.ndarray:
        p = self.postings
        m = np.ones(len(p), dtype=bool)
        if filters.formation:
            m &= np.array([filters.formation in f for f in p.formations], dtype=bool)
        if filters.since:
            m &= (p.last >= iso_day(filters.since)) | (p.first == 0)
        if filters.until:
            m &= p.first <= iso_day(filters.until)
        if filters.doc_ids:
            m &= np.isin(p.doc, list(filters.doc_ids))
        if filters.doc_types:
            m &= np.isin(p.doc_type, list(filters.doc_types))
        return m
