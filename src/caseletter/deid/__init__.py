"""Identifiers: Safe Harbor identifiers in text, in files, and in what images carry.

Names are re-exported lazily (see `caseletter.lazy`).
"""

from typing import TYPE_CHECKING

from caseletter.lazy import reexport

if TYPE_CHECKING:
    from caseletter.deid.files import scan_file, scan_files
    from caseletter.deid.images import scan_image_metadata, strip_image_metadata
    from caseletter.deid.text import TYPES, Finding, scan_text

__all__ = ["Finding", "TYPES", "scan_file", "scan_files", "scan_image_metadata", "scan_text", "strip_image_metadata"]
__getattr__ = reexport(
    __name__,
    {
        "files": ["scan_file", "scan_files"],
        "images": ["scan_image_metadata", "strip_image_metadata"],
        "text": ["TYPES", "Finding", "scan_text"],
    },
)
