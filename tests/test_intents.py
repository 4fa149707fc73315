"""Answers by intent, from the report's structure: meeting overviews, whole positions (across
chunk boundaries), aggregation over agenda items, partial answers, false premises, filter
conflicts, both follow-up forms and English lead lines.

Over the real corpus with e5 (the 14 December 2020 JHA report) and over the invented fixture
reports of other formations in tests/fixtures/reports (see its README), ingested here with small
chunks so that positions do cross chunk boundaries.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ingest.pipeline import Ingestor
from rag.answer.assistant import Assistant
from rag.answer.followup import Turn
from rag.core.embedders import load_embedder
from rag.core.filters import Filters
from rag.core.models import Answer, AnswerStatus
from rag.core.store import Store
from tests.conftest import ROOT, config_for

FIXTURES = ROOT / "tests" / "fixtures" / "reports"
JBZ_ITEMS = [
    "1. Verordening ter voorkoming van de verspreiding van online terroristische inhoud",
    "2. Raadsconclusies inzake interne veiligheid en het Europees Politiepartnerschap",
    "3. Implementatie van interoperabiliteit",
    "4. Nieuw Migratie- en Asielpact",
    "5. Samenwerking met partners m.b.t. effectieve terugkeer en migratiemanagement",
    "6. Werkprogramma inkomend voorzitterschap",
]


@pytest.fixture(scope="module")
def jbz(corpus_store_dir: Path, e5) -> Assistant:
    return Assistant(config_for(corpus_store_dir), embedder=e5)


@pytest.fixture(scope="module")
def fixtures(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    """The four fixture reports in chunks of ~40 tokens, embedded with the bundled USE model."""
    config = config_for(
        tmp_path_factory.mktemp("fixtures") / "store",
        RAG_EMBEDDER="use-multilingual",
        RAG_CHUNK_TOKENS="40",
    )
    embedder = load_embedder("use-multilingual")
    report = Ingestor(Store(config), embedder, config).run([FIXTURES])
    assert [r.status for r in report.results].count("new") == 4, report.results
    return Assistant(config, embedder=embedder)


def _quotes(answer: Answer) -> list[str]:
    return [line for line in answer.answer.splitlines() if line.startswith("- ")]


def test_the_overview_of_a_meeting_lists_its_agenda_items_in_order_cited(jbz: Assistant) -> None:
    for question in (
        "What was discussed at the JHA Council of 14 December 2020?",
        "Welke agendapunten stonden op de JBZ-Raad van december 2020?",
    ):
        answer = jbz.ask(question)
        assert answer.intent == "overview" and answer.status == AnswerStatus.ANSWERED
        assert [c.section for c in answer.citations] == JBZ_ITEMS
        lines = _quotes(answer)
        assert len(lines) == 6
        for n, (line, title) in enumerate(zip(lines, JBZ_ITEMS, strict=True), start=1):
            assert title in line and line.endswith(f"[{n}]")
        # each item's own lead sentence, on the page where it is printed
        assert "politieke akkoord" in lines[0] and "Voortgangsrapport" in lines[3]
        assert [c.page for c in answer.citations] == [2, 2, 3, 3, 5, 5]


def test_an_overview_asking_how_each_item_ended_quotes_each_items_outcome(jbz: Assistant) -> None:
    """Item by item, the outcome: the item's conclusion where the report gives one (item 3's
    "concludeerde ... brede steun", not its lead), cited on the page it is printed on; the date
    may be written in figures."""
    for question in (
        "Briefing on the 14/12/2020 JHA videoconference: item by item, what was the outcome?",
        "Wat waren de uitkomsten van de JBZ-Raad van 14 december 2020, per agendapunt?",
    ):
        answer = jbz.ask(question)
        assert answer.intent == "overview" and answer.status == AnswerStatus.ANSWERED
        assert [c.section for c in answer.citations] == JBZ_ITEMS
        lines = _quotes(answer)
        assert "concludeerde dat er brede steun is" in lines[2]
        assert "Implementatie van interoperabiliteit" not in lines[2].split("**:", 1)[1]
        cited = answer.citations[2]
        assert "concludeerde dat er brede steun is" in cited.text
        assert cited.page is not None and cited.page >= 3
    plain = jbz.ask("What was discussed at the JHA Council of 14 December 2020?")
    assert "concludeerde dat er brede steun is" not in _quotes(plain)[2]


def test_an_overview_lists_the_items_of_substance_first(jbz: Assistant) -> None:
    answer = jbz.ask("Wat stond er op de agenda van de Landbouwraad van eind maart 1990?")
    assert answer.intent == "overview" and answer.citations[0].meeting_date == "1990-03-26"
    sections = [c.section for c in answer.citations]
    assert sections[0].startswith("3. Voorstellen voor de vaststelling van de landbouwprijzen")
    assert sections[-2:] == [
        "1. Goedkeuring van de voorlopige agenda",
        "2. Goedkeuring van de lijst van A-punten",
    ]
    assert "Verder, voor de vorm: 1. Goedkeuring van de voorlopige agenda [" in answer.answer


@pytest.mark.parametrize(
    "question",
    [
        "Wat is er besproken in de Landbouwraad van eind april 1992?",
        "What happened at the Agriculture Council of 28-29 April 1992?",
    ],
)
def test_the_overview_of_a_letter_without_items_quotes_what_was_discussed(
    jbz: Assistant, question: str
) -> None:
    # The letter says where the Council sat first and what it discussed after; only the latter
    # answers (a sentence of the "discussed" row, over the passage BM25 ranks first).
    answer = jbz.ask(question)
    assert answer.intent == "overview" and answer.citations[0].meeting_date == "1992-04-28"
    first = _quotes(answer)[0]
    assert "kwamen zowel de prijsvoorstellen voor het jaar 1992/1993 ter sprake" in first, first


def test_a_day_named_in_the_question_picks_the_meeting_of_that_day(jbz: Assistant) -> None:
    # Both April 1992 letters are within the month either side of the 3rd; the one whose
    # meeting was on the day answers.
    answer = jbz.ask(
        "What was discussed at the Fisheries Council held in Luxembourg on 3 April 1992?"
    )
    assert {c.meeting_date for c in answer.citations} == {"1992-04-03"}, answer.answer


def test_a_period_no_meeting_falls_in_is_read_as_the_date_of_what_was_said(jbz: Assistant) -> None:
    answer = jbz.ask("Wat gaat het Portugese voorzitterschap in februari 2021 organiseren?")
    assert answer.status == AnswerStatus.ANSWERED, answer.answer
    assert "in februari 2021 een gezamenlijke Raadsvergadering" in " ".join(answer.answer.split())
    # No passage names March 2021: still no meeting, and said so.
    none = jbz.ask("What did the JHA Council of March 2021 decide on migration?")
    assert none.status == AnswerStatus.NOT_FOUND and "2021-03-01" in none.answer


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "Apart from the member states, who took the floor on the internal security "
            "conclusions item?",
            ("Het voorzitterschap lichtte", "(EU CTC) merkte op", "Europol bracht naar voren"),
        ),
        (
            "Wie voerden er naast de lidstaten het woord bij het agendapunt over "
            "interoperabiliteit?",
            ("Het voorzitterschap wees", "Eu-LISA bevestigde", "Het inkomend voorzitterschap"),
        ),
    ],
)
def test_who_took_the_floor_lists_each_speaker_of_the_item_once(
    jbz: Assistant, question: str, expected: tuple[str, ...]
) -> None:
    answer = jbz.ask(question)
    assert answer.intent == "aggregation" and answer.status == AnswerStatus.ANSWERED
    lines = _quotes(answer)
    for phrase in expected:
        assert sum(phrase in line for line in lines) == 1, (phrase, lines)
    assert not any(line.startswith(("De lidstaten", "Enkele lidstaten")) for line in lines)
    assert len({c.section for c in answer.citations if f" [{c.n}]" in answer.answer}) == 1


def test_the_presidency_named_by_its_state_answers_which_country_held_it(jbz: Assistant) -> None:
    # "Het voorzitterschap informeerde ..." names no country; "het Duitse Voorzitterschap" does.
    answer = jbz.ask(
        "Which country held the Council presidency at the JHA Council of 14 December 2020?"
    )
    assert answer.status == AnswerStatus.ANSWERED, answer.answer
    assert "het Duitse Voorzitterschap" in _quotes(answer)[0]


def test_a_sentence_announcing_a_list_is_quoted_with_the_list(jbz: Assistant) -> None:
    # "... nog drie punten:" answers nothing by itself; the three points after it do.
    answer = jbz.ask("Which three points did the presidency add at the end of the return item?")
    first = " ".join(_quotes(answer)[0].split())
    assert "nog drie punten:" in first, first
    for point in ("standing corps", "Schengenevaluatie Kroatië", "Visa Informatie Systeem"):
        assert point in first, (point, first)


def test_a_cover_letter_quoted_with_its_signature_is_still_not_the_agenda(jbz: Assistant) -> None:
    # The signature beside "Hierbij doe ik u de geannoteerde agenda ... toekomen" says who sent
    # the agenda, not what was on it: the answer says the reports hold only the letter.
    first = jbz.ask("Wie stuurde de geannoteerde agenda van de Sociale Raad van 1 juni 1993?")
    assert "B. de Vries" in first.answer, first.answer
    answer = jbz.ask("Wat stond daarop?", history=[Turn.of(first.question, first)])
    assert answer.status == AnswerStatus.PARTIAL, answer.answer
    assert answer.answer.startswith("De verslagen bevatten hierover alleen de brief"), answer.answer


@pytest.mark.parametrize(
    "question",
    [
        "Who was the European Parliament rapporteur on the terrorist content regulation?",
        "Wie was de rapporteur van het Europees Parlement voor de verordening over "
        "terroristische inhoud online?",
    ],
)
def test_a_question_for_a_person_the_report_does_not_name_is_not_answered(
    jbz: Assistant, question: str
) -> None:
    answer = jbz.ask(question)
    assert answer.abstained, answer.answer


def test_a_member_is_found_under_the_name_ocr_misread(jbz: Assistant) -> None:
    # The scan reads "De heer Weisgias (VVD) merkte allereerst op ..."; the question names him
    # beside "the Dutch", and asks for him.
    answer = jbz.ask(
        "What did Weisglas remark about the Dutch intervention on the terms of reference?"
    )
    assert answer.status == AnswerStatus.ANSWERED, answer.answer
    assert "De heer Weisgias (VVD) merkte allereerst op" in _quotes(answer)[0]


def test_when_the_item_is_the_topic_every_statement_of_the_actor_in_it_is_quoted(
    jbz: Assistant,
) -> None:
    # Only the first of the Dutch statements under item 2 repeats the item's name; the others
    # ("Hierbij vroeg Nederland aandacht voor het behoud van Schengen ...") are on it too.
    answer = jbz.ask(
        "What did the Netherlands say on the Council conclusions on internal security and the "
        "European Police Partnership?"
    )
    quotes = " ".join(_quotes(answer))
    assert "het behoud van Schengen" in quotes and "informatie-uitwisseling" in quotes, quotes


def test_who_held_an_office_is_answered_by_a_name_not_by_the_office(jbz: Assistant) -> None:
    # The 1994 consultation report names the office only; the 1990 letter is signed.
    office = jbz.ask(
        "Wie was de minister voor Ontwikkelingssamenwerking bij het overleg van 15 juni 1994?"
    )
    assert office.status == AnswerStatus.PARTIAL, office.answer
    signed = jbz.ask(
        "Wie was de staatssecretaris van Buitenlandse Zaken die de geannoteerde agenda van de "
        "Algemene Raad van 18 december 1990 stuurde?"
    )
    assert signed.status == AnswerStatus.ANSWERED and "P. Dankert" in signed.answer, signed.answer


def test_a_sentence_spelled_out_by_the_next_is_quoted_with_it(jbz: Assistant) -> None:
    # "... presenteerde kort zijn prioriteiten ..." names no priority; "De prioriteiten
    # betreffen ..." right after it does.
    answer = jbz.ask(
        "Welke prioriteiten had het inkomend Portugees voorzitterschap op veiligheids- en "
        "migratieterrein?"
    )
    first = " ".join(_quotes(answer)[0].split())
    assert "presenteerde kort zijn prioriteiten" in first and "Migratie- en asielpakket" in first


def test_a_question_about_one_item_is_not_a_meeting_overview(jbz: Assistant) -> None:
    answer = jbz.ask(
        "Wat werd besproken onder het agendapunt implementatie van interoperabiliteit?"
    )
    assert {c.section for c in answer.citations[:1]} == {JBZ_ITEMS[2]}
    assert len(_quotes(answer)) < 6


def test_the_design_card_question_quotes_both_dutch_statements_with_an_english_lead(
    jbz: Assistant,
) -> None:
    answer = jbz.ask("what did the Netherlands say about the return directive")
    assert answer.intent == "position" and not answer.abstained
    text = " ".join(answer.answer.split())
    assert "wees daarbij op de EUAA Verordening en de herziening van de Terugkeerrichtlijn" in text
    assert "Ten aanzien van de Terugkeerrichtlijn onderstreepte Nederland" in text
    assert (
        "**At the Justice and Home Affairs Council of 14 December 2020, item 4 "
        "(Nieuw Migratie- en Asielpact), the Netherlands:**" in answer.answer
    )
    dutch = jbz.ask("Wat zei Nederland over de Terugkeerrichtlijn?")
    assert "**De JBZ-Raad van 14 december 2020, agendapunt 4 (Nieuw Migratie- en Asielpact), " \
        "Nederland:**" in dutch.answer  # fmt: skip


def test_a_position_continued_across_a_chunk_boundary_is_quoted_whole(fixtures: Assistant) -> None:
    first = "Nederland steunde het voorstel van de Hoge Vertegenwoordiger."
    second = "Daarbij benadrukte Nederland dat de eerste twee sporen zo snel mogelijk operationeel"
    chunks = fixtures.store.all_chunks()
    holding = [c for c in chunks if first in c.text or second in c.text]
    assert len({c.id for c in holding}) == 2, "the fixture must put the halves in two chunks"
    answer = fixtures.ask("Wat zei Nederland over de munitie voor Oekraïne?")
    text = " ".join(answer.answer.split())
    assert first in text and second in text, answer.answer
    assert text.index(first) < text.index(second)  # in report order


def test_an_aggregation_gathers_statements_from_several_agenda_items(fixtures: Assistant) -> None:
    answer = fixtures.ask(
        "Bij welke agendapunten nam Duitsland het woord in de Raad Buitenlandse Zaken van "
        "20 maart 2023?"
    )
    assert answer.intent == "aggregation"
    headings = [ln for ln in answer.answer.splitlines() if ln.startswith("**")]
    assert len(headings) >= 2, answer.answer  # one group per agenda item
    assert all("agendapunt" in h for h in headings)
    assert len({c.section for c in answer.citations if f"[{c.n}]" in answer.answer}) >= 2


def test_an_unnamed_member_state_gives_a_partial_answer(fixtures: Assistant) -> None:
    answer = fixtures.ask(
        "Welke lidstaat wees op de consulaire toegang tot gedetineerde EU-burgers in Iran?"
    )
    assert answer.status == AnswerStatus.PARTIAL and answer.abstained
    assert answer.answer.startswith("De verslagen noemen niet welke lidstaat")
    assert "Een enkele lidstaat wees erop" in " ".join(answer.answer.split())
    english = fixtures.ask(
        "Which member state asked about consular access to detained EU citizens?"
    )
    assert english.status == AnswerStatus.PARTIAL
    assert english.answer.startswith("The reports do not name which member state")


def test_a_false_premise_is_named(jbz: Assistant) -> None:
    answer = jbz.ask("Why did the Netherlands reject the migration pact?")
    # Partial (no statement bears the premise out) or contradicted (one says otherwise: "Een
    # meerderheid van de lidstaten, waaronder Nederland, steunde het rapport"); never "yes".
    assert answer.intent == "factcheck"
    assert answer.abstained or answer.answer.startswith("No, the reports say otherwise")
    assert "do not say that the Netherlands rejected" in answer.answer
    assert answer.status in (AnswerStatus.PARTIAL, AnswerStatus.ANSWERED)
    assert answer.citations and "Nederland" in answer.citations[0].text


def test_a_date_in_the_question_that_conflicts_with_the_sidebar_filter(jbz: Assistant) -> None:
    answer = jbz.ask(
        "What did the Netherlands say at the JHA Council of 14 December 2020?",
        filters=Filters(since="1990-01-01", until="1994-12-31"),
    )
    assert answer.status == AnswerStatus.NOT_FOUND and answer.citations == ()
    assert "outside the chosen filter" in answer.answer and "1990-01-01" in answer.answer
    narrowed = jbz.ask(
        "What did the Netherlands say about the return directive in December 2020?",
        filters=Filters(since="2020-01-01"),
    )
    assert not narrowed.abstained and narrowed.citations[0].meeting_date == "2020-12-14"


def test_an_actor_only_follow_up_keeps_the_topic(jbz: Assistant) -> None:
    first = jbz.ask("Wat zei de Commissie over het EES?")
    answer = jbz.ask(
        "En eu-LISA?",
        history=[Turn("Wat zei de Commissie over het EES?", first.standalone_question)],
    )
    assert re.search(r"eu-LISA over het EES", answer.standalone_question, re.I)
    assert answer.citations[0].section == JBZ_ITEMS[2]


def test_an_actor_only_follow_up_to_a_which_question_asks_what_the_actor_said(
    jbz: Assistant,
) -> None:
    """After "in which member states ...?", "En eu-LISA?" asks what eu-LISA said on it, not "in
    which eu-LISA"."""
    question = "In welke lidstaten waren er vertragingen bij de invoering van het EES?"
    first = jbz.ask(question)
    answer = jbz.ask("En eu-LISA?", history=[Turn.of(question, first)])
    assert answer.standalone_question.endswith("Wat zei eu-LISA daarover?")
    assert "Eu-LISA bevestigde dat er hard wordt gewerkt" in _quotes(answer)[0]


