"""The words around the quotes, in the question's language: labels, lead lines and headings.

The reports are Dutch and quotes stay verbatim; what frames them follows the question, so a reader
of English can tell which meeting, which agenda item and whose words a quote is ("At the Justice
and Home Affairs Council of 14 December 2020, item 4 (Nieuw Migratie- en Asielpact), the
Netherlands:"). Verdicts and "not stated" labels live here too.
"""

from __future__ import annotations

from datetime import date

from rag.core.models import Chunk, ReportMeta
from rag.vocab.actors import Actor
from rag.vocab.cues import MONTHS_EN, MONTHS_NL

LABELS = {
    "nl": {
        "lead": "Uit de verslagen:",
        "abstain": "De geïndexeerde verslagen geven hierop geen antwoord.",
        "closest": "Dichtstbijzijnde passages (geen antwoord, ter controle):",
        "empty": "Er zijn nog geen verslagen geïndexeerd: voeg verslagen toe met "
        "`python -m ingest MAP` of via het tabblad Verslagen.",
        "nothing": (
            "Geen verslag gaat over een vergadering binnen {filters} (uit de vraag of de "
            "zijbalk): de verslagen zeggen hier niets over."
        ),
        "fallback": "het LLM-antwoord hierboven had geen geldige bronverwijzing en vervalt; "
        "hieronder het antwoord uit de verslagen zelf",
        "overview": "Agendapunten van {meeting}:",
        "catalogue": "Stukken die passen ({n}):",
        "committee_report": "Volgens de ledenlijst in",
        "committee_chair": "voorzitter van de commissie voor {name}",
        "catalogue_more": "En nog {n}: beperk de vraag tot een periode of Raad om ze te zien.",
        "kamerstuk": "Kamerstuk",
        "overview_outcome": "Uitkomst per agendapunt van {meeting} (waar het verslag die geeft):",
        "procedural": "Verder, voor de vorm:",
        "partial_member_state": "De verslagen noemen niet welke lidstaat of lidstaten; ze zeggen:",
        "partial_country": "De verslagen noemen niet welk land of welke landen; ze zeggen:",
        "partial_reply": "De verslagen geven het antwoord niet; ze zeggen:",
        "partial_outcome": "De verslagen geven de uitkomst niet; ze zeggen:",
        "partial_cover": "De verslagen bevatten hierover alleen de brief waarmee het stuk werd "
        "toegezonden, niet de inhoud; die zegt:",
        "partial_person": "De verslagen noemen hier geen naam; ze zeggen:",
        "partial_count": "De verslagen geven hier geen aantal; ze zeggen:",
        "partial_amount": "De verslagen noemen hier geen bedrag of percentage; ze zeggen:",
        "partial_date": "De verslagen geven hier geen datum; ze zeggen:",
        "partial_day": "De verslagen geven hier geen precieze datum; ze zeggen:",
        "premise": "De verslagen zeggen niet dat {actor} dit {stance}; ze zeggen:",
        "stance_opposes": "afwees of bekritiseerde",
        "stance_supports": "steunde",
        "verdict_stated": "Ja, volgens de verslagen:",
        "verdict_contradicted": "Nee, de verslagen zeggen het tegendeel:",
        "factcheck": "Wat de verslagen hierover zeggen:",
        "conflict": "De vraag noemt {asked}, buiten de gekozen filter ({chosen}); pas de filter "
        "aan of stel de vraag zonder die datum of Raad.",
        "item": "agendapunt",
        "ocr": "(OCR-tekst, betrouwbaarheid {pct}%: controleer de scan, p. {page})",
    },
    "en": {
        "lead": "From the reports (quoted in Dutch):",
        "abstain": "The indexed reports do not answer this question.",
        "closest": "Closest passages (not an answer, for checking):",
        "empty": "No reports are indexed yet: add reports with `python -m ingest FOLDER` "
        "or in the Reports tab.",
        "nothing": (
            "No report covers a meeting within {filters} (as the question or the sidebar "
            "narrowed it): the reports say nothing on this."
        ),
        "fallback": "the LLM answer above had no valid citation and is withdrawn; "
        "the answer quoted from the reports follows",
        "overview": "Agenda items of {meeting} (titles and quotes in Dutch):",
        "catalogue": "Documents that fit ({n}; titles and quotes in Dutch):",
        "committee_report": "According to the list of members in",
        "committee_chair": "chair of the committee for {name} (as the report names it)",
        "catalogue_more": "And {n} more: narrow the question to a period or Council to see them.",
        "kamerstuk": "Kamerstuk",
        "overview_outcome": (
            "Outcome per agenda item of {meeting}, where the report gives one "
            "(titles and quotes in Dutch):"
        ),
        "procedural": "Also, as a formality:",
        "partial_reply": "The reports do not give the answer; they say (in Dutch):",
        "partial_outcome": "The reports do not give the outcome; they say (in Dutch):",
        "partial_cover": "The reports hold only the letter that sent this document, not its "
        "content; it says (in Dutch):",
        "partial_member_state": "The reports do not name which member state(s); they say "
        "(in Dutch):",
        "partial_country": "The reports do not name which country or countries; they say "
        "(in Dutch):",
        "partial_person": "The reports give no name here; they say (in Dutch):",
        "partial_count": "The reports give no number here; they say (in Dutch):",
        "partial_amount": "The reports give no sum or share here; they say (in Dutch):",
        "partial_date": "The reports give no date here; they say (in Dutch):",
        "partial_day": "The reports give no exact date here; they say (in Dutch):",
        "premise": "The reports do not say that {actor} {stance} this; they say (in Dutch):",
        "stance_opposes": "rejected or criticised",
        "stance_supports": "supported",
        "verdict_stated": "Yes, according to the reports (quoted in Dutch):",
        "verdict_contradicted": "No, the reports say otherwise (quoted in Dutch):",
        "factcheck": "What the reports say on this (quoted in Dutch):",
        "conflict": "The question names {asked}, outside the chosen filter ({chosen}); change the "
        "filter, or ask without that date or Council.",
        "item": "item",
        "ocr": "(OCR text, confidence {pct}%: check the scan, p. {page})",
    },
}


