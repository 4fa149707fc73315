"""Line-level rules for `ingest.clean`: what a single line is, and how two lines are glued.

Owns the small decisions that need no document structure: is this line a page number, printer
boilerplate, OCR garbage, a bullet item; does a line end a sentence; how to re-join a word split by
a hyphen. Shortcuts on purpose: Dutch function words and Dutch "X- en Y" coordination are hard-coded
(the corpus is Dutch); anything unsure is left as it was, because a wrong join corrupts a quote.
"""

from __future__ import annotations

import re
import unicodedata

# Spaces that extractors emit instead of U+0020 (NBSP, thin/figure/narrow spaces, tab).
_ODD_SPACES = re.compile(r"[\t\u00a0\u2000-\u200a\u202f\u205f\u3000]")
_ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")

_PAGE_NUMBER = re.compile(
    r"(?:pagina|page|blz\.?|p\.)?\s*[-–—]?\s*\d{1,4}\s*[-–—]?\s*(?:(?:van|of|/)\s*\d{1,4})?"
)
# Printer lines of the 1988-1994 Kamerstukken: "913831F ISSN 0921 -7371 SDU uitgeverij '".
_PRINTER = re.compile(r"\bISSN\b|\b\d{6}F\b|\bsdu\s+uitgever", re.IGNORECASE)
# The printer's place line ("s-Gravenhage 1989", "•sGravenhageisgi"), but not a dated letterhead
# like "'s-Gravenhage, 16 november 1988", which carries a day and a month.
_PRINTER_PLACE = re.compile(r"[\W_]*s?[\W_]*gravenhage[\W_]*\w{0,4}[\W_]*")

# Bullet glyphs at the start of a line: Symbol/Wingdings private-use bullets (U+F0B7, U+F0A7),
# •, ▪, ●, ◦, ‣, ⁃, ·, en/em dash, hyphen, asterisk, and the "o " of Word's second list level.
_BULLET = re.compile(
    r"^(?:[\uf0b7\uf0a7\uf076\uf0d8\u2022\u25aa\u25cf\u25e6\u2023\u2043\u00b7–—*-]|o(?= ))\s*(?=\S)"
)
_MD_HEADING = re.compile(r"^#{1,6}\s+(?=\S)")
_SENTENCE_END = re.compile(r"[.:;!?][\"'”’)\]]*$")
_INNER_SENTENCE = re.compile(r"\w\w[.;:!?] +\S")

# Words that cannot end a Dutch (or English) heading or sentence: a line ending in one was wrapped.
FUNCTION_WORDS = frozenset(
    "de het een van en of op te tot met in voor aan om bij door naar over uit als dat die dan maar "
    "zijn is wordt worden werd heeft hebben zal zou kan"
    " the a an and or of to for in on with by from as that".split()
)
# "screening- en grensprocedure", "TAC- of quotabeheer": the first part is cut off on purpose.
COORDINATORS = frozenset({"en", "of", "tot", "noch", "and", "or", "to"})

_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_INLINE_HYPHEN = re.compile(r"\b([^\W\d_]+)-([^\W\d_]+)\b")


# Helvetica/Arial advance widths (1/1000 em, from the Adobe core-font metrics), grouped. Counting
# characters misjudges proportional text by ~10% per line; these widths make "would the next word
# have fitted on this line?" a reliable test of whether a line was wrapped or ended on purpose.
_ADVANCE = {
    c: w
    for chars, w in [
        ("ijl'", 222),
        ("ftI .,:;/!", 278),
        ("r-()[]", 333),
        ("ckvxyzsJ", 500),
        ("abdeghnopqu0123456789L", 556),
        ("FTZ", 611),
        ("ABEKPSVXY", 667),
        ("wCDHNRU", 722),
        ("GOQ", 778),
        ("mM", 833),
        ("W", 944),
    ]
    for c in chars
}


def visual_width(text: str) -> float:
    """Approximate printed width of `text` in a proportional font (an 'n' is 0.556).

    >>> visual_width("mm") > visual_width("iiii")
    True
    """
    return sum(_ADVANCE.get(unicodedata.normalize("NFD", c)[:1], 556) for c in text) / 1000


def normalise_line(line: str) -> str:
    """NFC, odd spaces to plain spaces, runs of spaces collapsed, ends stripped.

    >>> normalise_line("  Comité\\u00a0 operationele\\t")
    'Comité operationele'
    """
    line = unicodedata.normalize("NFC", line)
    line = _ZERO_WIDTH.sub("", _ODD_SPACES.sub(" ", line))
    return " ".join(line.split())


def is_page_number(line: str) -> bool:
    """A line holding only a page number.

    >>> [is_page_number(s) for s in ("3", "- 3 -", "Pagina 3 van 12", "3/12", "20 800")]
    [True, True, True, True, False]
    """
    return bool(_PAGE_NUMBER.fullmatch(line.casefold()))


