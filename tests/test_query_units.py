"""Exact unit checks of question reading, actors, follow-ups, glossary and BM25 analysis."""

from __future__ import annotations

import pytest

from rag.answer.checks import has_number
from rag.answer.followup import Turn, condense, is_follow_up
from rag.answer.question import Intent, Slot, detect_language, parse_question
from rag.core.filters import Filters
from rag.core.lexical import analyse
from rag.vocab.actors import ACTORS, find_actors, role_in
from rag.vocab.dates import dates_in_question
from rag.vocab.glossary import dutch_terms

NL = ACTORS[0]


@pytest.mark.parametrize(
    ("question", "since", "until"),
    [
        ("in the JHA Council of December 2020", "2020-12-01", "2020-12-31"),
        ("Wat besprak de Visserijraad in 1992?", "1992-01-01", "1992-12-31"),
        ("between 1990 and 1992", "1990-01-01", "1992-12-31"),
        ("the Council of 14 december 2020", "2020-11-13", "2021-01-14"),
        ("since 2019", "2019-01-01", ""),
        ("What did the Netherlands say?", "", ""),
        ("Vergaderjaar 1991-1992 kamerstuk", "", ""),  # a range, not a year filter
    ],
)
def test_dates_read_from_questions(question: str, since: str, until: str) -> None:
    assert dates_in_question(question) == (since, until)


def test_parse_question_reads_formation_dates_actor_and_latest() -> None:
    p = parse_question("What did the Netherlands say in the JHA Council of December 2020?")
    assert p.lang == "en"
    assert p.filters.formation == "JBZ-Raad"
    assert (p.filters.since, p.filters.until) == ("2020-12-01", "2020-12-31")
    assert [a.key for a in p.actors] == ["nl"]
    assert parse_question("Wat besprak de meest recente Landbouwraad?").latest
    assert parse_question("Wat zei de Commissie over het EES?").lang == "nl"


def test_a_question_narrows_the_explicit_filters_and_names_a_conflict() -> None:
    inside = parse_question("What happened in December 2020?", Filters(since="2020-01-01"))
    assert (inside.filters.since, inside.filters.until, inside.conflict) == (
        "2020-12-01",
        "2020-12-31",
        "",
    )
    outside = parse_question("What happened in 1992?", Filters(since="2020-01-01"))
    assert outside.conflict == "1992-01-01 – 1992-12-31"
    assert outside.filters.since == "2020-01-01" and not outside.filters.until
    council = parse_question("Wat besprak de Landbouwraad?", Filters(formation="JBZ-Raad"))
    assert (
        council.conflict == "Landbouw- en Visserijraad" and council.filters.formation == "JBZ-Raad"
    )


def test_filters_become_a_chroma_where_clause() -> None:
    f = Filters(formation="Algemene Raad", since="1990-01-01", doc_types=("brief",))
    assert f.where() == {
        "$and": [
            {"in_algemene_raad": True},
            # undated reports stay findable
            {"$or": [{"meeting_day_last": {"$gte": 19900101}}, {"meeting_day": 0}]},
            {"doc_type": {"$in": ["brief"]}},
        ]
    }
    assert Filters().where() is None


@pytest.mark.parametrize(
    ("sentence", "role"),
    [
        ("Nederland benadrukte dat de Raadsconclusies een belangrijke stap zijn.", 2),
        ("Een meerderheid van de lidstaten, waaronder Nederland, steunde het rapport.", 2),
        ("Dit werd ook door Nederland gesteund.", 2),
        ("Ten aanzien van de Terugkeerrichtlijn onderstreepte Nederland nogmaals de noodzaak.", 2),
        ("In de discussie heb ik nadrukkelijk gepleit voor een zeedagenregeling.", 2),
        ("Dit is van belang voor de burgers van Nederland.", 1),
        ("De Commissie presenteerde de voorstellen.", 0),
    ],
)
def test_role_of_the_netherlands_in_a_sentence(sentence: str, role: int) -> None:
    assert role_in(sentence, NL) == role


def test_mentioning_an_actor_is_not_speaking() -> None:
    europol = next(a for a in ACTORS if a.key == "europol")
    assert role_in("Europol bracht naar voren dat het voor grote uitdagingen stond.", europol) == 2
    assert role_in("De ontwikkeling van Europol werd door alle lidstaten gesteund.", europol) == 1


