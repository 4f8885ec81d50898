"""`caseletter new NAME`: the commented case template, copied without overwriting anything."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from bs4 import BeautifulSoup

from caseletter.case.model import Case
from caseletter.case.scaffold import scaffold_case
from caseletter.case.source import load_case
from caseletter.cli import main
from caseletter.dosing.compute import compute_dosing
from caseletter.errors import BadCaseName, CaseExists, CaseletterError
from helpers import ROOT

TEMPLATE = ROOT / "templates" / "case" / "new-case.yaml"


def test_new_case_creates_the_yaml_and_its_figures_folder(tmp_path):
    cases = tmp_path / "cases"
    created = scaffold_case("jones-calcinosis", cases)
    assert created == [cases / "jones-calcinosis.yaml", cases / "figures" / "jones-calcinosis"]
    assert created[1].is_dir()
    text = created[0].read_text(encoding="utf-8")
    assert "figures/jones-calcinosis/" in text
    assert "caseletter build cases/jones-calcinosis.yaml" in text
    assert "__NAME__" not in text


def test_new_case_loads_with_load_case(tmp_path):
    path = scaffold_case("minimal", tmp_path)[0]
    case = load_case(path)
    assert case.article_type == "letter"
    assert case.title.startswith("TODO")
    assert "case report" in case.keywords


def model_fields(model) -> set[str]:
    """Every field name of a pydantic model and of the models nested in it."""
    from typing import get_args

    names, todo, seen = set(), [model], set()
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        for name, field in current.model_fields.items():
            names.add(name)
            stack = [field.annotation]
            while stack:
                annotation = stack.pop()
                if hasattr(annotation, "model_fields"):
                    todo.append(annotation)
                stack.extend(get_args(annotation))
    return names


def test_every_field_of_the_case_model_is_explained():
    """Each field, nested ones included, is named as a key or in a comment of the template."""
    text = TEMPLATE.read_text(encoding="utf-8")
    comments = "\n".join(line for line in text.splitlines() if line.lstrip().startswith("#"))
    missing = sorted(f for f in model_fields(Case) if not re.search(rf"\b{f}:", text))
    assert missing == []
    for top in Case.model_fields:
        assert re.search(rf"^{top}:", text, re.M), f"{top} is not a key of the template"
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if re.match(r"^[a-z_]+:", line):
            assert lines[i - 1].startswith("#"), f"no comment right above {line!r}"
    assert len(comments.splitlines()) > len(lines) / 2


def uncomment_example(text: str, key: str) -> str:
    """Replace ``key: []`` with the commented example block just above it."""
    lines = text.splitlines()
    end = lines.index(f"{key}: []")
    start = max(i for i in range(end) if lines[i].startswith("# Example"))
    block = [line[1:] for line in lines[start + 1 : end] if line.startswith("#  ")]
    return "\n".join(lines[:end] + [f"{key}:"] + block + lines[end + 1 :]) + "\n"


def test_the_commented_examples_are_valid_when_uncommented(tmp_path):
    path = scaffold_case("examples", tmp_path)[0]
    text = path.read_text(encoding="utf-8")
    for key in ("interventions", "timeline", "figures"):
        text = uncomment_example(text, key)
    path.write_text(text, encoding="utf-8")
    case = load_case(path)
    assert case.interventions[0].phases[0].dose == "12.5 g"
    assert case.timeline[1].until == "8 months"
    assert case.figures[0].file == "figures/examples/before-neck.png"
    report = compute_dosing(case, path)
    assert report.regimens[0].phases[0].count == 104


def test_new_case_never_overwrites(tmp_path):
    path = tmp_path / "taken.yaml"
    path.write_text("title: mine\n", encoding="utf-8")
    with pytest.raises(CaseExists) as caught:
        scaffold_case("taken", tmp_path)
    assert path.read_text(encoding="utf-8") == "title: mine\n"
    assert str(path) in caught.value.message and "another name" in caught.value.message


def test_existing_figures_folder_is_kept(tmp_path):
    photo = tmp_path / "figures" / "kept" / "photo.png"
    photo.parent.mkdir(parents=True)
    photo.write_bytes(b"not really a png")
    created = scaffold_case("kept", tmp_path)
    assert created == [tmp_path / "kept.yaml"]
    assert photo.read_bytes() == b"not really a png"


@pytest.mark.parametrize(
    "name",
    [
        pytest.param("", id="empty"),
        pytest.param("../escape", id="parent_folder"),
        pytest.param("sub/case", id="slash"),
        pytest.param("two words", id="space"),
        pytest.param(".hidden", id="leading_dot"),
        pytest.param("jones.yaml", id="yaml_extension"),
        pytest.param("trailing-", id="trailing_hyphen"),
        pytest.param("nul", id="windows_device_name"),
        pytest.param("x" * 65, id="too_long"),
        pytest.param("caf\u00e9", id="non_ascii"),
    ],
)
def test_unsafe_names_are_refused(tmp_path, name):
    with pytest.raises(BadCaseName) as caught:
        scaffold_case(name, tmp_path)
    assert isinstance(caught.value, CaseletterError)
    assert "case name" in caught.value.where
    assert list(tmp_path.iterdir()) == []


def test_caseletter_build_of_a_new_case_works(tmp_path):
    """`caseletter build` in its own process, as a trainee runs it right after `caseletter new`."""
    path = scaffold_case("fresh", tmp_path / "cases")[0]
    command = [sys.executable, "-m", "caseletter", "build", str(path), "--out", str(tmp_path / "build"), "--to", "html"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=180, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    page = BeautifulSoup((tmp_path / "build" / "fresh" / "letter.html").read_text(encoding="utf-8"), "html.parser")
    text = page.get_text(" ")
    assert "TODO: the diagnosis and the treatment this letter is about" in text
    assert "what this case adds" in text


def test_caseletter_new_command_creates_then_refuses(tmp_path, capsys):
    cases = tmp_path / "cases"
    assert main(["new", "ruiz-pemphigus", "--cases", str(cases)]) == 0
    printed = capsys.readouterr().out
    assert f"created {cases / 'ruiz-pemphigus.yaml'}" in printed
    assert f"created {cases / 'figures' / 'ruiz-pemphigus'}" in printed
    before = (cases / "ruiz-pemphigus.yaml").read_bytes()
    assert main(["new", "ruiz-pemphigus", "--cases", str(cases)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert (cases / "ruiz-pemphigus.yaml").read_bytes() == before


def test_new_case_is_a_draft_whose_findings_name_what_to_fill_in(tmp_path):
    from caseletter.checks.run import run_checks

    report = run_checks(scaffold_case("todo", tmp_path)[0])
    assert report.status == "draft"
    assert {f.kind for f in report.findings if f.severity == "error"} == {"placeholder"}
    assert report.identifiers == []
    flagged = {f.field for f in report.findings if f.kind == "care"}
    assert {"timeline", "patient_perspective"} <= flagged
