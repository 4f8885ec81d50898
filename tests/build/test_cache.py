"""Incremental builds: content decides, not file times."""

from __future__ import annotations

import io
import os
import shutil
import time

from PIL import Image

from caseletter.cli import main
from helpers import ROOT, copy_built_example, copy_example


def build(case, out, capsys) -> str:
    assert main(["build", str(case), "--out", str(out), "--to", "html"]) == 0
    return capsys.readouterr().out


def test_only_a_change_of_content_rebuilds(tmp_path, capsys):
    case = copy_example(tmp_path)
    out = tmp_path / "build"
    assert "unchanged" not in build(case, out, capsys)
    assert "unchanged since the last build" in build(case, out, capsys)
    later = time.time() + 60
    os.utime(case, (later, later))  # a new time, the same bytes
    assert "unchanged since the last build" in build(case, out, capsys)
    figure = case.parent / "figures" / "sts-calcinosis" / "after-neck.png"
    image = Image.open(io.BytesIO(figure.read_bytes())).convert("RGB")
    image.putpixel((5, 5), (0, 0, 0))
    image.save(figure)  # the same name, other pixels
    assert "unchanged" not in build(case, out, capsys)
    assert "unchanged since the last build" in build(case, out, capsys)
    assert main(["build", str(case), "--out", str(out), "--to", "html", "--force"]) == 0
    assert "unchanged" not in capsys.readouterr().out


def test_an_edit_to_the_journal_style_beside_the_cases_rebuilds(tmp_path, capsys):
    case = copy_example(tmp_path)
    folder = case.parent / "journals" / "cutis"
    shutil.copytree(ROOT / "templates" / "journals" / "cutis", folder)
    out = tmp_path / "build"
    build(case, out, capsys)
    assert "unchanged since the last build" in build(case, out, capsys)
    profile = folder / "journal.yaml"
    profile.write_text(profile.read_text(encoding="utf-8").replace("name: Cutis", "name: Cutis (edited)"), "utf-8")
    assert "unchanged" not in build(case, out, capsys)


def test_a_new_journals_folder_named_by_the_environment_rebuilds(
    built_example_copy_html, tmp_path, capsys, monkeypatch,
):
    case, out = copy_built_example(built_example_copy_html, tmp_path)  # built to HTML
    mine = tmp_path / "mine" / "cutis"
    shutil.copytree(ROOT / "templates" / "journals" / "cutis", mine)
    monkeypatch.setenv("CASELETTER_JOURNALS", str(mine.parent))
    assert "unchanged" not in build(case, out, capsys)


def test_a_new_references_bib_closer_to_the_case_rebuilds(built_example_copy_html, tmp_path, capsys):
    case, out = copy_built_example(built_example_copy_html, tmp_path)  # built to HTML
    assert "unchanged since the last build" in build(case, out, capsys)
    shutil.copy(tmp_path / "references.bib", case.parent / "references.bib")
    assert "unchanged" not in build(case, out, capsys)
