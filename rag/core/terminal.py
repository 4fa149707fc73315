"""Text that is safe to print on a terminal: no escape sequences, no control characters.

Report text and questions are untrusted: a report can carry ANSI colours, OSC-8 hyperlinks, a
window-title change or "clear screen" (ECMA-48 escape and control sequences), C1 controls that
some terminals obey (U+009B is a one-character CSI), or bidirectional overrides that make a line
read differently from what it says (CVE-2021-42574, "Trojan Source"). `printable` removes all of
them whole, keeping line breaks and tabs; `json_line` does the same inside JSON strings.
"""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any

# ECMA-48: CSI (ESC [ or U+009B) params, intermediates, final byte; OSC/DCS/SOS/PM/APC strings
# (ESC ] P X ^ _ or their C1 forms) up to BEL or ST; any other two-character escape.
_SEQUENCES = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[ -~]?"
)
# Bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069).
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_KEEP = frozenset("\n\t")


def printable(text: str) -> str:
    """`text` without escape sequences, control characters or bidi overrides.

    >>> printable("\\x1b[31mrood\\x1b[0m \\x1b]8;;http://x\\x07link\\x1b]8;;\\x07 \\x1b]0;title\\x07ok\\x1b[2J")
    'rood link ok'
    >>> printable("a\\x9b31mb\\u202ec\\r\\nd\\x00")
    'abc\\nd'
    """
    text = _SEQUENCES.sub("", text)
    return "".join(
        ch for ch in text if ch in _KEEP or (unicodedata.category(ch) != "Cc" and ch not in _BIDI)
    )


def clean(value: Any) -> Any:
    """`printable` applied to every string in a JSON-like value (dicts, lists, tuples)."""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, dict):
        return {clean(k): clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean(v) for v in value]
    return value


def json_line(value: Any, indent: int | None = None) -> str:
    """JSON of `value` with every string made `printable` (json escapes only C0 controls).

    >>> json_line({"a": "x\\x1b[2Jy\\x9b"})
    '{"a": "xy"}'
    """
    return json.dumps(clean(value), ensure_ascii=False, indent=indent)
