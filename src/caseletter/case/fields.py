"""The case's text fields, listed once: which print, which count as the body, which may cite.

Every later stage asks this module rather than walking the model itself, so a field added to
the case model is added here once and reaches the letter, the word count, the identifier scan
and the citation checks together. A field is named by its path in the case file
(``case.outcome``, ``discussion[2]``), the same path a finding reports.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel

from caseletter.case.model import Case, StructuredAbstract
from caseletter.case.structures import CASE_REPORT, IMAGES, structure_of

#: How text points at a figure: ``@fig-id`` (the convention Quarto uses); the letter prints "Figure N".
FIGURE_REF = re.compile(r"(?<![\w@\[])@(fig-[A-Za-z0-9_-]*[A-Za-z0-9])")
#: Fields that are not the case's prose: the byline, .bib lists, style names, ids and citation keys.
_NOT_PROSE = re.compile(r"^(?:authors\b|bibliography\b|journal$|article_type$|figures\[\d+\]\.id$|.*\.cite\[\d+\]$)")


def narrative_fields(case: Case, *, practice_points: bool = True, abstract: bool = True) -> list[tuple[str, str]]:
    """Every Markdown field the article prints as text, with its path, in the article's order.

    What prints follows the article's structure: a letter has no abstract, strengths and
    limitations, patient perspective or consent in its text; a case report has them all; an
    images article is the case and the discussion alone.

    Args:
        case: the validated case.
        practice_points: include the Practice Points (they print, but are not the body).
        abstract: include the abstract (it prints, but is not the body).
    """
    structure = structure_of(case.article_type)
    story = case.case
    fields = [
        *(abstract_fields(case) if abstract and structure == CASE_REPORT else []),
        ("opening", case.opening),
        ("case.presentation", story.presentation),
        ("case.diagnosis.assessment", story.diagnosis.assessment),
        ("case.treatment", story.treatment),
        ("case.outcome", story.outcome),
        *((f"discussion[{i}]", p) for i, p in enumerate(case.discussion)),
    ]
    if structure == CASE_REPORT:
        fields += [(f"strengths_limitations[{i}]", p) for i, p in enumerate(case.strengths_limitations)]
    if structure != IMAGES:
        fields += [(f"dosing.text[{i}]", p) for i, p in enumerate(case.dosing.text)]
    if structure == CASE_REPORT:
        fields.append(("patient_perspective", case.patient_perspective))
    if practice_points and structure != IMAGES:
        fields += [(f"practice_points[{i}]", p) for i, p in enumerate(case.practice_points)]
    return [(path, text) for path, text in fields if text]


def abstract_fields(case: Case) -> list[tuple[str, str]]:
    """The abstract's paragraph, or a structured abstract's three parts, with their paths."""
    if isinstance(case.abstract, StructuredAbstract):
        parts = case.abstract
        return [
            ("abstract.background", parts.background), ("abstract.case_presentation", parts.case_presentation),
            ("abstract.conclusions", parts.conclusions),
        ]
    return [("abstract", case.abstract)] if case.abstract else []


def body_fields(case: Case) -> list[tuple[str, str]]:
    """The fields whose words count towards a journal's word limit: no abstract, no boxed points.

    A case report's body runs from the introduction to the patient's perspective; the consent
    statement and the declarations are not counted, as journals do not count them.
    """
    return narrative_fields(case, practice_points=False, abstract=False)


def fields_under(case: Case, prefixes: tuple[str, ...]) -> list[tuple[str, str]]:
    """The narrative fields under the given paths, in the order the paths are given."""
    fields = narrative_fields(case)
    return [
        (path, text)
        for prefix in prefixes
        for path, text in fields
        if path == prefix or path.startswith(prefix + "[")
    ]


def figure_fields(case: Case) -> list[tuple[str, str]]:
    """The figure legends with their paths (they may cite too)."""
    return [(f"figures[{i}].legend", fig.legend) for i, fig in enumerate(case.figures)]


def citation_fields(case: Case) -> list[tuple[str, str]]:
    """Every place the letter can cite from: narrative, literature regimens, figure legends.

    A literature regimen's ``cite`` list is written as a citation cluster, so one reader of
    citations serves every field.
    """
    literature = [
        (f"dosing.literature[{i}].cite", " ".join(f"[@{k}]" for k in regimen.cite))
        for i, regimen in enumerate(case.dosing.literature)
    ]
    return [*narrative_fields(case), *literature, *figure_fields(case)]


def text_fields(node: Any, path: str = "") -> list[tuple[str, str]]:
    """Every string of the case with its field path, except the byline, file lists and style names.

    This is what the identifier scan reads: prose, legends, captions, regimen notes, timeline
    events, the patient's history; anything a trainee could type a name or a date into.
    """
    if isinstance(node, BaseModel):
        return [
            pair for name in type(node).model_fields for pair in text_fields(getattr(node, name), _join(path, name))
        ]
    if isinstance(node, list):
        return [pair for i, item in enumerate(node) for pair in text_fields(item, f"{path}[{i}]")]
    if isinstance(node, str) and node and not _NOT_PROSE.match(path):
        return [(path, node)]
    return []


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name
