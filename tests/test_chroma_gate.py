"""The Chroma token gate: deploy/nginx/chroma-gate.conf.template in a real nginx, in front of a
real `chroma run`, with the app (AppTest) and the assistant behind it.

chromadb 1.5.9's `chroma run` does not check tokens (checked here too: with Chroma's own
`CHROMA_SERVER_AUTHN_*` settings it still serves a request without one), so the gate is the
reverse proxy. The template is the one a deployment uses; only the listen address, the upstream
and the token are filled in. Debian's nginx (`make system-deps`).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ingest.pipeline import Ingestor
from rag.answer.assistant import Assistant
from rag.core.errors import StoreError
from rag.core.store import Store
from tests.conftest import ROOT, config_for, free_port, wait_for_port
from tests.test_faults import NEW_QUESTION, NEW_REPORT, ChromaProcess

pytestmark = [pytest.mark.server, pytest.mark.slow]

NGINX = Path("/usr/sbin/nginx")
TEMPLATE = ROOT / "deploy" / "nginx" / "chroma-gate.conf.template"
TOKEN = "gate-s3cret-2031"
APP = str(ROOT / "app.py")

# `make test` installs it; a missing nginx must fail the suite, not skip it.
assert NGINX.exists(), "Debian's nginx is not installed: run `make system-deps`"


def _gate_conf(listen: int, upstream: str, token: str) -> str:
    """The deployment's template with this test's address, upstream and token."""
    text = TEMPLATE.read_text(encoding="utf-8")
    for placeholder in ("listen 8000;", "http://chroma:8000", "${RAG_CHROMA_TOKEN}"):
        assert placeholder in text, f"{placeholder} moved in {TEMPLATE}: update this test"
    return (
        text.replace("listen 8000;", f"listen 127.0.0.1:{listen};")
        .replace("http://chroma:8000", upstream)
        .replace("${RAG_CHROMA_TOKEN}", token)
    )


@pytest.fixture(scope="module")
def chroma(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChromaProcess]:
    server = ChromaProcess(tmp_path_factory.mktemp("gate-chroma"))
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def gate(chroma: ChromaProcess, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """nginx with the gate in the foreground, one process (no workers to leave behind)."""
    work = tmp_path_factory.mktemp("nginx")
    port = free_port()
    (work / "gate.conf").write_text(_gate_conf(port, chroma.url, TOKEN), encoding="utf-8")
    (work / "nginx.conf").write_text(
        "daemon off;\nmaster_process off;\nworker_processes 1;\n"
        f"pid {work}/nginx.pid;\nerror_log {work}/error.log;\n"
        "events {}\nhttp {\n"
        f"  access_log {work}/access.log;\n"
        + "".join(f"  {k}_temp_path {work}/{k};\n" for k in ("client_body", "proxy"))
        + "".join(f"  {k}_temp_path {work}/{k};\n" for k in ("fastcgi", "uwsgi", "scgi"))
        + f"  include {work}/gate.conf;\n}}\n",
        encoding="utf-8",
    )
    proc = subprocess.Popen(
        [str(NGINX), "-p", str(work), "-c", str(work / "nginx.conf")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        wait_for_port(port, timeout=15)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _get(url: str, **headers: str) -> int:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=5) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code


def test_chroma_run_itself_checks_no_token(tmp_path: Path) -> None:
    """Why the gate exists: Chroma's own server auth settings leave `chroma run` open."""
    port = free_port()
    env = dict(os.environ)
    env.update(
        CHROMA_SERVER_AUTHN_PROVIDER="chromadb.auth.token_authn.TokenAuthenticationServerProvider",
        CHROMA_SERVER_AUTHN_CREDENTIALS=TOKEN,
    )
    chroma = Path(sys.executable).with_name("chroma")
    proc = subprocess.Popen(
        [str(chroma), "run", "--path", str(tmp_path), "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port)
        url = f"http://127.0.0.1:{port}/api/v2/tenants/default_tenant/databases/default_database"
        body = json.dumps({"name": "open-door"}).encode()
        request = urllib.request.Request(
            url + "/collections", data=body, headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=5) as r:  # no token at all
            assert r.status == 200 and json.loads(r.read())["name"] == "open-door"
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_the_gate_lets_only_the_token_through(gate: str) -> None:
    beat = gate + "/api/v2/heartbeat"
    assert _get(beat) == 401
    assert _get(beat, Authorization="Bearer wrong") == 401
    assert _get(beat, Authorization=f"Bearer {TOKEN}x") == 401
    assert _get(beat, **{"X-Chroma-Token": "wrong"}) == 401
    assert _get(beat, Authorization=f"Bearer {TOKEN}") == 200
    assert _get(beat, **{"X-Chroma-Token": TOKEN}) == 200


@pytest.fixture(scope="module")
def ingested(gate: str, e5, tmp_path_factory: pytest.TempPathFactory) -> str:  # type: ignore[no-untyped-def]
    """A report ingested through the gate with the right token (writes pass it too)."""
    docs = tmp_path_factory.mktemp("gate-docs")
    (docs / "2032-06-09_energieraad.txt").write_text(NEW_REPORT, encoding="utf-8")
    config = config_for(chroma_url=gate, RAG_CHROMA_TOKEN=TOKEN)
    report = Ingestor(Store(config), e5, config).run([docs])
    assert [r.status for r in report.results] == ["new"], report.results
    return gate


def test_the_assistant_works_with_the_token_and_is_refused_without(ingested: str, e5) -> None:  # type: ignore[no-untyped-def]
    good = Assistant(config_for(chroma_url=ingested, RAG_CHROMA_TOKEN=TOKEN), embedder=e5)
    assert "waterstofleidingen" in good.ask(NEW_QUESTION).answer
    for token in ("", "wrong"):
        t0 = time.monotonic()
        with pytest.raises(StoreError) as info:
            Assistant(config_for(chroma_url=ingested, RAG_CHROMA_TOKEN=token), embedder=e5)
        assert time.monotonic() - t0 < 5
        assert info.value.code == "store_auth" and "RAG_CHROMA_TOKEN" in str(info.value)
        assert "\n" not in str(info.value)


def _app(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, url: str, token: str) -> AppTest:
    for key, value in {
        "RAG_STORE": str(tmp_path / "unused"),
        "RAG_CHROMA_URL": url,
        "RAG_CHROMA_TOKEN": token,
        "RAG_LLM": "",
        "RAG_UI_LANG": "nl",
        "RAG_UPLOADS": str(tmp_path / "uploads"),
        "RAG_AUDIT": str(tmp_path / "audit.jsonl"),
    }.items():
        monkeypatch.setenv(key, value)
    return AppTest.from_file(APP, default_timeout=120)


def test_the_app_says_so_in_one_line_within_5_s_and_works_with_the_token(  # type: ignore[no-untyped-def]
    ingested: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    at = _app(monkeypatch, tmp_path, ingested, TOKEN).run()  # also loads the model, once
    assert not at.exception and not at.error, [e.value for e in at.error]
    at.chat_input[0].set_value(NEW_QUESTION).run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    answer = at.session_state["conversation"].messages[-1].answer
    assert answer.citations and "waterstofleidingen" in answer.answer

    wrong = _app(monkeypatch, tmp_path, ingested, "wrong")
    t0 = time.monotonic()
    wrong.run()
    seconds = time.monotonic() - t0
    assert not wrong.exception
    errors = [e.value for e in wrong.error]
    assert len(errors) == 1 and "\n" not in errors[0], errors
    assert errors[0].startswith("De Chroma-server op ") and "weigert de toegang" in errors[0]
    assert errors[0].endswith("zet RAG\\_CHROMA\\_TOKEN op het token van de server."), errors
    assert seconds < 5, seconds
    assert not wrong.chat_input
