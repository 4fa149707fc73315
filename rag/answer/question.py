"""Reading a question once: a frozen `Question` that everything downstream takes.

"What did the Netherlands say in the JHA Council of December 2020?" carries a formation
(JBZ-Raad), a period (2020-12-01..2020-12-31), an actor (Nederland) and an intent (a position).
`parse_question` reads all of it, plus the terms retrieval and sentence scoring weigh, the
glossary's Dutch for English terms, the subject-matter concepts and the names the checks look
for, so no later step reads the text again. Filters given explicitly (CLI options, the app's
sidebar) win over those read from the question. The cue words come from `rag.vocab`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from rag.core.filters import Filters
from rag.core.lexical import analyse
from rag.vocab.actors import Actor, asks_for_position, find_actors
from rag.vocab.cues import MONTHS, YEAR, cue, cue_words, doc_types_named, stance_of
from rag.vocab.dates import dates_in_question, day_in_question
from rag.vocab.formations import find_formation_in_question, find_formations
from rag.vocab.glossary import concepts, dutch_terms


class Intent(StrEnum):
    """What kind of answer the question asks for; each has its own answer (`rag.answer.assistant`)."""

    OVERVIEW = "overview"  # a meeting's agenda items
    FACTCHECK = "factcheck"  # a claim to check: stated, contradicted, or not stated
    AGGREGATION = "aggregation"  # a list gathered from several items or meetings
    POSITION = "position"  # what an actor said or thought on a topic
    FACTOID = "factoid"  # one detail: who, when, how many, how much, which member state
    OPEN = "open"


class Slot(StrEnum):
    """The detail a question asks for, which the answer must contain."""

    NONE = ""
    MEMBER_STATE = "member_state"
    COUNTRY = "country"  # a member state or a third country
    PERSON = "person"
    DATE = "date"
    COUNT = "count"
    AMOUNT = "amount"


@dataclass(frozen=True)
class Question:
    """A question as read once. `text` is the standalone question (a follow-up condensed with the
    one before it); `asked` is the question actually typed last."""

    text: str
    lang: str  # "nl" or "en"
    filters: Filters = field(default_factory=Filters)
    actors: tuple[Actor, ...] = ()  # those of the question actually asked first
    latest: bool = False
    day: str = ""  # the day the question names, ISO ("on 3 April 1992")
    asked: str = ""
    intent: Intent = Intent.OPEN
    slot: Slot = Slot.NONE
    premise: bool = False  # a "why" question that presupposes its claim
    conflict: str = ""  # what the question names outside the explicit filters ("" = none)
    counted: tuple[str, ...] = ()  # what a "how many" question counts: analysed, with its Dutch
    terms: tuple[str, ...] = ()  # analysed terms of the text and its Dutch translations
    translated: tuple[str, ...] = ()  # the glossary's Dutch for the text's English terms
    concepts: tuple[tuple[str, str], ...] = ()  # (English words, Dutch terms): the subject
    topic: tuple[str, ...] = ()  # analysed terms besides actors, formations and dates
    names: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (name, its words) not otherwise known
    asks_position: bool = False  # a verb of speaking: what an actor said or thought
    asks_decision: bool = False  # what was decided, agreed or said
    asks_count: bool = False  # of the question asked
    asks_amount: bool = False
    asks_when: bool = False
    asks_sender: bool = False  # who sent or signed a letter: its signature answers
    # "Who took the floor on this item?": every speaker but those left out ("apart from ...").
    speakers_asked: bool = False
    excluded: tuple[str, ...] = ()  # actor keys
    # A reaction to what someone said ("op dat voorbehoud", "daarop"): only a sentence giving a
    # reply answers it.
    reacts_to_said: bool = False
    # The reports the conversation is about (the previous answer's sources): preferred, not
    # required, so a follow-up on another meeting still finds it.
    context: tuple[str, ...] = ()
    # The agenda items it quoted, when the question points back at one ("dat agendapunt").
    context_items: tuple[tuple[str, str], ...] = ()

    @property
    def lexical_query(self) -> str:
        """The text BM25 searches: the question plus the Dutch of its English terms and, for an
        English question, its actors' Dutch names ("the European Parliament": "het Europees
        Parlement", which the reports write)."""
        actors = [a.label_nl for a in self.actors if self.lang == "en" and a.label_nl]
        return " ".join([self.text, *self.translated, *actors])


