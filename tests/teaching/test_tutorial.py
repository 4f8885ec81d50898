"""The tutorial notebook: run with its worked solutions, run with wrong answers, and its checks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from caseletter import teaching as tutorial
from caseletter.errors import UnknownExercise
from caseletter.teaching.notebooks import SOLUTIONS, TUTORIAL, exercise_names, fill_in_solutions

# One wrong answer per exercise, each a slip a learner makes, and the words its hint must say.
WRONG = {
    "care-assessment": ('assessment = "It looked like calcinosis cutis."', "Add the tests or examination used"),
    "cite-order": (
        'opening = "No treatment is standard [@smith2013]. Injections cleared deposits [@gutierrez2012]."',
        "first gutierrez2012, then smith2013",
    ),
    "cumulative-dose": ("cumulative_g = 12.5 * 3 * (8 * 365.25 / 12) / 7", "round down"),
    "timeline-gap": ("gap_months = 9", "a point on the axis"),
    "broken-regimen": (
        'phase = {"dose": "12.5", "frequency": "3 times weekly", "duration": "8 months"}', '"12.5" has no unit'
    ),
    "identifiers": ('sentence = "On March 3, 2021, she had hard plaques on both arms."', '"March 3, 2021" (date)'),
}


# Each run in its own process: papermill in two threads of one interpreter would share
# CPython 3.11's global AST recursion counter and corrupt it for every later test.
RUN_IN_CHILD = (
    "import json, sys; from caseletter.teaching.notebooks import run_tutorial; run_tutorial(**json.loads(sys.argv[1]))"
)


@pytest.fixture(scope="session")
def tutorial_runs(tmp_path_factory):
    """The tutorial executed twice at once: with the worked solutions, and with every answer wrong."""
    root = tmp_path_factory.mktemp("tutorial")
    answers = {"solved": None, "wrong": {name: code for name, (code, _) in WRONG.items()}}
    children = {}
    for label, given in answers.items():
        (root / label).mkdir()
        args = {
            "output": str(root / label / "tutorial.ipynb"),
            "answers": given,
            "parameters": {"build_dir": str(root / label / "build"), "build_formats": ["html", "pdf"]},
        }
        children[label] = subprocess.Popen(
            [sys.executable, "-c", RUN_IN_CHILD, json.dumps(args)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
    for label, child in children.items():
        _, err = child.communicate(timeout=240)
        assert child.returncode == 0, f"the {label} tutorial run failed:\n{err[-4000:]}"
    return root, {label: nbformat.read(root / label / "tutorial.ipynb", as_version=4) for label in answers}


def check_outputs(notebook) -> dict[str, str]:
    """Exercise name → the printed output of the check cell that follows it."""
    out, cells = {}, notebook.cells
    for i, cell in enumerate(cells):
        if "exercise" in cell.metadata.get("tags", []):
            check = cells[i + 1]
            assert "tutorial.check_" in check.source
            out[cell.metadata["caseletter"]["exercise"]] = "".join(
                o.get("text", "") for o in check.outputs if o.output_type == "stream"
            )
    return out


def code_cells(notebook):
    return [c for c in notebook.cells if c.cell_type == "code"]


def test_solved_tutorial_runs_top_to_bottom_and_every_check_says_right(tutorial_runs):
    root, runs = tutorial_runs
    notebook = runs["solved"]
    counts = [c.execution_count for c in code_cells(notebook)]
    assert counts == list(range(1, len(counts) + 1))
    assert not [o for c in code_cells(notebook) for o in c.outputs if o.output_type == "error"]
    outputs = check_outputs(notebook)
    assert sorted(outputs) == sorted(WRONG)
    for name, text in outputs.items():
        assert text.startswith("Right: "), (name, text)
        assert "Not yet" not in text
    assert "104 infusions of 12.5 g make 1300 g" in outputs["cumulative-dose"]
    assert "smith2013 6 → 2" in outputs["cite-order"]
    html = root / "solved" / "build" / "sts-calcinosis" / "letter.html"
    assert "Gutierrez A Jr, Wetter DA" in html.read_text(encoding="utf-8")
    assert (root / "solved" / "build" / "sts-calcinosis" / "letter.pdf").read_bytes().startswith(b"%PDF")


def test_solved_tutorial_shows_the_renumbered_reference_list(tutorial_runs):
    notebook = tutorial_runs[1]["solved"]
    cell = next(c for c in code_cells(notebook) if c.source.startswith("tutorial.show_references"))
    lines = "".join(o.text for o in cell.outputs).splitlines()
    assert lines[0].startswith("1. Gutierrez A Jr, Wetter DA.")
    assert lines[1].startswith("2. Smith GP. Intradermal sodium thiosulfate")
    assert len(lines) == 6


def test_wrong_answers_print_their_hints_and_the_run_finishes(tutorial_runs):
    root, runs = tutorial_runs
    notebook = runs["wrong"]
    outputs = check_outputs(notebook)
    for name, (_, hint) in WRONG.items():
        assert outputs[name].startswith("Not yet: "), (name, outputs[name])
        assert hint in outputs[name], (name, outputs[name])
        assert "Look at" in outputs[name]
    last = code_cells(notebook)[-1]
    assert last.execution_count == len(code_cells(notebook))
    assert "html" in "".join(o.get("text", "") for o in last.outputs)
    assert (root / "wrong" / "build" / "sts-calcinosis" / "letter.html").is_file()


def test_every_exercise_has_a_worked_solution_with_its_header():
    notebook = nbformat.read(TUTORIAL, as_version=4)
    names = exercise_names(notebook)
    assert len(names) == 6 and len(set(names)) == 6
    assert sorted(p.stem for p in SOLUTIONS.glob("*.py")) == sorted(names)
    for cell in notebook.cells:
        if "exercise" in cell.metadata.get("tags", []):
            solution = (SOLUTIONS / f"{cell.metadata['caseletter']['exercise']}.py").read_text(encoding="utf-8")
            assert solution.splitlines()[0] == cell.source.splitlines()[0]


def test_answers_for_an_unknown_exercise_are_refused():
    notebook = nbformat.read(TUTORIAL, as_version=4)
    with pytest.raises(UnknownExercise) as caught:
        fill_in_solutions(notebook, {"cumulative-dos": "cumulative_g = 1300"})
    assert "cumulative-dose" in caught.value.message


def test_the_tutorial_reads_well_in_jupyterlab():
    """Short code cells under headings; the parameters cell papermill needs."""
    notebook = json.loads(TUTORIAL.read_text(encoding="utf-8"))
    cells = notebook["cells"]
    code = [c for c in cells if c["cell_type"] == "code"]
    assert max(len("".join(c["source"]).splitlines()) for c in code) <= 8
    headings = [
        line
        for c in cells
        if c["cell_type"] == "markdown"
        for line in "".join(c["source"]).splitlines()
        if line.startswith("## ")
    ]
    assert [h.split(".")[0] for h in headings[:6]] == [f"## {n}" for n in range(1, 7)]
    assert sum("parameters" in c["metadata"].get("tags", []) for c in code) == 1
    assert all(not c.get("outputs") for c in code), "the tutorial is stored without outputs"


@pytest.mark.parametrize(
    ("check", "answer", "expected"),
    [
        pytest.param(
            tutorial.check_cumulative_dose, None, "Not yet: no answer yet. Look at the exercise cell: replace None",
            id="dose_unanswered",
        ),
        pytest.param(tutorial.check_cumulative_dose, "lots", "is not a dose", id="dose_not_a_quantity"),
        pytest.param(tutorial.check_gap, None, "Not yet: no answer yet", id="gap_unanswered"),
        pytest.param(
            tutorial.check_citations, "No treatment is standard. Injections work.", "cites nothing yet",
            id="cite_nothing",
        ),
        pytest.param(tutorial.check_cumulative_dose, "1.3 kg", "Right: 104 infusions", id="dose_in_kilograms"),
        pytest.param(tutorial.check_cumulative_dose, 12.5 * 3 * 32, "not 4 weeks", id="dose_four_week_months"),
        pytest.param(tutorial.check_cumulative_dose, 999, "the three steps", id="dose_other_slip"),
        pytest.param(tutorial.check_gap, 8, "a point on the axis", id="gap_end_of_first_course"),
        pytest.param(tutorial.check_gap, "one", "not a number of months", id="gap_words"),
        pytest.param(
            tutorial.check_regimen, {"dose": "12.5 g"}, "keys dose, frequency and duration", id="regimen_missing_keys"
        ),
        pytest.param(
            tutorial.check_regimen, {"dose": "12.5 g", "frequency": "twice weekly", "duration": "8 months"},
            "not the 104", id="regimen_wrong_frequency",
        ),
        pytest.param(
            tutorial.check_regimen, {"dose": "12.5 g", "frequency": "3 times weekly", "duration": "8"},
            '"8" is not a length of time', id="regimen_duration_without_unit",
        ),
        pytest.param(
            tutorial.check_citations, "Standard care fails [@gutierrez2012]. Injections work @smith2013.",
            "without square brackets", id="cite_bare_key",
        ),
        pytest.param(
            tutorial.check_citations, "A [@gutierez2012]. B [@smith2013].",
            '"gutierez2012" is not a key of references.bib. Look at the spelling: did you mean gutierrez2012',
            id="cite_misspelt_key",
        ),
        pytest.param(
            tutorial.check_identifiers, "She had plaques on both arms, seen in Springfield, Illinois.", "(city)",
            id="identifier_city",
        ),
        pytest.param(
            tutorial.check_identifiers, "At presentation she was well.", "keep what was seen",
            id="identifier_finding_deleted",
        ),
        pytest.param(tutorial.check_assessment, "", "no assessment yet", id="assessment_empty"),
    ],
)
def test_checks_print_a_verdict_and_never_raise(capsys, check, answer, expected):
    assert check(answer) is None
    printed = capsys.readouterr().out
    assert expected in printed
    assert printed.startswith(("Right: ", "Not yet: "))


def test_a_check_given_something_unreadable_prints_instead_of_raising(capsys):
    tutorial.check_citations(object(), case_path=Path("no/such/case.yaml"))
    printed = capsys.readouterr().out
    assert printed.startswith("Not yet: ") and "Look at" in printed
