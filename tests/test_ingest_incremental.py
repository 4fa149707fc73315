"""Incremental ingestion through the real CLI: unchanged, changed, pruned, duplicate, crashed.

Each test copies a few short 1990s letters to tmp_path (one chunk each, a second or two to embed
with the real e5 model) and runs `python -m ingest` in a subprocess against a fresh embedded store.
"""

from __future__ import annotations

import json
import signal
import subprocess
import threading
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.ingest_helpers import (
    MULTI_CHUNK_LETTER,
    SHORT_LETTERS,
    assert_consistent,
    cli_env,
    copy_letters,
    ingest_cmd,
    letter,
    open_store,
    run_ingest,
    status_of,
    summary,
)

APPENDED = (
    "De Raad besloot de discussie over het visserijbeleid in de volgende vergadering voort te "
    "zetten, waarbij de Commissie een nieuw voorstel zal presenteren."
)


def test_reingest_of_unchanged_files_embeds_nothing(tmp_path: Path) -> None:
    files = copy_letters(tmp_path / "in", SHORT_LETTERS[:2])
    store = tmp_path / "store"
    first = run_ingest(tmp_path / "in", "--store", store)
    assert first.returncode == 0, first.stderr
    assert [status_of(first.stdout, f) for f in files] == ["new", "new"]
    written, embedded = summary(first.stdout)
    assert written == embedded >= 2
    ids = {c.id for c in open_store(store).all_chunks()}

    again = run_ingest(tmp_path / "in", "--store", store)
    assert again.returncode == 0, again.stderr
    assert [status_of(again.stdout, f) for f in files] == ["unchanged", "unchanged"]
    assert summary(again.stdout) == (0, 0)
    assert "0 chunks written, 0 embedded" in again.stdout
    s = open_store(store)
    assert {c.id for c in s.all_chunks()} == ids
    assert len(assert_consistent(s)) == 2


def test_changed_file_is_updated_and_only_new_passages_are_embedded(tmp_path: Path) -> None:
    multi, short = copy_letters(tmp_path / "in", [MULTI_CHUNK_LETTER, SHORT_LETTERS[0]])
    store = tmp_path / "store"
    first = run_ingest(tmp_path / "in", "--store", store)
    assert first.returncode == 0, first.stderr
    s = open_store(store)
    (old,) = [r for r in s.list_documents() if r.file == str(multi)]
    old_ids = s.chunk_ids_of(old.doc_id)
    assert len(old_ids) == old.chunks >= 3  # the test needs a multi-chunk file

    multi.write_text(multi.read_text(encoding="utf-8").rstrip() + f"\n\n{APPENDED}\n")
    second = run_ingest(tmp_path / "in", "--store", store)
    assert second.returncode == 0, second.stderr
    assert status_of(second.stdout, multi) == "updated"
    assert status_of(second.stdout, short) == "unchanged"
    written, embedded = summary(second.stdout)

    s = open_store(store)
    records = assert_consistent(s)
    assert len(records) == 2
    (new,) = [r for r in records if r.file == str(multi)]
    assert new.doc_id != old.doc_id and s.get_document(old.doc_id) is None
    assert not s.existing_ids(old_ids)  # the old version's chunks are gone
    assert written == new.chunks
    assert 1 <= embedded < written  # unchanged passages kept their vectors
    assert any(APPENDED[:60] in c.text for c in s.all_chunks(where={"document_id": new.doc_id}))


def test_prune_removes_the_document_of_a_deleted_file(tmp_path: Path) -> None:
    keep, gone = copy_letters(tmp_path / "in", SHORT_LETTERS[:2])
    store = tmp_path / "store"
    assert run_ingest(tmp_path / "in", "--store", store).returncode == 0
    s = open_store(store)
    (rec,) = [r for r in s.list_documents() if r.file == str(gone)]
    assert s.chunk_ids_of(rec.doc_id)

    gone.unlink()
    pruned = run_ingest("--prune", "--store", store)  # --prune needs no PATH
    assert pruned.returncode == 0, pruned.stderr
    assert f"- pruned    {gone}" in pruned.stdout
    assert "pruned 1;" in pruned.stdout
    s = open_store(store)
    records = assert_consistent(s)
    assert [r.file for r in records] == [str(keep)]
    assert s.get_document(rec.doc_id) is None and s.chunk_ids_of(rec.doc_id) == []


