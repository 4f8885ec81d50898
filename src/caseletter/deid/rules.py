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

_MONTH_NAMES = (
    "January|February|March|April|June|July|August|September|October|November|December"
)
_MONTH_ABBR = r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec"
# "May" is a month only when a day or year stands next to it: alone it is a verb.
_MONTH = rf"(?:{_MONTH_NAMES}|(?:{_MONTH_ABBR})\.?|May)"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[89]\d\d|20\d\d)"

_DATE_PATTERNS = [
    # March 3, 2021 / Jan 12 / September 9th
    rf"\b{_MONTH}\s+{_DAY}\b(?:,?\s+{_YEAR}\b)?",
    # 14 May 2019 / the 14th of May
    rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s+{_YEAR}\b)?",
    # August 2022
    rf"\b{_MONTH},?\s+(?:of\s+)?{_YEAR}\b",
    # 03/03/2021, 2/17/22, 14.05.2019, 3-3-2021
    r"\b(?:0?[1-9]|[12]\d|3[01])([/.-])(?:0?[1-9]|[12]\d|3[01])\1(?:\d{4}|\d{2})\b",
    # 2021-03-03
    r"\b(?:19|20)\d\d-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])\b",
    # on 3/14 (a day without a year needs a preposition: 20/40 is visual acuity, 8/10 a pain score)
    r"(?:(?<=\bon )|(?<=\bsince ))(?:0?[1-9]|1[0-2])/(?:0?[1-9]|[12]\d|3[01])\b(?![/.]\d)",
    # holidays pin a day too
    r"\b(?:Christmas|Thanksgiving|Easter|New Year's)(?:\s+(?:Day|Eve))?(?:\s+{_YEAR})?\b".replace("{_YEAR}", _YEAR),
]
_DATE_RE = re.compile("|".join(f"(?:{p})" for p in _DATE_PATTERNS))
# The day-month pattern would read "3 months" or "12 Mar" inside a dose as a date otherwise.
_NOT_DATE_RE = re.compile(r"^\d+\s+(?:May)$")

_OLD = r"(?:9\d|1[0-2]\d)"
_AGE_RE = re.compile(
    rf"\b{_OLD}(?:-|\s)(?:year|yr)s?(?:-|\s)old\b"
    rf"|(?<=\baged )\s*{_OLD}\b|(?<=\bage )\s*{_OLD}\b|(?<=\bage of )\s*{_OLD}\b"
    rf"|\b{_OLD}\s*(?:y/o|yo|y\.o\.)(?!\w)"
    rf"|\b{_OLD}\s+years\s+of\s+age\b"
    rf"|\b{_OLD}\s+years(?=,?\s+(?:old|of age))",
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
)
_NUMBER_CUE_RE = re.compile(r"\b(fax|faxed|facsimile|phone|tel|telephone|call|mobile|cell|pager)\b", re.IGNORECASE)
_FAX_AFTER_RE = re.compile(r"^\s*\(?(?:fax|facsimile)\b", re.IGNORECASE)


def find_dates(text: str) -> Iterator[Hit]:
    """Dates finer than the year: a month with a day or a year, numeric dates, holidays."""
    for m in _DATE_RE.finditer(text):
        if not _NOT_DATE_RE.match(m.group()):
            yield m.start(), m.end(), "date"


def find_ages(text: str) -> Iterator[Hit]:
    """Ages of 90 and over in the forms case reports write them ('a 93-year-old', 'aged 94')."""
    for m in _AGE_RE.finditer(text):
        start = m.start() + len(m.group()) - len(m.group().lstrip())
        yield start, m.end(), "age"


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
        if len(digits) < 10 and not m.group().startswith("+"):
            continue
        kind = _name_number(text[max(0, m.start() - 30) : m.start()])
        yield m.start(), m.end(), "fax" if _FAX_AFTER_RE.match(text[m.end() :]) else kind


def _name_number(before: str) -> str:
    """A number is a fax number when the nearest cue word before it says so."""
    cues = _NUMBER_CUE_RE.findall(before)
    return "fax" if cues and cues[-1].lower() in ("fax", "faxed", "facsimile") else "phone"


