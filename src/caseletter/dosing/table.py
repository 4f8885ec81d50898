"""The dosing table as data: display rows for the letter and the CLI (the JSON is `dosing.json_report`).

`dosing.compute` computes pint quantities; this module only turns them into strings. Every
figure is shown to 3 significant digits (the JSON keeps 6), and a count that was rounded is
named in the report's notes, so that nothing is rounded out of the reader's sight.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from caseletter.dosing.figures import DosingReport, PhaseFigures, RegimenFigures
from caseletter.dosing.units import format_number, format_quantity, unit_registry

DASH = "—"
ONGOING = "ongoing"
NOT_REPORTED = "not reported"


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
    drug: str = ""  # the phase's own drug and route, when they differ from the regimen's


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
    totals: tuple[PhaseRow, ...] = ()  # one per drug; different drugs are never added
    length: str = ""  # the regimen's whole length, gaps included
    course_length: str = ""  # on the last regimen of a named course: the whole course's length


@dataclass(frozen=True)
class Totals:
    """A regimen's totals; `open_ended` when a phase runs until an event."""

    count: int | None
    open_ended: bool
    cumulative: Any
    days: float | None
    duration_text: str
    mean_per_week: Any
    per_size_cumulative: Any = None  # per kg or m², when the body size is not reported


def table_rows(report: DosingReport) -> list[RegimenRow]:
    """The table's rows: this case's regimens first, then the literature's; a course's length on its last."""
    import dataclasses

    rows = [describe_regimen(regimen) for regimen in report.regimens]
    for name, members in courses(report).items():
        last = report.regimens.index(members[-1])
        rows[last] = dataclasses.replace(rows[last], course_length=f"{name}: {course_length_text(members)}")
    return rows


def courses(report: DosingReport) -> dict[str, list[RegimenFigures]]:
    """This case's regimens by the course they name, for courses of two regimens or more."""
    named: dict[str, list[RegimenFigures]] = {}
    for regimen in report.regimens:
        if regimen.is_case and regimen.regimen.course:
            named.setdefault(regimen.regimen.course, []).append(regimen)
    return {name: members for name, members in named.items() if len(members) > 1}


def course_span(members: list[RegimenFigures]) -> float | None:
    """Days from the first regimen's start to the last one's end; None when a start or a length is unknown."""
    if any(r.start_days is None or r.length_days is None for r in members):
        return None
    return max(r.start_days + r.length_days for r in members) - min(r.start_days for r in members)


def course_length_text(members: list[RegimenFigures]) -> str:
    """The course's whole length, 'ongoing', or what keeps it from being known."""
    span = course_span(members)
    if span is not None:
        return days_text(span)
    if any(p.duration.until for r in members for p in r.phases):
        return ONGOING
    unknown = "start" if any(r.start_days is None for r in members) else "length"
    return f"not computable (a regimen's {unknown} not reported)"


def describe_regimen(regimen: RegimenFigures) -> RegimenRow:
    """The table rows of one regimen: its phases as display strings, and a total per drug."""
    r = regimen.regimen
    totals = tuple(
        total_row(regimen_totals(regimen, phases), f"Total, {drug}" if len(by_drug(regimen)) > 1 else "Total")
        for drug, phases in by_drug(regimen).items()
    )
    return RegimenRow(
        source="this case" if regimen.is_case else "literature",
        cite=tuple(r.cite),
        drug=r.drug,
        route=r.route,
        label=r.label,
        start=r.start,
        note=r.note,
        phases=tuple(phase_row(str(i), p, regimen.is_case, r) for i, p in enumerate(regimen.phases, start=1)),
        total=totals[0],
        totals=totals,
        length=regimen_length_text(regimen),
    )


def by_drug(regimen: RegimenFigures) -> dict[str, list[PhaseFigures]]:
    """The regimen's phases by drug and route, in order of first appearance."""
    groups: dict[str, list[PhaseFigures]] = {}
    for phase in regimen.phases:
        groups.setdefault(drug_name(phase.route, phase.drug), []).append(phase)
    return groups


def drug_name(route: str, drug: str) -> str:
    """'IV methylprednisolone'; a route the source does not give is left out, not printed."""
    from caseletter.dosing.quantities import is_not_reported

    return " ".join(x for x in (route, drug) if x and not is_not_reported(x))


