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

from caseletter.dosing.units import CalendarAssumptions, Span, parse_units, span_days, unit_registry
from caseletter.errors import BadDoseUnit, BadDuration, BadFrequency, BadTime, DosingError, MissingBodySize, cut

NUMBER = r"\d+(?:\.\d+)?"
#: "not reported" is the documented spelling; the others are what authors also write.
NOT_REPORTED = "not reported"
NOT_STATED = {"not stated", NOT_REPORTED, "unknown", "not given", "unstated", "not available", "n/a", "nr"}
DOSE_FORMS = (
    "A dose is a mass (12.5 g), a mass per body weight (2 mg/kg) or per body surface (375 mg/m2), international "
    "units (10 IU), an amount of substance (20 mmol), a volume of a concentration (50 mL of 250 mg/mL), a total per "
    'period (40 mg/day, 1 g/kg/day, 30 g per week), or "not reported"'
)
PERIOD_WORDS = {
    "d": "day", "day": "day", "days": "day", "wk": "week", "w": "week", "week": "week", "weeks": "week",
    "mo": "month", "month": "month", "months": "month", "h": "hour", "hr": "hour", "hour": "hour",
}


def is_not_reported(text: str | None) -> bool:
    """True for "not reported" and the other ways a case says the source did not give a value."""
    return text is not None and " ".join(text.lower().split()).rstrip(".") in NOT_STATED


@dataclass(frozen=True)
class Dose:
    """A dose per administration, or a total per `period` ("40 mg/day"); `amount` is None when not reported."""

    text: str
    amount: Any  # pint.Quantity, or None
    basis: Literal["absolute", "weight", "area", "unknown"]
    period: Span | None = None  # set for a total per period: amount is given every `period`

    @property
    def reported(self) -> bool:
        """False when the case says the source did not give the dose."""
        return self.amount is not None


@dataclass(frozen=True)
class Frequency:
    """`times` administrations every `every`; `every` is None for a single dose.

    `count` is set when the frequency itself says how many were given ("weekly × 4", "twice, 2
    weeks apart"); `reported` is False for "not reported", and for a total per period given
    with no frequency at all.
    """

    text: str
    times: float
    every: Span | None
    count: int | None = None
    reported: bool = True


@dataclass(frozen=True)
class Duration:
    """A phase's length: a span of time, a number of administrations, or open (until an event)."""

    text: str
    span: Span | None = None
    count: int | None = None
    until: str | None = None
    reported: bool = True


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
    """Read a dose per administration or a total per period ("40 mg/day"), or "not reported".

    Per administration: a mass, per kg, per m², IU, mmol, or a volume of a concentration.
    """
    clean = " ".join(text.split())
    if is_not_reported(clean):
        return Dose(clean, None, "unknown")
    refuse_comma(clean, where, BadDoseUnit, '"12.5 g" or "1500 mg"')
    readable = units_as_iu(clean)
    volume = re.fullmatch(rf"(?P<vol>.+?)\s+(?:of|at)\s+(?P<conc>{NUMBER}\s*\S+)", readable)
    if volume:
        return Dose(clean, _dose_from_volume(volume["vol"], volume["conc"], clean, where), "absolute")
    per_period = split_period(readable)
    amount_text, period = per_period if per_period else (readable, None)
    todo = f"Write the number then the unit, e.g. {example_like(clean)}. {DOSE_FORMS}."
    amount = _read_quantity(amount_text, where, BadDoseUnit, todo)
    return Dose(clean, amount, _dose_basis(amount, clean, where), period)


def units_as_iu(text: str) -> str:
    """'10 units' and '5000 U/kg' in international units: 'units' alone would read as a unit of luminance."""
    return re.sub(r"(?<=\d)\s*(?:units?|U)\b", " IU", text)


