"""Managing the indexed reports from the app: uploads, deletion, and an overview of the store.

Uploads are saved under `RAG_UPLOADS` with a sanitised name (no path components, only
`[A-Za-z0-9._-]`, never overwriting another file) and ingested with the assistant's own store and
embedder, so the process keeps one model and one Chroma client. Files over `RAG_MAX_FILE_MB` are
refused before anything is written. Ingest brings the retriever's lexical index up to date, and
the index checks the store's version on every question, so the next question sees the new state.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ingest import originals
from ingest.pipeline import FileResult, FileStatus, Ingestor
from rag.core import audit
from rag.core.models import DocumentRecord
from rag.ui.auth import LOCAL, AccessError, User, require_editor

if TYPE_CHECKING:  # the Assistant loads models; this module only uses what it is given
    from rag.answer.assistant import Assistant
    from rag.core.config import Config
    from rag.core.store import Store

# Streamlit's uploader filters by these; the ingest parser accepts them (and .md, .htm).
UPLOAD_TYPES = ("pdf", "docx", "html", "htm", "txt")
_MAX_NAME = 120
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class Upload:
    """A file as the browser sent it: its name (untrusted) and its bytes."""

    name: str
    data: bytes


@dataclass(frozen=True)
class UploadResult:
    """What happened to one uploaded file, for the message shown next to it."""

    name: str  # the name as uploaded (show it escaped)
    saved_as: str  # path under the uploads directory, "" when refused before saving
    status: FileStatus
    message: str
    chunks: int = 0
    doc_id: str = ""
    code: str = ""  # what `message` says, for the interface's language (`rag.ui.text`)
    params: dict[str, str] = field(default_factory=dict)
    duplicate_of: str = ""  # for a duplicate: the stored report's label, its format and time

    @property
    def ok(self) -> bool:
        return self.status not in (FileStatus.FAILED, FileStatus.SKIPPED)


@dataclass(frozen=True)
class StoreOverview:
    """What is indexed, for the sidebar and the filters."""

    documents: list[DocumentRecord]
    chunks: int
    formations: list[str]
    doc_types: list[str]
    newest_meeting: str


def safe_filename(name: str) -> str:
    """A file name without path components, of `[A-Za-z0-9._-]` only, not hidden, not empty.

    >>> safe_filename("../../etc/passwd"), safe_filename("C:\\\\Users\\\\x\\\\Verslag JBZ (1).pdf")
    ('passwd', 'Verslag_JBZ_1_.pdf')
    >>> safe_filename(".bashrc"), safe_filename("résumé.txt"), safe_filename("...")
    ('bashrc', 'r_sum_.txt', 'upload')
    """
    base = re.split(r"[\\/]", name)[-1]
    base = _UNSAFE.sub("_", base).lstrip("._-")
    if len(base) > _MAX_NAME:
        stem, dot, suffix = base.rpartition(".")
        base = (stem[: _MAX_NAME - len(suffix) - 1] + dot + suffix) if dot else base[:_MAX_NAME]
    return base or "upload"


def save_upload(upload: Upload, directory: Path) -> Path:
    """Write the bytes under `directory` with a safe, collision-free name; returns the path.

    The same bytes under the same name re-use the existing file (re-ingesting it is a no-op);
    different bytes get `name-1.ext`, `name-2.ext`, ... so no upload overwrites another.
    """
    directory.mkdir(parents=True, exist_ok=True)
    name = safe_filename(upload.name)
    stem, suffix = Path(name).stem, Path(name).suffix
    candidate, i = directory / name, 0
    while candidate.exists():
        if candidate.read_bytes() == upload.data:
            return candidate
        i += 1
        candidate = directory / f"{stem}-{i}{suffix}"
    # Written to a temporary name and renamed so a half-written file is never ingested.
    tmp = directory / f".{hashlib.sha256(upload.data).hexdigest()[:12]}.part"
    tmp.write_bytes(upload.data)
    tmp.replace(candidate)
    return candidate


def ingest_uploads(
    assistant: Assistant,
    uploads: Sequence[Upload],
    on_file: Callable[[int, UploadResult], None] | None = None,
    on_chunks: Callable[[int], None] | None = None,
    user: User = LOCAL,
) -> list[UploadResult]:
    """Check, save and ingest uploaded files one by one; a refused file does not stop the rest.

    `on_file(i, result)` is called after each file (i counts from 1), `on_chunks(n)` as passages
    are embedded, so the app can show progress. Each file's outcome goes to the audit trail,
    under `user`, who must be an editor (refused with AccessError otherwise, nothing saved).
    """
    config = assistant.config
    _require_editor(config.audit_path, user, "upload", ", ".join(u.name for u in uploads))
    directory = Path(config.uploads)
    ingestor = Ingestor(
        assistant.store,
        assistant.embedder,
        config,
        on_chunks=on_chunks,
        lexical=assistant.retriever.lexical_cache,
    )
    results: list[UploadResult] = []
    for i, upload in enumerate(uploads, 1):
        result = _one(ingestor, upload, directory, config)
        audit.append(
            config.audit_path,
            audit.AuditEvent(
                user.name, "upload", str(result.status), upload.name, result.doc_id,
                "" if result.ok else result.message,
            ),
        )  # fmt: skip
        results.append(result)
        if on_file:
            on_file(i, result)
    return results


def _one(ingestor: Ingestor, upload: Upload, directory: Path, config: Config) -> UploadResult:
    name = upload.name
    suffix = Path(safe_filename(name)).suffix.lower().lstrip(".")
    if suffix not in UPLOAD_TYPES:
        return UploadResult(
            name,
            "",
            FileStatus.SKIPPED,
            f"{name}: unsupported type; upload PDF, DOCX, HTML or TXT.",
            code="unsupported",
        )
    size = len(upload.data)
    if size > config.max_file_bytes:
        return UploadResult(
            name,
            "",
            FileStatus.FAILED,
            f"{name}: {size / 1e6:.1f} MB is over the {config.max_file_mb:g} MB limit; "
            "split the file or raise RAG_MAX_FILE_MB.",
            code="too_large",
            params={"mb": f"{size / 1e6:.3g}", "limit": f"{config.max_file_mb:g}"},
        )
    if not upload.data.strip():
        return UploadResult(
            name, "", FileStatus.FAILED, f"{name}: the file is empty; upload the report.",
            code="empty",
        )  # fmt: skip
    try:
        path = save_upload(upload, directory)
    except OSError as exc:
        return UploadResult(
            name,
            "",
            FileStatus.FAILED,
            f"{name}: cannot save it under {directory} ({exc.strerror}); "
            "check RAG_UPLOADS and its permissions.",
            code="cannot_save",
            params={"reason": str(exc.strerror)},
        )
    report = ingestor.run([path])
    r: FileResult = report.results[-1]
    # The ingest messages name the saved path; users know the file by the name they uploaded.
    message = r.message.replace(str(path), name)
    dropped = r.status in (FileStatus.FAILED, FileStatus.DUPLICATE)
    if dropped and path.exists() and not _known(ingestor, path):
        # Nothing refers to it: a file that could not be read, or the same report in another
        # format (the one indexed already stays the only copy).
        path.unlink()
    twin = ""
    if r.status == FileStatus.DUPLICATE and (got := ingestor.store.get_document(r.doc_id)):
        twin = duplicate_label(got[0])
    return UploadResult(
        name, str(path), r.status, message, r.chunks, r.doc_id, r.code, dict(r.params), twin
    )


def _known(ingestor: Ingestor, path: Path) -> bool:
    return any(str(path) in (d.file, *d.aliases) for d in ingestor.store.list_documents())


def _require_editor(trail: str, user: User, action: str, report: str, doc_id: str = "") -> None:
    try:
        require_editor(user)
    except AccessError as exc:
        audit.append(trail, audit.AuditEvent(user.name, action, "refused", report, doc_id))
        raise exc from None


def delete_report(assistant: Assistant, doc_id: str, user: User = LOCAL) -> int:
    """Remove a report and its passages; its file goes too if it was uploaded in the app.

    Returns the number of passages removed. Files outside the uploads directory (a corpus the
    operator ingested) are never touched. The deletion goes to the audit trail, under `user`,
    who must be an editor.
    """
    _require_editor(assistant.config.audit_path, user, "delete", "", doc_id)
    got = assistant.store.get_document(doc_id)
    removed = assistant.store.delete_document(doc_id)
    name = Path(got[0].file).name if got else ""
    audit.append(
        assistant.config.audit_path,
        audit.AuditEvent(user.name, "delete", "deleted", name, doc_id, f"{removed} passages"),
    )
    originals.remove(assistant.config, doc_id)
    if got is not None:
        uploads = Path(assistant.config.uploads).resolve()
        for name in (got[0].file, *got[0].aliases):
            path = Path(name).resolve()
            if path.parent == uploads and path.is_file():
                path.unlink()
    return removed


def overview(store: Store) -> StoreOverview:
    """Documents (oldest meeting first), passage count, and the values the filters offer."""
    docs = store.list_documents()
    dates = [d for r in docs for d in r.meta.meeting_dates]
    return StoreOverview(
        documents=docs,
        chunks=store.count_chunks(),
        formations=sorted({r.meta.formation for r in docs if r.meta.formation}),
        doc_types=sorted({r.meta.doc_type for r in docs if r.meta.doc_type}),
        newest_meeting=max(dates, default=""),
    )


def duplicate_label(record: DocumentRecord) -> str:
    """'Verslag JBZ-Raad (verslag.txt, TXT, 2026-12-02 20:51)': which stored copy (plain text).

    >>> from rag.core.models import ReportMeta
    >>> duplicate_label(DocumentRecord("d", "/u/v.txt", ReportMeta(title="V"), 0, 0, (), "",
    ...     added_at="2026-12-02T20:51:07Z"))
    'V (v.txt, TXT, 2026-12-02 20:51)'
    """
    when = added_label(record.added_at)
    parts = [Path(record.file).name, record.file_type, when]
    title = record.meta.title or Path(record.file).name
    return f"{title} ({', '.join(p for p in parts if p)})"


def added_label(added_at: str) -> str:
    """'2026-12-02T20:51:07Z' -> '2026-12-02 20:51' (UTC, as stored); '' stays ''."""
    return added_at[:16].replace("T", " ")


def document_label(record: DocumentRecord) -> str:
    """'2020-12-14 · Verslag informele JBZ-Raad' for pick lists (shown as plain text)."""
    date = record.meta.meeting_date or record.meta.letter_date
    title = record.meta.title or Path(record.file).name
    return f"{date} · {title}" if date else title
