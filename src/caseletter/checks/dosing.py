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
    return findings + not_reported_findings(report, source)


#: The phase fields "not reported" may stand for, and the figure each one costs the reader.
REPORTED_FIELDS = ("dose", "frequency", "duration", "infusion_time", "gap")


def not_reported_findings(report, source: CaseSource) -> list[Finding]:
    """One warning per value the source did not give, naming the figures it leaves out.

    The advice never asks for a value: a case report says what the source says, and a weight
    or a frequency filled in to make a table complete would be an invented fact.
    """
    from caseletter.dosing.quantities import is_not_reported

    findings = []
    for regimen in (r for r in report.regimens if r.is_case):
        where = _field_of(regimen.where, source)
        if is_not_reported(regimen.regimen.start):
            findings.append(_missing(f"{where}.start", "the start is not reported", "its place on the timeline"))
        if is_not_reported(regimen.regimen.route):
            findings.append(_missing(f"{where}.route", "the route is not reported", "none, but readers ask"))
        for phase in regimen.phases:
            findings += phase_findings(phase, source)
    return findings


def phase_findings(phase, source: CaseSource) -> list[Finding]:
    """The warnings of one phase: each value not reported, and a body size the dose needs."""
    from caseletter.dosing.quantities import is_not_reported

    where = _field_of(phase.where, source)
    found = []
    for name in REPORTED_FIELDS:
        if is_not_reported(getattr(phase.phase, name)):
            costs = sorted({k for k, why in phase.not_computable.items() if name.replace("_", " ") in why})
            found.append(_missing(f"{where}.{name}", f"the {name.replace('_', ' ')} is not reported",
                                  ", ".join(costs) or "none, but readers ask"))
    size = phase.not_computable.get("dose", "")
    if "no body" in size:
        found.append(Finding(
            WARNING, "dosing", "patient.weight" if "weight" in size else "patient.height",
            f'{where}.dose "{phase.dose.text}": {size}, so the doses in mass are not computable '
            "(the table gives them per kg or m²)",
            "If the source gives the patient's weight (and height, for a dose per m²), add it under patient; "
            "if it does not, leave it out.", detail="not_reported",
        ))
    return found


def _missing(field: str, what: str, costs: str) -> Finding:
    return Finding(
        WARNING, "dosing", field, f"{what}: not computable: {costs}",
        "If the source gives it, add it; if it does not, keep \"not reported\".", detail="not_reported",
    )


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
