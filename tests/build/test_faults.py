"""Faults during a build: the previous good letter stays as it was, and the log says what happened."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import pathlib
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from caseletter.cli import main
from helpers import ROOT, copy_built_example


@pytest.fixture(scope="module")
def good_build(built_example_copy, tmp_path_factory):
    """The example case copied, built (a copy of the session's build); no later build in this module may spoil it."""
    return copy_built_example(built_example_copy, tmp_path_factory.mktemp("faults"))


def snapshot(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.name.startswith("letter.")
    }


def faulty_notebook(tmp_path: Path, extra_code: str) -> Path:
    """The letter notebook with `extra_code` run right after the discussion is shown."""
    nb = nbformat.read(ROOT / "notebooks" / "letter.ipynb", as_version=4)
    cell = next(c for c in nb.cells if 'letter.show("discussion")' in c.source)
    cell.source += "\n" + extra_code
    path = tmp_path / "letter.ipynb"
    nbformat.write(nb, path)
    return path


def build_fails(case: Path, out: Path, capsys, *extra: str) -> str:
    before = snapshot(out / case.stem)
    status = main(["build", str(case), "--out", str(out), "--force", *extra])
    err = capsys.readouterr().err
    assert status == 2, err
    assert "Traceback" not in err
    assert snapshot(out / case.stem) == before, "a failed build changed the previous letter"
    assert not [p for p in out.iterdir() if p.name.startswith(f".{case.stem}-")], "a staging folder was left behind"
    log = (out / case.stem / "build.log").read_text(encoding="utf-8").splitlines()[-1]
    assert "FAILED" in log and "none of its files was changed" in log
    return " ".join(err.split())


def test_a_cell_that_raises_names_the_section_and_its_fields(good_build, tmp_path, capsys):
    case, out = good_build
    notebook = faulty_notebook(tmp_path, "raise ValueError('simulated failure in the discussion')")
    message = build_fails(case, out, capsys, "--notebook", str(notebook))
    assert "the discussion section (fields: discussion)" in message
    assert "ValueError: simulated failure in the discussion" in message


def test_a_kernel_that_dies(good_build, tmp_path, capsys):
    case, out = good_build
    message = build_fails(case, out, capsys, "--notebook", str(faulty_notebook(tmp_path, "import os; os._exit(1)")))
    assert "kernel died while the letter was being written" in message


def test_a_cell_that_hangs_is_stopped_by_the_timeout(good_build, tmp_path, capsys):
    case, out = good_build
    start = time.monotonic()
    message = build_fails(
        case, out, capsys,
        "--notebook", str(faulty_notebook(tmp_path, "import time; time.sleep(120)")), "--timeout", "3",
    )
    assert "ran longer than 3 s and was stopped" in message
    assert time.monotonic() - start < 60


def test_pandoc_failing(good_build, tmp_path, capsys, monkeypatch):
    case, out = good_build
    fake = tmp_path / "pandoc"
    fake.write_text("#!/bin/sh\necho 'pandoc: simulated failure' >&2\nexit 3\n")
    fake.chmod(0o755)
    monkeypatch.setattr("caseletter.pandoc.pandoc_path", lambda: str(fake))
    message = build_fails(case, out, capsys)
    assert "pandoc failed: pandoc: simulated failure" in message


def test_typst_failing(good_build, capsys, monkeypatch):
    from caseletter.letter import exporters

    case, out = good_build
    monkeypatch.setattr(exporters, "_TYPST_COMPILE", "raise RuntimeError('simulated typst failure')")
    message = build_fails(case, out, capsys)
    assert "typst could not compile the letter: simulated typst failure" in message


def test_a_full_disk(good_build, capsys, monkeypatch):
    real_write = pathlib.Path.write_bytes

    def disk_full(self, data):
        if self.name.startswith("letter.") and self.parent.name.startswith("."):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self))
        return real_write(self, data)

    case, out = good_build
    monkeypatch.setattr(pathlib.Path, "write_bytes", disk_full)
    message = build_fails(case, out, capsys)
    assert "No space left on device" in message and "Check the free disk space" in message


def test_ctrl_c_in_the_middle(good_build, tmp_path):
    case, out = good_build
    before = snapshot(out / case.stem)
    started = tmp_path / "cell-started"
    code = f"import pathlib, time; pathlib.Path({str(started)!r}).touch(); time.sleep(60)"
    notebook = faulty_notebook(tmp_path, code)
    command = [
        sys.executable, "-m", "caseletter", "build", str(case), "--out", str(out), "--force",
        "--notebook", str(notebook),
    ]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120  # a fresh environment builds its caches on the first run
    while not started.exists() and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.1)
    assert started.exists(), "the build never reached the sleeping cell"
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert "Interrupted" in err and "Traceback" not in err
    assert snapshot(out / case.stem) == before
    assert not [p for p in out.iterdir() if p.name.startswith(f".{case.stem}-")]


def test_two_builds_of_one_case_at_once_leave_whole_files(good_build):
    from bs4 import BeautifulSoup
    from docx import Document
    from pypdf import PdfReader

    case, out = good_build
    command = [sys.executable, "-m", "caseletter", "build", str(case), "--out", str(out), "--force"]
    processes = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    for process in processes:
        _, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
    folder = out / case.stem
    assert len(
        BeautifulSoup((folder / "letter.html").read_text(encoding="utf-8"), "html.parser").select("#refs .csl-entry")
    ) == 6
    assert any("To the Editor:" in p.text for p in Document(str(folder / "letter.docx")).paragraphs)
    assert "PRACTICE POINTS" in " ".join(page.extract_text() for page in PdfReader(str(folder / "letter.pdf")).pages)
    assert json.loads((folder / "build.json").read_text(encoding="utf-8"))["inputs"]
    assert not [p for p in out.iterdir() if p.name.startswith(f".{case.stem}-")]
