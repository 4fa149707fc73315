"""A time budget per ingested file, checked cooperatively by the long-running stages.

Owns `file_budget(path, seconds)` (a context manager the pipeline opens around one file) and
`check_budget(stage)`, which the loops of clean-up, chunking and embedding call; past the budget it
raises `BudgetExceeded`, an `IngestError` naming the file, the stage and the fix. A context variable
carries the deadline, so the stages need no extra parameter and a stage called outside a budget
(tests, tools) runs unlimited. Shortcut on purpose: the check is cooperative (no signals, which
only work in the main thread, and Streamlit runs the app elsewhere), so every stage must be linear
in its input and call `check_budget` in its loops; a check costs one `time.monotonic()`.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

from rag.core.errors import IngestError


class BudgetExceeded(IngestError):
    """One file took longer than its time budget (RAG_FILE_SECONDS)."""


@dataclass(frozen=True)
class _Budget:
    path: Path
    seconds: float
    deadline: float


_CURRENT: ContextVar[_Budget | None] = ContextVar("ingest_file_budget", default=None)


@contextmanager
def file_budget(path: Path, seconds: float) -> Iterator[None]:
    """Give the work on `path` inside this block `seconds` (0 or less: no limit)."""
    budget = _Budget(path, seconds, time.monotonic() + seconds) if seconds > 0 else None
    token = _CURRENT.set(budget)
    try:
        yield
    finally:
        _CURRENT.reset(token)


def check_budget(stage: str) -> None:
    """Raise BudgetExceeded when the current file's budget is spent.

    >>> check_budget("clean-up")  # outside a budget: never raises
    """
    budget = _CURRENT.get()
    if budget is not None and time.monotonic() > budget.deadline:
        raise BudgetExceeded(
            f"{budget.path}: stopped after {budget.seconds:g} s in {stage}, over the time budget "
            "for one file; split it into smaller files (a whole report in one line is no report), "
            "or raise RAG_FILE_SECONDS.",
            code="too_slow",
            seconds=f"{budget.seconds:g}",
        )
