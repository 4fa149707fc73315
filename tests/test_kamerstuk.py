"""Reports as Kamerstukken (issue 12, item 1): masthead, odd/even headers, page breaks, footnotes.

The PDF and DOCX are built here in the layout of a published Kamerstuk (`tests.kamerstuk_build`):
"Nr. 653 BRIEF VAN DE MINISTER ..." on one masthead line, "Vergaderjaar 2020–2021" with an en
dash, a cover letter of 18 December sending the report of the JBZ Council of 14 December, running
headers that differ between odd and even pages, sentences cut by page breaks, a footnote under a
rule. Everything goes through the real parser, clean-up, metadata reader and chunker.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ingest.metadata import extract_metadata
from ingest.pipeline import PreparedDocument, prepare
from rag.core.config import Config
from tests.kamerstuk_build import (
    _ITEMS,
    DEFAULT_DOCX_HEADER,
    EVEN_DOCX_HEADER,
    KEY_SENTENCE,
    ODD_HEADER,
    REPORT_TITLE,
    build_kamerstuk_docx,
    build_kamerstuk_pdf,
    report_paragraphs,
)

CONFIG = Config.from_env({"RAG_OCR": "off"})


def _prepared(path: Path) -> PreparedDocument:
    return prepare(path, path.read_bytes(), "kst", CONFIG)


@pytest.fixture(scope="module")
def kst_pdf(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, PreparedDocument]:
    path = build_kamerstuk_pdf(tmp_path_factory.mktemp("kst") / "kamerstuk.pdf")
    return path, _prepared(path)


@pytest.fixture(scope="module")
def kst_docx(tmp_path_factory: pytest.TempPathFactory) -> PreparedDocument:
    return _prepared(build_kamerstuk_docx(tmp_path_factory.mktemp("kst") / "kamerstuk.docx"))


def _squash(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("kind", ["pdf", "docx"])
def test_masthead_letter_and_report_metadata(kind: str, kst_pdf, kst_docx) -> None:  # type: ignore[no-untyped-def]
    meta = (kst_pdf[1] if kind == "pdf" else kst_docx).record.meta
    assert meta.title == REPORT_TITLE  # from the report itself, not "Tweede Kamer der ... 2"
    assert meta.doc_type == "verslag"
    assert meta.formation == "JBZ-Raad"
    assert meta.letter_date == "2020-12-18"
    assert meta.meeting_dates == ("2020-12-14",)  # the letter's date is not a meeting date
    assert meta.kamerstuk == "32 317, nr. 653"


def test_no_running_header_or_footer_in_any_chunk(kst_pdf) -> None:  # type: ignore[no-untyped-def]
    path, doc = kst_pdf
    from pypdf import PdfReader

    raw = [p.extract_text() for p in PdfReader(path).pages]
    assert len(raw) >= 5
    # The odd and even headers each repeat on fewer than half of the pages...
    even = sum(bool(re.match(r"\d+ Tweede Kamer, vergaderjaar 2020–2021", t)) for t in raw)
    odd = sum(t.startswith(ODD_HEADER) for t in raw)
    assert 2 <= even < len(raw) / 2 and 2 <= odd < len(raw) / 2
    # ...and still none of them, nor the page footers, is left in any chunk.
    for chunk in doc.chunks:
        assert "vergaderjaar 2020–2021, 32 317" not in chunk.text, chunk.text
        assert ODD_HEADER not in chunk.text, chunk.text
        assert not re.search(r"Pagina \d+ van", chunk.text), chunk.text
        assert "ISSN" not in chunk.text


def test_sentences_cut_by_a_page_break_are_whole_with_both_pages(kst_pdf) -> None:  # type: ignore[no-untyped-def]
    path, doc = kst_pdf
    from pypdf import PdfReader

    raw = [_squash(p.extract_text()) for p in PdfReader(path).pages]
    split = []
    sentences = [
        _squash(s)
        for para in report_paragraphs()
        for s in re.split(r"(?<=\.) (?=[A-Z])", re.sub(r"\[(\d)\]", r"\1", para))
        if not para.startswith("## ") and len(s.split()) > 20  # long: a break falls inside
    ]
    for sentence in sorted(s for s in set(sentences) if sentences.count(s) == 1):
        head = sentence[:40]  # the actor and topic: unique
        for first, t in enumerate(raw, 1):
            if head in t and sentence not in t:  # begins on this page, ends on the next
                split.append((sentence, first))
    assert split, "the layout should cut at least one sentence over a page break"
    text = doc.text.replace("\n", " ")
    for sentence, page in split:
        # Whole again (no header, footer or footnote inside), in one chunk, on both pages.
        chunk = next((c for c in doc.chunks if sentence in _squash(c.text)), None)
        assert chunk is not None, sentence
        assert page in chunk.pages and page + 1 in chunk.pages
        # The page of each part is kept: the sentence starts on one page and ends on the next.
        for at in (m.start() for m in re.finditer(re.escape(sentence[:40]), text)):
            if text[at : at + len(sentence)] == sentence:
                end = at + len(sentence)
                assert doc.pages_for(at, at + 1) == (page,)
                assert doc.pages_for(end - 1, end) == (page + 1,)
                break
        else:
            pytest.fail(f"not found verbatim: {sentence}")


def test_footnote_keeps_its_page_and_stays_with_the_citing_sentence(kst_pdf) -> None:  # type: ignore[no-untyped-def]
    path, doc = kst_pdf
    from pypdf import PdfReader

    printed = next(
        i
        for i, p in enumerate(PdfReader(path).pages, 1)
        if "1 Kamerstuk 32 317, nr. 640" in p.extract_text()
    )
    note = doc.text.index("[1] Kamerstuk 32 317, nr. 640")
    assert doc.pages_for(note, note + 10) == (printed,)
    (chunk,) = [c for c in doc.chunks if "[1] Kamerstuk" in c.text]
    assert "Europol[1]" in chunk.text  # the citing sentence and its note in one passage
    assert not chunk.text.startswith("[1]")
    for c in doc.chunks:  # no passage opens with a note printed on another page
        assert not re.match(r"\[\d+\] ", c.text), c.text[:80]


def test_docx_odd_even_headers_and_page_break_inside_a_paragraph(kst_docx) -> None:  # type: ignore[no-untyped-def]
    doc = kst_docx
    for chunk in doc.chunks:
        assert EVEN_DOCX_HEADER not in chunk.text and DEFAULT_DOCX_HEADER not in chunk.text
    sentence = _squash(KEY_SENTENCE.format(actor="Nederland", topic=_ITEMS[0][1]))
    assert sentence in _squash(doc.text)  # no paragraph break where Word broke the page
    at = doc.text.index("Nederland benadrukte bij")
    end = doc.text.index("burgers leiden.", at)
    assert doc.pages_for(at, end) == (1, 2)
    note = doc.text.index("[1] Kamerstuk 32 317")
    assert "Europol[1]" in doc.text[:note]


@pytest.mark.parametrize("dash", ["-", "–", "—"])
def test_kamerstuk_number_with_any_dash_in_the_session(dash: str) -> None:
    text = (
        "Verslag van de Raad Justitie en Binnenlandse Zaken van 14 december 2020\n\n"
        "De Raad sprak over migratie.\n\n"
        f"Tweede Kamer, vergaderjaar 2020{dash}2021, 32 317, nr. 653 3"
    )
    assert extract_metadata(text).kamerstuk == "32 317, nr. 653"


def test_masthead_with_number_on_its_own_line() -> None:
    text = (
        "Tweede Kamer der Staten-Generaal 2\n\nVergaderjaar 2020–2021\n\n21 501-20 Europese Raad\n\n"
        "Nr. 1650\n\nBRIEF VAN DE MINISTER VAN BUITENLANDSE ZAKEN\n\n"
        "Aan de Voorzitter van de Tweede Kamer der Staten-Generaal\n\nDen Haag, 14 januari 2021\n\n"
        "Hierbij zend ik u het verslag van de Raad Algemene Zaken van 8 januari 2021.\n\n"
        "De Minister van Buitenlandse Zaken,\n\nS.A. Blok"
    )
    meta = extract_metadata(text)
    assert meta.kamerstuk == "21 501-20, nr. 1650"
    assert meta.letter_date == "2021-01-14" and meta.meeting_dates == ("2021-01-08",)
    assert meta.doc_type == "brief" and meta.title.startswith("Brief van de Minister van")