def test_that_item_keeps_the_agenda_item(jbz: Assistant) -> None:
    # Items 2 and 5 close with the presidency too; "dat agendapunt" is the one just quoted.
    first = jbz.ask(
        "What happened under the interoperability item at the JHA Council of 14 December 2020?"
    )
    assert first.citations[0].section == JBZ_ITEMS[2]
    follow = jbz.ask(
        "En met welke conclusie sloot het voorzitterschap dat agendapunt af?",
        history=[Turn.of(first.question, first)],
    )
    assert follow.status == AnswerStatus.ANSWERED, follow.answer
    assert {c.section for c in follow.citations if f" [{c.n}]" in follow.answer} == {JBZ_ITEMS[2]}
    assert "Het voorzitterschap concludeerde dat er brede steun is" in _quotes(follow)[0]


def test_a_topic_only_follow_up_keeps_the_actor(jbz: Assistant) -> None:
    previous = "What did the Netherlands say about the solidarity mechanism?"
    answer = jbz.ask("And on the return directive?", history=[Turn(previous, previous)])
    assert answer.standalone_question == "What did the Netherlands say about the return directive?"
    assert "Ten aanzien van de Terugkeerrichtlijn onderstreepte Nederland" in " ".join(
        answer.answer.split()
    )


def test_a_follow_up_on_the_reaction_quotes_it_in_the_follow_ups_language(jbz: Assistant) -> None:
    # The member states' sentence reacts to the Commission's ("naar aanleiding van deze
    # toelichting"): on the topic through the one before it, and a statement of theirs although
    # they are its partitive subject ("Geen van de lidstaten").
    first = jbz.ask(
        "How did the Commission react to the deal on removing terrorist content online?"
    )
    follow = jbz.ask(
        "Hebben lidstaten daar nog op gereageerd?", history=[Turn.of(first.question, first)]
    )
    text = " ".join(follow.answer.split())
    assert "Geen van de lidstaten heeft naar aanleiding van deze toelichting" in text, text
    assert "agendapunt 1" in text and "quoted in Dutch" not in text  # a Dutch question


