"""Error hierarchy of the project.

Every message says what to do next. The library raises; only the CLIs and the app turn these into
user-facing text (one line, no traceback). An error the app shows often carries a `code` and its
`params`, so the interface can say the same in Dutch (`rag.ui.text.ERRORS`); the English message
stays the one the CLI prints and the logs keep.
"""

from __future__ import annotations


class RagError(Exception):
    """Base class: a problem the user can fix; the message says how.

    >>> e = QuestionError("The question is empty.", code="question_empty")
    >>> str(e), e.code, e.params
    ('The question is empty.', 'question_empty', {})
    """

    def __init__(self, message: str = "", *, code: str = "", **params: object) -> None:
        super().__init__(message)
        self.code = code
        self.params = params


class ConfigError(RagError):
    """A setting is missing or invalid."""


class StoreError(RagError):
    """The vector store is missing, unreachable, or was built with another embedder."""


class EmbedderError(RagError):
    """An embedding backend could not be loaded or did not answer."""


class IngestError(RagError):
    """One input file could not be ingested; the message names the file."""


class QuestionError(RagError):
    """The question is empty, too long or otherwise unusable."""


class LLMError(RagError):
    """The configured LLM could not be reached or failed."""
