"""Tests for rag.answer.eval.metrics and for the development question set it reads."""

from __future__ import annotations

import json
import math
from collections import Counter
from pathlib import Path

import pytest

from rag.answer.eval.metrics import (
    Outcome,
    Question,
    QuestionFileError,
    abstention_accuracy,
    by_language,
    citation_precision,
    contains_any,
    evidence_rank,
    fact_rate,
    false_abstention_rate,
    format_table,
    hit_at,
    latency_percentile,
    load_questions,
    markers_in,
    mrr,
    normalise,
    summarise,
)
from rag.core.errors import RagError

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = ROOT / "eval" / "dev_questions.jsonl"
CORPUS = ROOT.parent / "shared" / "corpus"  # read-only sample corpus, see its SOURCES.md

GOLD = "twee maanden"


def question(
    qid: str = "q1",
    *,
    lang: str = "en",
    gold: tuple[str, ...] = (GOLD,),
    facts: tuple[str, ...] = ("twee maanden",),
    unanswerable: bool = False,
) -> Question:
    if unanswerable:
        gold, facts = (), ()
    return Question(qid, "Wat zei de Commissie over het EES?", lang, gold, facts, unanswerable)


def outcome(
    q: Question,
    passages: tuple[str, ...] = (),
    answer: str = "",
    *,
    abstained: bool = False,
    latency_ms: float = 10.0,
) -> Outcome:
    return Outcome(q, passages, answer, markers_in(answer), abstained, latency_ms)


# --- normalisation and matching -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Covid-\n19", "covid19"),
        ("Kroatië geboekte", "kroatiëgeboekte"),
        ("p!v. ambassadeur", "pvambassadeur"),
        ("«terms of reference»", "termsofreference"),
        ("  \n\t.,;", ""),
        ("ÉÉN", "één"),
    ],
)
def test_normalise(text: str, expected: str) -> None:
    assert normalise(text) == expected


def test_contains_any_ignores_layout_and_empty_phrases() -> None:
    text = "er zal een opschorting van twee\nmaanden zijn van het inreis-/uitreissysteem (EES)"
    assert contains_any(text, ["TWEE MAANDEN"])
    assert contains_any(text, ["drie weken", "inreis uitreissysteem"])
    assert not contains_any(text, ["drie weken"])
    assert not contains_any(text, [])
    assert not contains_any(text, ["", " - "])  # would otherwise match everything


# --- marker parsing ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("Geen bronnen.", ()),
        ("De Commissie [1] en Nederland [2].", (1, 2)),
        ("Uitstel [2][3].", (2, 3)),
        ("Zie [1, 2] en [2; 4].", (1, 2, 4)),
        ("Herhaald [1] en [1].", (1,)),
        ("[ 3 ] telt, [a] en [] niet", (3,)),
    ],
)
def test_markers_in(answer: str, expected: tuple[int, ...]) -> None:
    assert markers_in(answer) == expected


# --- retrieval and answer metrics -------------------------------------------------------------


def test_worked_example_exact_numbers() -> None:
    q1, q2, q3 = question("q1"), question("q2"), question("q3")
    un = question("u1", unanswerable=True)
    outcomes = [
        # gold at rank 1, one right and one wrong citation, fact stated
        outcome(q1, ("EES twee maanden", "iets anders"), "Twee maanden [1][2].", latency_ms=10),
        # gold at rank 3, citation of rank 3 right, fact missing
        outcome(q2, ("a", "b", "twee maanden uitstel"), "Uitstel [3].", latency_ms=20),
        # no gold passage at all; abstains (a false abstention)
        outcome(q3, ("a", "b"), "Ik weet het niet.", abstained=True, latency_ms=30),
        # unanswerable and abstains correctly
        outcome(un, (), "Dat staat niet in de verslagen.", abstained=True, latency_ms=40),
    ]
    assert [evidence_rank(o) for o in outcomes[:3]] == [1, 3, None]
    assert hit_at(outcomes, 1) == pytest.approx(1 / 3)
    assert hit_at(outcomes, 3) == pytest.approx(2 / 3)
    assert hit_at(outcomes, 5) == pytest.approx(2 / 3)
    assert mrr(outcomes) == pytest.approx((1 + 1 / 3 + 0) / 3)
    assert citation_precision(outcomes) == pytest.approx(2 / 3)  # [1] ok, [2] wrong, [3] ok
    assert fact_rate(outcomes) == pytest.approx(1 / 3)
    assert abstention_accuracy(outcomes) == 1.0
    assert false_abstention_rate(outcomes) == pytest.approx(1 / 3)
    assert latency_percentile(outcomes, 50) == pytest.approx(25.0)
    assert latency_percentile(outcomes, 100) == 40.0
    assert latency_percentile(outcomes, 0) == 10.0

    summary = summarise(outcomes)
    assert summary["n"] == 4 and summary["n_answerable"] == 3 and summary["n_unanswerable"] == 1
    assert summary["mrr"] == pytest.approx(mrr(outcomes))


