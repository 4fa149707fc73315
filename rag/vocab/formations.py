"""Canonical Council formations and the many names they had (1988 to now).

Owns the table that maps every historical or informal name of a Council configuration ("Justitieraad",
"Interne Marktraad", "EG-Raad van Ministers van Landbouw", "JHA Council") to one canonical Dutch
name plus its English name, and the look-up of those names in report text and in user questions.

Shortcuts taken on purpose:
- The canonical list is today's ten Council configurations plus the European Council and the
  Eurogroup. Historical councils map to the configuration that took over their work: the budget
  council ("Begrotingsraad") to Ecofin (the budget is an Ecofin session since 2002), the
  development council ("Ontwikkelingsraad") to Foreign Affairs (merged into it in 2002/2009), the
  internal market, research and industry councils to Competitiveness, Immigratieraad and TREVI to
  JHA. The name as written is kept in `Formation.matched`.
- Aliases are regexes matched case-insensitively on word boundaries, except short all-capital
  acronyms (`JBZ`, `RBZ`, `JHA`, ...), which must match in capitals so that ordinary words do not.
- When several formations are named, the first mention wins (leftmost, then longest).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rag.core.models import ReportMeta


@dataclass(frozen=True)
class FormationSpec:
    """One canonical formation and the regex aliases that name it."""

    name: str
    name_en: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Formation:
    """A formation found in text: canonical names plus the words as written there.

    >>> normalise_formation("de Justitieraad van 13 november 1991")
    Formation(name='JBZ-Raad', name_en='Justice and Home Affairs Council', matched='Justitieraad')
    """

    name: str
    name_en: str
    matched: str


_S = r"[\s-]*"  # between words: OCR and line breaks leave spaces or hyphens ("Markt Raad")
_EG = r"(?:EG|EU|EEG)-?\s*"  # "EG-Milieuraad", "EU Landbouwraad"

FORMATIONS: tuple[FormationSpec, ...] = (
    FormationSpec(
        "JBZ-Raad",
        "Justice and Home Affairs Council",
        (
            rf"JBZ{_S}Raad(?:en)?",
            rf"Raad{_S}(?:van{_S}|voor{_S})?Justitie{_S}en{_S}Binnenlandse{_S}Zaken",
            r"Justitieraad",
            r"Immigratieraad",
            r"TREVI",
            r"JBZ",
            r"JHA",
            r"Justice\s+and\s+Home\s+Affairs(?:\s+Council)?",
            r"JHA\s+Council",
            r"Justice\s+Council",
            r"Home\s+Affairs\s+Council",
        ),
    ),
    FormationSpec(
        "Raad Buitenlandse Zaken",
        "Foreign Affairs Council",
        (
            rf"Raad{_S}(?:van{_S})?Buitenlandse{_S}Zaken(?:{_S}\(?(?:Handel|Ontwikkeling)\)?)?",
            r"RBZ",
            r"FAC",
            r"Foreign\s+Affairs\s+Council",
            r"Ontwikkelingsraad",
            rf"Raad{_S}van{_S}Ministers{_S}voor{_S}Ontwikkelingssamenwerking",
            r"Development\s+Council",
        ),
    ),
    FormationSpec(
        "Algemene Raad",
        "General Affairs Council",
        (
            rf"Algemene{_S}Raad",
            rf"Raad{_S}Algemene{_S}Zaken(?:{_S}en{_S}Externe{_S}Betrekkingen)?",
            r"RAZ(?:EB)?",
            r"GAC",
            r"General\s+Affairs(?:\s+(?:and\s+External\s+Relations\s+)?Council)?",
        ),
    ),
    FormationSpec(
        "Landbouw- en Visserijraad",
        "Agriculture and Fisheries Council",
        (
            rf"Landbouw-?{_S}en{_S}Visserijraad",
            rf"Raad{_S}(?:voor{_S})?Landbouw{_S}en{_S}Visserij",
            r"Landbouwraad",
            r"Visserijraad",
            rf"Raad{_S}van{_S}Landbouwministers",
            rf"Raad{_S}van{_S}Ministers{_S}van{_S}Landbouw",
            r"LVR",
            r"AGRIFISH",
            r"Agriculture(?:\s+and\s+Fisheries)?\s+Council",
            r"Agriculture\s+and\s+Fisheries",
            r"Fisheries\s+Council",
        ),
    ),
    FormationSpec(
        "Ecofin-Raad",
        "Economic and Financial Affairs Council",
        (
            rf"Ecofin(?:{_S}Raad)?",
            rf"Raad{_S}(?:voor{_S})?Economische{_S}en{_S}Financi[eë]le{_S}Zaken",
            r"Begrotingsraad",
            r"Economic\s+and\s+Financial\s+Affairs(?:\s+Council)?",
            r"Budget\s+Council",
        ),
    ),
    FormationSpec(
        "Milieuraad",
        "Environment Council",
        (
            r"Milieuraad",
            rf"Raad{_S}(?:voor{_S})?Milieu",
            r"Environment\s+Council",
        ),
    ),
    FormationSpec(
        "Raad Concurrentievermogen",
        "Competitiveness Council",
        (
            rf"Raad{_S}(?:voor{_S})?Concurrentievermogen",
            rf"Interne{_S}Markt{_S}Raad",
            r"Onderzoekraad",  # not "Onderzoeksraad": that is the Dutch Safety Board
            r"Industrieraad",
            r"Competitiveness\s+Council",
            r"COMPET",
            r"Internal\s+Market\s+Council",
            r"Industry\s+Council",
            r"Research\s+Council",
        ),
    ),
    FormationSpec(
        "Raad Vervoer, Telecommunicatie en Energie",
        "Transport, Telecommunications and Energy Council",
        (
            rf"Raad{_S}(?:voor{_S})?Vervoer,?{_S}Telecommunicatie{_S}en{_S}Energie",
            r"TTE",
            r"Transportraad",
            r"Vervoersraad",
            r"Verkeersraad",
            rf"Raad{_S}(?:van{_S}Ministers{_S}van{_S})?Verkeer(?:{_S}en{_S}Vervoer)?",
            r"Energieraad",
            r"Telecom(?:municatie)?raad",
            r"Transport(?:,\s+Telecommunications\s+and\s+Energy)?\s+Council",
            r"Energy\s+Council",
            r"Telecom(?:munication)?s?\s+Council",
        ),
    ),
    FormationSpec(
        "Raad Werkgelegenheid, Sociaal Beleid, Volksgezondheid en Consumentenzaken",
        "Employment, Social Policy, Health and Consumer Affairs Council",
        (
            rf"Raad{_S}Werkgelegenheid,?{_S}Sociaal{_S}Beleid(?:,?{_S}Volksgezondheid"
            rf"{_S}en{_S}Consumentenzaken)?",
            r"EPSCO",
            r"WSBVC",
            rf"Sociale{_S}Raad",
            rf"Raad{_S}(?:voor{_S})?Sociale{_S}Zaken",
            r"Gezondheidsraad",
            r"Consumentenraad",
            r"Employment,?\s+Social\s+Policy(?:,\s+Health\s+and\s+Consumer\s+Affairs)?"
            r"(?:\s+Council)?",
            r"Employment\s+Council",
            r"Health\s+Council",
        ),
    ),
    FormationSpec(
        "Raad Onderwijs, Jeugd, Cultuur en Sport",
        "Education, Youth, Culture and Sport Council",
        (
            rf"Raad{_S}(?:voor{_S})?Onderwijs,?{_S}Jeugd,?{_S}Cultuur{_S}en{_S}Sport",
            r"OJCS",
            r"EYCS",
            r"Onderwijsraad",
            r"Cultuurraad",
            r"Education(?:,\s+Youth,\s+Culture\s+and\s+Sport)?\s+Council",
            r"Culture\s+Council",
        ),
    ),
    FormationSpec(
        "Europese Raad",
        "European Council",
        (
            rf"Europese{_S}Raad",
            r"European\s+Council",
            r"Eurotop",
            rf"EU{_S}top",
        ),
    ),
    FormationSpec("Eurogroep", "Eurogroup", (r"Eurogroep", r"Euro\s?group")),
)


def _is_acronym(alias: str) -> bool:
    """Short capital acronyms ("JBZ", "RAZ(?:EB)?") must match in capitals only."""
    return re.fullmatch(r"[A-Z]{2,4}(?:\(\?:[A-Z]+\)\?)?", alias) is not None


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[re.Pattern[str], FormationSpec]]:
    out = []
    for spec in FORMATIONS:
        for alias in spec.aliases:
            flags = 0 if _is_acronym(alias) else re.IGNORECASE
            # \b on both sides, but "EG-Milieuraad" still matches: "-" is a word boundary.
            out.append((re.compile(rf"(?<![\w]){alias}(?![\w])", flags), spec))
    return out


def find_formations(text: str) -> list[tuple[int, int, Formation]]:
    """Every formation mention as (start, end, Formation), in text order; overlapping mentions
    keep the leftmost-longest one.

    >>> [f.name for _, _, f in find_formations("Landbouwraad en Ecofin")]
    ['Landbouw- en Visserijraad', 'Ecofin-Raad']
    """
    hits: list[tuple[int, int, FormationSpec]] = []
    for pattern, spec in _patterns():
        for m in pattern.finditer(text):
            hits.append((m.start(), m.end(), spec))
    hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
    out: list[tuple[int, int, Formation]] = []
    last_end = -1
    for start, end, spec in hits:
        if start < last_end:
            continue
        matched = " ".join(text[start:end].split())
        out.append((start, end, Formation(spec.name, spec.name_en, matched)))
        last_end = end
    return out


def normalise_formation(text: str) -> Formation | None:
    """The first formation named in `text`, or None.

    >>> normalise_formation("EG-Raad van Ministers van Landbouw").name
    'Landbouw- en Visserijraad'
    """
    found = find_formations(text)
    return found[0][2] if found else None


def formation_names() -> list[str]:
    """Canonical Dutch names, in table order (for filters and validation messages)."""
    return [spec.name for spec in FORMATIONS]


def get_formation(name: str) -> FormationSpec | None:
    """The table entry for a canonical Dutch or English name (exact, case-insensitive)."""
    key = name.strip().casefold()
    for spec in FORMATIONS:
        if key in (spec.name.casefold(), spec.name_en.casefold()):
            return spec
    return None


def find_formation_in_question(q: str) -> str | None:
    """Canonical Dutch name of the formation a question asks about, or None.

    >>> find_formation_in_question("What did the agriculture council decide on prices?")
    'Landbouw- en Visserijraad'
    """
    found = normalise_formation(q)
    return found.name if found else None


def report_formations(meta: ReportMeta) -> tuple[str, ...]:
    """Every formation a report covers: its own, then any other its title names (a committee
    report "over de Landbouwraad, de Visserijraad en de Ecofin-Raad" covers three). Computed once
    at ingest and stored with the report.

    >>> report_formations(ReportMeta(title="Verslag Landbouwraad en Ecofin", formation="Ecofin-Raad"))
    ('Ecofin-Raad', 'Landbouw- en Visserijraad')
    """
    named = [f.name for _, _, f in find_formations(meta.title)]
    return tuple(dict.fromkeys([meta.formation, *named] if meta.formation else named))


def formation_names_of(meta: ReportMeta) -> str:
    """The Dutch and English names of every formation a report covers, as one line.

    >>> formation_names_of(ReportMeta(formation="JBZ-Raad"))
    'JBZ-Raad / Justice and Home Affairs Council'
    """
    names = []
    for name in sorted(meta.covered_formations()):
        spec = get_formation(name)
        names.append(f"{name} / {spec.name_en}" if spec else name)
    return "; ".join(names)
