"""References as reference managers export them: CSL-JSON, RIS, PubMed's MEDLINE, and BibTeX.

The fixtures hold one article as Better BibTeX, Zotero (CSL JSON), EndNote (RIS) and PubMed
(.nbib) write it; the four must print the same line, in every journal style the kit ships.
"""

from __future__ import annotations

import pytest

from caseletter.checks.run import run_checks
from caseletter.errors import BibliographyError
from caseletter.journals import load_journal
from caseletter.references.bibliography import load_bibliography
from caseletter.references.citeproc import format_reference_lines
from helpers import FIXTURES, edited_example, run_cli

EXPORTS = FIXTURES / "exports"
FILES = ["betterbibtex.bib", "zotero.json", "endnote.ris", "pubmed.nbib"]
AMA_LINE = (
    "1. Gutierrez A Jr, Wetter DA. Calcinosis cutis in autoimmune connective tissue diseases. Dermatol Ther. "
    "2012;25(2):195-206. doi:10.1111/j.1529-8019.2012.01492.x"
)


@pytest.mark.parametrize("name", FILES)
def test_each_export_prints_the_same_ama_line(name):
    assert format_reference_lines([EXPORTS / name], load_journal("ama").csl) == [AMA_LINE]


@pytest.mark.parametrize("style", ["ama", "cutis"])
def test_the_four_exports_agree_in_every_shipped_style(style):
    csl = load_journal(style).csl
    lines = {name: format_reference_lines([EXPORTS / name], csl) for name in FILES}
    assert len(set(map(tuple, lines.values()))) == 1, lines


def test_a_file_without_keys_gets_author_year_keys_and_says_them():
    run = run_cli("refs", EXPORTS / "pubmed.nbib", "--keys")
    assert run.status == 0 and run.out.startswith("[@gutierrez2012] 1. Gutierrez A Jr")


def test_two_records_of_one_author_and_year_get_a_and_b(tmp_path):
    record = (EXPORTS / "endnote.ris").read_text(encoding="utf-8")
    both = tmp_path / "two.ris"
    both.write_text(record + record.replace("Calcinosis cutis", "Another paper on calcinosis"), encoding="utf-8")
    assert list(load_bibliography([both])) == ["gutierrez2012", "gutierrez2012a"]


def test_a_key_the_file_gives_is_kept(tmp_path):
    text = (EXPORTS / "zotero.json").read_text(encoding="utf-8").replace('"type"', '"citation-key": "gw2012", "type"')
    path = tmp_path / "keyed.json"
    path.write_text(text, encoding="utf-8")
    assert list(load_bibliography([path])) == ["gw2012"]


def test_formats_mix_in_one_case(tmp_path):
    case = edited_example(tmp_path, bibliography=["doe.ris", "roe.json"], replace=[(
        "Dystrophic calcinosis cutis causes pain,", "Dystrophic calcinosis cutis [@doe2020; @roe2019] causes pain,",
    )])
    (case.parent / "doe.ris").write_text(
        "TY  - JOUR\nAU  - Doe, Jane\nTI  - A first paper\nT2  - Journal of Tests\nJ2  - J Tests\n"
        "PY  - 2020\nVL  - 1\nSP  - 1\nEP  - 5\nER  - \n", encoding="utf-8")
    (case.parent / "roe.json").write_text(
        '[{"id": "roe2019", "type": "article-journal", "title": "A second paper", "container-title-short": "J Tests",'
        ' "author": [{"family": "Roe", "given": "Richard"}], "issued": {"date-parts": [[2019]]}, "volume": "2",'
        ' "page": "10-12"}]', encoding="utf-8")
    run = run_cli("build", case, "--to", "html", "--out", tmp_path / "build")
    assert run.status == 0, run.err
    text = (tmp_path / "build" / case.stem / "letter.html").read_text(encoding="utf-8")
    assert "Doe J. A first paper. <em>J Tests</em>. 2020;1:1-5." in text
    assert "Roe R. A second paper. <em>J Tests</em>. 2019;2:10-12." in text


def test_the_same_paper_from_two_managers_is_a_duplicate_key(tmp_path):
    case = edited_example(tmp_path, bibliography=["pubmed.nbib"])
    (case.parent / "pubmed.nbib").write_bytes((EXPORTS / "pubmed.nbib").read_bytes())
    run = run_cli("check", case)
    assert run.status == 1 and "gutierrez2012" in run.out and "already defined" in " ".join(run.out.split())


@pytest.mark.parametrize(("name", "text", "said"), [
    ("bad.json", '[{"type": "book", "title": "x"},\n {oops}]', "line 2"),
    ("bad.json", '{"not": "a list"', "not JSON"),
    ("bad.ris", "TI  - no type\nER  - \n", "(TY)"),
    ("bad.nbib", "hello\n", "PMID"),
    ("notitle.ris", "TY  - JOUR\nAU  - Doe, J\nPY  - 2020\nER  - \n", "no title"),
])
def test_a_broken_export_is_one_paragraph_naming_the_file(tmp_path, name, text, said):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(BibliographyError) as caught:
        load_bibliography([path])
    assert str(path) in caught.value.message and said in caught.value.message


@pytest.mark.parametrize(("journal", "found"), [("cutis", True), ("ama", True), ("acta-psychologica", False)])
def test_a_full_journal_title_without_abbreviation_is_a_warning_where_the_style_abbreviates(tmp_path, journal, found):
    record = (EXPORTS / "endnote.ris").read_text(encoding="utf-8").replace("J2  - Dermatol Ther\n", "")
    case = edited_example(tmp_path, journal=journal, bibliography=["full.ris"], replace=[(
        "[@gutierrez2012]", "[@gwfull]",
    )])
    keyed = record.replace("TY  - JOUR\n", "TY  - JOUR\nID  - gwfull\n")
    (case.parent / "full.ris").write_text(keyed, encoding="utf-8")
    report_findings = run_checks(case).findings
    abbreviations = [f for f in report_findings if f.detail == "journal_abbreviation"]
    assert bool(abbreviations) is found
    if found:
        assert "'Dermatologic Therapy'" in abbreviations[0].message and "shortjournal" in abbreviations[0].suggestion
