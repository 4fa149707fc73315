"""The app's interface strings in Dutch (the default) and English.

Kept as data so a translation is one dict and a missing key fails a test, not the page. Answers are
not translated here: the assistant answers in the question's language (`rag.answer.framing.LABELS`).
Strings that Streamlit renders as Markdown contain only our own markup; values filled in with
`t(..., **values)` must be escaped by the caller when they come from users or reports.
"""

from __future__ import annotations

import logging
import re

from rag.core.errors import RagError
from rag.ui.render import escape_md

log = logging.getLogger(__name__)

LANGS = ("nl", "en")

TEXT: dict[str, dict[str, str]] = {
    "nl": {
        "page_title": "Raadsverslagen-assistent",
        "loading": "Model en opslag laden…",
        "title": "Raadsverslagen-assistent",
        "intro": "Vraag wat er in de verslagen van EU-Raden staat. Elk antwoord noemt zijn bronnen.",
        "tab_chat": "Gesprek",
        "tab_reports": "Verslagen",
        "chat_placeholder": "Stel een vraag over de verslagen…",
        "no_answer": "Geen antwoord in de verslagen",
        "sources": "Bronnen",
        "open_section": "Heel agendapunt: {title}",
        "section_unknown": "Het agendapunt is niet meer in de opslag (document verwijderd?).",
        "filters_used": "Filters: {filters}",
        "interpreted_as": "Opgevat als: {question}",
        "mode_used": "Modus: {mode} · {ms} ms",
        "warning": "Let op: {warning}",
        "new_chat": "Nieuw gesprek",
        "export": "Exporteer als briefingnotitie (Markdown)",
        "sidebar_lang": "English interface",
        "sidebar_filters": "Filters",
        "filters_help": "Gelden voor de volgende vragen.",
        "formation": "Raadsformatie",
        "all_formations": "(alle formaties)",
        "since": "Vergadering vanaf",
        "until": "Vergadering tot en met",
        "documents": "Documenten",
        "choose": "Kies…",
        "doc_types": "Soort document",
        "sidebar_mode": "Antwoordmodus",
        "use_llm": "Antwoord met taalmodel (LLM)",
        "llm_off_hint": "Geen taalmodel ingesteld: zet RAG_LLM (bijv. gguf:PAD) en herstart. "
        "Nu: extractieve antwoorden (letterlijke zinnen uit de verslagen).",
        "llm_on_hint": "Uit: extractieve antwoorden (letterlijke zinnen uit de verslagen).",
        "sidebar_backends": "Gebruikte onderdelen",
        "embedder": "Embeddingmodel",
        "store": "Opslag",
        "llm": "Taalmodel",
        "none": "geen",
        "sidebar_index": "Geïndexeerd",
        "n_documents": "Documenten",
        "n_chunks": "Passages",
        "newest": "Nieuwste vergadering",
        "empty_store": "Er zijn nog geen verslagen geïndexeerd. Voeg ze toe in het tabblad "
        "**Verslagen** (PDF, DOCX, HTML of TXT), of op de opdrachtregel met "
        "`python -m ingest MAP`.",
        "upload": "Verslagen toevoegen",
        "open_original": "Origineel openen ({kind}, p. {page})",
        "open_original_nopage": "Origineel openen ({kind})",
        "download_original": "Download het origineel ({name})",
        "original_missing": "Het originele bestand is niet bewaard (het verslag is toegevoegd "
        "voordat originelen werden bewaard); voeg het opnieuw toe om het hier te openen.",
        "original_unmarked": "De geciteerde zin kon op deze pagina niet worden aangewezen "
        "(geen tekstlaag, of de zin loopt over een pagina).",
        "original_page": "Pagina {page} van {pages} · de geciteerde zin is gemarkeerd",
        "original_page_unmarked": "Pagina {page} van {pages}",
        "original_text": "Tekst van pagina {page} (opgeschoond), de geciteerde zin gemarkeerd",
        "original_text_nopage": "Tekst van het verslag (opgeschoond), de geciteerde zin gemarkeerd",
        "source_origin": "Bestand: {kind} · toegevoegd {when} UTC",
        "source_origin_nowhen": "Bestand: {kind}",
        "source_deleted": "Dit verslag is inmiddels verwijderd uit de opslag.",
        "answer_cites_deleted": "Dit antwoord citeert een verslag dat inmiddels is verwijderd: "
        "bron {numbers}.",
        "copy": "Kopiëren",
        "copied": "Gekopieerd",
        "upload_duplicate": "hetzelfde verslag als {twin}; niet nogmaals opgeslagen",
        "col_format": "Bestandstype",
        "col_added": "Toegevoegd (UTC)",
        "upload_button": "Toevoegen",
        "upload_none": "Kies eerst een of meer bestanden.",
        "upload_running": "Verslagen verwerken…",
        "upload_done": "Klaar: {ok} van {n} bestand(en) verwerkt",
        "upload_progress": "{name} ({i} van {n})",
        "doc_list": "Geïndexeerde verslagen",
        "col_title": "Titel",
        "col_type": "Soort",
        "col_formation": "Formatie",
        "col_dates": "Vergaderdatum(s)",
        "col_pages": "Pagina's",
        "col_chunks": "Passages",
        "col_file": "Bestand",
        "delete_pick": "Verslag verwijderen",
        "delete_button": "Verwijderen…",
        "delete_confirm": "Weet u zeker dat u **{title}** en zijn {chunks} passages wilt "
        "verwijderen? Dit kan niet ongedaan worden gemaakt.",
        "delete_yes": "Ja, verwijderen",
        "delete_no": "Annuleren",
        "deleted": "Verwijderd: {title} ({chunks} passages).",
        "status_new": "toegevoegd",
        "status_updated": "bijgewerkt",
        "status_unchanged": "al aanwezig",
        "status_duplicate": "dubbel",
        "status_failed": "mislukt",
        "status_skipped": "overgeslagen",
        "briefing_title": "Briefingnotitie",
        "briefing_generated": "Gemaakt op {when} met de Raadsverslagen-assistent.",
        "briefing_question": "Vraag",
        "briefing_answer": "Antwoord",
        "briefing_sources": "Bronnen",
        "briefing_filters": "Filters",
        "briefing_interpreted": "Opgevat als",
        "briefing_no_answer": "Geen antwoord in de verslagen.",
        "page": "p.",
        "login_title": "Inloggen",
        "login_name": "Gebruikersnaam",
        "login_password": "Wachtwoord",
        "login_button": "Inloggen",
        "login_failed": "Gebruikersnaam of wachtwoord onjuist.",
        "login_oidc": "Inloggen",
        "signed_in": "Ingelogd als {name} ({role})",
        "logout": "Uitloggen",
        "role_reader": "lezer",
        "role_editor": "redacteur",
        "reader_only": "Als lezer kunt u vragen stellen en exporteren; verslagen toevoegen of "
        "verwijderen kan alleen een redacteur.",
        # briefing notes (rag.ui.note, rag.ui.meeting_note) and the Briefing tab
        "tab_brief": "Briefing",
        "brief_help": "Een notitie voor een vergadering uit de opgeslagen structuur van het "
        "verslag: per agendapunt wat voorlag, de standpunten (Nederland eerst) en de uitkomst. "
        "Elke regel is een letterlijke zin uit het verslag met bron [n].",
        "brief_meeting": "Vergadering (verslag)",
        "brief_topic_input": "Onderwerp (optioneel; leeg laten voor de hele vergadering)",
        "brief_across": "Onderwerp over alle vergaderingen (niet alleen deze)",
        "brief_make": "Maak briefing",
        "brief_docx": "Download als Word (DOCX)",
        "brief_md": "Download als Markdown",
        "brief_no_meetings": "Er zijn nog geen verslagen met agendapunten geïndexeerd.",
        "brief_title": "Briefingnotitie {what}",
        "brief_topic": "onderwerp: {topic}",
        "brief_intro": "Per agendapunt: wat voorlag, de vastgelegde standpunten (Nederland, "
        "Commissie, voorzitterschap, andere lidstaten) en de uitkomst of het vervolg. Elke regel "
        "is een letterlijke zin uit het verslag; [n] verwijst naar de bronnenlijst.",
        "brief_on_table": "Voorliggend",
        "brief_positions": "Standpunten",
        "brief_outcome": "Uitkomst en vervolg",
        "group_nl": "Nederland",
        "group_commission": "Commissie",
        "group_presidency": "Voorzitterschap",
        "group_member_states": "Andere lidstaten",
        "group_others": "Overigen",
        "stance_supports": "steunt",
        "stance_opposes": "kritisch",
        "src_n": "Nr.",
        "src_report": "Verslag",
        "src_meeting": "Vergadering",
        "src_item": "Agendapunt",
        "src_page": "Pagina",
        "src_passage": "Passage (letterlijk)",
        # the curated conversation export
        "keep": "In notitie",
        "export_docx": "Exporteer als Word (DOCX)",
        "export_count": "{k} van {n} antwoorden in de notitie (vink aan onder elk antwoord).",
        "export_none": "Geen antwoord aangevinkt: vink 'In notitie' aan onder de antwoorden "
        "die u wilt bewaren.",
        # feedback
        "feedback": "Feedback op dit antwoord",
        "fb_verdict": "Dit antwoord is",
        "fb_right": "juist",
        "fb_wrong": "fout",
        "fb_incomplete": "onvolledig",
        "fb_comment": "Toelichting (optioneel)",
        "fb_send": "Verstuur feedback",
        "fb_saved": "Bedankt: uw feedback ({verdict}) is opgeslagen.",
        "fb_pick": "Kies eerst juist, fout of onvolledig.",
    },
    "en": {
        "page_title": "Council reports assistant",
        "loading": "Loading the model and the store…",
        "title": "Council reports assistant",
        "intro": "Ask what the reports of EU Council meetings say. Every answer cites its sources.",
        "tab_chat": "Chat",
        "tab_reports": "Reports",
        "chat_placeholder": "Ask a question about the reports…",
        "no_answer": "No answer in the reports",
        "sources": "Sources",
        "open_section": "Whole agenda item: {title}",
        "section_unknown": "The agenda item is no longer in the store (document deleted?).",
        "filters_used": "Filters: {filters}",
        "interpreted_as": "Interpreted as: {question}",
        "mode_used": "Mode: {mode} · {ms} ms",
        "warning": "Note: {warning}",
        "new_chat": "New conversation",
        "export": "Export as briefing note (Markdown)",
        "sidebar_lang": "English interface",
        "sidebar_filters": "Filters",
        "filters_help": "Apply to the next questions.",
        "formation": "Council formation",
        "all_formations": "(all formations)",
        "since": "Meeting from",
        "until": "Meeting until",
        "documents": "Documents",
        "choose": "Choose…",
        "doc_types": "Document type",
        "sidebar_mode": "Answer mode",
        "use_llm": "Answer with a language model (LLM)",
        "llm_off_hint": "No language model configured: set RAG_LLM (e.g. gguf:PATH) and restart. "
        "Now: extractive answers (sentences quoted from the reports).",
        "llm_on_hint": "Off: extractive answers (sentences quoted from the reports).",
        "sidebar_backends": "Backends in use",
        "embedder": "Embedding model",
        "store": "Store",
        "llm": "Language model",
        "none": "none",
        "sidebar_index": "Indexed",
        "n_documents": "Documents",
        "n_chunks": "Passages",
        "newest": "Newest meeting",
        "empty_store": "No reports are indexed yet. Add them in the **Reports** tab "
        "(PDF, DOCX, HTML or TXT), or on the command line with `python -m ingest FOLDER`.",
        "upload": "Add reports",
        "open_original": "Open the original ({kind}, p. {page})",
        "open_original_nopage": "Open the original ({kind})",
        "download_original": "Download the original ({name})",
        "original_missing": "The original file was not kept (the report was added before "
        "originals were kept); add it again to open it here.",
        "original_unmarked": "The cited sentence could not be marked on this page (no text "
        "layer, or the sentence runs over a page).",
        "original_page": "Page {page} of {pages} · the cited sentence is marked",
        "original_page_unmarked": "Page {page} of {pages}",
        "original_text": "Text of page {page} (cleaned), the cited sentence highlighted",
        "original_text_nopage": "Text of the report (cleaned), the cited sentence highlighted",
        "source_origin": "File: {kind} · added {when} UTC",
        "source_origin_nowhen": "File: {kind}",
        "source_deleted": "This report has since been deleted from the store.",
        "answer_cites_deleted": "This answer cites a report that has since been deleted: "
        "source {numbers}.",
        "copy": "Copy",
        "copied": "Copied",
        "upload_duplicate": "the same report as {twin}; not stored again",
        "col_format": "File type",
        "col_added": "Added (UTC)",
        "upload_button": "Add",
        "upload_none": "Choose one or more files first.",
        "upload_running": "Processing reports…",
        "upload_done": "Done: {ok} of {n} file(s) processed",
        "upload_progress": "{name} ({i} of {n})",
        "doc_list": "Indexed reports",
        "col_title": "Title",
        "col_type": "Type",
        "col_formation": "Formation",
        "col_dates": "Meeting date(s)",
        "col_pages": "Pages",
        "col_chunks": "Passages",
        "col_file": "File",
        "delete_pick": "Delete a report",
        "delete_button": "Delete…",
        "delete_confirm": "Delete **{title}** and its {chunks} passages? This cannot be undone.",
        "delete_yes": "Yes, delete",
        "delete_no": "Cancel",
        "deleted": "Deleted: {title} ({chunks} passages).",
        "status_new": "added",
        "status_updated": "updated",
        "status_unchanged": "already present",
        "status_duplicate": "duplicate",
        "status_failed": "failed",
        "status_skipped": "skipped",
        "briefing_title": "Briefing note",
        "briefing_generated": "Generated on {when} with the Council reports assistant.",
        "briefing_question": "Question",
        "briefing_answer": "Answer",
        "briefing_sources": "Sources",
        "briefing_filters": "Filters",
        "briefing_interpreted": "Interpreted as",
        "briefing_no_answer": "No answer in the reports.",
        "page": "p.",
        "login_title": "Sign in",
        "login_name": "User name",
        "login_password": "Password",
        "login_button": "Sign in",
        "login_failed": "User name or password is wrong.",
        "login_oidc": "Sign in",
        "signed_in": "Signed in as {name} ({role})",
        "logout": "Sign out",
        "role_reader": "reader",
        "role_editor": "editor",
        "reader_only": "As a reader you can ask and export; only an editor can add or delete "
        "reports.",
        # briefing notes (rag.ui.note, rag.ui.meeting_note) and the Briefing tab
        "tab_brief": "Briefing",
        "brief_help": "A note for a meeting from the stored structure of its report: per agenda "
        "item what was on the table, the positions (the Netherlands first) and the outcome. "
        "Every line is a sentence quoted from the report with its source [n].",
        "brief_meeting": "Meeting (report)",
        "brief_topic_input": "Topic (optional; leave empty for the whole meeting)",
        "brief_across": "Topic across all meetings (not only this one)",
        "brief_make": "Make briefing",
        "brief_docx": "Download as Word (DOCX)",
        "brief_md": "Download as Markdown",
        "brief_no_meetings": "No reports with agenda items are indexed yet.",
        "brief_title": "Briefing note {what}",
        "brief_topic": "topic: {topic}",
        "brief_intro": "Per agenda item: what was on the table, the positions recorded (the "
        "Netherlands, the Commission, the presidency, other member states) and the outcome or "
        "next step. Every line is a sentence quoted from the report; [n] points to the sources.",
        "brief_on_table": "On the table",
        "brief_positions": "Positions",
        "brief_outcome": "Outcome and next step",
        "group_nl": "The Netherlands",
        "group_commission": "Commission",
        "group_presidency": "Presidency",
        "group_member_states": "Other member states",
        "group_others": "Others",
        "stance_supports": "supports",
        "stance_opposes": "critical",
        "src_n": "No.",
        "src_report": "Report",
        "src_meeting": "Meeting",
        "src_item": "Agenda item",
        "src_page": "Page",
        "src_passage": "Passage (verbatim)",
        # the curated conversation export
        "keep": "Keep in note",
        "export_docx": "Export as Word (DOCX)",
        "export_count": "{k} of {n} answers in the note (tick them under each answer).",
        "export_none": "No answer ticked: tick 'Keep in note' under the answers you want to keep.",
        # feedback
        "feedback": "Feedback on this answer",
        "fb_verdict": "This answer is",
        "fb_right": "right",
        "fb_wrong": "wrong",
        "fb_incomplete": "incomplete",
        "fb_comment": "Comment (optional)",
        "fb_send": "Send feedback",
        "fb_saved": "Thank you: your feedback ({verdict}) was saved.",
        "fb_pick": "Choose right, wrong or incomplete first.",
    },
}