def split_period(text: str) -> tuple[str, Span] | None:
    """('1 g/kg', 1 day) from '1 g/kg/day', ('30 g', 1 week) from '30 g per week'; None when per administration."""
    match = re.fullmatch(
        rf"(?P<amount>.+?)\s*(?:/|\bper\b|\ba\b|\beach\b|\bevery\b)\s*(?P<n>{NUMBER})?\s*(?P<unit>[a-z]+)\.?",
        text, re.IGNORECASE,
    )
    if not match or match["unit"].lower() not in PERIOD_WORDS:
        return None
    return match["amount"], Span(float(match["n"] or 1), PERIOD_WORDS[match["unit"].lower()])


def example_like(text: str, unit: str = "mg") -> str:
    """An accepted value close to what was typed: its number with a unit ('12.5' → '"12.5 mg"')."""
    number = re.search(NUMBER, text)
    return f'"{number.group() if number else "12.5"} {unit}"'


def _read_quantity(text: str, where: str, error: type[DosingError], todo: str) -> Any:
    match = re.fullmatch(rf"(?P<num>{NUMBER})\s*(?P<unit>\S.*)?", text)
    unit = parse_units(match["unit"]) if match and match["unit"] else None
    if unit is None:
        if match and not match["unit"]:
            why = f"{quoted(text)} has no unit"
        elif match:
            why = f'{quoted(text)}: "{match["unit"]}" is not a unit the kit can read'
        else:
            why = f"{quoted(text)} does not start with a number"
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
    if num.check("[mass]") or num.check("[substance]") or num.check("[activity]"):
        for basis, dims in (("absolute", None), ("weight", "[mass]"), ("area", "[length]**2")):
            if (dims is None and den.dimensionless) or (dims and den.check(dims)):
                return basis  # type: ignore[return-value]
    raise BadDoseUnit(
        where, f"{quoted(text)} is not an amount that can be given as a dose (a mass, IU or mmol)", f"{DOSE_FORMS}."
    )


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
    'Write how many times per period, e.g. "3 times weekly", "twice daily", "every 2 weeks", "q8h", "bid", '
    '"single dose", "weekly × 4" or "twice, 2 weeks apart"'
)


def parse_frequency(text: str | None, where: str, per_period: bool = False) -> Frequency:
    """Read a frequency: '3 times weekly', 'twice daily', 'q2w', 'weekly × 4', 'twice, 2 weeks apart'.

    A dose given as a total per period ("40 mg/day") needs no frequency (`per_period`); any other
    dose needs one, or "not reported".
    """
    if text is None or is_not_reported(text):
        if text is None and not per_period:
            raise BadFrequency(
                where, "the phase gives no frequency",
                f'{FREQUENCY_TODO}; if the source does not say, write "not reported".',
            )
        return Frequency(text or "", 1.0, None, reported=False)
    clean = " ".join(text.lower().replace("×", " x ").split()).rstrip(".")
    if clean in SINGLE:
        return Frequency(text, 1.0, None, count=1)
    counted = counted_frequency(text, clean, where)
    if counted is not None:
        return counted
    if re.search(rf"{NUMBER}\s*(?:-|–|to)\s*{NUMBER}", clean):
        raise BadFrequency(
            where,
            f'{quoted(text)} gives a range',
            f"Give the frequency actually used, as one value; put the range in the phase's note. {FREQUENCY_TODO}.",
        )
    found = _times_per_period(clean)
    if found is None:
        raise BadFrequency(
            where, f'{quoted(text)} is not a frequency the kit can read',
            f"{close_frequency(clean)}{FREQUENCY_TODO}.",
        )
    times, count, unit_text = found
    unit = parse_units(PERIOD_WORDS.get(unit_text, unit_text))
    if unit is None or not unit_registry().Quantity(1, unit).check("[time]") or times <= 0 or count <= 0:
        raise BadFrequency(
            where, f'{quoted(text)} does not name a period of time', f"{close_frequency(clean)}{FREQUENCY_TODO}."
        )
    return Frequency(text, times, Span(count, str(unit)))


