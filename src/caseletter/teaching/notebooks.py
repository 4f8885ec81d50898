"""Running a lesson notebook as its source stands (the answer key) or with any answers given.

Exercise cells carry the tag ``exercise`` and their name in ``metadata.caseletter.exercise``; the
source holds each worked solution inline (see `caseletter.teaching.editions`). `run_lesson`
swaps in the answers given for some exercises and executes the notebook with papermill: the
tests run it that way, with right answers and with each slip a learner makes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from caseletter.errors import UnknownExercise
from caseletter.paths import notebooks_dir

TUTORIAL = notebooks_dir() / "tutorial.ipynb"
WRITING = notebooks_dir() / "writing.ipynb"
EXERCISE_TAG = "exercise"


def exercise_names(notebook) -> list[str]:
    """The exercises of a notebook, in order (cells tagged ``exercise``)."""
    return [
        cell.metadata["caseletter"]["exercise"]
        for cell in notebook.cells
        if EXERCISE_TAG in cell.metadata.get("tags", [])
    ]


def fill_in_answers(notebook, answers: dict[str, str] | None = None):
    """Replace the exercise cells named in `answers` with the cell source given for each."""
    answers = dict(answers or {})
    names = exercise_names(notebook)
    stray = sorted(set(answers) - set(names))
    if stray:
        raise UnknownExercise(
            f'answers for "{stray[0]}"', "the lesson has no exercise of that name", f"Exercises: {', '.join(names)}."
        )
    for cell in notebook.cells:
        if EXERCISE_TAG in cell.metadata.get("tags", []):
            name = cell.metadata["caseletter"]["exercise"]
            if name in answers:
                cell.source = answers[name]
    return notebook


def run_lesson(
    output: Path | str,
    answers: dict[str, str] | None = None,
    parameters: dict[str, Any] | None = None,
    notebook: Path | str = TUTORIAL,
):
    """Execute a lesson notebook with its worked solutions, or the answers given instead.

    Args:
        output: where to write the executed notebook (an answer key, or a test's evidence).
        answers: exercise name → the cell source to use instead of the worked solution.
        parameters: papermill parameters for the notebook's parameters cell.
        notebook: the lesson notebook (the kit's tutorial unless given).

    Returns:
        The executed notebook.
    """
    import nbformat
    import papermill

    from caseletter.build.forking import tracking_manager_class

    notebook = Path(notebook)
    filled = fill_in_answers(nbformat.read(notebook, as_version=4), answers)
    return papermill.execute_notebook(
        filled, str(output), parameters=parameters or {}, cwd=str(notebook.parent),
        kernel_name="python3", progress_bar=False, log_output=False,
        kernel_manager_class=tracking_manager_class(),  # the kernel's own warnings kept out of sight
    )

