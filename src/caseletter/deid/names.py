"""Names of patients, relatives and carers: the identifiers that have no pattern.

Names are found from their context, the way a reader spots them: a title (``Mrs Okafor``),
a relative or an apposition (``her daughter, Anna``; ``the patient, Harold Jennings,``),
``named``/``called``, a signature, initials after ``patient``; and, with no context, a
known first name followed by a capitalised surname (``Lucia Ferreira consented``). The
first names come from Faker's person providers (MIT, no dependencies, ~21,000 Latin-script
names over its locales), loaded once on first use. A name found once is then looked for
everywhere else in the text, so a surname repeated alone is caught too.

Eponyms and citations are protected by shape: ``Raynaud phenomenon`` has a lower-case
head after it, ``Smith GP`` has initials, ``Gutierrez A Jr`` a single capital.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from caseletter.deid.gazetteer import gazetteer
from caseletter.deid.person_names import NON_NAME_WORDS, load_first_names, load_surnames
from caseletter.deid.places import JOURNAL_WORDS, STATE_RE, names_a_thing
from caseletter.deid.rules import Hit

# Latin letters with their diacritics, Vietnamese's among them (U+1E00-U+1EFF mixes both cases).
_UP = r"[A-ZÀ-ÖØ-ÞĀ-Žḁ-ỿ]"
_LOW = r"[a-zß-öø-ÿā-žḁ-ỿ'’]"
#: One word of a name, prefixed forms first so that "McAllister" is not read as "Mc".
_WORD = (
    rf"(?:(?:Mc|Mac|O'|O’|D'|D’|De|Di|Van|Von){_UP}{_LOW}+|(?:[Aa]l|[Ee]l)-{_UP}{_LOW}+|{_UP}{_LOW}+(?:-{_UP}?{_LOW}+)?)"
    r"(?![\w-])"
)
#: Words that join a name's parts in Irish, Arabic, Dutch, German and Romance names.
_NAME_JOIN = (
    r"(?:Ní|Nic|Mac|Ó|Ua|bin|bint|ibn|al|el|van der|van den|van|von|ter|ten|de la|de|da|dos|das|do|del|della|di|"
    r"du|le|la)"
)
#: Abbreviated given names that stand first in a name: "Md. Abul Kalam", "Mohd. Faiz".
_ABBREVIATED = r"(?:Md|Mohd|Muhd|Mohd|Wm|Jas|Thos|Chas|Geo)\."
_NAME = rf"(?P<name>(?:{_ABBREVIATED}\s+)?{_WORD}(?:\s+(?:{_NAME_JOIN}\s+)?{_WORD}){{0,2}})"

#: A first name with an initial for a surname, as staff call a resident: "Nana B".
_NAME_OR_INITIAL = rf"(?P<name>{_WORD}(?:\s+(?:{_NAME_JOIN}\s+)?{_WORD}){{0,2}}(?:\s+[A-Z]\b\.?)?)"

#: Titles in the languages case reports come from: a capitalised name after one is a person's.
_TITLES = (
    r"Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Professor|Sister|Nurse|Pastor|Father|Rev|Sir|Dame|Mme|Mlle|Madame|Monsieur|Herr|"
    r"Frau|Fru|Fröken|Pani|Pan|Sr|Sra|Srta|Señor|Señora|Dona|Dom|Sig|Signor|Signora|Dhr|Mevr|Mevrouw|Encik|Cik|"
    r"Puan|Tuan|Bapak|Pak|Ibu|Shri|Smt|Kumari|Begum|Alhaji|Alhaja|Sheikh|Hajji|Haji|Dra|Drª|Dr\.ª|Ratu|Adi|Lic|Ing"
)
_RELATIVES = (
    r"daughter|son|wife|husband|partner|spouse|sister|brother|mother|father|granddaughter|grandson|"
    r"grandmother|grandfather|niece|nephew|aunt|uncle|cousin|friend|neighbou?r|caregiver|carer|"
    r"fianc[ée]e?|stepdaughter|stepson|twin|guardian|roommate|landlady|landlord|parents|daughters|sons|"
    r"children|grandchildren|siblings|twins|sisters|brothers"
)
#: People named in apposition after their role: "the ward nurse, Mei", "the health worker, Kirra Watson,".
_ROLES = (
    r"patient|woman|man|girl|boy|resident|gentleman|lady|mother|father|nurse|doctor|physician|consultant|"
    r"registrar|midwife|pharmacist|worker|officer|therapist|interpreter|chaplain|teacher|coach|volunteer|"
    r"student|colleague|employer|refugee|farmer|visitor|elder|priest|imam|pastor|rabbi"
)
_RELATIVE = rf"(?:{_RELATIVES})(?:-in-law)?"
# Initials with full stops; these pairs are degrees, eras and countries.
_NOT_INITIALS = (
    r"(?!(?:U\.S\.|U\.K\.|M\.D\.|D\.O\.|R\.N\.|N\.P\.|P\.A\.|A\.M\.|P\.M\.|B\.C\.|A\.D\.|E\.U\.|T\.C\.|"
    r"N\.B\.|P\.S\.|I\.V\.|I\.M\.|S\.C\.|P\.O\.)(?!\w))"
)
#: A full name that opens a sentence and is then described as a person: "Haruto Sasaki, a 73-year-old
#: apple grower", "Kim Min-jun, 52,", "Grace Nakato, a primigravida from Mukono", "Bongani Dlamini, known
#: to everyone as Bongi". The description, not a list of names, is the evidence.
_SUBJECT_RE = re.compile(
    rf"(?:^|(?<=[.!?;:]\s)|(?<=\n))(?P<name>{_WORD}(?:\s+(?:{_NAME_JOIN}\s+)?{_WORD}){{1,3}})"
    r"(?:,\s+(?:an?\s+(?:[\w-]+\s+){0,3}?(?:\d{1,3}-year-old|[\w-]*(?:er|or|man|woman|ist|ian|gravida|para|ner)\b)|"
    r"aged?\s+\d|\d{1,3}\b|from\s|who\s|known\s|née\s|born\s|retired\s|national ID|NRIC|CNIC|RUT|CPF|PESEL)"
    r"|\s+(?:was|is)\s+(?:an?\s+)?\d{1,3}(?:-year-old|\s+years)"
    r"|\s+\((?:[A-Z.]+\s|ID|NRIC|born|aged?|\d|known as|['‘\"“]|son|daughter|wife|husband|mother|father|"
    r"brother|sister|carer|caregiver|neighbou?r|friend|GP))"
)
_CONTEXT_RES = [
    re.compile(rf"\b(?:{_TITLES})\.?\s+{_NAME}"),
    re.compile(rf"\b(?:{_TITLES})\.?\s+(?P<name>(?:[A-Z]\.\s?){{1,3}}(?:{_NAME_JOIN}\s+)?{_WORD})"),
    re.compile(
        r"\b(?:baby|infant|child|children|son|daughter|wife|husband|widow|widower|mother|father|family|parents|"
        rf"sister|brother) of\s+(?:(?:{_TITLES})\.?\s+)?{_NAME}"
    ),
    _SUBJECT_RE,
    re.compile(rf"\b{_RELATIVE},?\s+(?:named\s+)?{_NAME}"),
    re.compile(rf"\b(?i:named|called|known(?:\s+to\s+[\w ]{{1,30}}?)?\s+as|name is|nicknamed)\s+{_NAME_OR_INITIAL}"),
    re.compile(rf"\b(?:{_ROLES}),\s+(?:(?:{_TITLES})\.?\s+)?{_NAME}(?=[,.;:)]|\s+(?:who|from|of|at|and)\b|$)"),
    re.compile(
        r"(?:^|\n|;\s)\s*(?:Correspondence|Corresponding author|Prescriber|Referring (?:physician|doctor|clinician)|"
        rf"Attending|Consultant|Reported by|Name|Next of kin|Contact|Signed by|Witness|Interpreter)\s*:\s*"
        rf"(?:(?:{_TITLES})\.?\s+)?{_NAME}"
    ),
    re.compile(
        rf"(?:^|\n)\s*(?:Signed|Sincerely|Regards|Best wishes|Yours sincerely|Thank you|—|--)[,:]?\s+"
        rf"(?:(?:{_TITLES})\.?\s+)?{_NAME}"
    ),
    re.compile(
        rf"\b(?:{_TITLES}|[Pp]atient|[Pp]t|Child|Baby|Infant|Case|Mother|Father)\.?,?\s+(?P<name>(?:[A-Z]\.\s?){{2,3}})"
    ),
    # "we thank Mona El-Sayed and ...", "signed for the patient Wang Xiuying", "carer Dolores reports"
    re.compile(rf"\b(?:thank|thanks to|grateful to|indebted to|patient|pt|Pt)\s+(?:(?:{_TITLES})\.?\s+)?{_NAME}"),
    re.compile(
        r"\b(?:carer|caregiver|nurse|midwife|interpreter|guide|porter|driver|leader|teacher|neighbou?r|friend|"
        rf"colleague|cousin|niece|nephew|grandson|granddaughter)\s+{_NAME}(?=[\s,.;:)])"
    ),
    # a nickname in quotes: "('Malou')", "(“Sasha”)"
    re.compile(rf"\(\s*['‘\"“](?P<name>{_WORD})['’\"”]\s*\)"),
]
_AND_NAME = re.compile(rf"\s+(?:and|&)\s+{_NAME}")
_INITIALS_RE = re.compile(rf"(?<![\w.]){_NOT_INITIALS}(?P<name>[A-Z]\.\s?[A-Z]\.(?:\s?[A-Z]\.)?)(?!\w)")
_CITED_BEFORE = re.compile(rf"{_UP}{_LOW}+,?\s+$")
# A capitalised word after a cue is not a name when it is one of these.
_NOT_NAME = re.compile(
    r"^(?:The|A|An|And|Or|But|She|He|They|We|It|Her|His|Their|Our|This|That|Who|Whose|When|After|"
    r"Before|During|In|On|At|For|With|From|Because|Although|January|February|March|April|May|June|"
    r"July|August|September|October|November|December|Monday|Tuesday|Wednesday|Thursday|Friday|"
    r"Saturday|Sunday|Figure|Table|Patient|Hospital|Clinic|Center|Centre|Medicine|Department|"
    r"University|Disease|Syndrome|Medicare|Medicaid|Christmas|Easter)$"
)
# A capitalised pair followed by one of these is an eponym or a place, not a person.
_EPONYM_HEAD = re.compile(
    r"\s+(?:disease|syndrome|sign|phenomenon|palsy|lymphoma|sarcoma|criteria|test|score|scale|"
    r"classification|index|procedure|operation|maneuver|manoeuvre|reflex|nodes?|cells?|bodies|"
    r"tumou?r|ulcer|fracture|type|lines|disorder|nodules?|papules?|spots?|stain|staining|"
    r"technique|flap|incision|method|equation|formula|Hospital|Clinic|Center|Centre|County|"
    r"Street|Road|Avenue|University|Medical|Care|Nursing|Health|Lodge|Manor|Home)\b"
)


def find_names(text: str) -> Iterator[Hit]:
    """Person names from context, from the first-name list, and their repeats in the text."""
    hits = [*_find_cued_names(text), *_find_initials(text), *_find_listed_names(text)]
    yield from hits
    yield from _find_repeats(text, hits)


def _find_cued_names(text: str) -> Iterator[Hit]:
    """Names after a cue, and a second name joined to one by "and" ("Ngozi and Chukwuemeka Okonkwo")."""
    for regex in _CONTEXT_RES:
        for m in regex.finditer(text):
            start, end = _trim_name(text, m.start("name"), m.end("name"))
            if end > start and not _EPONYM_HEAD.match(text, end) and not names_a_thing(text, end):
                yield start, end, "name"
                joined = _AND_NAME.match(text, end)
                if joined and not _NOT_NAME.match(joined.group("name").split()[0]):
                    yield joined.start("name"), _trim_name(text, joined.start("name"), joined.end("name"))[1], "name"


def _find_initials(text: str) -> Iterator[Hit]:
    """Initials with full stops, unless a surname stands before them as in a citation."""
    for m in _INITIALS_RE.finditer(text):
        if not _CITED_BEFORE.search(text[max(0, m.start() - 30) : m.start()]):
            yield m.start("name"), m.end("name"), "name"


def _trim_name(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop words that cannot belong to a name from the end of a cued span."""
    words = list(re.finditer(r"\S+", text[start:end]))
    kept = [w for w in words]
    while kept and _NOT_NAME.match(kept[-1].group().rstrip(".,")):
        kept.pop()
    if not kept or _NOT_NAME.match(kept[0].group().rstrip(".,")):
        return start, start
    return start, start + kept[-1].end()


