"""Word, reference and figure counts set against the journal's limits for the article type.

Journals count words the same way: the body of the text only, without the title, byline,
abstract, references, figure legends, tables or boxed points. The body of a letter here is its
opening, the case narrative, the discussion and the dosing paragraphs; a case report's adds its
strengths and limitations and the patient's perspective (`case.fields.body_fields`). Words are counted on
the text as it will print: citations (``[@key]``) removed, figure references (``@fig-x``)
read as "Figure N", Markdown markup stripped, and then every whitespace-separated token that
holds a letter or digit is one word ("54-year-old" is one word, "12.5 g" two), which is what
word processors report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from caseletter.case.fields import body_fields
from caseletter.case.model import Case
from caseletter.case.placeholders import without_placeholders
from caseletter.case.source import CaseSource
from caseletter.case.structures import timeline_form
from caseletter.checks.finding import NOTE, WARNING, Finding
from caseletter.checks.profile import Profile
from caseletter.journals import ArticleType
from caseletter.references.keys import CLUSTER, cited_in_order

WORD_RULE = (
    "Body words only: the opening (a case report's introduction), the case, the discussion and the dosing text, "
    "and a case report's strengths and limitations and patient's perspective; the title, byline, abstract, key "
    "words, references, legends, tables, practice or learning points, consent and declarations are not counted. "
    "Citations are removed, figure references read as 'Figure N', Markdown is stripped, and each "
    "whitespace-separated token holding a letter or digit is a word."
)

_FIGURE_REF = re.compile(r"@(fig-[A-Za-z0-9_-]+)")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MARKUP = re.compile(r"[*_`#>~^|]+")
_WORD = re.compile(r"\S*[^\W_]\S*")


@dataclass(frozen=True)
class Measure:
    """One counted quantity beside its limit (None when the profile sets no limit)."""

    name: str
    count: int
    limit: int | None
    rule: str
    unconfirmed: bool = False  # the journal's instructions did not say (or could not be read)

    @property
    def shown(self) -> str:
        """'756 / 600 words (156 over)', '3 / 3 figures', or '12 words' when there is no limit."""
        if self.limit is None:
            return f"{self.count} {self.name}" + (" (limit not confirmed)" if self.unconfirmed else "")
        return f"{self.count} / {self.limit} {self.name}" + (f" ({self.excess} over)" if self.excess else "")

    @property
    def excess(self) -> int:
        """How far over the limit the count is (0 when within it or unlimited)."""
        return max(0, self.count - self.limit) if self.limit is not None else 0


def plain_text(markdown: str) -> str:
    """The text a reader sees: citations gone, figure references as "Figure N", markup stripped."""
    text = CLUSTER.sub("", markdown)
    text = _FIGURE_REF.sub("Figure N", text)
    text = _LINK.sub(r"\1", text)
    return _MARKUP.sub(" ", text)


def count_words(markdown: str) -> int:
    """Words in one Markdown field, by the rule in this module's docstring."""
    return len(_WORD.findall(plain_text(markdown)))


def count_body_words(case: Case) -> int:
    """Words of the letter's body."""
    return sum(count_words(text) for _, text in body_fields(case))


def count_figures(case: Case) -> int:
    """The case's figures, plus the timeline the kit draws from its events or regimens.

    A case that prints its timeline as a table (`dosing.timeline: table`) keeps it out of the count.
    """
    return len(case.figures) + int(timeline_form(case) == "figure")


def measure_letter(case: Case, article_type: ArticleType | None) -> list[Measure]:
    """Count words, references and figures, each beside its limit for this article type."""

    def limit(name: str) -> int | None:
        return getattr(article_type, name) if article_type else None

    unconfirmed = set(article_type.unconfirmed) if article_type else set()
    case = without_placeholders(case)  # a prompt is not the author's words
    return [
        Measure("words", count_body_words(case), limit("word_limit"), WORD_RULE, "word_limit" in unconfirmed),
        Measure(
            "references", len(cited_in_order(case)), limit("reference_limit"),
            "Distinct references cited anywhere in the letter.", "reference_limit" in unconfirmed,
        ),
        Measure(
            "figures", count_figures(case), limit("figure_limit"),
            "Figures of the case file, plus the timeline the kit draws.", "figure_limit" in unconfirmed,
        ),
    ]


_COUNTED_FIELDS = {
    "words": "opening, case, discussion, dosing.text", "references": "citations", "figures": "figures, timeline",
}
_SHORTEN = {
    "words": "Shorten the body text", "references": "Cite fewer references", "figures": "Combine or drop figures",
}


def find(source: CaseSource, profile: Profile) -> list[Finding]:
    """A warning for each count over its limit, saying by how much; a note naming the limits nobody confirmed."""
    measures = measure_letter(source.case, profile.article_type)
    unconfirmed = [m for m in measures if m.unconfirmed]
    return [limit_finding(m) for m in measures if m.excess] + (
        [unconfirmed_finding(unconfirmed, profile)] if unconfirmed else []
    )


def unconfirmed_finding(measures: list[Measure], profile: Profile) -> Finding:
    """One note: these limits were not found in the journal's instructions, so the author checks them."""
    kind = profile.article_type
    names = [_SINGULAR[m.name] for m in measures]
    listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    plural = "limit was" if len(names) == 1 else "limits were"
    journal = profile.journal.name if profile.journal else profile.name
    seen = f" (read on {kind.read_on})" if kind.read_on else ""
    todo = f"See {kind.source}{seen}." if kind.source else "See the journal's instructions for authors."
    article = "an" if kind.name[:1].lower() in "aeiou" else "a"
    message = f"the {listed} {plural} not found in {journal}'s instructions for {article} {kind.name}: check them"
    return Finding(NOTE, "limit", "journal", message, todo, detail="unconfirmed_limits")


_SINGULAR = {"words": "word", "references": "reference", "figures": "figure"}


def limit_finding(measure: Measure) -> Finding:
    """A warning for a count over its limit, saying by how much."""
    todo = f"{_SHORTEN[measure.name]} by at least {measure.excess}, or check the journal's limit in its profile."
    message = f"{measure.shown}: over the journal's limit"
    return Finding(WARNING, "limit", _COUNTED_FIELDS[measure.name], message, todo, detail=measure.name)
