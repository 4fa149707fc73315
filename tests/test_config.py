"""The one configuration object."""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.core.config import Config
from rag.core.errors import ConfigError


def test_defaults_and_environment(tmp_path: Path) -> None:
    c = Config.from_env({"RAG_TOP_K": "7", "RAG_MAX_FILE_MB": "2.5"}, dotenv=tmp_path / "none")
    assert c.top_k == 7 and c.max_file_bytes == 2_500_000
    assert c.embedder == "e5-small" and c.llm == "" and c.host == "127.0.0.1"


def test_dotenv_is_read_and_environment_wins(tmp_path: Path) -> None:
    env = tmp_path / ".env"
    env.write_text("# comment\nRAG_EMBEDDER=use-multilingual\nRAG_TOP_K='3'\n", encoding="utf-8")
    c = Config.from_env({"RAG_TOP_K": "9"}, dotenv=env)
    assert c.embedder == "use-multilingual" and c.top_k == 9


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"RAG_TOP_K": "many"}, "RAG_TOP_K='many' is not a number"),
        ({"RAG_COLLECTION": "ab"}, "3\\+ characters"),
        ({"RAG_CHROMA_URL": "localhost:8000"}, "http://127.0.0.1:8000"),
        ({"RAG_UI_LANG": "de"}, "use nl or en"),
        ({"RAG_CHUNK_TOKENS": "0"}, "must be positive"),
    ],
)
def test_bad_values_say_the_fix(env: dict[str, str], message: str, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=message):
        Config.from_env(env, dotenv=tmp_path / "none")


def test_every_variable_is_documented_in_the_readme() -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    for var, _, _ in Config.describe():
        assert f"`{var}`" in readme, f"{var} is missing from the README's configuration table"
