"""What a build leaves in build/: only what was checked, no trace of the machine, nothing stale or lost."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import zipfile

import nbformat
import pytest

from caseletter.build import publish
from helpers import ROOT, copy_built_example, copy_example, run_cli


def letter_with_first_cell(tmp_path, code: str):
    """The letter notebook with `code` run before the letter is opened."""
    nb = nbformat.read(ROOT / "notebooks" / "letter.ipynb", as_version=4)
    index = next(i for i, c in enumerate(nb.cells) if "open_letter(" in c.source)
    nb.cells.insert(index, nbformat.v4.new_code_cell(code))
    path = tmp_path / "variant.ipynb"
    nbformat.write(nb, path)
    return path


def test_saving_the_case_during_a_build_cannot_put_unchecked_text_in_the_letter(tmp_path):
    case = copy_example(tmp_path)
    leak = " She was first seen at Mercy General Hospital on March 3, 2021."
    save = (
        "import pathlib\np = pathlib.Path(case_path)\n"
        f"p.write_text(p.read_text().replace('presentation: ', 'presentation: {leak.strip()} ', 1))"
    )
    run = run_cli("build", case, "--out", tmp_path / "out", "--to", "html",
                  "--notebook", letter_with_first_cell(tmp_path, save))
    assert run.status == 0, run.err
    assert "Mercy General" in case.read_text(encoding="utf-8")  # the save happened, mid-build
    html = (tmp_path / "out" / case.stem / "letter.html").read_text(encoding="utf-8")
    assert "Mercy General" not in html  # the letter is the text that was checked
    assert run_cli("build", case, "--out", tmp_path / "out").status == 2  # and the next build refuses it


@pytest.fixture(scope="module")
def absolute_build(tmp_path_factory):
    """The example built with absolute paths on the command line, from another working folder."""
    root = tmp_path_factory.mktemp("paths")
    case = copy_example(root)
    elsewhere = root / "elsewhere"
    elsewhere.mkdir()
    command = [sys.executable, "-m", "caseletter", "build", str(case.resolve()), "--out", str((root / "out").resolve())]
    done = subprocess.run(command, cwd=elsewhere, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return root, root / "out" / case.stem


def test_outputs_carry_no_absolute_path_user_or_build_time(absolute_build):
    root, folder = absolute_build
    node = os.uname().nodename
    machine = [str(root.resolve()), os.path.expanduser("~"), *([node] if len(node) > 3 else [])]
    today = time.strftime("%Y-%m-%d")
    for name in ("letter.ipynb", "build.json", "build.log", "letter.html", "check.html"):
        # The journal profile's own dates (when its limits were read) are the case's content, not the build's.
        text = re.sub(r"read on \d{4}-\d{2}-\d{2}", "", (folder / name).read_text(encoding="utf-8"))
        assert not [m for m in machine if m and m in text], name
        assert today not in text, name
    with zipfile.ZipFile(folder / "letter.docx") as docx:
        parts = {name: docx.read(name).decode("utf-8", "replace") for name in docx.namelist() if name.endswith(".xml")}
    assert not [n for n, text in parts.items() if today in text or any(m in text for m in machine if m)]
    assert "Microsoft" not in parts["docProps/app.xml"] and "<TotalTime>" not in parts["docProps/app.xml"]


def test_the_saved_notebook_still_names_its_case_relative_to_the_letter(absolute_build):
    _, folder = absolute_build
    nb = nbformat.read(folder / "letter.ipynb", as_version=4)
    injected = next(c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", []))
    path = re.search(r'case_path = "([^"]+)"', injected.source).group(1)
    assert not os.path.isabs(path) and os.path.isfile(os.path.normpath(os.path.join(folder, path)))


def test_two_cases_with_one_name_do_not_overwrite_each_other(tmp_path):
    first, second = copy_example(tmp_path / "a"), copy_example(tmp_path / "b")
    run = run_cli("build", first, second, "--out", tmp_path / "out", "--to", "html")
    assert run.status == 1  # a class with a failed case
    message = " ".join((run.out + run.err).split())
    assert str(first) in message and str(second) in message and "same name" in message
    alone = run_cli("build", first, "--out", tmp_path / "out", "--to", "html")
    assert alone.status == 0
    other = run_cli("build", second, "--out", tmp_path / "out", "--to", "html")
    assert other.status == 2 and "was built from" in " ".join(other.err.split())


def test_a_case_yaml_and_a_case_yml_in_one_folder_are_told_apart(tmp_path):
    case = copy_example(tmp_path)
    twin = case.with_suffix(".yml")
    twin.write_bytes(case.read_bytes())
    run = run_cli("build", case.parent, "--out", tmp_path / "out", "--to", "html")
    assert run.status == 1 and "same name" in " ".join((run.out + run.err).split())


def test_a_narrower_build_removes_the_formats_it_did_not_make(built_example_copy, tmp_path):
    case, out = copy_built_example(built_example_copy, tmp_path)  # built in every format
    assert run_cli("build", case, "--out", out, "--to", "html", "--force").status == 0
    assert sorted(p.name for p in (out / case.stem).glob("letter.*")) == ["letter.html", "letter.ipynb"]
    second = case.with_name("second.yaml")
    second.write_bytes(case.read_bytes())
    assert run_cli("build", case, second, "--out", out, "--to", "html").status == 0
    index = (out / "index.html").read_text(encoding="utf-8")
    assert f"{case.stem}/letter.docx" not in index and f"{case.stem}/letter.pdf" not in index


def test_a_kill_during_the_final_moves_then_an_undo_is_not_answered_unchanged(
    built_example_copy_html, tmp_path, monkeypatch,
):
    case, out = copy_built_example(built_example_copy_html, tmp_path)  # built to HTML
    original = case.read_text(encoding="utf-8")
    case.write_text(original.replace("title: ", "title: Edited ", 1), encoding="utf-8")
    moves = []
    real_replace = os.replace

    def killed_after_one(source, target):
        if str(target).startswith(str(out / case.stem)):
            if moves:
                raise KeyboardInterrupt  # the process dies here, between two moves of the publish
            moves.append(target)
        real_replace(source, target)

    monkeypatch.setattr(publish.os, "replace", killed_after_one)
    assert run_cli("build", case, "--out", out, "--to", "html").status == 130
    monkeypatch.setattr(publish.os, "replace", real_replace)
    case.write_text(original, encoding="utf-8")  # the edit undone
    run = run_cli("build", case, "--out", out, "--to", "html")
    assert run.status == 0 and "unchanged" not in run.out
    assert "Edited " not in (out / case.stem / "letter.html").read_text(encoding="utf-8")


def test_a_killed_build_leaves_no_staging_folder_after_the_next_run(tmp_path):
    case = copy_example(tmp_path)
    out = tmp_path / "out"
    started = tmp_path / "started"
    variant = letter_with_first_cell(
        tmp_path, f"import pathlib, time\npathlib.Path({str(started)!r}).touch()\ntime.sleep(60)"
    )
    command = [sys.executable, "-m", "caseletter", "build", str(case), "--out", str(out), "--notebook", str(variant)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not started.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert started.exists()
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert [p for p in out.iterdir() if p.name.startswith(".") and p.is_dir()], "the kill left its staging folder"
    assert run_cli("build", case, "--out", out, "--to", "html").status == 0
    assert not [p for p in out.iterdir() if p.name.startswith(".") and p.is_dir()]


def test_the_manifest_names_its_files_relative_to_the_letter(absolute_build):
    _, folder = absolute_build
    manifest = json.loads((folder / "build.json").read_text(encoding="utf-8"))
    assert manifest["files"] and not [f for f in manifest["files"] if os.path.isabs(f)]
    assert all(os.path.exists(os.path.normpath(os.path.join(folder, f))) for f in manifest["files"][:1])
