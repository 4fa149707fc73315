"""Sections of the real reports after the real clean-up, plus the heuristics on small texts."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.clean import clean
from ingest.parse import parse_file
from ingest.sections import INTRO_TITLE, Section, find_sections, section_at
from tests.conftest import CORPUS, JBZ, SGD

ALL_FILES = sorted(CORPUS.rglob("*.txt"))


def _cleaned(path: Path) -> str:
    return clean(parse_file(path)).text


def _sgd(sgd_id: str) -> Path:
    (path,) = [p for p in SGD.glob("*.txt") if p.stem.endswith(sgd_id)]
    return path


def _assert_contiguous(sections: list[Section], text: str) -> None:
    assert sections[0].start == 0
    assert sections[-1].end == len(text)
    for a, b in zip(sections, sections[1:], strict=False):
        assert a.end == b.start and a.start < a.end


JBZ_ITEMS = [
    ("1", "1. Verordening ter voorkoming van de verspreiding van online terroristische inhoud"),
    ("2", "2. Raadsconclusies inzake interne veiligheid en het Europees Politiepartnerschap"),
    ("3", "3. Implementatie van interoperabiliteit"),
    ("4", "4. Nieuw Migratie- en Asielpact"),
    ("5", "5. Samenwerking met partners m.b.t. effectieve terugkeer en migratiemanagement"),
    ("6", "6. Werkprogramma inkomend voorzitterschap"),
]


def test_jbz_2020_agenda_items_and_summary() -> None:
    text = _cleaned(JBZ)
    sections = find_sections(text)
    _assert_contiguous(sections, text)
    titles = [s.title for s in sections]
    assert titles[0] == INTRO_TITLE  # the document title paragraph
    assert titles[1] == "Belangrijkste resultaten"
    summary = "Belangrijkste resultaten – "
    assert titles[2:8] == [
        summary + "Verordening ter voorkoming van de verspreiding van online terroristische inhoud",
        summary + "Raadsconclusies inzake interne veiligheid en het Europees Politiepartnerschap",
        summary + "Implementatie van interoperabiliteit",
        summary + "Nieuw Migratie- en Asielpact",
        summary + "Samenwerking met partners m.b.t. effectieve terugkeer en migratiemanagement",
        summary + "Werkprogramma inkomend voorzitterschap",
    ]
    part = sections[8]
    assert (part.title, part.number, part.level) == (
        "I. Binnenlandse Zaken, Asiel en Migratie",
        "I",
        1,
    )
    items = sections[9:]
    assert [(s.number, s.title) for s in items] == JBZ_ITEMS
    assert {s.level for s in items} == {2}
    assert {s.level for s in sections[2:8]} == {2}

    # each item's range holds its own text and not the next item's
    pact = items[3]
    body = text[pact.start : pact.end]
    assert body.startswith("4. Nieuw Migratie- en Asielpact")
    assert "Voortgangsrapport van het Voorzitterschap" in body
    assert "5. Samenwerking met partners" not in body
    three_points = text.index("Tot slot noemde het Voorzitterschap nog drie punten")
    assert section_at(sections, three_points).number == "5"
    # the summary paragraph on the pact belongs to the summary, not to item 4
    summary_pact = text.index("Tijdens een uitgebreide discussie stonden de lidstaten wederom")
    assert section_at(sections, summary_pact).title == summary + "Nieuw Migratie- en Asielpact"


def test_landbouwraad_1990_agenda_items() -> None:
    text = _cleaned(_sgd("sgd0000039256"))
    sections = find_sections(text)
    _assert_contiguous(sections, text)
    assert sections[0].title == INTRO_TITLE  # header, cover text: one front-matter section
    assert "geannoteerde agenda" in text[sections[0].start : sections[0].end]
    assert [s.number for s in sections[1:]] == ["1", "2", "3", "4"]
    assert sections[1].title == "1. Goedkeuring van de voorlopige agenda"
    assert sections[2].title == "2. Goedkeuring van de lijst van A-punten"
    assert sections[3].title.startswith(
        "3. Voorstellen voor de vaststelling van de landbouwprijzen"
    )
    assert sections[3].title.endswith("(1990/1991)")
    # a long numbered agenda item (40 words) is still a heading
    assert sections[4].title.startswith("4. Verslag van de Commissie aan de Raad over het gebruik")
    assert sections[4].title.endswith("de doeltreffendheid van de landbouwstructuur")
    assert "Landbouwraad van 12 en 13 februari" in text[sections[3].start : sections[3].end]


def test_onderzoekraad_1994_question_heading() -> None:
    text = _cleaned(_sgd("sgd0000005001"))
    sections = find_sections(text)
    assert [s.title for s in sections] == [
        INTRO_TITLE,
        "Regels voor deelneming: hoe open wil de EU zijn?",
    ]
    rules = sections[1]
    assert "Bij de regels voor deelneming concentreerde" in text[rules.start : rules.end]
    assert "Hierbij doe ik u verslag" in text[: rules.start]


def test_committee_report_headings() -> None:
    text = _cleaned(_sgd("sgd0000029901"))
    titles = [s.title for s in find_sections(text)]
    assert titles == [
        INTRO_TITLE,
        "Vragen en opmerkingen uit de commissie",
        "1. Verslag Algemene Raad",
    ]


@pytest.mark.parametrize("path", ALL_FILES, ids=lambda p: p.name[:40])
def test_every_report_is_covered_without_front_matter_headings(path: Path) -> None:
    text = _cleaned(path)
    sections = find_sections(text)
    _assert_contiguous(sections, text)
    for s in sections:
        assert not s.title.startswith(("Tweede Kamer", "Vergaderjaar", "Nr.", "BRIEF", "Aan de"))
        assert not s.title.startswith(("De Minister", "De Staatssecretaris", "1 Samenstelling"))
    if "_cover_" in path.name:  # one-paragraph cover letters have no headings at all
        assert [s.title for s in sections] == [""]


# ------------------------------------------------------------------ heuristics on small texts


def test_empty_and_headingless_text() -> None:
    assert find_sections("") == []
    text = "Titel van het stuk\n\nEen alinea zonder kopjes. Nog een zin."
    assert find_sections(text) == [Section("", 0, len(text), 1, "")]


def test_parts_items_and_subheadings_inside_an_item() -> None:
    text = "\n\n".join(
        [
            "Verslag van de Raad",
            "I. Justitie",
            "1. Verordening e-evidence",
            "Het voorzitterschap gaf een toelichting.",
            "Nederlandse inzet",
            "Nederland steunde het voorstel.",
            "2. Diversen",
            "Geen punten.",
        ]
    )
    sections = find_sections(text)
    got = [(s.title, s.level, s.number) for s in sections]
    assert got == [
        (INTRO_TITLE, 1, ""),
        ("I. Justitie", 1, "I"),
        ("1. Verordening e-evidence", 2, "1"),
        ("1. Verordening e-evidence – Nederlandse inzet", 3, ""),
        ("2. Diversen", 2, "2"),
    ]
    _assert_contiguous(sections, text)


@pytest.mark.parametrize(
    "paragraph",
    [
        "Dit is een gewone zin die eindigt met een punt.",
        "Tot slot noemde het Voorzitterschap nog drie punten:",
        "- Schengenevaluatie Kroatië",
        "3. Een genummerde alinea die als zin eindigt.",
        "[1] Uw Kamer zal worden geïnformeerd",
        "De Minister van Justitie, E. M. H. Hirsch Ballin",
        "een kopje met kleine letter",
        "Een heel lang kopje dat eigenlijk een zin is zonder punt aan het einde maar met veel te veel woorden",
    ],
)
def test_not_headings(paragraph: str) -> None:
    text = f"Titel\n\n{paragraph}\n\nGewone tekst van de alinea daarna."
    assert [s.title for s in find_sections(text)] == [""]


def test_a_run_of_short_lines_is_not_a_heading_block() -> None:
    text = (
        "Titel\n\nRuimtelijke Ordening\n\nMilieubeheer\n\nVolkshuisvesting\n\nTekst van de brief."
    )
    assert [s.title for s in find_sections(text)] == [""]
    # nor is a short last line with nothing after it
    assert [s.title for s in find_sections("Titel\n\nTekst.\n\nSlotwoord")] == [""]
