"""A meeting's briefing (`rag.answer.brief.Brief`) as a `Note`, labelled in the interface language.

Per report a heading (meeting and title), per agenda item a heading and three labelled parts:
on the table, the positions (one bullet per sentence: who, their stance when the sentence shows
one, and the sentence verbatim in quotation marks) and the outcome or next step. The report
sentences are never translated; only the labels follow `lang`.
"""

from __future__ import annotations

import re
from datetime import datetime

from rag.answer.brief import Brief, Line
from rag.ui.note import Block, Note
from rag.ui.text import t
from rag.vocab.actors import actor_label


def brief_note(brief: Brief, lang: str = "nl", now: datetime | None = None) -> Note:
    """The note for `brief`.

    >>> from rag.answer.brief import ItemBrief, MeetingBrief
    >>> item = ItemBrief("1. Pact", (Line("Het pact lag voor.", 1),),
    ...                  (("nl", (Line("Nederland steunde het pact.", 2, "nl", "supports"),)),), ())
    >>> b = Brief((MeetingBrief("d", "Verslag", "JBZ-Raad", "2020-12-14", (item,)),), ())
    >>> [x.text for x in brief_note(b, "en").blocks][2:]
    ['1. Pact', 'On the table', 'Het pact lag voor. [1]', 'Positions', 'The Netherlands (supports): “Nederland steunde het pact.” [2]']
    """
    when = (now or datetime.now()).strftime("%Y-%m-%d %H:%M")
    blocks = [Block("note", t(lang, "brief_intro"))]
    for m in brief.meetings:
        meeting = " ".join(x for x in (m.formation, m.meeting_date) if x)
        blocks.append(Block("h2", f"{meeting} — {m.title}" if meeting else m.title))
        for item in m.items:
            if item.title.strip():  # a letter without agenda items has one untitled section
                blocks.append(Block("h3", item.title))
            if item.on_table:
                blocks.append(Block("label", t(lang, "brief_on_table")))
                blocks += [Block("bullet", f"{x.text} [{x.n}]") for x in item.on_table]
            if item.positions:
                blocks.append(Block("label", t(lang, "brief_positions")))
                for _, lines in item.positions:
                    blocks += [Block("bullet", _position(x, lang)) for x in lines]
            if item.outcome:
                blocks.append(Block("label", t(lang, "brief_outcome")))
                blocks += [Block("bullet", f"{x.text} [{x.n}]") for x in item.outcome]
    return Note(
        title=t(lang, "brief_title", what=_what(brief, lang)),
        generated=t(lang, "briefing_generated", when=when),
        blocks=tuple(blocks),
        sources=brief.sources,
        lang=lang,
    )


def _position(line: Line, lang: str) -> str:
    label = actor_label(line.actor, lang)
    who = label[:1].upper() + label[1:]
    stance = f" ({t(lang, f'stance_{line.stance}')})" if line.stance else ""
    return f"{who}{stance}: “{line.text}” [{line.n}]"


def _what(brief: Brief, lang: str) -> str:
    """What the note is about: the meeting, or the topic."""
    if brief.topic:
        return t(lang, "brief_topic", topic=brief.topic)
    if len(brief.meetings) == 1:
        m = brief.meetings[0]
        return " ".join(x for x in (m.formation, m.meeting_date) if x) or m.title
    return " ".join(x for x in (brief.formation, brief.date) if x)


def brief_filename(brief: Brief, ext: str) -> str:
    """'briefing-JBZ-Raad-2020-12-14.docx': safe for any file system.

    >>> from rag.answer.brief import MeetingBrief
    >>> brief_filename(Brief((MeetingBrief("d", "V", "JBZ-Raad", "2020-12-14", ()),), ()), "md")
    'briefing-JBZ-Raad-2020-12-14.md'
    """
    what = _what(brief, "en").removeprefix("topic: ")
    slug = re.sub(r"[^A-Za-z0-9]+", "-", what).strip("-")[:60] or "meeting"
    return f"briefing-{slug}.{ext}"
