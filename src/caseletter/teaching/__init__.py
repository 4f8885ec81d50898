"""Teaching: the tutorial's exercise checks, running the tutorial, and a made-up class.

Names are re-exported lazily (see `caseletter.lazy`).
"""

from typing import TYPE_CHECKING

from caseletter.lazy import reexport

if TYPE_CHECKING:
    from caseletter.teaching.dosing_exercises import check_cumulative_dose, check_gap, check_regimen
    from caseletter.teaching.exercises import (
        IDENTIFIER_SENTENCE,
        care_table,
        check_assessment,
        check_citations,
        check_identifiers,
        citation_numbers,
        show_references,
    )
    from caseletter.teaching.notebooks import exercise_names, fill_in_solutions, run_tutorial
    from caseletter.teaching.sampleclass import make_class

__all__ = [
    "IDENTIFIER_SENTENCE", "care_table", "check_assessment", "check_citations", "check_cumulative_dose", "check_gap",
    "check_identifiers", "check_regimen", "citation_numbers", "exercise_names", "fill_in_solutions", "make_class",
    "run_tutorial", "show_references",
]
__getattr__ = reexport(__name__, {
    "dosing_exercises": ["check_cumulative_dose", "check_gap", "check_regimen"],
    "exercises": [
        "IDENTIFIER_SENTENCE", "check_assessment", "check_citations", "check_identifiers", "care_table",
        "citation_numbers", "show_references",
    ],
    "notebooks": ["exercise_names", "fill_in_solutions", "run_tutorial"],
    "sampleclass": ["make_class"],
})
