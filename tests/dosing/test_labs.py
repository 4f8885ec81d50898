"""Laboratory values converted between SI and conventional units by hand-checked factors, flagged, or left as given."""

from __future__ import annotations

import pytest

from caseletter.case.model import Lab
from caseletter.dosing.analytes import find_analyte
from caseletter.dosing.labs import lab_row, read_range, three_digits


def row(order="si_first", **fields):
    return lab_row(Lab(**fields), order)


# Each expected figure worked by hand: mg/dL × 10 (dL per L) / molar mass (g/mol) = mmol/L.
@pytest.mark.parametrize(("test", "value", "unit", "expected"), [
    pytest.param("Calcium", 10, "mg/dL", "2.50 mmol/L (10 mg/dL)", id="calcium_100_mg_per_L_over_40.078"),
    pytest.param("Creatinine", "1.2", "mg/dL", "106 µmol/L (1.2 mg/dL)", id="creatinine_12000_ug_per_L_over_113.12"),
    pytest.param("Glucose", 90, "mg/dL", "5.00 mmol/L (90 mg/dL)", id="glucose_900_mg_per_L_over_180.16"),
    pytest.param("Cholesterol", 200, "mg/dL", "5.17 mmol/L (200 mg/dL)", id="cholesterol_2000_over_386.65"),
    pytest.param("BUN", 14, "mg/dL", "5.00 mmol/L (14 mg/dL)", id="urea_nitrogen_140_over_28.014"),
    pytest.param("Phosphate", "3.1", "mg/dL", "1.00 mmol/L (3.1 mg/dL)", id="phosphate_as_phosphorus_31_over_30.974"),
    pytest.param("Uric acid", "6", "mg/dL", "357 µmol/L (6 mg/dL)", id="uric_acid_60000_ug_per_L_over_168.11"),
    pytest.param("Bilirubin", "1", "mg/dL", "17.1 µmol/L (1 mg/dL)", id="bilirubin_10000_ug_per_L_over_584.66"),
    pytest.param("Triglycerides", "150", "mg/dL", "1.69 mmol/L (150 mg/dL)", id="triglycerides_as_triolein"),
    pytest.param("Albumin", "3.1", "g/dL", "31.0 g/L (3.1 g/dL)", id="albumin_mass_to_mass_no_molar_mass"),
])
def test_conventional_values_are_given_in_si_first(test, value, unit, expected):
    assert row(test=test, value=value, unit=unit).result == expected


@pytest.mark.parametrize(("test", "value", "unit", "expected"), [
    pytest.param("Calcium", "2.5", "mmol/L", "10.0 mg/dL (2.5 mmol/L)", id="calcium_2.5_times_4.008"),
    pytest.param("serum creatinine", "106", "µmol/L", "1.20 mg/dL (106 µmol/L)", id="creatinine_back"),
    pytest.param("Glucose", "5.0", "mmol/l", "90.1 mg/dL (5.0 mmol/L)", id="glucose_back_lower_case_litre"),
    pytest.param("blood urea nitrogen", "5", "mmol/L", "14.0 mg/dL (5 mmol/L)", id="urea_back_as_nitrogen"),
    pytest.param("Hb", "120", "g/L", "12.0 g/dL (120 g/L)", id="haemoglobin_back"),
])
def test_si_values_are_given_in_conventional_units_first(test, value, unit, expected):
    assert row("conventional_first", test=test, value=value, unit=unit).result == expected


def test_a_value_in_neither_unit_is_given_in_both():
    assert row(test="Creatinine", value="12", unit="mg/L").result == "106 µmol/L (1.20 mg/dL)"


def test_aliases_ignore_case_spaces_and_hyphens():
    names = ["Ca", "serum calcium", "ldl c", "LDL-C", "total cholesterol", "BUN", "Blood Urea Nitrogen", "urate"]
    assert [find_analyte(n).name for n in names] == [
        "Calcium", "Calcium", "Cholesterol", "Cholesterol", "Cholesterol", "Urea nitrogen", "Urea nitrogen",
        "Uric acid",
    ]


