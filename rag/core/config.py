"""The one configuration object, built from environment variables (and an optional `.env`).

Nothing else in the project reads `os.environ` for settings. Every variable is listed in the
README's configuration table; `Config.describe()` prints the same list.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from rag.core.errors import ConfigError

PROJECT_DIR = Path(__file__).resolve().parents[2]

# (field, variable, default, help). Defaults are strings, parsed by the field's type.
_VARIABLES: tuple[tuple[str, str, str, str], ...] = (
    (
        "store",
        "RAG_STORE",
        str(PROJECT_DIR / "data" / "store"),
        "Directory of the embedded Chroma store (its BM25 index is saved in lexical/ inside).",
    ),
    (
        "chroma_url",
        "RAG_CHROMA_URL",
        "",
        "Chroma server URL (http://127.0.0.1:8000); overrides RAG_STORE.",
    ),
    (
        "chroma_token",
        "RAG_CHROMA_TOKEN",
        "",
        "Token sent to the Chroma server (Authorization: Bearer, Chroma's client token auth).",
    ),
    (
        "store_timeout",
        "RAG_STORE_TIMEOUT",
        "4",
        "Seconds to wait for each call to the Chroma server (or for the embedded store's write lock).",
    ),
    ("collection", "RAG_COLLECTION", "council_reports", "Chroma collection name (3+ characters)."),
    (
        "embedder",
        "RAG_EMBEDDER",
        "e5-small",
        "Embedding backend: e5-small, use-multilingual, st:<name|path>, openai:<url>#<model>.",
    ),
    (
        "embed_api_key",
        "RAG_EMBED_API_KEY",
        "",
        "API key for an openai: embedding endpoint, if it needs one.",
    ),
    (
        "llm",
        "RAG_LLM",
        "",
        "Answer LLM: empty for extractive answers, openai:<url>#<model>, ollama:<model>[@url], gguf:<path>.",
    ),
    ("llm_api_key", "RAG_LLM_API_KEY", "", "API key for an openai: LLM endpoint, if it needs one."),
    ("llm_timeout", "RAG_LLM_TIMEOUT", "60", "Seconds to wait for the LLM."),
    ("chunk_tokens", "RAG_CHUNK_TOKENS", "200", "Target chunk size in tiktoken (cl100k) tokens."),
    ("max_file_mb", "RAG_MAX_FILE_MB", "50", "Files larger than this are refused."),
    (
        "file_seconds",
        "RAG_FILE_SECONDS",
        "900",
        "Time budget for ingesting one file (0: none); a file past it is refused, the rest go on.",
    ),
    (
        "ocr",
        "RAG_OCR",
        "on",
        "OCR for PDF pages without a text layer (ocrmypdf + tesseract): on or off.",
    ),
    (
        "ocr_cache",
        "RAG_OCR_CACHE",
        str(PROJECT_DIR / "data" / "ocr-cache"),
        "Directory where OCR results are cached by the PDF's content hash.",
    ),
    ("top_k", "RAG_TOP_K", "5", "Number of sources shown with an answer."),
    ("max_question_chars", "RAG_MAX_QUESTION_CHARS", "1000", "Longer questions are refused."),
    (
        "corpus",
        "RAG_CORPUS",
        str(PROJECT_DIR.parent / "shared" / "corpus"),
        "Reports `make run` ingests when the store is empty.",
    ),
    (
        "uploads",
        "RAG_UPLOADS",
        str(PROJECT_DIR / "data" / "uploads"),
        "Directory where reports uploaded in the app are saved before ingesting.",
    ),
    (
        "audit",
        "RAG_AUDIT",
        "",
        "Audit trail (JSON lines) of uploads, deletions, ingests and logins; empty: "
        "audit.jsonl in the folder that holds RAG_STORE (data/ by default).",
    ),
    (
        "feedback",
        "RAG_FEEDBACK",
        "",
        "Feedback on answers (JSON lines: verdict, comment, question, answer, filters, store "
        "version, user); empty: feedback.jsonl in the folder that holds RAG_STORE (data/).",
    ),
    (
        "auth",
        "RAG_AUTH",
        "",
        "Login: empty (none, one user on a laptop), users (RAG_USERS file) or oidc (st.login).",
    ),
    (
        "users",
        "RAG_USERS",
        str(PROJECT_DIR / "data" / "users.yaml"),
        "Users file for RAG_AUTH=users (bcrypt hashes; python -m rag users add NAME --role editor).",
    ),
    (
        "login_attempts",
        "RAG_LOGIN_ATTEMPTS",
        "5",
        "With RAG_AUTH=users: failed logins in a row after which a user name is locked.",
    ),
    (
        "login_lock_minutes",
        "RAG_LOGIN_LOCK_MINUTES",
        "15",
        "How long a locked user name stays locked (counted from its last failed login).",
    ),
    (
        "editors",
        "RAG_EDITORS",
        "",
        "With RAG_AUTH=oidc: comma-separated e-mail addresses (or subjects) with the editor role.",
    ),
    ("host", "RAG_HOST", "127.0.0.1", "Address the Streamlit app listens on."),
    ("port", "RAG_PORT", "8501", "Port the Streamlit app listens on."),
    ("ui_lang", "RAG_UI_LANG", "nl", "Language of the app's interface: nl or en."),
    (
        "log_level",
        "RAG_LOG_LEVEL",
        "WARNING",
        "Logging level of the library (DEBUG, INFO, WARNING).",
    ),
)


@dataclass(frozen=True)
class Config:
    """All settings. Build with `Config.from_env()`; override in code with `config.with_(...)`."""

    store: str
    chroma_url: str
    chroma_token: str
    store_timeout: float
    collection: str
    embedder: str
    embed_api_key: str
    llm: str
    llm_api_key: str
    llm_timeout: float
    chunk_tokens: int
    max_file_mb: float
    file_seconds: float
    ocr: str
    ocr_cache: str
    top_k: int
    max_question_chars: int
    corpus: str
    uploads: str
    audit: str
    feedback: str
    auth: str
    users: str
    login_attempts: int
    login_lock_minutes: float
    editors: str
    host: str
    port: int
    ui_lang: str
    log_level: str

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, dotenv: Path | None = None) -> Config:
        """Read the variables from `environ` (default: the process) over those in a `.env` file."""
        env: dict[str, str] = {}
        dotenv = dotenv if dotenv is not None else PROJECT_DIR / ".env"
        if dotenv.is_file():
            env.update(_read_dotenv(dotenv))
        env.update(os.environ if environ is None else environ)
        values: dict[str, Any] = {}
        types = {f.name: f.type for f in fields(cls)}
        for name, var, default, _ in _VARIABLES:
            raw = env.get(var, default).strip()
            values[name] = _parse(var, raw, types[name])
        config = cls(**values)
        config.validate()
        return config

    def with_(self, **changes: Any) -> Config:
        """A copy with some settings changed (CLI options use this)."""
        config = replace(self, **changes)
        config.validate()
        return config

    def validate(self) -> None:
        if len(self.collection) < 3:
            raise ConfigError(
                f"RAG_COLLECTION={self.collection!r} is too short: Chroma needs 3+ characters."
            )
        if self.ocr not in ("on", "off"):
            raise ConfigError(f"RAG_OCR={self.ocr!r}: use on or off.")
        if self.auth not in ("", "users", "oidc"):
            raise ConfigError(f"RAG_AUTH={self.auth!r}: use users, oidc, or leave it empty.")
        if self.ui_lang not in ("nl", "en"):
            raise ConfigError(f"RAG_UI_LANG={self.ui_lang!r}: use nl or en.")
        for name in ("chunk_tokens", "top_k", "max_question_chars", "port", "store_timeout",
                     "login_attempts", "login_lock_minutes"):  # fmt: skip
            if getattr(self, name) <= 0:
                raise ConfigError(f"{name} must be positive; check its RAG_ variable.")
        if self.chroma_url and not self.chroma_url.startswith(("http://", "https://")):
            raise ConfigError(
                f"RAG_CHROMA_URL={self.chroma_url!r} is not a URL: use e.g. http://127.0.0.1:8000."
            )

    @property
    def audit_path(self) -> str:
        """RAG_AUDIT, or `audit.jsonl` beside the store directory (the data directory)."""
        return self.audit or str(Path(self.store).parent / "audit.jsonl")

    @property
    def feedback_path(self) -> str:
        """RAG_FEEDBACK, or `feedback.jsonl` beside the store directory (the data directory)."""
        return self.feedback or str(Path(self.store).parent / "feedback.jsonl")

    @property
    def originals_dir(self) -> str:
        """Where the original files of the indexed reports are kept: `originals/` in the folder
        that holds RAG_STORE (the data directory, as for the audit trail)."""
        return str(Path(self.store).parent / "originals")

    @property
    def max_file_bytes(self) -> int:
        return int(self.max_file_mb * 1_000_000)

    @staticmethod
    def describe() -> list[tuple[str, str, str]]:
        """(variable, default, meaning) for every setting, as in the README table."""
        return [(var, default, help_) for _, var, default, help_ in _VARIABLES]


def _parse(var: str, raw: str, type_name: Any) -> Any:
    kind = type_name if isinstance(type_name, str) else getattr(type_name, "__name__", "str")
    try:
        if kind == "int":
            return int(raw)
        if kind == "float":
            return float(raw)
    except ValueError:
        raise ConfigError(f"{var}={raw!r} is not a number: set a numeric value.") from None
    return raw


def _read_dotenv(path: Path) -> dict[str, str]:
    """Minimal KEY=VALUE reader; python-dotenv would be one more dependency for 10 lines."""
    out: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.split("=", 1)
        out[key.strip()] = value.strip().strip("'\"")
    return out
