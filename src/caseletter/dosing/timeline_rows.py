"""The timeline's rows: regimens as bars, events as marks, times in days from presentation.

Only parsing and arithmetic: nothing here imports matplotlib, so the check can place every time
of a case (and report the one it cannot read) without drawing. A start, a gap or a length the
source did not report is kept as unknown, never read as zero, and never given an extent: a
course whose start is not reported keeps only its length (`Row.floating`, days from an unknown
start), and one whose length is not reported keeps only its start (`Row.unknown`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from caseletter.case.model import Case, Phase
from caseletter.dosing.compute import phase_days
from caseletter.dosing.quantities import TIME_TODO, parse_duration, parse_frequency, parse_span, parse_time_point
from caseletter.dosing.timeline_axis import Axis, choose_axis
from caseletter.dosing.timeline_labels import fit_label, is_not_reported, regimen_label, route_and_drug
from caseletter.dosing.units import CalendarAssumptions, span_days
from caseletter.errors import BadTime, DosingError

__all__ = ["Axis", "Row", "choose_axis", "close_open_ends", "collect_rows"]

TIMING_NOT_REPORTED = "timing not reported"
LENGTH_NOT_REPORTED = "length not reported"
START_NOT_REPORTED = "start not reported"


@dataclass
class Row:
    """One row of the figure: a mark (start only) or bars (segments of start and end days).

    `unknown` holds where a known course reaches a time the source did not report (its end is
    None); `note` says what is not known. `start_known` is False when even the start is not:
    `floating` then holds the course's segments in days from that unknown start, when their
    lengths are all known, and is empty otherwise. `full_label` is the label before `fit_label`
    shortened it; the full regimen is in `describe`.
    """

    label: str
    start: float
    describe: str
    segments: list[tuple[float, float | None]] = field(default_factory=list)
    until: list[str | None] = field(default_factory=list)
    unknown: list[tuple[float, float | None]] = field(default_factory=list)
    note: str = ""
    start_known: bool = True
    floating: list[tuple[float, float]] = field(default_factory=list)
    treatment: bool = False
    full_label: str = ""

    @property
    def is_bar(self) -> bool:
        """True for a treatment or a span, False for a single event."""
        return self.treatment or bool(self.segments or self.unknown)

    @property
    def length(self) -> float | None:
        """The known length in days of a course whose start is not reported, else None."""
        return self.floating[-1][1] if self.floating else None


def collect_rows(case: Case, where: str, assumptions: CalendarAssumptions) -> list[Row]:
    """Regimens as bars, timeline spans as bars (unless a regimen already draws them), points as marks."""
    bars = [regimen_row(case, i, where, assumptions) for i in range(len(case.interventions))]
    events = [event_row(case, i, where, assumptions, bars) for i in range(len(case.timeline))]
    return sorted(bars + events, key=lambda r: (not r.start_known, r.start, r.is_bar))


def regimen_row(case: Case, index: int, where: str, assumptions: CalendarAssumptions) -> Row:
    """A regimen's phases as consecutive bar segments from its start; an open phase ends at its event."""
    regimen = case.interventions[index]
    where = f"{where}, interventions[{index}]"
    start = regimen_start(case, regimen.start, f"{where}.start", assumptions)
    name, detail = regimen_label(regimen)
    said = regimen_label(regimen, short=False)[1]
    drug = route_and_drug(regimen.route, regimen.drug)
    describe = drug + (f" ({regimen.label})" if regimen.label else "") + f", {said}"
    label = fit_label(name, detail.split(", then "), bool(regimen.label))
    row = Row(label, 0.0 if start is None else start, describe, start_known=start is not None, treatment=True,
              full_label=f"{name}\n{detail}")
    lay_out_phases(case, row, regimen.phases, where, assumptions)
    if start is None:
        float_unplaced(row)
    return row


def float_unplaced(row: Row) -> None:
    """A course whose start is not reported keeps its segments only as lengths, and only when all are known.

    Its phases were laid out from a stand-in start of 0; an open phase (until an event) has no
    length apart from its start, so it counts as unknown too.
    """
    complete = not row.note and not any(row.until) and all(stop is not None for _, stop in row.segments)
    row.floating = [(a, b) for a, b in row.segments if b is not None] if complete and row.segments else []
    row.segments, row.unknown, row.until = [], [], []
    row.note = START_NOT_REPORTED if row.floating else TIMING_NOT_REPORTED