def test_the_json_shape_carries_intent_and_status(jbz: Assistant) -> None:
    shape = jbz.ask("Hoeveel asielaanvragen werden in 2020 in de EU ingediend?").to_json()
    assert shape["intent"] == "factoid" and shape["status"] in ("partial", "not_found")
    assert shape["abstained"] is True


def test_the_structure_stored_at_ingest(fixtures: Assistant, jbz: Assistant) -> None:
    records = {r.meta.meeting_date: r for r in fixtures.store.list_documents()}
    rbz = records["2023-03-20"]
    assert [i.title for i in rbz.agenda] == [
        "1. Russische agressie tegen Oekraïne",
        "2. Iran",
        "3. Sahel",
        "4. Strategisch Kompas",
        "5. Dialoog tussen Belgrado en Pristina",
    ]
    dutch = [s for s in rbz.statements if s.actor == "nl" and s.item == rbz.agenda[0].title]
    assert dutch[0].stance == "supports"
    (_, text) = fixtures.store.get_document(rbz.doc_id) or (None, "")
    assert text[dutch[0].start : dutch[0].end].startswith("Nederland steunde het voorstel")
    (jbz_record,) = [r for r in jbz.store.list_documents() if r.meta.meeting_date == "2020-12-14"]
    summaries = [i for i in jbz_record.items if i.kind == "summary" and i.summary_of]
    assert [i.summary_of for i in summaries] == JBZ_ITEMS  # each summary linked to its item
    assert jbz_record.item_at(jbz_record.agenda[3].lead[0]) == jbz_record.agenda[3]


