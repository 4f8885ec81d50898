"""The JATS Publishing 1.3 DTD shipped in templates/jats/, and the offline validator that reads it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree

from caseletter.submission import jats_validation
from caseletter.submission.jats_validation import JatsDtdUnavailable, dtd_path, jats_dtd, validate_jats
from helpers import ROOT

SHIPPED = ROOT / "templates" / "jats" / "publishing-1.3"
PUBLIC_ID = "-//NLM//DTD JATS (Z39.96) Journal Publishing DTD v1.3 20210610//EN"
MAIN_DTD = "JATS-journalpublishing1-3.dtd"
OFFICIAL_URL = f"https://jats.nlm.nih.gov/publishing/1.3/{MAIN_DTD}"

FRONT = """<front>
    <journal-meta>
      <journal-id journal-id-type="nlm-ta">J Med Case Rep</journal-id>
      <journal-title-group>
        <journal-title>Journal of Medical Case Reports</journal-title>
      </journal-title-group>
      <issn publication-format="electronic">1752-1947</issn>
      <publisher><publisher-name>BioMed Central</publisher-name></publisher>
    </journal-meta>
    <article-meta>
      <article-categories>
        <subj-group subj-group-type="heading"><subject>Case Report</subject></subj-group>
      </article-categories>
      <title-group>
        <article-title>Calcinosis cutis after intravenous sodium thiosulfate: a case report</article-title>
      </title-group>
      <contrib-group>
        <contrib contrib-type="author" corresp="yes">
          <contrib-id contrib-id-type="orcid" authenticated="true">https://orcid.org/0000-0002-1825-0097</contrib-id>
          <name><surname>Carberry</surname><given-names>Josiah</given-names></name>
          <role vocab="credit" vocab-identifier="https://credit.niso.org/" vocab-term="Conceptualization"
                vocab-term-identifier="https://credit.niso.org/contributor-roles/conceptualization/"
                degree-contribution="lead">Conceptualization</role>
          <xref ref-type="aff" rid="aff1"><sup>1</sup></xref>
        </contrib>
        <aff id="aff1"><label>1</label><institution-wrap><institution>Department of Dermatology,
          Example University Hospital</institution></institution-wrap>, <country country="GB">United
          Kingdom</country></aff>
      </contrib-group>
      <author-notes>
        <corresp id="cor1">Correspondence: <email>j.carberry@example.org</email></corresp>
      </author-notes>
      <pub-date publication-format="electronic" date-type="pub">
        <day>4</day><month>3</month><year>2025</year>
      </pub-date>
      <volume>19</volume>
      <elocation-id>42</elocation-id>
      <permissions>
        <copyright-statement>&#169; The Author(s) 2025</copyright-statement>
        <copyright-year>2025</copyright-year>
        <license license-type="open-access" xlink:href="https://creativecommons.org/licenses/by/4.0/">
          <license-p>This article is distributed under the terms of the CC BY 4.0 licence.</license-p>
        </license>
      </permissions>
      <abstract>
        <sec><title>Background</title><p>Calcinosis cutis is rare after sodium thiosulfate.</p></sec>
        <sec><title>Case presentation</title><p>A 62-year-old woman had firm plaques on both shins.</p></sec>
        <sec><title>Conclusions</title><p>The plaques regressed over 12&ndash;16 weeks.</p></sec>
      </abstract>
      <kwd-group kwd-group-type="author">
        <title>Keywords</title>
        <kwd>Calcinosis cutis</kwd><kwd>Sodium thiosulfate</kwd><kwd>Case report</kwd>
      </kwd-group>
    </article-meta>
  </front>"""

BODY = """<body>
    <sec sec-type="intro">
      <title>Introduction</title>
      <p>Sodium thiosulfate treats calciphylaxis <xref ref-type="bibr" rid="ref1">1</xref>.</p>
    </sec>
    <sec sec-type="cases">
      <title>Case presentation</title>
      <p>Plaques on both shins (<xref ref-type="fig" rid="fig1">Fig. 1</xref>) and a raised serum calcium
        (<xref ref-type="table" rid="tab1">Table 1</xref>).</p>
      <fig id="fig1" position="float">
        <label>Figure 1</label>
        <caption><title>Firm white plaques on the left shin</title><p>Before treatment.</p></caption>
        <graphic xlink:href="fig1.png"/>
      </fig>
      <table-wrap id="tab1" position="float">
        <label>Table 1</label>
        <caption><title>Laboratory values</title></caption>
        <table frame="hsides" rules="groups">
          <thead><tr><th>Test</th><th>Value</th><th>Reference range</th></tr></thead>
          <tbody><tr><td>Calcium</td><td>2.9 mmol/L (H)</td><td>2.2&#x2013;2.6 mmol/L</td></tr></tbody>
        </table>
        <table-wrap-foot><fn id="tfn1"><p>H, above the reference range.</p></fn></table-wrap-foot>
      </table-wrap>
    </sec>
    <sec sec-type="discussion">
      <title>Discussion</title>
      <p>The plaques followed the infusion sites.</p>
      <boxed-text id="box1" position="anchor">
        <caption><title>Learning points</title></caption>
        <list list-type="bullet">
          <list-item><p>Look for calcinosis where the infusion ran.</p></list-item>
        </list>
      </boxed-text>
    </sec>
  </body>"""

BACK = """<back>
    <ack><p>We thank the patient.</p></ack>
    <ref-list>
      <title>References</title>
      <ref id="ref1">
        <element-citation publication-type="journal">
          <person-group person-group-type="author">
            <name><surname>Gutierrez</surname><given-names>A</given-names><suffix>Jr</suffix></name>
            <name><surname>Wetter</surname><given-names>DA</given-names></name>
          </person-group>
          <article-title>Calcinosis cutis in autoimmune connective tissue diseases</article-title>
          <source>Dermatol Ther</source>
          <year>2012</year><volume>25</volume><issue>2</issue><fpage>195</fpage><lpage>206</lpage>
          <pub-id pub-id-type="doi">10.1111/j.1529-8019.2012.01492.x</pub-id>
        </element-citation>
      </ref>
    </ref-list>
  </back>"""


def article(front: str = FRONT, body: str = BODY, back: str = BACK, system_id: str = MAIN_DTD) -> bytes:
    """A JATS 1.3 case report, with a part swapped for a test that needs it broken."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE article PUBLIC "{PUBLIC_ID}" "{system_id}">