def counted_frequency(text: str, clean: str, where: str) -> Frequency | None:
    """'weekly x 4' (4 doses, weekly), 'x 4' (4 doses, interval not given), 'twice, 2 weeks apart'."""
    match = re.fullmatch(r"(?P<base>.*?)\s*x\s*(?P<n>\d+)(?:\s*(?:doses?|infusions?|times))?", clean)
    if match:
        base = parse_frequency(match["base"], where) if match["base"] else None
        return Frequency(text, 1.0 if base is None else base.times, None if base is None else base.every,
                         count=int(match["n"]))
    match = re.fullmatch(
        rf"(?P<times>once|twice|thrice|{NUMBER}\s*(?:times|doses|infusions)),?\s*(?P<n>{NUMBER})\s*(?P<unit>[a-z]+)\s+apart",
        clean,
    )
    if match:
        unit = parse_units(PERIOD_WORDS.get(match["unit"], match["unit"]))
        if unit is None or not unit_registry().Quantity(1, unit).check("[time]"):
            raise BadFrequency(where, f'{quoted(text)} does not name a period of time', f"{FREQUENCY_TODO}.")
        return Frequency(text, 1.0, Span(float(match["n"]), str(unit)), count=int(_times(match["times"])))
    return None


def _times_per_period(clean: str) -> tuple[float, float, str] | None:
    """(times, period count, period unit) for the frequency phrasings clinicians use."""
    times = rf"(?P<times>once|twice|thrice|{NUMBER}\s*(?:times|x))"
    match = re.fullmatch(rf"{times}\s*(?P<adj>[a-z]+ly)", clean)
    if match and match["adj"] in PERIODIC:
        return _times(match["times"]), 1.0, PERIODIC[match["adj"]]
    match = re.fullmatch(rf"{times}\s*(?:a|an|per|each|every|/|in)\s*(?P<n>{NUMBER})?\s*(?P<unit>[a-z]+)", clean)
    if match:
        return _times(match["times"]), float(match["n"] or 1), match["unit"]
    if clean in {"qod", "every other day", "on alternate days", "alternate days"}:
        return 1.0, 2.0, "day"
    if clean in ABBREVIATIONS:  # before "q N unit": "qid" is four times a day, not every "id"
        times_n, unit = ABBREVIATIONS[clean]
        return float(times_n), 1.0, unit
    match = re.fullmatch(rf"(?:every|q)\s*(?P<n>{NUMBER}|other)?\s*(?P<unit>[a-z]+)", clean)
    if match:
        return 1.0, 2.0 if match["n"] == "other" else float(match["n"] or 1), match["unit"]
    if clean in PERIODIC:
        return 1.0, 1.0, PERIODIC[clean]
    return None


def _times(word: str) -> float:
    return TIMES.get(word) or float(re.match(NUMBER, word.strip()).group())  # type: ignore[union-attr]


DURATION_TODO = (
    'Write a length of time such as "2 weeks", "3 months" or "for 5 consecutive days", '
    'a number of administrations such as "6 infusions", or leave duration out and give "until" (an end event)'
)


def parse_duration(duration: str | None, until: str | None, where: str, frequency: Frequency | None = None) -> Duration:
    """Read a phase's duration: a length of time, a number of administrations, "until" an event, or "not reported".

    A single dose, or a frequency that counts its doses ("weekly × 4"), needs no duration.
    """
    if duration is None:
        if until:
            return Duration(f"until {until}", until=until)
        if frequency is not None and frequency.count is not None:
            return Duration("", count=frequency.count)
        raise BadDuration(
            where, "the phase has neither a duration nor an end event (until)",
            f'{DURATION_TODO}; if the source does not say, write "not reported".',
        )
    if is_not_reported(duration):
        return Duration(" ".join(duration.split()), reported=False)
    clean = re.sub(r"^for\s+|\bconsecutive\s+", "", " ".join(duration.split()), flags=re.IGNORECASE)
    refuse_comma(clean, where, BadDuration, '"3 months"')
    if re.search(rf"{NUMBER}\s*(?:-|–|to)\s*{NUMBER}", clean):
        raise BadDuration(
            where, f'"{clean}" gives a range', f"Give the duration actually used, as one value. {DURATION_TODO}."
        )
    counted = re.fullmatch(
        r"(?P<n>\d+)\s*(?:doses?|infusions?|injections?|administrations?|treatments?|sessions?|cycles?)",
        clean.lower(),
    )
    if counted:
        return Duration(duration, count=int(counted["n"]))
    todo = f"{close_duration(clean)}{DURATION_TODO}."
    return Duration(" ".join(duration.split()), span=parse_span(clean, where, BadDuration, todo))


