"""The answer core with hand-made vectors: fusion and the actor boost, sentence scoring, selection,
composition and every abstention check, each asserted exactly.

A real embedded Chroma store holds the chunks (with 3-d vectors written by hand), a small fake
embedder returns hand-made query vectors, and `Question`s are built by hand where a check needs a
precise one. The real-model tests (tests/test_answers.py) stay beside these.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from rag.answer.checks import (
    CHECKS,
    Evidence,
    absent_actor,
    actor_elsewhere,
    cover_letter,
    first_failure,
    name_elsewhere,
    no_amount,
    no_count,
    off_topic,
    on_topic,
    silent_actor,
    unknown_name,
    weak,
)
from rag.answer.extractive import compose
from rag.answer.question import Question, parse_question
from rag.answer.retrieve import RRF_K, RetrievalSettings, Retriever
from rag.answer.scoring import ExtractiveSettings, ScoredSentence, score_sentences, select
from rag.core.embedders import Embedder
from rag.core.lexical import analyse
from rag.core.models import Chunk, DocumentRecord, Hit, ReportMeta
from rag.core.store import SentenceVectors, Store
from rag.vocab.actors import ACTORS
from tests.conftest import config_for

NL = next(a for a in ACTORS if a.key == "nl")
ITALY = next(a for a in ACTORS if a.key == "italy")
META = ReportMeta(title="Verslag JBZ-Raad", doc_type="verslag", formation="JBZ-Raad")
TEXTS = {
    "a": "De Commissie presenteerde het voortgangsrapport over het Pact.",
    "b": "Nederland benadrukte het belang van de Terugkeerrichtlijn voor de lidstaten.",
    "c": "De Raad sprak over de visserij en over de quota voor kabeljauw.",
}
VECTORS = {"a": [1.0, 0.0, 0.0], "b": [0.8, 0.6, 0.0], "c": [0.0, 0.0, 1.0]}


class HandEmbedder(Embedder):
    """Queries get the vector the test wrote for them; passages are never embedded here."""

    name = "hand-3d"
    dim = 3

    def __init__(self, queries: dict[str, list[float]]) -> None:
        self.queries = queries

    def _embed_documents(self, texts: list[str]) -> np.ndarray:
        raise AssertionError("passages carry hand-made vectors in these tests")

    def _embed_query(self, text: str) -> np.ndarray:
        return np.asarray(self.queries[text], dtype=np.float32)


def _chunk(
    key: str, index: int = 0, meta: ReportMeta = META, section: str = "4. Migratie"
) -> Chunk:
    text = TEXTS[key]
    return Chunk(key, "d1", text, section, (index + 1,), 100 * index, 100 * index + len(text),
                 index, meta, "/reports/d1.txt", ((0, len(text)),))  # fmt: skip


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(config_for(tmp_path / "store"))
    s.check_embedder("hand-3d", 3, claim=True)
    chunks = [_chunk(k, i) for i, k in enumerate(TEXTS)]
    record = DocumentRecord("d1", "/reports/d1.txt", META, 3, 3, ("4. Migratie",), "h")
    s.put_document(record, "".join(t.ljust(100) for t in TEXTS.values()))  # chunk i at 100*i
    s.add_chunks(chunks, np.array([VECTORS[k] for k in TEXTS], dtype=np.float32))
    return s


def _retrieve(store: Store, question: str, vector: list[float], **settings: float) -> list[Hit]:
    retriever = Retriever(
        store,
        HandEmbedder({question: vector}),
        RetrievalSettings(**settings),  # type: ignore[arg-type]
    )
    return retriever.retrieve(parse_question(question), 3)


def test_fusion_is_reciprocal_rank_fusion_of_dense_and_bm25(store: Store) -> None:
    # Dense ranks a, b, c; only b contains the query's one content word.
    hits = _retrieve(store, "Wat zei men over de terugkeerrichtlijn?", [1.0, 0.0, 0.0])
    assert [h.chunk.id for h in hits] == ["b", "a", "c"]
    assert [(h.dense_rank, h.lexical_rank) for h in hits] == [(2, 1), (1, None), (3, None)]
    assert hits[0].score == pytest.approx(1 / (RRF_K + 2) + 1 / (RRF_K + 1))
    assert hits[1].score == pytest.approx(1 / (RRF_K + 1))
    dense_only = _retrieve(
        store, "Wat zei men over de terugkeerrichtlijn?", [1.0, 0.0, 0.0], lexical_weight=0.0
    )
    assert [h.chunk.id for h in dense_only] == ["a", "b", "c"]


def test_the_actor_boost_lifts_the_passage_where_the_actor_speaks(store: Store) -> None:
    question = "Wat zei Nederland?"
    boosted = _retrieve(store, question, [1.0, 0.0, 0.0], lexical_weight=0.0)
    assert [h.chunk.id for h in boosted] == ["b", "a", "c"]
    assert boosted[0].score == pytest.approx(1 / (RRF_K + 2) + 0.25 / (RRF_K + 1))
    plain = _retrieve(store, question, [1.0, 0.0, 0.0], lexical_weight=0.0, actor_boost=0.0)
    assert [h.chunk.id for h in plain] == ["a", "b", "c"]


def test_sentence_score_is_cosine_plus_rank_prior_terms_and_actor_role() -> None:
    text = TEXTS["b"] + " " + TEXTS["a"]
    cut = len(TEXTS["b"])
    chunk = replace(_chunk("a"), text=text, sentence_spans=((0, cut), (cut + 1, len(text))))
    record = SentenceVectors(
        ((0, cut, 3), (cut + 1, len(text), 4)),
        np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]], dtype=np.float32),
    )
    q = parse_question("Wat zei de Commissie over het voortgangsrapport?")
    assert set(q.terms) == {*analyse("Commissie"), *analyse("voortgangsrapport")}
    s = ExtractiveSettings()
    scored = score_sentences(q, [Hit(chunk, 1.0)], {"a": record}, np.array([0.6, 0.8, 0.0]), s)
    assert [x.text for x in scored] == [TEXTS["a"], TEXTS["b"]]
    # cosine + prior of rank 0 + all question terms + the Commission speaks
    assert scored[0].score == pytest.approx(0.8 + s.rank_weight + s.term_weight + s.speaker_bonus)
    assert scored[0].role == 2 and scored[0].page == 4
    # cosine + prior, no terms, the Commission absent
    assert scored[1].score == pytest.approx(0.6 + s.rank_weight - s.absent_penalty)


def _s(rank: int, score: float, text: str, role: int = -1, start: int = 0) -> ScoredSentence:
    return ScoredSentence(rank, start, start + len(text), 1, score, text, role)


def test_selection_keeps_the_best_passage_within_the_margin_without_repeats() -> None:
    settings = ExtractiveSettings(sentences=3, margin=0.05, other_margin=0.0)
    scored = [
        _s(0, 0.90, "Nederland benadrukte het belang van de richtlijn."),
        _s(1, 0.89, "Een andere passage noemt iets vergelijkbaars over de richtlijn."),
        _s(0, 0.88, "Nederland benadrukte het belang van de richtlijn."),  # a repeat
        _s(0, 0.87, "De Commissie zegde toe de voorstellen snel uit te werken."),
        _s(0, 0.84, "Dit ligt buiten de marge van de beste zin."),
    ]
    assert [(c.hit_rank, c.score) for c in select(scored, settings)] == [(0, 0.90), (0, 0.87)]
    # A question about an actor quotes the actor's own sentences when there are any.
    roles = [_s(0, 0.9, "Zin één over het onderwerp.", 0), _s(0, 0.86, "Nederland sprak.", 2)]
    assert [c.role for c in select(roles, settings)] == [2]


def test_composition_numbers_cited_passages_first_and_groups_per_agenda_item() -> None:
    hits = [
        Hit(_chunk("a", 0), 0.3),
        Hit(_chunk("b", 1), 0.2),
        Hit(_chunk("c", 2, section="5. Visserij"), 0.1),
    ]
    chosen = [_s(2, 0.9, TEXTS["c"]), _s(0, 0.88, TEXTS["a"])]
    q = parse_question("Wat werd er besproken?")
    text, citations = compose(q, hits, chosen, k=3, abstained=False)
    assert [(c.n, c.doc_id, c.section) for c in citations] == [
        (1, "d1", "5. Visserij"),
        (2, "d1", "4. Migratie"),
        (3, "d1", "4. Migratie"),
    ]
    assert text.splitlines() == [
        "Uit de verslagen:",
        "",
        "**De JBZ-Raad, agendapunt 5 (Visserij):**",
        f"- {TEXTS['c']} [1]",
        "",
        "**De JBZ-Raad, agendapunt 4 (Migratie):**",
        f"- {TEXTS['a']} [2]",
    ]
    # The cited sentence's offsets in the document, for highlighting.
    assert (citations[0].char_start, citations[0].char_end) == (200, 200 + len(TEXTS["c"]))


def _evidence(
    q: Question,
    keys: tuple[str, ...] = ("a", "b"),
    best: ScoredSentence | None = None,
    meta: ReportMeta = META,
    vocabulary: set[str] | None = None,
) -> Evidence:
    hits = [Hit(_chunk(k, i, meta), 1.0 - i / 10) for i, k in enumerate(keys)]
    scored = [best or _s(0, 0.9, TEXTS[keys[0]])]
    settings = ExtractiveSettings()
    return Evidence(q, hits, scored, settings, vocabulary, on_topic(q, hits, settings.passages))


def test_weak_evidence_uses_the_threshold_of_the_question_language() -> None:
    s = ExtractiveSettings()
    nl, en = Question("vraag", "nl"), Question("question", "en")
    between = (s.abstain_below + s.abstain_below_en) / 2  # under the Dutch, over the English one
    assert weak(_evidence(nl, best=_s(0, between, TEXTS["a"]))) == ""
    assert weak(_evidence(en, best=_s(0, between, TEXTS["a"]))) is None


def test_an_actor_that_no_passage_mentions() -> None:
    assert absent_actor(_evidence(Question("Wat zei Italië?", "nl", actors=(ITALY,)))) == "Italië"
    assert absent_actor(_evidence(Question("What did the Dutch say?", "en", actors=(NL,)))) is None


def test_a_cover_letter_cannot_say_what_was_decided() -> None:
    q = Question("Wat besloot de Raad?", "nl", asks_decision=True)
    letter = replace(META, doc_type="brief")
    assert cover_letter(_evidence(q, meta=letter)) == ""
    assert cover_letter(_evidence(q)) is None
    assert cover_letter(_evidence(replace(q, asks_decision=False), meta=letter)) is None


def test_an_actor_silent_on_the_topic() -> None:
    speaks = _s(1, 0.9, TEXTS["b"], role=2)
    on_return = Question(
        "Wat zei Nederland over de Terugkeerrichtlijn?",
        "nl",
        actors=(NL,),
        asks_position=True,
        topic=tuple(analyse("Terugkeerrichtlijn")),
    )
    vocabulary = set(analyse(" ".join(TEXTS.values())))
    assert silent_actor(_evidence(on_return, best=speaks, vocabulary=vocabulary)) is None
    on_fish = replace(on_return, topic=tuple(analyse("kabeljauw")))
    assert silent_actor(_evidence(on_fish, best=speaks, vocabulary=vocabulary)) == "Nederland"


def test_count_and_amount_questions_need_a_number_or_a_sum() -> None:
    count = Question("Hoeveel lidstaten?", "nl", asks_count=True)
    assert no_count(_evidence(count)) == ""
    assert no_count(_evidence(count, best=_s(0, 0.9, "Twaalf lidstaten steunden dit."))) is None
    amount = Question("How much funding?", "en", asks_amount=True)
    assert no_amount(_evidence(amount, best=_s(0, 0.9, "Twaalf lidstaten steunden."))) == ""
    assert no_amount(_evidence(amount, best=_s(0, 0.9, "Er is 5 miljoen euro nodig."))) is None


def test_an_english_question_whose_subject_no_passage_covers() -> None:
    quota = Question("What milk quota?", "en", concepts=(("milk", "melk melkproduktie"),))
    assert off_topic(_evidence(quota, keys=("c",))) == "“milk”"
    fish = Question("What fishing quota?", "en", concepts=(("fishing", "visserij"),))
    assert off_topic(_evidence(fish, keys=("c",))) is None


def test_a_name_that_occurs_in_no_passage() -> None:
    dsa = Question("Wat over de DSA?", "nl", names=(("Digital Services Act", ("Digital",)),))
    assert unknown_name(_evidence(dsa)) == "“Digital Services Act”"
    pact = Question("Wat over het Pact?", "nl", names=(("Pact", ("Pact",)),))
    assert unknown_name(_evidence(pact)) is None


def test_a_name_the_reports_hold_elsewhere_is_not_said_to_be_missing() -> None:
    q = Question("Wat zei Reynders?", "nl", names=(("Reynders", ("Reynders",)),))
    elsewhere = _evidence(q, vocabulary={*analyse("Commissaris Reynders"), "asielpact"})
    assert unknown_name(elsewhere) is None and name_elsewhere(elsewhere) == "“Reynders”"
    nowhere = _evidence(q, vocabulary={"asielpact"})
    assert unknown_name(nowhere) == "“Reynders”" and name_elsewhere(nowhere) is None
    pact = Question("Wat over het Pact?", "nl", names=(("Pact", ("Pact",)),))
    compound = _evidence(pact, keys=("c",), vocabulary={"asielpact"})  # inside a compound
    assert unknown_name(compound) is None and name_elsewhere(compound) == "“Pact”"


def test_an_actor_the_reports_name_elsewhere_is_not_said_to_be_missing() -> None:
    """ "No passage mentions Italy" only when no report does; else the matching passages don't."""
    q = Question("Wat zei Italië?", "nl", actors=(ITALY,))
    elsewhere = _evidence(q, vocabulary={*analyse("Italië"), "asielpact"})
    assert absent_actor(elsewhere) is None and actor_elsewhere(elsewhere) == "Italië"
    nowhere = _evidence(q, vocabulary={"asielpact"})
    assert absent_actor(nowhere) == "Italië" and actor_elsewhere(nowhere) is None
    assert first_failure(CHECKS, elsewhere) == (
        "actor_elsewhere",
        "de passages die bij deze vraag passen noemen Italië niet",
    )