@pytest.mark.parametrize(("fields", "result"), [
    pytest.param({"test": "C-reactive protein", "value": "12", "unit": "mg/L"}, "12 mg/L", id="unknown_analyte"),
    pytest.param({"test": "urea", "value": "30", "unit": "mg/dL"}, "30 mg/dL", id="plain_urea_is_ambiguous"),
    pytest.param({"test": "Calcium", "value": "5", "unit": "mEq/L"}, "5 mEq/L", id="unit_pint_cannot_read"),
    pytest.param({"test": "Calcium", "value": "10", "unit": "mg"}, "10 mg", id="unit_of_another_dimension"),
    pytest.param({"test": "Glucose", "value": "1+", "unit": ""}, "1+", id="value_not_a_number"),
    pytest.param({"test": "Calcium", "value": "not reported", "unit": "mg/dL"}, "not reported", id="not_reported"),
])
def test_what_does_not_convert_is_printed_exactly_as_given(fields, result):
    printed = row(range="8.5-10.5", **fields)
    assert (printed.result, printed.range, printed.converted) == (result, "8.5-10.5", False)


def test_as_reported_order_converts_nothing_but_still_flags():
    printed = row("as_reported", test="Calcium", value="11.2", unit="mg/dL", range="8.5–10.5 mg/dL")
    assert (printed.result, printed.range, printed.flag) == ("11.2 mg/dL", "8.5–10.5 mg/dL", "H")


@pytest.mark.parametrize(("value", "unit", "range_", "flag"), [
    pytest.param("11.2", "mg/dL", "8.5-10.5 mg/dL", "H", id="above"),
    pytest.param("7.9", "mg/dL", "8.5–10.5", "L", id="below_range_without_unit"),
    pytest.param("10.5", "mg/dL", "8.5-10.5", "", id="on_the_bound_is_inside"),
    pytest.param("2.8", "mmol/L", "8.5-10.5 mg/dL", "H", id="range_in_the_other_unit"),
    pytest.param("240", "mg/dL", "<200", "H", id="upper_bound_only"),
    pytest.param("2.0", "mmol/L", "2.12 to 2.62 mmol/L", "L", id="written_with_to"),
    pytest.param("<2.0", "mmol/L", "2.12-2.62", "", id="a_value_below_a_limit_is_not_compared"),
    pytest.param("11", "mg/dL", "normal", "", id="a_range_in_words_is_not_compared"),
])
def test_values_outside_the_range_are_flagged(value, unit, range_, flag):
    assert row(test="Calcium", value=value, unit=unit, range=range_).flag == flag


def test_an_unknown_analyte_is_flagged_in_its_own_unit():
    assert row(test="CRP", value="12", unit="mg/L", range="<5 mg/L").flag == "H"
    assert row(test="CRP", value="12", unit="mg/L", range="<0.5 mg/dL").flag == "H"  # mass to mass, no guess


def test_the_range_is_converted_with_the_value_and_keeps_the_authors_digits():
    printed = row("conventional_first", test="Albumin", value="3.1", unit="g/dL", range="3.5-5.0 g/dL")
    assert printed.range == "3.5–5.0 g/dL (35.0–50.0 g/L)"
    assert row(test="Cholesterol", value="210", unit="mg/dL", range="≤200 mg/dL").range == "≤5.17 mmol/L (≤200 mg/dL)"


def test_a_range_that_cannot_be_read_is_none():
    assert read_range("see report", "mg/dL") is None
    assert read_range("10.5-8.5", "mg/dL") is None
    assert read_range("8.5 - 10.5 mg/dL", "mmol/L").unit == "mg/dL"


def test_three_significant_digits_keep_their_zeros():
    assert [three_digits(v) for v in (5.0, 106.08, 0.8071, 2.4951, 1234.4, 0)] == [
        "5.00", "106", "0.807", "2.50", "1234", "0",
    ]
