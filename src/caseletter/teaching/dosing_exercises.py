"""The tutorial's dosing exercises: the cumulative dose, the gap on the timeline, a broken regimen.

Each verdict comes from the kit's own dosing stage on the example case, so what the learner is
told is what the kit computes for their own case.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from caseletter.case.source import load_case
from caseletter.errors import CaseletterError
from caseletter.teaching.exercises import EXAMPLE_CASE, Verdict, is_unanswered

#: Exercise 3's regimen: the example's drug and dose on another schedule, so that its total is
#: not the one printed in the example's dosing table just above the exercise.
SCHEDULE_TO_WORK_OUT = {"dose": "12.5 g", "frequency": "twice weekly", "duration": "6 months"}


def judge_cumulative_dose(answer: Any, case_path: Path | str = EXAMPLE_CASE) -> Verdict:
    """Exercise 3's schedule, as the dosing stage computes it."""
    if is_unanswered(answer):
        return Verdict(False, "no answer yet.", "the exercise cell: replace None with the total in grams.")
    phase = computed_phase(SCHEDULE_TO_WORK_OUT, case_path)
    grams = read_grams(answer)
    if grams is None:
        return Verdict(
            False,
            f"{answer!r} is not a dose.",
            "the exercise cell: give a number of grams, e.g. 500, or a string with a unit, e.g. '500 g'.",
        )
    expected = phase.cumulative.to("g").magnitude
    per_dose = phase.per_dose.to("g").magnitude
    if math.isclose(grams, expected, rel_tol=1e-3):
        return Verdict(
            True,
            f"{phase.count} infusions of {per_dose:g} g make {expected:g} g; the kit's dosing stage says the same.",
        )
    return Verdict(
        False, f"{grams:g} g is {grams / per_dose:.4g} infusions of {per_dose:g} g.", dose_hint(grams, per_dose, phase)
    )


def computed_phase(phase: dict[str, str], case_path: Path | str = EXAMPLE_CASE):
    """One phase as the dosing stage computes it for the example patient."""
    from caseletter.case.model import Phase
    from caseletter.dosing.compute import BodySize, compute_phase
    from caseletter.dosing.units import CalendarAssumptions

    case = load_case(case_path)
    return compute_phase(Phase.model_validate(phase), "phase", True, BodySize(case, "phase"), CalendarAssumptions())


def dose_hint(grams: float, per_dose: float, phase) -> str:
    """Name the usual slip behind a wrong cumulative dose."""
    if math.isclose(grams, per_dose * phase.exact_count, rel_tol=1e-3):
        return (
            f"the count: {phase.exact_count:.4g} infusions is not a whole number; "
            f"nobody gets {phase.exact_count % 1:.2g} of an infusion, so round down."
        )
    weeks_if_4_per_month = 4 * phase.duration.span.value if phase.duration.span else None
    if weeks_if_4_per_month and math.isclose(
        grams, per_dose * phase.frequency.times * weeks_if_4_per_month, rel_tol=1e-3
    ):
        return "the length of a month: it is 30.44 days (365.25 / 12), a little over 4 weeks, not 4 weeks."
    return (
        "the three steps: days in the course (a month is 30.44 days), weeks (days / 7), "
        f"infusions (weeks × {phase.frequency.times:g}, rounded down), grams (infusions × dose)."
    )


def read_grams(answer: Any) -> float | None:
    """A number of grams from 1300, 1300.0, '1300 g' or '1.3 kg'; None when it is not a dose."""
    if isinstance(answer, bool) or is_unanswered(answer):
        return None
    if isinstance(answer, (int, float)):
        return float(answer)
    from caseletter.dosing.units import unit_registry

    try:
        quantity = unit_registry().Quantity(str(answer))
        return float(quantity.to("g").magnitude) if not quantity.dimensionless else float(quantity.magnitude)
    except Exception:
        return None


def example_regimens(case_path: Path | str = EXAMPLE_CASE) -> list:
    """The example's regimens as the dosing stage computes them (phases with counts and doses)."""
    from caseletter.dosing.compute import compute_dosing

    return compute_dosing(load_case(case_path), Path(case_path)).regimens


def judge_gap(answer: Any, case_path: Path | str = EXAMPLE_CASE) -> Verdict:
    """Months between the end of the first course and the start of the second."""
    if is_unanswered(answer):
        return Verdict(False, "no answer yet.", "the exercise cell: replace None with a number of months.")
    end, start = treatment_gap(case_path)
    if isinstance(answer, bool) or not isinstance(answer, (int, float)):
        return Verdict(False, f"{answer!r} is not a number of months.", "the exercise cell: write a number, e.g. 2.")
    if math.isclose(answer, start - end, abs_tol=0.05):
        return Verdict(
            True,
            f"infusions stopped at {end:g} months and resumed at {start:g} months: "
            f"{start - end:g} month{'s' if start - end != 1 else ''} without treatment.",
        )
    if math.isclose(answer, end, abs_tol=0.05) or math.isclose(answer, start, abs_tol=0.05):
        return Verdict(
            False,
            f"{answer:g} months is a point on the axis, not a gap.",
            "where the first bar ends and where the second begins, and subtract.",
        )
    return Verdict(
        False,
        f"{answer:g} months is not the gap between the two bars.",
        "the two treatment bars of the timeline: where the first ends and where the second begins.",
    )


def treatment_gap(case_path: Path | str = EXAMPLE_CASE) -> tuple[float, float]:
    """(end of the first regimen, start of the second), in months from presentation."""
    from caseletter.dosing.quantities import parse_time_point
    from caseletter.dosing.units import CalendarAssumptions, span_days

    case, calendar = load_case(case_path), CalendarAssumptions()
    first, second = case.interventions[0], case.interventions[1]
    days = span_days(parse_time_point(first.start, "start"), calendar)
    days += sum(p.days or 0 for p in example_regimens(case_path)[0].phases)
    resumed = span_days(parse_time_point(second.start, "start"), calendar)
    return round(days / calendar.month_days, 2), round(resumed / calendar.month_days, 2)


def judge_regimen(phase: Any, case_path: Path | str = EXAMPLE_CASE) -> Verdict:
    """The repaired phase must read, and match the example's initial course."""
    from pydantic import ValidationError

    from caseletter.case.model import Phase
    from caseletter.dosing.compute import BodySize, compute_phase
    from caseletter.dosing.units import CalendarAssumptions

    try:
        parsed = Phase.model_validate(phase)
    except ValidationError:
        return Verdict(
            False,
            f"{phase!r} is not a phase.",
            "the exercise cell: `phase` is a dict with the keys dose, frequency and duration, each a string.",
        )
    case = load_case(case_path)
    try:
        figures = compute_phase(parsed, "phase", True, BodySize(case, "phase"), CalendarAssumptions())
    except CaseletterError as exc:
        return Verdict(False, "the kit cannot read the phase yet.", f"the kit's message: {exc.message}")
    target = example_regimens(case_path)[0].phases[0]
    if (
        figures.count == target.count
        and figures.cumulative is not None
        and math.isclose(figures.cumulative.to("g").magnitude, target.cumulative.to("g").magnitude)
    ):
        return Verdict(
            True,
            f"the kit reads it as {figures.count} infusions, {figures.cumulative.to('g').magnitude:g} g in all, "
            "as in the example's initial course.",
        )
    return Verdict(
        False,
        f"it reads, but gives {figures.count} infusions, not the {target.count} of the initial course.",
        "each value beside the example's: 12.5 g, 3 times weekly, 8 months.",
    )

