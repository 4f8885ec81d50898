"""Named places of care, schooling and work: hospitals, clinics, care homes, schools, employers.

A facility names where a patient was, and with a town beside it, who. Found by its head word:
English names end with one ("St Mary's Hospital", "Rosemount Care Home", "King Fahad Medical
City"), Romance names start with one ("Hospital de Clínicas", "Ospedale San Raffaele"), German
and Nordic ones fuse it ("Universitätsklinikum Heidelberg", "Kantonsspital Aarau"). An employer is
named by the works it runs ("the Volvo plant"). A generic description ("a nursing home", "our
clinic", "a district hospital") is left alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from caseletter.deid.person_names import load_first_names
from caseletter.deid.places import THING_WORDS, names_a_thing, town_named_after
from caseletter.deid.rules import MONTH_NAMES, Hit

_UP = r"[A-ZÀ-ÖØ-ÞĀ-Ž]"
_LOW = r"[a-zß-öø-ÿā-ž'’]"
_CAP = rf"{_UP}{_LOW}+(?:-{_UP}{_LOW}+)?"

_FACILITY_HEAD = (
    r"Hospital|Medical Center|Medical Centre|Health Center|Health Centre|Clinic|Infirmary|"
    r"Care Home|Nursing Home|Rest Home|Retirement Home|Retirement Community|Residential Home|"
    r"Care Center|Care Centre|Care Facility|Hospice|Sanatorium|Assisted Living|Rehabilitation Center|"
    r"Health System|Healthcare|Health Care|Medical Group|Surgery|Family Practice|General Practice|"
    r"Medical Practice|Manor|Lodge|Residence|Medical City|Medical College|Medical Institute|Polyclinic|"
    r"Dispensary|Health Post|Primary School|Intermediate School|High School|Secondary School|"
    r"Elementary School|Middle School|Grammar School|School|Kindergarten|Daycare|Day Care|Nursery|Academy|"
    r"Health Service|Health Services|Medical Service|Medical Services|Community Health|Sciences Centre|"
    r"Sciences Center|Science Centre|Health Campus|Health Care Campus|Ambulance Service|Flying Doctor Service|"
    r"Hastanesi|Devlet Hastanesi|Eğitim ve Araştırma Hastanesi"
)
_FAC_WORD = rf"(?:St\.|Saint|{_UP}[a-zß-öø-ÿā-ž][\w'’-]*|[A-Z]{{2,6}}(?![\w-]))"
# Spaces only, never a newline: a heading on the next line is not part of a name.
_FACILITY_RE = re.compile(
    rf"\b{_FAC_WORD}(?:[ \t]+(?:(?:of|and|the|for|&)[ \t]+)?{_FAC_WORD}){{0,5}}[ \t]+(?:{_FACILITY_HEAD})\b"
    rf"(?:\s+(?:of|at)\s+{_CAP}(?:\s+{_CAP})?)?"
    rf"|\b(?:Hospital|Clinic|Infirmary)\s+of\s+{_CAP}(?:\s+{_CAP}){{0,2}}"
)
#: Names that start with their head, as Romance languages write them; the particles may join the words.
_HEAD_FIRST = (
    rf"Hospital(?=[ \t]+(?:{_CAP}[ \t]+)?(?:de|del|das|dos|da|do)\b"
    rf"|[ \t]+(?:Universitari[oa]|Universitário|Clínico|Clínic)\b|(?:[ \t]+{_CAP}){{2}})"
    r"|Hôpital|Hospitalet|Clínica|Clinica|Cliniques?|Ospedale|Policlinico|Policlínica|Centro Hospitalar|"
    r"Centro de Salud|Centre Hospitalier|Hospices Civils|Santa Casa|Sanatorio|Instituto|Istituto|Klinikum|Klinik|"
    r"Szpital|Centrum|Puskesmas|Rumah Sakit|Bệnh viện|Benh vien|Sjúkrahúsið|Sjúkrahús|Landspítali|Spitalul|"
    r"Fakultní nemocnice|Nemocnice|Nemocnica|Kórház|Bolnica|Bolnišnica|Lægehuset|Lægeklinik|Sundhedshus|"
    r"Vårdcentralen|Vårdcentral|Legesenter|Legekontor|Terveyskeskus|Gezondheidscentrum|Huisartsenpraktijk|"
    # hospital acronyms that stand before a town: AIIMS Jodhpur, KBC Split, RSUP Sanglah, CHU Bordeaux
    r"AIIMS|PGIMER|JIPMER|KBC|RSUP|RSUD|RSCM|CHU|CHRU|CHR|UMC|UZ|AKH|KEM|CMC|SGPGI|NIMHANS"
)
_JOIN = (
    r"(?:de|del|de la|de las|de los|da|das|do|dos|di|della|degli|des|du|la|le|am|an der|universitario|w|we|im|e|y|"
    r"und|et|i|á|na|v|ve)"
)
#: Heads fused to the word before them (Germanic languages), with the Nordic definite ending "-et".
_FUSED_HEAD = (
    r"(?:klinikum|krankenhaus|klinik|spital|sjukhus|sygehus|sykehus|ziekenhuis|praxis|ambulanz|sairaala)(?:et|en)?"
)
_HEAD_FIRST_RE = re.compile(
    rf"\b(?:{_HEAD_FIRST})(?:[ \t]+(?:{_JOIN}[ \t]+)?(?:{_CAP}|[A-Z]{{2,6}}\b)){{1,4}}"
    rf"|\b(?!Hospital\b){_UP}{_LOW}+{_FUSED_HEAD}(?:[ \t]+(?:(?:am|an der|im|in der|zum|zur)[ \t]+)?{_CAP}){{0,2}}"
    # ... or written as a word of its own after the name: "Norrlands universitetssjukhus"
    rf"|\b{_CAP}[ \t]+(?!hospital\b)(?:[a-zß-öø-ÿ]{{3,}})?{_FUSED_HEAD}\b"
    # a place after the head: "University Hospital Kerry", "General Hospital Vienna"
    rf"|\b(?:University|General|Regional|District|County|Base|Teaching|Referral)[ \t]+Hospital[ \t]+{_CAP}"
)
#: Works, mines and homes named by the proper name before a lower-case head: "the Volvo plant",
#: "the Cerrejón coal mine", "the Villa Solsikke care home".
_NAMED_BEFORE_HEAD_RE = re.compile(
    rf"\bthe\s+(?P<org>{_UP}[\w&'’-]*(?:\s+{_UP}[\w&'’-]*){{0,2}})(?:\s+[a-z]+)?\s+(?:plant|factory|mill|mine|"
    r"colliery|refinery|shipyard|smelter|foundry|warehouse|depot|works|quarry|cannery|abattoir|tannery|"
    r"care home|nursing home|rest home|retirement home|hospice|clinic|hospital|health centre|health center|"
    r"school|college)\b"
)
#: An employer after "worked at"/"employed by": "a crane operator at Tata Steel".
_EMPLOYER_RE = re.compile(
    rf"\b(?:worked|works|working|work|employed|employee|job|career|operator|labourer|laborer|cleaner|driver|"
    rf"clerk|engineer|technician|manager|guard)\b[^.;\n]{{0,40}}?\b(?:at|for|by|with)\s+"
    rf"(?P<org>{_UP}[\w&'’-]*(?:\s+{_UP}[\w&'’-]*){{1,3}})"
)
# Capitalised words that start a sentence or a generic description, not a name.
_GENERIC_LEAD = re.compile(
    r"^(?:The|A|An|Our|Their|Her|His|This|That|At|In|To|From|Local|Community|University|"
    r"Academic|Tertiary|Regional|District|General|Private|Public|Outpatient|Inpatient|Dermatology|"
    r"Rheumatology|Infusion|Wound|Teaching|Veterans|Children's|Medical|Nursing|Primary|Secondary|High|"
    r"Elementary|Middle|Boarding|Special|Sunday|Night|Day|Summer)\b"
)
#: What follows "worked at" or "the ... clinic" without being an employer's name.
_NOT_EMPLOYER = re.compile(
    rf"^(?:Dr|Mr|Mrs|Ms|Prof|Christmas|Easter|May|{MONTH_NAMES}|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|"
    r"Sunday)\b"
)
_TITLE = re.compile(r"^(?:Dr|Mr|Mrs|Ms|Prof|Professor|Mme|Herr|Frau|Sr|Sra)\.?$")
_THING_AFTER_CAPS = re.compile(rf"(?:\s+[A-Z][a-z]+){{1,2}}\s+(?:{THING_WORDS})\b", re.IGNORECASE)
_GENERIC_HEAD_FIRST = re.compile(r"^\w+\s+(?:Universitario|Universitaria|General|Regional|Provincial|Municipal)$")


def find_facilities(text: str) -> Iterator[Hit]:
    """Named facilities, and the town a facility is said to be in ("Clínica Alemana in Vitacura")."""
    for start, end, kind in _find_named_facilities(text):
        yield start, end, kind
        town = town_named_after(text, end)
        if town:
            yield town


def _find_named_facilities(text: str) -> Iterator[Hit]:
    """Named hospitals, clinics, care homes, schools and works; 'a nursing home' or 'our clinic' is left alone."""
    for m in _FACILITY_RE.finditer(text):
        start = _named_start(text, m)
        if start is not None and not _names_a_thing_after(text, m.end()):
            yield start, m.end(), "facility"
    for m in _HEAD_FIRST_RE.finditer(text):
        if not _GENERIC_HEAD_FIRST.match(m.group()) and " " in m.group().strip():
            if not _names_a_thing_after(text, m.end()):
                yield m.start(), m.end(), "facility"
    for regex in (_NAMED_BEFORE_HEAD_RE, _EMPLOYER_RE):
        for m in regex.finditer(text):
            if not _GENERIC_LEAD.match(m.group("org")) and not _NOT_EMPLOYER.match(m.group("org")):
                yield m.start("org"), m.end("org"), "facility"


def _named_start(text: str, m: re.Match) -> int | None:
    """Where the name of a head-last facility starts: after generic words and after a person named before it.

    "The District General Hospital" names no place; "Dr Aino Järvinen of Kuopio University Hospital"
    and "Karim Abdelaziz of Aswan University Hospital" are a person, then the hospital.
    """
    words = list(re.finditer(r"\S+", m.group()))
    first = 0
    first_names = load_first_names()
    for i, word in enumerate(words):
        after = [j for j in range(i + 1, len(words)) if words[j].group() in ("of", "at", "from")]
        if _TITLE.match(word.group()) and not after:
            return None
        if after and (_TITLE.match(word.group()) or word.group() in first_names):
            first = max(first, after[0] + 1)
    while len(words) - first > 2 and _GENERIC_LEAD.match(words[first].group()):
        first += 1
    if len(words) - first < 2 or _GENERIC_LEAD.match(words[first].group()):
        return None
    return m.start() + words[first].start()


def _names_a_thing_after(text: str, end: int) -> bool:
    """A facility's name naming a staging system or a journal: "Barcelona Clinic Liver Cancer staging"."""
    return names_a_thing(text, end) or bool(_THING_AFTER_CAPS.match(text, end))
