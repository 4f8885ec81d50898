"""The letter: the case composed in the letter's order, rendered by citeproc, shown cell by cell, exported.

Names are re-exported lazily (see `caseletter.lazy`).
"""

from typing import TYPE_CHECKING

from caseletter.lazy import reexport

if TYPE_CHECKING:
    from caseletter.letter.exporters import LetterDOCXExporter, LetterHTMLExporter, LetterPDFExporter, exporter_for
    from caseletter.letter.notebook import Letter, open_letter

__all__ = ["Letter", "LetterDOCXExporter", "LetterHTMLExporter", "LetterPDFExporter", "exporter_for", "open_letter"]
__getattr__ = reexport(__name__, {
    "exporters": ["LetterDOCXExporter", "LetterHTMLExporter", "LetterPDFExporter", "exporter_for"],
    "notebook": ["Letter", "open_letter"],
})
