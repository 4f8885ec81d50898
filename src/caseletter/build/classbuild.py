"""A class at once: many letters built in parallel, a failing case reported and skipped.

One process drives the whole class. Worker threads each take a case, a warm kernel from the
pool (started ahead, one per case), and run the single-letter recipe; the kernels do the
notebook work in their own processes, pandoc and typst in theirs, so the threads mostly wait.
Cases whose inputs did not change are answered from the cache before any kernel starts. At the
end: a summary table, and ``build/index.html`` linking every letter and its check report.

Who builds the cases left is a parameter: this process's threads by default, or the workers of
a Dask cluster (`build.cluster`); everything before and after is the same for both.
"""

from __future__ import annotations

import functools
import os
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from caseletter.build.options import BuildOptions, BuildResult
from caseletter.build.recipe import build_case
from caseletter.errors import CaseletterError

INDEX_PAGE = "index.html"


@dataclass
class CaseOutcome:
    """One row of the class summary."""

    case_path: Path
    status: str  # built | unchanged | failed
    seconds: float
    result: BuildResult | None = None
    error: str = ""
    shareable: str = ""  # the error as the class index and the build log may show it
    worker: str = ""  # the cluster worker that built it, when a cluster did

    @property
    def error_to_share(self) -> str:
        """The failure's message where others read it: identifiers named by field, not quoted."""
        return self.shareable or self.error


#: Builds the cases that need it: ``run_cases(cases, opts, on_done=...) -> {case: CaseOutcome}``.
RunCases = Callable[..., dict[Path, "CaseOutcome"]]


def expand_cases(paths: list[Path]) -> list[Path]:
    """Case files from the arguments: files as given, folders as every *.yaml / *.yml inside."""
    cases: list[Path] = []
    for path in paths:
        if path.is_dir():
            cases += sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
        else:
            cases.append(path)
    if not cases:
        raise CaseletterError(
            ", ".join(map(str, paths)) or "build",
            "no case files found",
            "Give case files (cases/NAME.yaml) or a folder holding them.",
        )
    return list(dict.fromkeys(cases))


def default_jobs() -> int:
    """One worker per core."""
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def build_class(cases: list[Path], opts: BuildOptions, jobs: int | None = None, on_done=None,
                run_cases: RunCases | None = None) -> list[CaseOutcome]:
    """Build every case; return one outcome per case, in the order given.

    What needs no build is answered here, whoever builds the rest: clashing names are refused,
    unchanged letters and remembered failures come from what earlier builds recorded. Only the
    cases left go to `run_cases`, so a local pool and a cluster answer an unchanged class alike.

    Args:
        cases: case files.
        opts: build options shared by all cases.
        jobs: worker threads of the local pool (default: one per core).
        on_done: called with each `CaseOutcome` as it finishes (for a progress bar).
        run_cases: builds the pending cases, ``run_cases(cases, opts, on_done) -> {case: outcome}``;
            None for this process's pool of threads and warm kernels (`run_pending`).
    """
    opts, outcomes, pending = answer_without_building(cases, opts)
    for outcome in outcomes.values():
        if on_done:
            on_done(outcome)
    if pending:
        run_cases = run_cases or functools.partial(run_pending, jobs=jobs or default_jobs())
        outcomes.update(run_cases(pending, opts, on_done=on_done))
    return [outcomes[c] for c in cases]


def answer_without_building(cases: list[Path], opts: BuildOptions) -> tuple[BuildOptions, dict, list[Path]]:
    """The options for these cases, the outcomes known without a build, and the cases left to build.

    A class (more than one case) remembers its failures, since its roster needs every case's state.
    """
    from caseletter.build.cache import is_up_to_date
    from caseletter.build.publish import prepare_out_root

    prepare_out_root(opts.out_root)
    if len(cases) > 1:
        opts = BuildOptions(**{**opts.__dict__, "remember_failures": True})
    key = opts.cache_key()
    outcomes = {case: CaseOutcome(case, "failed", 0.0, error=why) for case, why in clashing_names(cases, opts).items()}
    candidates = [c for c in cases if c not in outcomes]
    pending = [c for c in candidates if opts.force or not is_up_to_date(opts.out_dir(c), c, key, opts.formats)]
    outcomes.update({
        c: CaseOutcome(c, "unchanged", 0.0, BuildResult(c, opts.out_dir(c), status="unchanged"))
        for c in candidates
        if c not in pending
    })
    outcomes.update(remembered_failures(pending, opts))  # failed before, unchanged since: no kernel for them
    return opts, outcomes, [c for c in pending if c not in outcomes]


