"""The dosing table as data: display rows for the letter and the CLI, and JSON for tools.

`dosing.compute` computes pint quantities; this module only turns them into strings. Every
figure is shown to 3 significant digits (the JSON keeps 6), and a count that was rounded is
named in the report's notes, so that nothing is rounded out of the reader's sight.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from caseletter.dosing.compute import DosingReport, PhaseFigures, RegimenFigures
from caseletter.dosing.units import format_number, format_quantity, json_quantity

DASH = "—"
ONGOING = "ongoing"


@dataclass(frozen=True)
class PhaseRow:
    """One line of the dosing table, every cell a display string."""

    phase: str
    dose: str
    frequency: str
    infusion_time: str
    duration: str
    administrations: str
    cumulative_dose: str
    dose_per_week: str
    infusion_rate: str
    note: str = ""


@dataclass(frozen=True)
class RegimenRow:
    """One regimen of the table: its phases and a total line.

    `source` is "this case" or "literature"; `cite` holds the literature's citation keys,
    kept as keys so that the letter can replace them by their numbers.
    """

    source: str
    cite: tuple[str, ...]
    drug: str
    route: str
    label: str
    start: str
    note: str
    phases: tuple[PhaseRow, ...]
    total: PhaseRow


@dataclass(frozen=True)
class Totals:
    """A regimen's totals; `open_ended` when a phase runs until an event."""

    count: int | None
    open_ended: bool
    cumulative: Any
    days: float | None
    duration_text: str
    mean_per_week: Any


def table_rows(report: DosingReport) -> list[RegimenRow]:
    """The table's rows: this case's regimens first, then the literature's."""
    return [describe_regimen(regimen) for regimen in report.regimens]


def describe_regimen(regimen: RegimenFigures) -> RegimenRow:
    """The table rows of one regimen: its phases as display strings, and a total."""
    r = regimen.regimen
    return RegimenRow(
        source="this case" if regimen.is_case else "literature",
        cite=tuple(r.cite),
        drug=r.drug,
        route=r.route,
        label=r.label,
        start=r.start,
        note=r.note,
        phases=tuple(phase_row(str(i), p, regimen.is_case) for i, p in enumerate(regimen.phases, start=1)),
        total=total_row(regimen_totals(regimen)),
    )


def phase_row(number: str, f: PhaseFigures, is_case: bool) -> PhaseRow:
    """The display cells of one phase."""
    unknown = "not stated" if f.per_dose is None else DASH
    dose = f.dose.text if f.dose.amount is not None else "not stated"
    if is_case and f.dose.basis in {"weight", "area"}:
        dose += f" ({format_quantity(f.per_dose)})"
    return PhaseRow(
        phase=number,
        dose=dose,
        frequency=f.frequency.text,
        infusion_time=f.phase.infusion_time or DASH,
        duration=f.duration.text + (f" ({ONGOING})" if f.duration.until else ""),
        administrations=ONGOING if f.count is None else str(f.count),
        cumulative_dose=(
            format_quantity(f.cumulative)
            if f.cumulative is not None
            else (ONGOING if f.per_dose is not None else unknown)
        ),
        dose_per_week=format_quantity(f.per_week) if f.per_week is not None else unknown,
        infusion_rate=format_quantity(f.rate) if f.rate is not None else unknown,
        note=f.phase.note,
    )


def regimen_totals(regimen: RegimenFigures) -> Totals:
    """Sum the closed phases; an open phase makes the totals open-ended."""
    phases = regimen.phases
    open_ended = any(p.count is None for p in phases)
    counts = [p.count for p in phases if p.count is not None]
    count = sum(counts) if counts else None
    days = sum(p.days for p in phases if p.days is not None)
    return Totals(count, open_ended, sum_quantities([p.cumulative for p in phases if p.count is not None]),
                  days, total_duration_text(phases, days), mean_per_week(phases))