def close_frequency(typed: str) -> str:
    """'Did you mean "3 times weekly"?' from '3 per wk' or '3x a weak': the number typed, a period named."""
    number = re.search(NUMBER, typed)
    period = next((word for word, stem in (("monthly", "mo"), ("daily", "d"), ("weekly", "w"), ("hourly", "h"))
                   if re.search(rf"\b{stem}", typed)), "weekly")
    if not number:
        return ""
    times = {"1": "once", "2": "twice"}.get(number.group(), f"{number.group()} times")
    return f'Did you mean "{times} {period}"? '


def close_duration(typed: str) -> str:
    """'Did you mean "8 weeks"?' from '8 wks.' or '8': the number typed with a unit of time."""
    number = re.search(NUMBER, typed)
    if not number:
        return ""
    unit = next((unit for unit, stem in (("days", "d"), ("weeks", "w"), ("months", "mo"), ("years", "y"))
                 if re.search(rf"\b{number.group()}\s*{stem}", typed)), "weeks")
    return f'Did you mean "{number.group()} {unit}"? '



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


def parse_start(text: str, where: str, events: dict[str, Span]) -> Span | None:
    """A regimen's start relative to presentation; None when not reported.

    Besides a relative time ("0", "9 months"), a start may name a timeline event: "at biopsy",
    "2 weeks after biopsy", "3 days before admission" (`events`: each event's text and time).
    """
    if is_not_reported(text):
        return None
    clean = " ".join(text.split())
    match = re.fullmatch(r"(?:(?P<offset>.+?)\s+(?P<dir>after|before)|at|on)\s+(?P<event>.+)", clean, re.IGNORECASE)
    if not match:
        return parse_time_point(clean, where)
    event = matching_event(match["event"], events)
    if event is None:
        return parse_time_point(clean, where)
    if not match["offset"]:
        return events[event]
    offset = parse_span(match["offset"], where, BadTime, f"{TIME_TODO}.")
    sign = -1 if match["dir"].lower() == "before" else 1
    return add_spans(events[event], Span(sign * offset.value, offset.unit))


def matching_event(named: str, events: dict[str, Span]) -> str | None:
    """The timeline event a start names, by its text (case and a leading 'the' aside)."""
    wanted = re.sub(r"^the\s+", "", named.strip().lower())
    exact = [e for e in events if e.lower() == wanted]
    partial = [e for e in events if wanted in e.lower()]
    return (exact or partial or [None])[0]


def add_spans(first: Span, second: Span) -> Span:
    """Two spans added: in their unit when they share one (months stay months), else in days."""
    if second.value == 0:
        return first
    if first.value == 0:
        return second
    if first.unit == second.unit:
        return Span(first.value + second.value, first.unit)
    calendar = CalendarAssumptions()
    return Span(span_days(first, calendar) + span_days(second, calendar), "day")


def parse_infusion_time(text: str | None, where: str) -> Any:
    """An infusion time as a pint time quantity ('30 minutes', 'over 1 h'), or None (not given or not reported)."""
    if not text or is_not_reported(text):
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


def period_days(frequency: Frequency, assumptions: CalendarAssumptions) -> float | None:
    """Days in one dosing period ('weekly' → 7), None for a single dose."""
    return None if frequency.every is None else span_days(frequency.every, assumptions)
