"""Two editions of one lesson source: the student's, without solutions, and the educator's, with them.

The lesson notebooks carry their worked solutions and their grading tests inline, marked the way
nbgrader marks them: ``### BEGIN SOLUTION`` ... ``### END SOLUTION`` in an exercise cell and
``### BEGIN HIDDEN TESTS`` ... ``### END HIDDEN TESTS`` in its check cell, with nbgrader's cell
metadata (``solution``, ``grade``, ``grade_id``, ``points``). nbgrader rather than Otter because
its markers live in ordinary code cells, so the educator's edition is the runnable tutorial
itself, an answer key that runs top to bottom; because its formgrader runs on the JupyterHub
where workshops are usually handed out; and because grading runs locally, with no containers.

The educator's edition is the source as it is, ready for ``nbgrader generate_assignment``. The
student edition is what nbgrader's release step makes of it, written by the kit so that an
educator who does not grade with nbgrader needs nothing more: each solution replaced by the
same stub nbgrader is configured with (``nbgrader_config.py``, written beside the educator's
edition), hidden tests and outputs removed, and no nbgrader metadata left to confuse a learner.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from caseletter.paths import notebooks_dir

LESSONS = ("tutorial", "writing")
CODE_STUB = "# Your answer: change the value above, then run this cell and the check below."
SOLUTION = re.compile(r"^[ \t]*### BEGIN SOLUTION[ \t]*\n.*?^[ \t]*### END SOLUTION[ \t]*(?:\n|$)", re.M | re.S)
HIDDEN_TESTS = re.compile(
    r"^[ \t]*### BEGIN HIDDEN TESTS[ \t]*\n.*?^[ \t]*### END HIDDEN TESTS[ \t]*(?:\n|$)", re.M | re.S
)
NBGRADER_CONFIG = f'''# nbgrader's settings for the caseletter lessons (see GRADING.md).
c = get_config()  # noqa: F821
# The stub that replaces each solution: the same words as in the kit's student edition.
c.ClearSolutions.code_stub = {{"python": {CODE_STUB!r}}}
c.ClearSolutions.text_stub = "Your answer here."
'''


@dataclass(frozen=True)
class Editions:
    """The files one `write_editions` call wrote."""

    student: list[Path]
    educator: list[Path]


def lesson_source(name: str):
    """One lesson notebook as shipped with the kit, solutions and tests inline."""
    import nbformat

    return nbformat.read(notebooks_dir() / f"{name}.ipynb", as_version=4)


def student_edition(notebook):
    """The notebook without solutions, hidden tests, outputs or grading metadata (a new copy)."""
    import copy

    edition = copy.deepcopy(notebook)
    for cell in edition.cells:
        cell.metadata.pop("nbgrader", None)
        if cell.cell_type != "code":
            continue
        cell.source = HIDDEN_TESTS.sub("", SOLUTION.sub(_stub_like, cell.source)).rstrip("\n")
        cell.outputs, cell.execution_count = [], None
    return edition


def _stub_like(match: re.Match) -> str:
    indent = re.match(r"[ \t]*", match.group(0)).group(0)
    return f"{indent}{CODE_STUB}\n"


def educator_edition(notebook):
    """The notebook with its solutions and grading tests, outputs cleared (a new copy)."""
    import copy

    edition = copy.deepcopy(notebook)
    for cell in edition.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    return edition


def write_editions(folder: Path, student: bool = True, educator: bool = True) -> Editions:
    """Write ``student/`` and ``educator/`` under `folder`, each holding every lesson notebook.

    Each file is written whole (a temporary file, then a rename), so an interrupted run never
    leaves half a notebook for a class to download.
    """
    written = Editions([], [])
    if student:
        written.student.extend(write_lessons(folder / "student", student_edition))
    if educator:
        written.educator.extend(write_lessons(folder / "educator", educator_edition))
        written.educator.append(write_text(folder / "educator" / "nbgrader_config.py", NBGRADER_CONFIG))
        written.educator.append(write_text(folder / "educator" / "GRADING.md", grading_notes()))
    return written


def write_lessons(folder: Path, edition) -> list[Path]:
    """Every lesson, as `edition` makes it, into `folder`."""
    return [write_text(folder / f"{name}.ipynb", edition_text(name, edition)) for name in LESSONS]


def edition_text(name: str, edition) -> str:
    """One lesson notebook as `edition` makes it, as the text of an .ipynb file."""
    import nbformat

    return nbformat.writes(edition(lesson_source(name))) + "\n"


def write_text(path: Path, text: str) -> Path:
    """Write one file whole, creating its folder."""
    from caseletter.build.publish import write_whole

    return write_whole(path.parent, path.name, text)


def grading_notes() -> str:
    """GRADING.md: how an educator grades the lessons with nbgrader, or without it."""
    from caseletter.teaching.registry import EXERCISES

    rows = "\n".join(f"| {e.notebook} | {e.number} | `{e.name}` | `{e.variable}` |" for e in EXERCISES.values())
    return f"""# Grading the caseletter lessons

These notebooks are the educator's edition: every exercise cell holds its worked solution
between `### BEGIN SOLUTION` and `### END SOLUTION`, and every check cell a hidden test between
`### BEGIN HIDDEN TESTS` and `### END HIDDEN TESTS`, with nbgrader's cell metadata. Run them top
to bottom for the answer key.

## Without nbgrader

Hand out the student edition (`../student/`). Each check cell prints *Right* or *Not yet* with
what is missing; learners see their own progress, and nothing is collected.

## With nbgrader

1. In your course folder: `mkdir -p source/caseletter` and copy these notebooks there, with
   `nbgrader_config.py` into the course folder (its stub is the student edition's).
2. `nbgrader generate_assignment caseletter` writes `release/caseletter/`: the same student
   edition, with nbgrader's checksums.
3. Collect the submissions into `submitted/STUDENT/caseletter/`, then
   `nbgrader autograde caseletter`: each check cell is worth one point, given when its hidden
   test (`assert_right("NAME")`, the same judge as the learner's check) passes.

The kit's Python package must be installed where the notebooks run (`pip install caseletter`).

| Notebook | Exercise | Name (grade_id) | Answer variable |
|---|---|---|---|
{rows}
"""
