"""Dates named in questions: "in December 2020", "14 december 2020", "between 1990 and 1992".

Month names and the year pattern come from `rag.vocab.cues`; the reading of dates printed in
reports (OCR-damaged, relative to a letter date) is ingest's (`ingest.dates`).
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from rag.vocab.cues import MONTH, MONTHS, MONTHS_EN, YEAR

# Dates written in figures: "14/12/2020", "14-12-2020", "14.12.2020" (day first, as the Dutch
# write them; "12/14/2020" can only be month first) and ISO "2020-12-14".
_FIGURES = re.compile(rf"\b(\d{{1,2}})[/.-](\d{{1,2}})[/.-]({YEAR})\b")
_ISO = re.compile(rf"\b({YEAR})-(\d\d)-(\d\d)\b")


def spelled(text: str) -> str:
    """The text with dates in figures written out, as the date patterns read them.

    >>> spelled("the 14/12/2020 videoconference, or 2020-12-14, not 12/14/2020 or 31/02/2020")
    'the 14 december 2020 videoconference, or 14 december 2020, not 14 december 2020 or 31/02/2020'
    """

    def day(d: int, m: int, y: int, raw: str) -> str:
        try:
            date(y, m, d)
        except ValueError:
            return raw
        return f"{d} {MONTHS_EN[m - 1]} {y}"

    def figures(m: re.Match[str]) -> str:
        a, b = int(m[1]), int(m[2])
        d, mo = (b, a) if b > 12 >= a else (a, b)
        return day(d, mo, int(m[3]), m[0])

    text = _ISO.sub(lambda m: day(int(m[3]), int(m[2]), int(m[1]), m[0]), text)
    return _FIGURES.sub(figures, text)


def dates_in_question(text: str) -> tuple[str, str]:
    """(since, until) ISO bounds named in a question, or ("", "").

    >>> dates_in_question("in the JHA Council of December 2020")
    ('2020-12-01', '2020-12-31')
    >>> dates_in_question("the Council of 14 December 2020")
    ('2020-11-13', '2021-01-14')
    >>> dates_in_question("between 1990 and 1992")
    ('1990-01-01', '1992-12-31')
    """
    t = spelled(text).lower()
    m = re.search(rf"\b(\d{{1,2}})\s+({MONTH})\s+({YEAR})\b", t)
    if m:
        # A day named in a question may be an event around the meeting ("the proposals of
        # 9 December", discussed on the 14th): a month either side.
        try:
            day = date(int(m.group(3)), MONTHS[m.group(2)], int(m.group(1)))
        except ValueError:  # "31 april": the month stands
            day = date(int(m.group(3)), MONTHS[m.group(2)], 15)
        return (day - timedelta(days=31)).isoformat(), (day + timedelta(days=31)).isoformat()
    m = re.search(rf"\b(?:between|tussen)\s+({YEAR})\s+(?:and|en)\s+({YEAR})\b", t)
    if m:
        return f"{m.group(1)}-01-01", f"{m.group(2)}-12-31"
    m = re.search(rf"\b({MONTH})\s+({YEAR})\b", t)
    if m:
        year, month = int(m.group(2)), MONTHS[m.group(1)]
        last = calendar.monthrange(year, month)[1]
        return f"{year}-{month:02d}-01", f"{year}-{month:02d}-{last:02d}"
    m = re.search(rf"\b(?:since|after|sinds|na)\s+({YEAR})\b", t)
    if m:
        return f"{m.group(1)}-01-01", ""
    m = re.search(rf"\b(?:before|until|voor|tot)\s+({YEAR})\b", t)
    if m:
        return "", f"{int(m.group(1)) - 1}-12-31"
    years = re.findall(rf"\b({YEAR})\b", t)
    if len(years) == 1 and not re.search(rf"\b{years[0]}\s*[-/]\s*\d", t):
        return f"{years[0]}-01-01", f"{years[0]}-12-31"
    return "", ""


def day_in_question(text: str) -> str:
    """The day a question names ("on 3 April 1992"), ISO, or "".

    >>> day_in_question("the Fisheries Council of 3 April 1992"), day_in_question("in April 1992")
    ('1992-04-03', '')
    """
    m = re.search(rf"\b(\d{{1,2}})\s+({MONTH})\s+({YEAR})\b", spelled(text).lower())
    if not m:
        return ""
    try:
        return date(int(m.group(3)), MONTHS[m.group(2)], int(m.group(1))).isoformat()
    except ValueError:  # "31 april"
        return ""


def names_period(text: str, since: str, until: str) -> bool:
    """The text names a month or year of the (since, until) period a question named: "in
    februari 2021 een gezamenlijke Raadsvergadering" names February 2021. A day's month either
    side counts by its months; open-ended periods name nothing here.

    >>> names_period("Het kondigde aan in februari 2021 een Raad te houden.", "2021-02-01", "2021-02-28")
    True
    >>> names_period("Het kondigde een Raad aan.", "2021-02-01", "2021-02-28")
    False
    """
    if not (since and until):
        return False
    first, last = date.fromisoformat(since), date.fromisoformat(until)
    low = text.lower()
    if (first.month, first.day, last.month, last.day) == (1, 1, 12, 31):  # whole years
        return any(str(y) in low for y in range(first.year, last.year + 1))
    for m in re.finditer(rf"\b({MONTH})\s+({YEAR})\b", low):
        named = date(int(m.group(2)), MONTHS[m.group(1)], 1)
        if date(first.year, first.month, 1) <= named <= last:
            return True
    return False
