"""The cue words of questions and reports, Dutch and English side by side, as one table.

Each row of `CUES` is a kind of cue (question words, verbs of speaking, quantities, question
types ...) with its Dutch and its English entries. Entries are regex fragments matched on word
boundaries and case-insensitively; `\\w*` marks an open ending ("benadrukte\\w*" also takes the
plural "benadrukten"). Code elsewhere asks for a row (`cue("speech_verb")`) and never carries its
own word list, so a reviewer reads the vocabulary here without reading code; spaCy's
`lang/nl/lex_attrs.py` is the model.

Shortcut on purpose: entries are surface forms, not lemmas; the reports are formulaic enough that
the few inflections listed cover them (measured by `python -m rag.eval`).
"""

from __future__ import annotations

import calendar
import re
from functools import cache

MONTHS_NL = (
    "januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
    "oktober", "november", "december",
)  # fmt: skip
MONTHS_EN = tuple(m.lower() for m in calendar.month_name if m)
# Month name (either language) -> number.
MONTHS: dict[str, int] = {
    **{m: i + 1 for i, m in enumerate(MONTHS_EN)},
    **{m: i + 1 for i, m in enumerate(MONTHS_NL)},
}
# Longest first, so "juni" never wins over "june"'s neighbours by accident in an alternation.
MONTH = "(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + ")"
YEAR = r"(?:19|20)\d\d"  # years of the reports: 1988 and later
# A member of parliament's party after the name: "Lonink (P.v.d.A.)", "Weisglas (VVD)".
PARTY = r"\((?:CDA|PvdA|P\.v\.d\.A\.|VVD|D66|D'66|GPV|SGP|RPF|CD|PSP|PPR|CPN|EVP|GL|GroenLinks)\)"
WEEKDAYS_NL = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
WEEKDAYS_EN = tuple(d.lower() for d in calendar.day_name)

