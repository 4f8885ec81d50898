"""The timeline for cases not shaped like the example: its unit, its break, its ticks, short and unknown courses."""

from __future__ import annotations

import pytest

from caseletter.case.model import Case
from caseletter.case.source import load_case
from caseletter.dosing.timeline import BAR_COLOUR, MIN_BAR_PT, build_figure, lay_out_timeline
from caseletter.dosing.timeline_rows import LENGTH_NOT_REPORTED, START_NOT_REPORTED
from helpers import EXAMPLE_CASE

FIVE_DAYS = {"dose": "1 g", "frequency": "once daily", "duration": "5 days"}


def case_with(phases: list[dict], events: list[tuple[str, str]], start: str = "0") -> Case:
    """The example case with one regimen of these phases and these (time, event) timeline entries."""
    data = load_case(EXAMPLE_CASE).model_dump()
    data["interventions"] = [{"drug": "methylprednisolone", "route": "IV", "start": start, "phases": phases}]
    data["timeline"] = [{"time": time, "event": event} for time, event in events]
    return Case.model_validate(data)


def laid_out(case: Case):
    return lay_out_timeline(case, EXAMPLE_CASE)


def drawn(case: Case):
    """The built figure and its one axes, drawn so that every extent is final."""
    fig = build_figure(laid_out(case))
    fig.draw_without_rendering()
    return fig, fig.axes[0]


def bar_row(layout):
    return next(r for r in layout.rows if r.is_bar)


def tick_texts(ax) -> list[str]:
    return [label.get_text() for label in ax.get_xticklabels()]


def test_five_day_course_is_drawn_in_days():
    layout = laid_out(case_with([FIVE_DAYS], [("0", "Presentation"), ("7 days", "Follow-up")]))
    assert layout.axis.unit_name == "days"
    assert layout.axis.brk is None
    assert bar_row(layout).segments == [(0.0, 5.0)]


def test_course_of_a_few_weeks_is_drawn_in_weeks():
    phases = [{"dose": "1 g", "frequency": "once daily", "duration": "3 weeks"}]
    layout = laid_out(case_with(phases, [("0", "Presentation"), ("6 weeks", "Follow-up")]))
    assert layout.axis.unit_name == "weeks"
    assert layout.axis.brk is None


def test_long_follow_up_is_drawn_in_years():
    phases = [{"dose": "1 g", "frequency": "once weekly", "duration": "2 years"}]
    layout = laid_out(case_with(phases, [("0", "Presentation"), ("5 years", "Last follow-up")]))
    assert layout.axis.unit_name == "years"


def test_a_five_day_course_on_a_two_year_axis_is_a_visible_labelled_bar():
    case = case_with([FIVE_DAYS], [("0", "Presentation"), ("2 years", "Last follow-up")])
    fig, ax = drawn(case)
    bars = [p for p in ax.patches if p.get_facecolor()[:3] == pytest.approx(hex_rgb(BAR_COLOUR))]
    assert len(bars) == 1
    width_pt = bars[0].get_window_extent().width * 72 / fig.dpi
    assert width_pt >= MIN_BAR_PT - 0.01
    assert "5 days" in [t.get_text() for t in ax.texts]


def test_years_of_history_break_the_axis_and_label_the_past_in_years():
    phases = [{"dose": "1 g", "frequency": "once daily", "duration": "3 weeks"}]
    case = case_with(phases, [("-10 years", "Lesions first noted"), ("0", "Presentation"), ("6 weeks", "Follow-up")])
    fig, ax = drawn(case)
    layout = laid_out(case)
    assert layout.axis.unit_name == "weeks" and layout.axis.brk is not None
    assert tick_texts(ax)[0] == "−10 y"
    assert all(t.lstrip("−").isdigit() for t in tick_texts(ax)[1:])  # the main side: bare weeks
    assert ax.get_xlabel() == "Weeks from presentation"


