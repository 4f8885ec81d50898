"""Reading a regimen's strings as quantities: doses, frequencies, durations and times.

The case model keeps "12.5 g", "3 times weekly" and "8 months" exactly as the author typed
them. This module gives them meaning with pint, so that every unit conversion is pint's and
none is a table of our own. A string that cannot be read raises a `DosingError` subclass whose
message names the case file and the field, quotes the value and says what to write instead.

Months and years have no single length, so a parsed length of time stays a `Span` in the unit
it was written in (see `dosing.units`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

from caseletter.dosing.units import Span, parse_units, unit_registry
from caseletter.errors import BadDoseUnit, BadDuration, BadFrequency, BadTime, DosingError, MissingBodySize, cut

NUMBER = r"\d+(?:\.\d+)?"
NOT_STATED = {"not stated", "not reported", "unknown", "not given", "unstated"}
DOSE_FORMS = "A dose is a mass (12.5 g), a mass per body weight (2 mg/kg) or a mass per body surface (375 mg/m2)"


@dataclass(frozen=True)
class Dose:
    """A dose per administration: `amount` is None when the case says it was not stated."""

    text: str
    amount: Any  # pint.Quantity, or None
    basis: Literal["absolute", "weight", "area", "unknown"]


@dataclass(frozen=True)
class Frequency:
    """`times` administrations every `every`; `every` is None for a single dose."""

    text: str
    times: float
    every: Span | None


@dataclass(frozen=True)
class Duration:
    """A phase's length: a span of time, a number of administrations, or open (until an event)."""

    text: str
    span: Span | None = None
    count: int | None = None
    until: str | None = None


def quoted(text: str, limit: int = 80) -> str:
    """A value quoted in a message, cut short: an error names the value, it does not dump it."""
    return f'"{cut(" ".join(text.split()), limit)}"'


def refuse_comma(text: str, where: str, error: type[DosingError], example: str) -> None:
    """A comma is either a decimal comma or a thousands separator; guessing could be a 1000× error."""
    if "," in text:
        raise error(
            where,
            f'{quoted(text)} contains a comma, which could be a decimal comma or a thousands separator',
            f"Write the number with a decimal point and no separator, e.g. {example}.",
        )


def parse_dose(text: str, where: str) -> Dose:
    """Read a dose per administration: mass, mass per kg, mass per m², or volume × concentration."""
    clean = " ".join(text.split())
    if clean.lower() in NOT_STATED:
        return Dose(clean, None, "unknown")
    refuse_comma(clean, where, BadDoseUnit, '"12.5 g" or "1500 mg"')
    volume = re.fullmatch(rf"(?P<vol>.+?)\s+(?:of|at)\s+(?P<conc>{NUMBER}\s*\S+)", clean)
    if volume:
        return Dose(clean, _dose_from_volume(volume["vol"], volume["conc"], clean, where), "absolute")
    amount = _read_quantity(clean, where, BadDoseUnit, f'Write the number then the unit, e.g. "12.5 g". {DOSE_FORMS}.')
    return Dose(clean, amount, _dose_basis(amount, clean, where))


def _read_quantity(text: str, where: str, error: type[DosingError], todo: str) -> Any:
    match = re.fullmatch(rf"(?P<num>{NUMBER})\s*(?P<unit>\S.*)?", text)
    unit = parse_units(match["unit"]) if match and match["unit"] else None
    if unit is None:
        why = (
            f'{quoted(text)} has no unit'
            if match and not match["unit"]
            else f'{quoted(text)} is not a number followed by a unit pint knows'
        )
        raise error(where, why, todo)
    amount = unit_registry().Quantity(float(match["num"]), unit)
    if amount.magnitude <= 0:
        raise error(where, f'{quoted(text)} is not a positive amount', todo)
    return amount


def _dose_from_volume(volume_text: str, conc_text: str, text: str, where: str) -> Any:
    todo = 'Write a volume and a concentration, e.g. "50 mL of 250 mg/mL".'
    volume = _read_quantity(volume_text, where, BadDoseUnit, todo)
    conc = _read_quantity(conc_text, where, BadDoseUnit, todo)
    if not volume.check("[volume]") or not conc.check("[mass]/[volume]"):
        raise BadDoseUnit(where, f'{quoted(text)} is not a volume of a mass-per-volume concentration', todo)
    return (volume * conc).to(_mass_unit(conc))


def _mass_unit(amount: Any) -> str:
    """The mass unit in a quantity's numerator ('mg' for 375 mg/m2), kept for display."""
    for name, power in amount.unit_items():
        if power > 0 and unit_registry().Unit(name).dimensionality == unit_registry().get_dimensionality("[mass]"):
            return name
    return "g"


