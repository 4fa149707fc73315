"""Incremental, idempotent ingestion of report files into the store.

Per file: read and hash the bytes (the document id is the content hash), skip it when the store
already holds that content, otherwise parse, clean, read metadata and sections, chunk, embed (re-using
stored vectors of unchanged passages) and write. Crash safety comes from the order of writes: the
document record is written as *pending* first, then its chunks (ids derived from content, so a
re-run overwrites instead of duplicating), then the record is marked complete and the previous
version of the file is removed. A run that finds pending records deletes them with their chunks,
and the file is processed again.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path

import numpy as np

from ingest import originals
from ingest.budget import check_budget, file_budget
from ingest.chunk import SectionSpan, chunk_document
from ingest.clean import clean
from ingest.duplicates import fingerprint
from ingest.metadata import extract_metadata
from ingest.ocr import OcrSettings
from ingest.parse import SUPPORTED_SUFFIXES, parse_file
from ingest.sections import find_sections
from ingest.sidecar import SIDECAR_SUFFIX, apply_sidecar, load_sidecar
from ingest.structure import agenda_items, sentence_facts, statements
from rag.core.config import Config
from rag.core.embedders import Embedder
from rag.core.errors import IngestError, StoreError
from rag.core.lexical_cache import LexicalCache
from rag.core.models import Chunk, DocumentRecord
from rag.core.records import embed_hash
from rag.core.sentences import sentence_spans
from rag.core.store import SentenceVectors, Store
from rag.vocab.formations import report_formations

log = logging.getLogger(__name__)


class FileStatus(StrEnum):
    """What happened to one file."""

    NEW = "new"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    DUPLICATE = "duplicate"  # same content as a stored report: stored once
    FAILED = "failed"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class FileResult:
    """What happened to one file, and why."""

    path: str
    status: FileStatus
    message: str = ""
    chunks: int = 0
    embedded: int = 0
    doc_id: str = ""  # for a duplicate: the report it duplicates
    # What the message says, for an interface in another language (`rag.ui.text.FILE_MESSAGES`):
    # a code and the values it names (never the path; the interface shows the file's name).
    code: str = ""
    params: dict[str, str] = field(default_factory=dict)


@dataclass
class IngestReport:
    results: list[FileResult] = field(default_factory=list)
    pruned: list[str] = field(default_factory=list)
    recovered: list[str] = field(default_factory=list)
    seconds: float = 0.0
    embed_seconds: float = 0.0

    def count(self, status: FileStatus) -> int:
        return sum(1 for r in self.results if r.status == status)

    @property
    def chunks_written(self) -> int:
        return sum(
            r.chunks for r in self.results if r.status in (FileStatus.NEW, FileStatus.UPDATED)
        )

    @property
    def chunks_embedded(self) -> int:
        return sum(r.embedded for r in self.results)


@dataclass(frozen=True)
class PreparedDocument:
    """A parsed, cleaned and chunked report, ready to embed and store."""

    record: DocumentRecord
    text: str
    chunks: list[Chunk]
    pages_for: Callable[[int, int], tuple[int, ...]]


def sentence_record(
    prepared: PreparedDocument, c: Chunk, spans: Sequence[tuple[int, int]], vectors: np.ndarray
) -> SentenceVectors:
    """A chunk's sentence records: offsets and page, vectors, and what each sentence says
    about the report's structure (agenda item, stance, actors)."""
    base = c.char_start
    return SentenceVectors(
        tuple((a, b, (prepared.pages_for(base + a, base + b) or (0,))[0]) for a, b in spans),
        vectors,
        sentence_facts(
            prepared.text, [(base + a, base + b) for a, b in spans], prepared.record.items
        ),
        c.doc_id,
    )


