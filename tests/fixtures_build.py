"""Builds test input files (PDF, DOCX, HTML, broken files) in a directory the caller chooses.

The sample corpus holds text only, so tests that need real PDFs or DOCX files render them here:
word-wrapped paragraphs, a running header on every page, a "Pagina N van M" footer and footnotes
at the page bottom, the way published Kamerbrieven look. PDFs use fpdf2's core fonts, which only
know latin-1: `latin1()` maps the few other characters of the corpus (dashes, quotes, bullets).
Nothing here writes outside the path it is given; the corpus is read, never copied.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

REPORT_HEADER = "Verslag JBZ-Raad 14 december 2020"
_MARKER = re.compile(r"\[(\d+)\]")


def corpus_dir() -> Path:
    """The read-only sample corpus, next to the repository: ../shared/corpus."""
    return Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


def jbz_path() -> Path:
    return corpus_dir() / "jbz-2020" / "2020-12-14_verslag-informele-jbz-raad.txt"


def sgd_path(name_part: str) -> Path:
    """The one sgd letter whose file name contains `name_part`, e.g. "visserijraad"."""
    (match,) = sorted((corpus_dir() / "sgd-1988-1994").glob(f"*{name_part}*"))
    return match


def latin1(text: str) -> str:
    """Text that fpdf2's core fonts can draw: ë and ï stay, dashes and quotes become ASCII."""
    table = {"–": "-", "—": "-", "‘": "'", "’": "'", "“": '"', "”": '"', "…": "...", "•": "-"}
    text = "".join(table.get(c, c) for c in text.replace("\uf0b7", "-"))
    return text.encode("latin-1", "replace").decode("latin-1")


# --- PDF ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Placed:
    """Where the PDF writer put one paragraph: its text as drawn and the pages its lines are on."""

    text: str
    pages: tuple[int, ...]


class _PdfWriter:
    """Lays out paragraphs line by line, so it knows each line's page and can put footnotes at
    the bottom of the page where their reference landed (fpdf2's own page breaks cannot)."""

    def __init__(self, header: str | None, page_numbers: bool) -> None:
        from fpdf import FPDF

        self.pdf = FPDF(format="A4", unit="mm")
        self.pdf.set_auto_page_break(False)
        self.pdf.set_margins(25, 25, 25)
        self.header, self.page_numbers = header, page_numbers
        self.width = self.pdf.epw
        self.notes: list[str] = []  # footnotes of the current page
        self.page = 0

    def new_page(self) -> None:
        if self.page:
            self._finish_page()
        self.pdf.add_page()
        self.page += 1
        self.notes = []
        if self.header:
            self.pdf.set_font("helvetica", size=9)
            self.pdf.set_y(12)
            self.pdf.cell(self.width, 5, latin1(self.header), align="R")
        self.pdf.set_y(25)

    def _note_lines(self, notes: list[str]) -> list[str]:
        self.pdf.set_font("helvetica", size=8)
        lines: list[str] = []
        for note in notes:
            lines += self.pdf.multi_cell(self.width, 4, latin1(note), dry_run=True, output="LINES")
        return lines

    def _bottom(self, notes: list[str]) -> float:
        """Lowest y for body text, leaving room for the page's footnotes and footer."""
        n = len(self._note_lines(notes))
        return self.pdf.h - 25 - (n * 4 + 4 if n else 0)

    def _finish_page(self) -> None:
        pdf = self.pdf
        lines = self._note_lines(self.notes)
        if lines:
            y = pdf.h - 25 - len(lines) * 4
            pdf.line(25, y - 2, 75, y - 2)
            pdf.set_y(y)
            for line in lines:
                pdf.cell(self.width, 4, line, new_x="LMARGIN", new_y="NEXT")
        if self.page_numbers:
            pdf.set_font("helvetica", size=9)
            pdf.set_y(pdf.h - 17)
            pdf.cell(self.width, 5, f"Pagina {self.page} van {{nb}}", align="C")

    def paragraph(self, text: str, notes: dict[str, str], may_break: bool = True) -> Placed:
        """Draw one paragraph ("## " heading, else body text). `notes` maps the numbers of the
        footnotes it references to their text; each is drawn on the page its marker lands on."""
        heading = text.startswith("## ")
        body = text[3:] if heading else text
        self.pdf.set_font("helvetica", style="B" if heading else "", size=11)
        drawn = latin1(_MARKER.sub(r"\1", body))  # a reference is a number glued to the word
        lines = self.pdf.multi_cell(self.width, 5.5, drawn, dry_run=True, output="LINES")
        pages = []
        for line in lines:
            refs = [n for n in notes if re.search(rf"[^\W\d_]{n}(?!\d)", line)]
            needed = self.notes + [notes[n] for n in refs]
            if self.pdf.get_y() + 5.5 > self._bottom(needed):
                if not may_break:
                    raise ValueError(f"page {self.page} overflows at: {line!r}")
                self.new_page()
            self.pdf.set_font("helvetica", style="B" if heading else "", size=11)
            self.notes += [notes[n] for n in refs]
            self.pdf.cell(self.width, 5.5, line, new_x="LMARGIN", new_y="NEXT")
            pages.append(self.page)
        self.pdf.ln(3)
        return Placed(drawn, tuple(sorted(set(pages))))

    def save(self, path: Path) -> Path:
        self._finish_page()
        path.parent.mkdir(parents=True, exist_ok=True)
        self.pdf.output(str(path))
        return path


