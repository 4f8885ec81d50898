"""The timeline's rows and axis: regimens as bars, events as marks, times in days from presentation.

Only parsing and arithmetic: nothing here imports matplotlib, so the check can place every time
of a case (and report the one it cannot read) without drawing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from caseletter.case.model import Case
from caseletter.dosing.compute import phase_days
from caseletter.dosing.quantities import parse_duration, parse_frequency, parse_time_point
from caseletter.dosing.units import CalendarAssumptions, span_days
from caseletter.errors import BadTime


@dataclass
class Row:
    """One row of the figure: a mark (start only) or bars (segments of start and end days)."""

    label: str
    start: float
    describe: str
    segments: list[tuple[float, float | None]] = field(default_factory=list)
    until: list[str | None] = field(default_factory=list)

    @property
    def is_bar(self) -> bool:
        """True for a treatment or a span, False for a single event."""
        return bool(self.segments)


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


def collect_rows(case: Case, where: str, assumptions: CalendarAssumptions) -> list[Row]:
    """Regimens as bars, timeline spans as bars (unless a regimen already draws them), points as marks."""
    bars = [regimen_row(case, i, where, assumptions) for i in range(len(case.interventions))]
    events = [event_row(case, i, where, assumptions, bars) for i in range(len(case.timeline))]
    rows = bars + events
    return sorted(rows, key=lambda r: (r.start, r.is_bar))


def regimen_row(case: Case, index: int, where: str, assumptions: CalendarAssumptions) -> Row:
    """A regimen's phases as consecutive bar segments from its start; an open phase ends at its event."""
    regimen = case.interventions[index]
    where = f"{where}, interventions[{index}]"
    start = span_days(parse_time_point(regimen.start, f"{where}.start"), assumptions)
    segments, t = [], start
    for i, phase in enumerate(regimen.phases):
        here = f"{where}.phases[{i}]"
        length = phase_days(
            parse_frequency(phase.frequency, f"{here}.frequency"),
            parse_duration(phase.duration, phase.until, f"{here}.duration"),
            assumptions,
        )
        stop = event_time(case, phase.until, assumptions) if length is None else t + length
        stop = stop if stop is None or stop > t else None
        segments.append((t, stop))
        t = stop if stop is not None else t
    doses = ", then ".join(
        p.dose if p.dose.lower() not in {"not stated", "unknown"} else p.frequency for p in regimen.phases
    )
    first = f"{regimen.label}" if regimen.label else f"{regimen.route} {regimen.drug}"
    detail = (
        f"{doses} {regimen.phases[0].frequency}"
        if len(regimen.phases) == 1 and doses != regimen.phases[0].frequency
        else doses
    )
    describe = f"{regimen.route} {regimen.drug}" + (f" ({regimen.label})" if regimen.label else "") + f", {detail}"
    return Row(f"{first}\n{detail}", start, describe, segments, [p.until for p in regimen.phases])


def event_row(case: Case, index: int, where: str, assumptions: CalendarAssumptions, bars: list[Row]) -> Row:
    """A timeline event as a mark, or as a bar when it spans time no regimen already shows."""
    event = case.timeline[index]
    here = f"{where}, timeline[{index}]"
    start = span_days(parse_time_point(event.time, f"{here}.time"), assumptions)
    row = Row(event.event, start, event.event)
    if event.until:
        end = resolve_until(case, event.until, f"{here}.until", assumptions)
        if end < start:
            raise BadTime(
                f"{here}.until",
                f'"{event.until}" is before the event\'s time "{event.time}"',
                "Give the time the span ended, after its start.",
            )
        if not any(
            abs(b.start - start) < 1 and b.segments[-1][1] is not None and abs(b.segments[-1][1] - end) < 1
            for b in bars
        ):
            row.segments = [(start, end)]
    return row


def resolve_until(case: Case, until: str, where: str, assumptions: CalendarAssumptions) -> float:
    """An end given as a relative time ('8 months') or as the text of another timeline event."""
    for event in case.timeline:
        if event.event.strip().lower() == until.strip().lower():
            return span_days(parse_time_point(event.time, where), assumptions)
    return span_days(parse_time_point(until, where), assumptions)


def close_open_ends(rows: list[Row]) -> float:
    """The axis end in days; an open phase that starts last runs on a little past it."""
    known = [r.start for r in rows] + [e for r in rows for _, e in r.segments if e is not None]
    end = max(known)
    open_start = max((s for r in rows for s, e in r.segments if e is None), default=None)
    if open_start is not None and open_start >= end - 1:
        end = open_start + max(0.2 * max(end, 0.0), 14.0)
    return end


def event_time(case: Case, until: str | None, assumptions: CalendarAssumptions) -> float | None:
    """The time of the timeline event named by a phase's `until` (e.g. 'last follow-up')."""
    if not until:
        return None
    for event in case.timeline:
        if until.strip().lower() in event.event.strip().lower():
            return span_days(parse_time_point(event.time, "timeline"), assumptions)
    return None


def choose_axis(rows: list[Row], end: float, assumptions: CalendarAssumptions) -> Axis:
    """Pick months, weeks or days for the main range, and a break if the past reaches far back."""
    times = [r.start for r in rows]
    reach = max(end, 1.0)
    main_lo = min([0.0] + [t for t in times if t >= -0.5 * reach])
    span = end - main_lo
    unit_days, unit_name = (
        (assumptions.month_days, "months") if span >= 120 else (7.0, "weeks") if span >= 21 else (1.0, "days")
    )
    earliest = min(times + [0.0])
    if earliest >= main_lo - 0.25 * span:
        return Axis(unit_days, unit_name, None)
    width = span / unit_days
    brk = main_lo / unit_days - 0.06 * width
    squeeze = 0.12 * width / (brk - earliest / unit_days)
    return Axis(unit_days, unit_name, brk, squeeze)
