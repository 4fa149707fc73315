"""The original files of the indexed reports, kept so a source opens at its page.

At ingest a copy of each report's bytes goes to `Config.originals_dir` (`originals/` in the data
directory that holds the store) as `<doc id><suffix>`; the document record keeps its path, and
the copy goes when the report is deleted. Shortcut on purpose: a plain copy, not a hard link, so
a report stays openable after its source file (an upload, a corpus folder) is moved or removed.
"""

from __future__ import annotations

import errno
import logging
from pathlib import Path

from rag.core.config import Config
from rag.core.errors import StoreError
from rag.core.models import DocumentRecord

log = logging.getLogger(__name__)


def keep(config: Config, doc_id: str, path: Path, data: bytes) -> str:
    """Write `data` as the original of `doc_id` (once); returns the kept copy's path.

    The doc id is the hash of the bytes, so an existing copy is already right.
    """
    directory = Path(config.originals_dir)
    target = directory / f"{doc_id}{path.suffix.lower()}"
    if target.is_file():
        return str(target)
    tmp = directory / f".{doc_id}.part"  # renamed when whole: a half copy never opens
    try:
        directory.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(data)
        tmp.replace(target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        if exc.errno == errno.ENOSPC:  # the store beside it cannot grow either: end the run
            raise StoreError(
                f"The disk is full ({directory}): free some space, then try again.",
                code="disk_full",
                path=str(directory),
            ) from None
        # Without the copy the report is still indexed; its source opens from the file it
        # was ingested from while that exists.
        log.warning(
            "could not keep the original of %s in %s (%s); check that folder's permissions",
            path,
            directory,
            exc.strerror,
        )
        return ""
    return str(target)


def remove(config: Config, doc_id: str) -> None:
    """Delete the kept original of `doc_id`, if any."""
    directory = Path(config.originals_dir)
    if not directory.is_dir():
        return
    for path in directory.glob(f"{doc_id}.*"):
        try:
            path.unlink()
        except OSError as exc:  # a leftover file is harmless; say where it is
            log.warning("could not remove the original %s (%s); delete it by hand", path, exc)


def find(record: DocumentRecord) -> Path | None:
    """The file to open for `record`: its kept copy, else the file it was ingested from (records
    written before copies were kept), else None.

    >>> find(DocumentRecord("d", "/nonexistent/x.pdf", None, 0, 0, (), "")) is None  # type: ignore[arg-type]
    True
    """
    for name in (record.original, record.file, *record.aliases):
        if name and Path(name).is_file():
            return Path(name)
    return None
