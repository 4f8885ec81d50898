"""The gaps a reviewer asks about first: each is one warning at its field, with what to write."""

from __future__ import annotations

import pytest

from caseletter.checks.run import run_checks
from helpers import FIXTURES

CASES = FIXTURES / "cases" / "check_findings"


@pytest.mark.parametrize(("fixture", "field", "words"), [
    pytest.param("no_infusion_time", "interventions[0].phases[0]", "infusion_time:", id="no_infusion_time"),
    pytest.param("drug_without_regimen", "case.treatment", "drug: prednisone", id="drug_without_regimen"),
    pytest.param("regimen_not_in_text", "interventions[1].drug", "oral hydroxyzine", id="regimen_not_in_text"),
    pytest.param("literature_without_citation", "dosing.literature[0]", "cite:", id="literature_without_citation"),
    pytest.param("follow_up_without_time", "case.outcome", "3-month follow-up", id="follow_up_without_time"),
    pytest.param("consent_without_publication", "consent", "for publication", id="consent_without_publication"),
    pytest.param("consent_without_images", "consent", "its images", id="consent_without_images"),
    pytest.param("figure_without_source", "figures[0].legend", "Drawn by the authors", id="figure_without_source"),
])
def test_each_missing_item_is_one_warning_at_its_field(fixture, field, words):
    report = run_checks(CASES / f"{fixture}.yaml")
    found = [f for f in report.findings if f.severity in ("error", "warning")]
    assert [(f.detail, f.field) for f in found] == [(fixture, field)]
    assert words in found[0].suggestion and found[0].line


def test_the_clean_letter_and_the_example_miss_nothing():
    assert not [f for f in run_checks(CASES / "clean_letter.yaml").findings if f.kind == "missing"]
    assert not [f for f in run_checks(FIXTURES.parents[1] / "cases" / "sts-calcinosis.yaml").findings
                if f.kind == "missing"]


def test_a_count_over_its_limit_says_by_how_much():
    report = run_checks(CASES / "over_word_limit.yaml")
    words = next(m for m in report.measures if m.name == "words")
    assert words.shown == f"{words.count} / {words.limit} words ({words.count - words.limit} over)"
    assert any(f.message.startswith(words.shown) for f in report.findings if f.kind == "limit")