def test_a_history_of_weeks_is_not_broken():
    case = case_with([FIVE_DAYS], [("-3 weeks", "Rash began"), ("0", "Presentation"), ("2 weeks", "Follow-up")])
    assert laid_out(case).axis.brk is None


SPANS = [
    pytest.param([FIVE_DAYS], [("0", "Presentation"), ("6 days", "Follow-up")], id="five_days"),
    pytest.param([FIVE_DAYS], [("0", "Presentation"), ("15 days", "Follow-up")], id="fifteen_days"),
    pytest.param([{"dose": "2 g", "frequency": "daily", "duration": "17 weeks"}], [("0", "Start")], id="17_weeks"),
    pytest.param([{"dose": "2 g", "frequency": "daily", "duration": "35 months"}], [("0", "Start")], id="35_months"),
    pytest.param([{"dose": "2 g", "frequency": "daily", "duration": "40 years"}], [("0", "Start")], id="40_years"),
    pytest.param(
        [FIVE_DAYS], [("-30 years", "First"), ("-12 years", "Second"), ("-2 years", "Third"), ("0", "Presentation"),
                      ("8 months", "Follow-up")], id="remote_times_crowded",
    ),
]


@pytest.mark.parametrize(("phases", "events"), SPANS)
def test_tick_labels_never_overlap(phases, events):
    fig, ax = drawn(case_with(phases, events))
    renderer = fig.canvas.get_renderer()
    boxes = sorted(
        (label.get_window_extent(renderer) for label in ax.get_xticklabels() if label.get_text()), key=lambda b: b.x0
    )
    assert len(boxes) >= 2
    for left, right in zip(boxes, boxes[1:]):
        assert left.x1 < right.x0, f"{tick_texts(ax)} overlap"


def test_taper_reads_as_the_regimen():
    phases = [{"dose": "60 mg", "taper_to": "20 mg", "frequency": "daily", "duration": "6 weeks"}]
    row = bar_row(laid_out(case_with(phases, [("0", "Presentation")])))
    assert row.label.splitlines()[1] == "60 → 20 mg daily, taper"


def test_frequency_is_written_short():
    phases = [{"dose": "12.5 g", "frequency": "3 times weekly", "duration": "8 weeks"},
              {"dose": "40 mg/day", "duration": "2 weeks"}]
    row = bar_row(laid_out(case_with(phases, [("0", "Presentation")])))
    assert row.full_label.splitlines()[1] == "12.5 g 3×/week, then 40 mg/day"


def test_unknown_start_is_drawn_as_unknown_never_as_zero():
    case = case_with([FIVE_DAYS], [("0", "Presentation"), ("3 months", "Follow-up")], start="not reported")
    row = next(r for r in laid_out(case).rows if r.label.startswith("IV methylprednisolone"))
    assert not row.start_known and row.segments == [] and row.note == START_NOT_REPORTED
    assert row.floating == [(0.0, 5.0)]  # its length only, from a start not placed in time
    fig, ax = drawn(case)
    assert START_NOT_REPORTED in [t.get_text() for t in ax.texts]
    assert "?" in [t.get_text() for t in ax.texts]


def test_unknown_length_draws_the_start_and_leaves_the_rest_open():
    phases = [{"dose": "1 g", "frequency": "once daily", "duration": "not reported"}]
    case = case_with(phases, [("0", "Presentation"), ("3 months", "Follow-up")], start="2 weeks after presentation")
    row = next(r for r in laid_out(case).rows if r.is_bar)
    assert row.start == pytest.approx(14) and row.unknown == [(pytest.approx(14), None)]
    assert row.note == LENGTH_NOT_REPORTED


def test_start_counted_from_a_timeline_event():
    case = case_with([FIVE_DAYS], [("0", "Presentation"), ("1 month", "Skin biopsy")], start="2 weeks after biopsy")
    row = next(r for r in laid_out(case).rows if r.is_bar)
    assert row.start == pytest.approx(365.25 / 12 + 14)


def hex_rgb(colour: str) -> tuple[float, float, float]:
    return tuple(int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
