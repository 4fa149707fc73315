"""End to end in a real headless Chromium: `streamlit run app.py` over the sample corpus.

Debian's /usr/bin/chromium driven by Playwright (never `playwright install`, which downloads a
browser). One Streamlit server and one browser page serve the whole module, in the order an
official would work: ask, open a source, filter, upload a report and ask about it, export. Each
step saves a screenshot under test-artifacts/browser/ (gitignored); the paths are printed.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import ROOT, free_port, wait_for_port

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    # Without these Chromium keeps calling home, which on a closed network only costs time.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = ROOT / "test-artifacts" / "browser"
RETURN_QUESTION = "what did the Netherlands say about the return directive"
LOAD_TIMEOUT_MS = 90_000  # first page: the embedding model loads (~5 s, slower on a busy machine)
ANSWER_TIMEOUT_MS = 60_000
_MODE_CAPTION = re.compile(r"^(Modus|Mode): ")

# `make test` installs both; a missing browser must fail the suite, not skip it.
assert CHROMIUM.exists(), "Debian's chromium is not installed: run `make system-deps`"
import playwright.sync_api as sync_api  # noqa: E402


@dataclass
class AppServer:
    """A `streamlit run app.py` subprocess on a free port of 127.0.0.1."""

    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


def start_app(
    store: Path, uploads: Path, log: Path, port: int | None = None, **env: str
) -> AppServer:
    """Start the app offline, as the README says, with its own store and uploads directory."""
    port = port or free_port()
    environ = dict(os.environ)
    environ.update(
        RAG_STORE=str(store),
        RAG_CHROMA_URL="",
        RAG_UPLOADS=str(uploads),
        RAG_LLM="",
        HF_HUB_OFFLINE="1",
        ANONYMIZED_TELEMETRY="False",
    )
    environ.update(env)  # a test may override any of the above (e.g. RAG_LLM)
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(ROOT / "app.py"),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        "--server.fileWatcherType",
        "none",
    ]
    out = log.open("wb")
    process = subprocess.Popen(cmd, cwd=ROOT, env=environ, stdout=out, stderr=subprocess.STDOUT)
    wait_for_port(port, timeout=60)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:  # the port opens a moment before the app answers
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            time.sleep(0.2)
    return AppServer(url, process, log)


def launch_chromium(playwright):  # type: ignore[no-untyped-def]
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


@contextmanager
def open_page(url: str, clipboard: bool = False) -> Iterator[object]:
    """A Chromium page on the app, rendered and idle (downloads accepted; clipboard access on
    request); closed with its browser afterwards."""
    with sync_api.sync_playwright() as p:
        browser = launch_chromium(p)
        context = browser.new_context(
            viewport={"width": 1400, "height": 1000}, accept_downloads=True
        )
        if clipboard:
            context.grant_permissions(["clipboard-read", "clipboard-write"], origin=url)
        pg = context.new_page()
        pg.set_default_timeout(30_000)
        pg.goto(url)
        wait_ready(pg)
        yield pg
        context.close()
        browser.close()


# True once no script run has been in progress for 300 ms: the running indicator shows with a
# delay, and a run's last re-render of the chat input would wipe text typed before it.
IDLE_JS = """() => {
  const busy = !!document.querySelector('[data-testid="stStatusWidget"]');
  const now = performance.now();
  if (busy || window.__idleSince === undefined) {
    window.__idleSince = busy ? undefined : now;
    return false;
  }
  return now - window.__idleSince > 300;
}"""


def wait_ready(page, timeout: float = LOAD_TIMEOUT_MS) -> None:  # type: ignore[no-untyped-def]
    """The app has rendered (the chat input exists, maybe on a hidden tab) and is idle."""
    page.get_by_test_id("stChatInputTextArea").wait_for(state="attached", timeout=timeout)
    page.evaluate("() => { window.__idleSince = undefined; }")
    page.wait_for_function(IDLE_JS, timeout=timeout)


def ask(page, question: str) -> None:  # type: ignore[no-untyped-def]
    """Type a question, press Enter and wait until its answer (with sources) is on screen."""
    before = page.get_by_test_id("stChatMessage").count()
    box = page.get_by_test_id("stChatInputTextArea")
    box.fill(question)
    sync_api.expect(box).to_have_value(question)
    box.press("Enter")
    try:
        # Streamlit empties the input when it takes the question. An Enter that came while a
        # run was ending can be lost with the re-rendered input; then the text is still there.
        sync_api.expect(box).to_have_value("", timeout=5_000)
    except AssertionError:
        if box.input_value() == question:
            box.press("Enter")
    try:
        # A user and an assistant message appear. The answer is complete when its final
        # rendering (after the streamed text) shows the mode caption.
        page.wait_for_function(
            "n => document.querySelectorAll('[data-testid=\"stChatMessage\"]').length >= n",
            arg=before + 2,
            timeout=ANSWER_TIMEOUT_MS,
        )
        done = last_answer(page).get_by_test_id("stCaptionContainer").filter(has_text=_MODE_CAPTION)
        sync_api.expect(done.first).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
        wait_ready(page, ANSWER_TIMEOUT_MS)
    except Exception:
        shot(page, "failed-ask")  # what the page showed, for the test report
        raise


def last_answer(page):  # type: ignore[no-untyped-def]
    return page.get_by_test_id("stChatMessage").last


def shot(page, name: str) -> Path:  # type: ignore[no-untyped-def]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    print(f"screenshot: {path}")
    return path


# -- fixtures: one server and one page for the module (model loading is the slow part) ----------
@pytest.fixture(scope="module")
def app_server(
    corpus_store_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[AppServer]:
    work = tmp_path_factory.mktemp("browser-app")
    store = work / "store"
    shutil.copytree(corpus_store_dir, store)  # the upload step changes it
    server = start_app(store, work / "uploads", work / "streamlit.log")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def page(app_server: AppServer) -> Iterator[object]:
    with open_page(app_server.url) as pg:
        yield pg


# -- the steps, in order -----------------------------------------------------------------------
def test_1_ask_cites_the_jbz_report(page) -> None:  # type: ignore[no-untyped-def]
    expect = sync_api.expect
    ask(page, RETURN_QUESTION)
    answer = last_answer(page)
    expect(answer).to_contain_text("Terugkeerrichtlijn")
    expect(answer).to_contain_text("2020-12-14")
    expect(answer).to_contain_text("JBZ-Raad")
    expect(answer).to_contain_text("[1]")
    # The cited sentence is highlighted inside the passage (a Streamlit background colour span).
    expect(answer.locator("span[class*='orange'], span[style*='background']").first).to_be_visible()
    shot(page, "1-answer")


def test_2_open_a_source_shows_the_whole_agenda_item(page) -> None:  # type: ignore[no-untyped-def]
    expect = sync_api.expect
    answer = last_answer(page)
    expander = answer.get_by_test_id("stExpander").first
    details = expander.get_by_test_id("stExpanderDetails")
    expect(details).to_be_hidden()
    expander.locator("summary").click()
    expect(details).to_be_visible()
    # The agenda item opens with its own first sentences, which no passage shown above starts with.
    expect(details).to_contain_text("Ter voorbereiding op de JBZ-Raad")
    page.wait_for_timeout(500)  # let the expander's opening animation finish for the screenshot
    shot(page, "2-agenda-item")


def test_3_sidebar_filter_applies_to_the_next_answer(page) -> None:  # type: ignore[no-untyped-def]
    expect = sync_api.expect
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_test_id("stSelectbox").first.click()
    page.get_by_role("option", name="JBZ-Raad", exact=True).click()
    wait_ready(page)
    try:
        ask(page, "Wat zei de Commissie over Europol?")
        answer = last_answer(page)
        captions = answer.get_by_test_id("stCaptionContainer")
        expect(captions.first).to_contain_text("Filters: JBZ-Raad")
        text = answer.inner_text()
        assert "Ecofin" not in text and "Landbouw" not in text
        page.get_by_test_id("stChatMessage").nth(-2).scroll_into_view_if_needed()
        shot(page, "3-filter")
    finally:  # back to all formations, so the next steps do not inherit the filter
        sidebar.get_by_test_id("stSelectbox").first.click()
        page.get_by_role("option", name=re.compile("alle formaties")).click()
        wait_ready(page)


def test_4_upload_a_report_and_ask_about_it(page, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    expect = sync_api.expect
    report = tmp_path / "Verslag Visserijraad 2031 <script>.txt"
    report.write_text(
        "Verslag van de Landbouw- en Visserijraad van 12 maart 2031\n\n"
        "1. Kabeljauwquota in de Noordzee\n\n"
        "Nederland pleitte voor een verhoging van de kabeljauwquota met zeven procent voor "
        "Noordzeevissers. De Commissie wees op het wetenschappelijke advies van ICES. "
        "Een lidstaat citeerde <script>alert(1)</script> en [x](javascript:alert(1)) "
        "als voorbeeld van onveilige invoer.\n\n"
        "2. Diversen\n\n"
        "Er waren geen andere punten op de agenda van deze Raad.\n",
        encoding="utf-8",
    )
    page.get_by_role("tab", name="Verslagen").click()
    page.locator("input[type='file']").set_input_files(str(report))
    # The uploader lists the chosen file (shortened), with a button to remove it again.
    expect(page.get_by_role("button", name=re.compile("Verslag Visserijraad 2031"))).to_be_visible()
    page.get_by_role("button", name="Toevoegen").click()
    wait_ready(page, LOAD_TIMEOUT_MS)
    expect(page.get_by_test_id("stAlert").filter(has_text="toegevoegd").first).to_be_visible(
        timeout=LOAD_TIMEOUT_MS
    )
    shot(page, "4-upload")
    page.get_by_role("tab", name="Gesprek").click()
    ask(page, "Wat zei Nederland over de kabeljauwquota in de Noordzee?")
    answer = last_answer(page)
    expect(answer).to_contain_text("kabeljauwquota met zeven procent")
    expect(answer).to_contain_text("2031")
    # The malicious strings in the report show as text; nothing of them became markup.
    answer.get_by_test_id("stExpander").first.locator("summary").click()
    expect(answer).to_contain_text("<script>alert(1)</script>")
    expect(answer).to_contain_text("[x](javascript:alert(1))")
    assert page.locator("a[href^='javascript']").count() == 0
    assert page.locator("[data-testid='stChatMessage'] script").count() == 0
    page.wait_for_timeout(500)
    shot(page, "5-uploaded-answer")


def test_5_export_the_conversation(page) -> None:  # type: ignore[no-untyped-def]
    with page.expect_download() as info:
        page.get_by_role("button", name="Exporteer als briefingnotitie (Markdown)").click()
    download = info.value
    assert download.suggested_filename.startswith("briefing-")
    note = Path(download.path()).read_text(encoding="utf-8")
    assert RETURN_QUESTION in note
    assert "[1]" in note and "Terugkeerrichtlijn" in note
    assert "kabeljauwquota" in note  # every question of the conversation is in it
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "briefing.md").write_text(note, encoding="utf-8")
    shot(page, "6-export")
