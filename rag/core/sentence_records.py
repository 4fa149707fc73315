"""Sentences as first-class records: one Chroma record per sentence, its vector as the embedding.

Collection `<name>_sent` (cosine space) holds, for every sentence of every chunk, its unit vector
and, as flat metadata, where it is and what ingest found in it:

    s               "start:end:page": offsets relative to the chunk, and its page (0: unknown)
    item            the agenda item it lies in ("" outside one)
    stance          "supports", "opposes" or ""
    r_<actor>       2 when the actor speaks or is included ("enkele lidstaten, waaronder
                    Nederland"), 1 when merely mentioned; absent otherwise

So answers fetch a chunk's sentences without embedding at question time, sentence-level dense
search works (`query`), and "every sentence in which the Netherlands speaks" is one metadata
filter (`{"r_nl": 2}`). Chroma metadata holds no lists, hence one key per actor present. Chroma
stores one row per key per record (and indexes each string), so the place is one string, absent
facts add no row, and the chunk and the index are read from the id, `<chunk>#<i>`, instead of
being stored again: at 50k chunks (~230k sentences) every row counts (docs/benchmarks.md gives
the store's size). Records written with `chunk` and `i` keys read the same.

Stores written before this layout kept one record per chunk in `<name>_sentences` (vectors as
float16 base64 in the document field, which Chroma's full-text index then also indexed). `migrate`
moves such a store over once, keeping the vectors; the facts of migrated sentences come from the
report's stored statements (actors who speak; "mentioned" is only known for sentences ingested
anew).
"""

from __future__ import annotations

import base64
import json
import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

LEGACY_SUFFIX = "_sentences"
SUFFIX = "_sent"
_BATCH = 2000  # records per Chroma write; Chroma caps one request at ~5,000
_ROLE_PREFIX = "r_"


@dataclass(frozen=True)
class SentenceFacts:
    """What ingest found in one sentence: its agenda item, its stance and who is in it."""

    item: str = ""
    stance: str = ""
    roles: tuple[tuple[str, int], ...] = ()  # (actor key, 2 speaks/included or 1 mentioned)

    def role(self, actor: str) -> int:
        return dict(self.roles).get(actor, 0)


@dataclass(frozen=True)
class SentenceVectors:
    """The sentences of one chunk: (start, end, page) relative to the chunk, unit vectors, and
    per sentence the facts found at ingest (empty when unknown)."""

    spans: tuple[tuple[int, int, int], ...]
    vectors: np.ndarray  # (n, dim) float32
    facts: tuple[SentenceFacts, ...] = ()
    doc_id: str = ""

    def fact(self, i: int) -> SentenceFacts:
        return self.facts[i] if i < len(self.facts) else SentenceFacts()


@dataclass(frozen=True)
class SentenceHit:
    """One sentence found by `SentenceCollection.query`."""

    chunk_id: str
    index: int
    span: tuple[int, int, int]
    score: float  # cosine similarity
    facts: SentenceFacts


def metadata(chunk_id: str, i: int, rec: SentenceVectors) -> dict[str, Any]:
    """The flat Chroma metadata of sentence `i` of a chunk.

    >>> rec = SentenceVectors(((0, 5, 2),), np.zeros((1, 2)), (SentenceFacts("1. Pact", "", (("nl", 2),)),), "d")
    >>> metadata("c1", 0, rec)
    {'s': '0:5:2', 'item': '1. Pact', 'r_nl': 2}
    """
    a, b, p = rec.spans[i]
    f = rec.fact(i)
    md: dict[str, Any] = {"s": f"{a}:{b}:{p}"}
    if f.item:
        md["item"] = f.item
    if f.stance:
        md["stance"] = f.stance
    md.update({f"{_ROLE_PREFIX}{actor}": role for actor, role in f.roles if role})
    return md


def sentence_id(chunk_id: str, i: int) -> str:
    return f"{chunk_id}#{i}"


def parse_id(sentence: str) -> tuple[str, int]:
    """(chunk id, index) of a sentence record's id.

    >>> parse_id("d-0001-ab#3")
    ('d-0001-ab', 3)
    """
    chunk, i = sentence.rsplit("#", 1)
    return chunk, int(i)


def span_of(md: dict[str, Any]) -> tuple[int, int, int]:
    a, b, p = (int(x) for x in str(md["s"]).split(":"))
    return a, b, p


def doc_of(chunk_id: str) -> str:
    """The report's id from a chunk's (`ingest.chunk.chunk_id`: "<doc>-<index>-<digest>")."""
    return chunk_id.rsplit("-", 2)[0]


def facts_of(md: dict[str, Any]) -> SentenceFacts:
    """The facts of a stored sentence, back from its metadata (roles strongest first)."""
    roles = sorted(
        ((k[len(_ROLE_PREFIX) :], int(v)) for k, v in md.items() if k.startswith(_ROLE_PREFIX)),
        key=lambda kv: (-kv[1], kv[0]),
    )
    return SentenceFacts(str(md.get("item", "")), str(md.get("stance", "")), tuple(roles))


