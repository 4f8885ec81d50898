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
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from caseletter.case.model import Case, Phase, Regimen
from caseletter.dosing.quantities import (
    Dose,
    Duration,
    Frequency,
    Span,
    is_not_reported,
    parse_body_size,
    parse_dose,
    parse_duration,
    parse_frequency,
    parse_infusion_time,
    parse_span,
    parse_start,
    parse_time_point,
)
from caseletter.dosing.units import CalendarAssumptions, format_quantity, mosteller_bsa, span_days, unit_registry
from caseletter.errors import BadDoseUnit, BadDuration, CaseletterError, MissingBodySize

ROUTES = {
    "iv": "iv", "intravenous": "iv", "intravenously": "iv", "po": "oral", "oral": "oral", "by mouth": "oral",
    "sc": "sc", "subcutaneous": "sc", "im": "im", "intramuscular": "im",
}


@dataclass
class PhaseFigures:
    """The computed quantities of one phase (pint quantities, or None where not computable).

    `not_computable` says, figure by figure, why one is missing ("no body weight reported"), so
    the table, the check and the JSON say it in the same words. Without the body size a weight-
    or surface-based dose keeps its figures per kg or per m² (`per_size_*`).
    """

    where: str
    dose: Dose
    frequency: Frequency
    duration: Duration
    phase: Phase
    drug: str = ""
    route: str = ""
    per_dose: Any = None
    infusion_time: Any = None
    days: float | None = None
    exact_count: float | None = None
    count: int | None = None
    cumulative: Any = None
    cumulative_range: tuple[Any, Any] | None = None  # a taper whose rule the source does not give
    per_week: Any = None
    rate: Any = None
    per_size_cumulative: Any = None
    per_size_per_week: Any = None
    taper_to: Dose | None = None
    gap_days: float | None = 0.0  # None: the gap before this phase was not reported
    size: Any = None  # the body size a dose per kg or m² is multiplied by (1 when it needs none; None unknown)
    not_computable: dict[str, str] = field(default_factory=dict)


@dataclass
class RegimenFigures:
    """A regimen with its computed phases; `where` is its path in the case file.

    `start_days` is None when the start is not reported; `length_days` is the regimen's whole
    length (gaps included), None when a part of it is not known or it is still going on.
    """

    regimen: Regimen
    where: str
    is_case: bool
    phases: list[PhaseFigures]
    start_days: float | None = 0.0
    length_days: float | None = None


@dataclass
class DosingReport:
    """What `compute_dosing` found: every regimen's figures, warnings, notes and the assumptions used."""

    regimens: list[RegimenFigures]
    warnings: list[str]
    notes: list[str]
    assumptions: CalendarAssumptions = field(default_factory=CalendarAssumptions)


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


class BodySize:
    """The patient's weight, height and Mosteller BSA, read only when a dose needs them."""

    def __init__(self, case: Case, case_path: str) -> None:
        self.patient = case.patient
        self.case_path = case_path
        self.notes: list[str] = []

    def weight(self, needed_by: str) -> Any:
        """The weight as a pint mass; raise naming patient.weight when it is missing."""
        where = f"{self.case_path}, patient.weight"
        if not self.patient.weight:
            raise MissingBodySize(
                where,
                f"{needed_by} is a weight-based dose, but the case gives no weight",
                "Add the patient's weight under patient, e.g. `weight: 68 kg`.",
            )
        return parse_body_size(self.patient.weight, where, "[mass]")

    def height(self, needed_by: str) -> Any:
        """The height as a pint length; raise naming patient.height when it is missing."""
        where = f"{self.case_path}, patient.height"
        if not self.patient.height:
            raise MissingBodySize(
                where,
                f"{needed_by} is a dose per body surface, and body surface needs a height, but the case gives none",
                "Add the patient's height under patient, e.g. `height: 165 cm`.",
            )
        return parse_body_size(self.patient.height, where, "[length]")

    def bsa(self, needed_by: str) -> Any:
        """Mosteller body surface area; the note under the table shows its arithmetic."""
        weight, height = self.weight(needed_by), self.height(needed_by)
        bsa = mosteller_bsa(weight, height)
        note = f"Body surface area (Mosteller): √({height:~P} × {weight:~P} / 3600) = {bsa.magnitude:.3g} m²."
        if note not in self.notes:
            self.notes.append(note)
        return bsa

    def weight_or_none(self) -> Any:
        """The weight if the case gives one, for comparing with mg/kg literature doses."""
        return self.weight("") if self.patient.weight else None

    def missing_for(self, basis: str) -> str:
        """What the case lacks for a dose of this basis ("" when nothing): never a value to invent."""
        if basis == "weight" and not self.patient.weight:
            return "no body weight reported"
        if basis == "area" and not (self.patient.weight and self.patient.height):
            lacking = [n for n, v in (("weight", self.patient.weight), ("height", self.patient.height)) if not v]
            return f"no body {' or '.join(lacking)} reported, and body surface needs both"
        return ""


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


