"""The app's interface strings in Dutch (the default) and English.

Kept as data so a translation is one dict and a missing key fails a test, not the page. Answers are
not translated here: the assistant answers in the question's language (`rag.answer.framing.LABELS`).
Strings that Streamlit renders as Markdown contain only our own markup; values filled in with
`t(..., **values)` must be escaped by the caller when they come from users or reports.
"""

from __future__ import annotations

import logging

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
