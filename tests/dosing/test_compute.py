"""Dosing figures checked against hand-worked examples.

Unless a test says otherwise, the calendar assumption is the default one: a month is
365.25 / 12 = 30.4375 days, and administrations = duration (in weeks) × doses per week,
rounded down to whole administrations.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from caseletter.case.model import Case
from caseletter.case.source import load_case
from caseletter.dosing.compute import compute_dosing
from caseletter.dosing.json_report import report_to_json
from caseletter.dosing.table import table_rows
from caseletter.dosing.units import CalendarAssumptions
from caseletter.errors import DosingError
from helpers import FIXTURES, run_cli

DOSING = FIXTURES / "dosing"
SEED = DOSING / "seed_regimens.yaml"


def report_for(name: str, assumptions: CalendarAssumptions | None = None):
    path = DOSING / name
    return compute_dosing(load_case(path), path, assumptions)


def rows_for(name: str, assumptions: CalendarAssumptions | None = None):
    return table_rows(report_for(name, assumptions))


def seed_data() -> dict:
    return load_case(SEED).model_dump()


def test_seed_course_12_5_g_three_times_weekly_for_8_months():
    # 8 months = 8 × 30.4375 = 243.5 days = 34.786 weeks; × 3 = 104.36 → 104 administrations.
    row = rows_for("seed_regimens.yaml")[0]
    phase = row.phases[0]
    assert (row.source, row.drug, row.route, row.label) == ("this case", "sodium thiosulfate", "IV", "Initial course")
    assert phase.administrations == "104"
    assert phase.cumulative_dose == "1300 g"  # 104 × 12.5 g
    assert phase.dose_per_week == "37.5 g/week"  # 3 × 12.5 g
    assert phase.infusion_rate == "0.417 g/min"  # 12.5 g / 30 min
    assert phase.note.startswith("May rise to 25 g over 60 minutes")
    assert row.total.administrations == "104" and row.total.cumulative_dose == "1300 g"


def test_seed_rounding_is_stated_in_the_notes():
    report = report_for("seed_regimens.yaml")
    assert "Initial course, phase 1: 8 months × 3 times weekly = 104.4 administrations, counted as 104." in report.notes
    assert "a month is 30.44 days" in report.assumptions.describe()


def test_seed_literature_10_g_then_15_g():
    # 2 weeks × 3 = 6 doses of 10 g = 60 g;
    # 3 months = 91.3125 days = 13.045 weeks × 2 = 26.09 → 26 doses of 15 g = 390 g.
    row = rows_for("seed_regimens.yaml")[2]
    assert (row.source, row.cite) == ("literature", ("arabshahi2012",))
    first, second = row.phases
    assert (first.administrations, first.cumulative_dose, first.dose_per_week) == ("6", "60 g", "30 g/week")
    assert (second.administrations, second.cumulative_dose, second.dose_per_week) == ("26", "390 g", "30 g/week")
    assert first.infusion_rate == "—"
    assert (row.total.administrations, row.total.cumulative_dose) == ("32", "450 g")
    assert row.total.duration == "15.0 weeks"  # 14 + 91.3125 days = 15.04 weeks, shown to 3 digits
    assert row.total.dose_per_week == "30 g/week (mean)"


def test_seed_once_weekly_restart_until_an_event_is_ongoing():
    row = rows_for("seed_regimens.yaml")[1]
    phase = row.phases[0]
    assert phase.dose == "not reported"
    assert phase.duration == "until last follow-up (ongoing)"
    assert (phase.administrations, phase.cumulative_dose, phase.dose_per_week) == (
        "ongoing", "not computable (dose not reported)", "not computable (dose not reported)",
    )
    assert row.total.administrations == "ongoing"


def test_once_weekly_for_6_months():
    # 6 months = 182.625 days = 26.09 weeks × 1 = 26 doses of 12.5 g = 325 g.
    data = seed_data()
    data["interventions"][1]["phases"][0].update(dose="12.5 g", duration="6 months", until=None)
    case = Case.model_validate(data)
    phase = table_rows(compute_dosing(case, SEED))[1].phases[0]
    assert (phase.administrations, phase.cumulative_dose, phase.dose_per_week) == ("26", "325 g", "12.5 g/week")


def test_calendar_assumptions_are_settable():
    # A 30-day month: 8 months = 240 days = 34.29 weeks × 3 = 102.86 → 102.
    thirty = report_for("seed_regimens.yaml", CalendarAssumptions(month_days=30))
    assert table_rows(thirty)[0].phases[0].administrations == "102"
    assert "a month is 30 days" in thirty.assumptions.describe()
    # Whole weeks only: 34 whole weeks × 3 = 102, 1275 g.
    whole = report_for("seed_regimens.yaml", CalendarAssumptions(partial_periods="drop"))
    assert table_rows(whole)[0].phases[0].cumulative_dose == "1275 g"
    assert "only whole weeks" in whole.assumptions.describe()


def test_weight_based_taper():
    # 70 kg: 70 mg × 28 + 35 mg × 28 + 17.5 mg × 14 = 1960 + 980 + 245 = 3185 mg in 70 doses over 10 weeks.
    row = rows_for("weight_taper.yaml")[0]
    assert [p.dose for p in row.phases] == ["1 mg/kg (70 mg)", "0.5 mg/kg (35 mg)", "0.25 mg/kg (17.5 mg)"]
    assert [p.administrations for p in row.phases] == ["28", "28", "14"]
    assert [p.cumulative_dose for p in row.phases] == ["1960 mg", "980 mg", "245 mg"]
    assert [p.dose_per_week for p in row.phases] == ["490 mg/week", "245 mg/week", "122 mg/week"]
    assert (row.total.administrations, row.total.cumulative_dose, row.total.duration) == ("70", "3185 mg", "10 weeks")
    # Time-weighted mean: (490 × 4 + 245 × 4 + 122.5 × 2) / 10 = 318.5 mg/week.
    assert row.total.dose_per_week == "318 mg/week (mean)"


def test_literature_weight_based_dose_stays_per_kilogram():
    row = rows_for("weight_taper.yaml")[1]
    assert (row.phases[0].dose, row.phases[0].cumulative_dose) == ("1 mg/kg", "42 mg/kg")


def test_weight_in_pounds_is_converted():
    data = load_case(DOSING / "weight_taper.yaml").model_dump()
    data["patient"]["weight"] = "154 lb"  # 69.85 kg
    report = compute_dosing(Case.model_validate(data), DOSING / "weight_taper.yaml")
    assert table_rows(report)[0].phases[0].dose == "1 mg/kg (69.9 mg)"


def test_bsa_based_dose_uses_mosteller():
    # BSA = √(170 × 72 / 3600) = √3.4 = 1.844 m²; 375 × 1.844 = 691.5 mg; × 4 = 2766 mg; 691.5 / 240 min = 2.88 mg/min.
    report = report_for("bsa_dose.yaml")
    phase = table_rows(report)[0].phases[0]
    assert phase.dose == "375 mg/m2 (691 mg)"
    assert (phase.administrations, phase.cumulative_dose, phase.infusion_rate) == ("4", "2766 mg", "2.88 mg/min")
    assert any("Mosteller" in note and "1.84 m²" in note for note in report.notes)
    figures = report_to_json(report)["regimens"][0]["phases"][0]
    assert figures["dose_per_administration"] == "691.466 mg"
    # The literature regimen of 4 infusions stays per m²: 4 × 375 = 1500 mg/m².
    lit = table_rows(report)[1].phases[0]
    assert (lit.administrations, lit.cumulative_dose) == ("4", "1500 mg/m²")


def test_json_figures_carry_units():
    out = report_to_json(report_for("seed_regimens.yaml"))
    json.dumps(out)  # JSON-safe
    phase = out["regimens"][0]["phases"][0]
    assert phase["cumulative_dose"] == "1300 g"
    assert phase["dose_per_week"] == "37.5 g / week"
    assert phase["infusion_rate"] == "0.416667 g / min"
    assert phase["duration_days"] == "243.5 day"
    assert phase["administrations"] == 104 and phase["administrations_exact"] == pytest.approx(104.357143)
    assert out["regimens"][2]["total"]["cumulative_dose"] == "450 g"
    assert out["regimens"][1]["total"]["administrations"] is None
    assert out["assumptions"]["month_days"] == 30.4375


def test_mg_for_g_slip_warns_naming_the_field():
    path = DOSING / "mg_for_g_slip.yaml"
    warnings = compute_dosing(load_case(path), path).warnings
    assert len(warnings) == 1
    assert warnings[0].startswith(
        f'{path}, interventions[0].phases[0].dose: "12.5 mg" is a tenth or less of every cited dose '
        "of IV sodium thiosulfate"
    )
    assert "10 g, 15 g" in warnings[0] and "mg/g slip" in warnings[0]


def test_dose_within_tenfold_of_a_cited_dose_does_not_warn():
    assert report_for("seed_regimens.yaml").warnings == []
    assert report_for("weight_taper.yaml").warnings == []


def test_weight_based_literature_is_compared_through_the_patients_weight():
    data = load_case(DOSING / "weight_taper.yaml").model_dump()
    data["interventions"][0]["phases"] = [{"dose": "70 g", "frequency": "daily", "duration": "1 week"}]
    report = compute_dosing(Case.model_validate(data), Path("cases/taper.yaml"))
    assert report.warnings and "is 10 or more times every cited dose of oral prednisone (70 mg)" in report.warnings[0]


def bad(path, *keys_and_value):
    """A copy of the seed case with one value replaced (keys lead to it)."""
    data = copy.deepcopy(seed_data())
    node = data
    *keys, last, value = keys_and_value
    for key in keys:
        node = node[key]
    node[last] = value
    return data


BAD_INPUTS = [
    pytest.param(
        ("interventions", 0, "phases", 0, "dose", "12.5 mL"), "interventions[0].phases[0].dose",
        '"12.5 mL" is a volume', id="volume_without_concentration",
    ),
    pytest.param(
        ("interventions", 0, "phases", 0, "dose", "10 mEq"), "interventions[0].phases[0].dose",
        '"10 mEq": "mEq" is not a unit the kit can read', id="unit_the_kit_cannot_read",
    ),
    pytest.param(
        ("interventions", 0, "phases", 0, "taper_step", "10 mg weekly"), "interventions[0].phases[0].taper_step",
        "", id="taper_rule_without_taper_end",
    ),
    pytest.param(
        ("interventions", 0, "phases", 0, "dose", "12,5 g"), "interventions[0].phases[0].dose", "comma",
        id="decimal_comma",
    ),
    pytest.param(
        ("interventions", 0, "phases", 0, "dose", "12.5"), "interventions[0].phases[0].dose",
        '"12.5" has no unit', id="dose_without_unit",
    ),
    pytest.param(
        ("interventions", 0, "phases", 0, "dose", "5 mL/kg"), "interventions[0].phases[0].dose",
        "is not an amount that can be given as a dose", id="dose_not_an_amount",
    ),
    pytest.param(
        ("interventions", 0, "phases", 0, "frequency", "now and then"), "interventions[0].phases[0].frequency",
        '"now and then" is not a frequency', id="unparseable_frequency",
    ),
    pytest.param(
        ("interventions", 0, "phases", 0, "frequency", "3-4 times weekly"), "interventions[0].phases[0].frequency",
        "gives a range", id="frequency_range",
    ),
    pytest.param(
        ("interventions", 0, "phases", 0, "duration", "a while"), "interventions[0].phases[0].duration",
        '"a while" is not a length of time', id="unparseable_duration",
    ),
    pytest.param(
        ("interventions", 0, "phases", 0, "duration", None), "interventions[0].phases[0].duration",
        "neither a duration nor an end event", id="phase_without_duration",
    ),
    pytest.param(
        ("interventions", 0, "phases", 0, "infusion_time", "quickly"), "interventions[0].phases[0].infusion_time",
        '"quickly" is not a length of time', id="unparseable_infusion_time",
    ),
    pytest.param(
        ("dosing", "literature", 0, "phases", 1, "dose", "15 mL"), "dosing.literature[0].phases[1].dose",
        '"15 mL" is a volume', id="literature_volume_dose",
    ),
]


@pytest.mark.parametrize(("change", "field", "why"), BAD_INPUTS)
def test_bad_input_names_the_field(change, field, why):
    case = Case.model_validate(bad(SEED, *change))
    with pytest.raises(DosingError) as raised:
        compute_dosing(case, Path("cases/x.yaml"))
    message = raised.value.message
    assert message.startswith(f"cases/x.yaml, {field}: ")
    assert why in message
    assert raised.value.todo  # says what to write
    assert raised.value.exit_status == 2


def test_bsa_dose_without_height_keeps_the_figures_per_square_metre():
    # 375 mg/m2 weekly × 4 (bsa_dose.yaml) with no height: 4 doses, 1500 mg/m², nothing in mg.
    data = load_case(DOSING / "bsa_dose.yaml").model_dump()
    data["patient"]["height"] = None
    report = compute_dosing(Case.model_validate(data), Path("cases/x.yaml"))
    phase = report.regimens[0].phases[0]
    assert phase.per_dose is None and phase.cumulative is None
    assert "no body height reported" in phase.not_computable["dose"]
    assert any("No body height reported" in note for note in report.notes)


def test_weight_without_unit_names_patient_weight():
    data = load_case(DOSING / "weight_taper.yaml").model_dump()
    data["patient"]["weight"] = "70"
    with pytest.raises(DosingError, match=r'^cases/x.yaml, patient.weight: "70" has no unit'):
        compute_dosing(Case.model_validate(data), Path("cases/x.yaml"))


def test_dosing_command_prints_the_table():
    run = run_cli("dosing", SEED, columns=200)
    assert run.status == 0
    text = run.out
    assert "1300 g" in text and "[arabshahi2012]" in text and "a month is 30.44 days" in text


def test_dosing_command_json():
    run = run_cli("dosing", SEED, "--json", columns=80)
    assert run.status == 0
    out = json.loads(run.out)
    assert out["regimens"][0]["phases"][0]["administrations"] == 104


def test_dosing_command_refuses_a_volume_dose():
    run = run_cli("dosing", DOSING / "volume_without_concentration.yaml")
    assert run.status == 2 and not run.out
    said = " ".join(run.err.split())
    assert re.search(r"interventions\[0\]\.phases\[0\]\.dose \(line \d+\): \"12.5 mL\" is a volume", said)


def write_case(data: dict, path: Path) -> Path:
    from ruamel.yaml import YAML

    with path.open("w", encoding="utf-8") as out:
        YAML(typ="safe", pure=True).dump(data, out)
    return path


@pytest.mark.parametrize(("change", "field", "why"), BAD_INPUTS)
def test_cli_dosing_exits_2_with_the_message(change, field, why, tmp_path, capsys):
    from caseletter.cli import main

    path = write_case(bad(SEED, *change), tmp_path / "case.yaml")
    assert main(["dosing", str(path)]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert re.match(rf"{re.escape(f'{path}, {field}')} \(line \d+\): ", err), err  # the field and its line
    assert " ".join(why.split()) in err


def test_cli_dosing_json_prints_the_figures(capsys):
    from caseletter.cli import main

    assert main(["dosing", "--json", str(SEED)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [r["total"]["cumulative_dose"] for r in out["regimens"]] == ["1300 g", None, "450 g"]


@pytest.mark.parametrize("settings", [
    pytest.param({"month_days": 7}, id="month_of_a_week"),
    pytest.param({"year_days": 100}, id="short_year"),
    pytest.param({"partial_periods": "round"}, id="unknown_counting_rule"),
])
def test_calendar_assumptions_refuse_nonsense(settings):
    with pytest.raises(DosingError, match="^calendar assumptions: "):
        CalendarAssumptions(**settings)


@settings(max_examples=40, deadline=None)
@given(times=st.integers(1, 7), months=st.integers(1, 36), dose_mg=st.integers(1, 5000))
def test_counts_never_exceed_the_exact_value_and_cumulative_follows(times, months, dose_mg):
    data = seed_data()
    data["interventions"] = [{
        "drug": "x", "route": "oral",
        "phases": [{"dose": f"{dose_mg} mg", "frequency": f"{times} times weekly", "duration": f"{months} months"}],
    }]
    data["dosing"]["literature"] = []
    phase = report_to_json(compute_dosing(Case.model_validate(data), SEED))["regimens"][0]["phases"][0]
    exact = months * 365.25 / 12 / 7 * times
    assert phase["administrations"] <= exact + 1e-6 < phase["administrations"] + 1
    assert phase["cumulative_dose"] == f"{phase['administrations'] * dose_mg:.6g} mg"


@pytest.mark.parametrize(
    ("dose", "why"),
    [
        pytest.param("12.5 g)", "is not a unit the kit can read", id="stray_bracket"),
        pytest.param("25 °C", "has no mass unit", id="a_temperature"),
        pytest.param("12.5 g/degC", "is not an amount that can be given as a dose", id="per_degree"),
        pytest.param("1e400 g", "is not a unit the kit can read", id="overflow"),
    ],
)
def test_odd_doses_are_one_message_not_a_traceback(dose, why, tmp_path):
    data = seed_data()
    data["interventions"][0]["phases"][0]["dose"] = dose
    run = run_cli("dosing", write_case(data, tmp_path / "case.yaml"))
    assert run.status == 2 and "Traceback" not in run.err
    assert why in " ".join(run.err.split())
