"""Numbers named by a label: record, plan, identity, licence, vehicle, device and serial numbers.

A number alone says nothing (a lab value, a dose, a year), so these are found by the label a
writer puts before them, in the words of the countries case reports come from: an NHS or
Medicare number, an Aadhaar or CPF, an AHPRA registration, a car's registration. The value may
be written in spaced groups ("943 476 5919", "KA 05 MN 4821"), as forms print it. A GS1 device
identifier ("(01)" and fourteen digits) is recognised by its shape alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from caseletter.deid.rules import Hit

# A label, optional filler ("number", "no.", "#", ":", "is"), then a value holding a digit.
_FILLER = (
    r"(?:\s*(?:number|numbers|no\.?|num\.?|n[°º]|n\.º|#|ID|identifier|code|card|is|was|as|of|recorded|given|:|,|\())*"
    r"\s*"
)
#: A value: optional GS1 application identifier, optional letter prefix, a token with a digit, then
#: spaced groups that start with a digit (after at most three capitals), unless a unit follows.
_UNIT_AFTER = r"(?!\s*(?:days?|weeks?|months?|years?|hours?|mg|mcg|g|kg|ml|mL|L|cm|mm|%|times)\b)"
_VALUE = (
    r"(?P<v>(?:\(\d{2}\))?(?:(?-i:[A-Z]{1,4})[ -])?(?=[A-Z0-9./-]*\d)(?:[A-Z0-9][A-Z0-9./-]*[A-Z0-9]|\d(?= \d))"
    rf"(?:[ ](?:(?-i:[A-Z]{{1,3}})[ ])?\d(?-i:[0-9A-Z-])*(?![/.:]\d){_UNIT_AFTER})*)"
)
_LABELS = [
    ("vehicle", r"licen[cs]e plate|number plate|plate|vehicle registration|VIN|chassis|rego"),
    (
        "ssn",
        r"SSN|social security|social insurance|national insurance|NI|NINO|national identity(?: card)?|national ID|"
        r"(?:personal )?identity(?: card)?|identification|personal ID|citizen ID|resident registration|"
        r"identity card|ID card|Aadhaar|Aadhar|CPF|CURP|DNI|NIE|NIF|NRIC|PESEL|BSN|personnummer|Emirates ID|"
        r"Iqama|passport|tax file|TFN|codice fiscale|num[ée]ro de s[ée]curit[ée] sociale|RUT|RUN|CUIL|CUIT|CNIC|"
        r"NIK|KTP|AMKA|PPS|kimlik|SIN|NID|NIN|NIC|MyKad|IC|HKID|Ghana Card|hetu|henkilötunnus|CNP|EGN|OIB|JMBG|"
        r"Rijksregisternummer|rijksregister|AHV|AVS|CPR|Kennitala|r\.č\.|rodné číslo|Teudat zehut|teudat|BI|CC",
    ),
    (
        "licence",
        r"driver'?s licen[cs]e|driving licen[cs]e|(?:nursing|medical|professional|pilot'?s) licen[cs]e|"
        r"licen[cs]e|DEA|NPI|certificate|registration|registered|GMC|AHPRA|NMC|prescriber|provider|"
        r"matr[íi]cula(?: nacional| provincial| profesional)?|colegiado|CRM|CRO|RPPS|BIG|MCI|PMDC|MDCN|KMPDC|HPCSA",
    ),
    (
        "health_plan",
        r"(?:Medicare|Medicaid)(?: beneficiary| card)?(?: identifier| number| ID)?|member|subscriber|policy|"
        r"health[- ]plan|health card|health insurance|insurance|beneficiary|group|NHS|CHI|OHIP|PHN|"
        r"personal health|IHI|Krankenversichertennummer|Versichertennummer|Krankenkasse|carte Vitale|"
        r"tessera sanitaria|SUS|cartão SUS|CNS|RAMQ|PhilHealth|NHIF|BPJS|utente|SNS|IMSS|NSS|afiliaci[óo]n|NHI|"
        r"NHIS|SIS|PHIN|TAJ|EHIC|KVNR|Medibank|Bupa",
    ),
    ("account", r"account|acct\.?|billing|IBAN"),
    ("mrn", r"MRN|medical record|record|chart|hospital|patient|UR|URN|hospital registration|IP|OPD|HN|processo"),
    ("device", r"UDI|unique device(?: identifier)?|device(?=\s+(?:identifier|ID|number|serial))|GTIN"),
    (
        "serial",
        r"serial|SN|S/N|lot|accession|specimen|sample|enrol?lment|participant|subject|study|trial|pathology|"
        r"histology|biopsy|cytology|laboratory|lab|slide|block",
    ),
]
#: Labels that are ordinary words in capitals only: "NI", "UR", "SN" in lower case mean nothing.
_CASED_LABELS = frozenset(
    {
        "HN",
        "BI",
        "CC",
        "SIS",
        "TAJ",
        "CPR",
        "AHV",
        "AVS",
        "NI",
        "UR",
        "SN",
        "CHI",
        "VIN",
        "SIN",
        "NIC",
        "NID",
        "NIN",
        "IC",
        "IP",
        "RUN",
        "SUS",
        "CNS",
        "SNS",
        "NSS",
        "BIG",
        "PPS",
        "NIK",
        "OPD",
        "CRO",
        "CRM",
        "MCI",
    }
)
_KEYED_RES = [
    (
        kind,
        re.compile(rf"\b(?P<label>{label})(?!\w){_FILLER}{_VALUE}(?![\w-])", re.IGNORECASE if kind != "device" else 0),
    )
    for kind, label in _LABELS
]
#: A strong label may stand a few words from its value: "the driving licence found in his wallet,
#: number MORGA753116DW9JK"; "his CURP was recorded as GOML870312HJCRRS07".
_DISTANT_RES = [
    (
        kind,
        re.compile(
            rf"\b(?P<label>{label})(?!\w)[^.;\n]{{1,60}}?\b(?:number|no\.|ID|was|is|as)\s*[:,]?\s*{_VALUE}(?![\w-])",
            re.IGNORECASE if kind != "device" else 0,
        ),
    )
    for kind, label in _LABELS
]
_IBAN_RE = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b")
_GS1_RE = re.compile(r"\(01\)\d{14}(?:\(\d{2}\)[\w.-]+)*")
# Words that make a label mean something else: a "patient number" needs number/ID after "patient".
_WEAK_LABELS = re.compile(
    r"^(?:patient|hospital|record|chart|group|study|trial|sample|specimen|member|subject|participant|"
    r"billing|insurance|lot|certificate|registration|registered|prescriber|provider|passport|policy|identity|"
    r"identification|pathology|histology|biopsy|cytology|laboratory|lab|slide|block|IP|OPD)$",
    re.IGNORECASE,
)
_STRONG_FILLER = re.compile(r"number|no\.?|#|ID|identifier|code|card|:", re.IGNORECASE)
_DEVICE_CUE = re.compile(
    r"pacemaker|defibrillator|\bICD\b|pump|implant|stimulator|prosthe|catheter|port\b|stent|valve|"
    r"device|monitor|glucometer|hearing aid|cochlear|shunt",
    re.IGNORECASE,
)
_VEHICLE_CUE = re.compile(
    r"\b(?:car|cars|drove|drive|driving|driver|vehicle|truck|lorry|van|hatchback|sedan|saloon|motorbike|motorcycle|"
    r"scooter|taxi|parked|collision|crash|pickup|bus|minibus|matatu|jeepney|rickshaw|tuk-tuk|SUV|ute|bakkie|"
    r"tractor|moped)\b",
    re.IGNORECASE,
)
_LABEL_PREFIX = re.compile(r"^(?:RUT|RUN|CPF|DNI|NIE|NIF|CNIC|NRIC|NIK|SSN|MRN|NHS|PPS|CURP|AMKA|HKID)[ -]")
# Public trial registrations name a study, not a person.
_REGISTRY_RE = re.compile(r"^(?:NCT\d{8}|ISRCTN\d+|ACTRN\d+|DRKS\d+|ChiCTR|CTRI/|\d{4}-\d{6}-\d{2}$)", re.I)


def find_keyed_numbers(text: str) -> Iterator[Hit]:
    """Every number a label names, IBANs and GS1 device identifiers by their shape."""
    for kind, regex in _KEYED_RES:
        for m in regex.finditer(text):
            yield from _keyed_hit(kind, m, text, near=True)
    for kind, regex in _DISTANT_RES:
        for m in regex.finditer(text):
            yield from _keyed_hit(kind, m, text, near=False)
    for m in _IBAN_RE.finditer(text):
        yield m.start(), m.end(), "account"
    for m in _GS1_RE.finditer(text):
        yield m.start(), m.end(), "device"


def _keyed_hit(kind: str, m: re.Match, text: str, *, near: bool) -> Iterator[Hit]:
    """The value of one label match, if the label holds and the value looks like an identifier.

    A value far from its label must be coded (letters and digits) or six digits long, and a value
    whose leading letters are a label of their own ("patient, RUT 14.882.301-K") belongs to that one.
    """
    if not _label_holds(m, text, near=near) or _LABEL_PREFIX.match(m.group("v")):
        return
    kind_here = _refine_kind(kind, text, m.start())
    end = _plate_end(text, m.end("v")) if kind_here == "vehicle" else m.end("v")
    value = text[m.start("v") : end]
    if _is_value_like(value) and (near or _is_coded(value) or sum(c.isdigit() for c in value) >= 6):
        yield m.start("v"), end, kind_here


def _plate_end(text: str, end: int) -> int:
    """A British or Irish plate ends in a group of letters ("AB12 CDE"), which the value grammar stops before."""
    letters = re.match(r" [A-Z]{2,3}(?![\w-])", text[end : end + 5])
    return end + letters.end() if letters else end


def _is_coded(value: str) -> bool:
    return any(c.isalpha() for c in value) and any(c.isdigit() for c in value)


def _is_value_like(value: str) -> bool:
    """A value is an identifier when it has 4+ digits or mixes letters and digits at length 5+."""
    if _REGISTRY_RE.match(value):
        return False
    digits = sum(c.isdigit() for c in value)
    return digits >= 4 or (digits >= 2 and len(value) >= 6 and any(c.isalpha() for c in value))


def _label_holds(m: re.Match, text: str, *, near: bool = True) -> bool:
    """A weak label ('patient', 'specimen') needs 'number'/'ID' after it or a coded value, and its value near."""
    label = m.group("label")
    if label.upper() in _CASED_LABELS and label != label.upper():
        return False
    if not _WEAK_LABELS.match(label):
        return True
    if not near:
        return False
    if _is_coded(m.group("v")):
        return True
    between = text[m.start() + len(label) : m.start("v")]
    return bool(_STRONG_FILLER.search(between))


def _refine_kind(kind: str, text: str, start: int) -> str:
    """What the sentence around a label says: a serial of a device, a registration of a car."""
    sentence = re.split(r"[.;\n]\s", text[max(0, start - 80) : start])[-1]
    if kind == "serial" and _DEVICE_CUE.search(sentence):
        return "device"
    if kind == "licence" and text[start : start + 10].lower().startswith("regist"):
        return "vehicle" if _VEHICLE_CUE.search(sentence) else "licence"
    return kind