def expand_paths(paths: Iterable[Path]) -> tuple[list[Path], list[FileResult]]:
    """Files under the given paths (recursively, sorted); missing paths become failed results."""
    files: list[Path] = []
    missing: list[FileResult] = []
    for p in paths:
        if p.is_dir():
            files.extend(f for f in sorted(p.rglob("*")) if f.is_file() and not _ignored(f))
        elif p.exists():
            files.append(p)
        else:
            missing.append(
                FileResult(
                    str(p), FileStatus.FAILED, f"{p}: no such file or directory; check the path."
                )
            )
    return [f.resolve() for f in files], missing


# Files found in a folder scan that describe the folder rather than being reports. Named
# explicitly on the command line they are ingested like any other file.
NOT_REPORTS = frozenset({"README", "SOURCES", "LICENSE", "LICENCE", "CHANGELOG", "NOTICE"})


def _ignored(path: Path) -> bool:
    """Sidecars, hidden files, editor leftovers and folder notes (README.md) are not reports."""
    return (
        path.name.endswith(SIDECAR_SUFFIX)
        or path.name.startswith((".", "~$"))
        or path.stem.upper() in NOT_REPORTS
    )


def content_hash(data: bytes, sidecar: bytes = b"") -> str:
    return hashlib.sha256(data + b"\0" + sidecar).hexdigest()


def prepare(path: Path, data: bytes, doc_id: str, config: Config) -> PreparedDocument:
    """Parse, clean, read metadata and sections, and chunk one report (no store access)."""
    ocr = OcrSettings(config.ocr == "on", Path(config.ocr_cache))
    raw = parse_file(path, max_bytes=config.max_file_bytes, data=data, ocr=ocr)
    doc = clean(raw)
    if not doc.text.strip():
        raise IngestError(f"{path}: no text left after clean-up; check that the file is a report.")
    # Cleaned text: running headers and page furniture must not end up in the title.
    check_budget("metadata")
    meta = extract_metadata(doc.text)
    sidecar = path.with_name(path.name + SIDECAR_SUFFIX)
    if sidecar.exists():
        meta = apply_sidecar(meta, load_sidecar(sidecar))
    meta = replace(meta, formations=report_formations(meta))
    check_budget("sections")
    sections = find_sections(doc.text)
    # The heading stays in the section's first chunk: "what was on the agenda" is answered by
    # the agenda items' titles themselves.
    spans = [SectionSpan(s.title, _skip_space(doc.text, s.start, s.end), s.end) for s in sections]
    chunks = chunk_document(
        doc.text,
        spans,
        doc.pages_for,
        doc_id=doc_id,
        meta=meta,
        file=str(path),
        target_tokens=config.chunk_tokens,
    )
    pages = max((p for _, _, p in doc.page_spans), default=0) if raw.has_page_numbers else 0
    ocr_confidence = tuple(
        (p.number, p.ocr_confidence) for p in raw.pages if p.ocr_confidence is not None
    )
    if ocr_confidence:
        conf = dict(ocr_confidence)
        chunks = [
            replace(c, ocr_confidence=tuple((p, conf[p]) for p in c.pages if p in conf))
            for c in chunks
        ]
    items = agenda_items(doc.text, sections, doc.pages_for if raw.has_page_numbers else _no_pages)
    record = DocumentRecord(
        doc_id=doc_id,
        file=str(path),
        meta=meta,
        pages=pages,
        chunks=len(chunks),
        sections=tuple(dict.fromkeys(c.section for c in chunks if c.section)),
        content_hash="",
        items=items,
        statements=statements(doc.text, items),
        complete=False,
        ocr_confidence=ocr_confidence,
    )
    # Sentences are split once, here: answers read these spans from the store.
    chunks = [replace(c, sentence_spans=tuple(sentence_spans(c.text))) for c in chunks]
    pages_for = doc.pages_for
    if not raw.has_page_numbers:
        chunks = [replace(c, pages=()) for c in chunks]
        pages_for = _no_pages
    return PreparedDocument(record=record, text=doc.text, chunks=chunks, pages_for=pages_for)


