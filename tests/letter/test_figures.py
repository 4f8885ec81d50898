"""Figure files that lead out of the case's folder, are not images, or would exhaust memory.

Each is refused with a `FigureError` naming the case file, the figure's field and the path;
through `open_letter` (what the notebook runs) the same message comes back.
"""

from __future__ import annotations

import io
import struct
import time
import tracemalloc
import zlib
from pathlib import Path

import pytest
from PIL import Image

from caseletter.case.model import Figure
from caseletter.errors import FigureError
from caseletter.letter.figures import MAX_PIXELS, figure_png
from caseletter.letter.notebook import open_letter
from helpers import copy_example


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def bomb_png(width: int, height: int) -> bytes:
    """A PNG that declares width × height pixels but holds a few bytes of data."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + png_chunk(b"IEND", b"")
    )


@pytest.fixture
def case_folder(tmp_path) -> Path:
    """A case folder with one real image, and a file outside it that must stay out of reach."""
    folder = tmp_path / "case"
    (folder / "figures").mkdir(parents=True)
    Image.new("RGB", (40, 30), "white").save(folder / "figures" / "ok.png")
    Image.new("RGB", (40, 30), "red").save(tmp_path / "outside.png")
    return folder


def refused(folder: Path, file: str) -> str:
    case_path = folder / "case.yaml"
    with pytest.raises(FigureError) as caught:
        figure_png(Figure(id="fig-a", legend="Legend.", file=file), 0, case_path)
    message = caught.value.message
    assert message.startswith(f"{case_path}, figures[0].file: ")
    return message


@pytest.mark.parametrize(
    ("file", "why"),
    [
        pytest.param("../outside.png", "leads outside the case's folder", id="dot_dot_out"),
        pytest.param("figures/../../outside.png", "leads outside the case's folder", id="dot_dot_through_a_subfolder"),
        pytest.param("../../../../../../etc/passwd", "leads outside the case's folder", id="dot_dot_to_etc"),
        pytest.param("/etc/passwd", "is an absolute path", id="absolute"),
        pytest.param("figures/a\x00b.png", "cannot be a file name", id="nul_byte"),
        pytest.param("x" * 5000 + ".png", "cannot be a file name", id="name_too_long"),
        pytest.param("figures/\u202egnp.exe", "does not exist", id="right_to_left_override"),
        pytest.param("figures", "does not exist", id="a_folder"),
    ],
)
def test_paths_outside_or_unusable_are_refused(case_folder, file, why):
    message = refused(case_folder, file)
    assert why in message
    assert len(message) < 400 and "\x00" not in message and "\u202e" not in message


def test_a_symlink_leading_out_is_refused(case_folder):
    (case_folder / "figures" / "link.png").symlink_to(case_folder.parent / "outside.png")
    assert "leads outside the case's folder" in refused(case_folder, "figures/link.png")


def test_a_symlink_staying_inside_is_followed(case_folder):
    (case_folder / "figures" / "alias.png").symlink_to(case_folder / "figures" / "ok.png")
    png = figure_png(Figure(id="fig-a", legend="Legend.", file="figures/alias.png"), 0, case_folder / "case.yaml")
    assert Image.open(io.BytesIO(png)).size == (40, 30)


@pytest.mark.parametrize(
    ("content", "why"),
    [
        pytest.param(b"#!/bin/sh\necho not an image\n", "is not an image Pillow can read", id="shell_script"),
        pytest.param(b"", "is not an image Pillow can read", id="empty_file"),
        pytest.param(bomb_png(40, 30)[:40], "is not an image Pillow can read", id="truncated_png"),
        pytest.param(
            b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
            "is not an image Pillow can read",
            id="svg_with_script",
        ),
    ],
)
def test_files_that_are_not_images_are_refused_with_their_path(case_folder, content, why):
    (case_folder / "figures" / "bad.png").write_bytes(content)
    message = refused(case_folder, "figures/bad.png")
    assert why in message and str(case_folder / "figures" / "bad.png") in message


@pytest.mark.parametrize(
    ("width", "height"), [(50_000, 50_000), (MAX_PIXELS // 1000 + 1, 1000), (2**31 - 1, 2**31 - 1)]
)
def test_a_decompression_bomb_is_refused_quickly_in_small_memory(case_folder, width, height):
    (case_folder / "figures" / "bomb.png").write_bytes(bomb_png(width, height))
    tracemalloc.start()
    start = time.perf_counter()
    try:
        message = refused(case_folder, "figures/bomb.png")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.perf_counter() - start < 1.0 and peak < 20_000_000
    assert f"has more than {MAX_PIXELS:,} pixels" in message and str(case_folder / "figures" / "bomb.png") in message


def test_panels_that_would_join_into_a_giant_sheet_are_refused(case_folder):
    Image.new("RGB", (40_000, 1), "white").save(case_folder / "figures" / "strip.png")  # 40,000 pixels only
    figure = Figure(id="fig-a", legend="Legend.", panels=[{"file": "figures/strip.png"}, {"file": "figures/ok.png"}])
    start = time.perf_counter()
    with pytest.raises(FigureError) as caught:
        figure_png(figure, 0, case_folder / "case.yaml")
    assert time.perf_counter() - start < 1.0
    assert caught.value.message.startswith(f"{case_folder / 'case.yaml'}, figures[0].panels: set side by side")


def test_open_letter_reports_a_figure_leading_out_by_its_case_file(tmp_path):
    case = copy_example(tmp_path)
    (tmp_path / "secret.png").write_bytes(bomb_png(40, 30))
    case.write_text(
        case.read_text(encoding="utf-8").replace("file: figures/sts-calcinosis/after-neck.png", "file: ../secret.png"),
        encoding="utf-8",
    )
    with pytest.raises(FigureError) as caught:
        open_letter(case)
    assert caught.value.message.startswith(
        f"{case}, figures[1].file: \"../secret.png\" leads outside the case's folder"
    )
