"""Dosing figures of case files written from published case reports, checked against hand-worked sums.

The fixtures are in tests/fixtures/published/<name>/<name>.yaml, each with the .bib of its source.
Calendar assumption is the kit's default: a month is 365.25 / 12 = 30.4375 days; administrations
are duration × frequency, rounded down to whole administrations.

Hand-worked figures
-------------------
intralesional-rituximab-lymphoma (Gamo 2008; oncology, dermatology): 30 mg, 3 times monthly, 4 months.
    periods = 4 months / 1 month = 4; administrations = 4 × 3 = 12 (exact).
    cumulative = 12 × 30 mg = 360 mg.
    per week = 30 mg × 3 × 7 / 30.4375 = 630 / 30.4375 = 20.698 mg/week → "20.7 mg/week".
    course length = 4 months = 121.75 days.

kaposi-weekly-paclitaxel (Case Rep Oncol Med 2013; oncology, dermatology): dose not reported,
    weekly, 3 months. 3 × 30.4375 = 91.3125 days = 13.045 weeks → 13 administrations (rounded down).
    cumulative: not computable (no dose).

neonatal-kawasaki (Li 2021; paediatrics): immunoglobulin and aspirin, every field "not reported".
    administrations, cumulative dose and course length: not computable; nothing is "ongoing"
    (the source does not say the treatment continued), and the course length is not 0.

kawasaki-ivig-methotrexate (Lee 2002; paediatrics, rheumatology): weight-based, no weight given.
    IVIG before transfer: 2 g/kg + 1 g/kg + 1 g/kg, single doses → 3 administrations,
        cumulative per kg = 2 + 1 + 1 = 4 g/kg; in grams: not computable (no weight);
        course length: not computable (gaps not reported).
    IVIG after transfer: 400 mg/kg daily for 5 consecutive days, twice, the second 2 days after the
        first ends (days 31-35 and 38-42 of illness) → 5 + 5 = 10 administrations,
        cumulative per kg = 10 × 400 mg/kg = 4000 mg/kg = 4 g/kg; length = 5 + 2 + 5 = 12 days.
    IVIG over the course: 4 g/kg + 4 g/kg = 8 g/kg.
    Dexamethasone 0.3 mg/kg and 0.6 mg/kg daily, durations not reported: counts not computable.
    Methotrexate 10 mg/m2, frequency not reported: not computable (and no height or weight for BSA).
    Literature, mini-pulse then oral prednisolone (Hong 1997): phase 2's drug is prednisolone, oral,
        1 mg/kg for 7 days with frequency not reported → count not computable.

pyoderma-gangrenosum-cyclosporine (Jpn J Dermatol 2009;119(14):3045; dermatology): one course of
    several drugs, a taper with no rule and no length, and a total per day by weight with no weight.
    Corticosteroids (oral prednisolone, route per phase):
        phase 1, prednisolone 30 mg daily, duration not reported: count and cumulative not computable;
            per week = 30 mg × 7 = 210 mg/week.
        phase 2, IV methylprednisolone 1 g daily for 3 days: 3 days × 1/day = 3 administrations (exact);
            cumulative = 3 × 1 g = 3 g; per week = 1 g × 7 = 7 g/week; gap before it not reported.
        phase 3, prednisolone 60 → 10 mg daily, taper with no rule and no duration: N unknown, so
            not even the range [60 + (N − 1) × 10, (N − 1) × 60 + 10] mg can be given.
        totals per drug: IV methylprednisolone 3 administrations, 3 g, 3 days; oral prednisolone
            not computable; course length not computable (durations and a gap not reported).
    Cyclosporine 3 mg/kg/day, duration and weight not reported: per kg per week = 3 × 7 =
        21 mg/kg/week; cumulative per kg and in mg not computable; administrations not given
        (a total per day, no frequency).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from caseletter.case.source import read_case_source
from caseletter.dosing.compute import compute_dosing
from caseletter.dosing.json_report import report_to_json
from caseletter.dosing.table import table_rows
from caseletter.dosing.units import unit_registry
from helpers import FIXTURES

PUBLISHED = FIXTURES / "published"


def case_path(name: str) -> Path:
    return PUBLISHED / name / f"{name}.yaml"


def report_for(name: str):
    path = case_path(name)
    source = read_case_source(path)
    return compute_dosing(source.case, path)


def quantity(text: str | None):
    """A JSON quantity ("360 mg", "4 g / kg") as a pint quantity, or None."""
    return None if text is None else unit_registry().Quantity(text)


def assert_close(text: str | None, expected: str, rel: float = 1e-3) -> None:
    got, want = quantity(text), unit_registry().Quantity(expected)
    assert got is not None, f"not computed; expected {expected}"
    assert got.to(want.units).magnitude == pytest.approx(want.magnitude, rel=rel)


@pytest.mark.parametrize("name", sorted(p.name for p in PUBLISHED.iterdir() if p.is_dir()))
def test_every_published_case_is_read_and_computed(name):
    assert report_for(name).regimens


def test_intralesional_rituximab_3_times_monthly_for_4_months():
    report = report_for("intralesional-rituximab-lymphoma")
    phase = report.regimens[0].phases[0]
    assert phase.count == 12
    assert phase.cumulative.to("mg").magnitude == pytest.approx(360)
    assert phase.per_week.to("mg/week").magnitude == pytest.approx(630 / 30.4375)
    total = report_to_json(report)["regimens"][0]["total"]
    assert total["administrations"] == 12
    assert_close(total["cumulative_dose"], "360 mg")
    assert_close(total["duration_days"], "121.75 day")


def test_weekly_paclitaxel_without_a_dose_counts_but_does_not_total():
    report = report_for("kaposi-weekly-paclitaxel")
    phase = report.regimens[0].phases[0]
    assert phase.count == 13
    assert phase.exact_count == pytest.approx(91.3125 / 7)
    assert phase.cumulative is None
    assert "3 months × weekly = 13.04 administrations, counted as 13." in " ".join(report.notes)


def test_neonatal_kawasaki_with_nothing_reported_is_not_computable_rather_than_ongoing():
    report = report_for("neonatal-kawasaki")
    for regimen in report_to_json(report)["regimens"]:
        phase = regimen["phases"][0]
        assert phase["administrations"] is None and phase["cumulative_dose"] is None
        assert regimen["total"]["duration_days"] is None
        assert "0 weeks" not in regimen["total"]["duration"]
    for row in table_rows(report):
        assert row.phases[0].administrations != "ongoing"
        assert row.total.duration != "0 weeks"


def test_kawasaki_ivig_counts_without_a_weight():
    report = report_for("kawasaki-ivig-methotrexate")
    before, _, after = report.regimens[:3]
    assert [p.count for p in before.phases] == [1, 1, 1]
    assert [p.count for p in after.phases] == [5, 5]


def test_kawasaki_ivig_per_kg_totals_without_a_weight():
    report = report_for("kawasaki-ivig-methotrexate")
    data = report_to_json(report)
    before, after = data["regimens"][0], data["regimens"][2]
    # no weight reported: the totals stay per kg, and nothing is given in grams
    assert before["total"]["cumulative_dose"] is None and after["total"]["cumulative_dose"] is None
    assert_close(before["total"]["cumulative_dose_per_body_size"], "4 g/kg")
    assert_close(after["total"]["cumulative_dose_per_body_size"], "4 g/kg")
    assert after["total"]["administrations"] == 10
    assert_close(after["total"]["duration_days"], "12 day")
    rows = table_rows(report)
    assert rows[2].total.administrations == "10"


def test_kawasaki_literature_course_names_its_second_drug():
    report = report_for("kawasaki-ivig-methotrexate")
    hong = [r for r in report.regimens if r.regimen.cite == ["hong1997"]][0]
    assert hong.phases[1].phase.drug == "prednisolone"
    rows = table_rows(report)
    hong_row = [r for r in rows if r.cite == ("hong1997",)][0]
    assert [p.drug for p in hong_row.phases] == ["", "oral prednisolone"]
    assert [t.phase for t in hong_row.totals] == ["Total, IV methylprednisolone", "Total, oral prednisolone"]


def test_pyoderma_methylprednisolone_pulse_within_a_prednisolone_course():
    report = report_for("pyoderma-gangrenosum-cyclosporine")
    steroids = report.regimens[0]
    first, pulse, taper = steroids.phases
    assert [p.drug for p in steroids.phases] == ["prednisolone", "methylprednisolone", "prednisolone"]
    assert [p.route for p in steroids.phases] == ["oral", "IV", "oral"]
    # 1 g daily for 3 days: 3 administrations, 3 g
    assert pulse.count == 3
    assert pulse.cumulative.to("g").magnitude == pytest.approx(3)
    # 30 mg daily for a time not reported: a rate but no count or total
    assert first.count is None and first.cumulative is None
    assert first.per_week.to("mg/week").magnitude == pytest.approx(210)
    data = report_to_json(report)["regimens"][0]
    totals = {t["drug"]: t for t in data["totals"]}
    assert totals["IV methylprednisolone"]["administrations"] == 3
    assert_close(totals["IV methylprednisolone"]["cumulative_dose"], "3 g")
    assert_close(totals["IV methylprednisolone"]["duration_days"], "3 day")
    assert totals["oral prednisolone"]["cumulative_dose"] is None
    assert data["length_days"] is None  # durations and the gap before the pulse are not reported
    assert data["phases"][1]["not_computable"]["gap"]


def test_pyoderma_taper_without_rule_or_length_gives_no_range():
    report = report_for("pyoderma-gangrenosum-cyclosporine")
    taper = report.regimens[0].phases[2]
    assert taper.per_dose.to("mg").magnitude == pytest.approx(60)
    assert taper.taper_to.text == "10 mg"
    # N is unknown, so neither [60 + (N-1) × 10, (N-1) × 60 + 10] nor a single figure
    assert taper.count is None and taper.cumulative is None and taper.cumulative_range is None
    phase = report_to_json(report)["regimens"][0]["phases"][2]
    assert phase["cumulative_dose_range"] is None
    assert phase["not_computable"]["cumulative"] == "not computable: duration not reported"
    row = table_rows(report)[0].phases[2]
    assert row.dose == "60 mg → 10 mg, taper (rule not reported)"


def test_pyoderma_cyclosporine_per_kg_per_day_without_a_weight():
    report = report_for("pyoderma-gangrenosum-cyclosporine")
    phase = report_to_json(report)["regimens"][1]["phases"][0]
    assert phase["dose_per_administration"] is None and phase["cumulative_dose"] is None
    assert_close(phase["dose_per_week_per_body_size"], "21 mg/kg/week")  # 3 mg/kg × 7 days
    assert phase["cumulative_dose_per_body_size"] is None  # duration not reported
    assert phase["administrations"] is None


def test_pyoderma_cyclosporine_cumulative_cell_names_the_missing_duration():
    row = table_rows(report_for("pyoderma-gangrenosum-cyclosporine"))[1].phases[0]
    assert "duration not reported" in row.cumulative_dose


def test_pyoderma_cyclosporine_total_is_named_by_its_drug():
    data = report_to_json(report_for("pyoderma-gangrenosum-cyclosporine"))["regimens"][1]
    assert data["totals"][0]["drug"] == "cyclosporine"
