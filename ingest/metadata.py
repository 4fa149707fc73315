"""A report's metadata, read from its own text, plus sidecar overrides.

Owns `extract_metadata(text) -> ReportMeta` (title, document type, Council formation, meeting dates,
letter date, Kamerstuk number) and the `<report>.meta.json` sidecar that may override any field.
Never looks at the file name: real users' files carry no metadata in their names.

Decisions and shortcuts, on purpose:
- doc_type describes the document itself. A short letter that sends something along (signature
  after at most ~1200 characters) is a "brief"; a letter that carries the content is a "verslag",
  or a "geannoteerde_agenda" when its first sentence offers an agenda and numbered items follow.
  Committee reports are "verslag_mondeling_overleg" / "verslag_algemeen_overleg" /
  "verslag_schriftelijk_overleg" from their printed heading; other documents go by their title,
  and "notitie" when nothing says otherwise.
- Formation: first formation named in the Kamerstuk header lines (the dossier titles, so the
  primary dossier of a multi-dossier committee report wins), else in the title, else in the body;
  else guessed from the sending minister (Verkeer en Waterstaat -> Transport, ...).
- Meeting dates: for letters and reports, all dates of the first sentence that names a Council
  meeting ("op maandag 26, dinsdag 27 maart 1990"); a missing year comes from the letter date
  ("jl." = before it, "a.s." = after it). For committee reports: the dates attached to the primary
  formation ("Verslag Interne Marktraad van 13 december 1990"), else any formation's, else the date
  of the committee meeting itself.
- Letter date: "'s-Gravenhage, 16 november 1988", "Den Haag, ...", or "Vastgesteld ..." for committee
  reports. OCR digits are repaired ("ISjuli" -> 15 juli, "3O" -> 30). A date outside the printed
  vergaderjaar gets the year that fits it (a June 1993 letter printed "16juni 1992").
- Kamerstuk: from the footer "Tweede Kamer, vergaderjaar ..., <dossier>, nr. N", normalised to
  "20 800 XI, nr. 59" (no "hfdst.", "IX B" -> "IXB", OCR "5C1" -> "501"); "" when none is printed.
"""

from __future__ import annotations

import logging
import re
from datetime import date

from ingest.dates import DATE_RE, DAY, MONTH, OCR_DIGITS, dates_nl, expand, find_dates, iso_dates
from rag.core.models import ReportMeta
from rag.vocab.documents import document_kind, meeting_number
from rag.vocab.formations import Formation, find_formations, normalise_formation
from rag.vocab.languages import detect_language

log = logging.getLogger(__name__)

COVER_LETTER_MAX_CHARS = 1200  # one-paragraph cover letters in the 1988-1994 sample: < 900 chars
TITLE_MAX_CHARS = 300  # the longest title in the corpus (a committee report's dossiers) is ~250

