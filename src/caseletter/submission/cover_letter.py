"""The cover letter: the journal, the article type and the title filled in; the novelty claim left to the authors.

What a case adds is the one sentence the kit must not write for its authors: it stays a marked
placeholder, highlighted, so the letter cannot go out with it unnoticed. The rest is the
statement every journal asks for (not published or under consideration elsewhere, approved by
all authors, consent, conflicts), from a template under ``templates/submission/``.
"""

from __future__ import annotations

import datetime

from caseletter.case.model import Case
from caseletter.paths import templates_dir
from caseletter.submission.documents import plain_markdown as _text

NOVELTY_PLACEHOLDER = (
    "TO WRITE: in two or three sentences, what this case adds to what is known, and why the journal's readers "
    "need it."
)


def cover_letter_markdown(case: Case, journal: str, article_type: str, blinded: bool, figures: int,
                          today: datetime.date | None = None) -> str:
    """The cover letter as Markdown, from the template, every value escaped."""
    import jinja2

    template = jinja2.Template((templates_dir() / "submission" / "cover-letter.md.j2").read_text(encoding="utf-8"))
    _, author = case.corresponding_author()
    signature = [f"{author.name}, {author.degrees}" if author.degrees else author.name, author.affiliation,
                 author.address, author.email]
    day = today or datetime.date.today()
    return template.render(
        today=f"{day.day} {day:%B %Y}",
        journal=_text(journal),
        title=_text(case.title),
        article_type_phrase=_text(_with_article(article_type.lower())),
        placeholder=NOVELTY_PLACEHOLDER,
        consent=bool(case.consent),
        conflicts_sentence=_text(_conflicts(case.conflicts)),
        blinded=blinded,
        figures=f"{figures} figure file{'s' if figures != 1 else ''}" if figures else "",
        corresponding="  \n".join(_text(line) for line in signature if line),
    )


def _with_article(name: str) -> str:
    return f"{'an' if name[:1] in 'aeiou' else 'a'} {name}"


def _conflicts(conflicts: str) -> str:
    if not conflicts:
        return "Our conflicts of interest are declared on the title page."
    return f"Conflicts of interest: {conflicts.rstrip('.')}."
