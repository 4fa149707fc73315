"""Notes and feedback without a store or a model: the DOCX and Markdown writers, the curated
conversation export, the feedback file and `python -m rag.eval --from-feedback`.

The DOCX files are read back with python-docx, the way a test of the browser download does.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import docx
import pytest

from rag.answer.brief import Brief, ItemBrief, Line, MeetingBrief
from rag.answer.eval.__main__ import main as eval_main
from rag.answer.eval.drafts import draft_questions
from rag.answer.eval.metrics import QuestionFileError, load_questions
from rag.core.errors import RagError
from rag.core.feedback import Feedback, append_feedback, read_feedback
from rag.core.models import Answer, Citation
from rag.ui.briefing import Exchange, briefing_docx, briefing_markdown, conversation_note
from rag.ui.meeting_note import brief_note
from rag.ui.note import note_docx, note_markdown
from tests.conftest import config_for


def cite(n: int, doc: str, start: int, text: str = "", section: str = "4. Pact") -> Citation:
    return Citation(n, doc, f"{doc}.txt", f"Verslag {doc}", "JBZ-Raad", "2020-12-14", section,
                    3, text or f"Passage {doc} {start}.", 0.9, start, start + 5)  # fmt: skip


def a_brief() -> Brief:
    """Two agenda items; the Netherlands' line comes first in item 1, as the builder orders it."""
    s = [cite(i, "jbz", i * 10, f"Zin {i} met *sterren* en $x$.") for i in range(1, 6)]
    item1 = ItemBrief(
        "1. Pact",
        (Line("Het pact lag voor.", 1),),
        (
            ("nl", (Line("Nederland steunde het pact.", 2, "nl", "supports"),)),
            ("commission", (Line("De Commissie lichtte toe.", 3, "commission"),)),
        ),
        (Line("Het voorzitterschap zal verder gaan.", 4),),
    )
    item2 = ItemBrief("2. Diversen", (Line("Niets meer.", 5),), (), ())
    meeting = MeetingBrief("jbz", "Verslag JBZ", "JBZ-Raad", "2020-12-14", (item1, item2))
    return Brief((meeting,), tuple(s))


# -- the meeting note --------------------------------------------------------------------------
def test_brief_docx_has_headings_bullets_and_a_source_table() -> None:
    data = note_docx(brief_note(a_brief(), "en"))
    d = docx.Document(io.BytesIO(data))
    styles = [(p.style.name, p.text) for p in d.paragraphs]
    assert styles[0] == ("Title", "Briefing note JBZ-Raad 2020-12-14")
    headings = [text for style, text in styles if style.startswith("Heading")]
    assert headings == ["JBZ-Raad 2020-12-14 — Verslag JBZ", "1. Pact", "2. Diversen", "Sources"]
    bullets = [text for style, text in styles if style == "List Bullet"]
    assert bullets[1] == "The Netherlands (supports): “Nederland steunde het pact.” [2]"
    assert bullets[2].startswith("The Commission: ") and bullets[2].endswith("[3]")
    labels = [p.text for p in d.paragraphs if p.runs and p.runs[0].bold]
    assert labels[:3] == ["On the table", "Positions", "Outcome and next step"]
    (table,) = d.tables
    rows = [[c.text for c in r.cells] for r in table.rows]
    assert rows[0] == ["No.", "Report", "Meeting", "Agenda item", "Page", "Passage (verbatim)"]
    assert [r[0] for r in rows[1:]] == ["[1]", "[2]", "[3]", "[4]", "[5]"]
    # The passage is verbatim: no Markdown escaping in a Word document.
    assert rows[1][1:] == ["Verslag jbz", "JBZ-Raad · 2020-12-14", "4. Pact", "3",
                           "Zin 1 met *sterren* en $x$."]  # fmt: skip


def test_brief_docx_opens_in_libreoffice(tmp_path: Path) -> None:
    """LibreOffice (Debian's libreoffice-writer-nogui, installed by `make system-deps`) reads the
    note: converted to PDF, its text holds the title, every agenda item and the source table."""
    import shutil
    import subprocess

    import pypdf

    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice is missing: run `make system-deps`"
    src = tmp_path / "brief.docx"
    src.write_bytes(note_docx(brief_note(a_brief(), "en")))
    subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(src)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(tmp_path / "brief.pdf").pages)
    text = "".join(text.split())  # PDF lines wrap anywhere ("2020-12-" / "14")
    for part in ("Briefing note JBZ-Raad 2020-12-14", "1. Pact", "2. Diversen", "Sources",
                 "Passage (verbatim)", "Nederland steunde het pact."):  # fmt: skip
        assert "".join(part.split()) in text, part


def test_brief_markdown_labels_follow_the_interface_language() -> None:
    nl = note_markdown(brief_note(a_brief(), "nl"))
    en = note_markdown(brief_note(a_brief(), "en"))
    assert nl.startswith("# Briefingnotitie JBZ-Raad 2020-12-14\n")
    assert "**Voorliggend**" in nl and "**Standpunten**" in nl and "## Bronnen" in nl
    assert "- Nederland (steunt): “Nederland steunde het pact.” [2]" in nl
    assert "**On the table**" in en and "## Sources" in en and "Voorliggend" not in en
    # Report text is escaped for Markdown, the markers stay live, and each source is listed once.
    assert "> Zin 1 met \\*sterren\\* en $x$." in nl
    assert re.findall(r"^\[(\d)\] \*\*", nl, re.M) == ["1", "2", "3", "4", "5"]


