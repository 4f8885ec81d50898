"""A workshop folder, ready to hand out: ``caseletter init FOLDER --workshop``.

``students/`` is what the class gets (through a JupyterHub nbgitpuller link, or as a zip): a
workspace with the example case, the lessons in their student edition and one case skeleton
per student. ``educator/`` stays with the educator: the lessons with their worked solutions and
nbgrader's markers, the grading notes and the notes for running the session. Nothing that exists
is overwritten, as with ``caseletter init``: a student's edited notebook survives a second run.
"""

from __future__ import annotations

from pathlib import Path

from caseletter.case.scaffold import scaffold_case
from caseletter.case.workspace import Workspace, init_workspace, make_folder, write_new
from caseletter.errors import CaseExists, CaseletterError
from caseletter.teaching.editions import (
    LESSONS,
    NBGRADER_CONFIG,
    edition_text,
    educator_edition,
    grading_notes,
    student_edition,
)

MAX_STUDENTS = 500


def init_workshop(folder: Path, students: int = 10) -> Workspace:
    """Lay out ``FOLDER/students`` and ``FOLDER/educator``; returns everything created and kept."""
    if not 1 <= students <= MAX_STUDENTS:
        raise CaseletterError(
            f"--students {students}", f"a workshop has 1 to {MAX_STUDENTS} students",
            "Give the number of student case files to make, e.g. --students 12.",
        )
    folder = Path(folder)
    handout = init_workspace(folder / "students", example=True)
    workshop = Workspace(folder, handout.created, handout.kept)
    write_new(workshop, folder / "README.md", workshop_readme(students).encode("utf-8"))
    write_lessons(workshop, folder / "students", student_edition)
    add_student_cases(workshop, folder / "students" / "cases", students)
    make_folder(workshop, folder / "educator")
    write_lessons(workshop, folder / "educator", educator_edition)
    write_new(workshop, folder / "educator" / "nbgrader_config.py", NBGRADER_CONFIG.encode("utf-8"))
    write_new(workshop, folder / "educator" / "GRADING.md", grading_notes().encode("utf-8"))
    write_new(workshop, folder / "educator" / "NOTES.md", educator_notes().encode("utf-8"))
    return workshop


def write_lessons(workshop: Workspace, folder: Path, edition) -> None:
    """Every lesson notebook in the edition given, each created only if it is not there yet."""
    for name in LESSONS:
        write_new(workshop, folder / f"{name}.ipynb", edition_text(name, edition).encode("utf-8"))


def add_student_cases(workshop: Workspace, cases: Path, students: int) -> None:
    """``student-01.yaml`` ... one commented case skeleton (and figures folder) per student."""
    width = max(2, len(str(students)))
    for number in range(1, students + 1):
        name = f"student-{number:0{width}d}"
        try:
            workshop.created.extend(scaffold_case(name, cases))
        except CaseExists:
            workshop.kept.append(cases / f"{name}.yaml")


def workshop_readme(students: int) -> str:
    """The workshop folder's README: what each folder is and how to hand the class its part."""
    return f"""# A caseletter workshop

- `students/` is what the class gets: the two lessons (`tutorial.ipynb`, then `writing.ipynb`)
  in their student edition, the kit's examples (a letter, a case report and an images article),
  and {students} case skeletons (`cases/student-01.yaml` ...), one per student. Rename them to
  the students' names if you like.
- `educator/` stays with you: the lessons with their worked solutions, `GRADING.md` (grading
  with nbgrader, or not at all) and `NOTES.md` (running the session).

## Handing it out

**On a JupyterHub, with nbgitpuller.** The hub's environment needs `pip install caseletter nbgitpuller`.
Put `students/` in a git repository of its own (`cd students && git init && git add . && git commit -m
"Workshop" && git push ...`), then send the class one link; each student's first click copies the
folder into their home, and later clicks bring your changes without overwriting theirs:

    https://HUB/hub/user-redirect/git-pull?repo=https%3A%2F%2Fgithub.com%2FORG%2FREPO&branch=main&urlpath=lab%2Ftree%2FREPO%2Ftutorial.ipynb

(Replace HUB, ORG and REPO; the hub's own link generator writes the same link.)

**As a zip.** `python -m zipfile -c students.zip students/` and share the file; each student unzips
it, `pip install caseletter`, and opens the folder in JupyterLab.

## Building the class

Collect the students' case files into one folder (with their figures folders), then

    caseletter build students/cases

writes every letter and `build/index.html`, a roster of who is done (ready, draft with what is
left, check errors, build failed), with `build/roster.csv` for a gradebook.
"""


def educator_notes() -> str:
    """NOTES.md: a plan for the session and the places learners trip."""
    return """# Running the workshop

A session of about three hours:

| Time | What | Where |
|---|---|---|
| 0:00 | The anatomy of a letter, CARE, citing | `tutorial.ipynb` parts 1-3 |
| 0:45 | Regimens, the timeline, identifiers, building | `tutorial.ipynb` parts 4-6 |
| 1:30 | Break | |
| 1:45 | The writing: case file, title, key words, discussion, Practice Points | `writing.ipynb` 1-5 |
| 2:30 | Consent, choosing a journal, the submission checklist | `writing.ipynb` 6-8 |
| 2:50 | Each student opens `cases/student-NN.yaml` and runs `caseletter check` on it | terminal |

Where learners trip, and what the lessons do about it:

- **The case file will not read.** The kit's message names the line and the field; writing lesson 1
  practises reading it. A tab for indentation and an unquoted `: ` inside a value are the usual causes.
- **A cell stopped with an error.** The check after it says the exercise cell stopped, and does not
  judge the old answer; fix the line named and run both cells again.
- **The kernel was restarted.** The check says the answer does not exist in this kernel; Run ▸ Run All
  Above Selected Cell brings it back.
- **"Right" too soon.** Checks look for each element an exercise asks for (a differential diagnosis,
  the sentence a citation supports, consent to the images) and say which is missing.

The worked solutions are in this folder's notebooks; run them top to bottom for the answer key.
"""