def format_date(iso: str, lang: str) -> str:
    """'2020-12-14' -> '14 December 2020' / '14 december 2020'; other strings unchanged.

    >>> format_date("2020-12-14", "en"), format_date("2020-12-14", "nl")
    ('14 December 2020', '14 december 2020')
    """
    try:
        d = date.fromisoformat(iso)
    except ValueError:
        return iso
    month = (MONTHS_EN if lang == "en" else MONTHS_NL)[d.month - 1]
    return f"{d.day} {month.capitalize() if lang == 'en' else month} {d.year}"


def meeting(meta: ReportMeta, lang: str) -> str:
    """'the Justice and Home Affairs Council of 14 December 2020' / 'de JBZ-Raad van 14 december
    2020'; the report's title when formation and date are unknown."""
    when = meta.meeting_date or meta.letter_date
    formation = meta.formation_en if lang == "en" and meta.formation_en else meta.formation
    if not formation:
        return meta.title
    if lang == "en":
        return f"the {formation}" + (f" of {format_date(when, lang)}" if when else "")
    return f"de {formation}" + (f" van {format_date(when, lang)}" if when else "")


def item_phrase(chunk: Chunk, lang: str) -> str:
    """'item 4 (Nieuw Migratie- en Asielpact)' for a numbered agenda item, else its title."""
    section = chunk.section
    head, _, rest = section.partition(". ")
    word = LABELS[lang]["item"]
    if head.isdigit() and rest:
        return f"{word} {head} ({rest})"
    return section


def heading(chunk: Chunk, lang: str, actor: Actor | None = None) -> str:
    """A group's heading: where the quotes come from, and whose words they are.

    'At the Justice and Home Affairs Council of 14 December 2020, item 4 (Nieuw Migratie- en
    Asielpact), the Netherlands:'

    >>> heading(Chunk("c", "d", "Tekst.", "2. Terugkeer", (), 0, 6, 0), "nl")
    'D, agendapunt 2 (Terugkeer):'
    """
    where = meeting(chunk.meta, lang) or chunk.file or chunk.doc_id  # never empty
    item = item_phrase(chunk, lang)
    who = (actor.label_en if lang == "en" else actor.label_nl) if actor else ""
    if lang == "en":
        text = f"At {where}" + (f", {item}" if item else "")
    else:
        text = where[:1].upper() + where[1:] + (f", {item}" if item else "")
    return text + (f", {who}:" if who else ":")
