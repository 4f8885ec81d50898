"""Composing the letter: the case's fields laid out, in the letter's order, as one pandoc document.

The seed letter's structure is the kit's: "To the Editor:" and why the case matters, the case
(patient, presentation, treatment, outcome, recurrence, re-treatment), the discussion, the
dosing, the references and the Practice Points box. Each part becomes a named section, and
each figure a section of its own placed after the part that first mentions it, so the
renderer can hand every part to its own notebook cell while citeproc numbers citations across
the whole letter at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from caseletter.case.model import Case
from caseletter.case.validation import TIMELINE_FIGURE_ID
from caseletter.letter.figures import FIGURE_REF, NumberedFigure, legend_markdown, number_figures, replace_figure_refs
from caseletter.letter.markdown import escape_outside_citations, place_after_punctuation
from caseletter.pandoc import escape_markdown


@dataclass(frozen=True)
class LetterFigure:
    """A numbered figure: where its image comes from and its legend's Markdown."""

    number: int
    id: str
    legend: str
    alt: str
    case_index: int | None = None  # index in case.figures; None for a figure the kit draws


@dataclass
class LetterDocument:
    """The letter as ordered (section name, Markdown) parts, plus its figures."""

    parts: list[tuple[str, str]] = field(default_factory=list)
    figures: dict[str, LetterFigure] = field(default_factory=dict)

    def add(self, name: str, markdown: str) -> None:
        """Append a section."""
        self.parts.append((name, markdown))

    @property
    def section_names(self) -> list[str]:
        """Section names in letter order."""
        return [name for name, _ in self.parts]


def compose_letter(
    case: Case, dosing_markdown: str = "", timeline_legend: str | None = None, timeline_alt: str = "",
    timeline_table: str = "", lab_table: str = "",
) -> LetterDocument:
    """Lay the case out as the letter's sections, figures numbered by first mention.

    Args:
        case: the validated case.
        dosing_markdown: the Dosing section's table (pipe-table Markdown, citations as [@key]).
        timeline_legend: the legend of the timeline figure the kit draws, if there is one.
        timeline_alt: that figure's alternative text.
        timeline_table: the timeline as a table (pipe-table Markdown), for a case that keeps it out
            of the figures; it closes the Dosing section, or the Discussion when there is none.
        lab_table: the laboratory values as a table (pipe-table Markdown); it closes the Case section,
            before the figures the case's paragraphs first mention.
    """
    body = _body_sections(case, dosing_markdown, timeline_table, lab_table)
    numbered = number_figures(case, [text for _, text in body])
    numbers = {nf.figure.id: nf.number for nf in numbered}
    doc = LetterDocument()
    for nf in numbered:
        doc.figures[nf.figure.id] = LetterFigure(
            nf.number, nf.figure.id, _prepare(_figure_legend(nf), numbers), nf.figure.alt, nf.index
        )
    if timeline_legend is not None:
        number = len(numbered) + 1
        doc.figures[TIMELINE_FIGURE_ID] = LetterFigure(number, TIMELINE_FIGURE_ID, timeline_legend, timeline_alt)
    placed: set[str] = set()
    doc.add("title", f"# {escape_markdown(case.title, smart=False)}")
    doc.add("byline", escape_markdown("; ".join(author_names(case)), smart=False))
    affiliations = list(dict.fromkeys(a.affiliation for a in case.authors if a.affiliation))
    if affiliations:
        doc.add("affiliations", escape_markdown("; ".join(affiliations), smart=False))
    for name, text in body:
        doc.add(name, _prepare(text, numbers))
        for fig_id in _first_mentions(text, numbers, placed):
            _add_figure(doc, fig_id)
        if name == "dosing" and TIMELINE_FIGURE_ID in doc.figures:
            _add_figure(doc, TIMELINE_FIGURE_ID)
            placed.add(TIMELINE_FIGURE_ID)
    for fig_id in sorted(doc.figures.keys() - placed, key=lambda f: doc.figures[f].number):
        _add_figure(doc, fig_id)
    doc.add("references", "## References\n\n::: {#refs}\n:::\n")
    if case.practice_points:
        doc.add(
            "practice_points",
            "## Practice Points\n\n" + "\n".join(f"- {_prepare(p, numbers)}" for p in case.practice_points),
        )
    return doc


def join_paragraphs(parts: list[str]) -> str:
    """One paragraph when every part is a single paragraph (as a letter tells its case), else several."""
    separator = "\n\n" if any("\n\n" in part for part in parts) else " "
    return separator.join(part.strip() for part in parts)


def _add_figure(doc: LetterDocument, fig_id: str) -> None:
    fig = doc.figures[fig_id]
    doc.add(f"figure:{fig_id}", f"**Figure {fig.number}.** {fig.legend}")


def _body_sections(
    case: Case, dosing_markdown: str, timeline_table: str = "", lab_table: str = ""
) -> list[tuple[str, str]]:
    narrative = case.case
    story = [narrative.presentation, narrative.diagnosis.assessment, narrative.treatment, narrative.outcome]
    case_text = "## Case\n\n" + join_paragraphs([p for p in story if p])
    sections = [
        ("opening", "To the Editor:\n\n" + case.opening),
        ("case", f"{case_text}\n\n{lab_table}" if lab_table else case_text),
        ("discussion", "## Discussion\n\n" + "\n\n".join(case.discussion)),
    ]
    dosing_parts = [*case.dosing.text, dosing_markdown]
    if any(dosing_parts):
        sections.append(("dosing", "## Dosing\n\n" + "\n\n".join(p for p in dosing_parts if p)))
    if timeline_table:
        name, text = sections[-1]
        sections[-1] = (name, f"{text}\n\n{timeline_table}")
    return sections


def _figure_legend(nf: NumberedFigure) -> str:
    return legend_markdown(nf.figure)


def _first_mentions(text: str, numbers: dict[str, int], placed: set[str]) -> list[str]:
    new = []
    for match in FIGURE_REF.finditer(text):
        fig_id = match.group(1)
        if fig_id in numbers and fig_id not in placed:
            placed.add(fig_id)
            new.append(fig_id)
    return new


def _prepare(text: str, figure_numbers: dict[str, int]) -> str:
    """Figure references to "Figure N", citations after punctuation, Markdown outside citations escaped."""
    return escape_outside_citations(place_after_punctuation(replace_figure_refs(text, figure_numbers)))


def author_names(case: Case) -> list[str]:
    """Authors as the byline prints them: "Name, Degrees"."""
    return [f"{a.name}, {a.degrees}" if a.degrees else a.name for a in case.authors]
