"""The three article structures: a case letter, a full case report in CARE's sections, an images article.

Each is composed from the shipped examples and read back: the sections in their order, the
journal's own headings, tables numbered as they print, an images article's figures first; each
notebook runs as it is (a real kernel, in notebooks/ as JupyterLab runs it); and the two new
examples build to HTML, DOCX and PDF, opened and read.
"""

from __future__ import annotations

import io
import re

import nbformat
import pytest
from bs4 import BeautifulSoup
from docx import Document
from pypdf import PdfReader

from caseletter.build.recipe import build_letter
from caseletter.letter.notebook import open_letter
from helpers import ROOT

REPORT = ROOT / "cases" / "sts-calcinosis-report.yaml"
IMAGES = ROOT / "cases" / "sts-calcinosis-images.yaml"
LETTER = ROOT / "cases" / "sts-calcinosis.yaml"


@pytest.fixture(scope="module")
def report():
    return open_letter(REPORT)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("articles")
    return {name: build_letter(case, out) for name, case in (("report", REPORT), ("images", IMAGES))}


def headings(html: str) -> list[str]:
    return [h.get_text() for h in BeautifulSoup(html, "html.parser").find_all(["h2", "h3"])]


def test_a_case_report_follows_cares_order(report):
    names = [n for n in report.order if not n.startswith("figure:")]
    assert names == [
        "title", "byline", "affiliations", "abstract", "keywords", "introduction", "case_presentation", "timeline",
        "diagnostic_assessment", "intervention", "follow_up", "discussion", "strengths_limitations",
        "practice_points", "patient_perspective", "consent", "declarations", "references",
    ]
    shown = [h for n in names for h in headings(report.sections[n].html)]
    assert shown[:3] == ["Abstract", "Introduction", "Case presentation"]
    assert "Learning points" in shown and "Practice Points" not in shown


def test_a_structured_abstract_names_its_parts_and_key_words_follow(report):
    abstract = BeautifulSoup(report.sections["abstract"].html, "html.parser")
    assert [s.get_text() for s in abstract.find_all("strong")] == ["Background:", "Case presentation:", "Conclusions:"]
    assert report.sections["keywords"].markdown.startswith("**Key words:** calcinosis cutis;")


def test_tables_are_numbered_in_the_order_they_print(report):
    timeline = BeautifulSoup(report.sections["timeline"].html, "html.parser").find("caption").get_text()
    regimens = BeautifulSoup(report.sections["intervention"].html, "html.parser").find("caption").get_text()
    assert timeline.startswith("Table 1. Timeline") and regimens.startswith("Table 2. Regimens")
    assert "fig-timeline" not in report.figures  # a case report's timeline is its table


def test_declarations_and_consent_close_a_case_report(report):
    text = BeautifulSoup(report.sections["declarations"].html, "html.parser").get_text(" ")
    assert "Conflicts of interest: None declared." in " ".join(text.split())
    assert "informed consent" in report.sections["consent"].html.lower()


def test_a_journals_own_headings_replace_cares():
    bmj = open_letter(REPORT, journal="bmj-case-reports")
    shown = [h for n in bmj.order if not n.startswith("figure:") for h in headings(bmj.sections[n].html)]
    for heading in ("Summary", "Background", "Investigations", "Treatment", "Outcome and follow-up",
                    "Learning points", "Patient's perspective"):
        assert heading in shown, heading
    assert "Introduction" not in shown and "Diagnostic assessment" not in shown


def test_an_images_article_shows_its_figures_before_its_text():
    article = open_letter(IMAGES)
    assert article.order[:6] == [
        "title", "byline", "affiliations", "figure:fig-before", "figure:fig-after", "case",
    ]
    assert article.order[6:] == ["discussion", "references"]
    assert headings(article.sections["case"].html) == []  # a short text, no headings


def test_the_letter_keeps_its_shape(report):
    letter = open_letter(LETTER)
    names = [n for n in letter.order if not n.startswith("figure:")]
    assert names == ["title", "byline", "affiliations", "opening", "case", "discussion", "dosing", "references",
                     "practice_points"]


@pytest.mark.parametrize("notebook", ["case_report.ipynb", "images.ipynb"])
def test_each_notebook_runs_as_it_is(notebook):
    from nbclient import NotebookClient

    nb = nbformat.read(ROOT / "notebooks" / notebook, as_version=4)
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(ROOT / "notebooks")}}
                   ).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type in ("error", "stream")]
    html = " ".join(o.get("data", {}).get("text/html", "") for o in outputs)
    assert "Gutierrez A Jr, Wetter DA" in html
    if notebook == "case_report.ipynb":
        assert "Learning points" in html and "Strengths and limitations" in html and "Table 2." in html


def test_the_case_report_builds_to_html_docx_and_pdf(built):
    files = built["report"].files
    soup = BeautifulSoup(files["html"].read_text(), "html.parser")
    assert [h.get_text() for h in soup.find_all("h2")][:4] == [
        "Abstract", "Introduction", "Case presentation", "Timeline"]
    assert soup.find("aside", class_="practice-points").find("h2").get_text() == "Learning points"
    document = Document(io.BytesIO(files["docx"].read_bytes()))
    docx_headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "Strengths and limitations" in docx_headings and len(document.tables) == 2
    pdf = " ".join(page.extract_text() for page in PdfReader(files["pdf"]).pages)
    assert "STRENGTHS AND LIMITATIONS" in pdf.upper() and "Table 1. Timeline" in pdf
    assert len(re.findall(r"\n?\d\. [A-Z][a-z]+ [A-Z]+", pdf)) >= 6  # the six references


def test_the_images_article_builds_with_its_figures_first(built):
    files = built["images"].files
    pdf = PdfReader(files["pdf"]).pages[0].extract_text()
    assert pdf.index("Figure 1.") < pdf.index("Figure 2.") < pdf.index("A 54-year-old woman")
    soup = BeautifulSoup(files["html"].read_text(), "html.parser")
    main = soup.find("main")
    kinds = [c.name for c in main.find_all(["figure", "section"], recursive=False)]
    assert kinds[:5] == ["section", "section", "section", "figure", "figure"]
