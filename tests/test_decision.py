"""The fitted answer/abstain decision: fitting, the decision it makes, saving and loading, and the
leave-one-set-out runner (on two small question sets over the real corpus)."""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.answer.assistant import Assistant
from rag.answer.decision import FEATURES, FittedDecision, fit
from rag.answer.eval.cv import better_than_rules, cross_validate
from rag.answer.eval.metrics import load_questions
from tests.conftest import ROOT, config_for


def _row(score: float, **flags: float) -> dict[str, float]:
    return {"score": score, "gap": 0.01, "topic_covered": 1.0, "terms_known": 0.8, **flags}


def test_a_fitted_decision_abstains_where_the_evidence_is_like_the_unanswerable(
    tmp_path: Path,
) -> None:
    rows = [_row(0.90 + i / 1000) for i in range(10)] + [
        _row(0.78 + i / 1000, fails_name=1.0) for i in range(10)
    ]
    labels = [False] * 10 + [True] * 10
    decision = fit(rows, labels, "e5-small", fitted_on=("a", "b"))
    assert decision.names == FEATURES
    assert decision.abstains(_row(0.78, fails_name=1.0))
    assert not decision.abstains(_row(0.92))
    assert 0.0 < decision.p_unanswerable(_row(0.85)) < 1.0
    path = tmp_path / "decision.json"
    decision.save(path)
    assert FittedDecision.load(path) == decision
    assert FittedDecision.load(tmp_path / "absent.json") is None


def test_the_fitted_decision_replaces_the_check_table_only_when_it_wins_under_cv() -> None:
    def figures(abstention: float, false: float) -> dict[str, dict[str, float]]:
        return {"all": {"abstention_accuracy": abstention, "false_abstention_rate": false}}

    results = {
        "a": {"rules": figures(0.7, 0.03), "cv": figures(0.8, 0.03)},
        "b": {"rules": figures(0.4, 0.05), "cv": figures(0.3, 0.10)},
    }
    wins, cv, rules = better_than_rules(results)
    assert not wins and cv == pytest.approx((0.77 + 0.20) / 2)
    assert rules == pytest.approx((0.67 + 0.35) / 2)
    results["b"]["cv"] = figures(0.5, 0.05)
    assert better_than_rules(results)[0]
    shipped = FittedDecision.load()  # shipped only when it won; then fitted on every set
    if shipped is not None:
        sets = {p.name.removesuffix("_questions.jsonl") for p in (ROOT / "eval").glob("*.jsonl")}
        assert set(shipped.fitted_on) == sets


def test_cross_validation_leaves_each_set_out(corpus_store_dir: Path, e5) -> None:
    dev = load_questions(ROOT / "eval" / "dev_questions.jsonl")
    final = load_questions(ROOT / "eval" / "final_questions.jsonl")

    # Small sets, each with answerable and unanswerable questions, no follow-ups.
    def small(questions):  # type: ignore[no-untyped-def]
        alone = [q for q in questions if not q.follow_up_of]
        return [q for q in alone if not q.unanswerable][:8] + [q for q in alone if q.unanswerable][
            :4
        ]

    sets = {"a": small(dev), "b": small(final)}
    assistant = Assistant(config_for(corpus_store_dir), embedder=e5, fitted=False)
    results, everything = cross_validate(assistant, sets, k=5)
    assert set(results) == {"a", "b"}
    for figures in results.values():
        assert set(figures) == {"rules", "cv", "in-sample"}
        assert figures["cv"]["all"]["n"] == 12
    assert everything.fitted_on == ("a", "b")
