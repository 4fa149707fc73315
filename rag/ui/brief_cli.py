"""`python -m rag brief`: a meeting's briefing note as DOCX or Markdown, from the terminal.

    python -m rag brief --meeting ID [--topic T] [--format docx|md] [--out FILE] [--lang nl|en]
    python -m rag brief --formation F --date YYYY-MM-DD [...]
    python -m rag brief --topic "return directive, 2020-2021" [--formation F]

The note is built from the store's structure (`rag.answer.brief`); no question is asked and no
model is loaded. Without --out a Markdown note goes to stdout and a DOCX to
`briefing-<meeting>.docx` in the current folder. Errors are one line on stderr: exit 2 for
usage, 1 for everything else.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from rag.answer.brief import build_brief
from rag.core.config import Config
from rag.core.errors import ConfigError, RagError
from rag.core.store import Store
from rag.core.terminal import printable
from rag.ui.meeting_note import brief_filename, brief_note
from rag.ui.note import note_docx, note_markdown


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m rag brief", description=__doc__.splitlines()[0])
    p.add_argument("--meeting", default="", help="report id (see `python -m ingest --list`)")
    p.add_argument("--formation", default="", help="Council formation, e.g. JBZ-Raad")
    p.add_argument("--date", default="", help="meeting date YYYY-MM-DD (with --formation)")
    p.add_argument("--topic", default="", help="only what concerns this topic, across meetings")
    p.add_argument(
        "--format", choices=("docx", "md"), default="", help="default: from --out, else md"
    )
    p.add_argument("--out", type=Path, help="file to write (default: stdout for md)")
    p.add_argument("--lang", choices=("nl", "en"), help="labels' language (default: RAG_UI_LANG)")
    p.add_argument("--store", help="embedded store directory (default: RAG_STORE)")
    p.add_argument("--chroma-url", help="Chroma server URL (default: RAG_CHROMA_URL)")
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if not (args.meeting or args.formation or args.topic):
            raise ConfigError(
                "Say which meeting: --meeting ID (see `python -m ingest --list`), "
                "--formation F --date YYYY-MM-DD, or --topic T."
            )
        if args.date and not args.formation and not args.meeting:
            raise ConfigError(
                "--date needs --formation: e.g. --formation JBZ-Raad --date 2020-12-14."
            )
        config = Config.from_env()
        if args.store:
            config = config.with_(store=args.store, chroma_url="")
        if args.chroma_url:
            config = config.with_(chroma_url=args.chroma_url)
        logging.basicConfig(level=config.log_level, format="%(levelname)s %(name)s: %(message)s")
        fmt = args.format or (args.out.suffix.lstrip(".") if args.out else "md")
        if fmt not in ("docx", "md"):
            raise ConfigError(f"Unknown format {fmt!r}: use --format docx or --format md.")
        brief = build_brief(Store(config), args.meeting, args.formation, args.date, args.topic)
        note = brief_note(brief, args.lang or config.ui_lang)
        if fmt == "md" and args.out is None:
            sys.stdout.write(printable(note_markdown(note)))
            return 0
        out = args.out or Path(brief_filename(brief, fmt))
        if fmt == "docx":
            out.write_bytes(note_docx(note))
        else:
            out.write_text(note_markdown(note), encoding="utf-8")
        print(f"{out} ({len(brief.sources)} sources)", file=sys.stderr)
        return 0
    except ConfigError as exc:
        print(f"error: {printable(str(exc))}", file=sys.stderr)
        return 2
    except RagError as exc:
        print(f"error: {printable(str(exc))}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(
            f"error: cannot write {exc.filename}: {exc.strerror}; choose another --out.",
            file=sys.stderr,
        )
        return 1
