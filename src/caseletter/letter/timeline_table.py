"""The timeline as a table of times and events, for a case that keeps it out of the figure count.

It is pipe-table Markdown that goes through citeproc with the letter's text, like the dosing
table, so the same table reaches HTML, DOCX and PDF.
"""

from __future__ import annotations

from caseletter.pandoc import escape_markdown

HEADER = ("Time", "Event")
# Relative column widths, as dashes under the header: pandoc reads them for wrapped tables.
WIDTHS = (30, 70)
CAPTION = ": Timeline of the case, times relative to presentation."


def timeline_table_markdown(entries: list[tuple[str, str]]) -> str:
    """(time, event) pairs as a captioned pipe table."""
    lines = [_line(HEADER), _line(tuple("-" * w for w in WIDTHS))]
    lines += [_line((_cell(time), _cell(event))) for time, event in entries]
    return "\n".join(lines) + "\n\n" + CAPTION


def _line(cells: tuple[str, ...]) -> str:
    return "| " + " | ".join(cells) + " |"


def _cell(text: str) -> str:
    """Text safe in a pipe-table cell: escaped Markdown on one line."""
    return escape_markdown(str(text)).replace("\n", " ")
