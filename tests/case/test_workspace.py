"""``caseletter init``: a workspace every command works from, and nothing of the user's overwritten."""

from __future__ import annotations

import shutil

from caseletter.journals import journal_folder
from helpers import ROOT, run_cli


def test_init_lays_out_the_workspace_and_says_what_it_made(tmp_path):
    run = run_cli("init", tmp_path / "ws")
    assert run.status == 0, run.err
    ws = tmp_path / "ws"
    assert (ws / "cases").is_dir() and (ws / "journals" / "README.md").is_file()
    assert (ws / ".gitignore").read_text(encoding="utf-8").count("build/") == 1
    assert "caseletter new NAME" in (ws / "README.md").read_text(encoding="utf-8")
    assert f"created {ws / 'references.bib'}" in run.out


def test_init_again_keeps_every_file_the_user_changed(tmp_path):
    ws = tmp_path / "ws"
    run_cli("init", ws)
    (ws / "README.md").write_text("my notes", encoding="utf-8")
    (ws / "references.bib").write_text("@article{mine, title={Mine}}\n", encoding="utf-8")
    run = run_cli("init", ws, "--example")
    assert run.status == 0
    assert (ws / "README.md").read_text(encoding="utf-8") == "my notes"
    assert "mine" in (ws / "references.bib").read_text(encoding="utf-8")
    assert f"kept    {ws / 'README.md'}" in run.out
    assert (ws / "cases" / "sts-calcinosis.yaml").is_file()  # what was missing was added


def test_init_on_a_file_is_one_paragraph_and_exit_2(tmp_path):
    (tmp_path / "taken").write_text("a file", encoding="utf-8")
    run = run_cli("init", tmp_path / "taken")
    assert run.status == 2 and "is a file, not a folder" in run.err and "Traceback" not in run.err


def test_the_workspace_journals_folder_is_found_from_a_case_in_cases(tmp_path):
    run_cli("init", tmp_path / "ws", "--example")
    mine = tmp_path / "ws" / "journals" / "cutis"
    shutil.copytree(ROOT / "templates" / "journals" / "cutis", mine)
    assert journal_folder("cutis", tmp_path / "ws" / "cases" / "sts-calcinosis.yaml") == mine
    assert journal_folder("ama", tmp_path / "ws" / "cases" / "sts-calcinosis.yaml").parent.parent.name == "templates"


def test_the_example_workspace_checks_clean(tmp_path):
    run_cli("init", tmp_path / "ws", "--example")
    run = run_cli("check", tmp_path / "ws" / "cases" / "sts-calcinosis.yaml")
    assert run.status == 0, run.out
