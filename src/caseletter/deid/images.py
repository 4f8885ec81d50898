"""What an image file carries besides its pixels, and re-encoding it from its pixels alone.

A photograph's date, GPS position, camera serial or owner name can tie it to a clinic visit as
surely as a name in the text, so the check lists every such item and the letter never carries
the original file.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from caseletter.errors import FigureError, cut


@dataclass(frozen=True)
class ImageMetadata:
    """One piece of metadata an image carries besides its pixels.

    ``kind`` is ``gps``, ``date``, ``device``, ``owner``, ``comment`` or ``other``; every
    kind is removed by ``strip_image_metadata``, since a photograph's date or camera serial
    can tie it to a clinic visit as surely as a name.
    """

    key: str
    value: str
    kind: str


_EXIF_KINDS = {
    0x010E: ("ImageDescription", "comment"),
    0x010F: ("Make", "device"),
    0x0110: ("Model", "device"),
    0x0131: ("Software", "device"),
    0x0132: ("DateTime", "date"),
    0x013B: ("Artist", "owner"),
    0x013C: ("HostComputer", "device"),
    0x8298: ("Copyright", "owner"),
    0x9003: ("DateTimeOriginal", "date"),
    0x9004: ("DateTimeDigitized", "date"),
    0x9286: ("UserComment", "comment"),
    0x927C: ("MakerNote", "device"),
    0xA430: ("CameraOwnerName", "owner"),
    0xA431: ("BodySerialNumber", "device"),
    0xA433: ("LensMake", "device"),
    0xA434: ("LensModel", "device"),
    0xA435: ("LensSerialNumber", "device"),
}
_EXIF_IFD, _GPS_IFD = 0x8769, 0x8825
# Kept on purpose: they change how the pixels look, and identify no one.
_KEPT_INFO = {
    "icc_profile",
    "dpi",
    "transparency",
    "gamma",
    "aspect",
    "jfif",
    "jfif_version",
    "jfif_unit",
    "jfif_density",
    "progressive",
    "progression",
    "interlace",
    "duration",
    "loop",
    "background",
    "compression",
    "adobe",
    "adobe_transform",
    "srgb",
    # WebP's and GIF's animation clock: milliseconds into the animation, not a date.
    "timestamp",
}


def scan_image_metadata(path: Path) -> list[ImageMetadata]:
    """List the EXIF, XMP, IPTC, comment and PNG text metadata of an image file.

    Raises:
        FigureError: the file is missing or is not an image Pillow can open.
    """
    with _open_image(path) as image:
        items = list(_read_exif(image.getexif()))
        for key, value in image.info.items():
            if key not in _KEPT_INFO and key != "exif":
                kind = "date" if "date" in key.lower() or "time" in key.lower() else "comment"
                items.append(ImageMetadata(str(key), _short(value), kind))
    return items


def _read_exif(exif) -> list[ImageMetadata]:
    items = []
    if exif.get_ifd(_GPS_IFD):
        gps = exif.get_ifd(_GPS_IFD)
        items.append(ImageMetadata("GPSInfo", _short(dict(gps)), "gps"))
    tags = {**dict(exif), **exif.get_ifd(_EXIF_IFD)}
    for tag, value in tags.items():
        if tag in (_EXIF_IFD, _GPS_IFD, 0x0112):
            continue
        name, kind = _EXIF_KINDS.get(tag, (f"EXIF 0x{tag:04X}", "other"))
        items.append(ImageMetadata(name, _short(value), kind))
    return items


def _short(value: object) -> str:
    text = value.decode("latin-1") if isinstance(value, bytes) else str(value)
    return cut(text, 80)


def strip_image_metadata(data: bytes) -> bytes:
    """Re-encode an image with its pixels only: no EXIF, GPS, XMP, IPTC, comments or text chunks.

    The EXIF orientation is applied to the pixels first, so the photograph still stands the
    right way up once the tag that said how to turn it is gone. The ICC colour profile is
    kept because it identifies no one and dropping it changes the colours.

    Raises:
        FigureError: the bytes are not an image Pillow can open.
    """
    from PIL import ImageOps

    with _open_image(io.BytesIO(data)) as image:
        fmt = "JPEG" if image.format in ("JPEG", "MPO") else (image.format or "PNG")
        icc = image.info.get("icc_profile")
        upright = ImageOps.exif_transpose(image)
        clean = _copy_pixels(upright)
    out = io.BytesIO()
    options = {"quality": 95} if fmt == "JPEG" else {}
    if icc:
        options["icc_profile"] = icc
    clean.save(out, format=fmt, **options)
    return out.getvalue()


def _copy_pixels(image):
    """A new image from the pixel buffer alone, so no info or EXIF can ride along."""
    from PIL import Image

    clean = Image.frombytes(image.mode, image.size, image.tobytes())
    if image.mode == "P":
        clean.putpalette(image.getpalette())
        if "transparency" in image.info:
            clean.info["transparency"] = image.info["transparency"]
    return clean


def _open_image(source):
    from PIL import Image, UnidentifiedImageError

    where = str(source) if isinstance(source, (str, Path)) else "image data"
    try:
        image = Image.open(source)
        image.load()
    except FileNotFoundError:
        raise FigureError(where, "the image file does not exist", "Check the path in the case file.") from None
    except (UnidentifiedImageError, OSError) as exc:
        raise FigureError(
            where, f"this is not an image that can be read ({cut(str(exc), 120)})", "Give a PNG, JPEG or TIFF file."
        ) from None
    except ValueError as exc:  # Pillow's limit on text chunks: megabytes of "metadata"
        raise FigureError(
            where,
            f"the image carries more metadata than an image needs ({cut(str(exc), 120)})",
            "Save it again as a plain PNG or JPEG (an image editor's 'export' does this).",
        ) from None
    return image
