"""The command line takes options anywhere, as people type them, and says its version."""

from __future__ import annotations

import subprocess
import sys

from caseletter import __version__
from helpers import ROOT, run_cli

BIB = ROOT / "references.bib"


def test_an_option_between_positionals_is_read_like_one_before_them():
    before = run_cli("refs", "--style", "cutis", BIB, "mageau2017", "gutierrez2012")
    between = run_cli("refs", BIB, "--style", "cutis", "mageau2017", "gutierrez2012")
    after = run_cli("refs", BIB, "mageau2017", "gutierrez2012", "--style", "cutis")
    assert before.status == between.status == after.status == 0, between.err
    assert before.out == between.out == after.out
    assert before.out.startswith("1. Mageau A") and "\n2. Gutierrez A Jr" in before.out


def test_an_unknown_option_is_still_refused_with_exit_2():
    command = [sys.executable, "-m", "caseletter", "refs", str(BIB), "--styel", "cutis", "mageau2017"]
    done = subprocess.run(command, capture_output=True, text=True)
    assert done.returncode == 2 and "--styel" in done.stderr and "Traceback" not in done.stderr


def test_the_version_from_the_command_and_from_python_m():
    done = subprocess.run([sys.executable, "-m", "caseletter", "--version"], capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.strip() == f"caseletter {__version__}"
