"""The tutorial's judges: a plain-language verdict on each answer, computed by the kit.

Each ``judge_*`` function returns a `Verdict`, ``Right: ...`` or ``Not yet: ... Look at ...``;
the check cell (`teaching.checkcell`) prints it, and a judge that fails is a verdict too, so a
wrong answer prints its hint and the notebook runs on. Every verdict is computed by the kit
itself from the example case (the dosing stage counts the infusions, the CARE judge reads the
assessment, the identifier scanner reads the sentence), so the tutorial teaches what the kit
will actually do with the learner's own case.
"""

from __future__ import annotations

import functools
import re
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
#: The two sentences of exercise 2's new opening, which the learner cites and must keep.
OPENING_SENTENCES = (
    "Dystrophic calcinosis cutis complicates connective tissue disease, and no treatment is standard.",
    "Sodium thiosulfate has cleared single deposits when injected into them.",
)

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


def not_found(elements: tuple[tuple[str, Any], ...]) -> list[str]:
    """The names of the elements an answer lacks, from (what, whether it was found) pairs, in order."""
    return [what for what, found in elements if not found]


def is_unanswered(answer: Any) -> bool:
    """True for the placeholders a learner has not replaced yet (None, "", ...)."""
    return answer is None or answer is Ellipsis or (isinstance(answer, str) and not answer.strip())


#: What "how the diagnosis was made" may name: an examination, a test, an image, a specimen.
ASSESSMENT_METHODS = re.compile(
    r"\b(?:examin\w*|biops\w*|histo\w*|patholog\w*|laborator\w*|serum|blood|levels?|imaging|radiograph\w*"
    r"|x-rays?|ultrasound\w*|CT|MRI|tomograph\w*|scans?|tests?|palpat\w*|dermoscop\w*)\b",
    re.IGNORECASE,
)
#: The diagnoses a reader of this case would weigh against dystrophic calcinosis cutis.
ALTERNATIVES = re.compile(
    r"\b(?:metastatic|calciphylaxis|idiopathic|iatrogenic|tumou?ral|gout\w*|toph\w*|osteoma|ossification"
    r"|hypercalc\w*|hyperphosph\w*|(?:raised|high|elevated|abnormal)\s+(?:serum\s+)?(?:calcium|phosphate)"
    r"|(?:calcium|phosphate)\s+(?:was|were|levels?)\s+(?:normal|raised|high|elevated)|renal|kidney|sarcoid\w*"
    r"|milia|xanthoma\w*)\b",
    re.IGNORECASE,
)
WEIGHED = re.compile(
    r"\b(?:differential|exclud\w*|ruled? out|consider\w*|unlikely|less likely|rather than|unlike|against|"
    r"instead of|normal)\b",
    re.IGNORECASE,
)


def judge_assessment(assessment: Any, case_path: Path | str = EXAMPLE_CASE) -> Verdict:
    """CARE item 8: the diagnosis, how it was made, and what else was considered, in sentences."""
    if is_unanswered(assessment):
        return Verdict(False, "no assessment yet.", "the exercise cell: write one or two sentences in `assessment`.")
    text = str(assessment)
    unreadable = prose_problem(text, min_words=15, case_path=case_path)
    if unreadable:
        return Verdict(False, unreadable, "the exercise cell: write it as you would for a reader, in sentences.")
    missing = not_found((
        ("the diagnosis itself (calcinosis)", re.search(r"calcinosis|calcif|calcium deposit", text, re.I)),
        ("how it was made (the examination, test or image that showed it)", ASSESSMENT_METHODS.search(text)),
        ("what else was considered (name another diagnosis, e.g. metastatic calcinosis or calciphylaxis)",
         ALTERNATIVES.search(text)),
        ("why that was set aside (considered, excluded, less likely ...)", WEIGHED.search(text)),
    ))
    if missing:
        return Verdict(False, "the assessment does not yet say " + "; nor ".join(missing) + ".",
                       "CARE item 8: a reader must see how you got from the findings to the diagnosis.")
    item = care_item(text, case_path)
    if item.status != "present":
        return Verdict(False, f"CARE item 8 is still {item.status}.", f"what it asks for: {item.todo}")
    return Verdict(
        True,
        "the assessment names the diagnosis, how it was made and what else was considered; "
        "CARE item 8 (Diagnostic assessment) is now present.",
    )


def care_item(assessment: str, case_path: Path | str):
    """The kit's own judgement of CARE item 8 with this assessment in the example case."""
    from caseletter.checks.care_items import judge_care

    case = load_case(case_path)
    diagnosis = case.case.diagnosis.model_copy(update={"assessment": assessment})
    changed = case.model_copy(update={"case": case.case.model_copy(update={"diagnosis": diagnosis})})
    return next(i for i in judge_care(changed) if i.key == "diagnostic_assessment")


