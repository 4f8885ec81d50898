"""The letter as the notebook sees it: one object, one section per cell.

`open_letter` runs every stage that turns a case file into the letter's parts (read the case,
read the bibliography, require every cited key, compute the dosing, draw the timeline,
compose, render). The notebook then shows one part per cell with `Letter.show`, which publishes a
Jupyter display bundle: HTML for JupyterLab and the HTML exporter, Markdown for the DOCX and
PDF exporters, and the figure images. The exporters read only those bundles and the
``caseletter`` metadata on them; they never see the case file.
"""

from __future__ import annotations

import base64
import html
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from caseletter.case.fields import citation_fields
from caseletter.case.model import Case
from caseletter.case.placeholders import find_placeholders
from caseletter.case.source import CaseSource, read_case_source
from caseletter.case.structures import IMAGES, structure_of, timeline_form
from caseletter.journals import Journal, load_journal
from caseletter.letter.compose import LetterDocument, LetterFigure, author_names, compose_letter
from caseletter.letter.render import RenderedSection, render_letter
from caseletter.pandoc import escape_markdown
from caseletter.references.bibliography import Bibliography
from caseletter.references.case_bibliography import load_case_bibliography
from caseletter.references.keys import cited_in_order, find_citations

KIT_METADATA = "caseletter"
DRAFT = "draft"
HEADER_PARTS = (DRAFT, "title", "byline", "affiliations")


@dataclass
class SectionDisplay:
    """A rendered section, displayable in Jupyter."""

    section: RenderedSection
    extra: dict[str, Any] = field(default_factory=dict)

    def _repr_mimebundle_(self, include=None, exclude=None) -> tuple[dict[str, str], dict[str, Any]]:
        data = {"text/html": self.section.html, "text/markdown": self.section.markdown}
        return data, {KIT_METADATA: {"section": self.section.name, **self.extra}}


@dataclass
class FigureDisplay:
    """A numbered figure with its legend, displayable in Jupyter."""

    figure: LetterFigure
    png: bytes
    legend: RenderedSection

    def _repr_mimebundle_(self, include=None, exclude=None) -> tuple[dict[str, str], dict[str, Any]]:
        encoded = base64.b64encode(self.png).decode("ascii")
        alt = html.escape(self.figure.alt or f"Figure {self.figure.number}", quote=True)
        width = print_width_percent(self.png, self.figure.case_index is None)
        drawn = " caseletter-drawn" if self.figure.case_index is None else ""
        figure_html = (
            f'<figure class="caseletter-figure{drawn}" id="{self.figure.id}" '
            f'style="--print-width: {min(100, round(width * 1.3))}%">'
            f'<img src="data:image/png;base64,{encoded}" alt="{alt}">'
            f"<figcaption>{_unwrap_p(self.legend.html)}</figcaption></figure>"
        )
        data = {"text/html": figure_html, "text/markdown": self.legend.markdown}  # the image travels once, in the HTML
        meta = {
            "figure": self.figure.number, "id": self.figure.id, "alt": self.figure.alt,
            "legend_markdown": self.legend.markdown, "width_percent": width,
        }
        return data, {KIT_METADATA: meta}


@dataclass
class Letter:
    """Every part of one case's letter, rendered, ready to show cell by cell."""

    case: Case
    case_path: Path
    journal: Journal
    sections: dict[str, RenderedSection]
    figures: dict[str, FigureDisplay]
    order: list[str] = field(default_factory=list)
    dosing: Any = None
    draft: str = ""  # "Draft — N items to complete" while placeholders are left
    document: LetterDocument | None = None  # the composed parts before rendering: citations still [@key]
    csl_items: list[dict] = field(default_factory=list)  # every cited reference, in order of first citation

    def part(self, name: str) -> SectionDisplay:
        """One section by name: title, byline, opening, case, discussion, dosing, references, practice_points."""
        extra = {"title": self.case.title, "authors": author_names(self.case)} if name == "title" else {}
        if name == DRAFT:
            extra = {"draft": self.draft}
        return SectionDisplay(self.sections[name], extra)

    def show(self, name: str) -> None:
        """Display a section in the notebook, followed by the figures first mentioned in it.

        "header" shows a draft's mark, the title, the byline and the affiliations together.
        """
        from IPython.display import display

        shown = [part for part in (HEADER_PARTS if name == "header" else [name]) if part in self.sections]
        for part in shown:
            display(self.part(part))
        for fig_id in self.figures_after(shown[-1] if shown else name):  # an images article's come after the header
            display(self.figures[fig_id])

    def figures_after(self, name: str) -> list[str]:
        """Ids of the figures placed right after section `name`."""
        if name not in self.order:
            return []
        out = []
        for later in self.order[self.order.index(name) + 1 :]:
            if not later.startswith("figure:"):
                break
            out.append(later.removeprefix("figure:"))
        return out


