"""Executing the letter notebook with a case's parameters: papermill on a warm kernel.

papermill injects the parameters cell and runs the notebook; the kernel comes from the
`KernelPool` when the caller has one (a class build, or a single build that started it early),
otherwise papermill starts its own. A cell that raises comes back as the kit's own error when it
is one (an unknown citation key, a bad dose), or as a message naming the letter's section.
"""

from __future__ import annotations

import copy
import logging
import functools
from pathlib import Path
from typing import Any

from caseletter.errors import CaseletterError, ExecutionError
from caseletter.locations import PROJECT_ROOT

LETTER_NOTEBOOK = PROJECT_ROOT / "notebooks" / "letter.ipynb"
DEFAULT_CELL_TIMEOUT = 300


@functools.cache
def read_notebook(path: Path) -> Any:
    """A letter notebook, read once per process."""
    import nbformat

    try:
        return nbformat.read(str(path), as_version=4)
    except (OSError, ValueError) as exc:
        raise ExecutionError(str(path), f"the letter notebook cannot be read ({exc.__class__.__name__})", "Give the path of a .ipynb file, or leave --notebook out to use the kit's own.") from None


def execute_letter(case_path: Path, journal: str | None, kernel=None, cell_timeout: float = DEFAULT_CELL_TIMEOUT, notebook: Path = LETTER_NOTEBOOK) -> Any:
    """Run the letter notebook for one case and return the executed notebook.

    Args:
        case_path: the case file (made absolute for the kernel).
        journal: a journal style overriding the case's, or None.
        kernel: a `WarmKernel` to run on, discarded afterwards; None lets papermill start one.
        cell_timeout: seconds a cell may run before the build gives up on it.
        notebook: the letter notebook (the kit's own unless an educator gives a variant).
    """
    import papermill
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    logging.getLogger("papermill").setLevel(logging.CRITICAL)  # the kit reports failures itself
    parameters = {"case_path": str(Path(case_path).resolve()), "journal": journal}
    options: dict[str, Any] = {"kernel_name": "python3", "progress_bar": False, "log_output": False, "execution_timeout": cell_timeout}
    if kernel is not None:
        options["km"] = kernel.manager
    else:
        options["cwd"] = str(Path(notebook).parent)
    try:
        return papermill.execute_notebook(copy.deepcopy(read_notebook(Path(notebook))), None, parameters=parameters, **options)
    except PapermillExecutionError as exc:
        raise describe_cell_failure(exc, case_path) from None
    except (CellTimeoutError, TimeoutError):
        raise ExecutionError(str(case_path), f"a cell of the letter notebook ran longer than {cell_timeout:g} s and was stopped", "Raise the limit with --timeout, or look for a very large figure or regimen in the case.") from None
    except (DeadKernelError, RuntimeError) as exc:
        raise ExecutionError(str(case_path), f"the notebook's kernel died while the letter was being written ({exc.__class__.__name__})", "Build again; if it happens every time, report it with the case file.") from None
    finally:
        if kernel is not None:
            kernel.discard()


def describe_cell_failure(exc, case_path: Path) -> CaseletterError:
    """A kit error raised in the kernel comes back as its own message; anything else names the section."""
    import caseletter.bibliography, caseletter.deid_files, caseletter.dosing  # noqa: E401,F401 (define error classes)

    if exc.ename in _error_names(CaseletterError):
        return ExecutionError.from_message(exc.evalue)
    section = failing_section(exc)
    return ExecutionError(
        f"{case_path}, {section}" if section else str(case_path),
        f"building the letter failed with {exc.ename}: {exc.evalue}",
        "Check that section's fields in the case file; if they look right, report it with the case file.",
    )


SECTION_FIELDS = {
    "header": "title, authors",
    "opening": "opening",
    "case": "case (presentation, diagnosis, treatment, outcome), figures",
    "discussion": "discussion",
    "dosing": "interventions, dosing, timeline",
    "references": "bibliography and the citations in the text",
    "practice_points": "practice_points",
}


def failing_section(exc) -> str:
    """The letter section whose cell raised, and the case fields it is made from."""
    import re

    match = re.search(r'letter\.show\("([a-z_]+)"\)', getattr(exc, "source", "") or "")
    if not match:
        return f"cell {exc.exec_count} of the letter notebook" if getattr(exc, "exec_count", None) else ""
    section = match.group(1)
    return f"the {section.replace('_', ' ')} section (fields: {SECTION_FIELDS.get(section, section)})"


def _error_names(cls: type) -> set[str]:
    return {cls.__name__}.union(*(_error_names(sub) for sub in cls.__subclasses__()))
