"""The timeline of published cases, where much is "not reported": no extent the source did not give, short labels.

Each case is drawn once (without rendering to PNG) and its rows, axis and artists are read.
"""

from __future__ import annotations

import pytest
from matplotlib.text import Text

from caseletter.case.source import load_case
from caseletter.dosing.timeline import DPI, STUB_PT, WIDTH_IN, build_figure, draw_timeline, lay_out_timeline, wrap_label
from caseletter.dosing.timeline_rows import LENGTH_NOT_REPORTED, START_NOT_REPORTED, TIMING_NOT_REPORTED
from helpers import FIXTURES

PUBLISHED = FIXTURES / "published"
NAMES = [
    "intralesional-rituximab-lymphoma", "kaposi-weekly-paclitaxel", "kawasaki-ivig-methotrexate",
    "neonatal-kawasaki", "pyoderma-gangrenosum-cyclosporine",
]
PHONE_FIGURE_PX = 360 - 2 * 24 - 2  # a 360 px phone: the column's padding (1.5rem) and the image's border


class Drawn:
    """One published case's layout, its drawn figure and axes, and its alt text and legend."""

    def __init__(self, name: str):
        path = PUBLISHED / name / f"{name}.yaml"
        case = load_case(path)
        self.layout = lay_out_timeline(case, path)
        self.fig = build_figure(self.layout)
        self.fig.draw_without_rendering()
        self.ax = self.fig.axes[0]
        figure = draw_timeline(case, path)
        self.alt, self.legend = figure.alt, figure.legend

    def row(self, starts: str):
        return next(r for r in self.layout.rows if r.label.startswith(starts))

    def texts(self) -> list[str]:
        return [t.get_text() for t in self.ax.texts]

    def bars(self) -> list:
        """Every bar drawn (the axis break's white band is no bar)."""
        return [p for p in self.ax.patches if p.get_facecolor()[:3] != (1.0, 1.0, 1.0)]

    def points(self, width: float) -> float:
        """A width in axis units, in points."""
        lo, hi = self.ax.get_xlim()
        return width * self.ax.get_window_extent().width * 72 / DPI / (hi - lo)


@pytest.fixture(scope="module")
def drawn():
    return {name: Drawn(name) for name in NAMES}


def test_no_timing_reported_draws_a_question_mark_not_a_span(drawn):
    for name in ("neonatal-kawasaki", "pyoderma-gangrenosum-cyclosporine"):
        case = drawn[name]
        unplaced = [r for r in case.layout.rows if not r.start_known]
        assert len(unplaced) == 2
        assert all(r.note == TIMING_NOT_REPORTED and r.floating == [] for r in unplaced)
        assert case.bars() == [], f"{name}: a bar claims an extent the source did not give"
        assert case.texts().count(TIMING_NOT_REPORTED) == 2 and case.texts().count("?") == 2


def test_known_length_with_unknown_start_is_drawn_to_scale_apart_from_the_axis(drawn):
    case = drawn["kaposi-weekly-paclitaxel"]
    row = case.row("paclitaxel")
    assert row.note == START_NOT_REPORTED and row.floating == [(0.0, pytest.approx(91.3125))]
    (bar,) = case.bars()
    assert bar.get_width() == pytest.approx(91.3125 / 7)  # 3 months, in the axis' weeks
    assert not bar.get_hatch()
    assert bar.get_x() > case.ax.spines["bottom"].get_bounds()[1]  # right of the axis line, not at a time
    assert START_NOT_REPORTED in case.texts() and "?" in case.texts()
    assert "start not reported, lasting 13 weeks" in case.alt


def test_only_course_with_unknown_start_sets_the_axis_to_its_length(drawn):
    case = drawn["intralesional-rituximab-lymphoma"]
    assert case.layout.axis.unit_name == "months"
    assert case.layout.end == pytest.approx(4 * 30.4375)  # the axis reaches the course's 4 months
    (bar,) = case.bars()
    assert bar.get_width() == pytest.approx(4)
    assert max(float(t) for t in case.ax.get_xticks()) <= 4 + 1e-9  # ticks only on the time axis
    assert "in months from presentation" in case.alt


def test_unknown_length_is_a_short_stub_not_a_bar_to_the_axis_end(drawn):
    case = drawn["kawasaki-ivig-methotrexate"]
    assert case.row("First dexamethasone").note == LENGTH_NOT_REPORTED
    stubs = [p for p in case.ax.patches if p.get_hatch()]
    assert len(stubs) == 3
    assert all(case.points(p.get_width()) == pytest.approx(STUB_PT) for p in stubs)


def test_route_not_reported_is_left_out_of_labels_and_alt_text(drawn):
    for name in NAMES:
        case = drawn[name]
        words = [r.label for r in case.layout.rows] + [case.alt]
        assert not any("not reported " + drug in text for text in words for drug in ("aspirin", "paclitaxel",
                                                                                     "dexamethasone", "cyclosporine"))
    assert drawn["neonatal-kawasaki"].row("aspirin").label == "aspirin\nregimen not reported"


def test_regimen_labels_keep_to_two_lines_and_the_alt_text_keeps_the_regimen(drawn):
    for name in NAMES:
        for row in drawn[name].layout.rows:
            if row.treatment:
                assert wrap_label(row.label).count("\n") <= 1, row.label
    assert drawn["pyoderma-gangrenosum-cyclosporine"].row("Corticosteroids").label == "Corticosteroids\n30 mg daily, …"
    assert "30 mg daily, then IV methylprednisolone 1 g daily, then 60 → 10 mg daily, taper" in (
        drawn["pyoderma-gangrenosum-cyclosporine"].alt
    )
    assert "2 g/kg single dose, then 1 g/kg single dose, then 1 g/kg single dose" in (
        drawn["kawasaki-ivig-methotrexate"].alt
    )


def test_one_colour_per_regimen_and_the_legend_says_how_phases_are_divided(drawn):
    case = drawn["kawasaki-ivig-methotrexate"]
    colours = {p.get_facecolor() for p in case.bars() if not p.get_hatch()}
    assert len(colours) == 1
    assert "one colour per regimen, a thin white line dividing its successive phases" in case.legend


def test_per_square_metre_prints_as_a_superscript(drawn):
    case = drawn["kawasaki-ivig-methotrexate"]
    label = case.row("Methotrexate").label
    assert "10 mg/m²" in label and "m2" not in label
    assert "10 mg/m²" in case.alt and "mg/m2" not in case.alt


@pytest.mark.parametrize("name", NAMES)
def test_text_stays_legible_on_a_360_px_phone(drawn, name):
    case = drawn[name]
    scale = PHONE_FIGURE_PX / (WIDTH_IN * 72)  # px per point when the figure fills the phone's column
    texts = [t for t in case.fig.findobj(Text) if t.get_text().strip() and t.get_visible()]
    assert texts
    smallest = min(t.get_fontsize() for t in texts)
    assert smallest * scale >= 9, f"{smallest} pt is {smallest * scale:.1f} px on a phone"
