"""Executing the letter notebook with a case's parameters: papermill on a warm kernel.

papermill injects the parameters cell (the case file's path and the very text the check read)
and runs the notebook; the kernel comes from the `KernelPool` when the caller has one (a class
build, or a single build that started it early), otherwise papermill starts its own. A cell that
raises comes back as the kit's own error when it is one (an unknown citation key, a bad dose),
or as a message naming the letter's section; either way the error carries the notebook as far
as it ran, with papermill's marker at the failing cell, so the build can keep it for the author.
"""

from __future__ import annotations

import copy
import functools
import logging
import math
import os
import re
from pathlib import Path
from typing import Any

from caseletter.case.source import CaseSource, CaseText
from caseletter.case.structures import CASE_REPORT, IMAGES, LETTER, structure_of
from caseletter.errors import ExecutionError, error_class_names
from caseletter.paths import notebooks_dir

LETTER_NOTEBOOK = notebooks_dir() / "letter.ipynb"
#: The notebook that writes each article structure (see `caseletter.case.structures`).
ARTICLE_NOTEBOOKS = {
    LETTER: LETTER_NOTEBOOK,
    CASE_REPORT: notebooks_dir() / "case_report.ipynb",
    IMAGES: notebooks_dir() / "images.ipynb",
}
DEFAULT_CELL_TIMEOUT = 300
ENGINE = "caseletter"
SECTION_FIELDS = {
    "header": "title, authors",
    "opening": "opening",
    "case": "case (presentation, diagnosis, treatment, outcome), figures",
    "discussion": "discussion",
    "dosing": "interventions, dosing, timeline",
    "references": "bibliography and the citations in the text",
    "practice_points": "practice_points",
    "abstract": "abstract, keywords",
    "introduction": "opening",
    "case_presentation": "case.presentation, figures",
    "timeline": "timeline",
    "diagnostic_assessment": "case.diagnosis, labs",
    "intervention": "case.treatment, interventions, dosing",
    "follow_up": "case.outcome",
    "patient_perspective": "patient_perspective",
    "consent": "consent, acknowledgements, conflicts, funding",
}


def notebook_for(case: Any) -> Path:
    """The kit's notebook for the case's article structure: letter, case report or images."""
    return ARTICLE_NOTEBOOKS[structure_of(case.article_type)]


def notebook_for_source(source: CaseSource | CaseText) -> Path:
    """The kit's notebook for a case read or only loaded (the preview runs it while the check reads the case).

    A text that cannot be read as a case runs the letter notebook, whose first cell then fails
    with the same message the check gives.
    """
    case = getattr(source, "case", None)
    if case is None:
        from caseletter.case.source import read_case_source
        from caseletter.errors import CaseletterError

        try:
            case = read_case_source(source.path, source.text).case
        except CaseletterError:
            return LETTER_NOTEBOOK
    return notebook_for(case)


@functools.cache
def read_notebook(path: Path) -> Any:
    """A letter notebook, read once per process."""
    import nbformat

    try:
        return nbformat.read(str(path), as_version=4)
    except (OSError, ValueError) as exc:
        raise ExecutionError(
            str(path), f"the letter notebook cannot be read ({exc.__class__.__name__})",
            "Give the path of a .ipynb file, or leave --notebook out to use the kit's own.",
        ) from None


@functools.cache
def register_engine() -> None:
    """Papermill's nbclient engine, registered under our name, keeping hold of the notebook it runs.

    papermill raises on a failed cell without returning the notebook; the engine's notebook is
    the very object papermill then marks at the failing cell, so holding it keeps that too.
    """
    from papermill.engines import NBClientEngine, papermill_engines

    class KeepingEngine(NBClientEngine):
        @classmethod
        def execute_notebook(cls, nb: Any, kernel_name: str, **kwargs: Any) -> Any:
            kwargs.pop("keep", []).append(nb)
            return super().execute_notebook(nb, kernel_name, **kwargs)

    papermill_engines.register(ENGINE, KeepingEngine)


