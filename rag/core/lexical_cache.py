"""The lexical index on disk beside the store, brought up to date report by report.

Building BM25 means reading every chunk back from Chroma, which took 25 s at 50k chunks (17.6 s of
it in Chroma's `get`). So the index is saved after each build, tagged with the store's version
(`Store.version`: counts plus a token every write changes), and a fresh process loads it in well
under a second. When the store changed, only reports whose records changed are read again; the
postings of the rest are kept. bm25s has no incremental update, so its matrix is rebuilt from the
kept term ids, which needs no re-analysis.

Snapshots live in `<RAG_STORE>/lexical/<collection>/<version hash>/` (for a Chroma server, under
`~/.cache/council-reports/lexical/<host_port_collection>/`), with a
`CURRENT` file naming the live one; it is replaced atomically, so a crash mid-save leaves the old
snapshot in use. A snapshot that cannot be read is rebuilt; one that cannot be written is logged
and the index stays in memory.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import threading
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlparse

import numpy as np

from rag.core.config import Config
from rag.core.lexical import LexicalIndex, Postings, load_bm25s
from rag.core.models import DocumentRecord
from rag.core.store import Store

log = logging.getLogger(__name__)

FORMAT = 1
_SEP = "\x1f"  # joins a chunk's formations in the saved arrays


def cache_dir(config: Config) -> Path | None:
    """Where the snapshots of this store's lexical index live (None: keep it in memory only).

    Beside an embedded store; for a Chroma server, in the user's cache directory (RAG_STORE stays
    unused then: the server holds everything that matters, this is only a cache).
    """
    if config.chroma_url:
        u = urlparse(config.chroma_url)
        key = f"{u.hostname}_{u.port or 80}_{config.collection}"
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
        return base / "council-reports" / "lexical" / re.sub(r"[^\w.-]", "_", key)
    if not config.store:
        return None
    return Path(config.store) / "lexical" / re.sub(r"[^\w.-]", "_", config.collection)


def doc_stamp(record: DocumentRecord) -> str:
    """Changes whenever a report's chunks may have changed (content, metadata, completeness)."""
    raw = json.dumps(
        [record.content_hash, record.complete, record.chunks, record.file, asdict(record.meta)],
        sort_keys=True,
        default=str,
    )
    return hashlib.sha1(raw.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Snapshot:
    version: str
    stamps: dict[str, str]  # doc id -> doc_stamp
    index: LexicalIndex


def refresh(store: Store, previous: Snapshot | None) -> Snapshot:
    """The index for the store as it is now, re-reading only the reports that changed."""
    version = store.version()  # read before the data: a write during the read shows up next time
    if previous is not None and previous.version == version:
        return previous
    stamps = {r.doc_id: doc_stamp(r) for r in store.list_documents()}
    old = previous.index.postings if previous is not None else Postings.from_chunks([])
    old_stamps = previous.stamps if previous is not None else {}
    kept = {d for d, s in stamps.items() if old_stamps.get(d) == s}
    fetch = [d for d in stamps if d not in kept]
    rows = np.flatnonzero(np.isin(old.doc, list(kept))) if len(old) else np.zeros(0, np.int64)
    postings = old.select(rows).concat(Postings.from_chunks(store.chunks_of_documents(fetch)))
    total = store.count_chunks()
    if len(postings) != total:
        # Chunks without a report record (or a write racing this read): read everything.
        log.info("lexical index: %d of %d chunks by report; reading all", len(postings), total)
        postings = Postings.from_chunks(store.all_chunks())
    log.info(
        "lexical index: %d chunks (%d reports kept, %d read)", len(postings), len(kept), len(fetch)
    )
    return Snapshot(version, stamps, LexicalIndex(postings))


def save(directory: Path, snap: Snapshot) -> None:
    """Write the snapshot and make it the current one (atomically)."""
    p = snap.index.postings
    name = hashlib.sha1(snap.version.encode()).hexdigest()[:16]
    target = directory / name
    tmp = directory / f".{name}.{os.getpid()}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    np.savez(
        tmp / "postings.npz",
        ids=np.array(p.ids, dtype=str),
        doc=np.array(p.doc.tolist(), dtype=str),
        doc_type=np.array(p.doc_type.tolist(), dtype=str),
        formations=np.array([_SEP.join(sorted(f)) for f in p.formations], dtype=str),
        first=p.first,
        last=p.last,
        offsets=p.offsets,
        term_ids=p.term_ids,
        terms=np.array(p.terms, dtype=str),
    )
    if len(p):
        snap.index.bm25.save(str(tmp / "bm25"), show_progress=False)
    state = {"format": FORMAT, "version": snap.version, "stamps": snap.stamps}
    (tmp / "state.json").write_text(json.dumps(state))
    shutil.rmtree(target, ignore_errors=True)
    tmp.rename(target)
    current = directory / "CURRENT"
    (directory / f".CURRENT.{os.getpid()}").write_text(name)
    os.replace(directory / f".CURRENT.{os.getpid()}", current)
    for old in directory.iterdir():  # earlier snapshots and leftovers of crashed saves
        if old.is_dir() and old.name != name:
            shutil.rmtree(old, ignore_errors=True)


def load(directory: Path) -> Snapshot | None:
    """The current snapshot, or None when there is none or it cannot be read."""
    bm25s = load_bm25s()
    try:
        target = directory / (directory / "CURRENT").read_text().strip()
        state = json.loads((target / "state.json").read_text())
        if state.get("format") != FORMAT:
            return None
        with np.load(target / "postings.npz") as z:
            postings = Postings(
                ids=z["ids"].tolist(),
                doc=z["doc"].astype(object),
                doc_type=z["doc_type"].astype(object),
                formations=[frozenset(f.split(_SEP)) - {""} for f in z["formations"].tolist()],
                first=z["first"],
                last=z["last"],
                offsets=z["offsets"],
                term_ids=z["term_ids"],
                terms=z["terms"].tolist(),
            )
        bm25 = None
        if len(postings):
            bm25 = bm25s.BM25.load(str(target / "bm25"), show_progress=False)
        return Snapshot(state["version"], state["stamps"], LexicalIndex(postings, bm25))
    except FileNotFoundError:
        return None
    except Exception as exc:  # noqa: BLE001 - a damaged cache is rebuilt, never fatal
        log.warning("lexical index at %s unreadable (%s); rebuilding it", directory, exc)
        return None


class LexicalCache:
    """The current lexical index of one store, for the retriever and for ingest."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.directory = cache_dir(store.config)
        self._snap: Snapshot | None = None
        self._lock = threading.Lock()
        self._warned = False

    def index(self) -> LexicalIndex:
        """Up to date with the store; checking costs three small reads when nothing changed.
        `Store.sync` also reopens an embedded store another process wrote to, so dense search
        and every other read of this question see the same reports as this index."""
        version = self.store.sync()
        with self._lock:
            if self._snap is not None and self._snap.version == version:
                return self._snap.index
            if self._snap is None and self.directory is not None:
                self._snap = load(self.directory)
            snap = refresh(self.store, self._snap)
            if snap is not self._snap and self.directory is not None:
                self._save(snap, self.directory)
            self._snap = snap
            return snap.index

    def _save(self, snap: Snapshot, directory: Path) -> None:
        try:
            save(directory, snap)
        except OSError as exc:
            if not self._warned:
                log.warning(
                    "cannot save the lexical index in %s (%s); it is rebuilt in each new process. "
                    "Make RAG_STORE writable to keep it.",
                    directory,
                    exc.strerror or exc,
                )
                self._warned = True
