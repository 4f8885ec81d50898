"""Each figure as its own file, to a journal's specification: TIFF or PNG, RGB, dpi set, no metadata.

A journal prints a figure from its file, so it asks for RGB pixels, enough of them for the width
the figure prints at (usually 300 dpi over one column), and no metadata: EXIF and XMP carry
dates, devices and GPS positions that can identify a patient, and production strips profiles
and text chunks anyway. A figure file is therefore written from its pixels alone; besides them it
holds only its size, its resolution and its compression.

Pixels are never invented: an image too small for the printed width is written as it is, and
`FigureFile.enough_pixels` says so, so that the author can be asked for a larger one. The case's
figures are taken at their source resolution (panels side by side at the tallest panel's height,
not the letter's smaller one); the kit's timeline is drawn again, finely enough for the width.
An embedded ICC profile is applied before it is dropped, so that a photograph taken in a wide
gamut (a phone's Display P3) keeps its colours once read as sRGB.
"""

from __future__ import annotations

import contextlib
import io
import math
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

from PIL import Image, ImageOps

from caseletter.case.model import Case, Figure
from caseletter.dosing.timeline import WIDTH_IN, draw_timeline
from caseletter.errors import FigureError
from caseletter.letter.figures import figure_sheet

FORMATS = {"tif": "TIFF", "png": "PNG"}
SIXTEEN_BIT = ("I;16", "I;16B", "I;16L", "I;16N", "I")
WITH_ALPHA = ("P", "PA", "LA", "La", "RGBA", "RGBa")
ICC_SPACES = {"RGB": "RGB ", "CMYK": "CMYK", "L": "GRAY"}  # image mode -> the profile's colour space
MM_PER_INCH = 25.4


@dataclass(frozen=True)
class FigureSpec:
    """What a journal asks of a figure file.

    Attributes:
        format: "tif" (LZW-compressed TIFF) or "png".
        dpi: the resolution the journal prints at.
        width_mm: the width the figure prints at (84 mm is a usual single column).
        name: the file name's stem, with ``{number}`` for the figure's number; the extension is the format.
    """

    format: str = "tif"
    dpi: int = 300
    width_mm: float = 84.0
    name: str = "Figure{number}"

    def __post_init__(self) -> None:
        """Refuse a specification that could not give a usable file, before any file is written."""
        if self.format not in FORMATS:
            refuse("format", f'"{self.format}" is not a figure format the kit writes', "Give tif or png.")
        if self.dpi <= 0 or self.width_mm <= 0:
            refuse("dpi, width_mm", f"{self.dpi} dpi at {self.width_mm} mm is not a printed size", "Give both above 0.")
        try:
            stem = self.name.format(number=1)
        except (KeyError, IndexError, ValueError):
            refuse("name", f'"{self.name}" is not a name pattern', 'Write it like "Figure{number}".')
        if stem in ("", ".", "..") or Path(stem).name != stem or "\x00" in stem:
            refuse("name", f'"{self.name}" does not give a plain file name', 'Write it like "Figure{number}".')

    @property
    def required_px(self) -> int:
        """Pixels across the printed width at the journal's dpi (84 mm at 300 dpi: 992)."""
        return round(self.width_mm / MM_PER_INCH * self.dpi)

    def file_name(self, number: int) -> str:
        """The file name of figure `number`, e.g. ``Figure1.tif``."""
        return f"{self.name.format(number=number)}.{self.format}"


@dataclass(frozen=True)
class FigureFile:
    """A figure file as written.

    Attributes:
        number: the figure's number in the letter.
        path: where the file is.
        width_px, height_px: its size in pixels.
        dpi: the resolution written into it (the specification's).
        printed_width_mm: the width its pixels fill at that resolution.
        enough_pixels: True when it has at least the specification's dpi at its printed width.
    """

    number: int
    path: Path
    width_px: int
    height_px: int
    dpi: int
    printed_width_mm: float
    enough_pixels: bool


def refuse(field: str, why: str, todo: str) -> NoReturn:
    """Raise the error of a specification's field that cannot be used."""
    raise FigureError(f"figure file specification, {field}", why, todo)


def figure_image(figure: Figure, index: int, case_path: Path) -> Image.Image:
    """The case's figure at its source resolution, panels side by side with their letters.

    The letter scales panels to a height that suits a screen; a journal prints from the file, so
    no panel here loses a pixel (a shorter panel is scaled up to the tallest one's height).

    Raises:
        FigureError: a file missing, outside the case's folder, not an image, or too large.
    """
    return figure_sheet(figure, index, case_path, panel_height=None)


def timeline_image(case: Case, case_path: Path, spec: FigureSpec) -> Image.Image | None:
    """The kit's timeline, drawn finely enough to have the specification's dpi at its printed width.

    The layout is the letter's, drawn at column width; only the rasterisation is finer. None when
    the case has no timeline.

    Raises:
        DosingError: a time or phase of the case that cannot be read (naming its field).
    """
    drawn = draw_timeline(case, case_path, dpi=drawing_dpi(spec))
    if drawn is None:
        return None
    image = Image.open(io.BytesIO(drawn.png))
    image.load()
    return image