<article xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:mml="http://www.w3.org/1998/Math/MathML"
  article-type="case-report" dtd-version="1.3" xml:lang="en">
  {front}
  {body}
  {back}
</article>
""".encode()


def with_internal_subset(declarations: str) -> bytes:
    """The case report with the document's own declarations in its DOCTYPE."""
    return article().replace(f'"{MAIN_DTD}">'.encode(), f'"{MAIN_DTD}" [{declarations}]>'.encode(), 1)


@pytest.fixture
def fresh_dtd():
    """Forget the process's DTD before and after, for a test that loads it from elsewhere."""
    jats_dtd.cache_clear()
    yield
    jats_dtd.cache_clear()


def test_a_realistic_case_report_is_valid():
    assert validate_jats(article()) == []


def test_a_paragraph_straight_inside_article_is_refused_naming_both():
    (message,) = validate_jats(article(front=FRONT + "\n  <p>Stray paragraph.</p>"))
    assert message.startswith("line 4: Element article content does not follow the DTD")
    assert message.endswith("got (front p body back)")


def test_an_unknown_element_is_named_with_its_line():
    body = BODY.replace("<p>The plaques followed", "<finding>Calcinosis</finding>\n      <p>The plaques followed")
    messages = validate_jats(article(body=body))
    line = next(n for n, text in enumerate(article(body=body).decode().splitlines(), 1) if "<finding>" in text)
    assert f"line {line}: No declaration for element finding" in messages
    assert any(m.startswith("line ") and "Element sec content does not follow the DTD" in m for m in messages)


def test_a_long_content_model_is_cut_and_what_the_document_has_kept():
    body = BODY.replace("<p>The plaques followed", "<finding/>\n      <p>The plaques followed")
    (model,) = [m for m in validate_jats(article(body=body)) if "Element sec content" in m]
    assert len(model) < 300
    assert model.endswith("..., got (title finding p boxed-text)")


def test_a_cross_reference_to_a_missing_id_is_refused():
    (message,) = validate_jats(article(body=BODY.replace('rid="fig1"', 'rid="fig9"')))
    assert message.endswith('IDREFS attribute rid references an unknown ID "fig9"')


def test_a_role_attribute_outside_jats_1_3_is_refused():
    front = FRONT.replace('degree-contribution="lead"', 'credit-role="lead"')
    assert any("No declaration for attribute credit-role of element role" in m for m in validate_jats(article(front)))


def test_xml_that_is_not_well_formed_gives_one_message_and_no_exception():
    assert validate_jats(b"<article>\n<front>\n</article>") == [
        "line 3: Opening and ending tag mismatch: front line 2 and article"
    ]
    assert validate_jats(b"") == ["line 1: Document is empty"]


def test_another_root_element_is_refused_even_when_the_dtd_declares_it():
    assert validate_jats(b"<p>A paragraph.</p>") == ["line 1: the root element is <p>, a JATS article's is <article>"]
    messages = validate_jats(article().replace(b"<!DOCTYPE article", b"<!DOCTYPE sub-article"))
    assert messages == ["line 1: the DOCTYPE names <sub-article> but the root element is <article>"]


def test_an_entity_the_dtd_does_not_declare_is_refused_and_its_own_are_kept():
    assert b"&ndash;" in article()  # declared by the ISO 8879 set the DTD pulls in
    front = FRONT.replace("&ndash;", "&endash;")
    (message,) = validate_jats(article(front))
    assert message.endswith("the entity &endash; is not declared in the JATS DTD")


