"""Measure caseletter against the plain papermill + nbconvert path, side by side, in one run.

    make bench                                  # or: .venv/bin/python benchmarks/bench.py
    .venv/bin/python benchmarks/bench.py --runs 5 --class-size 30

The plain path is what a user would chain by hand, one process per step, once per case:
papermill, `jupyter nbconvert --to html`, `jupyter nbconvert --to markdown`, pandoc to DOCX,
pandoc to typst and the typst compiler to PDF. The kit's path is `caseletter build`: cold (a new
process, nothing cached), unchanged (a cache hit), and a class of generated cases; the same class
on a Dask cluster of two worker processes on this machine (`--dask`), and an unchanged class of
which some cases fail (answered from the remembered failures). Medians of `--runs` runs
(`--dask-runs` for the cluster's class); the table goes to stdout and to benchmarks/results.md
with the machine's cores. `--new-rows-only` measures the last two (and the local class they are
compared with) and prints them without writing results.md. The full run also times
`caseletter pack` of the case report example, cold and with its letter already built;
`--pack-only` measures just those and prints them.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
EXAMPLE = ROOT / "cases" / "sts-calcinosis.yaml"
REPORT = ROOT / "cases" / "sts-calcinosis-report.yaml"


def run(argv: list[str], cwd: Path | None = None, allowed: tuple[int, ...] = (0,)) -> None:
    """Run one command; fail loudly, since a benchmark of a failing command means nothing."""
    done = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, check=False)
    if done.returncode not in allowed:
        raise SystemExit(f"benchmark step failed: {' '.join(map(str, argv))}\n{done.stderr[-2000:]}")


def timed(work) -> float:
    """Wall seconds of one call."""
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def plain_path(case: Path, out: Path) -> None:
    """The chain a user would type: one process per step."""
    from caseletter.pandoc import pandoc_path

    out.mkdir(parents=True, exist_ok=True)
    nb = out / "letter.ipynb"
    run([
        BIN / "papermill", ROOT / "notebooks" / "letter.ipynb", nb, "-p", "case_path", str(case.resolve()),
        "--cwd", ROOT / "notebooks",
    ])
    run([BIN / "jupyter", "nbconvert", "--to", "html", nb, "--output-dir", out])
    run([BIN / "jupyter", "nbconvert", "--to", "markdown", nb, "--output-dir", out])
    run([pandoc_path(), out / "letter.md", "-o", out / "letter.docx"], cwd=out)
    run([pandoc_path(), out / "letter.md", "-t", "typst", "-s", "-o", out / "letter.typ"], cwd=out)
    run(
        [
            sys.executable, "-c",
            f"import typst; typst.compile({str(out / 'letter.typ')!r}, output={str(out / 'letter.pdf')!r})",
        ],
        cwd=out,
    )


def kit_build(target: Path | list[Path], out: Path, force: bool = True, dask: str | None = None,
              failing: bool = False) -> None:
    """`caseletter build` in a new process; `failing` when some cases of the class fail on purpose."""
    targets = target if isinstance(target, list) else [target]
    argv = [BIN / "caseletter", "build", *map(str, targets), "--out", str(out), *(["--force"] if force else [])]
    run(argv + (["--dask", dask] if dask else []), allowed=(0, 1) if failing else (0,))


def median_of(runs: int, work) -> float:
    """The median wall time of `runs` calls."""
    return statistics.median(timed(work) for _ in range(runs))


def measure(runs: int, class_size: int, scratch: Path, plain_class_runs: int) -> dict[str, float]:
    """Every figure of the table, in seconds."""
    from caseletter.teaching.sampleclass import make_class

    cases = make_class(scratch / "class" / "cases", class_size)
    figures = {}
    figures["plain, one letter"] = median_of(runs, lambda: plain_path(EXAMPLE, Path(tempfile.mkdtemp(dir=scratch))))
    figures["caseletter build, cold"] = median_of(runs, lambda: kit_build(EXAMPLE, Path(tempfile.mkdtemp(dir=scratch))))
    warm_out = Path(tempfile.mkdtemp(dir=scratch))
    kit_build(EXAMPLE, warm_out)
    figures["caseletter build, unchanged"] = median_of(runs, lambda: kit_build(EXAMPLE, warm_out, force=False))
    figures[f"plain, class of {class_size} (loop)"] = median_of(
        plain_class_runs, lambda: [plain_path(c, Path(tempfile.mkdtemp(dir=scratch))) for c in cases]
    )
    figures[f"caseletter build, class of {class_size}"] = median_of(
        runs, lambda: kit_build(cases, Path(tempfile.mkdtemp(dir=scratch)))
    )
    class_out = Path(tempfile.mkdtemp(dir=scratch))
    kit_build(cases, class_out)
    figures[f"caseletter build, class of {class_size}, unchanged"] = median_of(
        runs, lambda: kit_build(cases, class_out, force=False)
    )
    figures["caseletter --help"] = median_of(runs, lambda: run([BIN / "caseletter", "--help"]))
    return figures


def measure_new_rows(runs: int, class_size: int, scratch: Path, dask_runs: int, local_measured: bool) -> dict:
    """The class on a Dask cluster of two worker processes, and an unchanged class with failing cases."""
    from caseletter.teaching.sampleclass import make_class

    cases = make_class(scratch / "class-dask" / "cases", class_size)
    figures = {}
    if not local_measured:  # not measured by the full table: measured here, as often as the cluster's
        figures[f"caseletter build, class of {class_size} (local pool, {dask_runs} runs)"] = median_of(
            dask_runs, lambda: kit_build(cases, Path(tempfile.mkdtemp(dir=scratch)))
        )
    with local_dask_cluster() as address:
        figures[f"caseletter build --dask, class of {class_size} (2 worker processes, {dask_runs} runs)"] = median_of(
            dask_runs, lambda: kit_build(cases, Path(tempfile.mkdtemp(dir=scratch)), dask=address)
        )
    failing = tuple(range(0, class_size, 6))  # one case in six cites a key no .bib holds
    broken = make_class(scratch / "class-failing" / "cases", class_size, broken=failing)
    out = Path(tempfile.mkdtemp(dir=scratch))
    kit_build(broken, out, failing=True)
    figures[f"caseletter build, class of {class_size} with {len(failing)} failing, unchanged"] = median_of(
        runs, lambda: kit_build(broken, out, force=False, failing=True)
    )
    return figures


def measure_pack(runs: int, scratch: Path) -> dict[str, float]:
    """`caseletter pack` of the case report: cold (its letter built first), and with the letter already built."""
    def pack(out: Path) -> None:
        run([BIN / "caseletter", "pack", str(REPORT), "--out", str(out)])

    figures = {"caseletter pack, case report, cold": median_of(runs, lambda: pack(Path(tempfile.mkdtemp(dir=scratch))))}
    built = Path(tempfile.mkdtemp(dir=scratch))
    kit_build(REPORT, built)
    figures["caseletter pack, case report, letter already built"] = median_of(runs, lambda: pack(built))
    return figures


@contextlib.contextmanager
def local_dask_cluster():
    """A Dask cluster of two worker processes of one thread each on this machine; its scheduler's address."""
    import logging

    from distributed import LocalCluster

    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=":0",
                      silence_logs=logging.ERROR) as cluster:
        yield cluster.scheduler_address


