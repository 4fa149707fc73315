"""Metrics for the development question set: pure functions, no model and no store.

This module owns the question-file format (`eval/dev_questions.jsonl`), the per-question
`Outcome` a system run produces, and every number the evaluation reports. Gold evidence and facts
are matched on letters and digits only (`normalise`), so hyphenation, line breaks, punctuation and
the footnote markers PDF extraction glues onto words ("Covid-\\n19") do not decide a score.

Edge cases, decided once here:
- A metric over an empty population (e.g. no answerable question) is `float("nan")`;
  `format_table` shows it as "n/a".
- Retrieval metrics (hit@k, MRR) look at the cited passages even when the system abstained; a
  question with no passages is a miss.
- Citation precision counts each distinct marker once per answer; a marker pointing outside the
  passage list counts as a wrong citation.
- An abstention never counts as stating a fact, whatever its text says.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rag.core.errors import RagError

LANGUAGES = ("en", "nl")
HIT_KS = (1, 3, 5)
_REQUIRED = {"id": str, "q": str, "lang": str, "gold": list, "facts": list, "unanswerable": bool}
_OPTIONAL = {"follow_up_of": str, "kind": str}
# A draft from feedback (`rag.answer.eval.drafts`) carries its context under this key until a
# person has written its gold phrases; the loader refuses it, so a draft is never scored.
DRAFT_KEY = "draft"
# What a question asks for, for per-kind figures (optional; sets written before it have none).
KINDS = ("overview", "aggregation", "position", "factcheck", "factoid", "open")
# One bracket group: "[1]", "[1, 2]", "[1;2]". Adjacent groups ("[2][3]") are found one by one.
_MARKER_GROUP = re.compile(r"\[\s*(\d+(?:\s*[,;]\s*\d+)*)\s*\]")
# Keys summarise() reports as counts; format_table prints them as integers.
COUNT_KEYS = ("n", "n_answerable", "n_unanswerable", "n_follow_up")


class QuestionFileError(RagError):
    """The question file is malformed; the message names file:line and what to fix."""


def normalise(text: str) -> str:
    """Casefold and keep letters and digits only (unicode-aware).

    >>> normalise("Covid-\\n19 Kroatië")
    'covid19kroatië'
    """
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def contains_any(text: str, phrases: Sequence[str]) -> bool:
    """True when one of `phrases` occurs in `text` after normalisation; empty phrases never match.

    >>> contains_any("De EES-\\nimplementatie", ["ees implementatie"])
    True
    """
    haystack = normalise(text)
    return any(needle and needle in haystack for needle in map(normalise, phrases))


@dataclass(frozen=True)
class Question:
    """One line of the question file."""

    id: str
    q: str
    lang: str  # "en" or "nl"
    gold: tuple[str, ...]  # verbatim report phrases; a passage containing one is evidence
    facts: tuple[str, ...]  # phrases a correct answer text contains (one suffices)
    unanswerable: bool
    follow_up_of: str | None = None  # id of the previous turn in a conversation
    kind: str = ""  # one of KINDS, or "" when the set does not say

    @property
    def answerable(self) -> bool:
        return not self.unanswerable


def _parse_question(obj: object, seen: set[str]) -> Question:
    """Validate one decoded line; raise TypeError/ValueError naming the problem."""
    if not isinstance(obj, dict):
        raise TypeError(f"expected a JSON object, got {type(obj).__name__}")
    if DRAFT_KEY in obj:
        raise ValueError(
            f"question {obj.get('id', '?')!r} is a draft from feedback: write its 'gold' (verbatim "
            "report phrases) and 'facts', or set 'unanswerable' to true, then delete its "
            f"{DRAFT_KEY!r} key"
        )
    unknown = set(obj) - set(_REQUIRED) - set(_OPTIONAL)
    if unknown:
        raise ValueError(
            f"unknown key(s) {sorted(unknown)}; allowed: {sorted({**_REQUIRED, **_OPTIONAL})}"
        )
    for key, typ in _REQUIRED.items():
        if key not in obj:
            raise ValueError(f"missing key {key!r}")
        if not isinstance(obj[key], typ):
            raise TypeError(f"{key!r} must be a {typ.__name__}, got {type(obj[key]).__name__}")
    qid, text, lang = obj["id"].strip(), obj["q"].strip(), obj["lang"]
    if not qid or not text:
        raise ValueError("'id' and 'q' must not be empty")
    if qid in seen:
        raise ValueError(f"duplicate id {qid!r}")
    if lang not in LANGUAGES:
        raise ValueError(f"'lang' must be one of {list(LANGUAGES)}, got {lang!r}")
    for key in ("gold", "facts"):
        if not all(isinstance(p, str) and normalise(p) for p in obj[key]):
            raise ValueError(f"{key!r} must be a list of non-empty strings")
    if obj["unanswerable"] and (obj["gold"] or obj["facts"]):
        raise ValueError("an unanswerable question must have empty 'gold' and 'facts'")
    if not obj["unanswerable"] and not obj["gold"]:
        raise ValueError("an answerable question needs at least one 'gold' phrase")
    parent = obj.get("follow_up_of")
    if parent is not None:
        if not isinstance(parent, str):
            raise TypeError("'follow_up_of' must be a string id")
        if parent not in seen:
            raise ValueError(f"'follow_up_of' {parent!r} is not the id of an earlier question")
    kind = obj.get("kind", "")
    if kind and kind not in KINDS:
        raise ValueError(f"'kind' must be one of {list(KINDS)}, got {kind!r}")
    return Question(
        kind=kind,
        id=qid,
        q=text,
        lang=lang,
        gold=tuple(obj["gold"]),
        facts=tuple(obj["facts"]),
        unanswerable=obj["unanswerable"],
        follow_up_of=parent,
    )


def load_questions(path: Path) -> list[Question]:
    """Read and validate a JSONL question file (blank lines are skipped).

    Raises QuestionFileError naming file:line and the problem.
    """
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise QuestionFileError(
            f"{path}: cannot read question file ({exc.strerror}); check the path"
        ) from exc
    questions: list[Question] = []
    seen: set[str] = set()
    for lineno, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            question = _parse_question(json.loads(line), seen)
        except json.JSONDecodeError as exc:
            raise QuestionFileError(
                f"{path}:{lineno}: invalid JSON ({exc.msg}); fix that line"
            ) from exc
        except (TypeError, ValueError) as exc:
            raise QuestionFileError(f"{path}:{lineno}: {exc}") from exc
        seen.add(question.id)
        questions.append(question)
    return questions


@dataclass(frozen=True)
class Outcome:
    """What a system produced for one question."""

    question: Question
    passages: tuple[str, ...]  # cited passages in rank order; marker [n] points at passages[n-1]
    answer: str
    cited_markers: tuple[int, ...]  # the [n] numbers in the answer text, see markers_in()
    abstained: bool
    latency_ms: float
    status: str = ""  # answered / partial / not_found; "" for systems without one (baselines)

    @property
    def refused(self) -> bool:
        """Gave no answer at all. A partial answer ("the reports do not name which member state;
        they say: ...") is an abstention for an unanswerable question, but quotes evidence."""
        return self.status == "not_found" if self.status else self.abstained


def markers_in(answer: str) -> tuple[int, ...]:
    """Citation numbers in an answer, distinct, in order of first appearance.

    >>> markers_in("EES uitgesteld [2][3], zie ook [1, 2].")
    (2, 3, 1)
    """
    found: dict[int, None] = {}  # dict keeps first-seen order
    for group in _MARKER_GROUP.finditer(answer):
        for number in re.split(r"\s*[,;]\s*", group.group(1)):
            found.setdefault(int(number), None)
    return tuple(found)


def evidence_rank(outcome: Outcome) -> int | None:
    """1-based rank of the first passage containing a gold phrase; None if none does."""
    for rank, passage in enumerate(outcome.passages, start=1):
        if contains_any(passage, outcome.question.gold):
            return rank
    return None


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else math.nan


def _answerable(outcomes: Sequence[Outcome]) -> list[Outcome]:
    return [o for o in outcomes if o.question.answerable]


def hit_at(outcomes: Sequence[Outcome], k: int) -> float:
    """Share of answerable questions with gold evidence among the first k passages."""
    ranks = [evidence_rank(o) for o in _answerable(outcomes)]
    return _mean([1.0 if r is not None and r <= k else 0.0 for r in ranks])


def mrr(outcomes: Sequence[Outcome]) -> float:
    """Mean reciprocal rank of the first gold passage over answerable questions (miss = 0)."""
    ranks = [evidence_rank(o) for o in _answerable(outcomes)]
    return _mean([1.0 / r if r is not None else 0.0 for r in ranks])


def citation_precision(outcomes: Sequence[Outcome]) -> float:
    """Share of citation markers (answerable, not refused) whose passage holds gold evidence."""
    good = total = 0
    for o in _answerable(outcomes):
        if o.refused:
            continue
        for n in dict.fromkeys(o.cited_markers):  # distinct, so repeating [1] earns nothing
            total += 1
            if 1 <= n <= len(o.passages) and contains_any(o.passages[n - 1], o.question.gold):
                good += 1
    return good / total if total else math.nan


def fact_rate(outcomes: Sequence[Outcome]) -> float:
    """Share of answerable questions with facts whose answer states one of them."""
    scored = [o for o in _answerable(outcomes) if o.question.facts]
    return _mean(
        [0.0 if o.refused else float(contains_any(o.answer, o.question.facts)) for o in scored]
    )


def abstention_accuracy(outcomes: Sequence[Outcome]) -> float:
    """Share of unanswerable questions on which the system abstained (a partial answer counts:
    it says the reports do not give what was asked)."""
    return _mean([float(o.abstained) for o in outcomes if o.question.unanswerable])


def false_abstention_rate(outcomes: Sequence[Outcome]) -> float:
    """Share of answerable questions the system refused to answer (lower is better)."""
    return _mean([float(o.refused) for o in _answerable(outcomes)])


def partial_rate(outcomes: Sequence[Outcome]) -> float:
    """Share of answerable questions answered only partly (evidence quoted, detail said missing)."""
    return _mean([float(o.abstained and not o.refused) for o in _answerable(outcomes)])


def latency_percentile(outcomes: Sequence[Outcome], p: float) -> float:
    """p-th percentile (0-100) of latency in ms, linear interpolation as numpy's default.

    >>> latency_percentile([], 50)
    nan
    """
    if not 0 <= p <= 100:
        raise ValueError(f"percentile must be between 0 and 100, got {p}")
    values = sorted(o.latency_ms for o in outcomes)
    if not values:
        return math.nan
    pos = (len(values) - 1) * p / 100
    lo = math.floor(pos)
    hi = min(lo + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (pos - lo)


def summarise(outcomes: Sequence[Outcome]) -> dict[str, float]:
    """All metrics plus counts, keyed by the column names format_table prints."""
    answerable = _answerable(outcomes)
    out: dict[str, float] = {
        "n": float(len(outcomes)),
        "n_answerable": float(len(answerable)),
        "n_unanswerable": float(len(outcomes) - len(answerable)),
        "n_follow_up": float(sum(o.question.follow_up_of is not None for o in outcomes)),
    }
    for k in HIT_KS:
        out[f"hit@{k}"] = hit_at(outcomes, k)
    out["mrr"] = mrr(outcomes)
    out["citation_precision"] = citation_precision(outcomes)
    out["fact_rate"] = fact_rate(outcomes)
    out["abstention_accuracy"] = abstention_accuracy(outcomes)
    out["false_abstention_rate"] = false_abstention_rate(outcomes)
    out["partial_answerable"] = partial_rate(outcomes)
    out["latency_p50_ms"] = latency_percentile(outcomes, 50)
    out["latency_p95_ms"] = latency_percentile(outcomes, 95)
    return out


def by_language(outcomes: Sequence[Outcome]) -> dict[str, dict[str, float]]:
    """summarise() over all questions and per language: keys "all", "en", "nl"."""
    rows = {"all": summarise(outcomes)}
    for lang in LANGUAGES:
        rows[lang] = summarise([o for o in outcomes if o.question.lang == lang])
    return rows


def by_kind(outcomes: Sequence[Outcome]) -> dict[str, dict[str, float]]:
    """summarise() per question kind, for sets that label kinds ({} when none does)."""
    kinds = dict.fromkeys(o.question.kind for o in outcomes if o.question.kind)
    return {k: summarise([o for o in outcomes if o.question.kind == k]) for k in kinds}


def _cell(metric: str, value: float) -> str:
    if math.isnan(value):
        return "n/a"
    if metric in COUNT_KEYS:
        return str(int(value))
    if metric.endswith("_ms"):
        return f"{value:.0f}"
    return f"{value:.3f}"


def format_table(rows: dict[str, dict[str, float]]) -> str:
    """Markdown table: one row per system, one column per metric (union, first-seen order).

    >>> print(format_table({"bm25": {"hit@5": 0.5, "mrr": float("nan")}}))
    | system | hit@5 | mrr |
    |---|---|---|
    | bm25 | 0.500 | n/a |
    """
    columns: list[str] = []
    for metrics in rows.values():
        columns.extend(m for m in metrics if m not in columns)
    lines = [
        "| system | " + " | ".join(columns) + " |",
        "|" + "---|" * (len(columns) + 1),
    ]
    for system, metrics in rows.items():
        cells = [_cell(m, metrics[m]) if m in metrics else "" for m in columns]
        lines.append(f"| {system} | " + " | ".join(cells) + " |")
    return "\n".join(lines)
