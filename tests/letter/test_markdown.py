"""Markdown that would hang pandoc or smuggle links and images into the letter is printed as typed.

pandoc's Markdown reader takes time exponential in unclosed or nested brackets
(jgm/pandoc#1735) and in runs of bracketed text holding ``__``; each input here took longer
than a minute before the kit escaped what a case's text has no use for.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from ruamel.yaml import YAML

from caseletter.letter.markdown import escape_outside_citations
from caseletter.letter.notebook import open_letter
from helpers import ROOT

MINIMAL = {
    "title": "A minimal case",
    "authors": [{"name": "Robin Lane", "degrees": "MD"}],
    "patient": {"age": 40, "sex": "female"},
    "opening": "Why the case matters [@smith2013].",
    "case": {
        "presentation": "Findings.", "diagnosis": {"name": "calcinosis cutis"}, "treatment": "Treated.",
        "outcome": "Better.",
    },
    "discussion": ["Discussion."],
}


def write_case(folder: Path, discussion: str, name: str = "case.yaml") -> Path:
    """A minimal valid case whose one discussion paragraph is `discussion`."""
    (folder / "references.bib").write_text((ROOT / "references.bib").read_text(encoding="utf-8"), encoding="utf-8")
    data = {**MINIMAL, "discussion": [discussion]}
    path = folder / name
    yaml = YAML(typ="safe", pure=True)
    yaml.allow_unicode = True
    with path.open("w", encoding="utf-8") as stream:
        yaml.dump(data, stream)
    return path


def discussion_text(letter) -> str:
    return BeautifulSoup(letter.sections["discussion"].html, "html.parser").get_text()


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("[a " * 3000, id="3000_unclosed_brackets"),
        pytest.param("[" * 40 + "x" + "]" * 40, id="brackets_nested_40_deep"),
        pytest.param("![a " * 30, id="unclosed_images"),
        pytest.param("\n".join(["[a.__b__]"] * 30), id="bracketed_dunders_on_30_lines"),
        pytest.param("\n".join(["[see a.__x__ @smith2013]"] * 30), id="citation_prefixes_with_dunders"),
        pytest.param("\n".join(["[a.__b__](https://example.org)"] * 30), id="links_with_dunders"),
        pytest.param("<a " * 8000, id="8000_angle_brackets"),
        pytest.param("^[a ^[b " * 30, id="unclosed_inline_footnotes"),
    ],
)
def test_pathological_markdown_renders_quickly_and_literally(text, tmp_path):
    path = write_case(tmp_path, text)
    start = time.perf_counter()
    letter = open_letter(path)
    assert time.perf_counter() - start < 10
    shown = discussion_text(letter)
    expected = " ".join(text.replace("[see a.__x__ @smith2013]", "").split())
    if "@smith2013" in text:
        assert shown.count("see a.__x__") == 30
    else:
        assert " ".join(shown.split()).removeprefix("Discussion ") == expected


@pytest.mark.parametrize(
    ("text", "literal"),
    [
        pytest.param("[click](javascript:alert(1))", "[click](javascript:alert(1))", id="javascript_link"),
        pytest.param(
            "![pixel](https://tracker.example/p.png)", "![pixel](https://tracker.example/p.png)", id="remote_image"
        ),
        pytest.param("<javascript:alert(1)>", "<javascript:alert(1)>", id="autolink"),
        pytest.param("[x]\n\n[x]: javascript:alert(1)", "[x]: javascript:alert(1)", id="reference_link"),
        pytest.param("[text]{onclick=alert(1)}", "[text]{onclick=alert(1)}", id="bracketed_span_attribute"),
        pytest.param("Write `a[0] @x` as code.", "a[0] @x", id="code_span_kept_as_typed"),
    ],
)
def test_links_images_and_spans_are_printed_as_typed(text, literal, tmp_path):
    letter = open_letter(write_case(tmp_path, text))
    html = letter.sections["discussion"].html
    soup = BeautifulSoup(html, "html.parser")
    assert literal in soup.get_text()
    assert not soup.find_all(["a", "img", "span"])
    assert not any(attr.startswith("on") for tag in soup.find_all(True) for attr in tag.attrs)


def test_citations_keep_working_beside_escaped_text(tmp_path):
    letter = open_letter(
        write_case(tmp_path, "Brackets [like these] stay, mail a@b.org, and cite [see __this__ @mageau2017, p. 2].")
    )
    text = discussion_text(letter)
    assert "Brackets [like these] stay, mail a@b.org, and cite." in text
    assert "see __this__ 2" in text  # the prefix as typed, then the reference's number
    assert 'data-cites="mageau2017"' in letter.sections["discussion"].html


def test_escaping_keeps_clusters_and_code_spans_whole():
    assert escape_outside_citations("x [@a; @b, p. 3] y") == "x [@a; @b, p. 3] y"
    assert escape_outside_citations("`a[0]` [b](c) <d> e@f") == r"`a[0]` \[b\](c) \<d> e\@f"
    assert escape_outside_citations("[see a.__x__ @my_key]") == r"[see a.\_\_x\_\_ @my_key]"


def test_pandoc_attributes_in_case_text_print_as_typed_and_apply_nowhere(tmp_path):
    text = (
        '# Head {#h .c onclick="alert(1)"}\n\nInline `x`{onclick="alert(2)"} code.\n\n'
        '``` {onmouseover="alert(3)"}\ncode\n```\n\n| a |\n|---|\n| b |\n\n: caption {onclick=alert(4)}'
    )
    letter = open_letter(write_case(tmp_path, text))
    soup = BeautifulSoup(letter.sections["discussion"].html, "html.parser")
    assert not [attr for tag in soup.find_all(True) for attr in tag.attrs if attr.lower().startswith("on")]
    heading = soup.find("h1")
    assert heading.get("id") != "h" and "c" not in (heading.get("class") or [])
    assert '{#h .c onclick="alert(1)"}' in heading.get_text().replace("“", '"').replace("”", '"')
    assert soup.find("code", string="x") and soup.find("table")


def test_a_fenced_div_in_case_text_cannot_move_the_references(tmp_path):
    letter = open_letter(write_case(tmp_path, "Before.\n\n::: {#refs}\n:::\n\n::: unclosed\n\nAfter."))
    discussion = letter.sections["discussion"].html
    assert "csl-entry" not in discussion and "<div" not in discussion
    assert "::: {#refs}" in discussion and "After." in discussion
    assert "Smith GP" in letter.sections["references"].html
