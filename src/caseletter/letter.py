"""The letter as the notebook sees it: one object, one section per cell.

`open_letter` runs every stage that turns a case file into the letter's parts (read the case,
read the bibliography, check the citations, compute the dosing, draw the timeline, compose,
render). The notebook then shows one part per cell with `Letter.show`, which publishes a
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

from caseletter.case import Case
from caseletter.compose import LetterFigure, author_names, citation_fields, compose_letter
from caseletter.journals import Journal, load_journal
from caseletter.render import RenderedSection, render_letter

KIT_METADATA = "caseletter"


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
        figure_html = f'<figure class="caseletter-figure" id="{self.figure.id}" style="--print-width: {min(100, round(width * 1.3))}%"><img src="data:image/png;base64,{encoded}" alt="{alt}"><figcaption>{_unwrap_p(self.legend.html)}</figcaption></figure>'
        data = {"text/html": figure_html, "text/markdown": self.legend.markdown}  # the image travels once, in the HTML
        meta = {"figure": self.figure.number, "id": self.figure.id, "alt": self.figure.alt, "legend_markdown": self.legend.markdown, "width_percent": width}
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

    def part(self, name: str) -> SectionDisplay:
        """One section by name: title, byline, opening, case, discussion, dosing, references, practice_points."""
        extra = {"title": self.case.title, "authors": author_names(self.case)} if name == "title" else {}
        return SectionDisplay(self.sections[name], extra)

    def show(self, name: str) -> None:
        """Display a section in the notebook, followed by the figures first mentioned in it.

        "header" shows the title, the byline and the affiliations together.
        """
        from IPython.display import display

        for part in ["title", "byline", "affiliations"] if name == "header" else [name]:
            if part in self.sections:
                display(self.part(part))
        for fig_id in self.figures_after(name):
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


def open_letter(case_path: Path | str, journal: str | None = None) -> Letter:
    """Run every stage from case file to rendered letter parts.

    Args:
        case_path: the YAML case file.
        journal: a journal style to use instead of the one the case names.
    """
    from caseletter.casefile import load_case

    case_path = Path(case_path)
    case = load_case(case_path)
    style = load_journal(journal or case.journal, case_path)
    bibliography = load_case_bibliography(case, case_path)
    check_citations(case, case_path, bibliography)
    dosing, dosing_table = compute_case_dosing(case, case_path)
    timeline = draw_case_timeline(case, case_path)
    doc = compose_letter(case, dosing_table, timeline.legend if timeline else None, timeline.alt if timeline else "")
    keys = cited_in_letter(case)
    rendered = render_letter(doc, bibliography.csl_items(keys), style.csl, style.citation_range_delimiter)
    sections = {s.name: s for s in rendered}
    figures = {fig_id: FigureDisplay(fig, _figure_png(fig, case, case_path, timeline), sections[f"figure:{fig_id}"]) for fig_id, fig in doc.figures.items()}
    return Letter(case, case_path, style, sections, figures, doc.section_names, dosing)


def load_case_bibliography(case: Case, case_path: Path):
    """The project's references.bib plus the case's own .bib files."""
    from caseletter.bibliography import load_bibliography
    from caseletter.locations import find_project_bib

    base = case_path.resolve().parent
    paths = [p for p in [find_project_bib(case_path)] if p]
    paths += [bib_inside_case(base, extra, case_path, i) for i, extra in enumerate(case.bibliography)]
    return load_bibliography(paths)


def bib_inside_case(base: Path, relative: str, case_path: Path, index: int) -> Path:
    """A case's own .bib file, refused when its path leads outside the case's folder."""
    from caseletter.errors import BibliographyError

    resolved = (base / relative).resolve()
    if Path(relative).is_absolute() or not resolved.is_relative_to(base):
        raise BibliographyError(f"{case_path}, bibliography[{index}]", f"{relative!r} leads outside the case's folder {base}", "Keep the case's own .bib file beside the case file and name it relative to it.")
    return resolved


def cited_in_letter(case: Case) -> list[str]:
    """Every key the letter cites, in order of first citation."""
    from caseletter.citations import first_citation_order

    return first_citation_order(citation_fields(case))


def check_citations(case: Case, case_path: Path, bibliography) -> None:
    """Refuse a letter that cites a key no .bib holds, naming where it was cited."""
    from caseletter.citations import find_citations

    for citation in find_citations(citation_fields(case)):
        bibliography.require(citation.key, f"{case_path}, {citation.field}")


def compute_case_dosing(case: Case, case_path: Path) -> tuple[Any, str]:
    """The dosing report and its table as Markdown (empty when the case has no regimen)."""
    if not case.interventions and not case.dosing.literature:
        return None, ""
    from caseletter.dosing import compute_dosing
    from caseletter.tables import dosing_table_markdown

    report = compute_dosing(case, case_path)
    return report, dosing_table_markdown(report)


def draw_case_timeline(case: Case, case_path: Path):
    """The timeline figure, when the case gives timeline events."""
    if not case.timeline:
        return None
    from caseletter.timeline import draw_timeline

    return draw_timeline(case, case_path)


def _figure_png(fig: LetterFigure, case: Case, case_path: Path, timeline) -> bytes:
    if fig.case_index is None:
        return timeline.png
    from caseletter.figures import figure_png

    return figure_png(case.figures[fig.case_index], fig.case_index, case_path)


def print_width_percent(png: bytes, drawn_by_kit: bool = False) -> int:
    """How wide a figure prints, as a share of the text width: wide panel sets wider, photos narrower.

    A chart the kit draws is sized for its lettering to print at about 7 pt, so it gets a fixed
    40% of the column.
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