_PAIR_RE = re.compile(rf"\b(?P<first>{_UP}{_LOW}+)\s+(?P<last>{_WORD})(?:\s+{_WORD})?")


_PLACE_BEFORE = re.compile(r"\b(?:from|in|near|outside)\s+$")


def _find_listed_names(text: str) -> Iterator[Hit]:
    """A known first name and a capitalised word, or two known names surname first ("Kovács Zsófia").

    Not when an eponym head, a place cue or a journal's words make the pair something else.
    """
    first_names, surnames = load_first_names(), load_surnames()
    for m in _PAIR_RE.finditer(text):
        first, last = m.group("first"), m.group("last")
        surname_first = first in surnames and (last in first_names or last in surnames)
        hyphenated = "-" in first and any(part in first_names for part in first.split("-"))
        if (first not in first_names and not surname_first and not hyphenated) or _NOT_NAME.match(last):
            continue
        if _PLACE_BEFORE.search(text[max(0, m.start() - 12) : m.start()]):
            continue
        if _EPONYM_HEAD.match(text, m.end("last")) or _EPONYM_HEAD.match(text, m.end()):
            continue
        if m.group("last") in NON_NAME_WORDS or re.fullmatch(_TITLES, m.group("first")):
            continue
        if STATE_RE.match(f"{m.group('first')} {m.group('last')}") or _is_place(m.group("first"), m.group("last")):
            continue
        if names_a_thing(text, m.end("last")) or JOURNAL_WORDS.intersection(m.group().split()):
            continue
        start, end = _trim_name(text, m.start(), m.end())
        if end > start:
            yield start, end, "name"


