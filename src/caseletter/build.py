"""Building a letter: case file → executed notebook → HTML, DOCX and PDF in ``build/<case>/``.

The recipe, one call per stage: check the case before any kernel starts (YAML, citations,
figures, doses, identifiers), execute the letter notebook with papermill, export it with the
kit's nbconvert exporters, then move the finished files into place. Everything is written to a
private folder first and moved in whole under a per-case lock, so a failed, interrupted or
concurrent build leaves the previous letter as it was and never a half-written one.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from caseletter.errors import CaseletterError, ExportError, IdentifiersFound

FORMATS = ("html", "docx", "pdf")
sys.modules.setdefault("rfc3987_syntax", None)  # see cli.skip_slow_format_checkers
BUILD_LOG = "build.log"


@dataclass
class BuildOptions:
    """How to build: formats, output folder, journal override, and the user's explicit choices."""

    out_root: Path = Path("build")
    formats: tuple[str, ...] = FORMATS
    journal: str | None = None
    allow_identifiers: bool = False
    force: bool = False
    cell_timeout: float = 300
    notebook: Path | None = None  # a variant of the letter notebook; None for the kit's own

    def cache_key(self) -> dict:
        """The options that change what a letter looks like (and so its cache entry)."""
        from caseletter.cache import file_hash

        return {"formats": list(self.formats), "journal": self.journal, "notebook": file_hash(self.notebook) if self.notebook else None}


@dataclass
class BuildResult:
    """What a build produced, how long each stage took, and what it noticed."""

    case_path: Path
    out_dir: Path
    status: str = "built"  # built | unchanged
    files: dict[str, Path] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    log: list[str] = field(default_factory=list)
    words: int | None = None
    references: int | None = None
    findings: dict[str, int] = field(default_factory=dict)
    inputs: list[Path] = field(default_factory=list)  # the files the letter was made from


def build_letter(case_path: Path | str, out_root: Path | str = "build", formats: tuple[str, ...] = FORMATS, journal: str | None = None, **options) -> BuildResult:
    """Build one case's letter into ``out_root/<case name>/`` (the library's main entry point).

    Raises:
        CaseletterError: any failure, with a message naming the file and field at fault.
    """
    opts = BuildOptions(Path(out_root), tuple(formats), journal, **options)
    return build_case(Path(case_path), opts)


def build_case(case_path: Path, opts: BuildOptions, take_kernel=None) -> BuildResult:
    """The recipe for one case.

    Args:
        case_path: the case file.
        opts: how to build.
        take_kernel: returns a warm kernel from a `KernelPool` once the case has passed its
            checks; None lets papermill start a kernel of its own.
    """
    from caseletter.cache import case_input_files, inputs_hash, is_up_to_date

    check_formats(opts.formats)
    result = BuildResult(case_path, opts.out_root / case_path.stem)
    if not opts.force and is_up_to_date(result.out_dir, case_path, opts.cache_key(), opts.formats):
        result.status = "unchanged"
        result.log.append("inputs unchanged since the last build: nothing rebuilt")
        return result
    result.inputs = case_input_files(case_path)  # hashed now: an edit during the build means a rebuild
    digest = inputs_hash(result.inputs, opts.cache_key())
    report = timed(result, "check", lambda: preflight(case_path, opts, result))
    kernel = take_kernel() if take_kernel else None
    return produce(case_path, opts, result, digest, report, kernel)


def produce(case_path: Path, opts: BuildOptions, result: BuildResult, digest: str, report, kernel) -> BuildResult:
    """Execute, export and publish one letter that passed its checks; log a failure beside it."""
    try:
        return make_and_publish(case_path, opts, result, digest, report, kernel)
    except CaseletterError as exc:
        log_failure(result, exc.message)
        raise
    except KeyboardInterrupt:
        log_failure(result, "interrupted (Ctrl-C)")
        raise


def make_and_publish(case_path: Path, opts: BuildOptions, result: BuildResult, digest: str, report, kernel) -> BuildResult:
    """The work of `produce`: every file made in a private folder, then moved in whole."""
    from caseletter.execute import LETTER_NOTEBOOK, execute_letter

    notebook = opts.notebook or LETTER_NOTEBOOK
    try:
        result.out_dir.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix=f".{case_path.stem}-", dir=result.out_dir.parent) as tmp:
            staging = Path(tmp)
            nb = timed(result, "execute", lambda: execute_letter(case_path, opts.journal, kernel, opts.cell_timeout, notebook))
            write_notebook(nb, staging / "letter.ipynb")
            export_all(nb, opts.formats, staging, result)
            write_reports(report, staging, result, digest)
            publish(staging, result)
    finally:
        if kernel is not None:
            kernel.discard()
    return result


def log_failure(result: BuildResult, message: str) -> None:
    """Say in the case's build.log that this build failed and the previous letter was kept."""
    import datetime

    stamp = datetime.datetime.now().isoformat(timespec="seconds")
    try:
        result.out_dir.mkdir(parents=True, exist_ok=True)
        with open(result.out_dir / BUILD_LOG, "a", encoding="utf-8") as log:
            log.write(f"{stamp} FAILED {result.case_path}: {message} Nothing from this build was published: a letter already here is from the last good build and none of its files was changed.\n")
    except OSError:  # a full disk may refuse even this line; the message still reaches the user
        pass