def lay_out_phases(case: Case, row: Row, phases: list[Phase], where: str, assumptions: CalendarAssumptions) -> None:
    """Each phase follows the one before (after its gap); from the first unknown time on, the rest is unknown."""
    t = row.start
    for i, phase in enumerate(phases):
        here = f"{where}.phases[{i}]"
        if is_not_reported(phase.gap):
            row.note = TIMING_NOT_REPORTED
        elif phase.gap:
            t += span_days(parse_span(phase.gap, f"{here}.gap", BadTime, f"{TIME_TODO}."), assumptions)
        length, known = phase_length(phase, here, assumptions)
        if not known:
            row.note = LENGTH_NOT_REPORTED
        if row.note:
            row.unknown = [(t, None)]
            return
        stop = event_time(case, phase.until, assumptions) if length is None else t + length
        stop = stop if stop is None or stop >= t else None
        row.segments.append((t, stop))
        row.until.append(phase.until)
        t = stop if stop is not None else t


def phase_length(phase: Phase, here: str, assumptions: CalendarAssumptions) -> tuple[float | None, bool]:
    """(days, known): days None is open-ended (until an event); known False when the source did not say."""
    if is_not_reported(phase.duration):
        return None, False
    if phase.duration:
        written = re.sub(r"^(?:for\s+)?(\S+)\s+(?:consecutive\s+)?", r"\1 ", phase.duration.strip(), flags=re.I)
        try:
            return span_days(parse_span(written, f"{here}.duration", BadTime, ""), assumptions), True
        except DosingError:
            pass  # a count of administrations: its length needs the frequency
    if phase.frequency is None or is_not_reported(phase.frequency):
        if phase.duration is None and phase.until:
            return None, True
        return None, False
    frequency = parse_frequency(phase.frequency, f"{here}.frequency")
    duration = parse_duration(phase.duration, phase.until, f"{here}.duration", frequency)  # a single dose needs none
    return phase_days(frequency, duration, assumptions), True


OFFSET_FROM_EVENT = re.compile(r"(?P<offset>[+]?\d+(?:\.\d+)?\s*[a-z]+)\s+(?P<dir>after|before)\s+(?P<event>.+)", re.I)


def regimen_start(case: Case, text: str, where: str, assumptions: CalendarAssumptions) -> float | None:
    """The start in days: relative to presentation, 'N weeks after EVENT', or None when not reported."""
    if is_not_reported(text):
        return None
    match = OFFSET_FROM_EVENT.fullmatch(" ".join(text.split()))
    if not match:
        return span_days(parse_time_point(text, where), assumptions)
    base = named_event_time(case, match["event"], where, assumptions)
    offset = span_days(parse_span(match["offset"].lstrip("+"), where, BadTime, f"{TIME_TODO}."), assumptions)
    return base + offset if match["dir"].lower() == "after" else base - offset


def named_event_time(case: Case, name: str, where: str, assumptions: CalendarAssumptions) -> float:
    """The time of the timeline event a start is counted from ('presentation' is 0 unless an event says so)."""
    wanted = name.strip().lower()
    for event in case.timeline:
        if event.event.strip().lower() == wanted or wanted in event.event.strip().lower():
            return span_days(parse_time_point(event.time, where), assumptions)
    if wanted == "presentation":
        return 0.0
    events = ", ".join(f'"{e.event}"' for e in case.timeline) or "none"
    raise BadTime(
        where, f'"{name}" is no timeline event', f"Name one of the timeline's events ({events}), or give a time.",
    )


def event_row(case: Case, index: int, where: str, assumptions: CalendarAssumptions, bars: list[Row]) -> Row:
    """A timeline event as a mark, or as a bar when it spans time no regimen already shows."""
    event = case.timeline[index]
    here = f"{where}, timeline[{index}]"
    if is_not_reported(event.time):
        return Row(event.event, 0.0, event.event, note=TIMING_NOT_REPORTED, start_known=False)
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
            b.segments and abs(b.start - start) < 1 and b.segments[-1][1] is not None
            and abs(b.segments[-1][1] - end) < 1
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
    """The axis end in days, from known times only; an open or unknown segment starting last runs a little past it.

    A course whose start is not reported is drawn apart, to the axis scale: when it is longer
    than the known times span, the axis reaches its length so that the scale shows it.
    """
    placed = [r for r in rows if r.start_known]
    known = [r.start for r in placed] + [e for r in placed for _, e in r.segments if e is not None]
    end = max(known + [0.0])
    open_starts = [s for r in placed for s, e in r.segments + r.unknown if e is None]
    if open_starts and max(open_starts) >= end - 1:
        end = max(open_starts) + max(0.2 * max(end, 0.0), 7.0)
    lengths = [r.length for r in rows if r.length is not None]
    return max([end] + [min([0.0] + [t for t in known if t >= -length]) + length for length in lengths])


def event_time(case: Case, until: str | None, assumptions: CalendarAssumptions) -> float | None:
    """The time of the timeline event named by a phase's `until` (e.g. 'last follow-up')."""
    if not until:
        return None
    for event in case.timeline:
        if until.strip().lower() in event.event.strip().lower() and not is_not_reported(event.time):
            return span_days(parse_time_point(event.time, "timeline"), assumptions)
    return None