def test_control_characters_cannot_break_the_docx() -> None:
    brief = a_brief()
    bad = Line("Zin met \x1b[31mkleur\x1b[0m en \x00nul.", 1)
    item = ItemBrief("1. \x07Pact", (bad,), (), ())
    broken = Brief((MeetingBrief("jbz", "V", "JBZ-Raad", "2020-12-14", (item,)),), brief.sources)
    d = docx.Document(io.BytesIO(note_docx(brief_note(broken, "nl"))))
    assert "Zin met kleur en nul. [1]" in [p.text for p in d.paragraphs]


# -- the curated conversation ------------------------------------------------------------------
def _conversation() -> list[Exchange]:
    shared = "De Commissie sprak zich positief uit."
    a1 = Answer("Q1?", "- een [1]\n- twee [3]", False,
                (cite(1, "a", 0), cite(2, "b", 10), cite(3, "c", 20, shared)))  # fmt: skip
    a2 = Answer("Q2?", "Geen antwoord.", True, (cite(1, "d", 0),))
    # The same passage as a1's [3], from another copy of the report (other doc id, offsets).
    a3 = Answer("Q3?", "**Kop**\n- drie [2]\n- vier [1]", False,
                (cite(1, "e", 5), cite(2, "f", 99, shared)))  # fmt: skip
    return [Exchange("Q1?", a1), Exchange("Q2?", a2, "JBZ-Raad"), Exchange("Q3?", a3)]


def test_curated_note_renumbers_only_the_cited_sources_once() -> None:
    ex = _conversation()
    note = conversation_note([ex[0], ex[2]], "en")
    titles = [c.title for c in note.sources]
    # a1's uncited [2] (doc b) is out; the shared passage is one source, numbered where first cited.
    assert titles == ["Verslag a", "Verslag c", "Verslag e"]
    md = briefing_markdown([ex[0], ex[2]], "en")
    assert "## 1. Q1?" in md and "## 2. Q3?" in md and "Q2?" not in md
    assert "- een [1]\n- twee [2]" in md
    assert "- drie [2]\n- vier [3]" in md, "the shared passage keeps its number"
    assert re.findall(r"^\[(\d)\] \*\*Verslag (\w)\*\*", md, re.M) == [
        ("1", "a"),
        ("2", "c"),
        ("3", "e"),
    ]


def test_curated_note_as_docx_in_one_language() -> None:
    ex = _conversation()
    d = docx.Document(io.BytesIO(briefing_docx(ex, "nl")))
    texts = [(p.style.name, p.text) for p in d.paragraphs]
    assert ("Heading 1", "2. Q2?") in texts
    assert any(t == "Geen antwoord in de verslagen." for _, t in texts)  # the label, in Dutch
    assert any(t == "Filters: JBZ-Raad" for _, t in texts)
    assert ("List Bullet", "drie [2]") in texts and ("List Bullet", "vier [3]") in texts
    assert ("Heading 1", "Bronnen") in texts
    assert not any("Sources" in t or "No answer" in t for _, t in texts)
    (table,) = d.tables
    assert [r.cells[0].text for r in table.rows[1:]] == ["[1]", "[2]", "[3]"]


# -- feedback and draft questions --------------------------------------------------------------
def _feedback(verdict: str, q: str = "Wat zei Nederland?", **kw: object) -> Feedback:
    answer = Answer(q, "- Nederland steunde [1]", False, (cite(1, "jbz", 0, "Nederland steunde."),))
    return Feedback(verdict, q, answer.to_json() | {"intent": "position"}, **kw)  # type: ignore[arg-type]


def test_feedback_default_file_is_beside_the_store(tmp_path: Path) -> None:
    config = config_for(tmp_path / "data" / "store")
    assert config.feedback_path == str(tmp_path / "data" / "feedback.jsonl")
    assert config_for(tmp_path / "s", RAG_FEEDBACK="/x/fb.jsonl").feedback_path == "/x/fb.jsonl"