def test_an_entity_the_document_declares_itself_is_accepted():
    xml = with_internal_subset('<!ENTITY kit "caseletter">')
    assert validate_jats(xml.replace(b"We thank the patient.", b"Made with &kit;.")) == []


def test_external_entities_of_the_document_are_never_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET", encoding="utf-8")
    xml = with_internal_subset(f'<!ENTITY s SYSTEM "{secret.as_uri()}">')
    messages = validate_jats(xml.replace(b"We thank the patient.", b"&s;"))
    assert not any("SECRET" in m for m in messages)


def test_every_module_the_dtd_names_is_one_of_the_shipped_files_and_nothing_else_is_shipped():
    read: list[str] = []

    class Recorder(etree.Resolver):
        def resolve(self, url, pubid, context):
            read.append(url)

    # A parser that follows the DOCTYPE, in the test only, to see every file the DTD's modules name.
    parser = etree.XMLParser(load_dtd=True, resolve_entities=True, no_network=True)
    parser.resolvers.add(Recorder())
    etree.fromstring(f'<!DOCTYPE article PUBLIC "{PUBLIC_ID}" "{dtd_path().as_uri()}"><article/>'.encode(), parser)
    assert not parser.error_log
    assert all(not url.startswith(("http:", "https:", "ftp:")) for url in read)
    shipped = sorted(str(p) for p in SHIPPED.rglob("*") if p.is_file())
    assert sorted(str(Path(url.removeprefix("file://"))) for url in read) == shipped


def test_the_dtd_is_the_shipped_one_and_is_loaded_once():
    assert dtd_path() == SHIPPED / MAIN_DTD
    assert jats_dtd() is jats_dtd()
    assert jats_dtd().iterelements()  # the whole DTD: a missing module would have raised
    assert {"article", "boxed-text", "table", "math"} <= {e.name for e in jats_dtd().iterelements()}


def test_the_shipped_dtd_is_the_official_1_3_and_says_it_is_public_domain():
    head = (SHIPPED / MAIN_DTD).read_text(encoding="utf-8")[:6000]
    assert "ANSI/NISO JATS Version 1.3 (Z39.96-2021)" in head and PUBLIC_ID in head
    assert "This DTD is in the public domain." in head


def test_a_module_missing_from_the_kit_is_said_not_silently_skipped(tmp_path, monkeypatch, fresh_dtd):
    shutil.copytree(SHIPPED, tmp_path / "jats" / "publishing-1.3")
    (tmp_path / "jats" / "publishing-1.3" / "JATS-section1-3.ent").unlink()
    monkeypatch.setenv("CASELETTER_TEMPLATES", str(tmp_path))
    with pytest.raises(JatsDtdUnavailable, match="JATS-section1-3.ent"):
        validate_jats(article())


def test_a_missing_dtd_is_said(tmp_path, monkeypatch, fresh_dtd):
    monkeypatch.setenv("CASELETTER_TEMPLATES", str(tmp_path))
    with pytest.raises(JatsDtdUnavailable, match="is missing"):
        validate_jats(article())


def test_it_validates_from_another_working_directory(tmp_path, monkeypatch, fresh_dtd):
    monkeypatch.chdir(tmp_path)
    assert validate_jats(article()) == []
    assert validate_jats(b"<article><p/></article>")[0].startswith("line 1: Element article content")


def test_a_relative_templates_folder_is_read_where_it_was_given(tmp_path, monkeypatch, fresh_dtd):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CASELETTER_TEMPLATES", os.path.relpath(SHIPPED.parents[1], tmp_path))
    assert dtd_path().is_absolute()
    assert validate_jats(article()) == []
    monkeypatch.chdir(ROOT / "tests")  # the DTD, loaded once, no longer depends on where the process is
    assert validate_jats(article()) == []


def test_an_http_doctype_validates_with_no_network_from_another_folder(tmp_path):
    (tmp_path / "article.xml").write_bytes(article(system_id=OFFICIAL_URL))
    script = (
        "import json, socket, sys\n"
        "def refused(*args, **kwargs):\n"
        "    raise OSError('no network in this test')\n"
        "socket.socket = socket.create_connection = socket.getaddrinfo = refused\n"
        "from caseletter.submission.jats_validation import validate_jats\n"
        "print(json.dumps(validate_jats(open('article.xml', 'rb').read())))\n"
    )
    # A network namespace of its own: loopback only, no route anywhere, so libxml2 could fetch nothing either.
    command = ["unshare", "-n", "sh", "-c", 'ip link set lo up && exec "$@"', "sh", sys.executable, "-c", script]
    done = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == []


def test_the_module_imports_only_lxml_the_standard_library_and_paths():
    imports = [
        line.split()[1]
        for line in Path(jats_validation.__file__).read_text(encoding="utf-8").splitlines()
        if line.startswith(("import ", "from "))
    ]
    outside = [m for m in imports if m.split(".")[0] not in sys.stdlib_module_names | {"lxml", "__future__"}]
    assert outside == ["caseletter.paths"]
