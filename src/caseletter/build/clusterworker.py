"""What runs on a Dask worker: a case's letter built from the inputs the client sent, on a warm kernel.

Each worker process holds one `WorkerLetters`, set up by `LetterWorkerPlugin` when the client
registers it: a folder of its own and, from its first case on, a pool of warm kernels (forked
from a warm zygote, as a local class build's are) that stays warm for the next case and the next
build; the plugin's teardown stops them when the worker closes. Each case still gets a kernel of
its own, discarded after it, so nothing of one case reaches the next.

A worker builds one case at a time, with its copy of the client's working folder as the whole
process's working folder while the case builds: the case's path as typed, its figures and the
letter's folder then mean on the worker what they meant on the client, and the files it writes
name nothing but relative paths, as a local build's do.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from distributed import WorkerPlugin, get_worker

from caseletter.build.classbuild import build_one, preload_build_modules
from caseletter.build.options import BuildOptions
from caseletter.build.shipping import JOURNALS_VARIABLE, clear_folder, lay_out, read_folder, unplaced

PLUGIN_NAME = "caseletter-letters"


class LetterWorkerPlugin(WorkerPlugin):
    """Gives each worker its `WorkerLetters` on setup and stops its kernels on teardown.

    Registering it again (the next build on the same cluster) changes nothing, so the kernels
    a worker keeps warm serve every build sent to it.
    """

    name = PLUGIN_NAME
    idempotent = True

    def setup(self, worker: Any) -> None:
        """Make the worker's folder; the kernels wait for the first case."""
        self.letters = WorkerLetters()

    def teardown(self, worker: Any) -> None:
        """Stop the worker's kernels and remove its folder."""
        letters = getattr(self, "letters", None)
        if letters is not None:
            letters.close()


class WorkerLetters:
    """One worker process's folder, warm kernels and the names of the cases it built."""

    def __init__(self) -> None:
        self.lock = threading.Lock()  # one case at a time: the working folder is the process's
        self.folder = Path(tempfile.mkdtemp(prefix="caseletter-worker-"))
        self.pools: dict[Path, Any] = {}
        self.built: list[str] = []

    def pool_for(self, cwd: Path) -> Any:
        """The warm kernels working in `cwd`, started at the first case that needs them."""
        from caseletter.build.kernels import KernelPool

        if cwd not in self.pools:
            preload_build_modules()
            # As many kernels as cases come: one is kept warm ahead of the next case.
            self.pools[cwd] = KernelPool(total=sys.maxsize, size=1, cwd=cwd)
        return self.pools[cwd]

    def build(self, wire: dict[str, Any], worker: str) -> dict[str, Any]:
        """Lay the inputs out, build the case there, and return what it built, as `reply` says."""
        with self.lock:
            root = self.folder / "project"
            cwd = root / wire["cwd"]
            clear_folder(root, keep=cwd)
            lay_out(wire, root)
            case = unplaced(wire["case"], root)
            opts = worker_options(wire, root)
            with working_folder(cwd), journals_folder(wire, root):
                outcome = build_one(case, opts, self.pool_for(cwd).take)
                files = read_folder(opts.out_dir(case))
            self.built.append(case.stem)
        return reply(outcome, files, root, worker)

    def close(self) -> None:
        """Stop every kernel and zygote, and remove the folder."""
        for pool in self.pools.values():
            pool.close()
        shutil.rmtree(self.folder, ignore_errors=True)


def worker_options(wire: dict[str, Any], root: Path) -> BuildOptions:
    """The client's build options, with paths in the worker's copy; always a build (the client asked its cache)."""
    options = wire["options"]
    return BuildOptions(
        unplaced(wire["out_root"], root), tuple(options["formats"]), options["journal"],
        options["allow_identifiers"], True, options["cell_timeout"],
        unplaced(wire["notebook"], root) if wire["notebook"] else None, options["remember_failures"],
    )


def reply(outcome: Any, files: dict[str, bytes], root: Path, worker: str) -> dict[str, Any]:
    """The outcome as the client rebuilds it, the built folder's files, and where it was built."""
    result = outcome.result
    counts = {}
    if result is not None:
        counts = {
            "timings": result.timings, "log": result.log, "words": result.words,
            "references": result.references, "findings": result.findings, "journal": result.journal,
        }
    return {
        "status": outcome.status, "seconds": outcome.seconds, "error": outcome.error, "shareable": outcome.shareable,
        "result": counts, "files": files, "root": str(root), "worker": worker,
    }


@contextlib.contextmanager
def working_folder(folder: Path) -> Iterator[None]:
    """Work in `folder` while the block runs, then where the worker was."""
    before = os.getcwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(before)


@contextlib.contextmanager
def journals_folder(wire: dict[str, Any], root: Path) -> Iterator[None]:
    """The client's CASELETTER_JOURNALS, in the worker's copy, while the block runs."""
    before = os.environ.get(JOURNALS_VARIABLE)
    if wire["journals"]:
        os.environ[JOURNALS_VARIABLE] = str(unplaced(wire["journals"], root))
    else:
        os.environ.pop(JOURNALS_VARIABLE, None)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(JOURNALS_VARIABLE, None)
        else:
            os.environ[JOURNALS_VARIABLE] = before


def build_on_worker(wire: dict[str, Any]) -> dict[str, Any]:
    """The task the client submits: build one case on this worker (see `WorkerLetters.build`)."""
    worker = get_worker()
    plugin = worker.plugins.get(PLUGIN_NAME)
    if plugin is None:
        raise RuntimeError("this worker has no caseletter plugin; the client registers it before building")
    return plugin.letters.build(wire, worker.address)


def kit_version() -> str:
    """The caseletter version this process runs (asked of every worker before a build)."""
    from caseletter import __version__

    return __version__


def cases_built_here(dask_worker: Any = None) -> dict[str, Any]:
    """What this worker built and how many kernel pools it keeps (for tests and for curious operators).

    ``client.run(cases_built_here)`` asks every worker; Dask passes the worker as `dask_worker`.
    """
    plugin = (dask_worker or get_worker()).plugins.get(PLUGIN_NAME)
    letters = getattr(plugin, "letters", None)
    if letters is None:
        return {"pid": os.getpid(), "built": [], "pools": 0}
    return {"pid": os.getpid(), "built": list(letters.built), "pools": len(letters.pools)}