def prose_problem(text: str, min_words: int, case_path: Path | str = EXAMPLE_CASE) -> str:
    """Why `text` does not read as sentences (too short, or mostly words no dictionary knows), or ""."""
    words = re.findall(r"[A-Za-z][A-Za-z'-]*", strip_citations(text))
    if len(words) < min_words:
        plural = "s" if len(words) != 1 else ""
        return f"{len(words)} word{plural} is too short to say all of it (write {min_words} or more)."
    unknown = [w for w in words if w.lower() not in known_words(str(case_path))]
    if len(unknown) > max(2, len(words) // 5):
        return f"it does not read as sentences: {', '.join(unknown[:4])} ... are not words a reader knows."
    if not re.search(r"\b(?:is|was|were|are|had|has|showed?|made|found|seen|confirmed|considered)\b", text, re.I):
        return "it reads as a list of words, not a sentence: say what was found and what was done."
    return ""


@functools.cache
def known_words(case_path: str) -> frozenset[str]:
    """English words (pyspellchecker's dictionary) and every word of the example case."""
    from spellchecker import SpellChecker

    words = set(SpellChecker(language="en").word_frequency.dictionary)
    words |= {w.lower() for w in re.findall(r"[A-Za-z][A-Za-z'-]*", read_case_source(case_path).text)}
    return frozenset(words)


def strip_citations(text: str) -> str:
    """The text without its [@key] citations."""
    return re.sub(r"\[@[^\]]*\]", " ", text)


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
    misplaced = citation_placement(str(opening))
    if misplaced:
        return Verdict(False, misplaced, "the exercise text: keep both sentences, each with its citation at its end.")
    return Verdict(True, "the references are renumbered. " + describe_renumbering(str(opening), case_path))


def citation_placement(opening: str) -> str:
    """What is wrong with where the two citations stand, or "": each must close its own sentence."""
    segments = re.split(r"\[@[^\]]*\]", opening)
    for number, (sentence, segment) in enumerate(zip(OPENING_SENTENCES, segments), start=1):
        if not sentence_kept(segment, sentence):
            which = "first" if number == 1 else "second"
            return (
                f"the {which} sentence (\"{sentence[:40]}...\") is not before its citation: "
                "a citation supports the sentence it closes, so the sentence must stay."
            )
    return ""


def sentence_kept(segment: str, sentence: str) -> bool:
    """True when most of the sentence's words (three letters or more) are in `segment`."""
    wanted = {w.lower() for w in re.findall(r"[A-Za-z]{3,}", sentence)}
    present = {w.lower() for w in re.findall(r"[A-Za-z]{3,}", segment)}
    return len(wanted & present) >= 0.7 * len(wanted)


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
    """No identifier may remain (the scanner's or a reader's eye), and the clinical finding must survive."""
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
    names = names_left(str(sentence))
    if names:
        return Verdict(
            False,
            f"the scanner finds nothing, but {', '.join(repr(n) for n in names)} still "
            f"{'points' if len(names) == 1 else 'point'} at a person, a place or a day: "
            "a scanner misses what a reader who knows the patient would not.",
            "a role instead of a name (\"her dermatologist\"), "
            "a relative time instead of a date (\"at presentation\").",
        )
    lost = [word for word in IDENTIFIER_KEEP if word not in str(sentence).lower()]
    if lost:
        return Verdict(
            False, "no identifier is left, but the finding went with it.", f"keep what was seen: {', '.join(lost)}."
        )
    return Verdict(True, "no identifier is left, and the finding is still there.")


def names_left(sentence: str) -> list[str]:
    """Words of the draft's identifiers still there, and capitalised words inside the sentence.

    The scanner reads "by Alan" as two ordinary words; the exercise knows the draft named Alan
    Reed, and a capital letter in the middle of a clinical sentence is nearly always a name.
    """
    from caseletter.deid.text import scan_text

    draft = {w for f in scan_text(IDENTIFIER_SENTENCE) for w in re.findall(r"\w+", f.text) if len(w) > 2}
    left = [w for w in re.findall(r"\w+", sentence) if w in draft and w not in ("General", "Hospital")]
    body = re.split(r"(?<=[.!?])\s+", sentence)
    capitals = [w for part in body for w in re.findall(r"(?<=\s)[A-Z][a-z]+", part) if w not in ("I",)]
    return list(dict.fromkeys(left + capitals))


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

