"""One case kept built for the preview: a kernel kept warm between saves, the last good letter, the check.

A save starts `PreviewSession.rebuild`: the case is read and checked, the letter notebook runs
on the session's own kernel (started once, warmed, and kept: unlike a class build, it only ever
sees this one case), and the HTML exporter writes the page. A bad edit (a YAML error, an
unreadable regimen, an unknown citation key) never blanks the page: the snapshot keeps the last
good letter and carries the error's one paragraph beside it, and the next good save recovers.
Nothing is written to ``build/``: DOCX and PDF of the current state are exported on demand into
the session's own temporary folder, which is removed when the preview stops.
"""

from __future__ import annotations

import asyncio
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from caseletter.errors import CaseletterError, ExportError

DOWNLOADS = ("docx", "pdf")


@dataclass(frozen=True)
class Snapshot:
    """What the page shows after one rebuild.

    ``letter`` is the last good letter's HTML (None until one was built); ``error`` the paragraph
    of the rebuild that failed, shown over that letter; ``findings`` the check's findings of the
    case as last read; ``timings`` seconds per stage of this rebuild.
    """

    version: int
    letter: str | None = None
    error: str | None = None
    findings: tuple[Any, ...] = ()
    status: str = ""
    timings: dict[str, float] = field(default_factory=dict)


class PreviewSession:
    """The preview's state for one case file; `rebuild` and `export` are safe to call from threads.

    Args:
        case_path: the case file, as the user typed it.
        journal: a journal style overriding the case's, or None.
        cell_timeout: seconds a notebook cell may run.
    """

    def __init__(self, case_path: Path, journal: str | None = None, cell_timeout: float = 300) -> None:
        self.case_path = case_path
        self.journal = journal
        self.cell_timeout = cell_timeout
        self.folder = Path(tempfile.mkdtemp(prefix="caseletter-preview-"))
        self.inputs: list[Path] = [case_path]
        self.snapshot = Snapshot(0)
        self.notebook: Any = None  # the last good executed notebook, for DOCX and PDF on demand
        self.identifiers = 0  # identifiers found in the last good letter's case
        self.kernel: Any = None
        self.lock = threading.Lock()
        self.closed = False

    def rebuild(self, saved_at: float | None = None) -> Snapshot:
        """Read, check, execute and render the case once more; never raises for a bad case.

        Args:
            saved_at: when the edit that asked for this rebuild was saved (a ``time.time()``),
                to report how long noticing it took.
        """
        with self.lock:
            timings: dict[str, float] = {}
            if saved_at is not None:
                timings["detect"] = max(0.0, time.time() - saved_at)
            try:
                letter, findings, status = self._build(timings)
                error = None
            except CaseletterError as exc:
                letter, error = self.snapshot.letter, exc.message
                findings, status = getattr(exc, "findings", self.snapshot.findings), "failed"
            except Exception as exc:  # a bug must not stop the preview; the page says what happened
                letter, findings, status = self.snapshot.letter, self.snapshot.findings, "failed"
                error = f"{self.case_path}: the preview failed with {exc.__class__.__name__}: {exc}. Report it."
            self.snapshot = Snapshot(self.snapshot.version + 1, letter, error, tuple(findings), status, timings)
            return self.snapshot

    def _build(self, timings: dict[str, float]) -> tuple[str, list[Any], str]:
        """Check the case while the kernel writes the letter from the same text (two processes, side by side)."""
        from concurrent.futures import ThreadPoolExecutor

        from caseletter.build.recipe import export_body, timed
        from caseletter.case.source import read_case_text

        text = read_case_text(self.case_path)
        kernel = self._warm_kernel()
        with ThreadPoolExecutor(max_workers=1) as executor:
            execution = executor.submit(timed, timings, "execute", execute_on_thread, text, self.journal, kernel,
                                        self.cell_timeout)
            try:
                report = timed(timings, "check", self._check, text)
            finally:
                notebook, failure = outcome(execution)
        if report.blocking:
            first = report.blocking[0]
            raise with_findings(CaseletterError(f"{self.case_path}, {first.field}", first.message, first.suggestion),
                                report)
        if failure is not None:
            self._replace_kernel_if_dead()
            raise with_findings(failure, report)
        letter = timed(timings, "render", export_body, notebook, "html")
        self.notebook, self.identifiers = notebook, len(report.identifiers)
        return letter, report.findings, report.status

    def _check(self, text: Any) -> Any:
        """The check of the case as read; the inputs to watch follow what it names."""
        from caseletter.build.cache import letter_inputs
        from caseletter.case.source import read_case_source
        from caseletter.checks.run import run_checks

        source = read_case_source(text.path, text.text)
        self.inputs = letter_inputs(source, self.journal or source.case.journal)
        return run_checks(source, self.journal)

    def export(self, fmt: str) -> Path:
        """The DOCX or PDF of the last good letter, written into the session's folder.

        Raises:
            ExportError: no letter was built yet, or the case holds identifiers (a file is
                easily sent on; the page is not).
        """
        with self.lock:
            notebook, identifiers = self.notebook, self.identifiers
        if notebook is None:
            raise ExportError(str(self.case_path), "no letter has been built yet", "Fix the error shown in the page.")
        if identifiers:
            raise ExportError(
                str(self.case_path), f"the case holds {identifiers} possible identifier(s)",
                "Remove them (the panel lists each with its field), then download again.",
            )
        import copy

        from caseletter.build.redact import publishable_notebook

        target = self.folder / f"{self.case_path.stem}.{fmt}"
        partial = target.with_suffix(f".{fmt}.part")
        # As a build's files do, the file names nothing of this machine (paths relative, no clock stamps).
        shareable = publishable_notebook(copy.deepcopy(notebook), self.folder, self.case_path)
        partial.write_bytes(export_bytes(shareable, fmt))
        partial.replace(target)
        return target

    def kernel_pid(self) -> int | None:
        """The process id of the session's kernel, while it runs."""
        process = getattr(getattr(getattr(self.kernel, "manager", None), "provisioner", None), "process", None)
        return getattr(process, "pid", None)

    def close(self) -> None:
        """Stop the kernel and remove the session's folder."""
        self.closed = True
        if self.kernel is not None:
            self.kernel.discard()
            self.kernel = None
        shutil.rmtree(self.folder, ignore_errors=True)

    def _warm_kernel(self) -> Any:
        """The session's kernel, started (on a thread of its own, whatever loop the caller runs) when missing."""
        from concurrent.futures import ThreadPoolExecutor

        from caseletter.build.kernels import start_warm_kernel

        if self.closed:  # a rebuild that began as the preview stopped must not start a kernel nobody stops
            raise CaseletterError(str(self.case_path), "the preview has stopped")
        if self.kernel is None:
            with ThreadPoolExecutor(max_workers=1) as starter:
                self.kernel = starter.submit(asyncio.run, start_warm_kernel("python3", Path.cwd())).result()
        return self.kernel

    def _replace_kernel_if_dead(self) -> None:
        process = getattr(self.kernel.manager.provisioner, "process", None) if self.kernel else None
        if process is not None and process.poll() is not None:
            self.kernel.discard()
            self.kernel = None