def build_pdf(
    path: Path,
    pages: list[list[str]],
    header: str | None = REPORT_HEADER,
    footer_page_numbers: bool = True,
    footnotes: dict[int, str] | None = None,
) -> Path:
    """A PDF with one list of paragraphs per page ("## " marks a heading).

    `footnotes` maps a page number to its footnote text, number first ("1 Uw Kamer zal ...");
    the paragraphs should carry the reference glued to a word ("Europol1.") or as "[1]".

    Example: `build_pdf(tmp_path / "a.pdf", [["## Kop", "Tekst."], ["Tweede pagina."]])`.
    """
    writer = _PdfWriter(header, footer_page_numbers)
    for number, paragraphs in enumerate(pages, start=1):
        writer.new_page()
        if footnotes and number in footnotes:
            writer.notes.append(footnotes[number])
        for text in paragraphs:
            writer.paragraph(text, {}, may_break=False)
    return writer.save(path)


def report_paragraphs() -> list[str]:
    """The jbz-2020 report as cleaned paragraphs (footnotes included as "[N] text")."""
    from ingest.clean import clean
    from ingest.parse import parse_file

    return clean(parse_file(jbz_path())).text.split("\n\n")


def build_report_pdf_with_layout(path: Path) -> tuple[Path, list[Placed]]:
    """The real jbz report rendered as a paged PDF, and where each paragraph was drawn.

    Page breaks fall where the page is full, so some sentences run over a page break with the
    page's footnotes, header and footer in between, as in the published PDF.
    """
    paras = report_paragraphs()
    notes = {}
    for p in paras:
        if m := re.match(r"\[(\d+)\] (.*)", p):
            notes[m.group(1)] = f"{m.group(1)} {m.group(2)}"
    writer = _PdfWriter(REPORT_HEADER, True)
    writer.new_page()
    placed = []
    for text in paras:
        if _MARKER.match(text):
            continue  # drawn as a real footnote at the bottom of its page
        heading = len(text) < 90 and not text.endswith(".") and not text.startswith("- ")
        placed.append(writer.paragraph(("## " if heading else "") + text, notes))
    return writer.save(path), placed


def build_report_pdf_from_corpus(path: Path) -> Path:
    """The real jbz report as a multi-page PDF with header, page-number footer and footnotes."""
    return build_report_pdf_with_layout(path)[0]


