"""Two more hostile inputs: a .bib path leading out of the case's folder, and TeX-like text in a timeline."""

from __future__ import annotations

import pytest

from caseletter.case.source import load_case, read_case_source
from caseletter.dosing.timeline import draw_timeline
from caseletter.errors import BibliographyError
from caseletter.references.case_bibliography import load_case_bibliography
from helpers import edited_example


@pytest.mark.parametrize(("path", "why"), [
    pytest.param("../../outside.bib", "leads outside the case's folder", id="dot_dot"),
    pytest.param("/etc/outside.bib", "is an absolute path", id="absolute"),
])
def test_a_case_bib_outside_its_folder_is_refused(tmp_path, path, why):
    case = edited_example(tmp_path, bibliography=[path])
    with pytest.raises(BibliographyError) as error:
        load_case_bibliography(read_case_source(case))
    assert "bibliography[0]" in error.value.message and why in error.value.message


def test_tex_like_timeline_text_is_drawn_as_typed(tmp_path):
    case = edited_example(tmp_path, lambda d: d["timeline"].append({"time": "4 months", "event": "$\\frac{ $"}))
    figure = draw_timeline(load_case(case), case)
    assert figure.png.startswith(b"\x89PNG")
