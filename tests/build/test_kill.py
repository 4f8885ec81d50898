"""Kernels die with their build: kill -9 or SIGTERM on a class build leaves no kernel running."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import pytest

from caseletter.teaching.sampleclass import make_class


def kit_processes(exclude: set[int]) -> set[int]:
    """Pids of the kit's zygote and kernels, except those given."""
    pattern = r"caseletter(\.build)?\.zygote|ipykernel_launcher"
    found = subprocess.run(["pgrep", "-f", pattern], capture_output=True, text=True, check=False)
    return {int(pid) for pid in found.stdout.split()} - exclude


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM], ids=["kill_9", "sigterm"])
def test_killing_a_class_build_leaves_no_kernel(sig, tmp_path):
    before = kit_processes(set())
    cases = make_class(tmp_path / "cases", 4)
    command = [sys.executable, "-m", "caseletter", "build", *map(str, cases), "--out", str(tmp_path / "out"), "-j", "2"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while len(kit_processes(before)) < 2 and time.monotonic() < deadline:  # the zygote and a kernel
        time.sleep(0.1)
    started = kit_processes(before)
    assert len(started) >= 2, "no kernel started"
    process.send_signal(sig)
    process.wait(timeout=60)
    deadline = time.monotonic() + 20
    while kit_processes(before) & started and time.monotonic() < deadline:
        time.sleep(0.2)
    left = kit_processes(before) & started
    for pid in left:  # leave the machine clean whatever the verdict
        subprocess.run(["kill", "-9", str(pid)], check=False)
    assert not left, f"still running after the build died: {sorted(left)}"