# The masthead may print the number and the document type on one line: "Nr. 653 BRIEF VAN ...".
_MASTHEAD_NR = r"(?:Nr\.?\s*(?P<masthead_nr>\d+)\s+)?"
_BRIEF_RE = re.compile(rf"^\s*{_MASTHEAD_NR}BRIEF\s*VAN\b")
_REPORT_HEADING_RE = re.compile(
    r"^(?:Verslag|Geannoteerde\s+agenda|Agenda)\s+(?:van|voor|bij)\s.{10,}", re.I
)
_DOSSIER_LINE_RE = re.compile(r"^\s*(\d{2}\s?\d{3}(?:-[A-Z\d]+|\s[IVXL]+(?:\s?[A-F])?)?)\b")
_OVERLEG_RE = re.compile(r"VERSLAG\s+VAN\s+EEN\s+(MONDELING|ALGEMEEN|SCHRIFTELIJK)\s+OVERLEG")
_PLACE_DATE_RE = re.compile(r"(?:Gravenhage|Den\s+Haag)\s*,?\s*")
_VASTGESTELD_RE = re.compile(r"Vastgesteld\s+")
# A signature on its own line, or glued to the last sentence by a text-flow parser.
_SIGNATURE_RE = re.compile(
    r"^\s*De\s*(?:Minister|Staatssecretaris)"
    r"|(?<=[.!?])\s+De\s*(?:Minister|Staatssecretaris)[^\n]{0,80}?,\s+[A-Z][^\n]{0,40}$",
    re.M,
)
_PRINTER_RE = re.compile(
    r"ISSN|\bSdu\b|\bSDU\b|uitgeverij|^Tweede Kamer, vergaderjaar", re.I | re.M
)
_VERGADERJAAR_RE = re.compile(r"ergaderjaar\s+(\d{4})\s*[-–/]\s*(\d{4})", re.I)
_FOOTER_RE = re.compile(
    r"Tweede\s+Kamer,\s*vergaderjaar\s+\d{4}\s*[-–—/]\s*\d{4},\s*(?P<dossier>[^\n]+?),?\s*"
    r"nr\.?\s*(?P<nr>[\dOIlS]+)",
    re.I,
)
# Council words that mark the sentence naming the meeting a letter is about.
_COUNCIL_RE = re.compile(
    r"(?<![\w])(?:(?:EG|EU|EEG)-)?Raad(?:szitting|svergadering)?(?![\w])|(?<![\w])[A-Z]\w*raad\b"
    r"|\bzitting\b|\bbijeenkomst\b|\bvergadering\b"
)
# Dates that belong to another letter or consultation, not to a Council meeting.
_NOT_MEETING_RE = re.compile(r"(?:brief|overleg|schrijven|notitie)\s+(?:van|d\.\s?d\.)\s*$", re.I)
_CONNECTOR_RE = re.compile(
    r"\s*,?\s*(?:(?:die\s+)?(?:op|van|d\.\s?d\.|dd\.?)|te\s+houden\s+op)?\s*"
)
_ABBREVIATIONS = {"jl", "d.d", "dd", "nr", "nrs", "a.s", "o.a", "c.q", "cq", "plv", "p!v", "blz"}
# Fallback when no formation is named at all: the sending minister's portfolio.
_MINISTRY_FORMATION = (
    ("LANDBOUW", "Landbouwraad"),
    ("VERKEER EN WATERSTAAT", "Transportraad"),
    ("FINANCI", "Ecofin-Raad"),
    ("JUSTITIE", "Justitieraad"),
    ("SOCIALE ZAKEN", "Sociale Raad"),
    ("MILIEUBEHEER", "Milieuraad"),
    ("ONTWIKKELINGSSAMENWERKING", "Ontwikkelingsraad"),
    ("ONDERWIJS", "Onderwijsraad"),
)


# ---------------------------------------------------------------- document structure


def _sentences(text: str) -> list[str]:
    """Rough sentence split that keeps "d.d.", "jl." and initials inside their sentence."""
    out, start = [], 0
    for m in re.finditer(r"[.!?]\s+(?=[A-Z«(\d])", text):
        # Only the word before the stop matters: look back a bounded window, not the whole
        # prefix (splitting the prefix made a 20 MB text without newlines quadratic).
        before = text[max(0, m.start() - 40) : m.start() + 1].split()
        word = before[-1].rstrip(".").lower() if m.start() and before else ""
        if word in _ABBREVIATIONS or re.fullmatch(r"(?:[a-z]\.)*[a-z]", word):
            continue
        out.append(text[start : m.start() + 1])
        start = m.end()
    out.append(text[start:])
    return [s.strip() for s in out if s.strip()]


def _title_paragraph(lines: list[str]) -> str:
    """The first paragraph, at most three lines, as one line (the title of a non-letter)."""
    out: list[str] = []
    for line in lines:
        if not line.strip():
            if out:
                break
            continue
        out.append(line.strip()[:TITLE_MAX_CHARS])
        if len(out) == 3 or line.rstrip().endswith(".") or sum(map(len, out)) > 200:
            break
    return _clip(" ".join(" ".join(out).split()), TITLE_MAX_CHARS)