# kind -> (Dutch entries, English entries)
CUES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # Words that open or frame a question.
    "question_word": (
        ("wat", "wie", "welke", "wanneer", "waar", "waarom", "hoe", "hoeveel"),
        ("what", "who", "which", "when", "where", "why", "how"),
    ),
    # Function words that tell the question's language (detect_language counts them).
    "function_word": (
        tuple(
            "de het een en van wat wie welke waarom hoe wanneer zei zeiden over in op met voor "
            "niet is zijn was waren heeft hebben door bij aan ook nog daarover dat die deze dit "
            "er als om".split()
        ),
        tuple(
            "the a an and of what who which why how when did does say said about in on with for "
            "not is are was were has have by at to also that this there as it its member "
            "states".split()
        ),
    ),
    # A question asks what an actor said or thought: verbs of speaking and taking a position.
    "speech_verb": (
        (
            r"namens",
            r"zei",
            r"zeiden",
            r"zegt",
            r"vond",
            r"vonden",
            r"vindt",
            r"stelde\w*",
            r"wilde\w*",
            r"wil",
            r"vroeg\w*",
            r"bepleit\w*",
            r"pleit\w*",
            r"gepleit",
            # Past participles ("Wat heeft Nederland gezegd over ...?"); not "genoemd", which
            # questions use in the passive ("Waar wordt Luxemburg genoemd?").
            r"gezegd",
            r"gesproken",
            r"gesteld",
            r"gevraagd",
            r"benadrukt",
            r"onderstreept",
            r"gesteund",
            r"aangegeven",
            r"opgemerkt",
            r"verklaard",
            r"gereageerd",
            r"geantwoord",
            r"gemeld",
            r"verwelkomd",
            r"gewaarschuwd",
            r"aangedrongen",
            r"geuit",
            r"aangekondigd",
            r"voorgesteld",
            r"hard (?:voor )?gemaakt",
            r"maakte\w* (?:zich|hij|zij|het) (?:\w+ )?hard",
            r"kondigde\w*",
            r"benadrukte\w*",
            r"onderstreepte\w*",
            r"volgens",
            r"steunde\w*",
            r"concludeerde\w*",
            r"riep\w*",
            r"sprak\w*",
            r"reageerde\w*",
            r"antwoordde\w*",
            r"wees",
            r"wezen",
            r"verwelkomde\w*",
            r"waarschuwde\w*",
            r"merkte\w*",
            r"aan te merken",  # "Wat had Lonink aan te merken op het verslag?"
            r"gaf",
            r"gaven",
            r"liet",
            r"lieten",
            r"opende\w*",
            r"sloot",
            r"sloten",
            r"drong\w*",
            r"uitte\w*",
            r"verzocht\w*",
            r"noemde\w*",
            r"meldde\w*",
            # Separable verbs: the subject may stand between verb and particle ("Welke punten
            # bracht Nederland naar voren?", "Hoe keek het voorzitterschap terug op ...?").
            r"bracht\w*(?: [\w-]+){0,5} naar voren",
            r"naar voren gebracht",
            r"ingebracht",
            r"bracht\w* \w* ?in",
            r"keek\w*(?: [\w-]+){0,6} terug",
            r"teruggekeken",
            r"terugblik\w*",
            r"het woord gevoerd",
            r"voerde\w* \w* ?het woord",
            r"interven\w*",
            r"geïntervenieerd",
        ),
        (
            r"say",
            r"said",
            r"says",
            r"spoke",
            r"speak\w*",
            r"on behalf of",
            r"react\w*",
            r"respond\w*",
            r"repl\w*",
            r"answer\w*",
            r"think",
            r"thought",
            r"argue\w*",
            r"propos(?:e|ed|es|ing)",
            r"announc\w*",
            r"want\w*",
            r"ask\w*",
            r"critici[sz]\w*",
            r"critical",
            r"support\w*",
            r"oppos\w*",
            r"stress\w*",
            r"emphasi[sz]\w*",
            r"conclud\w*",
            r"call\w* (?:for|on)",
            r"push\w* for",
            r"stated",
            r"pointed out",
            r"made clear",
            r"press\w* for",
            r"advocat\w*",
            r"according to",
            r"urg\w*",
            r"insist\w*",
            r"warn\w*",
            r"welcom\w*",
            r"object\w*",
            r"reject\w*",
            r"highlight\w*",
            r"underlin\w*",
            r"point\w* (?:out|to)",
            r"express\w*",
            r"request\w*",
            r"suggest\w*",
            r"recommend\w*",
            r"explain\w*",
            r"indicat\w*",
            r"open\w*",
            r"clos\w*",
            r"t(?:ake|akes|ook|aken|aking) the floor",
            r"interven\w*",
            r"points? (?:did|does|do) (?:[\w-]+ ){1,4}(?:make|raise)",
            r"(?:make|made|makes|making|raised?|raising) (?:\w+ )?points?",
            r"look\w* back",
        ),
    ),
    # A position asked for by its name ("de Nederlandse inzet", "the Dutch position"): the
    # question's frame, like a speech verb, and no subject matter the answer must share ("de
    # inzet op interne veiligheid" is not the Dutch position on the pact).
    # Where something was said ("in het debat over het pact", "in the discussion on returns"):
    # a frame of the question, no subject matter an actor's statement must share.
    "discussion_noun": (
        (r"debat\w*", r"discussie\w*", r"bespreking\w*", r"gesprek\w*"),
        (r"debates?", r"discussions?", r"talks"),
    ),
    "position_noun": (
        (
            r"standpunt\w*",
            r"mening",
            r"inzet",
            r"inbreng",
            r"lijn",
            r"positie",
            r"opstelling",
            r"houding",
            r"visie",
            r"reactie",
        ),
        (
            r"positions?",
            r"views?",
            r"stance",
            r"line",
            r"input",
            r"message",
            r"take on",
            r"reactions?",
            r"responses?",
            r"opinions?",
            r"assessments?",
        ),
    ),
    # Finite Dutch verbs that, right before an actor, make it the subject by inversion
    # ("Ook benadrukte Nederland ..."): regular past tenses end in -de/-te(n), strong ones listed.
    # A long word in -ende is a present participle used as an adjective ("in twee verschillende
    # landen", "de volgende lidstaten"), not a verb.
    "finite_verb_before_subject": (
        (
            r"(?!\w{4,}ende\s)\w+(?:de|te|den|ten)",
            r"wees",
            r"sprak",
            r"spraken",
            r"riep",
            r"riepen",
            r"gaf",
            r"gaven",
            r"zag",
            r"zagen",
            r"liet",
            r"lieten",
            r"nam",
            r"bracht",
            r"stond",
            r"deed",
            r"hield",
            r"vroeg",
            r"zei",
            r"heb",
            r"heeft",
            r"hebben",
            r"had",
            r"zal",
            r"kan",
            r"wil",
            r"is",
            r"was",
            r"ziet",
            r"pleitte",
        ),
        (),
    ),
    # A question about the content of a meeting: what was decided, agreed or said.
    "decision": (
        (
            r"besl\w*",
            r"besluit\w*",
            r"overeengekomen",
            r"akkoord",
            r"aangenomen",
            r"conclu\w*",
            r"zei",
            r"zeiden",
            r"standpunt\w*",
        ),
        (
            r"decid\w*",
            r"decision\w*",
            r"agreed",
            r"agreement",
            r"adopt\w*",
            r"conclu\w*",
            r"said",
            r"say",
            r"says",
            r"position",
        ),
    ),
    # "How many ...": a count.
    "count_question": (
        (r"hoeveel\s+\w{3,}(?:en|s)", r"hoeveel geld", r"welke? (?:bedrag|percentage|aantal)"),
        (r"how (?:many|much|often)", r"what (?:amount|percentage|sum)"),
    ),
    # "How much funding ...": a sum of money or a share.
    "amount_question": (
        (
            r"hoeveel (?:geld|middelen|steun in|budget)",
            r"welke? (?:bedrag|percentage|budget|aandeel)",
            r"welk (?:deel|aandeel)",
            r"(?:wat is|wat was|wat wordt) (?:het|de) (?:\w+ )?(?:bedrag|budget|percentage|aandeel)",
            r"hoe hoog (?:is|was|waren|zijn|wordt|werd|lag|ligt)",
            r"hoeveel\s+(?:ecu|euro|euros|gulden|guilders|procent|percent|miljoen|miljard|"
            r"million|billion)",
        ),
        (
            r"how much (?:money|funding|funds|budget|aid|support)",
            r"what (?:amount|sum|budget|share|proportion|fraction)",
            r"what (?:is|was) the (?:\w+ )?(?:amount|budget|sum)",
            r"what percentage",
            r"how high (?:is|was|were|are)",
            r"(?:how many|how much)\s+(?:ecu|euro|euros|gulden|guilders|procent|percent|miljoen|"
            r"miljard|million|billion)",
        ),
    ),
    # "When ...": a date.
    "when_question": (
        (
            r"wanneer",
            r"welke datum",
            r"in welk(?:e)? (?:jaar|maand)",
            r"op welke dag",
            r"(?:wat|welke)(?:\s+[\w-]+){0,4}\s+\w*datum",
            r"(?:exacte|precieze) datum",
        ),
        (
            r"when",
            r"(?:what|which) date",
            r"(?:exact|precise) date",
            r"which (?:day|month|year)",
            r"what(?:\s+[\w-]+){0,4}\s+date",
        ),
    ),
    # A "when" question that asks for the day itself ("Op welke datum precies ...?"): a month
    # ("in februari a.s.") does not answer it.
    "day_question": (
        (
            r"op welke (?:dag|datum)",
            r"(?:van|per|vanaf|sinds|tot|voor) welke datum",
            r"welke datum",
            r"welke dag",
            r"(?:precieze|exacte) datum",
        ),
        (
            r"(?:on|from|by|as of|for) (?:what|which) (?:exact )?(?:date|day)",
            r"what date",
            r"which date",
            r"exact date",
            r"what day",
        ),
    ),
    # "The latest meeting": the newest report within the filters.
    "latest": (
        (r"laatste", r"meest recente", r"recentste", r"jongste"),
        (r"latest", r"most recent", r"newest", r"last meeting"),
    ),
    # A question for the exact figure ("Hoeveel lidstaten precies?"), and the quantities that
    # give none ("een meerderheid van de lidstaten"): a count, but not the one asked for.
    "exact_question": (
        (r"precies", r"exact\w*", r"precieze"),
        (r"exact\w*", r"precise\w*"),
    ),
    "vague_quantity": (
        (
            r"enkele",
            r"meerderheid",
            r"minderheid",
            r"meeste",
            r"meerdere",
            r"diverse",
            r"verschillende",
            r"sommige",
            r"een aantal",
            r"(?:nagenoeg|vrijwel) alle",
        ),
        (r"some", r"several", r"most", r"majority", r"minority", r"a number of", r"various"),
    ),
    # Words and quantities that answer "how many": numerals, quantifiers, ordinals. Not English
    # "ten": Dutch "ten opzichte van".
    "quantity": (
        (
            r"een",
            r"twee",
            r"drie",
            r"vier",
            r"vijf",
            r"zes",
            r"zeven",
            r"acht",
            r"negen",
            r"tien",
            r"elf",
            r"twaalf",
            r"twintig",
            r"dertig",
            r"veertig",
            r"vijftig",
            r"honderd",
            r"duizend",
            r"miljoen",
            r"\w+tig",
            r"\w+entwintig",
            r"enkele",
            r"meerderheid",
            r"minderheid",
            r"meeste",
            r"diverse",
            r"verschillende",
            r"unaniem\w*",
            r"alle lidstaten",
            r"tweede",
            r"derde",
            r"vierde",
            r"vijfde",
            r"zesde",
            r"zevende",
            r"achtste",
            r"negende",
            r"tiende",
            r"\w+tigste",
        ),
        (
            r"one",
            r"two",
            r"three",
            r"four",
            r"five",
            r"six",
            r"seven",
            r"eight",
            r"nine",
            r"twenty",
            r"hundred",
            r"thousand",
            r"million",
            r"majority",
            r"minority",
            r"several",
            r"most",
            r"all member states",
            r"second",
            r"third",
            r"fourth",
            r"fifth",
            r"sixth",
            r"seventh",
            r"eighth",
            r"ninth",
            r"tenth",
        ),
    ),
    # A document type named in a question ("in de geannoteerde agenda").
    "doc_type:geannoteerde_agenda": (("geannoteerde agenda",), ("annotated agenda",)),
    "doc_type:verslag_mondeling_overleg": (("mondeling overleg",), ("oral consultation",)),
    "doc_type:verslag_algemeen_overleg": (("algemeen overleg",), ()),
    # Capitalised words of a question that name nothing of their own (besides question words):
    # an unknown-name check skips them.
    "generic_capitalised": (
        tuple(
            "eu ec eg eeg eer ep raad raden commissie jbz en de het in van op voor waarover welk "
            "i ii iii iv kamer raadsvergadering raadsvergaderingen".split()
        ),
        tuple("council commission jha did does do is are was were and the of on at for".split()),
    ),
    # Last words of the name of a legal act or programme ("Digital Services Act"): kept in
    # English or translated word for word, so its absence means something even in English.
    "instrument": (
        (),
        (
            "Act",
            "Regulation",
            "Directive",
            "Strategy",
            "Package",
            "Programme",
            "Convention",
            "Treaty",
            "Pact",
            "Fund",
            "Agency",
            "Plan",
            "Initiative",
            "Mechanism",
            "Framework",
            "Code",
            "Warrant",
            "Order",
        ),
    ),
    # Follow-ups: how a question that leans on the one before begins ("And the Commission?").
    "follow_up_start": (
        ("en", "ook", "en wat", "en de", "en het", "idem", "hetzelfde voor"),
        ("and", "also", "what about", "how about", "and what", "and the", "same for"),
    ),
    # Words standing for the previous question's topic ("wat zei de Commissie daarover?").
    "back_reference": (
        (
            r"daarover",
            r"hierover",
            r"erover",
            r"over (?:dat|dit|die)",
            r"daarbij",
            r"daarop",
            r"daarvoor",
            r"hiervoor",
            r"ervoor",
            r"daartegen",
            r"daarmee",
            r"daar",  # split: "Hebben lidstaten daar nog op gereageerd?"
        ),
        (r"(?:about|of|on|for) (?:that|it|this)", r"there(?=\s*\?)"),
    ),
    # "die Raad", "that meeting": the meeting or document of the previous question.
    "same_meeting": (
        (
            r"(?:die|deze|dezelfde|diezelfde) (?:raad|raadsvergadering|vergadering|bijeenkomst|"
            r"brief|agenda|verslag)",
        ),
        (r"(?:that|this|the same) (?:council|meeting|letter|agenda|report)",),
    ),
    # A pronoun standing for the previous question's actor ("En wat vroeg hij over Turkije?").
    # "dat agendapunt", "this item": the agenda item the previous answer quoted.
    "same_item": (
        (r"(?:dat|dit|hetzelfde|datzelfde|die|deze) (?:agenda)?punt(?! (?:over|inzake|van))",),
        (r"(?:that|this|the same) (?:agenda )?(?:item|point)(?! (?:on|about|of))",),
    ),
    "pronoun": (("hij", "zij", "ze"), ("he", "she", "they", "it", "him", "her")),
    # Words a follow-up may hold besides what it names ("and what did they say about that?").
    "follow_up_filler": (
        tuple(
            "en ook wat de het een in van dan hetzelfde voor daarover hierover erover dat dit die "
            "over zei zeiden vond vonden standpunt".split()
        ),
        tuple(
            "and also what about how did does say said the a in of then same for that it this "
            "think position".split()
        ),
    ),
    # --- intents: what kind of answer a question asks for ------------------------------
    # A meeting overview: its agenda items.
    "overview": (
        (
            r"wat (?:werd|is|was) (?:er )?(?:besproken|behandeld)",
            r"welke (?:agenda)?punten",
            r"welke onderwerpen",
            r"wat stond (?:er )?op de (?:\w+ )?agenda",
            r"agendapunten",
            r"belangrijkste resultaten",
            r"waarover ging",
            # Asked for ("geef een overzicht van de Raad"), not a letter's "overzicht over ...".
            r"(?:geef|geeft|maak|wil|graag)(?: \w+){0,3} (?:een |het )?overzicht",
            r"overzicht van (?:wat|(?:de|het|die|deze|dat) (?:[\w-]+ ){0,3}(?:\w*raad|\w*raden|"
            r"vergadering|bijeenkomst|zitting|agenda)\b)",
            r"wat kwam (?:er )?aan bod",
            # Item by item: every agenda item is asked about, so the meeting's items answer.
            r"(?:per|elk|ieder) agendapunt",
            r"punt voor punt",
            r"(?:uitkomst\w*|resultaten|conclusies) van (?:de|het|die|deze|dat) (?:[\w-]+ ){0,3}"
            r"(?:[\w-]*raad|vergadering|bijeenkomst|zitting|videoconferentie)\b",
        ),
        (
            r"what (?:was|were|is) (?:discussed|on the (?:\w+ )?agenda|covered|addressed)",
            r"which (?:agenda )?items",
            r"what (?:agenda )?items",
            r"which topics",
            r"what topics",
            r"main results",
            r"agenda items",
            r"(?:give|provide|want|need|like)(?: \w+){0,3} (?:an |the )?overview",
            r"overview of (?:what|(?:the|that|this) (?:[\w-]+ ){0,3}(?:council|meeting|session"
            r"|agenda)\b)",
            r"what happened at",
            r"summari[sz]e",
            r"item by item",
            r"(?:for )?(?:each|every) (?:agenda )?item",
            r"(?:outcomes?|results?|conclusions?) of (?:the|that|this) (?:[\w-]+ ){0,3}"
            r"(?:council|meeting|session|videoconference)\b",
        ),
    ),
    # An overview asking how each item ended: each item's outcome, not its lead sentence.
    "overview_outcome": (
        (
            r"uitkomst\w*",
            r"resultaten",
            r"conclusies?",
            r"besluiten",
            r"besl(?:oot|oten)",
            r"afgesproken",
            r"overeengekomen",
        ),
        (
            r"outcomes?",
            r"results?",
            r"conclusions?",
            r"conclude[ds]?",
            r"decided",
            r"decisions?",
            r"agreed",
        ),
    ),
    # A sentence saying what a meeting discussed: what an overview of a letter quotes.
    "discussed": (
        (
            r"ter sprake",
            r"aan de orde",
            r"aan bod",
            r"(?:werd|werden|is|zijn|wordt|worden) (?:\w+ ){0,4}(?:besproken|behandeld)",
            r"(?:een |de )?(?:discussie|gedachtewisseling|debat) over",
            r"stond(?:en)? (?:\w+ )?centraal",
            r"van gedachten gewisseld",
        ),
        (
            r"(?:was|were|is|are) (?:\w+ ){0,4}(?:discussed|dealt with|addressed)",
            r"(?:a |the )?(?:discussion|debate|exchange of views) (?:on|about)",
            r"came up",
        ),
    ),
    # "Who took the floor on this item?": every speaker, one statement each.
    "speakers_asked": (
        (
            r"wie (?:\w+ ){0,3}(?:voerde|voerden|nam|namen) (?:\w+ ){0,4}het woord",
            r"wie (?:\w+ ){0,3}(?:heeft|hebben) (?:\w+ ){0,4}het woord gevoerd",
            r"wie (?:\w+ ){0,2}(?:sprak|spraken|intervenieerde|intervenieerden)",
            r"welke (?:sprekers|instanties|organisaties|eu-organen|eu-instellingen)\b(?! van)",
        ),
        (
            r"who (?:\w+ ){0,2}(?:took|takes|take|has taken|have taken) the floor",
            r"which (?:[\w-]+ ){0,5}(?:took|take|takes) the floor",
            r"who (?:else )?(?:spoke|intervened|contributed|addressed)",
        ),
    ),
    # Actors a question leaves out ("Apart from the member states, who ..."): the words before.
    "except": (
        (r"naast", r"behalve", r"buiten", r"afgezien van", r"met uitzondering van"),
        (r"apart from", r"aside from", r"besides", r"other than", r"except(?: for)?"),
    ),
    # A question for agenda items or topics: with an actor speaking ("On which items did the
    # Netherlands take the floor?"), a list of its statements per item, not the whole agenda.
    "items_asked": (
        (r"agendapunten",),
        (r"(?:which|what) (?:agenda )?items", r"agenda items"),
    ),
    # A list gathered from several places.
    "aggregation": (
        (
            r"welke lidstaten",
            r"welke landen",
            r"in welke (?:vergaderingen|raden|verslagen)",
            r"(?:bij|over) welke (?:agendapunten|onderwerpen)",
            r"op welke agendapunten",
        ),
        (
            r"which member states",
            r"which countries",
            r"in which (?:meetings|councils|reports)",
            r"on which (?:of (?:the |that |this |its )?(?:\w+'s )?)?(?:items|topics|agenda items)",
            r"what member states",
        ),
    ),
    # A question about the documents themselves: which letters or papers fit (a sender, a
    # formation, a period), not what one of them says.
    "documents_asked": (
        (
            r"welke (?:van de )?(?:[\w-]+ ){0,2}(?:brieven|stukken|documenten|kamerstukken)",
            r"in welke (?:van de )?(?:[\w-]+ ){0,2}(?:brieven|stukken|documenten)",
            r"van de (?:[\w-]+ ){0,2}(?:brieven|stukken|documenten),? welke",
            # Meetings the collection holds papers of, by where they were held.
            r"welke (?:van de )?(?:[\w-]+ ){0,2}(?:raadsvergaderingen|vergaderingen|raden)"
            r"(?=.*\b(?:brieven|stukken|documenten|gehouden|plaatsvonden|vergaderd)\b)",
        ),
        (
            r"which (?:of the )?(?:[\w-]+ ){0,2}(?:letters|documents|papers)",
            r"in which (?:of the )?(?:[\w-]+ ){0,2}(?:letters|documents|papers)",
            r"what (?:letters|documents|papers)",
            r"of the (?:[\w-]+ ){0,2}(?:letters|documents|papers),? which",
            r"which (?:of the )?(?:[\w-]+ ){0,2}(?:council )?meetings"
            r"(?=.*\b(?:letters|documents|papers|held|took place|taken place)\b)",
        ),
    ),
    # The sentence that says what a document is, besides a letter's sending formula: a
    # committee report's opening, a letter's offer.
    "document_purpose": (
        (
            r"overleg gevoerd",
            r"mondeling overleg met",
            r"heb(?:ben)? (?:ik|wij) de eer",
            r"doe ik u",
            r"zend ik u",
        ),
        (r"(?:have|has) the honour", r"I (?:am sending|enclose|send)", r"held (?:a|an) \w+"),
    ),
    # Who chaired a parliamentary committee ("Wie zaten de Kamercommissies voor?"): its
    # composition footnote answers. "De Commissie" alone is the European Commission.
    "chair_question": (
        (r"voorzitter\w*", r"voorgezeten", r"zat(?:en)? (?:[\w-]+ ){0,5}voor"),
        (r"chair\w*", r"presid(?:ed|ing) over"),
    ),
    "committee_word": (
        (
            r"kamercommissies?",
            r"vaste commissies?",
            r"algemene commissies?",
            r"commissies? voor",
            r"commissies",
        ),
        (r"committees?",),
    ),
    # Documents one report holds (enclosed with a letter, discussed at its meeting): what that
    # report says, not a list of the stored documents.
    "documents_within": (
        (
            r"bijgevoegd\w*",
            r"bijlage\w*",
            r"meegestuurd",
            r"bijgesloten",
            r"besproken",
            r"behandeld",
            r"aan (?:bod|de orde)",
            r"op de agenda",
        ),
        (r"attach\w*", r"enclos\w*", r"annex\w*", r"discussed", r"considered", r"on the agenda"),
    ),
    # A yes/no question that checks a claim: it opens with a finite verb or "is it true".
    "factcheck": (
        (
            r"klopt het",
            r"is het (?:waar|juist)",
            r"heeft",
            r"hebben",
            r"had",
            r"steunde",
            r"steunden",
            r"was",
            r"waren",
            r"werd",
            r"werden",
            r"kon",
            r"wilde",
            r"sprak",
            r"stemde",
            r"verzette",
            r"wees",
        ),
        (
            r"is it true",
            r"did",
            r"does",
            r"do",
            r"was",
            r"were",
            r"has",
            r"have",
            r"had",
            r"is",
            r"are",
        ),
    ),
    # The opening of a sentence that spells out the one before it ("... presenteerde kort zijn
    # prioriteiten. Dit zijn onder andere het Migratie- en asielpakket ..."): quoted with it.
    "elaboration": (
        (
            r"dit zijn",
            r"deze zijn",
            r"dat zijn",
            r"dit betreft",
            r"dit betreffen",
            r"de \w+ betreffen",
            r"het gaat (?:hierbij |daarbij )?om",
        ),
        (r"these (?:are|include)", r"they (?:are|include)", r"this concerns"),
    ),
    # A claim with a tag asking to confirm it ("So the member states agreed, right?", "Pronk
    # attached a translation, didn't he?", "De Raad besloot dat, toch?"): a fact-check too.
    "claim_tag": (
        (
            r"(?:toch|nietwaar|niet waar|klopt dat|klopt dit|of niet|is dat (?:zo|juist|correct))"
            r"\s*\?\s*$",
        ),
        (
            r"(?:right|correct|true|isn't (?:it|that)|wasn't (?:it|that)|is that (?:right|correct|so)"
            r"|(?:did|does|has|have|had|was|were|is|are)(?:n't| not) (?:he|she|it|they|we|there))"
            r"\s*\?\s*$",
        ),
    ),
    # A "why" question presupposes its claim ("Why did the Netherlands reject the pact?").
    "why": (("waarom",), ("why",)),
    # --- slots: the detail a factoid asks for ------------------------------------------
    # Which member states, or which countries (member states or third countries): "welke
    # zuidelijke en oostelijke lidstaten", "which North African countries".
    "member_state_slot": (
        (
            r"welke (?:(?!(?:zijn|waren|is|was|hebben|heeft|had|hadden|worden|werden|de|het)\b)[\w-]+ (?:en )?){0,3}lidsta(?:at|ten)",
            r"noem(?:en)? (?:de|die|deze)(?: \w+)? lidstaten",
        ),
        (
            r"(?:which|what) (?:(?!(?:did|do|does|were|was|are|is|have|has|had|will|would|can|could|should|the|of)\b)[\w-]+ (?:and )?){0,3}member states?",
            r"name (?:the|those|these)(?: \w+)? member states",
        ),
    ),
    "country_slot": (
        (
            r"welke (?:(?!(?:zijn|waren|is|was|hebben|heeft|had|hadden|worden|werden|de|het)\b)[\w-]+ (?:en )?){0,3}landen",
            r"welk (?:[\w-]+ )?land\b",
            r"noem(?:en)? (?:de|die|deze)(?: \w+)? landen",
        ),
        (
            r"(?:which|what) (?:(?!(?:did|do|does|were|was|are|is|have|has|had|will|would|can|could|should|the|of)\b)[\w-]+ (?:and )?){0,3}countr(?:y|ies)",
            r"name (?:the|those|these)(?: \w+)? countries",
        ),
    ),
    # "Which country held the presidency?", "welk land nam het voorzitterschap over?": the
    # presidency itself is asked for (then "het Duitse Voorzitterschap" names the country).
    "presidency_asked": (
        (
            r"(?:bekleedde|bekleedt|had|hadden|heeft|was|is|nam|neemt|overnam|volgde|volgt)\s+"
            r"(?:[\w-]+\s+){0,5}voorzitter(?:schap)?\b(?!['’]s)",
            r"welk (?:[\w-]+ )?land (?:\w+ ){0,3}(?:voorzitter|voorzitterschap)\b",
        ),
        (
            r"(?:held|holds?|holding|had|has|was|is|took|takes|take|taking|succeeded)\s+"
            r"(?:[\w-]+\s+){0,6}presiden(?:cy|t)\b(?!['’]s)",
            r"which (?:[\w-]+ )?country (?:\w+ ){0,3}(?:presidency|president)\b(?!['’]s)",
        ),
    ),
    # A question asking for an outcome (what was finally decided or agreed), and the words that
    # give one: a report often holds the debate and the positions but not how it ended. Not the
    # briefing's "outcome" below, which also takes the next step ("zal", "vervolg") as one.
    "outcome_question": (
        (
            r"uiteindelijk\w*",
            r"besl(?:oot|oten|ist|iste)",
            r"afgesproken",
            r"overeengekomen",
            r"uitkomst\w*",
            r"concludeer\w*",
        ),
        (
            r"finally",
            r"final (?:decision|agreement|outcome|arrangement|result)s?",
            r"decided?",
            r"agreed",
            r"outcomes?",
            r"conclude[ds]?",
        ),
    ),
    "outcome_given": (
        (
            r"besl\w+",
            r"akkoord",
            r"overeenstemming",
            r"overeengekomen",
            r"afgesproken",
            r"aangenomen",
            r"aan te nemen",
            r"vastgesteld",
            r"vast te stellen",
            r"stelde\w* \w+(?: \w+)* vast",
            r"goedkeuring",
            r"goedgekeurd",
            r"ingestemd",
            r"stemde\w* \w+(?: \w+)* in",
            r"instemming",
            r"conclu\w+",
            r"unaniem\w*",
            r"compromis\w*",
            r"afgerond",
            r"aanvaard\w*",
            r"uitkomst\w*",
        ),
        (),
    ),
    # A question asking for someone's reply, and the words that give one: a committee report's
    # first page often holds the members' questions but not the minister's answers.
    "reply_question": (
        (r"antwoord\w*", r"beantwoord\w*"),
        (r"answer\w*", r"repl\w*", r"respond\w*", r"response"),
    ),
    # A question about a question put ("Wat vroeg Weisglas?", "What did the MP want to know?"):
    # then a member's question quoted from a committee report answers it; otherwise it does not.
    "question_asked": (
        (
            r"vroeg\w*",
            r"vraag",
            r"vragen",
            r"gevraagd",
            r"wilde\w*(?:\s+\w+){0,3}\s+weten",
            r"informeerde\w*",
        ),
        (
            r"ask\w*",
            r"question\w*",
            r"want(?:ed|s)?(?:\s+\w+){0,3}\s+to know",
            r"wonder\w*",
            r"enquir\w*",
            r"inquir\w*",
            r"raise\w*",
        ),
    ),
    "reply": (
        (
            r"antwoord\w*",
            r"beantwoord\w*",
            r"zegde\w* toe",
            r"toegezegd",
            r"in reactie",
            r"reageerde\w*",
            r"reageert",
        ),
        (r"answer\w*", r"repl\w*", r"respond\w*", r"response", r"react(?:ed|s)?"),
    ),
    # A reaction asked for ("Hoe reageerde Italië op dat Nederlandse pleidooi?"): the actor
    # reacts; what it reacts to follows the preposition ("op", "to") and names no asked actor.
    "reaction_question": (
        (r"reageerde\w*", r"reageren", r"reageert", r"reactie"),
        (r"react(?:ed|s|ing)?", r"reactions?", r"respond(?:ed|s|ing)?", r"responses?"),
    ),
    "reaction_object": ((r"op",), (r"to",)),
    # What an actor said, which another's reaction answers only if the report gives one ("op
    # dat voorbehoud", "to the Dutch comments"): a reaction to a proposal or a deal is the
    # actor's own position on it, which the report often gives without a word of reply.
    "said_noun": (
        (
            r"pleidooi",
            r"wens",
            r"voorbehoud\w*",
            r"opmerking\w*",
            r"vragen",
            r"vraag",
            r"kritiek",
            r"oproep",
            r"betoog",
            r"bezwa(?:ar|ren)",
            r"zorgen",
            r"suggesties?",
            r"verzoek\w*",
            r"inbreng",
            r"standpunt\w*",
        ),
        (
            r"pleas?",
            r"wish(?:es)?",
            r"reservations?",
            r"remarks?",
            r"comments?",
            r"questions?",
            r"criticisms?",
            r"calls?",
            r"objections?",
            r"concerns?",
            r"suggestions?",
            r"requests?",
            r"points?",
            r"positions?",
        ),
    ),
    # A reaction to what was just said: "daarop", "to that?".
    "reaction_pointer": (
        (r"daarop", r"hierop", r"erop"),
        (r"to (?:that|this|it|him|her|them)\s*\??\s*$",),
    ),
    # What a cover letter answers by itself: who sent what, when and where the meeting it
    # announces was held ("Hierbij zend ik u de geannoteerde agenda voor de Milieuraad van 24
    # november 1988"), which meetings the letters are about and which letter it follows up, as
    # opposed to what the meeting discussed or decided.
    "letter_question": (
        (
            r"stuurde\w*",
            r"zond\w*",
            r"verstuurd\w*",
            r"verzond\w*",
            r"toegezonden",
            r"toezond\w*",
            r"ondertekend\w*",
            r"wanneer",
            r"waar",
            r"wie",
            r"van wie",
            r"welke (?:\w+ )?datum",
            r"welke (?:\w+[- ])?(?:\w*raden|vergaderingen|bijeenkomsten)",
            r"welke (?:\w+ )?brief",
        ),
        (
            r"sent",
            r"send\w*",
            r"forward\w*",
            r"sign\w*",
            r"when",
            r"where",
            r"who",
            r"from whom",
            r"came from",
            r"(?:what|which) (?:\w+ )?date",
            r"which (?:\w+[- ])?(?:council )?(?:meetings|councils)",
            r"which (?:\w+ )?letter",
        ),
    ),
    # Who sent or signed a letter: its signature answers ("De Minister van Justitie, E. M. H.
    # Hirsch Ballin"), not the sending formula's "mede namens de Staatssecretaris".
    "sender_question": (
        (
            # "aanbieden" is the verb of a Kamerbrief ("Ik heb de eer U hierbij aan te bieden")
            r"wie (?:\w+ )?(?:stuurde|zond|verstuurde|verzond|ondertekende|tekende|schreef|bood)",
            r"welke (?:\w+ )?(?:minister|staatssecretaris|bewindspersoon|bewindsman)\w* "
            r"(?:\w+ )?(?:stuurde|zond|verstuurde|verzond|ondertekende|tekende|schreef|bood)",
            r"door wie (?:\w+ ){1,8}(?:gestuurd|verstuurd|verzonden|ondertekend|geschreven"
            r"|aangeboden)",
            r"afzender",
            r"ondertekenaar",
        ),
        (
            r"who (?:\w+ )?(?:sent|signed|wrote|forwarded|submitted|transmitted)",
            r"which (?:\w+ )?(?:minister|state secretary|official)s? (?:\w+ )?"
            r"(?:sent|signed|wrote|forwarded|submitted|transmitted)",
            r"(?:sent|signed|written) by whom",
            r"sender",
            r"signator(?:y|ies)",
        ),
    ),
    "person_slot": (
        (r"wie", r"welke minister", r"welke commissaris"),
        (r"who", r"which minister", r"which commissioner"),
    ),
    # A question for a named individual (not for an institution or a member state: "who
    # supported ..." is answered by "de lidstaten"), and what names one in a report: a title or
    # office, a member of parliament with their party, initials before a surname.
    "person_question": (
        (
            r"welke (?:\w+ )?(?:ministers?|bewindspersonen|bewindspersoon|bewindslieden|bewindsman"
            r"|staatssecretaris(?:sen)?|(?:euro)?commissaris(?:sen)?|ambassadeurs?|kamerleden"
            r"|kamerlid|politici|politicus|ambtenaren|ambtenaar)",
            r"wie (?:vertegenwoordigde|zat|leidde|ondertekende|tekende|stuurde|zond)",
            r"door wie",
        ),
        (
            r"which (?:\w+ )?(?:ministers?|commissioners?|state secretar(?:y|ies)|officials?"
            r"|ambassadors?|politicians?|mps?|persons?|people)",
            r"who (?:represented|chaired|presided|led|signed|sent|headed)",
        ),
    ),
    # Who held an office the question names ("Who was the minister for development
    # cooperation?"): the office in the passage is no answer, a name is.
    "office_holder_question": (
        (
            r"wie (?:was|waren|is) (?:de |het )?(?:\w+ ){0,3}(?:voorzitter|minister|staatssecretaris"
            r"|rapporteur|commissaris|ambassadeur|woordvoerder)",
        ),
        (
            r"who (?:was|were|is) the (?:\w+ ){0,3}(?:chair(?:man|person)?|minister|state secretary"
            r"|rapporteur|commissioner|ambassador|spokes(?:man|person))",
        ),
    ),
    "person_given": (
        (
            r"minister(?:van)?",
            r"minister-?president",
            r"staatssecretaris",
            r"(?:euro)?commissaris",
            r"vicepresident",
            r"vicevoorzitter",
            r"ambassadeur",
            r"voorzitter",
            r"premier",
            r"de heer",
            r"mevrouw",
            r"(?:mr|drs|dr|ir|prof)\.",
            PARTY,
        ),
        (),
    ),
    # Member states a report leaves unnamed ("een enkele lidstaat", "enkele lidstaten").
    "unnamed_member_states": (
        (
            r"(?:een )?enkele lidsta(?:at|ten)",
            r"(?:een aantal|meerdere|diverse|sommige|vele|"
            r"verschillende|veel|andere|overige) lidstaten",
            r"een (?:groep|meerderheid|minderheid)"
            r" (?:van )?(?:de )?lidstaten",
            r"een lidstaat",
            r"(?:de )?meeste lidstaten",
            r"(?:nagenoeg|vrijwel) alle lidstaten",
            r"alle lidstaten",
            r"lidstaten",
        ),
        (),
    ),
    # --- stance of a statement, by its verb -------------------------------------------
    "stance_supports": (
        (
            r"steun\w*",
            r"gesteund",
            r"verwelkom\w*",
            r"onderschre\w*",
            r"positief",
            r"staat achter",
            r"instemm\w*",
            r"akkoord",
            r"voorstander",
            r"bijval",
        ),
        (
            r"support\w*",
            r"welcom\w*",
            r"endors\w*",
            r"back\w*",
            r"agree\w*",
            r"approv\w*",
            r"favou?r\w*",
        ),
    ),
    "stance_opposes": (
        (
            r"kritisch\w*",
            r"kritiek",
            r"bezwa\w*",
            r"verzet\w*",
            r"wees \w* af",
            r"afwij\w*",
            r"sceptisch\w*",
            r"tegenstander\w*",
            # negated support, with up to three words between ("niet te kunnen steunen",
            # "steunde het voorstel niet")
            r"niet(?:\s+\w+){0,3}\s+(?:akkoord|eens|steun\w*|instemm\w*|onderschrijv\w*)",
            r"(?:steun\w*|onderschre\w*)(?:\s+\w+){0,3}\s+niet",
            r"(?:stemde\w*|was|waren)(?:\s+\w+){0,2}\s+tegen\b",
        ),
        (
            r"criti\w*",
            r"oppos\w*",
            r"reject\w*",
            r"object\w*",
            r"sceptic\w*",
            r"skeptic\w*",
            r"refus\w*",
            r"veto\w*",
            r"(?:not|n't)(?:\s+\w+){0,2}\s+(?:support|agree|endorse|back)\w*",
            r"push\w* back",
            r"(?:voted|was|were) against",
        ),
    ),
    # --- the outcome of an agenda item or its next step (briefing notes) ------------------
    "outcome": (
        (
            r"concludeerde\w*",
            r"conclusie",
            r"besloot",
            r"besloten",
            r"aangenomen",
            r"nam \w+ aan",
            r"stemde\w* in",
            r"bereikte\w*",
            r"politiek akkoord",
            r"zal",
            r"zullen",
            r"verder (?:te )?gaan",
            r"vervolg\w*",
            r"volgende stap\w*",
            r"terugkomen",
            r"afronden",
        ),
        (
            r"concluded",
            r"conclusions?",
            r"decided",
            r"adopted",
            r"agreed",
            r"reached",
            r"will",
            r"next steps?",
            r"follow-up",
            r"return to",
        ),
    ),
    # A sentence that goes on with the previous one's speaker ("Daarbij benadrukte het ...").
    "continuation": (
        (
            r"daarbij",
            r"daarnaast",
            r"tevens",
            r"eveneens",
            r"ook",
            r"verder",
            r"bovendien",
            r"tot slot",
            r"hierbij",
            r"zij",
            r"hij",
            r"het kabinet",
            r"wel",
        ),
        (r"in addition", r"also", r"furthermore", r"finally", r"it", r"they", r"he", r"she"),
    ),
    # A sentence reacting to the one before it ("Geen van de lidstaten heeft naar aanleiding van
    # deze toelichting geïntervenieerd"): it is on the topic that sentence is on.
    "reaction_to_previous": (
        (
            r"naar aanleiding (?:van|hiervan|daarvan)(?: (?:deze|dit|die|dat))?",
            r"in reactie (?:op (?:deze|dit|die|dat)|hierop|daarop)",
            r"hierop",
            r"daarop",
        ),
        (r"in (?:response|reply) to (?:this|that|these|it)", r"following (?:this|that|these)"),
    ),
    # A follow-up that changes only the topic ("And on the return directive?").
    "topic_preposition": (
        (r"over", r"inzake", r"ten aanzien van", r"wat betreft", r"met betrekking tot", r"op"),
        (r"on", r"about", r"regarding", r"concerning", r"as for", r"with regard to"),
    ),
    # Units that make a number a sum of money or a share ("112 ECU", "3%").
    "money_unit": (
        (r"procent", r"ecu", r"euro", r"eur", r"gulden", r"mln", r"mld", r"miljoen", r"miljard"),
        (r"percent", r"million", r"billion"),
    ),
    # Words that date a sentence without a full date ("in het voorjaar", "jl.").
    "relative_time": (
        (
            r"voorjaar",
            r"najaar",
            r"zomer",
            r"kwartaal",
            r"volgend jaar",
            r"volgende week",
            r"binnenkort",
        ),
        (r"spring", r"autumn", r"summer", r"quarter", r"next year", r"next week"),
    ),
}


