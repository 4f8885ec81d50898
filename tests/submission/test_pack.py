"""`caseletter pack`: every file of a submission opened and read, as an editor's system would.

The shipped case report (AMA practice profile: blinded, TIFF at 300 dpi) and the example letter
(Cutis: blinded) are each packed once, for real: build, manuscript, title page, cover letter,
CARE checklist, figure files, JATS and zip.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from docx import Document
from lxml import etree
from PIL import Image

from caseletter.case.source import read_case_source
from caseletter.checks.article import count_abstract_words
from caseletter.checks.run import run_checks
from caseletter.errors import SubmissionRefused
from caseletter.submission.jats_validation import validate_jats
from caseletter.submission.pack import pack_case
from helpers import ROOT, edited_example

REPORT = ROOT / "cases" / "sts-calcinosis-report.yaml"
LETTER = ROOT / "cases" / "sts-calcinosis.yaml"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
AUTHOR_TRACES = ("Jordan", "Avery", "Okafor", "jordan.avery", "0000-0002-1825-0097", "0000-0001-5109-3700",
                 "Example University", "Example Avenue", "555 0100")


@pytest.fixture(scope="module")
def report_pack(tmp_path_factory):
    return pack_case(REPORT, out_root=tmp_path_factory.mktemp("pack-report"))


@pytest.fixture(scope="module")
def letter_pack(tmp_path_factory):
    return pack_case(LETTER, out_root=tmp_path_factory.mktemp("pack-letter"))


def docx_text(path: Path) -> str:
    document = Document(str(path))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def every_part(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name).decode("utf-8", "replace") for name in archive.namelist()}


def test_the_submission_holds_every_file(report_pack):
    names = {p.name for p in report_pack.files}
    assert names == {
        "manuscript.docx", "title-page.docx", "cover-letter.docx", "care-checklist.docx", "Figure1.tif",
        "Figure2.tif", "article.xml", "manifest.json",
    }
    assert report_pack.folder.name == "submission" and report_pack.folder.parent.name == "sts-calcinosis-report"
    assert report_pack.zip_path.name == "sts-calcinosis-report-submission.zip"
    leftovers = [p.name for p in report_pack.folder.parent.iterdir() if p.name.startswith(".submission")]
    assert leftovers == []


@pytest.mark.parametrize("which", ["report_pack", "letter_pack"])
def test_a_blinded_manuscript_names_no_author_in_any_part(which, request):
    manuscript = request.getfixturevalue(which).folder / "manuscript.docx"
    for part, xml in every_part(manuscript).items():
        text = re.sub(r"<[^>]+>", " ", xml)
        for trace in AUTHOR_TRACES:
            assert trace.lower() not in text.lower(), f"{trace!r} in {part}"
    properties = Document(str(manuscript)).core_properties
    assert properties.author == "" and properties.last_modified_by == ""
    assert properties.title.startswith("Generalized dystrophic calcinosis cutis")


def test_the_manuscript_is_double_spaced_with_line_and_page_numbers(report_pack):
    document = Document(str(report_pack.folder / "manuscript.docx"))
    for section in document.sections:
        numbering = section._sectPr.find(f"{W}lnNumType")
        assert numbering is not None and numbering.get(f"{W}countBy") == "1"
        assert numbering.get(f"{W}restart") == "continuous"
        footer_xml = etree.tostring(section.footer._element).decode()
        assert 'w:instr="PAGE"' in footer_xml
    for name in ("Normal", "Body Text", "First Paragraph", "Bibliography", "Heading 2"):
        assert document.styles[name].paragraph_format.line_spacing_rule is not None
        assert document.styles[name].paragraph_format.line_spacing_rule.name == "DOUBLE", name


def test_the_manuscript_has_no_figures_and_ends_with_references_tables_and_legends(report_pack):
    document = Document(str(report_pack.folder / "manuscript.docx"))
    assert len(document.inline_shapes) == 0
    texts = [p.text for p in document.paragraphs]
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[-3:] == ["References", "Tables", "Figure legends"]
    references = [p.text for p in document.paragraphs if p.style.name == "Bibliography"]
    assert len(references) == 6 and references[0].startswith("1.\tGutierrez A Jr, Wetter DA.")
    body = list(document.element.body)
    text_of = ["".join(run.text or "" for run in child.iter(f"{W}t")).strip() for child in body]
    tables = [i for i, child in enumerate(body) if child.tag == f"{W}tbl"]
    last_reference = max(i for i, text in enumerate(text_of) if text.startswith("6.\tSmith GP"))
    assert last_reference < text_of.index("Tables") < tables[0] < tables[-1] < text_of.index("Figure legends")
    captions = [p.text for p in document.paragraphs if p.style.name == "Table Caption"]
    assert [c.split(".")[0] for c in captions] == ["Table 1", "Table 2"]
    assert captions[0].startswith("Table 1. Timeline")
    assert texts[-2].startswith("Figure 1.") and texts[-1].startswith("Figure 2.")


def test_the_title_page_counts_what_the_check_counts(report_pack):
    text = docx_text(report_pack.folder / "title-page.docx")
    source = read_case_source(REPORT)
    measures = {m.name: m.count for m in run_checks(source).measures}
    assert f"Main text: {measures['words']} words" in text
    assert f"Abstract: {count_abstract_words(source.case)} words" in text
    assert f"References: {measures['references']}" in text and measures["references"] == 6
    assert f"Figures: {measures['figures']}" in text and "Tables: 2" in text
    for expected in ("Jordan Avery, MD", "Sam Okafor, MD", "ORCID: https://orcid.org/0000-0002-1825-0097",
                     "Email: jordan.avery@example.org", "Telephone: +1 555 0100", "Conflicts of interest",
                     "None declared.", "Funding", "Jordan Avery: Conceptualization", "Writing – original draft",
                     "Department of Dermatology, Example University School of Medicine", "case report"):
        assert expected in text, expected
    manifest = json.loads((report_pack.folder / "manifest.json").read_text())
    assert manifest["counts"]["words"] == measures["words"] and manifest["counts"]["tables"] == 2


def test_the_cover_letter_names_the_journal_and_leaves_the_claim_to_the_authors(report_pack):
    document = Document(str(report_pack.folder / "cover-letter.docx"))
    text = docx_text(report_pack.folder / "cover-letter.docx")
    assert "AMA Manual of Style (11th edition)" in text and "as a case report" in text
    assert "manuscript \u201cGeneralized dystrophic calcinosis cutis" in text
    placeholders = [r for p in document.paragraphs for r in p.runs if r.text.startswith("TO WRITE")]
    assert len(placeholders) == 1 and placeholders[0].font.highlight_color.name == "YELLOW"
    assert "blinded" in text and "Jordan Avery, MD" in text


def test_the_care_checklist_says_where_each_item_is_reported(report_pack):
    document = Document(str(report_pack.folder / "care-checklist.docx"))
    (table,) = document.tables
    rows = [[cell.text for cell in row.cells] for row in table.rows][1:]
    assert [row[0] for row in rows] == [str(n) for n in range(1, 14)]
    where = {row[1]: row[2] for row in rows}
    assert where["Diagnostic assessment"] == "Diagnostic assessment"
    assert where["Timeline"] == "Timeline" and where["Informed consent"] == "Informed consent"
    assert "Abstract" in where["Abstract"] and all(row[2] for row in rows)


def test_the_letters_checklist_says_not_applicable_and_not_reported_with_why(letter_pack):
    rows = [[c.text for c in row.cells] for row in Document(
        str(letter_pack.folder / "care-checklist.docx")).tables[0].rows][1:]
    where = {row[1]: row[2] for row in rows}
    assert where["Abstract"].startswith("Not applicable")
    assert where["Introduction"].startswith("To the Editor")


def test_figure_files_are_rgb_at_the_journals_dpi_with_no_metadata(report_pack, letter_pack):
    for path in [report_pack.folder / "Figure1.tif", report_pack.folder / "Figure2.tif",
                 letter_pack.folder / "Figure3.tif"]:
        with Image.open(path) as image:
            assert image.format == "TIFF" and image.mode == "RGB"
            assert [round(float(v)) for v in image.info["dpi"]] == [300, 300]
            assert "exif" not in image.info and "icc_profile" not in image.info and "xmp" not in image.info
            assert 34665 not in image.tag_v2 and 305 not in image.tag_v2 and 306 not in image.tag_v2
    with Image.open(letter_pack.folder / "Figure3.tif") as timeline:  # the kit's own, drawn for the column
        assert timeline.width >= round(84 / 25.4 * 300)
    assert any("Figure2.tif is 600 px wide" in w for w in report_pack.warnings)
    manifest = json.loads((report_pack.folder / "manifest.json").read_text())
    assert manifest["warnings"] == report_pack.warnings


def test_the_jats_validates_and_holds_every_reference(report_pack):
    xml = (report_pack.folder / "article.xml").read_bytes()
    assert validate_jats(xml) == []
    root = etree.fromstring(xml)
    assert root.get("article-type") == "case-report"
    assert len(root.findall(".//ref-list/ref")) == 6
    assert len(root.findall(".//fig")) == 2 and len(root.findall(".//table-wrap")) == 2


def test_the_zips_manifest_matches_its_files(report_pack):
    with zipfile.ZipFile(report_pack.zip_path) as archive:
        names = archive.namelist()
        root = report_pack.zip_path.stem
        manifest = json.loads(archive.read(f"{root}/manifest.json"))
        listed = {f["name"]: f for f in manifest["files"]}
        assert sorted(listed) == sorted(n.split("/", 1)[1] for n in names if not n.endswith("manifest.json"))
        for name, entry in listed.items():
            data = archive.read(f"{root}/{name}")
            assert hashlib.sha256(data).hexdigest() == entry["sha256"] and len(data) == entry["bytes"]
            assert (report_pack.folder / name).read_bytes() == data
    assert manifest["journal"] == "AMA Manual of Style (11th edition)" and manifest["blinded"] is True


def test_packing_again_replaces_the_submission_whole(report_pack):
    stale = report_pack.folder / "stale.txt"
    stale.write_text("from an earlier pack")
    again = pack_case(REPORT, out_root=report_pack.folder.parents[1])  # the letter is unchanged: no rebuild
    assert again.folder == report_pack.folder and not stale.exists()
    assert sorted(p.name for p in again.files) == sorted(p.name for p in report_pack.files)
    assert again.timings["build"] < 2


def test_packing_is_refused_while_the_check_has_placeholders_naming_each(tmp_path):
    case = edited_example(tmp_path, opening="TODO: why this case matters")
    with pytest.raises(SubmissionRefused) as refused:
        pack_case(case, out_root=tmp_path / "build")
    assert "opening" in refused.value.message and "not ready to submit" in refused.value.message
    assert not (tmp_path / "build").exists() or not list((tmp_path / "build").rglob("submission"))


def test_a_blinded_manuscript_that_would_name_an_author_is_refused(tmp_path):
    """An eponym of an author's own ("the Okafor grading") is no patient identifier, but it unblinds."""
    case = edited_example(
        tmp_path, journal="ama",
        edit=lambda data: data["discussion"].append("The Okafor grading of deposits was not used [@gutierrez2012]."),
    )
    with pytest.raises(SubmissionRefused) as refused:
        pack_case(case, out_root=tmp_path / "build")
    assert "names an author: the surname Okafor in word/document.xml" in refused.value.message
    assert "The Okafor grading" in refused.value.message
    assert not list((tmp_path / "build").rglob("manuscript.docx"))