def build_encrypted_pdf(path: Path, user_password: str = "geheim") -> Path:
    """A small report PDF encrypted with RC4-128 (pypdf can open that without `cryptography`).

    With user_password="" it only restricts permissions and opens without a password.
    """
    from pypdf import PdfReader, PdfWriter

    plain = build_pdf(path.with_name(path.stem + "-plain.pdf"), [["Vertrouwelijk verslag."]])
    writer = PdfWriter(clone_from=PdfReader(plain))
    writer.encrypt(user_password=user_password, owner_password="eigenaar", algorithm="RC4-128")
    with path.open("wb") as fh:
        writer.write(fh)
    plain.unlink()
    return path


def build_corrupt_pdf(path: Path) -> Path:
    """A real PDF cut off halfway, like an interrupted download."""
    full = build_pdf(path, [["Verslag van de Raad."] * 5, ["Tweede pagina."]])
    data = full.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def build_garbled_pdf(path: Path) -> Path:
    """A file with a PDF header and end marker but no readable structure in between."""
    rng = random.Random(7)
    path.write_bytes(b"%PDF-1.4\n" + rng.randbytes(3000) + b"\n%%EOF\n")
    return path


def build_scanned_pdf(path: Path) -> Path:
    """A PDF with drawings only (what a scan without OCR looks like to a text extractor)."""
    from fpdf import FPDF

    pdf = FPDF()
    for _ in range(2):
        pdf.add_page()
        for row in range(20):
            pdf.rect(25, 30 + row * 10, 160, 4, style="F")
    pdf.output(str(path))
    return path


def build_fake_pdf(path: Path) -> Path:
    """Random bytes named .pdf."""
    path.write_bytes(random.Random(1).randbytes(4096))
    return path


def build_fake_docx(path: Path) -> Path:
    """Random bytes named .docx."""
    path.write_bytes(random.Random(2).randbytes(4096))
    return path


def build_zip_not_docx(path: Path) -> Path:
    """A ZIP archive that is no Word document (e.g. a renamed .zip or .xlsx)."""
    import zipfile

    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("readme.txt", "geen Word-document")
    return path


# --- DOCX and HTML --------------------------------------------------------------------------------


def build_docx(
    path: Path,
    paragraphs_per_page: list[list[str]],
    header: str | None = REPORT_HEADER,
    table_rows: list[list[str]] | None = None,
    word_rendered_breaks: bool = False,
    footnotes: dict[int, str] | None = None,
) -> Path:
    """A DOCX with an explicit page break between pages ("## " heading, "- " bullet item).

    The header goes into the section header (not the body), as Word does. `table_rows` adds a
    table at the end of the last page. `word_rendered_breaks` also writes the
    <w:lastRenderedPageBreak/> that Word adds after each break, to check it is not counted twice.
    `footnotes` turns "[n]" markers into Word footnote references, with the notes in their own
    footnotes.xml part, as Word writes them.
    """
    import docx
    from docx.oxml import OxmlElement

    document = docx.Document()
    if header:
        document.sections[0].header.paragraphs[0].text = header
    for number, paragraphs in enumerate(paragraphs_per_page):
        if number:
            document.add_page_break()
        for k, text in enumerate(paragraphs):
            if text.startswith("## "):
                p = document.add_heading(text[3:], level=2)
            elif text.startswith("- "):
                p = document.add_paragraph(text[2:], style="List Bullet")
            elif footnotes and _MARKER.search(text):
                p = document.add_paragraph()
                _add_with_footnote_refs(p, text)
            else:
                p = document.add_paragraph(_MARKER.sub(r"\1", text))
            if word_rendered_breaks and number and k == 0:
                p.runs[0]._r.insert(0, OxmlElement("w:lastRenderedPageBreak"))
    if table_rows:
        table = document.add_table(rows=len(table_rows), cols=len(table_rows[0]))
        for r, row in enumerate(table_rows):
            for c, value in enumerate(row):
                table.cell(r, c).text = value
    if footnotes:
        _add_footnotes_part(document, footnotes)
    document.save(str(path))
    return path


