"""Dosing that computes: administrations, cumulative dose, dose per week and infusion rate.

Each regimen (this patient's and those the case cites) is read by `dosing.quantities` and
computed phase by phase under stated `CalendarAssumptions`. The result is a `DosingReport`: the
figures of every phase (pint quantities), warnings for doses that look like a mg/g slip, and
notes that show every rounding. Turning figures into table cells is `dosing.table`'s work.

Literature regimens keep their basis (mg/kg stays mg/kg): they describe other patients, so
only this case's weight- or surface-based doses are turned into absolute doses.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from caseletter.case.model import Case, Phase, Regimen
from caseletter.dosing.bodysize import BodySize
from caseletter.dosing.figures import DosingReport, PhaseFigures, RegimenFigures
from caseletter.dosing.quantities import (
    Duration,
    Frequency,
    Span,
    is_not_reported,
    parse_dose,
    parse_duration,
    parse_frequency,
    parse_infusion_time,
    parse_span,
    parse_start,
    parse_time_point,
    period_days,
)
from caseletter.dosing.slips import find_unit_slips
from caseletter.dosing.tapers import LINEAR, fill_taper, is_stepped, raise_unreadable_rule, read_taper_end
from caseletter.dosing.units import CalendarAssumptions, mass_unit_of, short_unit, span_days, unit_registry
from caseletter.errors import BadDuration, CaseletterError

__all__ = ["BodySize", "DosingReport", "PhaseFigures", "RegimenFigures", "compute_dosing", "phase_days"]


def compute_dosing(case: Case, case_path: Path | str, assumptions: CalendarAssumptions | None = None) -> DosingReport:
    """Compute every regimen of a case, this patient's first, then the literature's.

    Raises:
        DosingError: a dose, frequency, duration or body size that cannot be read, or a
            weight- or surface-based dose for a patient whose weight or height is missing.
    """
    assumptions = assumptions or CalendarAssumptions()
    notes: list[str] = []
    body = BodySize(case, str(case_path))
    events = timeline_events(case)
    regimens = [
        compute_regimen(r, f"{case_path}, interventions[{i}]", True, body, assumptions, events)
        for i, r in enumerate(case.interventions)
    ]
    regimens += [
        compute_regimen(r, f"{case_path}, dosing.literature[{i}]", False, body, assumptions)
        for i, r in enumerate(case.dosing.literature)
    ]
    notes += body.notes + body_size_notes(regimens) + rounding_notes(regimens)
    return DosingReport(regimens, find_unit_slips(regimens, body), notes, assumptions)


def compute_case_dosing(source: Any, assumptions: CalendarAssumptions | None = None) -> DosingReport:
    """`compute_dosing` for a case file as read, its errors pointing at the field's line."""
    try:
        return compute_dosing(source.case, source.path, assumptions)
    except CaseletterError as exc:
        raise with_line(exc, source) from None


def with_line(error: CaseletterError, source: Any) -> CaseletterError:
    """The error's place as ``file, field (line N)`` when it names a field of the case file."""
    from caseletter.case.validation import located, parse_field_path

    prefix = f"{source.path}, "
    field = error.where[len(prefix):] if error.where.startswith(prefix) else ""
    loc = parse_field_path(field) if field else None
    if loc:
        error.where = located(source.path, source.data, loc)
        error.args = (error.message,)
    return error


def timeline_events(case: Case) -> dict[str, Span]:
    """Each timeline event's text and time, for starts that name an event ("2 weeks after biopsy")."""
    events = {}
    for event in case.timeline:
        try:
            events[event.event] = parse_time_point(event.time, "timeline")
        except CaseletterError:  # the timeline check reports it; a start cannot refer to it
            continue
    return events


def body_size_notes(regimens: list[RegimenFigures]) -> list[str]:
    """One note per body size the case does not report, saying which doses stay per kg or per m²."""
    reasons = {p.not_computable["dose"].split(": ", 1)[-1] for r in regimens for p in r.phases
               if "no body" in p.not_computable.get("dose", "")}
    return [f"{reason.capitalize()}: doses by body size and their totals are given per kg or per m², not in mass."
            for reason in sorted(reasons)]


def rounding_notes(regimens: list[RegimenFigures]) -> list[str]:
    """One note per phase whose administrations were rounded, with the exact figure."""
    notes = []
    for regimen in regimens:
        name = regimen.regimen.label or f"{regimen.regimen.route} {regimen.regimen.drug}"
        for i, phase in enumerate(regimen.phases, start=1):
            counted = phase.exact_count is not None and phase.count is not None
            if counted and abs(phase.exact_count - phase.count) > 1e-6:
                notes.append(f"{name}, phase {i}: {phase.duration.text} × {phase.frequency.text} = "
                             f"{phase.exact_count:.4g} administrations, counted as {phase.count}.")
    return notes