def test_a_reply_the_reports_do_not_hold_is_a_partial_answer(jbz: Assistant) -> None:
    """The 1994 committee report's first page holds an MP's question, not the minister's answer."""
    answer = jbz.ask(
        "Wat antwoordde de minister op de vraag naar de voorbereiding van de "
        "bevolkingsconferentie in Caïro?"
    )
    assert answer.status == AnswerStatus.PARTIAL and answer.abstained
    assert answer.answer.startswith("De verslagen geven het antwoord niet; ze zeggen:")
    assert "Hij vroeg de minister" in answer.answer  # the question put, quoted as what is there


def test_a_cover_letter_is_not_quoted_as_the_meetings_content(jbz: Assistant) -> None:
    """Asked for a meeting's outcome, a cover letter's "Hierbij zend ik u de geannoteerde agenda"
    is said to be only that, whichever way the question is put."""
    for question in (
        "What were the outcomes of the Justice Council of 13 November 1991?",
        "Which decisions did the Justice Council of 13 November 1991 take?",
    ):
        answer = jbz.ask(question)
        assert answer.abstained and answer.status != AnswerStatus.ANSWERED, question
        assert "cover letter" in answer.answer or answer.answer.startswith(
            "The reports hold only the letter that sent this document"
        )
        assert answer.citations and "1991-11-13" in {c.meeting_date for c in answer.citations}
    # Who sent it, and for which meeting, the letter itself answers.
    sender = jbz.ask("Who sent the annotated agenda for the Justice Council of November 1991?")
    assert sender.status == AnswerStatus.ANSWERED and not sender.abstained, sender.answer
    assert "Hierbij zend ik u de geannoteerde agenda voor de Justitieraad" in sender.answer