_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _add_with_footnote_refs(paragraph, text: str) -> None:  # type: ignore[no-untyped-def]
    """Runs of text, with a <w:footnoteReference w:id="n"/> run for each "[n]"."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    pos = 0
    for m in _MARKER.finditer(text):
        paragraph.add_run(text[pos : m.start()])
        ref_run = paragraph.add_run()
        ref = OxmlElement("w:footnoteReference")
        ref.set(qn("w:id"), m.group(1))
        ref_run._r.append(ref)
        pos = m.end()
    paragraph.add_run(text[pos:])


def _add_footnotes_part(document, footnotes: dict[int, str]) -> None:  # type: ignore[no-untyped-def]
    from xml.sax.saxutils import escape

    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    sep = (
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
        "</w:r></w:p></w:footnote>"
    )
    notes = "".join(
        f'<w:footnote w:id="{n}"><w:p><w:r><w:footnoteRef/></w:r>'
        f'<w:r><w:t xml:space="preserve"> {escape(text)}</w:t></w:r></w:p></w:footnote>'
        for n, text in sorted(footnotes.items())
    )
    xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:footnotes xmlns:w="{_W_NS}">{sep}{notes}</w:footnotes>'
    )
    part = Part(
        PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, xml.encode(), document.part.package
    )
    document.part.relate_to(part, RT.FOOTNOTES)


def report_pages() -> list[list[str]]:
    """The jbz report's cleaned paragraphs grouped by the page they start on (no footnotes)."""
    from ingest.clean import clean
    from ingest.parse import parse_file

    doc = clean(parse_file(jbz_path()))
    pages: dict[int, list[str]] = {}
    pos = 0
    for para in doc.text.split("\n\n"):
        page = doc.pages_for(pos, pos + 1)[0]
        pos += len(para) + 2
        if not _MARKER.match(para):
            pages.setdefault(page, []).append(para)
    return [pages[p] for p in sorted(pages)]


def build_report_docx_from_corpus(path: Path) -> Path:
    """The real jbz report as a DOCX, one page break where each page of the original starts."""
    return build_docx(path, report_pages())


def build_report_docx_with_footnotes(path: Path) -> Path:
    """The real jbz report as a DOCX with Word footnotes: the same report as the corpus .txt."""
    notes = {}
    for p in report_paragraphs():
        if m := re.match(r"\[(\d+)\] (.*)", p):
            notes[int(m.group(1))] = m.group(2)
    return build_docx(path, report_pages(), footnotes=notes)


def build_html(path: Path, title: str, paragraphs: list[str]) -> Path:
    """An HTML page with site chrome (nav, header, footer, script, style) around the report.

    "## " marks an <h2>, consecutive "- " items become one <ul>.
    """
    from html import escape

    body: list[str] = [f"<h1>{escape(title)}</h1>"]
    in_list = False
    for text in paragraphs:
        if text.startswith("- ") != in_list:
            body.append("<ul>" if not in_list else "</ul>")
            in_list = not in_list
        if text.startswith("## "):
            body.append(f"<h2>{escape(text[3:])}</h2>")
        elif in_list:
            body.append(f"<li>{escape(text[2:])}</li>")
        else:
            body.append(f"<p>{escape(text)}</p>")
    if in_list:
        body.append("</ul>")
    page = f"""<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8"><title>{escape(title)}</title>
<style>body {{ font-family: sans-serif; }}</style>
<script>var tracking = "Rijksoverheid menu";</script></head>
<body>
<header><a href="/">Rijksoverheid</a> Zoeken Menu</header>
<nav><ul><li>Home</li><li>Documenten</li></ul></nav>
<main>
{chr(10).join(body)}
</main>
<footer>Over deze site | Cookies | Privacy</footer>
</body></html>
"""
    path.write_text(page, encoding="utf-8")
    return path
