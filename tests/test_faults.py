"""Faults survived: a Chroma server killed, frozen, foreign or refusing us; a full disk; reports
written by another process while the app and the CLI run; two writers on one embedded store.

Real components only: `chroma run` servers started here (over a copy of the hostile-input store,
which `chroma run --path` serves as it is), the real e5 model, Streamlit's AppTest, real `python -m
ingest` and `python -m rag ask --jsonl` processes, and a real tmpfs for the full disk.
"""

from __future__ import annotations

import http.server
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from rag.answer.assistant import Assistant
from rag.core.errors import StoreError
from rag.ui.text import ERRORS
from tests.conftest import JBZ, ROOT, config_for, free_port, wait_for_port
from tests.hostile import QUESTION as HOSTILE_QUESTION

pytestmark = [pytest.mark.server, pytest.mark.slow]

APP = str(ROOT / "app.py")
JBZ_QUESTION = "Wat zei de Commissie over het EES?"
NEW_REPORT = (
    "Verslag van de Energieraad van 9 juni 2032\n\n"
    "1. Waterstofnetten\n\n"
    "Nederland pleitte voor een Europees netwerk van waterstofleidingen langs de Noordzeekust "
    "met een eerste aanbesteding in 2034. De Commissie zegde een voorstel toe.\n"
)
NEW_QUESTION = "Wat zei Nederland over waterstofleidingen langs de Noordzeekust?"


