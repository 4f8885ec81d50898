"""The article as JATS Publishing 1.3: the three shipped examples, valid against the shipped DTD, read back."""

from __future__ import annotations

import shutil

import pytest
from lxml import etree

from caseletter.case.contributors import CREDIT_VOCABULARY, credit_term_identifier
from caseletter.journals import load_journal
from caseletter.letter.notebook import open_letter
from caseletter.styles import style_info
from caseletter.submission.jats import (
    abstract,
    article_category,
    article_xml,
    convert_parts,
    journal_issns,
    person_name,
)
from caseletter.submission.jats_references import element_citation, rich_text
from caseletter.submission.jats_text import xml_safe
from caseletter.submission.jats_validation import validate_jats
from helpers import ROOT

EXAMPLES = {
    "report": "sts-calcinosis-report.yaml",
    "letter": "sts-calcinosis.yaml",
    "images": "sts-calcinosis-images.yaml",
}
PUBLIC_ID = "-//NLM//DTD JATS (Z39.96) Journal Publishing DTD v1.3 20210610//EN"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
HOSTILE = "<script>alert(1)</script> & ]]>"


class Article:
    """One example's letter, its JATS bytes and the parsed root."""

    def __init__(self, letter, xml: bytes):
        self.letter = letter
        self.xml = xml
        self.root = etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True))


@pytest.fixture(scope="session")
def article():
    """Each example opened and written once for the whole session (opening a letter takes a second or two)."""
    made: dict[str, Article] = {}

    def get(name: str) -> Article:
        if name not in made:
            letter = open_letter(ROOT / "cases" / EXAMPLES[name])
            made[name] = Article(letter, article_xml(letter))
        return made[name]

    return get


def text(element) -> str:
    return " ".join("".join(element.itertext()).split())


@pytest.mark.parametrize("name", EXAMPLES)
def test_each_example_is_valid_against_the_shipped_dtd(article, name):
    assert validate_jats(article(name).xml) == []
    assert article(name).xml.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    assert PUBLIC_ID in article(name).xml.decode("utf-8")


@pytest.mark.parametrize(
    ("name", "article_type", "subject"),
    [("report", "case-report", "Case Report"), ("letter", "letter", "Letter"),
     ("images", "case-report", "Images in Clinical Medicine")],
)
def test_article_type_and_subject_follow_the_structure(article, name, article_type, subject):
    root = article(name).root
    assert root.get("article-type") == article_type
    assert root.get("dtd-version") == "1.3"
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    assert root.findtext("front/article-meta/article-categories/subj-group/subject") == subject


def test_journal_meta_names_the_profile_and_its_issn(article):
    meta = article("images").root.find("front/journal-meta")
    assert meta.findtext("journal-id[@journal-id-type='publisher-id']") == "bmj-case-reports"
    assert meta.findtext("journal-title-group/journal-title") == "BMJ Case Reports"
    assert meta.findtext("issn") == "1757-790X"


def test_an_unknown_issn_is_left_empty_and_said_so(article):
    meta = article("report").root.find("front/journal-meta")
    assert [issn.text for issn in meta.findall("issn")] == [None]
    assert any("No ISSN" in comment.text for comment in meta.iter(etree.Comment))


def test_issns_come_from_the_profile_or_the_csl_style():
    assert journal_issns(load_journal("jaad-case-reports"), ROOT / "cases" / "x.yaml") == [("2352-5126", "")]
    lancet = style_info("the-lancet")  # a CSL style with no profile: its header's ISSNs
    assert journal_issns(load_journal("the-lancet"), None) == [(lancet.issn, "print"), (lancet.eissn, "electronic")]
    assert lancet.issn and lancet.eissn
    assert journal_issns(load_journal("ama"), ROOT / "cases" / "x.yaml") == []


def test_title_is_the_case_title(article):
    report = article("report")
    assert report.root.findtext("front/article-meta/title-group/article-title") == report.letter.case.title


