"""The journal profile a case is checked against, and its article type there.

Every check reads the profile (limits, the fields a reference needs, the CARE items that do not
apply), so it is loaded once, before them; a profile that cannot be found or an article type
it does not list is itself a finding, and the checks that need it run on what is known.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from caseletter.case.source import CaseSource
from caseletter.checks.finding import ERROR, WARNING, Finding
from caseletter.errors import UnknownStyle
from caseletter.journals import ArticleType, Journal, load_journal


@dataclass(frozen=True)
class Profile:
    """The journal (None when its style cannot be found), the article type, and why either is missing."""

    name: str
    journal: Journal | None = None
    article_type: ArticleType | None = None
    findings: list[Finding] = field(default_factory=list)

    @property
    def care_not_applicable(self) -> tuple[str, ...]:
        """CARE items the article type has no place for; the abstract follows its ``abstract`` flag.

        Without a profile nothing says an abstract is wanted, so the abstract item is left out.
        """
        if self.article_type is None:
            return ("abstract",)
        return tuple(self.article_type.care_not_applicable) + (() if self.article_type.abstract else ("abstract",))


def load_profile(source: CaseSource, journal: str | None = None) -> Profile:
    """The profile of `journal` (or of the journal the case names) and the case's article type in it."""
    case = source.case
    name = journal or case.journal
    try:
        style = load_journal(name, source.path)
    except UnknownStyle as exc:
        finding = Finding(
            ERROR, "journal", "journal", f"{exc.where}: {exc.why}", exc.todo, name, detail="unknown_style"
        )
        return Profile(name, findings=[finding])
    if style.folder is None:  # a CSL style named directly: references follow it, nothing says the limits
        finding = Finding(
            WARNING, "journal", "journal",
            f"{style.name} has no journal profile in the kit: its word, reference and figure limits were not checked",
            f"Check them in the journal's instructions; to have them checked, add journals/{style.key}/journal.yaml "
            f"with 'csl_style: {style.key}' and the limits.",
            style.key, detail="no_profile",
        )
        return Profile(style.key, style, findings=[finding])
    article_type = style.article_type(case.article_type)
    if article_type is None:
        known = ", ".join(style.article_types) or "none"
        finding = Finding(
            WARNING, "journal", "article_type",
            f'"{case.article_type}" is not an article type of {style.name}; its limits were not checked',
            f"Use one of: {known}; or add it to {style.folder / 'journal.yaml'}.",
            case.article_type, detail="article_type",
        )
        return Profile(style.key, style, findings=[finding])
    return Profile(style.key, style, article_type)
