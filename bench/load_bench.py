"""Many officials at once: 8 browser sessions x 5 questions against one `streamlit run`, with an
editor uploading a report in the middle (`make bench-load`).

    python -m bench.load_bench [--store DIR] [--sessions 8] [--questions 5]

Starts the app with `RAG_AUTH=users` over a copy of the store (8 readers and one editor in a users
file in a temporary directory), opens one headless Chromium with a context per session (Debian's
/usr/bin/chromium), signs each in, and lets all of them ask at the same time. When every session
has asked two questions, the editor uploads a report; the readers' remaining questions include one
about that report. The clock runs inside each page, from the Enter keydown to the first text of
the new answer (`bench.ui_latency._PROBE`). Reports answers rendered, errors (an error message, a
missing answer or a timeout; target 0), p50/p95 time to first text, the upload's duration, and
whether the new report was cited after it.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench.ui_latency import _IDLE, _PROBE, CHROMIUM_ARGS, QUESTIONS, ROOT, _free_port
from rag.core.config import Config

UPLOAD = (
    "Verslag van de Energieraad van 9 juni 2032\n\n1. Waterstofnetten\n\n"
    "Nederland pleitte voor een Europees netwerk van waterstofleidingen langs de Noordzeekust "
    "met een eerste aanbesteding in 2034. De Commissie zegde een voorstel toe.\n"
)
UPLOAD_QUESTION = "Wat zei Nederland over waterstofleidingen langs de Noordzeekust?"
TIMEOUT_MS = 180_000


def _users(path: Path, n: int) -> None:
    from rag.ui.auth import add_user

    add_user(path, "editor", "editor-password", "editor")
    for i in range(n):
        add_user(path, f"reader{i}", f"reader{i}-password", "reader")


def _start(store: Path, work: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    env = dict(
        os.environ,
        RAG_STORE=str(store), RAG_CHROMA_URL="", RAG_UPLOADS=str(work / "uploads"),
        RAG_AUTH="users", RAG_USERS=str(work / "users.yaml"), RAG_AUDIT=str(work / "audit.jsonl"),
        RAG_LLM="", HF_HUB_OFFLINE="1",
    )  # fmt: skip
    cmd = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
           "--server.headless", "true", "--browser.gatherUsageStats", "false",
           "--server.address", "127.0.0.1", "--server.port", str(port),
           "--server.fileWatcherType", "none"]  # fmt: skip
    log = (work / "streamlit.log").open("wb")
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                return proc, url
        except OSError:
            time.sleep(0.3)
    proc.terminate()
    raise SystemExit(f"the app did not start; see {work / 'streamlit.log'}")


async def _idle(page) -> None:  # type: ignore[no-untyped-def]
    await page.evaluate("() => { window.__idleSince = undefined; }")
    await page.wait_for_function(_IDLE, timeout=TIMEOUT_MS)


async def _sign_in(browser, url: str, name: str, password: str):  # type: ignore[no-untyped-def]
    page = await (await browser.new_context(viewport={"width": 1300, "height": 900})).new_page()
    page.set_default_timeout(TIMEOUT_MS)
    await page.goto(url)
    await page.get_by_label("Gebruikersnaam").fill(name)
    await page.get_by_label("Wachtwoord").fill(password)
    await page.get_by_role("button", name="Inloggen").click()
    await page.get_by_test_id("stChatInputTextArea").wait_for()
    await page.evaluate(_PROBE)
    await _idle(page)
    return page


async def _ask(page, question: str) -> tuple[float | None, str]:  # type: ignore[no-untyped-def]
    """(ms to first answer text or None, the answer's text or the error shown)."""
    await _idle(page)
    area = page.get_by_test_id("stChatInputTextArea")
    await area.fill(question)
    await page.evaluate("() => { window.__t0 = null; window.__t1 = null; }")
    if await area.input_value() != question:
        await area.fill(question)
    await area.press("Enter")
    try:
        await page.wait_for_function(
            "() => window.__t1 !== null || "
            '!!document.querySelector(\'[data-testid="stChatMessage"]:last-of-type [data-testid="stAlertContentError"]\')',
            timeout=TIMEOUT_MS,
        )
    except Exception as exc:  # noqa: BLE001 - a timeout is an error of the run, counted
        return None, f"timeout: {type(exc).__name__}"
    elapsed = await page.evaluate("() => window.__t1 === null ? null : window.__t1 - window.__t0")
    await _idle(page)
    last = page.get_by_test_id("stChatMessage").last
    errors = last.get_by_test_id("stAlertContentError")
    if await errors.count():
        return None, "error: " + (await errors.first.inner_text())
    return (float(elapsed) if elapsed is not None else None), await last.inner_text()


async def _session(browser, url: str, i: int, n: int, gate: asyncio.Event, asked: list[int],
                   results: list[tuple[int, str, float | None, str]]) -> None:  # fmt: skip
    page = await _sign_in(browser, url, f"reader{i}", f"reader{i}-password")
    for j in range(n):
        if j == 2:
            asked[0] += 1
            await gate.wait()  # the rest is asked after the editor's upload
        q = UPLOAD_QUESTION if j == n - 1 else QUESTIONS[(i + j) % len(QUESTIONS)]
        ms, text = await _ask(page, q)
        results.append((i, q, ms, text))


async def _run(url: str, sessions: int, questions: int, chromium: str) -> dict[str, object]:
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        warm = await _sign_in(browser, url, "reader0", "reader0-password")
        await _ask(warm, "Wat zei Nederland over interoperabiliteit?")  # model and index load
        await warm.context.close()
        editor = await _sign_in(browser, url, "editor", "editor-password")
        gate, asked, results = asyncio.Event(), [0], []
        t0 = time.perf_counter()
        tasks = [asyncio.create_task(_session(browser, url, i, questions, gate, asked, results))
                 for i in range(sessions)]  # fmt: skip
        while asked[0] < sessions and not all(t.done() for t in tasks):
            await asyncio.sleep(0.2)
        u0 = time.perf_counter()
        await editor.get_by_role("tab", name="Verslagen").click()
        await editor.locator("input[type='file']").set_input_files(
            [{"name": "energieraad-2032.txt", "mimeType": "text/plain", "buffer": UPLOAD.encode()}]
        )
        await editor.get_by_role("button", name="Toevoegen").click()
        await (
            editor.get_by_test_id("stAlert")
            .filter(has_text="toegevoegd")
            .first.wait_for(timeout=TIMEOUT_MS)
        )
        upload_s = time.perf_counter() - u0
        gate.set()
        await asyncio.gather(*tasks)
        wall = time.perf_counter() - t0
        await browser.close()
    return {"results": results, "upload_s": upload_s, "wall_s": wall}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--store", default=Config.from_env().store, help="store (default: RAG_STORE)")
    p.add_argument("--sessions", type=int, default=8)
    p.add_argument("--questions", type=int, default=5)
    p.add_argument("--chromium", default="/usr/bin/chromium")
    args = p.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="load-bench-") as tmp:
        work = Path(tmp)
        shutil.copytree(args.store, work / "store")
        _users(work / "users.yaml", args.sessions)
        proc, url = _start(work / "store", work)
        try:
            out = asyncio.run(_run(url, args.sessions, args.questions, args.chromium))
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    results = out["results"]
    assert isinstance(results, list)
    times = sorted(ms for _, _, ms, _ in results if ms is not None)
    errors = [(i, q, text) for i, q, ms, text in results if ms is None]
    cited = [text for _, q, ms, text in results if q == UPLOAD_QUESTION and ms is not None]
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))] if times else float("nan")
    print(f"sessions {args.sessions} x questions {args.questions}, one upload in the middle")
    print(f"answers rendered: {len(times)} of {len(results)}; errors: {len(errors)}")
    for i, q, text in errors:
        print(f"  error in session {i}: {q!r}: {text[:200]}")
    print(
        f"time to first answer text: p50 {statistics.median(times):.0f} ms, p95 {p95:.0f} ms, "
        f"max {times[-1]:.0f} ms"
        if times
        else "no answers"
    )
    print(f"upload (editor, during the load): {out['upload_s']:.1f} s; wall {out['wall_s']:.0f} s")
    found = sum("waterstofleidingen" in t for t in cited)
    print(f"the uploaded report cited after the upload: {found} of {len(cited)} sessions")
    return 0 if not errors else 1


if __name__ == "__main__":
    raise SystemExit(main())