def execute_on_thread(*args: Any) -> Any:
    """Run the letter notebook, then close the event loop papermill's client left on this thread."""
    from caseletter.build.execute import close_thread_event_loop, execute_letter

    try:
        return execute_letter(*args)
    finally:
        close_thread_event_loop()


def outcome(future: Any) -> tuple[Any, CaseletterError | None]:
    """A finished execution's notebook, or the kit's error it ended with."""
    try:
        return future.result(), None
    except CaseletterError as exc:
        return None, exc


def with_findings(error: CaseletterError, report: Any) -> CaseletterError:
    """The error, carrying the check's findings for the panel."""
    error.findings = report.findings
    return error


def export_bytes(notebook: Any, fmt: str) -> bytes:
    """A binary format (DOCX, PDF) of the letter."""
    from caseletter.build.recipe import export_body

    body = export_body(notebook, fmt)
    return body if isinstance(body, bytes) else body.encode("utf-8")


class Rebuilder:
    """One thread that rebuilds whenever asked; a burst of requests becomes one rebuild.

    Requests that arrive while a rebuild runs are answered by a single rebuild after it,
    which reads the case as it is then.
    """

    def __init__(self, session: PreviewSession, published: Callable[[Snapshot], None]) -> None:
        self.session = session
        self.published = published
        self.wake = threading.Event()
        self.saved_at: float | None = None
        self.stopped = False
        self.thread = threading.Thread(target=self._run, daemon=True, name="caseletter-preview")

    def start(self) -> None:
        """Build the case once now, then wait for requests."""
        self.wake.set()
        self.thread.start()

    def request(self, saved_at: float | None = None) -> None:
        """Ask for a rebuild; `saved_at` is when the earliest unseen edit was saved."""
        if saved_at is not None and (self.saved_at is None or saved_at < self.saved_at):
            self.saved_at = saved_at
        self.wake.set()

    def stop(self) -> None:
        """Let the thread end after the rebuild it is in, if any."""
        self.stopped = True
        self.wake.set()

    def _run(self) -> None:
        while True:
            self.wake.wait()
            self.wake.clear()
            if self.stopped:
                return
            saved_at, self.saved_at = self.saved_at, None
            snapshot = self.session.rebuild(saved_at)
            if self.stopped:
                return
            self.published(snapshot)
