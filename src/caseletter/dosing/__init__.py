"""Dosing: regimens read as quantities, computed, tabled, and drawn on a timeline.

Names are re-exported lazily (see `caseletter.lazy`).
"""

from typing import TYPE_CHECKING

from caseletter.lazy import reexport

if TYPE_CHECKING:
    from caseletter.dosing.compute import DosingReport, compute_dosing
    from caseletter.dosing.table import report_to_json, table_rows
    from caseletter.dosing.timeline import draw_timeline
    from caseletter.dosing.units import CalendarAssumptions

__all__ = ["CalendarAssumptions", "DosingReport", "compute_dosing", "draw_timeline", "report_to_json", "table_rows"]
__getattr__ = reexport(__name__, {
    "compute": ["DosingReport", "compute_dosing"],
    "table": ["report_to_json", "table_rows"],
    "timeline": ["draw_timeline"],
    "units": ["CalendarAssumptions"],
})
