"""Shared fixtures: the real corpus, the real bundled embedder, real Chroma (embedded and server).

Building a store over the whole corpus with the real e5 model takes about half a minute, so it is
done once per session (`corpus_store_dir`); tests that change a store work on a copy.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
JBZ = CORPUS / "jbz-2020" / "2020-12-14_verslag-informele-jbz-raad.txt"
SGD = CORPUS / "sgd-1988-1994"

# The tests must never reach a model hub; make any attempt fail fast instead of hanging.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
# The lexical index of a Chroma server is cached under XDG_CACHE_HOME; keep the tests' own there.
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="rag-test-cache-")


def config_for(store: Path | str = "", chroma_url: str = "", **env: str):
    """A Config for tests, ignoring the developer's own environment and .env."""
    from rag.core.config import Config

    base = {"RAG_STORE": str(store), "RAG_CHROMA_URL": chroma_url}
    if str(store):  # OCR results are cached beside the test's store, not in the work tree
        base["RAG_OCR_CACHE"] = f"{store}-ocr-cache"
    base.update(env)
    return Config.from_env(base, dotenv=Path("/nonexistent"))


@pytest.fixture(scope="session")
def corpus() -> Path:
    assert CORPUS.is_dir(), f"the sample corpus is missing at {CORPUS}"
    return CORPUS


@pytest.fixture(scope="session")
def e5():
    from rag.core.embedders import load_embedder

    return load_embedder("e5-small")


@pytest.fixture(scope="session")
def corpus_store_dir(tmp_path_factory: pytest.TempPathFactory, e5, corpus: Path) -> Path:
    """An embedded store holding the whole sample corpus, built once with the real model."""
    from ingest.pipeline import Ingestor
    from rag.core.store import Store

    path = tmp_path_factory.mktemp("corpus-store")
    config = config_for(path)
    report = Ingestor(Store(config), e5, config).run([corpus])
    failed = [r for r in report.results if r.status == "failed"]
    assert not failed, failed
    return path


@pytest.fixture(scope="session")
def hostile_store(tmp_path_factory: pytest.TempPathFactory, e5) -> Path:
    """An embedded store of one corpus report and one written by an attacker (tests.hostile)."""
    from ingest.pipeline import Ingestor
    from rag.core.store import Store
    from tests.hostile import write_report

    work = tmp_path_factory.mktemp("hostile")
    path = work / "store"
    config = config_for(path)
    report = write_report(work / "reports")
    result = Ingestor(Store(config), e5, config).run([JBZ, report])
    assert all(r.status == "new" for r in result.results), result.results
    return path


@pytest.fixture
def store_copy(corpus_store_dir: Path, tmp_path: Path) -> Path:
    """A private copy of the corpus store for tests that change it."""
    dest = tmp_path / "store"
    shutil.copytree(corpus_store_dir, dest)
    return dest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_port(port: int, timeout: float = 30.0) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {timeout} s")


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real `chroma run` server on 127.0.0.1; yields its URL."""
    path = tmp_path_factory.mktemp("chroma-server")
    port = free_port()
    chroma = Path(sys.executable).with_name("chroma")
    proc = subprocess.Popen(
        [str(chroma), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=20)
