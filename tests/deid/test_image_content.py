"""What images show: burned-in identifiers read by Tesseract, faces found by OpenCV, and clean images.

Real pictures: scikit-image's bundled photographs (a portrait, a histology slide, a fundus
photograph, textures, a cat) and figures drawn here with burned-in text, as a clinic's camera,
a radiograph's corner and a slide would carry it. Tesseract is Debian's tesseract-ocr.
"""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib
import numpy as np
import pytest
import skimage.data
from PIL import Image, ImageDraw, ImageFont

from caseletter.deid import image_content
from caseletter.deid.image_content import scan_image_content
from helpers import ROOT

FONT = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"


@pytest.fixture(autouse=True)
def fresh_image_cache(tmp_path, monkeypatch):
    """Each test reads its images afresh, into a cache of its own."""
    monkeypatch.setattr(image_content, "_cache_folder", lambda: tmp_path / "image-cache")


def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT), size)


def draw_label_strip(path: Path) -> tuple[int, int, int, int]:
    """A skin-toned close-up with a camera's label strip: name, record number, date. Returns the strip."""
    rng = np.random.default_rng(7)
    skin = np.clip(rng.normal((205, 160, 135), 12, (450, 600, 3)), 0, 255).astype("uint8")
    image = Image.fromarray(skin)
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 410, 600, 450], fill=(0, 0, 0))
    draw.text((10, 418), "Ingrid Solberg   MRN 7730142   21/06/2023", font=_font(18), fill=(255, 255, 255))
    image.save(path)
    return 0, 410, 600, 40


def draw_radiograph(path: Path) -> None:
    """A dark radiograph-like field with the patient's name and birth date burned into a corner in yellow."""
    y, x = np.mgrid[0:700, 0:700]
    field = (60 + 80 * np.exp(-((x - 350) ** 2 + (y - 380) ** 2) / 40000)).astype("uint8")
    image = Image.fromarray(np.stack([field] * 3, axis=2))
    draw = ImageDraw.Draw(image)
    draw.text((20, 20), "OKONKWO, CHIDI", font=_font(22), fill=(255, 255, 0))
    draw.text((20, 50), "DOB 03/04/1958  St Luke's Hospital", font=_font(18), fill=(255, 255, 0))
    image.save(path)


