"""Figure references: every ``@fig-id`` in the text names a figure of the case.

A mistyped reference cannot become "Figure N"; it would print as typed in the letter. It is a
warning, at the field and span where it stands, with the closest ids the case has.
"""

from __future__ import annotations

import difflib

from caseletter.case.fields import FIGURE_REF, figure_fields, narrative_fields
from caseletter.case.source import CaseSource
from caseletter.checks.finding import WARNING, Finding
from caseletter.checks.profile import Profile


def find(source: CaseSource, profile: Profile) -> list[Finding]:
    """A warning for each ``@fig-...`` that names no figure of the case."""
    known = [figure.id for figure in source.case.figures]
    findings = []
    for field, text in [*narrative_fields(source.case), *figure_fields(source.case)]:
        for match in FIGURE_REF.finditer(text):
            if match.group(1) not in known:
                findings.append(unknown_reference(field, match, known))
    return findings


def unknown_reference(field: str, match, known: list[str]) -> Finding:
    """The finding for one reference to a figure the case does not have."""
    close = difflib.get_close_matches(match.group(1), known, n=2)
    if close:
        hint = f"Did you mean {' or '.join('@' + c for c in close)}?"
    else:
        hint = f"The figures are: {', '.join(known) or 'none'}."
    return Finding(
        WARNING, "figure", field, f'"{match.group(0)}" names no figure of the case, so it prints as typed', hint,
        match.group(0), match.start(), match.end(), detail="figure_reference",
    )
