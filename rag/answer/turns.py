"""A speaker's turn: the sentences after a speaker's own, in the same paragraph, are theirs.

A committee report gives a member's contribution as one paragraph: "De heer Lonink (P.v.d.A.)
miste in het verslag ... -Betrekkingen EG-Joegoslavië. In hoeverre is het Nederlandse standpunt
... overgenomen? Waarom zijn uiteindelijk lagere EIB-leningen ... overeengekomen?". Only the first
sentence names him; the questions after it are his too. `turn_roles` carries the speaker on
through the paragraph until a line break or another speaker.

Shortcut on purpose: a paragraph is text without a line break (the letters keep a paragraph on
one line; the PDF reports wrap lines, where a turn then ends early, which only loses what the
sentence-by-sentence reading already lost), and "another speaker" is a catalogued actor speaking
or a sentence opening with a form of address ("De heer", "Mevrouw").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rag.vocab.actors import ACTORS, Actor, role_in
from rag.vocab.cues import cue

_ADDRESS = re.compile(r"\b(?:de heer|mevrouw|mr\.?|mrs\.?|ms\.?)\s+", re.IGNORECASE)


def _other_speaker(sentence: str, actors: Sequence[Actor]) -> bool:
    keys = {a.key for a in actors}
    names = [a.label_nl for a in actors if a.key.startswith("name:")]
    for m in _ADDRESS.finditer(sentence):  # "..., zo vroeg de heer Weisglas verder."
        if not any(sentence[m.end() :].startswith(name) for name in names):
            return True
    if _is_question(sentence):
        return False  # the speaker's question ("wat is in deze het Nederlandse standpunt?")
    return any(a.key not in keys and role_in(sentence, a) == 2 for a in ACTORS)


def _opens_with_address(sentence: str) -> bool:
    m = _ADDRESS.search(sentence)
    return bool(m) and not sentence[: m.start()].strip()


def _carries(sentence: str) -> bool:
    """A sentence in a turn that is the speaker's: a question put, or one going on from the
    last ("Verder miste hij ...", "Dit laatste werd door hem niet wenselijk geacht"); not one with
    a subject of its own ("De raad hield zich bezig met ...")."""
    return _is_question(sentence) or bool(
        cue("continuation").match(" ".join(sentence.split()[:3]))
        or cue("pronoun").search(sentence)
        or not _OWN_SUBJECT.match(sentence)
    )


_OWN_SUBJECT = re.compile(r"\s*(?:de|the)\s", re.IGNORECASE)


def _is_question(sentence: str) -> bool:
    return sentence.rstrip().endswith("?")


def turn_roles(text: str, spans: Sequence[tuple[int, int]], actors: Sequence[Actor]) -> list[int]:
    """For each sentence span of `text`, the actors' role in it (see `role_in`: 2 speaks, 1 is
    mentioned, 0 absent), 2 also for a sentence in a turn one of the actors opened."""
    roles: list[int] = []
    speaking = False
    previous_end: int | None = None
    for a, b in spans:
        sentence = text[a:b]
        role = max((role_in(sentence, actor) for actor in actors), default=0)
        if previous_end is not None and "\n" in text[previous_end:a]:
            speaking = False  # a new paragraph
        if role == 2:
            # "De heer Van Middelkoop vroeg naar het standpunt van Nederland": the turn is his,
            # whoever else the sentence names.
            speaking = not _opens_with_address(sentence) or any(
                a.key.startswith("name:") for a in actors
            )
        elif speaking and _other_speaker(sentence, actors):
            speaking = False
        elif speaking and _carries(sentence):
            role = 2
        roles.append(role)
        previous_end = b
    return roles
