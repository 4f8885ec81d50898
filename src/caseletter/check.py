"""`caseletter check`: every check a case file must pass before its letter is built.

The recipe: read the case (the only failure that raises), load the journal's profile, then
collect findings from each stage that judges the case: identifiers (HIPAA Safe Harbor) in
every text field, figure file and image metadata; citation integrity; the dosing stage's
warnings; counts against the journal's limits; the CARE checklist. Nothing here runs pandoc,
a kernel or matplotlib, so the check is quick enough to run before every build.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from caseletter.care import CARE_KEYS, MISSING, PARTIAL, judge_care, unknown_care_keys
from caseletter.case import Case
from caseletter.check_report import ERROR, NOTE, SEVERITIES, WARNING, CheckReport, Finding, print_check_table, render_check_html
from caseletter.citecheck import check_bibliography
from caseletter.errors import CaseletterError, FigureError, UnknownStyle
from caseletter.journals import ArticleType, Journal, load_journal
from caseletter.limits import Measure, measure_letter

#: Fields that are not the case's prose: the byline, .bib lists, style names, ids and citation keys.
_NOT_SCANNED = re.compile(r"^(?:authors\b|bibliography\b|journal$|article_type$|figures\[\d+\]\.id$|.*\.cite\[\d+\]$)")
_IDENTIFYING_METADATA = {"gps", "date", "owner"}

__all__ = ["CheckReport", "Finding", "check_command", "render_check_html", "run_checks"]


def run_checks(case_path: Path, journal: str | None = None) -> CheckReport:
    """Check one case file and return every finding; findings never raise.

    Args:
        case_path: the YAML case file.
        journal: a journal style to check against instead of the one the case names.

    Raises:
        CaseletterError: only when the case file cannot be read or does not fit the schema.
    """
    case_path = Path(case_path)
    case, data = read_case(case_path)
    style, article_type, findings = load_profile(case, case_path, journal)
    findings += find_identifiers(case, case_path)
    findings += check_bibliography(case, case_path, style)
    findings += find_dosing_problems(case, case_path) + find_timeline_problems(case, case_path)
    measures = measure_letter(case, article_type)
    findings += [limit_finding(m) for m in measures if m.excess]
    care = judge_care(case, care_not_applicable(article_type))
    findings += [care_finding(item) for item in care if item.status in (MISSING, PARTIAL)]
    unique = {(f.field, f.message): f for f in reversed(findings)}  # one stage's error may recur in another
    findings = sorted((locate_line(f, data) for f in reversed(unique.values())), key=lambda f: SEVERITIES.index(f.severity))
    return CheckReport(case_path, style.key if style else (journal or case.journal), case.article_type, findings, care, measures)


def read_case(case_path: Path) -> tuple[Case, Any]:
    """The validated case and its parsed YAML (kept for the line numbers of findings)."""
    from pydantic import ValidationError

    from caseletter.casefile import describe_validation_error, parse_case_yaml, read_case_text

    data = parse_case_yaml(read_case_text(case_path), case_path)
    try:
        return Case.model_validate(data), data
    except ValidationError as exc:
        raise describe_validation_error(exc, data, case_path) from None


def load_profile(case: Case, case_path: Path, journal: str | None) -> tuple[Journal | None, ArticleType | None, list[Finding]]:
    """The journal profile and the case's article type in it, or findings saying why not."""
    try:
        style = load_journal(journal or case.journal, case_path)
    except UnknownStyle as exc:
        return None, None, [Finding(ERROR, "journal", "journal", f"{exc.where}: {exc.why}", exc.todo, journal or case.journal, detail="unknown_style")]
    article_type = style.article_type(case.article_type)
    if article_type is None:
        known = ", ".join(style.article_types) or "none"
        return style, None, [Finding(WARNING, "journal", "article_type", f'"{case.article_type}" is not an article type of {style.name}; its limits were not checked', f"Use one of: {known}; or add it to {style.folder / 'journal.yaml'}.", case.article_type, detail="article_type")]
    typos = unknown_care_keys(article_type.care_not_applicable)
    if typos:
        return style, article_type, [Finding(WARNING, "journal", f"{style.folder / 'journal.yaml'}, article_types.{article_type.name}.care_not_applicable", f"{', '.join(typos)} {'is not a CARE item' if len(typos) == 1 else 'are not CARE items'}", _care_hint(typos), ", ".join(typos), detail="care_items")]
    return style, article_type, []


