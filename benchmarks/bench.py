"""Measure caseletter against the plain papermill + nbconvert path, side by side, in one run.

    make bench                                  # or: .venv/bin/python benchmarks/bench.py
    .venv/bin/python benchmarks/bench.py --runs 5 --class-size 30

The plain path is what a user would chain by hand, one process per step, once per case:
papermill, `jupyter nbconvert --to html`, `jupyter nbconvert --to markdown`, pandoc to DOCX,
pandoc to typst and the typst compiler to PDF. The kit's path is `caseletter build`: cold (a new
process, nothing cached), unchanged (a cache hit), and a class of generated cases. Medians of
`--runs` runs; the table goes to stdout and to benchmarks/results.md with the machine's cores.
"""

from __future__ import annotations

import argparse
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


def run(argv: list[str], cwd: Path | None = None) -> None:
    """Run one command; fail loudly, since a benchmark of a failing command means nothing."""
    done = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
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


def kit_build(target: Path | list[Path], out: Path, force: bool = True) -> None:
    """`caseletter build` in a new process."""
    targets = target if isinstance(target, list) else [target]
    run([BIN / "caseletter", "build", *map(str, targets), "--out", str(out), *(["--force"] if force else [])])


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
    lines += ["", "Command: `make bench` (or `.venv/bin/python benchmarks/bench.py --runs N --class-size N`)."]
    return "\n".join(lines) + "\n"


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
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="caseletter-bench-"))
    try:
        figures = measure(args.runs, args.class_size, scratch, args.plain_class_runs)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    text = table(figures, args.runs, args.class_size, args.plain_class_runs)
    (ROOT / "benchmarks" / "results.md").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
