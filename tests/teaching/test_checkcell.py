"""Check cells in a real kernel, after a syntax error, an error at run time, or a kernel restart.

The check says what happened instead of judging an old answer or showing a raw NameError.
"""

from __future__ import annotations

import nbclient
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from caseletter.teaching.registry import EXERCISES

SETUP = "from caseletter import teaching as lessons\nlessons.start_tracking()"
RIGHT = (
    '# Exercise 2 (title): x\ntitle = "Intravenous sodium thiosulfate for dystrophic calcinosis cutis: a case report"'
)
CHECK = 'from caseletter.teaching import check\ncheck("title")'


def run_cells(*sources: str) -> list[str]:
    """Run the cells in one new kernel, errors allowed; return what each printed (or the error's name)."""
    notebook = new_notebook(cells=[new_code_cell(s) for s in sources])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbclient.NotebookClient(notebook, allow_errors=True, timeout=120).execute()
    return ["".join(o.get("text", "") or o.get("ename", "") for o in cell.outputs) for cell in notebook.cells]


@pytest.fixture(scope="module")
def outputs():
    return run_cells(
        SETUP,
        RIGHT, CHECK,                                                      # 2: right
        '# Exercise 2 (title): x\ntitle = "An unusual case"\nthis is wrong(', CHECK,  # 4: syntax error
        '# Exercise 2 (title): x\ntitle = "An unusual case"\nundefined_name', CHECK,   # 6: error at run time
        RIGHT, CHECK,                                                      # 8: fixed again
        'from caseletter.teaching import check\ncheck("consent")',        # 9: never ran
    )


def test_a_right_answer_is_right(outputs):
    assert outputs[2].startswith("Right: ")


def test_after_a_syntax_error_the_check_says_so_and_does_not_judge_the_old_value(outputs):
    assert outputs[3] == "SyntaxError"
    assert outputs[4].startswith("Not yet: the exercise cell above stopped with an error (SyntaxError on line 3")
    assert "Right" not in outputs[4]


def test_after_an_error_at_run_time_the_check_names_it(outputs):
    assert "NameError: name 'undefined_name' is not defined" in outputs[6]
    assert outputs[6].startswith("Not yet: ")


def test_once_fixed_the_check_judges_again(outputs):
    assert outputs[8].startswith("Right: ")


def test_an_exercise_that_never_ran_is_named_not_a_name_error(outputs):
    assert "`consent` does not exist in this kernel" in outputs[9]
    assert "Run All Above Selected Cell" in outputs[9]


def test_after_a_kernel_restart_the_check_cell_runs_on_its_own():
    """A new kernel: no setup cell, the exercise with a syntax error, then its check."""
    printed = run_cells('# Exercise 2 (title): x\ntitle = "An unusual case"\nthis is wrong(', CHECK)
    assert printed[0] == "SyntaxError"
    assert printed[1].startswith("Not yet: the exercise cell above stopped with an error (SyntaxError")
    alone = run_cells(CHECK)
    assert alone[0].startswith("Not yet: `title` does not exist in this kernel")


def test_a_judge_that_fails_prints_instead_of_raising():
    verdict = EXERCISES["key-words"].judge([object()])
    assert verdict.text.startswith("Not yet: ")