def open_letter(case_path: CaseSource | Path | str, journal: str | None = None, case_text: str | None = None) -> Letter:
    """Run every stage from case file to rendered letter parts.

    Args:
        case_path: the YAML case file (or the case already read).
        journal: a journal style to use instead of the one the case names.
        case_text: the case file's text as the build checked it; None reads the file (as in
            JupyterLab). The build passes it so that the letter is written from exactly the
            text that passed the check, even if the file is saved again meanwhile.
    """
    source = case_path if isinstance(case_path, CaseSource) else read_case_source(case_path, case_text)
    case = source.case
    style = load_journal(journal or case.journal, source.path)
    bibliography = load_case_bibliography(source)
    require_cited_keys(source, bibliography)
    dosing, dosing_table = compute_case_dosing(source)
    timeline = draw_case_timeline(source)
    kind = style.article_type(case.article_type)
    doc = compose_letter(
        case, dosing_table, timeline.legend if timeline else None, timeline.alt if timeline else "",
        case_timeline_table(source), case_lab_table(case, style), kind.sections if kind else None,
    )
    csl_items = bibliography.csl_items(cited_in_order(case))
    rendered = render_letter(doc, csl_items, style.csl, style.citation_range_delimiter)
    sections = {s.name: s for s in rendered}
    draft = draft_text(case)
    if draft:
        mark = f'<p class="draft-mark">{html.escape(draft)}</p>'
        sections[DRAFT] = RenderedSection(DRAFT, mark, escape_markdown(draft))
    figures = {
        fig_id: FigureDisplay(fig, _figure_png(fig, source, timeline), sections[f"figure:{fig_id}"])
        for fig_id, fig in doc.figures.items()
    }
    return Letter(case, source.path, style, sections, figures, doc.section_names, dosing, draft, doc, csl_items)


def draft_text(case: Case) -> str:
    """"Draft — N items to complete" while the case still holds placeholders; "" once it does not."""
    count = len(find_placeholders(case))
    return f"Draft — {count} item{'s' if count != 1 else ''} to complete" if count else ""


def require_cited_keys(source: CaseSource, bibliography: Bibliography) -> None:
    """Refuse a letter that cites a key no .bib holds, naming where it was cited."""
    for citation in find_citations(citation_fields(source.case)):
        bibliography.require(citation.key, source.where(citation.field))


def compute_case_dosing(source: CaseSource) -> tuple[Any, str]:
    """The dosing report and its table as Markdown (empty without a regimen, and for an images article)."""
    case = source.case
    if not case.interventions and not case.dosing.literature or structure_of(case.article_type) == IMAGES:
        return None, ""
    from caseletter.dosing.compute import compute_dosing
    from caseletter.letter.tables import dosing_table_markdown

    report = compute_dosing(case, source.path)
    return report, dosing_table_markdown(report)


def draw_case_timeline(source: CaseSource) -> Any:
    """The timeline figure, when the case gives timeline events and wants them as a figure."""
    if timeline_form(source.case) != "figure":
        return None
    from caseletter.dosing.timeline import draw_timeline

    return draw_timeline(source.case, source.path)


def case_timeline_table(source: CaseSource) -> str:
    """The timeline as a table's Markdown, when the case keeps it out of the figures ("" otherwise)."""
    if timeline_form(source.case) != "table":
        return ""
    from caseletter.dosing.timeline import lay_out_timeline
    from caseletter.dosing.timeline_text import timeline_entries
    from caseletter.letter.timeline_table import timeline_table_markdown

    layout = lay_out_timeline(source.case, source.path)
    return timeline_table_markdown(timeline_entries(layout.rows, layout.axis)) if layout else ""


def case_lab_table(case: Case, style: Journal) -> str:
    """The laboratory values as a table's Markdown, in the units' order the journal asks for ("" without labs)."""
    if not case.labs:
        return ""
    from caseletter.dosing.labs import lab_rows
    from caseletter.letter.lab_table import lab_table_markdown

    return lab_table_markdown(lab_rows(case.labs, style.lab_units), style.lab_units)


def _figure_png(fig: LetterFigure, source: CaseSource, timeline: Any) -> bytes:
    if fig.case_index is None:
        return timeline.png
    from caseletter.letter.figures import figure_png

    return figure_png(source.case.figures[fig.case_index], fig.case_index, source.path)


def print_width_percent(png: bytes, drawn_by_kit: bool = False) -> int:
    """How wide a figure prints, as a share of the text width: wide panel sets wider, photos narrower.

    A chart the kit draws is 8 cm wide with 7 pt lettering: at 40% of a 16 cm column its
    lettering prints at about 5.6 pt, still legible, and a letter keeps to two pages.
    """
    import struct

    if drawn_by_kit:
        return 40
    width, height = struct.unpack(">II", png[16:24])  # the PNG header's IHDR chunk
    return int(min(70, max(30, round(20 * width / max(height, 1)))))


def _unwrap_p(fragment: str) -> str:
    fragment = fragment.strip()
    if fragment.startswith("<p>") and fragment.endswith("</p>") and fragment.count("<p>") == 1:
        return fragment[3:-4]
    return fragment