_STATES = (
    "Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia|"
    "Hawaii|Idaho|Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|"
    "Michigan|Minnesota|Mississippi|Missouri|Montana|Nebraska|Nevada|New Hampshire|New Jersey|"
    "New Mexico|New York|North Carolina|North Dakota|Ohio|Oklahoma|Oregon|Pennsylvania|"
    "Rhode Island|South Carolina|South Dakota|Tennessee|Texas|Utah|Vermont|Virginia|Washington|"
    "West Virginia|Wisconsin|Wyoming|Ontario|Quebec|Manitoba|Alberta|British Columbia"
)
# Postal codes that double as degrees or words (MD, DO, PA, MS, IN, OR, ME, OK) count only before a ZIP.
_SAFE_ABBR = (
    "AL|AK|AZ|AR|CA|CO|FL|GA|HI|ID|IL|IA|KS|KY|LA|MI|MN|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|RI|SC|SD|"
    "TN|TX|UT|VT|VA|WA|WV|WI|WY|DC"
)
STATE_RE = re.compile(rf"^(?:{_STATES})$")
_ANY_ABBR = _SAFE_ABBR + "|CT|DE|IN|MA|MD|ME|MS|OK|OR|PA"
_ZIP = r"\d{5}(?:-\d{4})?"
_CAP = r"[A-Z][a-z'’]+(?:-[A-Z][a-z'’]+)?"
_PLACE = rf"{_CAP}(?:\s+{_CAP}){{0,2}}"
_CITY_STATE_RE = re.compile(
    rf"\b(?P<city>{_PLACE}),?\s+(?:(?:{_STATES})\b|(?:{_SAFE_ABBR})\b(?!\.\w)|(?:{_ANY_ABBR})(?=,?\s+{_ZIP}\b))"
)
_CITY_CUE_RE = re.compile(
    rf"\b(?:from|outside|near|born in|lives in|living in|lived in|moved to|resident of|"
    rf"(?:town|city|village|county|suburb) of)\s+(?P<city>{_PLACE})"
)
_NOT_PLACE = re.compile(
    rf"^(?:{_STATES}|{_MONTH_NAMES}|The|A|An|Her|His|Their|Our|This|That|Figure|Table|Day|Week|"
    r"Month|Year|Baseline|Presentation|Admission|Discharge|Birth|Childhood|US|USA|Canada|Mexico|"
    r"England|Scotland|Wales|Ireland|Europe|Africa|Asia|India|China|Japan|Brazil|Germany|France|"
    r"Italy|Spain|Poland|Nigeria|Kenya|Philippines)\b"
)
_ZIP_RE = re.compile(
    rf"\b(?:{_ANY_ABBR}|{_STATES}|ZIP|zip|ZIP code|zip code|postcode|postal code),?\s*[:#]?\s*(?P<v>{_ZIP})\b"
)
_STREET = (
    r"Street|St|Road|Rd|Avenue|Ave|Boulevard|Blvd|Drive|Dr|Lane|Ln|Way|Court|Ct|Place|Pl|Terrace|"
    r"Circle|Highway|Hwy|Parkway|Pkwy|Trail|Square|Sq|Row|Crescent|Close|Alley"
)
_ADDRESS_RE = re.compile(
    rf"\b\d{{1,6}}(?:\s+(?:[NSEW]\.?|North|South|East|West))?(?:\s+(?:{_CAP}|\d+(?:st|nd|rd|th))){{1,4}}"
    rf"\s+(?:{_STREET})\b\.?(?:,?\s+(?:Apt|Apartment|Suite|Ste|Unit|Room|#)\.?\s*\w+)?"
    r"|\b(?:P\.?\s?O\.?\s+Box|Post Office Box)\s+\d+"
)


def find_places(text: str) -> Iterator[Hit]:
    """Street addresses, ZIP codes and cities or towns (places smaller than a state)."""
    for m in _ADDRESS_RE.finditer(text):
        yield m.start(), m.end(), "address"
    for m in _ZIP_RE.finditer(text):
        yield m.start("v"), m.end("v"), "zip"
    for regex in (_CITY_STATE_RE, _CITY_CUE_RE):
        for m in regex.finditer(text):
            if not _NOT_PLACE.match(m.group("city")):
                yield m.start("city"), m.end("city"), "city"


_FACILITY_HEAD = (
    r"Hospital|Medical Center|Medical Centre|Health Center|Health Centre|Clinic|Infirmary|"
    r"Care Home|Nursing Home|Rest Home|Retirement Home|Retirement Community|Residential Home|"
    r"Care Center|Care Centre|Care Facility|Hospice|Sanatorium|Assisted Living|Rehabilitation Center|"
    r"Health System|Healthcare|Health Care|Medical Group|Surgery|Family Practice|General Practice|"
    r"Medical Practice|Manor|Lodge|Residence"
)
_FAC_WORD = r"(?:St\.|Saint|[A-Z][a-z][\w'’-]*|[A-Z]{2,6}(?![\w-]))"
# Spaces only, never a newline: a heading on the next line is not part of a name.
_FACILITY_RE = re.compile(
    rf"\b{_FAC_WORD}(?:[ \t]+(?:(?:of|and|the|for|&)[ \t]+)?{_FAC_WORD}){{0,5}}[ \t]+(?:{_FACILITY_HEAD})\b"
    rf"(?:\s+(?:of|at)\s+{_CAP}(?:\s+{_CAP})?)?"
    rf"|\b(?:Hospital|Clinic|Infirmary)\s+of\s+{_CAP}(?:\s+{_CAP}){{0,2}}"
)
# Capitalised words that start a sentence or a generic description, not a name.
_GENERIC_LEAD = re.compile(
    r"^(?:The|A|An|Our|Their|Her|His|This|That|At|In|To|From|Local|Community|University|"
    r"Academic|Tertiary|Regional|District|General|Private|Public|Outpatient|Inpatient|Dermatology|"
    r"Rheumatology|Infusion|Wound|Teaching|Veterans|Children's)\b"
)