def draw_slide(path: Path) -> None:
    """A presentation slide exported as an image, black on white."""
    image = Image.new("RGB", (1000, 600), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    draw.text((40, 40), "Case presentation", font=_font(40), fill=(0, 0, 0))
    draw.text((40, 130), "Referred from Moorhead, Minnesota", font=_font(26), fill=(0, 0, 0))
    draw.text((40, 180), "Contact: 612-555-0143", font=_font(26), fill=(0, 0, 0))
    draw.text((40, 230), "Sodium thiosulfate 12.5 g IV three times weekly", font=_font(26), fill=(0, 0, 0))
    image.save(path)


def _kinds(path: Path) -> dict[str, str]:
    return {f.kind: f.text for f in scan_image_content(path).findings}


def test_label_strip_identifiers_are_found_inside_the_strip(tmp_path):
    path = tmp_path / "label.png"
    strip_left, strip_top, strip_width, strip_height = draw_label_strip(path)
    content = scan_image_content(path)
    found = {f.kind: f for f in content.findings}
    assert {"name", "mrn", "date"} <= set(found), content.findings
    assert found["mrn"].text == "7730142" and found["date"].text == "21/06/2023"
    for finding in found.values():
        left, top, width, height = finding.box
        assert strip_top - 4 <= top and top + height <= strip_top + strip_height + 4, finding
    assert found["name"].region(content.size) == "bottom left"


def test_radiograph_corner_text_in_yellow_is_found(tmp_path):
    path = tmp_path / "xray.png"
    draw_radiograph(path)
    kinds = _kinds(path)
    assert kinds.get("date") == "03/04/1958", kinds
    assert kinds.get("facility") == "St Luke's Hospital", kinds


def test_slide_text_is_found_and_the_dose_is_not(tmp_path):
    path = tmp_path / "slide.png"
    draw_slide(path)
    kinds = _kinds(path)
    assert kinds.get("city") == "Moorhead" and kinds.get("phone") == "612-555-0143", kinds
    assert set(kinds) == {"city", "phone"}


def test_a_photographed_face_is_found(tmp_path):
    path = tmp_path / "portrait.png"
    Image.fromarray(skimage.data.astronaut()).save(path)
    faces = [f for f in scan_image_content(path).findings if f.kind == "face"]
    assert len(faces) == 1
    left, top, width, height = faces[0].box
    assert 150 < left + width / 2 < 300 and 50 < top + height / 2 < 200  # her face, not the flag or the suit


CLEAN = {
    "histology": skimage.data.immunohistochemistry,
    "fundus": skimage.data.retina,
    "cat": skimage.data.chelsea,
    "bricks": skimage.data.brick,
    "gravel": skimage.data.gravel,
    "cells": skimage.data.cell,
}


@pytest.mark.parametrize("name", CLEAN)
def test_clean_pictures_are_not_flagged(tmp_path, name):
    path = tmp_path / f"{name}.png"
    Image.fromarray(CLEAN[name]()).save(path)
    assert scan_image_content(path).findings == []


@pytest.mark.parametrize("name", ["before-neck.png", "before-arm.png", "after-neck.png"])
def test_the_examples_drawings_are_not_flagged(name):
    content = scan_image_content(ROOT / "cases" / "figures" / "sts-calcinosis" / name)
    assert content.text_read and content.findings == []


def test_a_second_scan_of_the_same_bytes_reads_nothing(tmp_path, monkeypatch):
    path = tmp_path / "label.png"
    draw_label_strip(path)
    first = scan_image_content(path)

    def no_reading(*args, **kwargs):
        raise AssertionError("the image was read again")

    monkeypatch.setattr(image_content, "_read", no_reading)
    assert scan_image_content(path).findings == first.findings
    copy = tmp_path / "renamed.png"
    copy.write_bytes(path.read_bytes())
    assert scan_image_content(copy).findings == first.findings  # keyed by content, not name
    draw_slide(path)
    with pytest.raises(AssertionError, match="read again"):
        scan_image_content(path)


def test_without_tesseract_faces_are_still_found_and_nothing_is_cached(tmp_path, monkeypatch):
    real_which = image_content.shutil.which
    monkeypatch.setattr(image_content.shutil, "which", lambda name: None if name == "tesseract" else real_which(name))
    path = tmp_path / "portrait.png"
    Image.fromarray(skimage.data.astronaut()).save(path)
    content = scan_image_content(path)
    assert not content.text_read and [f.kind for f in content.findings] == ["face"]
    assert not (tmp_path / "image-cache").exists() or not os.listdir(tmp_path / "image-cache")


def test_deid_command_reports_what_an_image_shows_with_where(tmp_path, capsys):
    from caseletter.cli import main

    path = tmp_path / "label.png"
    draw_label_strip(path)
    assert main(["deid", str(path)]) == 1
    out = capsys.readouterr().out
    assert "mrn '7730142': crop or cover it in the image, at its bottom" in out


def test_reading_figures_side_by_side_leaves_the_environment_as_it_was(tmp_path, monkeypatch):
    from concurrent.futures import ThreadPoolExecutor

    monkeypatch.delenv("OMP_THREAD_LIMIT", raising=False)
    paths = []
    for i, name in enumerate(["histology", "cells", "bricks"]):
        paths.append(tmp_path / f"{i}.png")
        Image.fromarray(CLEAN[name]()).save(paths[-1])
    with ThreadPoolExecutor(3) as pool:
        list(pool.map(scan_image_content, paths))
    assert "OMP_THREAD_LIMIT" not in os.environ
