"""Answer or abstain: a fitted decision over the evidence, instead of hand-set thresholds.

The check table (`rag.answer.checks`) says what is missing; whether that means "no answer" is
decided here by a logistic regression over a few features of the evidence (the best sentence's
score and its lead over the next, the language, what each check found, whether the asked actor
speaks, how much of the question's topic the best passage covers). It is fitted on every question
set in `eval/` by `python -m rag.eval --fit` and judged by leave-one-set-out cross-validation
(`--cv`); the figures that chose it are in the README. The fitted weights are a small JSON file
beside this module, valid for the embedder they were fitted with; without them (or with another
embedder) the check table decides alone, as before.

Why a fitted model and not more rules: the rules fitted the development set and failed on every
set written after it (README, "Answer quality"); a model over the same evidence, fitted on all
sets and scored on the set it did not see, shows what generalises.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from rag.answer.checks import CHECKS, Evidence, covers
from rag.core.lexical import analyse

WEIGHTS = Path(__file__).with_name("decision.json")

# The features, in order. Check names come from the check table (minus "weak", which the score
# features stand for).
SCORE_FEATURES = ("score", "gap", "english", "actor_speaks", "topic_covered", "terms_known")
FEATURES = SCORE_FEATURES + tuple(f"fails_{c.name}" for c in CHECKS if c.name != "weak")


def features(ev: Evidence) -> dict[str, float]:
    """The evidence as numbers (see FEATURES)."""
    q, scored = ev.question, ev.scored
    best = max(s.score for s in scored) if scored else 0.0
    second = scored[1].score if len(scored) > 1 else best
    vocabulary = ev.vocabulary or ()
    topic = {t for t in q.topic if t in vocabulary}
    passage = ev.hits[scored[0].hit_rank].chunk.text if scored else ""
    covered = sum(1 for t in topic if covers(passage, {t})) / len(topic) if topic else 1.0
    words = set(analyse(q.asked or q.text))
    known = sum(1 for w in words if w in vocabulary) / len(words) if words else 0.0
    out = {
        "score": best,
        "gap": best - second,
        "english": float(q.lang == "en"),
        "actor_speaks": float(bool(scored) and scored[0].role == 2),
        "topic_covered": covered,
        "terms_known": known,
    }
    for check in CHECKS:
        if check.name != "weak":
            out[f"fails_{check.name}"] = float(bool(scored) and check.test(ev) is not None)
    return out


@dataclass(frozen=True)
class FittedDecision:
    """A logistic regression on standardised features; p > threshold means abstain."""

    names: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    threshold: float
    embedder: str  # the scores are this embedder's
    fitted_on: tuple[str, ...] = ()  # the question sets

    def p_unanswerable(self, x: dict[str, float]) -> float:
        v = (np.array([x.get(n, 0.0) for n in self.names]) - self.mean) / self.scale
        return float(1.0 / (1.0 + np.exp(-(v @ np.array(self.coef) + self.intercept))))

    def abstains(self, x: dict[str, float]) -> bool:
        return self.p_unanswerable(x) > self.threshold

    def save(self, path: Path = WEIGHTS) -> None:
        path.write_text(json.dumps(asdict(self), indent=1) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path = WEIGHTS) -> FittedDecision | None:
        if not path.is_file():
            return None
        raw = json.loads(path.read_text(encoding="utf-8"))
        return cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in raw.items()})


def fit(
    rows: Sequence[dict[str, float]],
    unanswerable: Sequence[bool],
    embedder: str,
    fitted_on: Sequence[str] = (),
    threshold: float = 0.5,
) -> FittedDecision:
    """Fit on feature rows and labels. Balanced class weights (few questions are unanswerable)
    and scikit-learn's default L2 strength; the threshold stays at 0.5, so no further knob is
    chosen on the data."""
    from sklearn.linear_model import LogisticRegression

    x = np.array([[r.get(n, 0.0) for n in FEATURES] for r in rows], dtype=float)
    y = np.array(unanswerable, dtype=int)
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(class_weight="balanced", max_iter=1000)
    model.fit((x - mean) / scale, y)
    return FittedDecision(
        names=FEATURES,
        mean=tuple(float(v) for v in mean),
        scale=tuple(float(v) for v in scale),
        coef=tuple(float(v) for v in model.coef_[0]),
        intercept=float(model.intercept_[0]),
        threshold=threshold,
        embedder=embedder,
        fitted_on=tuple(fitted_on),
    )
