"""Placeholders: every field still holding a TODO or a prompt of the case template is an error.

A draft is not a letter, but it may be read as one: the build still makes it, marked "Draft"
in every format, so the author can watch it take shape; only the check's verdict says it is
not done. One finding per field, at the placeholder's span.
"""

from __future__ import annotations

from caseletter.case.placeholders import find_placeholders
from caseletter.case.source import CaseSource
from caseletter.checks.finding import ERROR, Finding
from caseletter.checks.profile import Profile

PLACEHOLDER = "placeholder"


def find(source: CaseSource, profile: Profile) -> list[Finding]:
    """An error for each field that still holds placeholder text."""
    return [
        Finding(
            ERROR, PLACEHOLDER, hit.field, f"still holds the placeholder {hit.text!r}: the field is not written yet",
            "Write this field's own text; the comment above it in the case file says what it needs.",
            hit.text, hit.start, hit.end, detail=PLACEHOLDER,
        )
        for hit in find_placeholders(source.case)
    ]
