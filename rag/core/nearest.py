"""Dense search restricted to the chunks a filter admits, without Chroma's metadata filter.

Chroma's `where` filter reads every admitted record's metadata before it searches: 50-550 ms at
50k chunks (bench.query_bench). The caller knows the admitted ids (the lexical index computes
them for its own mask), so a few are ranked exactly by their vectors and many are found by
over-fetching ids unfiltered. Similarity is exp(-cosine distance), as llama-index's
`ChromaVectorStore` reported it (stored thresholds keep their meaning).
"""

from __future__ import annotations

import math
from collections.abc import Collection
from typing import Any

import numpy as np

from rag.core.chroma import GET_BATCH

# Nearest ids fetched at most to find a filter's admitted chunks unfiltered: ids and distances
# only, ~10 ms for 2,000 at 50k chunks.
OVERFETCH_MAX = 4000
# Up to this many admitted chunks, their vectors are read by id and ranked exactly (~35 us each).
EXACT_MAX = 1500


def nearest_within(
    collection: Any, embedding: np.ndarray, k: int, within: Collection[str], total: int
) -> list[tuple[str, float]] | None:
    """(id, similarity) of the k chunks of `within` nearest to `embedding`, best first: exactly
    when few are admitted, else by over-fetching ids; None when that finds too few of them (the
    caller then lets Chroma filter). `total`: the chunks in the collection."""
    if not within:
        return []
    want = min(k, len(within))
    if len(within) <= EXACT_MAX:
        return nearest_exact(collection, embedding, want, within)
    n = min(total, max(4 * k, int(2 * k * total / len(within))))
    if n > OVERFETCH_MAX:
        return None
    got = collection.query(
        query_embeddings=[[float(x) for x in embedding]], n_results=n, include=["distances"]
    )
    kept = [(i, d) for i, d in zip(got["ids"][0], got["distances"][0]) if i in within][:want]
    if len(kept) < want and n < total:
        return None
    return [(i, math.exp(-d)) for i, d in kept]


def nearest_exact(
    collection: Any, embedding: np.ndarray, k: int, within: Collection[str]
) -> list[tuple[str, float]]:
    """The k nearest of a few chunks, exactly: their vectors read by id."""
    ids, vectors = [], []
    wanted = list(within)
    for i in range(0, len(wanted), GET_BATCH):
        got = collection.get(ids=wanted[i : i + GET_BATCH], include=["embeddings"])
        ids.extend(got["ids"])
        vectors.extend(got["embeddings"])
    if not ids:
        return []
    m = np.asarray(vectors, dtype=np.float32)
    m /= np.maximum(np.linalg.norm(m, axis=1, keepdims=True), 1e-12)
    q = np.asarray(embedding, dtype=np.float32)
    cos = m @ (q / max(float(np.linalg.norm(q)), 1e-12))
    top = np.argsort(-cos, kind="stable")[:k]
    return [(ids[i], math.exp(-(1.0 - float(cos[i])))) for i in top]