def t(lang: str, key: str, **values: object) -> str:
    """The string `key` in `lang` (Dutch when the language is unknown), filled with `values`.

    >>> t("en", "filters_used", filters="JBZ-Raad")
    'Filters: JBZ-Raad'
    """
    text = TEXT.get(lang, TEXT["nl"])[key]
    return text.format(**values) if values else text


# Errors the app shows, by `RagError.code`, in both languages (the English ones repeat the
# library's message). Values come from `RagError.params` and are escaped before filling in.
ERRORS: dict[str, dict[str, str]] = {
    "nl": {
        "question_empty": "De vraag is leeg: typ een vraag over de verslagen.",
        "question_too_long": "De vraag heeft {n} tekens, meer dan de grens van {limit}: "
        "maak hem korter (of verhoog RAG\\_MAX\\_QUESTION\\_CHARS).",
        "question_code": "Dit lijkt code (JSON, een databasefilter of SQL), geen vraag: stel uw "
        "vraag in woorden, bijv. 'Wat zei Nederland over de terugkeerrichtlijn?'.",
        "question_script": "De verslagen zijn in het Nederlands: stel uw vraag in het Nederlands "
        "of Engels, bijv. 'Wat zei Nederland over de terugkeerrichtlijn?'.",
        "question_no_words": "De vraag noemt niets om op te zoeken: zeg waar hij over gaat, "
        "bijv. 'Wat zei Nederland over de terugkeerrichtlijn?'.",
        "date_range_reversed": "Het datumbereik is omgekeerd ({since} ligt na {until}): kies een "
        "begindatum op of voor de einddatum.",
        "store_unreachable": "De Chroma-server op {url} is niet bereikbaar ({reason}). Start hem "
        "(`chroma run --path MAP --host 127.0.0.1 --port 8000`) of controleer RAG\\_CHROMA\\_URL; "
        "de assistent gaat vanzelf verder zodra hij er weer is.",
        "store_timeout": "De Chroma-server op {url} reageerde niet binnen {seconds} s (vastgelopen "
        "of overbelast). Controleer de server; de assistent gaat vanzelf verder zodra hij "
        "weer antwoordt.",
        "store_busy": "Een ander proces schrijft naar de opslag: wacht tot het klaar is, of "
        "gebruik een Chroma-server (RAG\\_CHROMA\\_URL) zodat meerdere processen veilig "
        "kunnen schrijven.",
        "store_not_chroma": "Op {url} antwoordt iets dat geen Chroma-server is ({reason}): "
        "controleer RAG\\_CHROMA\\_URL.",
        "store_auth": "De Chroma-server op {url} weigert de toegang ({reason}): zet "
        "RAG\\_CHROMA\\_TOKEN op het token van de server.",
        "forbidden": "{name} is lezer: alleen redacteuren kunnen verslagen toevoegen of "
        "verwijderen. Vraag een beheerder om de rol redacteur.",
        "disk_full": "De schijf is vol ({path}): maak ruimte vrij en probeer het opnieuw.",
        "brief_no_report": "Er is geen verslag met id {meeting}: kies een vergadering uit de lijst.",
        "brief_unknown_formation": "Onbekende formatie {formation}: kies een van {names}.",
        "brief_which_meeting": "Kies een vergadering, of geef een onderwerp op.",
        "brief_no_match": "Geen verslag in de opslag past bij {what}: controleer formatie en datum "
        "in het tabblad Verslagen.",
        "brief_no_topic": "Geen agendapunt van de gekozen verslagen gaat over {topic}: probeer "
        "andere woorden, of laat het onderwerp leeg.",
        "login_locked": "Te veel mislukte pogingen voor {name}: probeer het over {minutes} min "
        "opnieuw (om {at} UTC), of vraag een beheerder het wachtwoord te herstellen.",
        "unexpected": "Onverwachte fout ({name}: {detail}). De details staan in het serverlog; "
        "probeer het opnieuw en meld het als het blijft gebeuren.",
    },
    "en": {
        "unexpected": "Unexpected error ({name}: {detail}). The details are in the server log; "
        "try again, and report it if it persists.",
    },
}


