"""Dosing: regimens read as quantities, computed, tabled, and drawn on a timeline.

Names are re-exported lazily (see `caseletter.lazy`).
"""

from typing import TYPE_CHECKING

from caseletter.lazy import reexport

if TYPE_CHECKING:
    from caseletter.dosing.compute import compute_dosing
    from caseletter.dosing.figures import DosingReport
    from caseletter.dosing.json_report import report_to_json
    from caseletter.dosing.table import table_rows
    from caseletter.dosing.timeline import draw_timeline
    from caseletter.dosing.units import CalendarAssumptions

__all__ = ["CalendarAssumptions", "DosingReport", "compute_dosing", "draw_timeline", "report_to_json", "table_rows"]
__getattr__ = reexport(__name__, {
    "compute": ["compute_dosing"],
    "figures": ["DosingReport"],
    "json_report": ["report_to_json"],
    "table": ["table_rows"],
    "timeline": ["draw_timeline"],
    "units": ["CalendarAssumptions"],
})
