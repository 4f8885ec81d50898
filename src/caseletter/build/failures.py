"""A failed build remembered by the content of its inputs, as a good one is by its manifest.

A case that failed is not checked again while nothing it is made from has changed: the failure's
record (``failed/failure.json`` in the case's folder, written by class builds) holds the hash of the very inputs that
failed and the message, and the next build of an unchanged class answers it at once, as it
answers an unchanged letter. The record also keeps what the class roster shows (the check's
status, counts and gaps) and, when the check ran, the check report of the failing state
(``failed/check.html``). A good build removes ``failed/`` whole. The case file is hashed from
the bytes that failed, never read again, so an edit made meanwhile is never remembered as
failing.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import caseletter.build.publish as publish
from caseletter.build.cache import inputs_hash, letter_inputs, lookups, relative_names
from caseletter.build.options import BuildOptions, BuildResult
from caseletter.build.publish import FAILED
from caseletter.errors import CaseletterError

FAILURE = "failure.json"
CHECK_REPORT = "check.html"
CHECK_STAGE, BUILD_STAGE = "check", "build"


@contextlib.contextmanager
def failure_remembered(result: BuildResult, text: Any, opts: BuildOptions) -> Iterator[None]:
    """Remember a failure of the build of `text` (the case file as read) before it goes on up."""
    try:
        yield
    except CaseletterError as exc:
        remember_failure(result, text, opts, exc)
        raise


def remember_failure(result: BuildResult, text: Any, opts: BuildOptions, exc: CaseletterError) -> None:
    """Write the failure's record, and the failing state's check report when the check ran.

    Only a class build remembers (its roster needs every case's state): a single letter that
    fails leaves nothing in build/, and its author reads the paragraph in the terminal.
    """
    if not opts.remember_failures:
        return
    from caseletter.build.redact import without_machine_paths

    names, journal = failure_inputs(result, text, opts)
    known = {names[0]: hashlib.sha256(text.text.encode("utf-8")).hexdigest()}
    options = {**opts.cache_key(), "lookups": lookups(text.path, journal, result.out_dir)}
    report = result.report
    record = {
        "inputs": inputs_hash(result.out_dir, names, options, known), "files": names, "journal": journal,
        "stage": BUILD_STAGE if "check" in result.timings else CHECK_STAGE,
        # What files under build/ may say: identifiers named by field, never quoted; no path of this machine.
        "message": without_machine_paths(exc.shareable, result.out_dir, text.path),
        "roster": report.roster() if report is not None else {},
    }
    folder = result.out_dir / FAILED
    write_whole(folder, FAILURE, json.dumps(record, indent=2, sort_keys=True))
    if report is not None:
        from caseletter.checks.report import render_check_html

        page = render_check_html(unquoted(report), shown_path=relative_names([text.path], folder)[0])
        write_whole(folder, CHECK_REPORT, without_machine_paths(page, folder, text.path))


def unquoted(report: Any) -> Any:
    """The report with each identifier named by its kind and place, never quoted.

    A refused build keeps the identifiers out of build/; its check report there does too
    (`caseletter check` shows the author each one).
    """
    import dataclasses

    def hidden(finding: Any) -> Any:
        if finding.kind != "identifier":
            return finding
        kind = (finding.detail or "identifier").replace("_", " ")
        suggestion = "" if finding.text and finding.text in finding.suggestion else finding.suggestion
        return dataclasses.replace(
            finding, text="", suggestion=suggestion,
            message=f"{kind}: not quoted here, since the build was refused (`caseletter check` shows it)",
        )

    return dataclasses.replace(report, findings=[hidden(f) for f in report.findings])


def failure_inputs(result: BuildResult, text: Any, opts: BuildOptions) -> tuple[list[str], str]:
    """The failing build's inputs relative to the case's folder, and its journal.

    When the failure came before the build listed its inputs, they are listed from the text that
    failed; when even that cannot be read, the case file alone is its input.
    """
    if result.inputs:
        return relative_names(result.inputs, result.out_dir), result.journal
    from caseletter.case.source import read_case_source

    try:
        source = read_case_source(text.path, text.text)
        journal = opts.journal or source.case.journal
        return relative_names(letter_inputs(source, journal), result.out_dir), journal
    except CaseletterError:
        return relative_names([text.path], result.out_dir), opts.journal or ""


def repeat_remembered_failure(out_dir: Path, case_path: Path, opts: BuildOptions) -> None:
    """Raise the remembered failure again when its inputs are unchanged; return otherwise.

    Raises:
        CaseletterError: the message the same inputs failed with, marked ``remembered``.
    """
    error = remembered_failure(out_dir, case_path, opts)
    if error is not None:
        raise error


def remembered_failure(out_dir: Path, case_path: Path, opts: BuildOptions) -> CaseletterError | None:
    """The error the same inputs failed with last time, or None when anything changed (or nothing failed)."""
    record = read_failure(out_dir)
    names = record.get("files") or []
    if not names or names[0] != relative_names([case_path], out_dir)[0]:
        return None
    found = lookups(case_path, str(record.get("journal", "")), out_dir)
    if record.get("inputs") != inputs_hash(out_dir, names, {**opts.cache_key(), "lookups": found}):
        return None
    error = CaseletterError.from_message(str(record.get("message", "")))
    error.remembered = True
    return error


def read_failure(out_dir: Path) -> dict[str, Any]:
    """The record of the case's last failure, or an empty one (a good build removes it)."""
    try:
        record = json.loads((out_dir / FAILED / FAILURE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return record if isinstance(record, dict) else {}


def write_whole(folder: Path, name: str, text: str) -> None:
    """Write one file of the record whole; a disk that refuses only costs the memory of a failure."""
    with contextlib.suppress(OSError):
        publish.write_whole(folder, name, text)
