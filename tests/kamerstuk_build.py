"""Builds a letter to the Tweede Kamer in the layout of a published Kamerstuk, as PDF and DOCX.

Page 1 carries the masthead ("Tweede Kamer der Staten-Generaal 2", "Vergaderjaar 2020–2021" with an
en dash, the dossier, and "Nr. 653 BRIEF VAN DE MINISTER ..." on one line), the cover letter dated
18 December and the printer's footer line; the attached report on the JBZ Council of 14 December
follows. Later pages have running headers that differ between even pages (page number first, the
Kamerstuk reference) and odd pages (the report's short title, page number last), and a
"Pagina N van M" footer; footnotes sit under a rule at the bottom of the page where their
reference lands; paragraphs flow over page breaks, so sentences are cut in two by the next page's
header.
"""

from __future__ import annotations

from pathlib import Path

from tests.fixtures_build import _PdfWriter

KST_REF = "Tweede Kamer, vergaderjaar 2020–2021, 32 317, nr. 653"
ODD_HEADER = "Verslag JBZ-Raad van 14 december 2020"
REPORT_TITLE = "Verslag van de Raad Justitie en Binnenlandse Zaken van 14 december 2020"
EVEN_DOCX_HEADER = "Kamerstuk 32 317, nr. 653 (even pagina)"
DEFAULT_DOCX_HEADER = "Verslag JBZ-Raad (oneven pagina)"

MASTHEAD = [
    "Tweede Kamer der Staten-Generaal 2",
    "Vergaderjaar 2020–2021",
    "32 317 JBZ-Raad",
    "Nr. 653 BRIEF VAN DE MINISTER VAN JUSTITIE EN VEILIGHEID",
    "Aan de Voorzitter van de Tweede Kamer der Staten-Generaal",
    "Den Haag, 18 december 2020",
]
LETTER = [
    "Hierbij bied ik u, mede namens de Minister voor Migratie, het verslag aan van de formele "
    "videoconferentie van de Raad Justitie en Binnenlandse Zaken (JBZ-Raad) van 14 december 2020.",
    "De Minister van Justitie en Veiligheid,",
    "F. Grapperhaus",
]

_ITEMS = [
    ("1. Terugkeerrichtlijn", "terugkeer van uitgeprocedeerde vreemdelingen", "Nederland"),
    ("2. Europol-mandaat", "versterking van het mandaat van Europol", "Duitsland"),
    ("3. Migratiepact", "het Nieuw Migratie- en Asielpact", "Frankrijk"),
    ("4. Schengen", "de werking van het Schengengebied", "België"),
    ("5. E-evidence", "grensoverschrijdende toegang tot elektronisch bewijs", "Italië"),
    ("6. Rechtsstaat", "de dialoog over de rechtsstaat in de lidstaten", "Spanje"),
    ("7. Terrorismebestrijding", "de EU-agenda voor terrorismebestrijding", "Oostenrijk"),
    ("8. Drugsstrategie", "de EU-drugsstrategie 2021-2025", "Portugal"),
    ("9. Strafrechtelijke samenwerking", "het Europees Openbaar Ministerie", "Ierland"),
    ("10. Digitalisering justitie", "de digitalisering van de justitiële samenwerking", "Zweden"),
    ("11. Radicalisering", "de aanpak van radicalisering in gevangenissen", "Denemarken"),
    ("12. Diversen", "de stand van zaken van lopende wetgevingsdossiers", "Finland"),
]
FOOTNOTES = {
    "1": "1 Kamerstuk 32 317, nr. 640, waarin het kabinet zijn inzet voor Europol beschreef."
}
# One sentence per item that the tests look for; it is long, so page breaks can fall inside.
KEY_SENTENCE = (
    "{actor} benadrukte bij {topic} dat de afspraken in de Raad zorgvuldig moeten worden "
    "uitgevoerd en dat de lidstaten elkaar daarbij over en weer moeten ondersteunen, zodat de "
    "gemaakte afspraken ook in de praktijk tot zichtbare resultaten voor de burgers leiden."
)


