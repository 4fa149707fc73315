"""Login and roles (`RAG_AUTH=users`): the users file made by `python -m rag users add`, readers
who cannot upload or delete (no buttons, and the functions refuse on the server side), editors
who can, failed logins in the audit trail. Real AppTest over the hostile-input store."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from streamlit.testing.v1 import AppTest

from rag.answer.assistant import Assistant
from rag.core import audit
from rag.ui.auth import AccessError, User
from rag.ui.uploads import Upload, delete_report, ingest_uploads
from tests.conftest import ROOT, config_for

pytestmark = pytest.mark.slow

APP = str(ROOT / "app.py")
PASSWORDS = {"alice": "alice-editor-pw", "bob": "bob-reader-pw1"}
REPORT = (
    "Verslag van de Energieraad van 9 juni 2032\n\n1. Waterstofnetten\n\n"
    "Nederland pleitte voor een Europees netwerk van waterstofleidingen in 2034.\n"
)


def add_user(users: Path, name: str, role: str, password: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "RAG_USERS": str(users)}
    return subprocess.run(
        [sys.executable, "-m", "rag", "users", "add", name, "--role", role],
        cwd=ROOT, env=env, input=password + "\n", capture_output=True, text=True, timeout=60,
    )  # fmt: skip


@pytest.fixture(scope="module")
def users_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    users = tmp_path_factory.mktemp("users") / "users.yaml"
    assert add_user(users, "Alice", "editor", PASSWORDS["alice"]).returncode == 0
    done = add_user(users, "bob", "reader", PASSWORDS["bob"])
    assert done.returncode == 0 and done.stdout.startswith("bob: reader"), done.stderr
    return users


def test_users_file_holds_bcrypt_hashes_and_roles(users_file: Path) -> None:
    data = yaml.safe_load(users_file.read_text())["credentials"]["usernames"]
    assert sorted(data) == ["alice", "bob"]
    assert data["alice"]["roles"] == ["editor"] and data["bob"]["roles"] == ["reader"]
    for name, user in data.items():
        assert user["password"].startswith("$2b$") and PASSWORDS[name] not in users_file.read_text()
    assert users_file.stat().st_mode & 0o077 == 0, "only its owner can read the hashes"
    short = add_user(users_file.with_name("x.yaml"), "carol", "editor", "short")
    assert short.returncode == 2 and "at least 8 characters" in short.stderr


@pytest.fixture
def env(hostile_store: Path, users_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    store = tmp_path / "store"
    shutil.copytree(hostile_store, store)
    values = {
        "RAG_STORE": str(store),
        "RAG_CHROMA_URL": "",
        "RAG_LLM": "",
        "RAG_UI_LANG": "nl",
        "RAG_UPLOADS": str(tmp_path / "uploads"),
        "RAG_AUDIT": str(tmp_path / "audit.jsonl"),
        "RAG_AUTH": "users",
        "RAG_USERS": str(users_file),
    }
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    return values


def _login(name: str, password: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception, at.exception
    assert not at.chat_input, "nothing but the login form before signing in"
    at.text_input(key="login_name").input(name)
    at.text_input(key="login_pw").input(password)
    at.button(key="login_submit").click().run()
    assert not at.exception, at.exception
    return at


def test_failed_login_is_refused_and_audited(env) -> None:  # type: ignore[no-untyped-def]
    at = _login("alice", "wrong password")
    assert [e.value for e in at.error] == ["Gebruikersnaam of wachtwoord onjuist."]
    assert not at.chat_input and not at.file_uploader
    at = _login("mallory", "whatever-pw")
    events = audit.read(env["RAG_AUDIT"])
    assert [(e.user, e.action, e.result) for e in events] == [
        ("alice", "login", "failed"),
        ("mallory", "login", "failed"),
    ]


def test_reader_can_ask_but_not_upload_or_delete(env) -> None:  # type: ignore[no-untyped-def]
    at = _login("bob", PASSWORDS["bob"])
    assert any("Ingelogd als bob (lezer)" in c.value for c in at.sidebar.caption)
    assert at.chat_input and not at.file_uploader
    assert not [b for b in at.button if b.key in ("upload_submit", "delete", "delete_yes")]
    assert any("alleen een redacteur" in i.value for i in at.info)
    at.chat_input[0].set_value("Wat zei Nederland over kwik in tandvullingen?").run()
    assert at.session_state["conversation"].messages[-1].answer.citations
    # A forged request: the reader's role reaches the functions, which refuse and record it.
    forged = at.session_state["user"]
    assert forged == User("bob", "reader")
    assistant = Assistant(config_for(env["RAG_STORE"], RAG_AUDIT=env["RAG_AUDIT"]))
    before = assistant.store.version()
    doc = assistant.store.list_documents()[0].doc_id
    with pytest.raises(AccessError, match="only editors"):
        ingest_uploads(assistant, [Upload("x.txt", REPORT.encode())], user=forged)
    with pytest.raises(AccessError):
        delete_report(assistant, doc, user=forged)
    assert assistant.store.version() == before and not Path(env["RAG_UPLOADS"]).exists()
    refused = [(e.user, e.action, e.result) for e in audit.read(env["RAG_AUDIT"])]
    assert refused == [
        ("bob", "login", "ok"),
        ("bob", "upload", "refused"),
        ("bob", "delete", "refused"),
    ]
    # A forged delete confirmation in the session state does nothing either: no such button.
    at.session_state["pending_delete"] = doc
    at.run()
    assert not at.exception and doc in {d.doc_id for d in assistant.store.list_documents()}


def test_editor_can_upload_and_delete_and_is_audited_by_name(env) -> None:  # type: ignore[no-untyped-def]
    at = _login("ALICE ", PASSWORDS["alice"])  # names are compared lower-cased and trimmed
    assert any("Ingelogd als alice (redacteur)" in c.value for c in at.sidebar.caption)
    at.file_uploader[0].set_value([("energie.txt", REPORT.encode(), "text/plain")])
    at.button(key="upload_submit").click()
    at.run()
    assert not at.exception, at.exception
    added = audit.read(env["RAG_AUDIT"])[-1]
    assert (added.user, added.action, added.result) == ("alice", "upload", "new")
    at.selectbox(key="delete_pick").select(added.doc_id).run()
    at.button(key="delete").click().run()
    at.button(key="delete_yes").click().run()
    deleted = audit.read(env["RAG_AUDIT"])[-1]
    assert (deleted.user, deleted.action, deleted.doc_id) == ("alice", "delete", added.doc_id)
    at.button(key="sign_out").click().run()
    assert not at.chat_input and at.text_input(key="login_name")


def test_no_users_file_says_how_to_make_one(env, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("RAG_USERS", str(tmp_path / "none.yaml"))
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert len(at.error) == 1 and "python -m rag users add NAME --role editor" in at.error[0].value


def test_lockout_is_counted_in_the_audit_trail(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Failed logins in a row, within the window, lock a name until `minutes` after the last;
    a successful login starts the count again; a locked name is refused unchecked and audited."""
    from datetime import UTC, datetime, timedelta

    from rag.ui import auth
    from rag.ui.auth import LockedOut, locked_until, login

    checked: list[str] = []
    monkeypatch.setattr(auth, "check_login", lambda c, n, p: checked.append(p))  # always wrong

    trail = tmp_path / "audit.jsonl"
    t0 = datetime(2031, 5, 1, 9, 0, tzinfo=UTC)

    def event(name: str, result: str, minute: float) -> None:
        at = (t0 + timedelta(minutes=minute)).isoformat(timespec="seconds")
        audit.append(trail, audit.AuditEvent(name, "login", result, time=at))

    for m in range(4):
        event("Carol", "failed", m)
    event("dave", "failed", 4)
    assert locked_until(trail, "carol", 5, 15, t0 + timedelta(minutes=5)) is None
    event("carol ", "failed", 5)  # the fifth in a row, names compared trimmed and lower-cased
    until = t0 + timedelta(minutes=20)
    assert locked_until(trail, "CAROL", 5, 15, t0 + timedelta(minutes=6)) == until
    assert locked_until(trail, "carol", 5, 15, until + timedelta(seconds=1)) is None
    assert locked_until(trail, "carol", 6, 15, t0 + timedelta(minutes=6)) is None
    # Spread out over more than the window: the early ones no longer count.
    assert locked_until(trail, "carol", 5, 3, t0 + timedelta(minutes=6)) is None
    event("carol", "ok", 7)
    event("carol", "failed", 8)
    assert locked_until(trail, "carol", 5, 15, t0 + timedelta(minutes=9)) is None
    # Live: five failures now lock the name; the right password is then not even checked.
    for i in range(4):
        assert login(str(trail), {"usernames": {}}, "erin", f"wrong-{i}") is None
    with pytest.raises(LockedOut, match=r"try again in 15 min \(at \d\d:\d\d UTC\)"):
        login(str(trail), {"usernames": {}}, "erin", "wrong-4")
    with pytest.raises(LockedOut) as info:
        login(str(trail), {}, "Erin", "the-right-one")
    assert checked == [f"wrong-{i}" for i in range(5)]  # the last try was refused unchecked
    assert info.value.code == "login_locked" and "\n" not in str(info.value)
    results = [e.result for e in audit.read(trail) if e.user.lower() == "erin"]
    assert results == ["failed"] * 5 + ["lockout", "locked"]
