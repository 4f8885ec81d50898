"""The tutorial's exercise checks: a plain-language verdict on each answer, computed by the kit.

Each ``check_*`` function prints one verdict: ``Right: ...`` or ``Not yet: ... Look at ...``. A
check never raises, so a wrong answer prints its hint and the notebook runs on. Every verdict
is computed by the kit itself from the example case (the dosing stage counts the infusions,
the CARE judge reads the assessment, the identifier scanner reads the sentence), so the
tutorial teaches what the kit will actually do with the learner's own case.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from caseletter.case.source import load_case, read_case_source
from caseletter.errors import CaseletterError
from caseletter.paths import example_case

EXAMPLE_CASE = example_case()
CITE_FIRST = ("gutierrez2012", "smith2013")
IDENTIFIER_SENTENCE = (
    "She was first seen at Mercy General Hospital on March 3, 2021, by Dr Alan Reed, with hard plaques on both arms."
)
IDENTIFIER_KEEP = ("plaques", "arms")

@dataclass(frozen=True)
class Verdict:
    """What a check found: right or not, why, and where to look when it is not."""

    right: bool
    why: str
    look_at: str = ""

    @property
    def text(self) -> str:
        """The verdict in plain words, as the check cell prints it."""
        if self.right:
            return f"Right: {self.why}"
        return f"Not yet: {self.why}" + (f" Look at {self.look_at}" if self.look_at else "")


def exercise_check(judge):
    """Turn a judge (answer → Verdict) into a check that prints its verdict and never raises."""

    @functools.wraps(judge)
    def check(*args: Any, **kwargs: Any) -> None:
        try:
            verdict = judge(*args, **kwargs)
        except Exception as exc:  # a check cell must never stop the notebook
            verdict = Verdict(
                False,
                f"the check could not read your answer ({exc.__class__.__name__}: {exc}).",
                "the cell above: is the answer the kind of value the exercise asks for?",
            )
        print(verdict.text)

    check.judge = judge
    return check


def is_unanswered(answer: Any) -> bool:
    """True for the placeholders a learner has not replaced yet (None, "", ...)."""
    return answer is None or answer is Ellipsis or (isinstance(answer, str) and not answer.strip())


def judge_assessment(assessment: Any, case_path: Path | str = EXAMPLE_CASE) -> Verdict:
    """CARE item 8 asks how the diagnosis was made and what else was considered."""
    from caseletter.checks.care import judge_care

    if is_unanswered(assessment):
        return Verdict(False, "no assessment yet.", "the exercise cell: write one or two sentences in `assessment`.")
    case = load_case(case_path)
    diagnosis = case.case.diagnosis.model_copy(update={"assessment": str(assessment)})
    changed = case.model_copy(update={"case": case.case.model_copy(update={"diagnosis": diagnosis})})
    item = next(i for i in judge_care(changed) if i.key == "diagnostic_assessment")
    if item.status == "present":
        return Verdict(
            True,
            "CARE item 8 (Diagnostic assessment) now finds how the diagnosis was made and what else was considered.",
        )
    return Verdict(False, f"CARE item 8 is still {item.status}.", f"what it asks for: {item.todo}")


def judge_citations(opening: Any, case_path: Path | str = EXAMPLE_CASE) -> Verdict:
    """The opening must cite the two keys in order, in brackets; then every number may move."""
    from caseletter.references.case_bibliography import load_case_bibliography
    from caseletter.references.keys import cited_keys

    if is_unanswered(opening):
        return Verdict(
            False, "the opening is empty.", "the exercise cell: keep the two sentences and add the citations."
        )
    keys = cited_keys(str(opening))
    bare = [k for k in CITE_FIRST if f"@{k}" in str(opening) and k not in keys]
    if bare:
        return Verdict(
            False,
            f"{bare[0]} is written without square brackets, so it is not a citation.",
            f"the form [@{bare[0]}], brackets included.",
        )
    bibliography = load_case_bibliography(read_case_source(case_path))
    unknown = [k for k in keys if k not in bibliography]
    if unknown:
        close = bibliography.closest_keys(unknown[0]) or list(CITE_FIRST)
        return Verdict(
            False,
            f'"{unknown[0]}" is not a key of references.bib.',
            f"the spelling: did you mean {' or '.join(close)}?",
        )
    if not keys:
        return Verdict(
            False,
            "the opening cites nothing yet.",
            f"the exercise text: add [@{CITE_FIRST[0]}] at the end of the first sentence "
            f"and [@{CITE_FIRST[1]}] at the end of the second.",
        )
    if [k for k in keys if k in CITE_FIRST][:2] != list(CITE_FIRST):
        return Verdict(
            False,
            f"the opening cites {', '.join(keys) or 'nothing'}.",
            f"the order: first {CITE_FIRST[0]}, then {CITE_FIRST[1]}.",
        )
    return Verdict(True, "the references are renumbered. " + describe_renumbering(str(opening), case_path))


def describe_renumbering(opening: str, case_path: Path | str = EXAMPLE_CASE) -> str:
    """How each reference's number changes when the letter opens with this text."""
    before, after = citation_numbers(None, case_path), citation_numbers(opening, case_path)
    moves = [f"{key} {before.get(key, 'new')} → {number}" for key, number in after.items() if before.get(key) != number]
    return "Numbers that moved: " + ("; ".join(moves) if moves else "none") + "."


