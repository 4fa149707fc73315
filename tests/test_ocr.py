"""OCR of PDFs without a text layer (issue 12, item 2), with the real ocrmypdf and tesseract.

The scans are made here: fpdf2 writes a text page, pypdfium2 renders it to a 300 dpi image, and
fpdf2 wraps that image alone in a new PDF, so pypdf finds no text in it, as in an old scan.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from ingest.ocr import missing_tools
from ingest.parse import parse_file
from ingest.pipeline import Ingestor
from rag.answer.assistant import Assistant
from rag.answer.extractive import compose
from rag.answer.question import parse_question
from rag.answer.scoring import ScoredSentence
from rag.core.models import Chunk, Hit
from rag.core.store import Store
from tests.conftest import config_for
from tests.ingest_helpers import cli_env, run_ingest, status_of

PAGE_1 = (
    "Verslag van de Raad Justitie en Binnenlandse Zaken van 14 december 2020\n\n"
    "1. Opening\n\n"
    "De voorzitter opende de vergadering en heette de ministers welkom. De agenda werd "
    "zonder wijzigingen vastgesteld."
)
PAGE_2 = (
    "2. Terugkeerrichtlijn\n\n"
    "De Raad besprak de herziening van de terugkeerrichtlijn. Nederland benadrukte dat "
    "snellere terugkeer van uitgeprocedeerde asielzoekers nodig is om het draagvlak voor "
    "opvang te behouden. De Commissie zegde toe voor de zomer met een voortgangsrapport te komen."
)


def build_scan(path: Path, pages: list[str], scale: float = 300 / 72) -> Path:
    """A PDF whose pages are images of text pages: no text layer at all."""
    import pypdfium2 as pdfium
    from fpdf import FPDF

    text_pdf = FPDF()
    text_pdf.set_font("Helvetica", size=12)
    for body in pages:
        text_pdf.add_page()
        text_pdf.multi_cell(0, 6, body)
    source = path.with_suffix(".text.pdf")
    text_pdf.output(str(source))
    scan = FPDF(unit="pt", format=(595.28, 841.89))
    scan.set_auto_page_break(False)
    rendered = pdfium.PdfDocument(str(source))
    for i in range(len(rendered)):
        image = rendered[i].render(scale=scale).to_pil().convert("L")
        png = path.with_name(f"{path.stem}-{i}.png")
        image.save(png)
        scan.add_page()
        scan.image(str(png), 0, 0, 595.28, 841.89)
        png.unlink()
    rendered.close()
    source.unlink()
    scan.output(str(path))
    return path


def test_tools_are_installed() -> None:
    assert missing_tools() == ""  # make test installs them; OCR must not be skipped silently


def test_scanned_pdf_is_ocrd_with_pages_and_confidence(tmp_path: Path) -> None:
    from pypdf import PdfReader

    from ingest.ocr import OcrSettings

    scan = build_scan(tmp_path / "scan.pdf", [PAGE_1, PAGE_2])
    assert all(not (p.extract_text() or "").strip() for p in PdfReader(scan).pages)
    settings = OcrSettings(True, tmp_path / "cache")
    t0 = time.perf_counter()
    raw = parse_file(scan, ocr=settings)
    seconds = time.perf_counter() - t0
    assert [p.number for p in raw.pages] == [1, 2]
    assert "Justitie en Binnenlandse Zaken van 14 december 2020" in raw.pages[0].text
    assert "terugkeerrichtlijn" in raw.pages[1].text and "Nederland benadrukte" in raw.pages[1].text
    assert "terugkeerrichtlijn" not in raw.pages[0].text
    for page in raw.pages:
        assert page.ocr_confidence is not None and 0.85 <= page.ocr_confidence <= 1.0

    # The result is cached by content hash: the second read does not OCR again.
    (entry,) = (tmp_path / "cache").glob("*.json")
    assert set(json.loads(entry.read_text())) == {"1", "2"}
    t0 = time.perf_counter()
    again = parse_file(scan, ocr=settings)
    assert time.perf_counter() - t0 < seconds / 5
    assert again == raw


def test_ocr_off_keeps_the_clear_refusal(tmp_path: Path) -> None:
    import pytest

    from ingest.ocr import OcrSettings
    from rag.core.errors import IngestError

    scan = build_scan(tmp_path / "scan.pdf", [PAGE_1])
    with pytest.raises(IngestError) as err:
        parse_file(scan, ocr=OcrSettings(False, tmp_path / "cache"))
    assert "no text layer" in str(err.value) and "RAG_OCR=on" in str(err.value)


def test_without_tesseract_the_refusal_names_the_packages(tmp_path: Path) -> None:
    scan = build_scan(tmp_path / "scan.pdf", [PAGE_1])
    env = cli_env(tmp_path / "store", RAG_OCR_CACHE=str(tmp_path / "cache"), PATH="/nonexistent")
    proc = run_ingest(scan, env=env)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert status_of(proc.stdout, scan) == "failed"
    line = next(ln for ln in proc.stdout.splitlines() if str(scan) in ln)
    assert "no text layer" in line and "tesseract-ocr" in line and "apt-get install" in line


def test_scanned_report_is_answerable_with_its_page_and_confidence(tmp_path: Path, e5) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "in").mkdir()
    scan = build_scan(tmp_path / "in" / "scan.pdf", [PAGE_1, PAGE_2])
    config = config_for(tmp_path / "store", RAG_OCR_CACHE=str(tmp_path / "cache"))
    store = Store(config)
    report = Ingestor(store, e5, config).run([scan])
    assert [r.status.value for r in report.results] == ["new"], report.results
    (record,) = store.list_documents()
    assert record.meta.formation == "JBZ-Raad" and record.meta.meeting_dates == ("2020-12-14",)
    assert [p for p, _ in record.ocr_confidence] == [1, 2]
    assert all(c >= 0.85 for _, c in record.ocr_confidence)
    chunks = store.all_chunks()
    assert chunks and all(c.ocr_confidence for c in chunks)

    answer = Assistant(config, embedder=e5).ask("Wat zei Nederland over de terugkeerrichtlijn?")
    assert not answer.abstained, answer.answer
    assert "snellere terugkeer" in answer.answer
    cited = answer.citations[0]
    assert cited.page == 2 and cited.file == str(scan)
    assert "OCR" not in answer.answer  # a clean scan reads well: no warning


def test_an_answer_quoting_a_low_confidence_page_says_so() -> None:
    chunk = Chunk(
        id="c",
        doc_id="d",
        text="Nederland steunde het voorstel.",
        section="2. Terugkeer",
        pages=(4,),
        char_start=0,
        char_end=31,
        index=0,
        ocr_confidence=((4, 0.62),),
    )
    sentence = ScoredSentence(0, 0, 31, 4, 1.0, chunk.text)
    for lang, words in (
        ("nl", "OCR-tekst, betrouwbaarheid 62%"),
        ("en", "OCR text, confidence 62%"),
    ):
        question = "Wat zei Nederland?" if lang == "nl" else "What did the Netherlands say?"
        parsed = parse_question(question)
        assert parsed.lang == lang
        text, _ = compose(parsed, [Hit(chunk, 1.0)], [sentence], 1, False)
        assert words in text and "p. 4" in text
        good = Hit(Chunk(**{**chunk.__dict__, "ocr_confidence": ((4, 0.93),)}), 1.0)
        text, _ = compose(parsed, [good], [sentence], 1, False)
        assert "OCR" not in text
