"""Appending one JSON line to a file that several processes write (audit trail, feedback).

`fcntl.flock` keeps lines from two processes apart; the caller says what the file is and which
setting moves it, so a failure is one line with the fix.
"""

from __future__ import annotations

import fcntl
import json
from pathlib import Path
from typing import Any

from rag.core.errors import ConfigError


def append_line(path: str | Path, obj: dict[str, Any], what: str, setting: str) -> None:
    """Add `obj` as one line (creating the folder), under an exclusive lock.

    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "x", "f.jsonl")
    >>> append_line(p, {"a": 1}, "the test file", "RAG_X"); open(p).read()
    '{"a": 1}\\n'
    """
    path = Path(path)
    line = json.dumps(obj, ensure_ascii=False) + "\n"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as f:
            fcntl.flock(f, fcntl.LOCK_EX)
            try:
                f.write(line)
                f.flush()
            finally:
                fcntl.flock(f, fcntl.LOCK_UN)
    except OSError as exc:
        raise ConfigError(
            f"Cannot write {what} {path} ({exc.strerror}): make {setting} point to a writable file."
        ) from None
