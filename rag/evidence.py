"""Is there evidence at all? Reasons to abstain beyond a low similarity score.

Dense similarity alone cannot tell "what did Italy say about the return directive" (the reports
record no Italian position) from "what did the Netherlands say ...": both land on the same
passages. Cheap checks catch what the reports cannot answer:
- the question asks about an actor that no retrieved passage mentions, or one that no passage
  shows taking a position on the topic;
- the question asks what was decided, agreed or said, and the best evidence is a cover letter,
  which only says that a report or agenda was sent (it can answer "when", not "what");
- the question asks for a number or amount and the best sentence gives none;
- an English question names subject-matter terms (by the glossary: "milk quota") that no
  retrieved passage covers together;
- a Dutch question names something (a capitalised name: "Digital Services Act", "Reynders") that
  occurs in none of the retrieved passages and is not a known formation, actor or glossary term.
  For English questions only names of acts and programmes count ("Digital Services Act"): other
  English names ("Foreign Affairs") rarely occur in Dutch reports even when those answer them.
For a follow-up, the checks look at the question actually asked, not the one it was condensed
from.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rag.actors import Actor, asks_for_position, find_actors, role_in
from rag.glossary import concepts, dutch_terms
from rag.lexical import analyse
from rag.query import MONTHS
from rag.sentences import split_sentences

# Capitalised words that carry no subject of their own.
_GENERIC = set(
    "eu ec eg eeg eer ep council raad raden commission commissie jha jbz what which who when where why how "
    "did does do is are was were wat welke wie wanneer waar waarom hoe en and the de het in of van "
    "op on at for voor i ii iii iv hoeveel waarover waarom welk wat".split()
)
_NAME = re.compile(
    r"(?<![\w-])([A-ZÀ-Þ][\w'’-]*(?:\s+(?:[A-ZÀ-Þ][\w'’-]*|van|de|der|den|of|on|and))*)"
)


def missing_actors(actors: Sequence[Actor], passages: Sequence[str]) -> list[Actor]:
    """Actors of the question that no passage mentions (role 0 in every sentence)."""
    sentences = [s for p in passages for s in split_sentences(p)]
    return [a for a in actors if not any(role_in(s, a) for s in sentences)]


# The name of a legal act or programme ("Digital Services Act") is kept in English or translated
# word for word, so its absence means something even for an English question.
_INSTRUMENT = re.compile(
    r"\b(?:Act|Regulation|Directive|Strategy|Package|Programme|Convention|Treaty|Pact|Fund|"
    r"Agency|Plan|Initiative|Mechanism|Framework|Code)$"
)
_PARTICLES = {"van", "de", "der", "den", "of", "on", "and"}


def unknown_names(question: str, passages: Sequence[str]) -> list[str]:
    """Capitalised names in a Dutch question that appear in none of the passages.

    >>> unknown_names("Wat besloot de Raad over de Digital Services Act?", ["De Raad besloot."])
    ['Digital Services Act']
    >>> unknown_names("Onder welk Kamerstuknummer staat het?", ["Kamerstukken II, 32 317"])
    []
    """
    text = " ".join(passages).casefold()
    words_in_text = set(re.findall(r"\w+", text))
    out: list[str] = []
    for m in _NAME.finditer(question):
        words = [w for w in re.split(r"[\s-]+", re.sub(r"['’]s$", "", m.group(1).strip())) if w]
        sentence_start = m.start() == 0 or question[: m.start()].rstrip().endswith(("?", ".", "!"))
        if sentence_start and not words[0].isupper():
            words = words[1:]  # a sentence's first word is capitalised anyway
        while words and words[-1].casefold() in _PARTICLES:
            words.pop()
        while words and words[0].casefold() in _PARTICLES:
            words.pop(0)
        phrase = " ".join(words)
        content = [w for w in words if w.casefold() not in _GENERIC and w.casefold() not in MONTHS]
        if not content or _known(phrase):
            continue
        if any(len(w) >= 3 and not _found(w.casefold(), text, words_in_text) for w in content):
            out.append(phrase)
    return out


def _found(word: str, text: str, words: set[str]) -> bool:
    """The word, or for longer words its first five letters plus most of the rest: a Dutch
    compound or inflection ("Kamerstuknummer" ~ "Kamerstukken", "Poolse" ~ "Polen" is not)."""
    if word in text:
        return True
    if len(word) < 6:
        return False
    stem = word[: max(5, len(word) * 3 // 5)]
    return any(w.startswith(stem) for w in words)


def _known(phrase: str) -> bool:
    """A formation, an actor or a glossary term: translated or matched elsewhere."""
    from ingest.formations import find_formation_in_question

    return bool(find_formation_in_question(phrase) or find_actors(phrase) or dutch_terms(phrase))


_CONTENT_QUESTION = re.compile(
    r"\b(?:decid\w*|decision\w*|agreed|agreement|adopt\w*|conclu\w*|said|say|says|position|"
    r"besl\w*|besluit\w*|overeengekomen|akkoord|aangenomen|conclu\w*|zei|zeiden|standpunt\w*)\b",
    re.IGNORECASE,
)


def cover_letter_only(question: str, doc_type: str) -> bool:
    """A question about decisions or positions whose best evidence is a cover letter.

    >>> cover_letter_only("What was agreed at the Energy Council of 21 May 1990?", "brief")
    True
    """
    return doc_type == "brief" and bool(_CONTENT_QUESTION.search(question))


REASONS = {
    "weak": {
        "nl": "geen passage komt dicht genoeg bij de vraag",
        "en": "no passage comes close enough to the question",
    },
    "actor": {"nl": "geen passage noemt {what}", "en": "no passage mentions {what}"},
    "cover": {
        "nl": "alleen een aanbiedingsbrief gaat over deze vergadering",
        "en": "only a cover letter concerns this meeting",
    },
    "name": {"nl": "geen passage noemt {what}", "en": "no passage mentions {what}"},
    "count": {
        "nl": "geen passage noemt een aantal",
        "en": "no passage gives a number",
    },
    "position": {
        "nl": "geen passage geeft hierover het standpunt van {what}",
        "en": "no passage gives the position of {what} on this",
    },
    "amount": {
        "nl": "geen passage noemt een bedrag of percentage",
        "en": "no passage gives a sum or a share",
    },
    "topic": {
        "nl": "geen passage gaat over alles wat de vraag noemt, zoals {what}",
        "en": "no passage covers all the question names, such as {what}",
    },
}


def topic_terms(parsed, vocabulary: set[str]) -> set[str]:  # type: ignore[no-untyped-def]
    """What the question is about besides its actor: stemmed terms (with the glossary's Dutch)
    that the reports know, minus actor names, formations and dates."""
    from ingest.formations import find_formations

    text = parsed.text
    for actor in parsed.actors:
        text = re.sub(actor.question, " ", text, flags=re.IGNORECASE)
    for start, end, _ in reversed(find_formations(text)):
        text = text[:start] + " " + text[end:]
    text = " ".join([text, *dutch_terms(text)])
    text = re.sub(r"\b(?:19|20)\d\d\b|\b\d{1,2}\b", " ", text)
    months = "|".join(MONTHS)
    text = re.sub(rf"\b(?:{months})\b", " ", text, flags=re.IGNORECASE)
    return {t for t in analyse(text) if t in vocabulary and len(t) >= 3}


def _context(chunk) -> str:  # type: ignore[no-untyped-def]
    """A passage with what frames it: its agenda item and the report's title."""
    return f"{chunk.meta.title}\n{chunk.section}\n{chunk.text}"


NEAR_CHARS = 250  # about one sentence either side of the actor's own


def _near(chunk, sentence) -> str:  # type: ignore[no-untyped-def]
    """An actor's sentence with about one sentence either side (what it replies to, and its
    continuation: "Zij stelden ..."), framed by the agenda item and report title."""
    start, end = (
        max(0, sentence.start - NEAR_CHARS),
        min(len(chunk.text), sentence.end + NEAR_CHARS),
    )
    return f"{chunk.meta.title}\n{chunk.section}\n{chunk.text[start:end]}"


def _covers(passage: str, terms: set[str]) -> bool:
    """Some term occurs in the passage; for terms of 4+ letters a Dutch compound counts
    ("rapport" in "voortgangsrapport", "immigratie" in "Immigratieraad")."""
    words = set(analyse(passage))
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


def uncovered_concept(question: str, passage: str) -> str:
    """The first subject-matter term of an English question (by the glossary) that the passage
    does not cover, or "". Dutch questions share words with the reports already and are checked
    by the similarity threshold.

    >>> uncovered_concept("What milk quota was agreed?", "De regeling voor de melkproduktie.")
    'quota'
    """
    for english, dutch in concepts(question):
        if not _covers(passage, set(analyse(dutch))):
            return english
    return ""


def on_topic(question: str, hits, n: int) -> set[int] | None:  # type: ignore[no-untyped-def]
    """Ranks of the top-n passages that cover every subject-matter term of the question; None
    when the question has none. "What milk quota was agreed ..." is not answered by a passage
    about milk but not quotas, nor by one about fishing quotas."""
    if not concepts(question):
        return None
    return {r for r, h in enumerate(hits[:n]) if not uncovered_concept(question, _context(h.chunk))}


def assess(parsed, hits, scored, settings, vocabulary=None):  # type: ignore[no-untyped-def]
    """(why the reports do not answer the question, in its language, or ""; the sentences an
    answer may quote, best first).

    Quotable: only passages about every subject term of the question, and for a "when" question
    the sentences near the top that give a date (when there are any).
    """
    topical = on_topic(parsed.text, hits, settings.passages)  # None: no glossary terms
    reason = _abstain_reason(parsed, hits, scored, settings, vocabulary, topical)
    if topical:
        scored = [s for s in scored if s.hit_rank in topical]
    return reason, dated_sentences(parsed.asked, scored, settings.margin) or scored


def _abstain_reason(parsed, hits, scored, settings, vocabulary, topical) -> str:  # type: ignore[no-untyped-def]
    lang = parsed.lang
    threshold = settings.abstain_below_en if lang == "en" else settings.abstain_below
    if not scored or scored[0].score < threshold:
        return REASONS["weak"][lang]
    passages = [h.chunk.text for h in hits[: settings.passages]]
    asked = parsed.asked
    missing = missing_actors(parsed.actors[:1], passages) if parsed.actors else []
    if missing:
        what = missing[0].label_nl if lang == "nl" else missing[0].label_en
        return REASONS["actor"][lang].format(what=what)
    if cover_letter_only(parsed.text, hits[scored[0].hit_rank].chunk.meta.doc_type):
        return REASONS["cover"][lang]
    if parsed.actors and asks_for_position(parsed.text) and vocabulary is not None:
        topic = topic_terms(parsed, vocabulary)
        speaking = {s.hit_rank for s in scored if s.role > 0}
        if topical is not None:
            speaking &= topical  # the actor speaks in a passage about all the question names
        near = [  # what the actor says: its sentence and its neighbours, under their agenda item
            _near(hits[x.hit_rank].chunk, x)
            for x in scored
            if x.role > 0 and x.hit_rank in speaking
        ]
        if (topic or topical is not None) and not any(
            not topic or _covers(text, topic) for text in near
        ):
            what = parsed.actors[0].label_nl if lang == "nl" else parsed.actors[0].label_en
            return REASONS["position"][lang].format(what=what)
    if asks_for_count(asked) and not has_number(scored[0].text):
        return REASONS["count"][lang]
    if asks_for_amount(asked) and not _AMOUNT.search(scored[0].text):
        return REASONS["amount"][lang]
    if topical == set():
        missing = uncovered_concept(parsed.text, _context(hits[scored[0].hit_rank].chunk))
        return REASONS["topic"][lang].format(what=f"“{missing}”")
    names = unknown_names(asked, passages)
    if lang == "en":  # English names of institutions or regions rarely occur in Dutch reports
        names = [n for n in names if _INSTRUMENT.search(n)]
    if names:
        return REASONS["name"][lang].format(what=", ".join(f"“{n}”" for n in names))
    return ""


_COUNT_QUESTION = re.compile(
    r"\bhow (?:many|much|often)\b|\bwhat (?:amount|percentage|sum)\b|\bhoeveel\s+\w{3,}(?:en|s)\b|"
    r"\bhoeveel geld\b|\bwelke? (?:bedrag|percentage|aantal)\b",
    re.IGNORECASE,
)
_NUMBER = re.compile(
    r"\d|\b(?:een|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf|twintig|dertig|"
    r"veertig|vijftig|honderd|duizend|miljoen|\w+tig|\w+entwintig|one|two|three|four|five|six|"
    r"seven|eight|nine|twenty|hundred|thousand|million|"  # not "ten": Dutch "ten opzichte van"
    # quantities that answer "how many member states": "een enkele lidstaat", "een meerderheid"
    r"enkele|meerderheid|minderheid|meeste|diverse|verschillende|unaniem\w*|alle lidstaten|"
    r"majority|minority|several|most|all member states|"
    # ordinals answer "how many times": "voor de vierde maal"
    r"tweede|derde|vierde|vijfde|zesde|zevende|achtste|negende|tiende|\w+tigste|second|third|"
    r"fourth|fifth|sixth|seventh|eighth|ninth|tenth)\b",
    re.IGNORECASE,
)


_WHEN_QUESTION = re.compile(
    r"\bwhen\b|\bwhat date\b|\bwhich (?:day|month|year)\b|\bwanneer\b|\bwelke datum\b|"
    r"\bin welk(?:e)? (?:jaar|maand)\b|\bop welke dag\b",
    re.IGNORECASE,
)
_DATE = re.compile(
    rf"\b(?:{'|'.join(MONTHS)})\b|\b(?:19|20)\d\d\b|\b\d{{1,2}}[-/]\d{{1,2}}\b|\bjl\.|\ba\.s\.|"
    r"\b(?:voorjaar|najaar|zomer|kwartaal|volgend jaar|volgende week|binnenkort|spring|autumn|"
    r"summer|quarter|next year|next week)\b",
    re.IGNORECASE,
)


def dated_sentences(question: str, scored, margin: float):  # type: ignore[no-untyped-def]
    """For a "when" question, the sentences within `margin` of the best that give a date, best
    first (possibly none); None for other questions.

    >>> from rag.extractive import ScoredSentence as S
    >>> dated_sentences("Wanneer is de Raad?", [S(0, 0, 1, 1, 0.9, "Het voorzitterschap sprak."),
    ...     S(1, 0, 1, 1, 0.88, "De Raad is in februari a.s.")], 0.05)[0].text
    'De Raad is in februari a.s.'
    """
    if not _WHEN_QUESTION.search(question):
        return None
    if not scored:
        return []
    floor = scored[0].score - margin
    return [s for s in scored if s.score >= floor and _DATE.search(s.text)]


_AMOUNT_QUESTION = re.compile(
    r"\bhow much (?:money|funding|funds|budget|aid|support)\b|\bwhat (?:amount|sum|budget)\b|"
    r"\bwhat percentage\b|\bhoeveel (?:geld|middelen|steun in)\b|\bwelke? (?:bedrag|percentage|budget)\b|"
    r"\b(?:hoeveel|how many|how much)\s+(?:ecu|euro|euros|gulden|guilders|procent|percent|miljoen|"
    r"miljard|million|billion)\b",
    re.IGNORECASE,
)
# A sum of money or a share: "112 ECU", "1,2 miljard", "€ 5 mln", "3%".
_AMOUNT = re.compile(
    r"\d[\d.,]*\s*(?:%|procent|percent|ecu|euro|eur|gulden|mln|mld|miljoen|miljard|million|"
    r"billion)\b|[€ƒ$£]\s*\d",
    re.IGNORECASE,
)


def asks_for_amount(question: str) -> bool:
    """'How much funding ...', 'welk bedrag ...': the answer must name a sum or a share.

    >>> asks_for_amount("How much funding was allocated?"), asks_for_amount("How many states?")
    (True, False)
    """
    return bool(_AMOUNT_QUESTION.search(question))


def asks_for_count(question: str) -> bool:
    """'How many ...', 'hoeveel landen ...' (a count, not 'hoeveel steun').

    >>> asks_for_count("Hoeveel besluiten vergt het?"), asks_for_count("Hoeveel steun was er?")
    (True, False)
    """
    return bool(_COUNT_QUESTION.search(question))


_DAY_OF_MONTH = re.compile(rf"\b\d{{1,2}}\s+(?:{'|'.join(MONTHS)})\b", re.IGNORECASE)


def has_number(text: str) -> bool:
    """A count in the text; dates, the article "een"/"one" and Dutch "ten" do not count."""
    text = re.sub(r"\b(?:een|one)\b|\b(?:19|20)\d\d\b", "", text, flags=re.IGNORECASE)
    text = _DAY_OF_MONTH.sub("", text)  # "27 juni": a date, not an amount
    return bool(_NUMBER.search(text))
