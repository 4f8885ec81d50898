"""Case text reaches DOCX and PDF by the same escaped path as HTML: nothing raw, nothing run.

The letter's sections are rendered once (HTML, and pandoc Markdown for the DOCX and PDF
exporters); the exporters read that Markdown back. Whatever the author typed must come out as
text in all three formats: a raw OpenXML or typst span, an HTML tag, a citation-looking word,
a heading with attributes. The property at the end sends the raw forms through every narrative
field, and checks the Markdown the exporters read for anything raw or any citation.
"""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caseletter.errors import ExportError, UnknownStyle
from caseletter.journals import load_journal
from caseletter.letter.exporters import EXPORT_READER, compile_typst
from caseletter.letter.notebook import open_letter
from caseletter.pandoc import run_pandoc
from helpers import docx_xml, edited_example, export, pdf_text

OPENXML = '`<w:r><w:fldChar w:fldCharType="begin"/><w:instrText>INCLUDEPICTURE x</w:instrText></w:r>`{=openxml}'
TYPST = '`#text(fill: red)[TYPSTRAN]#panic("typst code ran")`{=typst}'
NARRATIVE = (
    ("opening",), ("case", "presentation"), ("case", "treatment"), ("case", "outcome"),
    ("case", "diagnosis", "assessment"), ("discussion", 0), ("dosing", "text", 0), ("practice_points", 0),
)


def with_text(text: str):
    """An edit appending `text` to every narrative field of the example."""

    def edit(data):
        for path in NARRATIVE:
            node = data
            for part in path[:-1]:
                node = node[part]
            node[path[-1]] = f"{node[path[-1]]} {text}"

    return edit


@pytest.fixture(scope="module")
def raw_letter(tmp_path_factory):
    case = edited_example(tmp_path_factory.mktemp("raw"), with_text(f"{OPENXML} and {TYPST}."))
    return open_letter(case)


def test_raw_openxml_in_a_code_span_reaches_no_docx(raw_letter):
    xml = docx_xml(export(raw_letter, "docx"))
    assert "<w:fldChar" not in xml and "<w:instrText" not in xml
    assert "INCLUDEPICTURE x" in xml  # printed as the author typed it, as code


def test_raw_typst_in_a_code_span_runs_nothing_in_the_pdf(raw_letter):
    text = pdf_text(export(raw_letter, "pdf"))  # a #panic that ran would have stopped the export
    assert '#text(fill: red)[TYPSTRAN]#panic("typst code ran")' in text


def test_a_typst_compile_that_runs_too_long_is_stopped(tmp_path):
    source = tmp_path / "slow.typ"
    source.write_text("#let n = 0\n#for i in range(100000000) { n = n + i }\n#n\n", encoding="utf-8")
    with pytest.raises(ExportError, match="did not finish within 1 s"):
        compile_typst(source, timeout=1)


def test_a_stray_at_word_and_a_mistyped_figure_reference_print_as_typed(tmp_path):
    case = edited_example(tmp_path, with_text("Write to me @home about @fig-nosuch."))
    letter = open_letter(case)
    assert "Write to me @home about @fig-nosuch." in pdf_text(export(letter, "pdf"))
    xml = docx_xml(export(letter, "docx"))
    assert "@home" in xml and "@fig-nosuch" in xml


def test_heading_attributes_in_case_text_print_as_typed(tmp_path):
    case = edited_example(tmp_path, discussion__1="# A heading {#evil .hidden data-x=1}\n\nMore text.")
    letter = open_letter(case)
    html = letter.sections["discussion"].html
    heading = BeautifulSoup(html, "html.parser").find("h1")
    assert heading is not None and "{#evil .hidden data-x=1}" in heading.get_text()
    assert heading.get("id") != "evil" and "hidden" not in (heading.get("class") or [])


def test_citation_range_delimiter_from_a_profile_is_escaped_or_refused(tmp_path):
    case = edited_example(tmp_path, journal="evil")
    folder = case.parent / "journals" / "evil"
    folder.mkdir(parents=True)
    (folder / "style.csl").write_bytes(load_journal("ama").csl.read_bytes())
    (folder / "journal.yaml").write_text(
        'name: Evil\ncitation_range_delimiter: "<img src=x onerror=alert(1)>"\n', encoding="utf-8"
    )
    try:
        letter = open_letter(case)
    except UnknownStyle as refused:
        assert "citation_range_delimiter" in refused.message
        return
    html = "".join(section.html for section in letter.sections.values())
    assert "<img src=x" not in html


# -- the property: raw forms in every narrative field reach no format raw -----------------------

RAW_FORMS = [
    "`{inner}`{{=openxml}}", "`{inner}`{{=typst}}", "`{inner}`{{=html}}", "`{inner}`{{=latex}}",
    "```{{=typst}}\n{inner}\n```", "<b onclick=x>{inner}</b>", "@{word}", "[@{word}]", "{{#{word} .x}}",
    "# {inner} {{#{word}}}", "\\\\{inner}", "::: {{.{word}}}\n{inner}\n:::", "<!-- {inner} -->", "$${inner}$$",
]
word = st.from_regex(r"[a-z][a-z0-9]{0,8}", fullmatch=True)
inner = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=12).map(
    lambda s: s.replace("`", "'")
)
payload = st.builds(lambda form, w, i: form.format(word=w, inner=i), st.sampled_from(RAW_FORMS), word, inner)


def raw_elements(markdown: str) -> list[str]:
    """Raw blocks, raw inlines and citations pandoc finds when it reads the exporters' Markdown."""
    ast = json.loads(run_pandoc(["-f", EXPORT_READER, "-t", "json"], markdown))
    found = []

    def walk(node):
        if isinstance(node, dict):
            if node.get("t") in ("RawInline", "RawBlock", "Cite"):
                found.append(json.dumps(node)[:120])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(ast)
    return found


# 25 examples in `make test`; the long profile (pytest --hypothesis-profile=long) tries all of its own.
@settings(max_examples=settings().max_examples if settings().max_examples >= 1000 else 25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(payloads=st.lists(payload, min_size=1, max_size=4))
def test_raw_forms_in_every_narrative_field_reach_no_format_raw(payloads, tmp_path_factory):
    case = edited_example(tmp_path_factory.mktemp("property"), with_text(" ".join(payloads)))
    try:
        letter = open_letter(case)
    except Exception as exc:  # a payload the case file refuses (a control character) is fine; nothing else is
        assert type(exc).__module__ == "caseletter.errors", exc
        return
    markdown = "\n\n".join(section.markdown for section in letter.sections.values())
    assert raw_elements(markdown) == []
    for section in letter.sections.values():
        tags = {tag.name for tag in BeautifulSoup(section.html, "html.parser").find_all(True)}
        assert tags <= ALLOWED_TAGS, tags - ALLOWED_TAGS


ALLOWED_TAGS = {
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "em", "strong", "code", "pre", "sup", "sub", "span", "div", "ul", "ol",
    "li", "table", "thead", "tbody", "tr", "th", "td", "caption", "colgroup", "col", "blockquote", "br", "hr", "a",
    "del", "s", "dl", "dt", "dd", "section",
}