def drawing_dpi(spec: FigureSpec) -> int:
    """The dpi at which the timeline's drawing width gives at least `spec.required_px` pixels.

    Half a pixel more than needed, because the canvas drops the fraction of its width in pixels.
    """
    return math.ceil((spec.required_px + 0.5) / WIDTH_IN)


def write_figure_files(images: list[tuple[int, Image.Image]], spec: FigureSpec, folder: Path) -> list[FigureFile]:
    """Write each (number, image) as its own figure file in `folder`, in the order given.

    Raises:
        FigureError: two images with one number (one file would replace the other), or a file that
            cannot be written.
    """
    numbers = [number for number, _ in images]
    if len(set(numbers)) < len(numbers):
        raise FigureError(str(folder), f"figure numbers {numbers} repeat", "Give each figure its own number.")
    return [write_figure_file(image, number, spec, folder) for number, image in images]


def write_figure_file(image: Image.Image, number: int, spec: FigureSpec, folder: Path) -> FigureFile:
    """Write figure `number` to the journal's specification: its pixels in RGB, its dpi, nothing else.

    The file appears whole or not at all: it is written under a temporary name and renamed, so a
    submission system (or a zip made at the same moment) never takes a half-written figure.

    Raises:
        FigureError: the folder or the file cannot be written; nothing is left behind.
    """
    pixels = plain_rgb(image)
    path = Path(folder) / spec.file_name(number)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        save_whole(pixels, path, spec)
    except OSError as error:
        why = f"the figure file cannot be written ({error.strerror or error})"
        raise FigureError(str(path), why, "Check that the folder is writable and the disk has room.") from None
    printed_mm = round(pixels.width / spec.dpi * MM_PER_INCH, 1)
    enough = pixels.width >= spec.required_px
    return FigureFile(number, path, pixels.width, pixels.height, spec.dpi, printed_mm, enough)


def plain_rgb(image: Image.Image) -> Image.Image:
    """The image as 8-bit sRGB pixels and nothing else: upright, transparency on white, profile applied.

    The pixels go into a new image, so no EXIF, XMP, ICC profile, text or TIFF tag of the source
    can reach the file (Pillow writes some of them from the image's info when saving).
    """
    image = ImageOps.exif_transpose(image)  # the orientation tag is dropped with the rest
    image = eight_bit(image)
    if image.mode in WITH_ALPHA or "transparency" in image.info:
        image = onto_white(image)
    rgb = in_srgb(image).convert("RGB")
    clean = Image.new("RGB", rgb.size)
    clean.paste(rgb)
    return clean


def eight_bit(image: Image.Image) -> Image.Image:
    """16-bit (or 32-bit integer) grey scaled to 8 bits; Pillow's own conversion would clip it to white."""
    if image.mode not in SIXTEEN_BIT:
        return image.convert("L") if image.mode == "F" else image
    if image.mode == "I" and image.getextrema()[1] <= 255:
        return image.convert("L")
    return image.convert("I").point(lambda value: value / 257).convert("L")


def onto_white(image: Image.Image) -> Image.Image:
    """The image set on a white ground, as a page shows it; transparent pixels hold no colour worth keeping."""
    flat = Image.alpha_composite(Image.new("RGBA", image.size, "white"), image.convert("RGBA")).convert("RGB")
    if "icc_profile" in image.info:
        flat.info["icc_profile"] = image.info["icc_profile"]
    return flat


def in_srgb(image: Image.Image) -> Image.Image:
    """The pixels converted to sRGB through the image's ICC profile, which the file will not carry.

    Without the profile, a reader takes the pixels as sRGB; converting first keeps the colours the
    author saw. A profile that is sRGB already, does not fit the pixels' mode (the letter converts
    a CMYK image to RGB before its profile can be used) or cannot be read is passed over.
    """
    icc = image.info.get("icc_profile")
    if not icc or image.mode not in ICC_SPACES:
        return image
    try:
        from PIL import ImageCms
    except ImportError:  # a Pillow built without Little CMS
        return image
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        described = ImageCms.getProfileDescription(profile).lower()  # "srgb iec61966-2.1"
        if profile.profile.xcolor_space != ICC_SPACES[image.mode] or "srgb" in described:
            return image
        return ImageCms.profileToProfile(image, profile, ImageCms.createProfile("sRGB"), outputMode="RGB")
    except (OSError, ImageCms.PyCMSError):
        return image


def save_whole(image: Image.Image, path: Path, spec: FigureSpec) -> None:
    """Save under a temporary name in the same folder, then rename; the temporary file never stays."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            image.save(out, format=FORMATS[spec.format], dpi=(spec.dpi, spec.dpi), **compression(spec))
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, 0o666 & ~current_umask())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def compression(spec: FigureSpec) -> dict:
    """Lossless compression: LZW for TIFF (what journals' systems read), zlib's best for PNG."""
    return {"compression": "tiff_lzw"} if spec.format == "tif" else {"compress_level": 9}


def current_umask() -> int:
    """The process's file-creation mask, so a figure file is as readable as any other file written."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
