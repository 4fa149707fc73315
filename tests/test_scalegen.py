"""Tests for bench.scalegen, the deterministic scale-corpus generator."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bench.scalegen import (
    DEFAULT_CORPUS,
    FORMATIONS,
    count_tokens,
    generate,
    load_sentences,
    main,
    render_report,
    reports_for_chunks,
)
from rag.core.errors import ConfigError

assert DEFAULT_CORPUS.is_dir(), f"sample corpus not found at {DEFAULT_CORPUS}"
TITLE = re.compile(
    r"\AVerslag van de bijeenkomst van de (?P<formation>.+), "
    r"(?P<day>\d{1,2}) (?P<month>[a-z]+) (?P<year>\d{4})\Z"
)


def title_of(text: str) -> re.Match[str]:
    line1, line2 = text.split("\n")[:2]
    match = TITLE.match(f"{line1} {line2}")
    assert match, text[:200]
    return match


def test_same_seed_gives_identical_bytes(tmp_path: Path) -> None:
    first = generate(tmp_path / "a", 5, seed=7)
    second = generate(tmp_path / "b", 5, seed=7)
    assert [p.name for p in first] == [p.name for p in second]
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(first, second, strict=True))


def test_different_seeds_differ(tmp_path: Path) -> None:
    a = generate(tmp_path / "a", 3, seed=0)
    b = generate(tmp_path / "b", 3, seed=1)
    assert all(x.read_bytes() != y.read_bytes() for x, y in zip(a, b, strict=True))


def test_prefix_stable_when_generating_more(tmp_path: Path) -> None:
    few = generate(tmp_path / "few", 2)
    many = generate(tmp_path / "many", 4)
    assert [p.read_bytes() for p in few] == [p.read_bytes() for p in many[:2]]


def test_reports_are_shaped_like_the_jbz_report(tmp_path: Path) -> None:
    paths = generate(tmp_path, 30, seed=3)
    titles = [title_of(p.read_text("utf-8")) for p in paths]
    assert {t["formation"] for t in titles} <= set(FORMATIONS)
    assert len({t["formation"] for t in titles}) >= 5
    years = {int(t["year"]) for t in titles}
    assert min(years) >= 1990 and max(years) <= 2025 and len(years) >= 10
    for path in paths:
        text = path.read_text("utf-8")
        assert text.split("\n")[2] == ""  # two-line title, then a blank line
        headings = re.findall(r"^(\d+)\. ", text, flags=re.M)
        assert headings == [str(n) for n in range(1, len(headings) + 1)] and len(headings) >= 4
        assert "\n\n" in text and "\n\n\n" not in text
        for block in text.split("\n\n")[1:]:
            if not re.match(r"\d+\. ", block):
                sentences = re.findall(r"[.!?](?:\s|$)", block)
                assert 3 <= len(sentences) <= 7 + 3, block  # abbreviations add a few ends


def test_actors_vary_across_reports(tmp_path: Path) -> None:
    text = "\n".join(p.read_text("utf-8") for p in generate(tmp_path, 40, seed=0))
    for actor in ("Nederland", "Duitsland", "Frankrijk", "de Commissie", "het voorzitterschap"):
        assert actor in text


def test_corpus_sentences_are_used(tmp_path: Path) -> None:
    pool = set(load_sentences())
    assert (
        "Een spoedige implementatie is van groot belang en vergt veel technische, personele "
        "en financiële inspanningen." in pool
    )
    text = generate(tmp_path, 1, seed=0)[0].read_text("utf-8")
    body = " ".join(text.split("\n\n")[1:]).replace("\n", " ")
    verbatim = [s for s in pool if s in body]
    assert len(verbatim) >= 20  # most sentences are copied as they are; some have actors swapped


def test_report_size_and_chunk_arithmetic() -> None:
    sentences = load_sentences()
    tokens = [count_tokens(render_report(i, sentences)) for i in range(5)]
    assert all(3000 <= t <= 5500 for t in tokens), tokens
    assert reports_for_chunks(10_000, 19.5) == 513
    assert reports_for_chunks(1, 19.5) == 1
    with pytest.raises(ValueError, match="positive"):
        reports_for_chunks(100, 0)


def test_missing_corpus_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="--corpus"):
        generate(tmp_path / "out", 1, corpus_dir=tmp_path / "nothing")
    assert not (tmp_path / "out").exists()


def test_cli_writes_reports(tmp_path: Path) -> None:
    assert main([str(tmp_path), "--reports", "2", "--seed", "4"]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report-00000.txt", "report-00001.txt"]
