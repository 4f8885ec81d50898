"""Image files that are odd but honest: a WebP holds no date, an oversized text chunk is one paragraph."""

from __future__ import annotations

import struct
import zlib

from PIL import Image

from caseletter.checks.run import run_checks
from caseletter.deid.images import scan_image_metadata
from helpers import edited_example, run_cli


def test_a_webp_figure_is_not_refused_as_holding_a_date(tmp_path):
    case = edited_example(tmp_path, figures__1__file="figures/after.webp")
    Image.new("RGB", (60, 40), "white").save(case.parent / "figures" / "after.webp", format="WEBP")
    assert scan_image_metadata(case.parent / "figures" / "after.webp") == []
    assert not [f for f in run_checks(case).findings if f.field == "figures[1].file"]


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def test_a_png_with_an_oversized_text_chunk_is_one_paragraph(tmp_path):
    case = edited_example(tmp_path, figures__1__file="figures/bomb.png")
    good = (case.parent / "figures" / "sts-calcinosis" / "after-neck.png").read_bytes()
    bomb = png_chunk(b"zTXt", b"Comment\x00\x00" + zlib.compress(b"x" * 20_000_000))
    (case.parent / "figures" / "bomb.png").write_bytes(good[:33] + bomb + good[33:])
    for command in (["check", case], ["build", case, "--out", tmp_path / "out", "--to", "html"]):
        run = run_cli(*command)
        assert "Traceback" not in run.err and "\n\n" not in run.err.strip()
        assert run.status in (1, 2) and "figures[1].file" in " ".join((run.err + run.out).split())