def test_same_content_under_two_names_is_stored_once(tmp_path: Path) -> None:
    src = letter(SHORT_LETTERS[0])
    first, second = tmp_path / "in" / "a-brief.txt", tmp_path / "in" / "b-kopie.txt"
    first.parent.mkdir()
    first.write_bytes(src.read_bytes())
    second.write_bytes(src.read_bytes())
    store = tmp_path / "store"
    proc = run_ingest(tmp_path / "in", "--store", store)
    assert proc.returncode == 0, proc.stderr
    assert status_of(proc.stdout, first) == "new"
    assert status_of(proc.stdout, second) == "duplicate"
    assert "(1 duplicates)" in proc.stdout
    written, embedded = summary(proc.stdout)
    assert written == embedded  # the duplicate was not embedded again

    s = open_store(store)
    (rec,) = assert_consistent(s)
    assert (rec.file, rec.aliases) == (str(first), (str(second),))
    assert s.count_chunks() == rec.chunks == written

    listed = run_ingest("--list", "--store", store)
    assert f"    file: {first} (also: {second})" in listed.stdout.splitlines()

    again = run_ingest(tmp_path / "in", "--store", store)
    assert [status_of(again.stdout, f) for f in (first, second)] == ["unchanged", "unchanged"]
    assert summary(again.stdout) == (0, 0)


def _interrupt_after_first_new(tmp_path: Path, sig: signal.Signals) -> subprocess.CompletedProcess:
    """Run the CLI over several letters and send `sig` right after its first "+ new" line."""
    store = tmp_path / "store"
    proc = subprocess.Popen(
        ingest_cmd(tmp_path / "in", "--store", store),
        cwd=ROOT,
        env=cli_env(store),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    watchdog = threading.Timer(600, proc.kill)
    watchdog.start()
    lines = []
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line)
            if line.startswith("+ new"):
                proc.send_signal(sig)
                break
        rest, err = proc.communicate(timeout=120)
    finally:
        watchdog.cancel()
    out = "".join(lines) + rest
    assert any(ln.startswith("+ new") for ln in lines), out + err
    # the run was cut short: not every file got its status line
    assert "chunks written" not in out and out.count("+ new") < len(SHORT_LETTERS)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def _rerun_completes(tmp_path: Path, files: list[Path]) -> None:
    store = tmp_path / "store"
    s = open_store(store)  # opens after the interruption, and lists what is there
    half_written = [r.file for r in s.list_documents() if not r.complete]
    done_before = [r.file for r in s.list_documents() if r.complete]

    again = run_ingest(tmp_path / "in", "--store", store)
    assert again.returncode == 0, again.stdout + again.stderr
    for path in half_written:
        assert f"recovered: removed the half-written {path}" in again.stdout
    for f in files:
        expected = "unchanged" if str(f) in done_before else "new"
        assert status_of(again.stdout, f) == expected
    records = assert_consistent(open_store(store))
    assert sorted(r.file for r in records) == sorted(str(f) for f in files)


def test_sigkill_mid_run_leaves_a_store_that_reopens_and_finishes(tmp_path: Path) -> None:
    files = copy_letters(tmp_path / "in", SHORT_LETTERS)
    killed = _interrupt_after_first_new(tmp_path, signal.SIGKILL)
    assert killed.returncode == -signal.SIGKILL
    _rerun_completes(tmp_path, files)


def test_ctrl_c_exits_130_and_says_interrupted(tmp_path: Path) -> None:
    files = copy_letters(tmp_path / "in", SHORT_LETTERS)
    stopped = _interrupt_after_first_new(tmp_path, signal.SIGINT)
    assert stopped.returncode == 130, stopped.stdout + stopped.stderr
    assert "interrupted" in stopped.stderr
    assert "Traceback" not in stopped.stderr
    _rerun_completes(tmp_path, files)


@pytest.mark.server
def test_ingest_and_list_against_a_chroma_server(tmp_path: Path, chroma_server: str) -> None:
    files = copy_letters(tmp_path / "in", SHORT_LETTERS[:2])
    collection = f"ingest_{tmp_path.name[-24:]}".replace("-", "_")
    # RAG_STORE points at a path that must stay unused: the server holds everything
    env = cli_env(tmp_path / "unused", RAG_COLLECTION=collection)
    proc = run_ingest(tmp_path / "in", "--chroma-url", chroma_server, env=env)
    assert proc.returncode == 0, proc.stderr
    assert [status_of(proc.stdout, f) for f in files] == ["new", "new"]
    assert f"store: {chroma_server}" in proc.stdout
    assert not (tmp_path / "unused").exists()

    listed = run_ingest("--list", "--json", "--chroma-url", chroma_server, env=env)
    assert listed.returncode == 0, listed.stderr
    docs = json.loads(listed.stdout)
    assert sorted(d["file"] for d in docs) == sorted(str(f) for f in files)
    text = run_ingest("--list", "--chroma-url", chroma_server, env=env).stdout
    assert f"2 documents, {sum(d['chunks'] for d in docs)} chunks." in text
    assert "formation: JBZ-Raad / Justice and Home Affairs Council; meeting: 1991-11-13" in text

    s = open_store(chroma_url=chroma_server, RAG_COLLECTION=collection)
    assert_consistent(s)
    again = run_ingest(tmp_path / "in", "--chroma-url", chroma_server, env=env)
    assert summary(again.stdout) == (0, 0)
