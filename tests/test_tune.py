"""Leave-one-set-out choice of weights and thresholds (`python -m rag.eval --tune`)."""

from __future__ import annotations

import json
import math
from pathlib import Path

from rag.answer.assistant import Assistant
from rag.answer.eval.metrics import load_questions
from rag.answer.eval.tune import KNOBS, _choose, quality, tune
from tests.conftest import config_for


def _figures(row: dict[str, float] | None = None) -> dict[str, dict[str, float]]:
    base = {
        "hit@1": 1.0,
        "citation_precision": 1.0,
        "fact_rate": 1.0,
        "abstention_accuracy": 1.0,
        "false_abstention_rate": 0.0,
    }
    return {"all": base | (row or {})}


def test_quality_averages_four_figures_and_subtracts_false_abstentions() -> None:
    assert quality(_figures()) == 1.0
    worse = {"hit@1": 0.0, "fact_rate": 0.5, "false_abstention_rate": 0.25}
    assert quality(_figures(worse)) == 0.625 - 0.25
    # a set without unanswerable questions has no abstention accuracy: left out, not zero
    assert quality(_figures({"abstention_accuracy": math.nan})) == 1.0


def test_choice_uses_only_the_given_sets_and_ties_keep_the_default() -> None:
    scores = {0.1: {"a": 0.9, "b": 0.1}, 0.2: {"a": 0.5, "b": 0.8}}
    assert _choose(scores, ["a"], default=0.2) == 0.1
    assert _choose(scores, ["b"], default=0.1) == 0.2
    tie = {0.1: {"a": 0.5}, 0.2: {"a": 0.5}}
    assert _choose(tie, ["a"], default=0.2) == 0.2 and _choose(tie, ["a"], default=0.1) == 0.1


def _write(path: Path, rows: list[dict]) -> Path:
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    return path


def test_an_absurd_threshold_is_never_chosen_on_the_real_store(
    corpus_store_dir: Path, e5, tmp_path: Path
) -> None:
    """A threshold that refuses everything loses on every left-out set; the figures say why."""
    gold = "Nederland benadrukte dat de Raadsconclusies een belangrijke stap zijn"
    a = _write(
        tmp_path / "a.jsonl",
        [
            {"id": "a1", "q": "Wat zei Nederland over de Raadsconclusies interne veiligheid?",
             "lang": "nl", "gold": [gold], "facts": [], "unanswerable": False},
            {"id": "a2", "q": "Welk besluit nam de Raad over de visserij in Antarctica in 2020?",
             "lang": "nl", "gold": [], "facts": [], "unanswerable": True},
        ],
    )  # fmt: skip
    b = _write(
        tmp_path / "b.jsonl",
        [
            {"id": "b1", "q": "What did the Netherlands say about the internal security conclusions?",
             "lang": "en", "gold": [gold], "facts": [], "unanswerable": False},
        ],
    )  # fmt: skip
    assistant = Assistant(config_for(corpus_store_dir), embedder=e5)
    knob = next(k for k in KNOBS if k.name == "abstain_below")
    absurd = type(knob)(knob.name, (0.999,), knob.get, knob.put)
    en = next(k for k in KNOBS if k.name == "abstain_below_en")
    absurd_en = type(en)(en.name, (0.999,), en.get, en.put)
    sets = {"a": load_questions(a), "b": load_questions(b)}
    result = tune(assistant, sets, knobs=[absurd, absurd_en])
    assert result.chosen == result.defaults
    assert all(w == result.defaults for w in result.chosen_without.values())
    # refusing everything scored worse where there was something to answer
    assert (
        result.grid_scores["abstain_below"][0.999]["a"]
        < result.grid_scores["abstain_below"][result.defaults["abstain_below"]]["a"]
    )
    assert set(result.figures) == {"a", "b"}
    assert {"default", "cv", "in-sample"} <= set(result.figures["a"])
    assert assistant.extractive.abstain_below == result.defaults["abstain_below"]  # restored
