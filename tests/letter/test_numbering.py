"""Citations numbered by first citation across the whole letter, on a case that cites out of order."""

from __future__ import annotations

import re

from caseletter.letter.notebook import open_letter
from helpers import copy_example, edited_example


def superscripts(html: str) -> list[str]:
    return re.findall(r"<sup>([^<]+)</sup>", html)


def test_numbers_follow_first_citation_with_runs_and_lists(tmp_path):
    case = edited_example(
        tmp_path,
        opening="Opening that cites the last report first [@smith2013].",
        discussion=[
            "A run of three new ones [@gutierrez2012; @mageau2017; @raffaella2009].",
            "Two that are not adjacent, given in reverse [@raffaella2009; @smith2013].",
            "Then two more [@bair2011; @arabshahi2012], and one again [@gutierrez2012].",
        ],
    )
    letter = open_letter(case)
    assert superscripts(letter.sections["opening"].html) == ["1"]
    assert superscripts(letter.sections["discussion"].html) == ["2-4", "1,4", "5,6", "2"]
    refs = letter.sections["references"].markdown
    order = re.findall(r"#ref-(\w+)", refs)
    assert order == ["smith2013", "gutierrez2012", "mageau2017", "raffaella2009", "bair2011", "arabshahi2012"]
    assert "[1. ]{.csl-left-margin}[Smith GP." in refs


def test_a_journal_style_can_be_chosen_instead_of_the_cases(tmp_path):
    case = copy_example(tmp_path)
    letter = open_letter(case, journal="ama")
    assert letter.journal.key == "ama"
    assert "Gutierrez A Jr, Wetter DA." in letter.sections["references"].markdown