def report_paragraphs() -> list[str]:
    """The attached report: its title, then per agenda item a heading and two paragraphs."""
    paras = ["## " + REPORT_TITLE]
    for heading, topic, actor in _ITEMS:
        ref = "[1]" if "Europol" in topic else ""
        paras.append("## " + heading)
        paras.append(
            f"Het voorzitterschap gaf een toelichting op {topic}{ref}. De Commissie presenteerde de "
            "stand van zaken en riep de lidstaten op om de onderhandelingen in het nieuwe jaar "
            "voortvarend af te ronden. Verschillende lidstaten vroegen om aandacht voor de "
            "uitvoerbaarheid van de voorstellen en voor de gevolgen voor de nationale diensten."
        )
        paras.append(
            KEY_SENTENCE.format(actor=actor, topic=topic)
            + " De Raad nam nota van de voortgang en zal in maart 2021 op dit onderwerp terugkomen."
        )
        paras.append(
            "In de discussie kwam ook de financiering aan de orde. Meerdere lidstaten wezen op de "
            "noodzaak van voldoende middelen in het meerjarig financieel kader, terwijl andere "
            "lidstaten juist aandrongen op een doelmatige inzet van de bestaande middelen."
        )
    return paras


class KamerstukPdf(_PdfWriter):
    """`_PdfWriter` with a masthead page, odd/even running headers and a Kamerstuk footer."""

    def __init__(self) -> None:
        super().__init__(header=None, page_numbers=True)
        # Windows-1252 has the en dash of "2020–2021", which fpdf2's default latin-1 lacks.
        self.pdf.core_fonts_encoding = "windows-1252"

    def new_page(self) -> None:
        if self.page:
            self._finish_page()
        self.pdf.add_page()
        self.page += 1
        self.notes = []
        self.pdf.set_font("helvetica", size=9)
        self.pdf.set_y(12)
        if self.page % 2 == 0:
            self.pdf.cell(self.width, 5, f"{self.page} {KST_REF}", align="L")
        elif self.page > 1:
            self.pdf.cell(self.width, 5, f"{ODD_HEADER} {self.page}", align="R")
        self.pdf.set_y(25)

    def _finish_page(self) -> None:
        super()._finish_page()  # footnotes under a rule, "Pagina N van M"
        if self.page == 1:
            self.pdf.set_font("helvetica", size=7)
            self.pdf.set_y(self.pdf.h - 12)
            self.pdf.cell(self.width, 4, f"kst-32317-653 ISSN 0921 - 7371 {KST_REF}")


def build_kamerstuk_pdf(path: Path) -> Path:
    """The Kamerstuk as a PDF."""
    writer = KamerstukPdf()
    writer.new_page()
    writer.pdf.set_font("helvetica", size=11)
    for line in MASTHEAD:
        bold = line.startswith("Nr.")
        writer.pdf.set_font("helvetica", style="B" if bold else "", size=11)
        writer.pdf.cell(writer.width, 6, line, new_x="LMARGIN", new_y="NEXT")
    writer.pdf.ln(4)
    for text in LETTER:
        writer.paragraph(text, {})
    for text in report_paragraphs():
        writer.paragraph(text, FOOTNOTES)
    return writer.save(path)


def build_kamerstuk_docx(path: Path) -> Path:
    """The same Kamerstuk as a DOCX: odd and even page headers in the section, a page break
    inside a paragraph (in the middle of a sentence), and a Word footnote."""
    import docx
    from docx.enum.text import WD_BREAK

    from tests.fixtures_build import _add_footnotes_part, _add_with_footnote_refs

    document = docx.Document()
    document.settings.odd_and_even_pages_header_footer = True
    section = document.sections[0]
    section.header.paragraphs[0].text = DEFAULT_DOCX_HEADER
    section.even_page_header.paragraphs[0].text = EVEN_DOCX_HEADER
    for line in MASTHEAD:
        document.add_paragraph(line)
    for text in LETTER:
        document.add_paragraph(text)
    for text in report_paragraphs():
        if text.startswith("## "):
            document.add_heading(text[3:], level=2)
        elif "[1]" in text:
            _add_with_footnote_refs(document.add_paragraph(), text)
        elif text.startswith("Nederland benadrukte"):
            # A page break in the middle of the sentence, as Word writes one inside a paragraph.
            cut = text.index("zorgvuldig") + len("zorgvuldig")
            p = document.add_paragraph(text[:cut])
            p.add_run().add_break(WD_BREAK.PAGE)
            p.add_run(text[cut:])
        else:
            document.add_paragraph(text)
    _add_footnotes_part(document, {1: FOOTNOTES["1"][2:]})
    document.save(str(path))
    return path