def citation_numbers(opening: str | None, case_path: Path | str = EXAMPLE_CASE) -> dict[str, int]:
    """Each cited key's reference number, with the letter opening with `opening` if given."""
    from caseletter.references.keys import cited_in_order

    case = load_case(case_path)
    if opening is not None:
        case = case.model_copy(update={"opening": opening})
    return {key: n for n, key in enumerate(cited_in_order(case), start=1)}


def judge_cumulative_dose(answer: Any, case_path: Path | str = EXAMPLE_CASE) -> Verdict:
    """The first phase of the first regimen, as the dosing stage computes it."""
    if is_unanswered(answer):
        return Verdict(False, "no answer yet.", "the exercise cell: replace None with the total in grams.")
    phase = example_regimens(case_path)[0].phases[0]
    grams = read_grams(answer)
    if grams is None:
        return Verdict(
            False,
            f"{answer!r} is not a dose.",
            "the exercise cell: give a number of grams, e.g. 500, or a string with a unit, e.g. '500 g'.",
        )
    expected = phase.cumulative.to("g").magnitude
    per_dose = phase.per_dose.to("g").magnitude
    if math.isclose(grams, expected, rel_tol=1e-3):
        return Verdict(
            True,
            f"{phase.count} infusions of {per_dose:g} g make {expected:g} g; the kit's dosing table says the same.",
        )
    return Verdict(
        False, f"{grams:g} g is {grams / per_dose:.4g} infusions of {per_dose:g} g.", dose_hint(grams, per_dose, phase)
    )


def dose_hint(grams: float, per_dose: float, phase) -> str:
    """Name the usual slip behind a wrong cumulative dose."""
    if math.isclose(grams, per_dose * phase.exact_count, rel_tol=1e-3):
        return (
            f"the count: {phase.exact_count:.4g} infusions is not a whole number; "
            "nobody gets 0.4 of an infusion, so round down."
        )
    weeks_if_4_per_month = 4 * phase.duration.span.value if phase.duration.span else None
    if weeks_if_4_per_month and math.isclose(
        grams, per_dose * phase.frequency.times * weeks_if_4_per_month, rel_tol=1e-3
    ):
        return "the length of a month: it is 30.44 days (365.25 / 12), a little over 4 weeks, not 4 weeks."
    return (
        "the three steps: days in the course (a month is 30.44 days), weeks (days / 7), "
        "infusions (weeks × 3, rounded down), grams (infusions × dose)."
    )


def read_grams(answer: Any) -> float | None:
    """A number of grams from 1300, 1300.0, '1300 g' or '1.3 kg'; None when it is not a dose."""
    if isinstance(answer, bool) or is_unanswered(answer):
        return None
    if isinstance(answer, (int, float)):
        return float(answer)
    from caseletter.dosing.units import unit_registry

    try:
        quantity = unit_registry().Quantity(str(answer))
        return float(quantity.to("g").magnitude) if not quantity.dimensionless else float(quantity.magnitude)
    except Exception:
        return None


def example_regimens(case_path: Path | str = EXAMPLE_CASE) -> list:
    """The example's regimens as the dosing stage computes them (phases with counts and doses)."""
    from caseletter.dosing.compute import compute_dosing

    return compute_dosing(load_case(case_path), Path(case_path)).regimens


def judge_gap(answer: Any, case_path: Path | str = EXAMPLE_CASE) -> Verdict:
    """Months between the end of the first course and the start of the second."""
    if is_unanswered(answer):
        return Verdict(False, "no answer yet.", "the exercise cell: replace None with a number of months.")
    end, start = treatment_gap(case_path)
    if isinstance(answer, bool) or not isinstance(answer, (int, float)):
        return Verdict(False, f"{answer!r} is not a number of months.", "the exercise cell: write a number, e.g. 2.")
    if math.isclose(answer, start - end, abs_tol=0.05):
        return Verdict(
            True,
            f"infusions stopped at {end:g} months and resumed at {start:g} months: "
            f"{start - end:g} month{'s' if start - end != 1 else ''} without treatment.",
        )
    if math.isclose(answer, end, abs_tol=0.05) or math.isclose(answer, start, abs_tol=0.05):
        return Verdict(
            False,
            f"{answer:g} months is a point on the axis, not a gap.",
            "where the first bar ends and where the second begins, and subtract.",
        )
    return Verdict(
        False,
        f"{answer:g} months is not the gap between the two bars.",
        "the two treatment bars of the timeline: where the first ends and where the second begins.",
    )


