"""Is there evidence at all? Reasons to abstain beyond a low similarity score.

Dense similarity alone cannot tell "what did Italy say about the return directive" (the reports
record no Italian position) from "what did the Netherlands say ...": both land on the same
passages. Two cheap checks catch what the reports cannot answer:
- the question asks about an actor that no retrieved passage mentions;
- the question names something (a capitalised name: "Digital Services Act", "Reynders") that
  occurs in none of the retrieved passages and is not a known formation, actor or glossary term;
- the question asks what was decided, agreed or said, and the best evidence is a cover letter,
  which only says that a report or agenda was sent (it can answer "when", not "what").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rag.actors import Actor, asks_for_position, find_actors, role_in
from rag.glossary import dutch_terms
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


def unknown_names(question: str, passages: Sequence[str]) -> list[str]:
    """Capitalised names in the question that appear in none of the passages.

    >>> unknown_names("What was decided about the Digital Services Act?", ["De Raad besloot."])
    ['Digital Services Act']
    """
    text = " ".join(passages).casefold()
    out: list[str] = []
    for m in _NAME.finditer(question):
        phrase = re.sub(r"['’]s$", "", m.group(1).strip())  # "Commission's"
        words = [w for w in re.split(r"[\s-]+", phrase) if w]
        sentence_start = m.start() == 0 or question[: m.start()].rstrip().endswith(("?", ".", "!"))
        if sentence_start and len(words) == 1 and not phrase.isupper():
            continue  # a sentence's first word is capitalised anyway
        content = [w for w in words if w.casefold() not in _GENERIC and w.casefold() not in MONTHS]
        if not content or _known(phrase):
            continue
        if any(len(w) >= 3 and w.casefold() not in text for w in content):
            out.append(phrase)
    return out


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


def abstain_reason(parsed, hits, scored, settings, vocabulary=None) -> str:  # type: ignore[no-untyped-def]
    """Why the reports do not answer the question, in its language; "" when they do."""
    lang = parsed.lang
    threshold = settings.abstain_below_en if lang == "en" else settings.abstain_below
    if not scored or scored[0].score < threshold:
        return REASONS["weak"][lang]
    passages = [h.chunk.text for h in hits[: settings.passages]]
    missing = missing_actors(parsed.actors[:1], passages) if parsed.actors else []
    if missing:
        what = missing[0].label_nl if lang == "nl" else missing[0].label_en
        return REASONS["actor"][lang].format(what=what)
    if cover_letter_only(parsed.text, hits[scored[0].hit_rank].chunk.meta.doc_type):
        return REASONS["cover"][lang]
    if parsed.actors and asks_for_position(parsed.text) and vocabulary is not None:
        topic = topic_terms(parsed, vocabulary)
        speaking = {s.hit_rank for s in scored if s.role > 0}
        if topic and not any(_covers(_context(hits[r].chunk), topic) for r in speaking):
            what = parsed.actors[0].label_nl if lang == "nl" else parsed.actors[0].label_en
            return REASONS["position"][lang].format(what=what)
    if asks_for_count(parsed.text) and not has_number(scored[0].text):
        return REASONS["count"][lang]
    names = unknown_names(parsed.text, passages)
    if names:
        return REASONS["name"][lang].format(what=", ".join(f"“{n}”" for n in names))
    return ""


_COUNT_QUESTION = re.compile(r"\bhow many\b|\bhoeveel\s+\w{3,}(?:en|s)\b", re.IGNORECASE)
_NUMBER = re.compile(
    r"\d|\b(?:een|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf|twintig|dertig|"
    r"veertig|vijftig|honderd|duizend|miljoen|\w+tig|\w+entwintig|one|two|three|four|five|six|"
    r"seven|eight|nine|ten|twenty|hundred|thousand|million)\b",
    re.IGNORECASE,
)


def asks_for_count(question: str) -> bool:
    """'How many ...', 'hoeveel landen ...' (a count, not 'hoeveel steun').

    >>> asks_for_count("Hoeveel besluiten vergt het?"), asks_for_count("Hoeveel steun was er?")
    (True, False)
    """
    return bool(_COUNT_QUESTION.search(question))


def has_number(text: str) -> bool:
    """A count in the text; years and the article "een"/"one" do not count."""
    text = re.sub(r"\b(?:een|one)\b|\b(?:19|20)\d\d\b", "", text, flags=re.IGNORECASE)
    return bool(_NUMBER.search(text))