def test_the_first_failing_row_gives_the_reason_in_the_question_language() -> None:
    q = Question("Wat zei Italië?", "nl", actors=(ITALY,), asks_count=True)
    assert first_failure(CHECKS, _evidence(q)) == ("actor", "geen passage noemt Italië")
    weak_too = _evidence(q, best=_s(0, 0.1, TEXTS["a"]))
    assert first_failure(CHECKS, weak_too)[0] == "weak"
    assert first_failure(CHECKS, _evidence(Question("Wat?", "en"))) == ("", "")
    assert {c.name for c in CHECKS} >= {"weak", "actor", "cover", "position", "count", "name"}
    assert all(set(c.reason) == {"nl", "en"} for c in CHECKS)


def test_an_llm_answer_citing_a_low_confidence_ocr_page_carries_a_warning() -> None:
    from rag.answer.assistant import _ocr_warnings

    scanned = replace(_chunk("a"), ocr_confidence=((1, 0.62),))
    clean = replace(_chunk("b", 1), ocr_confidence=((2, 0.95),))
    hits = [Hit(scanned, 1.0), Hit(clean, 0.9)]
    cite = compose(parse_question("What was said?"), hits, [], 2, True)[1]
    assert _ocr_warnings(cite, hits, "en") == (
        "[1] OCR text, confidence 62%: check the scan, p. 1",
    )


