"""Every file that feeds a letter is checked where it can print; every figure name means one figure."""

from __future__ import annotations

import pytest

from caseletter.checks.run import run_checks
from caseletter.errors import SchemaViolation
from helpers import edited_example, run_cli


def test_identifiers_in_a_cited_entry_of_the_cases_own_bib_are_found(tmp_path):
    case = edited_example(tmp_path, bibliography=["own.bib"], opening="Why this case matters [@pc2024].")
    (case.parent / "own.bib").write_text(
        "@misc{pc2024,\n  author = {Okafor, Sam},\n"
        "  title = {Personal communication about the patient seen at Mercy General Hospital on March 3, 2021},\n"
        "  year = {2024}\n}\n",
        encoding="utf-8",
    )
    report = run_checks(case)
    found = [f for f in report.identifiers if "own.bib" in f.field]
    assert {f.text for f in found} >= {"Mercy General Hospital", "March 3, 2021"}
    assert all("entry pc2024" in f.field and f.field.endswith("title") for f in found)
    assert run_cli("build", case, "--out", tmp_path / "out").status == 2


def test_uncited_entries_and_published_authors_are_not_scanned(tmp_path):
    case = edited_example(tmp_path, bibliography=["own.bib"])
    (case.parent / "own.bib").write_text(
        "@article{unused2020,\n  author = {Reed, Alan},\n  title = {Seen at Mercy General Hospital},\n"
        "  journal = {J Test}, year = {2020}, volume = {1}, pages = {1-2}\n}\n",
        encoding="utf-8",
    )
    assert not [f for f in run_checks(case).identifiers if "own.bib" in f.field]


def test_a_figure_id_the_kit_keeps_for_the_timeline_is_refused_at_its_line(tmp_path):
    case = edited_example(tmp_path, figures__0__id="fig-timeline")
    run = run_cli("check", case)
    assert run.status == 2
    message = " ".join(run.err.split())
    assert "figures[0].id (line" in message and "fig-timeline" in message


def test_duplicate_figure_ids_are_refused_at_the_second(tmp_path):
    case = edited_example(tmp_path, figures__1__id="fig-before")
    with pytest.raises(SchemaViolation, match=r"figures\[1\]\.id .*\"fig-before\" is also the id of figures\[0\]"):
        run_checks(case)


def test_a_mistyped_figure_reference_is_a_finding_at_its_field(tmp_path):
    case = edited_example(tmp_path, case__outcome="It healed (@fig-aftr).")
    found = [f for f in run_checks(case).findings if f.detail == "figure_reference"]
    assert [(f.severity, f.field, f.text) for f in found] == [("warning", "case.outcome", "@fig-aftr")]
    assert "fig-after" in found[0].suggestion