def compute_regimen(
    regimen: Regimen, where: str, is_case: bool, body: BodySize, assumptions: CalendarAssumptions,
    events: dict[str, Span] | None = None,
) -> RegimenFigures:
    """Read and compute each phase of one regimen, its start and its whole length."""
    phases = [
        compute_phase(p, f"{where}.phases[{i}]", is_case, body, assumptions, regimen)
        for i, p in enumerate(regimen.phases)
    ]
    start = parse_start(regimen.start, f"{where}.start", events or {})
    figures = RegimenFigures(regimen, where, is_case, phases, None if start is None else span_days(start, assumptions))
    figures.length_days = regimen_length(phases)
    return figures


def regimen_length(phases: list[PhaseFigures]) -> float | None:
    """First dose to the end of the last phase, gaps included; None when a part is unknown or open."""
    parts = [p.days for p in phases] + [p.gap_days for p in phases[1:]]
    return None if any(part is None for part in parts) else sum(parts)


def compute_phase(
    phase: Phase, where: str, is_case: bool, body: BodySize, assumptions: CalendarAssumptions,
    regimen: Regimen | None = None,
) -> PhaseFigures:
    """Parse one phase and derive its counts, totals and rates, saying why any figure cannot be had."""
    dose = parse_dose(phase.dose, f"{where}.dose")
    frequency = parse_frequency(phase.frequency, f"{where}.frequency", per_period=dose.period is not None)
    figures = PhaseFigures(
        where=where,
        dose=dose,
        frequency=frequency,
        duration=read_duration(phase, frequency, f"{where}.duration"),
        phase=phase,
        drug=phase.drug or (regimen.drug if regimen else ""),
        route=phase.route or (regimen.route if regimen else ""),
        infusion_time=parse_infusion_time(phase.infusion_time, f"{where}.infusion_time"),
        taper_to=read_taper_end(phase, dose, f"{where}.taper_to"),
        gap_days=read_gap(phase.gap, f"{where}.gap", assumptions),
    )
    figures.per_dose = dose_per_administration(figures, f"{where}.dose", is_case, body, assumptions)
    figures.days = phase_days(figures.frequency, figures.duration, assumptions)
    figures.exact_count, figures.count = count_administrations(figures.frequency, figures.duration, assumptions)
    note_unknowns(figures)
    fill_amounts(figures, assumptions)
    if figures.taper_to is not None:
        fill_taper(figures, is_case, body, assumptions)
    return figures


def read_duration(phase: Phase, frequency: Frequency, where: str) -> Duration:
    """The phase's duration; a taper in stated steps takes its length from them when none is given."""
    rule = (phase.taper_step or "").strip().lower()
    if rule and rule not in LINEAR and not is_stepped(rule):
        raise_unreadable_rule(phase, where.rsplit(".", 1)[0])
    if phase.duration is None and not phase.until and is_stepped(phase.taper_step):
        return Duration("set by the taper's steps")
    return parse_duration(phase.duration, phase.until, where, frequency)


def read_gap(gap: str | None, where: str, assumptions: CalendarAssumptions) -> float | None:
    """Days between the phase before and this one: 0 when none is given, None when not reported."""
    if gap is None:
        return 0.0
    if is_not_reported(gap):
        return None
    return span_days(parse_span(gap, where, BadDuration, 'Write the gap as a length of time, e.g. "2 weeks".'),
                     assumptions)


def dose_per_administration(
    figures: PhaseFigures, where: str, is_case: bool, body: BodySize, assumptions: CalendarAssumptions
) -> Any:
    """The amount given each time: this case's mg/kg and mg/m² doses become absolute when the size is known."""
    dose = figures.dose
    if dose.amount is None:
        return None
    figures.size = body_size_for(figures, where, is_case, body)
    amount = dose.amount
    if dose.period is not None:
        if not figures.frequency.reported or figures.frequency.every is None:
            return None  # a total per period: what one administration held is not given
        share = span_days(figures.frequency.every, assumptions) / figures.frequency.times
        amount = amount * share / span_days(dose.period, assumptions)
    if figures.size is None:
        return None
    return (amount * figures.size).to(mass_unit_of(amount)) if figures.size.dimensionality else amount


def body_size_for(figures: PhaseFigures, where: str, is_case: bool, body: BodySize) -> Any:
    """What this dose is multiplied by: 1 (absolute, or another patient's), the weight or the BSA; None if unknown."""
    dose = figures.dose
    if dose.basis == "absolute" or not is_case:
        return unit_registry().Quantity(1)
    missing = body.missing_for(dose.basis)
    if missing:
        figures.not_computable["dose"] = f"not computable in {short_unit(mass_unit_of(dose.amount))}: {missing}"
        return None
    needed_by = f'{where.split(", ", 1)[-1]} ("{dose.text}")'
    return body.weight(needed_by) if dose.basis == "weight" else body.bsa(needed_by)