def _numerator_and_denominator(amount: Any, text: str, where: str) -> tuple[Any, Any]:
    """A dose's units split into what is given and what it is given per (mg and kg of mg/kg)."""
    import pint

    ureg = unit_registry()
    num = den = ureg.Quantity(1)
    try:
        for name, power in amount.unit_items():
            if power > 0:
                num = num * ureg.Quantity(1, name) ** power
            else:
                den = den * ureg.Quantity(1, name) ** -power
    except pint.errors.PintError:  # a temperature (°C) cannot be multiplied: no dose is one
        why = f"{quoted(text)} has no mass unit that can be given as a dose"
        raise BadDoseUnit(where, why, f"{DOSE_FORMS}.") from None
    return num, den


def _dose_basis(amount: Any, text: str, where: str) -> Literal["absolute", "weight", "area"]:
    """Classify a dose by the dimensions of its numerator and denominator."""
    num, den = _numerator_and_denominator(amount, text, where)
    if den.check("[time]") or "[time]" in den.dimensionality:
        raise BadDoseUnit(
            where,
            f'{quoted(text)} is a dose per unit of time, not a dose per administration',
            'Give the dose of one administration (e.g. "2 mg/kg") and write how often under frequency '
            f'(e.g. "once weekly"). {DOSE_FORMS}.',
        )
    if num.check("[volume]") and den.dimensionless:
        raise BadDoseUnit(
            where,
            f'{quoted(text)} is a volume, and no concentration is given',
            f"{DOSE_FORMS}. If the regimen is written in volume, "
            'give the concentration too, e.g. "50 mL of 250 mg/mL".',
        )
    if num.check("[mass]"):
        for basis, dims in (("absolute", None), ("weight", "[mass]"), ("area", "[length]**2")):
            if (dims is None and den.dimensionless) or (dims and den.check(dims)):
                return basis  # type: ignore[return-value]
    raise BadDoseUnit(where, f'{quoted(text)} has no mass unit that can be given as a dose', f"{DOSE_FORMS}.")


PERIODIC = {
    "hourly": "hour", "daily": "day", "nightly": "day", "weekly": "week", "fortnightly": "fortnight",
    "monthly": "month", "yearly": "year", "annually": "year",
}
TIMES = {"once": 1.0, "twice": 2.0, "thrice": 3.0}
ABBREVIATIONS = {
    "qd": (1, "day"), "od": (1, "day"), "bid": (2, "day"), "tid": (3, "day"), "qid": (4, "day"), "qw": (1, "week"),
    "qwk": (1, "week"),
}
SINGLE = {"once", "single dose", "one dose", "a single dose", "single"}
FREQUENCY_TODO = (
    'Write how many times per period, e.g. "3 times weekly", "once weekly", "twice daily", "every 2 weeks", '
    'or "single dose"'
)


def parse_frequency(text: str, where: str) -> Frequency:
    """Read a frequency such as '3 times weekly', 'twice daily', 'every 2 weeks' or 'q8h'."""
    clean = " ".join(text.lower().replace("×", " x ").split()).rstrip(".")
    if clean in SINGLE:
        return Frequency(text, 1.0, None)
    if re.search(rf"{NUMBER}\s*(?:-|–|to)\s*{NUMBER}", clean):
        raise BadFrequency(
            where,
            f'{quoted(text)} gives a range',
            f"Give the frequency actually used, as one value; put the range in the phase's note. {FREQUENCY_TODO}.",
        )
    found = _times_per_period(clean)
    if found is None:
        raise BadFrequency(where, f'{quoted(text)} is not a frequency the kit can read', f"{FREQUENCY_TODO}.")
    times, count, unit_text = found
    unit = parse_units(unit_text)
    if unit is None or not unit_registry().Quantity(1, unit).check("[time]") or times <= 0 or count <= 0:
        raise BadFrequency(where, f'{quoted(text)} does not name a period of time', f"{FREQUENCY_TODO}.")
    return Frequency(text, times, Span(count, str(unit)))


def _times_per_period(clean: str) -> tuple[float, float, str] | None:
    """(times, period count, period unit) for the frequency phrasings clinicians use."""
    times = rf"(?P<times>once|twice|thrice|{NUMBER}\s*(?:times|x))"
    match = re.fullmatch(rf"{times}\s*(?P<adj>[a-z]+ly)", clean)
    if match and match["adj"] in PERIODIC:
        return _times(match["times"]), 1.0, PERIODIC[match["adj"]]
    match = re.fullmatch(rf"{times}\s*(?:a|an|per|each|every|/|in)\s*(?P<n>{NUMBER})?\s*(?P<unit>[a-z]+)", clean)
    if match:
        return _times(match["times"]), float(match["n"] or 1), match["unit"]
    match = re.fullmatch(rf"(?:every|q)\s*(?P<n>{NUMBER}|other)?\s*(?P<unit>[a-z]+)", clean)
    if match and match["unit"] not in ABBREVIATIONS:
        return 1.0, 2.0 if match["n"] == "other" else float(match["n"] or 1), match["unit"]
    if clean in PERIODIC:
        return 1.0, 1.0, PERIODIC[clean]
    if clean in ABBREVIATIONS:
        times_n, unit = ABBREVIATIONS[clean]
        return float(times_n), 1.0, unit
    if clean in {"on alternate days", "alternate days"}:
        return 1.0, 2.0, "day"
    return None


