"""`run_checks`: each kind of finding on a small case made for it.

Every fixture under ``fixtures/cases/check_findings/`` is ``clean_letter.yaml`` (which passes
with no finding at all) changed in one way; each test asserts the exact findings that change
produces, and nothing else.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from caseletter.case.source import load_case
from caseletter.checks.report import CheckReport
from caseletter.checks.run import run_checks
from caseletter.errors import CaseletterError, SchemaViolation
from helpers import FIXTURES, ROOT

CASES = FIXTURES / "cases" / "check_findings"


@cache
def report_for(name: str) -> CheckReport:
    return run_checks(CASES / f"{name}.yaml")


def summary(report: CheckReport) -> list[tuple]:
    """Each finding as (severity, kind, detail, field): what a test pins down exactly."""
    return [(f.severity, f.kind, f.detail, f.field) for f in report.findings]


def test_clean_letter_has_no_finding_and_every_care_item_present():
    report = report_for("clean_letter")
    assert report.findings == []
    assert not report.has_errors
    assert {item.key: item.status for item in report.care} == {
        "title": "present", "key_words": "present", "abstract": "not applicable", "introduction": "present",
        "patient_information": "present", "clinical_findings": "present", "timeline": "present",
        "diagnostic_assessment": "present", "therapeutic_intervention": "present", "follow_up": "present",
        "discussion": "present", "patient_perspective": "present", "informed_consent": "present",
    }
    assert [(m.name, m.count, m.limit) for m in report.measures] == [
        ("words", 72, 600), ("references", 2, 6), ("figures", 2, 2),
    ]


def test_identifiers_in_narrative_are_errors_with_field_text_and_span():
    report = report_for("identifier_in_narrative")
    found = [(f.severity, f.detail, f.field, f.text, f.start, f.end, f.line) for f in report.findings]
    assert found == [
        ("error", "facility", "case.outcome", "Mercy General Hospital", 8, 30, 24),
        ("error", "date", "case.outcome", "March 3, 2021", 34, 47, 24),
        ("error", "name", "case.outcome", "John Smith", 54, 64, 24),
    ]
    text = load_case(CASES / "identifier_in_narrative.yaml").case.outcome
    assert [text[f.start : f.end] for f in report.findings] == ["Mercy General Hospital", "March 3, 2021", "John Smith"]
    assert report.identifiers == report.findings
    assert report.has_errors
    assert "a community hospital" in report.findings[0].suggestion
    assert "in 2021" in report.findings[1].suggestion


def test_identifier_in_figure_legend():
    report = report_for("identifier_in_legend")
    assert [(f.severity, f.kind, f.detail, f.field, f.text, f.start, f.end) for f in report.findings] == [
        ("error", "identifier", "date", "figures[0].legend", "June 14, 2022", 45, 58),
    ]


def test_image_metadata_gps_and_capture_date_are_identifiers_camera_make_a_warning():
    report = report_for("identifier_in_image_metadata")
    assert summary(report) == [
        ("error", "identifier", "metadata", "figures[0].file"),
        ("error", "identifier", "metadata", "figures[0].file"),
        ("warning", "figure", "metadata", "figures[0].file"),
    ]
    assert report.findings[0].text.startswith("GPSInfo: ")
    assert report.findings[1].text == "DateTimeOriginal: 2021:03:04 10:15:00"
    assert report.findings[2].message == "the image with_exif.jpg carries other metadata: Make"
    assert len(report.identifiers) == 2


def test_author_byline_is_not_scanned():
    # clean_letter's author "Robin Hale" is a name the scanner finds in narrative text.
    from caseletter.deid.text import scan_text

    assert [f.type for f in scan_text("Robin Hale saw the patient.")] == ["name"]
    assert report_for("clean_letter").identifiers == []


def test_age_over_89_is_an_identifier():
    report = report_for("age_over_89")
    assert summary(report) == [("error", "identifier", "age", "patient.age")]
    assert report.findings[0].text == "93"
    assert report.findings[0].line == 10


def test_unknown_citation_key_is_an_error_naming_the_closest_key():
    report = report_for("unknown_citation_key")
    assert [f[:3] for f in summary(report)] == [("error", "citation", "unknown_key"), ("note", "citation", "uncited")]
    assert report.findings[0].field == "discussion[0]"
    unknown = report.findings[0]
    assert unknown.message == 'cites "chne2021", which no .bib file holds'
    assert unknown.suggestion == "Did you mean chen2021?"
    assert (unknown.text, unknown.start, unknown.end) == ("@chne2021", 75, 84)
    assert report.findings[1].field.endswith("check_findings/references.bib")
    assert report.findings[1].message == "1 entry is never cited: chen2021"


def test_uncited_entry_is_a_note_per_bib_file():
    report = report_for("uncited_entry")
    assert [(f.severity, f.detail, Path(f.field).name, f.message) for f in report.findings] == [
        ("note", "uncited", "uncited_entry.bib", "1 entry is never cited: ward2018"),
    ]
    assert not report.has_errors


@pytest.mark.parametrize(("name", "basis", "bib", "other"), [
    pytest.param(
        "duplicate_entry", "DOI", "duplicate_doi.bib", "moss2019b", id="same_doi_written_as_url_and_in_capitals"
    ),
    pytest.param(
        "duplicate_title_year", "title and year", "duplicate_title_year.bib", "chenObi2021",
        id="same_title_and_year_in_other_case",
    ),
])
def test_duplicate_entries_are_a_warning(name, basis, bib, other):
    report = report_for(name)
    duplicate, uncited = report.findings
    assert (duplicate.severity, duplicate.detail) == ("warning", "duplicate")
    assert duplicate.message.endswith(f"and {other} have the same {basis}: one work under 2 keys")
    assert duplicate.field.endswith(
        "references.bib, line 3, entry moss2019" if other == "moss2019b" else "references.bib, line 13, entry chen2021"
    )
    assert (uncited.severity, Path(uncited.field).name, uncited.text) == ("note", bib, other)


def test_cited_article_without_volume_or_pages_is_a_warning():
    report = report_for("incomplete_entry")
    assert [f[:3] for f in summary(report)] == [("warning", "citation", "incomplete")]
    assert report.findings[0].field.endswith("incomplete_article.bib, line 2, entry park2020")
    assert report.findings[0].message == (
        "the article park2020 has no volume, pages or eid, which the journal's style prints"
    )


@pytest.mark.parametrize(("name", "message"), [
    pytest.param("over_word_limit", "72 / 50 words (22 over): over the journal's limit", id="words"),
    pytest.param("over_reference_limit", "2 / 1 references (1 over): over the journal's limit", id="references"),
    pytest.param(
        "over_figure_limit", "2 / 1 figures (1 over): over the journal's limit", id="figures_with_the_kits_timeline"
    ),
])
def test_over_a_limit_of_the_users_own_profile_is_a_warning_saying_by_how_much(name, message):
    report = report_for(name)
    assert [(f.severity, f.kind, f.message) for f in report.findings] == [("warning", "limit", message)]
    assert report.journal == "tight"


@pytest.mark.parametrize(("name", "item", "field"), [
    pytest.param("missing_consent", "informed_consent", "consent", id="consent"),
    pytest.param("missing_patient_perspective", "patient_perspective", "patient_perspective", id="patient_perspective"),
    pytest.param("abstract_required", "abstract", "abstract", id="abstract_for_a_case_report"),
])
def test_missing_care_item_is_a_warning_naming_the_field_to_add(name, item, field):
    report = report_for(name)
    assert summary(report) == [("warning", "care", item, field)]
    assert report.findings[0].message.endswith("is missing")


def test_sparse_case_care_items_partial_are_notes_missing_are_warnings():
    report = report_for("sparse_case")
    statuses = {item.key: item.status for item in report.care}
    assert statuses == {
        "title": "missing", "key_words": "missing", "abstract": "not applicable", "introduction": "partial",
        "patient_information": "partial", "clinical_findings": "present", "timeline": "missing",
        "diagnostic_assessment": "partial", "therapeutic_intervention": "partial", "follow_up": "partial",
        "discussion": "partial", "patient_perspective": "missing", "informed_consent": "partial",
    }
    care = [(f.severity, f.detail) for f in report.findings if f.kind == "care"]
    assert care == [
        ("warning", "title"), ("warning", "key_words"), ("warning", "timeline"), ("warning", "patient_perspective"),
        ("note", "introduction"), ("note", "patient_information"), ("note", "diagnostic_assessment"),
        ("note", "therapeutic_intervention"), ("note", "follow_up"), ("note", "discussion"),
        ("note", "informed_consent"),
    ]
    follow_up = next(f for f in report.findings if f.detail == "follow_up")
    assert follow_up.suggestion == (
        "State the follow-up time in 'case.outcome' and whether adverse events occurred (or 'no adverse events')."
    )


def test_dose_ten_times_the_cited_dose_is_a_dosing_warning():
    report = report_for("dosing_unit_slip")
    assert summary(report) == [("warning", "dosing", "unit_slip", "interventions[0].phases[0].dose")]
    assert report.findings[0].message == (
        '"10 g" is 10 or more times every cited dose of oral cetirizine (10 mg). Check for a mg/g slip.'
    )


def test_article_type_missing_from_profile_is_a_warning_listing_the_types():
    report = report_for("unknown_article_type")
    assert summary(report) == [("warning", "journal", "article_type", "article_type")]
    assert report.findings[0].suggestion.startswith("Use one of: letter, case_report, images;")


def test_unknown_journal_is_an_error_listing_the_styles():
    report = report_for("unknown_journal")
    assert summary(report) == [("error", "journal", "unknown_style", "journal")]
    assert report.findings[0].message.endswith(', journal: no journal profile or CSL style "no_such_journal"')
    assert "ama, " in report.findings[0].suggestion and "cutis" in report.findings[0].suggestion


def test_journal_name_that_is_no_folder_name_is_refused_not_looked_up():
    report = run_checks(CASES / "clean_letter.yaml", journal="../../etc/" + "x" * 5000)
    assert summary(report) == [("error", "journal", "unknown_style", "journal")]
    assert "is not a style name" in report.findings[0].message and len(report.findings[0].message) < 400


def test_misspelt_care_item_in_a_profile_is_a_warning_with_the_right_name():
    report = report_for("profile_with_typo")
    assert [f[:3] for f in summary(report)] == [("warning", "journal", "care_items")]
    assert report.findings[0].field.endswith("typo_profile/journal.yaml, article_types.letter.care_not_applicable")
    assert report.findings[0].suggestion.startswith("Did you mean key_words?")


def test_missing_figure_file_is_an_error():
    report = report_for("missing_figure_file")
    assert summary(report) == [("error", "case", "figure", "figures[0].file")]
    assert report.findings[0].text == "figures/no_such_image.png"


def test_unreadable_case_raises_the_kits_error(tmp_path):
    bad = tmp_path / "no_title.yaml"
    bad.write_text(
        (CASES / "clean_letter.yaml").read_text().replace("title: Chronic pruritus", "titel: Chronic pruritus")
    )
    with pytest.raises(SchemaViolation, match="'titel' is not a field"):
        run_checks(bad)
    with pytest.raises(CaseletterError, match="no such case file"):
        run_checks(tmp_path / "absent.yaml")


def test_shipped_example_passes_with_no_error():
    example = ROOT / "cases" / "sts-calcinosis.yaml"
    report = run_checks(example)
    assert not report.has_errors
    assert report.count("warning") == 0
    assert report.identifiers == []
    assert [(m.name, m.count, m.limit) for m in report.measures] == [
        ("words", 519, None), ("references", 6, None), ("figures", 3, None),
    ]


def test_calendar_date_in_timeline_is_an_identifier_and_cannot_be_placed():
    report = report_for("absolute_date_in_timeline")
    assert summary(report) == [
        ("error", "identifier", "date", "timeline[0].time"), ("error", "case", "timeline", "timeline[0].time"),
    ]
    assert report.findings[1].message == '"March 3, 2021" is not a relative time'
    assert len(report.identifiers) == 1


def test_citation_keys_of_literature_regimens_are_not_scanned_as_text():
    from caseletter.case.fields import text_fields

    fields = dict(text_fields(load_case(CASES / "dosing_unit_slip.yaml")))
    assert "dosing.literature[0].drug" in fields
    assert not [f for f in fields if ".cite[" in f or f.startswith(("authors", "journal", "article_type"))]
    assert "figures[0].file" in fields  # a file name can hold a date
