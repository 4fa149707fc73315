"""Running a question set through the assistant (the same code path as the CLI) into Outcomes.

Follow-ups (`follow_up_of`) are asked with the conversation so far as history, exactly as the
chat does. A question that raises a user-facing error counts as an abstention with no passages.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from rag.answer.eval.metrics import Outcome, Question, markers_in
from rag.answer.followup import Turn
from rag.core.errors import RagError
from rag.core.models import Answer


def history_for(q: Question, by_id: dict[str, Question], answers: dict[str, Answer]) -> list[Turn]:
    """The chain of earlier turns a follow-up belongs to, oldest first."""
    chain: list[Turn] = []
    parent = q.follow_up_of
    while parent:
        prev = by_id[parent]
        answer = answers.get(parent)
        chain.append(Turn.of(prev.q, answer) if answer else Turn(prev.q))
        parent = prev.follow_up_of
    return list(reversed(chain))


def run_assistant(
    ask: Callable[[str, list[Turn]], Answer],
    questions: Sequence[Question],
    answers_out: dict[str, Answer] | None = None,
) -> list[Outcome]:
    """`ask(question, history)` for each question; timing is measured around the call.
    `answers_out`, when given, receives each Answer by question id."""
    by_id = {q.id: q for q in questions}
    answers: dict[str, Answer] = {}
    outcomes: list[Outcome] = []
    for q in questions:
        history = history_for(q, by_id, answers)
        t0 = time.perf_counter()
        try:
            answer = ask(q.q, history)
        except RagError:
            outcomes.append(Outcome(q, (), "", (), True, (time.perf_counter() - t0) * 1000))
            continue
        latency = (time.perf_counter() - t0) * 1000
        answers[q.id] = answer
        if answers_out is not None:
            answers_out[q.id] = answer
        outcomes.append(
            Outcome(
                question=q,
                passages=tuple(c.text for c in answer.citations),
                answer=answer.answer,
                cited_markers=markers_in(answer.answer),
                abstained=answer.abstained,
                latency_ms=latency,
                status=str(answer.status),
            )
        )
    return outcomes


def run_retriever(
    retrieve: Callable[[str], list[str]], questions: Sequence[Question], resolve: bool = True
) -> list[Outcome]:
    """A retrieval-only baseline: passages in rank order; the 'answer' cites them all.

    Follow-ups get the standalone rewrite of our chat rules when `resolve` (so the baseline is
    judged on retrieval, not on follow-up handling it does not have).
    """
    from rag.answer.followup import condense

    by_id = {q.id: q for q in questions}
    resolved: dict[str, str] = {}
    outcomes = []
    for q in questions:
        text = q.q
        if resolve and q.follow_up_of:
            history = []
            parent = q.follow_up_of
            while parent:
                history.append(Turn(by_id[parent].q, resolved.get(parent, "")))
                parent = by_id[parent].follow_up_of
            text = condense(q.q, list(reversed(history)))
        resolved[q.id] = text
        t0 = time.perf_counter()
        passages = retrieve(text)
        latency = (time.perf_counter() - t0) * 1000
        answer = "\n".join(f"{p} [{i + 1}]" for i, p in enumerate(passages))
        outcomes.append(Outcome(q, tuple(passages), answer, markers_in(answer), False, latency))
    return outcomes
