"""The timeline figure: treatment phases as bars and events as marks, on one time axis.

Rows run top to bottom in time order, each labelled on the left. The figure is drawn at column
width (8 cm) with 7 pt lettering and shown at the full width of the HTML text column, so its
text stays at least 9 px high on a 360 px phone. Times are relative to presentation, in the unit
the span calls for (`timeline_axis`). Tick steps are chosen from the span and the figure's
width, then checked against the labels' measured extents, so ticks never overlap. A course
too short for the axis (five days on two years) is drawn at a minimum width and labelled with
its length. One regimen keeps one colour; a thin white line divides its phases.

No extent the source did not give is drawn. A course whose length is not reported ends in a
short hatched stub and a '?'. A course whose start is not reported is drawn right of the axis,
after a gap and a dotted line: a bar of its reported length to the axis' scale after a '?', or
a '?' alone when its length is not reported either. Row labels keep to two lines (the full
regimen is in the alt text) and every text is at least 7 pt, so on a 360 px phone, where the
figure is about 310 px wide, no letter is drawn below 9 px.

matplotlib's object-oriented API with the Agg canvas is used rather than pyplot, which is slow
to import in the kernel and keeps global state. PNG metadata holds no date or version, so the
same case always gives the same bytes.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from caseletter.case.model import Case
from caseletter.dosing.timeline_axis import SHORT_UNITS, TICK_STEPS, first_step, remote_unit, tick_values
from caseletter.dosing.timeline_labels import wrapped
from caseletter.dosing.timeline_rows import Axis, Row, choose_axis, close_open_ends, collect_rows
from caseletter.dosing.timeline_text import describe_alt, describe_legend, describe_length, plain_number
from caseletter.dosing.units import CalendarAssumptions, format_number

WIDTH_IN = 8 / 2.54
DPI = 300
FONT_PT = 7.0
MIN_BAR_PT = 3.0
STUB_PT = 8.0
BAR_COLOUR = "#1f4e79"
DIVIDER_PT = 0.8
SPAN_COLOUR = "#9a9a9a"
MARK_COLOUR = "#111111"
UNKNOWN_COLOUR = "#6b6b6b"


@dataclass(frozen=True)
class TimelineFigure:
    """The drawn figure: PNG bytes, alt text for HTML, and a Markdown legend."""

    png: bytes
    alt: str
    legend: str


@dataclass(frozen=True)
class TimelineLayout:
    """What the figure is drawn from: rows in time order, the axis, and its end in days."""

    rows: list[Row]
    axis: Axis
    end: float
    assumptions: CalendarAssumptions


def lay_out_timeline(
    case: Case, case_path: Path, assumptions: CalendarAssumptions | None = None
) -> TimelineLayout | None:
    """The rows and axis of the case's timeline; None when it has neither events nor interventions.

    Raises:
        DosingError: a time, a regimen start or a phase that cannot be read (naming its field).
    """
    assumptions = assumptions or CalendarAssumptions()
    rows = collect_rows(case, str(case_path), assumptions)
    if not rows:
        return None
    end = close_open_ends(rows)
    return TimelineLayout(rows, choose_axis(rows, end, assumptions), end, assumptions)


def draw_timeline(
    case: Case, case_path: Path, assumptions: CalendarAssumptions | None = None, dpi: int = DPI
) -> TimelineFigure | None:
    """Draw the case's timeline; None when the case has neither timeline events nor interventions.

    `dpi` only sets how finely the same layout is rasterised: a journal's figure file may need
    more pixels across than the letter's column-width drawing has.
    """
    layout = lay_out_timeline(case, case_path, assumptions)
    if layout is None:
        return None
    png = render_png(layout, dpi)
    return TimelineFigure(png, describe_alt(layout.rows, layout.axis), describe_legend(layout.rows, layout.axis))


def wrap_label(label: str) -> str:
    """Wrap each line of a row label to fit the left column at column width."""
    return "\n".join(wrapped(label.replace("$", r"\$")))  # never read as mathtext


_RECENT_DRAWINGS: dict[str, bytes] = {}
_RECENT_LIMIT = 4


def render_png(layout: TimelineLayout, dpi: int = DPI) -> bytes:
    """The PNG of this layout, drawn again only when it differs from a recent drawing.

    Drawing takes about half the time of writing a letter; a kernel kept warm between saves
    (the preview) would otherwise draw the same timeline after every edit of the text.
    """
    key = f"{dpi} {layout!r}"
    if key not in _RECENT_DRAWINGS:
        if len(_RECENT_DRAWINGS) >= _RECENT_LIMIT:
            _RECENT_DRAWINGS.pop(next(iter(_RECENT_DRAWINGS)))
        buf = io.BytesIO()
        build_figure(layout).savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
        _RECENT_DRAWINGS[key] = buf.getvalue()
    return _RECENT_DRAWINGS[key]


def build_figure(layout: TimelineLayout):
    """The matplotlib Figure, laid out: axes styled, ticks fitted to their measured labels, then rows drawn.

    Rows are drawn last because a short course's minimum width is a width in points, known only
    once the layout has fixed the axes' size.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    rows, axis, end = layout.rows, layout.axis, layout.end
    labels = [wrap_label(r.label) for r in rows]
    heights = [1.0 + 0.45 * lab.count("\n") for lab in labels]
    centres = [sum(heights[:i]) + h / 2 for i, h in enumerate(heights)]
    fig = Figure(figsize=(WIDTH_IN, 0.5 + 0.17 * sum(heights)), dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    left = axis.x(min([r.start for r in rows if r.start_known] + [0.0]))
    pad = 0.04 * (axis.x(end) - left)
    zone = apart_zone(rows, axis, axis.x(end) + pad, axis.x(end) - left)
    ax.set_xlim(left - pad, zone[1] if zone else axis.x(end) + pad)
    ax.set_ylim(sum(heights), 0)
    style_axes(ax, labels, centres, axis)
    fit_ticks(fig, ax, layout)
    min_width = MIN_BAR_PT / points_per_unit(ax)
    for row, y in zip(rows, centres):
        if row.start_known:
            draw_row(ax, row, y, axis, left - pad, min_width)
        else:
            draw_apart(ax, row, y, axis, zone, min_width)
    ax.axvline(0, color="#555555", lw=0.6, ls="--", zorder=0)
    if zone:
        mark_zone(ax, left - pad, axis.x(end) + pad, zone)
    if axis.brk is not None:
        draw_break(ax, axis.brk)
    return fig


def draw_row(ax, row: Row, y: float, axis: Axis, left: float, min_width: float) -> None:
    """Bars for a row's segments (an arrow for an open one), a stub where its length is unknown, or a diamond."""
    if not row.is_bar:
        x = axis.x(row.start)
        ax.hlines(y, left, x, colors="#cfcfcf", lw=0.5, linestyles=":", zorder=0)
        ax.plot([x], [y], marker="D", ms=3.5, color=MARK_COLOUR, zorder=3)
        return
    colour = BAR_COLOUR if row.treatment else SPAN_COLOUR
    for i, (start, stop) in enumerate(row.segments):
        x0, x1 = axis.x(start), axis.x(stop) if stop is not None else ax.get_xlim()[1]
        width = draw_bar(ax, y, x0, max(x1 - x0, min_width), colour)
        if stop is None:
            ax.plot([x0 + width], [y], marker=">", ms=4.5, color=colour, clip_on=False, zorder=3)
        elif x1 - x0 < 2 * min_width and not row.unknown and i == len(row.segments) - 1:
            note_beside(ax, x0 + width, y, describe_length(stop - row.segments[0][0]))
    for start, _ in row.unknown:
        if not row.segments:  # the start is known: say so with a solid edge
            draw_bar(ax, y, axis.x(start), min_width, colour)
        draw_unknown(ax, axis.x(start) + min_width, y, row.note)


def draw_bar(ax, y: float, x0: float, width: float, colour: str) -> float:
    """One phase's bar; its white edge is the thin line that divides it from the next phase."""
    ax.barh(y, width, left=x0, height=0.5, color=colour, edgecolor="white", lw=DIVIDER_PT, zorder=2)
    return width


def draw_unknown(ax, x0: float, y: float, note: str) -> None:
    """A short hatched stub and a '?' from `x0`: the course went on for a time the source did not report.

    The stub has a fixed width in points, never a length on the axis, so it cannot be read as
    one; the note says what is missing.
    """
    stub = STUB_PT / points_per_unit(ax)
    ax.barh(
        y, stub, left=x0, height=0.5, facecolor="none", edgecolor=UNKNOWN_COLOUR, hatch="////", lw=0.5,
        ls=(0, (2, 1.5)), zorder=2,
    )
    question_mark(ax, x0 + stub, y, "left")
    right_half = x0 > sum(ax.get_xlim()) / 2  # the note ends at the axis end rather than running past it
    note_above(ax, ax.get_xlim()[1] if right_half else x0, y, note, "right" if right_half else "left")


def draw_apart(ax, row: Row, y: float, axis: Axis, zone: tuple[float, float], min_width: float) -> None:
    """A course whose start is not reported, right of the axis: '?', then its phases to scale if their length is known.

    With no known length, the '?' stands alone: a span would claim a length the source did not give.
    """
    x0 = zone[0]
    for start, stop in row.floating:
        draw_bar(ax, y, x0 + start / axis.unit_days, max((stop - start) / axis.unit_days, min_width), BAR_COLOUR)
    if row.floating:
        question_mark(ax, x0, y, "right")
    else:
        ax.plot([x0], [y], marker="o", ms=7, mfc="white", mec=UNKNOWN_COLOUR, mew=0.6, zorder=3)
        question_mark(ax, x0, y, "center")
    note_above(ax, zone[1], y, row.note, "right")


def apart_zone(rows: list[Row], axis: Axis, main_right: float, main_width: float) -> tuple[float, float] | None:
    """(left, right) in axis units of the strip right of the axis for courses whose start is not reported.

    It lies after a gap, so that no such course is read as placed in time; it is as wide as the
    longest known length (to the axis' scale), or narrow when only '?' marks are drawn there.
    """
    unplaced = [r for r in rows if not r.start_known]
    if not unplaced:
        return None
    main_width = max(main_width, 1.0)
    longest = max([r.length / axis.unit_days for r in unplaced if r.length is not None] + [0.0])
    left = main_right + 0.1 * main_width
    return left, left + max(longest, 0.04 * main_width) + 0.04 * main_width


def mark_zone(ax, main_left: float, main_right: float, zone: tuple[float, float]) -> None:
    """A dotted line between the time axis and the strip of courses not placed in time; the axis line stops at it."""
    ax.axvline((main_right + zone[0]) / 2, color="#9a9a9a", lw=0.5, ls=":", zorder=0)
    ax.spines["bottom"].set_bounds(main_left, main_right)


def points_per_unit(ax) -> float:
    """Points per axis unit, once the layout has fixed the axes' width."""
    return ax.get_window_extent().width * 72 / ax.figure.dpi / (ax.get_xlim()[1] - ax.get_xlim()[0])


def question_mark(ax, x: float, y: float, ha: str) -> None:
    """A '?' at a time the source did not report."""
    offset = {"left": 1.5, "right": -1.5, "center": 0}[ha]
    text = ax.annotate("?", (x, y), xytext=(offset, 0), textcoords="offset points", fontsize=FONT_PT,
                       weight="bold", va="center", ha=ha, color=UNKNOWN_COLOUR, zorder=4)
    text.set_in_layout(False)


def note_above(ax, x: float, y: float, note: str, ha: str) -> None:
    """What the source did not report, in italics just above the row's bar."""
    text = ax.text(x, y - 0.3, note, fontsize=FONT_PT, style="italic", va="bottom", ha=ha, color="#333333",
                   zorder=4)
    text.set_in_layout(False)


def note_beside(ax, x: float, y: float, note: str) -> None:
    """A short course's length, just right of its bar, where its bar alone could not show it."""
    text = ax.annotate(note, (x, y), xytext=(2, 0), textcoords="offset points", fontsize=FONT_PT,
                       va="center", ha="left", color="#333333", zorder=4)
    text.set_in_layout(False)


def style_axes(ax, labels: list[str], centres: list[float], axis: Axis) -> None:
    """Row labels on the left, a quiet frame, and the axis title in the main part's unit."""
    ax.set_yticks(centres, labels, fontsize=FONT_PT, linespacing=1.1)
    ax.tick_params(axis="y", length=0, pad=3)
    ax.tick_params(axis="x", length=2, width=0.5, pad=2, labelsize=FONT_PT)
    title = f"{axis.unit_name.capitalize()} from presentation"
    ax.set_xlabel(title, fontsize=FONT_PT)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.spines["bottom"].set_linewidth(0.5)
    ax.grid(axis="x", color="#eeeeee", lw=0.5, zorder=-1)
    ax.set_axisbelow(True)


def fit_ticks(fig, ax, layout: TimelineLayout) -> None:
    """Ticks whose labels, measured by the renderer, never overlap: the finest step that fits.

    The first step tried is estimated from the span and the axes' width; each try is drawn
    (without rendering) and its labels' extents compared. Remote times left of the break keep
    only those that do not collide, earliest first.
    """
    axis, end = layout.axis, layout.end
    lo = axis.brk if axis.brk is not None else axis.x(min([r.start for r in layout.rows if r.start_known] + [0.0]))
    hi = end / axis.unit_days
    remote = remote_ticks(layout)
    fig.draw_without_rendering()
    room = ax.get_window_extent().width * 72 / fig.dpi * (hi - lo) / (ax.get_xlim()[1] - ax.get_xlim()[0])
    steps = TICK_STEPS[axis.unit_name]
    for step in steps[first_step(lo, hi, axis.unit_name, room, FONT_PT * 2.2) :]:
        main = [(t, format_number(t).replace("-", "−")) for t in tick_values(lo, hi, step)]
        if set_ticks_that_fit(fig, ax, remote, main):
            return
    set_ticks_that_fit(fig, ax, remote, [main[0], main[-1]] if len(main) > 1 else main)


def set_ticks_that_fit(fig, ax, remote: list[tuple[float, str]], main: list[tuple[float, str]]) -> bool:
    """Set remote and main ticks; False when main ticks overlap. Remote ticks that collide are dropped."""
    ax.set_xticks([x for x, _ in remote + main], [t for _, t in remote + main])
    fig.draw_without_rendering()
    boxes = label_extents(ax)
    main_boxes = boxes[len(remote) :]
    if any(overlap(a, b) for a, b in zip(main_boxes, main_boxes[1:])):
        return False
    kept, taken = [], list(main_boxes)
    for tick, box in zip(remote, boxes[: len(remote)]):
        if not any(overlap(box, other) for other in taken):
            kept.append(tick)
            taken.append(box)
    if len(kept) < len(remote):
        ax.set_xticks([x for x, _ in kept + main], [t for _, t in kept + main])
    return True


def label_extents(ax) -> list:
    """The x tick labels' boxes in display units, as the renderer draws them, in tick order."""
    renderer = ax.figure.canvas.get_renderer()
    return [label.get_window_extent(renderer) for label in ax.get_xticklabels()]


def overlap(a, b) -> bool:
    """True when two label boxes overlap, or come closer than half a letter's height, along the x axis."""
    gap_px = 0.5 * FONT_PT * DPI / 72
    return a.x0 < b.x1 + gap_px and b.x0 < a.x1 + gap_px


def remote_ticks(layout: TimelineLayout) -> list[tuple[float, str]]:
    """(position, label) for each distinct time left of the break, in the unit the remote past calls for."""
    axis = layout.axis
    remote = sorted({r.start for r in layout.rows if r.start_known and axis.is_remote(r.start)})
    if not remote:
        return []
    unit_days, unit_name = remote_unit(remote[0], layout.assumptions)
    return [(axis.x(t), f"−{plain_number(abs(t) / unit_days)} {SHORT_UNITS[unit_name]}") for t in remote]


def draw_break(ax, x: float) -> None:
    """Two slanted strokes across the x axis where the compressed past ends."""
    width = 0.012 * (ax.get_xlim()[1] - ax.get_xlim()[0])
    trans = ax.get_xaxis_transform()
    ax.axvspan(x - width, x + width, ymin=0, ymax=1, color="white", zorder=1)
    for dx in (-width, width):
        ax.plot(
            [x + dx - width * 0.6, x + dx + width * 0.6], [-0.025, 0.025],
            transform=trans, color="black", lw=0.6, clip_on=False, zorder=4,
        )
