"""Ingest's preparation is linear in text length, even for a text without newlines.

`python -m bench.linearity` prepares (parse, clean, metadata, structure, chunk; no embedding)
texts of one line at 150k, 300k and 600k characters, the fastest of three runs each, and prints
the time per size and the ratio per doubling. Linear work doubles (target < 2.6 per doubling); the
quadratic metadata reader fixed in 5edc39c measured x3.1 at 150k -> 300k and x5.5 at 400k -> 800k.

This was a timed test until a shared CI core measured x2.77 for linear code: a ratio of wall times
is a figure to print and read, not an assertion (the per-file time budget, RAG_FILE_SECONDS, is
what stops a pathological file at run time, and tests/test_ingest_robustness.py tests it).
"""

from __future__ import annotations

import argparse
import math
import random
import tempfile
import time
from pathlib import Path

RATIO_TARGET = 2.6
_WORDS = (
    "De Raad. besprak het voorstel van de Commissie, over migratie en Nederland steunde dit "
    "op 3 maart 2020 in de JBZ-Raad"
).split()


def no_newline_text(chars: int, seed: int = 1) -> str:
    """`chars` characters of report-like words, sentences and dates, without one newline."""
    rnd = random.Random(seed)
    return " ".join(rnd.choice(_WORDS) for _ in range(chars // 5))[:chars]


def prepare_seconds(path: Path, runs: int) -> float:
    """The fastest of `runs` preparations of `path` (the CPU may be shared)."""
    from ingest.pipeline import prepare
    from rag.core.config import Config

    config = Config.from_env({})
    best = float("inf")
    for _ in range(runs):
        t0 = time.perf_counter()
        prepare(path, path.read_bytes(), "x", config)
        best = min(best, time.perf_counter() - t0)
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="150000,300000,600000", help="characters, ascending")
    parser.add_argument("--runs", type=int, default=3, help="runs per size; the fastest counts")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        warm = Path(tmp) / "warm.txt"
        warm.write_text(no_newline_text(10_000))
        prepare_seconds(warm, 1)  # loads the tokenizer and Punkt once
        rows: list[tuple[int, float]] = []
        for size in sizes:
            path = Path(tmp) / f"{size}.txt"
            path.write_text(no_newline_text(size))
            rows.append((size, prepare_seconds(path, args.runs)))
    print("| characters | seconds | µs per 1k chars | ratio to previous (per doubling) |")
    print("|---|---|---|---|")
    worst = 0.0
    for i, (size, seconds) in enumerate(rows):
        ratio = ""
        if i:
            prev_size, prev_seconds = rows[i - 1]
            doublings = math.log2(size / prev_size)
            per_doubling = (seconds / prev_seconds) ** (1 / doublings)
            worst = max(worst, per_doubling)
            ratio = f"{per_doubling:.2f}"
        print(f"| {size:,} | {seconds:.3f} | {seconds / size * 1e9:.1f} | {ratio} |")
    verdict = "meets" if worst < RATIO_TARGET else "MISSES"
    print(f"\nworst ratio per doubling {worst:.2f}: {verdict} the target < {RATIO_TARGET}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
