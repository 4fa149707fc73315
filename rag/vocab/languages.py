"""The language of a report, from its most frequent function words, for the EU's main languages.

`STOP_WORDS` holds, per ISO 639-1 code, words that are frequent in any text of that language and
rare in the others (from the stop-word lists of spaCy's `lang/*/stop_words.py`, shortened to words
that do not collide between languages). `detect_language(text)` counts them over the first 20,000
characters and returns the code with most hits, or "" when too few words match any list.

Shortcut on purpose: no n-gram model; reports are long, formal texts in which function words decide
reliably (a report of a few sentences may come out "").
"""

from __future__ import annotations

import re
from collections import Counter

STOP_WORDS: dict[str, frozenset[str]] = {
    "nl": frozenset("de het een en van dat niet zijn wordt worden werd heeft hebben ook naar "
                    "bij voor met zich dit deze die er op aan om".split()),
    "en": frozenset("the and of that is are was were has have been with for which this these "
                    "by from its it be on".split()),
    "de": frozenset("der die das und nicht ist sind wird werden wurde mit für auf dem den des "
                    "eine einer sich auch zu".split()),
    "fr": frozenset("le la les et des du une est sont dans pour avec qui sur au aux pas ce "
                    "cette été".split()),
    "es": frozenset("el los las y del una es son en por con para que se su al como más fue "
                    "esta".split()),
    "it": frozenset("il lo gli e della delle degli una è sono per con che si nel alla dei "
                    "anche questo".split()),
    "pt": frozenset("o os as e do da dos das uma é são em por com para que se no na foi "
                    "também".split()),
    "pl": frozenset("i w na z do że się nie jest są oraz dla przez jak to od po".split()),
    "sv": frozenset("och att det som är en ett för med till av på inte har om var".split()),
    "da": frozenset("og at det som er en et for med til af på ikke har om var blev".split()),
}  # fmt: skip
_WORD = re.compile(r"[^\W\d_]+")
MIN_HITS = 8  # fewer function words than this: too little text to tell


def detect_language(text: str) -> str:
    """ISO 639-1 code of the text's language, or "" when unsure.

    >>> detect_language("The Council adopted conclusions on the rule of law and the Commission presented its report, which was welcomed by the ministers of the member states.")
    'en'
    >>> detect_language("Die Kommission hat den Bericht vorgestellt und der Rat ist mit dem Vorschlag für die Verordnung einverstanden, die auch von den Mitgliedstaaten unterstützt wird.")
    'de'
    """
    counts: Counter[str] = Counter()
    for word in _WORD.findall(text[:20_000].casefold()):
        for lang, words in STOP_WORDS.items():
            if word in words:
                counts[lang] += 1
    if not counts:
        return ""
    (lang, hits), *rest = counts.most_common(2)
    if hits < MIN_HITS or (rest and rest[0][1] == hits):
        return ""
    return lang
