"""The timeline's time axis: its unit, its tick steps, and a break for a long history.

The unit follows the span the main part of the axis covers: days for a course of a week or
two, weeks for a few weeks, months, and years for long histories. A break is made only for a
long history (an event at least half a year before presentation and further back than the
main span is long); the compressed past left of it is labelled in a unit of its own, chosen
from how far back it reaches, so that "−10 y" never sits on an axis of weeks unexplained.
"""

from __future__ import annotations

from dataclasses import dataclass

from caseletter.dosing.units import CalendarAssumptions

#: Tick steps to try, finest first, per unit: steps a reader counts in (a week of days, a year of months).
TICK_STEPS = {
    "days": (1, 2, 7, 14, 28, 56),
    "weeks": (1, 2, 4, 8, 13, 26),
    "months": (1, 2, 3, 6, 12, 24),
    "years": (1, 2, 5, 10, 20, 50),
}
SHORT_UNITS = {"days": "d", "weeks": "wk", "months": "mo", "years": "y"}
LONG_HISTORY_DAYS = 180
REMOTE_SHARE = 0.12


@dataclass(frozen=True)
class Axis:
    """Maps days to drawn positions in the axis unit, compressing the far past before `brk`."""

    unit_days: float
    unit_name: str
    brk: float | None
    squeeze: float = 1.0

    def x(self, days: float) -> float:
        """The drawn position of a time given in days."""
        value = days / self.unit_days
        if self.brk is None or value >= self.brk:
            return value
        return self.brk + (value - self.brk) * self.squeeze

    def is_remote(self, days: float) -> bool:
        """True for a time drawn in the compressed past, left of the break."""
        return self.brk is not None and days / self.unit_days < self.brk


def unit_for_span(span_days: float, assumptions: CalendarAssumptions) -> tuple[float, str]:
    """Days up to two weeks, weeks up to about four months, months up to three years, then years."""
    if span_days <= 15:
        return 1.0, "days"
    if span_days < 120:
        return 7.0, "weeks"
    if span_days < 3 * assumptions.year_days:
        return assumptions.month_days, "months"
    return assumptions.year_days, "years"


def choose_axis(rows: list, end: float, assumptions: CalendarAssumptions) -> Axis:
    """The unit for the main range, and a break only when the history reaches far back."""
    times = [r.start for r in rows if getattr(r, "start_known", True)]
    reach = max(end, 1.0)
    earliest = min(times + [0.0])
    main_lo = min([0.0] + [t for t in times if t >= -0.5 * reach])
    long_history = earliest <= -LONG_HISTORY_DAYS and main_lo - earliest > max(end - main_lo, 1.0)
    if not long_history:
        return Axis(*unit_for_span(end - earliest, assumptions), None)
    unit_days, unit_name = unit_for_span(end - main_lo, assumptions)
    width = (end - main_lo + apart_days(rows)) / unit_days  # the drawn width, with any strip right of the axis
    brk = main_lo / unit_days - 0.06 * width
    squeeze = REMOTE_SHARE * width / (brk - earliest / unit_days)
    return Axis(unit_days, unit_name, brk, squeeze)


def apart_days(rows: list) -> float:
    """The longest known length of a course whose start is not reported: drawn apart, right of the axis."""
    return max([r.length for r in rows if getattr(r, "length", None) is not None] + [0.0])


def remote_unit(earliest_days: float, assumptions: CalendarAssumptions) -> tuple[float, str]:
    """The unit the compressed past is labelled in: years from two years back, else months, else weeks."""
    reach = abs(earliest_days)
    if reach >= 2 * assumptions.year_days:
        return assumptions.year_days, "years"
    if reach >= 2 * assumptions.month_days:
        return assumptions.month_days, "months"
    return 7.0, "weeks"


def tick_values(lo: float, hi: float, step: float) -> list[float]:
    """Multiples of `step` from `lo` to `hi` (in axis units), always including 0 when it is in range."""
    first = -(-lo // step) * step
    count = int((hi - first) // step + 1e-9) + 1
    return [first + i * step for i in range(max(count, 0)) if lo - 1e-9 <= first + i * step <= hi + 1e-9]


def first_step(lo: float, hi: float, unit_name: str, room_pt: float, label_pt: float) -> int:
    """The index of the finest tick step whose estimated labels fit in `room_pt` points."""
    steps = TICK_STEPS[unit_name]
    for i, step in enumerate(steps):
        if len(tick_values(lo, hi, step)) * label_pt <= room_pt:
            return i
    return len(steps) - 1
