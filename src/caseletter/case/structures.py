"""The three article structures the kit writes, and which one an article type's name asks for.

A journal names its article types as it likes ("letter", "case_report", "images", "Images in
...", "clinical_letter"), but the kit lays out only three shapes: a case letter ("To the Editor",
the case, the discussion), a full case report in CARE's sections, and an images article (one or
two figures and a short text). The shape is read from the name, so a journal profile adds an
article type without code: a name holding "letter" or "correspondence" is a letter, one holding
"image" an images article, and any other a full case report.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from caseletter.case.model import Case

LETTER, CASE_REPORT, IMAGES = "letter", "case_report", "images"
STRUCTURES = (LETTER, CASE_REPORT, IMAGES)

_LETTER = re.compile(r"letter|correspondence", re.IGNORECASE)
_IMAGES = re.compile(r"image", re.IGNORECASE)


def structure_of(article_type: str) -> str:
    """The structure an article type's name asks for: letter, case_report or images."""
    if _IMAGES.search(article_type):
        return IMAGES
    if _LETTER.search(article_type):
        return LETTER
    return CASE_REPORT


def timeline_form(case: Case) -> str:
    """How the case's timeline prints: "figure", "table", or "" when it does not print.

    A letter prints it as the case asks (``dosing.timeline``); a case report always as a table,
    CARE's timeline; an images article has none.
    """
    if not case.timeline:
        return ""
    structure = structure_of(case.article_type)
    if structure == LETTER:
        return case.dosing.timeline
    return "table" if structure == CASE_REPORT else ""