def find_facilities(text: str) -> Iterator[Hit]:
    """Named hospitals, clinics and care homes; 'a nursing home' or 'our clinic' is left alone."""
    for m in _FACILITY_RE.finditer(text):
        start, words = m.start(), m.group().split()
        while words and _GENERIC_LEAD.match(words[0]) and len(words) > 2:
            start = text.index(words[1], start + len(words[0]))
            words = words[1:]
        if len(words) >= 2 and not _GENERIC_LEAD.match(words[0]):
            yield start, m.end(), "facility"


# A label, optional filler ("number", "no.", "#", ":", "is"), then a value holding a digit.
_FILLER = r"(?:\s*(?:number|numbers|no\.?|num\.?|#|ID|identifier|code|is|was|of|:|,|\())*\s*"
_VALUE = r"(?P<v>(?:(?-i:[A-Z]{1,4})[ -])?(?=[A-Z0-9./-]*\d)[A-Z0-9][A-Z0-9./-]*[A-Z0-9])"
_LABELS = [
    ("vehicle", r"licen[cs]e plate|number plate|plate|vehicle registration|VIN"),
    ("licence", r"driver'?s licen[cs]e|driving licen[cs]e|(?:nursing|medical|professional|pilot'?s) licen[cs]e|"
                r"licen[cs]e|DEA|NPI|certificate"),
    ("health_plan", r"(?:Medicare|Medicaid)(?: beneficiary)?(?: identifier| number| ID)?|member|subscriber|policy|"
                    r"health[- ]plan|insurance|beneficiary|group"),
    ("account", r"account|acct\.?|billing"),
    ("mrn", r"MRN|medical record|record|chart|hospital|patient|NHS"),
    ("device", r"UDI|unique device"),
    ("serial", r"serial|SN|S/N|lot|accession|specimen|sample|enrol?lment|participant|subject|study|trial"),
]
_KEYED_RES = [
    (kind, re.compile(rf"\b(?:{label})\b{_FILLER}{_VALUE}(?![\w-])", re.IGNORECASE if kind != "device" else 0))
    for kind, label in _LABELS
]
# Words that make a label mean something else: a "patient number" needs number/ID after "patient".
_WEAK_LABELS = re.compile(r"^(?:patient|hospital|record|chart|group|study|trial|sample|specimen|member|"
                          r"subject|participant|billing|insurance|lot|certificate)$", re.IGNORECASE)
_STRONG_FILLER = re.compile(r"number|no\.?|#|ID|identifier|code|:", re.IGNORECASE)
_DEVICE_CUE = re.compile(
    r"pacemaker|defibrillator|\bICD\b|pump|implant|stimulator|prosthe|catheter|port\b|stent|valve|"
    r"device|monitor|glucometer|hearing aid|cochlear|shunt", re.IGNORECASE)


def find_keyed_numbers(text: str) -> Iterator[Hit]:
    """Record, account, plan, licence, vehicle, device and serial numbers named by a label."""
    for kind, regex in _KEYED_RES:
        for m in regex.finditer(text):
            if not _is_value_like(m.group("v")) or not _label_holds(m, text):
                continue
            yield m.start("v"), m.end("v"), _refine_kind(kind, text, m.start())


# Public trial registrations name a study, not a person.
_REGISTRY_RE = re.compile(r"^(?:NCT\d{8}|ISRCTN\d+|ACTRN\d+|DRKS\d+|ChiCTR|CTRI/|\d{4}-\d{6}-\d{2}$)", re.I)


def _is_value_like(value: str) -> bool:
    """A value is an identifier when it has 4+ digits or mixes letters and digits at length 5+."""
    if _REGISTRY_RE.match(value):
        return False
    digits = sum(c.isdigit() for c in value)
    return digits >= 4 or (digits >= 2 and len(value) >= 6 and any(c.isalpha() for c in value))


def _label_holds(m: re.Match, text: str) -> bool:
    """A weak label ('patient', 'specimen') needs 'number'/'ID' after it or a coded value."""
    label = re.match(r"\w+", m.group()).group()
    value = m.group("v")
    coded = any(c.isalpha() for c in value) and any(c.isdigit() for c in value)
    if not _WEAK_LABELS.match(label) or coded:
        return True
    between = text[m.start() + len(label) : m.start("v")]
    return bool(_STRONG_FILLER.search(between))


def _refine_kind(kind: str, text: str, start: int) -> str:
    """A serial number belongs to a device when a device is named just before it."""
    if kind != "serial":
        return kind
    sentence = re.split(r"[.;\n]\s", text[max(0, start - 80) : start])[-1]
    return "device" if _DEVICE_CUE.search(sentence) else "serial"
