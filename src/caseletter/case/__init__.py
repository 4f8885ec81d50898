"""The case: the case file's model, reading it once, its text fields, and new case files.

Names are re-exported lazily (see `caseletter.lazy`).
"""

from typing import TYPE_CHECKING

from caseletter.lazy import reexport

if TYPE_CHECKING:
    from caseletter.case.fields import body_fields, citation_fields, fields_under, narrative_fields, text_fields
    from caseletter.case.model import Case, Figure, Phase, Regimen
    from caseletter.case.scaffold import scaffold_case
    from caseletter.case.source import CaseSource, load_case, read_case_source

__all__ = [
    "Case", "CaseSource", "Figure", "Phase", "Regimen", "body_fields", "citation_fields", "fields_under", "load_case",
    "narrative_fields", "read_case_source", "scaffold_case", "text_fields",
]
__getattr__ = reexport(__name__, {
    "fields": ["body_fields", "citation_fields", "fields_under", "narrative_fields", "text_fields"],
    "model": ["Case", "Figure", "Phase", "Regimen"],
    "scaffold": ["scaffold_case"],
    "source": ["CaseSource", "load_case", "read_case_source"],
})
