"""What the article type asks of the case, and what the journal's submission asks of its authors.

A letter and a case report open with a paragraph on why the case matters; a case report's
journal may want its abstract structured and short; an images article is one or two figures.
A journal's submission system may require ORCID iDs, CRediT roles, declarations and the
corresponding author's contact (its profile's ``submission.requires``): the check asks for them
here, field by field, so that packing a submission never finds the gap the night before.
Fields a structure does not print (a letter's strengths and limitations) are pointed out, since
text that never prints is text the author believes is in the article.
"""

from __future__ import annotations

from caseletter.case.fields import abstract_fields
from caseletter.case.model import Case, StructuredAbstract
from caseletter.case.placeholders import without_placeholders
from caseletter.case.source import CaseSource
from caseletter.case.structures import CASE_REPORT, IMAGES, LETTER, structure_of
from caseletter.checks.finding import ERROR, NOTE, WARNING, Finding
from caseletter.checks.limits import count_words
from caseletter.checks.profile import Profile

#: What each requirement of a profile's ``submission.requires`` asks for, and of whom.
_REQUIRED_OF_EACH_AUTHOR = {"orcid": "an ORCID iD (orcid:)", "credit": "CRediT roles (credit:)"}
_REQUIRED_OF_CORRESPONDING = {"email": "an email:", "address": "a postal address:", "phone": "a phone:"}
_DECLARATIONS = {
    "conflicts": "conflicts of interest (or 'None declared.')", "funding": "funding (or 'None.')",
    "acknowledgements": "acknowledgements (or 'None.')",
}


def find(source: CaseSource, profile: Profile) -> list[Finding]:
    """Findings on the article's structure, its abstract and the submission's requirements."""
    case = without_placeholders(source.case)
    return [
        *missing_opening(source.case), *abstract_findings(case, profile), *images_findings(case),
        *unprinted_fields(case), *submission_requirements(case, profile),
    ]


def missing_opening(case: Case) -> list[Finding]:
    """An error when a letter or a case report has no opening paragraph: there is nothing to say why it matters.

    Read on the case as typed: a placeholder there is a draft's, reported by its own check.
    """
    structure = structure_of(case.article_type)
    if case.opening or structure == IMAGES:
        return []
    name = "'To the Editor:' paragraph" if structure == LETTER else "Introduction"
    return [Finding(
        ERROR, "missing", "opening", f"the {name} is empty",
        "Write in opening: why this patient matters, what is known, and what the case adds.", detail="no_opening",
    )]


def abstract_findings(case: Case, profile: Profile) -> list[Finding]:
    """A case report's abstract: structured where the journal asks for it, and within its word limit."""
    kind = profile.article_type
    if structure_of(case.article_type) != CASE_REPORT or not case.abstract or kind is None:
        return []
    findings = []
    if kind.structured_abstract and not isinstance(case.abstract, StructuredAbstract):
        findings.append(Finding(
            WARNING, "article", "abstract", f"{profile.journal.name} asks for a structured abstract",
            "Give abstract: as background:, case_presentation: and conclusions: (see `caseletter schema`).",
            detail="abstract_not_structured",
        ))
    words = count_abstract_words(case)
    if kind.abstract_word_limit is not None and words > kind.abstract_word_limit:
        findings.append(Finding(
            WARNING, "limit", "abstract", f"{words} / {kind.abstract_word_limit} abstract words: over the limit",
            f"Shorten the abstract by at least {words - kind.abstract_word_limit} words.", detail="abstract_words",
        ))
    return findings


def count_abstract_words(case: Case) -> int:
    """The abstract's words by the body's rule; a structured abstract's part names are not counted."""
    return sum(count_words(text) for _, text in abstract_fields(case))


def images_findings(case: Case) -> list[Finding]:
    """An images article is one or two figures and a short text."""
    if structure_of(case.article_type) != IMAGES or 1 <= len(case.figures) <= 2:
        return []
    return [Finding(
        WARNING, "article", "figures", f"an images article shows one or two figures; this one has {len(case.figures)}",
        "Keep the one or two images that teach the point, or write the case as a letter or a case report.",
        detail="images_figure_count",
    )]


def unprinted_fields(case: Case) -> list[Finding]:
    """A note for each field the article's structure does not print, so no text is silently lost."""
    structure = structure_of(case.article_type)
    unprinted = {
        LETTER: [("abstract", case.abstract), ("strengths_limitations", case.strengths_limitations)],
        IMAGES: [("dosing.text", case.dosing.text), ("practice_points", case.practice_points),
                 ("strengths_limitations", case.strengths_limitations), ("abstract", case.abstract)],
    }.get(structure, [])
    article = {LETTER: "a letter", IMAGES: "an images article"}.get(structure, "")
    return [
        Finding(
            NOTE, "article", field, f"{article} does not print {field}",
            "Move the text where this article type prints it, or set article_type: case_report.",
            detail="unprinted_field",
        )
        for field, value in unprinted if value
    ]


def submission_requirements(case: Case, profile: Profile) -> list[Finding]:
    """A warning for each field the journal's submission requires and the case file leaves empty.

    A letter is exempt: what it needs beyond the byline is the journal's to ask for at acceptance.
    """
    if profile.journal is None or structure_of(case.article_type) == LETTER:
        return []
    rules = profile.journal.submission
    journal = profile.journal.name
    findings = []
    for need in rules.requires:
        if need in _REQUIRED_OF_EACH_AUTHOR:
            findings += [
                _required(f"authors[{i}].{need}", f"{journal} asks for {_REQUIRED_OF_EACH_AUTHOR[need]} of every "
                          f"author; {author.name} has none")
                for i, author in enumerate(case.authors) if not getattr(author, need)
            ]
        elif need in _REQUIRED_OF_CORRESPONDING:
            findings += _corresponding_contact(case, need, journal)
        elif not getattr(case, need):
            findings.append(_required(need, f"{journal} asks for {_DECLARATIONS[need]}"))
    return findings


def _corresponding_contact(case: Case, need: str, journal: str) -> list[Finding]:
    i, author = case.corresponding_author()
    if getattr(author, need):
        return []
    return [_required(
        f"authors[{i}].{need}", f"{journal} asks for the corresponding author's {need}; {author.name} has none",
    )]


def _required(field: str, message: str) -> Finding:
    return Finding(
        WARNING, "submission", field, message, "Add it to the case file before packing the submission.",
        detail="submission_requirement",
    )
