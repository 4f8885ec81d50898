"""The writing lessons' exercises, from a broken case file to the submission checklist.

The lessons: a case file to fix, the title, key words, discussion, Practice Points, consent,
choosing a journal and the submission checklist.

Each judge looks for every element the lesson asks for and names the ones still missing, so a
half-answer ("asdf examination differential") is "Not yet" with what to add. Where the kit has
its own rule (CARE items, the identifier scanner, the journal profiles, the check report) the
judge asks the kit, so the lesson teaches what `caseletter check` will say of the learner's case.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from caseletter.case.source import load_case, read_case_source
from caseletter.errors import CaseletterError
from caseletter.teaching.exercises import (
    EXAMPLE_CASE,
    Verdict,
    is_unanswered,
    not_found,
    prose_problem,
    strip_citations,
)

DIAGNOSIS = re.compile(r"calcinosis|calcific|calcium deposit", re.IGNORECASE)
INTERVENTION = re.compile(r"thiosulfate|thiosulphate", re.IGNORECASE)
#: Claims of priority a reviewer will test against the literature.
PRIORITY_CLAIM = re.compile(
    r"\b(?:the )?first (?:\w+ ){0,2}(?:case|report|description|use)\b|\bnever (?:been )?(?:reported|described)\b"
    r"|\bnovel\b|\bunique\b|\bunprecedented\b",
    re.IGNORECASE,
)
HEDGED = re.compile(r"\bto (?:the best of )?our knowledge\b", re.IGNORECASE)
SEARCH_STATED = re.compile(r"\bsearch\w*\b.*\b(?:PubMed|MEDLINE|Embase|Scopus|Web of Science|literature)\b", re.I)
ADDS = re.compile(
    r"\b(?:this|our) (?:case|patient|report)\b|\bhere,? we\b|\bwe (?:report|describe|show)\b|\badds?\b|\bsuggests?\b",
    re.IGNORECASE,
)
ABOUT_THIS_PATIENT = re.compile(r"\b(?:our|this|the) patient\b|\b(?:she|he|her|his)\b|\b\d+-year-old\b", re.I)
BROKEN_CASE_NAME = "broken-case.yaml"


def judge_case_text(case_text: Any, case_path: Path | str = EXAMPLE_CASE) -> Verdict:
    """The case file must read and fit the schema, with the kit's own message when it does not."""
    if is_unanswered(case_text):
        return Verdict(False, "the case file is empty.", "the exercise cell: keep the text and fix it.")
    where = Path(case_path).with_name(BROKEN_CASE_NAME)
    try:
        source = read_case_source(where, text=str(case_text))
    except CaseletterError as exc:
        message = exc.message.replace(str(where), BROKEN_CASE_NAME)
        return Verdict(False, f"the kit still refuses it: {message}", "the line and field the message names.")
    kept = [field for field in ("title", "opening", "discussion") if not getattr(source.case, field)]
    if kept:
        return Verdict(False, f"it reads, but `{kept[0]}` went missing.", "fix the mistakes; keep what was written.")
    return Verdict(True, "the kit reads the case file: every mistake its messages named is fixed.")


def judge_title(title: Any, case_path: Path | str = EXAMPLE_CASE) -> Verdict:
    """A title names the diagnosis and the intervention, says "case report", claims nothing, names no one."""
    from caseletter.checks.care_items import judge_care
    from caseletter.deid.text import scan_text

    if is_unanswered(title):
        return Verdict(False, "no title yet.", "the exercise cell: write the title as a string.")
    text = str(title).strip()
    words = len(text.split())
    missing = not_found((
        ("the diagnosis (calcinosis cutis)", DIAGNOSIS.search(text)),
        ("the intervention (sodium thiosulfate)", INTERVENTION.search(text)),
    ))
    if missing:
        return Verdict(False, "the title does not name " + " nor ".join(missing) + ".",
                       "what a reader searching for this case would type.")
    if words > 20:
        return Verdict(
            False, f"{words} words is long for a title.", "cut it to 20 words or fewer: the focus, then 'case report'."
        )
    if PRIORITY_CLAIM.search(text):
        return Verdict(False, f'"{PRIORITY_CLAIM.search(text).group(0)}" is a claim a title cannot support.',
                       "the lesson: keep claims for the discussion, where the search behind them is stated.")
    if scan_text(text):
        return Verdict(False, f'"{scan_text(text)[0].text}" identifies someone.', "the title names no person or place.")
    case = load_case(case_path)
    item = next(i for i in judge_care(case.model_copy(update={"title": text})) if i.key == "title")
    if item.status != "present":
        return Verdict(False, f"CARE item 1 is {item.status}.", f"what it asks for: {item.todo}")
    return Verdict(True, f"{words} words naming the diagnosis and the intervention, then 'case report' (CARE item 1).")