def _clip(text: str, limit: int) -> str:
    """`text` cut at the last word boundary before `limit` characters (a file without newlines
    would otherwise make its whole text the title)."""
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + " …"


def _after(lines: list[str], index: int, regex: re.Pattern[str]) -> int | None:
    for i in range(index, len(lines)):
        if regex.search(lines[i]):
            return i
    return None


def _attached_report(letter: str) -> str:
    """The heading of a report sent along after the letter's signature ("Verslag van de Raad
    ..."), or "" when the letter carries nothing after its signature (a cover letter alone)."""
    sig = _SIGNATURE_RE.search(letter)
    if not sig:
        return ""
    after = letter[sig.end() :]
    if len(after) < COVER_LETTER_MAX_CHARS:
        return ""
    lines = [ln.strip() for ln in after.splitlines() if ln.strip()][:4]  # signer, then heading
    for line in lines:
        if _REPORT_HEADING_RE.match(line):
            return _clip(line, TITLE_MAX_CHARS)
    return ""


def _letter_body(letter: str) -> str:
    """The letter text between the date line (or the addressee) and the signature or printer."""
    dated = re.compile(_PLACE_DATE_RE.pattern + rf"{DAY}\s*{MONTH}\s*\d{{4}}")  # not the printer
    start = dated.search(letter) or re.search(r"Voorzitter van de Tweede Kamer der \S+", letter)
    body = letter[start.end() :] if start else letter
    ends = [m.start() for m in (_SIGNATURE_RE.search(body), _PRINTER_RE.search(body)) if m]
    return " ".join(body[: min(ends) if ends else len(body)].split())


def _sentence_case_sender(line: str) -> str:
    """'BRIEFVAN DE MIIMISTER VAIM LANDBOUW, ...' -> 'Brief van de Minister van Landbouw, ...'."""
    line = re.split(r"\s+(?:Aan\s+de\s+Voorzitter|De\s+Voorzitter|'?\s*s-?Gravenhage)", line)[0]
    line = re.sub(r"^\s*Nr\.?\s*\d+\s+", "", line)  # "Nr. 653 BRIEF VAN ..." on one line
    line = re.sub(r"BRIEF\s*VAN", "BRIEF VAN", line.strip())
    line = re.sub(r"\bVAI[MN]\b", "VAN", line)
    line = re.sub(r"\bM[I1l]+[MN]+[I1l]*STER", "MINISTER", line)
    line = line.replace("RUIMTE LIJKE", "RUIMTELIJKE")  # OCR split seen in the 1988 letter
    line = re.sub(r"(?<=[A-Z])-\s*(?=[A-Z])", "", line)  # hyphenation: WERKGELE-GENHEID
    words, out, portfolio = line.lower().split(), [], False
    for i, w in enumerate(words):
        if i == 0 or w in ("minister", "staatssecretaris"):
            out.append(w[:1].upper() + w[1:])
            portfolio = portfolio or i > 0
        elif portfolio and w not in ("en", "van", "de", "voor", "het"):
            out.append(w[:1].upper() + w[1:])
        else:
            out.append(w)
    return " ".join(out)


def _printed_date(text: str, regex: re.Pattern[str]) -> date | None:
    for m in regex.finditer(text):
        d = DATE_RE.match(text, m.end())
        if d and d["year"]:
            dates = expand(d, None)
            if dates:
                return dates[0]
    return None


