"""Bad input gets one clear paragraph, exit status 2, no traceback and nothing in build/."""

from __future__ import annotations

from pathlib import Path

import pytest

from caseletter.cli import main
from helpers import FIXTURES as HELPER_FIXTURES

CASES = HELPER_FIXTURES / "cases" / "errors"


def build_fails(case: Path, out: Path, capsys) -> str:
    status = main(["build", str(case), "--out", str(out)])
    err = capsys.readouterr().err
    assert status == 2
    assert "Traceback" not in err and err.count("\n\n") == 0
    assert not any(p.is_file() for p in out.rglob("*")), "a failed build left a file behind"
    return " ".join(err.split())


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        pytest.param(
            "bad_yaml.yaml", ["bad_yaml.yaml, line 8, column 6", "Fix the YAML there"],
            id="yaml_syntax_gives_line_and_column",
        ),
        pytest.param(
            "missing_age.yaml", ["missing_age.yaml, patient.age", "this field is required", "Add 'age:'"],
            id="missing_field_gives_its_path",
        ),
        pytest.param(
            "misspelt_field.yaml", ["case.presentaton (line 11)", "is not a field", "Did you mean 'presentation'?"],
            id="misspelt_field_suggests_the_right_one",
        ),
        pytest.param(
            "unknown_citation_key.yaml",
            ["unknown_citation_key.yaml, opening", '"smith2031"', "Did you mean smith2013?"],
            id="unknown_key_names_where_and_closest",
        ),
        pytest.param(
            "malformed_bib.yaml", ["unclosed.bib", "line 10", "broken2021"], id="malformed_bib_entry_gives_its_line"
        ),
        pytest.param(
            "missing_figure.yaml", ["missing_figure.yaml, figures[0].file", "not-there.png does not exist"],
            id="missing_figure_gives_its_path",
        ),
    ],
)
def test_bad_input_is_one_actionable_paragraph(fixture, expected, tmp_path, capsys):
    message = build_fails(CASES / fixture, tmp_path / "build", capsys)
    for part in expected:
        assert part in message, message


def test_a_case_file_that_does_not_exist(tmp_path, capsys):
    message = build_fails(tmp_path / "nope.yaml", tmp_path / "build", capsys)
    assert "nope.yaml: no such case file" in message


def test_an_unknown_format_lists_the_known_ones(tmp_path, capsys):
    status = main(["build", str(CASES / "minimal.yaml"), "--to", "html,rtf", "--out", str(tmp_path)])
    assert status == 2
    assert "unknown format rtf. Choose from html, docx, pdf." in capsys.readouterr().err


def test_an_unknown_journal_style_lists_the_styles(tmp_path, capsys):
    status = main(["refs", "references.bib", "--style", "lancet"])
    err = capsys.readouterr().err
    assert status == 2 and 'CSL style "lancet"' in err and "ama," in err and "cutis" in " ".join(err.split())