def _care_hint(typos: list[str]) -> str:
    import difflib

    close = [m for t in typos for m in difflib.get_close_matches(t, CARE_KEYS, n=1)]
    return (f"Did you mean {', '.join(close)}? " if close else "") + f"The items are: {', '.join(CARE_KEYS)}."


def care_not_applicable(article_type: ArticleType | None) -> tuple[str, ...]:
    """CARE items the article type has no place for; the abstract follows its ``abstract`` flag.

    Without a profile nothing says an abstract is wanted, so the abstract item is left out.
    """
    if article_type is None:
        return ("abstract",)
    return tuple(article_type.care_not_applicable) + (() if article_type.abstract else ("abstract",))


def text_fields(node: Any, path: str = "") -> list[tuple[str, str]]:
    """Every string of the case with its field path, except the byline, file lists and style names."""
    if isinstance(node, BaseModel):
        return [pair for name in type(node).model_fields for pair in text_fields(getattr(node, name), f"{path}.{name}" if path else name)]
    if isinstance(node, list):
        return [pair for i, item in enumerate(node) for pair in text_fields(item, f"{path}[{i}]")]
    if isinstance(node, str) and node and not _NOT_SCANNED.match(path):
        return [(path, node)]
    return []


def find_identifiers(case: Case, case_path: Path) -> list[Finding]:
    """Safe Harbor identifiers in the text fields, the patient's age and the figure files."""
    from caseletter.deid import scan_text

    findings = [Finding(ERROR, "identifier", path, f"{hit.type.replace('_', ' ')} {hit.text!r} is an identifier under HIPAA Safe Harbor", hit.suggestion, hit.text, hit.start, hit.end, hit.type)
                for path, text in text_fields(case) for hit in scan_text(text)]
    if case.patient.age >= 90:
        findings.append(Finding(ERROR, "identifier", "patient.age", f"an age of {case.patient.age} is an identifier: Safe Harbor allows ages over 89 only as '90 or older'", "Give 90 and say '90 or older' in the text.", str(case.patient.age), detail="age"))
    return findings + find_figure_metadata(case, case_path)


def find_figure_metadata(case: Case, case_path: Path) -> list[Finding]:
    """Identifying metadata (GPS, dates, owner, serials, comments naming someone) in figure files."""
    from caseletter.figures import resolve_inside

    base = case_path.resolve().parent
    files = [(f"figures[{i}].file", fig.file) for i, fig in enumerate(case.figures) if fig.file]
    files += [(f"figures[{i}].panels[{j}].file", p.file) for i, fig in enumerate(case.figures) for j, p in enumerate(fig.panels)]
    findings = []
    for field, relative in files:
        try:
            findings += image_findings(field, resolve_inside(base, relative, case_path, field))
        except FigureError as exc:
            findings.append(Finding(ERROR, "case", field, exc.why, exc.todo, _shorten(relative), detail="figure"))
        except OSError as exc:  # a name the file system refuses (too long, bad characters)
            findings.append(Finding(ERROR, "case", field, f"the image file cannot be opened ({exc.strerror or exc.__class__.__name__})", "Give a short path to an image inside the case's folder.", _shorten(relative), detail="figure"))
    return findings


def image_findings(field: str, path: Path) -> list[Finding]:
    """One error per identifying metadata item of an image, one warning for the rest."""
    from caseletter.deid import scan_image_metadata, scan_text

    strip = f"Remove the image's metadata before submitting it (e.g. `exiftool -all= {path.name}`); the letter's own copy is written without it."
    findings, other = [], []
    for item in scan_image_metadata(path):
        identifying = item.kind in _IDENTIFYING_METADATA or "serial" in item.key.lower() or (item.kind == "comment" and scan_text(item.value))
        if identifying:
            findings.append(Finding(ERROR, "identifier", field, f"the image {path.name} carries {item.key} metadata ({item.kind})", strip, f"{item.key}: {item.value}", detail="metadata"))
        else:
            other.append(item.key)
    if other:
        findings.append(Finding(WARNING, "figure", field, f"the image {path.name} carries other metadata: {', '.join(other)}", strip, detail="metadata"))
    return findings


