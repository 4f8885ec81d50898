"""Tapers: a dose falling from its first value to its last, by a stated rule or none.

"linear" falls a little each administration (N × (first + last) / 2); a step rule ("10 mg
weekly") holds each level for one step period; with no rule the cumulative dose is the range
any steady taper allows, [first + (N − 1) × last, (N − 1) × first + last].
"""

from __future__ import annotations

import re
from typing import Any

from caseletter.case.model import Phase
from caseletter.dosing.bodysize import BodySize
from caseletter.dosing.figures import PhaseFigures
from caseletter.dosing.quantities import Dose, parse_dose, parse_frequency, period_days
from caseletter.dosing.units import CalendarAssumptions, mass_unit_of, span_days, unit_registry
from caseletter.errors import BadDoseUnit

LINEAR = {"linear", "daily linear", "linear daily"}


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
