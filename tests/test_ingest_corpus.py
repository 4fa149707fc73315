"""Ingesting the real sample corpus (../shared/corpus) with the real e5 model into real Chroma.

The store is built once per session (`corpus_store_dir`); these tests read it through the CLI
(`python -m ingest --list [--json]`, as a user would) and through the Store API, and must agree.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from ingest.sections import find_sections
from rag.core.models import DocumentRecord
from rag.core.store import Store
from tests.conftest import JBZ, config_for
from tests.ingest_helpers import assert_consistent, letter, run_ingest

pytestmark = pytest.mark.slow

AGENDA = (
    "1. Verordening ter voorkoming van de verspreiding van online terroristische inhoud",
    "2. Raadsconclusies inzake interne veiligheid en het Europees Politiepartnerschap",
    "3. Implementatie van interoperabiliteit",
    "4. Nieuw Migratie- en Asielpact",
    "5. Samenwerking met partners m.b.t. effectieve terugkeer en migratiemanagement",
    "6. Werkprogramma inkomend voorzitterschap",
)

# file prefix -> (formation, meeting dates, letter date, kamerstuk), read off each letter by hand.
LETTERS = {
    "1992-04-10_kst-21501-17-17": (
        "Landbouw- en Visserijraad",  # "Visserijraad", canonical name of today
        ["1992-04-03"],  # "op 3 april jl." in a letter of 10 april 1992
        "1992-04-10",
        "21 501-17, nr. 17",
    ),
    "1989-11-29_kst-21300-XII-19": (
        "Raad Vervoer, Telecommunicatie en Energie",  # sent by the Minister of Verkeer en Waterstaat
        ["1989-12-04", "1989-12-05"],  # "te houden op 4 en 5 december 1989"
        "1989-11-29",
        "21 300 XII, nr. 19",
    ),
    "1991-10-24_kst-21501-22-1": ("JBZ-Raad", ["1991-11-13"], "1991-10-24", "21 501-22, nr. 1"),
    "1988-11-16_kst-20800-XI-59": (
        "Milieuraad",
        ["1988-11-24"],
        "1988-11-16",
        "20 800 XI, nr. 59",  # printed "20 800 hfdst. XI, nr. 59"
    ),
    "1993-03-29_kst-21501-02-85": (
        "Algemene Raad",
        ["1993-04-05", "1993-04-06"],  # "d.d. 5/6 april 1993"
        "1993-03-29",
        "21 501-02, nr. 85",
    ),
    "1994-06-16_kst-21501-18-32": (
        "Raad Werkgelegenheid, Sociaal Beleid, Volksgezondheid en Consumentenzaken",
        ["1994-06-22"],  # "op 22 juni a.s." in a letter of "16juni 1994"
        "1994-06-16",
        "21 501-18, nr. 32",
    ),
}


@pytest.fixture(scope="module")
def listed_json(corpus_store_dir: Path) -> list[dict]:
    proc = run_ingest("--list", "--json", store=corpus_store_dir)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


@pytest.fixture(scope="module")
def listed_text(corpus_store_dir: Path) -> str:
    proc = run_ingest("--list", store=corpus_store_dir)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


@pytest.fixture(scope="module")
def store(corpus_store_dir: Path) -> Store:
    return Store(config_for(corpus_store_dir))


def _by_file(docs: list[dict], path: Path) -> dict:
    (doc,) = [d for d in docs if d["file"] == str(path.resolve())]
    return doc


def _as_json(rec: DocumentRecord) -> dict:
    """What `--list --json` prints for a record (tuples become lists)."""
    return json.loads(json.dumps(rec.to_json()))


def _record(store: Store, path: Path) -> DocumentRecord:
    (rec,) = [r for r in store.list_documents() if r.file == str(path.resolve())]
    return rec


def test_every_corpus_file_is_listed_once_and_the_store_is_consistent(
    corpus: Path, listed_json: list[dict], store: Store
) -> None:
    # the reports are the .txt files; SOURCES.md describes the folder and is not one of them
    files = sorted(str(p.resolve()) for p in corpus.rglob("*.txt"))
    assert len(files) == 29
    assert sorted(d["file"] for d in listed_json) == files
    records = assert_consistent(store)
    assert [_as_json(r) for r in records] == listed_json


def test_jbz_2020_metadata_via_cli_json_and_store(listed_json: list[dict], store: Store) -> None:
    doc = _by_file(listed_json, JBZ)
    rec = _record(store, JBZ)
    assert doc == _as_json(rec)
    meta = doc["meta"]
    assert meta["formation"] == "JBZ-Raad"
    assert meta["formation_en"] == "Justice and Home Affairs Council"
    assert meta["meeting_dates"] == ["2020-12-14"]
    assert meta["doc_type"] == "verslag"
    assert meta["title"].startswith("Verslag van de informele bijeenkomst van de Raad van Justitie")
    assert doc["pages"] == 5
    assert doc["complete"] is True
    # the six agenda items are sections, in the order of the report
    positions = [doc["sections"].index(item) for item in AGENDA]
    assert positions == sorted(positions)


def test_jbz_2020_chunks_never_cross_an_agenda_item(store: Store) -> None:
    rec = _record(store, JBZ)
    got = store.get_document(rec.doc_id)
    assert got is not None
    text = got[1]
    sections = find_sections(text)
    chunks = store.all_chunks(where={"document_id": rec.doc_id})
    assert len(chunks) == rec.chunks > len(AGENDA)
    for c in chunks:
        assert text[c.char_start : c.char_end] == c.text  # offsets point into the stored text
        inside = [s for s in sections if s.start <= c.char_start and c.char_end <= s.end]
        assert len(inside) == 1, (c.index, c.text[:60])
        assert c.section == inside[0].title
        assert c.pages and set(c.pages) <= set(range(1, rec.pages + 1))
        assert c.meta.formation == "JBZ-Raad" and c.meta.meeting_dates == ("2020-12-14",)
    with_chunks = {c.section for c in chunks}
    assert set(AGENDA) <= with_chunks
    assert set(rec.sections) == with_chunks


@pytest.mark.parametrize("prefix", sorted(LETTERS))
def test_1990s_letter_metadata_via_cli_json_and_store(
    prefix: str, listed_json: list[dict], store: Store
) -> None:
    formation, meeting_dates, letter_date, kamerstuk = LETTERS[prefix]
    doc = _by_file(listed_json, letter(prefix))
    meta = doc["meta"]
    assert (meta["formation"], meta["meeting_dates"], meta["letter_date"], meta["kamerstuk"]) == (
        formation,
        meeting_dates,
        letter_date,
        kamerstuk,
    )
    assert doc["pages"] == 0  # OCR text of one page carries no printed page numbers
    rec = _record(store, letter(prefix))
    assert _as_json(rec) == doc
    # every chunk carries the report's metadata, so search can filter on it
    chunks = store.all_chunks(where={"document_id": rec.doc_id})
    assert len(chunks) == rec.chunks >= 1
    for c in chunks:
        assert c.meta.formation == formation
        assert list(c.meta.meeting_dates) == meeting_dates
        assert (c.meta.letter_date, c.meta.kamerstuk) == (letter_date, kamerstuk)
        assert c.pages == ()


def _block(listed_text: str, doc_id: str) -> list[str]:
    lines = listed_text.splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.startswith(f"{doc_id}  "))
    end = next(
        (i for i in range(start + 1, len(lines)) if not lines[i].startswith(" ")), len(lines)
    )
    return lines[start:end]


def test_list_text_shows_every_field(listed_text: str, listed_json: list[dict]) -> None:
    jbz = _by_file(listed_json, JBZ)
    block = _block(listed_text, jbz["doc_id"])
    assert block[0] == f"{jbz['doc_id']}  {jbz['meta']['title']}"
    assert block[1] == f"    file: {JBZ.resolve()}"
    assert block[2] == f"    format: TXT; added: {jbz['added_at']}"
    assert block[3] == (
        "    type: verslag; formation: JBZ-Raad / Justice and Home Affairs Council; "
        "meeting: 2020-12-14; letter: ?; kamerstuk: -"
    )
    assert block[4] == (
        f"    pages: 5; chunks: {jbz['chunks']}; sections: {len(jbz['sections'])}; "
        f"statements: {len(jbz['statements'])}"
    )
    said = {s["item"] for s in jbz["statements"]}
    assert [line.split("  (")[0] for line in block[5:]] == [f"      - {s}" for s in jbz["sections"]]
    for item in AGENDA:  # every agenda item records who said what, with its count
        (line,) = [ln for ln in block if ln.startswith(f"      - {item}")]
        assert item in said and line.endswith(" statements)")

    visserij = _by_file(listed_json, letter("1992-04-10_kst-21501-17-17"))
    block = _block(listed_text, visserij["doc_id"])
    assert "meeting: 1992-04-03; letter: 1992-04-10; kamerstuk: 21 501-17, nr. 17" in block[3]
    assert "formation: Landbouw- en Visserijraad / Agriculture and Fisheries Council" in block[3]
    assert "type: verslag;" in block[3]
    assert block[4].startswith(f"    pages: -; chunks: {visserij['chunks']}; sections: ")

    transport = _by_file(listed_json, letter("1989-11-29_kst-21300-XII-19"))
    block = _block(listed_text, transport["doc_id"])
    assert "meeting: 1989-12-04, 1989-12-05; letter: 1989-11-29;" in block[3]

    total = sum(d["chunks"] for d in listed_json)
    assert listed_text.splitlines()[-1] == f"{len(listed_json)} documents, {total} chunks."
    # one block per document, in the JSON's order
    heads = [ln.split()[0] for ln in listed_text.splitlines() if re.match(r"^[0-9a-f]{16}  ", ln)]
    assert heads == [d["doc_id"] for d in listed_json]
