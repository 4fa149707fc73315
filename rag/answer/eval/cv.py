"""Leave-one-set-out cross-validation of the answer/abstain decision (`python -m rag.eval --cv`).

Every question set in `eval/` was written by a different author at a different time, so a set
left out of fitting stands for questions nobody tuned for. For each set: fit the decision
(`rag.answer.decision`) on the other sets, answer the left-out set with it, and score it; beside
that, the in-sample figure (fitted on all sets, including this one) and the check table alone.
The headline figures are the cross-validated ones. `--fit` saves the decision fitted on all sets,
but only when its cross-validated score beats the check table's (`better_than_rules`): the choice
between the two is itself made by cross-validation.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rag.answer.assistant import Assistant
from rag.answer.decision import FittedDecision, fit
from rag.answer.eval.metrics import Outcome, Question, by_language
from rag.answer.eval.run import run_assistant
from rag.core.models import Answer

Figures = dict[str, dict[str, float]]


@dataclass(frozen=True)
class Rows:
    """One set's feature rows and labels (questions without evidence have no row)."""

    features: list[dict[str, float]]
    unanswerable: list[bool]


def _run(
    assistant: Assistant, questions: Sequence[Question], k: int
) -> tuple[list[Outcome], dict[str, Answer]]:
    answers: dict[str, Answer] = {}
    outcomes = run_assistant(lambda q, h: assistant.ask(q, history=h, k=k), questions, answers)
    return outcomes, answers


def _rows(questions: Sequence[Question], answers: Mapping[str, Answer]) -> Rows:
    feats, labels = [], []
    for q in questions:
        answer = answers.get(q.id)
        if answer is not None and answer.diagnostics:
            feats.append({k: v for k, v in answer.diagnostics.items() if k != "p_unanswerable"})
            labels.append(q.unanswerable)
    return Rows(feats, labels)


def _fit(rows: Mapping[str, Rows], names: Sequence[str], embedder: str) -> FittedDecision:
    feats = [f for n in names for f in rows[n].features]
    labels = [y for n in names for y in rows[n].unanswerable]
    return fit(feats, labels, embedder, fitted_on=names)


def cross_validate(
    assistant: Assistant, sets: Mapping[str, Sequence[Question]], k: int = 5
) -> tuple[dict[str, dict[str, Figures]], FittedDecision]:
    """{set: {"rules": figures, "cv": figures, "in-sample": figures}} and the decision fitted on
    every set. Figures are `by_language` dicts."""
    embedder = assistant.embedder.name
    assistant.decision = None  # the check table alone; features are recorded either way
    rows: dict[str, Rows] = {}
    results: dict[str, dict[str, Figures]] = {name: {} for name in sets}
    for name, questions in sets.items():
        outcomes, answers = _run(assistant, questions, k)
        rows[name] = _rows(questions, answers)
        results[name]["rules"] = by_language(outcomes)
    for name, questions in sets.items():
        assistant.decision = _fit(rows, [n for n in sets if n != name], embedder)
        results[name]["cv"] = by_language(_run(assistant, questions, k)[0])
    everything = _fit(rows, list(sets), embedder)
    assistant.decision = everything
    for name, questions in sets.items():
        results[name]["in-sample"] = by_language(_run(assistant, questions, k)[0])
    return results, everything


def balanced(figures: Figures) -> float:
    """Abstention accuracy minus the false-abstention rate, over all questions of a set."""
    row = figures["all"]
    return row["abstention_accuracy"] - row["false_abstention_rate"]


def better_than_rules(results: Mapping[str, Mapping[str, Figures]]) -> tuple[bool, float, float]:
    """(whether the cross-validated decision beats the check table, its mean score, the table's),
    the score being `balanced` averaged over the sets."""
    cv = sum(balanced(r["cv"]) for r in results.values()) / len(results)
    rules = sum(balanced(r["rules"]) for r in results.values()) / len(results)
    return cv > rules, cv, rules
