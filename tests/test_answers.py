"""Answers over the real corpus with the real e5 model: reports, agenda items and pages cited,
actors' own sentences first, filters from questions, abstention, follow-ups, and the CLI."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from rag.answer.assistant import Assistant
from rag.answer.followup import Turn
from rag.answer.question import Filters
from rag.core.models import Answer, AnswerStatus
from tests.conftest import ROOT, config_for

JBZ_TITLE = "Verslag van de informele bijeenkomst van de Raad van Justitie en Binnenlandse Zaken"


@pytest.fixture(scope="module")
def assistant(corpus_store_dir: Path, e5) -> Assistant:
    return Assistant(config_for(corpus_store_dir), embedder=e5)


def _first(answer: Answer):
    assert not answer.abstained, answer.answer
    return answer.citations[0]


@pytest.mark.parametrize(
    ("question", "section", "page", "phrase"),
    [
        (
            "what did the Netherlands say about the return directive",
            "4. Nieuw Migratie- en Asielpact",
            4,
            "Terugkeerrichtlijn",
        ),
        ("Wat zei de Commissie over het EES?", "3. Implementatie van interoperabiliteit", 3, "EES"),
        (
            "When will the report on article 25a of the Visa Code be presented?",
            "5. Samenwerking met partners m.b.t. effectieve terugkeer en migratiemanagement",
            5,
            "januari 2021",
        ),
        (
            "Welk comité moet toezien op de implementatie van de Raadsconclusies?",
            "2. Raadsconclusies inzake interne veiligheid en het Europees Politiepartnerschap",
            2,
            "COSI",
        ),
    ],
)
def test_jbz_questions_cite_report_agenda_item_and_page(
    assistant: Assistant, question: str, section: str, page: int, phrase: str
) -> None:
    answer = assistant.ask(question)
    first = _first(answer)
    assert first.title.startswith(JBZ_TITLE)
    assert first.meeting_date == "2020-12-14" and first.formation == "JBZ-Raad"
    assert first.section == section
    assert first.page == page
    assert phrase in first.text
    assert "[1]" in answer.answer


def test_1990s_letter_question(assistant: Assistant) -> None:
    first = _first(assistant.ask("Waarom wil Nederland een communautaire zeedagenregeling?"))
    assert first.meeting_date == "1992-04-03" and "Visserijraad" in first.title
    assert "zeedagenregeling" in first.text


@pytest.mark.parametrize(
    ("question", "opening"),
    [
        ("Wat zei Europol?", "Europol bracht naar voren"),
        ("What did the EU CTC say about the Europol mandate?", "De EU Coördinator"),
        ("Wat zei Nederland over het solidariteitsmechanisme?", "Nederland"),
    ],
)
def test_actor_questions_quote_the_actor_first(
    assistant: Assistant, question: str, opening: str
) -> None:
    answer = assistant.ask(question)
    first_bullet = next(line for line in answer.answer.splitlines() if line.startswith("- "))
    assert opening in first_bullet, answer.answer


def test_filters_from_the_question_restrict_the_sources(assistant: Assistant) -> None:
    answer = assistant.ask("What did the Netherlands argue for in the Fisheries Council of 1992?")
    assert answer.citations
    assert all(c.meeting_date.startswith("1992") for c in answer.citations)
    assert "zeedagenregeling" in answer.citations[0].text


def test_explicit_filters_win(assistant: Assistant) -> None:
    answer = assistant.ask("Wat zei Nederland?", filters=Filters(formation="JBZ-Raad"))
    assert answer.citations and all(c.formation == "JBZ-Raad" for c in answer.citations)
    nothing = assistant.ask("Wat zei Nederland?", filters=Filters(since="2030-01-01"))
    # Only the report whose date could not be read is still eligible (undated reports stay
    # findable), and it does not answer.
    assert nothing.abstained
    assert all(c.meeting_date == "" for c in nothing.citations)


def test_latest_prefers_the_newest_meeting(assistant: Assistant) -> None:
    answer = assistant.ask("What was discussed at the most recent meeting?")
    assert answer.citations and {c.meeting_date for c in answer.citations} == {"2020-12-14"}


@pytest.mark.parametrize(
    "question",
    [
        "What did Italy say about the return directive?",
        "What was decided about the Digital Services Act?",
        "Wat zei Commissaris Reynders over de rechtsstaat?",
        "Welke besluiten nam de EG-Milieuraad van 24 november 1988?",
        "Wat zei Nederland over de Europese Grens- en Kustwacht in 2019?",
    ],
)
def test_abstains_when_the_reports_do_not_answer(assistant: Assistant, question: str) -> None:
    answer = assistant.ask(question)
    assert answer.abstained
    # A year the reports hold no meeting of (2019) says so; the others say nothing answers.
    assert answer.answer.startswith(
        ("The indexed reports do not", "De geïndexeerde verslagen", "Geen verslag gaat over")
    )


@pytest.mark.parametrize(
    ("question", "reason"),
    [
        # A passage on milk (the April 1992 Agriculture Council) and one on fishing quotas exist,
        # but none is about milk quotas.
        (
            "What milk quota was agreed for the Netherlands in the Agriculture Council of April 1992?",
            "such as “",
        ),
        # "ten opzichte van" in the best sentence is not a number.
        # the topic is there, the number is not: a partial answer that says so
        ("How many asylum applications were lodged in the EU in 2020?", "give no number"),
    ],
)
def test_abstains_with_the_reason(assistant: Assistant, question: str, reason: str) -> None:
    answer = assistant.ask(question)
    assert answer.abstained
    assert reason in answer.answer.splitlines()[0]


def test_a_passage_on_every_term_of_the_question_is_quoted(assistant: Assistant) -> None:
    # The best-scoring sentence is about prices in general; the grain price is in another passage.
    answer = assistant.ask(
        "What grain price did the presidency propose in the Agriculture Council of April 1992?"
    )
    assert not answer.abstained
    assert "112 ECU" in answer.answer.split("\n\n", 1)[1]


def test_footnote_references_in_quotes_are_not_taken_for_source_markers(
    assistant: Assistant,
) -> None:
    answer = assistant.ask("Which proposals did the Commission present on 9 December 2020?")
    markers = {int(n) for n in re.findall(r"\[(\d+)\]", answer.answer)}
    assert markers == {1}, answer.answer
    assert "Europol" in answer.answer and "[2]" in answer.citations[0].text


def test_follow_up_uses_the_history(assistant: Assistant) -> None:
    first = assistant.ask("what did the Netherlands say about the return directive")
    follow = assistant.ask(
        "And the presidency?",
        history=[Turn(first.question, first.standalone_question, first.answer)],
    )
    assert follow.standalone_question == "what did the presidency say about the return directive"
    dutch = assistant.ask(
        "wat zei de Commissie daarover?", history=[Turn("Wat zei Nederland over het EES?")]
    )
    assert dutch.standalone_question == "wat zei de Commissie over het EES?"
    assert "EES" in _first(dutch).text


def test_a_follow_up_stays_with_the_meeting_just_quoted(assistant: Assistant) -> None:
    # "it" names no meeting: the previous answer's report (March 1990) is what the user reads,
    # though the April 1992 letter also says where a Council sat and on which days.
    first = assistant.ask(
        "What was on the agenda of the Agriculture Council at the end of March 1990?"
    )
    assert _first(first).meeting_date == "1990-03-26"
    follow = assistant.ask(
        "Which days exactly, and where was it held?", history=[Turn.of(first.question, first)]
    )
    assert _first(follow).meeting_date == "1990-03-26", follow.answer
    # A preference, not a filter: a follow-up on another meeting's topic still finds it.
    elsewhere = assistant.ask(
        "Wat vond Nederland van het openstellen van het kaderprogramma voor onderzoekers uit "
        "derde landen?",
        history=[Turn.of(first.question, first)],
    )
    assert _first(elsewhere).meeting_date.startswith("1994"), elsewhere.answer


def test_a_turn_remembers_only_the_reports_its_answer_quoted(assistant: Assistant) -> None:
    answered = assistant.ask("Wat zei de Commissie over het EES?")
    cited = {c.doc_id for c in answered.citations if f" [{c.n}]" in answered.answer}
    assert Turn.of(answered.question, answered).sources == tuple(cited) and cited
    # A refusal lists "closest passages" with the same markers: they are no source of anything.
    refused = replace(answered, status=AnswerStatus.NOT_FOUND, abstained=True)
    assert Turn.of(refused.question, refused).sources == ()


def test_answers_are_in_the_questions_language(assistant: Assistant) -> None:
    assert assistant.ask("Wat zei Europol?").answer.startswith("Uit de verslagen")
    assert assistant.ask("What did Europol say?").answer.startswith("From the reports")


def _cli(*args: str, store: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "HF_HUB_OFFLINE": "1", "RAG_STORE": str(store)}
    return subprocess.run(
        [sys.executable, "-m", "rag", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_cli_json_shape(corpus_store_dir: Path) -> None:
    out = _cli(
        "ask", "--json", "--k", "3", "Wat zei de Commissie over het EES?", store=corpus_store_dir
    )
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert set(data) == {
        "question",
        "answer",
        "abstained",
        "intent",
        "status",
        "citations",
        "timings_ms",
    }
    assert (data["intent"], data["status"]) == ("position", "answered")
    assert set(data["timings_ms"]) == {"retrieve", "answer", "total"}
    assert len(data["citations"]) == 3
    assert set(data["citations"][0]) == {
        "n", "doc_id", "file", "title", "formation", "meeting_date", "section", "page", "text",
        "score",
    }  # fmt: skip
    assert data["citations"][0]["n"] == 1 and "EES" in data["citations"][0]["text"]


def test_cli_jsonl_reads_many_questions_and_reports_bad_ones(corpus_store_dir: Path) -> None:
    questions = (
        "Wat zei Europol?\n\n" + "x" * 2000 + "\nWhat did Italy say about the return directive?\n"
    )
    out = _cli("ask", "--jsonl", store=corpus_store_dir, stdin=questions)
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(lines) == 3
    assert lines[0]["citations"] and not lines[0]["abstained"]
    assert "error" in lines[1] and "RAG_MAX_QUESTION_CHARS" in lines[1]["error"]
    assert lines[2]["abstained"] is True
    assert out.returncode == 1  # one question failed


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("ask", "   "), 1, "The question is empty"),
        (("ask", "--since", "last year", "Wat zei Europol?"), 2, "is not a date"),
        (("ask", "--formation", "Raad van Elf", "Wat zei Europol?"), 2, "Unknown formation"),
    ],
)
def test_cli_errors_are_one_line(
    corpus_store_dir: Path, args: tuple[str, ...], code: int, message: str
) -> None:
    out = _cli(*args, store=corpus_store_dir)
    assert out.returncode == code
    assert message in out.stderr and len(out.stderr.strip().splitlines()) == 1
    assert "Traceback" not in out.stderr


def test_cli_without_a_store_says_how_to_make_one(tmp_path: Path) -> None:
    out = _cli("ask", "Wat zei Europol?", store=tmp_path / "nothing-here")
    assert out.returncode == 1
    assert "python -m ingest" in out.stderr and "Traceback" not in out.stderr


def test_cli_unreachable_chroma_server(tmp_path: Path) -> None:
    from tests.conftest import free_port

    out = _cli(
        "ask", "--chroma-url", f"http://127.0.0.1:{free_port()}", "Wat zei Europol?", store=tmp_path
    )
    assert out.returncode == 1 and "Cannot reach the Chroma server" in out.stderr


def test_eval_runs_several_question_files_in_one_process(
    corpus_store_dir: Path, tmp_path: Path
) -> None:
    lines = {
        "a": [
            {"id": "a1", "q": "Wat zei Nederland over de Terugkeerrichtlijn?", "lang": "nl",
             "gold": ["herziening van de Terugkeerrichtlijn"], "facts": ["Terugkeerrichtlijn"],
             "unanswerable": False},
            {"id": "a2", "q": "What did Italy say about the return directive?", "lang": "en",
             "gold": [], "facts": [], "unanswerable": True},
        ],
        "b": [
            {"id": "b1", "q": "What did the Commission say about the Europol mandate?",
             "lang": "en", "gold": ["mogelijkheden voor Europol om samen te werken"],
             "facts": ["Europol"], "unanswerable": False},
        ],
    }  # fmt: skip
    paths = []
    for name, rows in lines.items():
        path = tmp_path / f"{name}_questions.jsonl"
        path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
        paths.append(str(path))
    env = {"PATH": "/usr/bin:/bin", "HF_HUB_OFFLINE": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "rag.eval", *paths, "--store", str(corpus_store_dir)]
        + ["--no-baselines", "--json"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert set(result) == {"a", "b"}
    a = next(iter(result["a"].values()))["all"]
    b = next(iter(result["b"].values()))["all"]
    assert (a["n"], a["n_unanswerable"], b["n"]) == (2, 1, 1)
    assert a["hit@1"] == 1.0 and a["abstention_accuracy"] == 1.0
    assert b["hit@5"] == 1.0 and b["false_abstention_rate"] == 0.0