def test_authors_carry_orcid_credit_roles_and_affiliation(article):
    report = article("report")
    contribs = report.root.findall("front/article-meta/contrib-group/contrib")
    assert len(contribs) == len(report.letter.case.authors) == 2
    for contrib, author in zip(contribs, report.letter.case.authors):
        assert contrib.get("contrib-type") == "author"
        orcid = contrib.find("contrib-id")
        assert (orcid.get("contrib-id-type"), orcid.get("authenticated")) == ("orcid", "false")
        assert orcid.text == f"https://orcid.org/{author.orcid}"
        assert f"{contrib.findtext('name/given-names')} {contrib.findtext('name/surname')}" == author.name
        assert contrib.findtext("degrees") == author.degrees
        roles = contrib.findall("role")
        assert [role.text for role in roles] == author.credit
        for role in roles:
            assert role.get("vocab") == "credit"
            assert role.get("vocab-identifier") == CREDIT_VOCABULARY
            assert role.get("vocab-term") == role.text
            assert role.get("vocab-term-identifier") == credit_term_identifier(role.text)
        assert contrib.find("xref[@ref-type='aff']").get("rid") == "aff1"
    group = report.root.find("front/article-meta/contrib-group")
    assert [aff.get("id") for aff in group.findall("aff")] == ["aff1"]
    assert group.findtext("aff") == report.letter.case.authors[0].affiliation


def test_the_corresponding_author_links_to_the_correspondence_note(article):
    report = article("report")
    first, second = report.root.findall("front/article-meta/contrib-group/contrib")
    assert first.get("corresp") == "yes" and second.get("corresp") is None
    assert first.find("xref[@ref-type='corresp']").get("rid") == "cor1"
    note = report.root.find("front/article-meta/author-notes/corresp[@id='cor1']")
    author = report.letter.case.authors[0]
    assert note.findtext("email") == author.email
    assert note.findtext("addr-line") == author.address
    assert note.findtext("phone") == author.phone
    assert author.name in text(note)


def test_the_structured_abstract_has_a_sec_per_part(article):
    report = article("report")
    secs = report.root.findall("front/article-meta/abstract/sec")
    assert [sec.findtext("title") for sec in secs] == ["Background", "Case presentation", "Conclusions"]
    abstract = report.letter.case.abstract
    assert text(secs[0].find("p")) == " ".join(abstract.background.split())
    assert text(secs[2].find("p")).startswith("IV sodium thiosulfate given on its own")
    assert report.root.find("front/article-meta/abstract//bold") is None  # the labels became titles


@pytest.mark.parametrize("name", EXAMPLES)
def test_keywords_are_the_case_keywords(article, name):
    made = article(name)
    keywords = [kwd.text for kwd in made.root.findall("front/article-meta/kwd-group[@kwd-group-type='author']/kwd")]
    assert keywords == made.letter.case.keywords


@pytest.mark.parametrize("name", EXAMPLES)
def test_every_reference_is_listed_in_order_of_first_citation(article, name):
    made = article(name)
    refs = made.root.findall("back/ref-list/ref")
    assert len(refs) == len(made.letter.csl_items)
    for n, (ref, item) in enumerate(zip(refs, made.letter.csl_items), start=1):
        assert (ref.get("id"), ref.findtext("label")) == (f"ref{n}", str(n))
        citation = ref.find("element-citation")
        assert citation.get("publication-type") == "journal"
        assert citation.findtext("article-title")
        assert citation.findtext("year") == str(item["issued"]["date-parts"][0][0])
        first_author = citation.findtext("person-group[@person-group-type='author']/name/surname")
        assert first_author == item["author"][0]["family"]


def test_report_references_hold_the_csl_fields(article):
    refs = article("report").root.findall("back/ref-list/ref")
    assert len(refs) == 6
    first = refs[0].find("element-citation")
    assert first.findtext("source") == "Dermatologic Therapy"
    assert (first.findtext("volume"), first.findtext("fpage"), first.findtext("lpage")) == ("25", "195", "206")
    assert first.findtext("person-group/name/suffix") == "Jr"
    second = refs[1].find("element-citation")
    assert second.find("person-group/etal") is not None  # "and others" in the .bib
    assert len(second.findall("person-group/name")) == 3
    third = refs[2].find("element-citation")
    assert "T-acute lymphoblastic leukemia" in third.findtext("article-title")  # the nocase span dropped


