"""Which reports may answer: the `Filters` of a question, and how they read on stored records.

Owned here, in the core, because three layers need the same meaning: the question names them
(`rag.answer.question`), the vector store turns them into a Chroma `where` clause and the lexical
index into a mask. Dates are compared as yyyymmdd ints, which Chroma can range-filter.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from rag.core.models import ReportMeta


def iso_day(iso: str) -> int:
    """'2020-12-14' -> 20201214; 0 for anything that is not a full ISO date.

    >>> iso_day("2020-12-14"), iso_day("2020")
    (20201214, 0)
    """
    return int(iso.replace("-", "")) if len(iso) == 10 else 0


def date_span(meta: ReportMeta) -> tuple[int, int]:
    """(first, last) day of a report as yyyymmdd ints over its meeting and letter dates, else
    over its parliamentary year; 0 = none.

    >>> date_span(ReportMeta(session="1989-1990")), date_span(ReportMeta())
    ((19890801, 19901031), (0, 0))
    """
    days = [iso_day(d) for d in (*meta.meeting_dates, meta.letter_date) if iso_day(d)]
    if days:
        return min(days), max(days)
    if session := re.fullmatch(r"(\d{4})-(\d{4})", meta.session):
        # A parliamentary year runs from mid-September to September (with a margin either side).
        return int(session[1]) * 10_000 + 801, int(session[2]) * 10_000 + 1031
    return 0, 0


def formation_key(name: str) -> str:
    """The flag a chunk carries per formation its report covers (Chroma metadata holds no lists).

    >>> formation_key("Algemene Raad")
    'in_algemene_raad'
    """
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "in_" + re.sub(r"[^a-z0-9]+", "_", ascii_name.lower()).strip("_")


@dataclass(frozen=True)
class Filters:
    """Restrictions on which reports may answer."""

    formation: str = ""  # canonical Dutch name
    since: str = ""  # ISO date, inclusive, on the meeting date
    until: str = ""
    doc_ids: tuple[str, ...] = ()
    doc_types: tuple[str, ...] = ()

    def is_empty(self) -> bool:
        return not (self.formation or self.since or self.until or self.doc_ids or self.doc_types)

    def merged_over(self, other: Filters) -> Filters:
        """These filters, filling each unset one from `other`."""
        return Filters(
            formation=self.formation or other.formation,
            since=self.since or other.since,
            until=self.until or other.until,
            doc_ids=self.doc_ids or other.doc_ids,
            doc_types=self.doc_types or other.doc_types,
        )

    def where(self) -> dict[str, Any] | None:
        """The Chroma `where` clause for these filters.

        >>> Filters(formation="JBZ-Raad").where()
        {'in_jbz_raad': True}
        """
        clauses: list[dict[str, Any]] = []
        if self.formation:
            clauses.append({formation_key(self.formation): True})
        # A report whose date could not be read (meeting_day 0) is kept: hiding it would make it
        # unreachable for every dated question.
        if self.since:
            clauses.append(
                {"$or": [{"meeting_day_last": {"$gte": iso_day(self.since)}}, {"meeting_day": 0}]}
            )
        if self.until:
            clauses.append({"meeting_day": {"$lte": iso_day(self.until)}})
        if self.doc_ids:
            clauses.append({"document_id": {"$in": list(self.doc_ids)}})
        if self.doc_types:
            clauses.append({"doc_type": {"$in": list(self.doc_types)}})
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}

    def describe(self) -> str:
        parts = []
        if self.formation:
            parts.append(self.formation)
        if self.since or self.until:
            parts.append(f"{self.since or '…'} – {self.until or '…'}")
        if self.doc_types:
            parts.append(", ".join(self.doc_types))
        if self.doc_ids:
            parts.append(f"{len(self.doc_ids)} document(s)")
        return "; ".join(parts)
