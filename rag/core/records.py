"""How chunks and reports are laid out as flat Chroma records, and read back.

Owned apart from the store (`rag.core.store`, which talks to Chroma): what a chunk record holds
and leaves out, and how a `Chunk`, a `ReportMeta` and a `DocumentRecord` come back from records.
Chroma metadata holds scalars only, so lists and structure travel as strings.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from typing import Any

from rag.core.filters import date_span, formation_key
from rag.core.models import AgendaItem, Chunk, DocumentRecord, ReportMeta, Statement
from rag.core.sentences import decode_spans, encode_spans

# Stored even when 0: the date filter admits undated reports by `{"meeting_day": 0}`.
_KEEP_WHEN_EMPTY = frozenset({"meeting_day", "meeting_day_last"})


def chunk_metadata(chunk: Chunk) -> dict[str, Any]:
    """Flat, scalar metadata for Chroma (which stores no lists): where the chunk lies and what
    the filters need. The rest of the report's metadata, and the chunk's text (a slice of the
    report's cleaned text), are read from the report's record: Chroma stores and indexes one row
    per key per record, and the text three times more (metadata, index, full-text index), so
    repeating them per chunk cost ~1/3 of a 50k-chunk store. Empty values are left out too."""
    m = chunk.meta
    first, last = date_span(m)
    md = {
        "document_id": chunk.doc_id,
        "file": chunk.file,
        "doc_type": m.doc_type,
        # yyyymmdd ints so Chroma can filter date ranges with $gte/$lte: the span from the first
        # meeting to the letter (a report is "from" its meeting and its letter date alike)
        "meeting_day": first,
        "meeting_day_last": last,
        "section": chunk.section,
        "pages": ",".join(str(p) for p in chunk.pages),
        "page": chunk.pages[0] if chunk.pages else 0,
        "char_start": chunk.char_start,
        "char_end": chunk.char_end,
        "chunk_index": chunk.index,
        "sentences": encode_spans(chunk.sentence_spans),
        "embed_hash": embed_hash(chunk),
        "ocr_confidence": encode_confidence(chunk.ocr_confidence),
        # One flag per formation the report covers (a committee report can cover three), so a
        # formation filter is {"in_<slug>": True}; Chroma metadata holds no lists.
        **{formation_key(f): True for f in m.covered_formations()},
    }
    return {k: v for k, v in md.items() if k in _KEEP_WHEN_EMPTY or v not in ("", 0, False)}


def embed_hash(chunk: Chunk) -> str:
    """Identifies the embedded text, so an unchanged passage of a changed report keeps its vector."""
    return hashlib.sha256(chunk.embed_text.encode()).hexdigest()[:24]


def chunk_from_record(
    chunk_id: str, text: str, md: dict[str, Any], report: tuple[ReportMeta, str] | None = None
) -> Chunk:
    """A chunk from its Chroma record and its report's (metadata, cleaned text): the text is the
    stored one when there is one (stores written before chunks stopped repeating it), else its
    slice of the report's text; likewise the report's metadata."""
    start, end = int(md.get("char_start", 0)), int(md.get("char_end", 0))
    if report is not None:
        meta = report[0]
        text = text or report[1][start:end]
    else:
        meta = ReportMeta(
            title=md.get("title", ""),
            doc_type=md.get("doc_type", ""),
            formation=md.get("formation", ""),
            formation_en=md.get("formation_en", ""),
            meeting_dates=tuple(d for d in md.get("meeting_dates", "").split(",") if d),
            letter_date=md.get("letter_date", ""),
            kamerstuk=md.get("kamerstuk", ""),
            language=md.get("language", ""),
            meeting_number=md.get("meeting_number", ""),
            formations=tuple(f for f in md.get("formations", "").split(",") if f),
        )
    return Chunk(
        id=chunk_id,
        doc_id=md.get("document_id") or md.get("ref_doc_id", ""),
        text=text,
        section=md.get("section", ""),
        pages=tuple(int(p) for p in str(md.get("pages", "")).split(",") if p),
        char_start=start,
        char_end=end,
        index=int(md.get("chunk_index", 0)),
        meta=meta,
        file=md.get("file", ""),
        sentence_spans=decode_spans(str(md.get("sentences", ""))),
        ocr_confidence=decode_confidence(str(md.get("ocr_confidence", ""))),
    )


def encode_confidence(pairs: tuple[tuple[int, float], ...]) -> str:
    """((3, 0.912), (4, 0.6)) -> "3:0.912,4:0.6" (Chroma metadata holds no lists)."""
    return ",".join(f"{p}:{c:g}" for p, c in pairs)


def decode_confidence(raw: str) -> tuple[tuple[int, float], ...]:
    """The inverse of encode_confidence.

    >>> decode_confidence("3:0.912,4:0.6")
    ((3, 0.912), (4, 0.6))
    """
    return tuple((int(p), float(c)) for p, c in (x.split(":") for x in raw.split(",") if x))


def document_metadata(record: DocumentRecord) -> dict[str, Any]:
    """A report's record as flat Chroma metadata (lists and structure as JSON strings)."""
    return {
        "file": record.file,
        "meta": json.dumps(asdict(record.meta), ensure_ascii=False),
        "pages": record.pages,
        "chunks": record.chunks,
        "sections": json.dumps(list(record.sections), ensure_ascii=False),
        "content_hash": record.content_hash,
        "aliases": json.dumps(list(record.aliases), ensure_ascii=False),
        "items": json.dumps([asdict(i) for i in record.items], ensure_ascii=False),
        "statements": json.dumps([list(asdict(x).values()) for x in record.statements]),
        "complete": record.complete,
        "ocr_confidence": encode_confidence(record.ocr_confidence),
        "original": record.original,
        "added_at": record.added_at,
        "text_hash": record.text_hash,
    }


def item_from(raw: dict[str, Any]) -> AgendaItem:
    return AgendaItem(
        **{**raw, "pages": tuple(raw.get("pages", ())), "lead": tuple(raw.get("lead", (0, 0)))}
    )


def meta_from_md(md: dict[str, Any]) -> ReportMeta:
    meta = json.loads(md.get("meta", "{}"))
    meta["meeting_dates"] = tuple(meta.get("meeting_dates", ()))
    meta["formations"] = tuple(meta.get("formations", ()))
    return ReportMeta(**meta)


def record_from_md(doc_id: str, md: dict[str, Any]) -> DocumentRecord:
    return DocumentRecord(
        doc_id=doc_id,
        file=md.get("file", ""),
        meta=meta_from_md(md),
        pages=int(md.get("pages", 0)),
        chunks=int(md.get("chunks", 0)),
        sections=tuple(json.loads(md.get("sections", "[]"))),
        content_hash=md.get("content_hash", ""),
        aliases=tuple(json.loads(md.get("aliases", "[]"))),
        items=tuple(item_from(x) for x in json.loads(md.get("items", "[]"))),
        statements=tuple(Statement(*x) for x in json.loads(md.get("statements", "[]"))),
        complete=bool(md.get("complete", True)),
        ocr_confidence=decode_confidence(str(md.get("ocr_confidence", ""))),
        original=str(md.get("original", "")),
        added_at=str(md.get("added_at", "")),
        text_hash=str(md.get("text_hash", "")),
    )
