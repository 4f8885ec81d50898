"""The dosing stage's figures as JSON for other tools, in the shape `dosing.schema` describes.

Quantities are strings a reader (or pint) parses back, "1300 g", "37.5 g / week"; a figure that
cannot be computed is null, and its phase's ``not_computable`` says why in the table's words.
"""

from __future__ import annotations

from typing import Any

from caseletter.dosing.figures import DosingReport, PhaseFigures, RegimenFigures
from caseletter.dosing.table import (
    Totals,
    by_drug,
    course_length_text,
    course_span,
    courses,
    regimen_length_text,
    regimen_totals,
)
from caseletter.dosing.units import json_quantity

JSON_SHAPE = "caseletter-dosing/2"  # the shape `dosing.schema.DOSING_JSON_SCHEMA` describes


def report_to_json(report: DosingReport) -> dict[str, Any]:
    """Every figure per phase and in total, as JSON-safe data (quantities as strings); see dosing.schema."""
    a = report.assumptions
    return {
        "shape": JSON_SHAPE,
        "assumptions": {
            "month_days": a.month_days, "year_days": a.year_days, "partial_periods": a.partial_periods,
            "description": a.describe(),
        },
        "regimens": [regimen_json(r) for r in report.regimens],
        "courses": [
            {"name": name, "regimens": [r.regimen.label or r.regimen.drug for r in members],
             "length_days": days_json(course_span(members)), "length": course_length_text(members)}
            for name, members in courses(report).items()
        ],
        "warnings": list(report.warnings),
        "notes": list(report.notes),
    }


def regimen_json(regimen: RegimenFigures) -> dict[str, Any]:
    """One regimen's figures for JSON: its phases, one total per drug, its start and whole length."""
    r = regimen.regimen
    groups = by_drug(regimen)
    totals = [total_json(drug, regimen_totals(regimen, phases)) for drug, phases in groups.items()]
    return {
        "source": "this case" if regimen.is_case else "literature", "cite": list(r.cite), "drug": r.drug,
        "route": r.route, "label": r.label, "course": r.course, "start": r.start,
        "start_days": days_json(regimen.start_days), "length_days": days_json(regimen.length_days),
        "length": regimen_length_text(regimen), "note": r.note,
        "phases": [phase_json(p) for p in regimen.phases],
        "total": {k: v for k, v in totals[0].items() if k != "drug"},
        "totals": totals,
    }


def total_json(drug: str, totals: Totals) -> dict[str, Any]:
    """One drug's totals within a regimen."""
    return {
        "drug": drug, "administrations": totals.count, "open_ended": totals.open_ended,
        "cumulative_dose": json_quantity(totals.cumulative),
        "cumulative_dose_per_body_size": json_quantity(totals.per_size_cumulative), "duration": totals.duration_text,
        "duration_days": None if totals.open_ended else days_json(totals.days),
        "mean_dose_per_week": json_quantity(totals.mean_per_week),
    }


def days_json(days: float | None) -> str | None:
    """A number of days as a quantity string, or None when not known."""
    return None if days is None else f"{days:.6g} day"


def phase_json(f: PhaseFigures) -> dict[str, Any]:
    """One phase's figures for JSON; `not_computable` gives the reason for each figure that is null."""
    low_high = f.cumulative_range
    return {
        "drug": f.drug, "route": f.route,
        "dose": f.dose.text, "dose_basis": f.dose.basis, "dose_per_administration": json_quantity(f.per_dose),
        "dose_period": None if f.dose.period is None else f"{f.dose.period.value:g} {f.dose.period.unit}",
        "taper_to": None if f.taper_to is None else f.taper_to.text, "taper_step": f.phase.taper_step,
        "frequency": f.frequency.text, "duration": f.duration.text, "until": f.duration.until,
        "duration_days": None if f.days is None or f.duration.until else f"{f.days:.6g} day",
        "gap_days": days_json(f.gap_days),
        "infusion_time": json_quantity(f.infusion_time), "open_ended": f.count is None and bool(f.duration.until),
        "administrations": f.count, "administrations_exact": None if f.exact_count is None else round(f.exact_count, 6),
        "cumulative_dose": json_quantity(f.cumulative),
        "cumulative_dose_range": None if low_high is None else [json_quantity(low_high[0]), json_quantity(low_high[1])],
        "dose_per_week": json_quantity(f.per_week),
        "cumulative_dose_per_body_size": json_quantity(f.per_size_cumulative),
        "dose_per_week_per_body_size": json_quantity(f.per_size_per_week),
        "infusion_rate": json_quantity(f.rate), "note": f.phase.note,
        "not_computable": dict(f.not_computable),
    }
