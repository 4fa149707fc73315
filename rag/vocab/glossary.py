"""A small bilingual glossary of EU and Council terms (English <-> Dutch).

Used on the lexical side only: an English question shares no words with Dutch reports, so BM25
scores it zero; translating the known terms gives it something to match ("return directive" ->
"terugkeerrichtlijn"). The dense model is multilingual and needs no help. Whether this helps is
measured by `python -m rag.eval` (README, "Retrieval choices").
"""

from __future__ import annotations

import re

# English phrase (lowercase, regex) -> Dutch terms as they appear in the reports.
GLOSSARY: tuple[tuple[str, str], ...] = (
    (r"return directive", "terugkeerrichtlijn"),
    (r"returns?|returning", "terugkeer"),
    (r"regulations?", "verordening verordeningen"),
    (r"resolutions?", "resolutie resoluties"),
    (r"entry[/ -]exit system|\bees\b", "inreis-/uitreissysteem EES"),
    (r"solidarity mechanism", "solidariteitsmechanisme"),
    (r"solidarity", "solidariteit"),
    (r"council conclusions|conclusions", "Raadsconclusies conclusies"),
    (r"internal security", "interne veiligheid"),
    (r"police partnership", "Politiepartnerschap"),
    (r"terrorist content|terrorist", "terroristische inhoud"),
    # Abbreviations and Dutch names the reports do not use (the reports say "GCC-landen").
    (r"tco", "online terroristische inhoud"),
    (r"gulf states|golfstaten|gulf cooperation council|gcc", "GCC-landen Golf"),
    (r"counter[- ]terrorism|terrorism", "terrorismebestrijding terrorisme"),
    (r"interoperability", "interoperabiliteit"),
    (r"migration pact|pact on migration|migration and asylum", "Migratie- en Asielpact"),
    (r"migration", "migratie"),
    (r"asylum", "asiel"),
    (r"progress report", "voortgangsrapport"),
    (r"border procedure|screening", "screening- en grensprocedure"),
    (r"external borders?", "buitengrens buitengrenzen"),
    (r"external dimension", "externe dimensie"),
    (r"third countries", "derde landen"),
    (r"work programme|priorities", "werkprogramma prioriteiten"),
    (r"presidency", "voorzitterschap"),
    # Parliamentary committees, as committee reports name them.
    (r"foreign affairs", "Buitenlandse Zaken"),
    (r"(?:ec|eu|eec|european|community) affairs", "EG-zaken Europese Zaken"),
    (r"justice", "Justitie"),
    (r"police", "politie"),
    (r"commission", "Commissie"),
    (r"commissioner", "Commissaris"),
    (r"member states?", "lidstaten lidstaat"),
    (r"the netherlands|dutch|netherlands", "Nederland"),
    (r"germany|german", "Duitse Duitsland"),
    (r"portugal|portuguese", "Portugese Portugees"),
    (r"croatia", "Kroatië"),
    (r"european parliament", "Europees Parlement"),
    (r"visa code", "Visumcode"),
    (r"visa information system", "Visa Informatie Systeem VIS"),
    (r"coast guard|border and coast guard", "Grens- en Kustwacht"),
    (r"schengen evaluation", "Schengenevaluatie"),
    (r"encrypted|encryption", "versleutelde"),
    (r"e-evidence", "e-evidence"),
    (r"multiannual financial framework|mff", "Meerjarig Financieel Kader"),
    (r"fisheries|fishing|fish", "visserij vis visserijbeleid"),
    (r"days at sea|sea days", "zeedagenregeling"),
    (r"discards", "discards terugzetten"),
    (r"quotas?", "quota quotum"),
    (r"agriculture|agricultural|farm", "landbouw"),
    (r"prices?", "prijzen prijs prijsvoorstellen"),
    (r"cereals?|grain", "granen graanprijs"),
    (r"milk|dairy", "melk melkkoeien melkproduktie"),
    (r"common agricultural policy|cap reform", "GLB Gemeenschappelijk landbouwbeleid"),
    (r"research", "onderzoek"),
    (r"framework programme", "kaderprogramma"),
    (r"participation", "deelneming"),
    (r"agenda", "agenda geannoteerde"),
    (r"report", "verslag rapport"),
    (r"letter", "brief"),
    (r"minister", "minister"),
    (r"development cooperation|development", "ontwikkelingssamenwerking ontwikkelingsraad"),
    (r"human rights", "mensenrechten"),
    (r"immigration", "immigratie"),
    (r"internal market", "Interne Markt"),
    (r"budget", "begroting"),
    (r"energy", "energie"),
    (r"transport", "transport vervoer"),
    (r"environment", "milieu"),
    (r"criticis\w*|critical|critic\w*", "kritische kritiek kanttekeningen"),
    (r"support\w*", "steun steunde"),
    (r"agreement|deal", "akkoord overeenstemming"),
    (r"maastricht treaty|treaty of maastricht", "Verdrag van Maastricht"),
    (r"treaty|treaties", "verdrag verdragen"),
    (r"postpone\w*|delay\w*|suspen\w*", "opschorting vertragingen"),
)

_COMPILED = tuple((en, re.compile(rf"\b(?:{en})\b", re.IGNORECASE), nl) for en, nl in GLOSSARY)

# Entries that name who speaks or frame the question rather than its subject matter.
_FRAME = frozenset(
    {
        r"presidency",
        r"commission",
        r"commissioner",
        r"member states?",
        r"the netherlands|dutch|netherlands",
        r"germany|german",
        r"portugal|portuguese",
        r"croatia",
        r"european parliament",
        r"minister",
        r"agenda",
        r"report",
        r"letter",
        r"regulations?",
        r"resolutions?",
        r"agriculture|agricultural|farm",
        r"council conclusions|conclusions",
        r"criticis\w*|critical|critic\w*",
        r"support\w*",
        r"agreement|deal",
        r"postpone\w*|delay\w*|suspen\w*",
    }
)


def _matches(question: str) -> list[tuple[str, str, str]]:
    """(glossary pattern, words matched, Dutch terms) per glossary entry found in the question,
    in glossary order, each stretch of words translated once (longer phrases come first)."""
    out: list[tuple[str, str, str]] = []
    taken: list[tuple[int, int]] = []
    for en, pattern, nl in _COMPILED:
        for m in pattern.finditer(question):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue  # part of a longer phrase already translated
            taken.append(m.span())
            out.append((en, m.group(), nl))
    return out


def concepts(question: str) -> list[tuple[str, str]]:
    """(English words, Dutch terms) per subject-matter term of the question: what it is about,
    not who speaks ("milk quota" gives milk and quota; "the Commission" gives nothing).

    >>> concepts("What milk quota did the Commission propose?")
    [('quota', 'quota quotum'), ('milk', 'melk melkkoeien melkproduktie')]
    """
    return [(words.lower(), nl) for en, words, nl in _matches(question) if en not in _FRAME]


def dutch_terms(question: str) -> list[str]:
    """Dutch terms for the English EU terms in `question` (longest phrases first, no repeats).

    >>> dutch_terms("What did the Netherlands say about the return directive?")
    ['terugkeerrichtlijn', 'Nederland']
    """
    return list(dict.fromkeys(nl for _, _, nl in _matches(question)))
