"""The `<report>.meta.json` sidecar: fields that override what was read from a report's text.

Each key is a `ReportMeta` field (`meeting_date` is accepted for `meeting_dates`); values are
checked, and a wrong one is one `IngestError` line naming the file and the fix.
"""

from __future__ import annotations

import json
import re
from dataclasses import fields, replace
from datetime import date
from pathlib import Path
from typing import Any

from rag.core.errors import IngestError
from rag.core.models import ReportMeta
from rag.vocab.formations import formation_names, normalise_formation

DOC_TYPES = tuple(
    "verslag geannoteerde_agenda agenda brief verslag_schriftelijk_overleg "
    "verslag_mondeling_overleg verslag_algemeen_overleg notitie "
    # The Council's own documents (rag.vocab.documents).
    "outcome main_results press_release".split()
)
SIDECAR_SUFFIX = ".meta.json"
# Computed at ingest from the other fields, never set by hand.
_DERIVED = frozenset({"formations"})


def sidecar_path(report: Path) -> Path:
    """`verslag.pdf` -> `verslag.pdf.meta.json`."""
    return report.with_name(report.name + SIDECAR_SUFFIX)


def _check_iso(value: Any, key: str, where: str) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise IngestError(
            f"{where}: '{key}' must be an ISO date like \"2020-12-14\", got {value!r}"
        )
    try:
        date.fromisoformat(value)
    except ValueError:
        raise IngestError(f"{where}: '{key}' is not a real date: {value!r}") from None
    return value


def validate_overrides(overrides: dict[str, Any], where: str = "sidecar") -> dict[str, Any]:
    """Check and normalise sidecar fields; raises IngestError naming `where` and the fix."""
    valid = [f.name for f in fields(ReportMeta) if f.name not in _DERIVED]
    out: dict[str, Any] = {}
    for key, value in overrides.items():
        if key == "meeting_date":  # the singular is accepted: ReportMeta exposes it too
            key = "meeting_dates"
        if key not in valid:
            raise IngestError(
                f"{where}: unknown key {key!r}; use only {', '.join(valid)} (or remove the key)"
            )
        if key == "meeting_dates":
            items = [value] if isinstance(value, str) else value
            if not isinstance(items, (list, tuple)):
                raise IngestError(f"{where}: 'meeting_dates' must be a list of ISO dates")
            out[key] = tuple(sorted({_check_iso(v, key, where) for v in items}))
        elif not isinstance(value, str):
            raise IngestError(f"{where}: {key!r} must be a string, got {value!r}")
        elif key == "letter_date" and value:
            out[key] = _check_iso(value, key, where)
        elif key == "doc_type" and value not in DOC_TYPES:
            raise IngestError(f"{where}: doc_type {value!r} is unknown; use one of {DOC_TYPES}")
        elif key == "formation" and value:
            found = normalise_formation(value)
            if found is None:
                raise IngestError(
                    f"{where}: formation {value!r} is unknown; use one of "
                    f"{', '.join(formation_names())} (or an alias such as 'Landbouwraad')"
                )
            out["formation"] = found.name
            out.setdefault("formation_en", found.name_en)
        else:
            out[key] = value
    if "formation_en" in overrides:
        out["formation_en"] = overrides["formation_en"]
    return out


def load_sidecar(path: Path) -> dict[str, Any]:
    """Validated overrides from a sidecar; `path` is the sidecar or the report next to it.
    A report without a sidecar gives {}."""
    path = Path(path)
    side = path if path.name.endswith(SIDECAR_SUFFIX) else sidecar_path(path)
    if not side.exists():
        return {}
    try:
        data = json.loads(side.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise IngestError(f"{side}: not valid JSON ({exc}); fix the file or delete it") from None
    if not isinstance(data, dict):
        raise IngestError(f'{side}: must hold one JSON object such as {{"formation": "JBZ-Raad"}}')
    return validate_overrides(data, str(side))


def apply_sidecar(meta: ReportMeta, overrides: dict[str, Any]) -> ReportMeta:
    """`meta` with the sidecar's fields replacing the extracted ones.

    >>> apply_sidecar(ReportMeta(), {"formation": "Landbouwraad"}).formation
    'Landbouw- en Visserijraad'
    """
    return replace(meta, **validate_overrides(overrides))
