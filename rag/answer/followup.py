"""Follow-up questions in a chat: rewriting "and Germany?" into a standalone question.

Extractive mode does this by rules (below); LLM mode uses llama-index's condense step instead
(`rag.answer.llm`). The rules cover the follow-ups officials type: a new actor ("and Germany?", "wat zei
de Commissie daarover?"), a new period ("and in 1992?"), or a pronoun for the previous topic
("what did the presidency say about that?").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rag.core.models import CITATION_MARKER, Answer, AnswerStatus
from rag.vocab.actors import find_actors
from rag.vocab.cues import YEAR, cue, cue_words
from rag.vocab.dates import dates_in_question
from rag.vocab.formations import find_formations
from rag.vocab.languages import detect_language

_FOLLOW_UP_START = re.compile(
    r"^\s*(?:" + "|".join(cue_words("follow_up_start")) + r")\b", re.IGNORECASE
)
_THAT = cue("back_reference")
_SAME_MEETING = cue("same_meeting")
_HE = cue("pronoun")
_QUESTION_WORD = cue("question_word")
_NAMED = re.compile(r"\b[A-ZÀ-Þ][\w-]+")
_WORD = re.compile(r"[A-Za-zÀ-ÿ0-9-]+")
_FILLER = {w.lower() for w in cue_words("follow_up_filler")}
# A demonstrative pointing back: "Which countries were responsible for those delays?", "Which
# countries didn't back that?", "Welke landen steunden dat?" (Dutch "die"/"deze" only at the end:
# mid-sentence they are relative pronouns).
_DEMONSTRATIVE = re.compile(
    r"\b(?:those|these)\s+[a-z]|\b(?:that|this|those|these|die|deze|dat|dit)\s*\?\s*$",
    re.IGNORECASE,
)
# "And on the return directive?", "En over de terugkeerrichtlijn?": only the topic changes.
_TOPIC_ONLY = re.compile(
    r"^\s*(?:(?:and|en|what|wat|how|hoe)\s+)?(?:about\s+|over\s+)?(?:"
    + "|".join(cue_words("topic_preposition"))
    + r")\s+(?P<topic>[^?]+?)\s*\??\s*$",
    re.IGNORECASE,
)
_YEAR_OR_DATE = re.compile(
    r"\b(?:in |of |van |op )?(?:\d{1,2} )?(?:[a-z]+ )?" + YEAR + r"\b", re.IGNORECASE
)


@dataclass(frozen=True)
class Turn:
    """One exchange: the user's question as typed and the standalone form it was answered as."""

    question: str
    standalone: str = ""
    answer: str = ""
    # The reports the answer quoted (doc ids): "that meeting", "and the Commission?" are asked
    # about what the user just read, so retrieval for a follow-up prefers them.
    sources: tuple[str, ...] = ()
    items: tuple[tuple[str, str], ...] = ()  # (doc id, agenda item) of the passages it quoted

    @property
    def resolved(self) -> str:
        return self.standalone or self.question

    @classmethod
    def of(cls, question: str, answer: Answer) -> Turn:
        """The turn of `question` answered by `answer`; a refusal quoted nothing, so its
        "closest passages" are no source."""
        cited = {int(n) for n in CITATION_MARKER.findall(answer.answer)}
        quoted = (
            []
            if answer.status == AnswerStatus.NOT_FOUND
            else [c for c in answer.citations if c.n in cited]
        )
        return cls(
            question,
            answer.standalone_question,
            answer.answer,
            tuple(dict.fromkeys(c.doc_id for c in quoted)),
            tuple(dict.fromkeys((c.doc_id, c.section) for c in quoted)),
        )


def is_follow_up(question: str) -> bool:
    """Short questions that lean on the previous one.

    >>> is_follow_up("and Germany?"), is_follow_up("What did the Commission say about the EES?")
    (True, False)
    >>> is_follow_up("Welke resoluties heeft die Raad precies aangenomen?")
    True
    """
    if _SAME_MEETING.search(question):
        return True
    content = _content_words(question)
    if _THAT.search(question) or (_HE.search(question) and len(content) <= 5):
        return True
    if _DEMONSTRATIVE.search(question):  # "those delays", "... didn't back that?"
        return True
    if _FOLLOW_UP_START.search(question) and len(content) <= 4:
        return True
    dated = dates_in_question(question) != ("", "")
    if not _QUESTION_WORD.search(question):  # "Germany?", "In 1992?"
        return len(content) <= 2 and bool(find_actors(question) or dated)
    # A short question naming nothing of its own ("What did most countries prefer?").
    return len(content) <= 4 and not dated and not _NAMED.search(question[1:])


