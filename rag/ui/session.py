"""One user's conversation, independent of Streamlit: messages, history, filters, the export.

The app keeps a `Conversation` in `st.session_state`, so answers and their sources stay on screen
after a rerun and follow-up questions see the earlier turns. Asking streams safe Markdown (report
text escaped by `rag.ui.render`) and records the final `Answer` with its prepared source views.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from rag.answer.followup import Turn
from rag.answer.question import Filters
from rag.core.errors import QuestionError
from rag.core.models import Answer
from rag.ui.briefing import Exchange, briefing_docx, briefing_markdown
from rag.ui.render import SourceView, source_views, stream_markdown

if TYPE_CHECKING:
    from rag.answer.assistant import Assistant


@dataclass(frozen=True)
class Message(Exchange):
    """An exchange as shown: with its sources ready to render."""

    sources: tuple[SourceView, ...] = ()
    # Names the message's widgets (keep-in-note tick, feedback) across reruns and a cleared chat.
    uid: str = field(default_factory=lambda: uuid.uuid4().hex[:12])


def make_filters(
    formation: str = "",
    since: date | None = None,
    until: date | None = None,
    doc_ids: Sequence[str] = (),
    doc_types: Sequence[str] = (),
) -> Filters:
    """Filters from the sidebar's values; a reversed date range is refused with the fix.

    >>> make_filters("JBZ-Raad", date(2020, 1, 1)).describe()
    'JBZ-Raad; 2020-01-01 – …'
    """
    if since and until and since > until:
        raise QuestionError(
            f"The date range is reversed ({since} is after {until}): "
            "pick a start date on or before the end date.",
            code="date_range_reversed",
            since=since,
            until=until,
        )
    return Filters(
        formation=formation,
        since=since.isoformat() if since else "",
        until=until.isoformat() if until else "",
        doc_ids=tuple(doc_ids),
        doc_types=tuple(doc_types),
    )


@dataclass
class Conversation:
    """The messages of one user's chat, oldest first."""

    messages: list[Message] = field(default_factory=list)

    def history(self) -> list[Turn]:
        """The earlier turns, for rewriting a follow-up into a standalone question."""
        return [Turn.of(m.question, m.answer) for m in self.messages]

    def ask(
        self,
        assistant: Assistant,
        question: str,
        filters: Filters | None = None,
        mode: str | None = None,
    ) -> Iterator[str]:
        """Stream the answer as safe Markdown; when it is complete, it joins the conversation.

        Raises the assistant's RagError (an empty or too long question, an unreachable store)
        on the first piece, before anything is recorded.
        """
        final: list[Answer] = []

        def text() -> Iterator[str]:
            for part in assistant.stream(question, filters, self.history(), mode=mode):
                if isinstance(part, Answer):
                    final.append(part)
                else:
                    yield part

        yield from stream_markdown(text())
        if final:
            answer = final[0]
            described = filters.describe() if filters and not filters.is_empty() else ""
            sources = tuple(source_views(assistant.store, answer))
            self.messages.append(Message(question, answer, described, sources))

    def clear(self) -> None:
        self.messages.clear()

    def kept(self, keep: Collection[str] | None = None) -> list[Message]:
        """The messages whose uid is in `keep` (all when `keep` is None), oldest first."""
        return [m for m in self.messages if keep is None or m.uid in keep]

    def briefing(self, lang: str, keep: Collection[str] | None = None) -> str:
        """The kept answers as a Markdown briefing note (see `rag.ui.briefing`)."""
        return briefing_markdown(self.kept(keep), lang)

    def briefing_docx(self, lang: str, keep: Collection[str] | None = None) -> bytes:
        """The kept answers as a Word briefing note."""
        return briefing_docx(self.kept(keep), lang)
