"""A source's original at the cited page: PDF pages rendered with pypdfium2 and the cited sentence
marked, the cleaned text of a DOCX page with the sentence highlighted, and the kept original.

PDFs are the real jbz report laid out by tests.fixtures_build (which records the page of every
paragraph); the marks are checked on the rendered pixels. The DOCX goes through the real ingest
pipeline and the real e5 model into an embedded Chroma store.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from ingest import originals
from ingest.pipeline import Ingestor
from rag.answer.assistant import Assistant
from rag.core.store import Store
from rag.ui.original import PageImage, find_run, page_markdown, page_span, render_pdf_page
from rag.ui.uploads import delete_report
from tests import fixtures_build as fb
from tests.conftest import config_for


@pytest.fixture(scope="module")
def laid_out(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[fb.Placed]]:
    return fb.build_report_pdf_with_layout(tmp_path_factory.mktemp("pdf") / "jbz.pdf")


def _pixels(shown: PageImage) -> Image.Image:
    return Image.open(io.BytesIO(shown.png)).convert("RGB")


def _amber(rgb: tuple[int, int, int]) -> bool:
    """The highlight over white paper: red high, blue clearly lower."""
    r, g, b = rgb
    return r > 200 and b < 190 and r - b > 50


def _sentence(text: str) -> str:
    return text.split(". ")[0] + "."


def test_a_sentence_is_marked_on_its_page_line_by_line(laid_out) -> None:  # type: ignore[no-untyped-def]
    pdf, placed = laid_out
    para = next(p for p in placed if p.pages == (3,) and len(_sentence(p.text)) > 150)
    shown = render_pdf_page(pdf, 3, _sentence(para.text))
    assert (shown.page, shown.pages, shown.marked) == (3, 7, True)
    assert len(shown.boxes) >= 2  # a long sentence wraps: one box per line
    image = _pixels(shown)
    x0, y0, x1, y1 = shown.pixels(shown.boxes[0])
    inside = image.getpixel(((x0 + x1) // 2, y0 + 1))
    assert _amber(inside), inside
    # Above the first marked line (the paragraph before, or the heading) nothing is marked.
    above = [image.getpixel((x, y0 - 25)) for x in range(x0, x1, 7)]
    assert not any(_amber(px) for px in above)


def test_a_sentence_not_on_the_page_shows_the_page_unmarked(laid_out) -> None:  # type: ignore[no-untyped-def]
    pdf, _ = laid_out
    shown = render_pdf_page(pdf, 2, "Deze zin staat nergens in het verslag van de JBZ-Raad.")
    assert (shown.page, shown.marked) == (2, False)
    image = _pixels(shown)
    assert image.size == (round(595.28 * 1.5), round(841.89 * 1.5))  # A4 at 1.5x
    assert not any(_amber(image.getpixel((x, y))) for x in range(0, 890, 20) for y in (300, 900))


def test_a_sentence_cut_by_a_page_break_is_marked_on_both_pages(laid_out) -> None:  # type: ignore[no-untyped-def]
    pdf, placed = laid_out
    para = next(p for p in placed if len(p.pages) == 2)
    first, second = para.pages
    # The paragraph's last sentence: the one that runs on to the next page.
    tail = para.text[para.text.rstrip(".").rfind(". ") + 2 :]
    on_first = render_pdf_page(pdf, first, para.text)
    assert on_first.page == first and on_first.marked
    # The footnote under the page's text is not part of the mark.
    lowest = min(b.bottom for b in on_first.boxes)
    assert lowest > 100, lowest  # footnotes and the footer sit in the bottom ~100 points
    # Cited from the next page (a passage that starts there), the sentence's rest is marked.
    on_second = render_pdf_page(pdf, second, tail)
    assert on_second.page == second and on_second.marked
    assert max(b.top for b in on_second.boxes) > 700  # at the top of the page, under the header


def test_a_passage_page_before_the_sentence_shows_the_next_page(laid_out) -> None:  # type: ignore[no-untyped-def]
    pdf, placed = laid_out
    para = next(p for p in placed if p.pages == (5,) and len(p.text) > 100)
    shown = render_pdf_page(pdf, 4, _sentence(para.text))
    assert (shown.page, shown.marked) == (5, True)


def test_a_page_without_text_layer_renders_without_mark(tmp_path: Path) -> None:
    scan = fb.build_scanned_pdf(tmp_path / "scan.pdf")
    shown = render_pdf_page(scan, 9, "De Raad besprak het voorstel over de terugkeerrichtlijn.")
    assert (shown.page, shown.pages, shown.marked) == (2, 2, False)  # clamped to the last page
    assert shown.png.startswith(b"\x89PNG")


def test_find_run_refuses_a_short_or_absent_sentence() -> None:
    assert find_run("De Raad besprak het voorstel.", "Ja.") is None
    assert find_run("De Raad besprak het voorstel.", "De Commissie verwierp het voorstel.") is None


def test_page_span_covers_the_sentences_of_the_page() -> None:
    spans = [(0, 10, 1), (11, 30, 2), (31, 50, 2), (51, 60, 3)]
    assert page_span(spans, 2, 60) == (11, 50)
    assert page_span(spans, 4, 60) == (0, 60)  # unknown page: the whole text


def test_docx_page_text_with_the_sentence_highlighted_and_the_original_kept(
    tmp_path: Path,
    e5,  # type: ignore[no-untyped-def]
) -> None:
    hostile = "Een lidstaat citeerde <script>alert(1)</script> en [x](javascript:alert(1))."
    cited = "Nederland pleitte voor een verhoging van de kabeljauwquota met zeven procent."
    (tmp_path / "in").mkdir()
    docx = fb.build_docx(
        tmp_path / "in" / "visserij.docx",
        [
            ["## 1. Kabeljauwquota", "De Raad sprak over de kabeljauwquota in de Noordzee."],
            ["## 2. Diversen", cited + " " + hostile, "Er waren geen andere punten."],
        ],
        header=None,
    )
    config = config_for(tmp_path / "data" / "store", RAG_UPLOADS=str(tmp_path / "uploads"))
    store = Store(config)
    report = Ingestor(store, e5, config).run([docx])
    (result,) = report.results
    assert result.status == "new", result
    record = store.get_document(result.doc_id)[0]  # type: ignore[index]
    assert record.file_type == "DOCX" and record.pages == 2
    kept = Path(record.original)
    assert kept.parent == tmp_path / "data" / "originals" and kept.read_bytes() == docx.read_bytes()
    assert originals.find(record) == kept

    md = page_markdown(store, record.doc_id, 2, cited)
    assert ":orange-background[Nederland pleitte voor een verhoging" in md
    assert "Noordzee" not in md  # page 1 is not shown
    assert "\\<script\\>" in md and "<script>" not in md  # report text is escaped
    assert "\\[x\\]\\(javascript" in md
    whole = page_markdown(store, record.doc_id, None, cited)
    assert "Noordzee" in whole and "Diversen" in whole

    docx.unlink()  # the file it came from is gone: the kept copy still opens
    assert originals.find(record) == kept
    removed = delete_report(Assistant(config, store=store, embedder=e5), record.doc_id)
    assert removed == record.chunks and not kept.exists()
    assert page_markdown(store, record.doc_id, 2, cited) == ""


def test_the_mark_covers_the_sentence_and_nothing_else(tmp_path: Path) -> None:
    import pypdfium2 as pdfium

    cited = "Nederland pleitte voor een verhoging van de quota[1]."
    pdf = fb.build_pdf(
        tmp_path / "a.pdf",
        [["Eerste zin hier. Nederland pleitte voor een verhoging van de quota1. Daarna meer."]],
        footnotes={1: "1 Zie de brief van de minister."},
    )
    shown = render_pdf_page(pdf, 1, cited)
    (box,) = shown.boxes
    doc = pdfium.PdfDocument(str(pdf))
    try:
        textpage = doc[0].get_textpage()
        marked = textpage.get_text_bounded(box.left + 0.5, box.bottom, box.right - 0.5, box.top)
    finally:
        doc.close()
    assert marked.strip() == "Nederland pleitte voor een verhoging van de quota1."
