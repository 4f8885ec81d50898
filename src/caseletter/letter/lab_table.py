"""The case's laboratory values as a table, at the end of the Case section.

It is pipe-table Markdown that goes through citeproc with the letter's text, like the dosing
table, so the same table reaches HTML, DOCX and PDF. Every cell is the author's text or a
number the dosing stage computed, escaped whole: nothing typed in a lab can become markup.
The caption says which unit comes first, how converted values were rounded and what H and L mean.
"""

from __future__ import annotations

from caseletter.dosing.labs import LabRow, LabUnits
from caseletter.letter.tables import escape_cell, table_line

ORDER_CAPTIONS = {
    "si_first": "Laboratory values, in SI units with conventional units in parentheses.",
    "conventional_first": "Laboratory values, in conventional units with SI units in parentheses.",
    "as_reported": "Laboratory values, as reported.",
}
ROUNDING = "Converted values are rounded to 3 significant digits."
AS_REPORTED = "Tests without a known conversion are given as reported."
FLAGS = "H, above the reference range; L, below the reference range."
# Relative column widths, as dashes under the header: pandoc reads them for wrapped tables.
WIDTHS = {"Test": 16, "Time": 11, "Result": 26, "Reference range": 30, "Flag": 5, "Note": 16}


def lab_table_markdown(rows: list[LabRow], order: LabUnits) -> str:
    """The rows as a captioned pipe table; a Time or Note column only when some value has one."""
    columns = [c for c in WIDTHS if c not in ("Time", "Note") or any(_cells(r)[c] for r in rows)]
    lines = [table_line(columns), table_line(["-" * WIDTHS[c] for c in columns])]
    lines += [table_line([escape_cell(_cells(row)[c]) for c in columns]) for row in rows]
    return "\n".join(lines) + "\n\n: " + lab_caption(rows, order)


def lab_caption(rows: list[LabRow], order: LabUnits) -> str:
    """What the reader needs to read the table: the units' order, the rounding, what the flags mean."""
    parts = [ORDER_CAPTIONS[order]]
    if any(r.converted for r in rows):
        parts.append(ROUNDING)
    if order != "as_reported" and any(r.as_reported for r in rows):
        parts.append(AS_REPORTED)
    if any(r.flag for r in rows):
        parts.append(FLAGS)
    return " ".join(parts)


def _cells(row: LabRow) -> dict[str, str]:
    return {
        "Test": row.test, "Time": describe_time(row.time), "Result": row.result, "Reference range": row.range,
        "Flag": row.flag, "Note": row.note,
    }


def describe_time(time: str) -> str:
    """A relative time for the table: "0" is the presentation, any other time is printed as given."""
    return "Presentation" if time.strip() in {"0", "0 days"} else time
