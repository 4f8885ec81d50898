"""The CARE checklist as a journal asks for it: each item, and where in the manuscript it is reported.

The check already judges the 13 CARE topics from the case file and knows the fields each was
found in; this turns those fields into the manuscript's own section headings (the journal's
names where its profile renames them), and says for each item not reported why, in the
check's words: an editor reads "not reported" with its reason, never an empty cell.
"""

from __future__ import annotations

from caseletter.case.structures import CASE_REPORT, IMAGES
from caseletter.checks.care_items import MISSING, NOT_APPLICABLE, CareItem
from caseletter.submission.documents import plain_markdown

#: Where a case-file field prints in a full case report, by the kit's section names.
CASE_REPORT_SECTIONS = {
    "keywords": "keywords", "abstract": "abstract", "opening": "introduction", "patient": "case_presentation",
    "case.presentation": "case_presentation", "timeline": "timeline", "case.diagnosis": "diagnostic_assessment",
    "labs": "diagnostic_assessment", "case.treatment": "intervention", "interventions": "intervention",
    "dosing": "intervention", "case.outcome": "follow_up", "discussion": "discussion",
    "strengths_limitations": "strengths_limitations", "practice_points": "learning_points",
    "patient_perspective": "patient_perspective", "consent": "consent",
}
#: Where a field prints in a letter: its own headings, and the title page for the key words.
LETTER_SECTIONS = {
    "keywords": "Title page", "opening": "To the Editor", "patient": "Case", "case": "Case", "labs": "Case",
    "discussion": "Discussion", "interventions": "Dosing", "dosing": "Dosing", "timeline": "Dosing (timeline figure)",
    "practice_points": "Practice Points", "consent": "Title page", "patient_perspective": "Title page",
}


def reported_in(field: str, structure: str, headings: dict[str, str]) -> str:
    """The manuscript section a case-file field prints in ("Diagnostic assessment", "Case")."""
    if field == "title":
        return "Title"
    if structure == IMAGES:
        return "Text" if field not in ("figures", "keywords") else "Figures" if field == "figures" else "Title page"
    table = CASE_REPORT_SECTIONS if structure == CASE_REPORT else LETTER_SECTIONS
    key = next((table[p] for p in _prefixes(field) if p in table), "")
    if structure == CASE_REPORT:
        return headings.get(key, key.replace("_", " ").capitalize()) if key else "Title page"
    return key or "Title page"


def _prefixes(field: str) -> list[str]:
    """"case.diagnosis.assessment" → ["case.diagnosis.assessment", "case.diagnosis", "case"]."""
    base = field.split("[", 1)[0]
    parts = base.split(".")
    return [".".join(parts[:n]) for n in range(len(parts), 0, -1)]


def checklist_rows(items: list[CareItem], structure: str, headings: dict[str, str]) -> list[tuple[str, str, str]]:
    """(item, topic, where reported) for every CARE item, "not reported" or "not applicable" with why."""
    rows = []
    for item in items:
        if item.status == NOT_APPLICABLE:
            where = f"Not applicable: this article type has no {item.topic.lower()}."
        elif item.status == MISSING:
            where = f"Not reported. {item.todo}".strip()
        else:
            sections = list(dict.fromkeys(reported_in(f, structure, headings) for f in item.found_in))
            where = ", ".join(sections) + (f" (partly: {item.todo})" if item.todo else "")
        rows.append((str(item.number), item.topic, where))
    return rows


def care_checklist_markdown(title: str, items: list[CareItem], structure: str, headings: dict[str, str]) -> str:
    """The checklist as Markdown: a heading, what it is, and one table row per item."""
    lines = ["| Item | Topic | Reported in |", "|---:|:---|:---|"]
    for number, topic, where in checklist_rows(items, structure, headings):
        lines.append(f"| {number} | {plain_markdown(topic)} | {plain_markdown(where)} |")
    intro = (
        "The CARE checklist (Gagnier JJ, et al. The CARE guidelines: consensus-based clinical case reporting "
        "guideline development. 2013), each item with the section of the manuscript where it is reported."
    )
    return f"# CARE checklist\n\n**Manuscript:** {plain_markdown(title)}\n\n{intro}\n\n" + "\n".join(lines) + "\n"

