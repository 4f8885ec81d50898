"""Safe Harbor identifiers in a case's text and in its figure files.

``scan_text`` finds the identifiers that HIPAA's Safe Harbor method lists and says what to
write instead; ``scan_image_metadata`` lists what an image carries besides its pixels and
``strip_image_metadata`` re-encodes it without any of that. The rules live in
``deid_rules`` (shaped identifiers) and ``deid_names`` (names); this module merges them.

Finding types, a fixed vocabulary:

==============  ==============================================================
``name``        a person: patient, relative, carer, clinician, initials
``date``        a date finer than the year (``March 3, 2021``, ``August 2022``)
``age``         an age of 90 or over
``phone``       a telephone number
``fax``         a fax number
``email``       an e-mail address
``address``     a street address or post-office box
``city``        a city, town or other place smaller than a state
``zip``         a ZIP or postal code
``facility``    a named hospital, clinic or care home
``mrn``         a medical record number
``account``     an account number
``health_plan`` a health-plan beneficiary, member or policy number
``licence``     a licence or certificate number
``vehicle``     a vehicle identifier or licence plate
``device``      a medical device's identifier or serial number
``serial``      any other serial, accession or study number
``url``         a web address
``ip``          an IP address
``ssn``         a social security number
``metadata``    an image's EXIF, XMP or text chunk (from ``scan_image_metadata`` only)
==============  ==============================================================
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

from caseletter.deid_names import find_names
from caseletter.deid_rules import (
    find_ages,
    find_contacts,
    find_dates,
    find_facilities,
    find_keyed_numbers,
    find_places,
)
from caseletter.errors import FigureError

TYPES = (
    "name", "date", "age", "phone", "fax", "email", "address", "city", "zip", "facility", "mrn",
    "account", "health_plan", "licence", "vehicle", "device", "serial", "url", "ip", "ssn",
)
# When two findings overlap and are as long as each other, the earlier type here wins.
_PRIORITY = {t: i for i, t in enumerate((
    "email", "url", "ip", "ssn", "fax", "phone", "mrn", "account", "health_plan", "licence",
    "vehicle", "device", "serial", "address", "facility", "zip", "date", "age", "city", "name",
))}

_ADVICE = {
    "name": "remove the name: write 'the patient', 'her daughter' or 'the treating physician'",
    "age": "write the age as 90 or older, e.g. 'a woman in her 90s'",
    "phone": "remove the phone number",
    "fax": "remove the fax number",
    "email": "remove the e-mail address",
    "address": "remove the street address; give the state or region at most",
    "city": "name the state or region instead, e.g. 'in the Midwest'",
    "zip": "remove the ZIP code",
    "facility": "describe the place instead, e.g. 'a community hospital', 'a nursing home'",
    "url": "remove the web address, or cite a public page in the references",
    "ip": "remove the IP address",
    "ssn": "remove the social security number",
}


@dataclass(frozen=True)
class Finding:
    """One identifier: where it is (character offsets), what kind, its text, and advice."""

    start: int
    end: int
    type: str
    text: str
    suggestion: str


def scan_text(text: str) -> list[Finding]:
    """Find Safe Harbor identifiers in a piece of case text.

    Every rule proposes spans; overlapping proposals are resolved so that each stretch of
    text is reported once, under the longest (then most specific) finding.

    Args:
        text: A narrative field, a legend or the text of a file.

    Returns:
        The findings in text order.
    """
    hits = set()
    for finder in (find_dates, find_ages, find_contacts, find_places, find_facilities,
                   find_keyed_numbers, find_names):
        hits.update(finder(text))
    kept = _resolve_overlaps(hits)
    return [Finding(s, e, t, text[s:e], suggest_replacement(t, text[s:e])) for s, e, t in kept]


def _resolve_overlaps(hits: set[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    ranked = sorted(hits, key=lambda h: (-(h[1] - h[0]), _PRIORITY[h[2]], h[0]))
    kept: list[tuple[int, int, str]] = []
    for start, end, kind in ranked:
        if all(end <= s or start >= e for s, e, _ in kept):
            kept.append((start, end, kind))
    return sorted(kept)


def suggest_replacement(kind: str, text: str) -> str:
    """What to write instead of an identifier, in the words a journal would accept."""
    if kind == "date":
        year = re.search(r"\b(?:1[89]|20)\d\d\b", text)
        relative = "or a time from presentation, e.g. 'at 3-month follow-up'"
        return f"write 'in {year.group()}' {relative}" if year else f"write the year {relative}"
    if kind in _ADVICE:
        return _ADVICE[kind]
    return f"remove the {kind.replace('_', ' ')} number"


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
    0x010E: ("ImageDescription", "comment"), 0x010F: ("Make", "device"), 0x0110: ("Model", "device"),
    0x0131: ("Software", "device"), 0x0132: ("DateTime", "date"), 0x013B: ("Artist", "owner"),
    0x013C: ("HostComputer", "device"), 0x8298: ("Copyright", "owner"),
    0x9003: ("DateTimeOriginal", "date"), 0x9004: ("DateTimeDigitized", "date"),
    0x9286: ("UserComment", "comment"), 0x927C: ("MakerNote", "device"),
    0xA430: ("CameraOwnerName", "owner"), 0xA431: ("BodySerialNumber", "device"),
    0xA433: ("LensMake", "device"), 0xA434: ("LensModel", "device"), 0xA435: ("LensSerialNumber", "device"),
}
_EXIF_IFD, _GPS_IFD = 0x8769, 0x8825
# Kept on purpose: they change how the pixels look, and identify no one.
_KEPT_INFO = {"icc_profile", "dpi", "transparency", "gamma", "aspect", "jfif", "jfif_version",
              "jfif_unit", "jfif_density", "progressive", "progression", "interlace", "duration",
              "loop", "background", "compression", "adobe", "adobe_transform", "srgb"}


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
    return text if len(text) <= 80 else text[:77] + "..."


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
        raise FigureError(where, f"this is not an image that can be read ({exc})",
                          "Give a PNG, JPEG or TIFF file.") from None
    return image
