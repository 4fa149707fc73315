"""LLM answers: loading the configured model, prompting it with numbered sources, checking citations.

This module is the one layer that adapts llama-index's LLM integrations. `RAG_LLM` picks one:

- `openai:<url>#<model>`: any OpenAI-compatible endpoint (vLLM, a llama.cpp server, hosted APIs)
  through `llama_index.llms.openai_like.OpenAILike`;
- `ollama:<model>[@url]`: an Ollama server through `llama_index.llms.ollama.Ollama`;
- `gguf:<path>`: a local GGUF model. We start llama.cpp's own HTTP server from the `xllamacpp` wheel
  on 127.0.0.1 (a free port) inside this process and talk to it with `OpenAILike`, so the local
  model goes through exactly the code path of a remote endpoint. The server applies the GGUF's own
  chat template (ChatML for SmolLM2).

`answer_with_llm` streams the model's tokens and ends with an `LLMResult` whose every `[n]` marker
was checked against the sources given; markers naming no source are removed and reported. Prompts
are plain-text files in `prompts/`, read at load time.

Shortcuts taken on purpose: generation is greedy (temperature 0) and capped at `MAX_TOKENS`; no
retries (a dead endpoint should fail within one timeout, not three); the chat history does not go
into the answer prompt (see `answer_with_llm`).
"""

from __future__ import annotations

import atexit
import logging
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from rag.answer.followup import Turn
from rag.answer.question import Question
from rag.core.config import PROJECT_DIR, Config
from rag.core.errors import ConfigError, LLMError
from rag.core.models import Citation, Hit
from rag.core.registry import Registry
from rag.vocab.actors import find_actors
from rag.vocab.dates import dates_in_question

if TYPE_CHECKING:
    from llama_index.core.llms import LLM, ChatMessage

log = logging.getLogger(__name__)

PROMPTS_DIR = PROJECT_DIR / "prompts"
OLLAMA_URL = "http://127.0.0.1:11434"  # Ollama's default address
MAX_TOKENS = 200  # a cited answer of a few sentences; keeps a CPU model's answer under a minute
N_CTX = 4096  # system + 5 sources of ~200 tokens + question fit with room; SmolLM2 trains on 8192
FIX = "start the server or unset RAG_LLM"
LANGUAGES = {"nl": "Dutch (Nederlands)", "en": "English"}
NO_ANSWER = {
    "nl": "De bronnen beantwoorden deze vraag niet.",
    "en": "The sources do not answer this question.",
}
# [3] or [1, 2]: the forms models write. Anything else ("[a]", "[1-3]") is left as text.
_MARKER = re.compile(r"\s?\[(\d+(?:\s*,\s*\d+)*)\]")
# A document must not be able to close its <source> block and speak as the user.
_DELIMITER = re.compile(r"<(/?\s*sources?\b)", re.IGNORECASE)


@dataclass(frozen=True)
class LLMResult:
    """The checked LLM answer: `text` without invalid markers, `raw` exactly as streamed."""

    text: str
    citations: tuple[Citation, ...]
    warnings: tuple[str, ...] = ()
    raw: str = ""
    model: str = ""


@dataclass(frozen=True)
class Prompts:
    """The prompt files, read once per loaded LLM."""

    system: str
    user: str
    condense: str
    tasks: dict[str, str] = field(default_factory=dict)  # intent -> what the answer must do

    @classmethod
    def load(cls, directory: Path = PROMPTS_DIR) -> Prompts:
        texts = {}
        for name in ("system", "user", "condense", "tasks"):
            path = directory / f"{name}.txt"
            if not path.is_file():
                raise ConfigError(
                    f"The prompt file {path} is missing: restore it from the repository."
                )
            texts[name] = path.read_text(encoding="utf-8").strip()
        return cls(texts["system"], texts["user"], texts["condense"], parse_tasks(texts["tasks"]))

    def task(self, parsed: Question, verdict: str = "") -> str:
        """The task line for the question's intent, with its actor and verdict filled in."""
        template = self.tasks.get(str(parsed.intent)) or self.tasks.get("open", "")
        actor = parsed.actors[0].label_en if parsed.actors else "the speaker"
        return template.format(actor=actor, verdict=verdict or "not stated in the reports")


