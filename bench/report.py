"""`make bench`: run every benchmark and the evaluation, and write docs/benchmarks.md from them.

    python -m bench.report [--corpus ../shared/corpus] [--out docs/benchmarks.md]
                           [--outputs data/bench-out] [--only ingest,query,ui,eval] [--assemble]

Each part runs as its own process with the same command as its make target, and its raw output is
kept in `--outputs` (ingest.md, query.json, ui.txt, eval.json, parts.json): ingest throughput
(bench.ingest_bench, whose Markdown table is parsed), query latency (bench.query_bench --json-out),
the browser latency (bench.ui_latency, when that file exists) and the evaluation
(`python -m rag.eval ... --json`, with the stock baselines) over a store of the corpus built by
the real ingest into data/bench-cache/corpus-store. `--assemble` only rewrites the report from
the outputs of an earlier run. A part that fails is reported as failed; the others still run.
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import subprocess
import sys
import time
from pathlib import Path

from bench.machine import describe, load_average, machine_info
from rag.core.config import PROJECT_DIR

log = logging.getLogger("bench.report")

PARTS = ("ingest", "query", "ui", "eval")
CORPUS_STORE = PROJECT_DIR / "data" / "bench-cache" / "corpus-store"
QUESTIONS = (
    "eval/dev_questions.jsonl",
    "eval/heldout_questions.jsonl",
    "eval/test_questions.jsonl",
    "eval/final_questions.jsonl",
)
SET_LABELS = {
    "dev": "development set (the thresholds and weights were tuned on it)",
    "heldout": "held-out set (written by a second author after tuning; since used for diagnosis)",
    "test": "test set (written third; the README gives its first, untouched run)",
    "final": "final set (written last; the README gives its first, untouched run)",
}


def commands(corpus: Path, outputs: Path) -> dict[str, list[list[str]]]:
    """The commands of each part, as run (relative to the project directory)."""
    store = str(CORPUS_STORE.relative_to(PROJECT_DIR))
    py = "python"
    return {
        "ingest": [[py, "-m", "bench.ingest_bench", "--corpus", str(corpus)]],
        "query": [[py, "-m", "bench.query_bench", "--json-out", str(outputs / "query.json")]],
        "ui": [
            [py, "-m", "ingest", str(corpus), "--store", store, "--quiet"],
            [py, "-m", "bench.ui_latency", "--store", store],
        ],
        "eval": [
            [py, "-m", "ingest", str(corpus), "--store", store, "--quiet"],
            [py, "-m", "rag.eval", *QUESTIONS, "--store", store, "--json", "--corpus", str(corpus)],
        ],
    }


OUTPUT_FILE = {"ingest": "ingest.md", "query": "query.md", "ui": "ui.txt", "eval": "eval.json"}


def run_part(name: str, cmds: list[list[str]], outputs: Path) -> dict[str, object]:
    """Run a part's commands in order; the last one's stdout goes to its output file."""
    record: dict[str, object] = {
        "part": name,
        "commands": [" ".join(c) for c in cmds],
        "load_average_before": load_average(),
    }
    if name == "ui" and not (PROJECT_DIR / "bench" / "ui_latency.py").exists():
        return record | {"status": "skipped", "note": "bench/ui_latency.py does not exist"}
    t0 = time.perf_counter()
    for i, cmd in enumerate(cmds):
        log.info("running: %s", " ".join(cmd))
        argv = [sys.executable, *cmd[1:]] if cmd[0] == "python" else cmd
        # stderr goes to the terminal (progress); stdout is the part's output
        done = subprocess.run(argv, cwd=PROJECT_DIR, stdout=subprocess.PIPE, text=True)
        if i == len(cmds) - 1:
            (outputs / OUTPUT_FILE[name]).write_text(done.stdout, encoding="utf-8")
        if done.returncode != 0:
            status = "targets missed" if name in ("ingest", "query") and done.stdout else "failed"
            record.update(status=status, returncode=done.returncode, failed_command=" ".join(cmd))
            if status == "failed":
                break
        else:
            record.setdefault("status", "ok")
    record["seconds"] = round(time.perf_counter() - t0, 1)
    record["load_average_after"] = load_average()
    return record


# -- assembling ---------------------------------------------------------------------------------
def parse_markdown_table(text: str) -> list[dict[str, str]]:
    """Rows of the first Markdown table in `text` as {header: cell}.

    >>> parse_markdown_table("| a | b |\\n|---|---|\\n| 1 | 2 |")
    [{'a': '1', 'b': '2'}]
    """
    rows: list[list[str]] = []
    for line in text.splitlines():
        if line.startswith("|"):
            rows.append([c.strip() for c in line.strip().strip("|").split("|")])
        elif rows:
            break
    if len(rows) < 2:
        return []
    return [dict(zip(rows[0], r)) for r in rows[2:]]


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8") if path.exists() else ""


def ingest_section(outputs: Path) -> list[str]:
    text = _read(outputs / "ingest.md")
    rows = parse_markdown_table(text)
    if not rows:
        return ["No ingest figures (the part failed or has not run: `make bench`)."]
    title = next((ln.lstrip("# ") for ln in text.splitlines() if ln.startswith("#")), "")
    lines = [title, "", "| measure | value | target |", "|---|---|---|"]
    lines += [f"| {r.get('measure')} | {r.get('value')} | {r.get('target')} |" for r in rows]
    machine = next((ln for ln in text.splitlines() if ln.startswith("Machine:")), "")
    return lines + (["", machine] if machine else [])


def query_section(outputs: Path) -> list[str]:
    path = outputs / "query.json"
    if not path.exists():
        return ["No query figures (the part failed or has not run: `make bench`)."]
    from bench.query_bench import markdown

    return [markdown(json.loads(path.read_text(encoding="utf-8")))]


def ui_section(outputs: Path, part: dict[str, object] | None) -> list[str]:
    if part and part.get("status") == "skipped":
        return [f"Skipped: {part.get('note')}."]
    text = _read(outputs / "ui.txt").strip()
    if not text:
        return ["No figures (the part failed or has not run: `make bench`)."]
    summary = [ln for ln in text.splitlines() if ln.startswith("time to first answer")]
    return [*(f"**{s}**" for s in summary), "", "```", text, "```"]


def eval_section(outputs: Path) -> list[str]:
    from rag.answer.eval.metrics import format_table

    raw = _read(outputs / "eval.json")
    try:
        result = json.loads(raw)
    except ValueError:
        return ["No evaluation figures (the part failed or has not run: `make bench`)."]
    # One question file gives {system: {lang: figures}}; several give {set: {system: ...}}.
    sets = result if all(name in SET_LABELS for name in result) else {"dev": result}
    lines = [
        "Our assistant beside the stock baselines measured in the same run (llama-index defaults: "
        "SentenceSplitter 1024/200, top-2; BM25 alone over our chunks). Over the real corpus, "
        "with the store built by `python -m ingest`.",
    ]
    for set_name, systems in sets.items():
        label = SET_LABELS.get(set_name, set_name)
        lines += ["", f"### {label[:1].upper()}{label[1:]}"]
        for lang, label in (("all", "all questions"), ("en", "English"), ("nl", "Dutch")):
            lines += ["", f"#### {set_name}: {label}", ""]
            lines.append(format_table({name: figures[lang] for name, figures in systems.items()}))
    return lines


def assemble(outputs: Path, corpus: Path) -> str:
    parts_path = outputs / "parts.json"
    parts = json.loads(_read(parts_path)) if parts_path.exists() else {}
    info = parts.get("machine") or machine_info()
    started = parts.get("started") or "(no parts.json: assembled from existing outputs)"
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (`python -m bench.report`); do not edit by hand. Raw outputs of "
        f"the run are in `{outputs.relative_to(PROJECT_DIR) if outputs.is_relative_to(PROJECT_DIR) else outputs}`.",
        "",
        f"Run started {started}. Machine: {describe(info)} (load at the start of the run; each "
        "part notes its own). The machine may be shared with other jobs, so compare figures "
        "with the load average beside them.",
        "",
        "| part | command(s) | status | seconds | load avg before -> after |",
        "|---|---|---|---|---|",
    ]
    for name in PARTS:
        p = parts.get("parts", {}).get(name)
        if not p:
            continue
        cmds = "<br>".join(f"`{c}`" for c in p.get("commands", []))
        load = (
            "/".join(f"{x:.1f}" for x in p.get("load_average_before", []))
            + " -> "
            + "/".join(f"{x:.1f}" for x in p.get("load_average_after", []))
        )
        lines.append(f"| {name} | {cmds} | {p.get('status')} | {p.get('seconds', '-')} | {load} |")
    lines += ["", "## Ingest throughput (`make bench-ingest`)", ""]
    lines += ingest_section(outputs)
    lines += ["", "## Query latency (`make bench-query`)", ""]
    lines += query_section(outputs)
    lines += ["", "## Browser latency (`python -m bench.ui_latency`)", ""]
    lines += ui_section(outputs, parts.get("parts", {}).get("ui"))
    lines += ["", f"## Answer quality (`python -m rag.eval {' '.join(QUESTIONS)}`)", ""]
    lines += eval_section(outputs)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.report", description=__doc__.split("\n")[0])
    p.add_argument("--corpus", type=Path, default=PROJECT_DIR.parent / "shared" / "corpus")
    p.add_argument("--out", type=Path, default=PROJECT_DIR / "docs" / "benchmarks.md")
    p.add_argument("--outputs", type=Path, default=PROJECT_DIR / "data" / "bench-out")
    p.add_argument("--only", default=",".join(PARTS), help="parts to run (comma-separated)")
    p.add_argument("--assemble", action="store_true", help="only write the report from outputs")
    args = p.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    outputs = args.outputs.resolve()
    outputs.mkdir(parents=True, exist_ok=True)
    if not args.assemble:
        only = [x for x in args.only.split(",") if x]
        unknown = set(only) - set(PARTS)
        if unknown:
            p.error(f"unknown part(s) {', '.join(sorted(unknown))}; use {', '.join(PARTS)}")
        parts_path = outputs / "parts.json"
        previous = json.loads(_read(parts_path)) if parts_path.exists() else {}
        record = {
            "started": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
            "machine": machine_info(),
            "parts": previous.get("parts", {}),
        }
        for name, cmds in commands(args.corpus, outputs).items():
            if name in only:
                record["parts"][name] = run_part(name, cmds, outputs)
                parts_path.write_text(json.dumps(record, indent=2), encoding="utf-8")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(assemble(outputs, args.corpus), encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
