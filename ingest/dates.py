"""Dates as reports print them: "op maandag 26, dinsdag 27 maart 1990", "3O november", "jl.".

The date reader of ingest: OCR-tolerant day numbers ("ISjuli" -> 15 juli, "3O" -> 30), ranges and
lists of days, and a missing year taken from a reference date ("jl." = before it, "a.s." = after
it). Month names come from the cue table (`rag.vocab.cues`).
"""

from __future__ import annotations

import re
from datetime import date

from rag.vocab.cues import MONTHS, MONTHS_NL, WEEKDAYS_EN, WEEKDAYS_NL

_MONTHS = MONTHS_NL
# Dutch and English month names (the Council's own documents are English), longest first.
MONTH = "(?i:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + ")"
_WEEKDAY = "(?i:" + "|".join(WEEKDAYS_NL + WEEKDAYS_EN) + ")"
# A day, allowing the OCR confusions seen in the sample: "3O", "ISjuli" (15), "l0".
DAY = r"(?:\d{1,2}|\d[OoIlS]|[Il][\dSOIl])"
_SEP = r"\s*(?:,|en|and|/|-|–|t/m|tot en met)\s*"
DATE_RE = re.compile(
    rf"(?<![\w/])(?P<days>(?:{_WEEKDAY}\s+)?{DAY}(?:{_SEP}(?:{_WEEKDAY}\s+)?{DAY})*)"
    rf"\s*(?P<month>{MONTH})(?![a-z])(?:\s+(?P<year>\d{{4}})(?!\d))?"
    r"(?:\s*(?P<rel>jl\b|j\.l\.|jongstleden|a\.s\.|aanstaande))?"
)
_NUMERIC_DATE_RE = re.compile(r"(?<![\w/])(\d{1,2})[/-](\d{1,2})[/-](\d{4})(?![\w/])")
OCR_DIGITS = str.maketrans("OoCDIl|SB", "000011158")


def _day(token: str) -> int:
    return int(token.translate(OCR_DIGITS))


def _with_year(month: int, day: int, year: int | None, rel: str, ref: date | None) -> date | None:
    """A date, its missing year taken from `ref`: "jl." before it, "a.s." after it, else nearest."""
    years = [year] if year is not None else [ref.year - 1, ref.year, ref.year + 1] if ref else []
    candidates = []
    for y in years:
        try:
            candidates.append(date(y, month, day))
        except ValueError:  # 31 april, 29 februari in a normal year
            continue
    if year is not None or ref is None or not candidates:
        return candidates[0] if candidates else None
    if rel.startswith(("jl", "j.l", "jong")):
        candidates = [d for d in candidates if d <= ref]
        return max(candidates) if candidates else None
    if rel.startswith(("a.s", "aan")):
        candidates = [d for d in candidates if d >= ref]
        return min(candidates) if candidates else None
    return min(candidates, key=lambda d: abs((d - ref).days))


def expand(m: re.Match[str], ref: date | None, year_hint: int | None = None) -> list[date]:
    """All dates of one match: "28 en woensdag 29 april", "18/19 april 1994", "3 t/m 5 mei"."""
    month = MONTHS[m["month"].lower()]
    year = int(m["year"]) if m["year"] else year_hint
    parts = re.split(rf"({_SEP})", re.sub(rf"{_WEEKDAY}\s+", "", m["days"]))
    days: list[int] = []
    for i in range(0, len(parts), 2):
        d = _day(parts[i].strip())
        if (
            i
            and parts[i - 1].strip() in ("-", "–", "t/m", "tot en met")
            and days
            and 0 < d - days[-1] < 8
        ):
            days.extend(range(days[-1] + 1, d))  # a range: fill in the days between
        days.append(d)
    out = [_with_year(month, d, year, (m["rel"] or "").lower(), ref) for d in days if 1 <= d <= 31]
    return [d for d in out if d is not None]


def find_dates(text: str, ref: date | None = None) -> list[tuple[int, list[date]]]:
    """Date expressions in `text` with their offsets, resolved to dates (OCR-tolerant).

    >>> find_dates("op 29 en 3O november 1993")
    [(3, [datetime.date(1993, 11, 29), datetime.date(1993, 11, 30)])]
    """
    found: list[tuple[int, int, re.Match[str] | None, list[date]]] = []
    for m in DATE_RE.finditer(text):
        found.append((m.start(), m.end(), m, []))
    for m in _NUMERIC_DATE_RE.finditer(text):
        try:
            found.append((m.start(), m.end(), None, [date(int(m[3]), int(m[2]), int(m[1]))]))
        except ValueError:
            continue
    found.sort(key=lambda f: f[0])
    out: list[tuple[int, list[date]]] = []
    for i, (start, end, m, dates) in enumerate(found):
        if m is not None:
            hint = None  # "30 november en 1 december 1993": the year comes from the next date
            if not m["year"] and i + 1 < len(found) and found[i + 1][0] - end < 6:
                nxt = found[i + 1][2]
                hint = int(nxt["year"]) if nxt is not None and nxt["year"] else None
            dates = expand(m, ref, hint)
        if dates:
            out.append((start, dates))
    return out


def iso_dates(dates: list[date]) -> tuple[str, ...]:
    return tuple(d.isoformat() for d in sorted(set(dates)))


def dates_nl(isos: tuple[str, ...]) -> str:
    """("1992-04-28", "1992-04-29") -> "28 en 29 april 1992"."""
    ds = [date.fromisoformat(s) for s in isos]
    if not ds:
        return ""
    if len({(d.year, d.month) for d in ds}) == 1:
        days = [str(d.day) for d in ds]
        head = ", ".join(days[:-1]) + " en " + days[-1] if len(days) > 1 else days[0]
        return f"{head} {_MONTHS[ds[0].month - 1]} {ds[0].year}"
    return " en ".join(f"{d.day} {_MONTHS[d.month - 1]} {d.year}" for d in ds)