def judge_keywords(keywords: Any, case_path: Path | str = EXAMPLE_CASE) -> Verdict:
    """2 to 5 terms, one "case report", the others naming the diagnosis and the intervention."""
    from caseletter.checks.care_items import judge_care

    if is_unanswered(keywords) or isinstance(keywords, str):
        return Verdict(False, "key words are a list of terms.",
                       'the exercise cell: keywords = ["term one", "term two", ...].')
    terms = [str(term).strip() for term in keywords if str(term).strip()]
    long_terms = [t for t in terms if len(t.split()) > 4 or re.search(r"[.;]", t)]
    if long_terms:
        return Verdict(
            False, f'"{long_terms[0]}" is a phrase, not a key word.', "one to four words, as an index lists a term."
        )
    if len({t.lower() for t in terms}) < len(terms):
        return Verdict(False, "a key word is given twice.", "each term once.")
    missing = not_found((
        ("the diagnosis", any(DIAGNOSIS.search(t) for t in terms)),
        ("the intervention", any(INTERVENTION.search(t) for t in terms)),
    ))
    case = load_case(case_path)
    item = next(i for i in judge_care(case.model_copy(update={"keywords": terms})) if i.key == "key_words")
    if item.status != "present":
        return Verdict(
            False, f"CARE item 2 is {item.status}: {item.todo}", "CARE: 2 to 5 terms, 'case report' among them."
        )
    if missing:
        return Verdict(
            False, "no key word names " + " nor ".join(missing) + ".", "the terms a reader would search for."
        )
    return Verdict(True, f"{len(terms)} key words: the diagnosis, the intervention and 'case report' (CARE item 2).")


def judge_discussion(discussion: Any, case_path: Path | str = EXAMPLE_CASE) -> Verdict:
    """What is known (cited), what this case adds, and no priority claim without its search."""
    from caseletter.references.case_bibliography import load_case_bibliography
    from caseletter.references.keys import cited_keys

    if is_unanswered(discussion):
        return Verdict(False, "no discussion yet.", "the exercise cell: write the paragraph.")
    text = str(discussion)
    unreadable = prose_problem(text, min_words=40, case_path=case_path)
    if unreadable:
        return Verdict(False, unreadable, "the exercise: a paragraph of three or four sentences.")
    keys = cited_keys(text)
    bibliography = load_case_bibliography(read_case_source(case_path))
    unknown = [k for k in keys if k not in bibliography]
    if unknown:
        return Verdict(False, f'"{unknown[0]}" is not a key of references.bib.', "the keys listed above the exercise.")
    missing = not_found((
        ("what is known, with a citation ([@key])", keys),
        ("what this case adds (\"this case suggests ...\")", ADDS.search(strip_citations(text))),
    ))
    if missing:
        return Verdict(False, "the paragraph does not yet say " + "; nor ".join(missing) + ".",
                       "the lesson's two questions: what was known before, and what does this patient add?")
    claim = PRIORITY_CLAIM.search(text)
    if claim and not (HEDGED.search(text) and SEARCH_STATED.search(text)):
        return Verdict(
            False, f'"{claim.group(0)}" claims priority, and a reviewer will search for an earlier report.',
            "drop the claim, or write \"to our knowledge\" and the search behind it (database, terms, date).",
        )
    reports = f"{len(keys)} report{'s' if len(keys) != 1 else ''}"
    return Verdict(True, f"it cites {reports} for what is known and says what this case adds.")