def cue_words(kind: str, lang: str | None = None) -> tuple[str, ...]:
    """The entries of one row, of one language ('nl', 'en') or both (Dutch first).

    >>> cue_words("question_word", "en")[:3]
    ('what', 'who', 'which')
    """
    nl, en = CUES[kind]
    return {"nl": nl, "en": en}.get(lang or "", nl + en)


@cache
def cue(kind: str, lang: str | None = None) -> re.Pattern[str]:
    """A row as one case-insensitive regex on word boundaries.

    >>> bool(cue("speech_verb").search("Wat benadrukten de lidstaten?"))
    True
    >>> bool(cue("when_question").search("What did the Netherlands say?"))
    False
    """
    return re.compile(r"\b(?:" + "|".join(cue_words(kind, lang)) + r")\b", re.IGNORECASE)


def doc_types_named(text: str) -> tuple[str, ...]:
    """The document types a question names, by the `doc_type:` rows.

    >>> doc_types_named("Wat stond in de geannoteerde agenda?")
    ('geannoteerde_agenda',)
    """
    kinds = [k for k in CUES if k.startswith("doc_type:")]
    return tuple(k.split(":", 1)[1] for k in kinds if cue(k).search(text))


def stance_of(text: str) -> str:
    """'opposes' or 'supports' by the stance rows (opposition first: "niet steunen"), or "".

    >>> stance_of("Enkele lidstaten plaatsten kritische kanttekeningen."), stance_of("Nederland steunde dit.")
    ('opposes', 'supports')
    >>> stance_of("Hongarije gaf aan de richtlijn niet te kunnen steunen."), stance_of("It could not support it.")
    ('opposes', 'opposes')
    """
    for kind in ("stance_opposes", "stance_supports"):
        if cue(kind).search(text):
            return kind.removeprefix("stance_")
    return ""
