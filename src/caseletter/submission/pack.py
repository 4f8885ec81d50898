"""Packing a submission: the recipe from one case file to ``build/<case>/submission/`` and its zip.

`pack_case` reads and checks the case, and refuses while the check has errors, placeholders or
identifiers (a submission is not a draft); builds the reader's copy (or takes it from the
cache), so the manuscript is exported from the very notebook the letter was; then writes the
manuscript in submission layout (blinded when the journal asks, and proved so), the title page,
the cover letter, the CARE checklist, each figure as its own file to the journal's
specification, and the article as JATS XML validated against the DTD; and puts the folder and a
zip of it, with a manifest of SHA-256 sums, in place whole.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from caseletter.errors import ExportError, SubmissionRefused, cut

MANUSCRIPT = "manuscript.docx"
TITLE_PAGE = "title-page.docx"
COVER_LETTER = "cover-letter.docx"
CARE_CHECKLIST = "care-checklist.docx"
ARTICLE_XML = "article.xml"
_TABLE_CAPTION = re.compile(r"^\|.*\|[ \t]*\n\n: ", re.MULTILINE)


@dataclass
class PackResult:
    """What `pack_case` wrote, and what the author should still look at."""

    case_path: Path
    folder: Path | None = None
    zip_path: Path | None = None
    files: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # e.g. a figure too small for the printed width
    timings: dict[str, float] = field(default_factory=dict)


def pack_case(case_path: Path | str, journal: str | None = None, out_root: Path | str = "build") -> PackResult:
    """Write the submission of one case into ``out_root/<case>/submission/`` and ``<case>-submission.zip``.

    Raises:
        SubmissionRefused: the check found errors, placeholders or identifiers (each named), or a
            blinded manuscript would still name an author.
        CaseletterError: any other failure, as one paragraph naming the file or field.
    """
    from caseletter.build.options import BuildOptions
    from caseletter.build.recipe import build_case
    from caseletter.case.source import read_case_source
    from caseletter.checks.run import run_checks
    from caseletter.submission.bundle import put_in_place, staged_submission, write_manifest

    case_path = Path(case_path)
    result = PackResult(case_path)
    source = read_case_source(case_path)
    report = run_checks(source, journal)
    refuse_unready(case_path, report)
    built = _timed(result, "build", build_case, case_path, BuildOptions(Path(out_root), journal=journal))
    letter = _timed(result, "open", _open_letter, source, journal)
    with staged_submission(built.out_dir) as folder:
        notebook = _read_notebook(built.out_dir / "letter.ipynb")
        _timed(result, "manuscript", write_manuscript, notebook, letter, folder)
        figure_files = _timed(result, "figures", write_figures, letter, folder, result)
        counts = title_page_counts(letter, report)
        _timed(result, "documents", write_documents, letter, report, counts, folder, len(figure_files))
        _timed(result, "jats", write_article_xml, letter, figure_files, folder)
        write_manifest(folder, _about(letter, counts, result, built.out_dir.name))
        result.folder, result.zip_path = put_in_place(folder, built.out_dir, f"{built.out_dir.name}-submission.zip")
    result.files = sorted(result.folder.iterdir())
    return result


def refuse_unready(case_path: Path, report: Any) -> None:
    """Refuse to pack while the check has errors, placeholders or identifiers, naming each.

    Raises:
        SubmissionRefused: listing up to ten findings by field and message.
    """
    blocking = [f for f in report.findings if f.severity == "error"] + list(report.placeholders)
    if not blocking:
        return
    shown = "; ".join(f"{f.field}{f' (line {f.line})' if f.line else ''}: {cut(f.message, 120)}" for f in blocking[:10])
    more = f"; and {len(blocking) - 10} more" if len(blocking) > 10 else ""
    raise SubmissionRefused(
        str(case_path), f"not ready to submit: {len(blocking)} item(s) to fix first: {shown}{more}",
        "Fix each (`caseletter check` says what to write), then pack again. A submission is never a draft.",
    )


def _timed(result: PackResult, stage: str, work: Any, *args: Any) -> Any:
    start = time.perf_counter()
    value = work(*args)
    result.timings[stage] = time.perf_counter() - start
    return value


def _open_letter(source: Any, journal: str | None) -> Any:
    from caseletter.letter.notebook import open_letter

    return open_letter(source, journal=journal)


def _read_notebook(path: Path) -> Any:
    import nbformat

    return nbformat.read(str(path), as_version=4)


def write_manuscript(notebook: Any, letter: Any, folder: Path) -> None:
    """The manuscript from the executed notebook; a blinded one refused if any part still names an author."""
    from caseletter.letter.manuscript import ManuscriptDOCXExporter
    from caseletter.submission.blinding import names_in_docx

    blinded = letter.journal.submission.blinded
    docx, _ = ManuscriptDOCXExporter(blinded=blinded).from_notebook_node(notebook)
    if blinded:
        found = names_in_docx(docx, letter.case)
        if found:
            places = "; ".join(f"{f.what} in {f.part} (\u2026{f.context}\u2026)" for f in found[:5])
            raise SubmissionRefused(
                str(letter.case_path), f"{letter.journal.name} reviews blinded, but the manuscript names an author: "
                f"{places}", "Take the name out of the case's text (write 'the authors' or 'our institution').",
            )
    (folder / MANUSCRIPT).write_bytes(docx)


def write_figures(letter: Any, folder: Path, result: PackResult) -> dict[int, str]:
    """Each figure of the article as its own file to the journal's specification; their names by number."""
    from caseletter.submission.figure_files import (
        FigureSpec,
        figure_image,
        timeline_image,
        write_figure_files,
    )

    rules = letter.journal.submission
    spec = FigureSpec(rules.figure_format, rules.figure_dpi, rules.figure_width_mm, rules.figure_name)
    images = []
    for figure in sorted(letter.document.figures.values(), key=lambda f: f.number):
        if figure.case_index is None:
            image = timeline_image(letter.case, letter.case_path, spec)
        else:
            image = figure_image(letter.case.figures[figure.case_index], figure.case_index, letter.case_path)
        if image is not None:
            images.append((figure.number, image))
    written = write_figure_files(images, spec, folder)
    for file in written:
        if not file.enough_pixels:
            result.warnings.append(
                f"{file.path.name} is {file.width_px} px wide: at {spec.dpi} dpi it prints {file.printed_width_mm:.0f} "
                f"mm wide, less than the {spec.width_mm:g} mm the journal prints figures at. Give a larger image "
                "(the kit never enlarges one)."
            )
    return {file.number: file.path.name for file in written}


