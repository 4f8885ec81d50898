"""The CARE check: a warning for each checklist item missing, a note for each one partly covered.

The items themselves are judged in `care_items`; this module turns the judgements into findings
and checks the journal profile's list of items that do not apply, since a typo there would
silently leave an item unjudged.
"""

from __future__ import annotations

import difflib

from caseletter.case.model import Case
from caseletter.case.source import CaseSource
from caseletter.case.structures import CASE_REPORT, IMAGES, structure_of
from caseletter.checks.care_items import CARE_KEYS, MISSING, PARTIAL, CareItem, judge_care, unknown_care_keys
from caseletter.checks.finding import NOTE, WARNING, Finding
from caseletter.checks.profile import Profile


def find(source: CaseSource, profile: Profile) -> list[Finding]:
    """A warning for each CARE item missing, a note for each one only partly covered.

    The journal profile's own list of items that do not apply is checked here too, since only
    this check knows the items' names: a typo there would silently judge an item.
    """
    findings = _profile_typos(profile)
    items = judge_care(source.case, not_applicable(profile, source.case))
    return findings + [care_finding(item) for item in items if item.status in (MISSING, PARTIAL)]


#: CARE items an article structure has no place for, whatever the journal: an images article is
#: the figures and a short text, with no abstract, introduction, timeline, regimen or patient's perspective.
STRUCTURE_NOT_APPLICABLE = {
    IMAGES: ("key_words", "abstract", "introduction", "timeline", "therapeutic_intervention", "patient_perspective"),
}


def not_applicable(profile: Profile, case: Case) -> tuple[str, ...]:
    """The CARE items that do not apply: the profile's, the structure's, and the abstract where none is wanted.

    A full case report has an abstract even when no profile says so; a letter has none unless
    its profile asks for one.
    """
    structure = structure_of(case.article_type)
    if profile.article_type is None:
        base: tuple[str, ...] = () if structure == CASE_REPORT else ("abstract",)
    else:
        base = profile.care_not_applicable
    return tuple(dict.fromkeys(base + STRUCTURE_NOT_APPLICABLE.get(structure, ())))


def _profile_typos(profile: Profile) -> list[Finding]:
    typos = unknown_care_keys(profile.article_type.care_not_applicable) if profile.article_type else []
    if not typos:
        return []
    close = [m for t in typos for m in difflib.get_close_matches(t, CARE_KEYS, n=1)]
    hint = (f"Did you mean {', '.join(close)}? " if close else "") + f"The items are: {', '.join(CARE_KEYS)}."
    where = f"{profile.journal.folder / 'journal.yaml'}, article_types.{profile.article_type.name}.care_not_applicable"
    what = f"{', '.join(typos)} {'is not a CARE item' if len(typos) == 1 else 'are not CARE items'}"
    return [Finding(WARNING, "journal", where, what, hint, ", ".join(typos), detail="care_items")]


def care_finding(item: CareItem) -> Finding:
    """A warning for a missing CARE item, a note for a partial one."""
    severity = WARNING if item.status == MISSING else NOTE
    field = ", ".join(item.found_in) or item.target
    return Finding(
        severity, "care", field, f"CARE item {item.number} ({item.topic}) is {item.status}", item.todo, detail=item.key
    )
