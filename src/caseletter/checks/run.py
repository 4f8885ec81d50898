"""Running every check on a case: the list of checks, and the report they make together.

The recipe: load the journal's profile, then ask each check in `default_checks()` for its
findings, the way bibtexparser runs its stack of middlewares. A check is one module with one
``find(source, profile) -> list[Finding]``; adding a check is adding such a module and one
line below. Nothing here runs pandoc, a kernel or matplotlib; the figures are read for text and
faces once per image content (then cached), so the check is quick enough to run before every
build; only reading the case file itself can raise.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import caseletter.checks.article as article
import caseletter.checks.care as care
import caseletter.checks.citations as citations
import caseletter.checks.dosing as dosing
import caseletter.checks.figure_content as figure_content
import caseletter.checks.figures as figures
import caseletter.checks.identifiers as identifiers
import caseletter.checks.limits as limits
import caseletter.checks.missing as missing
import caseletter.checks.placeholders as placeholders
from caseletter.case.source import CaseSource, read_case_source
from caseletter.checks.care_items import judge_care
from caseletter.checks.finding import SEVERITIES, Finding
from caseletter.checks.profile import Profile, load_profile
from caseletter.checks.report import CheckReport

Check = Callable[[CaseSource, Profile], list[Finding]]


def default_checks() -> list[Check]:
    """Every check, in the order their findings are listed within a severity."""
    return [
        placeholders.find,
        identifiers.find,
        figure_content.find,
        citations.find,
        figures.find,
        dosing.find,
        dosing.find_timeline,
        missing.find,
        article.find,
        limits.find,
        care.find,
    ]


def run_checks(
    source: CaseSource | Path | str, journal: str | None = None, checks: list[Check] | None = None
) -> CheckReport:
    """Check one case and return every finding; findings never raise.

    Args:
        source: the case as read, or the path of its file.
        journal: a journal style to check against instead of the one the case names.
        checks: the checks to run (default: `default_checks()`).

    Raises:
        CaseletterError: only when the case file cannot be read or does not fit the schema.
    """
    if not isinstance(source, CaseSource):
        source = read_case_source(source)
    profile = load_profile(source, journal)
    findings = list(profile.findings)
    for check in checks if checks is not None else default_checks():
        findings += check(source, profile)
    return CheckReport(
        source.path,
        profile.name,
        source.case.article_type,
        ordered(findings, source),
        judge_care(source.case, care.not_applicable(profile, source.case)),
        limits.measure_letter(source.case, profile.article_type),
    )


def ordered(findings: list[Finding], source: CaseSource) -> list[Finding]:
    """Findings once each (one stage's error may recur in another), by severity, with their lines."""
    unique = {(f.field, f.message): f for f in reversed(findings)}
    located = [_with_line(f, source) for f in reversed(unique.values())]
    return sorted(located, key=lambda f: SEVERITIES.index(f.severity))


def _with_line(finding: Finding, source: CaseSource) -> Finding:
    line = source.line_of(finding.field)
    return replace(finding, line=line) if line else finding
