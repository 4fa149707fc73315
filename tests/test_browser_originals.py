"""The original one click away, duplicates across formats, deleted reports, the copy button:
in a real headless Chromium against `streamlit run app.py` (fixtures of tests.test_browser).

The app starts on an empty store; an editor uploads a PDF and a DOCX (two pages each, the cited
sentence on page 2) and the corpus report as .txt, then the same report as .docx, which is
reported as a duplicate and not stored. Questions about the PDF and the DOCX open their originals
at the cited page; the copy button puts the answer on the clipboard; deleting the PDF's report
marks the answer that cites it. Each step saves a screenshot under test-artifacts/browser/.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import fixtures_build as fb
from tests.test_browser import (
    ARTIFACTS,
    LOAD_TIMEOUT_MS,
    AppServer,
    ask,
    last_answer,
    open_page,
    shot,
    start_app,
    sync_api,
    wait_ready,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PDF_CITED = (
    "Nederland pleitte voor een verhoging van de kabeljauwquota in de Noordzee met zeven "
    "procent voor de kustvisserij."
)
DOCX_CITED = (
    "Nederland steunde het voorstel om de windparken op zee sneller te vergunnen, mits de "
    "scheepvaartroutes vrij blijven."
)


def _pages(title: str, topic: str, cited: str) -> list[list[str]]:
    filler = (
        "De Raad nam kennis van de stand van zaken en besprak de planning voor het komende "
        "halfjaar. Het voorzitterschap zal de besprekingen op ambtelijk niveau voortzetten."
    )
    return [
        [f"## {title}", "## 1. Opening", filler, filler, filler],
        [f"## 2. {topic}", f"De Commissie lichtte het voorstel over {topic.lower()} toe. "
         f"{cited} Andere lidstaten vroegen om meer tijd.", filler],
    ]  # fmt: skip


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("originals-in")
    pdf_pages = _pages("Verslag van de Visserijraad van 12 maart 2031", "Kabeljauwquota", PDF_CITED)
    docx_pages = _pages("Verslag van de Energieraad van 3 april 2031", "Windparken", DOCX_CITED)
    txt = d / "verslag-jbz.txt"
    txt.write_bytes(fb.jbz_path().read_bytes())
    return {
        "pdf": fb.build_pdf(d / "visserijraad-2031.pdf", pdf_pages, header="Visserijraad 2031"),
        "docx": fb.build_docx(d / "energieraad-2031.docx", docx_pages, header=None),
        "txt": txt,
        "jbz_docx": fb.build_report_docx_with_footnotes(d / "verslag-jbz-kopie.docx"),
    }


@pytest.fixture(scope="module")
def app_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    work = tmp_path_factory.mktemp("originals-app")
    server = start_app(work / "data" / "store", work / "uploads", work / "streamlit.log")
    server.work = work  # type: ignore[attr-defined]
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def page(app_server: AppServer) -> Iterator[object]:
    with open_page(app_server.url, clipboard=True) as pg:
        yield pg


def _upload(page, paths: list[Path]) -> None:  # type: ignore[no-untyped-def]
    """Upload files in the reports tab and wait for each one's message (embedding is slow on a
    busy machine)."""
    page.get_by_role("tab", name="Verslagen").click()
    page.locator("input[type='file']").set_input_files([str(p) for p in paths])
    sync_api.expect(page.get_by_role("button", name=re.compile(paths[0].stem[:12]))).to_be_visible()
    page.get_by_role("button", name="Toevoegen").click()
    for p in paths:
        sync_api.expect(_alert(page, p.name).first).to_be_visible(timeout=3 * LOAD_TIMEOUT_MS)
    wait_ready(page, LOAD_TIMEOUT_MS)


def _alert(page, text: str | re.Pattern[str]):  # type: ignore[no-untyped-def]
    return page.get_by_test_id("stAlert").filter(has_text=text)


def _open_original(page, source_no: int = 0):  # type: ignore[no-untyped-def]
    """Switch on "Origineel openen" of a source of the last answer; returns what it shows."""
    answer = last_answer(page)
    toggle = answer.get_by_test_id("stCheckbox").filter(has_text="Origineel openen")
    toggle.nth(source_no).locator("label").click()
    wait_ready(page)
    return answer.locator("[class*='st-key-original-view-']").nth(source_no)


def test_1_upload_shows_the_limit_once_and_adds_three_reports(page, files) -> None:  # type: ignore[no-untyped-def]
    expect = sync_api.expect
    page.get_by_role("tab", name="Verslagen").click()
    # One upload limit, the uploader's own, following RAG_MAX_FILE_MB (50 by default).
    uploader = page.get_by_test_id("stFileUploader")
    expect(uploader).to_contain_text("50MB")
    assert len(re.findall(r"\b50 ?MB\b", uploader.inner_text())) == 1
    _upload(page, [files["pdf"], files["docx"], files["txt"]])
    for name in ("visserijraad-2031.pdf", "energieraad-2031.docx", "verslag-jbz.txt"):
        expect(_alert(page, name).filter(has_text="toegevoegd")).to_be_visible()
    table = page.get_by_test_id("stDataFrame")
    expect(table).to_be_visible()
    shot(page, "originals-1-uploaded")


def test_2_the_same_report_as_docx_is_a_duplicate_and_stored_once(page, files, app_server) -> None:  # type: ignore[no-untyped-def]
    expect = sync_api.expect
    _upload(page, [files["jbz_docx"]])
    message = _alert(page, "verslag-jbz-kopie.docx")
    expect(message).to_contain_text("dubbel")
    expect(message).to_contain_text("hetzelfde verslag als")
    expect(message).to_contain_text("verslag-jbz.txt, TXT")
    # Not stored twice: the uploads hold no copy of it, the store lists the report once.
    uploads = app_server.work / "uploads"  # type: ignore[attr-defined]
    assert sorted(p.name for p in uploads.iterdir()) == [
        "energieraad-2031.docx",
        "verslag-jbz.txt",
        "visserijraad-2031.pdf",
    ]
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar).to_contain_text("Documenten: 3")
    # The report list tells the copies apart by file type and time added.
    table = page.get_by_test_id("stDataFrame")
    expect(table).to_contain_text("Bestandstype")
    expect(table).to_contain_text("Toegevoegd (UTC)")
    text = table.text_content() or ""
    assert text.count("14 december 2020") == 1  # the jbz report once
    assert "TXT" in text and "PDF" in text and "DOCX" in text
    shot(page, "originals-2-duplicate")


def test_3_a_pdf_source_opens_its_page_with_the_sentence_marked(page, files) -> None:  # type: ignore[no-untyped-def]
    expect = sync_api.expect
    page.get_by_role("tab", name="Gesprek").click()
    ask(page, "Wat zei Nederland over de kabeljauwquota in de Noordzee?")
    answer = last_answer(page)
    expect(answer).to_contain_text("kabeljauwquota in de Noordzee met zeven procent")
    expect(answer).to_contain_text(re.compile(r"Bestand: PDF · toegevoegd \d{4}-\d\d-\d\d"))
    source = _open_original(page)
    image = source.get_by_test_id("stImage")
    expect(image).to_be_visible(timeout=30_000)
    expect(source).to_contain_text("Pagina 2 van 2 · de geciteerde zin is gemarkeerd")
    with page.expect_download() as info:
        source.get_by_test_id("stDownloadButton").get_by_role("button").click()
    download = info.value
    assert download.suggested_filename == "visserijraad-2031.pdf"
    assert Path(download.path()).read_bytes() == files["pdf"].read_bytes()
    image.evaluate("e => e.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(300)
    shot(page, "originals-3-pdf-page")
    image.screenshot(path=str(ARTIFACTS / "originals-3-pdf-page-image.png"))


def test_4_a_docx_source_opens_its_page_text_highlighted(page, files) -> None:  # type: ignore[no-untyped-def]
    expect = sync_api.expect
    ask(page, "Wat zei Nederland over windparken op zee?")
    answer = last_answer(page)
    expect(answer).to_contain_text("windparken op zee sneller te vergunnen")
    source = _open_original(page)
    expect(source).to_contain_text("Tekst van pagina 2 (opgeschoond)")
    box = source.locator("[class*='st-key-page-text-']")
    marked = box.locator("span[class*='orange'], span[style*='background']").first
    expect(marked).to_contain_text("windparken op zee sneller te vergunnen")
    expect(box).not_to_contain_text("Opening")  # page 1 is not shown
    with page.expect_download() as info:
        source.get_by_test_id("stDownloadButton").get_by_role("button").click()
    assert Path(info.value.path()).read_bytes() == files["docx"].read_bytes()
    source.evaluate("e => e.scrollIntoView({block: 'center'})")
    page.wait_for_timeout(300)
    shot(page, "originals-4-docx-page")


def test_5_copy_button_puts_answer_and_sources_on_the_clipboard(page) -> None:  # type: ignore[no-untyped-def]
    answer = last_answer(page)
    frame = answer.frame_locator("iframe").first
    button = frame.locator("button#copy")
    sync_api.expect(button).to_have_text("Kopiëren")
    button.click()
    sync_api.expect(button).to_have_attribute("data-copied", "1")
    sync_api.expect(button).to_have_text("✓ Gekopieerd")
    shot(page, "originals-5-copied")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert "windparken op zee sneller te vergunnen" in copied
    assert "\nBronnen\n[1] " in copied
    assert "p. 2" in copied
    assert "**" not in copied and "\\" not in copied  # plain text, no Markdown escapes


def test_6_an_answer_citing_a_deleted_report_is_marked(page) -> None:  # type: ignore[no-untyped-def]
    expect = sync_api.expect
    page.get_by_role("tab", name="Verslagen").click()
    page.get_by_test_id("stSelectbox").filter(has_text="Verslag verwijderen").click()
    page.get_by_role("option", name=re.compile("Visserijraad")).click()
    wait_ready(page)
    page.get_by_role("button", name="Verwijderen…").click()
    wait_ready(page)
    page.get_by_role("button", name="Ja, verwijderen").click()
    wait_ready(page)
    expect(_alert(page, re.compile(r"^Verwijderd: "))).to_be_visible()
    page.get_by_role("tab", name="Gesprek").click()
    first = page.get_by_test_id("stChatMessage").nth(1)
    expect(first).to_contain_text("citeert een verslag dat inmiddels is verwijderd: bron [1].")
    expect(first).to_contain_text("Dit verslag is inmiddels verwijderd uit de opslag.")
    # The later answer's own report is still there: its source still opens, unmarked.
    last = last_answer(page)
    expect(last.get_by_test_id("stCheckbox").first).to_contain_text("Origineel openen (DOCX")
    expect(last).not_to_contain_text("verwijderd: bron [1]")
    first.scroll_into_view_if_needed()
    shot(page, "originals-6-deleted")