def test_english_quotes_from_an_english_document_are_not_called_dutch() -> None:
    english = replace(META, language="en")
    hits = [Hit(replace(_chunk("a"), meta=english), 1.0)]
    text, _ = compose(parse_question("What was said?"), hits, [_s(0, 0.9, TEXTS["a"])], 1, False)
    assert text.splitlines()[0] == "From the reports:"
    dutch, _ = compose(parse_question("What was said?"), [Hit(_chunk("a"), 1.0)],
                       [_s(0, 0.9, TEXTS["a"])], 1, False)  # fmt: skip
    assert dutch.splitlines()[0] == "From the reports (quoted in Dutch):"


def test_a_verdict_reads_only_the_asked_actors_own_statements() -> None:
    """ "Was the Netherlands critical of ...?" is not contradicted by the member states' support for
    something else in the same item: only statements in which an asked actor speaks count."""
    from rag.answer.positions import verdict

    q = parse_question("Was Nederland kritisch over de Raadsconclusies?")

    def said(text: str) -> ScoredSentence:
        return ScoredSentence(0, 0, len(text), 1, 0.9, text)

    others = [said("Het merendeel van de lidstaten steunde de monitoring door COSI.")]
    assert verdict(q, others) == ""
    own = [*others, said("Nederland steunde de Raadsconclusies.")]
    assert verdict(q, own) == "contradicted"


