"""`dosing.timeline: table`: the timeline printed as a table in HTML and DOCX, and no longer counted as a figure."""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup

from helpers import edited_example, run_cli


@pytest.fixture(scope="module")
def table_letter(tmp_path_factory):
    """The example case with `dosing.timeline: table`, built once to HTML and DOCX."""
    root = tmp_path_factory.mktemp("timeline-table")
    case = edited_example(root, dosing__timeline="table")
    run = run_cli("build", case, "--out", root / "build", "--to", "html,docx")
    assert run.status == 0, run.err
    return case, root / "build" / case.stem


def timeline_rows(table) -> list[list[str]]:
    return [[cell.get_text(" ", strip=True) for cell in tr.find_all(["td", "th"])] for tr in table.find_all("tr")]


def test_html_prints_the_timeline_as_a_table_not_a_figure(table_letter):
    _, out = table_letter
    page = BeautifulSoup((out / "letter.html").read_text(encoding="utf-8"), "html.parser")
    assert page.find(id="fig-timeline") is None
    table = next(t for t in page.find_all("table") if "Timeline of the case" in t.get_text())
    rows = timeline_rows(table)
    assert rows[0] == ["Time", "Event"]
    assert ["10 years before presentation", "Calcified lesions first noted"] in rows
    assert ["3 months", "Marked reduction of deposits"] in rows
    assert [
        "Presentation to 8 months", "IV sodium thiosulfate (Initial course), 12.5 g 3 times weekly"
    ] in rows


def test_docx_carries_the_same_table(table_letter):
    from docx import Document

    _, out = table_letter
    tables = Document(str(out / "letter.docx")).tables
    texts = [[[c.text for c in row.cells] for row in t.rows] for t in tables]
    timeline = next(t for t in texts if t[0] == ["Time", "Event"])
    assert ["10 years before presentation", "Calcified lesions first noted"] in timeline


def test_check_counts_one_figure_fewer(table_letter, tmp_path):
    case, _ = table_letter
    as_figure = edited_example(tmp_path)

    def figures(path) -> int:
        run = run_cli("check", "--json", path)
        return next(m["count"] for m in json.loads(run.out)["measures"] if m["name"] == "figures")

    assert figures(case) == figures(as_figure) - 1
