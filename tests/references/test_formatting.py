"""Formatted references: the seed journal's six lines and AMA on real references.

Every expected string below is the full reference as the journal or the AMA Manual of Style
prints it (books and chapters are the manual's own examples, sections 3.12.2 and 3.12.4).
"""

from __future__ import annotations

import json
import subprocess

import pytest

from caseletter.errors import ExportError, UnknownCitationKey, UnknownStyle
from caseletter.pandoc import pandoc_path
from caseletter.references.bibliography import load_bibliography
from caseletter.references.citeproc import format_reference_lines, format_references
from caseletter.references.csljson import build_csl_item
from helpers import ROOT

REFERENCES_BIB = ROOT / "references.bib"
AMA = ROOT / "templates" / "journals" / "ama" / "style.csl"
CUTIS = ROOT / "templates" / "journals" / "cutis" / "style.csl"
FIXTURES = ROOT / "tests" / "fixtures" / "bib"
SEED_EXPECTED = FIXTURES.parent / "golden" / "references-expected.txt"  # the seed's six printed lines

# The seed letter's reference list, character for character (a copy of the seed's
# references-expected.txt is tests/fixtures/golden/, which the next test compares against).
SEED_LINES = [
    "1. Gutierrez A Jr, Wetter DA. Calcinosis cutis in autoimmune connective tissue diseases. "
    "Dermatol Ther. 2012;25:195-206.",
    "2. Mageau A, Guigonis V, Ratzimbasafy V, et al. Intravenous sodium thiosulfate for treating "
    "tumoral calcinosis associated with systemic disorders: report of four cases. Joint Bone "
    "Spine. 2017;84:341-344.",
    "3. Raffaella C, Annapaola C, Tullio I, et al. Successful treatment of severe iatrogenic "
    "calcinosis cutis with intravenous sodium thiosulfate in a child affected by T-acute "
    "lymphoblastic leukemia. Pediatr Dermatol. 2009;26:311-315.",
    "4. Arabshahi B, Silverman RA, Jones OY, et al. Abatacept and sodium thiosulfate for "
    "treatment of recalcitrant juvenile dermatomyositis complicated by ulceration and "
    "calcinosis. J Pediatrics. 2012;160:520-522.",
    "5. Bair B, Fivenson D. A novel treatment for ulcerative calcinosis cutis. J Drugs Dermatol. "
    "2011;10:1042-1044.",
    "6. Smith GP. Intradermal sodium thiosulfate for exophytic calcinosis cutis of connective "
    "tissue disease. J Am Acad Dermatol. 2013;69:E146-E147.",
]