def _fit_vergaderjaar(d: date, text: str) -> date:
    """Correct an obviously misprinted year: the letter must fall in its printed vergaderjaar."""
    m = _VERGADERJAAR_RE.search(text)
    if not m:
        return d
    first, last = int(m[1]), int(m[2])
    lo, hi = date(first, 8, 1), date(last, 10, 31)  # a session runs mid-September to September
    if lo <= d <= hi:
        return d
    for year in (last, first):
        try:
            fixed = d.replace(year=year)
        except ValueError:
            continue
        if lo <= fixed <= hi:
            # Decided and fixed here, nothing for the user to do: debug, not a warning.
            log.debug(
                "letter date %s lies outside vergaderjaar %s-%s; read as %s", d, *m.groups(), fixed
            )
            return fixed
    return d


def _kamerstuk(text: str) -> str:
    """'Tweede Kamer, vergaderjaar 1988-1989, 20 800 hfdst. XI, nr. 59' -> '20 800 XI, nr. 59'."""
    matches = list(_FOOTER_RE.finditer(text))
    if not matches:
        return ""
    m = matches[-1]
    return _normalise_kamerstuk(m["dossier"], m["nr"])


def _masthead_kamerstuk(lines: list[str], brief: int | None) -> str:
    """The number from the masthead ("32 317 JBZ-Raad" over "Nr. 653 BRIEF VAN ..."), for
    Kamerstukken whose footer is gone (cleaned away as a running footer, or never printed)."""
    if brief is None:
        return ""
    nr_m = _BRIEF_RE.match(lines[brief])
    nr = nr_m["masthead_nr"] if nr_m else None
    top = brief
    above = [i for i in range(max(0, brief - 3), brief) if lines[i].strip()]
    if not nr and above and (prev := re.fullmatch(r"\s*Nr\.?\s*(\d+)\s*", lines[above[-1]])):
        nr, top = prev[1], above[-1]
    if not nr:
        return ""
    for line in reversed(lines[max(0, top - 6) : top]):
        if dossier := _DOSSIER_LINE_RE.match(line):
            return _normalise_kamerstuk(dossier[1], nr)
    return ""


def _normalise_kamerstuk(dossier: str, nr: str) -> str:
    """('20 800 hfdst. XI', '59') -> '20 800 XI, nr. 59' (OCR digits repaired)."""
    dossier = re.sub(r"\b(?:hfdst|hoofdstuk)\b\.?", " ", dossier, flags=re.I)
    enz = re.search(r"\benz\b", dossier) is not None
    dossier = re.split(r",?\s*\benz\b", dossier)[0]
    dossier = re.sub(r"\b\w*\d\w*\b", lambda t: t[0].translate(OCR_DIGITS), dossier)
    dossier = re.sub(r"\s*-\s*", "-", dossier.replace(",", " "))
    dossier = re.sub(r"\b(\d{2})(\d{3})\b", r"\1 \2", dossier)
    dossier = re.sub(r"\b([IVXL]+)\s+([A-F])\b", r"\1\2", dossier)  # "IX B" -> "IXB"
    dossier = " ".join(dossier.split())
    nr = nr.translate(OCR_DIGITS)
    return f"{dossier}{', enz.' if enz else ''}, nr. {nr}"


def _dossier_titles(front: list[str]) -> list[str]:
    """Header lines that name the dossier(s), without numbers, boilerplate and footnotes."""
    skip = re.compile(
        r"^(?:Tweede Kamer|Staten-Generaal|.?ergaderjaar|Nr\.|Rijksbegroting|Vaststelling van de"
        r"|Hoofdstuk|\d+\s+Samenstelling|[\d\s-]+$)",
        re.I,
    )
    return [
        ln.strip() for ln in front if ln.strip() and len(ln) < 200 and not skip.match(ln.strip())
    ]


# ---------------------------------------------------------------- formation and meeting dates


def _formation(front: list[str], title: str, subject: str, sender: str) -> Formation | None:
    for line in _dossier_titles(front):
        if found := normalise_formation(line):
            return found
    for text in (title, subject):
        if found := normalise_formation(text):
            return found
    for word, alias in _MINISTRY_FORMATION:
        if word in sender.upper():
            found = normalise_formation(alias)
            return Formation(found.name, found.name_en, "") if found else None
    return None


