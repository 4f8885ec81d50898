"""Composing the article: the case's fields laid out, in its structure's order, as one pandoc document.

Three structures share one composer. The seed letter's is the letter's: "To the Editor:" and
why the case matters, the case, the discussion, the dosing, the references and the Practice
Points box. A full case report follows CARE: a (structured) abstract and key words, the
introduction, the case presentation, a timeline table, the diagnostic assessment, the
therapeutic intervention, follow-up and outcomes, the discussion with its strengths and
limitations, learning points, the patient's perspective, informed consent and the
declarations. An images article sets its figures first, then a short text.

Each part becomes a named section, and each figure a section of its own placed after the part
that first mentions it (an images article: right after the title), so the renderer can hand
every part to its own notebook cell while citeproc numbers citations across the whole article
at once. A journal profile may rename the headings (``sections:``); the order is CARE's.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from caseletter.case.fields import abstract_fields
from caseletter.case.model import Case, StructuredAbstract
from caseletter.case.structures import CASE_REPORT, IMAGES, LETTER, structure_of
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


#: Each section's heading unless the journal's profile renames it (``sections:`` in journal.yaml).
DEFAULT_HEADINGS: dict[str, str] = {
    "abstract": "Abstract", "keywords": "Key words", "introduction": "Introduction",
    "case_presentation": "Case presentation", "timeline": "Timeline",
    "diagnostic_assessment": "Diagnostic assessment", "intervention": "Therapeutic intervention",
    "follow_up": "Follow-up and outcomes", "discussion": "Discussion",
    "strengths_limitations": "Strengths and limitations", "learning_points": "Learning points",
    "patient_perspective": "Patient perspective", "consent": "Informed consent", "declarations": "Declarations",
    "references": "References", "practice_points": "Practice Points", "case": "Case", "dosing": "Dosing",
}
#: What a structured abstract's parts are called in print.
ABSTRACT_PARTS = {"background": "Background", "case_presentation": "Case presentation", "conclusions": "Conclusions"}


def compose_letter(
    case: Case, dosing_markdown: str = "", timeline_legend: str | None = None, timeline_alt: str = "",
    timeline_table: str = "", lab_table: str = "", headings: dict[str, str] | None = None,
) -> LetterDocument:
    """Lay the case out as its article's sections, figures numbered by first mention.

    Args:
        case: the validated case.
        dosing_markdown: the Dosing section's table (pipe-table Markdown, citations as [@key]).
        timeline_legend: the legend of the timeline figure the kit draws, if there is one.
        timeline_alt: that figure's alternative text.
        timeline_table: the timeline as a table (pipe-table Markdown), for a case that keeps it out
            of the figures; it closes the Dosing section, or the Discussion when there is none.
        lab_table: the laboratory values as a table (pipe-table Markdown); it closes the Case section
            (a case report's Diagnostic assessment), before the figures the paragraphs first mention.
        headings: the journal's own names for sections (see `DEFAULT_HEADINGS`).
    """
    structure = structure_of(case.article_type)
    heading = {**DEFAULT_HEADINGS, **(headings or {})}
    if structure == CASE_REPORT:
        body = _case_report_sections(case, dosing_markdown, timeline_table, lab_table, heading)
    elif structure == IMAGES:
        body = _images_sections(case, lab_table)
    else:
        body = _body_sections(case, dosing_markdown, timeline_table, lab_table)
    numbered = number_figures(case, [text for _, text in body])
    numbers = {nf.figure.id: nf.number for nf in numbered}
    doc = LetterDocument()
    for nf in numbered:
        doc.figures[nf.figure.id] = LetterFigure(
            nf.number, nf.figure.id, prepare_text(_figure_legend(nf), numbers), nf.figure.alt, nf.index
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
    if structure == IMAGES:  # the images come first, the text explains them
        for fig_id in sorted(doc.figures, key=lambda f: doc.figures[f].number):
            _add_figure(doc, fig_id)
            placed.add(fig_id)
    for name, text in body:
        doc.add(name, prepare_text(text, numbers))
        for fig_id in _first_mentions(text, numbers, placed):
            _add_figure(doc, fig_id)
        if name == "dosing" and TIMELINE_FIGURE_ID in doc.figures:
            _add_figure(doc, TIMELINE_FIGURE_ID)
            placed.add(TIMELINE_FIGURE_ID)
    for fig_id in sorted(doc.figures.keys() - placed, key=lambda f: doc.figures[f].number):
        _add_figure(doc, fig_id)
    if structure == CASE_REPORT:
        for name, text in _closing_sections(case, heading):
            doc.add(name, prepare_text(text, numbers))
    doc.add("references", f"## {heading['references']}\n\n::: {{#refs}}\n:::\n")
    if case.practice_points and structure == LETTER:
        points = "\n".join(f"- {prepare_text(p, numbers)}" for p in case.practice_points)
        doc.add("practice_points", f"## {heading['practice_points']}\n\n{points}")
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


def _case_report_sections(
    case: Case, dosing_markdown: str, timeline_table: str, lab_table: str, heading: dict[str, str]
) -> list[tuple[str, str]]:
    """CARE's order up to the discussion; each part a section, its tables numbered in order."""
    story = case.case
    tables = iter(range(1, 10))  # numbered in the order they print: timeline, laboratory values, regimens
    timeline = _numbered(timeline_table, tables)
    assessment = "\n\n".join(p for p in [story.diagnosis.assessment, _numbered(lab_table, tables)] if p)
    intervention = "\n\n".join(p for p in [story.treatment, _numbered(dosing_markdown, tables), *case.dosing.text] if p)
    parts = [
        ("abstract", _abstract_markdown(case, heading)),
        ("keywords", _keywords_markdown(case, heading)),
        ("introduction", _titled(heading["introduction"], case.opening)),
        ("case_presentation", _titled(heading["case_presentation"], story.presentation)),
        ("timeline", _titled(heading["timeline"], timeline)),
        ("diagnostic_assessment", _titled(heading["diagnostic_assessment"], assessment)),
        ("intervention", _titled(heading["intervention"], intervention)),
        ("follow_up", _titled(heading["follow_up"], story.outcome)),
        ("discussion", _titled(heading["discussion"], "\n\n".join(case.discussion))),
        ("strengths_limitations", _titled(heading["strengths_limitations"], "\n\n".join(case.strengths_limitations))),
    ]
    return [(name, text) for name, text in parts if text]


def _keywords_markdown(case: Case, heading: dict[str, str]) -> str:
    """"Key words: a; b; c" as one paragraph, or "" without key words."""
    if not case.keywords:
        return ""
    return f"**{escape_markdown(heading['keywords'], smart=False)}:** " + escape_markdown("; ".join(case.keywords))


def _closing_sections(case: Case, heading: dict[str, str]) -> list[tuple[str, str]]:
    """A case report's learning points, the patient's perspective, consent and declarations, after the discussion."""
    points = "\n".join(f"- {p}" for p in case.practice_points)
    declarations = [
        f"**{label}:** {text}"
        for label, text in (
            ("Acknowledgements", case.acknowledgements), ("Conflicts of interest", case.conflicts),
            ("Funding", case.funding),
        )
        if text
    ]
    parts = [
        ("practice_points", _titled(heading["learning_points"], points)),
        ("patient_perspective", _titled(heading["patient_perspective"], case.patient_perspective)),
        ("consent", _titled(heading["consent"], case.consent)),
        ("declarations", _titled(heading["declarations"], "\n\n".join(declarations))),
    ]
    return [(name, text) for name, text in parts if text]


def _images_sections(case: Case, lab_table: str) -> list[tuple[str, str]]:
    """An images article: one short text (the case, then what it teaches), no headings."""
    story = case.case
    text = [case.opening, story.presentation, story.diagnosis.assessment, story.treatment, story.outcome]
    return [
        ("case", "\n\n".join(p for p in [join_paragraphs([p for p in text if p]), lab_table] if p)),
        ("discussion", "\n\n".join(case.discussion)),
    ]


def _abstract_markdown(case: Case, heading: dict[str, str]) -> str:
    """The abstract under its heading; a structured one with its parts' names in bold."""
    if isinstance(case.abstract, StructuredAbstract):
        parts = [
            f"**{ABSTRACT_PARTS[path.split('.')[1]]}:** {text}" for path, text in abstract_fields(case)
        ]
        return _titled(heading["abstract"], "\n\n".join(parts))
    return _titled(heading["abstract"], case.abstract)


def _titled(title: str, text: str) -> str:
    """A section's Markdown under its heading; "" when it has no text (the section is left out)."""
    return f"## {escape_markdown(title, smart=False)}\n\n{text}" if text.strip() else ""


def _numbered(table: str, numbers: Iterator[int]) -> str:
    """A captioned pipe table with "Table N." before its caption; "" stays "" (and takes no number)."""
    if not table:
        return ""
    return table.replace("\n\n: ", f"\n\n: Table {next(numbers)}. ", 1)


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


def prepare_text(text: str, figure_numbers: dict[str, int]) -> str:
    """Figure references to "Figure N", citations after punctuation, Markdown outside citations escaped."""
    return escape_outside_citations(place_after_punctuation(replace_figure_refs(text, figure_numbers)))


def author_names(case: Case) -> list[str]:
    """Authors as the byline prints them: "Name, Degrees"."""
    return [f"{a.name}, {a.degrees}" if a.degrees else a.name for a in case.authors]
