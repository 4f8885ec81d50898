"""Running the tutorial with its worked solutions (or any answers) filled in.

Exercise cells in ``notebooks/tutorial.ipynb`` carry the tag ``exercise`` and their name in
``metadata.caseletter.exercise``; ``notebooks/solutions/NAME.py`` holds the worked cell.
`run_tutorial` swaps the worked cells in (or any answers given) and executes the notebook with
papermill: the tests run it that way, and an educator can print an answer key with it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from caseletter.errors import UnknownExercise
from caseletter.paths import notebooks_dir

TUTORIAL = notebooks_dir() / "tutorial.ipynb"
SOLUTIONS = notebooks_dir() / "solutions"
EXERCISE_TAG = "exercise"


def exercise_names(notebook) -> list[str]:
    """The exercises of a notebook, in order (cells tagged ``exercise``)."""
    return [
        cell.metadata["caseletter"]["exercise"]
        for cell in notebook.cells
        if EXERCISE_TAG in cell.metadata.get("tags", [])
    ]


def fill_in_solutions(notebook, answers: dict[str, str] | None = None, solutions: Path = SOLUTIONS):
    """Replace each exercise cell with its worked solution, or with the answer given for it."""
    answers = dict(answers or {})
    names = exercise_names(notebook)
    stray = sorted(set(answers) - set(names))
    if stray:
        raise UnknownExercise(
            f'answers for "{stray[0]}"', "the tutorial has no exercise of that name", f"Exercises: {', '.join(names)}."
        )
    for cell in notebook.cells:
        if EXERCISE_TAG in cell.metadata.get("tags", []):
            name = cell.metadata["caseletter"]["exercise"]
            cell.source = answers[name] if name in answers else read_solution(name, solutions)
    return notebook


def read_solution(name: str, solutions: Path = SOLUTIONS) -> str:
    """The worked cell of one exercise."""
    path = solutions / f"{name}.py"
    if not path.is_file():
        raise UnknownExercise(
            str(path),
            f'no worked solution for the exercise "{name}"',
            "Add the file, holding the solved exercise cell.",
        )
    return path.read_text(encoding="utf-8").rstrip("\n")


def run_tutorial(
    output: Path | str,
    answers: dict[str, str] | None = None,
    parameters: dict[str, Any] | None = None,
    notebook: Path = TUTORIAL,
):
    """Execute the tutorial with the worked solutions (and any answers given) filled in.

    Args:
        output: where to write the executed notebook (an answer key, or a test's evidence).
        answers: exercise name → the cell source to use instead of the worked solution.
        parameters: papermill parameters for the tutorial's parameters cell.
        notebook: the tutorial notebook (the kit's own unless given).

    Returns:
        The executed notebook.
    """
    import nbformat
    import papermill

    filled = fill_in_solutions(nbformat.read(notebook, as_version=4), answers)
    return papermill.execute_notebook(
        filled, str(output), parameters=parameters or {}, cwd=str(notebook.parent),
        kernel_name="python3", progress_bar=False, log_output=False,
    )