def test_actors_in_questions_most_specific_first() -> None:
    assert [a.key for a in find_actors("What did the Portuguese presidency announce?")] == [
        "portuguese_presidency"
    ]
    assert [a.key for a in find_actors("wat zei de heer De Hoop Scheffer over Trevi")] == [
        "name:De Hoop Scheffer"
    ]


def test_a_possessive_actor_is_the_speaker_when_it_owns_a_stance() -> None:
    """ "The Commission's report" is a topic; "the Commission's position / take on it" is what
    the Commission said."""
    for question in (
        "What was the Commission's position on the pact?",
        "And Germany's take on it?",
    ):
        parsed = parse_question(question)
        assert parsed.actors and parsed.asks_position, question
    assert find_actors("What was in the Commission's report on Schengen?") == []


def test_a_named_member_ends_before_a_preposition() -> None:
    # "van" joins "Van der Linden", not "Weisglas" to the "van" of "wat vond ... van".
    assert [a.key for a in find_actors("Wat vond Weisglas van het experiment?")] == [
        "name:Weisglas"
    ]
    assert [a.key for a in find_actors("What did Van der Linden say?")] == ["name:Van der Linden"]


def test_abbreviations_and_names_the_reports_do_not_use_are_no_missing_names() -> None:
    # The reports say "verordening ... online terroristische inhoud" and "GCC-landen".
    for question in (
        "Datum politiek akkoord TCO-verordening tussen Raad en EP?",
        "Wat vroeg hij over de onderhandelingen met de Golfstaten?",
    ):
        assert parse_question(question).names == (), question


def test_dutch_as_a_language_is_no_actor() -> None:
    """ "Available in Dutch", "a Dutch version", "de Nederlandse vertaling" name the language."""
    for question in (
        "Is the press statement available in Dutch?",
        "Why was there no Dutch version of the conclusions?",
        "Kwam er een Nederlandse vertaling van de persverklaring?",
    ):
        assert find_actors(question) == [], question
    assert [a.key for a in find_actors("What did the Dutch delegation ask?")] == ["nl"]
    assert [a.key for a in find_actors("Wat vond de Nederlandse regering?")] == ["nl"]


def test_the_meetings_formation_is_no_subject_the_passages_must_name() -> None:
    """A formation named in the question is its filter: its words ("transport", "Vervoer") are
    no concept or name each passage must contain. "Regulation" is known to the glossary."""
    english = parse_question("Where was the EC transport council of December 1989 held?")
    assert english.filters.formation == "Raad Vervoer, Telecommunicatie en Energie"
    assert english.concepts == ()
    dutch = parse_question("Wanneer kwam de EG-Raad Verkeer en Vervoer in december 1989 bijeen?")
    assert dutch.names == ()
    regulation = parse_question("What is the proposal amending Regulation (EEC) No 797/85 for?")
    assert regulation.names == () and "verordening verordeningen" in regulation.translated


def test_a_position_asked_by_its_noun_frames_the_question() -> None:
    """ "de Nederlandse inzet", "the Dutch stance" ask for a position; the noun and "het debat"
    are the question's frame, not its topic."""
    dutch = parse_question("Wat was de Nederlandse inzet in het debat over het migratiepact?")
    assert dutch.intent == Intent.POSITION and dutch.topic == ("migratiepact",)
    assert "inzet" not in dutch.terms
    english = parse_question("What was the Dutch stance on the return directive?")
    assert english.intent == Intent.POSITION and "stanc" not in " ".join(english.topic)


def test_a_quoted_name_is_read_without_its_quotes() -> None:
    """ "een 'Jumbo-Raad'": the closing quote is no part of the name the reports must contain."""
    assert parse_question("Wat wordt bedoeld met een 'Jumbo-Raad'?").names == (
        ("Jumbo Raad", ("Jumbo",)),
    )
    assert parse_question("Wat zei men over het ‘Schengen Forum’?").names == (
        ("Schengen Forum", ("Schengen", "Forum")),
    )


def test_a_council_named_in_the_question_is_the_meeting_not_a_speaker() -> None:
    """ "What did the Energy Council decide?" names a meeting (the formation filter), not a person
    whose name the passages must contain; "European Arrest Warrant" is a name the reports must
    contain (an instrument)."""
    assert find_actors("What did the Energy Council of May 1990 decide?") == []
    assert find_actors("Wat besprak de Milieuraad in 1988?") == []
    assert [a.key for a in find_actors("What did Weisglas say?")] == ["name:Weisglas"]
    research = parse_question("What was on the table at the Research Council of June 1994?")
    assert research.filters.formation == "Raad Concurrentievermogen" and not research.actors
    warrant = parse_question("What was agreed on the European Arrest Warrant?")
    assert [name for name, _ in warrant.names] == ["European Arrest Warrant"]