def phase_days(frequency: Frequency, duration: Duration, assumptions: CalendarAssumptions) -> float | None:
    """The phase's length in days; None when it is open-ended (until an event) or not known."""
    if not duration.reported:
        return None
    if duration.span is not None:
        return span_days(duration.span, assumptions)
    period = period_days(frequency, assumptions)
    if duration.count is not None:
        if period:
            return duration.count * period / frequency.times
        return 0.0 if duration.count == 1 else None  # counted doses at an interval not given
    return None if duration.until else 0.0


def count_administrations(
    frequency: Frequency, duration: Duration, assumptions: CalendarAssumptions
) -> tuple[float | None, int | None]:
    """(exact, counted) administrations of a phase under the assumptions' counting rule; None when unknown."""
    if duration.count is not None:
        return float(duration.count), duration.count
    if frequency.count is not None:
        return float(frequency.count), frequency.count
    if not frequency.reported or not duration.reported:
        return None, None
    if frequency.every is None:
        return 1.0, 1
    if duration.span is None:
        return None, None
    periods = span_days(duration.span, assumptions) / period_days(frequency, assumptions)
    exact = periods * frequency.times
    if assumptions.partial_periods == "drop":
        return exact, int(math.floor(periods + 1e-9) * frequency.times + 1e-9)
    return exact, int(math.floor(exact + 1e-9))


def note_unknowns(figures: PhaseFigures) -> None:
    """Say why each figure that needs a value not reported cannot be computed."""
    why = figures.not_computable
    if not figures.dose.reported:
        why.setdefault("dose", "not computable: dose not reported")
    if figures.count is None and not figures.duration.until:
        if figures.dose.period is not None and not figures.frequency.reported:
            why.setdefault("administrations", "not given: the dose is a total per period")
        elif not figures.frequency.reported:
            why.setdefault("administrations", "not computable: frequency not reported")
        elif not figures.duration.reported:
            why.setdefault("administrations", "not computable: duration not reported")
    if figures.days is None and not figures.duration.until:
        why.setdefault("duration", "not computable: " + (
            "duration not reported" if not figures.duration.reported else "interval between doses not reported"
        ))
    if figures.gap_days is None:
        why.setdefault("gap", "not computable: gap before this phase not reported")
    if figures.phase.infusion_time and figures.infusion_time is None:
        why.setdefault("infusion_rate", "not computable: infusion time not reported")


def fill_amounts(figures: PhaseFigures, assumptions: CalendarAssumptions) -> None:
    """Cumulative dose, dose per week and infusion rate, where the inputs allow them (per kg or m² without the size)."""
    ureg = unit_registry()
    dose, given = figures.per_dose, figures.dose
    if given.period is not None and given.amount is not None:
        fill_period_amounts(figures, assumptions)
    elif dose is not None:
        if figures.count is not None:
            figures.cumulative = dose * figures.count
        period = period_days(figures.frequency, assumptions)
        if period:
            figures.per_week = dose * (figures.frequency.times * 7 / period) / ureg.week
    elif given.amount is not None and given.basis in {"weight", "area"}:
        per_size = given.amount
        if figures.count is not None:
            figures.per_size_cumulative = per_size * figures.count
        period = period_days(figures.frequency, assumptions)
        if period:
            figures.per_size_per_week = per_size * (figures.frequency.times * 7 / period) / ureg.week
    if dose is not None and figures.infusion_time is not None:
        figures.rate = (dose / figures.infusion_time).to(dose.units / ureg.minute)
    if figures.cumulative is None and "cumulative" not in figures.not_computable:
        reason = cumulative_blocker(figures)
        if reason:
            figures.not_computable["cumulative"] = reason
    if figures.days is not None and 0 < figures.days < 7 and figures.per_week is not None:
        # A 3-day pulse of 1 g a day is not "7 g/week": a rate over a week it never lasted misleads.
        figures.per_week = figures.per_size_per_week = None
        figures.not_computable["dose_per_week"] = "the phase lasts less than a week"


def cumulative_blocker(figures: PhaseFigures) -> str:
    """Why the cumulative dose cannot be given: the length first, then the count, then the dose."""
    why = figures.not_computable
    if figures.days is None and not figures.duration.until and figures.dose.period is not None:
        return why.get("duration", "not computable: duration not reported")
    if figures.count is None and not figures.duration.until and figures.dose.period is None:
        return why.get("administrations", "")
    return why.get("dose", "")


def fill_period_amounts(figures: PhaseFigures, assumptions: CalendarAssumptions) -> None:
    """A total per period ("40 mg/day"): cumulative over the phase's days, and per week."""
    ureg = unit_registry()
    per_day = figures.dose.amount / span_days(figures.dose.period, assumptions)
    if figures.size is None:  # per kg or per m², the body size not reported
        if figures.days is not None:
            figures.per_size_cumulative = per_day * figures.days
        figures.per_size_per_week = per_day * 7 / ureg.week
        return
    given = (per_day * figures.size).to(mass_unit_of(per_day)) if figures.size.dimensionality else per_day
    if figures.days is not None:
        figures.cumulative = given * figures.days
    figures.per_week = given * 7 / ureg.week
