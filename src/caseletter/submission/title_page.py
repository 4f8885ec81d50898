"""The title page: what a blinded manuscript leaves out, and the counts an editor checks first.

Title, authors with their degrees, affiliations and ORCID iDs, the corresponding author's
contact, the word counts (abstract and main text, by the same rule as the check, so the two
never disagree), the counts of references, figures and tables, the key words, the
declarations and each author's CRediT roles.
"""

from __future__ import annotations

from dataclasses import dataclass

from caseletter.case.model import Author, Case
from caseletter.submission.documents import plain_markdown as _text

NO_CONTACT = "Give the corresponding author's email and address in the case file"


@dataclass(frozen=True)
class Counts:
    """What the title page counts, each as the check counts it."""

    abstract_words: int | None  # None: the article type has no abstract
    words: int
    word_rule: str
    references: int
    figures: int
    tables: int


def title_page_markdown(case: Case, journal: str, article_type: str, counts: Counts) -> str:
    """The title page as Markdown; every value from the case escaped."""
    parts = [
        f"# {_text(case.title)}",
        f"**Article type:** {_text(article_type)}  \n**Journal:** {_text(journal)}",
        "## Authors",
        _authors(case.authors),
        "## Corresponding author",
        _corresponding(case.corresponding_author()[1]),
        "## Counts",
        _counts(counts),
    ]
    if case.keywords:
        parts += ["## Key words", _text("; ".join(case.keywords))]
    parts += _declarations(case)
    credited = [a for a in case.authors if a.credit]
    if credited:
        parts += ["## Author contributions (CRediT)", "\n\n".join(
            f"**{_text(a.name)}:** {_text(', '.join(a.credit))}" for a in credited
        )]
    return "\n\n".join(parts) + "\n"


def affiliation_numbers(authors: list[Author]) -> dict[str, int]:
    """Each distinct affiliation's number, in byline order."""
    return {aff: i for i, aff in enumerate(dict.fromkeys(a.affiliation for a in authors if a.affiliation), start=1)}


def _authors(authors: list[Author]) -> str:
    numbers = affiliation_numbers(authors)
    lines = []
    for author in authors:
        name = _text(f"{author.name}, {author.degrees}" if author.degrees else author.name)
        mark = f"^{numbers[author.affiliation]}^" if author.affiliation else ""
        orcid = f" (ORCID: https://orcid.org/{author.orcid})" if author.orcid else ""
        lines.append(f"{name}{mark}{orcid}")
    affiliations = [f"^{n}^ {_text(aff)}" for aff, n in numbers.items()]
    return "  \n".join(lines) + ("\n\n" + "  \n".join(affiliations) if affiliations else "")


def _corresponding(author: Author) -> str:
    lines = [_text(f"{author.name}, {author.degrees}" if author.degrees else author.name)]
    lines += [_text(v) for v in (author.affiliation, author.address) if v]
    lines += [f"{label}: {_text(v)}" for label, v in (("Email", author.email), ("Telephone", author.phone)) if v]
    if not (author.email or author.address or author.phone):
        lines.append(f'[{NO_CONTACT}]{{custom-style="Placeholder"}}')
    return "  \n".join(lines)


def _counts(counts: Counts) -> str:
    lines = []
    if counts.abstract_words is not None:
        lines.append(f"Abstract: {counts.abstract_words} words")
    lines += [
        f"Main text: {counts.words} words",
        f"References: {counts.references}",
        f"Figures: {counts.figures}",
        f"Tables: {counts.tables}",
    ]
    return "  \n".join(lines) + f"\n\n*How words were counted:* {_text(counts.word_rule)}"


def _declarations(case: Case) -> list[str]:
    parts = []
    for heading, value, missing in (
        ("Conflicts of interest", case.conflicts, "Not stated in the case file (conflicts:)."),
        ("Funding", case.funding, "Not stated in the case file (funding:)."),
        ("Acknowledgements", case.acknowledgements, ""),
    ):
        if value or missing:
            shown = _text(value) if value else f'[{missing}]{{custom-style="Placeholder"}}'
            parts += [f"## {heading}", shown]
    return parts
