"""ingest.clean: quotable paragraphs, no page furniture, footnotes out of sentences, pages kept."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from ingest import cleanrules
from ingest.clean import CleanDocument, clean
from ingest.parse import RawDocument, RawPage, parse_file
from tests.fixtures_build import (
    REPORT_HEADER,
    build_html,
    build_pdf,
    build_report_docx_from_corpus,
    build_report_pdf_with_layout,
    corpus_dir,
    jbz_path,
    latin1,
    report_pages,
    sgd_path,
)


@pytest.fixture(scope="module")
def jbz() -> CleanDocument:
    return clean(parse_file(jbz_path()))


def paragraphs(doc: CleanDocument) -> list[str]:
    return doc.text.split("\n\n")


def page_of(doc: CleanDocument, phrase: str) -> tuple[int, ...]:
    start = doc.text.index(phrase)
    return doc.pages_for(start, start + len(phrase))


def raw(*pages: str, fmt: str = "txt") -> RawDocument:
    """A RawDocument straight from page texts (no file needed)."""
    return RawDocument(
        Path("x.txt"), fmt, tuple(RawPage(i, t) for i, t in enumerate(pages, 1)), len(pages) > 1
    )


def check_page_map(doc: CleanDocument, last_page: int) -> None:
    """Spans are contiguous, cover the whole text and name real pages."""
    assert doc.page_spans[0][0] == 0 and doc.page_spans[-1][1] == len(doc.text)
    for (_, end, _), (start, _, _) in zip(doc.page_spans, doc.page_spans[1:], strict=False):
        assert end == start
    assert {p for _, _, p in doc.page_spans} <= set(range(1, last_page + 1))


# --- the jbz-2020 report (pdftotext-style text) ---------------------------------------------------


def test_jbz_format_paragraphs_separated_by_one_blank_line(jbz: CleanDocument) -> None:
    assert "\n\n\n" not in jbz.text and not jbz.text.startswith("\n")
    assert all(p == p.strip() and "\n" not in p for p in paragraphs(jbz))
    assert not re.search(r"  |\t|\u00a0| \n", jbz.text)
    check_page_map(jbz, 5)


@pytest.mark.parametrize(
    "heading",
    [
        "Verslag van de informele bijeenkomst van de Raad van Justitie en Binnenlandse Zaken, "
        "14 december 2020",
        "Belangrijkste resultaten",
        "Verordening ter voorkoming van de verspreiding van online terroristische inhoud",
        "I. Binnenlandse Zaken, Asiel en Migratie",
        "4. Nieuw Migratie- en Asielpact",
        "Werkprogramma inkomend voorzitterschap",
        "Tot slot noemde het Voorzitterschap nog drie punten:",
    ],
)
def test_jbz_headings_are_their_own_paragraph(jbz: CleanDocument, heading: str) -> None:
    assert heading in paragraphs(jbz)


def test_jbz_wrapped_lines_are_reflowed(jbz: CleanDocument) -> None:
    assert (
        "Het voorzitterschap informeerde de JBZ-Raad over het politieke akkoord dat is bereikt op 10 "
        "december jl. tussen de Raad en het Europees Parlement inzake de verordening ter voorkoming "
        "van de verspreiding van online terroristische inhoud. De Commissie sprak zich positief uit "
        "over het bereikte akkoord." in paragraphs(jbz)
    )
    # A full line that happens to end a sentence ("gegevens.") does not end the paragraph.
    assert "uitwisseling van gegevens. Ook werd het belang van veilige" in jbz.text


def test_jbz_bullets_become_items_even_across_a_blank_line(jbz: CleanDocument) -> None:
    items = [p for p in paragraphs(jbz) if p.startswith("- ")]
    assert items == [
        "- Europese Grens- en Kustwacht / standing corps: Het Voorzitterschap riep lidstaten die "
        "dat nog niet hadden gedaan op om alle benodigde kandidaten voor te dragen voor het "
        "standing corps.",
        "- Schengenevaluatie Kroatië: Het Voorzitterschap wees op de door Kroatië geboekte "
        "vooruitgang. De evaluatie had laten zien dat Kroatië op de goede weg is maar dat nog "
        "stappen moeten worden gezet. Mogelijk kan dit onder het volgende Voorzitterschap worden "
        "afgerond.",
        "- Visa Informatie Systeem (VIS): Het Voorzitterschap stond stil bij het voorlopige akkoord "
        "dat vorige week werd bereikt met het EP over het VIS. Er zijn een aantal belangrijke "
        "moderniseringen doorgevoerd, dat is van belang voor meer interoperabiliteit. Het "
        "inkomende POR VZS zal het wetgevingstraject afronden.",
    ]
    assert "\uf0b7" not in jbz.text


@pytest.mark.parametrize(
    ("phrase", "pages"),
    [
        ("Belangrijkste resultaten", (1,)),
        ("Werkprogramma inkomend voorzitterschap\n", (2,)),
        # File line 142, after page 3 starts at line 121.
        ("Europol bracht naar voren", (3,)),
        ("Ten aanzien van de Terugkeerrichtlijn onderstreepte Nederland", (4,)),
        ("Jumbo-Raad", (5,)),
        ("gebruik van AI of andere nieuwe technologieën", (2, 3)),
        ("Ook riep het Voorzitterschap de lidstaten op om solidariteit", (3, 4)),
        ("Op delen is er sprake van brede overeenstemming", (4, 5)),
        ("[1] Uw Kamer zal", (1,)),
        ("[3] Kamerstukken II", (4,)),
    ],
)
def test_jbz_page_map(jbz: CleanDocument, phrase: str, pages: tuple[int, ...]) -> None:
    assert page_of(jbz, phrase) == pages


def test_jbz_footnotes_move_out_of_the_sentence(jbz: CleanDocument) -> None:
    paras = paragraphs(jbz)
    # The sentence the page break and footnote 2 cut in two reads on...
    whole = next(p for p in paras if "gebruik van AI of andere nieuwe technologieën" in p)
    assert "Uw Kamer" not in whole and whole.endswith("werd door alle lidstaten gesteund.")
    # ...and each footnote follows the paragraph that cites it (issue 12: attached to the
    # citing sentence, not to the paragraph its page happened to end in), as its own paragraph.
    assert [p[:3] for p in paras if re.match(r"\[\d\] ", p)] == ["[1]", "[2]", "[3]"]
    for n in ("1", "2", "3"):
        note = next(i for i, p in enumerate(paras) if p.startswith(f"[{n}] "))
        assert re.search(rf"[^\W\d_]\[{n}\]", paras[note - 1]), paras[note - 1][:80]
    assert paras[paras.index(whole) + 1] != "" and "Uw Kamer" not in whole
    note3 = next(p for p in paras if p.startswith("[3] "))
    assert note3.startswith("[3] Kamerstukken II, vergaderjaar")


def test_jbz_footnote_references_are_marked_and_other_numbers_left(jbz: CleanDocument) -> None:
    assert jbz.text.count("Europol[1].") == 1 and jbz.text.count("Europol[2].") == 1
    assert "motie Van Toorenburg -Becker[3] - nogmaals" in jbz.text
    assert len(re.findall(r"\w\[\d\]", jbz.text)) == 3
    for kept in ("Covid-19 pandemie", "art 25a Visumcode", "32 317, nr. 652.", "9 december jl."):
        assert kept in jbz.text


def test_jbz_words_split_at_line_ends(jbz: CleanDocument) -> None:
    assert "De Covid-19 pandemie" in jbz.text  # digit after the hyphen: keep it
    assert "centrale EU-informatiesystemen" in jbz.text  # acronym before the hyphen: keep it
    assert "de verplichte screening- en grensprocedure" in jbz.text  # "X- en Y" stays
    assert "veiligheids-en migratieterrein" in jbz.text  # the source's own spelling, untouched
    assert "EU- informatie" not in jbz.text and "Covid- 19" not in jbz.text


# --- synthetic wrapped text -----------------------------------------------------------------------

_FILLER = (
    "De Raad besprak het voorstel van de Commissie uitvoerig en de lidstaten gaven hun reactie op "
    "de verschillende onderdelen van het pakket, waarbij vooral de uitvoering aandacht kreeg. "
)


def _wrapped_with_split(head: str, tail: str) -> str:
    """Text wrapped at 80 columns in which one line ends with `head` and the next starts `tail`."""
    before = textwrap.wrap(_FILLER * 2 + "Nederland pleitte voor een " + head, 80)
    after = textwrap.wrap(tail + " als instrument. " + _FILLER, 80)
    return "\n".join(before + after)


@pytest.mark.parametrize(
    ("head", "tail", "expected"),
    [
        ("zeedagenre-", "geling", "een zeedagenregeling als"),  # a split word: joined
        ("Covid-", "19", "een Covid-19 als"),  # a digit after the hyphen: kept
        ("EU-", "informatiesysteem", "een EU-informatiesysteem als"),  # an acronym: kept
        ("informatie-", "uitwisseling", "een informatie-uitwisseling als"),  # vowel clash: kept
        ("screening-", "en grensprocedure", "een screening- en grensprocedure als"),
        ("TAC-", "of quotabeheer", "een TAC- of quotabeheer als"),
    ],
)
def test_line_end_hyphenation(head: str, tail: str, expected: str) -> None:
    doc = clean(raw(_wrapped_with_split(head, tail)))
    assert expected in doc.text
    assert len(paragraphs(doc)) == 1


def test_heading_inside_wrapped_text_is_kept_apart() -> None:
    body = "\n".join(textwrap.wrap(_FILLER * 3, 80))
    doc = clean(raw(f"{body}\nRegels voor deelneming: hoe open wil de EU zijn?\n{body}"))
    assert paragraphs(doc)[1] == "Regels voor deelneming: hoe open wil de EU zijn?"
    assert len(paragraphs(doc)) == 3


# --- the sgd OCR letters --------------------------------------------------------------------------


def test_sgd_lines_stay_paragraphs_and_header_lines_stay_apart() -> None:
    doc = clean(parse_file(sgd_path("eg-milieuraad")))
    assert paragraphs(doc)[:3] == [
        "Tweede Kamer der Staten-Generaal",
        "Vergaderjaar 1988-1989",  # the chamber number "2" between them is dropped
        "Rijksbegroting voor het jaar 1989",
    ]
    assert "'s-Gravenhage, 16 november 1988" in paragraphs(doc)
    assert paragraphs(doc)[-1] == "Tweede Kamer, vergaderjaar 1988-1989, 20 800 hfdst. XI, nr. 59"


@pytest.mark.parametrize("path", sorted((corpus_dir() / "sgd-1988-1994").glob("*.txt")))
def test_sgd_every_paragraph_is_one_source_line_and_boilerplate_is_gone(path: Path) -> None:
    source = [" ".join(line.split()) for line in path.read_text(encoding="utf-8").split("\n")]
    source += [a + b for a, b in zip(source, source[1:], strict=False)]  # "'" + "s-Gravenhage"
    doc = clean(parse_file(path))
    for para in paragraphs(doc):
        assert any(para[:40] in line and len(para) <= len(line) + 1 for line in source), para
    assert not re.search(r"ISSN|[Uu]itgever|\d{6}F|^\W*s\W*Gravenhage\W*\w{0,4}$", doc.text, re.M)
    assert "Tweede Kamer der" in doc.text and "Tweede Kamer, vergaderjaar" in doc.text
    check_page_map(doc, 1)


@pytest.mark.parametrize(
    ("name", "gone"),
    [
        ("justitieraad", ["-,-", "*,*,* +", "sGravenhageisgi"]),
        ("1994-03-28", ["..« —— «nr*M ™ *", "\n\nT\n\n", "\n\n..\n\n"]),
        ("ontwikkelingsraad_cover", [".._", "sGravenhagei992"]),
    ],
)
def test_sgd_ocr_garbage_lines_are_dropped(name: str, gone: list[str]) -> None:
    text = clean(parse_file(sgd_path(name))).text
    for junk in gone:
        assert junk not in text


def test_sgd_lone_quote_rejoins_s_gravenhage() -> None:
    doc = clean(parse_file(sgd_path("1994-06-16")))
    assert "'s-Gravenhage, 16juni 1994" in paragraphs(doc)


def test_sgd_inline_ocr_hyphens_join_only_with_evidence() -> None:
    visserij = clean(parse_file(sgd_path("visserijraad"))).text
    assert "zeedagenre-geling" not in visserij and "zee-dagenregeling" not in visserij
    assert visserij.count("zeedagenregeling") == 5
    assert "TAC-en quotasysteem" in visserij  # "X-en" coordination stays
    landbouw = clean(parse_file(sgd_path("landbouwraad_ga"))).text
    assert "deze keer besluitvorming over het prijzenpakket" in landbouw
    trevi = clean(parse_file(sgd_path("immigratieraad"))).text
    assert "De Hoop Scheffer (CDA)" in trevi  # "Schef-fer": Scheffer occurs elsewhere
    assert "Staatssecre-taris" in trevi  # no evidence for the joined word: keep
    assert "immigratie-en asielaangelegenheden" in trevi
    sociale = clean(parse_file(sgd_path("1993-05-18"))).text
    assert "SOCIALE ZAKEN EN WERKGELEGENHEID" in sociale  # upper case, evidence "Werkgelegenheid"


# --- page furniture and normalisation -------------------------------------------------------------


def test_repeated_header_and_page_numbers_are_dropped_but_content_kept() -> None:
    words = ["Eerste", "Tweede", "Derde"]
    pages = [
        f"Raadsverslag 14 december 2020\n{w} alinea.\n\n{'20 800' if w == 'Eerste' else ''}"
        f"\n\nNog een {w.lower()} zin."
        f"\n\nSlot van de {w.lower()} pagina.\n{footer}"
        for w, footer in zip(words, ["- 1 -", "2/3", "Pagina 3 van 3"], strict=True)
    ]
    doc = clean(raw(*pages))
    assert paragraphs(doc)[:4] == [
        "Eerste alinea.",
        "20 800",
        "Nog een eerste zin.",
        "Slot van de eerste pagina.",
    ]
    assert len(paragraphs(doc)) == 10
    assert "Raadsverslag" not in doc.text and "Pagina" not in doc.text and "2/3" not in doc.text
    assert "- 1 -" not in doc.text
    assert page_of(doc, "Tweede alinea") == (2,) and page_of(doc, "Slot van de derde") == (3,)


def test_header_on_one_page_only_is_content() -> None:
    doc = clean(raw("Inleiding\nTekst een.", "Andere kop\nTekst twee.", "Derde kop\nTekst drie."))
    assert "Inleiding" in doc.text and "Andere kop" in doc.text


def test_unicode_and_spaces_are_normalised() -> None:
    doc = clean(raw("Coo\u0308rdinator\u00a0van  de\tRaad   \n", fmt="html"))
    assert doc.text == "Coördinator van de Raad"


def test_pages_for_edges() -> None:
    doc = CleanDocument("abc\n\ndef", ((0, 5, 1), (5, 8, 2)))
    assert doc.pages_for(0, 3) == (1,)
    assert doc.pages_for(4, 6) == (1, 2)
    assert doc.pages_for(6, 6) == (2,)
    assert CleanDocument("", ()).pages_for(0, 1) == ()


def test_rules_doc_examples() -> None:
    assert cleanrules.is_page_number("Pagina 3 van 12") and not cleanrules.is_page_number("20 800")
    assert cleanrules.is_boilerplate("913831F ISSN 0921 -7371 SDU uitgeverij '")
    assert cleanrules.is_boilerplate("Sdu Uitgeverij Plantijnstraat 's Gravenhage 1993")
    assert not cleanrules.is_boilerplate("'s-Gravenhage, 16 november 1988")
    assert cleanrules.bullet_text("• punt") == "- punt"
    assert cleanrules.bullet_text("o tweede niveau") == "- tweede niveau"
    assert cleanrules.bullet_text("-Becker3 -") is None


# --- built PDF, DOCX and HTML ---------------------------------------------------------------------


def test_pdf_header_footer_footnote_and_pages(tmp_path: Path) -> None:
    page1 = [
        "## 1. Terugkeer",
        "De Commissie presenteerde de voorstellen inzake het mandaat van Europol1. Verder gaven de "
        "lidstaten aan dat het gebruik van nieuwe technologieën van groot belang is voor de "
        "samenwerking met derde landen, en dat de Raad daarbij",
    ]
    page2 = [
        "zorgvuldig moet afwegen welke waarborgen nodig zijn voor de fundamentele rechten.",
        "## 2. Diversen",
        "Geen van de lidstaten heeft geïntervenieerd.",
    ]
    note = "1 Uw Kamer zal over het kabinetsstandpunt middels het BNC-traject worden geïnformeerd."
    path = build_pdf(tmp_path / "v.pdf", [page1, page2], footnotes={1: note})
    doc = clean(parse_file(path))
    assert REPORT_HEADER not in doc.text and "Pagina" not in doc.text
    assert paragraphs(doc) == [
        "1. Terugkeer",
        "De Commissie presenteerde de voorstellen inzake het mandaat van Europol[1]. Verder gaven "
        "de lidstaten aan dat het gebruik van nieuwe technologieën van groot belang is voor de "
        "samenwerking met derde landen, en dat de Raad daarbij zorgvuldig moet afwegen welke "
        "waarborgen nodig zijn voor de fundamentele rechten.",
        "[1] " + note[2:],
        "2. Diversen",
        "Geen van de lidstaten heeft geïntervenieerd.",
    ]
    assert page_of(doc, "de Raad daarbij zorgvuldig") == (1, 2)
    assert page_of(doc, "[1] Uw Kamer") == (1,)
    assert page_of(doc, "2. Diversen") == (2,)
    check_page_map(doc, 2)


def test_report_pdf_from_corpus_keeps_every_paragraph_on_its_page(tmp_path: Path) -> None:
    path, placed = build_report_pdf_with_layout(tmp_path / "jbz.pdf")
    doc = clean(parse_file(path))
    text = doc.text
    assert REPORT_HEADER not in text and not re.search(r"Pagina \d+ van", text)
    start = 0
    for block in placed:  # in reading order: the summary repeats sentences of the full text
        start = text.find(block.text[:60], start)
        assert start >= 0, block.text[:60]
        assert doc.pages_for(start, start + 60)[0] == block.pages[0], block.text[:60]
    # The sentence the report PDF splits over pages 1-2 around footnote 1 is whole again.
    assert [p[:3] for p in paragraphs(doc) if re.match(r"\[\d\] ", p)] == ["[1]", "[2]", "[3]"]
    assert "Europol[1]." in text and "Europol[2]." in text and "-Becker[3]" in text
    assert latin1("de beoogde screening- en grensprocedure") in text
    check_page_map(doc, max(p for b in placed for p in b.pages))


def test_report_docx_from_corpus_keeps_original_pages(tmp_path: Path) -> None:
    doc = clean(parse_file(build_report_docx_from_corpus(tmp_path / "jbz.docx")))
    start = 0
    for number, paras in enumerate(report_pages(), start=1):
        for para in paras:
            start = doc.text.index(re.sub(r"\[(\d)\]", r"\1", para)[:50], start)
            assert doc.pages_for(start, start + 50) == (number,)
    assert "Belangrijkste resultaten" in paragraphs(doc)


def test_html_clean(tmp_path: Path) -> None:
    path = build_html(tmp_path / "r.html", "Verslag", ["## Kop", "Alinea een.", "- a", "- b"])
    assert paragraphs(clean(parse_file(path))) == ["Verslag", "Kop", "Alinea een.", "- a", "- b"]
