"""The Dosing section's table, as pandoc Markdown with citations left as [@key].

The table reaches the letter through citeproc with the rest of the text, so a literature row's
citation gets the same number it has in the discussion, and the same table appears in HTML,
DOCX and PDF. Each regimen's phases are written as one readable phrase ("12.5 g 3 times weekly
over 30 minutes for 8 months"); the computed columns follow.
"""

from __future__ import annotations

import re

from caseletter.dosing.figures import DosingReport
from caseletter.dosing.table import NOT_REPORTED, PhaseRow, RegimenRow, drug_name, table_rows
from caseletter.pandoc import escape_markdown

HEADER = ["Source", "Regimen", "Doses, n", "Cumulative dose", "Dose per week", "Infusion rate"]
# Relative column widths, as dashes under the header: pandoc reads them for wrapped tables.
WIDTHS = [16, 42, 9, 11, 11, 11]


def dosing_table_markdown(report: DosingReport) -> str:
    """The regimen table; its caption states the calendar assumptions and every rounding."""
    regimens = table_rows(report)
    rows = [row for regimen in regimens for row in regimen_lines(regimen)]
    drugs = sorted({drug_name(r.route, r.drug) for r in regimens})
    lines = [table_line(HEADER), table_line(["-" * w for w in WIDTHS]), *(table_line(r) for r in rows)]
    notes = " ".join(escape_cell(n) for n in [report.assumptions.describe(), *report.notes] if n)
    caption = f": Regimens of {' and '.join(drugs)}, with administrations and doses computed from each phase. {notes}"
    return "\n".join(lines) + "\n\n" + caption


def regimen_lines(regimen: RegimenRow) -> list[list[str]]:
    """One table line per phase, and a total line when there are several phases."""
    source = _source_cell(regimen)
    lines = []
    for i, phase in enumerate(regimen.phases):
        described = describe_phase(phase)
        if i == 0 and regimen.note:
            described += " " + _sentence(regimen.note)
        lines.append([
            source if i == 0 else "", described, phase.administrations, phase.cumulative_dose, phase.dose_per_week,
            phase.infusion_rate,
        ])
    if len(regimen.phases) > 1:
        for total in regimen.totals or (regimen.total,):
            lines.append([
                "", f"{escape_cell(total.phase)}, {escape_cell(total.duration)}", total.administrations,
                total.cumulative_dose, total.dose_per_week, "",
            ])
    if len(regimen.totals) > 1:
        lines.append(["", f"Whole course: {escape_cell(regimen.length)}", "", "", "", ""])
    if regimen.course_length:
        lines.append(["", f"Course {escape_cell(regimen.course_length)}", "", "", "", ""])
    return lines


def describe_phase(phase: PhaseRow) -> str:
    """'12.5 g 3 times weekly over 30 minutes for 8 months' from a phase's cells."""
    parts = [f"{phase.drug}:"] if phase.drug else []
    parts.append("dose not reported" if phase.dose == NOT_REPORTED else phase.dose)
    if phase.frequency != "—":
        parts.append("frequency not reported" if phase.frequency == NOT_REPORTED else phase.frequency)
    if phase.infusion_time and phase.infusion_time != "—":
        parts.append(
            "infusion time not reported" if phase.infusion_time == NOT_REPORTED else f"over {phase.infusion_time}"
        )
    duration = phase.duration
    if duration.startswith(NOT_REPORTED):
        parts[-1] += ";"
        parts.append("duration " + duration)
    elif duration.startswith("gap"):
        parts[-1] += ";"
        parts.append(duration)
    elif duration != "—":
        parts.append(duration if duration.startswith(("until", "for ")) else f"for {duration}")
    text = escape_cell(" ".join(parts)) + "."
    if phase.note:
        text += " " + _sentence(phase.note)
    return text


def _sentence(note: str) -> str:
    note = escape_cell(note.strip())
    return note if note.endswith((".", "!", "?")) else note + "."


def _source_cell(regimen: RegimenRow) -> str:
    label = escape_cell(regimen.label) if regimen.label else ""
    if regimen.source == "this case":
        label = label or escape_cell(drug_name(regimen.route, regimen.drug))  # rows of several drugs tell apart
        return f"This case{': ' + label if label else ''}"
    cites = "; ".join(f"@{key}" for key in regimen.cite)
    return f"{label or 'Reported'} [{cites}]" if cites else (label or "Reported")


def table_line(cells: list[str]) -> str:
    """One row of a pandoc pipe table."""
    return "| " + " | ".join(cells) + " |"


FIGURE_AT = re.compile(r"\\@(?=fig-)")


def escape_cell(text: str) -> str:
    """Text safe in a pipe-table cell: escaped Markdown on one line, where only ``@fig-id`` stays live.

    A figure reference is left for the composer to print as "Figure N", as in the narrative
    (escaped, it would print as a stray backslash before "Figure N"); one naming no figure is
    escaped there with the rest of the text.
    """
    return FIGURE_AT.sub("@", escape_markdown(str(text)).replace("\n", " "))
