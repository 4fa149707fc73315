"""A briefing note for a meeting, built from the structure stored at ingest, not by asking.

For each agenda item of the chosen report(s) (`DocumentRecord.agenda`): what was on the table
(the item's lead sentence), the positions recorded (`DocumentRecord.statements`, grouped the
Netherlands first, then the Commission, the presidency, the other member states, then the rest:
`rag.vocab.actors.POSITION_GROUPS`), and the outcome or next step (the item's sentences the cue
table's `outcome` row finds). Every line is a verbatim report sentence with a citation [n]; the
numbered sources are exactly the cited sentences, each once, with report, meeting, item and page.

A topic ("return directive, 2020-2021") narrows the note across meetings: the dates it names
become a date filter, and an agenda item stays when its title covers the topic (then all of it)
or some of its statements do (then only those).

Shortcuts on purpose: "outcome" is read from cue words, not from parsing; a sentence is listed
once, in the first place it fits (on the table, outcome, then the first position group).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from rag.answer.checks import coverage
from rag.answer.question import parse_question
from rag.core.errors import RagError
from rag.core.filters import date_span, iso_day
from rag.core.lexical import analyse
from rag.core.models import AgendaItem, Citation, DocumentRecord, Statement
from rag.core.sentences import one_line, sentence_spans, trim
from rag.core.store import Store
from rag.vocab.actors import OTHERS, POSITION_GROUPS, position_group
from rag.vocab.cues import cue
from rag.vocab.formations import formation_names, normalise_formation

log = logging.getLogger(__name__)

GROUPS = (*(g for g, _ in POSITION_GROUPS), OTHERS)
# A note to read before a meeting (the whole item is in the report): at most this many lines
# per group, except the Netherlands', which are what the note is for.
MAX_PER_GROUP = 4
MAX_OUTCOME = 2  # the last outcome sentences of an item: the conclusion and the next step
# A statement (or title) belongs to the topic when it covers this share of the topic's terms.
MIN_TOPIC_COVERAGE = 0.5
# A footnote's own text ("[2] Uw Kamer zal ..."), as ingest.clean writes it: no statement.
_FOOTNOTE = re.compile(r"^\[\d{1,3}\]")
# Whose sentences are positions, never the outcome.
_OWN_POSITIONS = frozenset({"nl", "commission", "member_states"})
_SENTENCE_END = re.compile(r"[.!?:;]\W*$")
_YEARS = re.compile(r"\b((?:19|20)\d\d)\s*[-–]\s*((?:19|20)\d\d)\b")


class BriefError(RagError):
    """No report matches the meeting asked for; the message says how to find one."""


@dataclass(frozen=True)
class Line:
    """One verbatim report sentence in the note, cited [n]."""

    text: str
    n: int
    actor: str = ""  # actor key (rag.vocab.actors) for a position, "" otherwise
    stance: str = ""  # "supports", "opposes" or ""
    start: int = 0  # offsets of the sentence in the report's cleaned text
    end: int = 0


@dataclass(frozen=True)
class ItemBrief:
    """One agenda item: on the table, positions per group (in GROUPS order), outcome."""

    title: str
    on_table: tuple[Line, ...]
    positions: tuple[tuple[str, tuple[Line, ...]], ...]
    outcome: tuple[Line, ...]


@dataclass(frozen=True)
class MeetingBrief:
    """The agenda items of one report."""

    doc_id: str
    title: str
    formation: str
    meeting_date: str
    items: tuple[ItemBrief, ...]


@dataclass(frozen=True)
class Brief:
    """The whole note: meetings in date order and the numbered sources ([1] is sources[0])."""

    meetings: tuple[MeetingBrief, ...]
    sources: tuple[Citation, ...]
    topic: str = ""
    formation: str = ""
    date: str = ""


def select_reports(
    store: Store,
    meeting: str = "",
    formation: str = "",
    date: str = "",
    topic: str = "",
) -> list[DocumentRecord]:
    """The reports a note covers: one by id (`--meeting`), those of a formation's meeting on a
    date, or with a topic every report within the formation and the topic's dates."""
    records = [r for r in store.list_documents() if r.complete]
    if meeting:
        found = [r for r in records if r.doc_id == meeting]
        if not found:
            raise BriefError(
                f"No report with id {meeting!r}: see the ids with `python -m ingest --list`.",
                code="brief_no_report",
                meeting=meeting,
            )
        return found
    canonical = ""
    if formation:
        known = normalise_formation(formation)
        if known is None:
            raise BriefError(
                f"Unknown formation {formation!r}: use one of {', '.join(formation_names())}.",
                code="brief_unknown_formation",
                formation=formation,
                names=", ".join(formation_names()),
            )
        canonical = known.name
        records = [r for r in records if canonical in r.meta.covered_formations()]
    if date:
        records = [r for r in records if date in r.meta.meeting_dates]
    elif topic:
        since, until = topic_dates(topic)
        records = [r for r in records if _within(r, since, until)]
    else:
        raise BriefError(
            "Say which meeting: --meeting ID (see `python -m ingest --list`), "
            "--formation F --date YYYY-MM-DD, or --topic T.",
            code="brief_which_meeting",
        )
    if not records:
        what = " ".join(x for x in (canonical, date, topic) if x)
        raise BriefError(
            f"No report in the store matches {what!r}: check the formation and date with "
            "`python -m ingest --list`.",
            code="brief_no_match",
            what=what,
        )
    return sorted(records, key=lambda r: (r.meta.meeting_date, r.doc_id))


