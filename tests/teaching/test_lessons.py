"""The lessons (tutorial and writing), and the checks that must find every element an exercise asks for.

Each lesson is run as its source stands (the answer key), with the slips learners make, and in
the student edition.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

import nbformat
import pytest

from caseletter.errors import UnknownExercise
from caseletter.teaching.editions import student_edition
from caseletter.teaching.notebooks import TUTORIAL, WRITING, exercise_names, fill_in_answers
from caseletter.teaching.registry import EXERCISES

# One wrong answer per exercise, each a slip a learner makes, and the words its hint must say.
WRONG = {
    "care-assessment": ('assessment = "It looked like calcinosis cutis."', "too short"),
    "cite-order": (
        'opening = "No treatment is standard [@smith2013]. Injections cleared deposits [@gutierrez2012]."',
        "first gutierrez2012, then smith2013",
    ),
    "cumulative-dose": ("cumulative_g = 12.5 * 2 * (6 * 365.25 / 12) / 7", "round down"),
    "timeline-gap": ("gap_months = 9", "a point on the axis"),
    "broken-regimen": (
        'phase = {"dose": "12.5", "frequency": "3 times weekly", "duration": "8 months"}', '"12.5" has no unit'
    ),
    "identifiers": ('sentence = "On March 3, 2021, she had hard plaques on both arms."', '"March 3, 2021" (date)'),
}
WRONG_WRITING = {
    "fix-case-file": ('case_text = "title: a: b"', "mapping values are not allowed"),
    "title": ('title = "A novel case of calcinosis cutis treated with sodium thiosulfate: a case report"', '"novel"'),
    "key-words": ('keywords = ["calcinosis cutis", "sodium thiosulfate"]', "Include 'case report'"),
    "discussion": (
        'discussion = "Calcinosis cutis is hard to treat and sodium thiosulfate has helped some patients in small '
        'series [@smith2013]. This is the first report of intravenous sodium thiosulfate clearing widespread '
        'deposits in an adult, and this case suggests it may be tried when excision is not practical."',
        "claims priority",
    ),
    "practice-points": ('practice_points = ["Our patient improved on intravenous sodium thiosulfate within months."]',
                        '"Our patient" is about this patient'),
    "consent": ('consent = "The patient gave written informed consent for publication."', "covers the photographs"),
    "choose-journal": ('journal = "cureus"', "takes no letters"),
    "submission-checklist": ('to_complete = ["consent"]', "5 fields you did not list"),
}


# The runs in child processes, never in threads here: papermill in two threads of one interpreter
# would share CPython 3.11's global AST recursion counter and corrupt it for every later test.
# Each child runs its runs one after the other, naming each on stderr before it starts.
RUN_IN_CHILD = """
import json, sys
from caseletter.teaching.notebooks import run_lesson
for label, args in json.loads(sys.argv[1]):
    print(f"run {label}:", file=sys.stderr, flush=True)
    run_lesson(**args)
