"""The check cell: judge an exercise from what the learner's kernel really ran.

A check cell reads ``check("care-assessment")``. It imports what it needs itself, so it runs
after a kernel restart; it looks up the answer in the learner's namespace, not in a value
passed to it, so a missing answer is a sentence ("the kernel was restarted"), not a raw
``NameError``; and it first asks how the exercise cell last ended, so that after a syntax error
it says so instead of judging the value left over from an earlier run.

How a cell ended is recorded by an IPython ``post_run_cell`` hook, registered when the tutorial
starts (and again by every check, in case the kernel was restarted). When the hook was not
there to see the exercise cell run, the cell's source is read back from the kernel's input
history and compiled, which still catches a syntax error.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Any

from caseletter.teaching.exercises import Verdict
from caseletter.teaching.registry import EXERCISES, Exercise, find_exercise

_LAST_RUN: dict[str, CellRun] = {}


@dataclass(frozen=True)
class CellRun:
    """How the last run of one exercise cell ended."""

    execution_count: int | None
    error: str = ""  # "" when the cell ran to its end


def start_tracking() -> None:
    """Record how each exercise cell ends, from now on (idempotent; nothing outside IPython)."""
    shell = current_shell()
    if shell is None:
        return
    callbacks = shell.events.callbacks["post_run_cell"]
    if not any(getattr(cb, "__name__", "") == record_cell_run.__name__ for cb in callbacks):
        shell.events.register("post_run_cell", record_cell_run)


def record_cell_run(result: Any) -> None:
    """The post_run_cell hook: note whether the cell that just ran was an exercise, and its end."""
    source = getattr(getattr(result, "info", None), "raw_cell", "") or ""
    for exercise in EXERCISES.values():
        if exercise.is_its_cell(source):
            error = result.error_before_exec or result.error_in_exec
            _LAST_RUN[exercise.name] = CellRun(result.execution_count, describe_error(error) if error else "")


def describe_error(error: BaseException) -> str:
    """The error in one line, with its line number when Python gives one."""
    if isinstance(error, SyntaxError):
        where = f" on line {error.lineno}" if error.lineno else ""
        return f"{error.__class__.__name__}{where}: {error.msg}"
    return f"{error.__class__.__name__}: {error}"


def current_shell() -> Any:
    """The IPython shell this code runs in, or None in plain Python."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with the kit's Jupyter stack
        return None
    return get_ipython()


def check(name: str) -> None:
    """Print the verdict on exercise `name`, reading the answer from the learner's namespace."""
    print(verdict_for(name, caller_namespace()).text)


def assert_right(name: str) -> None:
    """The grader's test: raise AssertionError with the verdict unless the answer is right."""
    verdict = verdict_for(name, caller_namespace())
    assert verdict.right, verdict.text


def caller_namespace() -> dict[str, Any]:
    """The namespace of the cell calling `check` (the learner's user namespace in a notebook)."""
    shell = current_shell()
    return shell.user_ns if shell is not None else sys._getframe(2).f_globals


def verdict_for(name: str, namespace: dict[str, Any]) -> Verdict:
    """Judge the answer, unless the exercise cell did not run or stopped with an error."""
    start_tracking()
    exercise = find_exercise(name)
    stopped = cell_error(exercise)
    if stopped:
        return Verdict(
            False,
            f"the exercise cell above stopped with an error ({stopped}), so there is no new answer to check.",
            "that line of the cell: fix it, run the exercise cell again, then this one.",
        )
    if exercise.variable not in namespace:
        return Verdict(
            False,
            f"`{exercise.variable}` does not exist in this kernel: the kernel was restarted, "
            "or the exercise cell has not run yet.",
            "the menu Run ▸ Run All Above Selected Cell, then run this cell again.",
        )
    return exercise.judge(namespace[exercise.variable])


def cell_error(exercise: Exercise) -> str:
    """Why the exercise cell's last run stopped, or "" if it ran through (or never ran)."""
    recorded = _LAST_RUN.get(exercise.name)
    source, count = last_source(exercise)
    if recorded is not None and (count is None or recorded.execution_count == count):
        return recorded.error
    return syntax_error_of(source) if source else ""


def last_source(exercise: Exercise) -> tuple[str, int | None]:
    """The source of the exercise cell's latest run in this kernel, from its input history."""
    shell = current_shell()
    if shell is None:
        return "", None
    history = shell.history_manager.input_hist_raw
    for count in range(len(history) - 1, 0, -1):
        if exercise.is_its_cell(history[count]):
            return history[count], count
    return "", None


def syntax_error_of(source: str) -> str:
    """The cell's syntax error in one line, or "" when it compiles."""
    shell = current_shell()
    try:
        compile(shell.transform_cell(source) if shell else source, "<exercise>", "exec")
    except SyntaxError as exc:
        return describe_error(exc)
    return ""

