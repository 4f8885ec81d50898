"""Building a letter: case file → executed notebook → HTML, DOCX and PDF in ``build/<case>/``.

The recipe, one call per stage: read the case (so a bad file fails before any kernel starts),
execute the letter notebook with papermill, export it with the kit's nbconvert exporters, then
move the finished files into place. Everything is written to a private temporary folder first
and moved in whole, so a failed or interrupted build leaves the previous letter untouched and
never a half-written one.
"""

from __future__ import annotations

import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from caseletter.errors import CaseletterError, ExecutionError, ExportError
from caseletter.journals import PROJECT_ROOT

FORMATS = ("html", "docx", "pdf")
LETTER_NOTEBOOK = PROJECT_ROOT / "notebooks" / "letter.ipynb"


def _error_names(cls: type) -> set[str]:
    return {cls.__name__}.union(*(_error_names(sub) for sub in cls.__subclasses__()))



@dataclass
class BuildResult:
    """What a build produced and how long each stage took."""

    case_path: Path
    out_dir: Path
    files: dict[str, Path] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)


def build_letter(case_path: Path | str, out_root: Path | str = "build", formats: tuple[str, ...] = FORMATS, journal: str | None = None) -> BuildResult:
    """Build one case's letter into ``out_root/<case name>/``.

    Args:
        case_path: the YAML case file.
        out_root: the folder that holds one folder per case.
        formats: any of "html", "docx", "pdf"; the executed notebook is always kept.
        journal: a journal style to use instead of the one the case names.

    Raises:
        CaseletterError: any failure, with a message naming the file and field at fault.
    """
    case_path = Path(case_path)
    check_formats(formats)
    preflight(case_path)
    result = BuildResult(case_path, Path(out_root) / case_path.stem)
    result.out_dir.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f".{case_path.stem}-", dir=result.out_dir.parent) as tmp:
        staging = Path(tmp)
        nb = timed(result, "execute", lambda: execute_letter(case_path, staging / "letter.ipynb", journal))
        for fmt in formats:
            timed(result, f"export {fmt}", lambda fmt=fmt: write_export(nb, fmt, staging / f"letter.{fmt}"))
        publish(staging, result)
    return result


def preflight(case_path: Path) -> None:
    """Catch a bad case before any kernel starts: its YAML, citations, figure files and doses."""
    from caseletter.casefile import load_case
    from caseletter.figures import figure_files
    from caseletter.letter import check_citations, compute_case_dosing, load_case_bibliography

    case = load_case(case_path)
    check_citations(case, case_path, load_case_bibliography(case, case_path))
    figure_files(case, case_path)
    compute_case_dosing(case, case_path)


def check_formats(formats: tuple[str, ...]) -> None:
    """Refuse an unknown output format, listing the known ones."""
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise CaseletterError("--to", f"unknown format {', '.join(unknown)}", f"Choose from {', '.join(FORMATS)}.")


def timed(result: BuildResult, stage: str, work):
    """Run one stage and record its wall time."""
    start = time.perf_counter()
    value = work()
    result.timings[stage] = time.perf_counter() - start
    return value


def execute_letter(case_path: Path, output: Path, journal: str | None):
    """Execute the letter notebook with this case's parameters; return the executed notebook."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    parameters = {"case_path": str(case_path.resolve()), "journal": journal}
    try:
        return papermill.execute_notebook(
            str(LETTER_NOTEBOOK), str(output), parameters=parameters, cwd=str(LETTER_NOTEBOOK.parent),
            kernel_name="python3", progress_bar=False, log_output=False, report_mode=False,
        )
    except PapermillExecutionError as exc:
        raise describe_cell_failure(exc, case_path) from None


def describe_cell_failure(exc, case_path: Path) -> CaseletterError:
    """A kit error raised in the kernel comes back as its own message; anything else names the cell."""
    import caseletter.bibliography, caseletter.deid_files, caseletter.dosing  # noqa: E401,F401 (define error classes)

    if exc.ename in _error_names(CaseletterError):
        return ExecutionError.from_message(exc.evalue)
    return ExecutionError(f"{case_path}, letter notebook cell {exc.exec_count}", f"the cell raised {exc.ename}: {exc.evalue}", "Check the case file's values used by that section; if they look right, report it with the case file.")


def write_export(nb, fmt: str, target: Path) -> None:
    """Export the executed notebook to one format and write the file."""
    from caseletter.exporters import LetterDOCXExporter, LetterHTMLExporter, LetterPDFExporter

    exporter_class = {"html": LetterHTMLExporter, "docx": LetterDOCXExporter, "pdf": LetterPDFExporter}[fmt]
    try:
        body, _ = exporter_class().from_notebook_node(nb)
    except CaseletterError:
        raise
    except Exception as exc:  # a template or writer bug must still reach the user as one paragraph
        raise ExportError(f"exporting {fmt.upper()}", f"{exc.__class__.__name__}: {exc}", "Report this with the case file.") from None
    target.write_bytes(body if isinstance(body, bytes) else body.encode("utf-8"))


def publish(staging: Path, result: BuildResult) -> None:
    """Move every finished file into the case's output folder, each replaced whole."""
    result.out_dir.mkdir(parents=True, exist_ok=True)
    for produced in sorted(staging.iterdir()):
        if produced.is_file():
            final = result.out_dir / produced.name
            os.replace(produced, final)
            result.files[produced.suffix.lstrip(".")] = final

