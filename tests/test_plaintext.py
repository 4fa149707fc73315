"""The copy button's text and page, and the sources of deleted reports: plain functions, hostile
report text included (tests.hostile's strings), no browser."""

from __future__ import annotations

import json
import re

from rag.core.models import Answer, Citation
from rag.ui.plaintext import answer_plaintext, copy_button_html, deleted_sources
from rag.ui.render import SourceView

HOSTILE = (
    "Nederland zei </script><script>alert(1)</script> en [x](javascript:alert(1)) "
    "\x1b[2J& \u202eomgekeerd `code` $x$ :red[rood]"
)


def _answer(text: str = HOSTILE) -> Answer:
    cites = (
        Citation(1, "a", "/u/a.pdf", "Verslag <b>", "JBZ-Raad", "2020-12-14", "2. Asiel", 3, text, 1.0),
        Citation(2, "b", "/u/b.txt", "", "", "", "", None, "Tweede  bron.\nRegel twee.", 0.5),
    )  # fmt: skip
    return Answer("Q?", f"**JBZ-Raad — 2. Asiel**\n- {text} [1]\n- Tweede bron. [2]", False, cites)


def test_plain_text_has_the_answer_and_numbered_sources_without_markdown() -> None:
    text = answer_plaintext(_answer("De Raad besprak het pact."), "nl")
    assert text.splitlines() == [
        "JBZ-Raad — 2. Asiel",
        "- De Raad besprak het pact. [1]",
        "- Tweede bron. [2]",
        "",
        "Bronnen",
        "[1] Verslag <b> — JBZ-Raad · 2020-12-14 · 2. Asiel · p. 3",
        '    "De Raad besprak het pact."',
        "[2] /u/b.txt",
        '    "Tweede bron. Regel twee."',
    ]
    assert answer_plaintext(_answer("x"), "en").splitlines()[4] == "Sources"


def test_plain_text_drops_terminal_escapes_and_bidi_overrides() -> None:
    text = answer_plaintext(_answer(), "nl")
    assert "\x1b" not in text and "\u202e" not in text
    assert "</script><script>alert(1)</script>" in text  # plain text: shown as written


def test_copy_page_carries_the_text_as_inert_json() -> None:
    text = answer_plaintext(_answer(), "nl")
    page = copy_button_html(text, "Kopiëren", "Gekopieerd")
    (data,) = re.findall(r'<script id="text" type="application/json">(.*?)</script>', page, re.S)
    assert json.loads(data) == text  # the button copies exactly the plain text
    # Only our own three script tags: nothing in the text closes or opens an element.
    assert page.count("<script") == 2 and page.count("</script>") == 2
    assert "<b>" not in page and "&" not in data


def test_deleted_sources_are_those_whose_report_is_gone() -> None:
    views = [SourceView(n, f"[{n}]", "", "", "", "", doc_id=d) for n, d in ((1, "a"), (2, "b"))]
    assert [v.n for v in deleted_sources(views, {"b"})] == [1]
    assert deleted_sources(views, {"a", "b"}) == []
