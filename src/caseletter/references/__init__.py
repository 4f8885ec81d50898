"""References: citation keys in the text, .bib files, CSL-JSON, and the one way they are formatted.

Names are re-exported lazily (see `caseletter.lazy`).
"""

from typing import TYPE_CHECKING

from caseletter.lazy import reexport

if TYPE_CHECKING:
    from caseletter.references.bibliography import Bibliography, load_bibliography
    from caseletter.references.case_bibliography import load_case_bibliography
    from caseletter.references.citeproc import FormattedReference, format_reference_lines, format_references
    from caseletter.references.keys import cited_in_order, cited_keys, first_citation_order

__all__ = [
    "Bibliography", "FormattedReference", "cited_in_order", "cited_keys", "first_citation_order",
    "format_reference_lines", "format_references", "load_bibliography", "load_case_bibliography",
]
__getattr__ = reexport(__name__, {
    "bibliography": ["Bibliography", "load_bibliography"],
    "case_bibliography": ["load_case_bibliography"],
    "citeproc": ["FormattedReference", "format_reference_lines", "format_references"],
    "keys": ["cited_in_order", "cited_keys", "first_citation_order"],
})
