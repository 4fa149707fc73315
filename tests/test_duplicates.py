"""The same report in another format is stored once; the original of each report is kept.

Fingerprints are checked on the real corpus report rendered as PDF and DOCX (tests.fixtures_build),
and the whole path through the real `python -m ingest` CLI with the real e5 model on a short letter
copied as .txt, as .docx and as a re-wrapped, hyphenated .md.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingest.clean import clean
from ingest.duplicates import fingerprint
from ingest.parse import parse_file
from tests import fixtures_build as fb
from tests.ingest_helpers import (
    SHORT_LETTERS,
    assert_consistent,
    letter,
    open_store,
    run_ingest,
    status_of,
    summary,
)


def _cleaned(path: Path) -> str:
    return clean(parse_file(path)).text


# -- the fingerprint ---------------------------------------------------------------------------
def test_the_corpus_report_as_txt_pdf_and_docx_has_one_fingerprint(tmp_path: Path) -> None:
    txt = _cleaned(fb.jbz_path())
    pdf = _cleaned(fb.build_report_pdf_from_corpus(tmp_path / "r.pdf"))
    docx = _cleaned(fb.build_report_docx_with_footnotes(tmp_path / "r.docx"))
    assert len({txt, pdf, docx}) > 1  # the cleaned texts differ (footnote placement)
    assert fingerprint(txt) == fingerprint(pdf) == fingerprint(docx)


def test_white_space_hyphenation_quotes_and_footnotes_do_not_count() -> None:
    a = "Nederland steunt de terugkeerrichtlijn[1] ‘zonder voorbehoud’.\n\n[1] Zie de brief."
    b = 'Nederland  steunt de terugkeer-\nrichtlijn "zonder voorbehoud".'
    assert fingerprint(a) == fingerprint(b)


@pytest.mark.parametrize(
    "changed",
    [
        "Nederland steunt de terugkeerrichtlijn niet zonder voorbehoud.",  # a word added
        "Nederland steunt de terugkeerrichtlijn zonder voorbehoud in 2021.",  # a number added
        "Duitsland steunt de terugkeerrichtlijn zonder voorbehoud.",  # another actor
    ],
)
def test_a_different_text_has_another_fingerprint(changed: str) -> None:
    assert fingerprint("Nederland steunt de terugkeerrichtlijn zonder voorbehoud.") != fingerprint(
        changed
    )


# -- through the CLI ---------------------------------------------------------------------------
def _letter_as_docx_and_md(src: Path, folder: Path) -> tuple[Path, Path]:
    paragraphs = _cleaned(src).split("\n\n")
    docx = fb.build_docx(folder / "brief-kopie.docx", [paragraphs], header=None)
    # The same text wrapped at 40 columns, with one word hyphenated over a line end.
    lines, line = [], ""
    for para in paragraphs:
        for word in para.split():
            if len(line) + len(word) > 40:
                lines.append(line)
                line = ""
            line += word + " "
        lines.append(line + "\n")
        line = ""
    text = "\n".join(lines).replace("Justitieraad van", "Justitie-\nraad van", 1)
    assert "Justitie-\nraad" in text
    md = folder / "brief-herschreven.md"
    md.write_text(text, encoding="utf-8")
    return docx, md


def test_cli_reports_the_docx_and_md_copies_as_duplicates_and_stores_one(tmp_path: Path) -> None:
    src = letter(SHORT_LETTERS[0])
    folder = tmp_path / "in"
    folder.mkdir()
    txt = folder / "a-brief.txt"
    txt.write_bytes(src.read_bytes())
    docx, md = _letter_as_docx_and_md(src, folder)
    store = tmp_path / "store"

    proc = run_ingest(folder, "--store", store)
    assert proc.returncode == 0, proc.stderr
    assert status_of(proc.stdout, txt) == "new"
    assert status_of(proc.stdout, docx) == "duplicate"
    assert status_of(proc.stdout, md) == "duplicate"
    assert f"same report as {txt} (the same text as its TXT); stored once" in proc.stdout
    assert "(2 duplicates)" in proc.stdout
    written, embedded = summary(proc.stdout)
    assert written == embedded  # nothing of the copies was embedded

    s = open_store(store)
    (rec,) = assert_consistent(s)
    assert rec.file == str(txt) and rec.aliases == ()  # the copies are not names of it
    assert rec.file_type == "TXT" and rec.added_at.endswith("Z")
    # The original is kept beside the store, keyed by document id, byte for byte.
    assert rec.original == str(tmp_path / "originals" / f"{rec.doc_id}.txt")
    assert Path(rec.original).read_bytes() == src.read_bytes()
    assert sorted(p.name for p in (tmp_path / "originals").iterdir()) == [f"{rec.doc_id}.txt"]

    again = run_ingest(folder, "--store", store)
    assert [status_of(again.stdout, f) for f in (txt, docx, md)] == [
        "unchanged",
        "duplicate",
        "duplicate",
    ]
    assert summary(again.stdout) == (0, 0)

    listed = json.loads(run_ingest("--list", "--json", "--store", store).stdout)
    assert [(d["file"], d["original"]) for d in listed] == [(str(txt), rec.original)]
    text_list = run_ingest("--list", "--store", store).stdout
    assert f"    format: TXT; added: {rec.added_at}" in text_list.splitlines()


def test_a_changed_copy_is_indexed_and_a_pruned_report_takes_its_original(tmp_path: Path) -> None:
    src = letter(SHORT_LETTERS[0])
    folder = tmp_path / "in"
    folder.mkdir()
    txt = folder / "brief.txt"
    txt.write_bytes(src.read_bytes())
    other = folder / "brief-gewijzigd.txt"
    other.write_text(src.read_text().replace("13 november", "14 november"), encoding="utf-8")
    store = tmp_path / "store"
    proc = run_ingest(folder, "--store", store)
    assert proc.returncode == 0, proc.stderr
    assert [status_of(proc.stdout, f) for f in (txt, other)] == ["new", "new"]
    records = {Path(r.file).name: r for r in assert_consistent(open_store(store))}
    kept = Path(records["brief-gewijzigd.txt"].original)
    assert kept.is_file() and "14 november" in kept.read_text()

    other.unlink()
    pruned = run_ingest(folder, "--store", store, "--prune")
    assert pruned.returncode == 0, pruned.stderr
    assert f"- pruned    {other}" in pruned.stdout
    assert not kept.exists()  # deleted with its report
    assert Path(records["brief.txt"].original).is_file()