LINEAR = {"linear", "daily linear", "linear daily"}


def read_duration(phase: Phase, frequency: Frequency, where: str) -> Duration:
    """The phase's duration; a taper in stated steps takes its length from them when none is given."""
    rule = (phase.taper_step or "").strip().lower()
    if rule and rule not in LINEAR and not is_stepped(rule):
        raise_unreadable_rule(phase, where.rsplit(".", 1)[0])
    if phase.duration is None and not phase.until and is_stepped(phase.taper_step):
        return Duration("set by the taper's steps")
    return parse_duration(phase.duration, phase.until, where, frequency)


def is_stepped(rule: str | None) -> bool:
    """True for a taper rule of steps ("10 mg weekly"), not "linear"."""
    return bool(rule) and bool(re.match(r"^\s*\d", rule))


def read_taper_end(phase: Phase, dose: Dose, where: str) -> Dose | None:
    """A taper's last dose, in the same kind of amount as its first."""
    if not phase.taper_to:
        if phase.taper_step:
            raise BadDoseUnit(
                f"{where.rsplit('.', 1)[0]}.taper_step",
                f'a taper rule ("{phase.taper_step}") is given, but no last dose',
                'Give the taper\'s last dose under taper_to, e.g. taper_to: "20 mg"; the first is the phase\'s dose.',
            )
        return None
    end = parse_dose(phase.taper_to, where)
    if not end.reported:
        return end  # tapered to a dose the source does not give: the count stands, the total cannot
    if not dose.reported or end.basis != dose.basis or dose.period is not None:
        raise BadDoseUnit(
            where, f'a taper from "{dose.text}" to "{end.text}" cannot be read',
            'Give the first dose under dose and the last under taper_to, both per administration and of one '
            'kind, e.g. dose: "60 mg", taper_to: "20 mg".',
        )
    return end


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


def short_unit(name: str) -> str:
    """'g' for 'gram', 'IU' for 'international_unit': the symbol a table prints."""
    return f"{unit_registry().Unit(name):~}"


def mass_unit_of(amount: Any) -> str:
    """The unit of what is given (mg of mg/kg, IU of IU/kg)."""
    return next(name for name, power in amount.unit_items() if power > 0)


def period_days(frequency: Frequency, assumptions: CalendarAssumptions) -> float | None:
    """Days in one dosing period ('weekly' → 7), None for a single dose."""
    return None if frequency.every is None else span_days(frequency.every, assumptions)


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


def fill_taper(figures: PhaseFigures, is_case: bool, body: BodySize, assumptions: CalendarAssumptions) -> None:
    """A taper's cumulative dose: by its rule when the source gives one, else the range any steady taper allows."""
    first, last = figures.per_dose, taper_amount(figures, is_case, body)
    rule = (figures.phase.taper_step or "").strip().lower()
    figures.per_week = None  # no single weekly dose: the mean over the taper is in the total line
    if not figures.taper_to.reported:
        figures.cumulative = None
        figures.not_computable["cumulative"] = "not computable: the taper's last dose is not reported"
        return
    if first is None or last is None:
        return
    last = last.to(first.units)
    if is_stepped(rule):
        fill_stepped_taper(figures, first, last, rule, assumptions)
        return
    n = figures.count
    if n is None:
        return
    if rule in LINEAR:
        figures.cumulative = (first + last) * n / 2
        return
    figures.cumulative = None
    figures.cumulative_range = (first + last * (n - 1), first * (n - 1) + last) if n > 1 else (first, first)
    figures.not_computable["cumulative"] = "a range: the taper's rule is not reported"


def taper_amount(figures: PhaseFigures, is_case: bool, body: BodySize) -> Any:
    """The taper's last dose per administration, converted like the first."""
    end = figures.taper_to
    if end.amount is None:
        return None
    if end.basis == "absolute" or not is_case:
        return end.amount
    if body.missing_for(end.basis):
        return None
    size = body.weight("taper_to") if end.basis == "weight" else body.bsa("taper_to")
    return (end.amount * size).to(mass_unit_of(end.amount))