def error_message(exc: BaseException, lang: str = "en") -> str:
    """The one line the app shows for an error, in the interface language: a RagError's own
    message (it says the fix; translated when its code is known), or, for a bug, its type and a
    pointer to the server log (where the traceback goes), never the traceback itself.

    >>> from rag.core.errors import QuestionError
    >>> error_message(QuestionError("The question is empty.", code="question_empty"), "nl")
    'De vraag is leeg: typ een vraag over de verslagen.'
    """
    table = ERRORS.get(lang, ERRORS["nl"])
    if isinstance(exc, RagError):
        if exc.code in table:
            return table[exc.code].format(**{k: escape_md(str(v)) for k, v in exc.params.items()})
        return str(exc)  # our own text: it may format a command as `code`
    log.error("unexpected error in the app", exc_info=exc)
    return table["unexpected"].format(name=type(exc).__name__, detail=escape_md(str(exc)))


# What happened to one uploaded file, after its name and status, by `UploadResult.code`; values
# come from its `params` (numbers, a reason, a file name) and are escaped before filling in.
FILE_MESSAGES: dict[str, dict[str, str]] = {
    "nl": {
        "chunks": "{n} passage(s)",
        "moved": "verplaatst van {other}",
        "duplicate": "zelfde inhoud als {other}; één keer opgeslagen",
        "disk_full": "de schijf is vol ({path}): maak ruimte vrij en probeer het opnieuw.",
        "unsupported": "dit bestandstype wordt niet ondersteund; voeg PDF, DOCX, HTML of TXT toe.",
        "too_large": "{mb} MB is meer dan de grens van {limit} MB; splits het bestand of verhoog "
        "RAG\\_MAX\\_FILE\\_MB.",
        "empty": "het bestand is leeg; voeg het verslag zelf toe.",
        "cannot_save": "kan het niet opslaan ({reason}); controleer RAG\\_UPLOADS en de rechten "
        "van die map.",
        "no_text": "bevat geen tekst; controleer of dit het verslag is dat u wilde toevoegen.",
        "unreadable": "kan het niet lezen ({reason}); controleer de rechten en de schijf en "
        "probeer het opnieuw.",
        "binary": "lijkt een binair bestand, geen tekst; geef het de juiste extensie of exporteer "
        "het als tekst.",
        "not_pdf": "is geen PDF (een ander formaat met de naam .pdf?); open het en exporteer het "
        "opnieuw als PDF.",
        "pdf_truncated": "de PDF is afgebroken (onvolledig gedownload?); download of exporteer "
        "hem opnieuw.",
        "pdf_password": "de PDF is met een wachtwoord beveiligd; sla een kopie zonder wachtwoord "
        "op en voeg die toe.",
        "pdf_corrupt": "de PDF is beschadigd en niet te lezen ({detail}); download of exporteer "
        "hem opnieuw.",
        "pdf_ocr_off": "de PDF heeft geen tekstlaag (gescand?) en OCR staat uit; zet RAG\\_OCR=on "
        "of voeg een ge-OCR'de versie toe.",
        "ocr_missing": "de PDF heeft geen tekstlaag (gescand?) en voor OCR ontbreekt {missing}; "
        "installeer het of voeg een ge-OCR'de versie toe.",
        "ocr_failed": "OCR is mislukt ({detail}); controleer of de PDF opent, of voer zelf "
        "`ocrmypdf` uit.",
        "not_docx": "is geen leesbaar Word-bestand (.docx); open het in Word of LibreOffice en sla "
        "het opnieuw op als .docx.",
        "zip_bomb": "ongelezen geweigerd: het zou uitpakken tot {mb} MB (een zip-bom?); sla het "
        "opnieuw op als .docx of exporteer het als PDF.",
        "too_slow": "gestopt na {seconds} s, over de tijd voor één bestand; splits het in kleinere "
        "bestanden of verhoog RAG\\_FILE\\_SECONDS.",
        "parser_bug": "kon niet gelezen worden ({detail}); open het en sla het opnieuw op (of "
        "exporteer het als PDF) en meld dit bestand.",
    },
    "en": {
        "chunks": "{n} passage(s)",
        "moved": "moved from {other}",
        "duplicate": "same content as {other}; stored once",
        "disk_full": "the disk is full ({path}): free some space, then try again.",
        "unsupported": "this file type is not supported; upload PDF, DOCX, HTML or TXT.",
        "too_large": "{mb} MB is over the {limit} MB limit; split the file or raise "
        "RAG\\_MAX\\_FILE\\_MB.",
        "empty": "the file is empty; upload the report itself.",
        "cannot_save": "cannot save it ({reason}); check RAG\\_UPLOADS and its permissions.",
        "no_text": "contains no text; check that it is the report you meant to add.",
        "unreadable": "cannot read it ({reason}); check its permissions and the disk, and try "
        "again.",
        "binary": "looks like a binary file, not text; give it the right extension or export it "
        "as text.",
        "not_pdf": "is not a PDF (another format renamed to .pdf?); open it and export it as PDF "
        "again.",
        "pdf_truncated": "the PDF is cut short (an incomplete download?); download or export it "
        "again.",
        "pdf_password": "the PDF is password-protected; save a copy without the password and add "
        "that.",
        "pdf_corrupt": "the PDF is corrupt and cannot be read ({detail}); download or export it "
        "again.",
        "pdf_ocr_off": "the PDF has no text layer (scanned?) and OCR is off; set RAG\\_OCR=on or "
        "add an OCR'd copy.",
        "ocr_missing": "the PDF has no text layer (scanned?) and OCR needs {missing}; install it "
        "or add an OCR'd copy.",
        "ocr_failed": "OCR failed ({detail}); check that the PDF opens, or run `ocrmypdf` "
        "yourself.",
        "not_docx": "is not a readable Word file (.docx); open it in Word or LibreOffice and save "
        "it as .docx again.",
        "zip_bomb": "refused unread: it would unpack to {mb} MB (a zip bomb?); save it as .docx "
        "again or export it as PDF.",
        "too_slow": "stopped after {seconds} s, over the time budget for one file; split it into "
        "smaller files or raise RAG\\_FILE\\_SECONDS.",
        "parser_bug": "could not be read ({detail}); open and save it again (or export it as PDF), "
        "and report this file.",
    },
}


