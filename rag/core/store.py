"""The vector store: Chroma, embedded or a server.

This is the one layer that knows Chroma records; it speaks `Chunk` and `DocumentRecord` to the
rest. Three collections:
- `<name>` holds the chunks (text, embedding, flat metadata);
- `<name>_docs` holds one record per report (its cleaned text and metadata). Chroma needs a vector
  per record, so these carry a constant 1-d placeholder; they are never searched by vector.
- `<name>_sent` holds one record per sentence, its vector as the embedding and its place and
  structure (agenda item, stance, actors and their roles) as metadata: `rag.core.sentence_records`.

What the records hold is `rag.core.records`; a filtered dense search that avoids Chroma's slow
metadata filter is `rag.core.nearest`. Chroma is used directly, not through llama-index's
`ChromaVectorStore` (as before): that class writes each node whole into a `_node_content` key
beside the flat keys, so Chroma stored and indexed the metadata twice (~150 MB at 50k chunks), and
its query only gives the source document back from that key.

Chroma's own default embedding function must never run (it would download an ONNX model): every
collection gets `_RefuseToEmbed`, which raises if Chroma ever tries to embed text itself.
"""

from __future__ import annotations

import logging
import math
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np

from rag.core.chroma import GET_BATCH, drop_shared_system, make_client, translate, write_lock
from rag.core.config import Config
from rag.core.errors import StoreError
from rag.core.models import Chunk, DocumentRecord, ReportMeta, id_fits
from rag.core.nearest import nearest_within
from rag.core.records import (
    chunk_from_record,
    chunk_metadata,
    document_metadata,
    meta_from_md,
    record_from_md,
)
from rag.core.sentence_records import (
    LEGACY_SUFFIX,
    SUFFIX,
    SentenceCollection,
    SentenceFacts,
    SentenceHit,
    SentenceVectors,
    migrate,
)
from rag.core.sentences import decode_spans

log = logging.getLogger(__name__)

_REPORTS_CACHED = 512  # reports' texts kept in memory (~14 KB each in the scale corpus)


class _RefuseToEmbed:
    """An embedding function that refuses: every vector must come from our own embedder."""

    def __init__(self) -> None:
        pass

    def __call__(self, input: Any) -> Any:  # noqa: A002 - Chroma's protocol names it `input`
        raise StoreError(
            "Chroma tried to embed text with its default model; pass embeddings explicitly."
        )

    @staticmethod
    def name() -> str:
        return "council-reports-refuse"

    def is_legacy(self) -> bool:
        return True

    def embed_query(self, input: Any) -> Any:  # noqa: A002
        return self(input)


