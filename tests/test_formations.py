"""Canonical Council formations: aliases, historical names, and formations named in questions."""

from __future__ import annotations

import pytest

from rag.vocab.formations import (
    FORMATIONS,
    FormationSpec,
    find_formation_in_question,
    find_formations,
    formation_names,
    get_formation,
    normalise_formation,
)

JBZ = "JBZ-Raad"
RBZ = "Raad Buitenlandse Zaken"
RAZ = "Algemene Raad"
LVR = "Landbouw- en Visserijraad"
ECOFIN = "Ecofin-Raad"
MILIEU = "Milieuraad"
COMPET = "Raad Concurrentievermogen"
TTE = "Raad Vervoer, Telecommunicatie en Energie"
EPSCO = "Raad Werkgelegenheid, Sociaal Beleid, Volksgezondheid en Consumentenzaken"
OJCS = "Raad Onderwijs, Jeugd, Cultuur en Sport"


def test_table_has_the_canonical_formations_with_unique_names() -> None:
    names = formation_names()
    for name in (JBZ, RBZ, RAZ, LVR, ECOFIN, MILIEU, COMPET, TTE, EPSCO, OJCS):
        assert name in names
    assert "Europese Raad" in names and "Eurogroep" in names
    assert len(set(names)) == len(names) == len(FORMATIONS)
    assert len({f.name_en for f in FORMATIONS}) == len(FORMATIONS)


@pytest.mark.parametrize("spec", FORMATIONS, ids=lambda s: s.name)
def test_canonical_dutch_and_english_names_normalise_to_themselves(spec: FormationSpec) -> None:
    assert normalise_formation(spec.name).name == spec.name
    assert normalise_formation(spec.name_en).name == spec.name
    assert get_formation(spec.name_en) == spec


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # names as printed in the 1988-1994 letters, including OCR spacing and line breaks
        ("de Justitieraad van 13 november 1991", JBZ),
        ("Immigratieraad", JBZ),
        ("TREVI", JBZ),
        ("Raad van Justitie en\nBinnenlandse Zaken, 14 december 2020", JBZ),
        ("de Raad Justitie en Binnenlandse Zaken", JBZ),
        ("in de JBZ-Raad", JBZ),
        ("de EG-Raad van Ministers van Landbouw op maandag 26", LVR),
        ("de Raad van Landbouwministers", LVR),
        ("EG-Visserijraad", LVR),
        ("Interne Markt Raad d.d. 22/9/1992", COMPET),
        ("Interne Marktraad", COMPET),
        ("Onderzoekraad", COMPET),
        ("Begrotingsraad", ECOFIN),
        ("Ecofin-Raad van 10 juli 1989", ECOFIN),
        ("EG-Milieuraad", MILIEU),
        ("EG-Transportraad", TTE),
        ("Energieraad", TTE),
        ("EG-Raad Verkeer", TTE),
        ("Sociale Raad", EPSCO),
        ("Ontwikkelingsraad", RBZ),
        ("Raad van Ministers voor Ontwikkelingssamenwerking", RBZ),
        ("Raad Algemene Zaken", RAZ),
        ("RAZ", RAZ),
        ("RBZ", RBZ),
        ("Cultuurraad", OJCS),
        ("Eurogroup", "Eurogroep"),
    ],
)
def test_aliases_and_historical_names(text: str, name: str) -> None:
    found = normalise_formation(text)
    assert found is not None and found.name == name


def test_matched_keeps_the_historical_name_as_written() -> None:
    found = normalise_formation("verslag van de Raad van Ministers voor Ontwikkelingssamenwerking")
    assert found.name == RBZ and found.name_en == "Foreign Affairs Council"
    assert found.matched == "Raad van Ministers voor Ontwikkelingssamenwerking"
    assert normalise_formation("Raad van Justitie en\nBinnenlandse Zaken").matched == (
        "Raad van Justitie en Binnenlandse Zaken"
    )


@pytest.mark.parametrize(
    "text",
    [
        "Ministerie van Buitenlandse Zaken",  # a ministry, not a Council
        "BRIEF VAN DE STAATSSECRETARIS VAN BUITENLANDSE ZAKEN",
        "het beraad van Europese landbouwministers",  # "beraad" is not "Raad"
        "de raz van het verhaal",  # acronyms only in capitals
        "De Onderzoeksraad voor Veiligheid",  # the Dutch Safety Board
        "Verslag van de Commissie aan de Raad",  # "the Council", no formation
        "",
    ],
)
def test_non_formations(text: str) -> None:
    assert normalise_formation(text) is None


def test_first_mention_wins_and_all_mentions_are_listed_in_order() -> None:
    header = "Uitvoering EG-richtlijnen Interne Marktraad Algemene Raad Begrotingsraad"
    found = find_formations(header)
    assert [f.name for _, _, f in found] == [COMPET, RAZ, ECOFIN]
    start, end, first = found[0]
    assert header[start:end] == "Interne Marktraad" == first.matched
    assert normalise_formation(header).name == COMPET
    # the longer alias wins over the shorter one at the same place
    assert normalise_formation("Landbouw- en Visserijraad").matched == "Landbouw- en Visserijraad"


@pytest.mark.parametrize(
    ("question", "name"),
    [
        ("What did the JHA Council decide on terrorist content online?", JBZ),
        ("Justice and Home Affairs: migration pact?", JBZ),
        ("Wat besprak de JBZ-Raad over het migratiepact?", JBZ),
        ("What did the agriculture council say about milk quotas?", LVR),
        ("Wat besloot de Landbouwraad over de prijzen?", LVR),
        ("Welke punten had de Visserijraad in 1992?", LVR),
        ("What was on the agenda of the General Affairs Council?", RAZ),
        ("foreign affairs council on Africa", RBZ),
        ("ECOFIN conclusions on financial services", ECOFIN),
        ("Environment Council 1988", MILIEU),
        ("internal market council June 1993", COMPET),
        ("transport council december 1993", TTE),
        ("What did the EPSCO council decide?", EPSCO),
        ("Wat zei de Europese Raad?", "Europese Raad"),
    ],
)
def test_find_formation_in_question(question: str, name: str) -> None:
    assert find_formation_in_question(question) == name


def test_question_without_formation() -> None:
    assert find_formation_in_question("Wat zei Nederland over solidariteit?") is None
    assert find_formation_in_question("What did the Council decide?") is None
