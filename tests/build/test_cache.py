"""Incremental builds: content decides, not file times."""

from __future__ import annotations

import io
import os
import time

from PIL import Image

from caseletter.cli import main
from helpers import copy_example


def build(case, out, capsys) -> str:
    assert main(["build", str(case), "--out", str(out), "--to", "html"]) == 0
    return capsys.readouterr().out


def test_only_a_change_of_content_rebuilds(tmp_path, capsys):
    case = copy_example(tmp_path)
    out = tmp_path / "build"
    assert "unchanged" not in build(case, out, capsys)
    assert "unchanged since the last build" in build(case, out, capsys)
    later = time.time() + 60
    os.utime(case, (later, later))  # a new time, the same bytes
    assert "unchanged since the last build" in build(case, out, capsys)
    figure = case.parent / "figures" / "sts-calcinosis" / "after-neck.png"
    image = Image.open(io.BytesIO(figure.read_bytes())).convert("RGB")
    image.putpixel((5, 5), (0, 0, 0))
    image.save(figure)  # the same name, other pixels
    assert "unchanged" not in build(case, out, capsys)
    assert "unchanged since the last build" in build(case, out, capsys)
    assert main(["build", str(case), "--out", str(out), "--to", "html", "--force"]) == 0
    assert "unchanged" not in capsys.readouterr().out
