"""Reading .bib files and converting entries to CSL-JSON (no pandoc in this file)."""

from __future__ import annotations

import bibtexparser
import pytest
from bibtexparser.middlewares import NameParts

from caseletter.errors import BibliographyError, UnknownCitationKey
from caseletter.references import bibtex as bibtex_module
from caseletter.references.bibliography import load_bibliography
from caseletter.references.csljson import build_csl_item, convert_name, normalize_edition, normalize_pages
from caseletter.references.titles import title_text
from helpers import ROOT

REFERENCES_BIB = ROOT / "references.bib"
FIXTURES = ROOT / "tests" / "fixtures" / "bib"
SEED_KEYS = ["gutierrez2012", "mageau2017", "raffaella2009", "arabshahi2012", "bair2011",
             "smith2013"]


# --- loading -----------------------------------------------------------------------------


def test_shared_bibliography_holds_the_six_seed_references_in_file_order():
    bib = load_bibliography([REFERENCES_BIB])
    assert list(bib) == SEED_KEYS
    entry = bib["mageau2017"]
    assert (entry.source, entry.line, entry.entry_type) == (REFERENCES_BIB, 16, "article")
    assert entry.where == f"{REFERENCES_BIB}, line 16, entry mageau2017"


def test_a_case_bib_adds_to_the_shared_one():
    bib = load_bibliography([REFERENCES_BIB, FIXTURES / "case_extra.bib"])
    assert list(bib)[-1] == "ioannidis2005"
    assert bib["ioannidis2005"].source == FIXTURES / "case_extra.bib"
    assert len(bib) == 7


def test_and_others_becomes_et_al_and_suffix_is_kept():
    items = load_bibliography([REFERENCES_BIB]).csl_items(["gutierrez2012", "mageau2017"])
    assert items[0]["author"] == [
        {"family": "Gutierrez", "given": "A.", "suffix": "Jr"},
        {"family": "Wetter", "given": "D. A."},
    ]
    assert items[1]["author"][-1] == {"literal": "others"}
    assert items[1]["title"] == (
        "Intravenous sodium thiosulfate for treating tumoral calcinosis associated with "
        "systemic disorders: report of four cases"
    )


def test_closest_keys_suggest_near_misses():
    bib = load_bibliography([REFERENCES_BIB])
    assert bib.closest_keys("smith2031") == ["smith2013"]
    assert bib.closest_keys("Mageau2017")[0] == "mageau2017"
    assert bib.closest_keys("zzzz") == []
    with pytest.raises(UnknownCitationKey, match=r"Did you mean gutierrez2012\?"):
        bib.require("gutierez2012", where="cases/example.yaml, discussion")


def test_urls_and_dois_are_not_latex_decoded_but_titles_are():
    (item,) = load_bibliography([FIXTURES / "verbatim_fields.bib"]).csl_items()
    assert item["URL"] == "https://example.org/reports/mrsa_2020%20final~v2.pdf"
    assert item["DOI"] == "10.5555/trust(2020)_mrsa~1"
    assert item["author"] == [{"literal": "Johnson & Johnson"}]
    assert item["title"] == (
        '<span class="nocase"><i>Staphylococcus aureus</i></span>'.join(
            ["Prevalence of ", ' in <span class="nocase">MRSA</span> screening: ward A & ward B'])
    )
    assert item["container-title"] == "Example Hospital Trust"
    assert item["issued"] == {"date-parts": [[2020, 3]]}


# --- errors ------------------------------------------------------------------------------


def test_unclosed_brace_names_file_line_and_key():
    path = FIXTURES / "unclosed_brace.bib"
    with pytest.raises(BibliographyError) as info:
        load_bibliography([path])
    message = str(info.value)
    assert message.startswith(f"{path}, line 7, entry broken2013: the entry is malformed")
    assert "Check that every { has its }" in message