def test_system_that_never_finds_evidence_scores_zero() -> None:
    outcomes = [
        outcome(question(f"q{i}"), ("niets relevants", "ook niet"), "Iets anders [1][2].")
        for i in range(4)
    ]
    assert hit_at(outcomes, 5) == 0.0
    assert mrr(outcomes) == 0.0
    assert citation_precision(outcomes) == 0.0
    assert fact_rate(outcomes) == 0.0
    assert false_abstention_rate(outcomes) == 0.0


def test_edge_cases() -> None:
    # A question without passages is a miss, not skipped.
    empty = [outcome(question(), (), "Geen antwoord.")]
    assert hit_at(empty, 5) == 0.0 and mrr(empty) == 0.0
    # Markers outside the passage list are wrong citations.
    out_of_range = [outcome(question(), ("twee maanden",), "Zie [1] en [7].")]
    assert citation_precision(out_of_range) == 0.5
    # An abstention never states a fact, even if it quotes one.
    quoted = [outcome(question(), ("twee maanden",), "twee maanden?", abstained=True)]
    assert fact_rate(quoted) == 0.0
    assert math.isnan(citation_precision(quoted))  # abstained answers' markers are not scored
    # Questions without facts do not count for the fact rate.
    no_facts = [outcome(question(facts=()), ("twee maanden",), "ja [1]")]
    assert math.isnan(fact_rate(no_facts))
    # Empty populations give nan.
    only_unanswerable = [outcome(question(unanswerable=True), (), "Weet ik niet.")]
    for metric in (mrr, citation_precision, fact_rate, false_abstention_rate):
        assert math.isnan(metric(only_unanswerable))
    assert math.isnan(hit_at(only_unanswerable, 5))
    assert abstention_accuracy(only_unanswerable) == 0.0
    assert math.isnan(latency_percentile([], 95))
    with pytest.raises(ValueError, match="percentile"):
        latency_percentile(only_unanswerable, 101)


def test_by_language_and_table() -> None:
    outcomes = [
        outcome(question("e1", lang="en"), ("twee maanden",), "twee maanden [1]"),
        outcome(question("n1", lang="nl"), ("niets",), "niets [1]"),
    ]
    rows = by_language(outcomes)
    assert set(rows) == {"all", "en", "nl"}
    assert rows["all"]["hit@1"] == 0.5
    assert rows["en"]["hit@1"] == 1.0 and rows["nl"]["hit@1"] == 0.0
    assert math.isnan(rows["en"]["abstention_accuracy"])

    table = format_table(rows).splitlines()
    assert table[0].startswith("| system | n | n_answerable |")
    assert table[1].count("---") == len(rows["all"]) + 1
    assert table[2].startswith("| all | 2 | 2 | 0 | 0 | 0.500 |")
    assert "n/a" in table[3]
    assert format_table({"a": {"x": 1.0}, "b": {"y": 0.25}}).splitlines()[2:] == [
        "| a | 1.000 |  |",
        "| b |  | 0.250 |",
    ]


# --- question file validation -----------------------------------------------------------------


def write_lines(path: Path, *objs: dict[str, object] | str) -> Path:
    lines = [o if isinstance(o, str) else json.dumps(o) for o in objs]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


VALID = {"id": "a", "q": "Wat?", "lang": "nl", "gold": ["x y"], "facts": [], "unanswerable": False}


def test_load_questions_reads_valid_file(tmp_path: Path) -> None:
    follow = {**VALID, "id": "b", "follow_up_of": "a"}
    path = write_lines(tmp_path / "q.jsonl", VALID, "", follow)
    qs = load_questions(path)
    assert [q.id for q in qs] == ["a", "b"]
    assert qs[0].gold == ("x y",) and qs[0].follow_up_of is None and qs[1].follow_up_of == "a"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", r"q\.jsonl:2: invalid JSON"),
        ("[1, 2]", r"q\.jsonl:2: expected a JSON object"),
        ({**VALID, "id": "b", "lang": "de"}, r":2: 'lang' must be one of"),
        ({k: v for k, v in VALID.items() if k != "q"} | {"id": "b"}, r":2: missing key 'q'"),
        ({**VALID, "id": "b", "gold": "x y"}, r":2: 'gold' must be a list"),
        ({**VALID, "id": "b", "unanswerable": "no"}, r":2: 'unanswerable' must be a bool"),
        (VALID, r":2: duplicate id 'a'"),
        ({**VALID, "id": "b", "follow_up_of": "zz"}, r":2: 'follow_up_of' 'zz' is not the id"),
        ({**VALID, "id": "b", "unanswerable": True}, r":2: an unanswerable question must have"),
        ({**VALID, "id": "b", "gold": []}, r":2: an answerable question needs"),
        ({**VALID, "id": "b", "gold": ["--"]}, r":2: 'gold' must be a list of non-empty"),
        ({**VALID, "id": "b", "answer": "x"}, r":2: unknown key\(s\) \['answer'\]"),
    ],
)
def test_load_questions_errors_name_file_and_line(
    tmp_path: Path, line: dict[str, object] | str, message: str
) -> None:
    path = write_lines(tmp_path / "q.jsonl", VALID, line)
    with pytest.raises(QuestionFileError, match=message) as info:
        load_questions(path)
    assert isinstance(info.value, RagError)
    assert "\n" not in str(info.value)