def _within(record: DocumentRecord, since: str, until: str) -> bool:
    first, last = date_span(record.meta)
    if (since or until) and not first:
        return False  # an undated report is no answer to "2020-2021"
    if since and last and last < iso_day(since):
        return False
    return not (until and first and first > iso_day(until))


def build_brief(
    store: Store,
    meeting: str = "",
    formation: str = "",
    date: str = "",
    topic: str = "",
) -> Brief:
    """The note for the selected reports (see `select_reports`); raises BriefError when none
    match, or when a topic is given and no agenda item covers it. Sources are numbered in
    reading order, each sentence once."""
    records = select_reports(store, meeting, formation, date, topic)
    terms = _topic_terms(topic)
    numbers: dict[tuple[str, int, int], int] = {}
    sources: list[Citation] = []
    meetings = []
    for record in records:
        got = store.get_document(record.doc_id)
        if got is None:
            continue
        record, text = got
        items = [b for i in record.agenda if (b := _item_brief(record, i, text, terms))]
        if not items:
            continue
        pages = sentence_pages(store, record.doc_id)
        by_title = {i.title: i for i in record.agenda}

        def number(
            line: Line,
            item: AgendaItem,
            rec: DocumentRecord = record,
            text: str = text,
            pages: list[tuple[int, int, int]] = pages,
        ) -> Line:
            key = (rec.doc_id, line.start, line.end)
            if key not in numbers:
                numbers[key] = len(numbers) + 1
                sources.append(
                    span_citation(numbers[key], rec, text, (line.start, line.end), pages, item)
                )
            return replace(line, n=numbers[key])

        numbered = []
        for brief in items:
            item = by_title[brief.title]
            numbered.append(
                ItemBrief(
                    brief.title,
                    tuple(number(x, item) for x in brief.on_table),
                    tuple((g, tuple(number(x, item) for x in xs)) for g, xs in brief.positions),
                    tuple(number(x, item) for x in brief.outcome),
                )
            )
        m = record.meta
        meetings.append(
            MeetingBrief(record.doc_id, m.title, m.formation, m.meeting_date, tuple(numbered))
        )
    if not meetings:
        if topic:
            raise BriefError(
                f"No agenda item of the selected reports is about {topic!r}: try other words, "
                "or leave out --topic.",
                code="brief_no_topic",
                topic=topic,
            )
        raise BriefError(
            "The selected reports have no agenda items stored: re-ingest them with "
            "`python -m ingest PATH`."
        )
    return Brief(tuple(meetings), tuple(sources), topic, formation, date)


def _topic_terms(topic: str) -> tuple[frozenset[str], ...]:
    """The topic's terms, and the Dutch of its English terms as an alternative: Dutch reports
    name "return directive" only as "terugkeerrichtlijn"."""
    if not topic.strip():
        return ()
    q = parse_question(topic)
    own = frozenset(q.topic) or frozenset(q.terms)
    dutch = frozenset(analyse(" ".join(q.translated)))
    return tuple(t for t in (own, dutch) if t)


def topic_dates(topic: str) -> tuple[str, str]:
    """(since, until) named in a topic: "2020-2021" or what the question reader finds.

    >>> topic_dates("return directive, 2020-2021")
    ('2020-01-01', '2021-12-31')
    """
    if m := _YEARS.search(topic):
        return f"{m[1]}-01-01", f"{m[2]}-12-31"
    f = parse_question(topic).filters
    return f.since, f.until


def _covers(text: str, terms: Sequence[frozenset[str]]) -> bool:
    return any(coverage(text, t, lambda _: 1.0) >= MIN_TOPIC_COVERAGE for t in terms)


def _item_brief(
    record: DocumentRecord, item: AgendaItem, text: str, terms: Sequence[frozenset[str]]
) -> ItemBrief | None:
    """The item's lines (not yet numbered), or None when a topic is given and nothing in the
    item covers it."""
    body = text.find("\n", item.start, item.end)  # statements in the heading line are no position
    body = item.start if body < 0 else body
    statements = [
        replace(s, start=a, end=b)
        for s in record.statements
        if s.item == item.title and s.start >= body
        for a, b in [trim(text, s.start, s.end)]
        if not _FOOTNOTE.match(text[a:b])
    ]
    whole = not terms or _covers(item.title, terms)
    said = statements
    if not whole:
        statements = [s for s in statements if _covers(text[s.start : s.end], terms)]
    used: set[tuple[int, int]] = set()

    def line(a: int, b: int, actor: str = "", stance: str = "") -> Line:
        used.add((a, b))
        return Line(one_line(text[a:b]), 0, actor, stance, a, b)

    on_table: list[Line] = []
    a, b = _lead(text, item, body)
    if whole and b > a:
        on_table.append(line(a, b))
    outcome = [line(a, b) for a, b in _outcome_spans(text, item, said, whole, terms, used)]
    if not (whole or statements or outcome):
        return None
    grouped: dict[str, list[Line]] = {g: [] for g in GROUPS}
    for s in _first_per_sentence(statements):
        if (s.start, s.end) in used:
            continue
        key = position_group(s.actor)
        group = grouped[key]
        if key == "nl" or len(group) < MAX_PER_GROUP:
            group.append(line(s.start, s.end, s.actor, s.stance))
    positions = tuple((g, tuple(lines)) for g, lines in grouped.items() if lines)
    return ItemBrief(item.title, tuple(on_table), positions, tuple(outcome))