def file_message(lang: str, code: str, params: dict[str, str], fallback: str) -> str:
    """What happened to one file, in the interface language (safe Markdown); `fallback` (the
    library's English text, escaped) when the code has no entry.

    >>> file_message("nl", "too_large", {"mb": "30", "limit": "25"}, "")
    '30 MB is meer dan de grens van 25 MB; splits het bestand of verhoog RAG\\\\_MAX\\\\_FILE\\\\_MB.'
    """
    table = FILE_MESSAGES.get(lang, FILE_MESSAGES["nl"])
    if code in table:
        return table[code].format(**{k: escape_md(v) for k, v in params.items()})
    return escape_md(fallback)


# The assistant's warnings under an answer, in the interface language. They are English sentences
# of the library (`rag.answer.llm.check_citations`, the assistant's LLM fallback), recognised here
# by their exact shape; a warning of no known shape is shown as it is (escaped).
WARNINGS: tuple[tuple[re.Pattern[str], dict[str, str]], ...] = (
    (
        re.compile(
            r"The LLM answer had no valid citation; showing the extractive answer instead\."
        ),
        {
            "nl": "Het antwoord van het taalmodel had geen geldige bronverwijzing; hier staat het "
            "extractieve antwoord.",
            "en": "The language model's answer had no valid citation; this is the extractive "
            "answer instead.",
        },
    ),
    (
        re.compile(
            r"The LLM cited \[(?P<n>\d+)\], but only sources 1-(?P<k>\d+) were given; removed\."
        ),
        {
            "nl": "Het taalmodel verwees naar bron {n}, maar er waren alleen bronnen 1–{k}; die "
            "verwijzing is weggehaald.",
            "en": "The language model cited source {n}, but only sources 1–{k} were given; that "
            "citation was removed.",
        },
    ),
    (
        re.compile(r"The LLM cited \[(?P<n>\d+)\], but no sources were given; removed\."),
        {
            "nl": "Het taalmodel verwees naar bron {n}, maar er waren geen bronnen; die verwijzing "
            "is weggehaald.",
            "en": "The language model cited source {n}, but no sources were given; that citation "
            "was removed.",
        },
    ),
)


def warning_text(lang: str, warning: str) -> str:
    """A warning of the assistant as safe Markdown in the interface language.

    >>> warning_text("nl", "The LLM cited [9], but only sources 1-3 were given; removed.")
    'Het taalmodel verwees naar bron 9, maar er waren alleen bronnen 1–3; die verwijzing is weggehaald.'
    """
    for pattern, texts in WARNINGS:
        if m := pattern.fullmatch(warning):
            return texts.get(lang, texts["nl"]).format(**m.groupdict())
    return escape_md(warning)
