"""Is there evidence at all? The reasons to abstain, as a table of small checks.

Dense similarity alone cannot tell "what did Italy say about the return directive" (the reports
record no Italian position) from "what did the Netherlands say ...": both land on the same
passages. Each row of `CHECKS` is one reason the reports may not answer, with its text in both
languages and a small function over the `Evidence` (the `Question`, the hits, the scored
sentences). The assistant runs the rows in order; the first that fails gives the reason. Adding a
reason is one function, one row and one test.

The rows, in order:
- weak: the best sentence scores under the (per-language) threshold;
- actor: the question asks about an actor that no retrieved passage mentions (the Council and its
  ministers are in every report of their meeting, named or not), nor any report (checked against
  the whole lexical index);
- actor_elsewhere: ... that the reports do mention, but not in the passages that match the question;
- cover: the question asks what was decided or said and the best evidence is a cover letter,
  which only says that a report or agenda was sent;
- position: no passage shows the asked-about actor taking a position on the question's topic;
- count / amount: the question asks for a number (of the asked thing; for "exactly how many", not
  "een meerderheid") that no on-topic sentence near the top gives, or a sum the best one lacks;
- topic: no passage covers every subject-matter term of an English question ("milk quota");
- date / day: a "when" question (also "what is the new start date") whose sentences near the top
  give no date, or, asked for the day itself ("Op welke datum precies"), only a month;
- person: a question for a named individual whose passages name no one;
- name: the question names something ("Digital Services Act", "Reynders") that occurs nowhere in
  the reports (checked against the whole lexical index, stems and compounds included);
- name_elsewhere: ... that the reports do mention, but not in the passages that match the
  question (the reason then says so, instead of a false "no passage mentions").
For a follow-up, the checks look at the question actually asked where it matters (`asked`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, replace
from functools import cached_property

from rag.answer.question import Intent, Question
from rag.answer.scoring import ExtractiveSettings, ScoredSentence
from rag.core.lexical import analyse, analyse_with_compounds
from rag.core.models import Chunk, Hit
from rag.core.sentences import chunk_sentences
from rag.vocab.actors import (
    ACTORS,
    MEETING_ACTORS,
    MEMBER_STATES,
    PRESIDENCY_STATE,
    is_cover_formula,
    is_signature,
    names_individual,
    names_person,
    role_in,
)
from rag.vocab.countries import PRESIDENCY_BY_STATE, third_countries_in
from rag.vocab.cues import MONTHS, YEAR, cue, cue_words
from rag.vocab.documents import agenda_item_key
from rag.vocab.formations import formation_names_of


@dataclass(frozen=True)
class Evidence:
    """What the checks look at: the question, the retrieved passages and the scored sentences."""

    question: Question
    hits: Sequence[Hit]
    scored: Sequence[ScoredSentence]
    settings: ExtractiveSettings
    vocabulary: Collection[str] | None = None  # the lexical index's terms
    topical: set[int] | None = None  # ranks of passages on every subject term; None: no terms

    @cached_property
    def passages(self) -> list[Chunk]:
        return [h.chunk for h in self.hits[: self.settings.passages]]

    @property
    def best(self) -> ScoredSentence:
        return self.scored[0]

    @cached_property
    def top_score(self) -> float:
        """The highest sentence score (the first sentence may be another: see
        `ExtractiveSettings.lexical_band_nl`)."""
        return max(s.score for s in self.scored)

    @property
    def floor(self) -> float:
        """Sentences scoring at least this are "near the top" (within the margin of the best)."""
        return self.top_score - self.settings.margin

    @cached_property
    def on_topic(self) -> list[ScoredSentence]:
        """The scored sentences of passages about every subject term (all of them when the
        question has no terms or no passage has them all), best first."""
        if not self.topical:
            return list(self.scored)
        return [s for s in self.scored if s.hit_rank in self.topical]

    @cached_property
    def outcomes(self) -> list[ScoredSentence] | None:
        """For a question asking how something ended, the on-topic sentences that give an
        outcome, near the top or in the best sentence's agenda item (where a debate's conclusion
        usually follows it), best first; None for other questions."""
        if not self.scored or not cue("outcome_question").search(self.question.asked):
            return None
        item = self._item_of(self.best)
        return [
            s
            for s in self.on_topic
            if (s.score >= self.floor or self._item_of(s) == item)
            and cue("outcome_given").search(s.text)
            and not is_cover_formula(s.text)
        ]

    def _item_of(self, s: ScoredSentence) -> tuple[str, str]:
        """The sentence's report and agenda item; the report's summary of an item counts as the
        item ("Belangrijkste resultaten – Nieuw Migratie- en Asielpact" is item 4's)."""
        chunk = self.hits[s.hit_rank].chunk
        return chunk.doc_id, agenda_item_key(chunk.section)

    def in_first_item(self, sentences: Sequence[ScoredSentence]) -> list[ScoredSentence]:
        """The sentences in the first one's report and agenda item: a detail in another report
        (its title's date, another meeting's minister) is not the asked one's."""
        if not sentences:
            return []
        item = self._item_of(sentences[0])
        return [s for s in sentences if self._item_of(s) == item]

    @cached_property
    def counting(self) -> list[ScoredSentence] | None:
        """For a "how many" question, the on-topic sentences near the top that give a number of
        what is counted, best first; None for other questions."""
        q = self.question
        if not q.asks_count or not self.scored:
            return None
        exact = bool(cue("exact_question").search(q.asked))
        out = []
        for s in self.on_topic:
            # Asked for the exact figure, "een meerderheid van de lidstaten" gives none.
            text = cue("vague_quantity").sub(" ", s.text) if exact else s.text
            if s.score >= self.floor and has_number(text):
                if not q.counted or counts(text, q.counted):
                    out.append(s)
        return out

    @cached_property
    def signed(self) -> list[ScoredSentence] | None:
        """For a question for a letter's sender, the signature of the letter the best on-topic
        sentence is in, scored as that sentence (it answers what the sending formula only
        frames), then the on-topic sentences; None for other questions or without a signature."""
        if not self.question.asks_sender or not self.on_topic:
            return None
        best = self.on_topic[0]
        doc = self.hits[best.hit_rank].chunk.doc_id
        for s in self.on_topic:
            if is_signature(s.text) and self.hits[s.hit_rank].chunk.doc_id == doc:
                rest = [o for o in self.on_topic if o is not s and not is_signature(o.text)]
                return [replace(s, score=best.score), *rest]
        return None

    @cached_property
    def actor_missing(self) -> str:
        """Where the question's (first) actor is missing: "" (it is in the passages, or the
        question names none), "passages" (the reports name it elsewhere) or "index" (nowhere).
        Read once for the two check rows that report it."""
        q = self.question
        if not q.actors or q.actors[0].key in MEETING_ACTORS:
            return ""
        actor = q.actors[0]
        if any(role_in(s, actor) for c in self.passages for s in chunk_sentences(c)):
            return ""
        if self.vocabulary is not None and _in_index(actor.label_nl, self.vocabulary):
            return "passages"
        return "index"

    @cached_property
    def dated(self) -> list[ScoredSentence] | None:
        """For a "when" question, the on-topic sentences near the top that give a date."""
        return dated_sentences(self.question, self.on_topic, self.settings.margin)

    def label(self, actor_index: int = 0) -> str:
        a = self.question.actors[actor_index]
        return a.label_nl if self.question.lang == "nl" else a.label_en


# A check returns None when the evidence passes, else what fills the reason's "{what}".
CheckFn = Callable[[Evidence], "str | None"]


@dataclass(frozen=True)
class Check:
    name: str
    reason: dict[str, str]  # {"nl": ..., "en": ...}, may hold "{what}"
    test: CheckFn


def weak(ev: Evidence) -> str | None:
    s = ev.settings
    threshold = s.abstain_below_en if ev.question.lang == "en" else s.abstain_below
    return "" if not ev.scored or ev.top_score < threshold else None


def absent_actor(ev: Evidence) -> str | None:
    """The question's (first) actor occurs in no sentence of the passages, nor anywhere in the
    reports: "no passage mentions ..." is then true of the whole index."""
    return ev.label() if ev.actor_missing == "index" else None


def actor_elsewhere(ev: Evidence) -> str | None:
    """The actor occurs in the reports, but in none of the passages that match the question."""
    return ev.label() if ev.actor_missing == "passages" else None


def cover_letter(ev: Evidence) -> str | None:
    """A question about decisions or positions, or for a meeting's agenda (an overview that found
    no agenda items), whose best evidence is a cover letter."""
    doc_type = ev.hits[ev.best.hit_rank].chunk.meta.doc_type
    # An overview is answered by a letter that holds content ("een overzicht over ..."), not
    # by one that only sends a document ("Hierbij zend ik u de geannoteerde agenda").
    agenda = ev.question.intent == Intent.OVERVIEW and is_cover_formula(ev.best.text)
    return "" if doc_type == "brief" and (ev.question.asks_decision or agenda) else None


NEAR_CHARS = 250  # about one sentence either side of the actor's own


def _near(chunk: Chunk, sentence: ScoredSentence) -> str:
    """An actor's sentence with about one sentence either side (what it replies to, and its
    continuation: "Zij stelden ..."), framed by the agenda item and report title."""
    start = max(0, sentence.start - NEAR_CHARS)
    end = min(len(chunk.text), sentence.end + NEAR_CHARS)
    return f"{chunk.meta.title}\n{chunk.section}\n{chunk.text[start:end]}"


def silent_actor(ev: Evidence) -> str | None:
    """The actor speaks in no passage about the question's topic."""
    q = ev.question
    if not (q.actors and q.asks_position and ev.vocabulary is not None):
        return None
    # "What did the presidency say on that item?": the item is the topic, and the passages are
    # its own; speaking there is enough.
    topic = set() if q.context_items else {t for t in q.topic if t in ev.vocabulary}
    speaking = {s.hit_rank for s in ev.scored if s.role > 0}
    if ev.topical is not None:
        speaking &= ev.topical  # the actor speaks in a passage about all the question names
    near = [  # what the actor says: its sentence and its neighbours, under their agenda item
        _near(ev.hits[x.hit_rank].chunk, x)
        for x in ev.scored
        if x.role > 0 and x.hit_rank in speaking
    ]
    if (topic or ev.topical is not None) and not any(
        not topic or covers(text, topic) for text in near
    ):
        return ev.label()
    return None


_NUMBER = re.compile(r"\d|" + cue("quantity").pattern, re.IGNORECASE)
_DAY_OF_MONTH = re.compile(rf"\b\d{{1,2}}\s+(?:{'|'.join(MONTHS)})\b", re.IGNORECASE)


def _without_dates(text: str, keep_single: bool = False) -> str:
    """The text with years, days of the month ("27 juni": a date, not an amount) and the article
    "een"/"one" blanked; with `keep_single`, "een enkele"/"one single" stays (it counts one)."""
    article = r"\b(?:een|one)\b" + (r"(?!\s+(?:enkele|single))" if keep_single else "")
    text = re.sub(rf"{article}|\b{YEAR}\b", " ", text, flags=re.IGNORECASE)
    return _DAY_OF_MONTH.sub(" ", text)


def has_number(text: str) -> bool:
    """A count in the text; dates, the article "een"/"one" and Dutch "ten" do not count.

    >>> has_number("Twintig lidstaten steunden het."), has_number("Op 27 juni 2020 besloten.")
    (True, False)
    """
    return bool(_NUMBER.search(_without_dates(text)))


def no_count(ev: Evidence) -> str | None:
    """A "how many" question none of whose on-topic sentences near the top gives a number, or
    only a number of something else: what is counted ("asielaanvragen") must follow it."""
    return "" if ev.counting == [] else None


def counts(text: str, counted: Collection[str]) -> bool:
    """A number in the text counts what the question counts: the counted word follows it within
    four words ("twintig lidstaten", "een meerderheid van de lidstaten"), so "een opschorting van
    twee maanden" in a sentence about "sommige lidstaten" does not answer "how many member states".

    >>> counts("In sommige lidstaten is er een opschorting van twee maanden.", ["lidstat"])
    False
    >>> counts("Een meerderheid van de lidstaten steunde het.", ["lidstat"])
    True
    """
    plain = _without_dates(text, keep_single=True)
    for m in _NUMBER.finditer(plain):
        after = plain[m.start() : m.end() + 60].split()[:5]
        if covers(" ".join(after), set(counted)):
            return True
    return False


# A sum of money or a share: "112 ECU", "1,2 miljard", "€ 5 mln", "3%".
AMOUNT = re.compile(
    r"\d[\d.,]*\s*(?:%|" + "|".join(cue_words("money_unit")) + r")\b|[€ƒ$£]\s*\d", re.IGNORECASE
)


def no_amount(ev: Evidence) -> str | None:
    return "" if ev.question.asks_amount and not AMOUNT.search(ev.best.text) else None


def covers(passage: str, terms: set[str]) -> bool:
    """Some term occurs in the passage; for terms of 4+ letters a Dutch compound counts
    ("rapport" in "voortgangsrapport", "immigratie" in "Immigratieraad"), also one a
    coordination leaves implicit ("migratiepact" in "Migratie- en Asielpact")."""
    words = analyse_with_compounds(passage)
    return any(
        t in words
        or (
            len(t) >= 4
            and any(
                len(w) >= 5 and (t.endswith(w) or w.endswith(t) or w.startswith(t)) for w in words
            )
        )
        for t in terms
    )


def coverage(passage: str, terms: Collection[str], idf: Callable[[str], float]) -> float:
    """The IDF-weighted share of `terms` the passage covers (compounds count, as in `covers`).

    >>> coverage("De Terugkeerrichtlijn.", {"terugkeerrichtlijn", "pact"}, lambda t: 1.0)
    0.5
    """
    total = sum(idf(t) for t in terms)
    if not total:
        return 1.0
    return sum(idf(t) for t in terms if covers(passage, {t})) / total


def context(chunk: Chunk) -> str:
    """A passage with what frames it: its agenda item, the report's title and the Council
    formation its report covers, in both languages (a cover letter "de geannoteerde agenda van de
    EG-Raad, te houden op 4 en 5 december 1989" is about the transport council)."""
    return f"{chunk.meta.title}\n{formation_names_of(chunk.meta)}\n{chunk.section}\n{chunk.text}"


def uncovered_concept(q: Question, passage: str) -> str:
    """The first subject-matter term of the question (by the glossary) that the passage does not
    cover, or "". Dutch questions share words with the reports already and are checked by the
    similarity threshold."""
    for english, dutch in q.concepts:
        # The English term itself counts too (the Council's own documents are English), when
        # every word of it occurs: "Schengen" alone does not cover "Schengen evaluation".
        english_words = analyse(english)
        in_english = bool(english_words) and all(covers(passage, {w}) for w in english_words)
        if not covers(passage, set(analyse(dutch))) and not in_english:
            return english
    return ""


def on_topic(q: Question, hits: Sequence[Hit], n: int) -> set[int] | None:
    """Ranks of the top-n passages that cover every subject-matter term of the question; None
    when the question has none. "What milk quota was agreed ..." is not answered by a passage
    about milk but not quotas, nor by one about fishing quotas."""
    if not q.concepts:
        return None
    return {r for r, h in enumerate(hits[:n]) if not uncovered_concept(q, context(h.chunk))}


def off_topic(ev: Evidence) -> str | None:
    if ev.topical != set():
        return None
    missing = uncovered_concept(ev.question, context(ev.hits[ev.best.hit_rank].chunk))
    return f"“{missing}”"


def found_in(word: str, text: str, words: set[str]) -> bool:
    """The word, or for longer words its first five letters plus most of the rest: a Dutch
    compound or inflection ("Kamerstuknummer" ~ "Kamerstukken", "Poolse" ~ "Polen" is not)."""
    if word in text:
        return True
    if len(word) < 6:
        return False
    stem = word[: max(5, len(word) * 3 // 5)]
    return any(w.startswith(stem) for w in words)


def compound_head(word: str, known: Callable[[str], bool]) -> str:
    """The head of a Dutch compound the question made up ("Kamermotie", "Eurocommissarissen"):
    its last part of 5+ letters that `known` accepts, after a modifier of 3+ letters; or "".
    The reports say "de motie Van Toorenburg-Becker" and "Commissaris Johansson".

    >>> compound_head("Kamermotie", {"motie"}.__contains__)
    'motie'
    """
    w = word.casefold()
    for i in range(3, len(w) - 4):
        if known(w[i:]):
            return w[i:]
    return ""


def _missing_names(ev: Evidence) -> list[str]:
    """Names of the question (read by `parse_question`) that occur in none of the passages (a
    made-up compound counts by its head)."""
    text = " ".join(c.text for c in ev.passages).casefold()
    words = set(re.findall(r"\w+", text))

    def found(word: str) -> bool:
        return found_in(word, text, words) or bool(
            compound_head(word, lambda h: found_in(h, text, words))
        )

    return [
        name for name, content in ev.question.names if any(not found(w.casefold()) for w in content)
    ]


def _in_index(name: str, vocabulary: Collection[str]) -> bool:
    """Every word of the name occurs somewhere in the reports (the whole lexical index), as a
    stem, inside a Dutch compound ("Pact" in "asielpact"), or as the head of a compound the
    question made up ("Kamermotie": "motie")."""
    for word in re.findall(r"\w+", name):
        for term in analyse(word):
            if term in vocabulary:
                continue
            if len(term) >= 4 and any(term in v for v in vocabulary):
                continue
            if compound_head(word, lambda h: any(t in vocabulary for t in analyse(h))):
                continue
            return False
    return True


def no_date(ev: Evidence) -> str | None:
    """A "when" question none of whose on-topic sentences near the top gives a date (a month,
    a day, "jl.", "a.s.", "volgend jaar"): the topic is there, the date is not."""
    if not ev.question.asks_when or not ev.scored:
        return None
    return None if ev.dated else ""


def no_day(ev: Evidence) -> str | None:
    """A question for the day itself ("On what date ...?") whose dated sentences near the top, in
    the best one's agenda item, give only a month or a year ("in februari a.s.")."""
    if not ev.dated or not cue("day_question").search(ev.question.asked):
        return None
    return None if any(_DAY.search(s.text) for s in ev.in_first_item(ev.dated)) else ""


def no_reply(ev: Evidence) -> str | None:
    """A question asking how someone answered ("Wat antwoordde de staatssecretaris?") whose
    sentences near the top hold no answer, only, say, the question that was put."""
    q = ev.question
    if not ev.scored or not (q.reacts_to_said or cue("reply_question").search(q.asked)):
        return None
    top = [s for s in ev.scored if s.score >= ev.floor]
    return None if any(cue("reply").search(s.text) for s in top) else ""


def no_outcome(ev: Evidence) -> str | None:
    """A question asking how something ended ("What was finally agreed?", "Wat besloot de
    Raad?") whose on-topic sentences near the top, and in the best sentence's agenda item, give
    no outcome, only the debate."""
    if ev.outcomes is None:
        return None
    if all(is_cover_formula(s.text) for s in ev.on_topic if s.score >= ev.floor):
        return None  # only a cover letter's sending formula: the answer says that instead
    return None if ev.outcomes else ""


def no_person(ev: Evidence) -> str | None:
    """A question for a named individual ("Which minister represented the Netherlands?", "Wie
    zat de Raad voor?") none of whose on-topic sentences near the top names one: the report
    speaks of the meeting, or of "het voorzitterschap", not of who."""
    asked = ev.question.asked
    office = bool(cue("office_holder_question").search(asked))
    if not ev.scored or not (office or cue("person_question").search(asked)) or ev.signed:
        return None
    named = names_individual if office else names_person
    top = ev.in_first_item([s for s in ev.on_topic if s.score >= ev.floor])
    # The sentence and the start of the next: a name may follow a split on an abbreviation
    # ("vertegenwoordigd door de p.v. | ambassadeur").
    return None if any(named(_after(ev.hits[s.hit_rank].chunk, s)) for s in top) else ""


def _after(chunk: Chunk, sentence: ScoredSentence) -> str:
    return chunk.text[sentence.start : min(len(chunk.text), sentence.end + NEAR_CHARS // 2)]


def unknown_name(ev: Evidence) -> str | None:
    """Names that occur nowhere in the reports: "no passage mentions ..." is then true of the
    whole index, not only of the retrieved passages."""
    if not ev.question.names:
        return None
    vocabulary = ev.vocabulary or ()
    missing = [n for n in _missing_names(ev) if not _in_index(n, vocabulary)]
    return ", ".join(f"“{n}”" for n in missing) if missing else None


def name_elsewhere(ev: Evidence) -> str | None:
    """Names the reports do contain, but not in the passages that match the question."""
    if not ev.question.names or ev.vocabulary is None:
        return None
    missing = [n for n in _missing_names(ev) if _in_index(n, ev.vocabulary)]
    return ", ".join(f"“{n}”" for n in missing) if missing else None


_NO_PASSAGE_NAMES = {"nl": "geen passage noemt {what}", "en": "no passage mentions {what}"}
_NOT_IN_MATCHING = {
    "nl": "de passages die bij deze vraag passen noemen {what} niet",
    "en": "the passages that match this question do not mention {what}",
}

CHECKS: tuple[Check, ...] = (
    Check(
        "weak",
        {
            "nl": "geen passage komt dicht genoeg bij de vraag",
            "en": "no passage comes close enough to the question",
        },
        weak,
    ),
    Check("actor", _NO_PASSAGE_NAMES, absent_actor),
    Check("actor_elsewhere", _NOT_IN_MATCHING, actor_elsewhere),
    Check(
        "cover",
        {
            "nl": "alleen een aanbiedingsbrief gaat over deze vergadering",
            "en": "only a cover letter concerns this meeting",
        },
        cover_letter,
    ),
    Check(
        "position",
        {
            "nl": "geen passage geeft hierover het standpunt van {what}",
            "en": "no passage gives the position of {what} on this",
        },
        silent_actor,
    ),
    Check(
        "count",
        {"nl": "geen passage noemt een aantal", "en": "no passage gives a number"},
        no_count,
    ),
    Check(
        "amount",
        {
            "nl": "geen passage noemt een bedrag of percentage",
            "en": "no passage gives a sum or a share",
        },
        no_amount,
    ),
    Check(
        "topic",
        {
            "nl": "geen passage gaat over alles wat de vraag noemt, zoals {what}",
            "en": "no passage covers all the question names, such as {what}",
        },
        off_topic,
    ),
    Check(
        "date",
        {"nl": "geen passage noemt een datum", "en": "no passage gives a date"},
        no_date,
    ),
    Check(
        "day",
        {"nl": "geen passage noemt de precieze datum", "en": "no passage gives the exact date"},
        no_day,
    ),
    Check(
        "reply",
        {"nl": "geen passage geeft het antwoord", "en": "no passage gives the answer"},
        no_reply,
    ),
    Check(
        "outcome",
        {"nl": "geen passage geeft de uitkomst", "en": "no passage gives the outcome"},
        no_outcome,
    ),
    Check(
        "person",
        {
            "nl": "de passages die bij deze vraag passen noemen geen naam",
            "en": "the passages that match this question name no one",
        },
        no_person,
    ),
    Check("name", _NO_PASSAGE_NAMES, unknown_name),
    Check(
        "name_elsewhere",
        _NOT_IN_MATCHING,
        name_elsewhere,
    ),
)


# Checks whose failure leaves a partial answer: the topic is covered but not the asked detail, so
# the answer says so and quotes what the reports do say (label keys in rag.answer.framing).
PARTIAL_CHECKS = {
    "count": "partial_count",
    "amount": "partial_amount",
    "date": "partial_date",
    "day": "partial_day",
    "reply": "partial_reply",
    "outcome": "partial_outcome",
    "person": "partial_person",
}


def member_states_unnamed(sentences: Sequence[str], asked: Collection[str] = ()) -> bool:
    """The sentences do not name which member state(s): they speak of them without naming one
    ("een enkele lidstaat"), or they name no member state (nor its presidency, "het Portugese
    voorzitterschap") other than those the question names (`asked`: actor keys).

    >>> member_states_unnamed(["Een enkele lidstaat uitte kritiek."])
    True
    >>> member_states_unnamed(["Polen uitte kritiek."])
    False
    >>> member_states_unnamed(["Het inkomende Portugese Voorzitterschap gaf aan ..."])
    False
    >>> member_states_unnamed(["Nederland pleitte voor een zeedagenregeling."], {"nl"})
    True
    """
    if not sentences:
        return False
    found = [
        (a.key, state)
        for s in sentences
        for a in ACTORS
        if (state := _STATE_OF.get(a.key)) and role_in(s, a)
    ]
    direct = any(key == state for key, state in found)  # not only through a presidency
    if not direct and any(cue("unnamed_member_states").search(s) for s in sentences):
        return True
    return not {state for _, state in found} - set(asked)


_STATE_OF = {a.key: a.key for a in ACTORS if a.key in MEMBER_STATES} | PRESIDENCY_STATE


# "Which country held the presidency?", "welk land was voorzitter?": the presidency is asked.
_HOLDS_PRESIDENCY = cue("presidency_asked")


def countries_unnamed(sentences: Sequence[str], question: str, asked: Collection[str] = ()) -> bool:
    """The sentences name no country the question does not name: no member state (a presidency
    that speaks is not the country asked for, unless the question asks for the presidency) and no
    third country.

    >>> q = "Met welke Noord-Afrikaanse landen wil het voorzitterschap samenwerken?"
    >>> countries_unnamed(["Het Portugese Voorzitterschap richt zich op Noord-Afrikaanse landen."], q)
    True
    >>> countries_unnamed(["Het voorzitterschap noemde Marokko."], q)
    False
    >>> countries_unnamed(["Het Duitse Voorzitterschap stelde het op."], "Welk land was voorzitter?")
    False
    """
    if not sentences:
        return False
    asks_presidency = _HOLDS_PRESIDENCY.search(question)
    texts = [s if asks_presidency else PRESIDENCY_BY_STATE.sub(" ", s) for s in sentences]
    named = {
        _STATE_OF[a.key] for s in texts for a in ACTORS if a.key in _STATE_OF and role_in(s, a)
    }
    if named - set(asked):
        return False
    return not set().union(*map(third_countries_in, sentences)) - third_countries_in(question)


def first_failure(checks: Sequence[Check], ev: Evidence) -> tuple[str, str]:
    """(name, reason in the question's language) of the first check that fails, or ("", "")."""
    for check in checks:
        what = check.test(ev)
        if what is not None:
            return check.name, check.reason[ev.question.lang].format(what=what)
    return "", ""


# A day of the month: "9 december", "28 en 29 april", "29 en 3O november" (OCR), "22/9/1992".
_DAY = re.compile(
    rf"\b\d[\dO]?\s+(?:{'|'.join(MONTHS)})\b|\b\d{{1,2}}[-/]\d{{1,2}}\b", re.IGNORECASE
)
_DATE = re.compile(
    rf"\b(?:{'|'.join(MONTHS)})\b|\b{YEAR}\b|\b\d{{1,2}}[-/]\d{{1,2}}\b|\bjl\.|\ba\.s\.|"
    + cue("relative_time").pattern,
    re.IGNORECASE,
)


def dated_sentences(
    q: Question, scored: Sequence[ScoredSentence], margin: float
) -> list[ScoredSentence] | None:
    """For a "when" question, the sentences within `margin` of the best that give a date, best
    first (possibly none); None for other questions."""
    if not q.asks_when:
        return None
    if not scored:
        return []
    floor = max(s.score for s in scored) - margin
    return [s for s in scored if s.score >= floor and _DATE.search(s.text)]


def quotable(ev: Evidence) -> list[ScoredSentence]:
    """The sentences an answer may quote, best first: only passages about every subject term of
    the question, for a "when" question the sentences near the top that give a date and for a
    question asking how something ended those that give an outcome, for a "how many" question
    those that give the count (when there are any)."""
    return list(ev.dated or ev.outcomes or ev.counting or ev.signed or ev.on_topic)
