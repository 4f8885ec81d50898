"""The tutorial's exercise checks: a plain-language verdict on each answer, computed by the kit.

Each ``check_*`` function prints one verdict: ``Right: ...`` or ``Not yet: ... Look at ...``. A
check never raises, so a wrong answer prints its hint and the notebook runs on. Every verdict
is computed by the kit itself from the example case (the dosing stage counts the infusions,
the CARE judge reads the assessment, the identifier scanner reads the sentence), so the
tutorial teaches what the kit will actually do with the learner's own case.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from caseletter.case.source import load_case, read_case_source
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
    from caseletter.checks.care_items import judge_care

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
check_identifiers = exercise_check(judge_identifiers)