def _no_pages(start: int, end: int) -> tuple[int, ...]:
    return ()


def _skip_space(text: str, start: int, end: int) -> int:
    while start < end and text[start].isspace():
        start += 1
    return start


class Ingestor:
    """Runs ingestion of many files against one store with one embedder."""

    def __init__(
        self,
        store: Store,
        embedder: Embedder,
        config: Config,
        on_file: Callable[[FileResult], None] | None = None,
        on_chunks: Callable[[int], None] | None = None,
        lexical: LexicalCache | None = None,
    ) -> None:
        self.store = store
        self.lexical = lexical or LexicalCache(store)
        self.embedder = embedder
        self.config = config
        self.on_file = on_file or (lambda r: None)
        self.on_chunks = on_chunks
        self._fingerprints: dict[str, str] = {}  # doc id -> text fingerprint, for old records
        store.check_embedder(embedder.name, embedder.dim, claim=True)

    def _delete(self, doc_id: str) -> None:
        """A report, its passages and its kept original."""
        self.store.delete_document(doc_id)
        originals.remove(self.config, doc_id)
        self._fingerprints.pop(doc_id, None)

    def recover(self) -> list[str]:
        """Delete documents left pending by an interrupted run (they are re-ingested next)."""
        removed = []
        for rec in self.store.list_documents():
            if not rec.complete:
                self._delete(rec.doc_id)
                removed.append(rec.file)
                log.warning("removed %s left half-written by an interrupted run", rec.file)
        return removed

    def run(self, paths: Iterable[Path], prune: bool = False) -> IngestReport:
        t0 = time.perf_counter()
        report = IngestReport(recovered=self.recover())
        files, missing = expand_paths(paths)
        for r in missing:
            report.results.append(r)
            self.on_file(r)
        for path in files:
            result = self._one(path, report)
            report.results.append(result)
            self.on_file(result)
        if prune:
            report.pruned = self.prune()
        # Bring the saved BM25 index up to date now, so the first question after ingest is fast.
        self.lexical.index()
        report.seconds = time.perf_counter() - t0
        return report

    def _one(self, path: Path, report: IngestReport) -> FileResult:
        if path.suffix.lower() not in SUPPORTED_SUFFIXES:
            return FileResult(
                str(path),
                FileStatus.SKIPPED,
                f"{path}: unsupported type {path.suffix or '(none)'}, skipped; supported: "
                + ", ".join(sorted(SUPPORTED_SUFFIXES)),
                code="unsupported",
            )
        try:
            with file_budget(path, self.config.file_seconds):
                return self._ingest_file(path, report)
        except IngestError as exc:
            params = {k: str(v) for k, v in exc.params.items()}
            return FileResult(str(path), FileStatus.FAILED, str(exc), code=exc.code, params=params)
        except StoreError:
            raise  # the store, not this file: a full disk or a lost server ends the run, one line
        except OSError as exc:
            return FileResult(
                str(path),
                FileStatus.FAILED,
                f"{path}: cannot read it ({exc.strerror}); check permissions.",
                code="unreadable",
                params={"reason": str(exc.strerror)},
            )
        except Exception as exc:  # one file's parser bug must not end the batch
            log.exception("unexpected error ingesting %s", path)
            return FileResult(
                str(path),
                FileStatus.FAILED,
                f"{path}: could not be read ({type(exc).__name__}: {exc}); open and save it again "
                "(or export it as PDF); the other files went on. Please report this file.",
                code="parser_bug",
                params={"detail": f"{type(exc).__name__}: {exc}"},
            )

    def _ingest_file(self, path: Path, report: IngestReport) -> FileResult:
        size = path.stat().st_size
        if size > self.config.max_file_bytes:
            raise IngestError(
                f"{path}: {size / 1e6:.1f} MB is over the {self.config.max_file_mb:g} MB limit; "
                "split the file or raise RAG_MAX_FILE_MB.",
                code="too_large",
                mb=f"{size / 1e6:.1f}",
                limit=f"{self.config.max_file_mb:g}",
            )
        data = path.read_bytes()
        sidecar = path.with_name(path.name + SIDECAR_SUFFIX)
        chash = content_hash(data, sidecar.read_bytes() if sidecar.exists() else b"")
        doc_id = hashlib.sha256(data).hexdigest()[:16]
        docs = {r.doc_id: r for r in self.store.list_documents()}
        previous = next(
            (r for r in docs.values() if str(path) in (r.file, *r.aliases) and r.doc_id != doc_id),
            None,
        )
        same = docs.get(doc_id)
        if same is not None and same.content_hash == chash:
            if previous is not None:
                self._forget_path(previous, str(path))
            return self._known(path, same)

        prepared = prepare(path, data, doc_id, self.config)
        text_hash = fingerprint(prepared.text)
        if same is None:
            twin = self._same_text(text_hash, docs, skip=previous.doc_id if previous else "")
            if twin is not None:  # the same report in another format: stored once
                if previous is not None:
                    self._forget_path(previous, str(path))
                return FileResult(
                    str(path),
                    FileStatus.DUPLICATE,
                    f"same report as {twin.file} (the same text as its {twin.file_type}); "
                    "stored once, this copy not indexed",
                    0,
                    0,
                    twin.doc_id,
                )
        record = replace(
            prepared.record,
            content_hash=chash,
            text_hash=text_hash,
            added_at=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        )
        if same is not None:  # same bytes, new sidecar: keep the names it was known under
            record = replace(record, file=same.file, aliases=same.aliases, added_at=same.added_at)
        self.store.put_document(record, prepared.text)
        try:
            embedded = self._write_chunks(prepared, report)
        except IngestError:  # out of time: leave the store as it was before this file
            if same is None:
                self._delete(doc_id)
            else:  # the same bytes under a new sidecar: the complete version stays
                self.store.put_document(same, prepared.text)
            raise
        stale = set(self.store.chunk_ids_of(doc_id)) - {c.id for c in prepared.chunks}
        self.store.delete_chunks(stale)
        kept = originals.keep(self.config, doc_id, path, data)
        self.store.put_document(replace(record, complete=True, original=kept), prepared.text)
        self._fingerprints[doc_id] = text_hash
        if previous is not None:
            self._forget_path(previous, str(path))
        status = FileStatus.UPDATED if previous is not None or same is not None else FileStatus.NEW
        return FileResult(
            str(path),
            status,
            f"{len(prepared.chunks)} chunks",
            len(prepared.chunks),
            embedded,
            doc_id,
            code="chunks",
            params={"n": str(len(prepared.chunks))},
        )

    def _known(self, path: Path, rec: DocumentRecord) -> FileResult:
        names = (rec.file, *rec.aliases)
        if str(path) in names:
            return FileResult(str(path), FileStatus.UNCHANGED, "", 0, 0, rec.doc_id)
        if not Path(rec.file).exists():  # the file was moved or renamed: follow it
            self.store.put_document(replace(rec, file=str(path)), self._text(rec.doc_id))
            return FileResult(
                str(path), FileStatus.UNCHANGED, f"moved from {rec.file}", 0, 0, rec.doc_id,
                code="moved", params={"other": Path(rec.file).name},
            )  # fmt: skip
        aliases = tuple(sorted({*rec.aliases, str(path)}))
        self.store.put_document(replace(rec, aliases=aliases), self._text(rec.doc_id))
        return FileResult(
            str(path),
            FileStatus.DUPLICATE,
            f"same content as {rec.file}; stored once",
            0,
            0,
            rec.doc_id,
            code="duplicate",
            params={"other": Path(rec.file).name},
        )

    def _same_text(
        self, text_hash: str, docs: dict[str, DocumentRecord], skip: str
    ) -> DocumentRecord | None:
        """The stored report whose cleaned text has this fingerprint (not `skip`, the earlier
        version of the same file), or None. Records written before fingerprints were stored are
        fingerprinted from their stored text, once per run."""
        for rec in docs.values():
            if rec.doc_id == skip or not rec.complete:
                continue
            if rec.doc_id not in self._fingerprints:
                self._fingerprints[rec.doc_id] = rec.text_hash or fingerprint(
                    self._text(rec.doc_id)
                )
            if self._fingerprints[rec.doc_id] == text_hash:
                return rec
        return None

    def _text(self, doc_id: str) -> str:
        got = self.store.get_document(doc_id)
        return got[1] if got else ""

    def _forget_path(self, rec: DocumentRecord, path: str) -> None:
        """`path` now holds other content: drop it from `rec`, and `rec` if no name is left."""
        names = [n for n in (rec.file, *rec.aliases) if n != path]
        if not names:
            self._delete(rec.doc_id)
            return
        self.store.put_document(
            replace(rec, file=names[0], aliases=tuple(names[1:])), self._text(rec.doc_id)
        )

    def _write_chunks(self, prepared: PreparedDocument, report: IngestReport) -> int:
        """Embed what is new (re-using stored vectors of identical passages) and write.

        Each chunk is embedded whole (for search) and sentence by sentence (so an answer can
        quote the best sentences without embedding anything at question time).
        """
        chunks = prepared.chunks
        known = self.store.embeddings_by_hash([embed_hash(c) for c in chunks])
        old_sentences = self.store.get_sentences(
            [known[embed_hash(c)][0] for c in chunks if embed_hash(c) in known]
        )
        todo = [
            c
            for c in chunks
            if embed_hash(c) not in known or known[embed_hash(c)][0] not in old_sentences
        ]
        spans = {c.id: c.sentence_spans for c in chunks}
        texts = [c.embed_text for c in todo]
        sentence_texts = [c.text[a:b] for c in todo for a, b in spans[c.id]]
        t0 = time.perf_counter()
        fresh = self.embedder.embed_documents(texts, self._progress)
        fresh_sentences = self.embedder.embed_documents(
            sentence_texts, lambda n: check_budget("embedding")
        )
        report.embed_seconds += time.perf_counter() - t0
        vectors: dict[str, np.ndarray] = dict(zip((c.id for c in todo), fresh))
        sentence_vectors: dict[str, np.ndarray] = {}
        pos = 0
        for c in todo:
            n = len(spans[c.id])
            sentence_vectors[c.id] = fresh_sentences[pos : pos + n]
            pos += n
        for c in chunks:
            if c.id not in vectors:
                old_id, vec = known[embed_hash(c)]
                vectors[c.id] = vec
                sentence_vectors[c.id] = old_sentences[old_id].vectors
        if self.on_chunks and len(todo) < len(chunks):
            self.on_chunks(len(chunks) - len(todo))
        # Written in slices so an interruption leaves at most one slice to redo.
        for i in range(0, len(chunks), 64):
            part = chunks[i : i + 64]
            self.store.add_chunks(part, [vectors[c.id] for c in part])
            self.store.put_sentences(
                {
                    c.id: sentence_record(prepared, c, spans[c.id], sentence_vectors[c.id])
                    for c in part
                }
            )
        return len(todo)

    def _progress(self, n: int) -> None:
        check_budget("embedding")
        if self.on_chunks:
            self.on_chunks(n)

    def prune(self) -> list[str]:
        """Remove documents none of whose files exist any more."""
        removed = []
        for rec in self.store.list_documents():
            names = [n for n in (rec.file, *rec.aliases) if Path(n).exists()]
            if not names:
                self._delete(rec.doc_id)
                removed.append(rec.file)
            elif names[0] != rec.file or len(names) != 1 + len(rec.aliases):
                self.store.put_document(
                    replace(rec, file=names[0], aliases=tuple(names[1:])), self._text(rec.doc_id)
                )
        return removed