def treatment_gap(case_path: Path | str = EXAMPLE_CASE) -> tuple[float, float]:
    """(end of the first regimen, start of the second), in months from presentation."""
    from caseletter.dosing.quantities import parse_time_point
    from caseletter.dosing.units import CalendarAssumptions, span_days

    case, calendar = load_case(case_path), CalendarAssumptions()
    first, second = case.interventions[0], case.interventions[1]
    days = span_days(parse_time_point(first.start, "start"), calendar)
    days += sum(p.days or 0 for p in example_regimens(case_path)[0].phases)
    resumed = span_days(parse_time_point(second.start, "start"), calendar)
    return round(days / calendar.month_days, 2), round(resumed / calendar.month_days, 2)


def judge_regimen(phase: Any, case_path: Path | str = EXAMPLE_CASE) -> Verdict:
    """The repaired phase must read, and match the example's initial course."""
    from pydantic import ValidationError

    from caseletter.case.model import Phase
    from caseletter.dosing.compute import BodySize, compute_phase
    from caseletter.dosing.units import CalendarAssumptions

    try:
        parsed = Phase.model_validate(phase)
    except ValidationError:
        return Verdict(
            False,
            f"{phase!r} is not a phase.",
            "the exercise cell: `phase` is a dict with the keys dose, frequency and duration, each a string.",
        )
    case = load_case(case_path)
    try:
        figures = compute_phase(parsed, "phase", True, BodySize(case, "phase"), CalendarAssumptions())
    except CaseletterError as exc:
        return Verdict(False, "the kit cannot read the phase yet.", f"the kit's message: {exc.message}")
    target = example_regimens(case_path)[0].phases[0]
    if (
        figures.count == target.count
        and figures.cumulative is not None
        and math.isclose(figures.cumulative.to("g").magnitude, target.cumulative.to("g").magnitude)
    ):
        return Verdict(
            True,
            f"the kit reads it as {figures.count} infusions, {figures.cumulative.to('g').magnitude:g} g in all, "
            "as in the example's initial course.",
        )
    return Verdict(
        False,
        f"it reads, but gives {figures.count} infusions, not the {target.count} of the initial course.",
        "each value beside the example's: 12.5 g, 3 times weekly, 8 months.",
    )


def judge_identifiers(sentence: Any) -> Verdict:
    """No identifier may remain, and the clinical finding must survive the rewrite."""
    from caseletter.deid.text import scan_text

    if is_unanswered(sentence):
        return Verdict(False, "the sentence is empty.", "the exercise cell: rewrite the sentence, do not delete it.")
    findings = scan_text(str(sentence))
    if findings:
        found = "; ".join(f'"{f.text}" ({f.type})' for f in findings)
        return Verdict(
            False,
            f"the scanner still finds {found}.",
            "its advice: " + "; ".join(dict.fromkeys(f.suggestion for f in findings)) + ".",
        )
    lost = [word for word in IDENTIFIER_KEEP if word not in str(sentence).lower()]
    if lost:
        return Verdict(
            False, "no identifier is left, but the finding went with it.", f"keep what was seen: {', '.join(lost)}."
        )
    return Verdict(True, "no identifier is left, and the finding is still there.")


def care_table(report):
    """The CARE checklist as judged, as a Markdown table for the notebook."""
    from IPython.display import Markdown

    rows = [
        f"| {item.number} | {item.topic} | {item.status} | {', '.join(item.found_in) or item.target} |"
        for item in report.care
    ]
    return Markdown("\n".join(["| # | CARE topic | Status | Case file field |", "|---|---|---|---|", *rows]))


def show_references(opening: str | None = None, case_path: Path | str = EXAMPLE_CASE) -> None:
    """Print the reference list as the journal numbers it, with the letter opening with `opening`."""
    from caseletter.journals import load_journal
    from caseletter.references.case_bibliography import load_case_bibliography
    from caseletter.references.citeproc import format_references

    source = read_case_source(case_path)
    bibliography = load_case_bibliography(source)
    items = bibliography.csl_items(list(citation_numbers(opening, case_path)))
    for reference in format_references(items, load_journal(source.case.journal, source.path).csl):
        print(f"{reference.number}. {reference.text}")


check_assessment = exercise_check(judge_assessment)
check_citations = exercise_check(judge_citations)
check_cumulative_dose = exercise_check(judge_cumulative_dose)
check_gap = exercise_check(judge_gap)
check_regimen = exercise_check(judge_regimen)
check_identifiers = exercise_check(judge_identifiers)
