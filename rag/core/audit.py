"""The audit trail: who added or deleted which report, and every login, as JSON lines.

One line per event, appended to `RAG_AUDIT` (default `data/audit.jsonl`) by the app (uploads,
deletions, refused requests, logins: ok, failed, lockout, locked) and by `python -m ingest` (added, updated, failed, pruned reports), so
`python -m ingest --list` can say who added each report and when. Appending takes an exclusive
`flock`, so lines from several processes never interleave; the file is never rewritten. A trail
that cannot be written is an error the user sees: an action that cannot be recorded is not done
silently.
"""

from __future__ import annotations

import getpass
import json
import logging
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from rag.core.jsonl import append_line

log = logging.getLogger(__name__)

ADDED = ("new", "updated")  # results of an upload or ingest that put a report in the store


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def os_user() -> str:
    """Who runs a command-line tool (the login name; "unknown" in a container without one)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


@dataclass(frozen=True)
class AuditEvent:
    """One action. `action`: upload, ingest, delete, prune, login; `result`: new, updated,
    unchanged, failed, refused, deleted, ...; `report`: the file name as the user gave it."""

    user: str
    action: str
    result: str
    report: str = ""
    doc_id: str = ""
    detail: str = ""
    time: str = field(default_factory=now)


def append(path: str | Path, event: AuditEvent) -> None:
    """Add one line to the trail (creating its folder); refuses with the fix when it cannot."""
    append_line(path, asdict(event), "the audit trail", "RAG_AUDIT")


def read(path: str | Path) -> list[AuditEvent]:
    """Every event in the trail, oldest first (damaged lines are skipped and logged)."""
    path = Path(path)
    if not path.is_file():
        return []
    events = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        try:
            events.append(AuditEvent(**json.loads(line)))
        except (ValueError, TypeError):
            log.warning("audit trail %s: line %d is not an event; skipped", path, n)
    return events


def who_added(path: str | Path) -> dict[str, AuditEvent]:
    """Per report id, the last event that put it in the store (upload or ingest)."""
    return {
        e.doc_id: e
        for e in read(path)
        if e.doc_id and e.action in ("upload", "ingest") and e.result in ADDED
    }
