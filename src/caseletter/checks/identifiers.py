"""Patient identifiers (HIPAA Safe Harbor) in the case's text, its patient's age and its figure files.

Every one is an error: the build refuses to export a letter that holds one, unless the author
says (``--allow-identifiers``) that it may be published.
"""

from __future__ import annotations

from pathlib import Path

from caseletter.case.fields import text_fields
from caseletter.case.source import CaseSource
from caseletter.checks.finding import ERROR, WARNING, Finding, entry_where
from caseletter.checks.profile import Profile
from caseletter.errors import FigureError, cut

_IDENTIFYING_METADATA = {"gps", "date", "owner"}
#: The fields of a .bib entry that print as prose in a reference.
PROSE_FIELDS = ("title", "subtitle", "booktitle", "note", "howpublished", "addendum")


def find(source: CaseSource, profile: Profile) -> list[Finding]:
    """Safe Harbor identifiers in the text fields, the patient's age and the figure files."""
    from caseletter.deid.text import scan_text

    case = source.case
    findings = [
        Finding(
            ERROR, "identifier", path,
            f"{hit.type.replace('_', ' ')} {hit.text!r} is an identifier under HIPAA Safe Harbor",
            hit.suggestion, hit.text, hit.start, hit.end, hit.type,
        )
        for path, text in text_fields(case) for hit in scan_text(text)
    ]
    if case.patient.age >= 90:
        findings.append(Finding(
            ERROR, "identifier", "patient.age",
            f"an age of {case.patient.age} is an identifier: Safe Harbor allows ages over 89 only as '90 or older'",
            "Give 90 and say '90 or older' in the text.", str(case.patient.age), detail="age",
        ))
    return findings + find_bib_identifiers(source) + find_figure_metadata(source)


def find_bib_identifiers(source: CaseSource) -> list[Finding]:
    """Identifiers in the fields of cited .bib entries that print as prose (a title, a note).

    Authors, journals and publishers of published works are public and are left alone; so are
    entries never cited, which never print. A personal communication is where a patient's or a
    clinician's name and a date slip into a reference.
    """
    from caseletter.deid.text import scan_text
    from caseletter.errors import BibliographyError
    from caseletter.references.case_bibliography import load_case_bibliography
    from caseletter.references.keys import cited_in_order

    try:
        bibliography = load_case_bibliography(source, strict=False)
    except BibliographyError:  # the citation check reports it
        return []
    findings = []
    for key in (k for k in cited_in_order(source.case) if k in bibliography):
        entry = bibliography[key]
        for name in PROSE_FIELDS:
            text = entry.fields.get(name)
            for hit in scan_text(text) if isinstance(text, str) else ():
                findings.append(Finding(
                    ERROR, "identifier", f"{entry_where(entry)}, {name}",
                    f"{hit.type.replace('_', ' ')} {hit.text!r} is an identifier under HIPAA Safe Harbor",
                    hit.suggestion, hit.text, hit.start, hit.end, hit.type,
                ))
    return findings


def figure_files(source: CaseSource) -> list[tuple[str, str]]:
    """Every image file the case names, with its field path."""
    figures = source.case.figures
    files = [(f"figures[{i}].file", fig.file) for i, fig in enumerate(figures) if fig.file]
    return files + [
        (f"figures[{i}].panels[{j}].file", p.file) for i, fig in enumerate(figures) for j, p in enumerate(fig.panels)
    ]


def find_figure_metadata(source: CaseSource) -> list[Finding]:
    """Identifying metadata (GPS, dates, owner, serials, comments naming someone) in figure files."""
    findings = []
    for field, relative in figure_files(source):
        try:
            findings += image_findings(field, source.resolve(relative, field, FigureError, "image file"))
        except FigureError as exc:
            findings.append(Finding(ERROR, "case", field, exc.why, exc.todo, cut(relative, 80), detail="figure"))
        except OSError as exc:  # a name the file system refuses (too long, bad characters)
            findings.append(Finding(
                ERROR, "case", field, f"the image file cannot be opened ({exc.strerror or exc.__class__.__name__})",
                "Give a short path to an image inside the case's folder.", cut(relative, 80), detail="figure",
            ))
    return findings


def image_findings(field: str, path: Path) -> list[Finding]:
    """One error per identifying metadata item of an image, one warning for the rest."""
    from caseletter.deid.images import scan_image_metadata
    from caseletter.deid.text import scan_text

    strip = (
        f"Remove the image's metadata before submitting it (e.g. `exiftool -all= {path.name}`); "
        "the letter's own copy is written without it."
    )
    findings, other = [], []
    for item in scan_image_metadata(path):
        identifying = (
            item.kind in _IDENTIFYING_METADATA
            or "serial" in item.key.lower()
            or (item.kind == "comment" and scan_text(item.value))
        )
        if identifying:
            findings.append(Finding(
                ERROR, "identifier", field, f"the image {path.name} carries {item.key} metadata ({item.kind})", strip,
                f"{item.key}: {item.value}", detail="metadata",
            ))
        else:
            other.append(item.key)
    if other:
        findings.append(Finding(
            WARNING, "figure", field, f"the image {path.name} carries other metadata: {', '.join(other)}", strip,
            detail="metadata",
        ))
    return findings