def test_a_position_asked_by_its_noun_is_quoted_from_its_item(jbz: Assistant) -> None:
    """ "De Nederlandse inzet" is the Dutch position on the pact (item 4), not "de inzet op
    interne veiligheid" of item 2 that shares the word."""
    answer = jbz.ask("Wat was de Nederlandse inzet in het debat over het Migratie- en Asielpact?")
    assert answer.status == AnswerStatus.ANSWERED, answer.answer
    assert "agendapunt 4 (Nieuw Migratie- en Asielpact), Nederland:" in answer.answer
    assert (
        "agendapunt 2" not in answer.answer and "inzet op interne veiligheid" not in answer.answer
    )
    assert "onderstreepte Nederland de noodzaak van solidariteit" in answer.answer


def test_a_count_near_the_top_answers_and_a_vague_one_is_no_exact_figure(jbz: Assistant) -> None:
    """ "How many ...?" is answered by the sentence near the top that counts the asked thing,
    not only by the best one ("Onder diversen kwamen zes zaken aan de orde"); asked for the exact
    figure, "een meerderheid van de lidstaten" gives none: a partial answer."""
    count = jbz.ask(
        "How many matters came up under 'diversen' at the 1568th session of the agriculture "
        "council?"
    )
    assert count.status == AnswerStatus.ANSWERED, count.answer
    assert "Onder diversen kwamen zes zaken aan de orde" in count.answer
    exact = jbz.ask(
        "Exactly how many member states supported the presidency's progress report on the pact?"
    )
    assert exact.status == AnswerStatus.PARTIAL and exact.abstained, exact.answer
    assert exact.answer.startswith("The reports give no number here")


