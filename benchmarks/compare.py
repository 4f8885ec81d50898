"""The kit at another commit beside the kit as it stands, timed in one run.

    make bench-compare REF=3eedadd              # or: .venv/bin/python benchmarks/compare.py 3eedadd

A change that should not make the kit slower (a refactoring, say) is measured against the
commit before it: the same machine, the same moment, the same environment. The other commit is
checked out in a temporary git worktree and run with its own sources first on ``PYTHONPATH``
(the kernels and the zygote inherit it); the two are timed turn about, so a busy spell of the
machine falls on both. Measured: one letter cold (nothing cached), one letter unchanged (a
cache hit), a class of generated cases cold and unchanged, and ``caseletter --help``. Medians
of ``--runs``; the table goes to stdout and to benchmarks/comparison.md.
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
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "cases" / "sts-calcinosis.yaml"
# The same entry point at every commit: `caseletter.cli.main` was a module and is now a package.
CLI = [sys.executable, "-c", "import sys; from caseletter.cli import main; sys.exit(main())"]


class Kit:
    """One version of the kit: its sources, and how to run its command."""

    def __init__(self, label: str, src: Path | None) -> None:
        self.label = label
        self.env = dict(os.environ)
        if src is not None:
            self.env["PYTHONPATH"] = str(src)

    def run(self, *args: str | Path) -> None:
        """Run ``caseletter ARGS``; fail loudly, since a timing of a failing command means nothing."""
        done = subprocess.run([*CLI, *map(str, args)], env=self.env, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise SystemExit(f"{self.label}: caseletter {' '.join(map(str, args))} failed\n{done.stderr[-2000:]}")


def worktree(ref: str, scratch: Path) -> Path:
    """A checkout of `ref` in a temporary git worktree."""
    path = scratch / "other"
    command = ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(path), ref]
    subprocess.run(command, check=True, capture_output=True)
    return path


def turn_about(runs: int, kits: list[Kit], work: Callable[[Kit], None]) -> dict[str, float]:
    """The median seconds of `work` for each kit, the kits taking turns."""
    times: dict[str, list[float]] = {kit.label: [] for kit in kits}
    for _ in range(runs):
        for kit in kits:
            start = time.perf_counter()
            work(kit)
            times[kit.label].append(time.perf_counter() - start)
    return {label: statistics.median(values) for label, values in times.items()}


def measure(kits: list[Kit], runs: int, class_size: int, scratch: Path) -> dict[str, dict[str, float]]:
    """Every row of the table: measurement → kit → median seconds."""
    from caseletter.teaching.sampleclass import make_class

    cases = make_class(scratch / "class" / "cases", class_size)

    def fresh() -> str:
        return tempfile.mkdtemp(dir=scratch)  # a new output folder: nothing cached

    warm = {kit.label: fresh() for kit in kits}
    class_warm = {kit.label: fresh() for kit in kits}
    for kit in kits:
        kit.run("build", EXAMPLE, "--out", warm[kit.label])
        kit.run("build", *cases, "--out", class_warm[kit.label])
    return {
        "one letter, cold": turn_about(runs, kits, lambda k: k.run("build", EXAMPLE, "--out", fresh(), "--force")),
        "one letter, unchanged": turn_about(runs, kits, lambda k: k.run("build", EXAMPLE, "--out", warm[k.label])),
        f"class of {class_size}, cold": turn_about(runs, kits, lambda k: k.run("build", *cases, "--out", fresh())),
        f"class of {class_size}, unchanged": turn_about(
            runs, kits, lambda k: k.run("build", *cases, "--out", class_warm[k.label])
        ),
        "caseletter --help": turn_about(runs, kits, lambda k: k.run("--help")),
    }


def table(figures: dict[str, dict[str, float]], kits: list[Kit], runs: int) -> str:
    """The medians side by side, and the ratio of this tree to the other commit."""
    now, other = kits[0].label, kits[1].label
    lines = [
        f"Comparison of {time.strftime('%Y-%m-%d')}: {os.cpu_count()} cores, {platform.python_implementation()} "
        f"{platform.python_version()}, median of {runs} runs each, the two taking turns.",
        "",
        f"| measurement | {other} (s) | {now} (s) | ratio |",
        "|---|---:|---:|---:|",
    ]
    for name, medians in figures.items():
        lines.append(f"| {name} | {medians[other]:.2f} | {medians[now]:.2f} | {medians[now] / medians[other]:.2f} |")
    lines += ["", "Command: `make bench-compare REF=<commit>` (or `.venv/bin/python benchmarks/compare.py <commit>`)."]
    return "\n".join(lines) + "\n"


def main() -> None:
    """Time the working tree against `ref` and write benchmarks/comparison.md."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("ref", help="the commit to compare with (e.g. the one before a change)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--class-size", type=int, default=30)
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="caseletter-compare-"))
    try:
        other = worktree(args.ref, scratch)
        kits = [Kit("this tree", None), Kit(args.ref, other / "src")]
        figures = measure(kits, args.runs, args.class_size, scratch)
    finally:
        remove = ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(scratch / "other")]
        subprocess.run(remove, capture_output=True)
        shutil.rmtree(scratch, ignore_errors=True)
    text = table(figures, kits, args.runs)
    (ROOT / "benchmarks" / "comparison.md").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