def last_question(text: str) -> str:
    """The question actually asked: a condensed follow-up is "<previous question> <new one>".

    >>> last_question("Hoeveel lidstaten steunden het? En wat zei het voorzitterschap?")
    'En wat zei het voorzitterschap?'
    >>> last_question("Wat zei Polen? Noem de landen? Ik heb ze nodig voor een nota.")
    'Noem de landen? Ik heb ze nodig voor een nota.'
    """
    parts = [p for p in re.split(r"(?<=\?)\s+", text.strip()) if p]
    if len(parts) > 1 and not _ASKS.match(parts[-1]):
        # A statement after the question ("Can you name the countries? I need them for the
        # briefing.") belongs to it: it asks nothing by itself.
        return " ".join(parts[-2:])
    return parts[-1] if parts else text


_ASKS = re.compile(
    r".*\?\s*$|\s*(?:"
    + "|".join(cue_words("question_word") + cue_words("follow_up_start"))
    + r")\b",
    re.IGNORECASE | re.DOTALL,
)


def detect_language(text: str) -> str:
    """'nl' or 'en' by counting common function words (ties go to Dutch, the reports' language).

    >>> detect_language("Wat zei de Commissie over het EES?"), detect_language("And Germany?")
    ('nl', 'en')
    """
    balance = _english_minus_dutch(text)
    if balance:
        return "en" if balance > 0 else "nl"
    return "en" if re.search(r"\b(?:and|or|what|who)\b", text, re.I) else "nl"


def _english_minus_dutch(text: str) -> int:
    """English function words minus Dutch ones."""
    words = re.findall(r"[a-zà-ÿ]+", text.lower())
    nl_words, en_words = (
        set(cue_words("function_word", "nl")),
        set(cue_words("function_word", "en")),
    )
    return sum(w in en_words for w in words) - sum(w in nl_words for w in words)


def question_language(text: str, asked: str) -> str:
    """The language of the question actually asked, when its own words tell; else of the whole
    (a condensed Dutch follow-up to an English question is answered in Dutch).

    >>> question_language("What did the Commission say? Hebben lidstaten daarop gereageerd?",
    ...                   "Hebben lidstaten daarop gereageerd?")
    'nl'
    """
    if asked != text and (balance := _english_minus_dutch(asked)):
        return "en" if balance > 0 else "nl"
    return detect_language(text)