@pytest.mark.parametrize("name", EXAMPLES)
def test_every_citation_links_to_a_reference(article, name):
    root = article(name).root
    ids = {ref.get("id") for ref in root.iterfind("back/ref-list/ref")}
    links = root.findall("body//xref[@ref-type='bibr']")
    assert links
    for link in links:
        assert link.get("rid") in ids
        assert link.text == link.get("rid").removeprefix("ref")
        assert link.getparent().tag == "sup"
    assert {link.get("rid") for link in links} == ids  # every reference is cited in the body
    assert "[@" not in text(root.find("body"))


@pytest.mark.parametrize("name", EXAMPLES)
def test_figures_point_at_the_submitted_files(article, name):
    made = article(name)
    figures = sorted(made.letter.document.figures.values(), key=lambda fig: fig.number)
    figs = made.root.findall("body//fig")
    assert len(figs) == len(figures) > 0
    assert [fig.find("graphic").get(XLINK_HREF) for fig in figs] == [f"Figure{f.number}.tif" for f in figures]
    for fig, figure in zip(figs, figures):
        assert fig.get("id") == figure.id
        assert fig.findtext("label") == f"Figure {figure.number}"
        assert fig.findtext("graphic/alt-text") == figure.alt
        assert not text(fig.find("caption")).startswith("Figure")


def test_images_article_sets_its_figures_first(article):
    body = article("images").root.find("body")
    assert [child.tag for child in body][:2] == ["fig", "fig"]


def test_figure_files_name_the_graphics(article):
    letter = article("report").letter
    root = etree.fromstring(article_xml(letter, {1: "Figure_1.png"}))
    hrefs = [graphic.get(XLINK_HREF) for graphic in root.iter("graphic")]
    assert hrefs == ["Figure_1.png", "Figure2.tif"]
    assert root.find(".//graphic").get("mime-subtype") == "png"


def test_tables_are_numbered_with_their_captions(article):
    wraps = article("report").root.findall("body//table-wrap")
    assert [(w.get("id"), w.findtext("label")) for w in wraps] == [("tab1", "Table 1"), ("tab2", "Table 2")]
    assert text(wraps[0].find("caption")) == "Timeline of the case, times relative to presentation."
    assert text(wraps[1].find("caption")).startswith("Regimens of IV sodium thiosulfate")
    assert wraps[1].find("table/tbody/tr/td") is not None
    assert wraps[1].find(".//xref[@ref-type='bibr']") is not None  # the literature regimen's citation


def test_the_letter_table_gets_a_label(article):
    wraps = article("letter").root.findall("body//table-wrap")
    assert [w.findtext("label") for w in wraps] == ["Table 1"]


@pytest.mark.parametrize(("name", "title"), [("report", "Learning points"), ("letter", "Practice Points")])
def test_learning_points_are_a_boxed_text(article, name, title):
    made = article(name)
    boxes = made.root.findall("body//boxed-text")
    assert len(boxes) == 1
    assert boxes[0].findtext("caption/title") == title
    items = [text(item) for item in boxes[0].findall("list/list-item")]
    assert items == [" ".join(point.split()) for point in made.letter.case.practice_points]


def test_declarations_go_to_front_and_back(article):
    root = article("report").root
    assert text(root.find("back/fn-group/fn[@fn-type='coi-statement']")) == "None declared."
    assert root.findtext("front/article-meta/funding-group/funding-statement") == "None."
    titles = [sec.findtext("title") for sec in root.iter("sec")]
    assert "Declarations" not in titles and "References" not in titles
    assert "Informed consent" in titles
    assert root.findtext("back/ref-list/title") == "References"


def test_body_sections_follow_the_letter(article):
    body = article("report").root.find("body")
    assert [sec.findtext("title") for sec in body.findall("sec")] == [
        "Introduction", "Case presentation", "Timeline", "Diagnostic assessment", "Therapeutic intervention",
        "Follow-up and outcomes", "Discussion", "Strengths and limitations", "Learning points",
        "Patient perspective", "Informed consent",
    ]
    assert [sec.get("id") for sec in body.iter("sec")] == [f"sec{n}" for n in range(1, 12)]
    (box,) = body.findall("sec/boxed-text")
    assert box.findtext("caption/title") == "Learning points" and box.find("list") is not None


