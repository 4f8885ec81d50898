"""The timeline figure: what it draws, its alt text and legend, and its errors."""

from __future__ import annotations

import copy
import io
from pathlib import Path

import pytest
from PIL import Image

from caseletter.case.model import Case
from caseletter.case.source import load_case
from caseletter.dosing.timeline import draw_timeline
from caseletter.dosing.timeline_axis import Axis
from caseletter.dosing.timeline_rows import collect_rows
from caseletter.dosing.units import CalendarAssumptions
from caseletter.errors import DosingError
from helpers import FIXTURES

SEED = FIXTURES / "dosing" / "seed_regimens.yaml"
TAPER = FIXTURES / "dosing" / "weight_taper.yaml"


@pytest.fixture(scope="module")
def seed_figure():
    return draw_timeline(load_case(SEED), SEED)


def test_png_is_column_width_at_300_dpi(seed_figure):
    image = Image.open(io.BytesIO(seed_figure.png))
    assert image.format == "PNG"
    assert 925 <= image.width <= 960  # 8 cm at 300 dpi = 945 px: sharp at the 714 px desktop column
    assert image.height > 300  # eight rows need room


def test_png_is_deterministic_and_carries_no_date(seed_figure):
    again = draw_timeline(load_case(SEED), SEED)
    assert again.png == seed_figure.png
    info = Image.open(io.BytesIO(seed_figure.png)).info
    assert not any("date" in key.lower() or "time" in key.lower() for key in info)
    assert "Software" not in info


def test_rows_in_time_order_with_duplicate_span_drawn_once():
    rows = collect_rows(load_case(SEED), str(SEED), CalendarAssumptions())
    labels = [r.label.splitlines()[0] for r in rows]
    assert labels == [
        "Calcified lesions first noted", "Presentation; infusions started", "Initial course",
        "Marked reduction of deposits", "Stopped for suspected lupuslike flare",
        "Recurrence; once-weekly infusions resumed", "After recurrence", "Last follow-up",
    ]
    # The timeline's "0 until 8 months" span is the initial course: drawn as that bar, the event as a mark.
    assert [r.is_bar for r in rows] == [False, False, True, False, False, False, True, False]
    initial = rows[2]
    assert initial.segments == [(0.0, pytest.approx(243.5))]  # 8 × 30.4375 days
    # "until last follow-up" ends at the timeline event of that name: 14 months.
    assert rows[6].segments == [(pytest.approx(9 * 30.4375), pytest.approx(14 * 30.4375))]


def test_alt_text_describes_bars_and_events(seed_figure):
    alt = seed_figure.alt
    assert alt.startswith("Timeline of the case in months from presentation")
    assert "10 years before presentation: Calcified lesions first noted" in alt
    assert "bar for IV sodium thiosulfate (Initial course), 12.5 g 3 times weekly, from presentation to 8 months" in alt
    assert "3 months: Marked reduction of deposits" in alt
    assert "from 9 months to 14 months" in alt


def test_legend_explains_the_broken_axis(seed_figure):
    assert "diamonds mark events" in seed_figure.legend
    assert "axis is broken" in seed_figure.legend


def test_open_ended_phase_gets_an_arrow_and_says_so():
    data = load_case(SEED).model_dump()
    data["timeline"] = data["timeline"][:-1]  # no "last follow-up" event to end on
    figure = draw_timeline(Case.model_validate(data), SEED)
    assert "continuing at last follow-up" in figure.alt
    assert "arrowhead" in figure.legend


def test_taper_phases_follow_each_other_in_weeks():
    rows = collect_rows(load_case(TAPER), str(TAPER), CalendarAssumptions())
    assert rows[0].segments == [(0, 28), (28, 56), (56, 70)]
    figure = draw_timeline(load_case(TAPER), TAPER)
    assert "in weeks from presentation" in figure.alt
    assert "from presentation to 10 weeks" in figure.alt
    assert "a thin white line dividing its successive phases" in figure.legend
    assert "broken" not in figure.legend


def test_axis_break_compresses_only_the_distant_past():
    axis = Axis(30.4375, "months", brk=-1.0, squeeze=0.01)
    assert axis.x(3 * 30.4375) == pytest.approx(3)
    assert axis.x(-3652.5) == pytest.approx(-1 + (-120 + 1) * 0.01)


def test_case_without_timeline_or_interventions_draws_nothing():
    data = load_case(SEED).model_dump()
    data.update(timeline=[], interventions=[])
    assert draw_timeline(Case.model_validate(data), SEED) is None


def changed(path, key, index, field, value):
    data = copy.deepcopy(load_case(SEED).model_dump())
    data[key][index][field] = value
    return Case.model_validate(data)


@pytest.mark.parametrize(("key", "index", "field", "value", "where", "why"), [
    pytest.param(
        "timeline", 2, "time", "soon", "timeline[2].time", '"soon" is not a relative time', id="unreadable_event_time"
    ),
    pytest.param(
        "timeline", 1, "until", "later", "timeline[1].until", '"later" is not a relative time', id="unreadable_span_end"
    ),
    pytest.param(
        "timeline", 3, "until", "1 month", "timeline[3].until", "is before the event's time",
        id="span_ends_before_it_starts",
    ),
    pytest.param(
        "interventions", 1, "start", "after the flare", "interventions[1].start",
        '"after the flare" is not a relative time', id="unreadable_regimen_start",
    ),
])
def test_bad_times_name_the_field(key, index, field, value, where, why):
    with pytest.raises(DosingError) as raised:
        draw_timeline(changed(SEED, key, index, field, value), Path("cases/x.yaml"))
    assert raised.value.message.startswith(f"cases/x.yaml, {where}: ")
    assert why in raised.value.message
    assert raised.value.exit_status == 2
