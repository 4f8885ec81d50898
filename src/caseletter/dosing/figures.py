"""What the dosing stage computes: each phase's figures, each regimen's, and the report.

Plain records, kept apart from the computing so that the table, the tapers and the slip
warnings read them without importing the machinery that fills them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from caseletter.case.model import Phase, Regimen
from caseletter.dosing.quantities import Dose, Duration, Frequency
from caseletter.dosing.units import CalendarAssumptions


@dataclass
class PhaseFigures:
    """The computed quantities of one phase (pint quantities, or None where not computable).

    `not_computable` says, figure by figure, why one is missing ("no body weight reported"), so
    the table, the check and the JSON say it in the same words. Without the body size a weight-
    or surface-based dose keeps its figures per kg or per m² (`per_size_*`).
    """

    where: str
    dose: Dose
    frequency: Frequency
    duration: Duration
    phase: Phase
    drug: str = ""
    route: str = ""
    per_dose: Any = None
    infusion_time: Any = None
    days: float | None = None
    exact_count: float | None = None
    count: int | None = None
    cumulative: Any = None
    cumulative_range: tuple[Any, Any] | None = None  # a taper whose rule the source does not give
    per_week: Any = None
    rate: Any = None
    per_size_cumulative: Any = None
    per_size_per_week: Any = None
    taper_to: Dose | None = None
    gap_days: float | None = 0.0  # None: the gap before this phase was not reported
    size: Any = None  # the body size a dose per kg or m² is multiplied by (1 when it needs none; None unknown)
    not_computable: dict[str, str] = field(default_factory=dict)


@dataclass
class RegimenFigures:
    """A regimen with its computed phases; `where` is its path in the case file.

    `start_days` is None when the start is not reported; `length_days` is the regimen's whole
    length (gaps included), None when a part of it is not known or it is still going on.
    """

    regimen: Regimen
    where: str
    is_case: bool
    phases: list[PhaseFigures]
    start_days: float | None = 0.0
    length_days: float | None = None


@dataclass
class DosingReport:
    """What `compute_dosing` found: every regimen's figures, warnings, notes and the assumptions used."""

    regimens: list[RegimenFigures]
    warnings: list[str]
    notes: list[str]
    assumptions: CalendarAssumptions = field(default_factory=CalendarAssumptions)
