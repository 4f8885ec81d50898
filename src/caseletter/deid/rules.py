"""Pattern rules for the Safe Harbor identifiers that have a shape: dates, numbers, places.

Each ``find_*`` function takes the text and yields ``(start, end, type)`` triples; the
caller (``deid.text``) merges them, resolves overlaps and adds the advice. Rules
favour context over shape where a shape alone would catch lab values or doses: a 5-digit
number is a ZIP code only after a state, a number is a record number only after its label.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

Hit = tuple[int, int, str]

MONTH_NAMES = "January|February|March|April|June|July|August|September|October|November|December"
_MONTH_ABBR = r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec"
# "May" is a month only when a day or year stands next to it: alone it is a verb.
#: Month names in the languages case reports are written in besides English, cased as they write them
#: (lower case but for German), so that the planet Mars or a capitalised "Mai" is not a month.
_FOREIGN_MONTHS = (
    r"(?:enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre|"
    r"janeiro|fevereiro|março|maio|junho|julho|setembro|outubro|novembro|dezembro|janvier|février|mars|avril|"
    r"mai|juin|juillet|août|septembre|octobre|novembre|décembre|gennaio|febbraio|aprile|maggio|giugno|luglio|"
    r"settembre|ottobre|dicembre|Januar|Februar|März|Juni|Juli|Oktober|Dezember|januari|februari|maart|mei|"
    r"augustus|oktober|januar|februar|marts|juni|juli|desember|december|janúar|febrúar|apríl|júní|júlí|"
    r"ágúst|október|nóvember|desember|stycznia|lutego|marca|kwietnia|maja|czerwca|lipca|sierpnia|września|"
    r"października|listopada|grudnia|ledna|února|března|dubna|května|června|července|srpna|září|října|"
    r"listopadu|prosince)"
)
_MONTH = rf"(?:{MONTH_NAMES}|(?:{_MONTH_ABBR})\.?|May|{_FOREIGN_MONTHS})"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[89]\d\d|20\d\d)"

#: Days a calendar names, from the traditions case reports come from; each pins a date within its year.
_HOLIDAYS = (
    r"Christmas|Thanksgiving|Easter|New Year's|Good Friday|Boxing Day|Halloween|Valentine's Day|Mother's Day|"
    r"Father's Day|Independence Day|Bastille Day|Anzac Day|Canada Day|Australia Day|Waitangi Day|Diwali|Deepavali|"
    r"Holi|Eid(?:[- ]al[- ](?:Fitr|Adha))?|Hanukkah|Passover|Yom Kippur|Rosh Hashanah|Lunar New Year|"
    r"Chinese New Year|Tet|Songkran|Nowruz|Carnival|Mardi Gras|Ramadan|Onam|Pongal|Durga Puja|"
    r"Hari Raya(?: Aidilfitri| Aidiladha| Puasa| Haji)?|Lebaran|Idul Fitri|Kurban Bayram[ıi]|Ramazan Bayram[ıi]|"
    r"Eid ul-(?:Fitr|Adha)|Vesak|Navratri|Dussehra|Pesach|Purim|Sukkot"
)
_DATE_PATTERNS = [
    # March 3, 2021 / Jan 12 / September 9th
    rf"\b{_MONTH}\s+{_DAY}\b(?:,?\s+{_YEAR}\b)?",
    # 14 May 2019 / the 14th of May
    rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s+{_YEAR}\b)?",
    # 2 de mayo de 2022, 17. júní 2022, 4 avril 2022
    rf"\b{_DAY}\.?\s+(?:de\s+)?{_MONTH}(?:,?\s+(?:de\s+)?{_YEAR}\b)?",
    # August 2022, Apr '22
    rf"\b{_MONTH},?\s+(?:of\s+|de\s+)?{_YEAR}\b",
    rf"\b(?:{MONTH_NAMES}|{_MONTH_ABBR}|May)\.?\s+['’]\d\d\b",
    # 03/03/2021, 2/17/22, 14.05.2019, 3-3-2021
    r"(?<![\d/.-])(?:0?[1-9]|[12]\d|3[01])([/.-])(?:0?[1-9]|[12]\d|3[01])\1(?:\d{4}|\d{2})\b(?![/.-]\d)",
    # 2021-03-03, 2022.04.03, 2022/04/03
    r"\b(?:19|20)\d\d([-./])(?:0?[1-9]|1[0-2])\2(?:0?[1-9]|[12]\d|3[01])\b(?![-./]\d)",
    # on 3/14 (a day without a year needs a preposition: 20/40 is visual acuity, 8/10 a pain score)
    r"(?:(?<=\bon )|(?<=\bsince ))(?:0?[1-9]|1[0-2])/(?:0?[1-9]|[12]\d|3[01])\b(?![/.]\d)",
    # holidays pin a day too
    rf"\b(?:{_HOLIDAYS})(?:\s+(?:Day|Eve))?(?:\s+{_YEAR})?\b(?!\s+(?:disease|factor|tree|card|pudding|cactus))",
]
_DATE_RE = re.compile("|".join(f"(?:{p})" for p in _DATE_PATTERNS))
# The day-month pattern would read "3 months" or "12 Mar" inside a dose as a date otherwise.
_NOT_DATE_RE = re.compile(r"^\d+\s+(?:May)$")

_OLD = r"(?:9\d|1[0-2]\d)"
_UNITS = r"one|two|three|four|five|six|seven|eight|nine"
_OLD_WORDS = rf"(?:ninety(?:[- ](?:{_UNITS}))?|one hundred(?:(?: and)? (?:{_UNITS}|ten|eleven|twelve))?)"
_AGE_NOUNS = (
    r"nonagenarian|centenarian|supercentenarian|woman|man|lady|gentleman|patient|widow|widower|"
    r"grandmother|grandfather|resident|farmer|veteran"
)
_AGE_RE = re.compile(
    rf"\b(?P<a>(?:{_OLD}|{_OLD_WORDS})(?:-|\s)(?:year|yr)s?(?:-|\s)old)\b"
    rf"|\b(?:aged?|age of|age:)\s*(?P<b>{_OLD}|{_OLD_WORDS})\b(?!\s*(?:mg|kg|%|mm|ml))"
    rf"|\b(?P<c>{_OLD})[\s-]*(?:y/o|yo|y\.o\.)(?!\w)"
    rf"|\b(?P<d>(?:{_OLD}|{_OLD_WORDS})\s+years(?:\s+of\s+age\b|(?=,?\s+old\b)))"
    rf"|\b(?P<e>{_OLD}(?:st|nd|rd|th)\s+(?:year|birthday))\b"
    rf"|\b(?:{_AGE_NOUNS})\s+(?:of|aged)\s+(?P<f>{_OLD})\b(?!\s*(?:mg|kg|%|mm|ml|cm))"
    rf"|\b(?-i:At|at)\s+(?P<g>{_OLD})(?=,\s+(?:she|he|they|the|her|his)\b)"
    # "95 y", "90 år", "97 años", "93 ans", "91 Jahre": a note's way and other languages'
    rf"|\b(?P<h>{_OLD})\s?(?:y|yrs?|år|años|anos|ans|Jahre|anni|jaar|lat|vuotta|éves)(?:\s+old)?\b(?![.,]\d)"
    # "Seyed Hosseini, 93, from", "(known as Peggy), 99;": an age in apposition to a name
    rf"|(?<=[a-zà-ÿ)]), (?P<i>{_OLD})(?=[,;]\s|\s[MF]\b)",
    re.IGNORECASE,
)
_EMAIL_RE = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_URL_RE = re.compile(
    r"\bhttps?://[^\s<>\"')\]]+"
    r"|\bwww\.[^\s<>\"')\]]+"
    r"|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|org|net|edu|gov|info|health|io|co\.uk|nhs\.uk)(?:/[^\s<>\"')\]]*)?",
    re.IGNORECASE,
)
# Links a reference list prints: public records, not the patient's.
_PUBLIC_URL_RE = re.compile(r"doi\.org/|ncbi\.nlm\.nih\.gov|pubmed|clinicaltrials\.gov|who\.int/|cdc\.gov/", re.I)
_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
_IP_RE = re.compile(
    rf"(?<![\d.]){_OCTET}\.{_OCTET}\.{_OCTET}\.{_OCTET}(?![\d.]\d)"
    r"|\b(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}\b|\b(?:[0-9a-f]{1,4}:){2,6}:[0-9a-f]{0,4}\b",
    re.IGNORECASE,
)
_SSN_RE = re.compile(
    r"\b\d{3}-\d{2}-\d{4}\b"
    r"|(?<=SSN)[:#\s]*\d{9}\b|(?<=social security number)[:#,\s]*\d{9}\b",
    re.IGNORECASE,
)
_PHONE_RE = re.compile(
    r"(?<![\w-])(?:\+?1[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]\d{4}(?![\w-])"
    r"|(?<![\w-])\+\d{1,3}(?:[\s.-]?\(?\d{1,4}\)?){2,5}\d(?![\w-])"
    # trunk-prefixed national numbers: (02) 9515 6111, 020 7946 0958, 0161 496 0000
    # and groups of two to four after the trunk prefix: 0532 418 77 06, 0172-39-4418, 06 4182 7730
    r"|(?<![\w.,/-])(?:\(0\d{1,4}\)|0\d{1,4})(?:[ -]\d{2,4}){2,3}(?![\w/-]|[.,]\d|\s*(?:mg|g|ml|mL|%|x|×|dB))"
)
# "Mobile" and "Cell" capitalised mid-sentence are a town and a journal, not a kind of number.
_NUMBER_CUE_RE = re.compile(r"\b((?i:fax|faxed|facsimile|phone|tel|telephone|call)|mobile|cell|pager)\b")
_FAX_AFTER_RE = re.compile(r"^\s*\(?(?:fax|facsimile)\b", re.IGNORECASE)


def find_dates(text: str) -> Iterator[Hit]:
    """Dates finer than the year: a month with a day or a year, numeric dates, holidays."""
    for m in _DATE_RE.finditer(text):
        if not _NOT_DATE_RE.match(m.group()):
            yield m.start(), m.end(), "date"


_NAME_BEFORE = re.compile(r"[A-Z][a-zà-ÿ'’-]+\)?$|\([^)]*[A-Z][^)]*\)$")


def find_ages(text: str) -> Iterator[Hit]:
    """Ages of 90 and over as case reports write them: '93-year-old', 'aged 94', 'her 97th year'."""
    for m in _AGE_RE.finditer(text):
        group = next(g for g in "abcdefghi" if m.group(g))
        if group == "i" and not _NAME_BEFORE.search(text[max(0, m.start() - 40) : m.start()]):
            continue  # "ferritin, 95," is a value; "Hosseini, 93," an age
        yield m.start(group), m.end(group), "age"


def find_contacts(text: str) -> Iterator[Hit]:
    """E-mail addresses, URLs, IP addresses, social security, phone and fax numbers."""
    for m in _EMAIL_RE.finditer(text):
        yield m.start(), m.end(), "email"
    for m in _URL_RE.finditer(text):
        if not _PUBLIC_URL_RE.search(m.group()):
            yield m.start(), m.start() + len(m.group().rstrip(".,;:")), "url"
    for m in _IP_RE.finditer(text):
        yield m.start(), m.end(), "ip"
    for m in _SSN_RE.finditer(text):
        start = m.start() + len(m.group()) - len(m.group().lstrip(":#, \t"))
        yield start, m.end(), "ssn"
    yield from _find_phones(text)


def _find_phones(text: str) -> Iterator[Hit]:
    for m in _PHONE_RE.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        if len(digits) < (9 if m.group().startswith(("0", "(0")) else 10) and not m.group().startswith("+"):
            continue
        kind = _name_number(text[max(0, m.start() - 80) : m.start()])
        start = m.start() + 1 if m.group().startswith("(") and ")" not in m.group() else m.start()
        yield start, m.end(), "fax" if _FAX_AFTER_RE.match(text[m.end() :]) else kind


def _name_number(before: str) -> str:
    """A number is a fax number when the nearest cue word before it, in its sentence, says so."""
    cues = _NUMBER_CUE_RE.findall(re.split(r"[.;\n]\s", before)[-1])
    return "fax" if cues and cues[-1].lower() in ("fax", "faxed", "facsimile") else "phone"
