"""The assistant: one call per user action, from a question (and chat history) to a cited answer.

`Assistant.ask` validates the question, rewrites a follow-up into a standalone question, reads
filters and actors from it, retrieves, and answers extractively or, when an LLM is configured,
with the LLM (falling back to the extractive answer when the LLM gives no valid citation).
`Assistant.stream` yields the answer's text as it is produced, then the final `Answer`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass, replace

import numpy as np

from rag.answer.catalogue import asks_documents, catalogue
from rag.answer.checks import (
    CHECKS,
    PARTIAL_CHECKS,
    Evidence,
    countries_unnamed,
    covers,
    first_failure,
    member_states_unnamed,
    on_topic,
    quotable,
)
from rag.answer.committees import asks_committee_chair, committee_chairs
from rag.answer.decision import FittedDecision, features
from rag.answer.extractive import compose
from rag.answer.followup import Turn, condense, leans_on_history
from rag.answer.framing import LABELS
from rag.answer.llm import ChatModel, LLMResult, answer_with_llm, condense_with_llm, load_llm
from rag.answer.overview import overview
from rag.answer.positions import aggregate, gather_statements, verdict
from rag.answer.question import Intent, Question, Slot, parse_question
from rag.answer.retrieve import RetrievalSettings, Retriever
from rag.answer.scoring import ExtractiveSettings, read_on, score_sentences, select
from rag.answer.validate import validate_question
from rag.core.config import Config
from rag.core.embedders import Embedder, load_embedder
from rag.core.errors import LLMError, StoreError
from rag.core.filters import Filters
from rag.core.lexical import LexicalIndex
from rag.core.models import Answer, AnswerMode, AnswerStatus, Citation, Hit
from rag.core.store import Store
from rag.vocab.actors import is_cover_formula, is_signature
from rag.vocab.cues import cue, stance_of
from rag.vocab.dates import names_period

log = logging.getLogger(__name__)


def _is_question(sentence: str) -> bool:
    return sentence.rstrip().endswith("?")


# Quotes that are no answer, only evidence that the reports lack one: (what every quoted sentence
# is, the cue row of questions it does answer, the partial answer's label).
_NOT_AN_ANSWER: tuple[tuple[Callable[[str], bool], str, str], ...] = (
    # A cover letter's "Hierbij zend ik u de agenda": the sending, not the meeting's content;
    # but it answers who sent it, and when and where the meeting was.
    (is_cover_formula, "letter_question", "partial_cover"),
    # A member's question put in committee ("Waarom zijn uiteindelijk lagere leningen
    # overeengekomen?"): the question, not its answer; but it answers "what was asked".
    (_is_question, "question_asked", "partial_reply"),
)


def _filler(sentence: str) -> bool:
    """A letter's signature or a letterhead line ("Rijksbegroting voor het jaar 1989"), quoted
    beside its sending formula: it says nothing about what the letter sent."""
    return is_signature(sentence) or (
        len(sentence.split()) <= 6 and not sentence.rstrip().endswith((".", "?", "!", ":"))
    )


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
        decision: FittedDecision | None = None,
        fitted: bool = True,
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
        # The fitted answer/abstain decision (rag.answer.decision), when one was fitted for this
        # embedder; otherwise the check table decides alone.
        self.decision = decision
        if decision is None and fitted:
            default = FittedDecision.load()
            if default is not None and default.embedder == self.embedder.name:
                self.decision = default
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
        # A follow-up is about the reports the conversation is about: the nearest answer's
        # sources. Not a question standing on its own ("Wat zei Nederland over de
        # kabeljauwquota?" after questions on the JBZ report): their passages would outrank it.
        if history and leans_on_history(q):
            turn = next((t for t in reversed(history) if t.sources), None)
            if turn is not None:
                same_item = cue("same_item").search(parsed.asked)
                parsed = replace(
                    parsed, context=turn.sources, context_items=turn.items if same_item else ()
                )
        lexical = self.retriever.lexical()  # up to date with the store: one sync per question
        if not len(lexical):
            raise StoreError(LABELS[parsed.lang]["empty"])

        def done(
            text: str, citations: Sequence[Citation], status: AnswerStatus, **kw: object
        ) -> Answer:
            return self._answer(q, text, status != AnswerStatus.ANSWERED, citations, standalone,
                                t0, time.perf_counter(), intent=parsed.intent, status=status,
                                **kw)  # type: ignore[arg-type]  # fmt: skip

        if parsed.conflict:  # never answer from outside the filters the user chose
            text = LABELS[parsed.lang]["conflict"].format(
                asked=parsed.conflict, chosen=(filters or Filters()).describe()
            )
            yield text
            yield done(text, (), AnswerStatus.NOT_FOUND)
            return
        vector = self.embedder.embed_query(standalone)
        parsed, hits = self._retrieve(parsed, filters or Filters(), vector, lexical, k)
        t_retrieve = time.perf_counter()
        if not hits:
            text = LABELS[parsed.lang]["nothing"].format(filters=parsed.filters.describe())
            yield text
            yield done(text, (), AnswerStatus.NOT_FOUND, t_retrieve=t_retrieve)
            return
        sentences = self.store.get_sentences([h.chunk for h in hits[: self.extractive.passages]])
        scored = score_sentences(parsed, hits, sentences, vector, self.extractive, lexical.idf)
        evidence = Evidence(
            parsed,
            hits,
            scored,
            self.extractive,
            lexical.vocabulary,
            on_topic(parsed, hits, self.extractive.passages),
        )
        found = self._extractive(parsed, hits, evidence, k, lexical)
        text, citations, status, diagnostics = found.text, found.citations, found.status, found.x
        warnings: tuple[str, ...] = ()
        if use_llm and status == AnswerStatus.ANSWERED and not found.structured:
            assert self.llm is not None
            # The model answers from the evidence the intent gathered (every statement of the
            # actor in the item, every member state of a list), with the intent's task.
            result = yield from self._llm_stream(parsed, found.hits[:k], history, found.lead)
            if result is not None and result.citations:
                ocr = _ocr_warnings(result.citations, hits[:k], parsed.lang)
                yield done(result.text, result.citations, AnswerStatus.ANSWERED,
                           t_retrieve=t_retrieve, mode=AnswerMode.LLM,
                           warnings=result.warnings + ocr)  # fmt: skip
                return
            warnings = (result.warnings if result else ()) + (
                "The LLM answer had no valid citation; showing the extractive answer instead.",
            )
            # The LLM's tokens are on screen already (the app redraws the message; a terminal
            # cannot), so say plainly that what follows replaces them.
            yield f"\n\n({LABELS[parsed.lang]['fallback']})\n\n"
        yield text
        yield done(text, citations, status, t_retrieve=t_retrieve, warnings=warnings,
                   diagnostics=diagnostics)  # fmt: skip

    def _retrieve(
        self,
        parsed: Question,
        explicit: Filters,
        vector: np.ndarray,
        lexical: LexicalIndex,
        k: int,
    ) -> tuple[Question, list[Hit]]:
        """The hits for the question. A document type or formation read from the question is a
        guess ("the annotated agenda sent in November" is a cover letter sending it; "op verzoek
        van de Europese Raad" names a body, not the meeting reported on): when it leaves
        nothing, search again without it. Dates named in the question stay binding."""
        n = max(k, self.extractive.passages)
        hits = self.retriever.retrieve(parsed, n, vector, lexical)
        for field, cleared in (("doc_types", ()), ("formation", "")):
            if hits or not getattr(parsed.filters, field) or getattr(explicit, field):
                continue
            log.info(
                "nothing within %s; dropping the %s read from the question",
                parsed.filters.describe(),
                field,
            )
            parsed = replace(parsed, filters=replace(parsed.filters, **{field: cleared}))
            hits = self.retriever.retrieve(parsed, n, vector, lexical)
        f = parsed.filters
        if not hits and (f.since or f.until) and not (explicit.since or explicit.until):
            # No meeting in the period the question names: it may be the date of what a report
            # says ("what did the presidency announce for February 2021?"). Then only passages
            # that name that period answer.
            undated = replace(parsed, filters=replace(f, since="", until=""))
            found = self.retriever.retrieve(undated, n, vector, lexical)
            named = [h for h in found if names_period(h.chunk.text, f.since, f.until)]
            if named:
                log.info("no meeting within %s; passages naming it instead", f.describe())
                parsed, hits = undated, named
        return parsed, hits

    def _llm_stream(
        self, parsed: Question, hits: Sequence[Hit], history: Sequence[Turn], verdict: str = ""
    ) -> Generator[str, None, LLMResult | None]:
        """Yields the LLM's text as it streams; returns its checked result."""
        assert self.llm is not None
        result = None
        for part in answer_with_llm(self.llm, parsed, hits, history, self.config, verdict):
            if isinstance(part, str):
                yield part
            else:
                result = part
        return result

    def _extractive(
        self,
        q: Question,
        hits: list[Hit],
        evidence: Evidence,
        k: int,
        lexical: LexicalIndex,
    ) -> _Extracted:
        """The quoted answer for the question's intent, whether it answers fully, the evidence
        features the decision saw, and the passages the intent gathered."""
        labels = LABELS[q.lang]
        vocabulary, idf, ids_of = lexical.vocabulary, lexical.idf, lexical.chunk_ids_of
        x = features(evidence) if evidence.scored else {}
        structured = self._from_structure(q, hits, lexical)
        if structured is not None:
            text, citations = structured
            return _Extracted(text, citations, AnswerStatus.ANSWERED, x, hits, structured=True)
        name, reason = first_failure(CHECKS, evidence)
        if self.decision is not None and evidence.scored:
            p = self.decision.p_unanswerable(x)
            x["p_unanswerable"] = p
            if p <= self.decision.threshold:
                name, reason = "", ""  # the evidence as a whole suffices
            elif not reason:
                name, reason = "weak", CHECKS[0].reason[q.lang]
        partial = PARTIAL_CHECKS.get(name)
        if reason and not (partial and evidence.scored):
            text, citations = compose(q, hits, [], k, True, reason)
            return _Extracted(text, citations, AnswerStatus.NOT_FOUND, x, hits)
        chosen = select(quotable(evidence), self.extractive)
        if partial:  # the topic is there, the asked number or sum is not
            topic = {t for t in q.topic if t in vocabulary}
            if topic and any(covers(s.text, topic) for s in chosen):
                text, citations = compose(q, hits, chosen, k, False, lead=labels[partial])
                return _Extracted(text, citations, AnswerStatus.PARTIAL, x, hits)
            text, citations = compose(q, hits, [], k, True, reason)
            return _Extracted(text, citations, AnswerStatus.NOT_FOUND, x, hits)
        status, lead = AnswerStatus.ANSWERED, ""
        for only, unless, label in _NOT_AN_ANSWER:
            said = [s.text for s in chosen if not _filler(s.text)]
            if said and all(only(t) for t in said) and not cue(unless).search(q.asked):
                text, citations = compose(q, hits, chosen, k, False, lead=labels[label])
                return _Extracted(text, citations, AnswerStatus.PARTIAL, x, hits)
        # "Which member state ...?" answered by "een enkele lidstaat": read on the best
        # sentence (the one that holds the asked slot; a neighbour naming the Netherlands on
        # another point names no one here), before other statements are gathered around it.
        best, asked = [s.text for s in chosen[:1]], {a.key for a in q.actors}
        unnamed = (q.slot == Slot.MEMBER_STATE and member_states_unnamed(best, asked)) or (
            # "Welke landen" asks for no one member state: a country another quoted sentence
            # names answers, unless the best one says "enkele lidstaten" (not merely "de
            # lidstaten") and names none.
            q.slot == Slot.COUNTRY
            and countries_unnamed(best, q.asked, asked)
            and (
                any(
                    m.group(0) != "lidstaten"
                    for m in cue("unnamed_member_states").finditer(best[0])
                )
                or countries_unnamed([s.text for s in chosen], q.asked, asked)
            )
        )
        if unnamed:
            pass  # quote what the reports say of the unnamed member state(s), nothing around it
        elif q.intent == Intent.AGGREGATION:
            hits, chosen = aggregate(q, hits, chosen, self.store, vocabulary, idf, ids_of)
        elif q.intent in (Intent.POSITION, Intent.FACTCHECK):
            hits, chosen = gather_statements(q, hits, chosen, self.store, vocabulary, idf, ids_of)
        chosen = read_on(chosen, hits, self.extractive.list_chars)
        if q.intent == Intent.FACTCHECK:
            status, lead = _factcheck_lead(q, chosen)
        if status == AnswerStatus.ANSWERED and unnamed:
            status = AnswerStatus.PARTIAL
            lead = labels["partial_country" if q.slot == Slot.COUNTRY else "partial_member_state"]
        text, citations = compose(q, hits, chosen, k, False, lead=lead)
        return _Extracted(text, citations, status, x, hits, lead)

    def _from_structure(
        self, q: Question, hits: list[Hit], lexical: LexicalIndex
    ) -> tuple[str, list[Citation]] | None:
        """The answer read from the stored structure, not quoted from passages: a meeting's
        agenda items, a committee's chair, the list of documents that fit; None for others."""
        if q.intent == Intent.OVERVIEW:
            found = overview(q, hits, self.store, lexical.vocabulary)
            if found is not None:
                return found
        if asks_committee_chair(q.asked):
            found = committee_chairs(q, hits, self.store)
            if found is not None:
                return found
        return catalogue(q, self.store, lexical) if asks_documents(q.asked) else None

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
        citations: Sequence[Citation],
        standalone: str,
        t0: float,
        t_end: float,
        t_retrieve: float | None = None,
        mode: AnswerMode = AnswerMode.EXTRACTIVE,
        warnings: tuple[str, ...] = (),
        intent: str = "",
        status: AnswerStatus | None = None,
        diagnostics: dict[str, float] | None = None,
    ) -> Answer:
        t_retrieve = t_end if t_retrieve is None else t_retrieve
        return Answer(
            question=question,
            answer=text,
            abstained=abstained,
            citations=tuple(citations),
            timings_ms={
                "retrieve": round((t_retrieve - t0) * 1000, 1),
                "answer": round((t_end - t_retrieve) * 1000, 1),
                "total": round((t_end - t0) * 1000, 1),
            },
            standalone_question=standalone,
            mode=mode,
            warnings=warnings,
            intent=intent,
            status=status
            if status is not None
            else (AnswerStatus.NOT_FOUND if abstained else AnswerStatus.ANSWERED),
            diagnostics=diagnostics or {},
        )


