"""Notes and feedback in a real headless Chromium against `streamlit run app.py` (issue 11, 1-3).

In the order an official works: make the briefing for the JHA Council of 14 December 2020 and
open the downloaded DOCX with python-docx; ask two questions, untick one and export the note;
mark an answer incomplete and turn the feedback file into draft evaluation questions. Each step
saves a screenshot under test-artifacts/browser/ (as tests/test_browser.py does).
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest

from tests.conftest import ROOT
from tests.test_browser import (
    ANSWER_TIMEOUT_MS,
    ARTIFACTS,
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

MARKER = re.compile(r"(?<=\s)\[(\d+)\]")


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("browser-briefing")


@pytest.fixture(scope="module")
def app_server(corpus_store_dir: Path, work: Path) -> Iterator[AppServer]:
    store = work / "store"
    shutil.copytree(corpus_store_dir, store)
    server = start_app(
        store, work / "uploads", work / "streamlit.log", RAG_FEEDBACK=str(work / "feedback.jsonl")
    )
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def page(app_server: AppServer) -> Iterator[object]:
    with open_page(app_server.url) as pg:
        yield pg


def download(page, name: str) -> tuple[str, bytes]:  # type: ignore[no-untyped-def]
    """Click the download button called `name`; (suggested file name, content)."""
    with page.expect_download() as info:
        page.get_by_role("button", name=name, exact=True).click()
    d = info.value
    return d.suggested_filename, Path(d.path()).read_bytes()


def test_1_meeting_briefing_as_docx(page) -> None:  # type: ignore[no-untyped-def]
    expect = sync_api.expect
    page.get_by_role("tab", name="Briefing").click()
    panel = page.get_by_role("tabpanel", name="Briefing")
    panel.get_by_test_id("stSelectbox").click()
    page.get_by_role("option", name=re.compile(r"^2020-12-14 · Verslag van de informele")).click()
    panel.get_by_role("button", name="Maak briefing").click()
    wait_ready(page)
    preview = panel.locator(".st-key-brief_preview")
    # The first note reads Punkt and the store cold: seconds on a busy machine.
    expect(preview).to_contain_text("4. Nieuw Migratie- en Asielpact", timeout=ANSWER_TIMEOUT_MS)
    wait_ready(page)
    expect(preview).to_contain_text("Standpunten")
    expect(preview).to_contain_text("Terugkeerrichtlijn")
    # The note's first agenda item at the top of the screen: what the README shows.
    preview.get_by_role(
        "heading", name="1. Verordening ter voorkoming"
    ).scroll_into_view_if_needed()
    page.mouse.wheel(0, 250)
    page.wait_for_timeout(300)
    shot(page, "briefing-1-meeting")

    name, data = download(page, "Download als Word (DOCX)")
    assert name == "briefing-JBZ-Raad-2020-12-14.docx"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / name).write_bytes(data)
    d = docx.Document(io.BytesIO(data))
    paragraphs = [(p.style.name, p.text) for p in d.paragraphs]
    assert paragraphs[0] == ("Title", "Briefingnotitie JBZ-Raad 2020-12-14")
    h2 = [text for style, text in paragraphs if style == "Heading 2"]
    assert [x.split(".")[0] for x in h2] == ["1", "2", "3", "4", "5", "6"]
    assert [text for style, text in paragraphs if style == "Heading 1"][-1] == "Bronnen"
    # Item 4: what lay on the table, the Netherlands' positions first, then the others.
    start = paragraphs.index(("Heading 2", "4. Nieuw Migratie- en Asielpact"))
    item = [text for _, text in paragraphs[start + 1 : start + 40]]
    after = item[item.index("Standpunten") + 1 :]
    n_nl = next(i for i, x in enumerate(after) if not x.startswith("Nederland"))
    assert n_nl >= 2 and "Terugkeerrichtlijn" in " ".join(after[:n_nl])
    assert after[n_nl].startswith("De Commissie")
    assert "Uitkomst en vervolg" in item
    # Every bullet is cited; the table lists exactly the cited sentences, each once, in order.
    bullets = [text for style, text in paragraphs if style == "List Bullet"]
    assert bullets and all(MARKER.search(b[-6:]) for b in bullets)
    cited = [int(m) for b in bullets for m in MARKER.findall(b)]
    (table,) = d.tables
    rows = [[c.text for c in r.cells] for r in table.rows]
    assert rows[0] == [
        "Nr.",
        "Verslag",
        "Vergadering",
        "Agendapunt",
        "Pagina",
        "Passage (letterlijk)",
    ]
    assert [r[0] for r in rows[1:]] == [f"[{n}]" for n in range(1, max(cited) + 1)]
    assert sorted(set(cited)) == list(range(1, len(rows)))
    assert len({r[5] for r in rows[1:]}) == len(rows) - 1
    nl_row = next(r for r in rows[1:] if "Terugkeerrichtlijn onderstreepte Nederland" in r[5])
    assert nl_row[2] == "JBZ-Raad · 2020-12-14" and nl_row[3].startswith("4.") and nl_row[4] == "4"
    name, md = download(page, "Download als Markdown")
    assert name.endswith(".md") and md.decode().startswith("# Briefingnotitie JBZ-Raad")
    shot(page, "briefing-2-downloaded")


def test_2_curated_conversation_export(page) -> None:  # type: ignore[no-untyped-def]
    expect = sync_api.expect
    page.get_by_role("tab", name="Gesprek").click()
    ask(page, "Wat zei de Commissie over Europol?")
    ask(page, "what did the Netherlands say about the return directive")
    # Keep only the second answer.
    first = page.get_by_test_id("stChatMessage").nth(1)
    first.get_by_test_id("stCheckbox").get_by_text("In notitie").click()
    wait_ready(page)
    expect(page.get_by_text("1 van 2 antwoorden in de notitie")).to_be_visible()
    page.get_by_text("1 van 2 antwoorden in de notitie").scroll_into_view_if_needed()
    shot(page, "briefing-3-curate")
    _, raw = download(page, "Exporteer als briefingnotitie (Markdown)")
    note = raw.decode("utf-8")
    assert "Europol" not in note.split("## Bronnen")[0]
    assert "## 1. what did the Netherlands say about the return directive" in note
    body, sources = note.split("## Bronnen")
    cited = {int(n) for n in MARKER.findall(body)}
    listed = [int(n) for n in re.findall(r"^\[(\d+)\] \*\*", sources, re.M)]
    assert listed == list(range(1, len(listed) + 1)) and set(listed) == cited
    quotes = re.findall(r"^> (.*)$", sources, re.M)
    assert len(set(quotes)) == len(quotes) == len(listed)
    _, data = download(page, "Exporteer als Word (DOCX)")
    d = docx.Document(io.BytesIO(data))
    assert [p.text for p in d.paragraphs if p.style.name == "Heading 1"] == [
        "1. what did the Netherlands say about the return directive",
        "Bronnen",
    ]
    assert len(d.tables[0].rows) == len(listed) + 1


def test_3_feedback_becomes_draft_questions(page, work: Path) -> None:  # type: ignore[no-untyped-def]
    expect = sync_api.expect
    answer = last_answer(page)
    answer.get_by_test_id("stExpander").filter(has_text="Feedback op dit antwoord").locator(
        "summary"
    ).click()
    answer.get_by_text("onvolledig", exact=True).click()
    answer.get_by_label("Toelichting (optioneel)").fill("De Commissie ontbreekt")
    answer.get_by_role("button", name="Verstuur feedback").click()
    wait_ready(page)
    saved = answer.get_by_text("Bedankt: uw feedback (onvolledig) is opgeslagen.")
    expect(saved).to_be_visible()
    saved.scroll_into_view_if_needed()
    shot(page, "briefing-4-feedback")
    (entry,) = [json.loads(x) for x in (work / "feedback.jsonl").read_text().splitlines()]
    assert entry["verdict"] == "incomplete" and entry["comment"] == "De Commissie ontbreekt"
    assert entry["question"] == "what did the Netherlands say about the return directive"
    assert "Terugkeerrichtlijn" in entry["answer"]["answer"] and entry["answer"]["citations"]
    assert re.fullmatch(r"\d+:\d+:\w*", entry["store_version"]) and entry["user"] == ""
    drafts = work / "drafts.jsonl"
    run = subprocess.run(
        [sys.executable, "-m", "rag.eval", "--from-feedback", str(work / "feedback.jsonl"),
         "--out", str(drafts)],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    (draft,) = [json.loads(x) for x in drafts.read_text().splitlines()]
    assert draft["q"] == entry["question"] and draft["lang"] == "en"
    assert draft["gold"] == [] and draft["draft"]["verdict"] == "incomplete"
    assert draft["draft"]["comments"] == ["De Commissie ontbreekt"]
    (ARTIFACTS / "drafts.jsonl").write_text(drafts.read_text(), encoding="utf-8")
