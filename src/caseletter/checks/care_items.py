"""The CARE case-report checklist, judged item by item from the case file.

CARE (2013) lists 13 topics a case report should cover and lets them appear in any section.
Each item here is judged from the fields that carry it: *present* when the fields hold what
the item asks for, *partial* when they hold some of it, *missing* when nothing does, and
*not applicable* when the journal's profile says the article type has no such part (a letter
has no abstract). The judgements are mechanical on purpose: they look for the things a
reviewer looks for first (a citation in the introduction, a follow-up time, a statement on
adverse events), and say which field to add them to.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from caseletter.case.fields import fields_under
from caseletter.case.model import Case
from caseletter.case.placeholders import without_placeholders
from caseletter.case.structures import CASE_REPORT, IMAGES, structure_of
from caseletter.references.keys import cited_keys

PRESENT, PARTIAL, MISSING, NOT_APPLICABLE = "present", "partial", "missing", "not applicable"

_CASE_REPORT = re.compile(r"\bcase (?:report|study)\b", re.IGNORECASE)
_METHODS = re.compile(
    r"\b(?:biops\w*|histo\w*|patholog\w*|laborator\w*|serum|blood|levels?|imaging|radiograph\w*|x-ray\w*|ultrasound\w*"
    r"|CT|MRI|tomograph\w*|scan\w*|examination|test\w*|culture\w*|assay\w*)\b",
    re.IGNORECASE,
)
_DIFFERENTIAL = re.compile(r"\b(?:differential|excluded|ruled out|considered|unlike|rather than)\b", re.IGNORECASE)
_FOLLOW_UP = re.compile(
    r"\bfollow-?up\b|\b\d+(?:\.\d+)?[- ](?:day|week|month|year)s?\b"
    r"|\bafter (?:\w+ ){0,2}(?:days?|weeks?|months?|years?)\b",
    re.IGNORECASE,
)
_ADVERSE = re.compile(r"\badverse\b|\bside effects?\b|\btolerat\w*\b|\bcomplications?\b|\btoxicit\w*\b", re.IGNORECASE)
_CONSENT = re.compile(r"\bconsent\w*\b|\bpermission\b|\bagreed\b", re.IGNORECASE)


@dataclass(frozen=True)
class CareItem:
    """One CARE topic as judged: its status, the fields it was found in, and what to add."""

    number: int
    key: str
    topic: str
    status: str
    found_in: tuple[str, ...] = ()
    todo: str = ""
    target: str = ""  # the case field to add it to


@dataclass(frozen=True)
class _Judgement:
    status: str
    found_in: tuple[str, ...] = ()
    todo: str = ""


def judge_title(case: Case) -> _Judgement:
    """Item 1: the diagnosis or intervention of focus, then the words "case report"."""
    title = case.title.lower()
    focus = [case.case.diagnosis.name, *(r.drug for r in case.interventions)]
    names_focus = any(f.lower() in title for f in focus if f)
    says_case_report = bool(_CASE_REPORT.search(case.title)) or structure_of(case.article_type) == IMAGES
    if names_focus and says_case_report:  # an images article's title names what it shows, not "case report"
        return _Judgement(PRESENT, ("title",))
    if names_focus or says_case_report:
        todo = "Add the words 'case report' after the focus." if names_focus else f"{_name_the_focus(case)}."
        return _Judgement(PARTIAL, ("title",), todo)
    return _Judgement(MISSING, ("title",), f"{_name_the_focus(case)}, then 'case report'.")


def _name_the_focus(case: Case) -> str:
    diagnosis = case.case.diagnosis.name
    named = f" ({diagnosis})" if diagnosis else ""
    return f"Name the diagnosis{named} or the intervention"


def judge_key_words(case: Case) -> _Judgement:
    """Item 2: 2 to 5 key words, one of them "case report"."""
    words = case.keywords
    if not words:
        return _Judgement(MISSING, (), "Add 'keywords:' with 2 to 5 terms, including 'case report'.")
    problems = []
    if not 2 <= len(words) <= 5:
        problems.append(f"give 2 to 5 key words (there are {len(words)})")
    if not any(_CASE_REPORT.fullmatch(w.strip()) for w in words):
        problems.append("include 'case report'")
    if problems:
        return _Judgement(PARTIAL, ("keywords",), "; ".join(problems).capitalize() + ".")
    return _Judgement(PRESENT, ("keywords",))


def judge_abstract(case: Case) -> _Judgement:
    """Item 3: an abstract, for the article types that have one (its structure is the article check's)."""
    if case.abstract:
        return _Judgement(PRESENT, ("abstract",))
    return _Judgement(
        MISSING,
        (),
        "This article type needs an abstract: what the case adds, the main concerns and findings, the diagnoses, "
        "interventions and outcomes, and the take-away lesson.",
    )


def judge_introduction(case: Case) -> _Judgement:
    """Item 4: why the case is unique, with references (the letter's opening, a case report's introduction)."""
    if not case.opening:
        return _Judgement(MISSING, (), "Add 'opening': why this case matters, citing what is known.")
    if cited_keys(case.opening):
        return _Judgement(PRESENT, ("opening",))
    return _Judgement(PARTIAL, ("opening",), "Cite the literature that shows why this case is unusual, e.g. [@key].")


def judge_patient_information(case: Case) -> _Judgement:
    """Item 5: demographics, main concerns, and the medical, family and psychosocial history."""
    if case.patient.history:
        return _Judgement(PRESENT, ("patient", "case.presentation"))
    return _Judgement(
        PARTIAL,
        ("patient", "case.presentation"),
        "Add 'patient.history': relevant medical, family and psychosocial history and past interventions.",
    )


def judge_clinical_findings(case: Case) -> _Judgement:
    """Item 6: the examination and other significant findings at presentation."""
    if len(case.case.presentation.split()) >= 10:
        return _Judgement(PRESENT, ("case.presentation",))
    return _Judgement(
        PARTIAL, ("case.presentation",), "Describe the examination findings at presentation in 'case.presentation'."
    )


def judge_timeline(case: Case) -> _Judgement:
    """Item 7: the episode of care as a timeline (the kit draws it from events and regimens)."""
    if len(case.timeline) >= 2:
        return _Judgement(PRESENT, ("timeline",))
    if case.timeline or case.interventions:
        found = ("timeline",) if case.timeline else ("interventions",)
        return _Judgement(
            PARTIAL, found, "Add 'timeline' events with relative times: onset, diagnosis, treatment changes, follow-up."
        )
    return _Judgement(MISSING, (), "Add 'timeline:' events with relative times ('-2 years', '0', '3 months').")


def judge_diagnostic_assessment(case: Case) -> _Judgement:
    """Item 8: the methods used and the differential diagnoses considered."""
    text = case.case.diagnosis.assessment
    if not text:
        return _Judgement(
            MISSING,
            (),
            "Add 'case.diagnosis.assessment': the tests that made the diagnosis and the differential considered.",
        )
    lacking = [
        what
        for what, pattern in (
            ("the tests or examination used", _METHODS),
            ("the differential diagnoses considered", _DIFFERENTIAL),
        )
        if not pattern.search(text)
    ]
    if len(lacking) == 2:
        return _Judgement(PARTIAL, ("case.diagnosis.assessment",), f"Add {lacking[0]} and {lacking[1]}.")
    return _Judgement(PRESENT, ("case.diagnosis.assessment",))


def judge_therapeutic_intervention(case: Case) -> _Judgement:
    """Item 9: each intervention with dose, route, frequency and duration."""
    if not case.interventions:
        return _Judgement(
            PARTIAL,
            ("case.treatment",),
            "Give the regimen under 'interventions' (drug, route, dose, frequency, duration).",
        )
    open_ended = [
        f"interventions[{i}].phases[{j}]"
        for i, r in enumerate(case.interventions)
        for j, p in enumerate(r.phases)
        if not (p.duration or p.until)
    ]
    if open_ended:
        return _Judgement(
            PARTIAL, ("case.treatment", "interventions"), f"Give a 'duration' or 'until' for {', '.join(open_ended)}."
        )
    return _Judgement(PRESENT, ("case.treatment", "interventions"))


def judge_follow_up(case: Case) -> _Judgement:
    """Item 10: outcomes with the follow-up time, and whether adverse events occurred."""
    places = fields_under(case, ("case.outcome", "case.treatment", "dosing.text", "discussion"))
    adverse = [name for name, text in places if _ADVERSE.search(text)]
    has_time = bool(_FOLLOW_UP.search(case.case.outcome))
    found = tuple(dict.fromkeys(["case.outcome", *adverse]))
    lacking = (
        ([] if has_time else ["the follow-up time in 'case.outcome'"])
        + ([] if adverse else ["whether adverse events occurred (or 'no adverse events')"])
    )
    if lacking:
        return _Judgement(PARTIAL, found, "State " + " and ".join(lacking) + ".")
    return _Judgement(PRESENT, found)


def judge_discussion(case: Case) -> _Judgement:
    """Item 11: the literature discussed, the take-away lessons, and a case report's strengths and limitations.

    The lessons are the Practice Points (a case report's learning points); an images article's
    discussion is its lesson.
    """
    structure = structure_of(case.article_type)
    cites = any(cited_keys(p) for p in case.discussion)
    points_wanted = not case.practice_points and structure != IMAGES
    lacking = (
        ([] if cites else ["cite the relevant literature in 'discussion'"])
        + (["give the take-away lessons under 'practice_points'"] if points_wanted else [])
        + ([] if case.strengths_limitations or structure != CASE_REPORT
           else ["give the case's strengths and limitations under 'strengths_limitations'"])
    )
    found = ("discussion",) + (("practice_points",) if case.practice_points else ()) + (
        ("strengths_limitations",) if case.strengths_limitations else ()
    )
    if lacking:
        return _Judgement(PARTIAL, found, "; ".join(lacking).capitalize() + ".")
    return _Judgement(PRESENT, found)


def judge_patient_perspective(case: Case) -> _Judgement:
    """Item 12: the patient's own view, or a statement that it could not be obtained."""
    if case.patient_perspective:
        return _Judgement(PRESENT, ("patient_perspective",))
    return _Judgement(
        MISSING, (), "Add 'patient_perspective': the patient's view in their words, or why it is not available."
    )


def judge_informed_consent(case: Case) -> _Judgement:
    """Item 13: how consent for publication was obtained."""
    if not case.consent:
        return _Judgement(
            MISSING, (), "Add 'consent': who gave informed consent for publication, and how (e.g. written)."
        )
    if not _CONSENT.search(case.consent):
        return _Judgement(PARTIAL, ("consent",), "Say that informed consent for publication was given.")
    return _Judgement(PRESENT, ("consent",))


CARE_ITEMS: tuple[tuple[str, str, str, Callable[[Case], _Judgement]], ...] = (
    ("title", "Title", "title", judge_title),
    ("key_words", "Key words", "keywords", judge_key_words),
    ("abstract", "Abstract", "abstract", judge_abstract),
    ("introduction", "Introduction", "opening", judge_introduction),
    ("patient_information", "Patient information", "patient.history", judge_patient_information),
    ("clinical_findings", "Clinical findings", "case.presentation", judge_clinical_findings),
    ("timeline", "Timeline", "timeline", judge_timeline),
    ("diagnostic_assessment", "Diagnostic assessment", "case.diagnosis.assessment", judge_diagnostic_assessment),
    ("therapeutic_intervention", "Therapeutic intervention", "interventions", judge_therapeutic_intervention),
    ("follow_up", "Follow-up and outcomes", "case.outcome", judge_follow_up),
    ("discussion", "Discussion", "discussion", judge_discussion),
    ("patient_perspective", "Patient perspective", "patient_perspective", judge_patient_perspective),
    ("informed_consent", "Informed consent", "consent", judge_informed_consent),
)
CARE_KEYS = tuple(key for key, _, _, _ in CARE_ITEMS)


def unknown_care_keys(not_applicable: tuple[str, ...]) -> list[str]:
    """Names in a profile's ``care_not_applicable`` that are not CARE items (typos)."""
    return [name for name in not_applicable if name not in CARE_KEYS]


def judge_care(case: Case, not_applicable: tuple[str, ...] = ()) -> list[CareItem]:
    """Judge all 13 CARE items, in checklist order.

    Args:
        case: the validated case; text still holding a placeholder counts as not written.
        not_applicable: item keys the journal's article type does not have (e.g. "abstract").
    """
    case = without_placeholders(case)
    items = []
    for number, (key, topic, target, judge) in enumerate(CARE_ITEMS, start=1):
        if key in not_applicable:
            items.append(CareItem(number, key, topic, NOT_APPLICABLE, target=target))
            continue
        verdict = judge(case)
        items.append(CareItem(number, key, topic, verdict.status, verdict.found_in, verdict.todo, target))
    return items