class Store:
    """Chunks and document records of one collection, in an embedded store or a Chroma server."""

    def __init__(self, config: Config, client: Any | None = None) -> None:
        self.config = config
        self._report_cache: OrderedDict[str, tuple[ReportMeta, str]] = OrderedDict()
        self._report_token = ""
        self._lock = threading.RLock()  # one writer per process; reopening is atomic
        self._depth = 0  # nesting of writes (delete_document calls delete_chunks)
        self._counted: tuple[str, int, int] | None = None  # (generation, chunks, reports)
        self._open(client if client is not None else make_client(config))
        self._seen = self._generation()
        self.migrate_sentences()  # a store of the older layout moves over once, on first open

    def _open(self, client: Any) -> None:
        self.client = client
        self._counted = None  # reopened (or reset): count again
        name = self.config.collection
        try:
            self._chunks = self.client.get_or_create_collection(
                name, embedding_function=_RefuseToEmbed(), metadata={"hnsw:space": "cosine"}
            )
            self._docs = self.client.get_or_create_collection(
                f"{name}_docs", embedding_function=_RefuseToEmbed()
            )
            self._sentences = SentenceCollection(
                self.client.get_or_create_collection(
                    f"{name}{SUFFIX}",
                    embedding_function=_RefuseToEmbed(),
                    metadata={"hnsw:space": "cosine"},
                )
            )
        except StoreError:
            raise
        except Exception as exc:  # noqa: BLE001
            translated = translate(exc, self.config)
            if isinstance(translated, StoreError):
                raise translated from None
            raise StoreError(
                f"Cannot open collection {name!r} ({exc}). "
                "If the store is damaged, rebuild it with `python -m ingest PATH --reset`."
            ) from None

    # -- other processes' writes ---------------------------------------------------------------
    def sync(self) -> str:
        """The store's version, after making sure this process sees every write to it.

        Through a server every read is current. An embedded store keeps its vector index in
        memory per process, so when another process wrote (the generation token changed and this
        process did not write it) the store is opened again: reports added by `python -m ingest`
        are then found by dense search too, not only counted.
        """
        with self._lock:
            token = self._generation()
            if not self.config.chroma_url and token != self._seen:
                log.info("the store at %s changed in another process; reopening it", self.location)
                drop_shared_system(self.config)
                self._open(make_client(self.config))
            self._seen = token
            chunks, reports = self._counts()
            return f"{chunks}:{reports}:{token}"

    def _counts(self) -> tuple[int, int]:
        """(chunks, reports) of the generation last seen, counted once per generation: every
        write ends by changing the generation (`_touch`), and a count costs ~6 ms at 50k chunks,
        three times per question otherwise."""
        with self._lock:
            if self._counted is None or self._counted[0] != self._seen:
                self._counted = (self._seen, self.count_chunks(), self.count_documents())
            return self._counted[1], self._counted[2]

    def is_empty(self) -> bool:
        """No chunk in the store, as of now (after `sync`)."""
        self.sync()
        return self._counts()[0] == 0

    def _generation(self) -> str:
        docs = self.client.get_collection(
            f"{self.config.collection}_docs", embedding_function=_RefuseToEmbed()
        )
        return str((docs.metadata or {}).get("generation", ""))

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """One writer at a time: threads of this process, and processes on an embedded store."""
        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield
                finally:
                    self._depth -= 1
                return
            with write_lock(self.config):
                self.sync()  # write into the current index, never into a stale one
                self._depth = 1
                try:
                    yield
                finally:
                    self._depth = 0

    @property
    def location(self) -> str:
        return self.config.chroma_url or self.config.store

    # -- the embedder the store was built with ---------------------------------------------
    def embedder_info(self) -> tuple[str, int] | None:
        md = self._chunks.metadata or {}
        if "embedder" not in md:
            return None
        return str(md["embedder"]), int(md.get("dim", 0))

    def check_embedder(self, name: str, dim: int, claim: bool = False) -> None:
        """Refuse to mix vectors of two models; `claim` records the model on an empty store."""
        info = self.embedder_info()
        if info is None or (self.count_chunks() == 0 and claim):
            if claim:
                md = dict(self._chunks.metadata or {})
                md.pop("hnsw:space", None)  # immutable after creation; Chroma refuses to modify it
                md.update({"embedder": name, "dim": dim})
                self._chunks.modify(metadata=md)
            return
        if info != (name, dim):
            raise StoreError(
                f"The store at {self.location} was built with embedder {info[0]} ({info[1]}-d), "
                f"not {name}. Set RAG_EMBEDDER={info[0]}, or rebuild with "
                "`python -m ingest PATH --reset`."
            )

    # -- documents ---------------------------------------------------------------------------
    def list_documents(self) -> list[DocumentRecord]:
        got = self._docs.get(include=["metadatas"])
        records = [record_from_md(i, md) for i, md in zip(got["ids"], got["metadatas"] or [])]
        return sorted(records, key=lambda r: (r.meta.meeting_date, r.file))

    def list_document_meta(self) -> list[tuple[str, ReportMeta]]:
        """(doc id, metadata) of every report: what date and formation filters read, without
        parsing each report's agenda items and statements (a third of the time at 2,000)."""
        got = self._docs.get(include=["metadatas"])
        return [(i, meta_from_md(md)) for i, md in zip(got["ids"], got["metadatas"] or [])]

    def get_document(self, doc_id: str) -> tuple[DocumentRecord, str] | None:
        got = self._docs.get(ids=[doc_id], include=["metadatas", "documents"])
        if not got["ids"]:
            return None
        return record_from_md(doc_id, got["metadatas"][0]), got["documents"][0] or ""

    def put_document(self, record: DocumentRecord, text: str) -> None:
        md = document_metadata(record)
        self._docs.upsert(ids=[record.doc_id], embeddings=[[1.0]], metadatas=[md], documents=[text])
        self._touch()

    def delete_document(self, doc_id: str) -> int:
        """Remove a report and all its chunks; returns the number of chunks removed."""
        ids = self.chunk_ids_of(doc_id)
        self.delete_chunks(ids)
        self._docs.delete(ids=[doc_id])
        self._touch()
        return len(ids)

    # -- version: lets caches beside the store (the lexical index) see any write --------------
    def version(self) -> str:
        """Changes with every write to chunks or reports, from any process."""
        docs = self.client.get_collection(
            f"{self.config.collection}_docs", embedding_function=_RefuseToEmbed()
        )
        token = (docs.metadata or {}).get("generation", "")
        return f"{self.count_chunks()}:{self.count_documents()}:{token}"

    def _touch(self) -> None:
        token = uuid.uuid4().hex
        self._docs.modify(metadata={"generation": token})
        self._seen = token  # our own write: no need to reopen for it

    # -- chunks ------------------------------------------------------------------------------
    def count_chunks(self) -> int:
        return int(self._chunks.count())

    def count_documents(self) -> int:
        return int(self._docs.count())

    def chunk_ids_of(self, doc_id: str) -> list[str]:
        return list(self._chunks.get(where={"document_id": doc_id}, include=[])["ids"])

    def existing_ids(self, ids: Sequence[str]) -> set[str]:
        found: set[str] = set()
        ids = list(ids)
        for i in range(0, len(ids), GET_BATCH):
            found.update(self._chunks.get(ids=list(ids[i : i + GET_BATCH]), include=[])["ids"])
        return found

    def embeddings_by_hash(self, hashes: Sequence[str]) -> dict[str, tuple[str, np.ndarray]]:
        """(chunk id, vector) keyed by `embed_hash`, for re-using vectors instead of re-embedding."""
        out: dict[str, tuple[str, np.ndarray]] = {}
        hashes = list(dict.fromkeys(hashes))
        for i in range(0, len(hashes), 500):
            got = self._chunks.get(
                where={"embed_hash": {"$in": hashes[i : i + 500]}},
                include=["embeddings", "metadatas"],
            )
            for cid, md, emb in zip(got["ids"], got["metadatas"], got["embeddings"]):
                out[md["embed_hash"]] = (cid, np.asarray(emb, dtype=np.float32))
        return out

    def add_chunks(self, chunks: Sequence[Chunk], embeddings: np.ndarray) -> None:
        """Write chunks with their vectors (ids already present are replaced, never duplicated).

        Flat keys only, and no text: it is read from the report (`chunk_metadata`), whose record
        must be written first (ingest does). Records written with their text, or with
        llama-index's `_node_content`, `doc_id` and `ref_doc_id`, read the same."""
        if not chunks:
            return
        self.delete_chunks([c.id for c in chunks])
        for i in range(0, len(chunks), GET_BATCH):
            part = chunks[i : i + GET_BATCH]
            self._chunks.upsert(
                ids=[c.id for c in part],
                embeddings=[[float(x) for x in v] for v in embeddings[i : i + GET_BATCH]],
                metadatas=[chunk_metadata(c) for c in part],
            )
        self._touch()

    def delete_chunks(self, ids: Iterable[str]) -> None:
        ids = list(ids)
        if not ids:
            return
        for i in range(0, len(ids), GET_BATCH):
            part = ids[i : i + GET_BATCH]
            self._sentences.delete(part, self._sentence_counts(part))
            self._chunks.delete(ids=part)
        self._touch()

    def _sentence_counts(self, ids: Sequence[str]) -> dict[str, int]:
        """Sentences per chunk, from the chunks' stored spans (absent chunks: none)."""
        counts: dict[str, int] = {}
        for i in range(0, len(ids), GET_BATCH):
            got = self._chunks.get(ids=list(ids[i : i + GET_BATCH]), include=["metadatas"])
            counts.update(
                (cid, len(decode_spans(str(md.get("sentences", "")))))
                for cid, md in zip(got["ids"], got["metadatas"])
            )
        return counts

    def put_sentences(self, records: dict[str, SentenceVectors]) -> None:
        """Store each chunk's sentences: one record per sentence (`rag.core.sentence_records`)."""
        if records:
            self._sentences.put(records)

    def get_sentences(self, chunks: Sequence[str] | Sequence[Chunk]) -> dict[str, SentenceVectors]:
        """The stored sentences of these chunks (ids, or chunks, which are read faster: their
        stored spans give the sentence ids), in order; chunks without any are left out."""
        if not chunks:
            return {}
        if isinstance(chunks[0], Chunk):
            known = [c for c in chunks if isinstance(c, Chunk)]
            counts = {c.id: len(c.sentence_spans) for c in known}
            return self._sentences.get([c.id for c in known], counts)
        ids = [str(c) for c in chunks]
        return self._sentences.get(ids, self._sentence_counts(ids))

    def query_sentences(
        self, embedding: np.ndarray, k: int, where: dict[str, Any] | None = None
    ) -> list[SentenceHit]:
        """The k sentences nearest to `embedding` (cosine), optionally filtered by their
        metadata, e.g. `{"r_nl": 2}` for sentences in which the Netherlands speaks."""
        return self._sentences.query(embedding, k, where)

    def count_sentences(self) -> int:
        return self._sentences.count()

    def migrate_sentences(self) -> int:
        """Move a store written with one sentence record per chunk (before sentences had their
        own vectors in Chroma) to one record per sentence, keeping every vector; returns the
        sentences moved (0 when there was nothing to move)."""
        legacy_name = f"{self.config.collection}{LEGACY_SUFFIX}"
        names = {c if isinstance(c, str) else c.name for c in self.client.list_collections()}
        if legacy_name not in names:
            return 0
        legacy = self.client.get_collection(legacy_name, embedding_function=_RefuseToEmbed())
        info: dict[str, tuple[str, int]] = {}
        offset = 0
        while True:
            got = self._chunks.get(include=["metadatas"], limit=GET_BATCH, offset=offset)
            for cid, md in zip(got["ids"], got["metadatas"]):
                info[cid] = (str(md.get("document_id", "")), int(md.get("char_start", 0)))
            if len(got["ids"]) < GET_BATCH:
                break
            offset += GET_BATCH
        facts: dict[str, dict[tuple[int, int], SentenceFacts]] = {}
        for rec in self.list_documents():
            at: dict[tuple[int, int], SentenceFacts] = {}
            for st in rec.statements:
                old = at.get((st.start, st.end), SentenceFacts(st.item, st.stance))
                at[(st.start, st.end)] = SentenceFacts(
                    old.item, old.stance, (*old.roles, (st.actor, 2))
                )
            facts[rec.doc_id] = at
        moved = migrate(legacy, self._sentences, info, facts)
        self.client.delete_collection(legacy_name)
        self._touch()
        log.info("moved %d sentences of %s to one record per sentence", moved, self.location)
        return moved

    def all_chunks(self, where: dict[str, Any] | None = None) -> list[Chunk]:
        """Every chunk (for the lexical index and for listing a document's sections)."""
        out: list[Chunk] = []
        offset = 0
        while True:
            got = self._chunks.get(
                where=where, include=["documents", "metadatas"], limit=GET_BATCH, offset=offset
            )
            out.extend(self._to_chunks(got["ids"], got["documents"], got["metadatas"]))
            if len(got["ids"]) < GET_BATCH:
                return out
            offset += GET_BATCH

    def chunks_of_documents(self, doc_ids: Sequence[str]) -> list[Chunk]:
        """Every chunk of the given reports."""
        out: list[Chunk] = []
        doc_ids = list(doc_ids)
        for i in range(0, len(doc_ids), 500):
            out.extend(self.all_chunks(where={"document_id": {"$in": doc_ids[i : i + 500]}}))
        return out

    def get_chunks(self, ids: Sequence[str]) -> dict[str, Chunk]:
        """The chunks with these ids (absent ones are left out)."""
        if not ids:
            return {}
        got = self._chunks.get(ids=list(ids), include=["documents", "metadatas"])
        return {c.id: c for c in self._to_chunks(got["ids"], got["documents"], got["metadatas"])}

    def query(
        self,
        embedding: np.ndarray,
        k: int,
        where: dict[str, Any] | None = None,
        within: Collection[str] | None = None,
    ) -> list[tuple[Chunk, float]]:
        """The k nearest chunks (cosine similarity), optionally filtered by metadata.

        `within`: the ids of the chunks `where` admits, when the caller knows them (the lexical
        index does). A few admitted chunks are ranked exactly by their vectors; otherwise the
        nearest are found unfiltered and kept when admitted. At 50k chunks either takes 5-50 ms
        where Chroma's metadata filter takes 50-550 ms (it reads every admitted record's
        metadata first). When too few of the nearest are admitted, Chroma filters after all."""
        total = self._counts()[0]
        k = max(1, min(k, total))
        if where and within is not None:
            found = nearest_within(self._chunks, embedding, k, within, total)
            if found is not None:
                chunks = self.get_chunks([i for i, _ in found])
                return [(chunks[i], sim) for i, sim in found if i in chunks]
        got = self._chunks.query(
            query_embeddings=[[float(x) for x in embedding]],
            n_results=k,
            where=where,
            include=["documents", "metadatas", "distances"],
        )
        # exp(-distance): the similarity llama-index's ChromaVectorStore reported (kept so
        # stored thresholds keep their meaning)
        chunks = {
            c.id: c
            for c in self._to_chunks(got["ids"][0], got["documents"][0], got["metadatas"][0])
        }
        return [
            (chunks[i], math.exp(-d))
            for i, d in zip(got["ids"][0], got["distances"][0])
            if i in chunks
        ]

    def _to_chunks(
        self, ids: Sequence[str], texts: Sequence[str | None], mds: Sequence[dict[str, Any]]
    ) -> list[Chunk]:
        """Chunks from their records and their reports' records. A chunk without its text (its
        report's record gone, or its report's text changed underneath it so that the text no
        longer fits its id: never by this code's writes) is left out, with an error in the log,
        rather than quoted wrongly."""
        reports = self._reports(str(md.get("document_id", "")) for md in mds)
        out = []
        for i, t, md in zip(ids, texts, mds):
            report = reports.get(str(md.get("document_id", "")))
            chunk = chunk_from_record(i, t or "", md, report)
            if t or (report is not None and id_fits(i, chunk.text)):
                out.append(chunk)
            elif report is None:
                log.error("passage %s belongs to no stored report; it is left out", i)
            else:
                log.error(
                    "passage %s does not match the stored text of its report; it is left out: "
                    "re-ingest the report with `python -m ingest PATH`",
                    i,
                )
        return out

    def _reports(self, doc_ids: Iterable[str]) -> dict[str, tuple[ReportMeta, str]]:
        """Each report's metadata and cleaned text, kept for the latest reports read until the
        store changes (a query reads the chunks of ~50 reports, ~10 ms at 50k chunks uncached).
        The generation is the one last seen: each question starts with `sync`, and this
        process's writes change it themselves."""
        wanted = list(dict.fromkeys(d for d in doc_ids if d))
        with self._lock:  # the app's sessions read from threads
            token = self._seen
            if token != self._report_token:
                self._report_cache.clear()
                self._report_token = token
            cache = self._report_cache
            missing = [d for d in wanted if d not in cache]
            for i in range(0, len(missing), 500):
                got = self._docs.get(ids=missing[i : i + 500], include=["metadatas", "documents"])
                for did, md, text in zip(got["ids"], got["metadatas"], got["documents"]):
                    cache[did] = (meta_from_md(md), text or "")
            out = {}
            for d in wanted:
                if d in cache:
                    cache.move_to_end(d)
                    out[d] = cache[d]
            while len(cache) > _REPORTS_CACHED:
                cache.popitem(last=False)
            return out

    def reset(self) -> None:
        """Drop both collections (used by `--reset`)."""
        name = self.config.collection
        for coll in (name, f"{name}_docs", f"{name}{SUFFIX}", f"{name}{LEGACY_SUFFIX}"):
            try:
                self.client.delete_collection(coll)
            except Exception:  # noqa: BLE001 - absent already
                log.debug("collection %s did not exist", coll)
        self._open(self.client)
        self._seen = self._generation()


