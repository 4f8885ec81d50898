"""Building a letter: case file → executed notebook → HTML, DOCX and PDF in ``build/<case>/``.

`build_case` is the recipe, one stage a line in the order the data travels, as papermill's
``execute_notebook`` reads: answer from the cache when nothing changed; read the case once and
check it before any kernel starts (YAML, citations, figures, doses, identifiers); execute the
letter notebook on the text that was checked; export it with the kit's nbconvert exporters side
by side; write the check report, the log and the manifest; move everything into place at once
(`build.publish`). A failure after the check is logged beside the last good letter, which
stays as it was, and the notebook as far as it ran is kept in ``failed/``.
"""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from caseletter.build.options import FORMATS, BuildOptions, BuildResult, check_formats
from caseletter.build.publish import BUILD_LOG, keep_failed_notebook, log_failure, publish, staging_folder, write_file
from caseletter.build.redact import publishable_notebook, without_machine_paths
from caseletter.errors import CaseletterError, ExecutionError, ExportError, IdentifiersFound

sys.modules.setdefault("rfc3987_syntax", None)  # see cli.commands.skip_slow_format_checkers


def build_letter(case_path: Path | str, out_root: Path | str = "build", formats: tuple[str, ...] = FORMATS,
                 journal: str | None = None, **options: Any) -> BuildResult:
    """Build one case's letter into ``out_root/<case name>/`` (the library's main entry point).

    Raises:
        CaseletterError: any failure, with a message naming the file and field at fault.
    """
    return build_case(Path(case_path), BuildOptions(Path(out_root), tuple(formats), journal, **options))


def build_case(case_path: Path, opts: BuildOptions, take_kernel: Callable[[], Any] | None = None) -> BuildResult:
    """The recipe for one case.

    Args:
        case_path: the case file.
        opts: how to build.
        take_kernel: returns a warm kernel from a `KernelPool` once the case has passed its
            checks; None lets papermill start a kernel of its own.
    """
    from caseletter.build.cache import is_up_to_date
    from caseletter.build.execute import execute_letter, notebook_for
    from caseletter.build.failures import failure_remembered, repeat_remembered_failure
    from caseletter.case.source import read_case_text

    check_formats(opts.formats)
    result = BuildResult(case_path, opts.out_dir(case_path))
    refuse_another_cases_folder(result.out_dir, case_path)
    if not opts.force:
        if is_up_to_date(result.out_dir, case_path, opts.cache_key(), opts.formats):
            return unchanged(result)
        repeat_remembered_failure(result.out_dir, case_path, opts)
    text = read_case_text(case_path)
    with failure_remembered(result, text, opts):
        source, report = timed(result.timings, "check", check_case, text, opts, result)
        digest = record_inputs(source, opts, result)
        with failure_logged(result), kernel_for(take_kernel) as kernel, staging_folder(result.out_dir) as staging:
            notebook = opts.notebook or notebook_for(source.case)
            nb = timed(result.timings, "execute", execute_letter, source, opts.journal, kernel, opts.cell_timeout,
                       notebook)
            nb = publishable_notebook(nb, result.out_dir, case_path)
            write_file(staging / "letter.ipynb", notebook_text(nb))
            export_all(nb, opts.formats, staging, result)
            write_reports(report, staging, result, digest)
            result.files = publish(staging, result.out_dir, opts.formats)
    return result


def refuse_another_cases_folder(out_dir: Path, case_path: Path) -> None:
    """Refuse to write over the letter of another case file that has the same name.

    Two case files named alike (``a/case.yaml`` and ``b/case.yaml``, or ``x.yaml`` and
    ``x.yml``) would share ``build/case/``; the manifest says which case file the folder's letter
    was built from.

    Raises:
        CaseletterError: the folder holds the letter of another case file.
    """
    from caseletter.build.cache import from_output, read_manifest

    recorded = read_manifest(out_dir).get("case")
    if recorded and from_output(out_dir, recorded).resolve() != case_path.resolve():
        raise CaseletterError(
            str(case_path),
            f"{out_dir} was built from {recorded} (relative to that folder), another case file of the same name",
            "Rename one of the two case files, or build them into different --out folders "
            "(or delete that folder if the other case is gone).",
        )


def unchanged(result: BuildResult) -> BuildResult:
    """The result of a build the cache answered: nothing was rebuilt."""
    result.status = "unchanged"
    result.log.append("inputs unchanged since the last build: nothing rebuilt")
    return result


def check_case(text: Any, opts: BuildOptions, result: BuildResult) -> tuple[Any, Any]:
    """Read the case once and check it; refuse to go on while it has errors.

    Identifiers block the export unless ``allow_identifiers`` says they may be published,
    which the build log records.

    Raises:
        IdentifiersFound: identifiers in the text or figures, and no ``allow_identifiers``.
        CaseletterError: the first other error of the check, naming its field.
    """
    from caseletter.case.source import read_case_source
    from caseletter.checks.run import run_checks

    case_path = text.path
    source = read_case_source(case_path, text.text)
    report = result.report = run_checks(source, opts.journal)
    if report.identifiers:
        if not opts.allow_identifiers:
            raise IdentifiersFound.from_findings(case_path, report.identifiers)
        result.log.append(
            f"--allow-identifiers given: exported with {len(report.identifiers)} possible identifier(s) in the case"
        )
    if report.blocking:
        first = report.blocking[0]
        raise CaseletterError(f"{case_path}, {first.field}", first.message, first.suggestion)
    if report.placeholders:  # a draft is built, and marked as one in every format
        result.log.append(f"draft: {len(report.placeholders)} item(s) to complete (see check.html)")
    summarize_report(report, result)
    return source, report


