"""The Council's own English documents (issue 12, item 3), and reports in other EU languages.

The fixtures are written here in the Council's house style: "Outcome of the Council meeting" (as
a PDF), "Main results" (text) and a press release (DOCX), plus a German outcome document. They go
through the real parser, clean-up, metadata reader, sections, chunker, e5 embeddings, Chroma and
the extractive answerer.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.metadata import extract_metadata
from ingest.pipeline import Ingestor, prepare
from rag.answer.assistant import Assistant
from rag.core.config import Config
from rag.core.store import Store
from rag.vocab.actors import ACTORS, role_in
from tests.conftest import config_for
from tests.fixtures_build import build_docx, build_pdf

OUTCOME_HEAD = [
    "Outcome of the Council meeting",
    "3784th Council meeting",
    "Justice and Home Affairs",
    "Brussels, 14 and 15 December 2020",
]
OUTCOME_ITEMS = {
    "Migration and asylum": [
        "The Council held a policy debate on the new pact on migration and asylum presented by "
        "the Commission in September. Ministers broadly agreed that a fair balance between "
        "responsibility and solidarity is needed, and several member states called for a "
        "stronger external dimension.",
        "The presidency concluded that work on the pact will continue at technical level under "
        "the incoming Portuguese presidency.",
    ],
    "Return policy": [
        "The Council adopted conclusions on the effective return of irregular migrants. The "
        "Netherlands stressed that faster returns of rejected asylum seekers are needed to keep "
        "public support for the reception of refugees.",
    ],
    "Internal security": [
        "The Commission presented its proposal to strengthen the mandate of Europol. Most member "
        "states welcomed the proposal, while Germany and France asked for safeguards on the "
        "processing of personal data.",
    ],
}
MAIN_RESULTS = """Justice and Home Affairs Council, 8-9 October 2020
Main results

Fight against terrorism

Ministers discussed the fight against terrorism following the recent attacks. The Council agreed to step up the exchange of information between member states and Europol.

Judicial cooperation in criminal matters

The Council reached a general approach on the e-evidence regulation. Belgium, on behalf of a group of member states, called for strong guarantees for the rights of defence.
"""
PRESS_RELEASE = [
    [
        "Press release",
        "Agriculture and Fisheries Council, 16 November 2020",
        "## Fishing opportunities in the Baltic Sea",
        "The Council agreed on the fishing opportunities for 2021 in the Baltic Sea. Denmark "
        "and Sweden welcomed the cut of the eastern cod quota to help the stock recover.",
    ]
]
GERMAN = """Ergebnisse der Tagung des Rates
3785. Tagung des Rates
Brüssel, 17. Dezember 2020

Klimaschutz