# A word pointing back at the conversation: "dat agendapunt", "that MP", "die kritiek", "he".
_POINTS_BACK = re.compile(
    r"\b(?:that|this|those|these|there|then|he|she|they|him|his|her|their|it|its"
    r"|die|deze|dat|dit|daar|daarop|daarover|toen|hij|zij|ze|hem|haar|hun|zijn)\b",
    re.IGNORECASE,
)


def leans_on_history(question: str) -> bool:
    """Whether the question is about what the conversation was about (and so may prefer the
    reports the previous answer quoted): a follow-up, or a question pointing back with a word of
    its own. "Wat zei Nederland over de kabeljauwquota?" stands on its own."""
    return is_follow_up(question) or bool(_POINTS_BACK.search(question))


def condense(question: str, history: Sequence[Turn]) -> str:
    """A standalone version of `question` given the earlier turns (unchanged if it stands alone).

    >>> prev = [Turn("What did the Netherlands say about the return directive?")]
    >>> condense("And the Commission?", prev)
    'What did the Commission say about the return directive?'
    >>> condense("wat zei de Commissie daarover?", [Turn("Wat zei Nederland over het EES?")])
    'wat zei de Commissie over het EES?'
    >>> condense("And on the return directive?", [Turn("What did the Netherlands say about the EES?")])
    'What did the Netherlands say about the return directive?'
    >>> condense("Werd in die Raad een besluit verwacht?", [Turn("Agenda van de Landbouwraad van maart 1990?")])
    'Werd in de Landbouwraad van maart 1990 een besluit verwacht?'
    >>> condense("En eu-LISA?", [Turn("In welke lidstaten zaten de vertragingen?")])
    'In welke lidstaten zaten de vertragingen? Wat zei eu-LISA daarover?'
    """
    if not history or not is_follow_up(question):
        return question
    previous = history[-1].resolved
    same = _SAME_MEETING.search(question)
    if same:
        meeting = _meeting_phrase(previous)
        if meeting:
            return question[: same.start()] + meeting + question[same.end() :]
        return f"{previous.rstrip()} {question}"
    # "Which countries are those?", "Welke andere landen deelden dat?": the actor is what the
    # question asks for, not one taking the previous actor's place.
    new_actors = [a for a in find_actors(question) if not _asked_for(question, a)]
    old_actors = find_actors(previous)
    since, until = dates_in_question(question)
    if _THAT.search(question):
        topic = _topic(previous)
        if topic:
            return _THAT.sub(topic, question, count=1)
        return f"{previous.rstrip()} {question}"
    if _HE.search(question) and old_actors and not new_actors:
        span = _actor_span(previous, old_actors[0])
        if span:
            phrase = previous[span[0] : span[1]]
            return _HE.sub(phrase, question, count=1)
    new_topic = _TOPIC_ONLY.match(question)
    if new_topic and not new_actors and not (since or until):
        # "over het EES": keep the actor, change the topic ("op het verslag" when no "over")
        old_topic = _topic(previous) or _topic(previous, _ANY_TOPIC)
        if old_topic:
            preposition = old_topic.split(" ", 1)[0]
            return previous.replace(old_topic, f"{preposition} {new_topic['topic']}", 1)
    if not new_actors and not (since or until):
        # Nothing to swap: ask the new question in the context of the previous one.
        return f"{previous.rstrip()} {question}"
    result = previous
    if new_actors and not _elliptical(question, new_actors[0]):
        # "Which EU agencies did the Dutch say have a role in this?" asks something new of its
        # own: put it after the previous question when it points back at it ("this"), do not
        # swap it into it; naming its own topic, it stands alone.
        return f"{previous.rstrip()} {question}" if _DEMONSTRATIVE.search(question) else question
    if new_actors:
        phrase = _actor_phrase(question, new_actors[0])
        if old_actors and _asked_for(previous, old_actors[0]):
            # "In welke lidstaten zaten die vertragingen?" asked for member states: "En
            # eu-LISA?" asks what eu-LISA said on it, not "in welke eu-LISA".
            lang = detect_language(question) or detect_language(previous)
            said = _SAID_ON_IT.get(lang, _SAID_ON_IT["nl"])
            return f"{previous.rstrip()} {said.format(actor=phrase)}"
        span = _actor_span(previous, old_actors[0]) if old_actors else None
        if not span:
            return f"{previous.rstrip()} {question}"
        result = result[: span[0]] + phrase + result[span[1] :]
    if since or until:
        new_date = _YEAR_OR_DATE.search(question)
        old_date = _YEAR_OR_DATE.search(result)
        if new_date and old_date:
            result = result[: old_date.start()] + new_date.group(0) + result[old_date.end() :]
        elif new_date:
            result = f"{result.rstrip('?').rstrip()} {new_date.group(0).strip()}?"
    return result