def _times(word: str) -> float:
    return TIMES.get(word) or float(re.match(NUMBER, word).group())  # type: ignore[union-attr]


DURATION_TODO = (
    'Write a length of time such as "2 weeks", "3 months" or "8 months", '
    'a number of administrations such as "6 infusions", or leave duration out and give "until" (an end event)'
)


def parse_duration(duration: str | None, until: str | None, where: str) -> Duration:
    """Read a phase's duration; a phase with only `until` is open-ended, one with neither is an error."""
    if duration is None:
        if until:
            return Duration(f"until {until}", until=until)
        raise BadDuration(where, "the phase has neither a duration nor an end event (until)", f"{DURATION_TODO}.")
    clean = " ".join(duration.split())
    refuse_comma(clean, where, BadDuration, '"3 months"')
    if re.search(rf"{NUMBER}\s*(?:-|–|to)\s*{NUMBER}", clean):
        raise BadDuration(
            where, f'"{clean}" gives a range', f"Give the duration actually used, as one value. {DURATION_TODO}."
        )
    counted = re.fullmatch(
        r"(?P<n>\d+)\s*(?:doses?|infusions?|injections?|administrations?|treatments?|sessions?)", clean.lower()
    )
    if counted:
        return Duration(clean, count=int(counted["n"]))
    return Duration(clean, span=parse_span(clean, where, BadDuration, f"{DURATION_TODO}."))


def parse_span(text: str, where: str, error: type[DosingError], todo: str) -> Span:
    """Read 'N unit' as a positive length of time, keeping the unit as written."""
    match = re.fullmatch(rf"(?P<num>{NUMBER})\s*(?P<unit>[A-Za-z]+)", text.strip())
    unit = parse_units(match["unit"]) if match else None
    if unit is None or not unit_registry().Quantity(1, unit).check("[time]"):
        raise error(where, f'{quoted(text)} is not a length of time', todo)
    if float(match["num"]) <= 0:  # type: ignore[index]
        raise error(where, f'{quoted(text)} is not a positive length of time', todo)
    return Span(float(match["num"]), str(unit))  # type: ignore[index]


TIME_TODO = 'Write a time relative to presentation: "0", "3 months", "-10 years" (before presentation) or "2 weeks"'


def parse_time_point(text: str, where: str) -> Span:
    """Read a time relative to presentation ('0', '-10 years', '+3 months', '2 years before')."""
    clean = " ".join(text.lower().replace("−", "-").replace("–", "-").split())
    match = re.fullmatch(
        rf"(?P<sign>[-+])?\s*(?P<num>{NUMBER})\s*(?P<unit>[a-z]+)?(?:\s+(?P<dir>before|earlier|ago|after|later))?",
        clean,
    )
    if not match or (match["unit"] is None and float(match["num"]) != 0):
        raise BadTime(where, f'{quoted(text)} is not a relative time', f"{TIME_TODO}.")
    if match["unit"] is None:
        return Span(0.0, "day")
    span = parse_span(f'{match["num"]} {match["unit"]}', where, BadTime, f"{TIME_TODO}.")
    negative = (match["sign"] == "-") != (match["dir"] in {"before", "earlier", "ago"})
    return Span(-span.value if negative else span.value, span.unit)


def parse_infusion_time(text: str | None, where: str) -> Any:
    """An infusion time as a pint time quantity ('30 minutes', 'over 1 h'), or None."""
    if not text:
        return None
    clean = re.sub(r"^(?:over|during|in)\s+", "", " ".join(text.split()), flags=re.IGNORECASE)
    span = parse_span(
        clean, where, BadTime, 'Write the infusion time as a length of time, e.g. "30 minutes" or "1 hour".'
    )
    return unit_registry().Quantity(span.value, span.unit)


def parse_body_size(text: str, where: str, dimension: Literal["[mass]", "[length]"]) -> Any:
    """Read the patient's weight ('68 kg', '150 lb') or height ('165 cm', '1.65 m')."""
    example = '"68 kg"' if dimension == "[mass]" else '"165 cm"'
    clean = " ".join(text.split())
    refuse_comma(clean, where, MissingBodySize, example)
    amount = _read_quantity(clean, where, MissingBodySize, f"Write a number and a unit, e.g. {example}.")
    if not amount.check(dimension):
        kind = "weight (a mass)" if dimension == "[mass]" else "height (a length)"
        raise MissingBodySize(where, f'{quoted(text)} is not a {kind}', f"Write it with a unit, e.g. {example}.")
    return amount
