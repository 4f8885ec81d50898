"""What the article type asks of a case, and what a journal's submission asks of its authors.

A letter and a case report need their opening paragraph; a case report's abstract is structured
and short where the journal says so; an images article shows one or two figures; a field the
structure does not print is pointed out; the fields a journal's submission requires are asked
for in a case report, never in a letter. The case file's new fields are checked when read (an
ORCID iD's check character, CRediT's fourteen roles), and a journal profile's new keys likewise.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from caseletter.case.source import read_case_source
from caseletter.checks.run import run_checks
from caseletter.errors import SchemaViolation, UnknownStyle
from caseletter.journals import load_journal
from helpers import ROOT, edited_example

REPORT = ROOT / "cases" / "sts-calcinosis-report.yaml"


def edited_report(tmp_path: Path, **changes) -> Path:
    """A copy of the shipped case report with top-level fields changed (None deletes one)."""
    shutil.copytree(ROOT / "cases" / "figures", tmp_path / "cases" / "figures", dirs_exist_ok=True)
    shutil.copy(ROOT / "references.bib", tmp_path / "references.bib")
    yaml = YAML()
    data = yaml.load(REPORT.read_text(encoding="utf-8"))
    for key, value in changes.items():
        if value is None:
            del data[key]
        else:
            data[key] = value
    case = tmp_path / "cases" / "report.yaml"
    with case.open("w", encoding="utf-8") as handle:
        yaml.dump(data, handle)
    return case


def details(case: Path, journal: str | None = None) -> list[tuple[str, str, str]]:
    return [(f.severity, f.detail, f.field) for f in run_checks(case, journal).findings]


def test_the_shipped_case_report_passes_with_nothing_to_add():
    assert details(REPORT) == []


def test_a_letter_without_its_opening_is_an_error(tmp_path):
    found = details(edited_example(tmp_path, opening=""))
    assert ("error", "no_opening", "opening") in found
    report = run_checks(edited_example(tmp_path, opening=""))
    assert "To the Editor" in next(f.message for f in report.findings if f.detail == "no_opening")


def test_an_images_article_needs_no_opening_but_one_or_two_figures(tmp_path):
    images = ROOT / "cases" / "sts-calcinosis-images.yaml"
    assert not [d for d in details(images) if d[1] in ("no_opening", "images_figure_count")]
    three = edited_example(tmp_path, article_type="images", journal="bmj-case-reports", opening="",
                           edit=lambda data: data["figures"].append(dict(data["figures"][1], id="fig-third")))
    assert ("warning", "images_figure_count", "figures") in details(three)


def test_a_journal_that_wants_a_structured_abstract_says_so(tmp_path):
    case = edited_report(tmp_path, abstract="One paragraph that says what the case adds and what it teaches.")
    assert ("warning", "abstract_not_structured", "abstract") in details(case)


def test_an_abstract_over_the_journals_limit_is_a_warning_saying_by_how_much(tmp_path):
    case = edited_report(tmp_path, abstract="word " * 400)
    report = run_checks(case, "ame-case-reports")
    (finding,) = [f for f in report.findings if f.detail == "abstract_words"]
    assert finding.message == "400 / 350 abstract words: over the limit" and "by at least 50" in finding.suggestion


def test_text_a_letter_does_not_print_is_pointed_out(tmp_path):
    case = edited_example(tmp_path, strengths_limitations=["A single patient."])
    assert ("note", "unprinted_field", "strengths_limitations") in details(case)


def test_a_case_report_is_asked_for_what_the_journals_submission_requires(tmp_path):
    case = edited_report(tmp_path, conflicts="", funding=None)
    data = YAML().load(case.read_text(encoding="utf-8"))
    del data["authors"][1]["orcid"]
    data["authors"][1]["credit"] = []
    with case.open("w", encoding="utf-8") as handle:
        YAML().dump(data, handle)
    required = sorted(d[2] for d in details(case) if d[1] == "submission_requirement")
    assert required == ["authors[1].credit", "authors[1].orcid", "conflicts", "funding"]


def test_a_letter_is_not_asked_for_them(tmp_path):
    assert not [d for d in details(edited_example(tmp_path, journal="ama")) if d[1] == "submission_requirement"]


@pytest.mark.parametrize(("value", "message"), [
    ("0000-0002-1825-0098", "its last character does not match"),
    ("0000-0002-1825", "16 characters in groups of 4"),
])
def test_an_orcid_id_with_a_typo_is_refused_when_read(tmp_path, value, message):
    case = edited_example(tmp_path, authors__0__orcid=value)
    with pytest.raises(SchemaViolation) as refused:
        read_case_source(case)
    assert "authors[0].orcid" in refused.value.message and message in refused.value.message


def test_credit_roles_are_read_in_any_spelling_and_a_typo_names_the_closest(tmp_path):
    case = edited_example(tmp_path, authors__0__credit=["writing - review and editing", "conceptualization"])
    assert read_case_source(case).case.authors[0].credit == ["Writing – review & editing", "Conceptualization"]
    with pytest.raises(SchemaViolation) as refused:
        read_case_source(edited_example(tmp_path, authors__0__credit=["Conceptualisation"]))
    assert "authors[0].credit[0]" in refused.value.message
    assert 'did you mean "Conceptualization"' in refused.value.message


def write_profile(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "journals" / "mine"
    folder.mkdir(parents=True)
    shutil.copy(ROOT / "templates" / "journals" / "ama" / "style.csl", folder / "style.csl")
    (folder / "journal.yaml").write_text("name: Mine\ncsl: style.csl\n" + text, encoding="utf-8")
    return tmp_path / "case.yaml"


@pytest.mark.parametrize(("text", "where", "hint"), [
    ("article_types:\n  case_report:\n    sections: {introdution: Background}\n", "sections.introdution",
     "Did you mean 'introduction'?"),
    ("submission:\n  blinded: yes please\n", "submission.blinded", "Write true or false."),
    ("submission:\n  figure_dpi: 30\n", "submission.figure_dpi", "Give dots per inch"),
    ("submission:\n  requires: [orcid, twitter]\n", "submission.requires", "List some of: orcid"),
    ("submission:\n  figure_fromat: png\n", "submission.figure_fromat", "Did you mean 'figure_format'?"),
])
def test_a_profiles_new_keys_are_checked(tmp_path, text, where, hint):
    case = write_profile(tmp_path, text)
    with pytest.raises(UnknownStyle) as refused:
        load_journal("mine", case)
    assert where in refused.value.message and hint in refused.value.message