class SentenceCollection:
    """The `<name>_sent` collection: put, get by chunk, delete by chunk, dense query."""

    def __init__(self, collection: Any) -> None:
        self.collection = collection

    def put(self, records: dict[str, SentenceVectors]) -> None:
        ids: list[str] = []
        vecs: list[list[float]] = []
        mds: list[dict[str, Any]] = []
        for cid, rec in records.items():
            for i in range(len(rec.spans)):
                ids.append(sentence_id(cid, i))
                vecs.append([float(x) for x in rec.vectors[i]])
                mds.append(metadata(cid, i, rec))
        # A chunk's old sentences went with it (`Store.add_chunks` deletes before writing);
        # upsert keeps a repeated write from failing.
        for j in range(0, len(ids), _BATCH):
            self.collection.upsert(
                ids=ids[j : j + _BATCH],
                embeddings=vecs[j : j + _BATCH],
                metadatas=mds[j : j + _BATCH],
            )

    def get(
        self, chunk_ids: Sequence[str], counts: Mapping[str, int] | None = None
    ) -> dict[str, SentenceVectors]:
        """Each chunk's sentences in order; chunks without stored sentences are left out.

        With `counts` (sentences per chunk, from the chunk's stored spans) the records are read
        by id, `<chunk>#<i>`: ~4 ms at 50k chunks where a metadata filter over ~230k sentences
        takes ~55 ms. Chunks not found that way are read by the filter.
        """
        rows: dict[str, list[tuple[int, dict[str, Any], Any]]] = defaultdict(list)

        def collect(**query: Any) -> None:
            got = self.collection.get(**query, include=["embeddings", "metadatas"])
            for sid, md, emb in zip(got["ids"], got["metadatas"], got["embeddings"]):
                cid, i = parse_id(sid)
                rows[cid].append((i, md, emb))

        ids = list(dict.fromkeys(chunk_ids))
        counts = counts or {}
        wanted = [sentence_id(c, i) for c in ids for i in range(counts.get(c, 0))]
        for j in range(0, len(wanted), 2000):
            collect(ids=wanted[j : j + 2000])
        # Chunks stored without their spans: only records that carry a `chunk` key (written
        # before the id alone named it) can be found, by filter.
        unknown = [c for c in ids if not counts.get(c)]
        for j in range(0, len(unknown), 500):
            collect(where={"chunk": {"$in": unknown[j : j + 500]}})
        out: dict[str, SentenceVectors] = {}
        for cid, sents in rows.items():
            sents.sort(key=lambda r: r[0])
            out[cid] = SentenceVectors(
                tuple(span_of(md) for _, md, _ in sents),
                np.asarray([e for _, _, e in sents], dtype=np.float32),
                tuple(facts_of(md) for _, md, _ in sents),
                doc_of(cid),
            )
        return out

    def delete(self, chunk_ids: Iterable[str], counts: Mapping[str, int]) -> None:
        """Delete these chunks' sentences, `counts[chunk]` of them each (from the chunk's stored
        spans); chunks of unknown count by the `chunk` key older records carry."""
        ids = list(chunk_ids)
        wanted = [sentence_id(c, i) for c in ids for i in range(counts.get(c, 0))]
        for j in range(0, len(wanted), _BATCH):
            self.collection.delete(ids=wanted[j : j + _BATCH])
        unknown = [c for c in ids if not counts.get(c)]
        for j in range(0, len(unknown), 500):
            self.collection.delete(where={"chunk": {"$in": unknown[j : j + 500]}})

    def query(
        self, embedding: np.ndarray, k: int, where: dict[str, Any] | None = None
    ) -> list[SentenceHit]:
        """The k sentences nearest to `embedding`, optionally filtered by their metadata
        (e.g. `{"r_nl": 2}`: sentences in which the Netherlands speaks)."""
        n = int(self.collection.count())
        if not n:
            return []
        got = self.collection.query(
            query_embeddings=[[float(x) for x in embedding]],
            n_results=max(1, min(k, n)),
            where=where,
            include=["metadatas", "distances"],
        )
        return [
            SentenceHit(*parse_id(sid), span_of(md), 1.0 - float(dist), facts_of(md))
            for sid, md, dist in zip(got["ids"][0], got["metadatas"][0], got["distances"][0])
        ]

    def count(self) -> int:
        return int(self.collection.count())


def decode_legacy(raw: str) -> tuple[tuple[tuple[int, int, int], ...], np.ndarray]:
    """Spans and vectors of one chunk as the old layout stored them (JSON, float16 base64)."""
    obj = json.loads(raw)
    flat = np.frombuffer(base64.b64decode(obj["v"]), dtype=np.float16).astype(np.float32)
    spans = tuple((int(x[0]), int(x[1]), int(x[2])) for x in obj["s"])
    return spans, flat.reshape(-1, obj["d"])


def migrate(
    legacy: Any,
    target: SentenceCollection,
    chunk_info: dict[str, tuple[str, int]],
    facts_at: dict[str, dict[tuple[int, int], SentenceFacts]],
) -> int:
    """Move a legacy per-chunk collection into `target`; returns the sentences moved.

    `chunk_info` maps chunk id -> (doc id, char offset of the chunk in its report);
    `facts_at` maps doc id -> {(start, end) in the report: facts}.
    """
    moved, offset = 0, 0
    while True:
        got = legacy.get(include=["documents"], limit=500, offset=offset)
        batch: dict[str, SentenceVectors] = {}
        for cid, raw in zip(got["ids"], got["documents"]):
            if cid not in chunk_info or not raw:
                continue
            doc, base = chunk_info[cid]
            spans, vectors = decode_legacy(raw)
            known = facts_at.get(doc, {})
            facts = tuple(known.get((base + a, base + b), SentenceFacts()) for a, b, _ in spans)
            batch[cid] = SentenceVectors(spans, vectors, facts, doc)
            moved += len(spans)
        target.put(batch)
        if len(got["ids"]) < 500:
            return moved
        offset += 500
