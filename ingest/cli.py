"""`python -m ingest`: add reports to the store, list what it holds.

Exit codes: 0 when every file went in (unsupported types are skipped, not failed), 1 when some
failed (the others are still ingested), 2 on usage or configuration errors, 130 on Ctrl-C.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from ingest import originals
from ingest.pipeline import FileResult, FileStatus, Ingestor, expand_paths
from rag.core import audit
from rag.core.config import Config
from rag.core.embedders import load_embedder
from rag.core.errors import ConfigError, RagError
from rag.core.store import Store

_MARK = {
    FileStatus.NEW: "+",
    FileStatus.UPDATED: "~",
    FileStatus.UNCHANGED: "=",
    FileStatus.DUPLICATE: "=",
    FileStatus.FAILED: "!",
    FileStatus.SKIPPED: "-",
}


def printable(line: str) -> str:
    """`line` with control characters (a newline in a file name) and undecodable bytes escaped,
    so one file is always one status line.

    >>> printable("+ new  /in/verslag\\nJBZ\\x1b[2J.pdf")
    '+ new  /in/verslag\\\\nJBZ\\\\x1b[2J.pdf'
    """
    out = []
    for c in line:
        if c.isprintable() or c == " ":
            out.append(c)
        elif 0xDC80 <= ord(c) <= 0xDCFF:  # a byte the file system name did not decode
            out.append(f"\\x{ord(c) - 0xDC00:02x}")
        else:
            out.append(c.encode("unicode_escape").decode("ascii"))
    return "".join(out)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m ingest",
        description="Chunk and embed Council reports (PDF, DOCX, HTML, TXT/MD) into Chroma.",
    )
    p.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="files or folders")
    p.add_argument("--store", help="embedded store directory (default: RAG_STORE)")
    p.add_argument("--chroma-url", help="Chroma server URL (default: RAG_CHROMA_URL)")
    p.add_argument("--embedder", help="embedding backend (default: RAG_EMBEDDER)")
    p.add_argument("--prune", action="store_true", help="remove documents whose files are gone")
    p.add_argument("--reset", action="store_true", help="empty the store before ingesting")
    p.add_argument("--list", action="store_true", help="list the documents in the store")
    p.add_argument("--json", action="store_true", help="with --list: print JSON")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    return p


def config_from_args(args: argparse.Namespace) -> Config:
    config = Config.from_env()
    changes = {}
    if args.store:
        changes["store"] = args.store
        changes["chroma_url"] = ""
    if args.chroma_url:
        changes["chroma_url"] = args.chroma_url
    if getattr(args, "embedder", None):
        changes["embedder"] = args.embedder
    return config.with_(**changes) if changes else config


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.json and not args.list:
        print("error: --json goes with --list.", file=sys.stderr)
        return 2
    if not args.list and not args.paths and not args.prune and not args.reset:
        parser.print_usage(sys.stderr)
        print("error: give a file or folder to ingest, or --list.", file=sys.stderr)
        return 2
    try:
        config = config_from_args(args)
        logging.basicConfig(level=config.log_level, format="%(levelname)s %(name)s: %(message)s")
        if args.list:
            return _list(config, as_json=args.json)
        return _ingest(config, args)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except RagError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(
            "\ninterrupted: the store is consistent; run the same command again to finish.",
            file=sys.stderr,
        )
        return 130


def _list(config: Config, as_json: bool) -> int:
    docs = Store(config).list_documents()
    added = audit.who_added(config.audit_path)
    if as_json:
        rows = []
        for d in docs:
            row = d.to_json()
            if d.doc_id in added:
                row.update(added_by=added[d.doc_id].user, added_at=added[d.doc_id].time)
            rows.append(row)
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    if not docs:
        print(
            f"The store at {config.chroma_url or config.store} is empty: run python -m ingest PATH."
        )
        return 0
    for d in docs:
        m = d.meta
        print(f"{d.doc_id}  {m.title or Path(d.file).name}")
        print(
            printable(
                f"    file: {d.file}" + (f" (also: {', '.join(d.aliases)})" if d.aliases else "")
            )
        )
        print(f"    format: {d.file_type or '?'}; added: {d.added_at or '?'}")
        print(
            f"    type: {m.doc_type or '?'}; formation: {m.formation or '?'}"
            f"{' / ' + m.formation_en if m.formation_en else ''}; "
            f"meeting: {', '.join(m.meeting_dates) or '?'}; letter: {m.letter_date or '?'}; "
            f"kamerstuk: {m.kamerstuk or '-'}"
        )
        print(
            f"    pages: {d.pages or '-'}; chunks: {d.chunks}; sections: {len(d.sections)}; "
            f"statements: {len(d.statements)}"
        )
        if d.doc_id in added:
            e = added[d.doc_id]
            print(f"    added by {e.user} on {e.time} ({e.action})")
        said = {}  # agenda item -> number of statements in it
        for st in d.statements:
            said[st.item] = said.get(st.item, 0) + 1
        for s in d.sections:
            print(f"      - {s}" + (f"  ({said[s]} statements)" if said.get(s) else ""))
    print(f"{len(docs)} documents, {sum(d.chunks for d in docs)} chunks.")
    return 0


def _ingest(config: Config, args: argparse.Namespace) -> int:
    from tqdm import tqdm

    store = Store(config)
    user = audit.os_user()
    if args.reset:
        held = [d.doc_id for d in store.list_documents()]
        store.reset()
        for doc_id in held:
            originals.remove(config, doc_id)
        print(f"reset: emptied the store at {store.location}")
    embedder = load_embedder(config.embedder, config.embed_api_key)
    show = not args.quiet and sys.stderr.isatty()
    files, missing = expand_paths(args.paths)
    file_bar = tqdm(
        total=len(files) + len(missing), desc="files", unit="file", disable=not show, position=0
    )
    chunk_bar = tqdm(desc="chunks", unit="chunk", disable=not show, position=1, leave=False)

    def on_file(r: FileResult) -> None:
        line = f"{_MARK.get(r.status, '?')} {r.status:<9} {r.path}" + (
            f"  ({r.message})"
            if r.message and r.status not in (FileStatus.FAILED, FileStatus.SKIPPED)
            else ""
        )
        if r.status in (FileStatus.FAILED, FileStatus.SKIPPED):
            line = f"{_MARK[r.status]} {r.status:<9} {r.message}"
        tqdm.write(printable(line), file=sys.stdout)
        sys.stdout.flush()
        file_bar.update(1)
        if r.status != FileStatus.UNCHANGED:
            audit.append(
                config.audit_path,
                audit.AuditEvent(
                    user, "ingest", str(r.status), str(r.path), r.doc_id,
                    r.message if r.status == FileStatus.FAILED else "",
                ),
            )  # fmt: skip

    ingestor = Ingestor(store, embedder, config, on_file=on_file, on_chunks=chunk_bar.update)
    for path in ingestor.recover():
        print(printable(f"recovered: removed the half-written {path}; it is ingested again now"))
    report = ingestor.run(args.paths, prune=args.prune)
    chunk_bar.close()
    file_bar.close()
    for path in report.pruned:
        print(printable(f"- pruned    {path}"))
        audit.append(config.audit_path, audit.AuditEvent(user, "prune", "deleted", str(path)))
    rate = report.chunks_embedded / report.seconds if report.seconds else 0.0
    print(
        f"new {report.count('new')}, updated {report.count('updated')}, "
        f"unchanged {report.count('unchanged') + report.count('duplicate')}"
        f" ({report.count('duplicate')} duplicates), failed {report.count('failed')}, "
        f"skipped {report.count('skipped')}, pruned {len(report.pruned)}; "
        f"{report.chunks_written} chunks written, {report.chunks_embedded} embedded "
        f"in {report.seconds:.1f} s ({rate:.1f} chunks/s); store: {store.location}"
    )
    return 1 if report.count(FileStatus.FAILED) else 0