def summarize_report(report: Any, result: BuildResult) -> None:
    """Counts for the class summary: words, references, findings by severity."""
    counts = {m.name: m.count for m in report.measures}
    result.words, result.references = counts.get("words"), counts.get("references")
    for finding in report.findings:
        result.findings[finding.severity] = result.findings.get(finding.severity, 0) + 1
    result.log += [f"{f.severity}: {f.field}: {f.message}" for f in report.findings if f.severity == "warning"]


def record_inputs(source: Any, opts: BuildOptions, result: BuildResult) -> str:
    """The files the letter is made from, and their hash, taken now: an edit during the build means a rebuild.

    The case file is hashed from the bytes that were checked, not read again.
    """
    from caseletter.build.cache import inputs_hash, letter_inputs, lookups, relative_names

    journal = opts.journal or source.case.journal
    result.inputs = letter_inputs(source, journal)
    result.journal = journal
    names = relative_names(result.inputs, result.out_dir)
    options = {**opts.cache_key(), "lookups": lookups(source.path, journal, result.out_dir)}
    return inputs_hash(result.out_dir, names, options, known={names[0]: source.digest})


@contextlib.contextmanager
def failure_logged(result: BuildResult) -> Iterator[None]:
    """Log a failure in the case's build.log, and keep the notebook as far as it ran, then re-raise."""
    try:
        yield
    except CaseletterError as exc:
        if isinstance(exc, ExecutionError) and exc.notebook is not None:
            notebook = publishable_notebook(exc.notebook, result.out_dir, result.case_path)
            kept = keep_failed_notebook(result.out_dir, notebook)
            if kept is not None:
                exc.todo = f"{exc.todo} The notebook as far as it ran is in {kept}.".strip()
        message = without_machine_paths(exc.shareable, result.out_dir, result.case_path)
        log_failure(result.out_dir, result.case_path, message)
        raise
    except KeyboardInterrupt:
        log_failure(result.out_dir, result.case_path, "interrupted (Ctrl-C)")
        raise


@contextlib.contextmanager
def kernel_for(take_kernel: Callable[[], Any] | None) -> Iterator[Any]:
    """The case's own warm kernel (or None for papermill's), discarded when the case is done."""
    kernel = take_kernel() if take_kernel else None
    try:
        yield kernel
    finally:
        if kernel is not None:
            kernel.discard()


def timed(timings: dict[str, float], stage: str, work: Callable[..., Any], *args: Any) -> Any:
    """Run one stage, ``work(*args)``, and record its wall time in `timings`."""
    start = time.perf_counter()
    value = work(*args)
    timings[stage] = time.perf_counter() - start
    return value


def notebook_text(nb: Any) -> str:
    """The executed notebook as a file, so the author can see every computation."""
    import nbformat

    return nbformat.writes(nb)


def export_all(nb: Any, formats: tuple[str, ...], staging: Path, result: BuildResult) -> None:
    """Export every format from the one executed notebook, side by side on threads."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=len(formats)) as workers:
        futures = {fmt: workers.submit(timed_export, nb, fmt, staging / f"letter.{fmt}") for fmt in formats}
        for fmt, future in futures.items():
            result.timings[f"export {fmt}"] = future.result()


def timed_export(nb: Any, fmt: str, target: Path) -> float:
    """Export one format and write its file; return the seconds it took."""
    start = time.perf_counter()
    write_file(target, export_body(nb, fmt))
    return time.perf_counter() - start


def export_body(nb: Any, fmt: str) -> str | bytes:
    """One format of the letter from the executed notebook, with the kit's exporter.

    Raises:
        CaseletterError: the exporter's own error; any other failure as one paragraph.
    """
    from caseletter.letter.exporters import exporter_for

    try:
        body, _ = exporter_for(fmt).from_notebook_node(nb)
    except CaseletterError:
        raise
    except Exception as exc:  # a template or writer bug must still reach the user as one paragraph
        raise ExportError(
            f"exporting {fmt.upper()}", f"{exc.__class__.__name__}: {exc}", "Report this with the case file."
        ) from None
    return body


def write_reports(report: Any, staging: Path, result: BuildResult, digest: str) -> None:
    """The check report, the build log and the manifest, beside the letter; none names the machine."""
    from caseletter.build.cache import MANIFEST, manifest_text, relative_names
    from caseletter.checks.report import render_check_html

    def private(text: str) -> str:
        return without_machine_paths(text, result.out_dir, result.case_path)

    names = relative_names(result.inputs, result.out_dir)
    write_file(staging / "check.html", private(render_check_html(report, shown_path=names[0])))
    stages = ", ".join(f"{stage} {seconds:.2f} s" for stage, seconds in result.timings.items())
    log = "\n".join([f"built {names[0]}", f"timings: {stages}", *result.log]) + "\n"
    write_file(staging / BUILD_LOG, private(log))
    summary = {
        "case": names[0], "journal": result.journal, "words": result.words, "references": result.references,
        "findings": result.findings, "roster": report.roster(),
    }
    write_file(staging / MANIFEST, manifest_text(digest, names, summary))