def fill_stepped_taper(
    figures: PhaseFigures, first: Any, last: Any, rule: str, assumptions: CalendarAssumptions
) -> None:
    """Steps of a stated size every stated period ("10 mg weekly"): each level for one step period."""
    match = re.fullmatch(r"(?P<step>\d+(?:\.\d+)?\s*[a-zA-Zµμ]+(?:/\w+)?)\s+(?P<period>.+)", rule)
    period = parse_frequency(match["period"], f"{figures.where}.taper_step") if match else None
    if not match or period is None or period.every is None:
        raise_unreadable_rule(figures.phase, figures.where)
    step = unit_registry().Quantity(match["step"]).to(first.units)
    levels = taper_levels(first, last, step)
    dosing_period = period_days(figures.frequency, assumptions)
    per_level = span_days(period.every, assumptions) / dosing_period * figures.frequency.times
    figures.count = int(round(per_level * len(levels)))
    figures.exact_count = per_level * len(levels)
    figures.days = span_days(period.every, assumptions) * len(levels)
    figures.cumulative = sum((level * per_level for level in levels[1:]), levels[0] * per_level)


def raise_unreadable_rule(phase: Phase, where: str) -> None:
    """A taper rule the kit cannot read: what it accepts, and to leave it out when the source is silent."""
    raise BadDoseUnit(
        f"{where}.taper_step", f'"{phase.taper_step}" is not a taper rule the kit can read',
        'Write "linear" (a little less each time), or the step and how often it is taken, e.g. "10 mg weekly"; '
        "leave it out when the source does not say (the cumulative dose is then given as a range).",
    )


def taper_levels(first: Any, last: Any, step: Any) -> list[Any]:
    """first, first − step, ... down to last (or up, for a rising schedule), last included."""
    direction = -1 if last < first else 1
    levels, level = [], first
    while (level - last).magnitude * direction <= 1e-9:
        levels.append(level)
        level = level + step * direction
    if abs((levels[-1] - last).magnitude) > 1e-9:
        levels.append(last)
    return levels


def find_unit_slips(regimens: list[RegimenFigures], body: BodySize) -> list[str]:
    """Warn when this case's dose is 10 times or more away from every cited dose of its drug and route."""
    literature = [r for r in regimens if not r.is_case]
    warnings = []
    for regimen in (r for r in regimens if r.is_case):
        cited = [p for r in literature if same_drug_and_route(r.regimen, regimen.regimen) for p in r.phases]
        for phase in regimen.phases:
            warning = describe_slip(regimen.regimen, phase, cited, body)
            if warning:
                warnings.append(warning)
    return warnings


def same_drug_and_route(a: Regimen, b: Regimen) -> bool:
    """Compare drug names case-insensitively and routes through common synonyms (IV = intravenous)."""
    def route(r: Regimen) -> str:
        return ROUTES.get(r.route.strip().lower(), r.route.strip().lower())

    return a.drug.strip().lower() == b.drug.strip().lower() and route(a) == route(b)


def describe_slip(regimen: Regimen, phase: PhaseFigures, cited: list[PhaseFigures], body: BodySize) -> str:
    """The warning for one phase, or "" when some cited dose is within a factor of 10."""
    ours = phase.per_dose
    if ours is None:
        return ""
    theirs = [q for q in (comparable_dose(p, ours, body) for p in cited) if q is not None]
    if not theirs:
        return ""
    ratios = [ours.to(q.units).magnitude / q.magnitude for q in theirs]
    if any(0.1 < r < 10 for r in ratios):
        return ""
    listed = ", ".join(sorted({format_quantity(q) for q in theirs}))
    size = (
        "10 or more times"
        if min(ratios) >= 10
        else "a tenth or less of" if max(ratios) <= 0.1 else "10-fold or more away from"
    )
    return (f'{phase.where}.dose: "{phase.dose.text}" is {size} every cited dose of '
            f"{regimen.route} {regimen.drug} ({listed}). Check for a mg/g slip.")


def comparable_dose(cited: PhaseFigures, ours: Any, body: BodySize) -> Any:
    """A cited dose in units comparable with ours, via the patient's weight for mg/kg; else None."""
    dose = cited.per_dose
    if dose is None:
        return None
    if (
        dose.dimensionality != ours.dimensionality
        and cited.dose.basis == "weight"
        and body.weight_or_none() is not None
    ):
        mass_unit = next(name for name, power in dose.unit_items() if power > 0)
        dose = (dose * body.weight_or_none()).to(mass_unit)
    return dose if dose.dimensionality == ours.dimensionality else None
