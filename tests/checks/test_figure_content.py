"""The check reads the figures: burned-in identifiers with figure, panel and region; faces against the consent."""

from __future__ import annotations

import shutil

import pytest
import skimage.data
from PIL import Image

from caseletter.checks.figure_content import figure_label
from caseletter.checks.run import run_checks
from caseletter.deid import image_content
from deid.test_image_content import draw_label_strip
from helpers import edited_example, run_cli


@pytest.fixture(autouse=True)
def fresh_image_cache(tmp_path, monkeypatch):
    monkeypatch.setattr(image_content, "_cache_folder", lambda: tmp_path / "image-cache")


def _replace_panel(case, panel: int, make) -> None:
    """Overwrite the example's first figure's panel with a picture made by `make(path)`."""
    names = ["before-neck.png", "before-arm.png"]
    make(case.parent / "figures" / "sts-calcinosis" / names[panel])


def _portrait(path) -> None:
    Image.fromarray(skimage.data.astronaut()).save(path)


def test_burned_in_identifiers_are_errors_naming_figure_panel_and_region(tmp_path):
    case = edited_example(tmp_path)
    _replace_panel(case, 1, draw_label_strip)
    report = run_checks(case)
    burned = [f for f in report.findings if f.field == "figures[0].panels[1].file" and f.kind == "identifier"]
    assert {f.detail for f in burned} >= {"name", "mrn", "date"}
    assert all(f.severity == "error" for f in burned)
    mrn = next(f for f in burned if f.detail == "mrn")
    assert "Figure 1, panel B (before-arm.png)" in mrn.message and "'7730142'" in mrn.message
    assert "bottom" in mrn.message and "Crop or cover it" in mrn.suggestion
    assert report.status == "blocked"


def test_a_face_in_a_photograph_is_an_error_until_the_consent_covers_images(tmp_path):
    case = edited_example(tmp_path, figures__0__illustrative=False)
    _replace_panel(case, 0, _portrait)
    face = [f for f in run_checks(case).findings if f.detail == "face"]
    assert len(face) == 1 and face[0].severity == "error"
    assert face[0].message.startswith("Figure 1, panel A (before-neck.png) shows a face at its top centre")
    assert "consent does not mention images" in face[0].message

    consenting = edited_example(
        tmp_path / "consenting", figures__0__illustrative=False,
        consent="The patient gave written informed consent for publication of this report and its images.",
    )
    _replace_panel(consenting, 0, _portrait)
    face = [f for f in run_checks(consenting).findings if f.detail == "face"]
    assert len(face) == 1 and face[0].severity == "warning"


def test_a_face_in_an_illustration_is_nobodys(tmp_path):
    case = edited_example(tmp_path)  # the example's figures are marked illustrative
    _replace_panel(case, 0, _portrait)
    assert not [f for f in run_checks(case).findings if f.detail == "face"]


def test_the_cli_prints_the_figure_finding_and_fails(tmp_path):
    case = edited_example(tmp_path)
    _replace_panel(case, 1, draw_label_strip)
    result = run_cli("check", case, columns=200)
    assert result.status == 1  # errors found; 2 is for input the kit cannot read
    assert "Figure 1, panel B" in result.out and "7730142" in result.out


def test_without_tesseract_the_check_says_the_figures_text_was_not_read(tmp_path, monkeypatch):
    real_which = shutil.which
    monkeypatch.setattr(image_content.shutil, "which", lambda n: None if n == "tesseract" else real_which(n))
    report = run_checks(edited_example(tmp_path))
    note = [f for f in report.findings if f.detail == "ocr"]
    assert len(note) == 1 and note[0].severity == "note" and "tesseract-ocr" in note[0].suggestion


def test_a_second_check_reads_no_image(tmp_path, monkeypatch):
    case = edited_example(tmp_path)
    first = run_checks(case)

    def no_reading(*args, **kwargs):
        raise AssertionError("an image was read again")

    monkeypatch.setattr(image_content, "_read", no_reading)
    assert run_checks(case).findings == first.findings


@pytest.mark.parametrize(
    "field, label",
    [("figures[0].file", "Figure 1"), ("figures[1].panels[2].file", "Figure 2, panel C"), ("title", "title")],
)
def test_figure_labels_read_as_the_letter_prints_them(field, label):
    assert figure_label(field) == label
