"""Login and roles in a real headless Chromium (`RAG_AUTH=users`): a failed login is refused and
audited, a reader sees no upload form and no delete button, an editor uploads a report."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from rag.core import audit
from tests.hostile import QUESTION
from tests.test_auth import PASSWORDS, add_user
from tests.test_browser import (
    AppServer,
    ask,
    last_answer,
    launch_chromium,
    shot,
    start_app,
    sync_api,
    wait_ready,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]
REPORT = (
    "Verslag van de Energieraad van 9 juni 2032\n\n1. Waterstofnetten\n\n"
    "Nederland pleitte voor een Europees netwerk van waterstofleidingen in 2034.\n"
)


@pytest.fixture(scope="module")
def work(hostile_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("browser-auth")
    shutil.copytree(hostile_store, work / "store")
    assert add_user(work / "users.yaml", "alice", "editor", PASSWORDS["alice"]).returncode == 0
    assert add_user(work / "users.yaml", "bob", "reader", PASSWORDS["bob"]).returncode == 0
    return work


@pytest.fixture(scope="module")
def server(work: Path) -> Iterator[AppServer]:
    server = start_app(
        work / "store",
        work / "uploads",
        work / "streamlit.log",
        RAG_AUTH="users",
        RAG_USERS=str(work / "users.yaml"),
        RAG_AUDIT=str(work / "audit.jsonl"),
    )
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def browser(server: AppServer) -> Iterator[object]:
    with sync_api.sync_playwright() as p:
        b = launch_chromium(p)
        yield b
        b.close()


def _open(browser, server: AppServer):  # type: ignore[no-untyped-def]
    page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    page.set_default_timeout(60_000)
    page.goto(server.url)
    page.get_by_label("Gebruikersnaam").wait_for()
    return page


def _sign_in(page, name: str, password: str) -> None:  # type: ignore[no-untyped-def]
    page.get_by_label("Gebruikersnaam").fill(name)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()


def test_failed_login_is_refused_and_audited(browser, server: AppServer, work: Path) -> None:  # type: ignore[no-untyped-def]
    page = _open(browser, server)
    _sign_in(page, "bob", "not-his-password")
    sync_api.expect(page.get_by_text("Gebruikersnaam of wachtwoord onjuist.")).to_be_visible()
    assert page.get_by_test_id("stChatInputTextArea").count() == 0
    assert page.locator("input[type='file']").count() == 0
    events = audit.read(work / "audit.jsonl")
    assert [(e.user, e.action, e.result) for e in events] == [("bob", "login", "failed")]
    shot(page, "auth-1-failed-login")
    page.context.close()


def test_reader_asks_but_has_no_upload_or_delete(browser, server: AppServer) -> None:  # type: ignore[no-untyped-def]
    page = _open(browser, server)
    _sign_in(page, "bob", PASSWORDS["bob"])
    wait_ready(page)
    sync_api.expect(page.get_by_test_id("stSidebar")).to_contain_text("Ingelogd als bob (lezer)")
    ask(page, QUESTION)
    sync_api.expect(last_answer(page)).to_contain_text("kwik")
    page.get_by_role("tab", name="Verslagen").click()
    sync_api.expect(page.get_by_text("alleen een redacteur")).to_be_visible()
    assert page.locator("input[type='file']").count() == 0
    assert page.get_by_role("button", name="Toevoegen").count() == 0
    assert page.get_by_role("button", name="Verwijderen…").count() == 0
    shot(page, "auth-2-reader")
    page.context.close()


def test_editor_uploads_a_report(browser, server: AppServer, work: Path) -> None:  # type: ignore[no-untyped-def]
    page = _open(browser, server)
    _sign_in(page, "alice", PASSWORDS["alice"])
    wait_ready(page)
    page.get_by_role("tab", name="Verslagen").click()
    page.locator("input[type='file']").set_input_files(
        [{"name": "energie.txt", "mimeType": "text/plain", "buffer": REPORT.encode()}]
    )
    page.get_by_role("button", name="Toevoegen").click()
    sync_api.expect(
        page.get_by_test_id("stAlert").filter(has_text="energie.txt: toegevoegd")
    ).to_be_visible(timeout=120_000)
    assert page.get_by_role("button", name="Verwijderen…").count() == 1
    last = audit.read(work / "audit.jsonl")[-1]
    assert (last.user, last.action, last.result) == ("alice", "upload", "new")
    assert (work / "uploads" / "energie.txt").is_file()
    shot(page, "auth-3-editor-upload")
    page.context.close()
