"""Files the kit cannot read, and folders it cannot write, end in one paragraph: never a traceback."""

from __future__ import annotations

import os

import pytest

from helpers import copy_example, edited_example, run_cli

needs_permissions = pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")


def one_paragraph(run) -> str:
    assert run.status == 2, run.err
    assert "Traceback" not in run.err and "\n\n" not in run.err.strip()
    return " ".join(run.err.split())


def test_a_case_file_that_is_a_folder_is_one_paragraph(tmp_path):
    folder = tmp_path / "case.yaml"
    folder.mkdir()
    assert "no such case file" in one_paragraph(run_cli("check", folder))


def test_an_unreadable_case_file_is_one_paragraph(tmp_path):
    case = copy_example(tmp_path)
    case.chmod(0)
    try:
        if os.access(case, os.R_OK):  # root reads anything: make it unreadable another way
            case.chmod(0o644)
            case.unlink()
            case.symlink_to(case.parent / "loop.yaml")
            (case.parent / "loop.yaml").symlink_to(case)
        message = one_paragraph(run_cli("check", case))
    finally:
        if case.exists() and not case.is_symlink():
            case.chmod(0o644)
    assert str(case) in message


def test_an_unreadable_journal_profile_is_one_paragraph(tmp_path):
    case = edited_example(tmp_path, journal="mine")
    folder = case.parent / "journals" / "mine"
    folder.mkdir(parents=True)
    (folder / "journal.yaml").write_bytes(b"name: \xff\xfe broken\n")
    (folder / "style.csl").write_text("<style/>", encoding="utf-8")
    message = one_paragraph(run_cli("build", case, "--out", tmp_path / "out"))
    assert "journal.yaml" in message


@pytest.mark.parametrize("kind", ["a_file", "inside_a_file"])
def test_new_into_a_cases_path_that_cannot_be_a_folder_is_one_paragraph(tmp_path, kind):
    blocker = tmp_path / "cases"
    blocker.write_text("a file, not a folder", encoding="utf-8")
    target = blocker if kind == "a_file" else blocker / "sub"
    message = one_paragraph(run_cli("new", "jones", "--cases", target))
    assert str(blocker) in message
    assert blocker.read_text(encoding="utf-8") == "a file, not a folder"
