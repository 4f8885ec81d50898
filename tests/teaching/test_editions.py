"""The two editions and the workshop folder, and grading the educator's edition with nbgrader itself.

`caseletter teach` writes the editions; `caseletter init --workshop` lays out the workshop.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from caseletter.teaching.registry import EXERCISES

CASELETTER = [sys.executable, "-m", "caseletter"]
BIN = Path(sys.executable).parent


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([*CASELETTER, *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def start_nbgrader(*args: str, cwd: Path) -> subprocess.Popen:
    """Nbgrader from this environment, started (it runs alembic, so its bin folder goes first on PATH)."""
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    return subprocess.Popen([str(BIN / "nbgrader"), *args], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env)


def finished(started: subprocess.Popen) -> None:
    """Wait for an nbgrader run (5 minutes at most); it must succeed."""
    try:
        _, err = started.communicate(timeout=300)
    except subprocess.TimeoutExpired:
        started.kill()
        started.communicate()
        raise
    assert started.returncode == 0, err[-3000:]


def nbgrader(*args: str, cwd: Path) -> None:
    """Nbgrader from this environment, run to its end; it must succeed."""
    finished(start_nbgrader(*args, cwd=cwd))


@pytest.fixture(scope="module")
def editions(tmp_path_factory):
    root = tmp_path_factory.mktemp("teach")
    done = run("teach", "out", cwd=root)
    assert done.returncode == 0, done.stderr
    return root / "out"


def course_of(root: Path, editions: Path, lessons: tuple[str, ...]) -> Path:
    """An nbgrader course holding the educator's edition of the lessons given, as the assignment `caseletter`."""
    course = root / "course"
    (course / "source" / "caseletter").mkdir(parents=True)
    for lesson in lessons:
        (course / "source" / "caseletter" / f"{lesson}.ipynb").write_bytes(
            (editions / "educator" / f"{lesson}.ipynb").read_bytes()
        )
    (course / "nbgrader_config.py").write_bytes((editions / "educator" / "nbgrader_config.py").read_bytes())
    return course


@pytest.fixture(scope="module")
def released(editions, tmp_path_factory):
    """Two courses, each released by nbgrader (both at once): of both lessons, and of the writing lesson alone."""
    both = course_of(tmp_path_factory.mktemp("both-lessons"), editions, ("tutorial", "writing"))
    writing = course_of(tmp_path_factory.mktemp("writing-lesson"), editions, ("writing",))
    runs = [start_nbgrader("generate_assignment", "caseletter", cwd=course) for course in (both, writing)]
    try:
        for started in runs:
            finished(started)
    finally:
        for started in runs:  # one failed: the other is not left running
            if started.poll() is None:
                started.kill()
                started.communicate()
    return both, writing


def test_teach_writes_both_editions_of_both_lessons(editions):
    names = sorted(str(p.relative_to(editions)) for p in editions.rglob("*") if p.is_file())
    assert names == [
        "educator/GRADING.md", "educator/nbgrader_config.py", "educator/tutorial.ipynb", "educator/writing.ipynb",
        "student/tutorial.ipynb", "student/writing.ipynb",
    ]
    grading = (editions / "educator" / "GRADING.md").read_text(encoding="utf-8")
    assert all(f"`{name}`" in grading for name in EXERCISES)
    assert "BEGIN SOLUTION" in (editions / "educator" / "writing.ipynb").read_text(encoding="utf-8")
    assert "BEGIN SOLUTION" not in (editions / "student" / "writing.ipynb").read_text(encoding="utf-8")


def test_nbgrader_releases_the_same_student_edition_the_kit_writes(editions, released):
    course, _ = released
    for lesson in ("tutorial", "writing"):
        released = nbformat.read(course / "release" / "caseletter" / f"{lesson}.ipynb", as_version=4)
        ours = nbformat.read(editions / "student" / f"{lesson}.ipynb", as_version=4)
        assert [c.source for c in released.cells] == [c.source for c in ours.cells]