AMA_EXPECTED = {
    # journal article with issue and DOI; UTF-8 accent in a name
    "hernan2016": "Hernán MA, Robins JM. Using big data to emulate a target trial when a "
    "randomized trial is not available. Am J Epidemiol. 2016;183(8):758-764. "
    "doi:10.1093/aje/kwv254",
    # e-locator from the eid field; a DOI given as a doi.org URL
    "ioannidis2005": "Ioannidis JPA. Why most published research findings are false. PLoS Med. "
    "2005;2(8):e124. doi:10.1371/journal.pmed.0020124",
    # e-locator written in pages; more than 6 authors
    "page2021": "Page MJ, McKenzie JE, Bossuyt PM, et al. The PRISMA 2020 statement: an updated "
    "guideline for reporting systematic reviews. BMJ. 2021;372:n71. doi:10.1136/bmj.n71",
    # supplement; group author in braces; brace-protected title words
    "ada2021": "American Diabetes Association. 2. Classification and diagnosis of diabetes: "
    "Standards of Medical Care in Diabetes—2021. Diabetes Care. 2021;44(suppl 1):S15-S33. "
    "doi:10.2337/dc21-S002",
    # particle "de"; 7 authors and more -> first 3, et al
    "debono2011": "de Bono JS, Logothetis CJ, Molina A, et al. Abiraterone and increased "
    "survival in metastatic prostate cancer. N Engl J Med. 2011;364(21):1995-2005. "
    "doi:10.1056/NEJMoa1014618",
    # exactly 6 authors -> all of them
    "gagnier2013": "Gagnier JJ, Kienle G, Altman DG, Moher D, Sox H, Riley D. The CARE "
    "guidelines: consensus-based clinical case reporting guideline development. Glob Adv "
    "Health Med. 2013;2(5):38-43. doi:10.7453/gahmj.2013.008",
    # suffix III
    "king1994": "King SB III, Lembo NJ, Weintraub WS, et al. A randomized trial comparing "
    "coronary angioplasty with coronary bypass surgery. Emory Angioplasty versus Surgery Trial "
    "(EAST). N Engl J Med. 1994;331(16):1044-1050.",
    # suffix Jr (written "Jr." in the .bib); a title with two sentences
    "ware1992": "Ware JE Jr, Sherbourne CD. The MOS 36-item short-form health survey (SF-36). "
    "I. Conceptual framework and item selection. Med Care. 1992;30(6):473-483.",
    # particle "van der"; a token with inner capitals
    "vandermaaten2008": "van der Maaten L, Hinton G. Visualizing data using t-SNE. J Mach "
    "Learn Res. 2008;9:2579-2605.",
    # LaTeX accent {\'e}
    "hebert1999": "Hébert PC, Wells G, Blajchman MA, et al. A multicenter, randomized, "
    "controlled clinical trial of transfusion requirements in critical care. N Engl J Med. "
    "1999;340(6):409-417.",
    # LaTeX accent \"{o}
    "spitzer2006": "Spitzer RL, Kroenke K, Williams JBW, Löwe B. A brief measure for assessing "
    "generalized anxiety disorder: the GAD-7. Arch Intern Med. 2006;166(10):1092-1097. "
    "doi:10.1001/archinte.166.10.1092",
    # book with edition and publisher (AMA 3.12.2, example 4)
    "patterson2016": "Patterson JW. Weedon’s Skin Pathology. 4th ed. Churchill Livingstone; "
    "2016.",
    # book, first edition not printed (AMA 3.12.2, example 3)
    "sacks2012": "Sacks O. Hallucinations. Alfred A Knopf; 2012.",
    # edited book, suffix Jr, et al before eds (AMA 3.12.2, example 2)
    "adkinson2014": "Adkinson NF Jr, Bochner BS, Burks W, et al, eds. Middleton’s Allergy: "
    "Principles and Practice. 8th ed. Saunders; 2014.",
    # group author of a book, edition written as a word (AMA 3.12.2, example 5)
    "atagi2015": "Australian Technical Advisory Group on Immunisation (ATAGI). The Australian "
    "Immunisation Handbook. 10th ed. Australian Government Dept of Health; 2015.",
    # chapter in an edited book (AMA 3.12.4)
    "prince2011": "Prince M, Glozier N, Sousa R, Dewey M. Measuring disability across physical, "
    "mental, and cognitive disorders. In: Regier DA, Narrow WE, Kuhl EA, Kupfer DJ, eds. The "
    "Conceptual Evolution of DSM-5. American Psychiatric Publishing Inc; 2011:189-227.",
    # chapter (biblatex @inbook) in a later edition (AMA 3.12.4)
    "boushey2013": "Boushey CJ. Application of research paradigms to nutrition practice. In: "
    "Coulston AM, Boushey CJ, Ferruzzi MG, eds. Nutrition in the Prevention and Treatment of "
    "Disease. 3rd ed. Academic Press; 2013:99-105.",
    # web page with published and accessed dates (AMA 3.15.1; the "Updated" date is not
    # supported, see the report)
    "cdc2016zika": "Zika travel information. Centers for Disease Control and Prevention. "
    "January 26, 2016. Accessed June 18, 2019. "
    "https://wwwnc.cdc.gov/travel/page/zika-travel-information",
}


@pytest.fixture(scope="module")
def ama_refs():
    """All the real references formatted with AMA in one pandoc run."""
    bibliography = load_bibliography([FIXTURES / "ama_real_references.bib"])
    return {ref.key: ref for ref in format_references(bibliography.csl_items(), AMA)}


def test_seed_references_come_out_exactly_with_the_cutis_style():
    lines = format_reference_lines([REFERENCES_BIB], CUTIS)
    assert lines == SEED_LINES
    assert lines == SEED_EXPECTED.read_text(encoding="utf-8").splitlines()


def test_seed_references_with_ama_keep_italic_journal_titles():
    refs = format_references(load_bibliography([REFERENCES_BIB]).csl_items(), AMA)
    assert refs[0].markdown == (  # periods and hyphens escaped: the text prints as typed, not as smart typography
        "Gutierrez A Jr, Wetter DA\\. Calcinosis cutis in autoimmune connective tissue diseases\\. "
        "*Dermatol Ther*\\. 2012;25:195\\-206\\."
    )
    assert refs[5].html == (
        "Smith GP. Intradermal sodium thiosulfate for exophytic calcinosis cutis of connective "
        "tissue disease. <i>J Am Acad Dermatol</i>. 2013;69:E146-E147."
    )