class ChromaProcess:
    """`chroma run` on a fixed port of 127.0.0.1, which a test can kill, freeze and restart."""

    def __init__(self, path: Path) -> None:
        self.path, self.port = path, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        chroma = Path(sys.executable).with_name("chroma")
        self.proc = subprocess.Popen(
            [str(chroma), "run", "--path", str(self.path), "--host", "127.0.0.1",
             "--port", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for_port(self.port)

    def signal(self, sig: int) -> None:
        assert self.proc is not None
        self.proc.send_signal(sig)

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.kill()
        self.proc.wait(timeout=20)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGCONT)
            self.kill()


@pytest.fixture
def server(hostile_store: Path, tmp_path: Path) -> Iterator[ChromaProcess]:
    path = tmp_path / "chroma"
    shutil.copytree(hostile_store, path, ignore=shutil.ignore_patterns("lexical", "write.lock"))
    chroma = ChromaProcess(path)
    chroma.start()
    try:
        yield chroma
    finally:
        chroma.stop()


def _timed_failure(assistant: Assistant, question: str) -> tuple[StoreError, float]:
    t0 = time.monotonic()
    with pytest.raises(StoreError) as info:
        assistant.ask(question)
    return info.value, time.monotonic() - t0


# -- the Chroma server ----------------------------------------------------------------------------
def test_frozen_and_killed_server_clear_message_within_5_s_and_recovery(
    server: ChromaProcess, e5
) -> None:
    assistant = Assistant(config_for(chroma_url=server.url), embedder=e5)
    assert assistant.ask(JBZ_QUESTION).citations

    server.signal(signal.SIGSTOP)  # frozen: the port accepts, nothing answers
    try:
        error, seconds = _timed_failure(assistant, JBZ_QUESTION)
    finally:
        server.signal(signal.SIGCONT)
    assert error.code == "store_timeout" and seconds < 5, (error, seconds)
    assert "did not answer within 4 s" in str(error)
    assert assistant.ask(JBZ_QUESTION).citations, "the same assistant recovers"

    server.kill()
    error, seconds = _timed_failure(assistant, JBZ_QUESTION)
    assert error.code == "store_unreachable" and seconds < 5, (error, seconds)
    server.start()  # same port, same data
    answer = assistant.ask(HOSTILE_QUESTION)
    assert answer.citations and "kwik" in answer.answer, "recovered without a restart"


def test_app_says_so_in_dutch_when_the_server_freezes_and_answers_again_after(
    server: ChromaProcess, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for key, value in {
        "RAG_STORE": str(tmp_path / "unused"),
        "RAG_CHROMA_URL": server.url,
        "RAG_LLM": "",
        "RAG_UI_LANG": "nl",
        "RAG_UPLOADS": str(tmp_path / "uploads"),
    }.items():
        monkeypatch.setenv(key, value)
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception, at.exception
    server.signal(signal.SIGSTOP)
    try:
        t0 = time.monotonic()
        at.chat_input[0].set_value(JBZ_QUESTION).run()
        seconds = time.monotonic() - t0
    finally:
        server.signal(signal.SIGCONT)
    assert not at.exception, at.exception
    # The run stops at the first store call (the sidebar's counts) with one message.
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and errors[0].startswith("De Chroma-server op "), errors
    assert "reageerde niet binnen 4 s" in errors[0], errors
    assert seconds < 5, seconds
    at.run()  # the next interaction, once the server is back
    assert not at.error, [e.value for e in at.error]
    at.chat_input[0].set_value(JBZ_QUESTION).run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert at.session_state["conversation"].messages[-1].answer.citations


class _NotChroma(http.server.BaseHTTPRequestHandler):
    status = 200

    def do_GET(self) -> None:
        body = b"<html><body>Welcome to nginx!</body></html>"
        self.send_response(self.status)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.mark.parametrize(("status", "code"), [(200, "store_not_chroma"), (404, "store_not_chroma"),
                                              (401, "store_auth"), (403, "store_auth")])  # fmt: skip
def test_foreign_server_or_refused_token_is_one_clear_message(e5, status: int, code: str) -> None:
    handler = type("Handler", (_NotChroma,), {"status": status})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{httpd.server_address[1]}"
        t0 = time.monotonic()
        with pytest.raises(StoreError) as info:
            Assistant(config_for(chroma_url=url, RAG_CHROMA_TOKEN="wrong"), embedder=e5)
        assert time.monotonic() - t0 < 5
    finally:
        httpd.shutdown()
    assert info.value.code == code
    assert ("RAG_CHROMA_TOKEN" if code == "store_auth" else "RAG_CHROMA_URL") in str(info.value)
    assert code in ERRORS["nl"]


def test_the_token_is_sent_with_chromas_client_auth(server: ChromaProcess, e5) -> None:
    """`chroma run` does not check it (see deploy/README.md), but it must be sent, as a proxy in
    front checks it: a server that sees every request's headers records them."""
    seen: list[str] = []

    class Recorder(_NotChroma):
        def do_GET(self) -> None:
            seen.append(self.headers.get("Authorization", ""))
            self.send_response(401)
            self.end_headers()

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{httpd.server_address[1]}"
        with pytest.raises(StoreError):
            Assistant(config_for(chroma_url=url, RAG_CHROMA_TOKEN="s3cret"), embedder=e5)
    finally:
        httpd.shutdown()
    assert seen == ["Bearer s3cret"]
    # Against the real server, with a token set, everything works as before.
    with_token = config_for(chroma_url=server.url, RAG_CHROMA_TOKEN="s3cret")
    assert Assistant(with_token, embedder=e5).ask(JBZ_QUESTION).citations


# -- another process writes -------------------------------------------------------------------------
def _ingest(store: Path, report: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {"PATH": "/usr/bin:/bin", "HF_HUB_OFFLINE": "1", "RAG_STORE": str(store), **env}
    return subprocess.run(
        [sys.executable, "-m", "ingest", str(report)],
        cwd=ROOT, env=environ, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def test_report_ingested_by_the_cli_is_cited_by_the_running_app_and_cli(
    hostile_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = tmp_path / "store"
    shutil.copytree(hostile_store, store)
    for key, value in {
        "RAG_STORE": str(store),
        "RAG_CHROMA_URL": "",
        "RAG_LLM": "",
        "RAG_UPLOADS": str(tmp_path / "uploads"),
    }.items():
        monkeypatch.setenv(key, value)
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.chat_input[0].set_value(NEW_QUESTION).run()
    before = at.session_state["conversation"].messages[-1].answer
    assert not any("Energieraad" in c.title for c in before.citations)

    environ = {"PATH": "/usr/bin:/bin", "HF_HUB_OFFLINE": "1", "RAG_STORE": str(store)}
    jsonl = subprocess.Popen(
        [sys.executable, "-m", "rag", "ask", "--jsonl"],
        cwd=ROOT, env=environ, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert jsonl.stdin and jsonl.stdout
        jsonl.stdin.write(NEW_QUESTION + "\n")
        jsonl.stdin.flush()
        first = json.loads(jsonl.stdout.readline())
        assert not any("2032" in c["meeting_date"] for c in first["citations"])

        report = tmp_path / "reports" / "energieraad-2032.txt"
        report.parent.mkdir()
        report.write_text(NEW_REPORT, encoding="utf-8")
        done = _ingest(store, report)
        assert done.returncode == 0 and "new 1" in done.stdout, done.stderr

        jsonl.stdin.write(NEW_QUESTION + "\n")
        jsonl.stdin.flush()
        second = json.loads(jsonl.stdout.readline())
        assert second["citations"][0]["file"] == str(report), second
        assert "waterstofleidingen" in second["answer"]
    finally:
        jsonl.kill()
        jsonl.wait(timeout=20)

    at.chat_input[0].set_value(NEW_QUESTION).run()  # the same session
    answer = at.session_state["conversation"].messages[-1].answer
    assert answer.citations[0].file == str(report) and "waterstofleidingen" in answer.answer
    fresh = AppTest.from_file(APP, default_timeout=120).run()  # a new session
    fresh.chat_input[0].set_value(NEW_QUESTION).run()
    assert fresh.session_state["conversation"].messages[-1].answer.citations[0].file == str(report)
    # The sidebar counts it too, and the filters offer its formation.
    assert "Raad Vervoer, Telecommunicatie en Energie" in fresh.selectbox(key="f_formation").options


def test_two_writers_on_one_embedded_store_lose_nothing(
    hostile_store: Path, tmp_path: Path
) -> None:
    store = tmp_path / "store"
    shutil.copytree(hostile_store, store)
    reports = []
    for i, (council, topic) in enumerate((("Energieraad", "waterstofleidingen"),
                                          ("Milieuraad", "zwerfafvalboetes"))):  # fmt: skip
        path = tmp_path / "reports" / f"r{i}.txt"
        path.parent.mkdir(exist_ok=True)
        path.write_text(
            f"Verslag van de {council} van {i + 1} juni 2032\n\n1. {topic}\n\n"
            f"Nederland pleitte voor Europese afspraken over {topic} in {2034 + i}.\n",
            encoding="utf-8",
        )
        reports.append(path)
    environ = {"PATH": "/usr/bin:/bin", "HF_HUB_OFFLINE": "1", "RAG_STORE": str(store)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "ingest", str(r)],
            cwd=ROOT,
            env=environ,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        for r in reports
    ]
    outs = [p.communicate(timeout=300) for p in procs]
    assert all(p.returncode == 0 for p in procs), outs
    assistant = Assistant(config_for(store))
    for path, topic in zip(reports, ("waterstofleidingen", "zwerfafvalboetes")):
        answer = assistant.ask(f"Wat zei Nederland over {topic}?")
        assert answer.citations[0].file == str(path), (topic, answer.answer)
    assert {d.file for d in assistant.store.list_documents()} >= {str(r) for r in reports}


# -- a full disk ----------------------------------------------------------------------------------
@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 8 MB tmpfs (the tests run as root on these machines, as `make test` does)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(mount)])
    assert done.returncode == 0, "mounting a tmpfs needs root"
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _fill(disk: Path, keep_kb: int) -> None:
    st = os.statvfs(disk)
    free_kb = st.f_bavail * st.f_frsize // 1024
    with (disk / "filler").open("wb") as f:
        f.write(b"\0" * max(0, free_kb - keep_kb) * 1024)


@pytest.mark.parametrize("keep_kb", [64, 256, 1024])
def test_full_disk_during_ingest_is_one_line(small_disk: Path, keep_kb: int) -> None:
    store = small_disk / "store"
    from rag.core.store import Store

    Store(config_for(store))  # an empty store, then almost no room left
    _fill(small_disk, keep_kb)
    done = _ingest(store, JBZ)
    assert done.returncode != 0
    lines = (done.stderr + done.stdout).strip().splitlines()
    errors = [line for line in lines if line.startswith("error:")]
    assert errors and "The disk is full" in errors[0], lines[-5:]
    assert "Traceback" not in done.stderr and "Error in compaction" not in done.stderr, done.stderr


def test_full_disk_during_upload_is_one_dutch_message(
    small_disk: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = small_disk / "store"
    from rag.core.store import Store

    Store(config_for(store))
    for key, value in {
        "RAG_STORE": str(store),
        "RAG_CHROMA_URL": "",
        "RAG_LLM": "",
        "RAG_UI_LANG": "nl",
        "RAG_UPLOADS": str(small_disk / "uploads"),
    }.items():
        monkeypatch.setenv(key, value)
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception
    _fill(small_disk, 256)
    at.file_uploader[0].set_value([("verslag.txt", JBZ.read_bytes(), "text/plain")])
    at.button(key="upload_submit").click()
    at.run()
    assert not at.exception, at.exception
    messages = [e.value for e in at.error]
    assert len(messages) == 1 and messages[0].startswith("De schijf is vol"), messages