def test_feedback_lines_round_trip_and_a_bad_line_names_its_place(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "feedback.jsonl"
    append_feedback(path, _feedback("wrong", comment="mist de Commissie", user="anna"))
    append_feedback(path, _feedback("right"))
    got = read_feedback(path)
    assert [(f.verdict, f.user, f.comment) for f in got] == [
        ("wrong", "anna", "mist de Commissie"),
        ("right", "", ""),
    ]
    assert got[0].answer["citations"][0]["text"] == "Nederland steunde."
    with pytest.raises(ValueError, match="verdict must be one of"):
        _feedback("meh")
    path.write_text(path.read_text() + '{"verdict": "wrong"}\n', encoding="utf-8")
    with pytest.raises(RagError, match=r"feedback\.jsonl:3: .*missing key"):
        read_feedback(path)


def test_drafts_from_wrong_and_incomplete_answers_only() -> None:
    entries = [
        _feedback("wrong", comment="a", time="2026-01-02T03:04:05+00:00"),
        _feedback("right", "Wat zei de Commissie?"),
        _feedback(
            "incomplete",
            "And the Commission?",
            time="2026-01-02T03:04:05+00:00",
            standalone_question="What did the Commission say about the pact?",
        ),  # fmt: skip
        _feedback("wrong", "wat zei  Nederland?", comment="b"),  # the same question again
    ]
    drafts = draft_questions(entries, taken=["fb-20260102-030405"])
    assert [d["q"] for d in drafts] == [
        "Wat zei Nederland?",
        "What did the Commission say about the pact?",
    ]
    assert [d["id"] for d in drafts] == ["fb-20260102-030405-2", "fb-20260102-030405-3"]
    assert [d["lang"] for d in drafts] == ["nl", "en"]
    first = drafts[0]
    assert first["gold"] == [] and first["facts"] == [] and first["kind"] == "position"
    assert first["draft"]["comments"] == ["a", "b"] and "TO DO" in first["draft"]["todo"]
    assert first["draft"]["cited"] == [
        "[1] Verslag jbz, 2020-12-14, 4. Pact, p. 3: Nederland steunde."
    ]


def test_from_feedback_cli_writes_drafts_the_loader_refuses_until_completed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fb, out = tmp_path / "feedback.jsonl", tmp_path / "drafts.jsonl"
    append_feedback(fb, _feedback("incomplete", comment="mist Johansson"))
    append_feedback(fb, _feedback("right", "Wat zei de Commissie?"))
    assert eval_main(["--from-feedback", str(fb), "--out", str(out)]) == 0
    assert "1 draft question(s) from 2 feedback entries" in capsys.readouterr().err
    (line,) = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    with pytest.raises(QuestionFileError, match="is a draft from feedback: write its 'gold'"):
        load_questions(out)
    # A person completes it: gold and facts written, the draft key deleted. Then it loads.
    line.pop("draft")
    line.update(gold=["Nederland steunde"], facts=["steunde"])
    out.write_text(json.dumps(line) + "\n", encoding="utf-8")
    (q,) = load_questions(out)
    assert q.q == "Wat zei Nederland?" and q.gold == ("Nederland steunde",)
    # Run again into the same file: the new draft gets an id of its own.
    assert eval_main(["--from-feedback", str(fb), "--out", str(out)]) == 0
    ids = [json.loads(x)["id"] for x in out.read_text(encoding="utf-8").splitlines()]
    assert len(ids) == 2 and len(set(ids)) == 2


def test_from_feedback_missing_file_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert eval_main(["--from-feedback", str(tmp_path / "nope.jsonl")]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: Cannot read the feedback file") and "\n" not in err


def test_feedback_records_the_user_only_with_login() -> None:
    from rag.ui.auth import LOCAL, User
    from rag.ui.panels import feedback_entry
    from rag.ui.session import Message

    answer = Answer(
        "And NL?", "- x [1]", False, (cite(1, "jbz", 0),), standalone_question="Wat zei NL?"
    )
    message = Message("And NL?", answer, "JBZ-Raad")
    signed_in = feedback_entry(
        message, "wrong", " te kort ", User("anna", "reader"), "users", "9:1:ab"
    )
    assert (signed_in.user, signed_in.comment, signed_in.filters) == ("anna", "te kort", "JBZ-Raad")
    assert signed_in.standalone_question == "Wat zei NL?" and signed_in.store_version == "9:1:ab"
    assert signed_in.answer["citations"][0]["doc_id"] == "jbz"
    assert feedback_entry(message, "right", "", LOCAL, "", "9:1:ab").user == ""


def test_briefing_errors_read_in_the_interface_language() -> None:
    from rag.answer.brief import BriefError
    from rag.ui.text import error_message

    exc = BriefError("No agenda item ... about 'x'.", code="brief_no_topic", topic="kern*fusie")
    assert error_message(exc, "nl") == (
        "Geen agendapunt van de gekozen verslagen gaat over kern\\*fusie: probeer andere woorden, "
        "of laat het onderwerp leeg."
    )
    assert error_message(exc, "en") == "No agenda item ... about 'x'."


def test_every_briefing_error_of_the_store_has_dutch_text(corpus_store_dir: Path) -> None:
    """The errors `select_reports` raises carry a code the Dutch interface knows."""
    from rag.answer import brief
    from rag.core.store import Store
    from rag.ui.text import error_message

    store = Store(config_for(corpus_store_dir))
    for kwargs in ({"meeting": "nope"}, {"formation": "Raad van Niets"}, {}, {"formation": "JBZ-Raad", "date": "1900-01-01"}):  # fmt: skip
        with pytest.raises(brief.BriefError) as info:
            brief.select_reports(store, **kwargs)
        dutch = error_message(info.value, "nl")
        assert dutch != str(info.value) and "--" not in dutch, (kwargs, dutch)