def test_letter_opens_with_its_salutation(article):
    body = article("letter").root.find("body")
    assert body[0].tag == "p" and body[0].text == "To the Editor:"


def test_hostile_text_comes_out_as_escaped_text(tmp_path):
    from ruamel.yaml import YAML

    cases = tmp_path / "cases"
    shutil.copytree(ROOT / "cases" / "figures", cases / "figures")
    shutil.copy(ROOT / "references.bib", tmp_path / "references.bib")
    yaml = YAML()
    data = yaml.load((ROOT / "cases" / EXAMPLES["report"]).read_text(encoding="utf-8"))
    data["title"] = HOSTILE
    data["discussion"][0] = (
        f"{HOSTILE} <img src=x onerror=alert(1)> <![CDATA[x]]> &amp; &#x1; \\u0000 `{HOSTILE}`{{=html}} "
        "[link](javascript:alert(1)) [@gutierrez2012]."
    )
    with (cases / "hostile.yaml").open("w", encoding="utf-8") as handle:
        yaml.dump(data, handle)
    xml = article_xml(open_letter(cases / "hostile.yaml"))
    assert validate_jats(xml) == []
    root = etree.fromstring(xml)
    assert root.findtext("front/article-meta/title-group/article-title") == HOSTILE
    assert b"&lt;script&gt;alert(1)&lt;/script&gt; &amp; ]]&gt;" in xml
    discussion = next(sec for sec in root.iter("sec") if sec.findtext("title") == "Discussion")
    first = text(discussion.find("p"))
    # Markdown's entities are read as characters, as in the letter; one XML cannot hold is dropped.
    assert first.startswith(f"{HOSTILE} <img src=x onerror=alert(1)> <![CDATA[x]]> & \\u0000 {HOSTILE}{{=html}}")
    assert "[link](javascript:alert(1))" in first
    assert not any(root.iter("script", "img", "ext-link"))
    assert discussion.find("p//xref[@ref-type='bibr']") is not None


@pytest.mark.parametrize(
    ("printed", "surname", "given", "suffix"),
    [
        pytest.param("Ana Ruiz", "Ruiz", "Ana", None, id="given_then_surname"),
        pytest.param("Jordan A. Avery", "Avery", "Jordan A.", None, id="middle_initial_is_given"),
        pytest.param("Ludwig van Beethoven", "van Beethoven", "Ludwig", None, id="particle_joins_the_surname"),
        pytest.param("Maria de la Cruz", "de la Cruz", "Maria", None, id="two_particles"),
        pytest.param("Martin Luther King Jr", "King", "Martin Luther", "Jr", id="suffix"),
        pytest.param("Madonna", "Madonna", None, None, id="one_word_is_a_surname"),
    ],
)
def test_person_name_splits_the_printed_name(printed, surname, given, suffix):
    name = person_name(printed)
    assert (name.findtext("surname"), name.findtext("given-names"), name.findtext("suffix")) == (surname, given, suffix)


@pytest.mark.parametrize(
    ("article_type", "subject"),
    [("case_report", "Case Report"), ("clinical_letter", "Clinical Letter"), ("Images in Dermatology",
                                                                              "Images in Dermatology")],
)
def test_article_category_spells_out_the_type(article_type, subject):
    assert article_category(article_type) == subject


def test_csl_rich_text_becomes_jats_and_other_tags_stay_text():
    title = rich_text("article-title", 'A <i>Staphylococcus</i> <span class="nocase">DNA</span> <script>x</script>'
                      ' and <span style="font-variant:small-caps;">sc</span></b>')
    assert etree.tostring(title, encoding="unicode") == (
        "<article-title>A <italic>Staphylococcus</italic> DNA &lt;script&gt;x&lt;/script&gt; and <sc>sc</sc>"
        "&lt;/b&gt;</article-title>"
    )


