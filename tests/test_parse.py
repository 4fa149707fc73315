"""ingest.parse: every format into pages, and one clear line for every kind of bad input."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ingest.parse import SUPPORTED_SUFFIXES, RawDocument, UnsupportedFile, parse_file
from ingest.txtpages import BULLET_MARK
from rag.core.errors import IngestError
from tests.fixtures_build import (
    build_corrupt_pdf,
    build_docx,
    build_encrypted_pdf,
    build_fake_docx,
    build_fake_pdf,
    build_garbled_pdf,
    build_html,
    build_pdf,
    build_scanned_pdf,
    build_zip_not_docx,
    jbz_path,
    sgd_path,
)


def _error(path: Path, **kwargs: int) -> IngestError:
    with pytest.raises(IngestError) as info:
        parse_file(path, **kwargs)
    message = str(info.value)
    assert str(path) in message, "the message must name the file"
    assert "\n" not in message, "the message must be one line"
    return info.value


# --- TXT: the real corpus -------------------------------------------------------------------------


def test_jbz_txt_has_the_five_pdf_pages_at_the_right_lines() -> None:
    doc = parse_file(jbz_path())
    file_lines = jbz_path().read_text(encoding="utf-8").split("\n")
    assert (doc.format, doc.has_page_numbers) == ("txt", True)
    assert [p.number for p in doc.pages] == [1, 2, 3, 4, 5]
    # Page n+1 starts at these 1-based lines of the file (pdftotext left one leading space).
    for page, line_no, start in [
        (2, 62, "Werkprogramma inkomend voorzitterschap"),
        (3, 121, "andere nieuwe technologieën"),
        (4, 183, "de lidstaten op om solidariteit"),
        (5, 245, "sprake van brede overeenstemming"),
    ]:
        assert file_lines[line_no - 1].startswith(" " + start)
        assert doc.pages[page - 1].text.startswith(start)
    # Each footnote block stays at the bottom of the page it was printed on.
    assert doc.pages[0].text.rstrip().endswith("worden geïnformeerd.")
    assert doc.pages[3].text.rstrip().endswith("32 317, nr. 652.")


def test_jbz_txt_leading_space_after_a_finished_sentence_is_a_bullet() -> None:
    doc = parse_file(jbz_path())
    file_lines = jbz_path().read_text(encoding="utf-8").split("\n")
    page5 = doc.pages[4].text.split("\n")
    for line_no in (279, 282, 287):
        original = file_lines[line_no - 1]
        assert original.startswith(" ") and not original.startswith("  ")
        assert BULLET_MARK + " " + original[1:] in page5
    assert sum(line.startswith(BULLET_MARK) for line in doc.text.split("\n")) == 3


def test_sgd_ocr_letter_is_one_unpaged_page_with_text_untouched() -> None:
    path = sgd_path("visserijraad")
    doc = parse_file(path)
    assert (len(doc.pages), doc.has_page_numbers, doc.format) == (1, False, "txt")
    assert doc.pages[0].text == path.read_text(encoding="utf-8")


def test_form_feeds_split_pages_and_text_joins_them(tmp_path: Path) -> None:
    path = tmp_path / "ff.txt"
    path.write_text("Pagina een.\n\fPagina twee.\n\f", encoding="utf-8")
    doc = parse_file(path)
    assert [p.text.strip() for p in doc.pages] == ["Pagina een.", "Pagina twee."]
    assert doc.has_page_numbers
    assert doc.text.split("\f")[1].strip() == "Pagina twee."


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("\ufeffCoördinator – Raad".encode(), "Coördinator – Raad"),  # UTF-8 with BOM
        ("Coördinator – Raad".encode("cp1252"), "Coördinator – Raad"),
        (b"Co\xf6rdinator \x81", "Coördinator \x81"),  # 0x81 is not cp1252: latin-1
        ("Coördinator".encode("utf-16"), "Coördinator"),
    ],
)
def test_txt_encodings(tmp_path: Path, data: bytes, expected: str) -> None:
    path = tmp_path / "enc.txt"
    path.write_bytes(data)
    assert parse_file(path).pages[0].text == expected


def test_markdown_reads_as_text(tmp_path: Path) -> None:
    path = tmp_path / "notes.md"
    path.write_text("# Verslag\n\nTekst.\n", encoding="utf-8")
    doc = parse_file(path)
    assert doc.format == "txt" and doc.pages[0].text.startswith("# Verslag")


# --- PDF ------------------------------------------------------------------------------------------


def test_pdf_one_page_per_page_with_latin_letters(tmp_path: Path) -> None:
    path = build_pdf(
        tmp_path / "r.pdf",
        [["## Belangrijkste resultaten", "De Coördinator was geïnformeerd."], ["Tweede pagina."]],
    )
    doc = parse_file(path)
    assert (doc.format, doc.has_page_numbers, len(doc.pages)) == ("pdf", True, 2)
    assert "De Coördinator was geïnformeerd." in doc.pages[0].text
    assert "Tweede pagina." in doc.pages[1].text and "Tweede" not in doc.pages[0].text
    assert "Pagina 2 van 2" in doc.pages[1].text  # the footer is still there: clean() drops it


def test_pdf_with_empty_user_password_opens(tmp_path: Path) -> None:
    doc = parse_file(build_encrypted_pdf(tmp_path / "perm.pdf", user_password=""))
    assert "Vertrouwelijk verslag." in doc.text


def test_password_protected_pdf(tmp_path: Path) -> None:
    message = str(_error(build_encrypted_pdf(tmp_path / "secret.pdf")))
    assert "password-protected" in message and "remove the password" in message


def test_truncated_pdf(tmp_path: Path) -> None:
    assert "truncated" in str(_error(build_corrupt_pdf(tmp_path / "cut.pdf")))


def test_garbled_pdf(tmp_path: Path) -> None:
    message = str(_error(build_garbled_pdf(tmp_path / "garbled.pdf")))
    assert "corrupt" in message and "again" in message


def test_scanned_pdf_without_text_layer(tmp_path: Path) -> None:
    message = str(_error(build_scanned_pdf(tmp_path / "scan.pdf")))
    assert "no text layer" in message and "ocrmypdf" in message


def test_random_bytes_named_pdf(tmp_path: Path) -> None:
    assert "is not a PDF" in str(_error(build_fake_pdf(tmp_path / "fake.pdf")))


# --- DOCX -----------------------------------------------------------------------------------------


def test_docx_pages_headings_lists_tables(tmp_path: Path) -> None:
    path = build_docx(
        tmp_path / "r.docx",
        [["## Belangrijkste resultaten", "Eerste alinea.", "- punt een", "- punt twee"], ["Slot."]],
        table_rows=[["Dossier", "Stand"], ["Europol", "akkoord"]],
    )
    doc = parse_file(path)
    assert (doc.format, doc.has_page_numbers, len(doc.pages)) == ("docx", True, 2)
    assert doc.pages[0].text.split("\n\n") == [
        "Belangrijkste resultaten",
        "Eerste alinea.",
        "- punt een",
        "- punt twee",
    ]
    assert doc.pages[1].text.split("\n") == ["Slot.", "", "Dossier | Stand", "Europol | akkoord"]
    assert "Verslag JBZ-Raad" not in doc.text  # the running header lives outside the body


def test_docx_word_rendered_break_after_explicit_break_counts_once(tmp_path: Path) -> None:
    pages = [["Een."], ["Twee."], ["Drie."]]
    doc = parse_file(build_docx(tmp_path / "w.docx", pages, word_rendered_breaks=True))
    assert [p.text for p in doc.pages] == ["Een.", "Twee.", "Drie."]


def test_docx_without_page_breaks_has_no_page_numbers(tmp_path: Path) -> None:
    doc = parse_file(build_docx(tmp_path / "one.docx", [["Alleen.", "Tekst."]]))
    assert (len(doc.pages), doc.has_page_numbers) == (1, False)


def test_random_bytes_named_docx(tmp_path: Path) -> None:
    assert "not a Word .docx" in str(_error(build_fake_docx(tmp_path / "fake.docx")))


def test_zip_that_is_no_docx(tmp_path: Path) -> None:
    assert "not a readable .docx" in str(_error(build_zip_not_docx(tmp_path / "a.docx")))


# --- HTML -----------------------------------------------------------------------------------------


def test_html_drops_site_chrome_and_keeps_blocks(tmp_path: Path) -> None:
    path = build_html(
        tmp_path / "r.html",
        "Verslag JBZ-Raad",
        ["## Kop", "Eerste alinea.", "- punt a", "- punt b"],
    )
    doc = parse_file(path)
    assert (doc.format, doc.has_page_numbers, len(doc.pages)) == ("html", False, 1)
    assert doc.pages[0].text.split("\n\n") == [
        "Verslag JBZ-Raad",
        "Kop",
        "Eerste alinea.",
        "- punt a",
        "- punt b",
    ]
    for chrome in ("tracking", "font-family", "Documenten", "Cookies", "Zoeken"):
        assert chrome not in doc.text


def test_html_without_h1_uses_title(tmp_path: Path) -> None:
    path = tmp_path / "t.htm"
    path.write_text("<html><head><title>Verslag</title></head><body><p>Tekst.</p></body></html>")
    assert parse_file(path).pages[0].text == "Verslag\n\nTekst."


# --- errors shared by all formats -----------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    assert "not found" in str(_error(tmp_path / "nope.pdf"))


def test_directory(tmp_path: Path) -> None:
    folder = tmp_path / "map.txt"
    folder.mkdir()
    assert "directory" in str(_error(folder))


def test_unsupported_extension_is_a_skip_with_the_supported_list(tmp_path: Path) -> None:
    path = tmp_path / "agenda.xlsx"
    path.write_bytes(b"PK")
    error = _error(path)
    assert isinstance(error, UnsupportedFile)
    assert "skipped" in str(error)
    assert all(suffix in str(error) for suffix in SUPPORTED_SUFFIXES)


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "geheim.txt"
    path.write_text("tekst", encoding="utf-8")
    path.chmod(0)
    if os.geteuid() == 0:  # root reads anything: simulate the refusal the OS would give a user

        def refuse(self: Path) -> bytes:
            raise PermissionError(13, "Permission denied")

        monkeypatch.setattr(Path, "read_bytes", refuse)
    try:
        assert "permission denied" in str(_error(path))
    finally:
        path.chmod(0o644)


def test_empty_and_blank_files(tmp_path: Path) -> None:
    empty = tmp_path / "leeg.txt"
    empty.write_bytes(b"")
    assert "0 bytes" in str(_error(empty))
    blank = tmp_path / "blank.html"
    blank.write_text("<html><body>  <p> </p></body></html>")
    assert "no text" in str(_error(blank))
    spaces = tmp_path / "spaces.md"
    spaces.write_text(" \n\t\n")
    assert "no text" in str(_error(spaces))


def test_file_over_the_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "groot.pdf"
    with path.open("wb") as fh:
        fh.truncate(60_200_000)  # sparse: no 60 MB written to disk
    message = str(_error(path))
    assert "is 60.2 MB, over the 50 MB limit; split it or raise RAG_MAX_FILE_MB" in message


def test_raw_document_is_frozen() -> None:
    doc = parse_file(jbz_path())
    assert isinstance(doc, RawDocument)
    with pytest.raises(AttributeError):
        doc.format = "pdf"  # type: ignore[misc]


def test_docx_footnotes_follow_the_paragraph_that_cites_them(tmp_path: Path) -> None:
    path = build_docx(
        tmp_path / "noten.docx",
        [["Nederland steunde het voorstel[1].", "Geen noot hier."], ["De Raad besloot[2]."]],
        header="Kop",
        footnotes={1: "Kamerstuk 21 501-17, nr. 15.", 2: "Zie de geannoteerde agenda."},
    )
    raw = parse_file(path)
    assert [p.text for p in raw.pages] == [
        "Nederland steunde het voorstel[1].\n\n[1] Kamerstuk 21 501-17, nr. 15.\n\nGeen noot hier.",
        "De Raad besloot[2].\n\n[2] Zie de geannoteerde agenda.",
    ]
