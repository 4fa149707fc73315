"""The Council's own documents: their kinds and meeting numbers, in English and other EU languages.

`SUMMARY_HEADS` are the headings of a report's own summary of its agenda items ("Belangrijkste
resultaten – Nieuw Migratie- en Asielpact" summarises "4. Nieuw Migratie- en Asielpact").
`DOCUMENT_KINDS` maps a document type to the headings that name it ("Outcome of the Council
meeting", "Main results", "Press release"), in English first, then French, German and Dutch where
the Council publishes them so. `MEETING_NUMBER` reads "3784th Council meeting" and its
translations. Code in ingest reads these tables; it carries no phrases of its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# doc_type -> headings that name it (regex fragments, case-insensitive, whole words).
DOCUMENT_KINDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "outcome",
        (
            r"Outcome\s+of\s+the\s+Council\s+meeting",
            r"R[ée]sultats?\s+de\s+la\s+session\s+du\s+Conseil",
            r"Ergebnisse?\s+der\s+Tagung\s+des\s+Rates",
            r"Resultaten?\s+van\s+de\s+(?:Raadszitting|zitting\s+van\s+de\s+Raad)",
        ),
    ),
    (
        "main_results",
        (r"Main\s+results", r"Principaux\s+r[ée]sultats", r"Wichtigste\s+Ergebnisse"),
    ),
    (
        "press_release",
        (r"Press\s+release", r"Communiqu[ée]\s+de\s+presse", r"Pressemitteilung", r"Persbericht"),
    ),
)
MEETING_NUMBER = re.compile(
    r"\b(?P<nr>\d{3,5})(?:st|nd|rd|th|e|ème|\.)?\s+(?:Council\s+meeting|session\s+du\s+Conseil"
    r"|Tagung\s+des\s+Rates|zitting\s+van\s+de\s+Raad)\b",
    re.IGNORECASE,
)
_KINDS = [
    (kind, re.compile(rf"(?<!\w)(?:{'|'.join(names)})(?!\w)", re.IGNORECASE))
    for kind, names in DOCUMENT_KINDS
]


def document_kind(head: str) -> str:
    """The doc_type a Council document's heading names, or "" (the first named kind wins).

    >>> document_kind("Outcome of the Council meeting\\n3784th Council meeting")
    'outcome'
    """
    found = [(m.start(), kind) for kind, rx in _KINDS if (m := rx.search(head))]
    return min(found)[1] if found else ""


def meeting_number(text: str) -> str:
    """ "3784th Council meeting" -> "3784" ("" when none is printed).

    >>> meeting_number("3784th Council meeting Justice and Home Affairs")
    '3784'
    """
    m = MEETING_NUMBER.search(text)
    return m["nr"] if m else ""


# A report's summary of its agenda items: the heading of the section and of its sub-sections.
SUMMARY_HEADS = ("Belangrijkste resultaten", "Samenvatting", "Main results", "Summary")
_SUMMARY = re.compile(rf"\s*(?:{'|'.join(SUMMARY_HEADS)})\b", re.IGNORECASE)
_ITEM_PREFIX = re.compile(rf"{_SUMMARY.pattern}\s*[–-]\s*|\s*\d+\.\s*", re.IGNORECASE)


def is_summary(section: str) -> bool:
    """A section of the report's summary, not an agenda item's own text.

    >>> is_summary("Belangrijkste resultaten – Pact"), is_summary("4. Pact")
    (True, False)
    """
    return bool(_SUMMARY.match(section))


def agenda_item_key(section: str) -> str:
    """The agenda item a section is about: its summary sub-section and its numbered heading
    give the same key.

    >>> agenda_item_key("Belangrijkste resultaten – Nieuw Migratie- en Asielpact")
    'Nieuw Migratie- en Asielpact'
    >>> agenda_item_key("4. Nieuw Migratie- en Asielpact")
    'Nieuw Migratie- en Asielpact'
    """
    return _ITEM_PREFIX.sub("", section, count=1)


# Agenda items every Council meeting has, which say nothing about what it discussed: the
# approval of its agenda and of the A items, "diversen". An overview lists them last.
PROCEDURAL_ITEMS = re.compile(
    r"^\s*(?:[\dIVX]+\.\s*)?(?:"
    r"goedkeuring van de (?:voorlopige )?agenda|(?:goedkeuring van de )?lijst (?:van )?(?:de )?a-punten|"
    r"vaststelling van de (?:voorlopige )?agenda|diversen|varia|rondvraag|overige punten|"
    r"(?:adoption|approval) of the (?:provisional )?agenda|"
    r"(?:adoption|approval) of the list of [\"“]?a[\"”]? items|any other business|other business"
    r")\b",
    re.IGNORECASE,
)


def is_procedural(title: str) -> bool:
    """An agenda item of form, not substance.

    >>> is_procedural("2. Goedkeuring van de lijst van A-punten"), is_procedural("3. Landbouwprijzen")
    (True, False)
    """
    return bool(PROCEDURAL_ITEMS.match(title))


# A committee report's footnote listing its members ("1 Samenstelling: Leden: Van Dis (SGP), ..."):
# who sat on the committee, not what the report is about.
COMPOSITION_FOOTNOTE = re.compile(r"^\s*\d*\s*Samenstelling\s*:", re.IGNORECASE)
# A letter's address line ("Aan de Voorzitter van de Tweede Kamer der Staten-Generaal").
ADDRESSEE = re.compile(r"^\s*Aan de (?:Voorzitter|Leden)\b", re.IGNORECASE)


# --- committee reports: the committees that met and who chaired them -----------------------
# "De vaste Commissies voor EG-zaken¹ en voor Buitenlandse Zaken² hebben op ... overleg gevoerd":
# the committees, each with the number of the footnote that lists its members ("1 Samenstelling:
# Leden: Van Dis (SGP), Stemerdink (PvdA), voorzitter, ..."), which names its chair.
_COMMITTEES = re.compile(
    r"\b(?:[Vv]aste|[Aa]lgemene)\s+Commissies?\s+voor\s+(?P<list>.{3,160}?)\s+(?:hebben|heeft)\b",
    re.DOTALL,
)
_COMMITTEE_PART = re.compile(
    r"^(?:(?:de\s+)?(?:vaste\s+|algemene\s+)?[Cc]ommissie\s+)?(?:voor\s+)?(?P<name>.+?)\s*(?P<n>\d|['’])?$"
)
_COMPOSITION = re.compile(
    r"(?P<n>\d)\s+Samenstelling\s*:\s*Leden\s*:(?P<members>.+?)(?=Plv\.?\s*leden|\d\s+Samenstelling|$)",
    re.DOTALL | re.IGNORECASE,
)
# A member and office: "Stemerdink (PvdA), voorzitter", "Swildens-Rozendaal (PvdA) voorzitter";
# not "ondervoorzitter".
_CHAIR = re.compile(
    r"(?:^|[,:.]\s*)(?P<name>[^,:()]{2,60}?)\s*\((?P<party>[^()]{1,25})\)\s*,?\s*(?<!onder)voorzitter\b"
)


@dataclass(frozen=True)
class Committee:
    """A parliamentary committee of a committee report, its chair and where the report says so."""

    name: str  # as the report writes it: "EG-zaken", "Buitenlandse Zaken"
    chair: str  # "Stemerdink (PvdA)"; "" when its footnote names none
    start: int  # the span of its composition footnote in the report text
    end: int


def committees(text: str) -> list[Committee]:
    """The committees a committee report names in its opening, with their chairs.

    >>> text = ("De vaste Commissies voor EG-zaken' en voor Buitenlandse Zaken2 hebben op 31 "
    ...         "januari 1991 overleg gevoerd. 1 Samenstelling: Leden: Van Dis (SGP), Stemerdink "
    ...         "(PvdA), voorzitter, Castricum (PvdA), Van der Linden (CDA), ondervoorzitter. "
    ...         "Plv. leden: Koffeman (CDA). 2 Samenstelling: Leden: Stoffelen (PvdA), Aarts (CDA), "
    ...         "voorzitter, Van Traa (PvdA).")
    >>> [(c.name, c.chair) for c in committees(text)]
    [('EG-zaken', 'Stemerdink (PvdA)'), ('Buitenlandse Zaken', 'Aarts (CDA)')]
    """
    opening = _COMMITTEES.search(text)
    if not opening:
        return []
    names = [
        m["name"].strip()
        for part in re.split(r"\s+en\s+", " ".join(opening["list"].split()))
        if (m := _COMMITTEE_PART.match(part.strip()))
    ]
    footnotes = {int(m["n"]): m for m in _COMPOSITION.finditer(text)}
    out = []
    for n, name in enumerate(names, start=1):
        note = footnotes.get(n)
        if note is None:
            continue
        members = " ".join(note["members"].split())
        chair = _CHAIR.search(members)
        who = f"{chair['name'].strip()} ({chair['party'].strip()})" if chair else ""
        out.append(Committee(name, who, note.start(), note.end()))
    return out