def write_documents(letter: Any, report: Any, counts: Any, folder: Path, figure_count: int) -> None:
    """The title page (with the check's `counts`), the cover letter and the CARE checklist (the check's judgements)."""
    from caseletter.case.structures import structure_of
    from caseletter.letter.compose import DEFAULT_HEADINGS
    from caseletter.submission.care_checklist import care_checklist_markdown
    from caseletter.submission.cover_letter import cover_letter_markdown
    from caseletter.submission.documents import markdown_docx
    from caseletter.submission.title_page import title_page_markdown

    case, journal = letter.case, letter.journal
    kind = journal.article_type(case.article_type)
    type_name = printed_type(case.article_type)
    title = case.title
    (folder / TITLE_PAGE).write_bytes(markdown_docx(
        title_page_markdown(case, journal.name, type_name, counts), title, "writing the title page"))
    cover = cover_letter_markdown(case, journal.name, type_name, journal.submission.blinded, figure_count)
    (folder / COVER_LETTER).write_bytes(markdown_docx(cover, title, "writing the cover letter"))
    headings = {**DEFAULT_HEADINGS, **(kind.sections if kind else {})}
    checklist = care_checklist_markdown(title, report.care, structure_of(case.article_type), headings)
    (folder / CARE_CHECKLIST).write_bytes(markdown_docx(checklist, title, "writing the CARE checklist"))


def printed_type(article_type: str) -> str:
    """An article type's name as printed: "case_report" → "Case report"."""
    return article_type.replace("_", " ").replace("-", " ").strip().capitalize()


def title_page_counts(letter: Any, report: Any) -> Any:
    """Words, references and figures as the check counted them; the abstract's words; the tables printed."""
    from caseletter.case.structures import CASE_REPORT, structure_of
    from caseletter.checks.article import count_abstract_words
    from caseletter.submission.title_page import Counts

    measures = {m.name: m for m in report.measures}
    has_abstract = structure_of(letter.case.article_type) == CASE_REPORT
    return Counts(
        abstract_words=count_abstract_words(letter.case) if has_abstract else None,
        words=measures["words"].count, word_rule=measures["words"].rule,
        references=measures["references"].count, figures=measures["figures"].count,
        tables=count_tables(letter.document),
    )


def count_tables(document: Any) -> int:
    """The tables the article prints: pipe tables with their caption line, in every part."""
    return sum(len(_TABLE_CAPTION.findall(markdown)) for _, markdown in document.parts)


def write_article_xml(letter: Any, figure_files: dict[int, str], folder: Path) -> None:
    """The article as JATS XML; refused by the kit itself if the DTD finds it invalid (a bug to report)."""
    from caseletter.submission.jats import article_xml
    from caseletter.submission.jats_validation import validate_jats

    xml = article_xml(letter, figure_files)
    problems = validate_jats(xml)
    if problems:
        raise ExportError(
            "writing article.xml", f"the JATS XML does not validate: {'; '.join(problems[:3])}",
            "Report this with the case file.",
        )
    (folder / ARTICLE_XML).write_bytes(xml)


def _about(letter: Any, counts: Any, result: PackResult, case_name: str) -> dict[str, Any]:
    import caseletter

    rules = letter.journal.submission
    return {
        "shape": "caseletter-submission/1",
        "case": case_name,
        "title": letter.case.title,
        "journal": letter.journal.name,
        "article_type": letter.case.article_type,
        "blinded": rules.blinded,
        "counts": {
            "abstract_words": counts.abstract_words, "words": counts.words, "references": counts.references,
            "figures": counts.figures, "tables": counts.tables,
        },
        "warnings": list(result.warnings),
        "kit": f"caseletter {caseletter.__version__}",
    }
