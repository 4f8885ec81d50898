"""Hostile .bib files through ``caseletter refs``: references or one short paragraph, quickly.

Deep braces and math hit Python's recursion limit inside the LaTeX decoder, keys and field
names can be megabytes long, macros can loop: each must end in exit status 0 with numbered
references, or exit status 2 with one paragraph that names the file and is short enough to read.
"""

from __future__ import annotations

import time

import pytest

from caseletter.cli import main

ENTRY = "@article{k,\n  author = {Doe, Jane},\n  title = {T},\n  journal = {J},\n  year = {2020},\n  FIELD\n}\n"


def entry_with(field: str) -> str:
    return ENTRY.replace("FIELD", field)


HOSTILE_BIBS = [
    pytest.param(entry_with("note = {" + "{" * 5000 + "x" + "}" * 5000 + "}"), 2, id="braces_5000_deep"),
    pytest.param(entry_with("note = {$" + "^{" * 2000 + "x" + "}" * 2000 + "$}"), 2, id="math_2000_deep"),
    pytest.param(entry_with("title = {" + r"\emph{" * 500 + "x" + "}" * 500 + "}"), 2, id="emphasis_500_deep"),
    pytest.param(entry_with("").replace("{k,", "{" + "k" * 300_000 + ","), 0, id="key_300000_long_is_a_key"),
    pytest.param(
        entry_with("note = {unclosed").replace("{k,", "{" + "k" * 300_000 + ","), 2,
        id="key_300000_long_in_a_broken_entry",
    ),
    pytest.param(
        entry_with(f"{'f' * 100_000} = {{a}},\n  {'f' * 100_000} = {{b}}"), 2,
        id="duplicate_field_names_100000_long",
    ),
    pytest.param(
        ENTRY.replace("{Doe, Jane}", "{" + "," * 5000 + "}").replace("FIELD", ""), 2, id="author_of_5000_commas"
    ),
    pytest.param(ENTRY.replace("{2020}", "{" + "9" * 5000 + "}").replace("FIELD", ""), 2, id="year_of_5000_digits"),
    pytest.param(entry_with("date = {2020-13-45/2021-99}"), 2, id="impossible_date"),
    pytest.param(entry_with(r"note = {\def\a{\a\a}\a}"), 0, id="recursive_tex_macro"),
    pytest.param('@string{a = b}\n@string{b = a}\n' + entry_with("note = a"), 0, id="strings_defined_by_each_other"),
    pytest.param(
        "".join(f"@string{{s{i} = s{i - 1} # s{i - 1}}}\n" for i in range(1, 40)).replace("s0 # s0", '"x" # "x"')
        + entry_with("note = s39"),
        0,
        id="string_concatenation_bomb",
    ),
    pytest.param(
        ENTRY.replace("{Doe, Jane}", "{" + " and ".join(["A"] * 20_000) + "}").replace("FIELD", ""), 0,
        id="20000_authors",
    ),
    pytest.param(entry_with("note = {a\x00b \u202eevil \ufeff}"), 0, id="nul_bidi_and_bom_in_a_field"),
    pytest.param(entry_with("url = {javascript:alert(1)}"), 0, id="script_url"),
    pytest.param(ENTRY[: len(ENTRY) // 2], 2, id="truncated"),
    pytest.param(entry_with("").replace("{k,", "{Dermatol Ther,"), 2, id="key_with_a_space_cannot_be_cited"),
    pytest.param(entry_with("").replace("{k,", "{smith2013.,"), 2, id="key_ending_in_punctuation_cannot_be_cited"),
    pytest.param("\ufeff" + ENTRY.replace("FIELD", ""), 0, id="byte_order_mark"),
]


@pytest.mark.parametrize(("text", "status"), HOSTILE_BIBS)
def test_hostile_bib_gives_references_or_one_short_paragraph(text, status, tmp_path, capsys):
    path = tmp_path / "hostile.bib"
    path.write_text(text, encoding="utf-8")
    start = time.perf_counter()
    assert main(["refs", str(path)]) == status
    assert time.perf_counter() - start < 10
    out, err = capsys.readouterr()
    if status == 0:
        assert out.startswith(("1. Doe J. T. J.", "1. A, A, A, et al. T. J.")) and not err
    else:
        paragraph = err.replace("\n", " ")
        assert paragraph.startswith(f"{path}, line ") and len(paragraph) < 600 and not out


def test_a_script_url_from_a_bib_is_not_a_script_link(tmp_path, capsys):
    path = tmp_path / "url.bib"
    path.write_text(entry_with("url = {javascript:alert(1)}"), encoding="utf-8")
    from caseletter.journals import load_journal
    from caseletter.references.bibliography import load_bibliography
    from caseletter.references.citeproc import format_references

    html = format_references(load_bibliography([path]).csl_items(), load_journal("ama").csl)[0].html
    assert 'href="javascript:' not in html
