"""The build checks the case first: it refuses identifiers unless told, and writes check.html."""

from __future__ import annotations

import base64
import io
import re

from bs4 import BeautifulSoup
from PIL import Image

from caseletter.cli import main
from helpers import copy_example, edited_example

LEAKY_SENTENCE = " She was first seen at Mercy General Hospital on March 3, 2021."


def leaky_case(tmp_path):
    """The example case with a hospital and a full date written into the presentation."""

    def leak(data):
        data["case"]["presentation"] += LEAKY_SENTENCE

    return edited_example(tmp_path, leak)


def test_identifiers_stop_the_build_with_where_they_are(tmp_path, capsys):
    case = leaky_case(tmp_path)
    out = tmp_path / "build"
    assert main(["build", str(case), "--out", str(out)]) == 2
    message = " ".join(capsys.readouterr().err.split())
    assert "possible patient identifier" in message and "case.presentation" in message
    assert "March 3, 2021" in message and "--allow-identifiers" in message
    assert not any(p.is_file() for p in out.rglob("*"))


def test_allow_identifiers_builds_and_records_it(tmp_path, capsys):
    case = leaky_case(tmp_path)
    out = tmp_path / "build"
    assert main(["build", str(case), "--out", str(out), "--allow-identifiers", "--to", "html"]) == 0
    folder = out / case.stem
    assert "--allow-identifiers given: exported with" in (folder / "build.log").read_text(encoding="utf-8")
    report = BeautifulSoup((folder / "check.html").read_text(encoding="utf-8"), "html.parser").get_text(" ")
    assert "March 3, 2021" in report and "Mercy General Hospital" in report


def test_the_example_check_report_sits_beside_the_letter(example_build):
    report = example_build.out_dir / "check.html"
    text = BeautifulSoup(report.read_text(encoding="utf-8"), "html.parser").get_text(" ")
    assert "CARE" in text and "words" in text.lower()
    assert report.parent == example_build.files["html"].parent


def test_figures_reach_the_letter_without_their_metadata(tmp_path):
    case = copy_example(tmp_path)
    photo = case.parent / "figures" / "sts-calcinosis" / "after-neck.png"
    image = Image.open(photo).convert("RGB")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x9003] = "2021:03:03 10:00:00"  # DateTimeOriginal
    jpeg = photo.with_suffix(".jpg")
    image.save(jpeg, format="JPEG", exif=exif.tobytes())
    text = case.read_text(encoding="utf-8").replace(
        "figures/sts-calcinosis/after-neck.png", "figures/sts-calcinosis/after-neck.jpg"
    )
    case.write_text(text, encoding="utf-8")
    out = tmp_path / "build"
    assert main(["build", str(case), "--out", str(out), "--to", "html", "--allow-identifiers"]) == 0
    html = (out / case.stem / "letter.html").read_text(encoding="utf-8")
    for data in re.findall(r'src="data:image/png;base64,([^"]+)"', html):
        embedded = Image.open(io.BytesIO(base64.b64decode(data)))
        assert not embedded.getexif() and not {k for k in embedded.info if k not in ("dpi",)}
