"""The timeline figure: treatment phases as bars and events as marks, on one time axis.

Rows run top to bottom in time order, each labelled on the left, so the figure stays readable
at column width (8 cm at 200 dpi) however many events a case has. Times are relative to
presentation. When the history reaches far back (lesions first noted 10 years earlier), the
axis is broken: the distant past is drawn compressed to the left of a break mark, and its
ticks carry the real times, so that the months of treatment are not squeezed into a sliver.

matplotlib's object-oriented API with the Agg canvas is used rather than pyplot, which is slow
to import in the kernel and keeps global state. PNG metadata holds no date or version, so the
same case always gives the same bytes.
"""

from __future__ import annotations

import io
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

from caseletter.case.model import Case
from caseletter.dosing.timeline_rows import Axis, Row, choose_axis, close_open_ends, collect_rows
from caseletter.dosing.units import CalendarAssumptions, format_number

WIDTH_IN = 8 / 2.54
DPI = 200
FONT_PT = 6.5
LABEL_CHARS = 26
PHASE_COLOURS = ("#1f4e79", "#7fa7d1")
SPAN_COLOUR = "#9a9a9a"
MARK_COLOUR = "#111111"


@dataclass(frozen=True)
class TimelineFigure:
    """The drawn figure: PNG bytes, alt text for HTML, and a Markdown legend."""

    png: bytes
    alt: str
    legend: str


def draw_timeline(case: Case, case_path: Path, assumptions: CalendarAssumptions | None = None) -> TimelineFigure | None:
    """Draw the case's timeline; None when the case has neither timeline events nor interventions.

    Raises:
        DosingError: a time, a regimen start or a phase that cannot be read (naming its field).
    """
    assumptions = assumptions or CalendarAssumptions()
    rows = collect_rows(case, str(case_path), assumptions)
    if not rows:
        return None
    end = close_open_ends(rows)
    axis = choose_axis(rows, end, assumptions)
    png = render_png(rows, axis, end)
    return TimelineFigure(png, describe_alt(rows, axis), describe_legend(rows, axis))


def wrap_label(label: str) -> str:
    """Wrap each line of a row label to fit the left column at column width."""
    label = re.sub(r"(?<=/m)2\b", "²", label).replace("$", r"\$")  # never read as mathtext
    return "\n".join(w for line in label.splitlines() for w in textwrap.wrap(line, LABEL_CHARS) or [""])


_RECENT_DRAWINGS: dict[str, bytes] = {}
_RECENT_LIMIT = 4


def render_png(rows: list[Row], axis: Axis, end: float) -> bytes:
    """The PNG of these rows, drawn again only when they differ from a recent drawing.

    Drawing takes about half the time of writing a letter; a kernel kept warm between saves
    (the preview) would otherwise draw the same timeline after every edit of the text.
    """
    key = repr((rows, axis, end))
    if key not in _RECENT_DRAWINGS:
        if len(_RECENT_DRAWINGS) >= _RECENT_LIMIT:
            _RECENT_DRAWINGS.pop(next(iter(_RECENT_DRAWINGS)))
        _RECENT_DRAWINGS[key] = draw_png(rows, axis, end)
    return _RECENT_DRAWINGS[key]


def draw_png(rows: list[Row], axis: Axis, end: float) -> bytes:
    """Draw the rows with matplotlib's Agg canvas and return deterministic PNG bytes."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    labels = [wrap_label(r.label) for r in rows]
    heights = [1.0 + 0.45 * lab.count("\n") for lab in labels]
    centres = [sum(heights[:i]) + h / 2 for i, h in enumerate(heights)]
    fig = Figure(figsize=(WIDTH_IN, 0.45 + 0.16 * sum(heights)), dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    left = axis.x(min([r.start for r in rows] + [0.0]))
    right = axis.x(end)
    pad = 0.04 * (right - left)
    ax.set_xlim(left - pad, right + pad)
    ax.set_ylim(sum(heights), 0)
    for row, y in zip(rows, centres):
        draw_row(ax, row, y, axis, end, left - pad)
    ax.axvline(0, color="#555555", lw=0.6, ls="--", zorder=0)
    style_axes(ax, labels, centres, rows, axis, end)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, metadata={"Software": None})
    return buf.getvalue()


def draw_row(ax, row: Row, y: float, axis: Axis, end: float, left: float) -> None:
    """Bars for a row's segments (an arrow for an open one), or a diamond for a mark."""
    if not row.is_bar:
        x = axis.x(row.start)
        ax.hlines(y, left, x, colors="#cfcfcf", lw=0.5, linestyles=":", zorder=0)
        ax.plot([x], [y], marker="D", ms=3.5, color=MARK_COLOUR, zorder=3)
        return
    colours = PHASE_COLOURS if row.until else (SPAN_COLOUR,)
    for i, (start, stop) in enumerate(row.segments):
        x0, x1 = axis.x(start), axis.x(end if stop is None else stop)
        ax.barh(
            y, max(x1 - x0, 0.0), left=x0, height=0.5, color=colours[i % len(colours)], edgecolor="white", lw=0.4,
            zorder=2,
        )
        if stop is None:
            ax.plot([x1], [y], marker=">", ms=4.5, color=colours[i % len(colours)], clip_on=False, zorder=3)


