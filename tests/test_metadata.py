"""Metadata read from the real reports' TEXT, checked against what their file names say.

The file names (letterdate_kamerstuk_formation_type_sgdid) are the truth here; the code under test
only ever sees the text.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from ingest.dates import find_dates
from ingest.metadata import extract_metadata
from ingest.sidecar import DOC_TYPES, apply_sidecar, load_sidecar, sidecar_path
from rag.core.errors import IngestError
from rag.core.models import ReportMeta
from tests.conftest import JBZ, SGD

SGD_FILES = sorted(SGD.glob("*.txt"))

JBZ_RAAD = "JBZ-Raad"
RBZ = "Raad Buitenlandse Zaken"
RAZ = "Algemene Raad"
LVR = "Landbouw- en Visserijraad"
ECOFIN = "Ecofin-Raad"
COMPET = "Raad Concurrentievermogen"
TTE = "Raad Vervoer, Telecommunicatie en Energie"
EPSCO = "Raad Werkgelegenheid, Sociaal Beleid, Volksgezondheid en Consumentenzaken"

# File-name formation slug -> canonical formation(s). A committee report about several Councils
# may name any of them as its primary formation (see test_primary_formation_of_committee_reports).
SLUG_FORMATIONS: dict[str, set[str]] = {
    "eg-milieuraad": {"Milieuraad"},
    "interne-marktraad": {COMPET},
    "ecofin-raad": {ECOFIN},
    "eg-raad-verkeer-transport": {TTE},
    "landbouwraad": {LVR},
    "visserijraad": {LVR},
    "algemene-raad": {RAZ},
    "energieraad": {TTE},
    "transportraad": {TTE},
    "justitieraad": {JBZ_RAAD},
    "immigratieraad-trevi": {JBZ_RAAD},
    "ontwikkelingsraad": {RBZ},
    "sociale-raad": {EPSCO},
    "onderzoekraad": {COMPET},
    "algemene-raad-interne-marktraad-begrotin": {RAZ, COMPET, ECOFIN},
    "interne-marktraad-algemene-raad-begrotin": {COMPET, RAZ, ECOFIN},
}
# File-name type -> doc_type. "mo-verslag" covers the printed "ALGEMEEN OVERLEG" report too.
TYPE_DOC_TYPES: dict[str, set[str]] = {
    "cover": {"brief"},
    "ga": {"geannoteerde_agenda"},
    "verslag": {"verslag"},
    "mo-verslag": {"verslag_mondeling_overleg", "verslag_algemeen_overleg"},
}
# Meeting dates per sgd id, read by hand from each text. () where the letter names no meeting
# (a notitie on trade agreements; a half-year overview of financial-services directives).
MEETING_DATES: dict[str, tuple[str, ...]] = {
    "sgd0000094127": ("1988-11-24",),
    "sgd0000093687": ("1989-06-14",),
    "sgd0000093991": ("1989-07-10",),
    "sgd0000039015": ("1989-12-04", "1989-12-05"),  # "te houden op 4 en 5 december 1989"
    "sgd0000038778": ("1989-12-18",),
    "sgd0000039256": ("1990-03-26", "1990-03-27"),  # "op maandag 26, dinsdag 27 maart 1990"
    "sgd0000040744": (),
    "sgd0000040782": ("1990-05-21",),
    "sgd0000029920": ("1990-12-18",),  # "dd. 18 december 1990"
    "sgd0000040763": (),
    "sgd0000029901": ("1990-12-13",),  # primary formation Interne Marktraad "van 13 december 1990"
    "sgd0000021461": ("1991-11-13",),
    "sgd0000021398": ("1991-10-29",),
    "sgd0000020932": ("1991-11-07",),  # "Verslag Interne Marktraad van 7 november 1991"
    "sgd0000021442": ("1992-04-03",),  # "op 3 april jl.", year from the letter date
    "sgd0000021309": ("1992-05-04",),
    "sgd0000021423": ("1992-04-28", "1992-04-29"),  # "Op dinsdag 28 en woensdag 29 april jl."
    "sgd0000012642": ("1992-09-22",),  # "d.d. 22/9/1992"
    "sgd0000012680": ("1993-04-05", "1993-04-06"),  # "d.d. 5/6 april 1993"
    "sgd0000012826": ("1993-06-01",),  # "van 1 juni a.s."
    "sgd0000012661": ("1993-06-14",),
    "sgd0000012845": ("1993-05-26",),  # no Council date: the date of the committee meeting
    "sgd0000004986": ("1993-11-29", "1993-11-30"),  # "29 en 3O november 1993" (OCR O)
    "sgd0000004967": ("1994-03-21",),
    "sgd0000004929": ("1994-04-18", "1994-04-19"),  # "d.d. 18/19 april 1994"
    "sgd0000005033": ("1994-06-22",),
    "sgd0000005001": ("1994-06-27",),  # "Onderzoekraad op 27 juni jl."
    "sgd0000004948": ("1994-05-06",),  # "de EG-Ontwikkelingsraad van 6 mei 1994"
}


def _name_parts(path: Path) -> tuple[str, str, str, str, str]:
    letter, kst, formation, kind, sgd = path.stem.split("_")
    return letter, kst, formation, kind, sgd


def _meta(path: Path) -> ReportMeta:
    return extract_metadata(path.read_text(encoding="utf-8"))


def _expected_dossier(kst: str) -> tuple[str, str]:
    """'kst-20800-XI-59' -> ('20 800 XI', '59'); 'kst-21501-17-17' -> ('21 501-17', '17')."""
    _, main, *rest, nr = kst.split("-")
    dossier = f"{main[:2]} {main[2:]}"
    for part in rest:
        dossier += f"-{part}" if part.isdigit() else f" {part}"
    return dossier, nr


def test_all_28_letters_are_there() -> None:
    assert len(SGD_FILES) == 28
    assert {_name_parts(p)[4] for p in SGD_FILES} == set(MEETING_DATES)


# ------------------------------------------------------------------ the 2020 JBZ report


def test_jbz_2020_report() -> None:
    meta = _meta(JBZ)
    assert meta.title == (
        "Verslag van de informele bijeenkomst van de Raad van Justitie en Binnenlandse Zaken, "
        "14 december 2020"
    )
    assert meta.doc_type == "verslag"
    assert meta.formation == "JBZ-Raad"
    assert meta.formation_en == "Justice and Home Affairs Council"
    # the title's date, not "10 december jl." from the first paragraph
    assert meta.meeting_dates == ("2020-12-14",)
    assert meta.meeting_date == "2020-12-14"
    assert meta.letter_date == ""  # the extracted report carries no signed date
    assert meta.kamerstuk == ""  # no Kamerstuk number printed (only one in a footnote)


# ------------------------------------------------------------------ all 28 sgd letters


@pytest.mark.parametrize("path", SGD_FILES, ids=lambda p: p.name[:40])
def test_sgd_letter_matches_file_name(path: Path) -> None:
    letter, kst, slug, kind, sgd = _name_parts(path)
    meta = _meta(path)
    # "1990_..." carries no date in its text (the letter has no date line), so "" is right.
    assert meta.letter_date == (letter if len(letter) == 10 else "")
    dossier, nr = _expected_dossier(kst)
    assert meta.kamerstuk.startswith(dossier), meta.kamerstuk
    assert meta.kamerstuk.endswith(f", nr. {nr}"), meta.kamerstuk
    assert meta.formation in SLUG_FORMATIONS[slug]
    assert meta.formation_en
    assert meta.doc_type in TYPE_DOC_TYPES[kind]
    assert meta.doc_type in DOC_TYPES
    assert meta.meeting_dates == MEETING_DATES[sgd]
    assert meta.title


@pytest.mark.parametrize("path", [JBZ, *SGD_FILES], ids=lambda p: p.name[:40])
def test_metadata_is_the_same_through_parser_and_clean_up(path: Path) -> None:
    """The pipeline passes `parse_file(path).text` (pages joined by form feeds); the cleaned text,
    where a text-flow parser glues addressee, date and signature into paragraphs, gives the same."""
    from ingest.clean import clean
    from ingest.parse import parse_file

    raw = parse_file(path)
    assert extract_metadata(raw.text) == _meta(path)
    assert extract_metadata(clean(raw).text) == _meta(path)


def _by_id(sgd: str) -> ReportMeta:
    (path,) = [p for p in SGD_FILES if p.stem.endswith(sgd)]
    return _meta(path)


def test_kamerstuk_normalisation() -> None:
    assert _by_id("sgd0000094127").kamerstuk == "20 800 XI, nr. 59"  # "20 800 hfdst. XI"
    assert _by_id("sgd0000093991").kamerstuk == "20 800 IXB, nr. 64"  # "20 800, hfdst. IX B"
    assert _by_id("sgd0000021442").kamerstuk == "21 501-17, nr. 17"
    assert _by_id("sgd0000029901").kamerstuk == "21 501-01, enz., nr. 22"
    assert _by_id("sgd0000020932").kamerstuk == "21 109, enz., nr. 48"  # "21 109 enz."
    assert _by_id("sgd0000005001").kamerstuk == "21 501-13, nr. 24"  # OCR "21 5C1-13"
    assert _by_id("sgd0000012845").kamerstuk == "21 501-23 en 23 143, nr. 13"


def test_ocr_damaged_letter_dates() -> None:
    assert _by_id("sgd0000021442").letter_date == "1992-04-10"  # "10april 1992"
    assert _by_id("sgd0000005001").letter_date == "1994-07-15"  # "ISjuli 1994"
    assert _by_id("sgd0000005033").letter_date == "1994-06-16"  # "'\ns-Gravenhage, 16juni"
    assert _by_id("sgd0000040782").letter_date == "1990-05-28"  # no comma after the place
    assert _by_id("sgd0000004967").letter_date == "1994-03-28"  # "Den Haag, 28 maart 1994"
    assert _by_id("sgd0000029901").letter_date == "1991-03-11"  # "Vastgesteld 11 maart 1991"


def test_misprinted_year_is_fitted_to_the_vergaderjaar() -> None:
    """Printed "16juni 1992" in vergaderjaar 1992-1993 about a Council of 14 June 1993."""
    path = next(p for p in SGD_FILES if p.stem.endswith("sgd0000012661"))
    assert "16juni 1992" in path.read_text(encoding="utf-8")
    meta = _meta(path)
    assert meta.letter_date == "1993-06-16"
    assert meta.meeting_dates == ("1993-06-14",)


def test_detailed_reports() -> None:
    visserij = _by_id("sgd0000021442")
    assert visserij.doc_type == "verslag"
    assert visserij.formation == LVR
    assert visserij.title == (
        "Brief van de Minister van Landbouw, Natuurbeheer en Visserij: verslag Visserijraad "
        "3 april 1992"
    )
    landbouw = _by_id("sgd0000021423")
    assert landbouw.meeting_dates == ("1992-04-28", "1992-04-29")
    assert landbouw.title.endswith(": verslag Raad van Landbouwministers 28 en 29 april 1992")
    agenda = _by_id("sgd0000039256")
    assert agenda.doc_type == "geannoteerde_agenda"  # the agenda items follow the cover text
    assert agenda.meeting_dates == ("1990-03-26", "1990-03-27")
    # "BRIEFVAN DE MINISTER VAIM LANDBOUW" repaired and put in sentence case
    assert agenda.title.startswith("Brief van de Minister van Landbouw, Natuurbeheer en Visserij:")
    onderzoek = _by_id("sgd0000005001")
    assert (onderzoek.doc_type, onderzoek.formation) == ("verslag", COMPET)
    assert onderzoek.meeting_dates == ("1994-06-27",)
    milieu = _by_id("sgd0000094127")
    assert milieu.doc_type == "brief"  # a cover letter offering the annotated agenda
    assert milieu.title == (
        "Brief van de Minister van Volkshuisvesting, Ruimtelijke Ordening en Milieubeheer: "
        "geannoteerde agenda Milieuraad 24 november 1988"
    )
    assert _by_id("sgd0000029920").title == (  # "de geannoteerde voorlopige agenda ... dd. 18 ..."
        "Brief van de Staatssecretaris van Buitenlandse Zaken: geannoteerde agenda Algemene Raad "
        "18 december 1990"
    )
    # no formation named at all: "EG-Raad" from the Minister van Verkeer en Waterstaat
    assert _by_id("sgd0000039015").formation == TTE


def test_committee_reports() -> None:
    mo = _by_id("sgd0000012845")
    assert mo.doc_type == "verslag_mondeling_overleg"
    assert mo.title == "Verslag van een mondeling overleg: Immigratieraad; TREVI"
    assert mo.letter_date == "1993-09-01"
    ao = _by_id("sgd0000004948")
    assert ao.doc_type == "verslag_algemeen_overleg"  # printed "ALGEMEEN OVERLEG"
    assert ao.formation == RBZ  # "Ontwikkelingsraad" in the header


def test_primary_formation_of_committee_reports() -> None:
    """The first dossier in the header wins: Interne Marktraad (21 501-01) in both reports."""
    assert _by_id("sgd0000029901").formation == COMPET
    assert _by_id("sgd0000020932").formation == COMPET


def test_find_dates_ocr_and_relative_years() -> None:
    assert find_dates("op 29 en 3O november 1993") == [
        (3, [date(1993, 11, 29), date(1993, 11, 30)])
    ]
    assert find_dates("ISjuli 1994")[0][1] == [date(1994, 7, 15)]
    assert find_dates("d.d. 22/9/1992")[0][1] == [date(1992, 9, 22)]
    assert find_dates("van 3 t/m 5 mei 1994")[0][1] == [date(1994, 5, d) for d in (3, 4, 5)]
    january = date(1993, 1, 10)
    assert find_dates("op 3 december jl.", january)[0][1] == [date(1992, 12, 3)]
    assert find_dates("op 3 februari a.s.", january)[0][1] == [date(1993, 2, 3)]
    assert find_dates("op 3 april jl.") == []  # no year and nothing to take it from
    assert find_dates("voor de jaren 1993-2003, nr. 12") == []


# ------------------------------------------------------------------ sidecars


def _report(tmp_path: Path, sidecar: object) -> Path:
    report = tmp_path / "verslag.pdf"
    report.write_bytes(b"%PDF")
    side = sidecar_path(report)
    assert side.name == "verslag.pdf.meta.json"
    side.write_text(sidecar if isinstance(sidecar, str) else json.dumps(sidecar), encoding="utf-8")
    return report


def test_sidecar_overrides_fields(tmp_path: Path) -> None:
    report = _report(
        tmp_path,
        {"formation": "Landbouwraad", "meeting_dates": ["1992-04-29", "1992-04-28"], "title": "X"},
    )
    overrides = load_sidecar(sidecar_path(report))
    assert load_sidecar(report) == overrides  # the report's own path works too
    meta = apply_sidecar(_meta(JBZ), overrides)
    assert meta.formation == LVR  # an alias is normalised
    assert meta.formation_en == "Agriculture and Fisheries Council"
    assert meta.meeting_dates == ("1992-04-28", "1992-04-29")
    assert meta.title == "X"
    assert meta.doc_type == "verslag"  # fields not in the sidecar keep the extracted value


def test_sidecar_single_date_and_english_name(tmp_path: Path) -> None:
    report = _report(tmp_path, {"meeting_dates": "2021-03-11", "formation": "JHA Council"})
    meta = apply_sidecar(ReportMeta(), load_sidecar(report))
    assert meta.meeting_dates == ("2021-03-11",)
    assert (meta.formation, meta.formation_en) == ("JBZ-Raad", "Justice and Home Affairs Council")


def test_no_sidecar_is_no_override(tmp_path: Path) -> None:
    assert load_sidecar(tmp_path / "elders.pdf") == {}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ({"meeting_dates": ["14-12-2020"]}, "ISO date"),
        ({"meeting_dates": ["2020-02-30"]}, "not a real date"),
        ({"letter_date": "14 december 2020"}, "ISO date"),
        ({"formaton": "JBZ-Raad"}, "unknown key 'formaton'"),
        ({"doc_type": "minutes"}, "doc_type 'minutes' is unknown"),
        ({"formation": "Raad van Bestuur"}, "formation 'Raad van Bestuur' is unknown"),
        ({"title": 3}, "must be a string"),
        ('{"title": "x",}', "not valid JSON"),
        ('["JBZ-Raad"]', "one JSON object"),
    ],
)
def test_bad_sidecar_names_file_and_fix(tmp_path: Path, content: object, message: str) -> None:
    report = _report(tmp_path, content)
    with pytest.raises(IngestError) as err:
        load_sidecar(sidecar_path(report))
    text = str(err.value)
    assert message in text
    assert "verslag.pdf.meta.json" in text
    assert "\n" not in text  # one line, for the CLI and the app