# Every public call goes through `translate` (a down, frozen or foreign server, a full disk: one
# StoreError with the fix); writes also take the write lock.
_WRITES = (
    "check_embedder",
    "put_document",
    "delete_document",
    "add_chunks",
    "delete_chunks",
    "put_sentences",
    "migrate_sentences",
    "reset",
)
_READS = (
    "embedder_info",
    "list_documents",
    "get_document",
    "version",
    "sync",
    "is_empty",
    "count_chunks",
    "count_documents",
    "chunk_ids_of",
    "existing_ids",
    "embeddings_by_hash",
    "get_sentences",
    "query_sentences",
    "count_sentences",
    "all_chunks",
    "chunks_of_documents",
    "get_chunks",
    "query",
)


def _guard(method: Callable[..., Any], write: bool) -> Callable[..., Any]:
    def guarded(self: Store, *args: Any, **kwargs: Any) -> Any:
        try:
            if write:
                with self._writing():
                    return method(self, *args, **kwargs)
            return method(self, *args, **kwargs)
        except Exception as exc:  # every failure of the store becomes one message with the fix
            translated = translate(exc, self.config)
            if translated is exc:
                raise
            raise translated from None

    guarded.__name__, guarded.__doc__ = method.__name__, method.__doc__
    guarded.__wrapped__ = method  # type: ignore[attr-defined]
    return guarded


for _name in _WRITES + _READS:
    setattr(Store, _name, _guard(getattr(Store, _name), _name in _WRITES))
