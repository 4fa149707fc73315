"""Countries outside the EU that Council reports name, in Dutch and English, as a table.

The member states are actors (`rag.vocab.actors`): they speak. Third countries are spoken of:
partners on returns ("Marokko", "Tunesië"), candidates, neighbours, the Community's old partners
("Joegoslavië", "de Sovjet-Unie"). A question asking "which North African countries ..." is
answered only by a sentence that names one; "Noord-Afrikaanse partners" names none. The list
holds the countries of Europe's neighbourhood, of migration routes and of the Council's external
relations, with former names the 1988-1994 letters use; it is no gazetteer of the world.
"""

from __future__ import annotations

import re
from functools import cache

# "Het Portugese Voorzitterschap", "the German presidency": the presidency named by its state.
PRESIDENCY_BY_STATE = re.compile(
    r"\b(?!(?:Het|De|Dit|Dat|Deze|Die|The|This|That)\b)[A-Z][\w-]*\s+"
    r"(?:[Vv]oorzitterschap|[Pp]residency)\b"
)

# (Dutch, English) names; a second Dutch or English spelling as its own row.
THIRD_COUNTRIES: tuple[tuple[str, str], ...] = (
    ("Noorwegen", "Norway"),
    ("Zwitserland", "Switzerland"),
    ("IJsland", "Iceland"),
    ("Liechtenstein", "Liechtenstein"),
    ("Turkije", "Turkey"),
    ("Turkije", "Türkiye"),
    ("Servië", "Serbia"),
    ("Montenegro", "Montenegro"),
    ("Albanië", "Albania"),
    ("Noord-Macedonië", "North Macedonia"),
    ("Macedonië", "Macedonia"),
    ("Bosnië", "Bosnia"),
    ("Kosovo", "Kosovo"),
    ("Joegoslavië", "Yugoslavia"),
    ("Oekraïne", "Ukraine"),
    ("Wit-Rusland", "Belarus"),
    ("Belarus", "Byelorussia"),
    ("Moldavië", "Moldova"),
    ("Rusland", "Russia"),
    ("Sovjet-Unie", "Soviet Union"),
    ("Georgië", "Georgia"),
    ("Armenië", "Armenia"),
    ("Azerbeidzjan", "Azerbaijan"),
    ("Marokko", "Morocco"),
    ("Algerije", "Algeria"),
    ("Tunesië", "Tunisia"),
    ("Libië", "Libya"),
    ("Egypte", "Egypt"),
    ("Israël", "Israel"),
    ("Palestina", "Palestine"),
    ("Libanon", "Lebanon"),
    ("Syrië", "Syria"),
    ("Jordanië", "Jordan"),
    ("Irak", "Iraq"),
    ("Iran", "Iran"),
    ("Saoedi-Arabië", "Saudi Arabia"),
    ("Koeweit", "Kuwait"),
    ("Qatar", "Qatar"),
    ("Jemen", "Yemen"),
    ("Afghanistan", "Afghanistan"),
    ("Pakistan", "Pakistan"),
    ("India", "India"),
    ("Bangladesh", "Bangladesh"),
    ("Sri Lanka", "Sri Lanka"),
    ("China", "China"),
    ("Japan", "Japan"),
    ("Zuid-Korea", "South Korea"),
    ("Vietnam", "Vietnam"),
    ("Indonesië", "Indonesia"),
    ("Australië", "Australia"),
    ("Verenigde Staten", "United States"),
    ("Canada", "Canada"),
    ("Mexico", "Mexico"),
    ("Brazilië", "Brazil"),
    ("Argentinië", "Argentina"),
    ("Venezuela", "Venezuela"),
    ("Colombia", "Colombia"),
    ("Cuba", "Cuba"),
    ("Suriname", "Suriname"),
    ("Mauritanië", "Mauritania"),
    ("Senegal", "Senegal"),
    ("Gambia", "Gambia"),
    ("Guinee", "Guinea"),
    ("Mali", "Mali"),
    ("Niger", "Niger"),
    ("Nigeria", "Nigeria"),
    ("Ghana", "Ghana"),
    ("Ivoorkust", "Ivory Coast"),
    ("Tsjaad", "Chad"),
    ("Soedan", "Sudan"),
    ("Eritrea", "Eritrea"),
    ("Ethiopië", "Ethiopia"),
    ("Somalië", "Somalia"),
    ("Kenia", "Kenya"),
    ("Congo", "Congo"),
    ("Angola", "Angola"),
    ("Mozambique", "Mozambique"),
    ("Zimbabwe", "Zimbabwe"),
    ("Zuid-Afrika", "South Africa"),
)


@cache
def _third_country() -> re.Pattern[str]:
    names = sorted({n for pair in THIRD_COUNTRIES for n in pair}, key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, names)) + r")(?![\w-])")


@cache
def _english() -> dict[str, str]:
    """Every name in the table -> the English name of its first row (one key per country)."""
    out: dict[str, str] = {}
    for nl, en in THIRD_COUNTRIES:
        key = out.get(nl) or out.get(en) or en
        out.setdefault(nl, key)
        out.setdefault(en, key)
    return out


def third_countries_in(text: str) -> set[str]:
    """The third countries the text names, by their English name (Dutch and English alike).

    >>> sorted(third_countries_in("Samenwerking met Marokko en Tunesië, niet met Noord-Afrikaanse partners."))
    ['Morocco', 'Tunisia']
    >>> third_countries_in("Turkije") == third_countries_in("Türkiye") == {"Turkey"}
    True
    """
    return {_english()[name] for name in _third_country().findall(text)}


# Places of meetings in English, as the Dutch reports write them ("te Brussel"); a name not
# listed is written the same in both.
PLACES_NL = {"brussels": "Brussel", "the hague": "Den Haag", "luxembourg": "Luxemburg"}