def find_dosing_problems(case: Case, case_path: Path) -> list[Finding]:
    """The dosing stage's warnings (a dose 10 times from every cited dose), or why it failed."""
    if not case.interventions and not case.dosing.literature:
        return []
    from caseletter.dosing import compute_dosing

    try:
        report = compute_dosing(case, case_path)
    except CaseletterError as exc:  # a dose, frequency or body size the dosing stage cannot read
        return [Finding(ERROR, "dosing", _strip_path(exc.where, case_path), exc.why, exc.todo)]
    findings = []
    for warning in report.warnings:
        field, _, message = _strip_path(warning, case_path).partition(": ")
        findings.append(Finding(WARNING, "dosing", field, message, "Check the dose and its unit against the source; correct it if it is a slip.", detail="unit_slip"))
    return findings


def find_timeline_problems(case: Case, case_path: Path) -> list[Finding]:
    """A timeline time the timeline figure could not place (parsed only: nothing is drawn)."""
    if not case.timeline:
        return []
    from caseletter.regimen import CalendarAssumptions
    from caseletter.timeline import collect_rows

    try:
        collect_rows(case, str(case_path), CalendarAssumptions())
    except CaseletterError as exc:
        return [Finding(ERROR, "case", _strip_path(exc.where, case_path), exc.why, exc.todo, detail="timeline")]
    return []


def limit_finding(measure: Measure) -> Finding:
    """A warning for a count over its limit, saying by how much."""
    fields = {"words": "opening, case, discussion, dosing.text", "references": "citations", "figures": "figures, timeline"}
    todo = {"words": "Shorten the body text", "references": "Cite fewer references", "figures": "Combine or drop figures"}[measure.name]
    return Finding(WARNING, "limit", fields[measure.name], f"{measure.count} {measure.name}, {measure.excess} over the limit of {measure.limit}", f"{todo} by at least {measure.excess}, or check the journal's limit in its profile.", detail=measure.name)


def care_finding(item) -> Finding:
    """A warning for a missing CARE item, a note for a partial one."""
    severity = WARNING if item.status == MISSING else NOTE
    field = ", ".join(item.found_in) or item.target
    return Finding(severity, "care", field, f"CARE item {item.number} ({item.topic}) is {item.status}", item.todo, detail=item.key)


def locate_line(finding: Finding, data: Any) -> Finding:
    """The finding with the line of its field in the case file, when the field is a case path."""
    from dataclasses import replace

    line = field_line(data, finding.field)
    return replace(finding, line=line) if line else finding


def field_line(data: Any, field: str) -> int | None:
    """The 1-based line of ``a.b[2].c`` in the parsed YAML (of its deepest part that exists)."""
    if not re.fullmatch(r"[A-Za-z_]\w*(?:\.\w+|\[\d+\])*", field):
        return None
    node, line = data, None
    for part in re.findall(r"\w+|\[\d+\]", field):
        key: Any = int(part[1:-1]) if part.startswith("[") else part
        lc = getattr(node, "lc", None)
        try:
            found = lc.key(key) if isinstance(node, dict) else lc.item(key)
            node = node[key]
        except (KeyError, IndexError, TypeError, AttributeError):
            break
        line = found[0] + 1
    return line


def check_command(case_path: Path, as_json: bool, console: Any, journal: str | None = None) -> int:
    """The `caseletter check CASE.yaml` command: 1 when any finding is an error, else 0.

    A case that cannot be read raises the kit's error; the CLI prints it and exits with 2.
    ``journal`` checks against another journal's profile than the one the case names.
    """
    import json

    report = run_checks(case_path, journal)
    if as_json:
        console.print(json.dumps(report.to_json(), indent=2, ensure_ascii=False), markup=False, highlight=False, soft_wrap=True)
    else:
        print_check_table(report, console)
    return 1 if report.has_errors else 0


def _shorten(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _strip_path(where: str, case_path: Path) -> str:
    prefix = f"{case_path}, "
    return where[len(prefix):] if where.startswith(prefix) else where

