"""What a submission says of its authors beyond the byline: ORCID iDs and CRediT roles.

Both are standards with a fixed form, so a slip is caught when the case is read rather than by
the journal's system: an ORCID iD carries an ISO 7064 (11,2) check character, and CRediT names
exactly fourteen roles, each with the term identifier JATS records beside the role.
"""

from __future__ import annotations

import difflib
import re

ORCID_FORM = re.compile(r"^(?:https?://orcid\.org/)?(\d{4}-\d{4}-\d{4}-\d{3}[\dX])$", re.IGNORECASE)
CREDIT_VOCABULARY = "https://credit.niso.org/"

#: The fourteen CRediT roles (ANSI/NISO Z39.104-2022), as printed, with their term identifiers' slugs.
CREDIT_ROLES: dict[str, str] = {
    "Conceptualization": "conceptualization",
    "Data curation": "data-curation",
    "Formal analysis": "formal-analysis",
    "Funding acquisition": "funding-acquisition",
    "Investigation": "investigation",
    "Methodology": "methodology",
    "Project administration": "project-administration",
    "Resources": "resources",
    "Software": "software",
    "Supervision": "supervision",
    "Validation": "validation",
    "Visualization": "visualization",
    "Writing – original draft": "writing-original-draft",
    "Writing – review & editing": "writing-review-editing",
}


def orcid_checksum_ok(digits: str) -> bool:
    """True when the last character of a 16-character ORCID iD is its ISO 7064 (11,2) check character."""
    total = 0
    for char in digits[:-1]:
        total = (total + int(char)) * 2
    check = (12 - total % 11) % 11
    return digits[-1].upper() == ("X" if check == 10 else str(check))


def normalise_orcid(value: str) -> str:
    """The bare iD ("0000-0002-1825-0097") from the iD or its orcid.org address.

    Raises:
        ValueError: not an ORCID iD's form, or its check character is wrong (a typo).
    """
    match = ORCID_FORM.match(value.strip())
    if not match:
        raise ValueError("an ORCID iD is 16 characters in groups of 4, e.g. 0000-0002-1825-0097")
    digits = match.group(1).upper()
    if not orcid_checksum_ok(digits.replace("-", "")):
        raise ValueError("it is not a valid ORCID iD: its last character does not match the others (a typo?)")
    return digits


def _key(role: str) -> str:
    """A role's letters alone, "&" and "and" dropped: "Writing - review and editing" → "writing review editing"."""
    words = re.sub(r"[^a-z]+", " ", role.lower()).split()
    return " ".join(word for word in words if word != "and")


_BY_KEY = {_key(name): name for name in CREDIT_ROLES}


def credit_role(value: str) -> str:
    """The CRediT role as printed ("writing - review and editing" → "Writing – review & editing").

    Raises:
        ValueError: not one of the fourteen roles, naming the closest.
    """
    found = _BY_KEY.get(_key(value))
    if found:
        return found
    close = difflib.get_close_matches(_key(value), list(_BY_KEY), n=1, cutoff=0.6)
    hint = f'; did you mean "{_BY_KEY[close[0]]}"?' if close else "."
    raise ValueError(f'"{value}" is not a CRediT role{hint} The roles are: {", ".join(CREDIT_ROLES)}')


def credit_term_identifier(role: str) -> str:
    """The role's term identifier, as JATS's ``vocab-term-identifier`` wants it."""
    return f"{CREDIT_VOCABULARY}contributor-roles/{CREDIT_ROLES[role]}/"
