"""Login and roles in a real headless Chromium (`RAG_AUTH=users`): a failed login is refused and
audited, a reader sees no upload form and no delete button, an editor uploads a report."""

from __future__ import annotations

import re
import shutil
import time
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
CAROL = "carols-own-pw-2031"
LOCKED = re.compile(r"^Te veel mislukte pogingen voor carol: probeer het over (\d+) min opnieuw")
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
    assert add_user(work / "users.yaml", "carol", "reader", CAROL).returncode == 0
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
    # listed: uploaded to the server (a click before that adds nothing on a loaded machine)
    sync_api.expect(page.get_by_role("button", name=re.compile("energie"))).to_be_visible()
    page.get_by_role("button", name="Toevoegen").click()
    sync_api.expect(
        page.get_by_test_id("stAlert").filter(has_text="energie.txt: toegevoegd")
    ).to_be_visible(timeout=120_000)
    # The list of reports redraws after the message: wait for it (count() would not).
    sync_api.expect(page.get_by_role("button", name="Verwijderen…")).to_have_count(
        1, timeout=30_000
    )
    last = audit.read(work / "audit.jsonl")[-1]
    assert (last.user, last.action, last.result) == ("alice", "upload", "new")
    assert (work / "uploads" / "energie.txt").is_file()
    shot(page, "auth-3-editor-upload")
    page.context.close()


def _delete_request(browser, server: AppServer):  # type: ignore[no-untyped-def]
    """alice's page, with the BackMsg her click on "Ja, verwijderen" sends held back (captured,
    not forwarded): (page, the editor's socket to the server, the captured messages)."""
    held: list[bytes | str] = []
    hold = {"on": False}
    sockets: list[object] = []

    def route(ws) -> None:  # type: ignore[no-untyped-def]
        to_server = ws.connect_to_server()
        sockets.append(to_server)
        ws.on_message(lambda m: held.append(m) if hold["on"] else to_server.send(m))

    page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    page.set_default_timeout(60_000)
    page.route_web_socket(re.compile(r".*/_stcore/stream"), route)
    page.goto(server.url)
    _sign_in(page, "alice", PASSWORDS["alice"])
    wait_ready(page)
    page.get_by_role("tab", name="Verslagen").click()
    page.get_by_test_id("stSelectbox").filter(has_text="Verslag verwijderen").click()
    page.get_by_role("option", name=re.compile("Energieraad")).click()
    wait_ready(page)
    page.get_by_role("button", name="Verwijderen…").click()
    confirm = page.get_by_role("button", name="Ja, verwijderen")
    confirm.wait_for()
    wait_ready(page)
    hold["on"] = True
    confirm.click()
    page.wait_for_timeout(1_000)
    assert held, "the click sent a request"
    return page, sockets[-1], list(held)


def test_a_forged_delete_request_from_a_reader_is_refused(  # type: ignore[no-untyped-def]
    browser, server: AppServer, work: Path
) -> None:
    """The request alice's browser sends to delete a report, replayed on bob's connection: bob's
    session deletes nothing (the report, its file and the document count stay) and the attempt
    is audited under bob's name. Sent on alice's own connection, the same bytes do delete it, so
    the replayed request was a real one."""
    uploaded = work / "uploads" / "energie.txt"
    assert uploaded.is_file(), "test_editor_uploads_a_report runs first"
    editor, editor_socket, request = _delete_request(browser, server)
    reader_sockets: list[object] = []

    def route(ws) -> None:  # type: ignore[no-untyped-def]
        reader_sockets.append(ws.connect_to_server())  # forwards both ways

    reader = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    reader.set_default_timeout(60_000)
    reader.route_web_socket(re.compile(r".*/_stcore/stream"), route)
    reader.goto(server.url)
    _sign_in(reader, "bob", PASSWORDS["bob"])
    wait_ready(reader)
    reader.get_by_role("tab", name="Verslagen").click()
    sidebar = reader.get_by_test_id("stSidebar")
    count = re.search(r"Documenten: (\d+)", sidebar.inner_text())[1]  # type: ignore[index]
    trail = len(audit.read(work / "audit.jsonl"))
    for message in request:
        reader_sockets[-1].send(message)  # type: ignore[attr-defined]
    # bob's session runs with alice's widget states: it says no, and does nothing.
    alert = reader.get_by_test_id("stAlert").filter(has_text="bob is lezer")
    sync_api.expect(alert).to_be_visible()
    wait_ready(reader)
    assert uploaded.is_file()
    assert re.search(r"Documenten: (\d+)", sidebar.inner_text())[1] == count  # type: ignore[index]
    new = [(e.user, e.action, e.result) for e in audit.read(work / "audit.jsonl")[trail:]]
    assert new == [("bob", "delete", "refused")], new
    assert "forged request: pressed delete_yes" in audit.read(work / "audit.jsonl")[-1].detail
    shot(reader, "auth-4-forged-delete-refused")
    # The same bytes on alice's own connection delete the report.
    for message in request:
        editor_socket.send(message)  # type: ignore[attr-defined]
    sync_api.expect(editor.get_by_text("Verwijderd:")).to_be_visible()
    assert not uploaded.exists()
    last = audit.read(work / "audit.jsonl")[-1]
    assert (last.user, last.action, last.result) == ("alice", "delete", "deleted")
    reader.context.close()
    editor.context.close()


def _wait_for_trail(work: Path, name: str, failures: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        events = audit.read(work / "audit.jsonl")
        if sum(e.user == name and e.result == "failed" for e in events) >= failures:
            return
        time.sleep(0.2)
    raise AssertionError(f"failed login {failures} of {name} not in the audit trail")


def test_repeated_failed_logins_lock_the_name_across_sessions(  # type: ignore[no-untyped-def]
    browser, server: AppServer, work: Path
) -> None:
    """Five wrong passwords for carol lock her name; a fresh browser session with the right
    password is refused too (the count lives in the audit trail, not the session), with one line
    saying when to retry; the lockout and the refused try are audited."""
    page = _open(browser, server)
    alert = page.get_by_test_id("stAlert")
    for i in range(1, 6):
        _sign_in(page, "carol", f"wrong-{i}")
        _wait_for_trail(work, "carol", i)  # this try was taken (the alert may be the last one's)
        expected = LOCKED if i == 5 else "Gebruikersnaam of wachtwoord onjuist."
        sync_api.expect(alert).to_have_text(expected)
    page.context.close()
    page = _open(browser, server)  # a new session, as another tab or browser would be
    _sign_in(page, "Carol ", CAROL)  # the right password, the name as the library compares it
    sync_api.expect(page.get_by_test_id("stAlert")).to_have_text(LOCKED)
    text = page.get_by_test_id("stAlert").inner_text()
    assert "\n" not in text.strip() and 14 <= int(LOCKED.match(text)[1]) <= 15  # type: ignore[index]
    assert page.get_by_test_id("stChatInputTextArea").count() == 0
    shot(page, "auth-5-locked")
    page.context.close()
    events = [(e.user, e.result) for e in audit.read(work / "audit.jsonl") if e.action == "login"]
    carol = [r for u, r in events if u.lower() == "carol"]
    assert carol == ["failed"] * 5 + ["lockout", "locked"], carol
    lockout = next(e for e in audit.read(work / "audit.jsonl") if e.result == "lockout")
    assert "5 failed logins within 15 min; locked until " in lockout.detail