def parse_question(text: str, explicit: Filters | None = None) -> Question:
    """Everything later steps need from a question, read once (explicit filters win)."""
    since, until = dates_in_question(text)
    # Two formations named ("a joint meeting of the FAC and the JHA Council") are the topic,
    # not a filter.
    named = {f.name for _, _, f in find_formations(text)}
    found = Filters(
        formation=named.pop() if len(named) == 1 else "",
        since=since,
        until=until,
        doc_types=doc_types_named(text),
    )
    filters, conflict = combine_filters(explicit or Filters(), found)
    asked = last_question(text)
    actors = tuple(find_actors(text))
    if asked != text:  # a condensed follow-up asks about its own actor, not the earlier one's
        actors = tuple(dict.fromkeys([*find_actors(asked), *actors]))
    # Every speaker is asked for only when the question names none but those it leaves out
    # ("who spoke on behalf of the Commission?" asks for the Commission's speaker).
    excluded = _left_out(asked) if cue("speakers_asked").search(asked) else ()
    speakers_asked = bool(cue("speakers_asked").search(asked)) and all(
        a.key in excluded for a in find_actors(asked)
    )
    if speakers_asked:
        actors = tuple(a for a in actors if a.key not in excluded)
    reacted_to, reacts_to_said = _reaction(asked)
    if reacted_to:  # "Italië op dat Nederlandse pleidooi": Italy is asked, not the Netherlands
        subject = {a.key for a in find_actors(asked.replace(reacted_to, " "))}
        object_ = {a.key for a in find_actors(reacted_to)}
        kept = tuple(a for a in actors if a.key in subject or a.key not in object_)
        actors = kept or actors
    lang = question_language(text, asked)
    translated = tuple(dutch_terms(text))
    slot = _slot(asked)
    flags = {
        "asks_position": asks_for_position(text),
        "asks_decision": bool(cue("decision").search(text)),
        "asks_count": bool(cue("count_question").search(asked)),
        "asks_amount": bool(cue("amount_question").search(asked)),
        "asks_when": bool(cue("when_question").search(asked)),
    }
    return Question(
        text=text,
        lang=lang,
        filters=filters,
        actors=actors,
        latest=bool(cue("latest").search(text)),
        day=day_in_question(text),
        asked=asked,
        conflict=conflict,
        counted=_counted(asked, lang),
        intent=Intent.AGGREGATION
        if speakers_asked
        else _intent(asked, bool(actors), slot, **flags),
        speakers_asked=speakers_asked,
        excluded=excluded,
        reacts_to_said=reacts_to_said,
        slot=slot,
        premise=bool(actors and cue("why").match(asked.strip()) and stance_of(asked)),
        asks_sender=bool(cue("sender_question").search(asked)),
        terms=tuple(dict.fromkeys(analyse(" ".join([_unframed(text), *translated])))),
        translated=translated,
        concepts=tuple(concepts(without_formations(text))),
        topic=_topic(text, actors),
        names=_names(without_formations(asked), lang),
        **flags,
    )


def _reaction(asked: str) -> tuple[str, bool]:
    """What a reaction question reacts to ("" when it asks for none), and whether that is
    something said (a plea, a reservation, "daarop") rather than a proposal or a deal.

    >>> _reaction("Hoe reageerde Italië op dat Nederlandse pleidooi?")
    ('dat Nederlandse pleidooi?', True)
    >>> _reaction("How did the Commission react to the deal on terrorist content?")
    ('the deal on terrorist content?', False)
    >>> _reaction("En hoe reageerde de minister daarop?")
    ('', True)
    """
    m = cue("reaction_question").search(asked)
    if not m:
        return "", False
    rest = asked[m.end() :]
    pointer = bool(cue("reaction_pointer").search(rest))
    to = cue("reaction_object").search(rest)
    reacted_to = rest[to.end() :].strip() if to else ""
    return reacted_to, pointer or bool(reacted_to and cue("said_noun").search(reacted_to))


def _left_out(asked: str) -> tuple[str, ...]:
    """The actors named after "apart from", "naast" and the like, up to the next comma.

    >>> _left_out("Apart from the Commission and the presidency, who took the floor?")
    ('commission', 'presidency')
    """
    m = cue("except").search(asked)
    if not m:
        return ()
    span = re.split(r"[,;?]", asked[m.end() :], maxsplit=1)[0]
    return tuple(a.key for a in find_actors(span))