def judge_practice_points(points: Any) -> Verdict:
    """One or two take-away lessons, each one sentence a reader can act on, about patients in general."""
    if is_unanswered(points) or isinstance(points, str):
        return Verdict(False, "Practice Points are a list of one or two sentences.",
                       'the exercise cell: practice_points = ["...", "..."].')
    points = [str(p).strip() for p in points if str(p).strip()]
    if not 1 <= len(points) <= 2:
        return Verdict(
            False, f"{len(points)} points: the box holds one or two.", "keep the one or two lessons that matter most."
        )
    for number, point in enumerate(points, start=1):
        problem = practice_point_problem(point)
        if problem:
            return Verdict(False, f"point {number}: {problem}", "the lesson: a general rule a reader can use tomorrow.")
    counted = f"{len(points)} point{'s' if len(points) > 1 else ''}"
    return Verdict(True, f"{counted}, each one general sentence a reader can act on.")


def practice_point_problem(point: str) -> str:
    """Why one Practice Point is not yet one (or "")."""
    words = len(point.split())
    if "[@" in point:
        return "a Practice Point stands without citations."
    if len(re.findall(r"[.!?](?:\s|$)", point)) > 1:
        return "it is more than one sentence."
    if not 8 <= words <= 40:
        return f"{words} words: a point is one sentence of 8 to 40 words."
    if ABOUT_THIS_PATIENT.search(point):
        said = ABOUT_THIS_PATIENT.search(point).group(0)
        return f'"{said}" is about this patient; a point is about patients in general.'
    if not re.search(r"\b(?:consider|should|may|can|is|are|helps?|requires?|avoid|check|use)\b", point, re.I):
        return "it does not say what to do or what holds (consider ..., may ..., should ...)."
    return ""


def judge_consent(consent: Any) -> Verdict:
    """Who consented, in what form, to publication, and to the photographs the letter will show."""
    if is_unanswered(consent):
        return Verdict(False, "no consent statement yet.", "the exercise cell: write one or two sentences.")
    text = str(consent)
    elements = [
        ("that consent was given", r"\bconsent\w*\b|\bpermission\b"),
        ("its form (written, informed)", r"\bwritten\b|\binformed\b|\bsigned\b"),
        ("who gave it (the patient, or a parent or guardian)",
         r"\bpatient\b|\bparent\b|\bguardian\b|\bnext of kin\b|\brepresentative\b"),
        ("that it covers publication", r"\bpublica\w*\b|\bpublish\w*\b"),
        ("that it covers the photographs", r"\bimages?\b|\bphotograph\w*\b|\bfigures?\b|\bpictures?\b"),
    ]
    missing = [what for what, pattern in elements if not re.search(pattern, text, re.IGNORECASE)]
    if missing:
        return Verdict(False, "the statement does not say " + "; nor ".join(missing) + ".",
                       "what an editor must be able to confirm from the statement alone.")
    return Verdict(True, "it says who consented, how, and to what: publication and the photographs.")


def judge_journal(journal: Any, case_path: Path | str = EXAMPLE_CASE) -> Verdict:
    """A journal whose profile takes letters and whose known limits say what the letter must lose."""
    from caseletter.checks import run_checks
    from caseletter.journals import available_journals, load_journal

    if is_unanswered(journal):
        return Verdict(False, "no journal yet.", "the list above: write one profile's name as a string.")
    name = str(journal).strip()
    if name not in available_journals(Path(case_path)):
        return Verdict(
            False, f'"{name}" is not one of the kit\'s journal profiles.', "the first column of the list above."
        )
    types = load_journal(name, Path(case_path)).article_types
    if "letter" not in types:
        return Verdict(False, f"{name} takes no letters (its article types: {', '.join(types)}).",
                       "a journal whose profile lists 'letter'.")
    measures = run_checks(case_path, journal=name).measures
    if all(m.limit is None for m in measures):
        source = types["letter"].get("source", "the journal's site")
        return Verdict(
            False, f"the kit knows none of {name}'s limits for a letter, so nobody can say yet whether it fits.",
            f"its instructions ({source}), or a journal whose limits are known.",
        )
    return Verdict(True, f"{name}: " + "; ".join(m.shown for m in measures) + ". " + what_to_cut(measures))


def what_to_cut(measures: list) -> str:
    """The overage in words, and the limits still to read on the journal's page."""
    exceeded = [m for m in measures if m.limit is not None and m.excess]
    over = [f"{m.excess} {m.name[:-1] if m.excess == 1 else m.name}" for m in exceeded]
    unknown = [m.name for m in measures if m.limit is None]
    said = ("To send it there, cut " + " and ".join(over) + ".") if over else "It fits every limit the kit knows."
    return said + (f" Read the instructions for the {' and '.join(unknown)} limit." if unknown else "")


