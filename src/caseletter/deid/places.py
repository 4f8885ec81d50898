"""Places smaller than a state: towns and cities, streets and postal codes, from every country.

Three kinds of evidence, the way a reader spots a place. A town the gazetteer knows
(``deid.gazetteer``), wherever it stands, unless what follows makes it something else: the
Rotterdam *criteria*, West Nile *virus*, *Salmonella* Dublin, the Mayo Clinic *Proceedings*. A
capitalised name after a place cue ("moved from", "a farmer near", "in the town of"), for the
villages no gazetteer lists. And the shapes of addresses and postal codes, which count only where
a street or a town stands beside them, since a lone five-digit number is as likely a lab value.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from caseletter.deid.gazetteer import gazetteer
from caseletter.deid.person_names import load_first_names
from caseletter.deid.rules import MONTH_NAMES, Hit

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
_UP = "A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĲĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ"
_LOW = "a-zß-öø-ÿā-žș-ț'’ʻ"
_CAP = rf"[{_UP}][{_LOW}]+(?:-[{_UP}]?[{_LOW}]+)*"
_PLACE = rf"{_CAP}(?:\s+{_CAP}){{0,2}}"
_PARTICLE = r"(?:de|da|do|dos|das|del|della|di|la|le|el|al|upon|on|sur|am|an|im|en)"
#: A word of any Latin script, and runs of capitalised ones with the particles place names hold
#: ("Oaxaca de Juárez", "Nguyễn Thị Lan").
_TOKEN = re.compile(r"[^\W\d_][\w'’.-]*")
_PARTICLES = frozenset(_PARTICLE.strip("(?:)").split("|"))
#: Words of a person's name that may come before a surname: after one of these, a town's name is a surname.
_NAME_PARTICLES = frozenset(
    "van von der den ter ten de da del della di du le la bin bint ibn al el ní nic mac ó ua ap".split()
)
#: What a run of capitalised words ends with when it names a division larger than a town.
_LARGER_HEADS = frozenset("Province Region State Oblast Governorate Prefecture Territory Republic Kingdom".split())
_TOWN_HEADS = frozenset("District County Municipality Township Borough Parish Ward Suburb City Town Village".split())
#: "Moorhead, Minnesota" needs its comma: "Salmonella Kentucky" is a serovar; a ZIP code may stand in for it.
_CITY_STATE_RE = re.compile(
    rf"\b(?P<city>{_PLACE})(?:,\s+(?:(?:{_STATES})\b|(?:{_SAFE_ABBR})\b(?!\.\w))|,?\s+(?:{_ANY_ABBR})(?=,?\s+{_ZIP}\b))"
)
_CITY_CUE_RE = re.compile(
    rf"(?:\bCo\.|\bCounty|\bTambon|\bAmphoe|\bBarangay|\bKampung|\bKelurahan|\bDesa)\s+(?P<county>{_PLACE})(?!\w)|"
    # Japanese wards, cities and towns: "Chuo-ku", "Hirosaki-shi"
    rf"\b(?P<ward>{_CAP}-(?:ku|shi|machi|cho|gun|mura))\b|"
    rf"\b(?:from|outside|near|born in|lives in|living in|lived in|moved to|resident of|grew up in|"
    rf"(?:town|city|village|county|suburb|district|township|municipality) of)\s+(?P<city>{_PLACE})(?!\w)"
)
#: A named neighbourhood: "the Vila Tibério neighbourhood", "the Soweto township".
_AREA_RE = re.compile(
    rf"\bthe\s+(?P<city>{_PLACE})\s+(?:neighbou?rhood|district|suburb|area|barrio|bairro|township|estate|"
    r"quarter|ward|village|colonia|favela|borough)\b"
)
_NOT_PLACE = re.compile(
    rf"^(?:{_STATES}|{MONTH_NAMES}|The|A|An|Her|His|Their|Our|This|That|Figure|Table|Day|Week|"
    r"Month|Year|Baseline|Presentation|Admission|Discharge|Birth|Childhood|US|USA|Dr|Mr|Mrs|Ms|Prof)\b"
)
#: What makes a place's name the name of something else: a disease, a virus, criteria, a journal.
THING_WORDS = (
    r"virus|viruses|disease|fever|criteria|classification|scale|score|rules?|definition|grade|class|stage|"
    r"guidelines?|consensus|boil|sore|foot|fly|blood|encephalitis|flu|influenza|strain|syndrome|sign|test|"
    r"type|phenotype|variant|coma|cognitive|procedure|technique|operation|protocol|declaration|agreement|"
    r"convention|statement|study|trial|cohort|hernia|tendon|plague|pox|ulcer|belly|group|system|"
    r"questionnaire|index|staging|grading|ratio|formula|maneuver|manoeuvre|phenomenon|palsy|lymphoma|"
    r"sarcoma|thyroiditis|nodes?|cells?|spots?|nodules?|papules?|bodies|lines|stain|staining|fracture|"
    r"reflex|incision|flap|method|equation|regimen|[a-z]+(?:itis|osis|oma|pathy|emia|aemia)|"
    r"(?:Clinic\s+)?(?:Journal|Proceedings|Annals|Bulletin|Review)"
)
_NAMED_THING = re.compile(rf"\s*(?:[-‐]\s*)?(?:{THING_WORDS})\b", re.IGNORECASE)
#: Places name things across one qualifying word: "Ottawa ankle rules", "Los Angeles grade C".
_NAMED_THING_AFTER_WORD = re.compile(rf"\s+[a-z]+\s+(?:{THING_WORDS})\b")
#: Genus names, some of which the gazetteer also lists as towns: before a capitalised serovar or
#: species they name an organism ("Salmonella Dublin", "Borrelia burgdorferi").
_GENERA = frozenset(
    "Salmonella Shigella Listeria Brucella Legionella Leptospira Borrelia Rickettsia Leishmania Trypanosoma "
    "Bartonella Yersinia Francisella Coxiella Chlamydia Mycobacterium Streptococcus Staphylococcus Escherichia "
    "Klebsiella Pseudomonas Candida Aspergillus".split()
)
_BEFORE_THING = re.compile(
    r"(?:serovar|serotype|et al\.?|(?:University|College|Declaration|Convention|Treaty|Protocol|"
    r"Statement|Congress|Society|Journal|Academy|Institute) of|"
    r"(?:pouch|space|canal|circle|ligament|loop|islets?|crypts?|ampulla|sphincter|angle|ducts?|foramen|organ|"
    r"tubercle|triangle|fossa|bundle|glands?|line|sign|law|node|nodes|capsule|membrane|plexus|valve) of|"
    rf"\b(?:{'|'.join(sorted(_GENERA))}))\s*$"
)
#: Words of abbreviated journal titles (ISO 4): a run holding one is a citation ("Arch Dermatol Res").
JOURNAL_WORDS = frozenset(
    "J Am Br Eur Int Med Res Clin Coll Acad Surg Dermatol Ann Arch Rep Sci Lett Rev Proc Soc Pract Ther Exp "
    "Mol Biol Pathol Pediatr Dis Intern Rheumatol Nephrol Oncol Cardiol Endocrinol Immunol Microbiol Pharmacol "
    "Radiol Neurol Ophthalmol Hosp Univ Assoc Gen Dermatologica Venereol Allergy Infect Nutr Metab".split()
)
_INITIALS_AFTER = re.compile(r"\s+[A-Z]{1,2}(?:[,;]|\.(?!\w)|\s+(?:et al|Jr|Sr|II|III|and)\b|\s*[(&])")
_CITATION_AFTER = re.compile(r"\s+(?:et al|and colleagues|and co-workers)\b")
_ZIP_RE = re.compile(rf"\b(?:{_ANY_ABBR}|{_STATES}),?\s*[:#]?\s*(?P<v>{_ZIP})\b")
_STREET = (
    r"Street|St|Road|Rd|Avenue|Ave|Boulevard|Blvd|Drive|Dr|Lane|Ln|Way|Court|Ct|Place|Pl|Terrace|"
    r"Circle|Highway|Hwy|Parkway|Pkwy|Trail|Square|Sq|Row|Crescent|Close|Alley|Cross|Main|Marg|Nagar"
)
_FOREIGN_STREET = (
    r"Calle|Carrer|Avenida|Av\.|Rua|Rue|Via|Viale|Piazza|Plaza|Paseo|Praça|Largo|Chaussée|Boulevard|Straße|Strasse|"
    r"ul\.|ulica|al\.|aleja|os\.|pl\.|Jalan|Jl\.|Sokak|Sok\.|Caddesi|Cad\.|Odos|Utca|utca|Pasaje|Camino|Carrera|"
    r"Jirón|Jr\.|Travessa|Estrada|Rodovia"
)
_STREET_SUFFIX = (
    r"(?:straat|strasse|straße|gasse|weg|singel|laan|gracht|plein|kade|gade|vej|gatan|vägen|katu|allee|ring|platz|"
    r"markt|dijk|dreef|steeg|damm|ufer|torget|tori|gata|utca)"
)
_ADDRESS_RE = re.compile(
    rf"\b\d{{1,6}}(?:\s+(?:[NSEW]\.?|North|South|East|West))?(?:\s+(?:{_CAP}|\d+(?:st|nd|rd|th))){{1,4}}"
    rf"\s+(?:{_STREET})\b\.?(?:,?\s+(?:Apt|Apartment|Suite|Ste|Unit|Room|#)\.?\s*\w+)?"
    rf"|(?<!\w)(?:{_FOREIGN_STREET})\s+(?:(?:de|del|da|do|della|des|du|la)\s+)?{_CAP}(?:\s+{_CAP}){{0,2}},?\s+"
    r"(?:No\.?\s*)?\d{1,5}\w?(?:/\d{1,4}\w?)?\b"
    rf"|\b[{_UP}][{_LOW}]*{_STREET_SUFFIX}\s+\d{{1,5}}\w?\b"
    rf"|\b(?:No\.|Number)\s*\d{{1,5}},\s+\d+(?:st|nd|rd|th)\s+(?:{_STREET})(?:,\s+{_CAP})?"
    r"|\b(?:P\.?\s?O\.?\s+Box|Post Office Box)\s+\d+"
    # French, Italian, Spanish and Portuguese: the number first and the street word in lower case
    rf"|\b\d{{1,5}}(?:\s?(?:bis|ter))?,?\s+(?:rue|avenue|boulevard|bd|chemin|allée|impasse|place|quai|via|viale|"
    rf"piazza|calle|rua)\s+(?:(?:de la|de|des|du|d'|del|della|dei|da|do|dos)\s*)?{_CAP}(?:\s+{_CAP}){{0,2}}"
    # South Asian house-and-road, Thai village-number and Chinese lane addresses
    r"|\b(?:House|Flat|Plot|Holding)\s+(?:No\.?\s*)?\d+[A-Z]?,\s+(?:Road|Lane|Street|Block|Sector)\s+(?:No\.?\s*)?\d+[A-Z]?"
    r"|\b\d{1,4}(?:/\d{1,4})?\s+Moo\s+\d{1,3}\b"
    rf"|\b\d{{1,4}}\s+{_CAP}(?:\s+{_CAP})?\s+(?:Lu|Jie|Xiang|Dadao|Dajie|Hutong|Nanlu|Beilu|Donglu|Xilu|Zhonglu)\b"
    # Japanese and Korean block numbers: "2-14-7 Honcho,"
    rf"|\b\d{{1,4}}-\d{{1,4}}(?:-\d{{1,4}})?\s+{_CAP}(?=,)"
)
#: A street named without its number, in full words only ("St" and "Dr" are saints and doctors).
_NAMED_STREET_RE = re.compile(
    rf"\b{_CAP}(?:\s+{_CAP}){{0,2}}\s+(?:Street|Road|Avenue|Boulevard|Lane|Terrace|Crescent)\b"
)
#: Postal codes by shape: the UK and Ireland's, Canada's, the Netherlands', or plain digits.
_POSTCODE = (
    r"(?:[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}"  # SW1A 1AA
    r"|[A-Z]\d[A-Z]\s?\d[A-Z]\d"  # K1A 0B1
    r"|[A-Z]\d{2}\s?[A-Z0-9]{4}"  # T12 DC4A
    r"|\d{4}\s?[A-Z]{2}"  # 3015 CE
    r"|\d{3}\s?\d{3}"  # 560 003
    r"|\d{2}-\d{3}"  # 31-019
    r"|\d{3}-\d{4}"  # 036-8216
    r"|\d{4,6}(?:-\d{3,4})?)"  # 28009, 2050, 01310-100
)

#: After a town: an optional state or province abbreviation ("NSW", "ON"), then the code.
_POSTCODE_AFTER = re.compile(
    rf",?\s+(?:(?P<region>[A-Z]{{2,3}}|{_CAP}(?:\s+{_CAP})?),?\s+)?(?P<code>{_POSTCODE})(?![\w-])"
)
_TOWN_AFTER_ADDRESS = re.compile(rf",\s+(?P<city>{_PLACE})(?=,?\s+(?:[A-Z]{{2,3}}\s+)?{_POSTCODE}(?![\w-]))")


#: A postal code its label names, in any country's shape.
_LABELLED_POSTCODE_RE = re.compile(
    r"\b(?i:ZIP(?: code)?|post ?code|postal code|Eircode|PIN(?: code)?|CEP|código postal|code postal|PLZ|"
    rf"Postleitzahl|postnummer)(?:,|:|\s+(?:is|was))?\s*(?P<v>{_POSTCODE})(?![\w-])"
)


def find_places(text: str) -> Iterator[Hit]:
    """Street addresses, postal codes, and towns or cities (places smaller than a state)."""
    addresses = [(m.start(), m.end()) for m in _ADDRESS_RE.finditer(text)]
    addresses += [(m.start(), m.end()) for m in _NAMED_STREET_RE.finditer(text) if not _NOT_PLACE.match(m.group())]
    yield from ((s, e, "address") for s, e in addresses)
    for regex in (_ZIP_RE, _LABELLED_POSTCODE_RE):
        for m in regex.finditer(text):
            yield m.start("v"), m.end("v"), "zip"
    towns = [*find_towns(text), *find_cued_towns(text), *find_towns_after_addresses(text, addresses)]
    yield from towns
    yield from find_postcodes(text, [(s, e) for s, e, _ in towns] + addresses)


def find_cued_towns(text: str) -> Iterator[Hit]:
    """A capitalised name after "City, State" or a place cue: the villages no gazetteer lists."""
    larger = gazetteer().larger
    for regex in (_CITY_STATE_RE, _CITY_CUE_RE, _AREA_RE):
        for m in regex.finditer(text):
            group = next(g for g in ("county", "ward", "city") if m.groupdict().get(g))
            name = m.group(group)
            if _NOT_PLACE.match(name) or name in larger or name.split()[0] in _GENERA:
                continue
            if not names_a_thing(text, m.end(group), across_a_word=True):
                yield m.start(group), m.end(group), "city"


def find_towns(text: str) -> Iterator[Hit]:
    """Every town or city of the gazetteer the text names, unless it names something else there."""
    places = gazetteer()
    for run in capitalised_runs(text):
        words = [text[s:e] for s, e in run]
        if words[-1] in _LARGER_HEADS or JOURNAL_WORDS.intersection(words):
            continue
        for found in _towns_in_run(text, run, places.towns, places.larger):
            if names_a_thing(text, found[1], across_a_word=True) or _BEFORE_THING.search(text[: found[0]]):
                continue
            following = [text[s:e] for s, e in run if s > found[1]]
            if following and following[0] in _TOWN_HEADS:
                found = (found[0], run[len(run) - len(following)][1])  # "Polonnaruwa District": the district
            elif following and _is_word(following[0]) and following[0] not in places.larger:
                continue  # "Toyota Hilux", "Oswestry Disability Index", "Cork University Hospital": another name
            if _plausible(text, found):
                yield found[0], found[1], "city"


def _is_word(token: str) -> bool:
    """A capitalised word, not a code or an abbreviation ("M15", "NSW", "CE")."""
    return token.isalpha() and token[:1].isupper() and not token.isupper()


def capitalised_runs(text: str) -> Iterator[list[tuple[int, int]]]:
    """Runs of capitalised words (with particles between them), as the spans of their words."""
    run: list[tuple[int, int]] = []
    pending: list[tuple[int, int]] = []
    last_end = -1
    for token in _TOKEN.finditer(text):
        word = token.group().rstrip(".,;:’'")
        end = token.start() + len(word)
        adjacent = last_end >= 0 and text[last_end : token.start()].strip() == ""
        if word[:1].isupper() and (adjacent or not run):
            if run and not adjacent:
                yield run
                run = []
            run += pending + [(token.start(), end)]
            pending = []
        elif run and adjacent and word in _PARTICLES and not pending:
            pending = [(token.start(), end)]
        else:
            if run:
                yield run
            run, pending = ([(token.start(), end)] if word[:1].isupper() else []), []
        last_end = end if token.group() == word else -1
    if run:
        yield run


def _towns_in_run(text: str, run: list[tuple[int, int]], towns: frozenset, larger: frozenset) -> Iterator[tuple]:
    """The longest town names in a run, left to right; a larger place's words are skipped whole.

    Diacritics are folded, since the gazetteer often spells a town without them ("Ōtāhuhu").
    """
    first = 0
    while first < len(run):
        step = 1
        for last in range(len(run) - 1, first - 1, -1):
            name = text[run[first][0] : run[last][1]]
            if name in larger:
                step = last - first + 1
                break
            if name in towns or fold_diacritics(name) in towns:
                yield run[first][0], run[last][1]
                step = last - first + 1
                break
        first += step


def fold_diacritics(name: str) -> str:
    """The name with its accents and macrons dropped, as an English-language gazetteer writes it."""
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))


def _plausible(text: str, found: tuple[int, int]) -> bool:
    """A lone word needs a place cue at a sentence start, as a first name or an everyday word, or after a particle."""
    name = text[found[0] : found[1]]
    if " " in name or "-" in name:
        return True
    before = text[: found[0]].rstrip().rsplit(None, 1)
    previous = before[-1].lower() if before else ""
    if previous in _NAME_PARTICLES:
        return False
    cued = previous in ("in", "from", "near", "to", "at", "of", "outside", "around") or _region_follows(text, found[1])
    if _sentence_start(text, found[0]) or name in load_first_names() or name in gazetteer().common_words:
        return cued
    return not _INITIALS_AFTER.match(text, found[1])  # "Lee K, Park J": a citation's author


def _region_follows(text: str, end: int) -> bool:
    """True when a state, province or country follows the word: "Moshi, Tanzania", "Kandy, Sri Lanka"."""
    m = re.match(rf",\s+({_CAP}(?:\s+{_CAP}){{0,2}})", text[end : end + 40])
    return bool(m) and m.group(1) in gazetteer().larger


def names_a_thing(text: str, end: int, *, across_a_word: bool = False) -> bool:
    """True when the words after a name make it a disease, a test, a journal or a citation.

    Places may name a thing across one lower-case word ("Ottawa ankle rules"); a person's name
    may not, since "Smith had fever" is a sentence about Smith.
    """
    if across_a_word and _NAMED_THING_AFTER_WORD.match(text, end):
        return True
    return bool(_NAMED_THING.match(text, end) or _CITATION_AFTER.match(text, end))


def _sentence_start(text: str, start: int) -> bool:
    """True at the start of the text, of a sentence or of a line, where every word is capitalised anyway."""
    before = text[:start].rstrip()
    return not before or before[-1] in '.!?:"“#*|>-' or "\n" in text[len(before) : start]


def find_towns_after_addresses(text: str, addresses: list[tuple[int, int]]) -> Iterator[Hit]:
    """The town of a street address, written after it before a postal code: "42 Bay Street, Port Chalmers 9023"."""
    for _, end in addresses:
        m = _TOWN_AFTER_ADDRESS.match(text, end)
        if m and not _NOT_PLACE.match(m.group("city")):
            yield m.start("city"), m.end("city"), "city"


_IN_PLACE = re.compile(rf"(?:,?\s+in\s+|,\s+|\s+\()(?P<city>{_PLACE})(?![\w-])")


def town_named_after(text: str, end: int) -> Hit | None:
    """The town in "<facility> in <town>", "<facility>, <town>", "<facility> (<town>": the facility is the cue."""
    m = _IN_PLACE.match(text, end)
    if not m or _NOT_PLACE.match(m.group("city")) or m.group("city") in gazetteer().larger:
        return None
    return m.start("city"), m.end("city"), "city"


def _region_is_larger(region: str | None) -> bool:
    """A state or province between a town and its code: an abbreviation, or a name the gazetteer holds."""
    return region is None or region.isupper() or region in gazetteer().larger


def find_postcodes(text: str, beside: list[tuple[int, int]]) -> Iterator[Hit]:
    """Postal codes written right before or after a town or a street address."""
    for start, end in beside:
        after = _POSTCODE_AFTER.match(text[end : end + 40])
        if after and _region_is_larger(after.group("region")):
            yield end + after.start("code"), end + after.end("code"), "zip"
        before = re.search(rf"(?<![\w-])(?P<code>{_POSTCODE}),?\s+$", text[max(0, start - 16) : start])
        if before:
            offset = max(0, start - 16)
            yield offset + before.start("code"), offset + before.end("code"), "zip"
