"""Whether a typed question can be answered from the reports at all, before anything is searched.

Dense retrieval always returns the nearest passages, so a question with nothing to search for
(only emoji, `' OR 1=1 --`, `{"$where": ...}`, Chinese text over Dutch reports) would get a quote
chosen for no reason. Such input is refused here with one message that says what to type instead.
Control characters and escape sequences are removed first (`rag.core.terminal.printable`), so they
never reach a prompt, a log line or the screen.

Shortcut on purpose: "code, not a question" is recognised by shape (JSON that parses, a Chroma
`$operator`, the classic SQL-injection forms), not by a parser of every language.
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import cache

from rag.core.errors import QuestionError
from rag.core.lexical import analyse
from rag.core.terminal import printable
from rag.vocab.cues import cue_words

# SQL-injection shapes (OWASP testing guide, "SQL Injection"): a quote closing a string before
# OR/AND x=y, a statement after a semicolon, UNION SELECT, a trailing comment.
_SQL = re.compile(
    r"['\"`]\s*(?:or|and)\s+\S+\s*(?:=|like\b)"
    r"|;\s*(?:drop|delete|insert|update|select|alter|truncate|exec)\b"
    r"|\bunion\s+(?:all\s+)?select\b"
    r"|(?:--|#|/\*)\s*$",
    re.IGNORECASE,
)
_OPERATOR = re.compile(r"[{\[]\s*[\"']?\$[a-z]+")  # {"$where": ...}, {"$ne": 1}


@cache
def _not_content() -> frozenset[str]:
    """Stems of question and function words: a question of only these asks about nothing."""
    words = " ".join(cue_words("question_word") + cue_words("function_word"))
    return frozenset(analyse(words))


def content_terms(text: str) -> list[str]:
    """The analysed words of `text` that say what it is about (not numbers, not question words).

    >>> content_terms("Wat zei Nederland over de Terugkeerrichtlijn?")
    ['nederland', 'terugkeerrichtlijn']
    >>> content_terms("' OR 1=1 --"), content_terms("🇪🇺 🤔 ?")
    ([], [])
    """
    skip = _not_content()
    return [t for t in analyse(text) if not t.isdigit() and len(t) > 1 and t not in skip]


def _mostly_other_script(text: str) -> bool:
    """More than half of the letters are not Latin (the reports are Dutch; questions Dutch or English).

    >>> _mostly_other_script("Что сказала Комиссия?"), _mostly_other_script("Wat zei Šefčovič?")
    (True, False)
    """
    letters = [c for c in text if c.isalpha()]
    latin = sum(unicodedata.name(c, "").startswith("LATIN") for c in letters)
    return bool(letters) and latin * 2 < len(letters)


def _is_code(text: str) -> bool:
    """JSON, a Chroma filter or an SQL-injection string rather than a question."""
    if text[:1] in "{[":
        try:
            json.loads(text)
            return True
        except ValueError:
            pass
    return bool(_OPERATOR.search(text) or _SQL.search(text))


def validate_question(question: str, max_chars: int, follow_up: bool = False) -> str:
    """The question as it will be searched (control characters gone, white space collapsed), or
    a QuestionError saying what to type instead. A follow-up ("What did they say?") may consist of
    question words only: the conversation supplies its subject.

    >>> validate_question("  Wat zei\\x1b[31m Nederland?\\n", 100)
    'Wat zei Nederland?'
    """
    q = " ".join(printable(question).split())
    if not q:
        raise QuestionError(
            "The question is empty: type a question about the reports.", code="question_empty"
        )
    if len(q) > max_chars:
        raise QuestionError(
            f"The question has {len(q)} characters, over the limit of {max_chars}: "
            "shorten it (or raise RAG_MAX_QUESTION_CHARS).",
            code="question_too_long",
            n=len(q),
            limit=max_chars,
        )
    if _is_code(q):
        raise QuestionError(
            "This looks like code (JSON, a database filter or SQL), not a question: ask in words, "
            "e.g. 'What did the Netherlands say about the return directive?'.",
            code="question_code",
        )
    if _mostly_other_script(q):
        raise QuestionError(
            "The reports are in Dutch: ask in Dutch or English, e.g. "
            "'Wat zei Nederland over de terugkeerrichtlijn?'.",
            code="question_script",
        )
    if not any(c.isalnum() for c in q) or (not follow_up and not content_terms(q)):
        raise QuestionError(
            "The question names nothing to look up: say what it is about, e.g. "
            "'What did the Netherlands say about the return directive?'.",
            code="question_no_words",
        )
    return q