@pytest.mark.parametrize("key", list(AMA_EXPECTED))
def test_ama_formats_real_reference(ama_refs, key):
    assert ama_refs[key].text == AMA_EXPECTED[key]


def test_numbers_follow_the_order_given(ama_refs):
    assert [ref.number for ref in ama_refs.values()] == list(range(1, len(AMA_EXPECTED) + 1))
    bibliography = load_bibliography([REFERENCES_BIB])
    lines = format_reference_lines([REFERENCES_BIB], CUTIS, ["smith2013", "bair2011"])
    assert lines == ["1." + SEED_LINES[5][2:], "2." + SEED_LINES[4][2:]]
    assert list(bibliography) == [
        "gutierrez2012", "mageau2017", "raffaella2009", "arabshahi2012", "bair2011", "smith2013",
    ]


def test_html_has_italics_and_a_doi_link(ama_refs):
    assert ama_refs["ioannidis2005"].html == (
        "Ioannidis JPA. Why most published research findings are false. <i>PLoS Med</i>. "
        "2005;2(8):e124. doi:<a href=\"https://doi.org/10.1371/journal.pmed.0020124\">"
        "10.1371/journal.pmed.0020124</a>"
    )
    assert ama_refs["sacks2012"].html == "Sacks O. <i>Hallucinations</i>. Alfred A Knopf; 2012."


def test_markdown_reads_back_identically(ama_refs):
    tricky = {
        "id": "tricky", "type": "article-journal",
        "author": [{"literal": "O'Brien & *Partners* [Group] <Lab> @home #1 $5 under_score"}],
        "title": "Doses -- or --- ranges... \"quoted\" 'single' a\\b `tick` ~approx ^sup",
        "container-title": "1. Journal", "volume": "2", "page": "e1-e9",
    }
    refs = list(ama_refs.values()) + format_references([tricky], AMA)
    html_back = _pandoc_markdown_to_html([ref.markdown for ref in refs])
    for ref, back in zip(refs, html_back, strict=True):
        assert back == ref.html.replace("<i>", "<em>").replace("</i>", "</em>")


def _pandoc_markdown_to_html(markdowns: list[str]) -> list[str]:
    """Read each Markdown string with pandoc and write it back as an HTML fragment."""
    source = "\n\n".join(markdowns)
    done = subprocess.run(
        [pandoc_path(), "--from=markdown", "--to=html", "--wrap=none"],
        input=source, capture_output=True, text=True, check=True, encoding="utf-8",
    )
    paragraphs = [p for p in done.stdout.split("\n") if p]
    return [p.removeprefix("<p>").removesuffix("</p>") for p in paragraphs]


def test_unknown_key_names_the_closest_keys():
    with pytest.raises(UnknownCitationKey) as info:
        format_reference_lines([REFERENCES_BIB], CUTIS, ["smith2031"])
    message = str(info.value)
    assert "'smith2031'" in message
    assert "Did you mean smith2013?" in message
    assert "references.bib" in message


def test_missing_style_is_an_unknown_style(tmp_path):
    with pytest.raises(UnknownStyle, match="does not exist"):
        format_references([{"id": "a", "type": "book", "title": "T"}], tmp_path / "none.csl")


def test_pandoc_failure_reports_its_stderr(tmp_path):
    broken = tmp_path / "broken.csl"
    broken.write_text("<style xmlns='http://purl.org/net/xbiblio/csl'><info>", encoding="utf-8")
    with pytest.raises(ExportError) as info:
        format_references([{"id": "a", "type": "book", "title": "T"}], broken)
    message = str(info.value)
    assert str(broken) in message
    assert "pandoc failed" in message
    assert "XML" in message or "CSL" in message


def test_items_go_to_pandoc_as_csl_json_untouched(tmp_path):
    # A title that pandoc's own BibTeX reader would re-capitalize after the colon.
    item = {"id": "x", "type": "article-journal", "title": "Tumoral calcinosis: report of cases",
            "container-title": "Joint Bone Spine", "issued": {"date-parts": [[2017]]},
            "volume": "84", "page": "341-344"}
    (ref,) = format_references([json.loads(json.dumps(item))], CUTIS)
    assert ref.text == "Tumoral calcinosis: report of cases. Joint Bone Spine. 2017;84:341-344."


def test_abbreviated_page_range_is_printed_in_full():
    item = build_csl_item("short", "article", {
        "author": [], "title": "Short range", "journal": "Am J Epidemiol", "year": "2016",
        "volume": "183", "number": "8", "pages": "758--64",
    })
    (ref,) = format_references([item], AMA)
    assert ref.text == "Short range. Am J Epidemiol. 2016;183(8):758-764."
