"""Teaching: the lessons' exercise checks, their two editions, running them, a workshop folder, a made-up class.

Names are re-exported lazily (see `caseletter.lazy`).
"""

from typing import TYPE_CHECKING

from caseletter.lazy import reexport

if TYPE_CHECKING:
    from caseletter.teaching.checkcell import assert_right, check, start_tracking
    from caseletter.teaching.editions import LESSONS, student_edition, write_editions
    from caseletter.teaching.exercises import IDENTIFIER_SENTENCE, care_table, citation_numbers, show_references
    from caseletter.teaching.notebooks import exercise_names, fill_in_answers, run_lesson
    from caseletter.teaching.registry import EXERCISES
    from caseletter.teaching.sampleclass import make_class
    from caseletter.teaching.workshop import init_workshop
    from caseletter.teaching.writing_exercises import show_bibliography, show_draft_report, show_letter_limits

__all__ = [
    "EXERCISES", "IDENTIFIER_SENTENCE", "LESSONS", "assert_right", "care_table", "check", "citation_numbers",
    "exercise_names", "fill_in_answers", "init_workshop", "make_class", "run_lesson",
    "show_bibliography", "show_draft_report", "show_letter_limits", "show_references", "start_tracking",
    "student_edition", "write_editions",
]
__getattr__ = reexport(__name__, {
    "checkcell": ["assert_right", "check", "start_tracking"],
    "editions": ["LESSONS", "student_edition", "write_editions"],
    "exercises": ["IDENTIFIER_SENTENCE", "care_table", "citation_numbers", "show_references"],
    "notebooks": ["exercise_names", "fill_in_answers", "run_lesson"],
    "registry": ["EXERCISES"],
    "sampleclass": ["make_class"],
    "workshop": ["init_workshop"],
    "writing_exercises": ["show_bibliography", "show_draft_report", "show_letter_limits"],
})
