"""The BM25 index saved beside the store: loaded without re-reading chunks, updated per report,
rebuilt when damaged, and never stale after a write (real corpus store, real Chroma)."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import numpy as np
import pytest

from rag.core.lexical import LexicalIndex, Postings
from rag.core.lexical_cache import LexicalCache, cache_dir
from rag.core.store import Store
from tests.conftest import config_for

QUERY = "terugkeerrichtlijn Europol solidariteitsmechanisme"


class CountingStore(Store):
    """The real store, counting the chunk reads the cache makes."""

    reads: list[str]

    def chunks_of_documents(self, doc_ids):  # type: ignore[no-untyped-def]
        self.reads.extend(doc_ids)
        return super().chunks_of_documents(doc_ids)

    def all_chunks(self, where=None):  # type: ignore[no-untyped-def]
        if where is None:
            self.reads.append("*")
        return super().all_chunks(where)


def _store(path: Path) -> CountingStore:
    store = CountingStore(config_for(path))
    store.reads = []
    return store


def _fresh(store: Store) -> LexicalIndex:
    """An index built from every chunk, the way it was before caching."""
    return LexicalIndex(Postings.from_chunks(store.all_chunks()))


def _ranking(index: LexicalIndex) -> list[tuple[str, float]]:
    return [(h.chunk_id, round(h.score, 5)) for h in index.search(QUERY, 20)]


def test_ingest_leaves_a_snapshot_a_new_process_loads_without_reading_chunks(
    store_copy: Path,
) -> None:
    # The session store was built by the Ingestor, which saves the snapshot at the end of a run.
    directory = cache_dir(config_for(store_copy))
    assert directory is not None and (directory / "CURRENT").is_file()
    store = _store(store_copy)
    index = LexicalCache(store).index()
    assert store.reads == []
    assert len(index) == store.count_chunks()
    assert _ranking(index) == _ranking(_fresh(store))
    assert index.idf("terugkeerrichtlijn") == pytest.approx(_fresh(store).idf("terugkeerrichtlijn"))


def test_deleting_a_report_rereads_nothing_and_drops_its_chunks(store_copy: Path) -> None:
    store = _store(store_copy)
    cache = LexicalCache(store)
    before = cache.index()
    victim = next(d for d in store.list_documents() if "jbz" in d.file.lower())
    victim_chunks = set(store.chunk_ids_of(victim.doc_id))
    assert victim_chunks & {cid for cid, _ in _ranking(before)}, "the query should hit the report"

    store.delete_document(victim.doc_id)
    after = cache.index()
    assert store.reads == []
    assert not victim_chunks & set(after.ids)
    assert _ranking(after) == _ranking(_fresh(store))


def test_a_write_through_another_store_object_is_seen_and_only_that_report_is_read(
    store_copy: Path, corpus: Path, e5
) -> None:
    from ingest.pipeline import Ingestor

    store = _store(store_copy)
    cache = LexicalCache(store)
    cache.index()
    victim = store.list_documents()[0]
    store.delete_document(victim.doc_id)
    cache.index()

    # Another writer (a second Store, as the ingest CLI would be) re-adds the report.
    other = Store(config_for(store_copy))
    Ingestor(other, e5, config_for(store_copy)).run([corpus / victim.file])
    store.reads.clear()
    index = cache.index()
    readded = next(d for d in store.list_documents() if d.file == victim.file)
    assert store.reads == [readded.doc_id]
    assert set(store.chunk_ids_of(readded.doc_id)) <= set(index.ids)
    assert _ranking(index) == _ranking(_fresh(store))


def test_a_damaged_snapshot_is_rebuilt_with_a_warning(
    store_copy: Path, caplog: pytest.LogCaptureFixture
) -> None:
    directory = cache_dir(config_for(store_copy))
    assert directory is not None
    current = directory / (directory / "CURRENT").read_text().strip()
    (current / "postings.npz").write_bytes(b"not a numpy archive")
    store = _store(store_copy)
    with caplog.at_level(logging.WARNING, logger="rag.core.lexical_cache"):
        index = LexicalCache(store).index()
    assert "unreadable" in caplog.text and "rebuilding" in caplog.text
    assert store.reads  # it had to read the chunks again
    assert _ranking(index) == _ranking(_fresh(store))
    # ... and saved a good snapshot for the next process.
    store.reads.clear()
    LexicalCache(store).index()
    assert store.reads == []


def test_chunks_without_a_report_record_are_found_by_neither_search(
    store_copy: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A chunk's text is read from its report's record; chunks left without one (no write of
    this code does that) are searched neither lexically nor densely, and the log says so."""
    store = _store(store_copy)
    rec = store.list_documents()[0]
    store._docs.delete(ids=[rec.doc_id])
    orphans = set(store.chunk_ids_of(rec.doc_id))
    with caplog.at_level(logging.ERROR, logger="rag.core.store"):
        index = LexicalCache(store).index()
    assert "*" in store.reads and orphans and not orphans & set(index.ids)
    assert "belongs to no stored report" in caplog.text
    vectors = store._chunks.get(ids=sorted(orphans)[:1], include=["embeddings"])["embeddings"]
    nearest = store.query(np.asarray(vectors[0]), 5)
    assert nearest and not orphans & {c.id for c, _ in nearest}


def test_an_unwritable_cache_location_logs_once_and_still_answers(
    store_copy: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # A file where the cache directory should be: saving fails (even for root).
    directory = cache_dir(config_for(store_copy))
    assert directory is not None
    lexical = directory.parent
    shutil.rmtree(lexical)
    lexical.write_text("in the way")
    store = _store(store_copy)
    with caplog.at_level(logging.WARNING, logger="rag.core.lexical_cache"):
        cache = LexicalCache(store)
        index = cache.index()
        store.delete_document(store.list_documents()[0].doc_id)
        index = cache.index()
    assert caplog.text.count("Make RAG_STORE writable") == 1
    assert lexical.read_text() == "in the way"
    assert _ranking(index) == _ranking(_fresh(store))


def test_against_a_chroma_server_the_snapshot_is_kept_per_server_and_sees_other_writers(
    tmp_path: Path, chroma_server: str, e5, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ingest.pipeline import Ingestor
    from tests.conftest import JBZ, SGD

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    config = config_for(tmp_path / "unused", chroma_url=chroma_server, RAG_COLLECTION="lexsrv")
    Ingestor(Store(config), e5, config).run([JBZ])
    directory = cache_dir(config)
    assert directory is not None and directory.is_relative_to(tmp_path / "cache")
    assert directory.name.startswith("127.0.0.1_") and directory.name.endswith("_lexsrv")
    assert (directory / "CURRENT").is_file()
    assert not (tmp_path / "unused").exists()  # the server holds the data; RAG_STORE stays unused

    store = CountingStore(config)
    store.reads = []
    cache = LexicalCache(store)
    assert len(cache.index()) == store.count_chunks() and store.reads == []

    letter = sorted(SGD.glob("*.txt"))[0]
    Ingestor(Store(config), e5, config).run([letter])  # another client writes
    index = cache.index()
    added = next(d for d in store.list_documents() if d.file.endswith(letter.name))
    assert store.reads == [added.doc_id]
    assert set(store.chunk_ids_of(added.doc_id)) <= set(index.ids)
