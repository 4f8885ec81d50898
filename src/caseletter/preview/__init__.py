"""Previewing: one case's letter served to the browser, rebuilt within a second of each save.

Names are re-exported lazily (see `caseletter.lazy`).
"""

from typing import TYPE_CHECKING

from caseletter.lazy import reexport

if TYPE_CHECKING:
    from caseletter.preview.server import latest_case, run_preview
    from caseletter.preview.session import PreviewSession, Snapshot

__all__ = ["PreviewSession", "Snapshot", "latest_case", "run_preview"]
__getattr__ = reexport(__name__, {
    "server": ["latest_case", "run_preview"],
    "session": ["PreviewSession", "Snapshot"],
})
