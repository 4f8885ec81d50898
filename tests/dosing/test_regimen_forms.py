"""The forms clinicians write, each worked by hand in the test.

Totals per period, single and counted doses, shorthand, IU and mmol, tapers, courses of several
drugs, gaps, starts after an event, "not reported", and doses by body size with no body size.

The calendar is the default one (a month is 365.25 / 12 = 30.4375 days) unless a test states a
28-day month; administrations are whole, rounded down.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from caseletter.case.model import Case
from caseletter.case.source import load_case
from caseletter.checks import run_checks
from caseletter.dosing.compute import compute_dosing
from caseletter.dosing.json_report import report_to_json
from caseletter.dosing.schema import DOSING_JSON_SCHEMA
from caseletter.dosing.table import table_rows
from caseletter.dosing.units import CalendarAssumptions
from helpers import FIXTURES, run_cli

SEED = FIXTURES / "dosing" / "seed_regimens.yaml"
MONTH = 365.25 / 12


def write_case(data: dict, path: Path) -> Path:
    """The case as a YAML file (None fields left out, as an author would)."""
    from ruamel.yaml import YAML

    def pruned(node):
        if isinstance(node, dict):
            return {k: pruned(v) for k, v in node.items() if v is not None}
        return [pruned(v) for v in node] if isinstance(node, list) else node

    with path.open("w", encoding="utf-8") as out:
        YAML(typ="safe", pure=True).dump(pruned(data), out)
    return path


def case_with(phases: list[dict], patient: dict | None = None, start: str = "0", **regimen) -> Case:
    """The seed case with one regimen of these phases (and no literature)."""
    data = load_case(SEED).model_dump()
    data["interventions"] = [{"drug": "drug", "route": "IV", "start": start, "phases": phases, **regimen}]
    data["dosing"]["literature"] = []
    data["patient"].update(patient or {})
    return Case.model_validate(data)


def phases_of(case: Case, assumptions: CalendarAssumptions | None = None):
    return compute_dosing(case, Path("cases/x.yaml"), assumptions).regimens[0].phases


def magnitude(quantity, unit: str) -> float:
    return quantity.to(unit).magnitude


# --- totals per period ---------------------------------------------------------------------------------------


def test_a_daily_total_for_two_weeks():
    # 40 mg/day × 14 days = 560 mg; 40 × 7 = 280 mg/week; administrations are not what the source gave.
    [phase] = phases_of(case_with([{"dose": "40 mg/day", "duration": "2 weeks"}]))
    assert magnitude(phase.cumulative, "mg") == pytest.approx(560)
    assert magnitude(phase.per_week, "mg/week") == pytest.approx(280)
    assert phase.count is None and "total per period" in phase.not_computable["administrations"]


def test_a_weight_based_daily_total_with_and_without_the_weight():
    # IVIG 0.4 g/kg/day for 5 consecutive days: 2 g/kg; at 20 kg, 0.4 × 20 × 5 = 40 g.
    without = phases_of(case_with([{"dose": "0.4 g/kg/day", "duration": "for 5 consecutive days"}]))[0]
    assert magnitude(without.per_size_cumulative, "g/kg") == pytest.approx(2.0)
    assert without.cumulative is None and "no body weight reported" in without.not_computable["dose"]
    weighed = phases_of(case_with([{"dose": "0.4 g/kg/day", "duration": "for 5 consecutive days"}],
                                  {"weight": "20 kg"}))[0]
    assert magnitude(weighed.cumulative, "g") == pytest.approx(40)


def test_a_weekly_total_over_months_both_calendars():
    # 30 g per week for 6 months: 6 × 30.4375 = 182.625 days = 26.089 weeks → 782.7 g;
    # with a 28-day month: 168 days = 24 weeks → 720 g.
    case = case_with([{"dose": "30 g per week", "duration": "6 months"}])
    assert magnitude(phases_of(case)[0].cumulative, "g") == pytest.approx(30 * 6 * MONTH / 7)
    assert magnitude(phases_of(case, CalendarAssumptions(month_days=28))[0].cumulative, "g") == pytest.approx(720)


def test_a_daily_total_in_divided_doses():
    # 60 mg/day as 20 mg tid for 10 days: 30 administrations of 20 mg, 600 mg.
    [phase] = phases_of(case_with([{"dose": "60 mg/day", "frequency": "tid", "duration": "10 days"}]))
    assert magnitude(phase.per_dose, "mg") == pytest.approx(20)
    assert magnitude(phase.cumulative, "mg") == pytest.approx(600)


# --- single and counted doses -------------------------------------------------------------------------------------


def test_a_single_infusion_needs_no_duration():
    [phase] = phases_of(case_with([{"dose": "1000 mg", "frequency": "single dose"}]))
    assert (phase.count, magnitude(phase.cumulative, "mg"), phase.days) == (1, 1000, 0)


def test_counted_doses_weekly_times_four_by_body_surface():
    # 375 mg/m2 weekly × 4; 170 cm and 70 kg: BSA √(170 × 70 / 3600) = 1.818 m² → 681.8 mg a dose, 2727 mg in all.
    [phase] = phases_of(case_with([{"dose": "375 mg/m2", "frequency": "weekly × 4"}],
                                  {"weight": "70 kg", "height": "170 cm"}))
    bsa = (170 * 70 / 3600) ** 0.5
    assert phase.count == 4 and phase.days == 28
    assert magnitude(phase.cumulative, "mg") == pytest.approx(4 * 375 * bsa)


def test_twice_two_weeks_apart():
    # Rituximab 1000 mg twice, 2 weeks apart: 2 doses, 2000 mg.
    [phase] = phases_of(case_with([{"dose": "1000 mg", "frequency": "twice, 2 weeks apart"}]))
    assert (phase.count, magnitude(phase.cumulative, "mg")) == (2, 2000)


def test_loading_dose_then_maintenance():
    # 2 g/kg once, then 1 g/kg every 4 weeks for 6 months at 30 kg:
    # 6 × 30.4375 / 28 = 6.52 periods → 6 doses of 30 g = 180 g; with the 60 g loading dose, 240 g of one drug.
    case = case_with([{"dose": "2 g/kg", "frequency": "single dose"},
                      {"dose": "1 g/kg", "frequency": "every 4 weeks", "duration": "6 months"}], {"weight": "30 kg"})
    loading, maintenance = phases_of(case)
    assert (loading.count, maintenance.count) == (1, 6)
    [total] = table_rows(compute_dosing(case, Path("cases/x.yaml")))[0].totals
    assert (total.administrations, total.cumulative_dose) == ("7", "240 g")


@pytest.mark.parametrize(("frequency", "per_week"), [
    ("bid", 14), ("tid", 21), ("qid", 28), ("q8h", 21), ("q12h", 14), ("qw", 1), ("q2w", 0.5),
    ("every other week", 0.5), ("qod", 3.5), ("once daily", 7),
])
def test_clinical_shorthand(frequency, per_week):
    [phase] = phases_of(case_with([{"dose": "10 mg", "frequency": frequency, "duration": "4 weeks"}]))
    assert magnitude(phase.per_week, "mg/week") == pytest.approx(10 * per_week)
    assert phase.count == int(per_week * 4 + 1e-9)


# --- IU, mmol, volumes ---------------------------------------------------------------------------------------------


def test_insulin_in_units_and_potassium_in_mmol_are_never_added_to_each_other():
    # 10 units tid for 2 weeks: 42 × 10 = 420 IU; 20 mmol q8h for 2 days: 6 × 20 = 120 mmol.
    case = case_with([{"dose": "10 units", "frequency": "tid", "duration": "2 weeks", "drug": "insulin"},
                      {"dose": "20 mmol", "frequency": "q8h", "duration": "2 days", "drug": "potassium chloride"}])
    insulin, potassium = phases_of(case)
    assert magnitude(insulin.cumulative, "IU") == pytest.approx(420)
    assert magnitude(potassium.cumulative, "mmol") == pytest.approx(120)
    totals = table_rows(compute_dosing(case, Path("cases/x.yaml")))[0].totals
    assert [t.cumulative_dose for t in totals] == ["420 IU", "120 mmol"]


def test_heparin_per_kg_and_a_volume_of_a_concentration():
    # 80 units/kg at 75 kg = 6000 IU once; 50 mL of 250 mg/mL = 12.5 g.
    heparin = phases_of(case_with([{"dose": "80 units/kg", "frequency": "single dose"}], {"weight": "75 kg"}))[0]
    assert magnitude(heparin.cumulative, "IU") == pytest.approx(6000)
    volume = phases_of(case_with([{"dose": "50 mL of 250 mg/mL", "frequency": "single dose"}]))[0]
    assert magnitude(volume.cumulative, "g") == pytest.approx(12.5)


# --- tapers ---------------------------------------------------------------------------------------------------------


TAPER = {"dose": "60 mg", "taper_to": "20 mg", "frequency": "daily", "duration": "4 weeks"}


def test_a_linear_taper():
    # 28 daily doses falling evenly from 60 to 20 mg: 28 × (60 + 20) / 2 = 1120 mg.
    [phase] = phases_of(case_with([{**TAPER, "taper_step": "linear"}]))
    assert magnitude(phase.cumulative, "mg") == pytest.approx(1120)


def test_a_taper_in_weekly_steps_takes_its_length_from_the_steps():
    # 60, 50, 40, 30, 20 mg, each daily for a week: 7 × 200 = 1400 mg over 35 days.
    [phase] = phases_of(case_with([{"dose": "60 mg", "taper_to": "20 mg", "frequency": "daily",
                                    "taper_step": "10 mg weekly"}]))
    assert (phase.count, phase.days, magnitude(phase.cumulative, "mg")) == (35, 35, pytest.approx(1400))


def test_a_taper_without_its_rule_is_a_range_and_the_table_says_so():
    # 28 doses from 60 to 20 mg, any steady taper: at least 60 + 27 × 20 = 600 mg, at most 27 × 60 + 20 = 1640 mg.
    case = case_with([TAPER])
    [phase] = phases_of(case)
    low, high = phase.cumulative_range
    assert (magnitude(low, "mg"), magnitude(high, "mg")) == (600, 1640)
    row = table_rows(compute_dosing(case, Path("cases/x.yaml")))[0].phases[0]
    assert row.dose == "60 mg → 20 mg, taper (rule not reported)"
    assert row.cumulative_dose == "600–1640 mg (range)"


def test_a_weight_based_taper_with_the_weight_over_a_28_day_month():
    # 1 mg/kg → 0.25 mg/kg daily for 1 month at 80 kg, linear: 80 → 20 mg; a 28-day month: 28 × 50 = 1400 mg.
    case = case_with([{"dose": "1 mg/kg", "taper_to": "0.25 mg/kg", "frequency": "daily", "duration": "1 month",
                       "taper_step": "linear"}], {"weight": "80 kg"})
    [phase] = phases_of(case, CalendarAssumptions(month_days=28))
    assert magnitude(phase.cumulative, "mg") == pytest.approx(1400)
    [default] = phases_of(case)  # 30.4375 days → 30 doses: 30 × 50 = 1500 mg
    assert default.count == 30 and magnitude(default.cumulative, "mg") == pytest.approx(1500)


# --- courses, gaps, starts ---------------------------------------------------------------------------------------


def test_a_course_of_two_drugs_keeps_each_drugs_total_and_its_whole_length():
    # IV methylprednisolone 1 g daily × 3 days (3 g), then after 4 days oral prednisone 60 mg daily × 2 weeks (840 mg):
    # never added together; the course lasts 3 + 4 + 14 = 21 days.
    case = case_with([
        {"drug": "methylprednisolone", "dose": "1 g", "frequency": "daily", "duration": "3 days"},
        {"drug": "prednisone", "route": "oral", "dose": "60 mg", "frequency": "daily", "duration": "2 weeks",
         "gap": "4 days"},
    ], drug="methylprednisolone")
    report = compute_dosing(case, Path("cases/x.yaml"))
    assert report.regimens[0].length_days == 21
    row = table_rows(report)[0]
    assert [(t.phase, t.cumulative_dose) for t in row.totals] == [
        ("Total, IV methylprednisolone", "3 g"), ("Total, oral prednisone", "840 mg"),
    ]
    assert row.length == "3 weeks" and row.phases[1].drug == "oral prednisone"


def test_an_unknown_gap_is_never_zero():
    case = case_with([{"dose": "1 g", "frequency": "daily", "duration": "3 days"},
                      {"dose": "60 mg", "frequency": "daily", "duration": "2 weeks", "gap": "not reported"}])
    report = compute_dosing(case, Path("cases/x.yaml"))
    assert report.regimens[0].length_days is None
    assert table_rows(report)[0].length == "not computable (gap before this phase not reported)"


@pytest.mark.parametrize(("start", "days"), [
    ("2 weeks after biopsy", 14 + 14), ("at biopsy", 14), ("3 days before biopsy", 11), ("not reported", None),
])
def test_a_start_relative_to_a_timeline_event(start, days):
    data = case_with([{"dose": "1 g", "frequency": "single dose"}], start=start).model_dump()
    data["timeline"] = [{"time": "0", "event": "Presentation"}, {"time": "2 weeks", "event": "Skin biopsy"}]
    report = compute_dosing(Case.model_validate(data), Path("cases/x.yaml"))
    assert report.regimens[0].start_days == days


# --- "not reported", body size, check and JSON ---------------------------------------------------------------------


def test_not_reported_everywhere_is_tabled_and_listed_by_the_check(tmp_path):
    phase = {"dose": "not reported", "frequency": "not reported", "duration": "not reported",
             "infusion_time": "not reported"}
    data = case_with([phase], start="not reported", route="not reported").model_dump()
    path = write_case(data, tmp_path / "case.yaml")
    row = table_rows(compute_dosing(load_case(path), path))[0].phases[0]
    assert (row.dose, row.frequency, row.duration) == ("not reported",) * 3
    assert row.administrations == "not computable (frequency not reported)"
    fields = {f.field.split(":")[0] for f in run_checks(path).findings if f.detail == "not_reported"}
    assert {"interventions[0].start", "interventions[0].route", "interventions[0].phases[0].dose",
            "interventions[0].phases[0].frequency", "interventions[0].phases[0].duration",
            "interventions[0].phases[0].infusion_time"} <= fields


def test_a_weight_based_dose_without_a_weight_is_a_warning_that_invents_nothing(tmp_path):
    # 2 mg/kg weekly for 8 weeks, no weight: 8 administrations, 16 mg/kg, nothing in mg.
    path = write_case(case_with([{"dose": "2 mg/kg", "frequency": "weekly", "duration": "8 weeks"}]).model_dump(),
                      tmp_path / "case.yaml")
    [phase] = compute_dosing(load_case(path), path).regimens[0].phases
    assert phase.count == 8 and magnitude(phase.per_size_cumulative, "mg/kg") == 16
    [warning] = [f for f in run_checks(path).findings if f.field.startswith("patient.weight")]
    assert warning.severity == "warning"
    assert "If the source gives the patient's weight" in warning.suggestion
    assert "e.g." not in warning.suggestion  # no example weight to copy


def test_the_json_keeps_its_documented_shape(tmp_path):
    published = sorted((FIXTURES / "published").glob("*/*.yaml"))
    good = [p for p in (FIXTURES / "dosing").glob("*.yaml") if p.stem != "volume_without_concentration"]
    cases = [SEED, *good, *published]
    for path in cases:
        case = load_case(path)
        jsonschema.validate(report_to_json(compute_dosing(case, path)), DOSING_JSON_SCHEMA)
    run = run_cli("dosing", "--schema")
    assert run.status == 0 and json.loads(run.out)["properties"]["shape"]["const"] == "caseletter-dosing/2"


@pytest.mark.parametrize(("phase", "field", "said"), [
    ({"dose": "12.5", "frequency": "daily", "duration": "1 week"}, "phases[0].dose", '"12.5" has no unit'),
    ({"dose": "60 mg", "taper_to": "20 mg", "frequency": "daily", "taper_step": "now and then"},
     "phases[0].taper_step", "is not a taper rule the kit can read"),
    ({"dose": "60 mg", "taper_to": "2 mg/kg", "frequency": "daily", "duration": "2 weeks"},
     "phases[0].taper_to", "cannot be read"),
    ({"dose": "5 mL/kg", "frequency": "daily", "duration": "1 week"}, "phases[0].dose",
     "is not an amount that can be given as a dose"),
])
def test_bad_regimens_are_one_paragraph_naming_the_field_and_its_line(phase, field, said, tmp_path):
    path = write_case(case_with([phase], {"weight": "70 kg"}).model_dump(), tmp_path / "case.yaml")
    run = run_cli("dosing", path)
    said_once = " ".join(run.err.split())
    assert run.status == 2 and "Traceback" not in run.err
    assert re.search(rf"interventions\[0\]\.{re.escape(field)} \(line \d+\): ", said_once), said_once
    assert said in said_once and "pint" not in said_once.lower()
    assert "\n\n" not in run.err.strip()  # one paragraph


def test_a_course_shorter_than_a_week_has_no_dose_per_week():
    # A 3-day pulse of 1 g daily gave 3 g; "7 g/week" would be more than was ever given.
    case = case_with([{"dose": "1 g", "frequency": "daily", "duration": "3 days"}])
    [phase] = phases_of(case)
    assert phase.per_week is None and magnitude(phase.cumulative, "g") == 3
    row = table_rows(compute_dosing(case, Path("cases/x.yaml")))[0]
    assert row.phases[0].dose_per_week == "not computable (the phase lasts less than a week)"


def test_a_taper_to_a_dose_not_reported_keeps_its_count_and_no_total():
    # "Tapered over 4 weeks" from 30 mg daily, the last dose not given: 28 doses, no cumulative dose, no range.
    case = case_with([{"dose": "30 mg", "taper_to": "not reported", "frequency": "daily", "duration": "4 weeks"}])
    [phase] = phases_of(case)
    assert phase.count == 28 and phase.cumulative is None and phase.cumulative_range is None
    row = table_rows(compute_dosing(case, Path("cases/x.yaml")))[0].phases[0]
    assert row.dose == "30 mg → a last dose not reported, taper (rule not reported)"
    assert row.cumulative_dose == "not computable (the taper's last dose is not reported)"


def test_two_regimens_of_one_course_have_the_courses_whole_length():
    # IVIG 0.4 g/kg/day for 5 days from day 0; aspirin daily for 6 weeks from 2 days after IVIG began
    # (a timeline event at day 0): the course runs from day 0 to day 2 + 42 = 44 days = 6.29 weeks.
    data = load_case(SEED).model_dump()
    data["patient"]["weight"] = "10 kg"
    data["timeline"] = [{"time": "0", "event": "IVIG started"}]
    data["interventions"] = [
        {"drug": "immunoglobulin", "route": "IV", "start": "0", "course": "acute phase",
         "phases": [{"dose": "0.4 g/kg/day", "duration": "5 days"}]},
        {"drug": "aspirin", "route": "oral", "start": "2 days after IVIG started", "course": "acute phase",
         "phases": [{"dose": "3 mg/kg", "frequency": "daily", "duration": "6 weeks"}]},
    ]
    data["dosing"]["literature"] = []
    report = compute_dosing(Case.model_validate(data), Path("cases/x.yaml"))
    rows = table_rows(report)
    assert rows[0].course_length == "" and rows[1].course_length == "acute phase: 6.29 weeks"
    [course] = report_to_json(report)["courses"]
    assert course["length_days"] == "44 day" and course["regimens"] == ["immunoglobulin", "aspirin"]
    # each drug keeps its own total: 0.4 × 10 × 5 = 20 g of IVIG; 3 × 10 × 42 = 1260 mg of aspirin
    assert [r.total.cumulative_dose for r in rows] == ["20 g", "1260 mg"]


@pytest.mark.parametrize(("field", "typed", "suggested"), [
    ("frequency", "3 per wk", '"3 times weekly"'), ("frequency", "2 each dy", '"twice daily"'),
    ("duration", "8 wks.", '"8 weeks"'), ("duration", "8", '"8 weeks"'), ("dose", "12.5", '"12.5 mg"'),
])
def test_a_message_offers_a_form_close_to_what_was_typed(field, typed, suggested, tmp_path):
    phase = {"dose": "12.5 g", "frequency": "daily", "duration": "1 week", field: typed}
    run = run_cli("dosing", write_case(case_with([phase]).model_dump(), tmp_path / "case.yaml"))
    assert run.status == 2 and suggested in " ".join(run.err.split())