def style_axes(ax, labels: list[str], centres: list[float], rows: list[Row], axis: Axis, end: float) -> None:
    """Row labels on the left, readable ticks below, a break mark when the past is compressed."""
    from matplotlib.ticker import MaxNLocator

    ax.set_yticks(centres, labels, fontsize=FONT_PT, linespacing=1.1)
    ax.tick_params(axis="y", length=0, pad=3)
    main_lo = axis.brk if axis.brk is not None else axis.x(min([r.start for r in rows] + [0.0]))
    ticks = [
        t
        for t in MaxNLocator(nbins=5, steps=[1, 2, 3, 6, 10], integer=True).tick_values(main_lo, end / axis.unit_days)
        if main_lo <= t <= end / axis.unit_days + 1e-9
    ]
    texts = [format_number(t).replace("-", "−") for t in ticks]
    remote = sorted({r.start for r in rows if axis.brk is not None and r.start / axis.unit_days < axis.brk})
    ax.set_xticks([axis.x(t) for t in remote] + ticks, [short_time(t) for t in remote] + texts, fontsize=FONT_PT)
    ax.tick_params(axis="x", length=2, width=0.5, pad=2)
    ax.set_xlabel(f"{axis.unit_name.capitalize()} from presentation", fontsize=FONT_PT)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.spines["bottom"].set_linewidth(0.5)
    ax.grid(axis="x", color="#eeeeee", lw=0.5, zorder=-1)
    ax.set_axisbelow(True)
    if axis.brk is not None:
        draw_break(ax, axis.brk)


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


def short_time(days: float) -> str:
    """A compact tick label for a time in the compressed past: '−10 y', '−18 mo'."""
    years = days / 365.25
    return f"−{plain_number(abs(years))} y" if abs(years) >= 2 else f"−{plain_number(abs(days) / 30.4375)} mo"


def describe_time(days: float, axis: Axis) -> str:
    """A time in words for alt text: 'presentation', '3 months', '10 years before presentation'."""
    if abs(days) < 0.5:
        return "presentation"
    years = abs(days) / 365.25
    value, unit = (years, "years") if years >= 2 else (abs(days) / axis.unit_days, axis.unit_name)
    amount = f"{plain_number(value)} {unit[:-1] if plain_number(value) == '1' else unit}"
    return f"{amount} before presentation" if days < 0 else amount


def plain_number(value: float) -> str:
    """A number for prose: whole numbers bare, others to one decimal ('8', '2.3')."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def describe_alt(rows: list[Row], axis: Axis) -> str:
    """Alt text that says what the figure shows, row by row, for readers who cannot see it."""
    parts = []
    for row in rows:
        if not row.is_bar:
            parts.append(f"{describe_time(row.start, axis)}: {row.describe}")
            continue
        stop = row.segments[-1][1]
        until = f"to {describe_time(stop, axis)}" if stop is not None else "continuing at last follow-up"
        parts.append(f"bar for {row.describe}, from {describe_time(row.start, axis)} {until}")
    return (
        f"Timeline of the case in {axis.unit_name} from presentation, top to bottom in time order. "
        + "; ".join(parts)
        + "."
    )


def describe_legend(rows: list[Row], axis: Axis) -> str:
    """The figure's Markdown legend, explaining bars, marks, arrows and any axis break."""
    text = f"Timeline of the case, in {axis.unit_name} from presentation (0, dashed line). Bars show treatment"
    if any(len(r.segments) > 1 for r in rows):
        text += ", alternating shades marking its successive phases"
    text += "; diamonds mark events"
    if any(e is None for r in rows for _, e in r.segments):
        text += "; an arrowhead marks treatment that continued at last follow-up"
    if axis.brk is not None:
        text += ". The axis is broken: earlier events are drawn compressed and labelled with their times"
    return text + "."
