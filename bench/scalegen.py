"""Deterministic scale-corpus generator for benchmarks.

This module owns turning the small sample corpus (`../shared/corpus`) into any number of plain-text
reports shaped like the 2020 JBZ report: a title wrapped over two lines ("Verslag van de
bijeenkomst van de <formation>, <d> <maand> <yyyy>"), numbered agenda-item headings and paragraphs
of 3-7 report sentences separated by blank lines. Formations, meeting dates (1990-2025), actors and
agenda titles vary per report.

Shortcuts taken on purpose: sentences are reused verbatim (only actor names are swapped), so the
text reads as real report prose but does not hang together; grammar after a swap may be slightly
off. Each report has its own RNG seeded with "<seed>:<index>", so the first N reports are the same
whatever the total, and the same seed gives byte-identical files.

One report is about 4,300 cl100k tokens (3,500-5,200), i.e. roughly 19 chunks of ~220 tokens;
`estimate_chunks_per_report()` measures it and `python -m bench.scalegen OUT --chunks 10000`
picks the number of reports from that.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import math
import random
import re
import textwrap
from collections.abc import Callable, Sequence
from pathlib import Path

from rag.core.errors import ConfigError
from rag.vocab.cues import MONTHS_NL

log = logging.getLogger(__name__)

# ../shared/corpus relative to the project root (see its SOURCES.md).
DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
TOKENS_PER_CHUNK = 220  # assumed average chunk size for sizing benchmarks
WRAP_WIDTH = 95  # line width of the text extracted from the JBZ PDF
FIRST_DAY, LAST_DAY = dt.date(1990, 1, 1), dt.date(2025, 12, 31)
MONTHS = MONTHS_NL

# Formation -> agenda titles that such a Council realistically discusses.
FORMATIONS: dict[str, tuple[str, ...]] = {
    "Raad van Justitie en Binnenlandse Zaken": (
        "Verordening ter voorkoming van de verspreiding van online terroristische inhoud",
        "Raadsconclusies inzake interne veiligheid",
        "Implementatie van interoperabiliteit",
        "Nieuw Migratie- en Asielpact",
        "Samenwerking met derde landen op het gebied van terugkeer",
        "Herziening van de Europol-verordening",
        "Stand van zaken Schengen",
        "Europees Openbaar Ministerie",
        "E-evidence",
    ),
    "Landbouw- en Visserijraad": (
        "Hervorming van het Gemeenschappelijk Landbouwbeleid",
        "Vaststelling van de landbouwprijzen",
        "Vangstmogelijkheden en quota voor het komende jaar",
        "Dierenwelzijn tijdens transport",
        "Marktsituatie in de zuivelsector",
        "Gemeenschappelijk Visserijbeleid",
        "Bestrijding van de Afrikaanse varkenspest",
    ),
    "Raad Buitenlandse Zaken": (
        "Betrekkingen met Turkije",
        "Oostelijk Partnerschap",
        "Situatie in het Midden-Oosten",
        "Handelsovereenkomsten met derde landen",
        "Externe dimensie van migratie",
        "Mensenrechtendialogen",
    ),
    "Ecofin-Raad": (
        "Stabiliteits- en groeipact",
        "Richtlijnen op het gebied van financiële dienstverlening",
        "Bankenunie",
        "Begroting van de Unie",
        "Bestrijding van belastingontwijking",
        "Economische en Monetaire Unie",
    ),
    "Algemene Raad": (
        "Voorbereiding van de Europese Raad",
        "Meerjarig Financieel Kader",
        "Uitbreiding en stabilisatie- en associatieproces",
        "Rechtsstatelijkheid in de Unie",
        "Werkprogramma van het inkomend voorzitterschap",
    ),
    "Milieuraad": (
        "Klimaatdoelstellingen voor 2030",
        "Circulaire economie",
        "Biodiversiteitsstrategie",
        "Luchtkwaliteit",
        "Voorbereiding van de klimaatconferentie",
    ),
    "Raad Concurrentievermogen": (
        "Kaderprogramma voor onderzoek en innovatie",
        "Regels voor deelneming en verspreiding van resultaten",
        "Interne markt voor diensten",
        "Industriebeleid",
    ),
    "Raad Werkgelegenheid en Sociaal Beleid": (
        "Richtlijn gelijke behandeling",
        "Detachering van werknemers",
        "Europese pijler van sociale rechten",
        "Coördinatie van sociale zekerheidsstelsels",
    ),
    "Raad Vervoer, Telecommunicatie en Energie": (
        "Interne energiemarkt",
        "Luchtvaart en het gemeenschappelijk Europees luchtruim",
        "Wegvervoer en rij- en rusttijden",
        "Trans-Europese netwerken",
    ),
}
# Replace "Nederland" consistently within one report.
COUNTRIES = (
    "Nederland", "Duitsland", "Frankrijk", "België", "Italië", "Spanje", "Polen", "Zweden",
    "Denemarken", "Oostenrijk", "Ierland", "Portugal", "Griekenland", "Finland", "Hongarije",
)  # fmt: skip
# Adjectives for the outgoing and incoming presidency ("Het Duitse Voorzitterschap").
PRESIDENCIES = (
    "Duitse", "Portugese", "Sloveense", "Franse", "Tsjechische", "Zweedse", "Spaanse", "Belgische",
    "Hongaarse", "Poolse", "Deense", "Cypriotische", "Ierse", "Litouwse", "Griekse", "Italiaanse",
    "Luxemburgse", "Nederlandse", "Britse", "Oostenrijkse", "Finse", "Kroatische", "Roemeense",
)  # fmt: skip

_HEADING_START = re.compile(r"\d+\.(\s|$)")  # "4. Nieuw Migratie- en Asielpact"
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z«\"(])")
_FOOTNOTE_LINE = re.compile(r"^\d{1,2} (Uw Kamer|Kamerstukken|Ter inzage|Samenstelling)")
_INITIALS = re.compile(r"\b[A-Z]\.\s?[A-Z]\.")
_SHOUTING = re.compile(
    r"\b[A-Z]{2,}\s[A-Z]{2,}\s[A-Z]{2,}\b"
)  # OCR'd letterheads, "VERSLAG VAN EEN"
_BOILERPLATE = (
    "ISSN",
    "nr. ",
    "Tweede Kamer",
    "Vergaderjaar",
    "Samenstelling",
    "Plv.",
    "Kamerstuk",
)


def _paragraphs(text: str) -> list[str]:
    """Undo PDF/OCR line wrapping and split off headings.

    A line is a heading when it has no end punctuation, is shorter than a wrapped body line
    (~95 characters in the JBZ PDF) and the next line starts a new sentence with a capital.
    """
    raw_lines = text.replace("\uf0b7", " ").splitlines()
    # Footnotes interrupt the running text; drop them. Keep whether a line ended in "-" with no
    # space after it: that is a word split across lines ("Covid-|19"), whereas "screening- |en"
    # is a real hyphen followed by a word.
    raw_lines = [raw for raw in raw_lines if not _FOOTNOTE_LINE.match(raw.strip())]
    split_word = [raw.endswith("-") for raw in raw_lines]
    lines = [raw.strip() for raw in raw_lines]
    paragraphs: list[str] = []
    current: list[str] = []
    for i, line in enumerate(lines):
        if not line:
            if current:
                paragraphs.append(" ".join(current))
                current = []
            continue
        if current and split_word[i - 1]:
            current[-1] += line
        else:
            current.append(line)
        following = next((n for n in lines[i + 1 :] if n), "")
        if (
            len(line) < 85
            and not line.endswith((".", ",", ";", ":", "?", "!", "-"))
            and following[:1].isupper()
        ):
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return paragraphs


def _usable(sentence: str) -> bool:
    words = sentence.split()
    return (
        6 <= len(words) <= 60
        and sentence.endswith((".", "?", "!"))
        and sentence.count("(") <= 2
        and not _INITIALS.search(sentence)
        and not _SHOUTING.search(sentence)
        and not any(marker in sentence for marker in _BOILERPLATE)
    )


def load_sentences(corpus_dir: Path = DEFAULT_CORPUS) -> list[str]:
    """Distinct report sentences of every *.txt under corpus_dir, in a stable order.

    >>> "Daar moet gevolg aan worden gegeven." in load_sentences()
    True
    """
    files = sorted(Path(corpus_dir).rglob("*.txt"))
    if not files:
        raise ConfigError(
            f"no .txt reports under {corpus_dir}; pass the sample corpus directory "
            "(../shared/corpus) with corpus_dir= or --corpus"
        )
    found: dict[str, None] = {}  # ordered set: the summary repeats full-text sentences
    for path in files:
        for paragraph in _paragraphs(path.read_text(encoding="utf-8")):
            for sentence in _SENTENCE_END.split(paragraph):
                sentence = re.sub(r"\s+", " ", sentence).strip()
                if _usable(sentence):
                    found.setdefault(sentence, None)
    return list(found)


def _actor_swapper(rng: random.Random) -> Callable[[str], str]:
    """Per-report actor mapping, so one report names its actors consistently."""
    country = rng.choice(COUNTRIES)
    outgoing, incoming = rng.sample(PRESIDENCIES, 2)
    swap_institutions = rng.random() < 0.5
    institutions = {"commissie": "voorzitterschap", "voorzitterschap": "commissie"}

    def institution(match: re.Match[str]) -> str:
        article, noun = match.group(1), match.group(2)
        new_noun = institutions[noun.lower()]
        new_article = "het" if new_noun == "voorzitterschap" else "de"
        if article[0].isupper():
            new_article = new_article.capitalize()
        return f"{new_article} {new_noun.capitalize() if noun[0].isupper() else new_noun}"

    def swap(sentence: str) -> str:
        sentence = re.sub(r"\bNederland\b", country, sentence)
        sentence = re.sub(r"\b(Duitse)(?= [Vv]oorzitterschap)", outgoing, sentence)
        sentence = re.sub(r"\b(Portuge(?:s|z)e?)(?= [Vv]oorzitterschap)", incoming, sentence)
        if swap_institutions:
            pattern = r"\b([Dd]e|[Hh]et) ([Cc]ommissie|[Vv]oorzitterschap)\b"
            sentence = re.sub(pattern, institution, sentence)
        return sentence

    return swap


def _title_lines(title: str) -> str:
    """Wrap the title over two lines at the word boundary nearest its middle, as in the PDF."""
    words = title.split()
    middle = len(title) / 2
    best = min(range(1, len(words)), key=lambda i: abs(len(" ".join(words[:i])) - middle))
    return " ".join(words[:best]) + "\n" + " ".join(words[best:])


def _wrap(paragraph: str) -> str:
    """Wrap like the PDF text, but never start a line with "1993. ", which reads as a heading."""
    lines = textwrap.wrap(paragraph, WRAP_WIDTH, break_on_hyphens=False, break_long_words=False)
    out: list[str] = []
    for line in lines:
        while out and _HEADING_START.match(line):
            token, _, line = line.partition(" ")
            out[-1] += " " + token
        if line:
            out.append(line)
    return "\n".join(out)


def render_report(index: int, sentences: Sequence[str], seed: int = 0) -> str:
    """The text of report number `index`; depends only on (seed, index, sentences)."""
    rng = random.Random(f"{seed}:{index}")  # str seeds hash with SHA-512: stable across runs
    formation = rng.choice(sorted(FORMATIONS))
    date = FIRST_DAY + dt.timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days + 1))
    swap = _actor_swapper(rng)
    title = (
        f"Verslag van de bijeenkomst van de {formation}, "
        f"{date.day} {MONTHS[date.month - 1]} {date.year}"
    )
    agenda = rng.sample(FORMATIONS[formation], k=min(len(FORMATIONS[formation]), rng.randint(5, 7)))
    blocks = [_title_lines(title)]
    # A character budget rather than a paragraph count keeps reports at 3,000-5,000 tokens
    # (Dutch report prose runs at ~3.5 characters per cl100k token).
    item_budget = rng.randint(10_500, 13_500) / len(agenda)
    for number, item in enumerate(agenda, start=1):
        blocks.append(f"{number}. {item}")
        written = 0
        while written < item_budget:
            paragraph = " ".join(swap(rng.choice(sentences)) for _ in range(rng.randint(3, 7)))
            written += len(paragraph)
            blocks.append(_wrap(paragraph))
    return "\n\n".join(blocks) + "\n"


def generate(
    out_dir: Path, n_reports: int, seed: int = 0, corpus_dir: Path = DEFAULT_CORPUS
) -> list[Path]:
    """Write n_reports files report-00000.txt ... into out_dir and return their paths.

    File names carry no metadata on purpose: real users' files do not either.
    """
    if n_reports < 0:
        raise ValueError(f"n_reports must be >= 0, got {n_reports}")
    sentences = load_sentences(corpus_dir)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(n_reports):
        path = out_dir / f"report-{index:05d}.txt"
        # newline="\n" so the bytes are identical on every platform
        with path.open("w", encoding="utf-8", newline="\n") as handle:
            handle.write(render_report(index, sentences, seed))
        paths.append(path)
    log.info("wrote %d reports to %s", n_reports, out_dir)
    return paths


def count_tokens(text: str) -> int:
    """cl100k tokens, via llama-index's bundled tiktoken encoding (works offline)."""
    from llama_index.core.utils import get_tokenizer  # heavy import, only when measuring

    return len(get_tokenizer()(text))