def is_boilerplate(line: str) -> bool:
    """Printer lines of scanned Kamerstukken (ISSN, Sdu uitgeverij, the place-and-year line)."""
    return bool(_PRINTER.search(line) or _PRINTER_PLACE.fullmatch(line.casefold()))


def is_garbage(line: str) -> bool:
    """OCR debris: at most one letter or digit, or mostly symbols without a real word.

    >>> [is_garbage(s) for s in ("-,-", "..« —— «nr*M ™ *", "T", "ly.", "20 800")]
    [True, True, True, False, False]
    """
    compact = line.replace(" ", "")
    alnum = sum(c.isalnum() for c in compact)
    if alnum <= 1:
        return True
    has_word = any(len(w) >= 3 for w in re.findall(r"[^\W\d_]+", line))
    return alnum / len(compact) < 0.5 and not has_word


def bullet_text(line: str) -> str | None:
    """The item text of a bullet line as '- item', or None when the line is no bullet item.

    >>> bullet_text("\\uf0b7 Schengenevaluatie Kroatië"), bullet_text("-Becker3 -")
    ('- Schengenevaluatie Kroatië', None)
    """
    m = _BULLET.match(line)
    # "-Becker3" or "–10%" glued to the glyph is text, not a list item.
    if not m or m.end() == 1 and line[:1] in "-–—*":
        return None
    return "- " + line[m.end() :]


def heading_text(line: str) -> str | None:
    """A Markdown heading's text without its hashes, else None."""
    m = _MD_HEADING.match(line)
    return line[m.end() :] if m else None


def ends_sentence(line: str) -> bool:
    return bool(_SENTENCE_END.search(line))


def has_inner_sentence(line: str) -> bool:
    """A sentence ends inside the line ('... gegevens. Ook werd'): body text, not a heading."""
    return bool(_INNER_SENTENCE.search(line, 4))


def last_word(line: str) -> str:
    return line.rsplit(" ", 1)[-1].casefold()


def starts_lower(line: str) -> bool:
    return line[:1].islower()


def vocabulary(lines: list[str]) -> tuple[set[str], set[str]]:
    """Case-folded words of a document: (plain words, hyphenated compounds), for de-hyphenation."""
    plain: set[str] = set()
    compound: set[str] = set()
    for line in lines:
        for word in _WORD.findall(line):
            (compound if "-" in word else plain).add(word.casefold())
    return plain, compound


def join_hyphenated(left: str, right: str, plain: set[str], compound: set[str]) -> str:
    """How a line ending in 'X-' continues with the next line starting with 'Y'.

    Returns the separator to put between `left` without its hyphen and `right`: "" (join the
    word), "-" (keep the hyphen: "Covid-19", "EU-informatiesystemen") or "- " (coordination:
    "screening- en grensprocedure").

    >>> join_hyphenated("zeedagenre-", "geling is", {"zeedagenregeling"}, set())
    ''
    """
    head = re.search(r"([^\W\d_]+)-$", left)
    if not head:
        return "-"
    first = right.split(" ", 1)[0]
    tail = re.match(r"[^\W\d_]+", first)
    if first.casefold() in COORDINATORS:
        return "- "
    if not tail or not first[:1].islower() or head.group(1).isupper():
        return "-"  # a digit, a capital or an acronym before the hyphen: a real compound
    whole = head.group(1).casefold() + tail.group(0).casefold()
    if f"{head.group(1)}-{tail.group(0)}".casefold() in compound:
        return "-"
    if whole in plain:
        return ""
    # Dutch writes a hyphen where two vowels would merge ("informatie-uitwisseling", "zee-egel").
    if head.group(1)[-1] in "aeiouy" and tail.group(0)[0] in "aeiouy":
        return "-"
    return ""


def fix_inline_hyphens(line: str, plain: set[str]) -> str:
    """Join OCR line-break hyphens left inside a line when the joined word occurs elsewhere.

    >>> fix_inline_hyphens("een zeedagenre-geling en TAC-en", {"zeedagenregeling", "tacen"})
    'een zeedagenregeling en TAC-en'
    """

    def repl(m: re.Match[str]) -> str:
        a, b = m.group(1), m.group(2)
        if b.casefold() in COORDINATORS:
            return m.group(0)
        # Lower case goes on in lower case ("bespre-kingen"), capitals in capitals
        # ("WERKGELE-GENHEID"); "EU-agenda" and "Noord-Afrikaanse" are real compounds.
        if not (b[:1].islower() or (a.isupper() and b.isupper())):
            return m.group(0)
        return a + b if (a + b).casefold() in plain else m.group(0)

    return _INLINE_HYPHEN.sub(repl, line)