def execute_letter(source: CaseSource | CaseText, journal: str | None, kernel: Any = None,
                   cell_timeout: float = DEFAULT_CELL_TIMEOUT, notebook: Path | None = None) -> Any:
    """Run the letter notebook for one case and return the executed notebook.

    Args:
        source: the case as it was checked (or read, to be checked meanwhile): its path and its
            text go to the kernel.
        journal: a journal style overriding the case's, or None.
        kernel: a `WarmKernel` to run on; None lets papermill start one. The caller discards it.
        cell_timeout: seconds a cell may run before the build gives up on it.
        notebook: the notebook to run (an educator's variant); None runs the kit's own for the case's
            article structure.

    Raises:
        ExecutionError: a cell raised, ran too long, or the kernel died; ``notebook`` on the
            error holds the notebook as far as it ran.
    """
    import papermill
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    register_engine()
    logging.getLogger("papermill").setLevel(logging.CRITICAL)  # the kit reports failures itself
    # The kernel works in the build's folder, so the case's path means what the user typed.
    parameters = {"case_path": str(source.path), "journal": journal, "case_text": source.text}
    kept: list[Any] = []
    options: dict[str, Any] = {
        "kernel_name": "python3", "progress_bar": False, "log_output": False, "engine_name": ENGINE, "keep": kept,
        "execution_timeout": max(1, math.ceil(cell_timeout)),  # nbclient takes whole seconds
    }
    if kernel is not None:
        options["km"] = kernel.manager
    else:
        from caseletter.build.forking import tracking_manager_class

        options["cwd"] = os.getcwd()
        options["kernel_manager_class"] = tracking_manager_class()  # its warnings kept out of sight
    notebook = Path(notebook) if notebook is not None else notebook_for_source(source)
    try:
        return papermill.execute_notebook(
            copy.deepcopy(read_notebook(notebook)), None, parameters=parameters, **options
        )
    except PapermillExecutionError as exc:
        raise with_notebook(describe_cell_failure(exc, source.path), kept) from None
    except (CellTimeoutError, TimeoutError):
        error = ExecutionError(
            str(source.path), f"a cell of the letter notebook ran longer than {cell_timeout:g} s and was stopped",
            "Raise the limit with --timeout, or look for a very large figure or regimen in the case.",
        )
        raise with_notebook(error, kept, marked=True) from None
    except (DeadKernelError, RuntimeError) as exc:
        error = ExecutionError(
            str(source.path),
            f"the notebook's kernel died while the letter was being written ({exc.__class__.__name__})",
            "Build again; if it happens every time, report it with the case file.",
        )
        raise with_notebook(error, kept, marked=True) from None


def with_notebook(error: ExecutionError, kept: list[Any], marked: bool = False) -> ExecutionError:
    """The error carrying the notebook as far as it ran; `marked` adds a first cell saying why it stopped.

    papermill marks a cell that raised itself; a timeout or a dead kernel it does not see.
    """
    if kept:
        error.notebook = kept[0]
        if marked:
            import nbformat

            note = nbformat.v4.new_markdown_cell(f"**This build stopped here.** {error.message}")
            note.metadata["tags"] = ["caseletter-failure"]
            error.notebook.cells.insert(0, note)
    return error


def describe_cell_failure(exc: Any, case_path: Path) -> ExecutionError:
    """A kit error raised in the kernel comes back as its own message; anything else names the section."""
    if exc.ename in error_class_names():
        return ExecutionError.from_message(exc.evalue)
    section = failing_section(exc)
    return ExecutionError(
        f"{case_path}, {section}" if section else str(case_path),
        f"building the letter failed with {exc.ename}: {exc.evalue}",
        "Check that section's fields in the case file; if they look right, report it with the case file.",
    )


def failing_section(exc: Any) -> str:
    """The letter section whose cell raised, and the case fields it is made from."""
    match = re.search(r'letter\.show\("([a-z_]+)"\)', getattr(exc, "source", "") or "")
    if not match:
        return f"cell {exc.exec_count} of the letter notebook" if getattr(exc, "exec_count", None) else ""
    section = match.group(1)
    return f"the {section.replace('_', ' ')} section (fields: {SECTION_FIELDS.get(section, section)})"


def close_thread_event_loop() -> None:
    """Close the event loop papermill's client left on this worker thread.

    jupyter_core runs the client's coroutines on a loop it creates per thread and never
    closes; a worker thread is about to take another case or end, so the loop goes now.
    """
    import asyncio

    policy = asyncio.get_event_loop_policy()
    try:
        loop = policy.get_event_loop()
    except RuntimeError:  # no loop on this thread
        return
    if not loop.is_running():
        pending = [task for task in asyncio.all_tasks(loop) if not task.done()]
        for task in pending:  # an interrupted case leaves the client's kernel watcher waiting
            task.cancel()
        if pending:
            loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        loop.close()
        policy.set_event_loop(None)
