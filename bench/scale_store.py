"""Scale stores for the query benchmark: N chunks of generated reports, with realistic vectors.

How a store of N chunks is built (and why):
1. `rag.eval.scalegen.generate` writes the first reports of the deterministic scale corpus (seed 0),
   and each goes through the real ingest path, `ingest.pipeline.prepare` (parse, clean, metadata,
   sections, chunk), until N chunks are reached (whole reports, so a store holds N or a few more).
2. Vectors: e5 embeds ~2 passages/s on this machine, so embedding 50k chunks is out of reach. The
   generator reuses corpus sentences verbatim (with actors swapped), so the distinct sentences are
   few (~5,800 for 50k chunks). Each distinct sentence (and section title) is embedded ONCE with
   the real e5 model, in order of frequency, and cached in `data/bench-cache/sentences-<model>.npy`.
   A chunk's vector is the normalised mean of its section title's and its sentences' vectors; its
   `SentenceVectors` come from the same cache (spans by `rag.sentences.sentence_spans`).
3. Sentence embedding runs under a time budget; a sentence not embedded yet borrows the vector of
   its nearest embedded sentence by hashed character-trigram cosine (usually the same corpus
   sentence with another country or presidency). The manifest counts such sentences; a run with
   a larger budget embeds more and rebuilds the stores.

So the query benchmark measures search, fusion, sentence scoring and answer composition over a
real-size store with realistic but approximate vectors; `fidelity` compares a sample of chunk
vectors with real e5 embeddings of the same chunks.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import time
import zlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import numpy as np

from bench.scalegen import generate
from ingest.pipeline import PreparedDocument, content_hash, prepare, sentence_record
from rag.core.config import PROJECT_DIR, Config
from rag.core.embedders import Embedder
from rag.core.sentences import sentence_spans
from rag.core.store import Store

log = logging.getLogger(__name__)

#: Bump when the way stores are built changes; stores of another version are rebuilt.
VERSION = "3"  # 2: one Chroma record per sentence; 3: chunks without text or report metadata
CACHE_DIR = PROJECT_DIR / "data" / "bench-cache"
CHUNKS_PER_REPORT_GUESS = 20  # low on purpose (measured ~25.5 at 200 tokens): generate enough
_WRITE_BATCH = 1000
_TRIGRAM_DIM = 1 << 12


def norm_text(text: str) -> str:
    """The cache key of a sentence: whitespace runs (line wraps) become one space.

    >>> norm_text("De Raad\\nstemde  in.")
    'De Raad stemde in.'
    """
    return " ".join(text.split())


def prepare_reports(n_chunks: int, reports_dir: Path, seed: int = 0) -> list[PreparedDocument]:
    """The first generated reports, through the real ingest path, until `n_chunks` chunks."""
    config = Config.from_env()
    docs: list[PreparedDocument] = []
    total = 0
    n_reports = max(1, n_chunks // CHUNKS_PER_REPORT_GUESS)
    paths = generate(reports_dir, n_reports, seed)
    i = 0
    while total < n_chunks:
        if i == len(paths):  # rare: the guess was too low; generate a prefix-stable superset
            n_reports *= 2
            paths = generate(reports_dir, n_reports, seed)
        data = paths[i].read_bytes()
        doc_id = hashlib.sha256(data).hexdigest()[:16]
        prepared = prepare(paths[i], data, doc_id, config)
        record = replace(prepared.record, content_hash=content_hash(data), complete=True)
        docs.append(replace(prepared, record=record))
        total += len(prepared.chunks)
        i += 1
    return docs


def chunk_sentences(doc: PreparedDocument) -> dict[str, list[tuple[int, int]]]:
    return {c.id: sentence_spans(c.text) for c in doc.chunks}


def texts_by_frequency(docs: Sequence[PreparedDocument]) -> list[str]:
    """Distinct sentences and section titles (normalised), most frequent first."""
    counts: Counter[str] = Counter()
    for doc in docs:
        for c in doc.chunks:
            if c.section:
                counts[norm_text(c.section)] += 1
            counts.update(norm_text(c.text[a:b]) for a, b in sentence_spans(c.text))
    return [t for t, _ in counts.most_common()]


class SentenceCache:
    """Real e5 vectors of distinct sentences, on disk as `<stem>.npy` plus `<stem>.json` (texts)."""

    def __init__(self, cache_dir: Path, model: str) -> None:
        self.vec_path = cache_dir / f"sentences-{model}.npy"
        self.txt_path = cache_dir / f"sentences-{model}.json"
        self.texts: list[str] = []
        self.vectors = np.zeros((0, 0), dtype=np.float32)
        if self.vec_path.exists() and self.txt_path.exists():
            self.texts = json.loads(self.txt_path.read_text(encoding="utf-8"))
            self.vectors = np.load(self.vec_path)
            if len(self.texts) != len(self.vectors):  # torn write: start again
                self.texts, self.vectors = [], np.zeros((0, 0), dtype=np.float32)
        self.index = {t: i for i, t in enumerate(self.texts)}
        self._approx: dict[str, np.ndarray] = {}
        self._trigrams: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.texts)

    def fill(self, texts: Sequence[str], embedder: Embedder, budget_s: float) -> tuple[int, float]:
        """Embed texts not cached yet, in the given order, for at most ~budget_s seconds.

        Returns (number embedded, seconds). Saved every batch, so an interrupted run keeps its work.
        """
        todo = [t for t in dict.fromkeys(texts) if t not in self.index]
        t0 = time.perf_counter()
        done = 0
        step = 64
        for i in range(0, len(todo), step):
            if time.perf_counter() - t0 > budget_s:
                break
            # Sorted by length within a batch so the model pads less; the order across batches
            # (most frequent first) is what the budget cuts.
            batch = sorted(todo[i : i + step], key=len)
            vecs = embedder.embed_documents(batch).astype(np.float32)
            self.vectors = vecs if not len(self.texts) else np.vstack([self.vectors, vecs])
            for t in batch:
                self.index[t] = len(self.texts)
                self.texts.append(t)
            done += len(batch)
            self._save()
            log.info("embedded %d/%d distinct sentences", done, len(todo))
        self._trigrams = None
        self._approx.clear()
        return done, time.perf_counter() - t0

    def _save(self) -> None:
        self.vec_path.parent.mkdir(parents=True, exist_ok=True)
        tmp_vec = self.vec_path.with_suffix(".tmp.npy")
        np.save(tmp_vec, self.vectors)
        tmp_txt = self.txt_path.with_suffix(".tmp")
        tmp_txt.write_text(json.dumps(self.texts, ensure_ascii=False), encoding="utf-8")
        tmp_vec.replace(self.vec_path)
        tmp_txt.replace(self.txt_path)

    def vector(self, text: str) -> tuple[np.ndarray, bool]:
        """(vector, exact): the cached vector, or the nearest cached sentence's (exact=False)."""
        key = norm_text(text)
        i = self.index.get(key)
        if i is not None:
            return self.vectors[i], True
        if key not in self._approx:
            if not self.texts:
                raise RuntimeError(
                    "no sentence vectors cached yet: run again with a larger --embed-budget"
                )
            if self._trigrams is None:
                self._trigrams = np.vstack([_trigram_vector(t) for t in self.texts])
            self._approx[key] = self.vectors[int(np.argmax(self._trigrams @ _trigram_vector(key)))]
        return self._approx[key], False


