"""Every exercise of the lessons: its name, the variable that holds the answer, and its judge.

The check cells, the editions and the tests all look exercises up here, so an exercise is
added in one place. A judge is named as ``module:function`` and imported when first used: a
check cell should not pay for the dosing stage when it judges a title.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass
from typing import Any

from caseletter.errors import UnknownExercise


@dataclass(frozen=True)
class Exercise:
    """One exercise: where its answer lives and who judges it."""

    name: str
    number: int
    notebook: str  # the lesson notebook's stem: tutorial or writing
    variable: str
    judge_name: str  # module:function under caseletter.teaching

    def judge(self, answer: Any) -> Any:
        """The verdict on `answer`; a judge that fails says so instead of raising."""
        from caseletter.teaching.exercises import Verdict

        module, function = self.judge_name.split(":")
        judge = getattr(importlib.import_module(f"caseletter.teaching.{module}"), function)
        try:
            return judge(answer)
        except Exception as exc:  # a check cell must never stop the notebook
            return Verdict(
                False,
                f"the check could not read your answer ({exc.__class__.__name__}: {exc}).",
                f"the exercise cell: is `{self.variable}` the kind of value the exercise asks for?",
            )

    @property
    def header(self) -> str:
        """The comment that opens the exercise cell and lets the check find it."""
        return f"# Exercise {self.number} ({self.name})"

    def is_its_cell(self, source: str) -> bool:
        """True when `source` is this exercise's cell: its header, or else an assignment to its variable."""
        if re.search(rf"#\s*Exercise\s+\d+\s*\({re.escape(self.name)}\)", source):
            return True
        return bool(re.search(rf"^{re.escape(self.variable)}\s*=", source, re.MULTILINE)) and "check(" not in source


_ALL = [
    Exercise("care-assessment", 1, "tutorial", "assessment", "exercises:judge_assessment"),
    Exercise("cite-order", 2, "tutorial", "opening", "exercises:judge_citations"),
    Exercise("cumulative-dose", 3, "tutorial", "cumulative_g", "dosing_exercises:judge_cumulative_dose"),
    Exercise("timeline-gap", 4, "tutorial", "gap_months", "dosing_exercises:judge_gap"),
    Exercise("broken-regimen", 5, "tutorial", "phase", "dosing_exercises:judge_regimen"),
    Exercise("identifiers", 6, "tutorial", "sentence", "exercises:judge_identifiers"),
    Exercise("fix-case-file", 1, "writing", "case_text", "writing_exercises:judge_case_text"),
    Exercise("title", 2, "writing", "title", "writing_exercises:judge_title"),
    Exercise("key-words", 3, "writing", "keywords", "writing_exercises:judge_keywords"),
    Exercise("discussion", 4, "writing", "discussion", "writing_exercises:judge_discussion"),
    Exercise("practice-points", 5, "writing", "practice_points", "writing_exercises:judge_practice_points"),
    Exercise("consent", 6, "writing", "consent", "writing_exercises:judge_consent"),
    Exercise("choose-journal", 7, "writing", "journal", "writing_exercises:judge_journal"),
    Exercise("submission-checklist", 8, "writing", "to_complete", "writing_exercises:judge_submission_checklist"),
]
EXERCISES = {exercise.name: exercise for exercise in _ALL}


def find_exercise(name: str) -> Exercise:
    """The exercise of that name, or a message listing the names there are."""
    if name not in EXERCISES:
        raise UnknownExercise(
            f'check("{name}")', "the lessons have no exercise of that name", f"Exercises: {', '.join(EXERCISES)}."
        )
    return EXERCISES[name]


def exercises_of(notebook: str) -> list[Exercise]:
    """The exercises of one lesson notebook, in order."""
    return [exercise for exercise in _ALL if exercise.notebook == notebook]
