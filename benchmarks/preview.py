"""How soon an edit shows in `caseletter preview`, against building the HTML letter again by hand.

    make bench                                  # or: .venv/bin/python benchmarks/preview.py --edits 11

From a copy of the example, in one run: the plain path for the HTML letter (papermill, then
`jupyter nbconvert --to html`, one process each), `caseletter build --to html --force` in a new
process, and the preview: `caseletter preview` serving the example to headless Chromium (driven
by Playwright, as in the tests), the case file saved with a new sentence `--edits` times, each
time timed from the save to the page showing that sentence. The preview's own split (detect,
check, execute, render, push) comes from its status page; check and execute run side by side,
so they overlap. Memory is the resident and proportional set size of the server and its kernel
after the edits. Medians; written to stdout and benchmarks/preview_results.md.

Needs the test extras (playwright) and Debian's chromium.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench import run, timed  # noqa: E402
from helpers import copy_example, free_port  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
STAGES = ("detect", "check", "execute", "render", "push")


def plain_html(case: Path, out: Path) -> None:
    """papermill, then nbconvert to HTML: one process each."""
    out.mkdir(parents=True, exist_ok=True)
    run([BIN / "papermill", ROOT / "notebooks" / "letter.ipynb", out / "letter.ipynb", "-p", "case_path",
         str(case.resolve()), "--cwd", case.parent.parent])
    run([BIN / "jupyter", "nbconvert", "--to", "html", out / "letter.ipynb", "--output-dir", out])


def status(base: str) -> dict:
    with urllib.request.urlopen(base + "status", timeout=10) as reply:
        return json.load(reply)


def memory_kb(pid: int) -> tuple[int, int]:
    """(resident, proportional) set size of one process, in kB."""
    rss = int(next(line.split()[1] for line in Path(f"/proc/{pid}/status").read_text().splitlines()
                   if line.startswith("VmRSS:")))
    pss = int(next(line.split()[1] for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
                   if line.startswith("Pss:")))
    return rss, pss


def start_preview(project: Path, case: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = subprocess.Popen(
        [BIN / "caseletter", "preview", str(case.relative_to(project)), "--no-browser", "--port", str(port)],
        cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if status(base)["version"] >= 1:
                return process, base
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("the preview did not build the example within 120 s")


def edit_and_wait(page, case: Path, original: str, n: int) -> float:
    """Save the case with a new sentence; seconds until the page shows it."""
    sentence = f"Edit number {n} of the benchmark."
    text = original.replace("discussion:\n  - >-\n", f"discussion:\n  - >-\n    {sentence}\n", 1)
    start = time.perf_counter()
    case.write_text(text, encoding="utf-8")
    page.wait_for_function(
        "s => document.querySelector('main.letter').textContent.includes(s)", arg=sentence, polling=10, timeout=30_000
    )
    return time.perf_counter() - start


def measure_preview(project: Path, case: Path, edits: int) -> tuple[list[float], dict[str, list[float]], dict]:
    from playwright.sync_api import sync_playwright

    original = case.read_text(encoding="utf-8")
    process, base = start_preview(project, case)
    splits: dict[str, list[float]] = {stage: [] for stage in STAGES}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox"])
            page = browser.new_page()
            page.goto(base)
            page.locator("main.letter").wait_for()
            times = []
            for n in range(edits + 1):
                seconds = edit_and_wait(page, case, original, n)
                time.sleep(0.3)  # the page reports what it shows; let it
                figures = status(base)
                if n == 0:  # the first edit also loads what the first build did not need
                    continue
                times.append(seconds)
                for stage in STAGES:
                    splits[stage].append(figures["timings"].get(stage, float("nan")))
            info = status(base)
            memory = {"server": memory_kb(info["pid"]), "kernel": memory_kb(info["kernel_pid"])}
            browser.close()
    finally:
        process.terminate()
        process.wait(timeout=30)
        case.write_text(original, encoding="utf-8")
    return times, splits, memory


def table(plain: float, build: float, times: list[float], splits: dict[str, list[float]], memory: dict,
          runs: int) -> str:
    save_to_page = statistics.median(times)
    lines = [
        f"Preview benchmark of {time.strftime('%Y-%m-%d')}: {os.cpu_count()} cores, "
        f"{platform.python_implementation()} {platform.python_version()}; medians of {runs} runs for the builds, "
        f"of {len(times)} edits for the preview (the first edit after start is not counted).",
        "",
        "| measurement | median (s) | ratio to the plain path |",
        "|---|---:|---:|",
        f"| plain path, HTML letter (papermill + nbconvert) | {plain:.2f} |  |",
        f"| caseletter build --to html, new process | {build:.2f} | {build / plain:.2f} |",
        f"| caseletter preview, save to page showing the edit | {save_to_page:.2f} | {save_to_page / plain:.2f} |",
        "",
        f"Save to page over {len(times)} edits: min {min(times):.2f} s, max {max(times):.2f} s.",
        "",
        "Where the preview's time goes (medians; check and execute run side by side):",
        "",
        "| stage | median (s) |",
        "|---|---:|",
        *[f"| {stage} | {statistics.median(values):.3f} |" for stage, values in splits.items()],
        "",
        "Memory of the running preview after the edits (kB):",
        "",
        "| process | resident (RSS) | proportional (PSS) |",
        "|---|---:|---:|",
        *[f"| {name} | {rss:,} | {pss:,} |" for name, (rss, pss) in memory.items()],
        f"| both | {sum(r for r, _ in memory.values()):,} | {sum(p for _, p in memory.values()):,} |",
        "",
        "Command: `make bench` (or `.venv/bin/python benchmarks/preview.py --edits N --runs N`).",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--edits", type=int, default=11)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp)
        case = copy_example(project)
        plain = statistics.median(timed(lambda: plain_html(case, project / "plain")) for _ in range(args.runs))
        build = statistics.median(
            timed(lambda: run([BIN / "caseletter", "build", str(case), "--to", "html", "--force", "--out",
                               str(project / "build")], cwd=project))
            for _ in range(args.runs)
        )
        times, splits, memory = measure_preview(project, case, args.edits)
    text = table(plain, build, times, splits, memory, args.runs)
    print(text)
    (ROOT / "benchmarks" / "preview_results.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
