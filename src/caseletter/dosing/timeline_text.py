"""The timeline in words: its alt text, its legend, and its rows as a table of times and events.

Nothing here draws, so a letter that prints the timeline as a table never imports matplotlib.
"""

from __future__ import annotations

from caseletter.dosing.timeline_axis import Axis
from caseletter.dosing.timeline_rows import Row


def plain_number(value: float) -> str:
    """A number for prose: whole numbers bare, others to one decimal ('8', '2.3')."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def describe_time(days: float, axis: Axis) -> str:
    """A time in words: 'presentation', '3 months', '10 years before presentation'."""
    if abs(days) < 0.5:
        return "presentation"
    years = abs(days) / 365.25
    value, unit = (years, "years") if years >= 2 else (abs(days) / axis.unit_days, axis.unit_name)
    amount = f"{plain_number(value)} {unit[:-1] if plain_number(value) == '1' else unit}"
    return f"{amount} before presentation" if days < 0 else amount


def describe_length(days: float) -> str:
    """A short course's length for the label beside its bar: '1 day', '5 days', '2.5 weeks'."""
    value, unit = (days, "day") if days < 14 else (days / 7, "week")
    text = plain_number(value)
    return f"{text} {unit}" if text == "1" else f"{text} {unit}s"


def describe_span(row: Row, axis: Axis) -> str:
    """When a bar's treatment ran, in words, saying what the source did not report."""
    if row.length is not None:
        return f"{row.note}, lasting {describe_time(row.length, axis)}"
    if not row.start_known:
        return row.note
    begin = describe_time(row.start, axis)
    if row.unknown:
        return f"from {begin}, {row.note}"
    stop = row.segments[-1][1]
    return f"from {begin} to {describe_time(stop, axis)}" if stop is not None else f"from {begin}, continuing"


def describe_alt(rows: list[Row], axis: Axis) -> str:
    """Alt text that says what the figure shows, row by row, for readers who cannot see it."""
    parts = []
    for row in rows:
        if not row.is_bar:
            parts.append(f"{describe_time(row.start, axis)}: {row.describe}")
            continue
        when = describe_span(row, axis).replace(", continuing", " continuing at last follow-up")
        parts.append(f"bar for {row.describe}, {when}")
    return (
        f"Timeline of the case in {axis.unit_name} from presentation, top to bottom in time order. "
        + "; ".join(parts)
        + "."
    )


def describe_legend(rows: list[Row], axis: Axis) -> str:
    """The figure's Markdown legend, explaining bars, marks, arrows, unknown timing and any axis break."""
    text = f"Timeline of the case, in {axis.unit_name} from presentation (0, dashed line). Bars show treatment"
    if any(len(r.segments) > 1 or len(r.floating) > 1 for r in rows):
        text += ", one colour per regimen, a thin white line dividing its successive phases"
    text += "; diamonds mark events"
    if any(e is None for r in rows for _, e in r.segments):
        text += "; an arrowhead marks treatment that continued at last follow-up"
    return text + describe_unknown(rows) + describe_break(axis) + "."


def describe_unknown(rows: list[Row]) -> str:
    """The legend's words for each way the figure shows timing the source did not report."""
    text = ""
    if any(r.unknown for r in rows):
        text += "; a short hatched stub and ? mark treatment that went on for a time the source did not report"
    if any(r.floating for r in rows):
        text += (
            "; right of the dotted line, apart from the time axis, a bar after a ? shows a course whose start "
            "the source did not report, drawn to the axis' scale for its reported length"
        )
    if any(not r.start_known and r.treatment and not r.floating for r in rows):
        text += "; a ? alone, right of the dotted line, marks treatment whose timing the source did not report"
    return text


def describe_break(axis: Axis) -> str:
    """The legend's words for a broken axis, or nothing."""
    if axis.brk is None:
        return ""
    return (
        ". The axis is broken: earlier events are drawn compressed, left of the break, "
        "and labelled with their times"
    )


def timeline_entries(rows: list[Row], axis: Axis) -> list[tuple[str, str]]:
    """(time, event) pairs in time order, for a letter that prints the timeline as a table."""
    entries = []
    for row in rows:
        if row.is_bar:
            when = describe_span(row, axis)
            when = when[len("from "):] if when.startswith("from ") else when
            entries.append((when, row.describe))
        else:
            entries.append((row.note or describe_time(row.start, axis), row.describe))
    return [(time[:1].upper() + time[1:], event) for time, event in entries]
