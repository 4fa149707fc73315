"""Lexical search: BM25 (bm25s) over the chunks, with a Dutch Snowball stemmer (PyStemmer).

Built in memory from the store's chunks on first use and rebuilt when the store changes. Filters
are applied as a mask over all scores, so a filtered search ranks within the filtered set.
English questions are expanded with the glossary's Dutch terms; BM25 can only help where a term
actually occurs, so callers use the lexical ranking only when `matched_terms` is non-empty.
"""

from __future__ import annotations

import functools
import logging
import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from rag.models import Chunk
from rag.query import Filters
from rag.store import date_span, formations_of

log = logging.getLogger(__name__)

_TOKEN = re.compile(r"[0-9a-zà-ÿ]+(?:-[0-9a-zà-ÿ]+)*")
# Words of English questions that would otherwise match Dutch text by accident ("over", "door").
_EXTRA_STOP = set(
    "what which who whom when where why how did does do say said says about the a an and or of to "
    "in on at for with by from was were is are be been this that these those there their they "
    "wat welke wie wanneer waarom hoe zei zeiden zegt vond over daarover".split()
)


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
    stop = _stopwords()
    words: list[str] = []
    for tok in _TOKEN.findall(text.lower()):
        parts = tok.split("-")
        for w in [tok, *parts] if len(parts) > 1 else [tok]:
            if w and w not in stop and (len(w) > 1 or w.isdigit()):
                words.append(w)
    return list(_stemmer().stemWords(words))


@dataclass(frozen=True)
class LexicalHit:
    index: int  # position in `LexicalIndex.chunks`
    score: float


class LexicalIndex:
    """BM25 over a fixed list of chunks."""

    def __init__(self, chunks: list[Chunk]) -> None:
        import bm25s

        self.chunks = chunks
        corpus = [analyse(f"{c.section}\n{c.text}") for c in chunks]
        self.vocabulary = {w for doc in corpus for w in doc}
        self._df: dict[str, int] = {}
        for doc in corpus:
            for w in set(doc):
                self._df[w] = self._df.get(w, 0) + 1
        self._bm25 = bm25s.BM25()
        if chunks:
            self._bm25.index(corpus, show_progress=False)
        formations = functools.cache(formations_of)  # one ReportMeta per report, not per chunk
        self._formations = [formations(c.meta) for c in chunks]
        self._doc = np.array([c.doc_id for c in chunks], dtype=object)
        self._type = np.array([c.meta.doc_type for c in chunks], dtype=object)
        spans = [date_span(c.meta) for c in chunks]
        self._first = np.array([a for a, _ in spans], dtype=np.int64)
        self._last = np.array([b for _, b in spans], dtype=np.int64)

    def idf(self, term: str) -> float:
        """Inverse document frequency (BM25's), 0 for a term the reports never use."""
        df = self._df.get(term, 0)
        if not df:
            return 0.0
        n = len(self.chunks)
        return float(np.log(1 + (n - df + 0.5) / (df + 0.5)))

    def matched_terms(self, query: str) -> list[str]:
        return [t for t in dict.fromkeys(analyse(query)) if t in self.vocabulary]

    def search(self, query: str, k: int, filters: Filters | None = None) -> list[LexicalHit]:
        """Top-k chunks with a positive BM25 score, within the filters."""
        terms = self.matched_terms(query)
        if not terms or not self.chunks:
            return []
        scores = np.asarray(self._bm25.get_scores(terms), dtype=np.float64)
        if filters is not None and not filters.is_empty():
            scores = np.where(self.mask(filters), scores, 0.0)
        top = np.argsort(-scores, kind="stable")[:k]
        return [LexicalHit(int(i), float(scores[i])) for i in top if scores[i] > 0]

    def mask(self, filters: Filters) -> np.ndarray:
        m = np.ones(len(self.chunks), dtype=bool)
        if filters.formation:
            m &= np.array([filters.formation in f for f in self._formations], dtype=bool)
        if filters.since:
            m &= (self._last >= _day(filters.since)) | (self._first == 0)
        if filters.until:
            m &= self._first <= _day(filters.until)
        if filters.doc_ids:
            m &= np.isin(self._doc, list(filters.doc_ids))
        if filters.doc_types:
            m &= np.isin(self._type, list(filters.doc_types))
        return m


def _day(iso: str) -> int:
    return int(iso.replace("-", "")) if len(iso) == 10 else 0
