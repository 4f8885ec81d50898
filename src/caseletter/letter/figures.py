"""Figures: numbering by first mention, cross-references in text, and the images themselves.

Text points at a figure with ``@fig-id`` (the convention Quarto uses); the kit replaces it by
"Figure N", numbering figures in the order the letter first mentions them, as the AMA manual
asks. Figures never mentioned follow, in file order.

Every image that goes into a letter is re-encoded here from its pixels alone, so no EXIF, GPS,
date or device metadata survives into an output, and panels A, B, ... are set side by side
into one labelled image so that the three formats show the same figure.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from pathlib import Path

from caseletter.case.fields import FIGURE_REF
from caseletter.case.model import Case, Figure
from caseletter.errors import FigureError
from caseletter.paths import resolve_inside

MAX_PIXELS = 40_000_000
PANEL_HEIGHT = 450  # at most 3 panels across a column: about 300 dpi in print


@dataclass(frozen=True)
class NumberedFigure:
    """A figure of the case with its number in the letter."""

    number: int
    figure: Figure
    index: int  # position in case.figures, for error messages


def number_figures(case: Case, texts: list[str]) -> list[NumberedFigure]:
    """Number the case's figures by their first mention in `texts` (the letter's order)."""
    by_id = {fig.id: (i, fig) for i, fig in enumerate(case.figures)}
    order: list[str] = []
    for text in texts:
        for match in FIGURE_REF.finditer(text):
            if match.group(1) in by_id and match.group(1) not in order:
                order.append(match.group(1))
    order += [fig.id for fig in case.figures if fig.id not in order]
    return [NumberedFigure(n, by_id[fid][1], by_id[fid][0]) for n, fid in enumerate(order, start=1)]


def replace_figure_refs(text: str, numbers: dict[str, int]) -> str:
    """Write "Figure N" where the text says ``@fig-id``."""
    return FIGURE_REF.sub(lambda m: f"Figure {numbers[m.group(1)]}" if m.group(1) in numbers else m.group(0), text)


def legend_markdown(fig: Figure) -> str:
    """The legend text: the figure's own legend, then each panel's caption after its letter."""
    parts = [fig.legend.strip()]
    for letter, panel in zip(panel_letters(len(fig.panels)), fig.panels):
        if panel.caption:
            parts.append(f"{letter}, {panel.caption.strip()}")
    if fig.illustrative:
        parts.append("Illustration, not a clinical photograph.")
    return " ".join(p if p.endswith((".", "?", "!")) else p + "." for p in parts)


def panel_letters(count: int) -> list[str]:
    """A, B, C, ... for `count` panels."""
    return [chr(ord("A") + i) for i in range(count)]


def figure_png(fig: Figure, index: int, case_path: Path) -> bytes:
    """The figure as one PNG: its image, or its panels side by side with their letters.

    Paths are resolved against the case file's folder and must stay inside it.
    """
    return encode_png(figure_sheet(fig, index, case_path))


def figure_sheet(fig: Figure, index: int, case_path: Path, panel_height: int | None = PANEL_HEIGHT):  # -> Image
    """The figure as one RGB image: its image, or its panels side by side at one height with their letters.

    `panel_height` None keeps the tallest panel's own height (see `full_height`): a journal prints
    a figure file from these pixels, where the letter needs only enough for its column.
    """
    if fig.file:
        return open_image(case_path, fig.file, f"figures[{index}].file")
    if not fig.panels:
        raise FigureError(
            f"{case_path}, figures[{index}]",
            "the figure has neither 'file' nor 'panels'",
            "Give the image file, or panels each with a file.",
        )
    images = [open_image(case_path, p.file, f"figures[{index}].panels[{i}].file") for i, p in enumerate(fig.panels)]
    height = panel_height or full_height(images)
    width = sum(panel_width(img, height) for img in images)
    if width * height > MAX_PIXELS:
        raise FigureError(
            f"{case_path}, figures[{index}].panels",
            f"set side by side at one height, the panels would be {width:,} pixels wide",
            "Crop very wide, very short panels (a panel is seldom more than 5 times as wide as it is tall).",
        )
    return join_panels(images, height)


def full_height(images: list) -> int:
    """The tallest panel's height, lowered only as far as keeping the sheet within MAX_PIXELS requires.

    Never below the letter's height, so that panels the letter takes are taken here too and
    panels the letter refuses are refused here with the same message.
    """
    tallest = max(img.height for img in images)
    height = min(tallest, math.isqrt(int(MAX_PIXELS / sum(img.width / img.height for img in images))))
    while height > 1 and sum(panel_width(img, height) for img in images) * height > MAX_PIXELS:
        height -= 1  # rounding each panel's width can add a pixel or two
    return max(height, min(tallest, PANEL_HEIGHT))


def open_image(case_path: Path, relative: str, field: str):  # -> PIL.Image.Image
    """Open and fully decode an image inside the case's folder, refusing non-images and decompression bombs."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    where = f"{case_path}, {field}"
    path = resolve_inside(Path(case_path).resolve().parent, relative, where, FigureError, "image file")
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with Image.open(path) as img:
            if img.width * img.height > MAX_PIXELS:
                raise Image.DecompressionBombError("too many pixels")
            img.load()
            return ImageOps.exif_transpose(img).convert("RGB")
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise FigureError(
            where,
            f"{path} has more than {MAX_PIXELS:,} pixels",
            "Resize the image (a letter figure needs about 2000 pixels across).",
        ) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise FigureError(where, f"{path} is not an image Pillow can read", "Save it as PNG or JPEG.") from None