def _meeting_phrase(previous: str) -> str:
    """'the Agriculture Council of March 1990' from the previous question: its formation and
    date, or "" when it names no formation."""
    found = find_formations(previous)
    if not found:
        return ""
    start, end, _ = found[0]
    art = re.search(r"\b(?:the|de|het)\s+$", previous[:start], re.IGNORECASE)
    start = art.start() if art else start
    date = _DATE_AFTER.match(previous, end)
    return previous[start : date.end() if date else end].strip()


# "of March 1990", "van 14 december 2020", "in 1992" right after a formation.
_DATE_AFTER = re.compile(
    r"\s+(?:of|van|in|on|op)\s+(?:\d{1,2}\s+)?(?:[A-Za-z]+\s+)?" + YEAR + r"\b", re.IGNORECASE
)


def _actor_span(text: str, actor) -> tuple[int, int] | None:  # type: ignore[no-untyped-def]
    m = re.search(actor.question, text, re.IGNORECASE)
    if not m:
        return None
    start = m.start()
    # Take the article with it ("the Netherlands", "de Commissie").
    art = re.search(r"\b(?:the|de|het)\s+$", text[:start], re.IGNORECASE)
    return (art.start() if art else start), m.end()


def _elliptical(question: str, actor) -> bool:  # type: ignore[no-untyped-def]
    """Little but the actor: "And the Commission?", "Wat vond Duitsland daarvan?"."""
    span = _actor_span(question, actor)
    rest = question[: span[0]] + question[span[1] :] if span else question
    return len(_content_words(rest)) <= 2


def _content_words(text: str) -> list[str]:
    return [w for w in _WORD.findall(text.lower()) if w not in _FILLER]


_SLOT_BEFORE = re.compile(
    r"\b(?:which|what|how many|welke|hoeveel|wat voor)\s+(?:(?:other|andere|of the|van de)\s+)?$",
    re.IGNORECASE,
)


_SAID_ON_IT = {"nl": "Wat zei {actor} daarover?", "en": "What did {actor} say about it?"}


def _asked_for(question: str, actor) -> bool:  # type: ignore[no-untyped-def]
    span = _actor_span(question, actor)
    return bool(span and _SLOT_BEFORE.search(question[: span[0]]))


def _actor_phrase(question: str, actor) -> str:  # type: ignore[no-untyped-def]
    span = _actor_span(question, actor)
    return question[span[0] : span[1]] if span else actor.label_en


def _topic(previous: str, preposition: re.Pattern[str] | None = None) -> str:
    """'over het EES' from 'Wat zei Nederland over het EES?'."""
    m = (preposition or _ABOUT).search(previous)
    if not m:
        return ""
    # Up to the next clause: "about the TCO regulation - when was the deal struck?" is about the
    # regulation; the clause after it asked something else.
    end = _CLAUSE_END.search(m.group(0))
    return m.group(0)[: end.start() if end else None].rstrip(" ?.")


_ABOUT = re.compile(r"\b(?:over|about|regarding|inzake|betreffende)\b.*", re.IGNORECASE)
# Any topic preposition not before a date: "aan te merken op het verslag", not "op 3 april".
_ANY_TOPIC = re.compile(
    r"\b(?:" + "|".join(cue_words("topic_preposition")) + r")\s+(?![\d(])\b.*", re.IGNORECASE
)
_CLAUSE_END = re.compile(
    r"\s[-–—]\s|[,;:]|\s(?:(?:and|en)\s+)?(?:" + "|".join(cue_words("question_word")) + r")\b",
    re.IGNORECASE,
)