def test_an_authors_own_paper_in_the_references_does_not_unblind(report_pack):
    """Self-citation is the journal's to blind in its reference list; a lower-case word is not a surname."""
    from docx.enum.style import WD_STYLE_TYPE

    from caseletter.submission.blinding import names_in_docx

    document = Document(str(report_pack.folder / "manuscript.docx"))
    if "Bibliography" not in [s.name for s in document.styles]:
        document.styles.add_style("Bibliography", WD_STYLE_TYPE.PARAGRAPH)
    document.add_paragraph("7. Avery J, Okafor S. Calcinosis in practice. Dermatol Ther. 2020;33:1-5.", "Bibliography")
    document.add_paragraph("She was young for the disease and avery quiet patient.")
    out = io.BytesIO()
    document.save(out)
    case = read_case_source(REPORT).case
    assert names_in_docx(out.getvalue(), case) == []
    document.add_paragraph("The Okafor grading was not used.")
    out = io.BytesIO()
    document.save(out)
    assert [f.what for f in names_in_docx(out.getvalue(), case)] == ["the surname Okafor"]


def test_pack_on_the_command_line_exits_2_with_one_paragraph(tmp_path, capsys):
    from caseletter.cli.commands import main

    case = edited_example(tmp_path, opening="TODO: why this case matters")
    assert main(["pack", str(case), "--out", str(tmp_path / "build")]) == 2
    err = capsys.readouterr().err
    assert "Traceback (most recent call last)" not in err and "not ready\nto submit" in err


