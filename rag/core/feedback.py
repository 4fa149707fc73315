"""Feedback on answers: right, wrong or incomplete, as JSON lines that grow the evaluation.

The app appends one line per verdict to `RAG_FEEDBACK` (default `feedback.jsonl` beside the store,
in the data directory): the verdict, an optional comment, the question (and the standalone
question a follow-up became), the answer's JSON (`Answer.to_json`), the filters it was asked
under, the store's version (so a later reader knows which reports were indexed) and, with
login on, the user. `python -m rag.eval --from-feedback FILE` turns the wrong and incomplete ones
into draft evaluation questions (`rag.answer.eval.drafts`). Appending takes an exclusive `flock`,
as the audit trail does, so lines from several sessions never interleave.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rag.core.errors import RagError
from rag.core.jsonl import append_line

log = logging.getLogger(__name__)

VERDICTS = ("right", "wrong", "incomplete")
TO_REVIEW = ("wrong", "incomplete")  # the verdicts that become draft evaluation questions


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Feedback:
    """One verdict on one answer."""

    verdict: str  # one of VERDICTS
    question: str  # as typed
    answer: dict[str, Any]  # Answer.to_json()
    comment: str = ""
    standalone_question: str = ""  # a follow-up as the assistant read it
    filters: str = ""  # Filters.describe(), "" without filters
    store_version: str = ""  # Store.version() when the feedback was given
    user: str = ""  # the signed-in user with RAG_AUTH, "" without login
    mode: str = ""  # extractive or llm
    time: str = field(default_factory=_now)

    def __post_init__(self) -> None:
        if self.verdict not in VERDICTS:
            raise ValueError(f"verdict must be one of {list(VERDICTS)}, got {self.verdict!r}")

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, obj: Any) -> Feedback:
        """One decoded line; raises TypeError/ValueError naming the problem.

        >>> Feedback.from_json({"verdict": "wrong", "question": "Q?", "answer": {}}).verdict
        'wrong'
        """
        if not isinstance(obj, dict):
            raise TypeError(f"expected a JSON object, got {type(obj).__name__}")
        known = {f.name for f in fields(cls)}
        missing = {"verdict", "question", "answer"} - set(obj)
        if missing:
            raise ValueError(f"missing key(s) {sorted(missing)}")
        if not isinstance(obj["answer"], dict):
            raise TypeError("'answer' must be the answer's JSON object")
        return cls(**{k: v for k, v in obj.items() if k in known})


def append_feedback(path: str | Path, feedback: Feedback) -> None:
    """Add one line (creating the folder); refuses with the fix when the file cannot be written."""
    append_line(path, feedback.to_json(), "the feedback file", "RAG_FEEDBACK")


def read_feedback(path: str | Path) -> list[Feedback]:
    """Every entry, oldest first; a damaged line is an error naming file:line and the fix."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise RagError(
            f"Cannot read the feedback file {path} ({exc.strerror}): check the path "
            "(the app writes RAG_FEEDBACK, by default data/feedback.jsonl)."
        ) from None
    out = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            out.append(Feedback.from_json(json.loads(line)))
        except (ValueError, TypeError) as exc:
            raise RagError(
                f"{path}:{n}: not a feedback entry ({exc}); fix or delete that line."
            ) from None
    return out
