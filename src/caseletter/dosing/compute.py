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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from caseletter.case.model import Case, Phase, Regimen
from caseletter.dosing.quantities import (
    Dose,
    Duration,
    Frequency,
    parse_body_size,
    parse_dose,
    parse_duration,
    parse_frequency,
    parse_infusion_time,
)
from caseletter.dosing.units import CalendarAssumptions, format_quantity, mosteller_bsa, span_days, unit_registry
from caseletter.errors import MissingBodySize

ROUTES = {
    "iv": "iv", "intravenous": "iv", "intravenously": "iv", "po": "oral", "oral": "oral", "by mouth": "oral",
    "sc": "sc", "subcutaneous": "sc", "im": "im", "intramuscular": "im",
}


@dataclass
class PhaseFigures:
    """The computed quantities of one phase (pint quantities, or None where not computable)."""

    where: str
    dose: Dose
    frequency: Frequency
    duration: Duration
    phase: Phase
    per_dose: Any = None
    infusion_time: Any = None
    days: float | None = None
    exact_count: float | None = None
    count: int | None = None
    cumulative: Any = None
    per_week: Any = None
    rate: Any = None


@dataclass
class RegimenFigures:
    """A regimen with its computed phases; `where` is its path in the case file."""

    regimen: Regimen
    where: str
    is_case: bool
    phases: list[PhaseFigures]


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
    regimens = [
        compute_regimen(r, f"{case_path}, interventions[{i}]", True, body, assumptions)
        for i, r in enumerate(case.interventions)
    ]
    regimens += [
        compute_regimen(r, f"{case_path}, dosing.literature[{i}]", False, body, assumptions)
        for i, r in enumerate(case.dosing.literature)
    ]
    notes += body.notes + rounding_notes(regimens)
    return DosingReport(regimens, find_unit_slips(regimens, body), notes, assumptions)


def rounding_notes(regimens: list[RegimenFigures]) -> list[str]:
    """One note per phase whose administrations were rounded, with the exact figure."""
    notes = []
    for regimen in regimens:
        name = regimen.regimen.label or f"{regimen.regimen.route} {regimen.regimen.drug}"
        for i, phase in enumerate(regimen.phases, start=1):
            if phase.exact_count is not None and abs(phase.exact_count - phase.count) > 1e-6:
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


def compute_regimen(
    regimen: Regimen, where: str, is_case: bool, body: BodySize, assumptions: CalendarAssumptions
) -> RegimenFigures:
    """Read and compute each phase of one regimen."""
    phases = [
        compute_phase(p, f"{where}.phases[{i}]", is_case, body, assumptions) for i, p in enumerate(regimen.phases)
    ]
    return RegimenFigures(regimen, where, is_case, phases)


def compute_phase(
    phase: Phase, where: str, is_case: bool, body: BodySize, assumptions: CalendarAssumptions
) -> PhaseFigures:
    """Parse one phase and derive its counts, totals and rates."""
    figures = PhaseFigures(
        where=where,
        dose=parse_dose(phase.dose, f"{where}.dose"),
        frequency=parse_frequency(phase.frequency, f"{where}.frequency"),
        duration=parse_duration(phase.duration, phase.until, f"{where}.duration"),
        phase=phase,
        infusion_time=parse_infusion_time(phase.infusion_time, f"{where}.infusion_time"),
    )
    figures.per_dose = dose_per_administration(figures.dose, f"{where}.dose", is_case, body)
    figures.days = phase_days(figures.frequency, figures.duration, assumptions)
    figures.exact_count, figures.count = count_administrations(figures.frequency, figures.duration, assumptions)
    fill_amounts(figures, assumptions)
    return figures


def dose_per_administration(dose: Dose, where: str, is_case: bool, body: BodySize) -> Any:
    """The amount given each time: this case's mg/kg and mg/m² doses become absolute."""
    if dose.amount is None or dose.basis == "absolute" or not is_case:
        return dose.amount
    mass_unit = next(name for name, power in dose.amount.unit_items() if power > 0)
    needed_by = f'{where.split(", ", 1)[-1]} ("{dose.text}")'
    size = body.weight(needed_by) if dose.basis == "weight" else body.bsa(needed_by)
    return (dose.amount * size).to(mass_unit)


def period_days(frequency: Frequency, assumptions: CalendarAssumptions) -> float | None:
    """Days in one dosing period ('weekly' → 7), None for a single dose."""
    return None if frequency.every is None else span_days(frequency.every, assumptions)


def phase_days(frequency: Frequency, duration: Duration, assumptions: CalendarAssumptions) -> float | None:
    """The phase's length in days; None when it is open-ended (until an event)."""
    if duration.span is not None:
        return span_days(duration.span, assumptions)
    period = period_days(frequency, assumptions)
    if duration.count is not None:
        return duration.count * period / frequency.times if period else 0.0
    return None if duration.until else 0.0


def count_administrations(
    frequency: Frequency, duration: Duration, assumptions: CalendarAssumptions
) -> tuple[float | None, int | None]:
    """(exact, counted) administrations of a phase under the assumptions' counting rule."""
    if duration.count is not None:
        return float(duration.count), duration.count
    if frequency.every is None:
        return 1.0, 1
    if duration.span is None:
        return None, None
    periods = span_days(duration.span, assumptions) / period_days(frequency, assumptions)
    exact = periods * frequency.times
    if assumptions.partial_periods == "drop":
        return exact, int(math.floor(periods + 1e-9) * frequency.times + 1e-9)
    return exact, int(math.floor(exact + 1e-9))


def fill_amounts(figures: PhaseFigures, assumptions: CalendarAssumptions) -> None:
    """Cumulative dose, dose per week and infusion rate, where the inputs allow them."""
    ureg = unit_registry()
    dose = figures.per_dose
    if dose is None:
        return
    if figures.count is not None:
        figures.cumulative = dose * figures.count
    period = period_days(figures.frequency, assumptions)
    if period:
        figures.per_week = dose * (figures.frequency.times * 7 / period) / ureg.week
    if figures.infusion_time is not None:
        figures.rate = (dose / figures.infusion_time).to(dose.units / ureg.minute)


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
