"""Hostile report text in LLM mode, with the real SmolLM2 (llama.cpp) behind the app, in Chromium.

The store holds a corpus report and the attacker's report (`tests.hostile`): "ignore all previous
instructions", a fake "System:" line, `<script>`, `<img onerror>`, a `javascript:` link, bare URLs.
The app is started with `RAG_LLM=gguf:<SmolLM2>` and answers in LLM mode (or falls back to the
extractive answer when the model cites nothing valid). Whatever the model makes of the payloads:
- no dialog fires and no payload element is in the DOM (`_no_payload`);
- every `[n]` left in the answer names a source box shown under it, and every shown passage is a
  passage of the store, word for word;
- a marker naming no source given is removed, and every warning under the answer is in Dutch.
The scripted-model twin with exact output is `tests/test_hostile.py::test_llm_output_*`.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from rag.core.store import Store
from rag.core.terminal import printable
from tests import test_browser
from tests.conftest import config_for
from tests.hostile import QUESTION
from tests.llm_server import smollm_path
from tests.test_browser import (
    AppServer,
    ask,
    last_answer,
    launch_chromium,
    shot,
    start_app,
    sync_api,
)
from tests.test_browser_hostile import _no_payload

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.llm]
_MARKER = re.compile(r"\[(\d+)\]")
# The source boxes of an answer: each is the block around a "whole agenda item" expander; its
# first Markdown outside captions and the expander is the "[n] title" heading, the next the passage.
SOURCES_JS = """el => [...el.querySelectorAll('[data-testid="stExpander"]')].map(x => {
  const block = x.parentElement.closest('[data-testid="stVerticalBlock"]');
  const md = [...block.querySelectorAll('[data-testid="stMarkdownContainer"]')].filter(
    m => !m.closest('[data-testid="stExpander"]') && !m.closest('[data-testid="stCaptionContainer"]'));
  return [md[0].innerText, md[1].innerText];
})"""


def _flat(text: str) -> str:
    """Text as a reader sees it: no word joiners or control sequences, white space collapsed."""
    return " ".join(printable(text.replace("\u2060", "")).split())


@pytest.fixture(scope="module")
def work(hostile_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("browser-hostile-llm")
    shutil.copytree(hostile_store, work / "store")
    return work


@pytest.fixture(scope="module")
def passages(work: Path) -> list[str]:
    """Every passage of the store, read before the app opens it."""
    return [_flat(c.text) for c in Store(config_for(work / "store")).all_chunks()]


@pytest.fixture(scope="module")
def server(work: Path, passages: list[str]) -> Iterator[AppServer]:
    server = start_app(
        work / "store",
        work / "uploads",
        work / "streamlit.log",
        RAG_LLM=f"gguf:{smollm_path()}",
        RAG_LLM_TIMEOUT="300",
        RAG_TOP_K="3",
    )
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def page(server: AppServer) -> Iterator[object]:
    # A CPU model on a shared 2-core machine: give the answer (and the model's start) time.
    with pytest.MonkeyPatch.context() as mp, sync_api.sync_playwright() as p:
        mp.setattr(test_browser, "ANSWER_TIMEOUT_MS", 300_000)
        browser = launch_chromium(p)
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        pg = context.new_page()
        pg.dialogs = []  # type: ignore[attr-defined]
        pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))  # type: ignore[attr-defined]
        pg.set_default_timeout(60_000)
        pg.goto(server.url)
        test_browser.wait_ready(pg, 300_000)
        yield pg
        context.close()
        browser.close()


def test_llm_answer_over_a_hostile_report_is_inert_and_cites_real_passages(
    page,  # type: ignore[no-untyped-def]
    passages: list[str],
) -> None:
    sync_api.expect(page.get_by_test_id("stSidebar")).to_contain_text("SmolLM2")
    ask(page, QUESTION)
    answer = last_answer(page)
    captions = answer.get_by_test_id("stCaptionContainer").all_inner_texts()
    mode = next(c for c in captions if c.startswith("Modus: "))
    fallback = any("had geen geldige bronverwijzing" in c for c in captions)  # said in Dutch
    assert mode.startswith("Modus: llm") or (mode.startswith("Modus: extractive") and fallback), (
        captions
    )
    shot(page, "hostile-llm-1-answer")
    # (a) Nothing the model or the report wrote became an element, a link or a dialog.
    page.wait_for_timeout(500)
    _no_payload(page)
    # (b) Every source box shows a passage of the store, word for word, under its own number.
    shown: dict[int, str] = {}
    for heading, body in answer.evaluate(SOURCES_JS):
        # each source box has two expanders (its agenda item, its original): read the box once
        m = re.match(r"\[(\d+)\]", heading.strip())
        if m:
            shown[int(m[1])] = _flat(body)
    assert shown, "an answer that is not an abstention shows its sources"
    for n, body in shown.items():
        assert any(body == p for p in passages), (n, body[:200])
    # (c) Every marker left in the answer names a source given (1..top_k) and shown under it;
    # a marker the model invented was removed, not rendered.
    first = answer.get_by_test_id("stMarkdownContainer").first.inner_text()
    cited = {int(n) for n in _MARKER.findall(first)}
    assert cited <= set(shown) and all(1 <= n <= 3 for n in cited), (first, sorted(shown))
    if mode.startswith("Modus: llm"):
        assert cited, "an LLM answer keeps at least one valid citation, or it falls back"
        assert set(shown) == cited
    # Every warning is in the interface language (rag.ui.text.WARNINGS), none in English.
    assert not [c for c in captions if "The LLM" in c], captions