def estimate_chunks_per_report(
    seed: int = 0,
    sample: int = 20,
    tokens_per_chunk: int = TOKENS_PER_CHUNK,
    corpus_dir: Path = DEFAULT_CORPUS,
) -> float:
    """Average tokens of `sample` generated reports divided by tokens_per_chunk."""
    sentences = load_sentences(corpus_dir)
    tokens = [count_tokens(render_report(i, sentences, seed)) for i in range(sample)]
    return sum(tokens) / len(tokens) / tokens_per_chunk


def reports_for_chunks(target_chunks: int, chunks_per_report_estimate: float) -> int:
    """Number of reports needed for about target_chunks chunks (at least 1).

    >>> reports_for_chunks(10_000, 18.0)
    556
    """
    if chunks_per_report_estimate <= 0:
        raise ValueError("chunks_per_report_estimate must be positive")
    return max(1, math.ceil(target_chunks / chunks_per_report_estimate))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.scalegen", description="Generate a deterministic scale corpus."
    )
    parser.add_argument("out_dir", type=Path)
    size = parser.add_mutually_exclusive_group(required=True)
    size.add_argument("--chunks", type=int, help=f"target chunks of ~{TOKENS_PER_CHUNK} tokens")
    size.add_argument("--reports", type=int, help="number of reports to write")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="sample corpus dir")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    try:
        n = args.reports
        if n is None:
            per_report = estimate_chunks_per_report(args.seed, corpus_dir=args.corpus)
            n = reports_for_chunks(args.chunks, per_report)
            log.info(
                "~%.1f chunks per report -> %d reports for %d chunks", per_report, n, args.chunks
            )
        generate(args.out_dir, n, args.seed, args.corpus)
    except ConfigError as exc:
        parser.exit(2, f"error: {exc}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