def combine_filters(explicit: Filters, found: Filters) -> tuple[Filters, str]:
    """The explicit filters (sidebar, CLI) narrowed by what the question names, and what the
    question names that lies outside them ("" when nothing does).

    >>> combine_filters(Filters(since="2020-01-01"), Filters(since="2020-12-01", until="2020-12-31"))
    (Filters(formation='', since='2020-12-01', until='2020-12-31', doc_ids=(), doc_types=()), '')
    >>> combine_filters(Filters(until="1994-12-31"), Filters(since="2020-12-01", until="2020-12-31"))[1]
    '2020-12-01 – 2020-12-31'
    """
    conflict = []
    formation = explicit.formation or found.formation
    if explicit.formation and found.formation and found.formation != explicit.formation:
        conflict.append(found.formation)
    since = max(explicit.since, found.since)
    until = min((d for d in (explicit.until, found.until) if d), default="")
    if since and until and since > until:  # the question's period lies outside the filter's
        conflict.append(f"{found.since or '…'} – {found.until or '…'}")
        since, until = explicit.since, explicit.until
    narrowed = Filters(
        formation=formation,
        since=since,
        until=until,
        doc_ids=explicit.doc_ids or found.doc_ids,
        doc_types=explicit.doc_types or found.doc_types,
    )
    return narrowed, "; ".join(conflict)


_COUNTED = re.compile(r"\b(?:hoeveel|how many|how much)\s+(\w+(?:\s+\w+)?)", re.IGNORECASE)


def _counted(asked: str, lang: str) -> tuple[str, ...]:
    """What a "how many" question counts, as analysed Dutch terms: the noun after "hoeveel" in a
    Dutch question, the glossary's Dutch for the words after "how many" in an English one (none
    when the glossary has none: then nothing is required).

    >>> _counted("Hoeveel asielaanvragen werden ingediend?", "nl")
    ('asielaanvrag',)
    >>> _counted("How many asylum applications were lodged?", "en"), _counted("How many times?", "en")
    (('asiel',), ())
    """
    m = _COUNTED.search(asked)
    if not m:
        return ()
    words = m.group(1).split()
    dutch = words[:1] if lang == "nl" else dutch_terms(" ".join(words))
    return tuple(dict.fromkeys(analyse(" ".join(dutch))))


def _slot(asked: str) -> Slot:
    """The detail asked for, by the cue table (first match: the more specific slots first)."""
    for kind, slot in (
        ("member_state_slot", Slot.MEMBER_STATE),
        ("country_slot", Slot.COUNTRY),
        ("amount_question", Slot.AMOUNT),
        ("count_question", Slot.COUNT),
        ("when_question", Slot.DATE),
        ("person_slot", Slot.PERSON),
    ):
        if cue(kind).search(asked):
            return slot
    return Slot.NONE


def _intent(
    asked: str,
    has_actor: bool,
    slot: Slot,
    asks_position: bool,
    asks_decision: bool,
    asks_count: bool,
    asks_amount: bool,
    asks_when: bool,
) -> Intent:
    """One intent per question, the first that applies in this order."""
    opening = re.match(r"\s*(?:" + "|".join(cue_words("factcheck")) + r")\b", asked, re.I)
    if (
        opening
        or _CLAIM_TAG.search(asked)
        or (has_actor and cue("why").match(asked.strip()) and stance_of(asked))
    ):
        return Intent.FACTCHECK
    if cue("aggregation").search(asked) or (
        has_actor and asks_position and cue("items_asked").search(asked)
    ):
        return Intent.AGGREGATION
    if cue("overview").search(asked) and not (has_actor and asks_position):
        return Intent.OVERVIEW
    if has_actor and asks_position:
        return Intent.POSITION
    if slot or asks_count or asks_amount or asks_when:
        return Intent.FACTOID
    return Intent.OPEN


# After a comma, to the question mark (which a word boundary after it would not match).
_CLAIM_TAG = re.compile(r",\s*(?:" + "|".join(cue_words("claim_tag")) + r")", re.IGNORECASE)


