"""A case straight from `caseletter new` is a draft: one finding per unfilled field, and marked so."""

from __future__ import annotations

import json
import zipfile

import pytest
from docx import Document

from caseletter.case.placeholders import find_placeholders, template_prompts
from caseletter.case.source import load_case
from caseletter.checks.run import run_checks
from helpers import ROOT, pdf_text, run_cli

UNFILLED = {
    "title", "keywords[0]", "authors[0].name", "authors[0].affiliation", "patient.history[0]", "opening",
    "case.presentation", "case.diagnosis.name", "case.diagnosis.assessment", "case.treatment", "case.outcome",
    "discussion[0]", "discussion[1]", "practice_points[0]", "consent",
}


@pytest.fixture(scope="module")
def fresh_case(tmp_path_factory):
    root = tmp_path_factory.mktemp("draft")
    (root / "references.bib").write_bytes((ROOT / "references.bib").read_bytes())
    assert run_cli("new", "fresh", "--cases", root / "cases").status == 0
    return root / "cases" / "fresh.yaml"


def test_a_new_case_fails_the_check_with_one_finding_per_unfilled_field(fresh_case):
    report = run_checks(fresh_case)
    assert report.status == "draft" and report.has_errors
    assert {f.field for f in report.placeholders} == UNFILLED
    assert all(f.severity == "error" and f.line for f in report.placeholders)
    run = run_cli("check", fresh_case, "--json")
    assert run.status == 1 and json.loads(run.out)["status"] == "draft"


def test_care_never_counts_a_prompt_as_present(fresh_case):
    care = {item.key: item.status for item in run_checks(fresh_case).care}
    for key in ("title", "introduction", "diagnostic_assessment", "follow_up", "discussion", "informed_consent"):
        assert care[key] != "present", key
    assert care["informed_consent"] == "missing"


@pytest.mark.parametrize("text", [
    "todo", "ToDo: later", "see TODO", "TBD", "FIXME", "XXX", "???", "Lorem ipsum dolor",
    "the findings and tests that established it",  # a prompt whose TODO: was deleted
])
def test_markers_and_prompts_in_any_case_and_position_are_placeholders(fresh_case, text):
    case = load_case(fresh_case).model_copy(update={"consent": f"Written consent was given. {text}"})
    assert [p.field for p in find_placeholders(case) if p.field == "consent"] == ["consent"]


def test_the_example_case_holds_no_placeholder():
    assert find_placeholders(load_case(ROOT / "cases" / "sts-calcinosis.yaml")) == []
    assert template_prompts()  # the prompts were read from the template


def test_a_draft_builds_marked_in_all_three_formats(fresh_case):
    out = fresh_case.parents[1] / "build"
    run = run_cli("build", fresh_case, "--out", out)
    assert run.status == 0, run.err
    mark = f"Draft — {len(UNFILLED)} items to complete"
    folder = out / fresh_case.stem
    assert f'<p class="draft-mark">{mark}</p>' in (folder / "letter.html").read_text(encoding="utf-8")
    headers = [p.text for s in Document(str(folder / "letter.docx")).sections for p in s.header.paragraphs]
    assert mark in headers
    assert mark in pdf_text((folder / "letter.pdf").read_bytes())
    assert f"draft: {len(UNFILLED)} item(s) to complete" in (folder / "build.log").read_text(encoding="utf-8")
    with zipfile.ZipFile(folder / "letter.docx") as docx:
        assert mark not in docx.read("word/document.xml").decode("utf-8")  # in the header, not the text
