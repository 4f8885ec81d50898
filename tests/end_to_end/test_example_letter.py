"""The example letter, built for real, read back from the files a user gets."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from helpers import ROOT

# The seed letter's six references as the journal printed them (copied from the seed).
GOLDEN = (ROOT / "tests" / "fixtures" / "golden" / "references-expected.txt").read_text(encoding="utf-8").splitlines()


def squash(text: str) -> str:
    """Whitespace collapsed, as text extracted from a PDF or Word file needs."""
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def html(example_build):
    return BeautifulSoup(example_build.files["html"].read_text(encoding="utf-8"), "html.parser")


@pytest.fixture(scope="module")
def docx(example_build):
    from docx import Document

    return Document(str(example_build.files["docx"]))


@pytest.fixture(scope="module")
def pdf(example_build):
    from pypdf import PdfReader

    return PdfReader(str(example_build.files["pdf"]))


def test_build_writes_the_four_files(example_build):
    assert sorted(example_build.files) == ["docx", "html", "ipynb", "pdf"]
    assert all(p.parent == example_build.out_dir and p.stat().st_size > 1000 for p in example_build.files.values())
    assert example_build.out_dir.name == "sts-calcinosis"


def test_html_has_the_letters_sections_in_order(html):
    ids = [s["id"] for s in html.select("main.letter > section, main.letter > aside")]
    assert ids == [
        "title", "byline", "affiliations", "opening", "case", "discussion", "dosing", "references", "practice-points",
    ]
    assert html.select_one("#opening p").get_text() == "To the Editor:"
    assert html.title.get_text() == (
        "Generalized dystrophic calcinosis cutis treated with intravenous sodium thiosulfate"
    )


def test_html_citations_are_superscripts_after_the_period(html):
    discussion = str(html.select_one("#discussion"))
    assert re.search(r"precipitate\.<span class=\"citation\"[^>]*><sup>1</sup></span> The", discussion)
    assert re.search(r"leukemia\.<span class=\"citation\"[^>]*><sup>3</sup>", discussion)
    numbers = [int(s.get_text()) for s in html.select("#discussion sup")]
    assert numbers == [1, 1, 1, 2, 3, 4, 5, 6, 4]


def test_html_bibliography_is_the_golden_list(html):
    entries = [squash(e.get_text()) for e in html.select("#refs .csl-entry")]
    assert entries == GOLDEN


def test_html_shows_no_code_prompts_or_scripts(html):
    text = html.get_text()
    assert "open_letter" not in text and "In [" not in text and "letter.show" not in text
    assert html.find("script") is None


def test_html_figures_are_embedded_numbered_and_described(html):
    figures = html.select("figure.caseletter-figure")
    assert [f["id"] for f in figures] == ["fig-before", "fig-after", "fig-timeline"]
    assert all(f.img["src"].startswith("data:image/png;base64,") for f in figures)
    assert all(len(f.img["alt"]) > 20 for f in figures)
    assert figures[0].figcaption.get_text().startswith("Figure 1. Dystrophic calcinosis cutis before treatment")
    assert "A, Clavicular region and neck. B, Antecubital fossa." in figures[0].figcaption.get_text()
    assert "(Figure 1)" in html.select_one("#case").get_text()


def test_html_dosing_table_has_the_computed_columns(html):
    rows = [[c.get_text(" ", strip=True) for c in tr.find_all(["td", "th"])] for tr in html.select("#dosing table tr")]
    assert rows[0] == ["Source", "Regimen", "Doses, n", "Cumulative dose", "Dose per week", "Infusion rate"]
    first = rows[1]
    assert first[0] == "This case: Initial course" and first[2:] == ["104", "1300 g", "37.5 g/week", "0.417 g/min"]
    literature = [r for r in rows if r[0].startswith("Juvenile")][0]
    assert literature[0].endswith("4") and literature[2:4] == ["6", "60 g"]
    assert ["", "Total, 15.0 weeks", "32", "450 g"] == [c for c in rows[-1][:4]]


def test_html_has_a_print_stylesheet(html):
    assert "@media print" in html.style.get_text()


def test_docx_carries_the_same_letter(docx):
    paragraphs = [p for p in docx.paragraphs if p.text.strip()]
    texts = [p.text for p in paragraphs]
    assert texts[0] == "Generalized dystrophic calcinosis cutis treated with intravenous sodium thiosulfate"
    assert paragraphs[0].style.name == "Title"
    assert "To the Editor:" in texts
    headings = [p.text for p in paragraphs if p.style.name.startswith("Heading")]
    assert headings == ["Case", "Discussion", "Dosing", "References", "Practice Points"]
    bibliography = [squash(p.text) for p in paragraphs if p.style.name == "Bibliography"]
    assert bibliography == GOLDEN


def test_docx_citations_are_superscript_runs(docx):
    paragraph = next(p for p in docx.paragraphs if "calcium salts precipitate" in p.text)
    superscripts = [r.text for r in paragraph.runs if r.font.superscript]
    assert superscripts == ["1", "1"]
    assert "precipitate.1 The" in paragraph.text


def test_docx_practice_points_are_a_box_and_properties_name_the_authors(docx):
    boxed = [p.text for p in docx.paragraphs if p.style.name == "Practice Points"]
    assert any("Consider IV sodium thiosulfate" in t for t in boxed)
    assert docx.core_properties.author == "Jordan Avery, MD; Sam Okafor, MD"
    assert docx.core_properties.title.startswith("Generalized dystrophic")
    assert len(docx.inline_shapes) == 3
    table = docx.tables[0]
    assert [c.text for c in table.rows[1].cells][2:4] == ["104", "1300 g"]


def test_pdf_is_one_or_two_pages_with_the_same_text(pdf):
    assert 1 <= len(pdf.pages) <= 2
    text = squash(" ".join(page.extract_text() for page in pdf.pages)).replace("- ", "-")
    assert "To the Editor:" in text
    assert "PRACTICE POINTS" in text
    for line in GOLDEN:
        assert squash(line) in text, line
    assert "precipitate.1 The" in text
    assert "1300 g" in text and "450 g" in text, "the dosing table is missing from the PDF"
    assert "Figure 3. Timeline of the case" in text


def test_pdf_properties_come_from_the_case_not_the_computer(pdf):
    meta = pdf.metadata
    assert meta.title.startswith("Generalized dystrophic")
    assert meta.author == "Jordan Avery, MD, Sam Okafor, MD"  # typst joins the author list with commas
    assert "1970" in meta["/CreationDate"]


def test_executed_notebook_keeps_every_computation(example_build):
    import nbformat

    nb = nbformat.read(example_build.files["ipynb"], as_version=4)
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert injected and "sts-calcinosis.yaml" in injected[0].source
    sections = [
        o.metadata["caseletter"].get("section")
        for c in nb.cells
        for o in c.get("outputs", [])
        if "caseletter" in o.get("metadata", {})
    ]
    assert "references" in sections and "practice_points" in sections