def test_a_journal_that_does_not_blind_keeps_the_byline(tmp_path):
    folder = tmp_path / "cases"
    shutil.copytree(ROOT / "cases" / "figures", folder / "figures")
    shutil.copy(ROOT / "references.bib", tmp_path / "references.bib")
    case = folder / "images.yaml"
    shutil.copy(ROOT / "cases" / "sts-calcinosis-images.yaml", case)
    packed = pack_case(case, out_root=tmp_path / "build")
    text = docx_text(packed.folder / "manuscript.docx")
    assert "Jordan Avery, MD; Sam Okafor, MD" in text
    assert Document(io.BytesIO((packed.folder / "manuscript.docx").read_bytes())).core_properties.author
    assert "Figure legends" in text and "Figure 2." in text


def test_hostile_text_stays_text_in_every_file_of_the_submission(tmp_path):
    title = ('A case [TO WRITE: x]{custom-style="Placeholder"} <script>alert(1)</script> '
             "[link](javascript:alert(1)) & **b**")
    case = edited_example(tmp_path, journal="ama", title=title, conflicts="None <b>declared</b> & [@x]{.y}")
    packed = pack_case(case, out_root=tmp_path / "build")
    for name in ("title-page.docx", "cover-letter.docx", "care-checklist.docx", "manuscript.docx"):
        path = packed.folder / name
        parts = every_part(path)
        assert "javascript:" not in parts.get("word/_rels/document.xml.rels", ""), name
        assert "<script" not in parts["word/document.xml"], name
        document = Document(str(path))
        runs = [r for p in document.paragraphs for r in p.runs]
        placeholders = [r.text for r in runs if r.style is not None and r.style.name == "Placeholder"]
        assert all(t.startswith(("TO WRITE: in two", "Give the", "Not stated")) for t in placeholders), name
        if name != "care-checklist.docx":
            assert "<script>alert(1)</script>" in docx_text(path) or name == "manuscript.docx", name
    assert "None <b>declared</b> & [@x]{.y}" in docx_text(packed.folder / "title-page.docx")
    xml = (packed.folder / "article.xml").read_bytes()
    assert validate_jats(xml) == [] and b"<script>" not in xml and b"&lt;script&gt;" in xml
