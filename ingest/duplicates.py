"""The same report in another format: a fingerprint of its cleaned text.

A report published as PDF, DOCX and TXT cleans up to nearly the same text; what differs between
the formats is white space, where a word was hyphenated at a line end, punctuation glyphs (quotes,
dashes) and where footnotes end up (a PDF's page bottom, a DOCX's footnotes part). The fingerprint
drops exactly those: footnote paragraphs and references, then everything but letters and digits,
case-folded after Unicode NFKC. Shortcut on purpose: equal fingerprints only, no near-duplicates
(a report with one sentence changed is a new version, and is indexed).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from rag.core.models import FOOTNOTE_REF

# ingest.clean writes a footnote as its own paragraph "[N] text" on one line.
_FOOTNOTE_PARAGRAPH = re.compile(r"(?m)^\[\d{1,3}\] .*$")


def normalise(text: str) -> str:
    """The letters and digits of the text without its footnotes, case-folded.

    >>> normalise("De terugkeer-\\nrichtlijn[1] is ‘klaar’.\\n\\n[1] Zie noot.")
    'deterugkeerrichtlijnisklaar'
    """
    text = _FOOTNOTE_PARAGRAPH.sub(" ", text)
    text = FOOTNOTE_REF.sub("", text)
    text = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in text if ch.isalnum())


def fingerprint(text: str) -> str:
    """Equal for the same report's cleaned text in any format.

    >>> fingerprint("Nederland  steunt het\\nvoorstel.") == fingerprint("Nederland steunt het voorstel")
    True
    """
    return hashlib.sha256(normalise(text).encode()).hexdigest()[:32]