def _ocr_warnings(citations: Sequence[Citation], hits: Sequence[Hit], lang: str) -> tuple[str, ...]:
    """For an LLM answer: one warning per cited passage from a low-confidence OCR page (the
    extractive answer puts the same note next to the quote)."""
    by_id = {h.chunk.doc_id + str(h.chunk.char_start): h.chunk for h in hits}
    out = []
    for c in citations:
        chunk = by_id.get(c.doc_id + str(c.char_start))
        conf = chunk.low_confidence(c.page) if chunk is not None else None
        if conf is not None:
            note = LABELS[lang]["ocr"].format(pct=round(conf * 100), page=c.page)
            out.append(f"[{c.n}] {note.strip('()')}")
    return tuple(out)


@dataclass(frozen=True)
class _Extracted:
    """The extractive answer and what an LLM answer would start from."""

    text: str
    citations: list[Citation]
    status: AnswerStatus
    x: dict[str, float]  # the evidence features the decision saw
    hits: list[Hit]  # the passages, gathered for the intent (its statements first)
    lead: str = ""  # the verdict or lead line, in the question's language
    # Built from the stored structure (an overview, a list of documents): a model rewording it
    # adds nothing.
    structured: bool = False


def _factcheck_lead(q: Question, statements: Sequence) -> tuple[AnswerStatus, str]:  # type: ignore[type-arg]
    """The verdict line of a fact-check: stated, contradicted (a false premise named as such), or,
    for a "why" question whose premise no statement bears out, a partial answer."""
    labels = LABELS[q.lang]
    found = verdict(q, statements)
    stance = stance_of(q.asked)
    who = (q.actors[0].label_en if q.lang == "en" else q.actors[0].label_nl) if q.actors else ""
    if found == "contradicted":
        premise = labels["premise"].format(actor=who, stance=labels[f"stance_{stance}"])
        return AnswerStatus.ANSWERED, f"{labels['verdict_contradicted']} {premise}"
    if found == "stated":
        return AnswerStatus.ANSWERED, labels["verdict_stated"]
    if q.premise:
        return AnswerStatus.PARTIAL, labels["premise"].format(
            actor=who, stance=labels[f"stance_{stance}"]
        )
    return AnswerStatus.ANSWERED, labels["factcheck"]
