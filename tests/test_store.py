"""The Chroma store layer, embedded and against a real `chroma run` server.

Hand-coded 3-d vectors make the ranking exact; the real model is tested elsewhere.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from rag.core.errors import StoreError
from rag.core.models import Chunk, DocumentRecord, ReportMeta, chunk_id
from rag.core.store import Store
from tests.conftest import config_for

META = ReportMeta(
    title="Verslag JBZ-Raad",
    doc_type="verslag",
    formation="JBZ-Raad",
    formation_en="Justice and Home Affairs Council",
    meeting_dates=("2020-12-14",),
    letter_date="2020-12-18",
)


def _text(doc_id: str, n: int) -> str:
    return "".join(f"Passage {i} van {doc_id}. " for i in range(n))


def _chunks(doc_id: str = "d1", n: int = 3, meta: ReportMeta = META) -> list[Chunk]:
    """The n sentences of `_text` as chunks, with ids as ingest makes them."""
    text, out, at = _text(doc_id, n), [], 0
    for i in range(n):
        end = text.index(". ", at) + 1
        out.append(
            Chunk(
                id=chunk_id(doc_id, i, text[at:end]),
                doc_id=doc_id,
                text=text[at:end],
                section=f"{i + 1}. Agendapunt",
                pages=(i + 1,),
                char_start=at,
                char_end=end,
                index=i,
                meta=meta,
                file=f"/reports/{doc_id}.pdf",
            )
        )
        at = end + 1
    return out


def _record(doc_id: str, n: int, meta: ReportMeta = META) -> DocumentRecord:
    return DocumentRecord(doc_id, f"/reports/{doc_id}.pdf", meta, n, n, ("1. Agendapunt",), "h")


def _add(store: Store, doc_id: str, n: int, meta: ReportMeta, vectors: np.ndarray) -> None:
    """A report as ingest writes it: its record and text first, then its chunks."""
    store.put_document(_record(doc_id, n, meta), _text(doc_id, n))
    store.add_chunks(_chunks(doc_id, n, meta), vectors)


def _fill(store: Store) -> None:
    store.check_embedder("test-3d", 3, claim=True)
    _add(store, "d1", 3, META, np.eye(3, dtype=np.float32))
    old = ReportMeta(formation="Visserijraad", meeting_dates=("1992-04-03",))
    _add(store, "d2", 1, old, np.array([[0.9, 0.1, 0.0]], dtype=np.float32))


@pytest.fixture(params=["embedded", "server"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Store:
    if request.param == "server":
        url = request.getfixturevalue("chroma_server")
        s = Store(config_for(chroma_url=url, RAG_COLLECTION=f"t{tmp_path.name[-20:]}"))
        s.reset()
        return s
    return Store(config_for(tmp_path / "store"))


def test_query_ranks_and_round_trips_metadata(store: Store) -> None:
    _fill(store)
    hits = store.query(np.array([0.0, 1.0, 0.3]), 2)
    written = _chunks()
    assert [c for c, _ in hits] == [written[1], written[2]]  # text, place, meta: all of it
    top = hits[0][0]
    assert top.text == "Passage 1 van d1." and top.meta == META and top.pages == (2,)
    assert hits[0][1] > hits[1][1]
    assert store.get_chunks([written[0].id]) == {written[0].id: written[0]}
    assert sorted(store.all_chunks(), key=lambda c: c.id) == sorted(
        [*written, *_chunks("d2", 1, store.get_document("d2")[0].meta)],
        key=lambda c: c.id,
    )


def test_chunks_read_their_text_from_the_report_and_drop_a_mismatch(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    """A chunk's text is its slice of the report's text; should that text change underneath
    (no write of this code does that), the chunk is left out instead of quoted wrongly, with
    an error that says the fix. Chunks written with their own text (older stores) keep it."""
    _fill(store)
    first = _chunks()[0]
    store.put_document(_record("d1", 3), _text("d1", 3).replace("Passage 0", "Passage X"))
    with caplog.at_level("ERROR"):
        assert first.id not in store.get_chunks([c.id for c in _chunks()])
    assert "re-ingest the report" in caplog.text
    store._chunks.upsert(
        ids=["old-1"],
        embeddings=[[0.0, 0.0, 1.0]],
        metadatas=[{"document_id": "d1", "title": "Oud", "char_start": 0, "char_end": 4}],
        documents=["Eigen tekst."],
    )
    old = store.get_chunks(["old-1"])["old-1"]
    assert old.text == "Eigen tekst." and old.meta == META


def test_metadata_filters_by_formation_and_date(store: Store) -> None:
    _fill(store)
    near_d2 = np.array([1.0, 0.0, 0.0])
    assert store.query(near_d2, 1)[0][0].doc_id in ("d1", "d2")
    only_1992 = store.query(near_d2, 5, where={"meeting_day": {"$lte": 19921231}})
    assert [c.doc_id for c, _ in only_1992] == ["d2"]
    jbz = store.query(near_d2, 5, where={"in_jbz_raad": True})
    assert {c.doc_id for c, _ in jbz} == {"d1"}


def test_adding_the_same_ids_twice_never_duplicates(store: Store) -> None:
    _fill(store)
    store.add_chunks(_chunks(), np.eye(3, dtype=np.float32))
    assert store.count_chunks() == 4
    assert sorted(store.chunk_ids_of("d1")) == sorted(c.id for c in _chunks())


def test_documents_round_trip_and_delete_with_their_chunks(store: Store) -> None:
    _fill(store)
    rec = DocumentRecord("d1", "/reports/d1.pdf", META, 3, 3, ("1. Agendapunt",), "abc", ("/b",))
    store.put_document(rec, _text("d1", 3))
    assert [r.doc_id for r in store.list_documents()] == ["d2", "d1"]
    assert store.get_document("d1") == (rec, _text("d1", 3))
    assert store.delete_document("d1") == 3
    assert [r.doc_id for r in store.list_documents()] == ["d2"] and store.count_chunks() == 1


def test_counts_are_read_once_per_generation_and_follow_every_write(store: Store) -> None:
    """A question reads the counts from the generation last seen (no count per call); a write
    here, or by another client of the same store, is counted at the next `sync`."""
    assert store.is_empty()
    _fill(store)
    assert not store.is_empty() and store.sync().startswith("4:2:")
    other = Store(store.config)  # another process's view of the same store
    _add(other, "d3", 2, META, np.eye(3, dtype=np.float32)[:2])
    assert store.sync().startswith("6:3:")
    assert store.delete_document("d1") == 3
    assert store.sync().startswith("3:2:") and other.sync().startswith("3:2:")


def test_vectors_of_another_model_are_refused(store: Store) -> None:
    _fill(store)
    with pytest.raises(StoreError, match="built with embedder test-3d.*RAG_EMBEDDER=test-3d"):
        store.check_embedder("e5-small", 384)


def test_chroma_default_embedding_function_never_runs(store: Store) -> None:
    _fill(store)
    with pytest.raises(StoreError, match="default model"):
        store._chunks.query(query_texts=["terugkeer"], n_results=1)
    with pytest.raises(StoreError, match="default model"):
        store._chunks.add(ids=["x"], documents=["zonder vector"])


def test_unreachable_server_is_one_clear_error() -> None:
    from tests.conftest import free_port

    with pytest.raises(StoreError, match="Cannot reach the Chroma server.*chroma run"):
        Store(config_for(chroma_url=f"http://127.0.0.1:{free_port()}"))


@pytest.mark.parametrize(("exact_max", "overfetch_max"), [(1, 4000), (1, 10), (1500, 4000)])
def test_query_within_known_ids_matches_chromas_filter(
    store: Store, monkeypatch: pytest.MonkeyPatch, exact_max: int, overfetch_max: int
) -> None:
    """Restricting to the admitted ids the caller knows finds what Chroma's metadata filter
    finds: ranked exactly when few are admitted, by over-fetching unfiltered when many are
    (`EXACT_MAX` lowered), and through Chroma's filter when the share is too small for that
    (`OVERFETCH_MAX` lowered too)."""
    import rag.core.nearest as nearest

    monkeypatch.setattr(nearest, "EXACT_MAX", exact_max)
    monkeypatch.setattr(nearest, "OVERFETCH_MAX", overfetch_max)
    rng = np.random.default_rng(7)
    store.check_embedder("test-8d", 8, claim=True)
    old = ReportMeta(formation="Visserijraad", meeting_dates=("1992-04-03",))
    for doc, n, meta in (("big", 54, META), ("small", 6, old)):
        _add(store, doc, n, meta, rng.standard_normal((n, 8)).astype(np.float32))
    where = {"meeting_day": {"$lte": 19921231}}
    within = {c.id for c in _chunks("small", 6, old)}
    for _ in range(5):
        v = rng.standard_normal(8).astype(np.float32)
        filtered = store.query(v, 4, where=where)
        known = store.query(v, 4, where=where, within=within)
        assert [c.id for c, _ in known] == [c.id for c, _ in filtered] and len(known) == 4
        assert np.allclose([s for _, s in known], [s for _, s in filtered], atol=1e-5)