def join_panels(images: list, height: int = PANEL_HEIGHT) -> object:
    """Set panels side by side at one height, each with its letter in the bottom-left corner.

    The gap and the letters grow with the height, so a sheet at full resolution looks like the letter's.
    """
    from PIL import Image, ImageDraw, ImageFont

    def px(size: int) -> int:
        return max(1, round(size * height / PANEL_HEIGHT))

    scaled = [img.resize((panel_width(img, height), height)) for img in images]
    gap = px(12)
    sheet = Image.new("RGB", (sum(i.width for i in scaled) + gap * (len(scaled) - 1), height), "white")
    draw = ImageDraw.Draw(sheet)
    font = ImageFont.load_default(size=px(44))
    x = 0
    for letter, img in zip(panel_letters(len(scaled)), scaled):
        sheet.paste(img, (x, 0))
        draw.rectangle([x, height - px(64), x + px(52), height], fill="white")
        draw.text((x + px(10), height - px(60)), letter, fill="black", font=font)
        x += img.width + gap
    return sheet


def panel_width(image, height: int = PANEL_HEIGHT) -> int:
    """A panel's width once scaled to the sheet's height."""
    return max(1, round(image.width * height / image.height))


_RECENT_ENCODINGS: dict[str, bytes] = {}
_RECENT_LIMIT = 8


def encode_png(image) -> bytes:
    """PNG bytes from pixels only: no EXIF, text chunks, ICC or timestamps are written.

    Compressing is most of a figure's cost; a kernel kept warm between saves (the preview)
    compresses a figure again only when its pixels change.
    """
    import hashlib

    shape = f"{image.mode} {image.size} {image.getpalette()} {image.info.get('transparency')!r}"
    key = hashlib.sha256(shape.encode() + image.tobytes()).hexdigest()
    if key not in _RECENT_ENCODINGS:
        if len(_RECENT_ENCODINGS) >= _RECENT_LIMIT:
            _RECENT_ENCODINGS.pop(next(iter(_RECENT_ENCODINGS)))
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", optimize=True)
        _RECENT_ENCODINGS[key] = buffer.getvalue()
    return _RECENT_ENCODINGS[key]