def _attached_dates(subject: str, ref: date | None) -> list[tuple[str, list[date]]]:
    """Dates written right after a formation name: 'Interne Marktraad van 13 december 1990'."""
    out = []
    for _, end, formation in find_formations(subject):
        at = _CONNECTOR_RE.match(subject, end)
        rest = subject[at.end() if at else end :][:40]
        dates = find_dates(rest, ref)
        if dates and dates[0][0] == 0:
            out.append((formation.name, dates[0][1]))
    return out


def _council_sentence_dates(texts: list[str], ref: date | None) -> list[date]:
    """All dates of the first sentence that names a Council meeting and gives its date."""
    for text in texts:
        for sentence in _sentences(text):
            if not (_COUNCIL_RE.search(sentence) or find_formations(sentence)):
                continue
            dates = [
                d
                for pos, ds in find_dates(sentence, ref)
                if not _NOT_MEETING_RE.search(sentence[max(0, pos - 25) : pos])
                for d in ds
            ]
            if dates:
                return dates
    return []


def _overleg_dates(subject: str, ref: date | None, primary: str) -> list[date]:
    attached = _attached_dates(subject, ref)
    own = [d for name, ds in attached if name == primary for d in ds]
    if own or attached:
        return own or [d for _, ds in attached for d in ds]
    first = find_dates(subject, ref)
    return first[0][1] if first else []  # the date of the committee meeting itself


def _doc_type(title: str, overleg: str, brief: bool, body: str, text: str) -> str:
    if overleg:
        return f"verslag_{overleg.lower()}_overleg"
    if brief:
        signed = _SIGNATURE_RE.search(text) is not None
        if signed and len(body) <= COVER_LETTER_MAX_CHARS:
            return "brief"
        first = (_sentences(body) or [""])[0].lower()
        if "agenda" in first and re.search(r"(?:^|\s)1\.\s+[A-Z]", body):
            return "geannoteerde_agenda" if "geannoteerde" in first else "agenda"
        return "verslag"
    kinds = ("geannoteerde agenda", "verslag", "agenda", "brief")
    return next((k.replace(" ", "_") for k in kinds if k in title.lower()), "notitie")


def _letter_title(
    sender: str, doc_type: str, subject: str, formation: Formation | None, dates: tuple[str, ...]
) -> str:
    """'Brief van de Minister van ...: verslag Visserijraad 3 april 1992'."""
    kind = doc_type.replace("_", " ")
    if doc_type == "brief":  # name what the cover letter sends along
        first = (_sentences(subject) or [""])[0].lower()
        first = re.sub(
            r"geannoteerde\s+(?:voorlopige\s+|ontwerp-)?agenda", "geannoteerde agenda", first
        )
        kinds = ("geannoteerde agenda", "agenda", "verslag", "notitie", "overzicht")
        kind = next((k for k in kinds if k in first), "")
    in_subject = normalise_formation(subject)  # the name as the letter writes it
    council = in_subject.matched if in_subject else (formation.matched if formation else "")
    if not council and (generic := re.search(r"(?:EG|EU)-Raad\b", subject)):
        council = generic[0]
    about = " ".join(p for p in (kind, council, dates_nl(dates)) if p)
    return f"{sender}: {about}" if about else sender


