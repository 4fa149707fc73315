"""The audit trail: uploads and deletions in the app, ingests and prunes on the command line, one
JSON line each in RAG_AUDIT; `python -m ingest --list` says who added each report and when."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from rag.core import audit
from tests.conftest import ROOT

pytestmark = pytest.mark.slow

REPORT = (
    "Verslag van de Energieraad van 9 juni 2032\n\n1. Waterstofnetten\n\n"
    "Nederland pleitte voor een Europees netwerk van waterstofleidingen in 2034.\n"
)


def _ingest(*args: str, store: Path, trail: Path) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": "/usr/bin:/bin",
        "HF_HUB_OFFLINE": "1",
        "RAG_STORE": str(store),
        "RAG_AUDIT": str(trail),
    }
    return subprocess.run(
        [sys.executable, "-m", "ingest", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def test_cli_ingest_is_audited_and_listed_with_who_and_when(tmp_path: Path) -> None:
    store, trail = tmp_path / "store", tmp_path / "audit" / "audit.jsonl"
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "energie.txt").write_text(REPORT, encoding="utf-8")
    (reports / "leeg.txt").write_text("   \n", encoding="utf-8")
    done = _ingest(str(reports), store=store, trail=trail)
    assert done.returncode == 1, done.stderr  # the empty file failed
    events = audit.read(trail)
    assert [(e.action, e.result, Path(e.report).name) for e in events] == [
        ("ingest", "new", "energie.txt"),
        ("ingest", "failed", "leeg.txt"),
    ] or sorted((e.action, e.result, Path(e.report).name) for e in events) == [
        ("ingest", "failed", "leeg.txt"),
        ("ingest", "new", "energie.txt"),
    ]
    user = audit.os_user()
    assert all(e.user == user and e.time.startswith("20") for e in events)
    new = next(e for e in events if e.result == "new")
    assert new.doc_id

    listing = _ingest("--list", store=store, trail=trail)
    assert f"added by {user} on {new.time} (ingest)" in listing.stdout, listing.stdout
    rows = json.loads(_ingest("--list", "--json", store=store, trail=trail).stdout)
    assert rows[0]["added_by"] == user and rows[0]["added_at"] == new.time

    # Re-running changes nothing and records nothing; pruning a deleted file is recorded.
    _ingest(str(reports / "energie.txt"), store=store, trail=trail)
    assert len(audit.read(trail)) == 2
    (reports / "energie.txt").unlink()
    _ingest("--prune", store=store, trail=trail)
    last = audit.read(trail)[-1]
    assert (last.action, last.result, last.user) == ("prune", "deleted", user)


def test_app_upload_and_delete_are_audited(
    hostile_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, trail = tmp_path / "store", tmp_path / "audit.jsonl"
    shutil.copytree(hostile_store, store)
    for key, value in {
        "RAG_STORE": str(store),
        "RAG_CHROMA_URL": "",
        "RAG_LLM": "",
        "RAG_UPLOADS": str(tmp_path / "uploads"),
        "RAG_AUDIT": str(trail),
    }.items():
        monkeypatch.setenv(key, value)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.file_uploader[0].set_value(
        [("../energie <b>.txt", REPORT.encode(), "text/plain"), ("leeg.txt", b"  ", "text/plain")]
    )
    at.button(key="upload_submit").click()
    at.run()
    assert not at.exception, at.exception
    events = audit.read(trail)
    assert [(e.user, e.action, e.result, e.report) for e in events] == [
        ("anonymous", "upload", "new", "../energie <b>.txt"),
        ("anonymous", "upload", "failed", "leeg.txt"),
    ]
    doc_id = events[0].doc_id
    at.selectbox(key="delete_pick").select(doc_id).run()
    at.button(key="delete").click().run()
    at.button(key="delete_yes").click().run()
    assert not at.exception, at.exception
    last = audit.read(trail)[-1]
    assert (last.action, last.result, last.doc_id, last.report) == (
        "delete", "deleted", doc_id, "energie_b_.txt",
    )  # fmt: skip
    assert last.detail.endswith("passages")
    for line in trail.read_text(encoding="utf-8").splitlines():
        assert set(json.loads(line)) == {
            "time", "user", "action", "report", "doc_id", "result", "detail",
        }  # fmt: skip