def test_a_dutch_question_takes_the_bm25_first_passage_among_the_near_best() -> None:
    """Among sentences within `lexical_band_nl` of the best, the passage BM25 ranks first leads;
    an agenda item's own text before the report's summary; scores stay; English is untouched."""
    from rag.answer.scoring import _lexical_first

    summary = _chunk("b", section="Belangrijkste resultaten – Migratie")
    hits = [Hit(_chunk("a"), 1.0, 0, 2), Hit(_chunk("b"), 0.9, 1, 0), Hit(summary, 0.8, 2, 1)]

    def s(rank: int, score: float) -> ScoredSentence:
        return ScoredSentence(rank, 0, 5, 1, score, "tekst")

    scored = [s(0, 0.90), s(2, 0.89), s(1, 0.87), s(0, 0.80)]
    out = _lexical_first(scored, hits, 0.05)
    assert [(x.hit_rank, x.score) for x in out] == [(1, 0.87), (0, 0.90), (2, 0.89), (0, 0.80)]
    assert _lexical_first(scored, hits, 0.01) == [scored[0], scored[1], scored[2], scored[3]]


def test_a_members_questions_after_his_opening_sentence_are_his_turn() -> None:
    # The real paragraph of the 31 January 1991 consultation report: only the first sentence
    # names Lonink; the questions after it are his, up to the paragraph's end.
    from rag.answer.turns import turn_roles
    from rag.core.sentences import sentence_spans
    from rag.vocab.actors import find_actors
    from tests.conftest import SGD

    text = next(SGD.glob("1991-03-11_*.txt")).read_text("utf-8")
    start = text.index("De heer Lonink (P.v.d.A.) miste")
    end = text.index("\n", start) + 1
    paragraph = text[start:end] + "De heer Van Middelkoop vroeg naar de Golf. Hij wilde meer weten."
    spans = sentence_spans(paragraph)
    lonink = find_actors("Wat vroeg Lonink over Joegoslavië?")
    roles = dict(
        zip((paragraph[a:b].strip() for a, b in spans), turn_roles(paragraph, spans, lonink))
    )
    assert (
        roles[
            "De heer Lonink (P.v.d.A.) miste in het verslag een rapportage over de stand "
            "van zaken in de GATT-Uruguay ronde."
        ]
        == 2
    )
    joegoslavie = next(s for s in roles if s.startswith("In hoeverre is het Nederlandse standpunt"))
    assert roles[joegoslavie] == 2
    # The next paragraph is another member's turn, and his "Hij" is not Lonink's.
    assert roles["De heer Van Middelkoop vroeg naar de Golf."] == 0
    assert roles["Hij wilde meer weten."] == 0
