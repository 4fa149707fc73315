"""How long an official waits in the browser: from pressing Enter to the first answer text.

    python -m bench.ui_latency [--store DIR] [-n 5]

Starts `streamlit run app.py` (offline, on a free port of 127.0.0.1) over the store, opens it in
headless Chromium (Debian's /usr/bin/chromium), asks one warm-up question (the model loads and the
lexical index is built), then N questions. The clock runs inside the page: from the Enter keydown
to the moment the new assistant message shows text (a MutationObserver), so Playwright's own
round trips are not counted. Prints each time and p50/max in milliseconds.
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from rag.core.config import Config

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
QUESTIONS = [
    "Wat zei de Commissie over Europol?",
    "What did the Netherlands say about the return directive?",
    "Welke lidstaten noemden verplichte grensprocedures?",
    "What was said about the fishing quotas?",
    "Wat zei het Portugese voorzitterschap over legale migratie?",
    "What did the presidency say about the migration pact?",
    "Wat besprak de Ecofin-Raad in 1989?",
]
WARM_UP = "Wat zei Nederland over interoperabiliteit?"

# Installed once per page: stamps the Enter keydown and the first text of the answer after it.
_PROBE = """
() => {
  window.__t0 = null; window.__t1 = null; window.__tu = null; window.__need = 0;
  // On the document, not the text area: Streamlit may re-create the element between runs.
  document.addEventListener('keydown', e => {
    if (e.key !== 'Enter' || !e.target.matches('[data-testid="stChatInputTextArea"]')) return;
    window.__need = document.querySelectorAll('[data-testid="stChatMessage"]').length + 2;
    window.__t1 = null; window.__tu = null; window.__t0 = performance.now();
  }, {capture: true});
  new MutationObserver(() => {
    if (window.__t0 === null || window.__t1 !== null) return;
    const msgs = document.querySelectorAll('[data-testid="stChatMessage"]');
    if (window.__tu === null && msgs.length >= window.__need - 1) window.__tu = performance.now();
    if (msgs.length < window.__need) return;
    const last = msgs[msgs.length - 1];
    const md = last.querySelector('[data-testid="stMarkdownContainer"]');
    if (md && md.textContent.trim()) window.__t1 = performance.now();
  }).observe(document.body, {subtree: true, childList: true, characterData: true});
}
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(store: str, uploads: str, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    env = dict(os.environ, RAG_STORE=store, RAG_UPLOADS=uploads, HF_HUB_OFFLINE="1")
    cmd = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py")]
    cmd += ["--server.headless", "true", "--browser.gatherUsageStats", "false"]
    cmd += ["--server.address", "127.0.0.1", "--server.port", str(port)]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                return proc, url
        except OSError:
            time.sleep(0.3)
    proc.terminate()
    raise SystemExit(f"the app did not start; see {log}")


def _ask(page, question: str, timeout_ms: float = 120_000) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """Ask; return (in-page ms to first answer text, ms in the answer's caption).

    The caption's figure is the assistant's total, which also counts the time Streamlit took to
    show the streamed text, so it is printed for context only.
    """
    _wait_idle(page, timeout_ms)
    area = page.get_by_test_id("stChatInputTextArea")
    area.fill(question)
    page.evaluate("() => { window.__t0 = null; window.__t1 = null; }")
    if area.input_value() != question:  # wiped by a late re-render: type it again
        area.fill(question)
    area.press("Enter")
    page.wait_for_function("() => window.__t1 !== null", timeout=timeout_ms)
    elapsed = page.evaluate("() => window.__t1 - window.__t0")
    last = page.get_by_test_id("stChatMessage").last
    caption = last.get_by_test_id("stCaptionContainer").filter(has_text=re.compile(r"\d+ ms$"))
    caption.first.wait_for(timeout=timeout_ms)
    own = float(re.findall(r"(\d+) ms", caption.first.inner_text())[-1])
    _wait_idle(page, timeout_ms)
    return float(elapsed), own


# True once no script run has been in progress for 300 ms (the running indicator shows with a
# delay, and a run's last re-render of the chat input wipes text typed before it).
_IDLE = """() => {
  const busy = !!document.querySelector('[data-testid="stStatusWidget"]');
  const now = performance.now();
  if (busy || window.__idleSince === undefined) {
    window.__idleSince = busy ? undefined : now;
    return false;
  }
  return now - window.__idleSince > 300;
}"""


def _wait_idle(page, timeout_ms: float) -> None:  # type: ignore[no-untyped-def]
    page.evaluate("() => { window.__idleSince = undefined; }")
    page.wait_for_function(_IDLE, timeout=timeout_ms)


def main(argv: list[str] | None = None) -> int:
    from playwright.sync_api import sync_playwright

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--store", default=Config.from_env().store, help="store (default: RAG_STORE)")
    p.add_argument("-n", type=int, default=5, help="warm questions to time (default 5)")
    p.add_argument("--chromium", default="/usr/bin/chromium")
    args = p.parse_args(argv)
    questions = [QUESTIONS[i % len(QUESTIONS)] for i in range(args.n)]
    with tempfile.TemporaryDirectory(prefix="ui-latency-") as tmp:
        log = Path(tmp) / "streamlit.log"
        proc, url = _start(args.store, str(Path(tmp) / "uploads"), log)
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                page.goto(url)
                page.get_by_test_id("stChatInputTextArea").wait_for(timeout=120_000)
                page.evaluate(_PROBE)
                cold, _ = _ask(page, WARM_UP)
                print(f"warm-up (model load, index build): {cold:.0f} ms")
                times = []
                print("first text  answer caption  question")
                for q in questions:
                    ms, assistant_ms = _ask(page, q)
                    times.append(ms)
                    print(f"{ms:7.0f} ms {assistant_ms:11.0f} ms  {q}")
                browser.close()
        finally:
            proc.terminate()
            proc.wait(timeout=20)
    print(
        f"time to first answer text, warm, extractive, n={len(times)}: "
        f"p50 {statistics.median(times):.0f} ms, max {max(times):.0f} ms"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