def test_nbgrader_autogrades_a_submission_with_the_kits_checks(released):
    """Two of eight writing exercises answered right: nbgrader gives 2 points of 8."""
    _, course = released
    submission = nbformat.read(course / "release" / "caseletter" / "writing.ipynb", as_version=4)
    answers = {
        "title": 'title = "Intravenous sodium thiosulfate for dystrophic calcinosis cutis: a case report"',
        "consent": 'consent = "The patient gave written informed consent to publish the report and photographs."',
        "key-words": 'keywords = ["calcinosis cutis", "case report"]',  # wrong: no intervention
    }
    for cell in submission.cells:
        name = cell.metadata.get("caseletter", {}).get("exercise")
        if name in answers:
            cell.source += "\n" + answers[name]
    folder = course / "submitted" / "alice" / "caseletter"
    folder.mkdir(parents=True)
    nbformat.write(submission, folder / "writing.ipynb")
    (folder / "timestamp.txt").write_text("2026-11-28 10:00:00 UTC")
    nbgrader("autograde", "caseletter", cwd=course)
    nbgrader("export", "--to", str(course / "grades.csv"), cwd=course)
    with (course / "grades.csv").open(encoding="utf-8") as grades:
        row = next(csv.DictReader(grades))
    assert (row["student_id"], float(row["score"]), float(row["max_score"])) == ("alice", 2.0, 8.0)


def test_the_workshop_folder_holds_the_handout_and_the_educators_part(tmp_path):
    done = run("init", "ws", "--workshop", "--students", "3", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    ws = tmp_path / "ws"
    students = ws / "students"
    assert sorted(p.name for p in (students / "cases").glob("*.yaml")) == [  # an example of each article type
        "sts-calcinosis-images.yaml", "sts-calcinosis-report.yaml", "sts-calcinosis.yaml", "student-01.yaml",
        "student-02.yaml", "student-03.yaml",
    ]
    assert (students / "references.bib").is_file() and (students / "journals").is_dir()
    for lesson in ("tutorial", "writing"):
        handed_out = (students / f"{lesson}.ipynb").read_text(encoding="utf-8")
        assert "BEGIN SOLUTION" not in handed_out and "assert_right" not in handed_out
        assert "BEGIN SOLUTION" in (ws / "educator" / f"{lesson}.ipynb").read_text(encoding="utf-8")
    assert not any("educator" in str(p) for p in students.rglob("*"))
    readme = (ws / "README.md").read_text(encoding="utf-8")
    assert "git-pull?repo=" in readme and "zip" in readme and "caseletter build students/cases" in readme
    assert {"NOTES.md", "GRADING.md", "nbgrader_config.py"} <= {p.name for p in (ws / "educator").iterdir()}
    # a student case skeleton is checked like any case: a draft with its placeholders
    check = run("check", "cases/student-01.yaml", cwd=students)
    assert "placeholder" in (check.stdout + check.stderr).lower()


def test_a_second_run_keeps_what_the_class_changed(tmp_path):
    assert run("init", "ws", "--workshop", "--students", "2", cwd=tmp_path).returncode == 0
    edited = tmp_path / "ws" / "students" / "writing.ipynb"
    edited.write_text(edited.read_text(encoding="utf-8").replace("Writing the letter", "Our own lessons"))
    again = run("init", "ws", "--workshop", "--students", "2", cwd=tmp_path)
    assert again.returncode == 0
    assert "Our own lessons" in edited.read_text(encoding="utf-8")
    assert f"kept    {Path('ws') / 'students' / 'writing.ipynb'}" in again.stdout


def test_a_workshop_of_no_students_is_refused_in_one_paragraph(tmp_path):
    done = run("init", "ws", "--workshop", "--students", "0", cwd=tmp_path)
    assert done.returncode == 2
    assert "--students 0" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "ws").exists()
