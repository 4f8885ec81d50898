"""Laboratory values as table rows: converted between SI and conventional units, and flagged.

A value is converted only when its test is an analyte of `caseletter.dosing.analytes` and its
unit converts, through the kit's one pint registry, to that analyte's units (mass to amount of
substance through the analyte's molar mass, pint's "chemistry" context). Anything else — a
test the kit does not know, a unit that does not convert, a value that is not a number — is
printed exactly as reported: a wrong conversion in a published letter is worse than none.
A value outside its reference range is flagged H or L, compared in the unit it was reported in.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import pint

from caseletter.case.model import Lab
from caseletter.dosing.analytes import Analyte, find_analyte
from caseletter.dosing.units import parse_units, unit_registry

LabUnits = Literal["si_first", "conventional_first", "as_reported"]
LAB_UNIT_ORDERS: tuple[str, ...] = ("si_first", "conventional_first", "as_reported")

_NUMBER = r"(?:\d+(?:\.\d+)?|\.\d+)"
_VALUE = re.compile(rf"(?P<comparator>[<>≤≥]=?)?\s*(?P<number>{_NUMBER})")
_BETWEEN = re.compile(rf"(?P<low>{_NUMBER})\s*(?:-|–|—|‒|to)\s*(?P<high>{_NUMBER})\s*(?P<unit>.*)")
_BOUND = re.compile(rf"(?P<side><=?|≤|>=?|≥)\s*(?P<number>{_NUMBER})\s*(?P<unit>.*)")


@dataclass(frozen=True)
class LabRow:
    """One laboratory value as the letter's table prints it.

    Attributes:
        converted: a figure in this row was computed (and rounded) rather than copied.
        as_reported: the row is printed as the case gives it (no conversion was possible or wanted).
    """

    test: str
    result: str
    range: str
    flag: Literal["H", "L", ""]
    time: str
    note: str
    converted: bool
    as_reported: bool


@dataclass(frozen=True)
class Bounds:
    """A reference range read as numbers, in the unit it was written in (None = open on that side)."""

    low: float | None
    high: float | None
    unit: str
    symbol: str = ""  # "<", "≤", ">" or "≥" for a range open on one side, as written
    texts: tuple[str, str] = ("", "")  # the low and high numbers as typed, printed unchanged in their own unit


def lab_rows(labs: Iterable[Lab], order: LabUnits = "si_first") -> list[LabRow]:
    """The table's rows, in the case's order, each converted as the journal's `lab_units` says."""
    return [lab_row(lab, order) for lab in labs]


def lab_row(lab: Lab, order: LabUnits) -> LabRow:
    """One row: the result and range in both units where the kit can convert them, else as given."""
    value, unit, analyte = str(lab.value).strip(), lab.unit.strip(), find_analyte(lab.test)
    bounds = read_range(lab.range, unit)
    flag = range_flag(value, unit, bounds, analyte)
    result = both_units(value, unit, analyte, order) if analyte and order != "as_reported" else None
    shown_range = _range_in_both_units(bounds, analyte, order) if analyte and bounds and result else None
    return LabRow(
        test=lab.test, result=result or as_given(value, unit), range=shown_range or (lab.range or ""), flag=flag,
        time=lab.time or "", note=lab.note, converted=result is not None, as_reported=result is None,
    )


def as_given(value: str, unit: str) -> str:
    """The value as reported: with its unit when it is a number, alone when it is words ("not reported")."""
    return f"{value} {unit}".strip() if re.search(r"\d", value) else value


def both_units(value: str, unit: str, analyte: Analyte, order: LabUnits) -> str | None:
    """"2.50 mmol/L (10 mg/dL)" in the journal's order; None when the value or its unit does not convert."""
    match = _VALUE.fullmatch(value)
    if not match:
        return None
    comparator, number = match.group("comparator") or "", match.group("number")
    si = _in_unit(number, unit, analyte.si_unit, analyte)
    conventional = _in_unit(number, unit, analyte.conventional_unit, analyte)
    if si is None or conventional is None:
        return None
    first, second = (si, conventional) if order == "si_first" else (conventional, si)
    return f"{comparator}{first} ({comparator}{second})"


def _in_unit(number: str, unit: str, target: str, analyte: Analyte) -> str | None:
    """The number with the target unit: copied as typed when already in it, else converted and rounded."""
    if same_unit(unit, target):
        return f"{number} {target}"
    converted = convert(float(number), unit, target, analyte.molar_mass)
    return None if converted is None else f"{three_digits(converted)} {target}"


