"""The kit's one pint registry, lengths of time under stated calendar assumptions, and quantities as text.

Months and years have no single length, so they are never converted by pint here: a `Span`
keeps the unit it was written in, and `span_days` converts it under the `CalendarAssumptions`
the caller chose, which the dosing table states in its caption.
"""

from __future__ import annotations

import functools
import math
import re
import threading
from dataclasses import dataclass
from typing import Any, Literal

import pint

from caseletter.errors import DosingError


@dataclass(frozen=True)
class CalendarAssumptions:
    """How calendar words become days, and how administrations are counted.

    Attributes:
        month_days: length of a month in days (default: a Julian year over 12, 30.44 days).
        year_days: length of a year in days.
        partial_periods: "prorate" counts the doses of a partial dosing period (a partial
            week for a weekly frequency) in proportion before rounding down to whole
            administrations; "drop" counts whole dosing periods only.
    """

    month_days: float = 365.25 / 12
    year_days: float = 365.25
    partial_periods: Literal["prorate", "drop"] = "prorate"

    def __post_init__(self) -> None:
        if not (28 <= self.month_days <= 31 and 360 <= self.year_days <= 366):
            raise DosingError(
                "calendar assumptions",
                f"a month of {self.month_days} days or a year of {self.year_days} days is not a calendar length",
                "Use a month of 28 to 31 days and a year of 360 to 366 days.",
            )
        if self.partial_periods not in {"prorate", "drop"}:
            raise DosingError(
                "calendar assumptions",
                f'"{self.partial_periods}" is not a counting rule',
                'Use "prorate" (a partial week counts in proportion) or "drop" (whole weeks only).',
            )

    def describe(self) -> str:
        """The sentence printed under a dosing table, so a reader can redo every figure."""
        rule = {
            "prorate": (
                "a partial week (or dosing interval) counts in proportion, "
                "and the result is rounded down to whole administrations"
            ),
            "drop": "only whole weeks (or whole dosing intervals) count; a partial one adds no administration",
        }[self.partial_periods]
        return (
            f"Calendar assumptions: a month is {self.month_days:.4g} days and a year {self.year_days:.6g} days; "
            f"administrations = duration × frequency, where {rule}. "
            "Figures are shown to 3 significant digits; every count that was rounded is given with its exact value."
        )


@dataclass(frozen=True)
class Span:
    """A length of time in the unit it was written in (months stay months)."""

    value: float
    unit: str


_REGISTRY_LOCK = threading.Lock()


def unit_registry() -> pint.UnitRegistry:
    """The kit's one pint registry, with the abbreviations clinicians write ('m2', 'wk', 'mo').

    Built once per process under a lock: quantities from two registries cannot be combined,
    and a class build asks for the registry from several threads at once.
    """
    with _REGISTRY_LOCK:
        return _build_registry()


@functools.cache
def _build_registry() -> pint.UnitRegistry:
    # pint caches its parsed unit definitions in the user's cache folder: 0.05 s instead of 0.4 s.
    ureg = pint.UnitRegistry(preprocessors=[_square_metres], cache_folder=":auto:")
    ureg.define("@alias month = mo = mos")
    ureg.define("@alias week = wk = wks")
    # Insulin and heparin are dosed in international units, a dimension of their own: never added to mg.
    ureg.define("international_unit = [activity] = IU = iu")
    return ureg


def _square_metres(text: str) -> str:
    return re.sub(r"(?<=[a-zA-Z])([23])\b", r"**\1", text)


def parse_units(text: str) -> pint.Unit | None:
    """A unit expression read by pint, or None when pint cannot read it.

    pint's parser is Python's tokenizer underneath: on text that is no unit it raises whatever
    the tokenizer or the registry raises (TokenError for "g)", KeyError, ...), so any exception
    here means "not a unit".
    """
    try:
        return unit_registry().parse_units(text.strip())
    except Exception:
        return None


def span_days(span: Span, assumptions: CalendarAssumptions) -> float:
    """Convert a span to days: months and years by the assumptions, the rest by pint."""
    ureg = unit_registry()
    unit = ureg.parse_units(span.unit)
    if unit == ureg.month:
        return span.value * assumptions.month_days
    if unit == ureg.year:
        return span.value * assumptions.year_days
    return ureg.Quantity(span.value, unit).to("day").magnitude


def mosteller_bsa(weight: Any, height: Any) -> Any:
    """Body surface area by Mosteller (1987): √(height [cm] × weight [kg] / 3600) m²."""
    ureg = unit_registry()
    value = math.sqrt(height.to("cm").magnitude * weight.to("kg").magnitude / 3600)
    return ureg.Quantity(value, "m**2")


def format_number(value: float) -> str:
    """3 significant digits without exponent, whole numbers as integers (1300, 37.5, 0.417, 15.0).

    Trailing zeros are kept, so "15.0 weeks" shows that 15.04 was rounded, where "15" would not.
    """
    if abs(value - round(value)) < 1e-9 * max(1.0, abs(value)):
        return str(int(round(value)))
    decimals = max(0, 2 - math.floor(math.log10(abs(value))))
    return f"{value:.{decimals}f}"


def format_quantity(quantity: Any) -> str:
    """A pint quantity for the table: '37.5 g/week', '375 mg/m²'."""
    return f"{format_number(quantity.magnitude)} {quantity.units:~P}"


def json_quantity(quantity: Any) -> str | None:
    """A pint quantity for JSON, readable back by pint: '37.5 g / week'."""
    return None if quantity is None else f"{quantity.magnitude:.6g} {quantity.units:~}"


def mass_unit_of(amount: Any) -> str:
    """The unit of what is given (mg of mg/kg, IU of IU/kg)."""
    return next(name for name, power in amount.unit_items() if power > 0)


def short_unit(name: str) -> str:
    """'g' for 'gram', 'IU' for 'international_unit': the symbol a table prints."""
    return f"{unit_registry().Unit(name):~}"
