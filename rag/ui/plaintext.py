"""An answer as plain text for the clipboard, and which of its sources were deleted since.

The copy holds the answer without Markdown (no `**`, bullets kept as "- ") and its cited sources,
numbered as in the answer, each with report, meeting, agenda item, page and the quoted passage.
Control characters and terminal escape sequences are dropped (`rag.core.terminal`); nothing else
is escaped, because plain text pasted into an e-mail or a note renders nothing. Nothing here
imports Streamlit.
"""

from __future__ import annotations

import html
import json
from collections.abc import Collection, Sequence

from rag.core.models import Answer, Citation
from rag.core.terminal import printable
from rag.ui.render import SourceView
from rag.ui.text import t


def answer_plaintext(answer: Answer, lang: str = "nl") -> str:
    """The answer and its cited sources as plain text.

    >>> from rag.core.models import Citation
    >>> c = Citation(1, "d", "v.txt", "Verslag JBZ-Raad", "JBZ-Raad", "2020-12-14", "2. Asiel",
    ...              3, "Nederland  steunde\\nhet pact.", 0.9)
    >>> print(answer_plaintext(Answer("Q?", "**JBZ-Raad — 2. Asiel**\\n- Nederland steunde [1]",
    ...       False, (c,)), "en"))
    JBZ-Raad — 2. Asiel
    - Nederland steunde [1]
    <BLANKLINE>
    Sources
    [1] Verslag JBZ-Raad — JBZ-Raad · 2020-12-14 · 2. Asiel · p. 3
        "Nederland steunde het pact."
    """
    lines = [_plain_line(line) for line in printable(answer.answer).split("\n")]
    if answer.citations:
        lines += ["", t(lang, "sources")]
        lines += [_source(c, lang) for c in answer.citations]
    return "\n".join(lines).strip()


def _plain_line(line: str) -> str:
    stripped = line.strip()
    if stripped.startswith("**") and stripped.endswith("**") and len(stripped) > 4:
        return stripped[2:-2]
    return line


def _source(c: Citation, lang: str) -> str:
    where = [
        c.formation,
        c.meeting_date,
        c.section,
        f"{t(lang, 'page')} {c.page}" if c.page else "",
    ]
    head = f"[{c.n}] {printable(c.title or c.file)}"
    details = printable(" · ".join(w for w in where if w))
    passage = " ".join(printable(c.text).split())
    return f'{head} — {details}\n    "{passage}"' if details else f'{head}\n    "{passage}"'


def deleted_sources(sources: Sequence[SourceView], stored: Collection[str]) -> list[SourceView]:
    """The sources whose report is no longer in the store (`stored`: the ids it holds now).

    >>> from rag.ui.render import SourceView
    >>> v = SourceView(1, "[1] x", "", "", "", "", doc_id="gone")
    >>> [s.n for s in deleted_sources([v], {"other"})]
    [1]
    """
    return [v for v in sources if v.doc_id and v.doc_id not in stored]


def copy_button_html(text: str, label: str, done: str) -> str:
    """A self-contained page with one button that copies `text` to the clipboard.

    The text travels as JSON inside a `<script type="application/json">` with `<`, `>` and `&`
    written as JSON escapes, so no report text can close the element or form markup. The
    Clipboard API is used where the browser allows it (the app's frame grants clipboard-write),
    else the older `execCommand("copy")` on a hidden text area.

    >>> "</script><b>" in copy_button_html("</script><b>", "Copy", "Copied")
    False
    """
    data = json.dumps(text).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    labels = json.dumps([label, done])
    return (
        _COPY_PAGE.replace("@DATA@", data)
        .replace("@LABELS@", labels)
        .replace("@LABEL@", html.escape(label))
    )


_COPY_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><style>
body { margin: 0; font-family: "Source Sans Pro", sans-serif; }
button { font: inherit; font-size: 14px; padding: 4px 12px; border-radius: 8px; cursor: pointer;
  border: 1px solid rgba(49, 51, 63, 0.2); background: white; color: rgb(49, 51, 63); }
button:hover { border-color: rgb(255, 75, 75); color: rgb(255, 75, 75); }
</style></head><body>
<button id="copy" type="button">@LABEL@</button>
<script id="text" type="application/json">@DATA@</script>
<script>
const text = JSON.parse(document.getElementById("text").textContent);
const [label, done] = @LABELS@;
const button = document.getElementById("copy");
function copied() {
  button.textContent = "✓ " + done;
  button.dataset.copied = "1";
  setTimeout(() => { button.textContent = label; }, 4000);
}
function fallback() {
  const area = document.createElement("textarea");
  area.value = text;
  document.body.appendChild(area);
  area.select();
  document.execCommand("copy");
  area.remove();
  copied();
}
button.addEventListener("click", () => {
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(text).then(copied, fallback);
  } else {
    fallback();
  }
});
</script></body></html>
"""