def parse_tasks(text: str) -> dict[str, str]:
    """`intent = instruction` lines (comments start with #).

    >>> parse_tasks(chr(10).join(["# note", "open = Answer.", "factoid = One detail."]))
    {'open': 'Answer.', 'factoid': 'One detail.'}
    """
    out = {}
    for line in text.splitlines():
        if line.strip() and not line.lstrip().startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            out[key.strip()] = value.strip()
    return out


class LocalLlamaServer:
    """llama.cpp's HTTP server (from the xllamacpp wheel) on 127.0.0.1, serving one GGUF, in a
    child process (`rag.answer.llama_server`, which says why). `close()` (or interpreter exit)
    stops it."""

    START_SECONDS = 120.0  # loading a GGUF from a cold disk on 2 cores

    def __init__(self, path: Path, n_ctx: int = N_CTX, threads: int | None = None) -> None:
        import subprocess
        import sys

        cmd = [sys.executable, "-m", "rag.answer.llama_server", str(path), str(n_ctx),
               str(threads or default_threads())]  # fmt: skip
        self._proc: subprocess.Popen[str] | None = subprocess.Popen(
            cmd,
            cwd=PROJECT_DIR,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        atexit.register(self.close)
        line = self._first_line()
        if not line.startswith("http"):
            self.close()
            why = line.removeprefix("error: ") or "it exited"
            raise LLMError(
                f"llama.cpp could not load {path} ({why}): check that it is a GGUF model "
                "or unset RAG_LLM."
            )
        self.url: str = line
        log.info("llama.cpp server for %s listening on %s", path.name, self.url)

    def _first_line(self) -> str:
        """The child's first line (its URL or an error), or "" if none comes in time."""
        import selectors

        assert self._proc is not None and self._proc.stdout is not None
        with selectors.DefaultSelector() as sel:
            sel.register(self._proc.stdout, selectors.EVENT_READ)
            if not sel.select(self.START_SECONDS):
                return ""
        return self._proc.stdout.readline().strip()

    def close(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        atexit.unregister(self.close)
        try:
            if proc.stdin:
                proc.stdin.close()  # the child stops its server and exits
            proc.wait(timeout=10)
        except Exception:  # noqa: BLE001 - a stuck or gone child: make sure it ends
            proc.kill()
            proc.wait()


def default_threads() -> int:
    """Half the CPUs this process may use, at least 1 and at most 8.

    llama.cpp's own default (every physical core) collapses when another process wants a core:
    its threads meet at a barrier per token. Measured with SmolLM2 on 2 busy cores: 2 threads
    gave 1.4-3.6 tokens/s, 1 thread 15-34 tokens/s. Past ~8 threads generation is memory-bound.
    """
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # macOS and Windows have no sched_getaffinity
        cpus = os.cpu_count() or 2
    return max(1, min(8, cpus // 2))


class ChatModel(Protocol):
    """What the assistant needs of an LLM: its name, its prompts, and a streamed chat."""

    name: str
    prompts: Prompts

    def stream_chat(self, messages: Sequence[ChatMessage]) -> Iterator[str]: ...

    def chat(self, messages: Sequence[ChatMessage]) -> str: ...


class AnswerLLM:
    """A llama-index LLM with the project's error messages and lifetime.

    `stream_chat` yields text pieces; every failure of the endpoint becomes one `LLMError` line
    naming the endpoint and the fix.
    """

    def __init__(
        self,
        llm: LLM,
        name: str,
        endpoint: str,
        timeout: float = 60.0,
        server: LocalLlamaServer | None = None,
        prompts: Prompts | None = None,
    ) -> None:
        self.llm = llm
        self.name = name
        self.endpoint = endpoint
        self.timeout = timeout
        self.server = server
        self.prompts = prompts or Prompts.load()

    def stream_chat(self, messages: Sequence[ChatMessage]) -> Iterator[str]:
        """The model's reply to `messages`, piece by piece as the endpoint streams it."""
        errors = _endpoint_errors()
        try:
            for response in self.llm.stream_chat(list(messages)):
                if response.delta:
                    yield response.delta
        except errors as e:
            raise LLMError(self._explain(e)) from e

    def chat(self, messages: Sequence[ChatMessage]) -> str:
        return "".join(self.stream_chat(messages))

    def close(self) -> None:
        if self.server is not None:
            self.server.close()
            self.server = None

    def __enter__(self) -> AnswerLLM:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _explain(self, e: Exception) -> str:
        import openai

        where = f"The LLM at {self.endpoint}"
        if isinstance(e, openai.APITimeoutError) or "timeout" in type(e).__name__.lower():
            return (
                f"{where} did not answer within {self.timeout:g} s: {FIX}, "
                "or raise RAG_LLM_TIMEOUT."
            )
        if isinstance(e, openai.APIStatusError):
            detail = _one_line(getattr(e, "message", "") or str(e))
            return (
                f"{where} refused the request (HTTP {e.status_code}: {detail}): check the model "
                "name in RAG_LLM and RAG_LLM_API_KEY, or unset RAG_LLM."
            )
        if type(e).__name__ == "ResponseError":  # ollama: e.g. the model is not pulled
            return f"{where} refused the request ({_one_line(str(e))}): check RAG_LLM, or unset it."
        return f"{where} is not reachable ({_one_line(str(e))}): {FIX}."


def _endpoint_errors() -> tuple[type[BaseException], ...]:
    """What the llama-index integrations raise when an endpoint is down, slow or refuses."""
    import httpx
    import openai

    errors: list[type[BaseException]] = [openai.APIError, httpx.HTTPError, ConnectionError]
    try:
        import ollama

        errors.append(ollama.ResponseError)
    except ImportError:
        pass
    return tuple(errors)


def _one_line(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _load_openai(rest: str, config: Config) -> AnswerLLM:
    url, _, model = rest.partition("#")
    if not url.startswith(("http://", "https://")) or not model:
        raise ConfigError(
            f"RAG_LLM=openai:{rest!r}: write openai:<url>#<model>, "
            "e.g. openai:http://127.0.0.1:8000/v1#Qwen2.5-1.5B-Instruct."
        )
    return AnswerLLM(
        _openai_like(url, model, config.llm_api_key, config.llm_timeout),
        f"openai:{model}",
        url,
        config.llm_timeout,
    )


def _load_ollama(rest: str, config: Config) -> AnswerLLM:
    model, url = rest, OLLAMA_URL
    if "@" in rest:
        model, _, url = rest.rpartition("@")
    from llama_index.llms.ollama import Ollama

    llm = Ollama(
        model=model,
        base_url=url,
        request_timeout=config.llm_timeout,
        temperature=0.0,
        context_window=N_CTX,
        additional_kwargs={"num_predict": MAX_TOKENS},
    )
    return AnswerLLM(llm, f"ollama:{model}", url, config.llm_timeout)


def _load_gguf(rest: str, config: Config) -> AnswerLLM:
    path = Path(rest).expanduser()
    if not path.is_file():
        raise ConfigError(
            f"RAG_LLM=gguf:{rest!r}: no file at {path}; give the path of a .gguf model."
        )
    prompts = Prompts.load()  # before the server starts, so a missing file leaks no server
    server = LocalLlamaServer(path)
    llm = _openai_like(server.url + "/v1", path.stem, "", config.llm_timeout)
    return AnswerLLM(llm, f"gguf:{path.name}", server.url, config.llm_timeout, server, prompts)


LLMS: Registry[AnswerLLM] = (
    Registry[AnswerLLM]("RAG_LLM", "LLM", ", or leave it empty for extractive answers")
    .register("openai:", "openai:<url>#<model>", _load_openai)
    .register("ollama:", "ollama:<model>[@url]", _load_ollama)
    .register("gguf:", "gguf:<path>", _load_gguf)
)
VALID_FORMS = LLMS.valid


def load_llm(config: Config) -> AnswerLLM:
    """The LLM named by `RAG_LLM` (starting a local llama.cpp server for `gguf:`).

    >>> from rag.core.config import Config
    >>> config = Config.from_env({"RAG_LLM": "ollama:llama3.2@http://127.0.0.1:11434"})
    >>> load_llm(config).name
    'ollama:llama3.2'
    """
    return LLMS.load(config.llm, config=config)


def _openai_like(url: str, model: str, api_key: str, timeout: float) -> LLM:
    from llama_index.llms.openai_like import OpenAILike

    return OpenAILike(
        model=model,
        api_base=url,
        api_key=api_key
        or "not-needed",  # the OpenAI client insists on a key; local servers ignore it
        is_chat_model=True,
        is_function_calling_model=False,
        context_window=N_CTX,
        max_tokens=MAX_TOKENS,
        temperature=0.0,
        timeout=timeout,
        max_retries=0,
    )


def format_sources(hits: Sequence[Hit]) -> str:
    """The numbered sources as the prompt shows them; source n is hits[n-1].

    >>> from rag.core.models import Chunk, Hit, ReportMeta
    >>> meta = ReportMeta(title="Verslag JBZ-Raad", formation="JBZ-Raad",
    ...                   meeting_dates=("2020-12-14",))
    >>> chunk = Chunk("c1", "d1", "Nederland steunde het pact.", "4. Migratie", (3,), 0, 27, 0, meta)
    >>> print(format_sources([Hit(chunk, 1.0)]))
    <source n="1">
    [1] Verslag JBZ-Raad | JBZ-Raad | 2020-12-14 | 4. Migratie | p. 3
    Nederland steunde het pact.
    </source>
    """
    blocks = []
    for n, hit in enumerate(hits, 1):
        c = hit.chunk
        page = f"p. {c.page}" if c.page is not None else ""
        head = " | ".join(
            x for x in (c.meta.title, c.meta.formation, c.meta.meeting_date, c.section, page) if x
        )
        head, text = (_DELIMITER.sub(r"&lt;\1", x) for x in (head, c.text.strip()))
        blocks.append(f'<source n="{n}">\n[{n}] {head}\n{text}\n</source>')
    return "\n".join(blocks)


def build_messages(
    prompts: Prompts, parsed: Question, hits: Sequence[Hit], verdict: str = ""
) -> list[ChatMessage]:
    """System rules plus one user message holding the sources, the question and the task its
    intent sets (`prompts/tasks.txt`)."""
    from llama_index.core.llms import ChatMessage

    lang = parsed.lang if parsed.lang in LANGUAGES else "nl"
    system = prompts.system.format(language=LANGUAGES[lang], no_answer=NO_ANSWER[lang])
    user = prompts.user.format(
        sources=format_sources(hits),
        question=parsed.text,
        language=LANGUAGES[lang],
        task=prompts.task(parsed, verdict),
    )
    return [ChatMessage(role="system", content=system), ChatMessage(role="user", content=user)]


def check_citations(text: str, n_sources: int) -> tuple[str, tuple[int, ...], tuple[str, ...]]:
    """(text without invalid markers, valid source numbers cited in order, warnings).

    >>> check_citations("Yes [1]. No [7].", 3)
    ('Yes [1]. No.', (1,), ('The LLM cited [7], but only sources 1-3 were given; removed.',))
    """
    cited: list[int] = []
    invalid: list[int] = []

    def fix(m: re.Match[str]) -> str:
        numbers = [int(x) for x in m.group(1).split(",")]
        good = [n for n in numbers if 1 <= n <= n_sources]
        invalid.extend(n for n in numbers if n not in good)
        cited.extend(n for n in good if n not in cited)
        if not good:
            return ""
        lead = " " if m.group(0).startswith((" ", "\n", "\t")) else ""
        return f"{lead}[{', '.join(map(str, good))}]"

    cleaned = _MARKER.sub(fix, text)
    warnings = tuple(
        f"The LLM cited [{n}], but only sources 1-{n_sources} were given; removed."
        if n_sources
        else f"The LLM cited [{n}], but no sources were given; removed."
        for n in dict.fromkeys(invalid)
    )
    return cleaned, tuple(cited), warnings


def answer_with_llm(
    llm: ChatModel,
    parsed: Question,
    hits: Sequence[Hit],
    history: Sequence[Turn],
    config: Config,
    verdict: str = "",
) -> Iterator[str | LLMResult]:
    """Streams the model's answer over the numbered `hits`, then yields the checked `LLMResult`.

    `history` is not put into the prompt: `parsed` already holds the standalone (condensed)
    question, and earlier answers carry [n] markers that point at other turns' sources, which a
    model would copy. `config` is accepted for symmetry with the extractive path.
    """
    del history, config
    messages = build_messages(llm.prompts, parsed, hits, verdict)
    pieces: list[str] = []
    for piece in llm.stream_chat(messages):
        pieces.append(piece)
        yield piece
    raw = "".join(pieces)
    text, cited, warnings = check_citations(raw, len(hits))
    citations = tuple(_citation(n, hits[n - 1]) for n in sorted(cited))
    yield LLMResult(text.strip(), citations, warnings, raw=raw, model=llm.name)


def _citation(n: int, hit: Hit) -> Citation:
    c = hit.chunk
    return Citation(
        n=n,
        doc_id=c.doc_id,
        file=c.file,
        title=c.meta.title,
        formation=c.meta.formation,
        meeting_date=c.meta.meeting_date,
        section=c.section,
        page=c.page,
        text=c.text,
        score=hit.score,
        char_start=c.char_start,
        char_end=c.char_end,
    )


def condense_with_llm(llm: ChatModel, question: str, history: Sequence[Turn]) -> str:
    """A standalone question from a follow-up, by llama-index's condense-question prompt.

    Returns "" when the model gives nothing usable (empty, runaway, or dropping an actor or date
    the follow-up names), so the caller can fall back to the rules in `rag.chat.condense`.
    """
    from llama_index.core.base.llms.generic_utils import messages_to_history_str
    from llama_index.core.llms import ChatMessage

    turns: list[ChatMessage] = []
    for turn in history[-3:]:  # older turns rarely matter and cost prompt time on a CPU
        turns.append(ChatMessage(role="user", content=turn.resolved))
        if turn.answer:
            answer = _MARKER.sub("", turn.answer)  # markers mean nothing outside their turn
            turns.append(ChatMessage(role="assistant", content=_one_line(answer, 400)))
    prompt = llm.prompts.condense.format(
        chat_history=messages_to_history_str(turns), question=question
    )
    out = llm.chat([ChatMessage(role="user", content=prompt)])
    lines = [line.strip() for line in out.strip().splitlines() if line.strip()]
    if not lines:
        return ""
    standalone = re.sub(r"^<?standalone question>?:?\s*", "", lines[0], flags=re.I)
    standalone = standalone.strip().strip("\"'").strip()
    # A runaway rewrite is worse than the rules' conservative one.
    if not standalone or len(standalone) > 3 * len(question) + 300:
        return ""
    # The follow-up's new information must survive: small models tend to answer the previous
    # question instead ("Nederland steunde het pact." for "En Duitsland?").
    if not {a.key for a in find_actors(question)} <= {a.key for a in find_actors(standalone)}:
        return ""
    if dates_in_question(question) not in (("", ""), dates_in_question(standalone)):
        return ""
    return standalone