#: Last words of a geographic feature's or a street's name: "Rocky Mountain", "Niger Delta", "Wilton Road".
_FEATURES = frozenset(
    "Mountain Mountains River Valley Lake Island Islands Coast Ocean Sea Desert Delta Gulf Road Street Avenue "
    "Lane Boulevard Terrace Crescent Drive Square Park Bridge".split()
)
#: First words of a region's name: "West Nile", "South Africa", "Central Asia".
_COMPASS = frozenset("North South East West Central Northern Southern Eastern Western Upper Lower Greater".split())


def _is_place(first: str, last: str) -> bool:
    """True when a first name and a capitalised word are a place's name, not a person's."""
    places = gazetteer()
    pair = f"{first} {last}"
    return first in _COMPASS or last in _FEATURES or last in places.larger or pair in places.towns | places.larger


def _find_repeats(text: str, hits: list[Hit]) -> Iterator[Hit]:
    """Every other place where a word of a found name stands alone."""
    words = {w for s, e, _ in hits for w in re.findall(rf"{_UP}{_LOW}{{2,}}", text[s:e])}
    words -= NON_NAME_WORDS
    for word in words:
        for m in re.finditer(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text):
            if not _EPONYM_HEAD.match(text, m.end()) and not names_a_thing(text, m.end()):
                yield m.start(), m.end(), "name"
