"""Sentences as first-class Chroma records: vectors as embeddings, structure as metadata, dense
search over sentences, and the move of a store of the older one-record-per-chunk layout."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import numpy as np
import pytest

from ingest.pipeline import Ingestor
from rag.core.config import Config
from rag.core.sentence_records import LEGACY_SUFFIX, SUFFIX
from rag.core.store import Store, _RefuseToEmbed
from tests.conftest import config_for

ECOFIN = Path(__file__).parent / "fixtures" / "reports" / "verslag-ecofin-2022-11-08.txt"


@pytest.fixture(scope="module")
def ecofin(tmp_path_factory: pytest.TempPathFactory, e5) -> tuple[Config, Store]:
    config = config_for(tmp_path_factory.mktemp("sent") / "store")
    store = Store(config)
    report = Ingestor(store, e5, config).run([ECOFIN])
    assert [r.status for r in report.results] == ["new"]
    return config, store


def _sentences(store: Store) -> list[tuple[str, str, object]]:
    """(chunk id, sentence text, facts) of every stored sentence, in report order."""
    chunks = sorted(store.all_chunks(), key=lambda c: c.char_start)
    records = store.get_sentences([c.id for c in chunks])
    return [
        (c.id, c.text[a:b], records[c.id].fact(i))
        for c in chunks
        for i, (a, b, _) in enumerate(records[c.id].spans)
    ]


def test_one_record_per_sentence_with_roles_stance_and_item(ecofin) -> None:
    _, store = ecofin
    rows = _sentences(store)
    assert store.count_sentences() == len(rows) > 20
    by_text = {" ".join(t.split()): f for _, t, f in rows}
    included = by_text[
        "Enkele lidstaten, waaronder Nederland, benadrukten het belang van gelijke behandeling van "
        "lidstaten, van een voldoende snelle en realistische schuldreductie en van een "
        "effectievere handhaving."
    ]
    assert included.role("nl") == 2
    assert "Economic governance" in included.item or "economisch bestuur" in included.item.lower()
    hungary = next(f for t, f in by_text.items() if t.startswith("Hongarije gaf aan de richtlijn"))
    assert hungary.role("hungary") == 2 and hungary.stance == "opposes"
    mentioned = next(f for t, f in by_text.items() if t.startswith("De lidstaten onderschreven"))
    assert mentioned.role("commission") == 1  # "de analyse van de Commissie": mentioned only


def test_reading_by_chunk_gives_the_same_sentences_as_by_id(ecofin) -> None:
    """Chunks carry their sentence count, so their sentences are read by id (fast); ids alone
    go through the metadata filter. Both give the same records."""
    _, store = ecofin
    chunks = store.all_chunks()
    by_chunk = store.get_sentences(chunks)
    by_id = store.get_sentences([c.id for c in chunks])
    assert set(by_chunk) == set(by_id) == {c.id for c in chunks}
    for cid, rec in by_id.items():
        assert by_chunk[cid].spans == rec.spans and by_chunk[cid].facts == rec.facts
        assert np.array_equal(by_chunk[cid].vectors, rec.vectors)


def test_dense_search_over_sentences_and_actor_filter(ecofin, e5) -> None:
    _, store = ecofin
    rows = _sentences(store)
    chunk_id, text, _ = next(r for r in rows if r[1].startswith("Nederland betreurde"))
    query = e5.embed_query("Wat betreurde Nederland over de unanimiteit?")
    hits = store.query_sentences(query, 3)
    assert hits[0].chunk_id == chunk_id
    assert store.get_chunks([chunk_id])[chunk_id].text[hits[0].span[0] : hits[0].span[1]] == text
    assert 0.5 < hits[0].score <= 1.0 and hits[0].score >= hits[1].score
    only_nl = store.query_sentences(query, 50, where={"r_nl": 2})
    texts = {
        store.get_chunks([h.chunk_id])[h.chunk_id].text[h.span[0] : h.span[1]] for h in only_nl
    }
    dutch = re.compile(r"\b(?:Nederland|Nederlandse|ik)\b")  # the minister writes "ik"
    assert len(texts) >= 4 and all(dutch.search(t) for t in texts), texts
    assert all(h.facts.role("nl") == 2 for h in only_nl)


def test_deleting_a_report_deletes_its_sentences(ecofin, tmp_path: Path, e5) -> None:
    config = config_for(tmp_path / "store")
    store = Store(config)
    Ingestor(store, e5, config).run([ECOFIN])
    assert store.count_sentences() > 0
    store.delete_document(store.list_documents()[0].doc_id)
    assert store.count_sentences() == 0


def test_store_of_the_older_layout_moves_over_keeping_vectors(ecofin, tmp_path: Path) -> None:
    """Rewrite a fresh store into the old layout (one record per chunk, float16 base64 in the
    document), reopen it, and find every sentence back with its vector and its speakers."""
    import shutil

    config, store = ecofin
    path = tmp_path / "old"
    shutil.copytree(config.store, path)
    old_config = config.with_(store=str(path))
    copy = Store(old_config)
    chunk_ids = [c.id for c in copy.all_chunks()]
    before = copy.get_sentences(chunk_ids)
    legacy = copy.client.get_or_create_collection(
        f"{old_config.collection}{LEGACY_SUFFIX}", embedding_function=_RefuseToEmbed()
    )
    for cid, rec in before.items():
        raw = base64.b64encode(rec.vectors.astype(np.float16).tobytes()).decode()
        doc = json.dumps({"s": [list(s) for s in rec.spans], "d": rec.vectors.shape[1], "v": raw})
        legacy.add(ids=[cid], embeddings=[[1.0]], documents=[doc])
    copy.client.delete_collection(f"{old_config.collection}{SUFFIX}")
    del copy

    reopened = Store(old_config)
    names = {c if isinstance(c, str) else c.name for c in reopened.client.list_collections()}
    assert f"{old_config.collection}{LEGACY_SUFFIX}" not in names
    after = reopened.get_sentences(chunk_ids)
    assert set(after) == set(before)
    for cid, rec in before.items():
        assert after[cid].spans == rec.spans
        assert np.allclose(after[cid].vectors, rec.vectors, atol=2e-3)
        # statements (what the old layout kept) cover agenda items, not the introduction
        for old, new in zip(rec.facts, after[cid].facts):
            if old.item:
                assert (new.role("nl"), new.item) == (
                    old.role("nl") if old.role("nl") == 2 else 0,
                    old.item if new.roles else "",
                )
