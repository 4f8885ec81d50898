"""The dosing stage's findings: a regimen it cannot read, a dose far from every cited dose, a timeline it cannot place.

Nothing is drawn: the timeline's times are parsed only, so the check stays free of matplotlib.
"""

from __future__ import annotations

from caseletter.case.source import CaseSource
from caseletter.checks.finding import ERROR, WARNING, Finding
from caseletter.checks.profile import Profile
from caseletter.errors import CaseletterError


def find(source: CaseSource, profile: Profile) -> list[Finding]:
    """The dosing stage's warnings (a dose 10 times from every cited dose), or why it failed."""
    case = source.case
    if not case.interventions and not case.dosing.literature:
        return []
    from caseletter.dosing.compute import compute_dosing

    try:
        report = compute_dosing(case, source.path)
    except CaseletterError as exc:  # a dose, frequency or body size the dosing stage cannot read
        return [Finding(ERROR, "dosing", _field_of(exc.where, source), exc.why, exc.todo)]
    findings = []
    for warning in report.warnings:
        field, _, message = _field_of(warning, source).partition(": ")
        todo = "Check the dose and its unit against the source; correct it if it is a slip."
        findings.append(Finding(WARNING, "dosing", field, message, todo, detail="unit_slip"))
    return findings


def find_timeline(source: CaseSource, profile: Profile) -> list[Finding]:
    """A timeline time the timeline figure could not place (parsed only: nothing is drawn)."""
    if not source.case.timeline:
        return []
    from caseletter.dosing.timeline_rows import collect_rows
    from caseletter.dosing.units import CalendarAssumptions

    try:
        collect_rows(source.case, str(source.path), CalendarAssumptions())
    except CaseletterError as exc:
        return [Finding(ERROR, "case", _field_of(exc.where, source), exc.why, exc.todo, detail="timeline")]
    return []


def _field_of(where: str, source: CaseSource) -> str:
    """A message's place without the case file's path: the finding's field."""
    prefix = f"{source.path}, "
    return where[len(prefix):] if where.startswith(prefix) else where