def preflight(case_path: Path, opts: BuildOptions, result: BuildResult):
    """Catch a bad case before any kernel starts; refuse to export identifiers unless allowed."""
    from caseletter.check import run_checks

    report = run_checks(case_path, opts.journal)
    if report.identifiers:
        if not opts.allow_identifiers:
            raise IdentifiersFound.from_report(case_path, report.identifiers)
        result.log.append(f"--allow-identifiers given: exported with {len(report.identifiers)} possible identifier(s) in the text")
    blocking = [f for f in report.findings if f.severity == "error" and f.kind != "identifier"]
    if blocking:
        first = blocking[0]
        raise CaseletterError(f"{case_path}, {first.field}", first.message, first.suggestion)
    summarize_report(report, result)
    return report


def summarize_report(report, result: BuildResult) -> None:
    """Counts for the class summary: words, references, findings by severity."""
    counts = {m.name: m.count for m in report.measures}
    result.words, result.references = counts.get("words"), counts.get("references")
    for finding in report.findings:
        result.findings[finding.severity] = result.findings.get(finding.severity, 0) + 1
    result.log += [f"{f.severity}: {f.field}: {f.message}" for f in report.findings if f.severity == "warning"]


def check_formats(formats: tuple[str, ...]) -> None:
    """Refuse an unknown output format, listing the known ones."""
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise CaseletterError("--to", f"unknown format {', '.join(unknown) or '(none given)'}", f"Choose from {', '.join(FORMATS)}.")


def timed(result: BuildResult, stage: str, work):
    """Run one stage and record its wall time."""
    start = time.perf_counter()
    value = work()
    result.timings[stage] = time.perf_counter() - start
    return value


def write_notebook(nb, target: Path) -> None:
    """Keep the executed notebook, so the author can see every computation."""
    import nbformat

    try:
        nbformat.write(nb, str(target))
    except OSError as exc:
        raise ExportError("writing letter.ipynb", f"the file could not be written ({exc.strerror})", "Check the free disk space and the output folder's permissions.") from None


def export_all(nb, formats: tuple[str, ...], staging: Path, result: BuildResult) -> None:
    """Export every format from the one executed notebook, side by side on threads."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=len(formats)) as workers:
        futures = {fmt: workers.submit(timed_export, nb, fmt, staging / f"letter.{fmt}") for fmt in formats}
        for fmt, future in futures.items():
            result.timings[f"export {fmt}"] = future.result()


def timed_export(nb, fmt: str, target: Path) -> float:
    """Export one format; return the seconds it took."""
    start = time.perf_counter()
    write_export(nb, fmt, target)
    return time.perf_counter() - start


def write_export(nb, fmt: str, target: Path) -> None:
    """Export the executed notebook to one format and write the file."""
    from caseletter.exporters import exporter_for

    try:
        body, _ = exporter_for(fmt).from_notebook_node(nb)
        target.write_bytes(body if isinstance(body, bytes) else body.encode("utf-8"))
    except CaseletterError:
        raise
    except OSError as exc:
        raise ExportError(f"exporting {fmt.upper()}", f"the file could not be written ({exc.strerror})", "Check the free disk space and the output folder's permissions.") from None
    except Exception as exc:  # a template or writer bug must still reach the user as one paragraph
        raise ExportError(f"exporting {fmt.upper()}", f"{exc.__class__.__name__}: {exc}", "Report this with the case file.") from None


def write_reports(report, staging: Path, result: BuildResult, digest: str) -> None:
    """The check report, the build log and the manifest, beside the letter."""
    from caseletter.cache import MANIFEST, manifest_text
    from caseletter.check_report import render_check_html

    (staging / "check.html").write_text(render_check_html(report), encoding="utf-8")
    stages = ", ".join(f"{stage} {seconds:.2f} s" for stage, seconds in result.timings.items())
    (staging / BUILD_LOG).write_text("\n".join([f"built {result.case_path}", f"timings: {stages}", *result.log]) + "\n", encoding="utf-8")
    summary = {"case": str(result.case_path), "words": result.words, "references": result.references, "findings": result.findings}
    (staging / MANIFEST).write_text(manifest_text(digest, result.inputs, summary), encoding="utf-8")


def publish(staging: Path, result: BuildResult) -> None:
    """Move every finished file into the case's folder, each replaced whole, under a lock.

    The manifest moves last, so an interrupted move leaves a folder that the next build
    rebuilds rather than trusts.
    """
    from caseletter.locks import case_lock

    result.out_dir.mkdir(parents=True, exist_ok=True)
    produced = sorted((p for p in staging.iterdir() if p.is_file()), key=lambda p: p.name == "build.json")
    with case_lock(result.out_dir):
        for path in produced:
            final = result.out_dir / path.name
            os.replace(path, final)
            if path.name.startswith("letter."):
                result.files[path.suffix.lstrip(".")] = final