Der Rat hat sich auf ein neues Klimaziel für das Jahr 2030 geeinigt. Die Kommission wird einen Vorschlag für die Änderung der Verordnung vorlegen, und die Mitgliedstaaten werden die nationalen Beiträge bis zum Sommer festlegen. Die Minister haben auch über die Finanzierung des Übergangs beraten.
"""


def build_outcome_pdf(path: Path) -> Path:
    pages = [["## " + line for line in OUTCOME_HEAD]]
    for title, paras in OUTCOME_ITEMS.items():
        pages[-1] += ["## " + title, *paras]
    return build_pdf(path, pages, header="Council of the European Union", footer_page_numbers=True)


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("council")
    (folder / "main-results.txt").write_text(MAIN_RESULTS, encoding="utf-8")
    (folder / "ergebnisse.txt").write_text(GERMAN, encoding="utf-8")
    return {
        "outcome": build_outcome_pdf(folder / "outcome.pdf"),
        "main_results": folder / "main-results.txt",
        "press_release": build_docx(folder / "press.docx", PRESS_RELEASE, header=None),
        "german": folder / "ergebnisse.txt",
    }


def _prepared(path: Path):  # type: ignore[no-untyped-def]
    return prepare(path, path.read_bytes(), "x", Config.from_env({"RAG_OCR": "off"}))


def test_outcome_of_the_council_meeting(docs: dict[str, Path]) -> None:
    doc = _prepared(docs["outcome"])
    meta = doc.record.meta
    assert meta.doc_type == "outcome"
    assert meta.formation == "JBZ-Raad"  # the English name maps to the canonical formation
    assert meta.formation_en == "Justice and Home Affairs Council"
    assert meta.meeting_number == "3784"
    assert meta.meeting_dates == ("2020-12-14", "2020-12-15")
    assert meta.language == "en"
    assert meta.title.startswith("Outcome of the Council meeting, 3784th Council meeting")
    assert list(doc.record.sections)[-3:] == list(OUTCOME_ITEMS)  # items from the headings
    assert doc.chunks[0].pages == (1,)


def test_main_results_and_press_release(docs: dict[str, Path]) -> None:
    main = _prepared(docs["main_results"]).record
    assert main.meta.doc_type == "main_results" and main.meta.language == "en"
    assert main.meta.formation == "JBZ-Raad"
    assert main.meta.meeting_dates == ("2020-10-08", "2020-10-09")
    # "Main results" heads its items, as "Belangrijkste resultaten" does in Dutch reports.
    assert main.sections[-2:] == (
        "Main results – Fight against terrorism",
        "Main results – Judicial cooperation in criminal matters",
    )
    press = _prepared(docs["press_release"]).record
    assert press.meta.doc_type == "press_release"
    assert press.meta.formation == "Landbouw- en Visserijraad"
    assert press.meta.meeting_dates == ("2020-11-16",)
    assert press.sections[-1].endswith("Fishing opportunities in the Baltic Sea")


def test_dutch_reports_keep_their_metadata_and_language() -> None:
    meta = extract_metadata(
        "Verslag van de Raad Justitie en Binnenlandse Zaken van 14 december 2020\n\n"
        "De Raad besprak het migratiepact. Nederland benadrukte het belang van een evenwichtige "
        "verdeling van de verantwoordelijkheid, en de Commissie zegde toe met een voorstel te komen "
        "voor de zomer. Ook werd er gesproken over de terugkeer van uitgeprocedeerde asielzoekers."
    )
    assert meta.language == "nl" and meta.doc_type == "verslag" and meta.meeting_number == ""


def test_german_outcome_ingests_with_its_language(docs: dict[str, Path]) -> None:
    meta = _prepared(docs["german"]).record.meta
    assert meta.language == "de"
    assert meta.doc_type == "outcome" and meta.meeting_number == "3785"


@pytest.mark.parametrize(
    ("sentence", "key", "role"),
    [
        (
            "The Council adopted conclusions on the effective return of irregular migrants.",
            "council",
            2,
        ),
        ("Ministers broadly agreed that a fair balance is needed.", "ministers", 2),
        (
            "The Commission presented its proposal to strengthen the mandate of Europol.",
            "commission",
            2,
        ),
        ("The Netherlands stressed that faster returns are needed.", "nl", 2),
        ("Most member states welcomed the proposal.", "member_states", 2),
        ("Belgium, on behalf of a group of member states, called for guarantees.", "belgium", 2),
        ("Several delegations, including Germany, asked for safeguards.", "germany", 2),
        ("This matters for the citizens of Germany.", "germany", 1),
        ("De Raad nam nota van de voortgang.", "council", 2),
    ],
)
def test_actor_roles_in_english_and_dutch(sentence: str, key: str, role: int) -> None:
    actor = next(a for a in ACTORS if a.key == key)
    assert role_in(sentence, actor) == role


def test_english_question_is_answered_from_english_documents_with_a_citation(
    docs: dict[str, Path],
    tmp_path: Path,
    e5,  # type: ignore[no-untyped-def]
) -> None:
    config = config_for(tmp_path / "store")
    report = Ingestor(Store(config), e5, config).run(list(docs.values()))
    assert {r.status.value for r in report.results} == {"new"}, report.results
    assistant = Assistant(config, embedder=e5)

    answer = assistant.ask(
        "What did the Netherlands stress about the return of rejected asylum seekers?"
    )
    assert not answer.abstained, answer.answer
    assert "faster returns of rejected asylum seekers" in answer.answer
    cited = answer.citations[0]
    assert cited.file == str(docs["outcome"]) and cited.page == 1
    assert cited.section == "Return policy" and cited.formation == "JBZ-Raad"
    assert cited.meeting_date == "2020-12-14"

    # Dense retrieval works for the German report too.
    german = assistant.ask("Worauf hat sich der Rat beim Klimaschutz geeinigt?")
    assert german.citations and german.citations[0].file == str(docs["german"])


@pytest.mark.parametrize(
    ("question", "keys"),
    [
        ("What did the Council decide on the return directive?", ["council"]),
        ("Wat besloot de Raad over de terugkeerrichtlijn?", ["council"]),
        ("What did the ministers say about migration?", ["ministers"]),
        # Names of formations and of documents are no actor; a named person is still found.
        ("What was agreed at the JHA Council on migration?", []),
        ("Wanneer vergadert de Raad Buitenlandse Zaken met de JBZ-Raad?", []),
        ("Were the Council conclusions on Schengen adopted?", []),
        (
            "What did Lonink say about referring it back to the agriculture ministers?",
            ["name:Lonink"],
        ),
    ],
)
def test_council_and_ministers_as_actors_in_questions(question: str, keys: list[str]) -> None:
    from rag.vocab.actors import find_actors

    assert [a.key for a in find_actors(question)] == keys


def test_an_english_term_covers_an_english_passage_only_when_whole() -> None:
    from rag.answer.checks import uncovered_concept
    from rag.answer.question import parse_question

    q = parse_question("What position did the Netherlands take on the Schengen evaluation?")
    assert q.concepts, "the glossary should know 'Schengen evaluation'"
    assert uncovered_concept(q, "The Schengen evaluation of Croatia was discussed.") == ""
    assert uncovered_concept(q, "Nederland sprak over Schengen en de binnengrenzen.") != ""
