"""The checks: every finding about a case before its letter is built, and the report they make.

Each check is a module with one ``find(source, profile)``; `default_checks()` lists them.
Names are re-exported lazily (see `caseletter.lazy`).
"""

from typing import TYPE_CHECKING

from caseletter.lazy import reexport

if TYPE_CHECKING:
    from caseletter.checks.finding import ERROR, NOTE, SEVERITIES, WARNING, Finding
    from caseletter.checks.profile import Profile, load_profile
    from caseletter.checks.report import CheckReport, render_check_html, summary_line
    from caseletter.checks.run import default_checks, run_checks

__all__ = [
    "ERROR", "NOTE", "SEVERITIES", "WARNING", "CheckReport", "Finding", "Profile",
    "default_checks", "load_profile", "render_check_html", "run_checks", "summary_line",
]
__getattr__ = reexport(__name__, {
    "finding": ["ERROR", "NOTE", "SEVERITIES", "WARNING", "Finding"],
    "profile": ["Profile", "load_profile"],
    "report": ["CheckReport", "render_check_html", "summary_line"],
    "run": ["default_checks", "run_checks"],
})
