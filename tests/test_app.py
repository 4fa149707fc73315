"""The Streamlit app through `streamlit.testing.v1.AppTest`, over the real corpus store and model.

Each test points the app at a store with environment variables (the app reads its configuration
like in production; its Assistant cache is keyed on the configuration). The store over the whole
corpus is built once per session (`corpus_store_dir`); tests that change it use `store_copy`.
The helpers behind the app (escaping, file names, the briefing) are tested at the end without it.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from rag.answer.question import Filters
from rag.core.models import Answer, Citation
from rag.ui.briefing import Exchange, briefing_markdown
from rag.ui.render import answer_markdown, escape_md, highlight
from rag.ui.text import TEXT
from rag.ui.uploads import Upload, safe_filename, save_upload
from tests.conftest import ROOT, config_for, free_port

pytestmark = pytest.mark.slow

APP = str(ROOT / "app.py")
TIMEOUT = 120  # seconds per script run: the first loads the model (~5 s; more on a busy machine)
RETURN_QUESTION = "What did the Netherlands say about the return directive?"
MALICIOUS = "<script>alert(1)</script> [x](javascript:alert(1)) ![i](http://e/x.png) $x$ :red[y]"


@pytest.fixture
def app_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):  # type: ignore[no-untyped-def]
    """Set the app's configuration for one test, whatever the developer's .env says."""

    def configure(store: Path | str, **env: str) -> None:
        values = {
            "RAG_STORE": str(store),
            "RAG_CHROMA_URL": "",
            "RAG_LLM": "",
            "RAG_UI_LANG": "nl",
            "RAG_UPLOADS": str(tmp_path / "uploads"),
            **env,
        }
        for key, value in values.items():
            monkeypatch.setenv(key, value)

    return configure


def start(store: Path | str, app_env, **env: str) -> AppTest:  # type: ignore[no-untyped-def]
    app_env(store, **env)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    assert not at.exception, at.exception
    return at


def ask(at: AppTest, question: str) -> AppTest:
    at.chat_input[0].set_value(question).run()
    assert not at.exception, at.exception
    return at


def markdown(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def last_answer(at: AppTest) -> Answer:
    return at.session_state["conversation"].messages[-1].answer


# -- chat --------------------------------------------------------------------------------------
def test_chat_flow_answer_with_markers_and_sources(corpus_store_dir: Path, app_env) -> None:  # type: ignore[no-untyped-def]
    at = ask(start(corpus_store_dir, app_env), RETURN_QUESTION)
    text = markdown(at)
    assert "Terugkeerrichtlijn" in text
    assert re.search(r"\[\d\]", text), "the answer carries [n] markers"
    assert "**\\[1\\] " in text, "numbered sources under the answer"
    assert ":orange-background[" in text, "the cited sentence is highlighted in its passage"
    captions = [c.value for c in at.caption]
    assert any("JBZ\\-Raad · 2020\\-12\\-14" in c for c in captions), captions
    assert any(e.label.startswith("Heel agendapunt") for e in at.expander)
    # The whole agenda item is in the expander, more than the passage shown above it.
    agenda = at.expander[0].markdown[0].value
    assert len(agenda) > len(at.markdown[0].value) and "Ter voorbereiding" in agenda
    assert not at.warning, "an answer is not styled as an abstention"
    # A rerun (any widget change) keeps the answer and its sources on screen.
    at.run()
    assert "Terugkeerrichtlijn" in markdown(at) and "**\\[1\\] " in markdown(at)


def _matching_documents(store_dir: Path, filters: Filters) -> set[str]:
    """The documents the store itself selects for `filters` (a report covering several
    formations matches each of them; an undated one matches every date range)."""
    from rag.core.store import Store

    return {c.doc_id for c in Store(config_for(store_dir)).all_chunks(where=filters.where())}


def test_sidebar_filters_are_shown_and_respected(corpus_store_dir: Path, app_env) -> None:  # type: ignore[no-untyped-def]
    at = start(corpus_store_dir, app_env)
    formations = at.selectbox(key="f_formation").options
    assert "JBZ-Raad" in formations and "Ecofin-Raad" in formations
    at.selectbox(key="f_formation").set_value("Ecofin-Raad").run()
    ask(at, RETURN_QUESTION)
    assert any(c.value == "Filters: Ecofin\\-Raad" for c in at.caption)
    cited = {c.doc_id for c in last_answer(at).citations}
    allowed = _matching_documents(corpus_store_dir, Filters(formation="Ecofin-Raad"))
    assert cited and cited <= allowed
    assert "Terugkeerrichtlijn" not in markdown(at), "the JBZ report is filtered out"

    at.selectbox(key="f_formation").set_value("").run()
    at.date_input(key="f_since").set_value(date(1990, 1, 1))
    at.date_input(key="f_until").set_value(date(1992, 12, 31)).run()
    ask(at, "Wat zei Nederland over de landbouw?")
    assert any(c.value == "Filters: 1990\\-01\\-01 – 1992\\-12\\-31" for c in at.caption)
    cited = {c.doc_id for c in last_answer(at).citations}
    allowed = _matching_documents(corpus_store_dir, Filters(since="1990-01-01", until="1992-12-31"))
    assert cited and cited <= allowed
    dated = [c.meeting_date for c in last_answer(at).citations if c.meeting_date]
    assert all("1990-01-01" <= d <= "1992-12-31" for d in dated), dated


def test_reversed_date_range_is_one_message(corpus_store_dir: Path, app_env) -> None:  # type: ignore[no-untyped-def]
    at = start(corpus_store_dir, app_env)
    at.date_input(key="f_since").set_value(date(2021, 1, 1))
    at.date_input(key="f_until").set_value(date(2020, 1, 1)).run()
    # In the interface language (Dutch by default), not the library's English.
    assert [e.value for e in at.error] == [
        "Het datumbereik is omgekeerd (2021\\-01\\-01 ligt na 2020\\-01\\-01): kies een "
        "begindatum op of voor de einddatum."
    ]


def _abstaining_question(corpus_store_dir: Path, e5) -> str:  # type: ignore[no-untyped-def]
    """A question the assistant really abstains on with the current tuning."""
    from rag.answer.assistant import Assistant

    assistant = Assistant(config_for(corpus_store_dir), embedder=e5)
    for question in (
        "What did the Digital Services Act negotiations conclude?",
        "Wat is de hoofdstad van Peru?",
        "Hoeveel kost een kilo appels op de markt in Utrecht?",
    ):
        if assistant.ask(question).abstained:
            return question
    pytest.fail("none of the candidate questions makes the assistant abstain")


def test_abstention_is_styled_differently(corpus_store_dir: Path, app_env, e5) -> None:  # type: ignore[no-untyped-def]
    question = _abstaining_question(corpus_store_dir, e5)
    at = ask(start(corpus_store_dir, app_env), question)
    assert last_answer(at).abstained
    assert len(at.warning) == 1
    assert at.warning[0].value.startswith("**Geen antwoord in de verslagen**")
    # The closest passages are still listed under it, for checking.
    assert "**\\[1\\] " in markdown(at)


def test_follow_up_shows_the_standalone_question(corpus_store_dir: Path, app_env) -> None:  # type: ignore[no-untyped-def]
    at = ask(start(corpus_store_dir, app_env), RETURN_QUESTION)
    ask(at, "And the Commission?")
    standalone = last_answer(at).standalone_question
    assert standalone == "What did the Commission say about the return directive?"
    assert any(c.value == f"Opgevat als: {escape_md(standalone)}" for c in at.caption)
    assert len(at.session_state["conversation"].messages) == 2
    # "New conversation" forgets both.
    at.button(key="new_chat").click().run()
    assert not at.session_state["conversation"].messages and not at.chat_message


def test_export_is_a_briefing_with_numbered_sources(  # type: ignore[no-untyped-def]
    corpus_store_dir: Path, app_env, monkeypatch: pytest.MonkeyPatch
) -> None:
    served: dict[str, bytes] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def record(self, data, mimetype, kind, filename=None):  # type: ignore[no-untyped-def]
        if filename:
            served[filename] = data if isinstance(data, bytes) else Path(data).read_bytes()
        return original(self, data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", record)
    at = ask(start(corpus_store_dir, app_env), RETURN_QUESTION)
    assert at.download_button(key="export").label.startswith("Exporteer")
    name, data = next((k, v) for k, v in served.items() if k.startswith("briefing-"))
    note = data.decode("utf-8")
    assert name.endswith(".md")
    assert f"## 1. {RETURN_QUESTION}" in note
    assert "Terugkeerrichtlijn" in note and "[1]" in note
    assert "## Bronnen" in note and "\n[1] **" in note
    # Only the sources the answer cites are listed, numbered from 1 (issue 11: no uncited ones).
    cited = set(re.findall(r"(?<=\s)\[(\d+)\]", last_answer(at).answer))
    numbers = [int(n) for n in re.findall(r"^\[(\d+)\] \*\*", note, re.M)]
    assert numbers == list(range(1, len(cited) + 1))


# -- errors and the empty store ------------------------------------------------------------------
def test_over_long_question_is_one_message(corpus_store_dir: Path, app_env) -> None:  # type: ignore[no-untyped-def]
    at = ask(start(corpus_store_dir, app_env), "waarom " * 300)
    assert len(at.error) == 1
    assert "meer dan de grens van 1000" in at.error[0].value
    assert "RAG\\_MAX\\_QUESTION\\_CHARS" in at.error[0].value
    assert not at.session_state["conversation"].messages


def test_unreachable_store_is_one_message(corpus_store_dir: Path, app_env) -> None:  # type: ignore[no-untyped-def]
    at = start(corpus_store_dir, app_env, RAG_CHROMA_URL=f"http://127.0.0.1:{free_port()}")
    assert len(at.error) == 1
    assert at.error[0].value.startswith("De Chroma-server op http")
    assert "is niet bereikbaar" in at.error[0].value and "RAG\\_CHROMA\\_URL" in at.error[0].value


def test_empty_store_shows_how_to_add_reports(tmp_path: Path, app_env) -> None:  # type: ignore[no-untyped-def]
    at = start(tmp_path / "empty-store", app_env)
    assert not at.error
    assert any("python \\-m ingest" in i.value or "python -m ingest" in i.value for i in at.info)
    assert at.chat_input[0].proto.disabled


def test_english_interface(corpus_store_dir: Path, app_env) -> None:  # type: ignore[no-untyped-def]
    at = start(corpus_store_dir, app_env)
    assert at.title[0].value == TEXT["nl"]["title"]
    at.toggle(key="ui_en").set_value(True).run()
    assert at.title[0].value == TEXT["en"]["title"]
    assert [tab.label for tab in at.tabs] == [
        TEXT["en"][k] for k in ("tab_chat", "tab_brief", "tab_reports")
    ]
    at = start(corpus_store_dir, app_env, RAG_UI_LANG="en")
    assert at.title[0].value == TEXT["en"]["title"]


# -- reports -------------------------------------------------------------------------------------
REPORT = (
    "Verslag van de Milieuraad van 3 maart 2031\n\n"
    "1. Microplastics\n\n"
    "Nederland pleitte voor een verbod op microplastics in cosmetica vanaf 2033. "
    "Een delegatie citeerde " + MALICIOUS + " als voorbeeld.\n"
)


def test_upload_and_delete_a_report(store_copy: Path, app_env, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    at = start(store_copy, app_env, RAG_MAX_FILE_MB="0.01")
    before = at.dataframe[0].value.shape[0]
    at.file_uploader[0].set_value(
        [
            ("../../Milieu raad <2031>.txt", REPORT.encode(), "text/plain"),
            ("groot.txt", b"x" * 20_000, "text/plain"),
        ]
    )
    at.button(key="upload_submit").click()
    at.run()
    assert not at.exception, at.exception
    messages = [s.value for s in at.success] + [e.value for e in at.error]
    assert any(
        m.startswith("\\.\\.\\/\\.\\.\\/Milieu raad \\<2031\\>\\.txt: toegevoegd") for m in messages
    ), messages
    assert any("groot\\.txt: mislukt" in m and "RAG\\_MAX\\_FILE\\_MB" in m for m in messages), (
        messages
    )
    saved = sorted(p.name for p in (tmp_path / "uploads").iterdir())
    assert saved == ["Milieu_raad_2031_.txt"]
    assert at.dataframe[0].value.shape[0] == before + 1

    ask(at, "Wat zei Nederland over microplastics in cosmetica?")
    cited = last_answer(at).citations[0]
    assert cited.file.endswith("Milieu_raad_2031_.txt")
    text = markdown(at)
    assert "microplastics" in text
    assert "<script>" not in text and "](javascript" not in text and ":red[" not in text

    doc = next(d for d in at.selectbox(key="delete_pick").options if "2031" in str(d))
    at.selectbox(key="delete_pick").select(doc).run()
    at.button(key="delete").click().run()
    assert "Weet u zeker" in at.warning[0].value
    at.button(key="delete_yes").click().run()
    assert not at.exception, at.exception
    assert any(s.value.startswith("Verwijderd") for s in at.success)
    assert at.dataframe[0].value.shape[0] == before
    assert not any((tmp_path / "uploads").iterdir()), "the uploaded file went with it"


# -- the helpers behind the app (no Streamlit) -----------------------------------------------------
def test_escaping_leaves_no_live_markup() -> None:
    escaped = escape_md(MALICIOUS)
    # Every Markdown/HTML/LaTeX/directive character is escaped, so nothing can form from it.
    assert not re.search(r"(?<!\\)[<>\[\]()$:!]", escaped)
    marked = highlight(f"Zin een. {MALICIOUS} Zin drie.", MALICIOUS)
    inner = marked.split(":orange-background[", 1)[1].rsplit("]", 1)[0]
    assert inner == escape_md(MALICIOUS)
    outside = marked.replace(f":orange-background[{inner}]", inner)
    assert not re.search(r"(?<!\\)[<>\[\]()$]", outside), "only the highlight itself is markup"
    # The answer keeps its own bullets, bold headings and [n] markers; report text is escaped.
    md = answer_markdown(f"**JBZ-Raad**\n- {MALICIOUS} [1]\n- [2](javascript:x)")
    assert md.splitlines()[0] == "**JBZ\\-Raad**"
    assert md.splitlines()[1].endswith(" [1]") and "\\<script\\>" in md
    assert md.splitlines()[2] == "- [2]\\(javascript\\:x\\)", "a marker cannot become a link"


def test_uploaded_file_names_are_sanitised_and_never_overwrite(tmp_path: Path) -> None:
    assert safe_filename("../../etc/passwd") == "passwd"
    assert safe_filename("..\\..\\Verslag (1).PDF") == "Verslag_1_.PDF"
    assert safe_filename(".hidden.txt") == "hidden.txt"
    assert safe_filename("/") == "upload"
    assert re.fullmatch(r"[A-Za-z0-9._-]+", safe_filename("<img src=x onerror=alert(1)>.html"))
    first = save_upload(Upload("a/b/verslag.txt", b"one"), tmp_path)
    same = save_upload(Upload("verslag.txt", b"one"), tmp_path)
    other = save_upload(Upload("verslag.txt", b"two"), tmp_path)
    assert first == same == tmp_path / "verslag.txt"
    assert other == tmp_path / "verslag-1.txt" and first.read_bytes() == b"one"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["verslag-1.txt", "verslag.txt"]


def test_briefing_renumbers_sources_across_answers() -> None:
    def cite(n: int, doc: str, start: int) -> Citation:
        return Citation(n, doc, f"{doc}.txt", f"Verslag {doc}", "JBZ-Raad", "2020-12-14",
                        "4. Pact", 3, f"Passage {doc} {start}.", 0.9, start, start + 5)  # fmt: skip

    a1 = Answer("Q1?", "- een [1]\n- twee [2]", False, (cite(1, "a", 0), cite(2, "b", 10)))
    a2 = Answer("Q2?", "- drie [1]\n- vier [2]", False, (cite(1, "c", 0), cite(2, "a", 0)))
    note = briefing_markdown([Exchange("Q1?", a1, "JBZ-Raad"), Exchange("Q2?", a2)], "en")
    assert "- een [1]\n- twee [2]" in note
    assert "- drie [3]\n- vier [1]" in note, "the same passage keeps its number"
    assert re.findall(r"^\[(\d)\] \*\*Verslag (\w)\*\*", note, re.M) == [
        ("1", "a"),
        ("2", "b"),
        ("3", "c"),
    ]
    assert "_Filters: JBZ-Raad_" in note and "4. Pact · p. 3" in note