"""
# Three children, each a tutorial run then a writing run: the two cores stay busy, and three
# interpreters (papermill's imports) are started instead of six.
CHILDREN = (
    ("tutorial-solved", "writing-solved"), ("tutorial-wrong", "writing-wrong"), ("tutorial-student", "writing-student"),
)


@pytest.fixture(scope="session")
def lesson_runs(tmp_path_factory):
    """Each lesson run three ways: as shipped (solved), the student edition, and it with every answer wrong."""
    root = tmp_path_factory.mktemp("lessons")
    for name in ("tutorial", "writing"):
        source = nbformat.read(TUTORIAL if name == "tutorial" else WRITING, as_version=4)
        nbformat.write(student_edition(source), root / f"{name}-student-edition.ipynb")
    runs = {
        "tutorial-solved": (TUTORIAL, None),
        "tutorial-wrong": (root / "tutorial-student-edition.ipynb", {n: c for n, (c, _) in WRONG.items()}),
        "tutorial-student": (root / "tutorial-student-edition.ipynb", None),
        "writing-solved": (WRITING, None),
        "writing-wrong": (root / "writing-student-edition.ipynb", {n: c for n, (c, _) in WRONG_WRITING.items()}),
        "writing-student": (root / "writing-student-edition.ipynb", None),
    }
    arguments = {}
    for label, (notebook, given) in runs.items():
        (root / label).mkdir()
        args = {"output": str(root / label / "out.ipynb"), "answers": given, "notebook": str(notebook)}
        if label.startswith("tutorial"):  # the solved run proves the PDF; the others only need to finish
            formats = ["html", "pdf"] if label == "tutorial-solved" else ["html"]
            args["parameters"] = {"build_dir": str(root / label / "build"), "build_formats": formats}
        arguments[label] = args
    assert sorted(label for labels in CHILDREN for label in labels) == sorted(runs)
    children = {
        labels: subprocess.Popen(
            [sys.executable, "-c", RUN_IN_CHILD, json.dumps([(label, arguments[label]) for label in labels])],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for labels in CHILDREN
    }
    for labels, child in children.items():
        _, err = child.communicate(timeout=600)
        assert child.returncode == 0, f"a run of {' and '.join(labels)} failed:\n{err[-4000:]}"
    return root, {label: nbformat.read(root / label / "out.ipynb", as_version=4) for label in runs}


def check_outputs(notebook) -> dict[str, str]:
    """Exercise name → the printed output of the check cell that follows it."""
    out, cells = {}, notebook.cells
    for i, cell in enumerate(cells):
        if "exercise" in cell.metadata.get("tags", []):
            check = cells[i + 1]
            name = cell.metadata["caseletter"]["exercise"]
            assert f'check("{name}")' in check.source
            out[name] = "".join(o.get("text", "") for o in check.outputs if o.output_type == "stream")
    return out


def code_cells(notebook):
    return [c for c in notebook.cells if c.cell_type == "code"]


def assert_clean_run(notebook) -> None:
    """Every code cell ran, in order; no cell shows an error or anything on stderr (kernel warnings)."""
    counts = [c.execution_count for c in code_cells(notebook)]
    assert counts == list(range(1, len(counts) + 1))
    assert not [o for c in code_cells(notebook) for o in c.outputs if o.output_type == "error"]
    stderr = [o.text for c in code_cells(notebook) for o in c.outputs if o.get("name") == "stderr"]
    assert not stderr, stderr


@pytest.mark.parametrize("lesson", ["tutorial", "writing"])
def test_solved_lesson_runs_top_to_bottom_and_every_check_says_right(lesson_runs, lesson):
    notebook = lesson_runs[1][f"{lesson}-solved"]
    assert_clean_run(notebook)
    outputs = check_outputs(notebook)
    assert sorted(outputs) == sorted(WRONG if lesson == "tutorial" else WRONG_WRITING)
    for name, text in outputs.items():
        assert text.startswith("Right: "), (name, text)


def test_solved_tutorial_builds_the_letter_and_works_the_new_dose(lesson_runs):
    root, runs = lesson_runs
    outputs = check_outputs(runs["tutorial-solved"])
    assert "52 infusions of 12.5 g make 650 g" in outputs["cumulative-dose"]
    assert "smith2013 6 → 2" in outputs["cite-order"]
    html = root / "tutorial-solved" / "build" / "sts-calcinosis" / "letter.html"
    assert "Gutierrez A Jr, Wetter DA" in html.read_text(encoding="utf-8")
    assert (root / "tutorial-solved" / "build" / "sts-calcinosis" / "letter.pdf").read_bytes().startswith(b"%PDF")


def test_exercise_3_is_not_answered_by_the_table_above_it(lesson_runs):
    """The 'by hand' answer (650 g) appears nowhere in the tutorial before its check cell."""
    notebook = lesson_runs[1]["tutorial-solved"]
    names = [c.metadata.get("caseletter", {}).get("exercise") for c in notebook.cells]
    exercise = names.index("cumulative-dose")
    shown = " ".join(
        output.get("text", "") + "".join(v for k, v in output.get("data", {}).items() if k.startswith("text/"))
        for cell in notebook.cells[:exercise] for output in cell.get("outputs", [])
    )
    assert not re.search(r"\b650\b", shown)
    assert re.search(r"\b1,?300\b", shown)  # the example's own total is in the table


def test_solved_tutorial_shows_the_renumbered_reference_list(lesson_runs):
    notebook = lesson_runs[1]["tutorial-solved"]
    cell = next(c for c in code_cells(notebook) if c.source.startswith("tutorial.show_references"))
    lines = "".join(o.text for o in cell.outputs).splitlines()
    assert lines[0].startswith("1. Gutierrez A Jr, Wetter DA.")
    assert lines[1].startswith("2. Smith GP. Intradermal sodium thiosulfate")
    assert len(lines) == 6


@pytest.mark.parametrize("lesson", ["tutorial", "writing"])
def test_wrong_answers_print_their_hints_and_the_run_finishes(lesson_runs, lesson):
    notebook = lesson_runs[1][f"{lesson}-wrong"]
    assert_clean_run(notebook)
    outputs = check_outputs(notebook)
    for name, (_, hint) in (WRONG if lesson == "tutorial" else WRONG_WRITING).items():
        assert outputs[name].startswith("Not yet: "), (name, outputs[name])
        assert hint in outputs[name], (name, outputs[name])
        assert "Look at" in outputs[name]


@pytest.mark.parametrize("lesson", ["tutorial", "writing"])
def test_the_student_edition_runs_and_every_check_says_not_yet(lesson_runs, lesson):
    notebook = lesson_runs[1][f"{lesson}-student"]
    assert_clean_run(notebook)
    for name, text in check_outputs(notebook).items():
        assert text.startswith("Not yet: "), (name, text)


@pytest.mark.parametrize("lesson", [TUTORIAL, WRITING], ids=["tutorial", "writing"])
def test_the_student_edition_holds_no_solution_text(lesson):
    source = nbformat.read(lesson, as_version=4)
    edition = student_edition(source)
    text = nbformat.writes(edition)
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "HIDDEN TESTS", "assert_right", '"nbgrader"'):
        assert marker not in text
    solved = [c for c in source.cells if "### BEGIN SOLUTION" in c.source]
    assert len(solved) == len(exercise_names(source))
    for cell in solved:
        solution = cell.source.split("### BEGIN SOLUTION\n")[1].split("### END SOLUTION")[0]
        for line in solution.splitlines():
            if len(line.strip()) > 12 and line.strip() not in cell.source.split("### BEGIN SOLUTION")[0]:
                assert line.strip() not in text, line


def test_every_exercise_has_its_header_solution_check_and_registry_entry():
    for lesson, path in (("tutorial", TUTORIAL), ("writing", WRITING)):
        notebook = nbformat.read(path, as_version=4)
        names = exercise_names(notebook)
        assert names == [e.name for e in EXERCISES.values() if e.notebook == lesson]
        for i, cell in enumerate(notebook.cells):
            if "exercise" in cell.metadata.get("tags", []):
                exercise = EXERCISES[cell.metadata["caseletter"]["exercise"]]
                assert cell.source.startswith(exercise.header)
                assert cell.metadata["nbgrader"] == {
                    "grade": False, "grade_id": exercise.name, "locked": False, "schema_version": 3,
                    "solution": True, "task": False,
                }
                check = notebook.cells[i + 1]
                assert check.metadata["nbgrader"]["grade"] and check.metadata["nbgrader"]["points"] == 1
                assert f'assert_right("{exercise.name}")' in check.source


def test_answers_for_an_unknown_exercise_are_refused():
    notebook = nbformat.read(TUTORIAL, as_version=4)
    with pytest.raises(UnknownExercise) as caught:
        fill_in_answers(notebook, {"cumulative-dos": "cumulative_g = 1300"})
    assert "cumulative-dose" in caught.value.message


@pytest.mark.parametrize("lesson", [TUTORIAL, WRITING], ids=["tutorial", "writing"])
def test_the_lesson_reads_well_in_jupyterlab(lesson):
    """Short code cells (exercises aside) under numbered headings; the parameters cell papermill needs."""
    notebook = json.loads(lesson.read_text(encoding="utf-8"))
    cells = notebook["cells"]
    code = [c for c in cells if c["cell_type"] == "code"]
    plain = [c for c in code if "exercise" not in c["metadata"].get("tags", [])]
    assert max(len("".join(c["source"]).splitlines()) for c in plain) <= 8
    headings = [
        line
        for c in cells
        if c["cell_type"] == "markdown"
        for line in "".join(c["source"]).splitlines()
        if line.startswith("## ")
    ]
    numbered = [h.split(".")[0] for h in headings if h[3:4].isdigit()]
    assert numbered == [f"## {n}" for n in range(1, len(numbered) + 1)] and len(numbered) >= 6
    assert sum("parameters" in c["metadata"].get("tags", []) for c in code) == 1
    assert all(not c.get("outputs") for c in code), "the lesson is stored without outputs"


@pytest.mark.parametrize(
    ("name", "answer", "expected"),
    [
        pytest.param(
            "cumulative-dose", None, "Not yet: no answer yet. Look at the exercise cell: replace None",
            id="dose_unanswered",
        ),
        pytest.param("cumulative-dose", "lots", "is not a dose", id="dose_not_a_quantity"),
        pytest.param("timeline-gap", None, "Not yet: no answer yet", id="gap_unanswered"),
        pytest.param(
            "cite-order", "No treatment is standard. Injections work.", "cites nothing yet",
            id="cite_nothing",
        ),
        pytest.param("cumulative-dose", "0.65 kg", "Right: 52 infusions", id="dose_in_kilograms"),
        pytest.param("cumulative-dose", 12.5 * 2 * 24, "not 4 weeks", id="dose_four_week_months"),
        pytest.param("cumulative-dose", 1300, "the three steps", id="dose_copied_from_the_table"),
        pytest.param("cumulative-dose", 999, "the three steps", id="dose_other_slip"),
        pytest.param("timeline-gap", 8, "a point on the axis", id="gap_end_of_first_course"),
        pytest.param("timeline-gap", "one", "not a number of months", id="gap_words"),
        pytest.param(
            "broken-regimen", {"dose": "12.5 g"}, "the phase gives no frequency", id="regimen_missing_keys"
        ),
        pytest.param(
            "broken-regimen", {"dose": "12.5 g", "frequency": "twice weekly", "duration": "8 months"},
            "not the 104", id="regimen_wrong_frequency",
        ),
        pytest.param(
            "broken-regimen", {"dose": "12.5 g", "frequency": "3 times weekly", "duration": "8"},
            '"8" is not a length of time', id="regimen_duration_without_unit",
        ),
        pytest.param(
            "cite-order", "Standard care fails [@gutierrez2012]. Injections work @smith2013.",
            "without square brackets", id="cite_bare_key",
        ),
        pytest.param(
            "cite-order", "A [@gutierez2012]. B [@smith2013].",
            '"gutierez2012" is not a key of references.bib. Look at the spelling: did you mean gutierrez2012',
            id="cite_misspelt_key",
        ),
        pytest.param(
            "identifiers", "She had plaques on both arms, seen in Springfield, Illinois.", "(city)",
            id="identifier_city",
        ),
        pytest.param(
            "identifiers", "At presentation she was well.", "keep what was seen",
            id="identifier_finding_deleted",
        ),
        pytest.param("care-assessment", "", "no assessment yet", id="assessment_empty"),
    ],
)
def test_each_verdict_says_right_or_not_yet_and_why(name, answer, expected):
    said = EXERCISES[name].judge(answer).text
    assert expected in said
    assert said.startswith(("Right: ", "Not yet: "))


# Half-answers: each has part of what the exercise asks for, and the check must say which part is missing.
HALF_ANSWERS = [
    pytest.param("care-assessment", "The diagnosis of dystrophic calcinosis cutis was made on examination, which found "
                 "firm calcified plaques on the arms and legs of a woman with dermatomyositis.",
                 "what else was considered", id="assessment_without_differential"),
    pytest.param("care-assessment", "Dystrophic calcinosis cutis was the diagnosis, and metastatic calcinosis and "
                 "calciphylaxis were considered less likely in a woman with long-standing dermatomyositis.",
                 "how it was made", id="differential_without_method"),
    pytest.param("care-assessment", "asdf examination differential", "too short", id="keyword_salad_short"),
    pytest.param("care-assessment", "asdf qwer examination differential calcinosis metastatic considered zxcv uiop "
                 "hjkl biopsy excluded vbnm tyui ghjk", "not words a reader knows", id="keyword_salad_long"),
    pytest.param("cite-order", "[@gutierrez2012] [@smith2013]", "first sentence", id="citations_without_sentences"),
    pytest.param("cite-order", "Dystrophic calcinosis cutis complicates connective tissue disease, and no treatment "
                 "is standard [@gutierrez2012]. [@smith2013]", "second sentence", id="second_sentence_deleted"),
    pytest.param("identifiers", "She was seen in Boston by Alan with hard plaques on both arms.", "Boston",
                 id="city_and_first_name"),
    pytest.param("identifiers", "She was seen by Alan with hard plaques on both arms.", "'Alan'",
                 id="first_name_the_scanner_misses"),
    pytest.param("title", "Sodium thiosulfate: a case report", "the diagnosis", id="title_without_diagnosis"),
    pytest.param("key-words", ["calcinosis cutis", "case report"], "the intervention", id="keywords_without_drug"),
    pytest.param("discussion", "Calcinosis cutis is hard to treat and sodium thiosulfate has helped some patients in "
                 "small series of cases reported over the years by dermatologists in several countries, with few side "
                 "effects and a good response in most of the treated patients [@smith2013].", "what this case adds",
                 id="discussion_without_what_it_adds"),
    pytest.param("practice-points", ["Sodium thiosulfate works. It should be tried first in all patients with "
                 "calcinosis of the skin."], "more than one sentence", id="point_of_two_sentences"),
    pytest.param("consent", "Written informed consent for publication was obtained.", "who gave it",
                 id="consent_without_who"),
    pytest.param("choose-journal", "cutis", "none of cutis's limits", id="journal_with_unknown_limits"),
    pytest.param("submission-checklist", ["consent", "patient_perspective", "title", "opening", "case.outcome",
                 "case.diagnosis.assessment", "discussion"], "discussion is fine", id="checklist_with_extra"),
]


@pytest.mark.parametrize(("name", "answer", "missing"), HALF_ANSWERS)
def test_half_answers_get_not_yet_with_what_is_missing(name, answer, missing):
    verdict = EXERCISES[name].judge(answer)
    assert not verdict.right, verdict.text
    assert missing in verdict.text, verdict.text
