"""Whole ``caseletter build`` runs on a few mutated copies of the example case.

The property tests stop before the kernel; these go all the way, through the CLI in-process:
odd Unicode everywhere ends in a letter, and a mutation that only a later stage can catch ends
in exit status 2 with one paragraph naming the case file.
"""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from caseletter.cli import main
from helpers import edited_example

ODD_TITLE = "Calcinosis \u202ecutis\u202c, e\u0301, ß, İ, 🧪, 𝕏, 石灰沉着症, تكلس, ‏שלום‏ and a zero\u200bwidth space"
ODD_TEXT = (
    " Bidi \u2066isolated\u2069, combining a\u0338, emoji 👩🏽‍⚕️, full-width ＡＢＣ, "
    "'quotes' — dashes – and … ellipsis."
)


@pytest.fixture(scope="module")
def unicode_build(tmp_path_factory):
    """The example case with odd Unicode in its title, names and narrative, built to HTML and PDF."""
    root = tmp_path_factory.mktemp("unicode")
    case = edited_example(root, replace=[
        (
            "title: Generalized dystrophic calcinosis cutis treated with intravenous sodium thiosulfate",
            f'title: "{ODD_TITLE}"',
        ),
        ("  - name: Jordan Avery", "  - name: Jordan Ávery-Ñúñez 李"),
        ("    She began IV sodium thiosulfate", f"    {ODD_TEXT} She began IV sodium thiosulfate"),
        (
            "  - Dystrophic calcinosis cutis can be disabling",
            f"  - {ODD_TEXT.strip()} Dystrophic calcinosis cutis can be disabling",
        ),
    ])
    out = root / "out"
    status = main(["build", "--to", "html,pdf", "--out", str(out), str(case)])
    return status, out / case.stem


def test_odd_unicode_ends_in_a_letter(unicode_build, capsys):
    status, folder = unicode_build
    assert status == 0
    text = BeautifulSoup((folder / "letter.html").read_text(encoding="utf-8"), "html.parser").get_text()
    assert ODD_TITLE in text and "Jordan Ávery-Ñúñez 李" in text
    assert "Bidi \u2066isolated\u2069, combining a\u0338" in text
    assert (folder / "letter.pdf").read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(
    ("replacements", "field"),
    [
        pytest.param(
            [("[@gutierrez2012]. The condition", "[@gutierez2012]. The condition")], "discussion[0]",
            id="misspelt_citation_key",
        ),
        pytest.param(
            [(
                "      - dose: 12.5 g\n        frequency: 3 times weekly",
                "      - dose: 12.5 mL\n        frequency: 3 times weekly",
            )],
            "interventions[0].phases[0].dose",
            id="dose_in_volume",
        ),
        pytest.param(
            [("file: figures/sts-calcinosis/after-neck.png", "file: ../../../etc/hostname")], "figures[1].file",
            id="figure_outside_the_folder",
        ),
        pytest.param(
            [("journal: cutis", "journal: ../../templates/journals/cutis")], "journal", id="journal_as_a_path"
        ),
        pytest.param([("discussion:\n", "discussion:\ndiscussion:\n")], "a key is given twice", id="duplicate_key"),
    ],
)
def test_a_late_fault_ends_in_one_paragraph_naming_the_case(replacements, field, tmp_path, capsys):
    case = edited_example(tmp_path, replace=replacements)
    status = main(["build", "--to", "html", "--out", str(tmp_path / "out"), str(case)])
    err = capsys.readouterr().err
    paragraph = err.replace("\n", " ")
    assert status == 2
    assert paragraph.startswith(str(case)) and field in paragraph
    assert "Traceback" not in err and "\n\n" not in err.strip()
    assert not (tmp_path / "out" / case.stem / "letter.html").exists()