OTHER_ITEMS = [
    {"id": "book", "type": "book", "author": [{"family": "Bolognia", "given": "J. L."}], "title": "Dermatology",
     "edition": "4", "publisher": "Elsevier", "publisher-place": "Philadelphia", "issued": {"date-parts": [[2018]]}},
    {"id": "chapter", "type": "chapter", "author": [{"family": "Ruiz", "given": "A.", "non-dropping-particle": "de"}],
     "editor": [{"family": "Lee", "given": "B."}], "title": "Calcinosis", "container-title": "Skin <i>Disease</i>",
     "publisher": "Springer", "page": "10-20", "issued": {"date-parts": [[2020, 3, 5]]}},
    {"id": "web", "type": "webpage", "author": [{"literal": "World Health Organization"}], "title": "Fact sheet",
     "URL": "https://example.org/a?b=1&c=2", "accessed": {"date-parts": [[2024, 1, 2]]},
     "issued": {"literal": "n.d."}},
    {"id": "eloc", "type": "article-journal", "author": [{"family": "Smith", "given": "G."}], "title": "Case",
     "container-title": "J Case", "volume": "3", "page": "e12345", "number": "", "DOI": "10.1000/xyz",
     "PMID": "12345678", "issued": {"date-parts": [[2021]]}},
]


def test_references_of_other_types_are_valid(article):
    xml = article("report").xml
    root = etree.fromstring(xml)
    refs = root.findall("back/ref-list/ref")
    for ref, item in zip(refs, OTHER_ITEMS):
        ref.replace(ref.find("element-citation"), element_citation(item))
    changed = etree.tostring(root.getroottree(), xml_declaration=True, encoding="UTF-8")
    assert validate_jats(changed) == []
    book, chapter, web, eloc = (ref.find("element-citation") for ref in refs[:4])
    assert (book.get("publication-type"), book.findtext("source"), book.find("article-title")) == (
        "book", "Dermatology", None)
    assert (book.findtext("publisher-name"), book.findtext("publisher-loc"), book.findtext("edition")) == (
        "Elsevier", "Philadelphia", "4")
    assert (chapter.findtext("chapter-title"), chapter.find("source/italic").text) == ("Calcinosis", "Disease")
    assert chapter.findtext("person-group[@person-group-type='author']/name/surname") == "de Ruiz"
    assert chapter.findtext("person-group[@person-group-type='editor']/name/surname") == "Lee"
    assert (chapter.findtext("month"), chapter.findtext("day")) == ("03", "05")
    assert web.findtext("person-group/collab") == "World Health Organization"
    assert web.find("ext-link").get(XLINK_HREF) == "https://example.org/a?b=1&c=2"
    assert web.find("date-in-citation").get("iso-8601-date") == "2024-01-02"
    assert web.findtext("string-date") == "n.d."
    assert (eloc.findtext("elocation-id"), eloc.find("fpage")) == ("e12345", None)
    assert eloc.findtext("pub-id[@pub-id-type='doi']") == "10.1000/xyz"
    assert eloc.findtext("pub-id[@pub-id-type='pmid']") == "12345678"


def test_characters_xml_cannot_hold_are_dropped():
    assert xml_safe("a\x01b\x0bc\ud800d\ufffee\tf\n") == "abcde\tf\n"


def test_a_citation_keeps_its_own_words_around_its_number():
    parts = convert_parts([("part", "Known.[see @a, p. 5; @b]")], {"a": 1, "b": 2})
    sup = parts["part"][0].find("sup")
    assert etree.tostring(sup, encoding="unicode", with_tail=False).split(">", 1)[1] == (
        'see <xref ref-type="bibr" rid="ref1">1</xref>, p. 5,<xref ref-type="bibr" rid="ref2">2</xref></sup>'
    )


def test_an_abstract_paragraph_without_a_label_stays_with_the_part_before_it():
    section = etree.fromstring(
        "<sec><title>Summary</title><p>Lead.</p><p><bold>Background:</bold> One.</p><p>Two.</p>"
        "<p><bold>Conclusions:</bold> Three.</p></sec>"
    )
    element = abstract([section])
    assert [child.tag for child in element] == ["title", "p", "sec", "sec"]
    assert element.findtext("title") == "Summary"
    assert [p.text for p in element.findall("sec/p")] == ["One.", "Two.", "Three."]
    assert element.find("sec").findtext("title") == "Background"


def test_a_plain_abstract_is_paragraphs():
    element = abstract([etree.fromstring("<sec><title>Abstract</title><p>Only <italic>one</italic>.</p></sec>")])
    assert [child.tag for child in element] == ["title", "p"]
    assert element.find("p/italic").text == "one"