def test_follow_ups_become_standalone_questions() -> None:
    prev = [Turn("What did the Netherlands say about the return directive?")]
    assert condense("And the Commission?", prev) == (
        "What did the Commission say about the return directive?"
    )
    assert condense("and in 1992?", prev).endswith("return directive in 1992?")
    nl = [Turn("Wat zei Nederland over het EES?")]
    assert condense("wat zei de Commissie daarover?", nl) == "wat zei de Commissie over het EES?"
    assert not is_follow_up("Wat zei de Commissie over de e-evidence verordening?")
    assert condense("Wat zei Europol?", []) == "Wat zei Europol?"
    # The actor a follow-up asks for is no actor to swap in: "Which countries are those?"
    many = [Turn("With how many countries does the Commission want partnerships?")]
    assert condense("Which countries are those?", many) == (
        "With how many countries does the Commission want partnerships? Which countries are those?"
    )
    assert is_follow_up("Which countries were responsible for those delays?")
    assert is_follow_up("Welke landen steunden dat?")
    # A follow-up with a question of its own stands alone; swapping its actor into the previous
    # question would drop what it asks.
    own = "And what did the Netherlands say on the migration pact?"
    assert condense(own, [Turn("What did the Commission say about the EES?")]) == own
    # The topic of a two-clause question ends where the second clause starts.
    two = [Turn("What about the TCO regulation - when was the deal with Parliament struck?")]
    assert condense("What did the Commission say on it?", two) == (
        "What did the Commission say about the TCO regulation?"
    )


def test_glossary_translates_english_eu_terms() -> None:
    assert dutch_terms("the return directive and the solidarity mechanism") == [
        "terugkeerrichtlijn",
        "solidariteitsmechanisme",
    ]


def test_analysis_stems_dutch_and_keeps_compounds() -> None:
    assert analyse("De lidstaten en de screening- en grensprocedure") == [
        "lidstat",
        "screening",
        "grensprocedur",
    ]


def test_question_reads_what_the_checks_need_once() -> None:
    dsa = parse_question("What did the Council say about the Digital Services Act?")
    assert [name for name, _ in dsa.names] == ["Digital Services Act"]
    assert parse_question("What did the Netherlands say about the return directive?").names == ()
    assert parse_question("Welke besluiten nam de Milieuraad?").asks_decision
    assert not parse_question("When was the Ecofin council held?").asks_decision
    position = parse_question("Wat zei Nederland over de Terugkeerrichtlijn?")
    assert position.intent == Intent.POSITION and "terugkeerrichtlijn" in position.topic
    amount = parse_question("How much funding was allocated?")
    assert (amount.intent, amount.slot) == (Intent.FACTOID, Slot.AMOUNT)
    assert parse_question("What was discussed at the JHA Council?").intent == Intent.OVERVIEW
    assert parse_question("Which member states criticised it?").intent == Intent.AGGREGATION
    assert parse_question("Did the Netherlands support the pact?").intent == Intent.FACTCHECK
    premise = parse_question("Why did the Netherlands reject the pact?")
    assert premise.intent == Intent.FACTCHECK and premise.premise


def test_a_claim_with_a_tag_is_a_fact_check() -> None:
    for text in (
        "So the member states finally reached agreement on the pact, right?",
        "Pronk attached a Dutch translation of the press statement, didn't he?",
        "De Raad heeft het pact aangenomen, toch?",
    ):
        assert parse_question(text).intent == Intent.FACTCHECK, text
    assert parse_question("Which rights were discussed?").intent != Intent.FACTCHECK


def test_a_question_for_a_letters_sender_or_a_date() -> None:
    """ "Who signed ..." and "welke minister stuurde ..." ask for a letter's signature; "who said"
    does not. "On which date" asks for a date as "op welke datum" does."""
    for text in (
        "Who signed the letter on the Ecofin Council?",
        "Welke minister stuurde de agenda?",
        "Wie bood de Kamer het verslag van de Landbouwraad aan?",  # a Kamerbrief's own verb
        "Door wie werd de geannoteerde agenda aangeboden?",
        "Who submitted the report to the House?",
    ):
        assert parse_question(text).asks_sender, text
    assert not parse_question("Who said the pact was unbalanced?").asks_sender
    for text in (
        "On which date did the Council meet?",
        "Op welke datum kwam de Raad bijeen?",
        "Do we have the exact date of that meeting?",
        "Is de precieze datum bekend?",
    ):
        assert parse_question(text).slot == Slot.DATE, text


