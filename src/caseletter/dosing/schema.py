"""The shape of ``caseletter dosing --json``, as a JSON Schema other tools can validate against.

The shape is versioned by its ``shape`` field ("caseletter-dosing/2"); a change that removes or
renames a field gets a new version. Quantities are strings pint (or a reader) can parse back,
"1300 g", "37.5 g / week"; a figure the kit cannot compute is null, and the phase's
``not_computable`` says why, in the words the table prints.
"""

from __future__ import annotations

from typing import Any

from caseletter.dosing.json_report import JSON_SHAPE

QUANTITY = {
    "type": ["string", "null"], "description": "A number and its unit, e.g. '1300 g'; null when not computable.",
}
TEXT = {"type": "string"}
MAYBE_TEXT = {"type": ["string", "null"]}

PHASE = {
    "type": "object",
    "required": ["drug", "route", "dose", "dose_basis", "dose_per_administration", "frequency", "duration",
                 "administrations", "cumulative_dose", "dose_per_week", "not_computable"],
    "properties": {
        "drug": TEXT, "route": TEXT, "dose": TEXT,
        "dose_basis": {"enum": ["absolute", "weight", "area", "unknown"]},
        "dose_per_administration": QUANTITY,
        "dose_period": {**MAYBE_TEXT, "description": "For a total per period ('40 mg/day'): the period, e.g. '1 day'."},
        "taper_to": MAYBE_TEXT, "taper_step": MAYBE_TEXT,
        "frequency": TEXT, "duration": TEXT, "until": MAYBE_TEXT,
        "duration_days": QUANTITY, "gap_days": QUANTITY, "infusion_time": QUANTITY,
        "open_ended": {"type": "boolean"},
        "administrations": {"type": ["integer", "null"]},
        "administrations_exact": {"type": ["number", "null"]},
        "cumulative_dose": QUANTITY,
        "cumulative_dose_range": {
            "type": ["array", "null"], "items": TEXT, "minItems": 2, "maxItems": 2,
            "description": "A taper whose rule the source does not give: the lowest and highest cumulative dose.",
        },
        "dose_per_week": QUANTITY,
        "cumulative_dose_per_body_size": {**QUANTITY, "description": "Per kg or m² when no body size is reported."},
        "dose_per_week_per_body_size": QUANTITY,
        "infusion_rate": QUANTITY, "note": TEXT,
        "not_computable": {
            "type": "object", "additionalProperties": TEXT,
            "description": "Figure name → why it is not computable ('no body weight reported').",
        },
    },
}
TOTAL = {
    "type": "object",
    "required": ["administrations", "open_ended", "cumulative_dose", "duration"],
    "properties": {
        "drug": TEXT, "administrations": {"type": ["integer", "null"]}, "open_ended": {"type": "boolean"},
        "cumulative_dose": QUANTITY, "cumulative_dose_per_body_size": QUANTITY, "duration": TEXT,
        "duration_days": QUANTITY, "mean_dose_per_week": QUANTITY,
    },
}
REGIMEN = {
    "type": "object",
    "required": ["source", "drug", "route", "start", "start_days", "length_days", "phases", "total", "totals"],
    "properties": {
        "source": {"enum": ["this case", "literature"]}, "cite": {"type": "array", "items": TEXT},
        "drug": TEXT, "route": TEXT, "label": TEXT, "course": TEXT, "start": TEXT,
        "start_days": {**QUANTITY, "description": "Days from presentation; null when the start is not reported."},
        "length_days": {**QUANTITY, "description": "First dose to the end of the last phase; null if unknown or open."},
        "length": TEXT, "note": TEXT,
        "phases": {"type": "array", "items": PHASE},
        "total": TOTAL,
        "totals": {"type": "array", "items": TOTAL, "description": "One per drug and route: drugs are never added."},
    },
}
DOSING_JSON_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "caseletter dosing --json",
    "type": "object",
    "required": ["shape", "assumptions", "regimens", "courses", "warnings", "notes"],
    "properties": {
        "shape": {"const": JSON_SHAPE},
        "assumptions": {
            "type": "object", "required": ["month_days", "year_days", "partial_periods", "description"],
            "properties": {
                "month_days": {"type": "number"}, "year_days": {"type": "number"},
                "partial_periods": {"enum": ["prorate", "drop"]}, "description": TEXT,
            },
        },
        "regimens": {"type": "array", "items": REGIMEN},
        "courses": {
            "type": "array", "description": "This case's courses of several regimens (their shared 'course').",
            "items": {
                "type": "object", "required": ["name", "regimens", "length_days", "length"],
                "properties": {"name": TEXT, "regimens": {"type": "array", "items": TEXT}, "length_days": QUANTITY,
                               "length": TEXT},
            },
        },
        "warnings": {"type": "array", "items": TEXT},
        "notes": {"type": "array", "items": TEXT},
    },
}