def extract_metadata(text: str) -> ReportMeta:
    """Read a report's metadata from its raw text (pages may be separated by "\\f").

    >>> extract_metadata("Verslag van de Raad Justitie en Binnenlandse Zaken, 14 december 2020")
    ReportMeta(title='Verslag van ...', doc_type='verslag', formation='JBZ-Raad', ...)
    """
    lines = text.replace("\f", "\n").splitlines()
    language = detect_language(text)
    head_lines = [ln.strip() for ln in lines[:40] if ln.strip()][:8]
    if (kind := document_kind("\n".join(head_lines[:5]))) and not _BRIEF_RE.search(text[:3000]):
        return _council_document(kind, head_lines, text, language)
    brief = _after(lines, 0, _BRIEF_RE)
    overleg_m = _OVERLEG_RE.search(text)
    overleg = overleg_m[1] if overleg_m else ""
    marker = _after(lines, 0, _OVERLEG_RE) if overleg else brief
    front = lines[:marker] if marker is not None else []

    letter_date = _printed_date(text, _VASTGESTELD_RE if overleg else _PLACE_DATE_RE)
    letter_date = _fit_vergaderjaar(letter_date, text) if letter_date else None
    sender = _sentence_case_sender(lines[brief]) if brief is not None and not overleg else ""

    if overleg and overleg_m:
        subject = text[overleg_m.end() :]
        cut = re.search(r"verslag\s+uit", subject)
        subject = " ".join(subject[: cut.end() if cut else 2000].split())
        subject = re.sub(r"^Vastgesteld\s+\S+\s+\S+\s+\d{4}\s*", "", subject)
        title = f"Verslag van een {overleg.lower()} overleg"
        if dossiers := _dossier_titles(front):
            title += ": " + "; ".join(dossiers)
    elif brief is not None:
        subject = _letter_body("\n".join(lines[brief:]))
        title = sender
    else:
        title = _title_paragraph(lines)
        subject = " ".join(text[:2000].split())

    formation = _formation(front, title if brief is None else "", subject, sender)
    primary = formation.name if formation else ""
    if overleg:
        meeting = _overleg_dates(subject, letter_date, primary)
    else:  # the title first: "Verslag van de ... Raad ..., 14 december 2020"
        meeting = _council_sentence_dates(
            [title, subject] if brief is None else [subject], letter_date
        )
    meeting_iso = iso_dates(meeting)
    doc_type = _doc_type(title, overleg, brief is not None, subject, text)

    attached = _attached_report("\n".join(lines[brief:])) if brief is not None else ""
    if attached and not overleg:  # the report itself names the document, not its cover letter
        title = attached
        kind = attached.split()[0].lower()
        doc_type = "geannoteerde_agenda" if kind == "geannoteerde" else kind
    elif brief is not None and not overleg:
        title = _letter_title(sender, doc_type, subject, formation, meeting_iso)

    return ReportMeta(
        title=title,
        doc_type=doc_type,
        formation=primary,
        formation_en=formation.name_en if formation else "",
        meeting_dates=meeting_iso,
        letter_date=letter_date.isoformat() if letter_date else "",
        kamerstuk=_kamerstuk(text) or _masthead_kamerstuk(lines, brief),
        language=language,
        session=f"{session[1]}-{session[2]}" if (session := _VERGADERJAAR_RE.search(text)) else "",
    )


def _council_document(kind: str, head: list[str], text: str, language: str) -> ReportMeta:
    """Metadata of the Council's own documents ("Outcome of the Council meeting", "Main
    results", press releases): everything is printed in their first lines.

    Title: from the line naming the kind, the heading lines up to the date line (at most four),
    joined. Formation: the first one
    named there (English names map to the same canonical formations). Meeting dates: the first
    date printed there. The meeting number: "3784th Council meeting".
    """
    title_lines: list[str] = []
    start = next((i for i, line in enumerate(head) if document_kind(line)), 0)
    for line in head[start : start + 4]:
        if len(line) > 120 or (title_lines and line.endswith(".")):
            break  # body text
        title_lines.append(line.rstrip(":"))
        if find_dates(line):
            break
    top = "\n".join(head)
    formation = normalise_formation(top)
    first = find_dates(top)
    return ReportMeta(
        title=_clip(", ".join(title_lines), TITLE_MAX_CHARS),
        doc_type=kind,
        formation=formation.name if formation else "",
        formation_en=formation.name_en if formation else "",
        meeting_dates=iso_dates(first[0][1]) if first else (),
        language=language,
        meeting_number=meeting_number(top),
    )