def regimen_length_text(regimen: RegimenFigures) -> str:
    """'5.4 weeks' from the first dose to the end of the last phase, or why it cannot be given."""
    if regimen.length_days is not None:
        return days_text(regimen.length_days)
    if any(p.duration.until for p in regimen.phases):
        return ONGOING
    reasons = [p.not_computable.get("gap") or p.not_computable.get("duration") for p in regimen.phases]
    reason = next((r for r in reasons if r), "")
    return f"not computable ({reason.removeprefix('not computable: ')})" if reason else "not computable"


def days_text(days: float) -> str:
    """A length in the unit a reader expects for it: days under 3 weeks, weeks under 6 months, else months."""
    if days < 21:
        return f"{format_number(days)} day{'' if days == 1 else 's'}"
    if days < 183:
        return f"{format_number(days / 7)} weeks"
    return f"{format_number(days / (365.25 / 12))} months"


def not_computable(f: PhaseFigures, *keys: str) -> str:
    """'not computable (frequency not reported)' for the first of `keys` with a reason, else a dash."""
    for key in keys:
        reason = f.not_computable.get(key)
        if reason:
            return "not computable (" + reason.removeprefix("not computable: ").removeprefix("not computable ") + ")"
    return DASH


def phase_row(number: str, f: PhaseFigures, is_case: bool, regimen=None) -> PhaseRow:
    """The display cells of one phase: a figure, or why it cannot be given."""
    own_drug = regimen is not None and (f.drug, f.route) != (regimen.drug, regimen.route)
    return PhaseRow(
        phase=number,
        dose=dose_cell(f, is_case),
        frequency=f.frequency.text or DASH,
        infusion_time=f.phase.infusion_time or DASH,
        duration=duration_cell(f),
        administrations=administrations_cell(f),
        cumulative_dose=cumulative_cell(f),
        dose_per_week=per_week_cell(f),
        infusion_rate=(
            format_quantity(f.rate) if f.rate is not None
            else not_computable(f, "infusion_rate", "dose") if f.phase.infusion_time else DASH
        ),
        note=f.phase.note,
        drug=drug_name(f.route, f.drug) if own_drug else "",
    )


def dose_cell(f: PhaseFigures, is_case: bool) -> str:
    """'2 mg/kg (136 mg)', '60 → 20 mg, taper (rule not reported)', or 'not reported'."""
    if not f.dose.reported:
        return NOT_REPORTED
    dose = f.dose.text
    if f.taper_to is not None:
        rule = f.phase.taper_step or "rule not reported"
        end = f.taper_to.text if f.taper_to.reported else "a last dose not reported"
        dose = f"{f.dose.text} → {end}, taper ({rule})"
    if is_case and f.dose.basis in {"weight", "area"} and f.dose.period is None and f.per_dose is not None:
        dose += f" ({format_quantity(f.per_dose)})"
    return dose


def duration_cell(f: PhaseFigures) -> str:
    """The duration as written ('ongoing' for an open end), and the gap before the phase when there is one."""
    parts = [f.duration.text + (f" ({ONGOING})" if f.duration.until else "")] if f.duration.text else []
    if f.gap_days is None:
        parts.append("gap before it not reported")
    elif f.gap_days:
        parts.append(f"after a gap of {f.phase.gap}")
    return "; ".join(parts) or DASH


def administrations_cell(f: PhaseFigures) -> str:
    """The count, 'ongoing', or why it cannot be given."""
    if f.count is not None:
        return str(f.count)
    if f.duration.until:
        return ONGOING
    reason = f.not_computable.get("administrations", "")
    return "not given (a total per period)" if reason.startswith("not given") else not_computable(f, "administrations")


def cumulative_cell(f: PhaseFigures) -> str:
    """The cumulative dose, a taper's range, the dose per kg or m² without the body size, or why not."""
    if f.cumulative is not None:
        return format_quantity(f.cumulative)
    if f.cumulative_range is not None:
        low, high = f.cumulative_range
        return f"{format_number(low.magnitude)}–{format_quantity(high)} (range)"
    if f.per_size_cumulative is not None:  # per kg or m²: the caption says why not in mass
        return format_quantity(f.per_size_cumulative)
    if f.duration.until and f.per_dose is not None:
        return ONGOING
    return not_computable(f, "cumulative", "administrations", "duration", "dose")


