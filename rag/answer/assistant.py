"""The assistant: one call per user action, from a question (and chat history) to a cited answer.

`Assistant.ask` validates the question, rewrites a follow-up into a standalone question, reads
filters and actors from it, retrieves, and answers extractively or, when an LLM is configured,
with the LLM (falling back to the extractive answer when the LLM gives no valid citation).
`Assistant.stream` yields the answer's text as it is produced, then the final `Answer`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Sequence
from dataclasses import replace

from rag.answer.checks import CHECKS, Evidence, first_failure, on_topic, quotable
from rag.answer.extractive import LABELS, compose
from rag.answer.followup import Turn, condense
from rag.answer.llm import ChatModel, answer_with_llm, condense_with_llm, load_llm
from rag.answer.question import parse_question
from rag.answer.retrieve import RetrievalSettings, Retriever
from rag.answer.scoring import ExtractiveSettings, score_sentences, select
from rag.answer.validate import validate_question
from rag.core.config import Config
from rag.core.embedders import Embedder, load_embedder
from rag.core.errors import LLMError, StoreError
from rag.core.filters import Filters
from rag.core.models import Answer, AnswerMode
from rag.core.store import Store

log = logging.getLogger(__name__)


class Assistant:
    """Answers questions over one store; load once per process (models are heavy)."""

    def __init__(
        self,
        config: Config,
        store: Store | None = None,
        embedder: Embedder | None = None,
        retrieval: RetrievalSettings | None = None,
        extractive: ExtractiveSettings | None = None,
        llm: ChatModel | None = None,
    ) -> None:
        self.config = config
        self.store = store or Store(config)
        self.embedder = embedder or load_embedder(config.embedder, config.embed_api_key)
        if self.store.embedder_info() is not None:
            self.store.check_embedder(self.embedder.name, self.embedder.dim)
        self.retriever = Retriever(self.store, self.embedder, retrieval)
        self.extractive = extractive or ExtractiveSettings()
        if self.embedder.name != self.extractive.calibrated_for:
            # Similarity scales differ between models (USE scores everything lower than e5): an
            # uncalibrated threshold would abstain on every question. Keep the evidence checks.
            log.warning(
                "abstention thresholds are calibrated for %s, not %s: using evidence checks only",
                self.extractive.calibrated_for,
                self.embedder.name,
            )
            self.extractive = replace(self.extractive, abstain_below=0.0, abstain_below_en=0.0)
        self.llm = llm
        if self.llm is None and config.llm:
            self.llm = load_llm(config)

    @property
    def mode(self) -> AnswerMode:
        return AnswerMode.LLM if self.llm is not None else AnswerMode.EXTRACTIVE

    def check_question(self, question: str, follow_up: bool = False) -> str:
        """The question as it is searched, or a QuestionError saying what to type instead."""
        return validate_question(question, self.config.max_question_chars, follow_up)

    def ask(
        self,
        question: str,
        filters: Filters | None = None,
        history: Sequence[Turn] = (),
        k: int | None = None,
        mode: AnswerMode | str | None = None,
    ) -> Answer:
        answer: Answer | None = None
        for part in self.stream(question, filters, history, k, mode):
            if isinstance(part, Answer):
                answer = part
        assert answer is not None
        return answer

    def stream(
        self,
        question: str,
        filters: Filters | None = None,
        history: Sequence[Turn] = (),
        k: int | None = None,
        mode: AnswerMode | str | None = None,
    ) -> Iterator[str | Answer]:
        """Yields text pieces as they are produced, then the final Answer."""
        t0 = time.perf_counter()
        q = self.check_question(question, follow_up=bool(history))
        k = k or self.config.top_k
        use_llm = (mode or self.mode) == AnswerMode.LLM and self.llm is not None
        standalone = self._condense(q, history, use_llm) if history else q
        parsed = parse_question(standalone, filters)
        if self.store.count_chunks() == 0:
            raise StoreError(LABELS[parsed.lang]["empty"])
        vector = self.embedder.embed_query(standalone)
        lexical = self.retriever.lexical()
        hits = self.retriever.retrieve(parsed, max(k, self.extractive.passages), vector, lexical)
        # A document type or formation read from the question is a guess ("the annotated agenda
        # sent in November" is a cover letter sending it; "op verzoek van de Europese Raad" names
        # a body, not the meeting reported on): when it leaves nothing, search again without it.
        # Dates named in the question stay binding.
        explicit = filters or Filters()
        for field, cleared in (("doc_types", ()), ("formation", "")):
            if hits or not getattr(parsed.filters, field) or getattr(explicit, field):
                continue
            log.info(
                "nothing within %s; dropping the %s read from the question",
                parsed.filters.describe(),
                field,
            )
            parsed = replace(parsed, filters=replace(parsed.filters, **{field: cleared}))
            hits = self.retriever.retrieve(
                parsed, max(k, self.extractive.passages), vector, lexical
            )
        t_retrieve = time.perf_counter()
        if not hits:
            text = LABELS[parsed.lang]["nothing"].format(filters=parsed.filters.describe())
            yield text
            yield self._answer(q, text, True, (), standalone, t0, t_retrieve, AnswerMode.EXTRACTIVE)
            return
        sentences = self.store.get_sentences([h.chunk.id for h in hits[: self.extractive.passages]])
        scored = score_sentences(parsed, hits, sentences, vector, self.extractive, lexical.idf)
        evidence = Evidence(
            parsed,
            hits,
            scored,
            self.extractive,
            lexical.vocabulary,
            on_topic(parsed, hits, self.extractive.passages),
        )
        _, reason = first_failure(CHECKS, evidence)
        abstained = bool(reason)
        chosen = [] if abstained else select(quotable(evidence), self.extractive)
        text, citations = compose(parsed, hits, chosen, k, abstained, reason)
        if use_llm and not abstained:
            assert self.llm is not None
            result = None
            for part in answer_with_llm(self.llm, parsed, hits[:k], history, self.config):
                if isinstance(part, str):
                    yield part
                else:
                    result = part
            if result is not None and result.citations:
                yield self._answer(
                    q,
                    result.text,
                    False,
                    result.citations,
                    standalone,
                    t0,
                    t_retrieve,
                    AnswerMode.LLM,
                    result.warnings,
                )
                return
            warnings = (result.warnings if result else ()) + (
                "The LLM answer had no valid citation; showing the extractive answer instead.",
            )
            # The LLM's tokens are on screen already (the app redraws the message; a terminal
            # cannot), so say plainly that what follows replaces them.
            yield f"\n\n({LABELS[parsed.lang]['fallback']})\n\n"
            yield text
            yield self._answer(
                q,
                text,
                abstained,
                citations,
                standalone,
                t0,
                t_retrieve,
                AnswerMode.EXTRACTIVE,
                warnings,
            )
            return
        yield text
        yield self._answer(
            q, text, abstained, citations, standalone, t0, t_retrieve, AnswerMode.EXTRACTIVE
        )

    def _condense(self, question: str, history: Sequence[Turn], use_llm: bool) -> str:
        """The standalone question: by the LLM in LLM mode, by rules otherwise or as fallback."""
        if use_llm and self.llm is not None:
            try:
                standalone = condense_with_llm(self.llm, question, history)
            except LLMError as e:
                log.warning("LLM condense step failed, using the rules: %s", e)
                standalone = ""
            if standalone:
                return standalone
        return condense(question, history)

    def _answer(
        self,
        question: str,
        text: str,
        abstained: bool,
        citations: Sequence,  # type: ignore[type-arg]
        standalone: str,
        t0: float,
        t_retrieve: float,
        mode: AnswerMode,
        warnings: tuple[str, ...] = (),
    ) -> Answer:
        t1 = time.perf_counter()
        return Answer(
            question=question,
            answer=text,
            abstained=abstained,
            citations=tuple(citations),
            timings_ms={
                "retrieve": round((t_retrieve - t0) * 1000, 1),
                "answer": round((t1 - t_retrieve) * 1000, 1),
                "total": round((t1 - t0) * 1000, 1),
            },
            standalone_question=standalone,
            mode=mode,
            warnings=warnings,
        )
