"""`python -m rag`: ask questions from the terminal.

    python -m rag ask "QUESTION" [--json] [--k N] [--formation F] [--since DATE] [--until DATE]
                                 [--doc ID] [--type T] [--store DIR] [--chroma-url URL]
    python -m rag ask --jsonl < questions.txt      # one question per line in, one JSON per line out
    python -m rag chat                              # a terminal chat with history

Errors are one line on stderr and a non-zero exit: 2 for usage, 1 for everything else.
"""

from __future__ import annotations

import argparse
import logging
import re
import sys
from collections.abc import Iterator

from rag.answer.question import Filters
from rag.core.config import Config
from rag.core.errors import ConfigError, RagError
from rag.core.models import Answer
from rag.core.terminal import json_line, printable
from rag.vocab.formations import formation_names, normalise_formation

_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m rag", description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="command", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--store", help="embedded store directory (default: RAG_STORE)")
    common.add_argument("--chroma-url", help="Chroma server URL (default: RAG_CHROMA_URL)")
    common.add_argument("--k", type=int, help="number of sources (default: RAG_TOP_K)")
    common.add_argument("--formation", help="only this Council formation, e.g. JBZ-Raad")
    common.add_argument("--since", help="only meetings on or after DATE (YYYY[-MM[-DD]])")
    common.add_argument("--until", help="only meetings on or before DATE (YYYY[-MM[-DD]])")
    common.add_argument("--doc", action="append", default=[], help="only this document id")
    common.add_argument("--type", action="append", default=[], help="only this document type")
    common.add_argument("--llm", help="answer LLM spec (default: RAG_LLM; 'none' = extractive)")
    ask = sub.add_parser("ask", parents=[common], help="answer one question (or many: --jsonl)")
    ask.add_argument("question", nargs="?", help="the question")
    ask.add_argument("--json", action="store_true", help="print the answer as JSON")
    ask.add_argument("--jsonl", action="store_true", help="questions on stdin, JSON lines out")
    sub.add_parser("chat", parents=[common], help="terminal chat with history")
    return p


def _date(value: str | None, end: bool) -> str:
    if not value:
        return ""
    if not _DATE.match(value):
        raise ConfigError(f"{value!r} is not a date: use YYYY, YYYY-MM or YYYY-MM-DD.")
    parts = value.split("-")
    if len(parts) == 1:
        return f"{value}-12-31" if end else f"{value}-01-01"
    if len(parts) == 2:
        import calendar

        last = calendar.monthrange(int(parts[0]), int(parts[1]))[1]
        return f"{value}-{last:02d}" if end else f"{value}-01"
    return value


def filters_from_args(args: argparse.Namespace) -> Filters:
    formation = ""
    if args.formation:
        found = normalise_formation(args.formation)
        if found is None:
            raise ConfigError(
                f"Unknown formation {args.formation!r}: use one of {', '.join(formation_names())}."
            )
        formation = found.name
    return Filters(
        formation=formation,
        since=_date(args.since, end=False),
        until=_date(args.until, end=True),
        doc_ids=tuple(args.doc),
        doc_types=tuple(args.type),
    )


def make_assistant(args: argparse.Namespace):
    from rag.answer.assistant import Assistant

    config = Config.from_env()
    changes: dict[str, object] = {}
    if args.store:
        changes.update(store=args.store, chroma_url="")
    if args.chroma_url:
        changes["chroma_url"] = args.chroma_url
    if args.llm:
        changes["llm"] = "" if args.llm == "none" else args.llm
    config = config.with_(**changes) if changes else config
    logging.basicConfig(level=config.log_level, format="%(levelname)s %(name)s: %(message)s")
    return Assistant(config)


def render(answer: Answer) -> str:
    """The answer and its numbered sources, for the terminal."""
    lines = [answer.answer, "", "Bronnen / Sources:"]
    for c in answer.citations:
        where = ", ".join(x for x in (c.formation, c.meeting_date) if x)
        page = f", p. {c.page}" if c.page else ""
        lines.append(f"[{c.n}] {c.title} ({where}) — {c.section or '-'}{page}")
        lines.append(f"    “{' '.join(c.text.split())}”")
    for w in answer.warnings:
        lines.append(f"note: {w}")
    return printable("\n".join(lines))  # report text and the question: no escape sequences


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        filters = filters_from_args(args)
        if args.command == "ask":
            if args.jsonl:
                return _ask_jsonl(args, filters)
            if not args.question:
                print(
                    "error: give a question, or --jsonl to read them from stdin.", file=sys.stderr
                )
                return 2
            assistant = make_assistant(args)
            if args.json:
                answer = assistant.ask(args.question, filters, k=args.k)
                print(json_line(answer.to_json(), indent=2))
            else:
                answer = _print_streaming(assistant.stream(args.question, filters, k=args.k))
                print(_sources(answer))
            return 0
        return _chat(args, filters)
    except ConfigError as exc:
        print(f"error: {printable(str(exc))}", file=sys.stderr)
        return 2
    except RagError as exc:
        print(f"error: {printable(str(exc))}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def _print_streaming(parts: Iterator[str | Answer]) -> Answer:
    answer = None
    for part in parts:
        if isinstance(part, Answer):
            answer = part
        else:
            print(printable(part), end="", flush=True)
    print()
    assert answer is not None
    return answer


def _sources(answer: Answer) -> str:
    """The sources part of `render` (the answer itself was streamed already)."""
    return "\n" + render(answer)[len(answer.answer) :].lstrip("\n")


def _ask_jsonl(args: argparse.Namespace, filters: Filters) -> int:
    """One question per line on stdin; models load once. A bad line gives an error object."""
    assistant = make_assistant(args)
    failed = 0
    for line in sys.stdin:
        question = line.strip()
        if not question:
            continue
        try:
            out = assistant.ask(question, filters, k=args.k).to_json()
        except RagError as exc:
            failed += 1
            out = {"question": question, "error": str(exc)}
        print(json_line(out), flush=True)
    return 1 if failed else 0


def _chat(args: argparse.Namespace, filters: Filters) -> int:
    from rag.answer.followup import Turn

    assistant = make_assistant(args)
    history: list[Turn] = []
    print("Stel een vraag over de verslagen (lege regel of Ctrl-D om te stoppen).")
    while True:
        try:
            question = input("> ").strip()
        except EOFError:
            print()
            return 0
        if not question:
            return 0
        try:
            answer = _print_streaming(assistant.stream(question, filters, history, k=args.k))
        except RagError as exc:
            print(f"error: {printable(str(exc))}")
            continue
        print(_sources(answer))
        if answer.standalone_question != question:
            print(f"(interpreted as: {printable(answer.standalone_question)})")
        history.append(Turn.of(question, answer))
