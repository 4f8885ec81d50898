"""A dose far from every dose the cited reports gave for the same drug and route: a mg/g slip?"""

from __future__ import annotations

from typing import Any

from caseletter.case.model import Regimen
from caseletter.dosing.bodysize import BodySize
from caseletter.dosing.figures import PhaseFigures, RegimenFigures
from caseletter.dosing.units import format_quantity

ROUTES = {
    "iv": "iv", "intravenous": "iv", "intravenously": "iv", "po": "oral", "oral": "oral", "by mouth": "oral",
    "sc": "sc", "subcutaneous": "sc", "im": "im", "intramuscular": "im",
}


def find_unit_slips(regimens: list[RegimenFigures], body: BodySize) -> list[str]:
    """Warn when this case's dose is 10 times or more away from every cited dose of its drug and route."""
    literature = [r for r in regimens if not r.is_case]
    warnings = []
    for regimen in (r for r in regimens if r.is_case):
        cited = [p for r in literature if same_drug_and_route(r.regimen, regimen.regimen) for p in r.phases]
        for phase in regimen.phases:
            warning = describe_slip(regimen.regimen, phase, cited, body)
            if warning:
                warnings.append(warning)
    return warnings


def same_drug_and_route(a: Regimen, b: Regimen) -> bool:
    """Compare drug names case-insensitively and routes through common synonyms (IV = intravenous)."""
    def route(r: Regimen) -> str:
        return ROUTES.get(r.route.strip().lower(), r.route.strip().lower())

    return a.drug.strip().lower() == b.drug.strip().lower() and route(a) == route(b)


def describe_slip(regimen: Regimen, phase: PhaseFigures, cited: list[PhaseFigures], body: BodySize) -> str:
    """The warning for one phase, or "" when some cited dose is within a factor of 10."""
    ours = phase.per_dose
    if ours is None:
        return ""
    theirs = [q for q in (comparable_dose(p, ours, body) for p in cited) if q is not None]
    if not theirs:
        return ""
    ratios = [ours.to(q.units).magnitude / q.magnitude for q in theirs]
    if any(0.1 < r < 10 for r in ratios):
        return ""
    listed = ", ".join(sorted({format_quantity(q) for q in theirs}))
    size = (
        "10 or more times"
        if min(ratios) >= 10
        else "a tenth or less of" if max(ratios) <= 0.1 else "10-fold or more away from"
    )
    return (f'{phase.where}.dose: "{phase.dose.text}" is {size} every cited dose of '
            f"{regimen.route} {regimen.drug} ({listed}). Check for a mg/g slip.")


def comparable_dose(cited: PhaseFigures, ours: Any, body: BodySize) -> Any:
    """A cited dose in units comparable with ours, via the patient's weight for mg/kg; else None."""
    dose = cited.per_dose
    if dose is None:
        return None
    if (
        dose.dimensionality != ours.dimensionality
        and cited.dose.basis == "weight"
        and body.weight_or_none() is not None
    ):
        mass_unit = next(name for name, power in dose.unit_items() if power > 0)
        dose = (dose * body.weight_or_none()).to(mass_unit)
    return dose if dose.dimensionality == ours.dimensionality else None