def test_duplicate_key_in_one_file_names_both_lines():
    path = FIXTURES / "duplicate_key.bib"
    with pytest.raises(BibliographyError) as info:
        load_bibliography([path])
    assert str(info.value).startswith(
        f"{path}, line 7, entry same2012: the key 'same2012' is already used by the entry on "
        "line 1."
    )


def test_duplicate_key_across_files_names_both_places():
    extra = FIXTURES / "duplicate_of_shared.bib"
    with pytest.raises(BibliographyError) as info:
        load_bibliography([REFERENCES_BIB, extra])
    message = str(info.value)
    assert message.startswith(f"{extra}, line 2, entry smith2013: the key 'smith2013'")
    assert f"already defined in {REFERENCES_BIB}, line 58" in message


def test_missing_file_says_so():
    missing = FIXTURES / "no_such_file.bib"
    with pytest.raises(BibliographyError, match="does not exist") as info:
        load_bibliography([REFERENCES_BIB, missing])
    assert str(info.value).startswith(str(missing))


def test_missing_comma_is_caught_even_though_bibtexparser_accepts_it():
    path = FIXTURES / "missing_comma.bib"
    with pytest.raises(BibliographyError) as info:
        load_bibliography([path])
    assert str(info.value) == (
        f"{path}, line 1, entry nocomma2015: the field 'title' swallowed the next field "
        "'year'. Add the missing comma after the value of 'title'."
    )


def test_bad_urldate_names_the_entry():
    bib = load_bibliography([FIXTURES / "bad_urldate.bib"])
    with pytest.raises(BibliographyError, match="urldate 'June 18, 2019' is not a date") as info:
        bib.csl_items()
    assert "bad_urldate.bib, line 1, entry site2019" in str(info.value)


def test_file_that_is_not_utf8(tmp_path):
    path = tmp_path / "latin1.bib"
    path.write_bytes("@article{k, author = {Sch\u00f6n, A.}}".encode("latin-1"))
    with pytest.raises(BibliographyError, match="not UTF-8"):
        load_bibliography([path])


def test_parser_crash_is_wrapped_with_the_file_name(monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("internal parser state")

    monkeypatch.setattr(bibtex_module.bibtexparser, "parse_string", explode)
    with pytest.raises(BibliographyError) as info:
        load_bibliography([REFERENCES_BIB])
    assert str(info.value).startswith(f"{REFERENCES_BIB}: bibtexparser could not read the file")
    assert bibtexparser.parse_string is explode  # only our module's view was replaced


# --- CSL-JSON conversion -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        pytest.param(NameParts(["D.", "A."], [], ["Wetter"], []),
                     {"family": "Wetter", "given": "D. A."}, id="initials"),
        pytest.param(NameParts(["JPA"], [], ["Ioannidis"], []),
                     {"family": "Ioannidis", "given": "J. P. A."}, id="pubmed_initials"),
        pytest.param(NameParts(["John"], [], ["Smith"], ["III"]),
                     {"family": "Smith", "given": "John", "suffix": "III"}, id="suffix_III"),
        pytest.param(NameParts(["A."], [], ["Gutierrez"], ["Jr."]),
                     {"family": "Gutierrez", "given": "A.", "suffix": "Jr"}, id="suffix_Jr_dot"),
        pytest.param(NameParts(["S.", "K."], ["de", "la"], ["Peña"], []),
                     {"family": "Peña", "given": "S. K.", "non-dropping-particle": "de la"},
                     id="particle_de_la"),
        pytest.param(NameParts([], [], ["{World Health Organization}"], []),
                     {"literal": "World Health Organization"}, id="group_in_braces"),
        pytest.param(NameParts([], [], ["others"], []), {"literal": "others"}, id="and_others"),
    ],
)
def test_convert_name(parts, expected):
    assert convert_name(parts) == expected