def _trigram_vector(text: str) -> np.ndarray:
    """Unit vector of hashed character trigrams (a cheap stand-in for string similarity)."""
    v = np.zeros(_TRIGRAM_DIM, dtype=np.float32)
    padded = f"  {text.lower()} "
    for i in range(len(padded) - 2):
        v[zlib.crc32(padded[i : i + 3].encode()) & (_TRIGRAM_DIM - 1)] += 1.0
    n = np.linalg.norm(v)
    return v / n if n else v


def _unit(v: np.ndarray) -> np.ndarray:
    n = np.linalg.norm(v)
    return v / n if n else v


@dataclass(frozen=True)
class StoreInfo:
    """A built scale store and how it was built (also its on-disk manifest)."""

    path: str
    target_chunks: int
    chunks: int
    documents: int
    seed: int
    version: str
    cached_sentences: int  # size of the sentence cache when the store was built
    sentence_occurrences: int
    approximated_occurrences: int  # occurrences whose vector came from a nearest neighbour
    distinct_sentences: int
    approximated_distinct: int
    prepare_seconds: float
    write_seconds: float
    reused: bool = False

    @property
    def manifest(self) -> Path:
        return Path(self.path) / "bench-manifest.json"


def load_manifest(path: Path) -> StoreInfo | None:
    try:
        raw = json.loads((path / "bench-manifest.json").read_text(encoding="utf-8"))
        return StoreInfo(**{**raw, "reused": True})
    except (OSError, ValueError, TypeError):
        return None


def is_current(info: StoreInfo | None, n: int, seed: int, cache: SentenceCache) -> bool:
    """Built by this version for (n, seed), and the cache has not grown into its gaps since."""
    return (
        info is not None
        and info.version == VERSION
        and info.target_chunks == n
        and info.seed == seed
        and (info.approximated_distinct == 0 or info.cached_sentences == len(cache))
    )


