"""A .bib file's faults are data: every one is reported in one run, each at its line and entry."""

from __future__ import annotations

import pytest

from caseletter.checks.run import run_checks
from caseletter.errors import BibliographyError
from caseletter.references.bibliography import load_bibliography
from helpers import edited_example

THREE_FAULTS = """@article{good2020,
  author = {Ruiz, Ana}, title = {A sound entry}, journal = {J Test}, year = {2020}, volume = {1}, pages = {1-2}
}

@article{swallowed2019,
  author = {Okafor, Sam},
  title = {A comma is missing}
  journal = {J Test},
  year = {2019}
}

@article{bad key,
  title = {A key with a space}, year = {2018}
}

@article{unclosed2017,
  title = {An entry that never ends,
  year = {2017}
"""


@pytest.fixture
def faulty_bib(tmp_path):
    path = tmp_path / "faults.bib"
    path.write_text(THREE_FAULTS, encoding="utf-8")
    return path


def test_every_fault_is_kept_with_its_line_and_key(faulty_bib):
    bibliography = load_bibliography([faulty_bib], strict=False)
    assert list(bibliography) == ["good2020"]
    where = [problem.where for problem in bibliography.problems]
    assert [w.split(", ", 1)[1] for w in where] == [
        "line 5, entry swallowed2019", "line 12, entry bad key", "line 16, entry unclosed2017",
    ]
    assert [problem.entry_key for problem in bibliography.problems] == ["swallowed2019", "bad key", "unclosed2017"]


def test_a_strict_load_names_the_first_and_counts_the_rest(faulty_bib):
    with pytest.raises(BibliographyError) as raised:
        load_bibliography([faulty_bib])
    message = raised.value.message
    assert message.startswith(f"{faulty_bib}, line 5, entry swallowed2019: the field 'title' swallowed the next field")
    assert message.endswith("2 more problems in the .bib files: `caseletter check` lists them all.")


def test_the_check_reports_all_three_in_one_run(tmp_path, faulty_bib):
    case = edited_example(tmp_path, bibliography=["faults.bib"])
    faulty_bib.replace(case.parent / "faults.bib")
    report = run_checks(case)
    unreadable = [f for f in report.findings if f.detail == "unreadable"]
    assert [(f.severity, f.text) for f in unreadable] == [
        ("error", "swallowed2019"), ("error", "bad key"), ("error", "unclosed2017"),
    ]
    assert all(f.field.startswith(f"{case.parent / 'faults.bib'}, line ") for f in unreadable)
    # The shared references.bib still read: the letter's own citations are not reported as unknown.
    assert not [f for f in report.findings if f.detail == "unknown_key"]


def test_a_citation_of_a_broken_entry_is_reported_once_as_broken(tmp_path, faulty_bib):
    case = edited_example(tmp_path, bibliography=["faults.bib"])
    text = case.read_text(encoding="utf-8")
    assert "[@gutierrez2012]" in text
    text = text.replace("[@gutierrez2012]", "[@gutierrez2012; @swallowed2019]", 1)
    case.write_text(text, encoding="utf-8")
    faulty_bib.replace(case.parent / "faults.bib")
    report = run_checks(case)
    assert not [f for f in report.findings if f.detail == "unknown_key"]
    assert [f.text for f in report.findings if f.detail == "unreadable"][0] == "swallowed2019"
