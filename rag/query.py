"""Reading a question: its language, the filters it names, the actors it asks about.

"What did the Netherlands say in the JHA Council of December 2020?" carries a formation
(JBZ-Raad), a period (2020-12-01..2020-12-31) and an actor (Nederland). Filters given explicitly
(CLI options, the app's sidebar) win over those read from the question.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from rag.actors import Actor, find_actors

MONTHS = {
    **{m.lower(): i for i, m in enumerate(calendar.month_name) if m},
    "januari": 1, "februari": 2, "maart": 3, "april": 4, "mei": 5, "juni": 6, "juli": 7,
    "augustus": 8, "oktober": 10,
}  # fmt: skip
_MONTHS_RX = "|".join(sorted((m.lower() for m in MONTHS), key=len, reverse=True))

_NL_WORDS = set(
    "de het een en van wat wie welke waarom hoe wanneer zei zeiden over in op met voor niet is "
    "zijn was waren heeft hebben door bij aan ook nog daarover dat die deze dit er als om".split()
)
_EN_WORDS = set(
    "the a an and of what who which why how when did does say said about in on with for not is "
    "are was were has have by at to also that this there as it its member states".split()
)

DOC_TYPE_CUES = (
    (re.compile(r"\b(?:annotated agenda|geannoteerde agenda)\b", re.I), "geannoteerde_agenda"),
    (re.compile(r"\b(?:mondeling overleg|oral consultation)\b", re.I), "verslag_mondeling_overleg"),
    (re.compile(r"\b(?:algemeen overleg)\b", re.I), "verslag_algemeen_overleg"),
)
_LATEST = re.compile(
    r"\b(?:latest|most recent|newest|last meeting|laatste|meest recente|recentste|jongste)\b", re.I
)


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
        """The Chroma `where` clause for these filters."""
        clauses: list[dict[str, Any]] = []
        if self.formation:
            from rag.store import formation_key

            clauses.append({formation_key(self.formation): True})
        # A report whose date could not be read (meeting_day 0) is kept: hiding it would make it
        # unreachable for every dated question.
        if self.since:
            clauses.append(
                {"$or": [{"meeting_day_last": {"$gte": _day(self.since)}}, {"meeting_day": 0}]}
            )
        if self.until:
            clauses.append({"meeting_day": {"$lte": _day(self.until)}})
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


def _day(iso: str) -> int:
    return int(iso.replace("-", ""))


@dataclass(frozen=True)
class ParsedQuestion:
    text: str
    lang: str  # "nl" or "en"
    filters: Filters = field(default_factory=Filters)
    actors: tuple[Actor, ...] = ()  # those of the question actually asked first
    latest: bool = False
    asked: str = ""  # the question actually asked (the last one of a condensed follow-up)


def last_question(text: str) -> str:
    """The question actually asked: a condensed follow-up is "<previous question> <new one>".

    >>> last_question("Hoeveel lidstaten steunden het? En wat zei het voorzitterschap?")
    'En wat zei het voorzitterschap?'
    """
    parts = [p for p in re.split(r"(?<=\?)\s+", text.strip()) if p]
    return parts[-1] if parts else text


def detect_language(text: str) -> str:
    """'nl' or 'en' by counting common function words (ties go to Dutch, the reports' language).

    >>> detect_language("Wat zei de Commissie over het EES?"), detect_language("And Germany?")
    ('nl', 'en')
    """
    words = re.findall(r"[a-zà-ÿ]+", text.lower())
    nl = sum(w in _NL_WORDS for w in words)
    en = sum(w in _EN_WORDS for w in words)
    if en > nl:
        return "en"
    if nl > en:
        return "nl"
    return "en" if re.search(r"\b(?:and|or|what|who)\b", text, re.I) else "nl"


def dates_in_question(text: str) -> tuple[str, str]:
    """(since, until) ISO bounds named in a question, or ("", "").

    >>> dates_in_question("in the JHA Council of December 2020")
    ('2020-12-01', '2020-12-31')
    >>> dates_in_question("the Council of 14 December 2020")
    ('2020-11-13', '2021-01-14')
    >>> dates_in_question("between 1990 and 1992")
    ('1990-01-01', '1992-12-31')
    """
    t = text.lower()
    m = re.search(rf"\b(\d{{1,2}})\s+({_MONTHS_RX})\s+((?:19|20)\d\d)\b", t)
    if m:
        # A day named in a question may be an event around the meeting ("the proposals of
        # 9 December", discussed on the 14th): a month either side.
        day = date(int(m.group(3)), MONTHS[m.group(2)], int(m.group(1)))
        return (day - timedelta(days=31)).isoformat(), (day + timedelta(days=31)).isoformat()
    m = re.search(r"\b(?:between|tussen)\s+((?:19|20)\d\d)\s+(?:and|en)\s+((?:19|20)\d\d)\b", t)
    if m:
        return f"{m.group(1)}-01-01", f"{m.group(2)}-12-31"
    m = re.search(rf"\b({_MONTHS_RX})\s+((?:19|20)\d\d)\b", t)
    if m:
        year, month = int(m.group(2)), MONTHS[m.group(1)]
        last = calendar.monthrange(year, month)[1]
        return f"{year}-{month:02d}-01", f"{year}-{month:02d}-{last:02d}"
    m = re.search(r"\b(?:since|after|sinds|na)\s+((?:19|20)\d\d)\b", t)
    if m:
        return f"{m.group(1)}-01-01", ""
    m = re.search(r"\b(?:before|until|voor|tot)\s+((?:19|20)\d\d)\b", t)
    if m:
        return "", f"{int(m.group(1)) - 1}-12-31"
    years = re.findall(r"\b((?:19|20)\d\d)\b", t)
    if len(years) == 1 and not re.search(rf"\b{years[0]}\s*[-/]\s*\d", t):
        return f"{years[0]}-01-01", f"{years[0]}-12-31"
    return "", ""


def parse_question(text: str, explicit: Filters | None = None) -> ParsedQuestion:
    """Language, filters (explicit ones win) and actors of a question."""
    from ingest.formations import find_formations

    since, until = dates_in_question(text)
    # Two formations named ("a joint meeting of the FAC and the JHA Council") are the topic,
    # not a filter.
    named = {f.name for _, _, f in find_formations(text)}
    doc_types = tuple(t for rx, t in DOC_TYPE_CUES if rx.search(text))
    found = Filters(
        formation=named.pop() if len(named) == 1 else "",
        since=since,
        until=until,
        doc_types=doc_types,
    )
    filters = (explicit or Filters()).merged_over(found)
    asked = last_question(text)
    actors = tuple(find_actors(text))
    if asked != text:  # a condensed follow-up asks about its own actor, not the earlier one's
        actors = tuple(dict.fromkeys([*find_actors(asked), *actors]))
    return ParsedQuestion(
        text=text,
        lang=detect_language(text),
        filters=filters,
        actors=actors,
        latest=bool(_LATEST.search(text)),
        asked=asked,
    )