def convert(value: float, unit: str, target: str, molar_mass: float | None = None) -> float | None:
    """A value in another unit, through the molar mass (g/mol) when one is given; None if it does not convert."""
    source_unit, target_unit = parse_units(unit), parse_units(target)
    if not (_is_concentration(source_unit) and _is_concentration(target_unit)):
        return None
    ureg = unit_registry()
    quantity = ureg.Quantity(value, source_unit)
    try:
        if molar_mass is None:
            return float(quantity.to(target_unit).magnitude)
        return float(quantity.to(target_unit, "chemistry", mw=ureg.Quantity(molar_mass, "g/mol")).magnitude)
    except pint.errors.PintError:
        return None


def _is_concentration(unit: pint.Unit | None) -> bool:
    """A mass or an amount of substance per volume: the only units a laboratory value converts between.

    pint's chemistry context would otherwise try (and fail in odd ways) to turn "10 mg" into mmol/L.
    """
    if unit is None:
        return False
    ureg = unit_registry()
    return unit.dimensionality in (
        ureg.get_dimensionality("[mass] / [length] ** 3"), ureg.get_dimensionality("[substance] / [length] ** 3"),
    )


def same_unit(unit: str, other: str) -> bool:
    """Whether two unit texts name one unit ("mg/dl" and "mg/dL"); units pint cannot read never match."""
    first, second = parse_units(unit), parse_units(other)
    return first is not None and first == second


def read_range(text: str | None, value_unit: str) -> Bounds | None:
    """A reference range as numbers: "8.5-10.5 mg/dL", "8.5–10.5", "<200", "≥ 40 mg/dL"; None if unreadable.

    A range without a unit is taken to be in the value's unit.
    """
    text = (text or "").strip()
    between = _BETWEEN.fullmatch(text)
    if between:
        low, high = float(between.group("low")), float(between.group("high"))
        unit = between.group("unit").strip() or value_unit
        return Bounds(low, high, unit, texts=(between.group("low"), between.group("high"))) if low <= high else None
    bound = _BOUND.fullmatch(text)
    if bound:
        number, unit = float(bound.group("number")), bound.group("unit").strip() or value_unit
        side, texts = bound.group("side"), (bound.group("number"),) * 2
        return Bounds(None, number, unit, side, texts) if side[0] in "<≤" else Bounds(number, None, unit, side, texts)
    return None


def range_flag(value: str, unit: str, bounds: Bounds | None, analyte: Analyte | None) -> Literal["H", "L", ""]:
    """H above the range, L below it; "" inside it, or when the value or range cannot be compared."""
    match = _VALUE.fullmatch(value)
    if bounds is None or not match or match.group("comparator"):
        return ""
    number = float(match.group("number"))
    low, high = (_bound_in_unit(b, bounds.unit, unit, analyte) for b in (bounds.low, bounds.high))
    if high is not None and number > high:
        return "H"
    if low is not None and number < low:
        return "L"
    return ""


def _bound_in_unit(bound: float | None, unit: str, target: str, analyte: Analyte | None) -> float | None:
    if bound is None or same_unit(unit, target) or unit == target:
        return bound
    return convert(bound, unit, target, analyte.molar_mass if analyte else None)


def _range_in_both_units(bounds: Bounds, analyte: Analyte, order: LabUnits) -> str | None:
    """The range as "2.12–2.62 mmol/L (8.5–10.5 mg/dL)", in the result's order; None if it does not convert."""
    si, conventional = (_range_in(bounds, target, analyte) for target in (analyte.si_unit, analyte.conventional_unit))
    if si is None or conventional is None:
        return None
    first, second = (si, conventional) if order == "si_first" else (conventional, si)
    return f"{first} ({second})"


def _range_in(bounds: Bounds, target: str, analyte: Analyte) -> str | None:
    """The range in one unit, "2.12–2.62 mmol/L" or "<5.17 mmol/L"; None if a bound does not convert."""
    shown = []
    for bound, typed in zip((bounds.low, bounds.high), bounds.texts, strict=True):
        if bound is None:
            continue
        converted = _bound_in_unit(bound, bounds.unit, target, analyte)
        if converted is None:
            return None
        shown.append(_number_text(converted, typed, bounds, target))
    return f"{shown[0]}–{shown[1]} {target}" if len(shown) == 2 else f"{bounds.symbol}{shown[0]} {target}"


def _number_text(number: float, typed: str, bounds: Bounds, target: str) -> str:
    """A bound as the author wrote it when it was not converted, else to 3 significant digits."""
    return typed if same_unit(bounds.unit, target) else three_digits(number)


def three_digits(value: float) -> str:
    """A converted value to 3 significant digits, trailing zeros kept (5.00, 106, 0.807, 1234).

    Unlike the dosing table's counts, a whole number keeps its zeros: "5.00 g/dL" beside
    "3.50 g/dL" reads as one precision, which is what the caption promises.
    """
    if value == 0:
        return "0"
    decimals = max(0, 2 - math.floor(math.log10(abs(value))))
    return f"{value:.{decimals}f}"

