"""OCR for PDF pages without a text layer: ocrmypdf + tesseract, cached by content hash.

Owns `ocr_pages(path, data, pages, settings) -> {page: OcrPage}`: the text of each asked page as
tesseract read it, with its confidence (the mean of tesseract's word confidences, weighted by word
length, 0..1). The result is cached as JSON under the cache directory, keyed by the PDF's sha256,
the pages and the languages, so a re-run (or a fresh store) never OCRs the same file again.

Shortcuts on purpose:
- ocrmypdf's `_pdf_to_hocr` (its documented, experimental first half) is used instead of `ocr()`:
  it stops at the hOCR files, which carry the word confidences a finished PDF no longer has, and
  the project needs the text, not a new PDF.
- The rasterizer is Ghostscript: ocrmypdf 17.13's default pypdfium rasterizer dropped the first
  line of a test page (a full-page image placed by fpdf2); Ghostscript read it.
- Lines become lines and tesseract's paragraphs blank-line separated blocks, the form
  `ingest.clean` expects from pdftotext; layout beyond that (columns, tables) is tesseract's.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from rag.core.errors import IngestError

log = logging.getLogger(__name__)

LANGUAGES = ("nld", "eng")  # Debian's tesseract-ocr-nld and -eng; the reports are Dutch or English
_CACHE_VERSION = 1  # bump when the way text is read from hOCR changes
_WCONF = re.compile(r"x_wconf\s+(\d+)")
_PAGE_FILE = re.compile(r"^(\d+)_ocr_hocr\.hocr$")


@dataclass(frozen=True)
class OcrSettings:
    """Whether to OCR, and where the results are cached."""

    enabled: bool
    cache_dir: Path
    languages: tuple[str, ...] = LANGUAGES


@dataclass(frozen=True)
class OcrPage:
    text: str
    confidence: float  # 0..1; 0.0 when tesseract found no words


def missing_tools(languages: tuple[str, ...] = LANGUAGES) -> str:
    """What is missing to OCR ("" when everything is there), as the install command."""
    missing = []
    try:
        import ocrmypdf  # noqa: F401
    except ImportError:
        return "the ocrmypdf package (pip install -r requirements.txt)"
    if not shutil.which("tesseract"):
        missing.append("tesseract-ocr")
    if not shutil.which("gs"):
        missing.append("ghostscript")
    if not missing:
        listed = subprocess.run(
            ["tesseract", "--list-langs"], capture_output=True, text=True, check=False
        ).stdout.split()
        missing += [f"tesseract-ocr-{lang}" for lang in languages if lang not in listed]
    if not missing:
        return ""
    return (
        f"Debian packages {', '.join(missing)} (apt-get install {' '.join(missing)}, or make run)"
    )


def ocr_pages(
    path: Path, data: bytes, pages: list[int], settings: OcrSettings
) -> dict[int, OcrPage]:
    """OCR the given 1-based pages of a PDF, from the cache when this content was OCR'd before."""
    key = hashlib.sha256(data).hexdigest()
    spec = f"{_CACHE_VERSION}|{'+'.join(settings.languages)}|{','.join(map(str, pages))}"
    cache = settings.cache_dir / f"{key[:32]}-{hashlib.sha256(spec.encode()).hexdigest()[:8]}.json"
    if cache.is_file():
        try:
            raw = json.loads(cache.read_text(encoding="utf-8"))
            return {int(p): OcrPage(v["text"], float(v["confidence"])) for p, v in raw.items()}
        except (ValueError, KeyError, TypeError):
            log.warning("OCR cache %s is unreadable; OCR runs again", cache)
    if missing := missing_tools(settings.languages):
        raise IngestError(
            f"{path}: PDF has no text layer (scanned?) and OCR needs {missing}; install it, "
            "or run OCR yourself (`ocrmypdf in.pdf out.pdf`) and add the OCR'd file.",
            code="ocr_missing",
            missing=missing,
        )
    result = _run(path, data, pages, settings.languages)
    settings.cache_dir.mkdir(parents=True, exist_ok=True)
    tmp = cache.with_suffix(".tmp")
    tmp.write_text(
        json.dumps({p: {"text": v.text, "confidence": v.confidence} for p, v in result.items()}),
        encoding="utf-8",
    )
    tmp.replace(cache)  # atomic: a crash never leaves half a cache entry
    return result


def _run(
    path: Path, data: bytes, pages: list[int], languages: tuple[str, ...]
) -> dict[int, OcrPage]:
    from ocrmypdf.api import _pdf_to_hocr
    from ocrmypdf.exceptions import ExitCodeException

    with tempfile.TemporaryDirectory(prefix="council-ocr-") as tmp:
        src, out = Path(tmp) / "in.pdf", Path(tmp) / "hocr"
        src.write_bytes(data)
        out.mkdir()
        try:
            _pdf_to_hocr(
                src,
                out,
                language=list(languages),
                pages=",".join(map(str, pages)),
                mode="force",
                rasterizer="ghostscript",
                jobs=os.cpu_count() or 1,
                use_threads=True,  # no fork: the app runs ingest in Streamlit's script thread
                progress_bar=False,
            )
        except ExitCodeException as exc:
            raise IngestError(
                f"{path}: OCR failed ({type(exc).__name__}: {exc}); check that the PDF opens, "
                "or run `ocrmypdf in.pdf out.pdf` yourself to see why.",
                code="ocr_failed",
                detail=f"{type(exc).__name__}: {exc}",
            ) from None
        found = {}
        for f in out.iterdir():
            if m := _PAGE_FILE.match(f.name):
                found[int(m[1])] = read_hocr(f.read_bytes())
    return {p: found.get(p, OcrPage("", 0.0)) for p in pages}


def read_hocr(hocr: bytes) -> OcrPage:
    """Text (a line per OCR line, a blank line between paragraphs) and confidence of one page."""
    from lxml import html

    root = html.fromstring(hocr)
    paragraphs: list[str] = []
    weight = total = 0.0
    for par in root.iter():
        if par.get("class") != "ocr_par":
            continue
        lines = []
        for line in par.iter():
            if (line.get("class") or "") not in ("ocr_line", "ocr_header", "ocr_caption"):
                continue
            words = []
            for word in line.iter():
                if word.get("class") != "ocrx_word":
                    continue
                text = word.text_content().strip()
                conf = _WCONF.search(word.get("title") or "")
                if text:
                    words.append(text)
                    if conf:
                        weight += len(text)
                        total += len(text) * int(conf[1]) / 100
            if words:
                lines.append(" ".join(words))
        if lines:
            paragraphs.append("\n".join(lines))
    return OcrPage("\n\n".join(paragraphs), round(total / weight, 3) if weight else 0.0)