@pytest.mark.parametrize(
    ("sentence", "count"),
    [
        ("Partnerschappen met twintig tot vijfentwintig landen zijn cruciaal.", True),
        ("Er werden 12 voorstellen besproken.", True),
        ("Tien lidstaten steunden het voorstel.", True),
        ("Dat is winst ten opzichte van de eerdere poging onder de Commissie Juncker.", False),
        ("In 2020 sprak een lidstaat zich uit.", False),
        ("De raad stelde op 27 juni de regels vast.", False),
        ("Een enkele lidstaat sprak steun uit.", True),
    ],
)
def test_a_count_needs_a_number_other_than_a_year_an_article_or_dutch_ten(
    sentence: str, count: bool
) -> None:
    assert parse_question("How many asylum applications were lodged in 2020?").asks_count
    assert not parse_question("Hoeveel steun was er voor het voorstel?").asks_count
    assert has_number(sentence) is count


def test_language_detection() -> None:
    assert detect_language("which member states were critical of the progress report?") == "en"
    assert detect_language("Welke lidstaten waren kritisch over het voortgangsrapport?") == "nl"


def test_the_member_state_and_country_slots_allow_adjectives_not_verbs() -> None:
    for text, slot in (
        ("Welke zuidelijke en oostelijke lidstaten hadden kritiek?", Slot.MEMBER_STATE),
        ("Which other member states backed it?", Slot.MEMBER_STATE),
        ("Which North African countries were named?", Slot.COUNTRY),
        ("Welke derde landen werken niet mee?", Slot.COUNTRY),
        ("Can you name the countries? I need them for a note.", Slot.COUNTRY),
        ("And what did other member states want?", Slot.NONE),
        ("What were the member states critical of?", Slot.NONE),
    ):
        assert parse_question(text).slot == slot, text


def test_pushing_back_and_voting_against_are_opposition() -> None:
    from rag.vocab.cues import stance_of

    assert stance_of("Why did the Netherlands push back against the agreement?") == "opposes"
    assert stance_of("Waarom stemde Nederland tegen de verordening?") == "opposes"
    assert stance_of("Why did the Netherlands back the agreement?") == "supports"


def test_a_month_is_no_speaker_and_english_actors_are_searched_in_dutch() -> None:
    """ "What does the May 1993 consultation tell us?" names a month, not a person called May;
    BM25 searches an English question's actors by their Dutch names ("Spain": "Spanje")."""
    assert parse_question("What does the May 1993 consultation tell us about MPs?").actors == ()
    spain = parse_question("Why did Spain block the list of A items?")
    assert "Spanje" in spain.lexical_query
    assert "Spanje" not in parse_question("Waarom blokkeerde Spanje de lijst?").translated


@pytest.mark.parametrize(
    ("question", "amount"),
    [
        ("Hoeveel budget is er voor het vierde kaderprogramma uitgetrokken?", True),
        ("Wat is het totale budget van het kaderprogramma?", True),
        ("What share of caught fish is thrown back overboard?", True),
        ("How high was the compensatory aid agreed in April 1992?", True),
        ("Hoe hoog was de steun voor graantelers?", True),
        ("How high on the agenda was migration?", False),
        ("What did the Commission say about the budget?", False),
        ("Hoeveel lidstaten steunden het voorstel?", False),  # a count, not a sum
    ],
)
def test_questions_for_a_sum_or_a_share(question: str, amount: bool) -> None:
    assert parse_question(question).asks_amount is amount


@pytest.mark.parametrize(
    ("question", "asked", "excluded"),
    [
        ("Apart from the member states, who took the floor on item 2?", True, ("member_states",)),
        ("Wie voerden naast de Commissie het woord?", True, ("commission",)),
        ("Who took the floor on the interoperability item?", True, ()),
        ("Who spoke on behalf of the Commission about the pact?", False, ()),
    ],
)
def test_questions_for_every_speaker_of_an_item(
    question: str, asked: bool, excluded: tuple[str, ...]
) -> None:
    q = parse_question(question)
    assert (q.speakers_asked, q.excluded) == (asked, excluded)
    assert (q.intent == Intent.AGGREGATION) if asked else True
