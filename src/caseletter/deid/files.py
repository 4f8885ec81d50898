"""Identifiers in files: read text, Markdown, YAML, DOCX or image files and scan them.

A file's *text* is what the offsets of its findings point into: the decoded file for text,
Markdown and YAML; for DOCX, the paragraphs of the body, its tables, headers and footers
joined by newlines. In a case file's YAML the ``authors:`` block is blanked out (same
length, so offsets still hold) because a byline names its authors on purpose. Images are
reported by their metadata (EXIF, GPS, PNG text), with offsets 0 and type ``metadata``.
"""

from __future__ import annotations

import re
from pathlib import Path

from caseletter.deid.images import scan_image_metadata
from caseletter.deid.text import Finding, scan_text
from caseletter.errors import ScanInputError

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff", ".webp", ".gif", ".bmp"}


def read_text_for_scan(path: Path) -> str:
    """The text of a file as it is scanned for identifiers.

    Raises:
        ScanInputError: the file is missing, is a folder, or is not text or DOCX.
    """
    path = Path(path)
    if not path.exists():
        raise ScanInputError(str(path), "the file does not exist", "Check the path and spelling.")
    if path.is_dir():
        raise ScanInputError(str(path), "this is a folder, not a file", "Name the files inside it.")
    if path.suffix.lower() == ".docx":
        return _read_docx(path)
    text = _decode(path)
    if path.suffix.lower() in (".yaml", ".yml"):
        text = blank_author_block(text)
    return text


def _decode(path: Path) -> str:
    data = path.read_bytes()
    if b"\x00" in data[:8192]:
        raise ScanInputError(
            str(path), "this is a binary file, not text", "Give a text, Markdown, YAML, DOCX or image file."
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ScanInputError(
            f"{path}, byte {exc.start}",
            "the file is not UTF-8 text",
            "Save it as UTF-8 (most editors offer this under 'Save as').",
        ) from None


def _read_docx(path: Path) -> str:
    try:
        import docx
    except ImportError:
        raise ScanInputError(
            str(path), "reading DOCX files needs python-docx", "Install it with: pip install python-docx"
        ) from None
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises zipfile, KeyError and lxml errors alike
        raise ScanInputError(
            str(path),
            f"this is not a readable DOCX file ({exc.__class__.__name__})",
            "Open it in a word processor and save it again as .docx.",
        ) from None
    return "\n".join(_docx_paragraphs(document))


def _docx_paragraphs(document) -> list[str]:
    """Body, table cells, headers and footers: wherever a name could be typed."""
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        texts += [p.text for row in table.rows for cell in row.cells for p in cell.paragraphs]
    for section in document.sections:
        for part in (section.header, section.footer):
            texts += [p.text for p in part.paragraphs if p.text]
    return texts


_TOP_KEY = re.compile(r"^[^\s#-][^:]*:", re.MULTILINE)


def blank_author_block(text: str) -> str:
    """Replace a YAML file's top-level ``authors:`` block by spaces, keeping every offset."""
    start = re.search(r"^authors:", text, re.MULTILINE)
    if not start:
        return text
    following = _TOP_KEY.search(text, start.end())
    end = following.start() if following else len(text)
    return text[: start.start()] + re.sub(r"[^\n]", " ", text[start.start() : end]) + text[end:]


def scan_file(path: Path) -> tuple[str, list[Finding]]:
    """A file's scanned text and its findings; an image's are its metadata, its burned-in text and faces."""
    path = Path(path)
    if path.suffix.lower() in IMAGE_SUFFIXES:
        metadata = [
            Finding(0, 0, "metadata", f"{m.key}: {m.value}", "strip the image's metadata")
            for m in scan_image_metadata(path)
        ]
        return "", metadata + _image_content_findings(path)
    text = read_text_for_scan(path)
    return text, scan_text(text)


def _image_content_findings(path: Path) -> list[Finding]:
    """What the image shows, each with where it stands, as text findings at offset 0."""
    from caseletter.deid.image_content import scan_image_content

    try:
        content = scan_image_content(path)
    except Exception:  # noqa: BLE001 - the metadata scan above already names an image it cannot open
        return []
    findings = []
    for item in content.findings:
        left, top, width, height = item.box
        where = f"at its {item.region(content.size)} (x {left}-{left + width}, y {top}-{top + height})"
        if item.kind == "face":
            findings.append(Finding(0, 0, "face", f"a face {where}", item.suggestion))
        else:
            findings.append(Finding(0, 0, item.kind, item.text, f"crop or cover it in the image, {where}"))
    return findings


def scan_files(paths: list[Path]) -> list[tuple[Path, str, list[Finding]]]:
    """Every file's scanned text and findings, all read before any is reported.

    Reading everything first means bad input (a ScanInputError or FigureError) never leaves
    a half-printed report behind.

    Raises:
        ScanInputError: no file was given, or one cannot be read as text, DOCX or an image.
    """
    if not paths:
        raise ScanInputError("caseletter deid", "no file was given", "Name one or more files to scan.")
    return [(Path(p), *scan_file(Path(p))) for p in paths]
