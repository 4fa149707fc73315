"""Helpers shared by the ingest tests: run `python -m ingest` as users do, and inspect a store.

The CLI runs in a subprocess with a clean environment (only the variables given here), so the
developer's own RAG_* settings and `.env` never leak in. Stores are inspected in-process after the
subprocess has finished; Chroma caches one client per path per process, so `open_store` drops that
cache first and always reads what is on disk now.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

from rag.core.models import DocumentRecord
from rag.core.store import Store
from tests.conftest import ROOT, SGD, config_for

# One-paragraph cover letters of 430-520 bytes: one chunk each, a second or two to embed.
SHORT_LETTERS = (
    "1991-10-24_kst-21501-22-1",
    "1990-05-28_kst-21501-14-2",
    "1993-05-18_kst-21501-18-25",
    "1993-06-16_kst-21501-01-61",
    "1992-09-15_kst-21501-01-45",
    "1994-06-16_kst-21501-18-32",
    "1993-12-17_kst-21501-09-32",
)
# A letter of four chunks whose first three stay identical when a paragraph is appended.
MULTI_CHUNK_LETTER = "1992-04-10_kst-21501-17-17"

_SUMMARY = re.compile(r"(\d+) chunks written, (\d+) embedded")


def letter(prefix: str) -> Path:
    (path,) = SGD.glob(f"{prefix}*")
    return path


def copy_letters(dest: Path, prefixes: Iterable[str]) -> list[Path]:
    """Copy corpus letters into `dest` (a tmp_path: the corpus itself is read-only)."""
    dest.mkdir(parents=True, exist_ok=True)
    return [Path(shutil.copy(letter(p), dest / letter(p).name)) for p in prefixes]


def cli_env(store: Path | str = "", **extra: str) -> dict[str, str]:
    """The process environment without RAG_* settings, plus explicit test settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("RAG_")}
    env.update(
        {
            "RAG_STORE": str(store),
            "RAG_CHROMA_URL": "",
            "RAG_EMBEDDER": "e5-small",
            "RAG_LOG_LEVEL": "WARNING",
            "HF_HUB_OFFLINE": "1",
            "ANONYMIZED_TELEMETRY": "False",
            "PYTHONUNBUFFERED": "1",
        }
    )
    if str(store):  # OCR results are cached beside the test's store, not in the work tree
        env["RAG_OCR_CACHE"] = f"{store}-ocr-cache"
    env.update(extra)
    return env


def ingest_cmd(*args: str | Path) -> list[str]:
    return [sys.executable, "-m", "ingest", *(str(a) for a in args)]


def run_ingest(
    *args: str | Path,
    store: Path | str = "",
    env: dict[str, str] | None = None,
    prefix: Iterable[str] = (),
    timeout: float = 900,
) -> subprocess.CompletedProcess[str]:
    """`python -m ingest ARGS` from the repository root; `prefix` wraps it (e.g. setpriv)."""
    if env is None:
        env = cli_env(store)
        given = [str(a) for a in args]
        if "--store" in given[:-1]:  # cache OCR results beside that store, not in the work tree
            env.setdefault("RAG_OCR_CACHE", given[given.index("--store") + 1] + "-ocr-cache")
    return subprocess.run(
        [*prefix, *ingest_cmd(*args)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def summary(stdout: str) -> tuple[int, int]:
    """(chunks written, chunks embedded) from the CLI's last line."""
    m = _SUMMARY.search(stdout)
    assert m, f"no summary line in:\n{stdout}"
    return int(m[1]), int(m[2])


def status_of(stdout: str, path: Path | str) -> str:
    """The status word on the one status line that names `path`."""
    line = re.compile(rf"^[-+~=!] (\w+)\s+{re.escape(str(path))}(?::|\s|$)")
    found = [m[1] for m in map(line.match, stdout.splitlines()) if m]
    assert len(found) == 1, f"expected one status line for {path}, got {found} in:\n{stdout}"
    return found[0]


def open_store(store: Path | str = "", **env: str) -> Store:
    """A Store reading what is on disk now (drops Chroma's per-process client cache first)."""
    from chromadb.api.shared_system_client import SharedSystemClient

    SharedSystemClient.clear_system_cache()
    return Store(config_for(store, **env))


def assert_consistent(store: Store) -> list[DocumentRecord]:
    """Every record complete, chunk count == sum of record.chunks, no chunk stored twice."""
    records = store.list_documents()
    assert all(r.complete for r in records), [r.file for r in records if not r.complete]
    chunks = store.all_chunks()
    ids = [c.id for c in chunks]
    assert len(ids) == len(set(ids))
    assert store.count_chunks() == len(chunks) == sum(r.chunks for r in records)
    # the same passage of the same document is stored once: (document, index) is unique
    keys = [(c.doc_id, c.index) for c in chunks]
    assert len(keys) == len(set(keys))
    for r in records:
        assert len(store.chunk_ids_of(r.doc_id)) == r.chunks, r.file
    # every chunk has its sentence vectors (answers pick sentences from them)
    assert set(store.get_sentences(ids)) == set(ids)
    return records
