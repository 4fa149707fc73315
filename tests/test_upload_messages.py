"""Per-file upload and ingest messages come from the text tables, in Dutch and in English.

Every code the ingest pipeline or the upload step can give a file has an entry in both languages
(checked against the source, so a new message without a translation fails here), and real uploads
of broken files get their message in the interface's language. The rendered page in Dutch is
checked in a real browser by `tests/test_browser_hostile.py::test_broken_uploads_*`.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from rag.answer.assistant import Assistant
from rag.ui.auth import LOCAL
from rag.ui.text import FILE_MESSAGES, file_message
from rag.ui.uploads import Upload, ingest_uploads
from tests.conftest import ROOT, config_for

_CODE = re.compile(r'code="(\w+)"')
# Codes of errors that are not about one file (they end the run, or are the question's).
_NOT_FILE = {"forbidden"}


def _codes_in(*paths: Path) -> set[str]:
    return {c for p in paths for c in _CODE.findall(p.read_text(encoding="utf-8"))}


def test_every_file_code_has_a_message_in_both_languages() -> None:
    codes = _codes_in(*sorted((ROOT / "ingest").glob("*.py")), ROOT / "rag/ui/uploads.py")
    codes -= _NOT_FILE
    assert {"empty", "not_pdf", "too_large", "chunks", "duplicate"} <= codes  # the scan works
    assert set(FILE_MESSAGES["nl"]) == set(FILE_MESSAGES["en"])
    assert codes <= set(FILE_MESSAGES["nl"]), codes - set(FILE_MESSAGES["nl"])
    for lang in ("nl", "en"):
        for code, text in FILE_MESSAGES[lang].items():
            names = set(re.findall(r"{(\w+)}", text))
            filled = file_message(lang, code, dict.fromkeys(names, "X"), "")
            assert "{" not in filled and "\n" not in filled, (lang, code)


@pytest.fixture(scope="module")
def assistant(hostile_store: Path, e5, tmp_path_factory: pytest.TempPathFactory) -> Assistant:  # type: ignore[no-untyped-def]
    work = tmp_path_factory.mktemp("upload-messages")
    shutil.copytree(hostile_store, work / "store")
    config = config_for(work / "store", RAG_UPLOADS=str(work / "uploads"), RAG_MAX_FILE_MB="0.001")
    return Assistant(config, embedder=e5)


BROKEN = [
    (Upload("leeg.txt", b"  \n"), "empty", "het bestand is leeg"),
    (Upload("nep.pdf", b"dit is geen pdf"), "not_pdf", "is geen PDF"),
    (Upload("binair.txt", b"ab\x00\x01cd" * 10), "binary", "lijkt een binair bestand"),
    (Upload("groot.txt", b"x" * 2000), "too_large", "0.002 MB is meer dan de grens van 0.001 MB"),
    (Upload("virus.exe", b"MZ"), "unsupported", "wordt niet ondersteund"),
    (Upload("kapot.docx", b"PK no zip"), "not_docx", "geen leesbaar Word-bestand"),
]


def test_broken_uploads_get_their_message_in_the_interface_language(
    assistant: Assistant,
) -> None:
    results = ingest_uploads(assistant, [u for u, _, _ in BROKEN], user=LOCAL)
    for result, (upload, code, dutch) in zip(results, BROKEN):
        assert result.name == upload.name and not result.ok
        assert result.code == code, (upload.name, result.code, result.message)
        nl = file_message("nl", result.code, result.params, result.message)
        en = file_message("en", result.code, result.params, result.message)
        assert dutch in nl.replace("\\", ""), (upload.name, nl)  # as rendered: unescaped
        assert nl != en and "/" not in nl, (upload.name, nl)  # no path of the server shown
    assert not list(Path(assistant.config.uploads).glob("*"))  # nothing broken kept


def test_a_good_upload_counts_its_passages_in_both_languages(assistant: Assistant) -> None:
    text = b"Verslag van de Raad, 1 mei 2031\n\n1. Punt\n\nNederland steunde het voorstel.\n"
    (result,) = ingest_uploads(assistant, [Upload("goed.txt", text)])
    assert result.status == "new" and result.code == "chunks"
    n = result.params["n"]
    assert file_message("nl", result.code, result.params, "") == f"{n} passage(s)"
    (again,) = ingest_uploads(assistant, [Upload("kopie.txt", text)])
    assert again.status == "duplicate"
    assert file_message("nl", again.code, again.params, "") == (
        "zelfde inhoud als goed\\.txt; één keer opgeslagen"
    )