def test_an_items_chunks_read_by_id_are_those_chromas_filter_finds(jbz: Assistant) -> None:
    """Position and aggregation answers read an item's chunks by the ids the lexical index knows
    (faster than Chroma's metadata filter at 50k chunks): the same chunks, in report order."""
    from rag.answer.positions import _document_chunks, _item_chunks

    lexical = jbz.retriever.lexical()
    chunks = jbz.store.all_chunks()
    for chunk in chunks[:: max(1, len(chunks) // 12)]:
        by_id = _item_chunks(jbz.store, chunk, lexical.chunk_ids_of)
        assert chunk in by_id and {c.section for c in by_id} == {chunk.section}
        if chunk.section:  # Chroma's filter finds no empty section; by id, a letter is one item
            by_filter = _item_chunks(jbz.store, chunk)
            assert [c.id for c in by_id] == [c.id for c in by_filter]
        whole = _document_chunks(jbz.store, chunk.doc_id, lexical.chunk_ids_of)
        assert [c.index for c in whole] == sorted(c.index for c in whole)
        assert {c.id for c in whole} == set(jbz.store.chunk_ids_of(chunk.doc_id))


def test_a_council_named_as_subject_gets_a_true_reason(jbz: Assistant) -> None:
    """ "What did the Energy Council decide?" is not "no passage mentions Energy Council" (its
    cover letter is right there): the reports hold only that letter, and the answer says so."""
    answer = jbz.ask("What did the Energy Council of May 1990 decide?")
    assert answer.abstained and "mentions Energy Council" not in answer.answer, answer.answer
    assert "cover letter" in answer.answer or answer.answer.startswith(
        "The reports hold only the letter that sent this document"
    )
    assert "1990-05-21" in {c.meeting_date for c in answer.citations}


def test_a_cover_letter_answers_which_meetings_and_dates(jbz: Assistant) -> None:
    """Which meetings the letters are about, and for which date a meeting was set, the cover
    letters say themselves: answered, not "only the letter that sent this document"."""
    meetings = jbz.ask("Which Energy Council meetings do the older letters cover?")
    assert meetings.status == AnswerStatus.ANSWERED, meetings.answer
    assert "verslag toekomen van de Energieraad van 21 mei 1990" in meetings.answer
    day = jbz.ask(
        "Voor welke datum was de Milieuraad gepland waarvan de agenda in november 1988 werd "
        "toegezonden?"
    )
    assert day.status == AnswerStatus.ANSWERED, day.answer
    assert "de geannoteerde agenda van de EG-Milieuraad van 24 november 1988" in day.answer


def test_the_meeting_and_its_ministers_count_as_named_by_its_report(jbz: Assistant) -> None:
    """A cover letter of "de EG-Raad" is about the transport council its report covers, and "the
    ministers" are in every report of their meeting ("de Minister en de Staatssecretaris van
    Justitie"): no false "no passage mentions transport / the ministers"."""
    for question in (
        "Where did the transport council of December 1989 meet?",
        "Waar vergaderde de Raad Verkeer en Vervoer in december 1989?",
    ):
        answer = jbz.ask(question)
        assert answer.status == AnswerStatus.ANSWERED, answer.answer
        assert "te houden op 4 en 5 december 1989 te Brussel" in answer.answer
    ministers = jbz.ask("When did the justice committees meet the ministers in 1993?")
    assert ministers.status == AnswerStatus.ANSWERED, ministers.answer
    assert "hebben op 26 mei 1993 mondeling overleg gevoerd met de Minister" in ministers.answer
    pact = jbz.ask("The ministers adopted the migration pact in December 2020, what comes next?")
    assert "mentions the ministers" not in pact.answer
    assert pact.status == AnswerStatus.ANSWERED, pact.answer


def test_an_outcome_the_reports_do_not_give_is_not_quoted_as_one(jbz: Assistant) -> None:
    """Asked what was concluded, a request for a study is not its conclusion: a partial answer
    that says so. An outcome the report gives further on in the agenda item is quoted."""
    answer = jbz.ask(
        "Wat concludeerde de Commissie uit haar onderzoek naar een communautaire zeedagenregeling?"
    )
    assert answer.status == AnswerStatus.PARTIAL and answer.abstained
    assert answer.answer.startswith("De verslagen geven de uitkomst niet; ze zeggen:")
    assert "zeedagenregeling" in answer.answer  # what the report does say, quoted
    given = jbz.ask("What did the presidency conclude on the implementation of interoperability?")
    assert given.status == AnswerStatus.ANSWERED and not given.abstained
    assert "Het voorzitterschap concludeerde dat er brede steun is" in given.answer


def test_a_member_state_question_whose_passages_name_none_is_a_partial_answer(
    jbz: Assistant,
) -> None:
    """ "Which member states supported ...?" answered by a sentence that names no member state
    (here the minister's own plea) says the reports do not name them; a sentence that names one
    ("een taalkundig studievoorbehoud van Spanje") answers."""
    answer = jbz.ask(
        "Welke lidstaten steunden het Nederlandse pleidooi voor een communautaire zeedagenregeling?"
    )
    assert answer.status == AnswerStatus.PARTIAL and answer.abstained
    assert answer.answer.startswith("De verslagen noemen niet welke lidstaat of lidstaten")
    named = jbz.ask("Door welk land konden de Coreper-punten niet als A-punt worden aangenomen?")
    assert named.status == AnswerStatus.ANSWERED and "Spanje" in named.answer


def test_a_question_for_a_person_the_passages_do_not_name_abstains(jbz: Assistant) -> None:
    """ "Which minister represented ...?" is not answered by the report's title or by "het
    voorzitterschap"; a report that names the representative (an OCR-garbled "p!v." before
    "ambassadeur", which no longer ends the sentence) answers, whole."""
    answer = jbz.ask(
        "Welke minister vertegenwoordigde Nederland bij de JBZ-Raad van 14 december 2020?"
    )
    assert answer.abstained and answer.status != AnswerStatus.ANSWERED
    assert "noemen geen naam" in answer.answer
    named = jbz.ask("Door wie werd Nederland vertegenwoordigd in de Onderzoekraad van juni 1994?")
    assert named.status == AnswerStatus.ANSWERED and not named.abstained
    assert "vertegenwoordigd door de p!v. ambassadeur bij de EG" in named.answer


def test_a_question_put_in_committee_is_not_quoted_as_its_answer(jbz: Assistant) -> None:
    """A committee report records an MP's "Waarom zijn uiteindelijk lagere EIB-leningen ...
    overeengekomen?" but not the reply: asked why, the answer says the reports do not give it;
    asked what was asked, the question quoted answers."""
    why = jbz.ask("Waarom werden er uiteindelijk lagere EIB-leningen voor Joegoslavië afgesproken?")
    assert why.status == AnswerStatus.PARTIAL and why.abstained
    assert why.answer.startswith("De verslagen geven het antwoord niet; ze zeggen:")
    assert "Waarom zijn uiteindelijk lagere EIB-leningen" in why.answer
    asked = jbz.ask("Wat vroeg men in het overleg over de EIB-leningen aan Joegoslavië?")
    assert asked.status == AnswerStatus.ANSWERED and not asked.abstained
    assert "Waarom zijn uiteindelijk lagere EIB-leningen" in asked.answer


def test_a_member_state_is_found_in_its_presidency(jbz: Assistant) -> None:
    """ "Portugal" in a question is "het Portugese/Portugees voorzitterschap" in the report: no
    false "no passage mentions Portugal" (every member state's Dutch adjective is in the table)."""
    answer = jbz.ask("Met welke partners wil Portugal samenwerken op het gebied van terugkeer?")
    assert answer.status == AnswerStatus.ANSWERED and not answer.abstained, answer.answer
    assert "Noord-Afrikaanse partners" in answer.answer


def test_a_compound_the_question_makes_up_is_found_by_its_head(jbz: Assistant) -> None:
    """ "Kamermotie" occurs nowhere, but it is a "motie", and the report names one: no false "no
    passage mentions Kamermotie"."""
    answer = jbz.ask("Welke Kamermotie noemde Nederland bij de Terugkeerrichtlijn?")
    assert answer.status == AnswerStatus.ANSWERED and not answer.abstained, answer.answer
    assert "in lijn met de motie Van Toorenburg" in answer.answer


def test_name_those_member_states_when_the_report_does_not(jbz: Assistant) -> None:
    """The report says "enkele lidstaten uit met name het zuiden en oosten": asked to name them,
    the answer says it does not and quotes that, even when a neighbouring sentence names the
    Netherlands on another point."""
    answer = jbz.ask("Name the member states that criticised the progress report on the pact.")
    assert answer.status == AnswerStatus.PARTIAL and answer.abstained
    assert answer.answer.startswith("The reports do not name which member state(s)")
    assert "Enkele lidstaten uit met name het zuiden en oosten" in answer.answer


def test_a_date_question_answered_without_the_date_is_a_partial_answer(jbz: Assistant) -> None:
    """Asked for a day, "in februari a.s." is no answer; asked for a new start date, "een
    opschorting van twee maanden" gives none: partial answers that say so. A day the report
    gives ("de voorstellen van 9 december jl.") answers."""
    day = jbz.ask(
        "Op welke dag in februari organiseert het Portugese voorzitterschap de gezamenlijke "
        "Raadsvergadering?"
    )
    assert day.status == AnswerStatus.PARTIAL and day.abstained
    assert day.answer.startswith("De verslagen geven hier geen precieze datum; ze zeggen:")
    assert "in februari a.s." in day.answer
    start = jbz.ask("What is the new launch date of the Entry/Exit System?")
    assert start.status == AnswerStatus.PARTIAL and start.answer.startswith(
        "The reports give no date here"
    )
    given = jbz.ask(
        "Op welke datum presenteerde de Commissie de EU-agenda inzake terrorismebestrijding?"
    )
    assert given.status == AnswerStatus.ANSWERED and "9 december jl." in given.answer


def test_a_letters_sender_is_answered_by_its_signature(jbz: Assistant) -> None:
    """Asked who sent or signed a letter, the answer cites the letter's signature first, not only
    the sending formula ("Mede namens de Staatssecretaris van Buitenlandse Zaken, doe ik u ...",
    which names another office); a signature of three words is no OCR debris, and initials do
    not cut it in two ("E.H.T.M. | Nijpels"). Asked for the date, the formula comes first."""
    env = jbz.ask("Who sent parliament the annotated agenda of the Environment Council in 1988?")
    assert env.status == AnswerStatus.ANSWERED, env.answer
    assert "E.H.T.M. Nijpels" in env.citations[0].text, env.answer
    ecofin = jbz.ask(
        "Welke minister ondertekende de ontwerp-agenda van de Ecofin-Raad van juli 1989?"
    )
    assert ecofin.status == AnswerStatus.ANSWERED, ecofin.answer
    assert "De Ministervan Financiën, Ruding" in ecofin.citations[0].text, ecofin.answer
    day = jbz.ask("On which date did the Environment Council meet whose agenda Nijpels sent?")
    assert day.intent == "factoid" and day.status == AnswerStatus.ANSWERED, day.answer
    assert "Milieuraad van 24 november 1988" in day.citations[0].text, day.answer


def test_the_items_an_actor_spoke_on_are_listed_from_the_items_themselves(jbz: Assistant) -> None:
    """ "On which agenda items did the Netherlands take the floor?" lists the Dutch statements per
    agenda item (not the whole agenda), quoted from the items rather than from the report's
    summary that repeats them, the Netherlands' own statements before a group's it is in."""
    for question in (
        "Bij welke agendapunten nam Nederland het woord in de JBZ-Raad van december 2020?",
        "On which agenda items did the Netherlands intervene at the December 2020 JHA Council?",
    ):
        answer = jbz.ask(question)
        assert answer.intent == "aggregation" and answer.status == AnswerStatus.ANSWERED
        items = {c.section for c in answer.citations if f"[{c.n}]" in answer.answer}
        assert items == {JBZ_ITEMS[1], JBZ_ITEMS[3]}, items
        assert "waaronder Nederland" not in answer.answer, answer.answer
        assert "Nederland benadrukte dat de Raadsconclusies" in answer.answer


def test_a_report_without_dates_of_its_own_is_dated_by_its_parliamentary_year(
    jbz: Assistant,
) -> None:
    """The 1990 Ecofin overview letter prints no date of its own, only "vergaderjaar 1989-1990":
    it answers a question about 1990, and no longer one about March 2021 (which the reports
    hold no meeting of, and the answer says so)."""
    later = jbz.ask("What did the Council discuss in March 2021?")
    assert later.status == AnswerStatus.NOT_FOUND and not later.citations, later.answer
    assert "2021-03-01" in later.answer
    letter = jbz.ask(
        "Welk overzicht over financiële dienstverlening stuurde de minister van Financiën in 1990?"
    )
    assert letter.status == AnswerStatus.ANSWERED, letter.answer
    assert "richtlijnen op het gebied van financiële dienstverlening" in letter.citations[0].text


def test_countries_the_reports_leave_unnamed_are_a_partial_answer(jbz: Assistant) -> None:
    """ "Which North African countries ...?" is not answered by "Noord-Afrikaanse partners", nor
    "which southern member states" by "enkele lidstaten uit met name het zuiden" (the adjectives
    do not hide the slot, nor a sentence after the question), and the Portuguese presidency that
    speaks is no country named. A country the report does name answers."""
    africa = jbz.ask(
        "Met welke Noord-Afrikaanse landen wil het Portugese voorzitterschap samenwerken?"
    )
    assert africa.status == AnswerStatus.PARTIAL, africa.answer
    assert africa.answer.startswith("De verslagen noemen niet welk land of welke landen")
    south = jbz.ask("Which southern member states criticised the progress report? I need names.")
    assert south.status == AnswerStatus.PARTIAL, south.answer
    assert south.answer.startswith("The reports do not name which member state(s)")
    named = jbz.ask("Which country's relations with the EC did Lonink ask about in January 1991?")
    assert named.status == AnswerStatus.ANSWERED, named.answer
    assert "betrekkingen met Turkije" in named.answer


def test_an_annotated_agenda_is_listed_and_a_cover_letter_alone_says_so(jbz: Assistant) -> None:
    """ "Wat stond er op de geannoteerde agenda van ...?" lists the letter's agenda items (the
    document type and the word "agenda" name no item: "Goedkeuring van de voorlopige agenda" is
    not what is asked); asked for the agenda of a meeting whose letter only sends it, the answer
    says that only a cover letter concerns the meeting. A minister's "overzicht" is no meeting
    overview."""
    agenda = jbz.ask("Wat stond er op de geannoteerde agenda van de Landbouwraad van maart 1990?")
    assert agenda.intent == "overview" and agenda.status == AnswerStatus.ANSWERED, agenda.answer
    assert "**3. Voorstellen voor de vaststelling van de landbouwprijzen" in agenda.answer
    assert len(agenda.citations) == 4
    cover = jbz.ask("What was on the agenda of the Environment Council of November 1988?")
    assert cover.status == AnswerStatus.NOT_FOUND, cover.answer
    assert "only a cover letter concerns this meeting" in cover.answer
    letter = jbz.ask("Over welke voorzitterschappen ging het overzicht van de minister in 1990?")
    assert letter.intent != "overview"


def test_a_reaction_to_what_someone_said_is_answered_only_by_a_reply(jbz: Assistant) -> None:
    """The reacting actor is the one asked for (not the one whose plea it reacts to), and a
    reaction to something said needs a sentence giving a reply; a reaction to a deal is the
    actor's own position on it."""
    italy = jbz.ask("Hoe reageerde Italië op het Nederlandse pleidooi over de Terugkeerrichtlijn?")
    assert italy.abstained and "Italië" in italy.answer
    assert "onderstreepte Nederland" not in italy.answer
    minister = jbz.ask(
        "Hoe reageerde de minister van Justitie op het voorbehoud van de CDA-fractie?"
    )
    assert minister.abstained and minister.status in (AnswerStatus.PARTIAL, AnswerStatus.NOT_FOUND)
    deal = jbz.ask("How did the Commission react to the deal on removing terrorist content online?")
    assert deal.status == AnswerStatus.ANSWERED
    assert "Commissie" in _quotes(deal)[0]


def test_a_question_about_the_documents_lists_every_document_that_fits(jbz: Assistant) -> None:
    """Which letters of minister X: every stored letter whose text has the name, each with
    what it is and where it names the sender, cited, in date order; a name most reports have
    ("Kamer") frames the question and narrows nothing."""
    answer = jbz.ask("Welke brieven van minister Maij-Weggen zitten erbij?")
    assert answer.status == AnswerStatus.ANSWERED
    assert answer.answer.startswith("Stukken die passen (2)")
    assert all("Maij-Weggen" in c.text for c in answer.citations)
    assert [c.meeting_date[:4] for c in answer.citations] == ["1989", "1993"]
    assert "geannoteerde agenda van de EG-Raad" in answer.answer
    addressed = jbz.ask(
        "In welke van de oude brieven wordt ook de Eerste Kamer als ontvanger genoemd?"
    )
    assert len(addressed.citations) == 1 and "Eerste Kamer" in addressed.citations[0].text


def test_a_list_of_documents_within_a_period_says_what_each_one_is(jbz: Assistant) -> None:
    answer = jbz.ask(
        "Of the 1993 letters, which announced an upcoming Council and which reported on one?"
    )
    assert answer.answer.startswith("Documents that fit")
    assert len(answer.citations) >= 4
    assert all(c.meeting_date.startswith("1993") for c in answer.citations)
    assert "geannoteerde agenda" in answer.answer and "verslag van de" in answer.answer


def test_documents_discussed_in_one_report_are_not_a_list_of_the_stored_documents(
    jbz: Assistant,
) -> None:
    answer = jbz.ask(
        "Welke stukken werden besproken in het mondeling overleg van 14 november 1991?"
    )
    assert not answer.answer.startswith("Stukken die passen")


def test_who_chaired_a_committee_is_read_from_its_list_of_members(jbz: Assistant) -> None:
    """A committee report lists each committee's members in a footnote; the chair is named
    there, for the committee the question names, or for each when it names none."""
    one = jbz.ask("Who chaired the foreign affairs committee at the January 1991 consultation?")
    assert one.status == AnswerStatus.ANSWERED and len(one.citations) == 1
    assert "**Aarts (CDA)**" in one.answer
    assert "Samenstelling" in one.citations[0].text and "voorzitter" in one.citations[0].text
    both = jbz.ask("Wie zaten de twee Kamercommissies voor bij het overleg over Trevi in mei 1993?")
    assert "**Swildens-Rozendaal (PvdA)**" in both.answer and "**Kohnstamm (D66)**" in both.answer


def test_meetings_held_in_a_place_are_listed_from_the_documents(jbz: Assistant) -> None:
    """Which meetings were held in Luxembourg: every report naming the place, the sentence
    that names it quoted; an English place name is matched as the Dutch reports write it."""
    luxembourg = jbz.ask(
        "Which of the Council meetings in the older letters were held in Luxembourg?"
    )
    assert luxembourg.answer.startswith("Documents that fit")
    assert len(luxembourg.citations) >= 3
    assert all("Luxemburg" in c.text for c in luxembourg.citations)
    brussels = jbz.ask("Which of the older Council meetings took place in Brussels?")
    assert brussels.citations and all("Brussel" in c.text for c in brussels.citations)