def per_week_cell(f: PhaseFigures) -> str:
    """The dose per week, per kg or m² without the body size, or why not."""
    if f.per_week is not None:
        return format_quantity(f.per_week)
    if f.per_size_per_week is not None:
        return format_quantity(f.per_size_per_week)
    if f.taper_to is not None:
        return "varies (taper)"
    if f.frequency.reported and f.frequency.every is None:
        return DASH  # a single dose, or counted doses at an interval not given
    return not_computable(f, "dose_per_week", "dose", "administrations")


def regimen_totals(regimen: RegimenFigures, phases: list[PhaseFigures] | None = None) -> Totals:
    """Sum the phases of one drug; an open phase makes the totals open-ended, an unknown one not computable."""
    phases = regimen.phases if phases is None else phases
    open_ended = any(p.duration.until for p in phases)
    counts = [p.count for p in phases if not p.duration.until]
    count = sum(counts) if counts and all(c is not None for c in counts) else None
    closed = [p for p in phases if not p.duration.until]
    cumulative = sum_quantities([p.cumulative for p in closed]) if closed else None
    per_size = sum_quantities([p.per_size_cumulative for p in closed]) if closed and cumulative is None else None
    days = span_with_gaps(phases)
    return Totals(count, open_ended, cumulative, days, total_duration_text(phases, days), mean_per_week(phases),
                  per_size)


def span_with_gaps(phases: list[PhaseFigures]) -> float | None:
    """The closed phases' days with the gaps between them; None when a part is not known."""
    parts = [p.days for p in phases if not p.duration.until] + [p.gap_days for p in phases[1:]]
    return None if any(part is None for part in parts) else sum(parts)


def sum_quantities(quantities: list[Any]) -> Any:
    """Sum in the first quantity's unit; None if any is missing or the units do not add."""
    if not quantities or any(q is None for q in quantities):
        return None
    try:
        return sum((q.to(quantities[0].units) for q in quantities[1:]), quantities[0])
    except Exception:  # pint's DimensionalityError: mg beside mg/kg in one regimen
        return None


def total_duration_text(phases: list[PhaseFigures], days: float | None) -> str:
    """'8 months' when the phases share a unit and follow each other, otherwise days or weeks; '+ ongoing'."""
    spans = [p.duration.span for p in phases if p.duration.span is not None]
    closed = [p for p in phases if p.duration.until is None]
    gaps = any(p.gap_days for p in phases[1:])
    if days is None:
        text = "length not computable"
    elif spans and len(spans) == len(closed) and len({s.unit for s in spans}) == 1 and not gaps:
        value = sum(s.value for s in spans)
        text = f"{format_number(value)} {spans[0].unit}{'' if value == 1 else 's'}"
    else:
        text = days_text(days) if closed else ""
    if len(closed) < len(phases):
        return f"{text} + {ONGOING}" if text else ONGOING
    return text


def mean_per_week(phases: list[PhaseFigures]) -> Any:
    """Time-weighted mean dose per week over closed phases (a taper's from its cumulative dose); None if unknown."""
    if any(not p.days for p in phases):
        return None
    total_days = sum(p.days for p in phases)
    if total_days < 7:
        return None  # a course shorter than a week has no weekly mean
    if all(p.per_week is not None for p in phases):
        return sum_quantities([p.per_week * (p.days / total_days) for p in phases])
    total = sum_quantities([p.cumulative for p in phases])
    return None if total is None else total / (total_days / 7) / unit_registry().week


def total_row(totals: Totals, label: str = "Total") -> PhaseRow:
    """A 'Total' line (one per drug)."""
    suffix = f" + {ONGOING}" if totals.open_ended else ""
    count = (ONGOING if totals.open_ended else "not computable") if totals.count is None else f"{totals.count}{suffix}"
    if totals.cumulative is not None:
        cumulative = format_quantity(totals.cumulative) + suffix
    elif totals.per_size_cumulative is not None:
        cumulative = format_quantity(totals.per_size_cumulative) + suffix
    else:
        cumulative = ONGOING if totals.open_ended and totals.count is None else "not computable"
    mean = f"{format_quantity(totals.mean_per_week)} (mean)" if totals.mean_per_week is not None else DASH
    return PhaseRow(label, DASH, DASH, DASH, totals.duration_text, count, cumulative, mean, DASH)
