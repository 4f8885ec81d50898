"""Proof that a blinded manuscript names nobody: every part of the DOCX searched for the authors.

A DOCX is a zip of XML parts: the text, headers and footers, footnotes, comments, and the
core, app and custom properties where Word keeps an author's name unseen. Blinding is checked
on what was written, not on what was meant to be written: each part's text is searched for
every author's name (whole, and the surname alone, as a capitalised word: "young" is not the
author Young), email, ORCID iD and affiliation, so that a name the author typed into the case's
own text ("the Okafor grading") is caught as well as one a template let through. The reference
list is not searched: an author's own earlier paper is cited like any other, and journals that
blind self-citations do it in the list themselves.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from io import BytesIO

from caseletter.case.model import Case

_TAG = re.compile(r"<[^>]+>")
_MIN_LENGTH = 3  # a surname of two letters ("Li") would be found inside ordinary words


@dataclass(frozen=True)
class NameFound:
    """An author's identity found in a part of the document."""

    part: str  # "word/document.xml", "docProps/core.xml", ...
    what: str  # what was found, e.g. "the surname Avery"
    context: str  # the words around it


def identities(case: Case) -> list[tuple[str, re.Pattern[str]]]:
    """(what, pattern) for all that would name an author: names, surnames, emails, ORCID iDs, affiliations."""
    found = []
    for author in case.authors:
        found.append((f"the name {author.name}", _word(author.name, exact_case=True)))
        surname = author.name.split()[-1]
        if len(surname) >= _MIN_LENGTH and surname != author.name:
            found.append((f"the surname {surname}", _word(surname, exact_case=True)))
        for label, value in (("email", author.email), ("ORCID iD", author.orcid), ("affiliation", author.affiliation)):
            if value:
                found.append((f"the {label} {value}", _word(value, exact_case=False)))
    return found


def _word(text: str, exact_case: bool) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(text)}(?!\w)", 0 if exact_case else re.IGNORECASE)


def names_in_docx(docx: bytes, case: Case) -> list[NameFound]:
    """Every place in any XML part of the DOCX, the reference list aside, where an author's identity appears."""
    wanted = identities(case)
    found = []
    with zipfile.ZipFile(BytesIO(docx)) as archive:
        for part in archive.namelist():
            if not part.endswith((".xml", ".rels")):
                continue
            text = part_text(archive.read(part))
            for what, pattern in wanted:
                match = pattern.search(text)
                if match:
                    context = text[max(0, match.start() - 40) : match.end() + 40]
                    found.append(NameFound(part, what, context))
    return found


def part_text(xml: bytes) -> str:
    """A part's text, words apart where elements meet; the paragraphs of the reference list left out."""
    text = xml.decode("utf-8", "replace")
    text = _BIBLIOGRAPHY_PARAGRAPH.sub(" ", text)
    return " ".join(_TAG.sub(" ", text).split())


_BIBLIOGRAPHY_PARAGRAPH = re.compile(r'<w:p\b(?:(?!</w:p>).)*?<w:pStyle w:val="Bibliography"/>.*?</w:p>', re.DOTALL)
