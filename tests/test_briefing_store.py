"""The meeting briefing over the real corpus store: `build_brief` and `python -m rag brief`.

The JBZ-Raad report of 14 December 2020 has six agenda items and 143 statements stored at ingest;
the note must list them per item with the Netherlands first, cite every line, and list each cited
sentence once with its page.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import docx
import pytest

from rag.answer.brief import GROUPS, BriefError, build_brief
from rag.core.store import Store
from rag.ui.meeting_note import brief_note
from rag.ui.note import note_markdown
from tests.conftest import ROOT, config_for

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def store(corpus_store_dir: Path) -> Store:
    return Store(config_for(corpus_store_dir))


def test_meeting_brief_from_the_stored_structure(store: Store) -> None:
    brief = build_brief(store, formation="JBZ", date="2020-12-14")
    (meeting,) = brief.meetings
    assert [i.title.split(".")[0] for i in meeting.items] == ["1", "2", "3", "4", "5", "6"]
    pact = next(i for i in meeting.items if i.title == "4. Nieuw Migratie- en Asielpact")
    groups = [g for g, _ in pact.positions]
    assert groups[0] == "nl" and groups == sorted(groups, key=GROUPS.index)
    nl_lines = dict(pact.positions)["nl"]
    assert any("Terugkeerrichtlijn" in x.text for x in nl_lines)
    assert all(x.actor == "nl" for x in nl_lines)
    assert any("concludeerde" in x.text for x in pact.outcome)
    # Every line is cited; the numbers run 1..n in reading order, each sentence once.
    lines = [
        x
        for i in meeting.items
        for x in (*i.on_table, *(y for _, ys in i.positions for y in ys), *i.outcome)
    ]
    assert [x.n for x in lines] == list(range(1, len(lines) + 1)) == [c.n for c in brief.sources]
    assert len({(c.doc_id, c.char_start) for c in brief.sources}) == len(brief.sources)
    # Each source quotes its line verbatim and knows its report, meeting, item and page.
    for x, c in zip(lines, brief.sources):
        assert " ".join(c.text.split()) == x.text
        assert c.formation == "JBZ-Raad" and c.meeting_date == "2020-12-14"
        assert c.section.startswith(tuple("123456")) and c.page in (2, 3, 4, 5)


def test_topic_narrows_across_meetings(store: Store) -> None:
    brief = build_brief(store, topic="return directive, 2020-2021")
    (meeting,) = brief.meetings
    (item,) = meeting.items
    assert item.title == "4. Nieuw Migratie- en Asielpact"
    quoted = [x.text for _, xs in item.positions for x in xs]
    assert quoted and all("Terugkeerrichtlijn" in q for q in quoted)
    md = note_markdown(brief_note(brief, "en"))
    assert md.startswith("# Briefing note topic: return directive, 2020-2021")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"meeting": "nope"}, "No report with id 'nope': see the ids with `python -m ingest"),
        ({"formation": "JBZ", "date": "2031-01-01"}, "No report in the store matches"),
        ({"formation": "Raad X", "date": "2020-12-14"}, "Unknown formation 'Raad X': use one of"),
        ({"topic": "kernfusie"}, "No agenda item of the selected reports is about"),
    ],
)
def test_errors_say_the_fix(store: Store, kwargs: dict[str, str], message: str) -> None:
    with pytest.raises(BriefError, match=re.escape(message)):
        build_brief(store, **kwargs)


def test_cli_writes_docx_and_markdown(corpus_store_dir: Path, tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "RAG_STORE": str(corpus_store_dir), "HF_HUB_OFFLINE": "1"}
    base = [sys.executable, "-m", "rag", "brief", "--formation", "JBZ-Raad", "--date", "2020-12-14"]
    out = tmp_path / "note.docx"
    run = subprocess.run([*base, "--out", str(out), "--lang", "en"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=120)  # fmt: skip
    assert run.returncode == 0, run.stderr
    d = docx.Document(io.BytesIO(out.read_bytes()))
    headings = [p.text for p in d.paragraphs if p.style.name.startswith("Heading")]
    assert "4. Nieuw Migratie- en Asielpact" in headings and headings[-1] == "Sources"
    rows = d.tables[0].rows
    assert rows[0].cells[1].text == "Report" and rows[1].cells[0].text == "[1]"
    md = subprocess.run([*base, "--format", "md"], cwd=ROOT, env=env, capture_output=True,
                        text=True, timeout=120)  # fmt: skip
    assert md.returncode == 0, md.stderr
    assert md.stdout.startswith("# Briefingnotitie JBZ-Raad 2020-12-14")
    assert len(re.findall(r"^\[\d+\] \*\*", md.stdout, re.M)) == len(rows) - 1
    bad = subprocess.run([*base[:4], "--topic", "pact", "--date", "2020-12-14"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=120)  # fmt: skip
    assert bad.returncode == 2
    assert bad.stderr.strip() == (
        "error: --date needs --formation: e.g. --formation JBZ-Raad --date 2020-12-14."
    )