def _lead(text: str, item: AgendaItem, body: int) -> tuple[int, int]:
    """What was on the table: the item's lead sentence, or, when that is a letterhead line
    ("Vergaderjaar 1991-1992", no full stop), the first real sentence of its body."""
    a, b = trim(text, *item.lead)
    if _SENTENCE_END.search(text[a:b]):
        return a, b
    for span in sentence_spans(text, body, item.end):
        a, b = trim(text, *span)
        if _SENTENCE_END.search(text[a:b]) and len(text[a:b].split()) >= 4:
            return a, b
    return 0, 0


def _first_per_sentence(statements: Sequence[Statement]) -> list[Statement]:
    """One statement per sentence: the actor whose group comes first ("De lidstaten, inclusief
    Nederland, ..." is the Netherlands' position), in report order."""
    rank = {g: i for i, g in enumerate(GROUPS)}
    best: dict[tuple[int, int], Statement] = {}
    for s in statements:
        key = (s.start, s.end)
        if key not in best or rank[position_group(s.actor)] < rank[position_group(best[key].actor)]:
            best[key] = s
    return sorted(best.values(), key=lambda s: s.start)


def item_outcome(record: DocumentRecord, item: AgendaItem, text: str) -> list[tuple[int, int]]:
    """The spans of how the item ended or goes on (see `_outcome_spans`), for the whole item."""
    body = text.find("\n", item.start, item.end)
    body = item.start if body < 0 else body
    said = [s for s in record.statements if s.item == item.title and s.start >= body]
    return _outcome_spans(text, item, said, True, (), set())


def _outcome_spans(
    text: str,
    item: AgendaItem,
    statements: Sequence[Statement],
    whole: bool,
    terms: Sequence[frozenset[str]],
    used: set[tuple[int, int]],
) -> list[tuple[int, int]]:
    """The item's last sentences that state a conclusion or a next step, in report order: said
    by the presidency, the Council or no one (what the Netherlands, the Commission or the member
    states say stays their position). Narrowed to a topic: only sentences that cover it."""
    # By the sentence's first group: "Het Duitse Voorzitterschap" is the presidency, not Germany.
    speakers = {
        s.start
        for s in _first_per_sentence(statements)
        if position_group(s.actor) in _OWN_POSITIONS
    }
    spans = sentence_spans(text, item.lead[1] or item.start, item.end)
    found = [
        (a, b)
        for a, b in (trim(text, *span) for span in spans)
        if (a, b) not in used
        and a not in speakers
        and (whole or _covers(text[a:b], terms))
        and not _FOOTNOTE.match(text[a:b])
        and cue("outcome").search(text[a:b])
    ]
    return found[-MAX_OUTCOME:]


# A passage cited as one span is at most this long: sentences further apart are cited apart (or
# the first only), a long list of members is cut.
MAX_CITED_CHARS = 1200


def sentence_pages(store: Store, doc_id: str) -> list[tuple[int, int, int]]:
    """(start, end, page) of each stored sentence of a report, in document offsets."""
    chunks = store.chunks_of_documents([doc_id])
    records = store.get_sentences(chunks)
    out = []
    for c in chunks:
        for a, b, page in records[c.id].spans if c.id in records else ():
            out.append((c.char_start + a, c.char_start + b, int(page)))
        if c.id not in records and c.page:
            out.append((c.char_start, c.char_end, c.page))
    return sorted(out)


def _page_at(pages: Sequence[tuple[int, int, int]], offset: int) -> int | None:
    for a, b, page in pages:
        if a <= offset < b and page:
            return page
    return None


def span_citation(
    n: int,
    record: DocumentRecord,
    text: str,
    span: tuple[int, int],
    pages: Sequence[tuple[int, int, int]],
    item: AgendaItem | None = None,
) -> Citation:
    """Citation n of the report's text span (under `item`, when it has one), on the page the
    span starts on (`pages` from `sentence_pages`; else the item's first)."""
    a, b = span
    m = record.meta
    page = _page_at(pages, a) or (item.pages[0] if item and item.pages else None)
    return Citation(
        n=n,
        doc_id=record.doc_id,
        file=record.file,
        title=m.title,
        formation=m.formation,
        meeting_date=m.meeting_date,
        section=item.title if item else "",
        page=page,
        text=text[a:b].strip(),
        score=0.0,
        char_start=a,
        char_end=b,
    )
