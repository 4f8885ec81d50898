"""The check report as people and tools see it: the table, the exit status, JSON and HTML."""

from __future__ import annotations

import json
from pathlib import Path

from bs4 import BeautifulSoup

from caseletter.checks.report import CheckReport, Finding, render_check_html
from caseletter.checks.run import run_checks
from helpers import FIXTURES, ROOT, run_cli

CASES = FIXTURES / "cases" / "check_findings"
EXAMPLE = ROOT / "cases" / "sts-calcinosis.yaml"


def run_command(path: Path, as_json: bool = False, journal: str | None = None) -> tuple[int, str]:
    run = run_cli("check", path, *(["--json"] if as_json else []), *(["--journal", journal] if journal else []))
    return run.status, run.out


def test_shipped_example_exits_0_and_prints_counts_against_limits():
    status, text = run_command(EXAMPLE)
    assert status == 0
    unconfirmed = "519 words (limit not confirmed), 6 references (limit not confirmed), 3 figures (limit not confirmed)"
    assert unconfirmed in text
    assert "0 errors, 0 warnings" in text
    assert text.rstrip().endswith("passed. No identifier found by the scan: read the text once more yourself.")


def test_identifier_exits_1_and_table_shows_severity_field_and_advice():
    status, text = run_command(CASES / "identifier_in_narrative.yaml")
    assert status == 1
    rows = [line for line in text.splitlines() if line.lstrip().startswith("error")]
    assert len(rows) == 3
    assert "case.outcome:24" in rows[0] and "facility 'Mercy General Hospital' is an identifier" in rows[0]
    assert "describe the place instead, e.g. 'a community" in rows[0]
    assert "3 errors, 0 warnings, 0 notes: blocked" in text


def test_journal_option_checks_against_another_profile():
    status, text = run_command_with_journal(EXAMPLE, "ama")
    assert status == 0
    assert "3 / 2 figures (1 over)" in text


def run_command_with_journal(path: Path, journal: str) -> tuple[int, str]:
    return run_command(path, journal=journal)


def test_warnings_alone_exit_0():
    status, text = run_command(CASES / "missing_consent.yaml")
    assert status == 0
    assert "CARE item 13 (Informed consent) is missing" in text


def test_json_output_holds_every_finding_with_span():
    status, text = run_command(CASES / "identifier_in_legend.yaml", as_json=True)
    data = json.loads(text)
    assert status == 1
    assert data["passed"] is False
    assert data["counts"] == {"error": 1, "warning": 0, "note": 0}
    assert data["findings"] == [{
        "severity": "error", "kind": "identifier", "field": "figures[0].legend",
        "message": "date 'June 14, 2022' is an identifier under HIPAA Safe Harbor",
        "suggestion": "write 'in 2022' or a time from presentation, e.g. 'at 3-month follow-up'",
        "text": "June 14, 2022", "start": 45, "end": 58, "detail": "date", "line": 40,
    }]
    assert [m["name"] for m in data["measures"]] == ["words", "references", "figures"]
    assert len(data["care"]) == 13 and data["care"][2] == {
        "number": 3, "key": "abstract", "topic": "Abstract", "status": "not applicable", "found_in": [], "todo": "",
        "target": "abstract"}


def test_html_report_lists_findings_counts_and_the_care_checklist():
    page = render_check_html(run_checks(CASES / "over_word_limit.yaml"))
    soup = BeautifulSoup(page, "html.parser")
    tables = soup.find_all("table")
    assert [t.find_previous("h2").get_text() for t in tables] == ["Findings", "Counts and limits", "CARE checklist"]
    finding = [td.get_text() for td in tables[0].find_all("tr")[1].find_all("td")]
    assert finding[:4] == [
        "warning", "limit: words", "opening, case, discussion, dosing.text",
        "72 / 50 words (22 over): over the journal's limit",
    ]
    words = [td.get_text() for td in tables[1].find_all("tr")[1].find_all("td")]
    assert words[:4] == ["words", "72", "50", "22 over"]
    assert len(tables[2].find_all("tr")) == 14
    assert "passed" in soup.find(class_="verdict")["class"]
    assert not soup.find("script") and not soup.find("link")


def test_html_report_escapes_every_value():
    hostile = Finding(
        "error", "identifier", "case.outcome", "name '<script>alert(1)</script>' found",
        "write \"the patient\" & <b>not</b> this", "<img src=x onerror=alert(1)>", 0, 5, "name",
    )
    page = render_check_html(CheckReport(Path("<case>.yaml"), "ama", "letter", [hostile]))
    soup = BeautifulSoup(page, "html.parser")
    assert not soup.find("script") and not soup.find("img") and not soup.find("b")
    assert "<script>alert(1)</script>" in soup.get_text()
    assert "blocked" in soup.find(class_="verdict")["class"]
    assert soup.title.get_text() == "Check: <case>.yaml"