def write_store(
    path: Path,
    docs: Sequence[PreparedDocument],
    cache: SentenceCache,
    embedder_name: str,
    dim: int,
    target_chunks: int,
    seed: int,
    prepare_seconds: float,
) -> StoreInfo:
    """Write the chunks, sentence vectors and document records of `docs` into a fresh store."""
    if path.exists():
        shutil.rmtree(path)
    t0 = time.perf_counter()
    config = Config.from_env().with_(store=str(path), chroma_url="")
    store = Store(config)
    store.check_embedder(embedder_name, dim, claim=True)
    occurrences = approximated = 0
    distinct: dict[str, bool] = {}
    pending: list[tuple] = []  # (chunk, vector, SentenceVectors)
    pending_docs: list[PreparedDocument] = []  # written in the flush of their last chunks

    def flush() -> None:
        for d in pending_docs:  # a chunk's text is read from its report's record
            store.put_document(d.record, d.text)
        pending_docs.clear()
        if pending:
            store.add_chunks([c for c, _, _ in pending], np.vstack([v for _, v, _ in pending]))
            store.put_sentences({c.id: s for c, _, s in pending})
            pending.clear()

    for doc in docs:
        for chunk in doc.chunks:
            spans = sentence_spans(chunk.text)
            vecs = []
            for a, b in spans:
                v, exact = cache.vector(chunk.text[a:b])
                vecs.append(v)
                occurrences += 1
                approximated += not exact
                distinct[norm_text(chunk.text[a:b])] = exact
            parts = list(vecs) + ([cache.vector(chunk.section)[0]] if chunk.section else [])
            chunk_vec = _unit(np.mean(parts, axis=0)).astype(np.float32)
            sent = sentence_record(
                doc,
                chunk,
                spans,
                np.vstack(vecs).astype(np.float32) if vecs else np.zeros((0, dim), np.float32),
            )
            pending.append((chunk, chunk_vec, sent))
        pending_docs.append(doc)
        if len(pending) >= _WRITE_BATCH:
            flush()
    flush()
    info = StoreInfo(
        path=str(path),
        target_chunks=target_chunks,
        chunks=store.count_chunks(),
        documents=store.count_documents(),
        seed=seed,
        version=VERSION,
        cached_sentences=len(cache),
        sentence_occurrences=occurrences,
        approximated_occurrences=approximated,
        distinct_sentences=len(distinct),
        approximated_distinct=sum(1 for exact in distinct.values() if not exact),
        prepare_seconds=round(prepare_seconds, 1),
        write_seconds=round(time.perf_counter() - t0, 1),
    )
    d = asdict(info)
    d.pop("reused")
    info.manifest.write_text(json.dumps(d, indent=2), encoding="utf-8")
    return info


def fidelity(
    docs: Sequence[PreparedDocument], cache: SentenceCache, embedder: Embedder, sample: int = 12
) -> dict[str, float]:
    """Cosine between approximate chunk vectors and real e5 embeddings of a sample of chunks."""
    chunks = [c for d in docs for c in d.chunks]
    if not chunks or sample <= 0:
        return {}
    step = max(1, len(chunks) // sample)
    picked = chunks[::step][:sample]
    real = embedder.embed_documents([c.embed_text for c in picked])
    cos = []
    for c, r in zip(picked, real):
        parts = [cache.vector(c.text[a:b])[0] for a, b in sentence_spans(c.text)]
        if c.section:
            parts.append(cache.vector(c.section)[0])
        cos.append(float(_unit(np.mean(parts, axis=0)) @ r))
    return {"chunks": len(cos), "mean_cosine": float(np.mean(cos)), "min_cosine": min(cos)}


def ensure_stores(
    sizes: Sequence[int],
    embedder: Embedder,
    cache_dir: Path = CACHE_DIR,
    seed: int = 0,
    embed_budget_s: float = 600.0,
    rebuild: bool = False,
    fidelity_sample: int = 12,
) -> tuple[list[StoreInfo], dict[str, object]]:
    """Reuse or build one store per size; returns them and the build's figures."""
    cache = SentenceCache(cache_dir, embedder.name)
    paths = {n: cache_dir / f"store-{n}-v{VERSION}" for n in sizes}
    infos = {n: load_manifest(paths[n]) for n in sizes}
    todo = [n for n in sizes if rebuild or not is_current(infos[n], n, seed, cache)]
    build: dict[str, object] = {"cached_sentences_before": len(cache), "rebuilt": todo}
    if todo:
        t0 = time.perf_counter()
        docs = prepare_reports(max(todo), cache_dir / f"reports-seed{seed}", seed)
        prep_s = time.perf_counter() - t0
        texts = texts_by_frequency(docs)
        embedded, embed_s = cache.fill(texts, embedder, embed_budget_s)
        build.update(
            prepare_seconds=round(prep_s, 1),
            distinct_texts=len(texts),
            embedded_now=embedded,
            embed_seconds=round(embed_s, 1),
            embed_rate_per_s=round(embedded / embed_s, 2) if embed_s else None,
            missing_after=sum(1 for t in texts if t not in cache.index),
        )
        build["fidelity"] = fidelity(docs, cache, embedder, fidelity_sample)
        for n in todo:
            total, k = 0, 0
            while total < n:
                total += len(docs[k].chunks)
                k += 1
            infos[n] = write_store(
                paths[n], docs[:k], cache, embedder.name, embedder.dim, n, seed, prep_s
            )
            log.info("built %s: %d chunks in %.0f s", paths[n], total, infos[n].write_seconds)
    build["cached_sentences_after"] = len(cache)
    return [infos[n] for n in sizes], build  # type: ignore[misc]
