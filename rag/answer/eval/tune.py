"""Every weight and threshold chosen by leave-one-set-out cross-validation (`python -m rag.eval --tune`).

For each knob in `KNOBS` (a setting of the sentence scorer, the retriever or the position
gatherer) and each value on its grid, all question sets are answered once with that value (the
other knobs at their defaults), giving one quality score per set and value. Then, per question
set S:
- cv: every knob takes the value that scores best on the OTHER sets (mean over them; a tie keeps
  the default); S is answered with that combination and scored. This is the figure for questions
  nobody tuned for.
- in-sample: the same, choosing on all sets including S.
- default: the settings as shipped.

The score of a set is `quality`: the mean of hit@1, citation precision, fact rate and abstention
accuracy, minus the false-abstention rate, all over that set's questions. One grid pass per knob
(not a joint search) keeps the run near 25 answer passes over the sets; the knobs barely
interact (measured: each moves one of the four figures).

Query embeddings are cached across passes (`_CachedQueries`): the same question is embedded once.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

import numpy as np

from rag.answer import positions
from rag.answer.assistant import Assistant
from rag.answer.eval.metrics import Question, by_language
from rag.answer.eval.run import run_assistant

Figures = dict[str, dict[str, float]]


@dataclass(frozen=True)
class Knob:
    """One setting: how to read it from and write it into an assistant, and the grid tried."""

    name: str
    grid: tuple[float, ...]
    get: Callable[[Assistant], float]
    put: Callable[[Assistant, float], None]


def _extractive(
    field: str,
) -> tuple[Callable[[Assistant], float], Callable[[Assistant, float], None]]:
    def get(a: Assistant) -> float:
        return float(getattr(a.extractive, field))

    def put(a: Assistant, v: float) -> None:
        a.extractive = replace(a.extractive, **{field: v})

    return get, put


def _retrieval(
    field: str,
) -> tuple[Callable[[Assistant], float], Callable[[Assistant, float], None]]:
    def get(a: Assistant) -> float:
        return float(getattr(a.retriever.settings, field))

    def put(a: Assistant, v: float) -> None:
        a.retriever.settings = replace(a.retriever.settings, **{field: v})

    return get, put


def _module(
    module: Any, name: str
) -> tuple[Callable[[Assistant], float], Callable[[Assistant, float], None]]:
    def get(a: Assistant) -> float:
        return float(getattr(module, name))

    def put(a: Assistant, v: float) -> None:
        setattr(module, name, v)

    return get, put


KNOBS: tuple[Knob, ...] = (
    # One value either side of the shipped default; the default is always tried too.
    Knob("margin", (0.03, 0.08), *_extractive("margin")),
    Knob("abstain_below", (0.77, 0.83), *_extractive("abstain_below")),
    Knob("abstain_below_en", (0.75, 0.80), *_extractive("abstain_below_en")),
    Knob("term_weight", (0.03, 0.10), *_extractive("term_weight")),
    Knob("speaker_bonus", (0.0, 0.06), *_extractive("speaker_bonus")),
    Knob("discussed_bonus", (0.0, 0.06), *_extractive("discussed_bonus")),
    Knob("slot_bonus", (0.0, 0.04), *_extractive("slot_bonus")),
    Knob("lexical_band_nl", (0.0, 0.08, 0.2), *_extractive("lexical_band_nl")),
    Knob("actor_boost", (0.0, 0.5), *_retrieval("actor_boost")),
    Knob("lexical_weight", (0.5, 1.5), *_retrieval("lexical_weight")),
    Knob("context_weight", (0.0, 0.5, 2.0), *_retrieval("context_weight")),
    Knob("min_coverage", (0.3, 0.7), *_module(positions, "MIN_COVERAGE")),
)


def quality(figures: Figures) -> float:
    """One number per set: mean(hit@1, citation precision, fact rate, abstention accuracy) minus
    the false-abstention rate (NaN parts, e.g. no unanswerable questions, are left out)."""
    row = figures["all"]
    parts = [
        row[k]
        for k in ("hit@1", "citation_precision", "fact_rate", "abstention_accuracy")
        if not math.isnan(row[k])
    ]
    false = 0.0 if math.isnan(row["false_abstention_rate"]) else row["false_abstention_rate"]
    return sum(parts) / len(parts) - false if parts else math.nan


class _CachedQueries:
    """The assistant's embedder with query vectors remembered (tuning asks each question often)."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner
        self._query = lru_cache(maxsize=4096)(inner.embed_query)

    def embed_query(self, text: str) -> np.ndarray:
        return self._query(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


@dataclass(frozen=True)
class TuneResult:
    defaults: dict[str, float]
    chosen: dict[str, float]  # chosen on all sets: what to ship
    chosen_without: dict[str, dict[str, float]]  # per left-out set
    grid_scores: dict[str, dict[float, dict[str, float]]]  # knob -> value -> set -> quality
    figures: dict[str, dict[str, Figures]]  # set -> "default" | "cv" | "in-sample" -> figures


def _answer(assistant: Assistant, questions: Sequence[Question], k: int) -> Figures:
    return by_language(run_assistant(lambda q, h: assistant.ask(q, history=h, k=k), questions))


def _apply(assistant: Assistant, values: Mapping[str, float]) -> None:
    for knob in KNOBS:
        if knob.name in values:
            knob.put(assistant, values[knob.name])


def _choose(
    scores: Mapping[float, Mapping[str, float]], sets: Sequence[str], default: float
) -> float:
    """The grid value with the best mean quality over `sets` (ties keep the default)."""

    def mean(v: float) -> float:
        vals = [scores[v][s] for s in sets if not math.isnan(scores[v][s])]
        return sum(vals) / len(vals) if vals else -math.inf

    best = max(scores, key=lambda v: (round(mean(v), 6), v == default))
    return best


def tune(
    assistant: Assistant,
    sets: Mapping[str, Sequence[Question]],
    k: int = 5,
    knobs: Sequence[Knob] = KNOBS,
    progress: Callable[[str], None] = lambda _msg: None,
) -> TuneResult:
    assistant.embedder = _CachedQueries(assistant.embedder)  # type: ignore[assignment]
    assistant.retriever.embedder = assistant.embedder
    defaults = {knob.name: knob.get(assistant) for knob in knobs}
    names = list(sets)
    base = {name: _answer(assistant, qs, k) for name, qs in sets.items()}
    grid: dict[str, dict[float, dict[str, float]]] = {}
    for knob in knobs:
        grid[knob.name] = {}
        for value in sorted(set(knob.grid) | {defaults[knob.name]}):
            if value == defaults[knob.name]:
                figures = base
            else:
                knob.put(assistant, value)
                figures = {name: _answer(assistant, qs, k) for name, qs in sets.items()}
                knob.put(assistant, defaults[knob.name])
            grid[knob.name][value] = {n: quality(figures[n]) for n in names}
            progress(
                f"{knob.name}={value}: "
                + ", ".join(f"{n} {grid[knob.name][value][n]:.3f}" for n in names)
            )
    chosen = {kn.name: _choose(grid[kn.name], names, defaults[kn.name]) for kn in knobs}
    without = {
        s: {
            kn.name: _choose(grid[kn.name], [n for n in names if n != s], defaults[kn.name])
            for kn in knobs
        }
        for s in names
    }
    out: dict[str, dict[str, Figures]] = {n: {"default": base[n]} for n in names}
    for s in names:
        _apply(assistant, without[s])
        out[s]["cv"] = _answer(assistant, sets[s], k)
    _apply(assistant, chosen)
    for s in names:
        out[s]["in-sample"] = _answer(assistant, sets[s], k)
    _apply(assistant, defaults)
    return TuneResult(defaults, chosen, without, grid, out)