@pytest.mark.parametrize(
    ("title", "sentence", "expected"),
    [
        pytest.param("Report of Four Cases: A Review", True, "Report of four cases: a review",
                     id="title_case_converted_and_subtitle_lowered"),
        pytest.param("Tumoral calcinosis in Denmark: Report of cases", True,
                     "Tumoral calcinosis in Denmark: Report of cases",
                     id="sentence_case_left_alone"),
        pytest.param("The {CARE} Guidelines for {Parkinson} Disease", True,
                     'The <span class="nocase">CARE</span> guidelines for '
                     '<span class="nocase">Parkinson</span> disease', id="braces_protect"),
        pytest.param("DNA and mRNA Vaccines Against IL-6 With CO2 Lasers", True,
                     "DNA and mRNA vaccines against IL-6 with CO2 lasers",
                     id="acronyms_inner_capitals_digits_kept"),
        pytest.param("Vitamin D Levels in T-Cell Lymphoma", True,
                     "Vitamin D levels in T-cell lymphoma", id="single_capitals_kept"),
        pytest.param("Middleton's Allergy: Principles and Practice", False,
                     "Middleton's Allergy: Principles and Practice", id="book_title_kept"),
    ],
)
def test_title_text(title, sentence, expected):
    assert title_text(title, sentence) == expected


@pytest.mark.parametrize(
    ("pages", "expected"),
    [("195--206", "195-206"), ("195–206", "195-206"), ("pp. 12 - 14", "12-14"),
     ("E146--E147", "E146-E147"), ("e4511", "e4511")],
)
def test_normalize_pages(pages, expected):
    assert normalize_pages(pages) == expected


@pytest.mark.parametrize(
    ("edition", "expected"),
    [("8", "8"), ("8th", "8"), ("Eighth edition", "8"), ("1", ""), ("first", ""),
     ("Revised", "Revised")],
)
def test_normalize_edition(edition, expected):
    assert normalize_edition(edition) == expected


@pytest.mark.parametrize(
    ("entry_type", "fields", "expected"),
    [
        pytest.param("article", {"number": "6 Suppl 2"},
                     {"issue": "6", "supplement-number": "2"}, id="issue_with_supplement"),
        pytest.param("article", {"issue": "Suppl"}, {"issue": "suppl"}, id="bare_supplement"),
        pytest.param("techreport", {"number": "TR-7", "institution": "WHO"},
                     {"type": "report", "number": "TR-7", "publisher": "WHO"}, id="report_number"),
        pytest.param("phdthesis", {"school": "Univ"},
                     {"type": "thesis", "genre": "Dissertation", "publisher": "Univ"}, id="thesis"),
        pytest.param("misc", {"url": "https://a.org", "urldate": "2024-05-01"},
                     {"type": "webpage", "accessed": {"date-parts": [[2024, 5, 1]]}},
                     id="misc_with_url_is_webpage"),
        pytest.param("inbook", {"title": "Dermatology", "chapter": "12", "pages": "1--9"},
                     {"type": "chapter", "container-title": "Dermatology",
                      "chapter-number": "12"}, id="classic_inbook"),
        pytest.param("inproceedings", {"booktitle": "Proc {AMIA}"},
                     {"type": "paper-conference",
                      "container-title": 'Proc <span class="nocase">AMIA</span>'},
                     id="conference_paper"),
        pytest.param("article", {"date": "2016-01-26", "year": "1999"},
                     {"issued": {"date-parts": [[2016, 1, 26]]}}, id="date_beats_year"),
        pytest.param("article", {"year": "in press"}, {"issued": {"literal": "in press"}},
                     id="year_in_words"),
        pytest.param("article", {"doi": "doi: 10.1000/xyz"}, {"DOI": "10.1000/xyz"},
                     id="doi_prefix_dropped"),
    ],
)
def test_build_csl_item_fields(entry_type, fields, expected):
    item = build_csl_item("k", entry_type, fields)
    assert {k: item.get(k) for k in expected} == expected
