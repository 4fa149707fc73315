"""Draft evaluation questions from the app's feedback (`python -m rag.eval --from-feedback FILE`).

Every answer marked "wrong" or "incomplete" becomes one line in the question-file format of
`rag.answer.eval.metrics`: its id (`fb-` and when the feedback was given), the question as the
assistant read it (a follow-up's standalone form, so the line stands alone), its language, and
empty `gold` and `facts` for a person to fill from the reports. What that person needs to decide
is under the `draft` key: the verdict and comment, the answer given with the passages it cited,
the filters and the store version. `load_questions` refuses a line that still has `draft`, so an
unfinished draft can never be scored by accident. The same question asked twice is one draft.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from rag.answer.eval.metrics import DRAFT_KEY, KINDS
from rag.answer.question import detect_language
from rag.core.feedback import TO_REVIEW, Feedback

TODO = (
    "TO DO: read the cited reports; put verbatim report phrases that answer the question in "
    "'gold' and the phrases a right answer must contain in 'facts' (or set 'unanswerable': true "
    "and leave both empty), then delete this 'draft' key."
)


def draft_questions(entries: Iterable[Feedback], taken: Sequence[str] = ()) -> list[dict[str, Any]]:
    """The draft lines for the entries to review, oldest first; ids never repeat `taken`.

    >>> fb = Feedback("wrong", "Wat zei Nederland?", {"answer": "x", "citations": []},
    ...               comment="Mist de Terugkeerrichtlijn", time="2026-01-02T03:04:05+00:00")
    >>> d = draft_questions([fb, Feedback("right", "Q?", {})])
    >>> [(x["id"], x["lang"], x["gold"], x["draft"]["verdict"]) for x in d]
    [('fb-20260102-030405', 'nl', [], 'wrong')]
    """
    seen: dict[str, dict[str, Any]] = {}
    used = set(taken)
    for fb in entries:
        if fb.verdict not in TO_REVIEW:
            continue
        q = (fb.standalone_question or fb.question).strip()
        key = " ".join(q.casefold().split())
        if not q:
            continue
        if key in seen:  # asked again: one draft, every comment kept
            seen[key][DRAFT_KEY]["comments"].append(fb.comment)
            continue
        qid = _unique(f"fb-{re.sub(r'[^0-9T]', '', fb.time[:19]).replace('T', '-')}", used)
        line: dict[str, Any] = {
            "id": qid,
            "q": q,
            "lang": detect_language(q),
            "gold": [],
            "facts": [],
            "unanswerable": False,
        }
        intent = str(fb.answer.get("intent", ""))
        if intent in KINDS:
            line["kind"] = intent
        line[DRAFT_KEY] = {
            "todo": TODO,
            "verdict": fb.verdict,
            "comments": [fb.comment],
            "asked": fb.question,
            "answer": fb.answer.get("answer", ""),
            "abstained": fb.answer.get("abstained", False),
            "cited": [_cited(c) for c in fb.answer.get("citations", [])],
            "filters": fb.filters,
            "store_version": fb.store_version,
            "user": fb.user,
            "time": fb.time,
        }
        seen[key] = line
    for line in seen.values():
        line[DRAFT_KEY]["comments"] = [c for c in line[DRAFT_KEY]["comments"] if c]
    return list(seen.values())


def _cited(c: dict[str, Any]) -> str:
    """'[2] title, 2020-12-14, 4. Pact, p. 3: passage' for the person filling in the gold."""
    where = ", ".join(str(c[k]) for k in ("title", "meeting_date", "section") if c.get(k))
    page = f", p. {c['page']}" if c.get("page") else ""
    return f"[{c.get('n', '?')}] {where}{page}: {' '.join(str(c.get('text', '')).split())}"


def _unique(qid: str, used: set[str]) -> str:
    out, i = qid, 1
    while out in used:
        i += 1
        out = f"{qid}-{i}"
    used.add(out)
    return out