def draft_for_checklist(case_path: Path | str = EXAMPLE_CASE):
    """A classmate's draft of the example: no consent, no patient perspective, a TODO in the outcome."""
    import yaml

    source = read_case_source(case_path)
    data = yaml.safe_load(source.text)
    data.pop("consent", None)
    data.pop("patient_perspective", None)
    data["case"]["outcome"] = "TODO: the follow-up after the second course."
    return read_case_source(source.path, text=yaml.safe_dump(data, sort_keys=False, allow_unicode=True))


def fields_to_complete(source) -> set[str]:
    """The fields the check sends the author back to (errors, CARE items not present), without list indices."""
    from caseletter.checks import run_checks

    report = run_checks(source)
    fields = {f.field for f in report.findings if f.severity == "error"}
    not_present = [i for i in report.care if i.status in ("missing", "partial")]
    fields |= {i.target or (i.found_in[0] if i.found_in else "") for i in not_present}
    return {re.sub(r"\[\d+\]", "", field) for field in fields if field}


def judge_submission_checklist(to_complete: Any, case_path: Path | str = EXAMPLE_CASE) -> Verdict:
    """The fields named must be exactly those the check report of the draft sends back."""
    if is_unanswered(to_complete) or isinstance(to_complete, str):
        return Verdict(
            False, "the answer is a list of field names.", 'the exercise cell: to_complete = ["field", ...].'
        )
    named = {str(f).strip() for f in to_complete}
    expected = fields_to_complete(draft_for_checklist(case_path))
    missed, extra = sorted(expected - named), sorted(named - expected)
    if missed or extra:
        fields = f"{len(missed)} field{'s' if len(missed) != 1 else ''}"
        said = [f"the report still sends back {fields} you did not list"] if missed else []
        said += [f"{', '.join(extra)} {'is' if len(extra) == 1 else 'are'} fine in the report"] if extra else []
        return Verdict(False, "; ".join(said) + ".", "each error and each CARE item not 'present' in the report above.")
    listed = ", ".join(sorted(expected))
    return Verdict(True, f"those {len(expected)} fields are what stands between the draft and submission: {listed}.")


def show_bibliography(case_path: Path | str = EXAMPLE_CASE) -> None:
    """Print each key of the case's references with its title, to cite from in the discussion."""
    from caseletter.references.case_bibliography import load_case_bibliography

    bibliography = load_case_bibliography(read_case_source(case_path))
    for item in bibliography.csl_items(list(bibliography.keys())):
        print(f"[@{item['id']}]  " + re.sub(r"<[^>]+>", "", " ".join(str(item.get("title", "")).split())))


def show_letter_limits(case_path: Path | str = EXAMPLE_CASE) -> None:
    """Print every journal profile's letter limits beside the example's counts."""
    from caseletter.checks import run_checks
    from caseletter.journals import available_journals, load_journal

    print(f"{'profile':40} letter limits (words / references / figures)")
    for name in available_journals(Path(case_path)):
        types = load_journal(name, Path(case_path)).article_types
        if "letter" not in types:
            print(f"{name:40} takes no letters ({', '.join(types)})")
            continue
        limits = [types["letter"].get(key) for key in ("word_limit", "reference_limit", "figure_limit")]
        print(f"{name:40} " + " / ".join("?" if limit is None else str(limit) for limit in limits))
    measures = run_checks(case_path).measures
    print("\nThe example letter: " + ", ".join(f"{m.count} {m.name}" for m in measures) + " ('?': not in the profile).")


def show_draft_report(case_path: Path | str = EXAMPLE_CASE) -> None:
    """Print the check report of the classmate's draft: its errors and the CARE items not present."""
    from caseletter.checks import run_checks

    report = run_checks(draft_for_checklist(case_path))
    print("Errors:")
    for finding in report.findings:
        if finding.severity == "error":
            print(f"  {finding.field}: {finding.message}")
    print("CARE items not present:")
    for item in report.care:
        if item.status in ("missing", "partial"):
            where = item.target or ", ".join(item.found_in)
            print(f"  {item.number:>2} {item.topic} ({item.status}) in {where}: {item.todo}")