def test_load_questions_missing_file(tmp_path: Path) -> None:
    with pytest.raises(QuestionFileError, match="cannot read question file"):
        load_questions(tmp_path / "absent.jsonl")


# --- the question sets: development, held-out, test, final ---------------------------------------------

SETS = sorted((ROOT / "eval").glob("*_questions.jsonl"))


def test_the_question_sets_exist_and_do_not_repeat_each_other() -> None:
    assert [p.name for p in SETS] == [
        "dev_questions.jsonl",
        "eighth_questions.jsonl",
        "eleventh_questions.jsonl",
        "fifteenth_questions.jsonl",
        "final_questions.jsonl",
        "fourteenth_questions.jsonl",
        "fresh_questions.jsonl",
        "heldout_questions.jsonl",
        "ninth_questions.jsonl",
        "seventh_questions.jsonl",
        "tenth_questions.jsonl",
        "test_questions.jsonl",
        "thirteenth_questions.jsonl",
        "twelfth_questions.jsonl",
        "unseen_questions.jsonl",
    ]
    seen: dict[str, str] = {}
    for path in SETS:
        questions = load_questions(path)
        by_id = {q.id: q for q in questions}
        for q in questions:
            # A follow-up ("And the Commission?") is a new question after another first question.
            parent = by_id[q.follow_up_of].q if q.follow_up_of else ""
            key = normalise(parent + q.q)
            repeat = key in seen and {q.id, seen[key]} not in KNOWN_REPEATS
            assert not repeat, f"{q.id} repeats {seen[key]}"
            seen[key] = q.id


# Repeats found after a set's untouched run, kept because later questions follow them up: the
# false premise on the pact report, written independently for unseen (nw-45) and seventh (sv-29,
# followed by sv-30 and sv-31); two first questions of the ninth set (followed by ni-105 and
# ni-142); one of the tenth (followed by te10-67 and te10-68); the twelfth's first question
# (el-01's words, followed by tw-02); four of the thirteenth (th-01, th-32, th-60, th-97, each
# followed up); two of the fifteenth (fi-64 and fi-77, the words of el-79 and fr-12, followed by
# fi-65 and fi-78). ni-14, te10-100, el-10 and el-58, which nothing follows up, were removed after
# their sets' runs.
KNOWN_REPEATS = (
    {"nw-45", "sv-29"},
    {"ni-141", "ei-82"},
    {"ni-104", "nw-21"},
    {"te10-66", "ni-77"},
    {"tw-01", "el-01"},
    {"th-01", "ni-01"},
    {"th-32", "sv-43"},
    {"th-60", "tw-75"},
    {"th-97", "tw-130"},
    {"fi-64", "el-79"},
    {"fi-77", "fr-12"},
)


@pytest.fixture(scope="module")
def dev_questions() -> list[Question]:
    return load_questions(QUESTIONS)  # also validates ids, follow_up_of order and gold/facts rules


@pytest.fixture(scope="module")
def corpus_texts() -> dict[str, str]:
    assert CORPUS.is_dir(), f"sample corpus not found at {CORPUS}"
    return {
        str(p.relative_to(CORPUS)): normalise(p.read_text("utf-8")) for p in CORPUS.rglob("*.txt")
    }


def test_dev_questions_counts(dev_questions: list[Question]) -> None:
    langs = Counter(q.lang for q in dev_questions)
    assert len(dev_questions) >= 60
    assert sum(q.unanswerable for q in dev_questions) >= 10
    assert sum(q.follow_up_of is not None for q in dev_questions) >= 10
    assert langs["en"] >= 25 and langs["nl"] >= 25
    assert len({q.id for q in dev_questions}) == len(dev_questions)


@pytest.mark.parametrize("path", SETS, ids=lambda p: p.name)
def test_gold_and_facts_occur_in_the_corpus(path: Path, corpus_texts: dict[str, str]) -> None:
    # Gold phrases must be verbatim report text; facts must be quotable, since the default
    # extractive answer quotes report sentences.
    everything = "\n".join(corpus_texts.values())
    missing = [
        f"{q.id}: {phrase!r}"
        for q in load_questions(path)
        for phrase in (*q.gold, *q.facts)
        if normalise(phrase) not in everything
    ]
    assert not missing, f"phrases of {path.name} not found in the corpus:\n" + "\n".join(missing)