def table(figures: dict[str, float], runs: int, class_size: int, plain_class_runs: int) -> str:
    """The results as a Markdown table with the ratios the targets are stated in."""
    one, cls = figures["plain, one letter"], figures[f"plain, class of {class_size} (loop)"]
    ratio = {"caseletter build, cold": one, f"caseletter build, class of {class_size}": cls}
    lines = [
        f"Benchmark of {date()}: {os.cpu_count()} cores, "
        f"{platform.python_implementation()} {platform.python_version()}, "
        f"median of {runs} runs ({plain_class_runs} for the plain class loop).",
        "",
        "| measurement | median (s) | ratio to the plain path |",
        "|---|---:|---:|",
    ]
    for name, seconds in figures.items():
        shown = f"{seconds / ratio[name]:.2f}" if name in ratio else ""
        lines.append(f"| {name} | {seconds:.2f} | {shown} |")
    lines += comparison_notes(figures, class_size)
    lines += ["", "Command: `make bench` (or `.venv/bin/python benchmarks/bench.py --runs N --class-size N`)."]
    return "\n".join(lines) + "\n"


def comparison_notes(figures: dict[str, float], class_size: int) -> list[str]:
    """The cluster's class against the local pool's, and the target of the unchanged class with failures."""
    cluster = next((s for n, s in figures.items() if n.startswith("caseletter build --dask")), None)
    local = next((s for n, s in figures.items() if n == f"caseletter build, class of {class_size}"
                  or n.startswith(f"caseletter build, class of {class_size} (local pool")), None)
    failing = next((s for n, s in figures.items() if "failing, unchanged" in n), None)
    notes = [""]
    if cluster is not None and local:
        notes.append(f"Class of {class_size} on the Dask cluster / on the local pool: {cluster / local:.2f}.")
    if failing is not None:
        notes.append(f"Unchanged class with failing cases: {failing:.2f} s (target: under 1 s, "
                     f"{'met' if failing < 1 else 'NOT met'}).")
    return notes if len(notes) > 1 else []


def date() -> str:
    return time.strftime("%Y-%m-%d")


def main() -> None:
    """Run the benchmark and write benchmarks/results.md."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--class-size", type=int, default=30)
    parser.add_argument(
        "--plain-class-runs", type=int, default=5, help="runs of the plain loop over the class (the slow one)"
    )
    parser.add_argument("--dask-runs", type=int, default=3, help="runs of the class on the Dask cluster")
    parser.add_argument("--pack-only", action="store_true", help="only the pack rows; print them, write nothing")
    parser.add_argument(
        "--new-rows-only", action="store_true",
        help="only the Dask cluster's class and the unchanged class with failures; print them, write nothing",
    )
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="caseletter-bench-"))
    try:
        if args.pack_only:
            figures = measure_pack(args.runs, scratch)
        elif args.new_rows_only:
            figures = measure_new_rows(args.runs, args.class_size, scratch, args.dask_runs, False)
        else:
            figures = measure(args.runs, args.class_size, scratch, args.plain_class_runs)
            figures.update(measure_new_rows(args.runs, args.class_size, scratch, args.dask_runs, True))
            figures.update(measure_pack(args.runs, scratch))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if args.new_rows_only or args.pack_only:
        print("\n".join(f"| {name} | {seconds:.2f} |" for name, seconds in figures.items()))
        print("\n".join(comparison_notes(figures, args.class_size)))
        return
    text = table(figures, args.runs, args.class_size, args.plain_class_runs)
    (ROOT / "benchmarks" / "results.md").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
