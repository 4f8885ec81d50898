"""Two more hostile inputs: a .bib path leading out of the case's folder, and TeX-like text in a timeline."""

from __future__ import annotations

import pytest
from ruamel.yaml import YAML

from caseletter.casefile import load_case
from caseletter.errors import BibliographyError
from caseletter.letter import load_case_bibliography
from caseletter.timeline import draw_timeline
from conftest import copy_example


def edited_case(tmp_path, change):
    case = copy_example(tmp_path)
    yaml = YAML()
    data = yaml.load(case.read_text(encoding="utf-8"))
    change(data)
    with case.open("w", encoding="utf-8") as handle:
        yaml.dump(data, handle)
    return case


@pytest.mark.parametrize("path", ["../../outside.bib", "/etc/outside.bib"], ids=["dot_dot", "absolute"])
def test_a_case_bib_outside_its_folder_is_refused(tmp_path, path):
    case = edited_case(tmp_path, lambda d: d.__setitem__("bibliography", [path]))
    with pytest.raises(BibliographyError) as error:
        load_case_bibliography(load_case(case), case)
    assert "bibliography[0]" in error.value.message and "leads outside the case's folder" in error.value.message


def test_tex_like_timeline_text_is_drawn_as_typed(tmp_path):
    case = edited_case(tmp_path, lambda d: d["timeline"].append({"time": "4 months", "event": "$\\frac{ $"}))
    figure = draw_timeline(load_case(case), case)
    assert figure.png.startswith(b"\x89PNG")