def _topic(text: str, actors: tuple[Actor, ...]) -> tuple[str, ...]:
    """What the question is about besides its actor: stemmed terms (with the glossary's Dutch)
    minus actor names, formations and dates. The checks keep those the reports know."""
    for actor in actors:
        text = re.sub(actor.question, " ", text, flags=re.IGNORECASE)
    text = cue("discussion_noun").sub(" ", _unframed(without_formations(text)))
    for kind in doc_types_named(text):  # "de geannoteerde agenda" names a document, a filter
        text = cue(f"doc_type:{kind}").sub(" ", text)
    text = " ".join([text, *dutch_terms(text)])
    text = re.sub(rf"\b{YEAR}\b|\b\d{{1,2}}\b", " ", text)
    text = re.sub(rf"\b(?:{'|'.join(MONTHS)})\b", " ", text, flags=re.IGNORECASE)
    return tuple(dict.fromkeys(t for t in analyse(text) if len(t) >= 3))


def _unframed(text: str) -> str:
    """The text without the nouns that name a position (cue row position_noun)."""
    return cue("position_noun").sub(" ", text)


def without_formations(text: str) -> str:
    """The text with every formation it names blanked: "the EC transport council" and "de
    EG-Raad Verkeer en Vervoer" name the meeting (a filter, and every passage of its reports
    covers it), not a subject the passages must mention ("transport", "Vervoer").

    >>> without_formations("Wanneer kwam de Raad Verkeer en Vervoer bijeen?")
    'Wanneer kwam de   bijeen?'
    """
    for start, end, _ in reversed(find_formations(text)):
        text = text[:start] + " " + text[end:]
    return text


_NAME = re.compile(
    r"(?<![\w-])([A-ZÀ-Þ][\w'’-]*(?:\s+(?:[A-ZÀ-Þ][\w'’-]*|van|de|der|den|of|on|and))*)"
)
_PARTICLES = frozenset({"van", "de", "der", "den", "of", "on", "and"})


def names_in(asked: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The capitalised names a question gives, in either language ("Maij-Weggen", "Eerste
    Kamer"): what a question about the documents narrows them by.

    >>> names_in("Which letters did minister Maij-Weggen send?")
    (('Maij Weggen', ('Maij', 'Weggen')),)
    """
    return _names(asked, "nl")


def _names(asked: str, lang: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Capitalised names in the question asked that are no formation, actor, glossary term,
    question word or month, each with its words of 3+ letters (which the reports must contain).
    For English questions only names of acts and programmes count ("Digital Services Act"):
    other English names ("Foreign Affairs") rarely occur in Dutch reports even when those answer.

    >>> _names("Wat besloot de Raad over de Digital Services Act?", "nl")
    (('Digital Services Act', ('Digital', 'Services', 'Act')),)
    """
    generic = {w.casefold() for w in cue_words("question_word") + cue_words("generic_capitalised")}
    instrument = re.compile(r"\b(?:" + "|".join(cue_words("instrument")) + r")$")
    out: list[tuple[str, tuple[str, ...]]] = []
    for m in _NAME.finditer(asked):
        name = re.sub(r"['’]s$", "", m.group(1).strip()).strip("'’")  # "'Jumbo-Raad'"
        words = [w for w in re.split(r"[\s-]+", name) if w]
        sentence_start = m.start() == 0 or asked[: m.start()].rstrip().endswith(("?", ".", "!"))
        if sentence_start and not words[0].isupper():
            words = words[1:]  # a sentence's first word is capitalised anyway
        while words and words[-1].casefold() in _PARTICLES:
            words.pop()
        while words and words[0].casefold() in _PARTICLES:
            words.pop(0)
        phrase = " ".join(words)
        content = [w for w in words if w.casefold() not in generic and w.casefold() not in MONTHS]
        if not content or _known(phrase):
            continue
        if lang == "en" and not instrument.search(phrase):
            continue
        out.append((phrase, tuple(w for w in content if len(w) >= 3)))
    return tuple(out)


def _known(phrase: str) -> bool:
    """A formation, an actor or a glossary term: translated or matched elsewhere."""
    return bool(find_formation_in_question(phrase) or find_actors(phrase) or dutch_terms(phrase))