def remembered_failures(cases: list[Path], opts: BuildOptions) -> dict[Path, CaseOutcome]:
    """The cases whose last build failed on the very inputs they have now, with that failure."""
    from caseletter.build.failures import remembered_failure

    if opts.force:
        return {}
    found = {}
    for case in cases:
        error = remembered_failure(opts.out_dir(case), case, opts)
        if error is not None:
            found[case] = CaseOutcome(case, "failed", 0.0, error=error.message, shareable=error.shareable)
    return found


def clashing_names(cases: list[Path], opts: BuildOptions) -> dict[Path, str]:
    """The cases that cannot have their own output folder, and why: a name shared, or the index's.

    Two case files of one name (``a/case.yaml`` and ``b/case.yaml``, ``x.yaml`` and ``x.yml``)
    would write the same folder; a case named ``index.html`` would take the class index's place.
    """
    by_folder: dict[Path, list[Path]] = {}
    for case in cases:
        by_folder.setdefault(opts.out_dir(case), []).append(case)
    refused = {}
    for folder, named in by_folder.items():
        if folder.name == INDEX_PAGE:
            refused[named[0]] = (
                f"{named[0]}: its letter would go to {folder}, the name of the class index page. Rename the case file."
            )
        elif len(named) > 1:
            for case in named:
                others = ", ".join(str(c) for c in named if c != case)
                refused[case] = (
                    f"{case}: {others} has the same name, and both letters would go to {folder}. "
                    "Rename one of the case files, or build them into different --out folders."
                )
    return refused


def run_pending(cases: list[Path], opts: BuildOptions, on_done=None, jobs: int = 1) -> dict[Path, CaseOutcome]:
    """Build the cases that need it on `jobs` threads of this process, one warm kernel per case."""
    from caseletter.build.kernels import KernelPool

    # Kernels work in this folder, like the build: the case's path means the same to both.
    pool = KernelPool(total=len(cases), size=min(jobs, len(cases)), cwd=Path.cwd())
    preload_build_modules()
    forced = BuildOptions(**{**opts.__dict__, "force": True})  # the cache was consulted above
    outcomes: dict[Path, CaseOutcome] = {}
    workers = ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="caseletter-build")
    try:
        futures = [workers.submit(build_one, case, forced, pool.take) for case in cases]
        for future in as_completed(futures):
            outcome = future.result()
            outcomes[outcome.case_path] = outcome
            if on_done:
                on_done(outcome)
    except KeyboardInterrupt:
        # Stop at once: queued cases never start, and killing the kernels makes the running
        # ones fail before they publish, so every letter in build/ stays whole.
        workers.shutdown(wait=False, cancel_futures=True)
        pool.kill_all()
        workers.shutdown(wait=True)
        raise
    finally:
        workers.shutdown(wait=True)
        pool.close()
    return outcomes


def preload_build_modules() -> None:
    """Import everything the workers use before they start, on this one thread.

    CPython 3.11 keeps one AST recursion counter per interpreter, so two threads building
    ASTs at once (which class creation can do through ``inspect.signature``) may corrupt it
    (python/cpython#106905). Importing up front leaves the workers nothing to define.
    """
    import nbformat  # noqa: F401
    import papermill  # noqa: F401
    import papermill.translators  # noqa: F401

    import caseletter.build.execute  # noqa: F401
    import caseletter.case.source  # noqa: F401
    import caseletter.checks.report  # noqa: F401
    import caseletter.checks.run  # noqa: F401
    import caseletter.letter.exporters  # noqa: F401


def build_one(case: Path, opts: BuildOptions, take_kernel) -> CaseOutcome:
    """One case of the class; its failure is recorded, never raised."""
    start = time.perf_counter()
    try:
        result = build_case(case, opts, take_kernel)
    except CaseletterError as exc:
        return CaseOutcome(case, "failed", time.perf_counter() - start, error=exc.message, shareable=exc.shareable)
    except Exception as exc:  # a bug in one case must not stop the class
        return CaseOutcome(
            case, "failed", time.perf_counter() - start,
            error=f"{case}: internal error {exc.__class__.__name__}: {exc}. Report it with the case file.",
        )
    finally:
        from caseletter.build.execute import close_thread_event_loop

        close_thread_event_loop()
    return CaseOutcome(case, result.status, time.perf_counter() - start, result)
