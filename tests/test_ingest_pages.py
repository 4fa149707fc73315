"""PDF and DOCX reports built here (running header, page numbers, a footnote) keep their pages.

A phrase printed on page N must land in a chunk whose `pages` include N, and in a stored sentence
record whose page is N; the running header and the page numbers must never reach chunk text.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ingest.pipeline import Ingestor
from rag.core.embedders import Embedder
from rag.core.models import Chunk
from rag.core.store import Store
from tests.conftest import config_for
from tests.fixtures_build import build_docx, build_pdf
from tests.ingest_helpers import assert_consistent

HEADER = "Verslag Visserijraad 3 april 1992 | Ministerie van LNV"
FOOTNOTE = "1 Zie het rapport van de Commissie over de discards, Kamerstuk 21 501-17, nr. 15."
# (phrase, page it is printed on)
PHRASES = (
    ("communautaire zeedagenregeling als instrument", 1),
    ("melkquota met twee procent werden verlaagd", 2),
    ("structuurfondsen voor de visserijsector", 3),
)
PAGES = [
    [
        "Verslag van de Visserijraad en de Landbouwraad van 3 april 1992",
        "## 1. Visserijbeleid",
        "Nederland pleitte in de Raad voor een communautaire zeedagenregeling als instrument voor "
        "het beheer van de quota. De Commissie zegde toe dit voorstel nader te onderzoeken en in "
        "het najaar met een rapportage te komen over de uitvoerbaarheid ervan.",
        "De lidstaten wisselden van gedachten over het terugzetten van gevangen vis, waarbij de "
        "Commissie wees op de omvang van de discards in de Noordzee1.",
    ],
    [
        "## 2. Landbouwprijzen",
        "De Raad bereikte overeenstemming over het prijzenpakket voor het verkoopseizoen, waarbij "
        "de melkquota met twee procent werden verlaagd. Het Verenigd Koninkrijk stemde tegen het "
        "compromis van het voorzitterschap.",
        "De Minister benadrukte dat de kleine zuivelbedrijven in Nederland een overgangsregeling "
        "nodig hebben.",
    ],
    [
        "## 3. Diversen",
        "Onder dit punt besprak de Raad de verdeling van de structuurfondsen voor de "
        "visserijsector over de lidstaten. Een besluit volgt in juni.",
    ],
]


def _add_page_number_footer(path: Path) -> Path:
    """Word's "Pagina {PAGE}" footer (fixtures_build's DOCX builder writes no page numbers)."""
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document(str(path))
    paragraph = document.sections[0].footer.paragraphs[0]
    paragraph.text = "Pagina "
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)
    document.save(str(path))
    return path


def _ingest(path: Path, tmp_path: Path, e5: Embedder) -> tuple[Store, list[Chunk]]:
    config = config_for(tmp_path / "store")
    store = Store(config)
    report = Ingestor(store, e5, config).run([path])
    assert [r.status for r in report.results] == ["new"], report.results
    assert_consistent(store)
    return store, sorted(store.all_chunks(), key=lambda c: c.index)


def _check_pages(store: Store, chunks: list[Chunk]) -> None:
    sentences = store.get_sentences([c.id for c in chunks])
    for phrase, page in PHRASES:
        (chunk,) = [c for c in chunks if phrase in c.text]
        assert page in chunk.pages, (phrase, chunk.pages)
        spans = [s for s in sentences[chunk.id].spans if phrase in chunk.text[s[0] : s[1]]]
        assert len(spans) == 1, (phrase, sentences[chunk.id].spans)
        assert spans[0][2] == page, (phrase, spans[0])
    # each agenda item is a section, and no chunk mixes two of them
    assert {c.section for c in chunks} >= {"1. Visserijbeleid", "2. Landbouwprijzen", "3. Diversen"}
    for c in chunks:
        assert HEADER not in c.text and "Ministerie van LNV" not in c.text
        assert not re.search(r"Pagina\s+\d", c.text), c.text
        assert not re.search(r"(?m)^\s*\d+\s*$", c.text), c.text  # no bare page-number lines


def test_pdf_chunks_and_sentences_carry_their_printed_page(tmp_path: Path, e5: Embedder) -> None:
    pdf = build_pdf(tmp_path / "visserijraad.pdf", PAGES, header=HEADER, footnotes={1: FOOTNOTE})
    store, chunks = _ingest(pdf, tmp_path, e5)
    (rec,) = store.list_documents()
    assert rec.pages == 3
    _check_pages(store, chunks)
    # the footnote is kept once, as its own passage, not glued into the sentence it interrupts
    note = "Zie het rapport van de Commissie over de discards"
    assert sum(c.text.count(note) for c in chunks) == 1
    (noordzee,) = [c for c in chunks if "Noordzee" in c.text]
    sentences = store.get_sentences([noordzee.id])[noordzee.id].spans
    (sentence,) = [noordzee.text[a:b] for a, b, _ in sentences if "Noordzee" in noordzee.text[a:b]]
    assert note not in sentence


def test_docx_chunks_and_sentences_carry_their_page(tmp_path: Path, e5: Embedder) -> None:
    # The header and footer live in their own parts and the footnote in footnotes.xml, as Word
    # writes them.
    pages = [[t.replace("Noordzee1.", "Noordzee[1].") for t in page] for page in PAGES]
    note_text = FOOTNOTE.removeprefix("1 ")  # Word numbers the note itself
    path = build_docx(
        tmp_path / "visserijraad.docx", pages, header=HEADER, footnotes={1: note_text}
    )
    _add_page_number_footer(path)
    store, chunks = _ingest(path, tmp_path, e5)
    (rec,) = store.list_documents()
    assert rec.pages == 3
    _check_pages(store, chunks)
    # The footnote is read once, as its own passage after the paragraph that cites it, and the
    # reference stays in that paragraph as "[1]"; it is on the page of its reference.
    note = "Zie het rapport van de Commissie over de discards"
    assert sum(c.text.count(note) for c in chunks) == 1
    (noordzee,) = [c for c in chunks if "Noordzee" in c.text]
    assert "[1]" in noordzee.text and f"[1] {note}" in noordzee.text
    sentences = store.get_sentences([noordzee.id])[noordzee.id].spans
    (sentence,) = [noordzee.text[a:b] for a, b, _ in sentences if "Noordzee" in noordzee.text[a:b]]
    assert note not in sentence


@pytest.mark.parametrize("kind", ["pdf", "docx"])
def test_single_page_file_pages(tmp_path: Path, e5: Embedder, kind: str) -> None:
    """One printed page: every chunk is on page 1 (PDF); a DOCX without breaks has no pages."""
    paras = PAGES[0]
    if kind == "pdf":
        path = build_pdf(tmp_path / "kort.pdf", [paras], header=HEADER)
    else:
        path = build_docx(tmp_path / "kort.docx", [paras], header=HEADER)
    store, chunks = _ingest(path, tmp_path, e5)
    expected = (1,) if kind == "pdf" else ()
    assert chunks and all(c.pages == expected for c in chunks)