def sum_quantities(quantities: list[Any]) -> Any:
    """Sum in the first quantity's unit; None if any is missing or the units do not add."""
    if not quantities or any(q is None for q in quantities):
        return None
    try:
        return sum((q.to(quantities[0].units) for q in quantities[1:]), quantities[0])
    except Exception:  # pint's DimensionalityError: mg beside mg/kg in one regimen
        return None


def total_duration_text(phases: list[PhaseFigures], days: float) -> str:
    """'8 months' when the phases share a unit, otherwise weeks; '+ ongoing' for an open end."""
    spans = [p.duration.span for p in phases if p.duration.span is not None]
    closed = [p for p in phases if p.duration.until is None]
    if spans and len(spans) == len(closed) and len({s.unit for s in spans}) == 1:
        value = sum(s.value for s in spans)
        text = f"{format_number(value)} {spans[0].unit}{'' if value == 1 else 's'}"
    else:
        text = f"{format_number(days / 7)} weeks" if closed else ""
    if len(closed) < len(phases):
        return f"{text} + {ONGOING}" if text else ONGOING
    return text


def mean_per_week(phases: list[PhaseFigures]) -> Any:
    """Time-weighted mean dose per week over closed phases; None when not computable."""
    if any(p.per_week is None or p.days is None for p in phases):
        return None
    total_days = sum(p.days for p in phases)
    if total_days <= 0:
        return None
    return sum_quantities([p.per_week * (p.days / total_days) for p in phases])


def total_row(totals: Totals) -> PhaseRow:
    """The regimen's 'Total' line."""
    suffix = f" + {ONGOING}" if totals.open_ended else ""
    count = ONGOING if totals.count is None else f"{totals.count}{suffix}"
    cumulative = (
        format_quantity(totals.cumulative) + suffix
        if totals.cumulative is not None
        else (ONGOING if totals.open_ended and totals.count is None else DASH)
    )
    mean = f"{format_quantity(totals.mean_per_week)} (mean)" if totals.mean_per_week is not None else DASH
    return PhaseRow("Total", DASH, DASH, DASH, totals.duration_text, count, cumulative, mean, DASH)


def report_to_json(report: DosingReport) -> dict[str, Any]:
    """Every figure per phase and in total, as JSON-safe data (quantities as strings)."""
    a = report.assumptions
    return {
        "assumptions": {
            "month_days": a.month_days, "year_days": a.year_days, "partial_periods": a.partial_periods,
            "description": a.describe(),
        },
        "regimens": [regimen_json(r) for r in report.regimens],
        "warnings": list(report.warnings),
        "notes": list(report.notes),
    }


def regimen_json(regimen: RegimenFigures) -> dict[str, Any]:
    """One regimen's figures for JSON."""
    r, totals = regimen.regimen, regimen_totals(regimen)
    return {
        "source": "this case" if regimen.is_case else "literature", "cite": list(r.cite), "drug": r.drug,
        "route": r.route,
        "label": r.label, "start": r.start, "note": r.note,
        "phases": [phase_json(p) for p in regimen.phases],
        "total": {
            "administrations": totals.count, "open_ended": totals.open_ended,
            "cumulative_dose": json_quantity(totals.cumulative), "duration": totals.duration_text,
            "duration_days": None if totals.open_ended else f"{totals.days:.6g} day",
            "mean_dose_per_week": json_quantity(totals.mean_per_week),
        },
    }


def phase_json(f: PhaseFigures) -> dict[str, Any]:
    """One phase's figures for JSON."""
    return {
        "dose": f.dose.text, "dose_basis": f.dose.basis, "dose_per_administration": json_quantity(f.per_dose),
        "frequency": f.frequency.text, "duration": f.duration.text, "until": f.duration.until,
        "duration_days": None if f.days is None or f.duration.until else f"{f.days:.6g} day",
        "infusion_time": json_quantity(f.infusion_time), "open_ended": f.count is None,
        "administrations": f.count, "administrations_exact": None if f.exact_count is None else round(f.exact_count, 6),
        "cumulative_dose": json_quantity(f.cumulative), "dose_per_week": json_quantity(f.per_week),
        "infusion_rate": json_quantity(f.rate), "note": f.phase.note,
    }
