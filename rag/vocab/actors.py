"""Who said what: the actors of Council reports, in questions and in report sentences.

Reports record positions ("Nederland benadrukte ...", "Enkele lidstaten, waaronder Nederland, ...",
"Namens de Commissie ...", "Het voorzitterschap concludeerde ..."). A question about an actor must
surface the sentences in which that actor speaks or is included, above those that merely mention
it. `role_in(sentence, actor)` grades that: 2 = speaks or is included, 1 = mentioned, 0 = absent.

Shortcut on purpose: the speaker is recognised by position and a few Dutch cue words (the actor
among the first words of the sentence, or after "namens", "volgens", "waaronder", "door" ...),
not by parsing; reports are formulaic enough for that to hold on the sample corpus.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from rag.vocab.cues import MONTHS, PARTY, cue, cue_words


@dataclass(frozen=True)
class Actor:
    key: str
    label_nl: str
    label_en: str
    question: str  # regex finding the actor in a question (English or Dutch)
    text: str  # regex finding the actor in Dutch report text
    text_en: str = ""  # regex finding it in English report text (the Council's own documents)

    @property
    def in_text(self) -> str:
        """The actor in report text of either language."""
        return f"(?:{self.text})|(?:{self.text_en})" if self.text_en else self.text


# Words that follow "de Raad" / "the Council" in a formation's name (`rag.vocab.formations`).
_FORMATION_WORDS = (
    "buitenlandse", "algemene", "justitie", "landbouw", "milieu", "economische", "vervoer",
    "concurrentievermogen", "werkgelegenheid", "onderwijs", "foreign", "general", "justice",
    "agriculture", "environment", "economic", "competitiveness", "transport", "employment",
    "education",
)  # fmt: skip

ACTORS: tuple[Actor, ...] = (
    Actor(
        "nl",
        "Nederland",
        "the Netherlands",
        r"\b(?:the netherlands|netherlands|dutch|nederland|nederlandse)\b",
        # In the 1990s letters the Dutch minister writes in the first person ("heb ik gepleit").
        r"\b(?:Nederland|Nederlandse (?:delegatie|regering|inzet|standpunt)|ik)\b",
        r"\b(?:the Netherlands|Netherlands|Dutch (?:delegation|government|minister))\b",
    ),
    Actor(
        "commission",
        "de Commissie",
        "the Commission",
        r"\b(?:(?:european )?commission|(?:europese )?commissie)\b(?!\s*(?:er|van)\b)",
        r"\b(?:Commissie|Commissaris \w+|Vicepresident \w+)\b",
        r"\b(?:Commission|Commissioner \w+|Vice-President \w+)\b",
    ),
    Actor(
        "johansson",
        "Commissaris Johansson",
        "Commissioner Johansson",
        r"\bjohansson\b",
        r"\bJohansson\b",
    ),
    Actor(
        "schinas", "Vicepresident Schinas", "Vice-President Schinas", r"\bschinas\b", r"\bSchinas\b"
    ),
    Actor(
        "portuguese_presidency",
        "het Portugese voorzitterschap",
        "the Portuguese presidency",
        r"\b(?:portuguese|portugese|portugees|incoming)\b.{0,20}\b(?:presidency|voorzitterschap)\b|"
        r"\binkomende? voorzitterschap\b",
        r"\b(?:Portugese|Portugees|inkomende?)\s+(?:POR\s+)?(?:Voorzitterschap|voorzitterschap)\b|"
        r"\bPOR VZS\b",
    ),
    Actor(
        "german_presidency",
        "het Duitse voorzitterschap",
        "the German presidency",
        r"\b(?:german|duitse)\b.{0,20}\b(?:presidency|voorzitterschap)\b",
        r"\b(?:Duitse|huidige Duitse)\s+[Vv]oorzitterschap\b",
    ),
    Actor(
        "presidency",
        "het voorzitterschap",
        "the presidency",
        r"\b(?:presidency|voorzitterschap|chair)\b",
        r"\b[Vv]oorzitterschap\b|\bVZS\b",
        r"\b[Pp]residency\b",
    ),
    Actor(
        "ctc",
        "de EU-coördinator voor terrorismebestrijding",
        "the EU Counter-Terrorism Coordinator",
        r"\b(?:eu ctc|ctc|counter[- ]terrorism coordinator|co[öo]rdinator terrorismebestrijding"
        r"|(?:eu[- ])?contra-?terrorisme-?co[öo]rdinator)\b",
        r"\b(?:EU CTC|Coördinator Terrorismebestrijding)\b",
    ),
    Actor(
        "europol",
        "Europol",
        "Europol",
        # Not "the Europol mandate", "het Europol-mandaat": Europol's rules, not Europol.
        r"\beuropol\b(?!['’]s mandate|[- ](?:mandaat|verordening|mandate|regulation))",
        r"\bEuropol\b(?![- ](?:mandaat|verordening))",
    ),
    Actor("eulisa", "eu-LISA", "eu-LISA", r"\beu-?lisa\b", r"\b[Ee]u-LISA\b"),
    Actor(
        "parliament",
        "het Europees Parlement",
        "the European Parliament",
        r"\b(?:european parliament|europees parlement|\bep\b)\b",
        r"\b(?:Europees Parlement|EP)\b",
        r"\b(?:European Parliament|EP)\b",
    ),
    # "the Council" and "the ministers" as actors, not as part of a name: "the JHA Council",
    # "de Raad Buitenlandse Zaken", "the Council conclusions", "the agriculture ministers".
    Actor(
        "council",
        "de Raad",
        "the Council",
        r"\b(?:the council|de raad)\b(?!\s*(?:conclusions?|conclusies|decisions?|van|of|voor|"
        + "|".join(_FORMATION_WORDS)
        + r")\b)",
        r"\b[Dd]e Raad\b(?!\s*(?:van|voor)\b)(?!\s+[A-Z])",
        r"\b(?:the Council|Council)\b(?!\s+(?:conclusions|meeting|of|decision|regulation)\b)"
        r"(?!\s+[A-Z])",
    ),
    Actor(
        "ministers",
        "de ministers",
        "the ministers",
        r"\b(?:the|de) ministers\b(?!\s*(?:van|of|voor|for)\b)",
        r"\b(?:[Mm]inisters?|bewindslieden)\b",
        r"\b[Mm]inisters?\b",
    ),
    Actor(
        "member_states",
        "de lidstaten",
        "the member states",
        r"\b(?:member states?|lidstaten|lidstaat|countries|landen)\b",
        r"\b(?:lidstaten|lidstaat|landen)\b",
        r"\b(?:[Mm]ember [Ss]tates?|countries|delegations)\b",
    ),
    Actor(
        "germany",
        "Duitsland",
        "Germany",
        r"\b(?:germany|duitsland)\b",
        r"\b(?:Duitsland|Duitse)\b",
        r"\b(?:Germany|German)\b",
    ),
    Actor(
        "france",
        "Frankrijk",
        "France",
        r"\b(?:france|french|frankrijk)\b",
        r"\b(?:Frankrijk|Franse)\b",
        r"\b(?:France|French)\b",
    ),
    Actor(
        "spain",
        "Spanje",
        "Spain",
        r"\b(?:spain|spanish|spanje)\b",
        r"\b(?:Spanje|Spaanse)\b",
        r"\b(?:Spain|Spanish)\b",
    ),
    Actor(
        "italy",
        "Italië",
        "Italy",
        r"\b(?:italy|italian|itali[ëe])\b",
        r"\b(?:Italië|Italiaanse)\b",
        r"\b(?:Italy|Italian)\b",
    ),
    Actor(
        "croatia",
        "Kroatië",
        "Croatia",
        r"\b(?:croatia|kroati[ëe])\b",
        r"\bKroatië\b",
        r"\b(?:Croatia|Croatian)\b",
    ),
    Actor(
        "belgium",
        "België",
        "Belgium",
        r"\b(?:belgium|belgi[ëe])\b",
        r"\b(?:België|Belgische)\b",
        r"\b(?:Belgium|Belgian)\b",
    ),
    Actor(
        "poland",
        "Polen",
        "Poland",
        r"\b(?:poland|polen)\b",
        r"\b(?:Polen|Poolse)\b",
        r"\b(?:Poland|Polish)\b",
    ),
    Actor(
        "hungary",
        "Hongarije",
        "Hungary",
        r"\b(?:hungary|hongarije)\b",
        r"\b(?:Hongarije|Hongaarse)\b",
        r"\b(?:Hungary|Hungarian)\b",
    ),
    # The other member states (and the United Kingdom of the 1990s letters).
    Actor(
        "austria",
        "Oostenrijk",
        "Austria",
        r"\b(?:austria|austrian|oostenrijk)\b",
        r"\b(?:Oostenrijk|Oostenrijkse)\b",
        r"\b(?:Austria|Austrian)\b",
    ),
    Actor(
        "bulgaria",
        "Bulgarije",
        "Bulgaria",
        r"\b(?:bulgaria|bulgarian|bulgarije)\b",
        r"\b(?:Bulgarije|Bulgaarse)\b",
        r"\b(?:Bulgaria|Bulgarian)\b",
    ),
    Actor(
        "cyprus",
        "Cyprus",
        "Cyprus",
        r"\b(?:cyprus|cypriot)\b",
        r"\b(?:Cyprus|Cypriotische)\b",
        r"\b(?:Cyprus|Cypriot)\b",
    ),
    Actor(
        "czechia",
        "Tsjechië",
        "Czechia",
        r"\b(?:czechia|czech republic|czech|tsjechi[ëe])\b",
        r"\b(?:Tsjechië|Tsjechische)\b",
        r"\b(?:Czechia|Czech Republic)\b",
    ),
    Actor(
        "denmark",
        "Denemarken",
        "Denmark",
        r"\b(?:denmark|danish|denemarken)\b",
        r"\b(?:Denemarken|Deense)\b",
        r"\b(?:Denmark|Danish)\b",
    ),
    Actor(
        "estonia",
        "Estland",
        "Estonia",
        r"\b(?:estonia|estonian|estland)\b",
        r"\b(?:Estland|Estse|Estlandse)\b",
        r"\b(?:Estonia|Estonian)\b",
    ),
    Actor(
        "finland",
        "Finland",
        "Finland",
        r"\b(?:finland|finnish)\b",
        r"\b(?:Finland|Finse)\b",
        r"\b(?:Finland|Finnish)\b",
    ),
    Actor(
        "greece",
        "Griekenland",
        "Greece",
        r"\b(?:greece|greek|griekenland)\b",
        r"\b(?:Griekenland|Griekse)\b",
        r"\b(?:Greece|Greek)\b",
    ),
    Actor(
        "ireland",
        "Ierland",
        "Ireland",
        r"\b(?:ireland|irish|ierland)\b",
        r"\b(?:Ierland|Ierse)\b",
        r"\b(?:Ireland|Irish)\b",
    ),
    Actor(
        "latvia",
        "Letland",
        "Latvia",
        r"\b(?:latvia|latvian|letland)\b",
        r"\b(?:Letland|Letse)\b",
        r"\b(?:Latvia|Latvian)\b",
    ),
    Actor(
        "lithuania",
        "Litouwen",
        "Lithuania",
        r"\b(?:lithuania|lithuanian|litouwen)\b",
        r"\b(?:Litouwen|Litouwse)\b",
        r"\b(?:Lithuania|Lithuanian)\b",
    ),
    Actor(
        "luxembourg",
        "Luxemburg",
        "Luxembourg",
        r"\b(?:luxembourg|luxemburg)\b",
        r"\b(?:Luxemburg|Luxemburgse)\b",
        r"\b(?:Luxembourg)\b",
    ),
    Actor(
        "malta",
        "Malta",
        "Malta",
        r"\b(?:malta|maltese)\b",
        r"\b(?:Malta|Maltese)\b",
        r"\b(?:Malta|Maltese)\b",
    ),
    Actor(
        "portugal",
        "Portugal",
        "Portugal",
        r"\b(?:portugal)\b",
        r"\b(?:Portugal|Portugese|Portugees)\b",
        r"\b(?:Portugal|Portuguese)\b",
    ),
    Actor(
        "romania",
        "Roemenië",
        "Romania",
        r"\b(?:romania|romanian|roemeni[ëe])\b",
        r"\b(?:Roemenië|Roemeense)\b",
        r"\b(?:Romania|Romanian)\b",
    ),
    Actor(
        "slovakia",
        "Slowakije",
        "Slovakia",
        r"\b(?:slovakia|slovak|slowakije)\b",
        r"\b(?:Slowakije|Slowaakse)\b",
        r"\b(?:Slovakia|Slovak)\b",
    ),
    Actor(
        "slovenia",
        "Slovenië",
        "Slovenia",
        r"\b(?:slovenia|slovenian|sloveni[ëe])\b",
        r"\b(?:Slovenië|Sloveense)\b",
        r"\b(?:Slovenia|Slovenian)\b",
    ),
    Actor(
        "sweden",
        "Zweden",
        "Sweden",
        r"\b(?:sweden|swedish|zweden)\b",
        r"\b(?:Zweden|Zweedse)\b",
        r"\b(?:Sweden|Swedish)\b",
    ),
    Actor(
        "uk",
        "het Verenigd Koninkrijk",
        "the United Kingdom",
        r"\b(?:united kingdom|britain|british|uk|verenigd koninkrijk)\b",
        r"\b(?:Verenigd Koninkrijk|Britse)\b",
        r"\b(?:United Kingdom|British)\b",
    ),
)

# The actors that are member states (for "which member state" questions).
MEMBER_STATES = frozenset(
    "nl germany france spain italy croatia belgium poland hungary austria bulgaria cyprus czechia "
    "denmark estonia finland greece ireland latvia lithuania luxembourg malta portugal romania "
    "slovakia slovenia sweden uk".split()
)
# A presidency named by its country ("het Portugese voorzitterschap") names that member state.
# The meeting itself: every report of a Council meeting is about what the Council and its
# ministers did, named or not ("Now that the ministers adopted the pact, ..."), so their absence
# from the passages is no reason to abstain.
MEETING_ACTORS = frozenset({"council", "ministers"})
PRESIDENCY_STATE = {"portuguese_presidency": "portugal", "german_presidency": "germany"}

# Whose positions a briefing note lists, in this order (the Netherlands first, then the
# Commission, the presidency, the other member states, then everyone else); every actor key is in
# exactly one group.
POSITION_GROUPS: tuple[tuple[str, frozenset[str]], ...] = (
    ("nl", frozenset({"nl"})),
    ("commission", frozenset({"commission", "johansson", "schinas"})),
    ("presidency", frozenset({"presidency", "german_presidency", "portuguese_presidency"})),
    ("member_states", (MEMBER_STATES - {"nl"}) | {"member_states"}),
)
OTHERS = "others"


def position_group(actor_key: str) -> str:
    """The briefing group of an actor: one of POSITION_GROUPS' keys, or OTHERS.

    >>> position_group("johansson"), position_group("germany"), position_group("parliament")
    ('commission', 'member_states', 'others')
    """
    return next((g for g, keys in POSITION_GROUPS if actor_key in keys), OTHERS)


def actor_label(actor_key: str, lang: str) -> str:
    """An actor's name in `lang` ('nl' or 'en'), the key itself when unknown.

    >>> actor_label("nl", "en"), actor_label("commission", "nl")
    ('the Netherlands', 'de Commissie')
    """
    actor = next((a for a in ACTORS if a.key == actor_key), None)
    if actor is None:
        return actor_key
    return actor.label_en if lang == "en" else actor.label_nl


# A finite verb right before the actor means inversion ("Ook benadrukte Nederland ..."), the actor
# being the subject: Dutch past tenses end in -de/-te(n); the strong ones are listed.
_VERB_BEFORE = re.compile(
    r"\b(?:" + "|".join(cue_words("finite_verb_before_subject")) + r")\s+(?:de |het )?$",
    re.IGNORECASE,
)
_OWNER_AFTER = re.compile(r"['’]s\b")
# ... unless what it owns is a stance: "the Commission's position", "Germany's initial take".
_STANCE_AFTER = re.compile(
    r"\s+(?:\w+\s+)?(?:" + "|".join(cue_words("position_noun")) + r")\b", re.IGNORECASE
)
_OWNER_BEFORE = re.compile(
    r"\b(?:rapport|rapportage|verslag|voorstel(?:len)?|report|proposals?|mandaat|mandate)\s+"
    r"(?:van|of)\s+(?:de|het|the)\s*$",
    re.IGNORECASE,
)
# "Dutch" and "Nederlandse" as a language, not the Netherlands: "available in Dutch", "a Dutch
# version", "de Nederlandse vertaling".
_LANGUAGE_BEFORE = re.compile(r"\bin\s*$", re.IGNORECASE)
_LANGUAGE_AFTER = re.compile(
    r"\s+(?:version|translation|text|language|original|versie|vertaling|tekst|taal)\b",
    re.IGNORECASE,
)
_LANGUAGE_WORDS = frozenset({"dutch", "nederlandse"})
# "the Energy Council", "de Milieuraad": the meeting a question names, not a person who spoke.
_MEETING = re.compile(r"(?i:\b(?:council|raad|raden)\b|\w+raad\b)")
# The minister's first person in a cover formula ("Hierbij doe ik u toekomen") is no position.
_COVER_FORMULA = re.compile(
    r"\b(?:toekomen|toe te zenden|aanbieden|aan te bieden|de eer|bijgaand|hierbij zend)\b", re.I
)


def is_cover_formula(sentence: str) -> bool:
    """A letter's sending formula ("Hierbij zend ik u de geannoteerde agenda ..."): it says a
    document was sent, nothing of what it holds.

    >>> is_cover_formula("Hierbij zend ik u de geannoteerde agenda voor de Justitieraad.")
    True
    """
    return bool(_COVER_FORMULA.search(sentence))


# A letter's signature: the office ("De Minister van Financiën a.i.", "De Staatssecretaris van
# Buitenlandse Zaken") and the name, after a comma or as initials, and nothing after the name.
_NAME_WORDS = r"(?:(?:van|de|der|den|ter|tot)\s+)*[A-Z][\w'’-]+(?:\s+(?:van|de|der|den|ter|tot|[A-Z][\w'’-]+))*"
_SIGNATURE = re.compile(
    r"^\s*De\s*(?:Minister|Staatssecretaris)\w*\b[^!?\n]{0,80}?"
    rf"(?:,\s*(?:[A-Z]\.\s?-?\s?)*{_NAME_WORDS}|\s(?:[A-Z]\.\s?)+{_NAME_WORDS})\s*$"
)


def is_signature(sentence: str) -> bool:
    """The sentence is a letter's signature: who sent the letter.

    >>> is_signature("De Minister van Financiën a.i., J. E. Andriessen"), is_signature(
    ...     "De Minister van Economische Zaken J. E. Andriessen")
    (True, True)
    >>> is_signature("De Minister van Justitie lichtte het voorstel toe aan Nederland")
    False
    """
    return bool(_SIGNATURE.match(sentence))


# Initials before a surname ("E.H.T.M. Nijpels", "E. M. H. Hirsch Ballin"): a signature.
_INITIALS = re.compile(r"\b(?:[A-Z]\.\s?){1,5}(?:[A-Z][a-z]+|van\b|de\b)")


def names_individual(sentence: str) -> bool:
    """The sentence names someone, not only an office: initials before a surname, a member with
    their party, or a title before a surname ("Minister Pronk", "de heer Weisglas").

    >>> names_individual("overleg gevoerd met de minister voor Ontwikkelingssamenwerking")
    False
    >>> names_individual("De Minister van Justitie, E. M. H. Hirsch Ballin")
    True
    """
    return bool(
        _INITIALS.search(sentence)
        or _PARTY.search(sentence)
        or re.search(
            r"\b(?:[Dd]e heer|[Mm]evrouw|[Cc]ommissaris|[Mm]inister|[Ss]taatssecretaris"
            r"|Commissioner|Minister|Mr|Mrs)\.?\s+[A-Z][a-zà-ÿ]+",
            sentence,
        )
    )


_PARTY = re.compile(PARTY)


def names_person(sentence: str) -> bool:
    """The sentence names an individual: a title or office ("de Minister van Justitie",
    "Commissaris Johansson", "de p.v. ambassadeur"), a member of parliament ("Lonink (PvdA)"),
    or initials before a surname. An institution or a member state is no person.

    >>> names_person("De Minister van Justitie, E. M. H. Hirsch Ballin"), names_person(
    ...     "Het voorzitterschap informeerde de Raad.")
    (True, False)
    """
    joined = re.sub(r"(?<=[a-z])-\s*(?=[a-z])", "", sentence)  # "staatsse-cretaris" (OCR)
    return bool(cue("person_given").search(joined) or _INITIALS.search(sentence))


# "De ontwikkeling van Europol ..." is about Europol, not by it.
_PREPOSITIONS = frozenset(
    "van voor met aan over bij in op naar om uit tegen zonder na"
    " of for with to about at on from against without after".split()
)
# Cue words before an actor that make it the one speaking or included in a position.
_CUES = (
    r"(?:namens|volgens|aldus|waaronder|inclusief|door|van mening van|standpunt van"
    r"|on behalf of|according to|including|among them|supported by|by|position of"
    # Support held by the actor: "een zeer gering draagvlak bij de andere lidstaten".
    r"|(?:steun|draagvlak|bezwaren|bezwaar|verzet|instemming|weerstand)\s+(?:bij|onder)"
    r"|(?:support|backing|opposition)\s+(?:among|from))"
)
# "door alle lidstaten gesteund", "waaronder de meeste lidstaten", "waaronder ook Nederland":
# still the actor's own position.
_QUANTIFIER = (
    r"(?:ook |also )?(?:(?:de |het |the )?(?:alle |enkele |meerdere |vele? |diverse |sommige "
    r"|meeste |nagenoeg alle |vrijwel alle |een aantal |een meerderheid van (?:de )?|andere "
    r"|overige |all |some |several |many |most |other |a number of |a majority of (?:the )?)?"
    r"|de |het |the )"
)
_QUESTION_ABOUT = re.compile(
    r"(?i:\b(?:what did|what does|wat zei(?:den)?|wat vond(?:en)?|wat stelde|wat wilde|wat heeft|"
    r"wat had|what had|wat vroeg|"
    r"what was the position of|standpunt van|position of)\s+(?:de heer |mr\.? |the )?"
    r"(?:[\w-]*kamerlid |mp )?)"
    # "De Hoop Scheffer", "Van der Linden"; not the "van" of "Wat vond Weisglas van ...".
    r"(?P<who>[A-Z][\w'-]+(?:\s+(?:(?:van|de|der|den)\s+)*[A-Z][\w'-]+)*)"
)


_TITLE = re.compile(
    r"^(?:(?:Minister|Staatssecretaris|State Secretary|Secretary|Commissaris|Commissioner|"
    r"Minister-President|Prime Minister|President|Voorzitter|Mr|Mrs|Ms|Dr|Mevrouw)\.?\s+)+"
)


@cache
def _rx(pattern: str, flags: int = 0) -> re.Pattern[str]:
    return re.compile(pattern, flags)


def find_actors(question: str) -> list[Actor]:
    """Actors a question asks about, most specific first (the Portuguese presidency before the
    presidency). A named person not in the catalogue ("wat zei De Hoop Scheffer") becomes one.

    >>> [a.key for a in find_actors("Wat zei de Commissie over het EES?")]
    ['commission']
    >>> [a.key for a in find_actors("What did Minister Pronk attach to his report?")]
    ['name:Pronk']
    """
    found: list[Actor] = []
    spans: list[tuple[int, int]] = []
    owned = False
    for actor in ACTORS:
        for m in _rx(actor.question, re.IGNORECASE).finditer(question):
            if any(a <= m.start() and m.end() <= b for a, b in spans):
                continue  # "presidency" inside "Portuguese presidency"
            owner = _OWNER_AFTER.match(question, m.end())
            if owner and _STANCE_AFTER.match(question, owner.end()):
                pass  # "the Commission's position / take on it": the actor's own stance
            elif owner or _OWNER_BEFORE.search(question[: m.start()]):
                owned = True
                continue  # "the Commission's report", "het rapport van de Commissie": a topic
            if m.group().casefold() in _LANGUAGE_WORDS and (
                _LANGUAGE_AFTER.match(question, m.end())
                or _LANGUAGE_BEFORE.search(question[: m.start()])
            ):
                continue  # the language, not the Netherlands
            found.append(actor)
            spans.append(m.span())
            break
    m = _QUESTION_ABOUT.search(question) if not owned else None
    if m:
        who = _TITLE.sub("", m.group("who").strip())  # "Minister Pronk": reports say "Pronk"
        # "What did the Energy Council decide?" asks the meeting; "What does the May 1993
        # consultation tell us?" names a month.
        if (
            who
            and not _MEETING.search(who)
            and who.split()[0].lower() not in MONTHS
            and not any(a < m.end("who") and m.start("who") < b for a, b in spans)  # catalogued
        ):
            # The one asked about comes first: "What did Weisglas say about the Dutch ...?"
            text = rf"\b{ocr_tolerant(who)}\b"
            found.insert(0, Actor(f"name:{who}", who, who, re.escape(who), text))
    return found


# Letters OCR confuses in the scanned letters: "Weisgias" for "Weisglas", "Stemerdmk" for
# "Stemerdink", "lerse" for "Ierse".
_OCR_CONFUSED = (("rn", "(?:rn|m)"), ("m", "(?:m|rn)"), ("l", "[lIi1!]"), ("i", "[iIl1!]"),
                 ("I", "[IlL1!]"), ("o", "[oO0]"), ("O", "[OoQ0]"), ("n", "[nu]"), ("u", "[un]"))  # fmt: skip


def ocr_tolerant(name: str) -> str:
    """A regex for `name` that also finds it as OCR misread it, one letter at a time.

    >>> bool(re.fullmatch(ocr_tolerant("Weisglas"), "Weisgias"))
    True
    """
    out, i = [], 0
    while i < len(name):
        for letters, pattern in _OCR_CONFUSED:
            if name.startswith(letters, i):
                out.append(pattern)
                i += len(letters)
                break
        else:
            out.append(re.escape(name[i]))
            i += 1
    return "".join(out)


def role_in(sentence: str, actor: Actor) -> int:
    """2 if `actor` speaks or is included in the sentence's position, 1 if merely mentioned.

    >>> nl = ACTORS[0]
    >>> role_in("Een meerderheid van de lidstaten, waaronder Nederland, steunde het rapport.", nl)
    2
    >>> role_in("Enkele landen, waaronder ook Nederland, zagen er geen bezwaar in.", nl)
    2
    >>> role_in("Dit is van belang voor de burgers van Nederland.", nl)
    1
    >>> ms = next(a for a in ACTORS if a.key == "member_states")
    >>> role_in("Er bleek een zeer gering draagvlak bij de andere lidstaten.", ms)
    2
    >>> role_in("Een project loopt in twee verschillende lidstaten.", ms)
    1
    >>> role_in("Geen van de lidstaten heeft geïntervenieerd.", ms)
    2
    """
    best = 0
    for m in _rx(actor.in_text).finditer(sentence):
        if m.group(0) == "ik" and _COVER_FORMULA.search(sentence):
            continue
        before = sentence[: m.start()]
        words_before = before.lower().split()
        if (
            (len(words_before) <= 3 and not _PREPOSITIONS.intersection(words_before))
            or _rx(rf"\b{_CUES}\s+{_QUANTIFIER}$", re.IGNORECASE).search(before)
            or _VERB_BEFORE.search(before)
            or _PARTITIVE.search(before)
        ):
            return 2
        best = 1
    return best


# A part of the actor as the subject: "Een meerderheid van de lidstaten steunde ...", "Geen van
# de lidstaten heeft geïntervenieerd", "Most of the member states ...".
_PARTITIVE = re.compile(
    r"(?:^|[,;:]\s*|\b(?:en|maar|dat|and|but|that)\s+)(?:ook\s+|also\s+)?(?:een\s+|a\s+)?"
    r"(?:groot\s+|klein\s+|large\s+|small\s+)?(?:meerderheid|minderheid|aantal|deel|helft|geen|"
    r"enkele|sommige|vele?|meeste|meerdere|elk|ieder|alle|majority|minority|number|part|half|"
    r"none|most|some|many|several|each|all|one|two|three|een|twee|drie)\s+(?:van|of)\s+"
    r"(?:de\s+|het\s+|the\s+)?$",
    re.IGNORECASE,
)
_INCLUDED = re.compile(r"\b(?:waaronder|inclusief|including|among them)\s+\S*\s*$", re.IGNORECASE)


def is_included(sentence: str, actor: Actor) -> bool:
    """The actor takes part in a group's position ("Meerdere lidstaten, waaronder Nederland,
    noemden ..."), rather than stating its own.

    >>> nl = ACTORS[0]
    >>> is_included("Een meerderheid van de lidstaten, waaronder Nederland, steunde het.", nl)
    True
    >>> is_included("Nederland sprak teleurstelling uit.", nl)
    False
    """
    matches = list(_rx(actor.in_text).finditer(sentence))
    return bool(matches) and all(_INCLUDED.search(sentence[: m.start()]) for m in matches)


def asks_for_position(question: str) -> bool:
    """Whether the question asks what an actor said or thought (not merely what concerns it).

    >>> asks_for_position("Wat zei de Commissie over het EES?")
    True
    >>> asks_for_position("Wat was de Nederlandse inzet bij het pact?")
    True
    >>> asks_for_position("When did the Commission publish its proposals?")
    False
    >>> asks_for_position("Waarvoor heeft de minister gepleit?"), asks_for_position("What did he push for?")
    (True, True)
    >>> asks_for_position("Welke punten bracht Nederland bij dit agendapunt naar voren?")
    True
    >>> asks_for_position("What points did the Dutch minister make?")
    True
    """
    return bool(cue("speech_verb").search(question) or cue("position_noun").search(question))
