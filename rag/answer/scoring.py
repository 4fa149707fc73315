"""Sentence scoring and selection: which sentences of the retrieved passages answer best.

Each candidate sentence is scored by the cosine similarity of its stored vector to the question,
plus small bonuses for the question's (translated) terms and for the asked-about actor speaking in
it, and a small prior from its passage's retrieval rank. `select` keeps the best few within a
margin of the top one. All weights live in `ExtractiveSettings` with the figure that chose them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from rag.answer.question import Intent, Question, Slot
from rag.answer.turns import turn_roles
from rag.core.lexical import analyse, analyse_with_compounds
from rag.core.models import Hit
from rag.core.store import SentenceVectors
from rag.vocab.actors import is_signature
from rag.vocab.countries import PRESIDENCY_BY_STATE
from rag.vocab.cues import cue
from rag.vocab.documents import is_summary


@dataclass(frozen=True)
class ExtractiveSettings:
    """Weights and thresholds. Each was checked by leave-one-set-out cross-validation over all
    question sets (`python -m rag.eval --tune`, README): the chosen values are the defaults."""

    sentences: int = 3  # bullets at most
    list_chars: int = 700  # a sentence announcing a list is quoted with it, up to this length
    margin: float = 0.05  # keep sentences of the best passage within this of the best score
    other_margin: float = 0.0  # ... and sentences of other passages within this (measured: 0.0)
    # Best sentence score under this: the reports do not answer. e5 scores an English question
    # against Dutch text lower than a Dutch one, hence one threshold per question language.
    # Chosen by `python -m rag.eval --tune` on twelve sets: 0.80 in every fold (was 0.83).
    abstain_below: float = 0.80
    abstain_below_en: float = 0.78
    calibrated_for: str = "e5-small"  # the embedder these thresholds were measured with
    term_weight: float = 0.06  # times the IDF-weighted share of question terms in the sentence
    summary_penalty: float = 0.01  # prefer an agenda item's own text over the report's summary
    speaker_bonus: float = 0.0  # the asked-about actor speaks in the sentence (CV: 0, README)
    mention_bonus: float = 0.01
    absent_penalty: float = 0.02  # the question names an actor the sentence does not
    rank_weight: float = 0.01  # prior from the passage's retrieval rank
    # An overview of a meeting without agenda items (a letter): the sentence saying what was
    # discussed ("Tijdens de Raad kwamen ... ter sprake") over the one saying where it met.
    discussed_bonus: float = 0.03
    # A sentence holding the asked slot where only its form tells ("het Duitse Voorzitterschap"
    # for "which country held the presidency?").
    slot_bonus: float = 0.08
    passages: int = 6  # passages whose sentences compete
    # Dutch questions share the reports' words, and BM25 alone ranks their evidence first more
    # often than the dense scores do: among the sentences within this of the best, those of the
    # passage BM25 ranks highest come first (0: off). Chosen by `python -m rag.eval --tune`
    # (grid 0, 0.02, 0.05, 0.08, 0.12, 0.2): 0.08 over nine sets, tied with 0.12 over eleven,
    # 0.12 in eleven of twelve folds over twelve sets (README).
    lexical_band_nl: float = 0.12


# Letterhead and footer lines of Kamerstukken, which say nothing about a meeting.
_BOILERPLATE = re.compile(
    r"^\s*(?:Tweede Kamer|Vergaderjaar|Nr\.\s*\d|Aan de Voorzitter|ISSN)|\bISSN\b|"
    r"Tweede Kamer, vergaderjaar",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ScoredSentence:
    hit_rank: int
    start: int  # offsets in the chunk text
    end: int
    page: int
    score: float
    text: str
    role: int = -1  # the asked-about actor's role in the sentence (see rag.actors.role_in)


def score_sentences(
    parsed: Question,
    hits: list[Hit],
    sentences: dict[str, SentenceVectors],
    q: np.ndarray,
    settings: ExtractiveSettings,
    idf: Callable[[str], float] | None = None,
) -> list[ScoredSentence]:
    """Every sentence of the top passages with its score, best first."""
    idf = idf or (lambda t: 1.0)
    weights = {t: idf(t) for t in parsed.terms}
    total = sum(weights.values()) or 1.0
    out: list[ScoredSentence] = []
    overview = parsed.intent == Intent.OVERVIEW
    # "Which country held the presidency?": "het Duitse Voorzitterschap" holds the slot.
    presidency = parsed.slot == Slot.COUNTRY and bool(cue("presidency_asked").search(parsed.asked))
    for rank, hit in enumerate(hits[: settings.passages]):
        record = sentences.get(hit.chunk.id)
        if record is None or not len(record.spans):
            continue
        sims = record.vectors @ q
        roles = (
            turn_roles(hit.chunk.text, [(a, b) for a, b, _ in record.spans], parsed.actors)
            if parsed.actors and parsed.asks_position
            else [-1] * len(record.spans)  # the question asks for no actor's position
        )
        for (a, b, page), sim, role in zip(record.spans, sims, roles):
            text = hit.chunk.text[a:b]
            if parsed.asks_sender and is_signature(text):
                pass  # few words, but what a question for a letter's sender asks
            elif (
                _BOILERPLATE.search(text)
                or len(re.findall(r"[a-zà-ÿ]{3,}", text)) < 4
                or hit.chunk.section.endswith(text.strip())
            ):
                continue  # headings, letterheads, printer lines, OCR debris
            score = float(sim) + settings.rank_weight / (1 + rank)
            words = analyse_with_compounds(text)  # "Migratie- en Asielpact": "migratiepact"
            score += settings.term_weight * sum(w for t, w in weights.items() if t in words) / total
            if is_summary(hit.chunk.section):  # the report's summary repeats its items
                score -= settings.summary_penalty
            if overview and cue("discussed").search(text):
                score += settings.discussed_bonus
            if presidency and PRESIDENCY_BY_STATE.search(text):
                score += settings.slot_bonus
            if role >= 0:
                score += {
                    2: settings.speaker_bonus,
                    1: settings.mention_bonus,
                    0: -settings.absent_penalty,
                }[role]
            out.append(ScoredSentence(rank, a, b, int(page), score, text, role))
    out.sort(key=lambda s: -s.score)
    # (Not for an overview: BM25 ranks first the passage that repeats the question's meeting
    # name and date, which is where the meeting sat, not what it discussed.)
    if parsed.lang == "nl" and settings.lexical_band_nl > 0 and out and not overview:
        out = _lexical_first(out, hits, settings.lexical_band_nl)
    return out


def _lexical_first(
    scored: list[ScoredSentence], hits: list[Hit], band: float
) -> list[ScoredSentence]:
    """The sentences within `band` of the best, those of the best BM25-ranked passage first (then
    by score; an agenda item's own text before the report's summary of it); the rest after them,
    by score. Scores stay as they are (thresholds read them)."""
    top = scored[0].score

    def lexical(s: ScoredSentence) -> int:
        rank = hits[s.hit_rank].lexical_rank
        return rank if rank is not None else len(hits) + 1000

    near = sorted(
        (s for s in scored if s.score >= top - band),
        key=lambda s: (is_summary(hits[s.hit_rank].chunk.section), lexical(s), -s.score),
    )
    return near + [s for s in scored if s.score < top - band]


# A sentence that announces a list ("Tot slot noemde het Voorzitterschap nog drie punten:",
# "... overleg gevoerd met de staatssecretaris over: 1."): its answer is the list after it.
# Read from punctuation, not words, so it holds in either language.
_OPENS_LIST = re.compile(r":\s*(?:(?:\d{1,2}|[a-z])[.)])?\s*$")


def read_on(chosen: list[ScoredSentence], hits: list[Hit], limit: int) -> list[ScoredSentence]:
    """Each chosen sentence that opens a list quoted with the sentences after it in its passage,
    up to `limit` characters in all; chosen sentences inside the added text are dropped."""
    out: list[ScoredSentence] = []
    covered: dict[int, tuple[int, int]] = {}  # hit rank -> the span a list quote took
    for s in chosen:
        inside = covered.get(s.hit_rank)
        if inside and inside[0] <= s.start < inside[1]:
            continue
        chunk = hits[s.hit_rank].chunk
        if not _OPENS_LIST.search(s.text):
            after = [(a, b) for a, b in chunk.sentence_spans if a >= s.end][:1]
            if after and cue("elaboration").match(chunk.text[after[0][0] : after[0][1]].strip()):
                end = after[0][1]  # "Dit zijn onder andere ...": what the sentence announced
                covered[s.hit_rank] = (s.start, end)
                s = replace(s, end=end, text=chunk.text[s.start : end])
            out.append(s)
            continue
        if not chunk.sentence_spans:
            out.append(s)
            continue
        end = s.end
        for a, b in chunk.sentence_spans:
            if a < s.end:
                continue
            if b - s.start > limit and end > s.end:
                break
            end = b
        covered[s.hit_rank] = (s.start, end)
        out.append(replace(s, end=end, text=chunk.text[s.start : end]))
    return [s for s in out if not _inside_other(s, out)]


def _inside_other(s: ScoredSentence, chosen: list[ScoredSentence]) -> bool:
    return any(
        o is not s
        and o.hit_rank == s.hit_rank
        and o.start <= s.start
        and s.end <= o.end
        and (o.start, o.end) != (s.start, s.end)
        for o in chosen
    )


def _near_duplicate(a: str, b: str) -> bool:
    """The report's summary repeats sentences of its body; quote each point once."""
    wa, wb = set(analyse(a)), set(analyse(b))
    return bool(wa and wb) and len(wa & wb) / min(len(wa), len(wb)) > 0.7


def select(scored: list[ScoredSentence], settings: ExtractiveSettings) -> list[ScoredSentence]:
    """The best sentences within a margin of the top one, skipping repeats; for a question
    about an actor, only sentences in which the actor speaks or is mentioned."""
    top_role = max((s.role for s in scored), default=-1)
    if top_role > 0:  # the actor's own sentences if any, else those that mention it
        scored = [s for s in scored if s.role == top_role]
    if not scored:
        return []
    best = scored[0]
    chosen: list[ScoredSentence] = []
    for s in scored:
        if s.score < best.score - settings.margin or len(chosen) >= settings.sentences:
            break
        # A short answer cites few passages: others only when about as good as the best.
        if s.hit_rank != best.hit_rank and s.score < best.score - settings.other_margin:
            continue
        if any(_near_duplicate(s.text, c.text) for c in chosen):
            continue
        chosen.append(s)
    return chosen
