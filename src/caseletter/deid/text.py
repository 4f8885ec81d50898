"""Safe Harbor identifiers in a case's text and in its figure files.

``scan_text`` finds the identifiers that HIPAA's Safe Harbor method lists and says what to
write instead. The rules live in ``deid.rules`` (shaped identifiers) and ``deid.names``
(names); this module merges them. What an image carries besides its pixels is
``deid.images``'s business.

Finding types, a fixed vocabulary:

==============  ==============================================================
``name``        a person: patient, relative, carer, clinician, initials
``date``        a date finer than the year (``March 3, 2021``, ``August 2022``)
``age``         an age of 90 or over
``phone``       a telephone number
``fax``         a fax number
``email``       an e-mail address
``address``     a street address or post-office box
``city``        a city, town or other place smaller than a state
``zip``         a ZIP or postal code
``facility``    a named hospital, clinic or care home
``mrn``         a medical record number
``account``     an account number
``health_plan`` a health-plan beneficiary, member or policy number
``licence``     a licence or certificate number
``vehicle``     a vehicle identifier or licence plate
``device``      a medical device's identifier or serial number
``serial``      any other serial, accession or study number
``url``         a web address
``ip``          an IP address
``ssn``         a social security number
``metadata``    an image's EXIF, XMP or text chunk (from ``scan_image_metadata`` only)
``face``        a face in an image (from ``deid.image_content`` only)
==============  ==============================================================
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from caseletter.deid.facilities import find_facilities
from caseletter.deid.names import find_names
from caseletter.deid.numbers import find_keyed_numbers
from caseletter.deid.places import find_places
from caseletter.deid.rules import find_ages, find_contacts, find_dates

TYPES = (
    "name",
    "date",
    "age",
    "phone",
    "fax",
    "email",
    "address",
    "city",
    "zip",
    "facility",
    "mrn",
    "account",
    "health_plan",
    "licence",
    "vehicle",
    "device",
    "serial",
    "url",
    "ip",
    "ssn",
)
# When two findings overlap and are as long as each other, the earlier type here wins: a number
# its label names outranks a number that only has a telephone's shape.
_PRIORITY = {
    t: i
    for i, t in enumerate(
        (
            "email",
            "url",
            "ip",
            "ssn",
            "mrn",
            "account",
            "health_plan",
            "licence",
            "vehicle",
            "device",
            "serial",
            "fax",
            "phone",
            "address",
            "facility",
            "zip",
            "date",
            "age",
            "name",
            "city",
        )
    )
}

_ADVICE = {
    "name": "remove the name: write 'the patient', 'her daughter' or 'the treating physician'",
    "age": "write the age as 90 or older, e.g. 'a woman in her 90s'",
    "phone": "remove the phone number",
    "fax": "remove the fax number",
    "email": "remove the e-mail address",
    "address": "remove the street address; give the state or region at most",
    "city": "name the state or region instead, e.g. 'in the Midwest'",
    "zip": "remove the ZIP code",
    "facility": "describe the place instead, e.g. 'a community hospital', 'a nursing home'",
    "url": "remove the web address, or cite a public page in the references",
    "ip": "remove the IP address",
    "ssn": "remove the social security number",
}


@dataclass(frozen=True)
class Finding:
    """One identifier: where it is (character offsets), what kind, its text, and advice."""

    start: int
    end: int
    type: str
    text: str
    suggestion: str


def scan_text(text: str) -> list[Finding]:
    """Find Safe Harbor identifiers in a piece of case text.

    Every rule proposes spans; overlapping proposals are resolved so that each stretch of
    text is reported once, under the longest (then most specific) finding.

    Args:
        text: A narrative field, a legend or the text of a file.

    Returns:
        The findings in text order.
    """
    hits = set()
    for finder in (find_dates, find_ages, find_contacts, find_places, find_facilities, find_keyed_numbers, find_names):
        hits.update(finder(text))
    kept = [hit for hit in _resolve_overlaps(hits) if not is_eponym(text, hit)]
    return [Finding(s, e, t, text[s:e], suggest_replacement(t, text[s:e])) for s, e, t in kept]


#: A place or a person's name that names a disease, a sign or an organism, not the patient:
#: "Kawasaki disease", "Lyme disease", "West Nile virus", "Crohn disease", "Hodgkin lymphoma".
EPONYM_NOUN = re.compile(
    r"(?:'s)?\s+(?:disease|syndrome|fever|virus|sign|phenomenon|lymphoma|sarcoma|encephalitis|palsy|"
    r"reaction|test|criteria|classification|score|scale|procedure|operation|phenomenon)s?\b",
    re.IGNORECASE,
)


def is_eponym(text: str, hit: tuple[int, int, str]) -> bool:
    """True for a place or name found just before a word like "disease": an eponym, not an identifier."""
    start, end, kind = hit
    return kind in {"city", "county", "state", "place", "name", "person"} and bool(EPONYM_NOUN.match(text, end))


def _resolve_overlaps(hits: set[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    ranked = sorted(hits, key=lambda h: (-(h[1] - h[0]), _PRIORITY[h[2]], h[0]))
    kept: list[tuple[int, int, str]] = []
    for start, end, kind in ranked:
        if all(end <= s or start >= e for s, e, _ in kept):
            kept.append((start, end, kind))
    return sorted(kept)


def suggest_replacement(kind: str, text: str) -> str:
    """What to write instead of an identifier, in the words a journal would accept."""
    if kind == "date":
        year = re.search(r"\b(?:1[89]|20)\d\d\b", text)
        relative = "or a time from presentation, e.g. 'at 3-month follow-up'"
        return f"write 'in {year.group()}' {relative}" if year else f"write the year {relative}"
    if kind in _ADVICE:
        return _ADVICE[kind]
    return f"remove the {kind.replace('_', ' ')} number"
