"""The small frozen dataclasses that modules exchange.

A report's metadata, a chunk of it (with its document, meeting, section, pages and offsets), a
scored hit, a citation and an answer; and the two kinds of `[n]` in text (source markers and
footnote references). Nothing here imports llama-index or Chroma: the one layer that adapts those
(`rag.core.store`) converts to and from these types.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

# An answer's source marker follows a space ("... staan. [2]"); a report's own footnote reference
# is glued to its word ("Europol[1].", "Becker[3] -"), as ingest.clean writes it.
CITATION_MARKER = re.compile(r"(?<=\s)\[(\d+)\]")
FOOTNOTE_REF = re.compile(r"(?<=[^\s\[])\[\d{1,3}\]")
# Below this mean word confidence (tesseract's, 0..1) an answer quoting an OCR'd page says so.
# Clean 300 dpi print measures 0.93-0.96 here; tesseract's own docs treat words under ~60 as
# doubtful, and a page average of 0.80 already hides many of those.
LOW_OCR_CONFIDENCE = 0.80


class AnswerMode(StrEnum):
    """How an answer is written: quoted from the reports, or by an LLM from numbered sources."""

    EXTRACTIVE = "extractive"
    LLM = "llm"


class AnswerStatus(StrEnum):
    """Whether the reports answer: fully, partly (the topic is there, the asked detail is not, or
    the question's premise is not), or not at all."""

    ANSWERED = "answered"
    PARTIAL = "partial"
    NOT_FOUND = "not_found"


@dataclass(frozen=True)
class ReportMeta:
    """What a report says about itself, read from its text (a sidecar file may override it).

    >>> ReportMeta(title="Verslag JBZ-Raad", meeting_dates=("2020-12-14",)).meeting_date
    '2020-12-14'
    """

    title: str = ""
    doc_type: str = ""  # see ingest.sidecar.DOC_TYPES, e.g. "verslag", "geannoteerde_agenda"
    formation: str = ""  # canonical Dutch name, e.g. "JBZ-Raad"
    formation_en: str = ""  # e.g. "Justice and Home Affairs Council"
    meeting_dates: tuple[str, ...] = ()  # ISO dates of the Council meeting(s) the report is about
    letter_date: str = ""  # ISO date the letter / report was signed or 'vastgesteld'
    kamerstuk: str = ""  # e.g. "21 501-17, nr. 17"
    language: str = ""  # ISO 639-1 code of the report's language ("nl", "en", ...); "" unknown
    meeting_number: str = ""  # the Council's own number of the meeting ("3784"), when printed
    # Every formation the report covers (a committee report can cover three), computed once at
    # ingest from its formation and title (`rag.vocab.formations.report_formations`).
    formations: tuple[str, ...] = ()
    # The parliamentary year printed on a Kamerstuk ("1989-1990"): the date filters' period for
    # a report whose own dates could not be read (else it would pass every date filter).
    session: str = ""

    @property
    def meeting_date(self) -> str:
        """First meeting date, or "" when unknown."""
        return self.meeting_dates[0] if self.meeting_dates else ""

    def covered_formations(self) -> frozenset[str]:
        """The stored formations, and at least the report's own (records written before they
        were stored have only that).

        >>> sorted(ReportMeta(formation="JBZ-Raad").covered_formations())
        ['JBZ-Raad']
        """
        return frozenset(self.formations) | ({self.formation} if self.formation else set())


def chunk_id(doc_id: str, index: int, text: str) -> str:
    """A chunk's stable id from its content: the same report text always yields the same ids.

    >>> chunk_id("d1", 3, "Tekst.")
    'd1-0003-c138a17ed99aa3ec'
    """
    digest = hashlib.sha256(f"{doc_id}\n{index}\n{text}".encode()).hexdigest()[:16]
    return f"{doc_id}-{index:04d}-{digest}"


_CHUNK_ID = re.compile(r"(?P<doc>.+)-(?P<index>\d{4,})-[0-9a-f]{16}")


def id_fits(cid: str, text: str) -> bool:
    """Whether `text` is what the chunk with id `cid` was made from (ids not in the form
    `chunk_id` makes cannot be checked and pass).

    >>> cid = chunk_id("d1", 3, "Tekst.")
    >>> id_fits(cid, "Tekst."), id_fits(cid, "Tekst!"), id_fits("d1-3", "x")
    (True, False, True)
    """
    m = _CHUNK_ID.fullmatch(cid)
    return m is None or chunk_id(m["doc"], int(m["index"]), text) == cid


@dataclass(frozen=True)
class Chunk:
    """A passage of one report, small enough that a citation points at it precisely."""

    id: str
    doc_id: str
    text: str
    section: str  # agenda item or section heading the chunk belongs to, e.g. "4. Nieuw Migratie- en Asielpact"
    pages: tuple[int, ...]  # printed page(s) the passage spans, () when the format has no pages
    char_start: int  # offsets into the document's cleaned text
    char_end: int
    index: int  # position of the chunk in its document
    meta: ReportMeta = field(default_factory=ReportMeta)
    file: str = ""  # path of the source file as ingested
    # (start, end) of each sentence relative to `text`, split once at ingest; () for chunks
    # written before they were stored (`rag.core.sentences.chunk_sentences` then splits).
    sentence_spans: tuple[tuple[int, int], ...] = ()
    # (page, confidence 0..1) for those of its pages whose text came from OCR; () otherwise.
    ocr_confidence: tuple[tuple[int, float], ...] = ()

    @property
    def page(self) -> int | None:
        return self.pages[0] if self.pages else None

    def low_confidence(self, page: int | None) -> float | None:
        """The OCR confidence of `page` when it is below LOW_OCR_CONFIDENCE, else None.

        >>> Chunk("c", "d", "t", "", (3,), 0, 1, 0, ocr_confidence=((3, 0.6),)).low_confidence(3)
        0.6
        """
        for p, conf in self.ocr_confidence:
            if p == page and conf < LOW_OCR_CONFIDENCE:
                return conf
        return None

    @property
    def embed_text(self) -> str:
        """What gets embedded: the section title gives a passage its context (the agenda item)."""
        return f"{self.section}\n{self.text}" if self.section else self.text


@dataclass(frozen=True)
class AgendaItem:
    """A section of a report as found at ingest: an agenda item, the report's summary of one,
    a part heading or the introduction. Offsets are into the document's cleaned text."""

    title: str  # as printed: "4. Nieuw Migratie- en Asielpact"
    start: int
    end: int
    kind: str = "item"  # "item" (numbered agenda item), "summary", "part", "intro", "section"
    number: str = ""  # "4", "II"; "" when unnumbered
    pages: tuple[int, ...] = ()
    lead: tuple[int, int] = (0, 0)  # the first sentence of its body (offsets), (0, 0) if none
    summary_of: str = ""  # for a summary: the title of the agenda item it summarises

    @property
    def name(self) -> str:
        """The title without its number: "Nieuw Migratie- en Asielpact"."""
        head = f"{self.number}. "
        return (
            self.title[len(head) :] if self.number and self.title.startswith(head) else self.title
        )


@dataclass(frozen=True)
class Statement:
    """A sentence in which an actor speaks or is included ("Enkele lidstaten, waaronder
    Nederland, ..."), found at ingest: who, the stance of the sentence, where."""

    actor: str  # actor key (rag.vocab.actors), e.g. "nl", "commission"
    stance: str  # "supports", "opposes" or "" (rag.vocab.cues.stance_of)
    start: int  # offsets of the sentence in the document's cleaned text
    end: int
    item: str  # title of its agenda item / section


@dataclass(frozen=True)
class DocumentRecord:
    """One ingested report as the store lists it."""

    doc_id: str
    file: str
    meta: ReportMeta
    pages: int
    chunks: int
    sections: tuple[str, ...]
    content_hash: str
    aliases: tuple[str, ...] = ()  # other file names with identical content
    # The report's sections in order (agenda items, summary, parts), computed at ingest; () for
    # records written before they were stored.
    items: tuple[AgendaItem, ...] = ()
    statements: tuple[Statement, ...] = ()  # who said what, in report order
    complete: bool = True  # False while its chunks are being written (crash recovery)
    # (page, confidence 0..1) of each page whose text came from OCR; () for text layers.
    ocr_confidence: tuple[tuple[int, float], ...] = ()
    # The kept copy of the original file (`ingest.originals`), "" for records written before.
    original: str = ""
    added_at: str = ""  # when it was ingested, ISO 8601 UTC to the second; "" when unknown
    # Hash of the cleaned text, normalised so the same report as PDF, DOCX or TXT hashes alike
    # (`ingest.duplicates.fingerprint`); "" for records written before it was stored.
    text_hash: str = ""

    @property
    def file_type(self) -> str:
        """The original's format as users name it.

        >>> DocumentRecord("d", "/in/verslag.docx", ReportMeta(), 0, 0, (), "").file_type
        'DOCX'
        """
        suffix = self.file.rsplit(".", 1)[-1] if "." in self.file.rsplit("/", 1)[-1] else ""
        return {"htm": "HTML", "md": "TXT"}.get(suffix.lower(), suffix.upper())

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["meta"] = asdict(self.meta)
        return out

    def item_at(self, offset: int) -> AgendaItem | None:
        """The section holding character `offset`."""
        return next((i for i in self.items if i.start <= offset < i.end), None)

    @property
    def agenda(self) -> tuple[AgendaItem, ...]:
        """The numbered agenda items, in report order (the sections when none are numbered)."""
        items = tuple(i for i in self.items if i.kind == "item")
        return items or tuple(i for i in self.items if i.kind == "section")


@dataclass(frozen=True)
class Hit:
    """A retrieved chunk with its fused relevance score."""

    chunk: Chunk
    score: float
    dense_rank: int | None = None
    lexical_rank: int | None = None


@dataclass(frozen=True)
class Citation:
    """A numbered source as shown to the user; `text` is the exact passage shown."""

    n: int
    doc_id: str
    file: str
    title: str
    formation: str
    meeting_date: str
    section: str
    page: int | None
    text: str
    score: float
    char_start: int = 0  # offsets of `text` in the document's cleaned text, for highlighting
    char_end: int = 0


@dataclass(frozen=True)
class Answer:
    """An answer with its citations; `abstained` when the reports do not answer the question."""

    question: str
    answer: str
    abstained: bool
    citations: tuple[Citation, ...]
    timings_ms: dict[str, float] = field(default_factory=dict)
    standalone_question: str = ""  # the question after follow-up rewriting
    mode: AnswerMode = AnswerMode.EXTRACTIVE
    warnings: tuple[str, ...] = ()
    intent: str = ""  # what the question asked for (rag.answer.question.Intent)
    status: AnswerStatus = AnswerStatus.ANSWERED  # `abstained` is true for partial and not_found
    # The evidence features the answer/abstain decision saw (rag.answer.decision); not in JSON.
    diagnostics: dict[str, float] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The stable JSON shape documented in the README."""
        return {
            "question": self.question,
            "answer": self.answer,
            "abstained": self.abstained,
            "intent": self.intent,
            "status": str(self.status),
            "citations": [
                {
                    k: getattr(c, k)
                    for k in (
                        "n",
                        "doc_id",
                        "file",
                        "title",
                        "formation",
                        "meeting_date",
                        "section",
                        "page",
                        "text",
                        "score",
                    )
                }
                for c in self.citations
            ],
            "timings_ms": dict(self.timings_ms),
        }
