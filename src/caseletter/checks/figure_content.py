"""What the figures show: identifiers burned into their pixels, and faces.

The metadata check (``checks.identifiers``) reads what an image file carries; this one reads
what it shows, through ``deid.image_content``. A name, date or record number in the pixels is an
error, reported with the figure, the panel and where in the image it stands. A face in a
clinical photograph is an error unless the consent covers images, and a warning even then, so
the author decides on purpose; a figure marked ``illustrative`` is a drawing and its faces are
nobody's. Images are read once per content (the reading is cached by the image's hash), so a
text-only edit costs nothing here.
"""

from __future__ import annotations

import os
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from caseletter.case.source import CaseSource
from caseletter.checks.finding import ERROR, NOTE, WARNING, Finding
from caseletter.checks.identifiers import figure_files
from caseletter.checks.missing import CONSENT_TO_IMAGES
from caseletter.checks.profile import Profile
from caseletter.errors import CaseletterError

_FIELD = re.compile(r"figures\[(\d+)\](?:\.panels\[(\d+)\])?\.file")


def find(source: CaseSource, profile: Profile) -> list[Finding]:
    """Burned-in identifiers and faces in every figure file; a note when text could not be read."""
    images = _readable_images(source)
    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        scans = list(pool.map(_scan, [path for _, path in images]))
    findings, unread = [], []
    for (field, path), content in zip(images, scans, strict=True):
        if content is None:
            continue  # an image that cannot be opened is the metadata check's finding
        if not content.text_read:
            unread.append(path.name)
        findings += _content_findings(source, field, path, content)
    if unread:
        findings.append(
            Finding(
                NOTE,
                "identifier",
                "figures",
                f"text in the figures was not read ({', '.join(unread)}): Tesseract is not installed",
                "Install Debian's tesseract-ocr (apt-get install tesseract-ocr) to have burned-in "
                "names, dates and numbers found; until then, look at every figure for them yourself.",
                detail="ocr",
            )
        )
    return findings


def _readable_images(source: CaseSource) -> list[tuple[str, Path]]:
    images = []
    for field, relative in figure_files(source):
        try:
            path = source.resolve(relative, field, CaseletterError, "image file")
        except (CaseletterError, OSError):
            continue
        if path.is_file():
            images.append((field, path))
    return images


def _scan(path: Path):
    from caseletter.deid.image_content import scan_image_content

    try:
        return scan_image_content(path)
    except Exception:  # noqa: BLE001 - Pillow, OpenCV and Tesseract each raise their own; the metadata check names it
        return None


def _content_findings(source: CaseSource, field: str, path: Path, content) -> list[Finding]:
    where = f"{figure_label(field)} ({path.name})"
    findings = []
    for item in content.findings:
        left, top, width, height = item.box
        place = f"at its {item.region(content.size)} (x {left}-{left + width}, y {top}-{top + height})"
        if item.kind != "face":
            findings.append(
                Finding(
                    ERROR,
                    "identifier",
                    field,
                    f"{where} shows {item.kind.replace('_', ' ')} {item.text!r} in its pixels, {place}",
                    "Crop or cover it, or remake the figure without it (a new export of the slide or screenshot).",
                    item.text,
                    detail=item.kind,
                )
            )
        elif not _figure(source, field).illustrative:
            findings.append(_face_finding(source, field, where, place))
    return findings


def _face_finding(source: CaseSource, field: str, where: str, place: str) -> Finding:
    consent = source.case.consent or ""
    if CONSENT_TO_IMAGES.search(consent):
        return Finding(
            WARNING,
            "identifier",
            field,
            f"{where} shows a face {place}",
            "Publish it only if the patient's consent covers identifiable images; otherwise crop or mask the face.",
            "a face", detail="face",
        )
    return Finding(
        ERROR,
        "identifier",
        field,
        f"{where} shows a face {place}, and the consent does not mention images",
        "Crop or mask the face, or get and record the patient's consent to publication of identifiable images "
        '(e.g. "... consent for publication of this report and the accompanying images").',
        "a face", detail="face",
    )


def figure_label(field: str) -> str:
    """'Figure 2, panel B' for ``figures[1].panels[1].file``: how the letter itself names it."""
    m = _FIELD.fullmatch(field)
    if not m:
        return field
    label = f"Figure {int(m.group(1)) + 1}"
    return f"{label}, panel {chr(ord('A') + int(m.group(2)))}" if m.group(2) is not None else label


def _figure(source: CaseSource, field: str):
    return source.case.figures[int(_FIELD.fullmatch(field).group(1))]
