"""What an image shows that can identify the patient: text burned into its pixels, and faces.

A screenshot of a record, a slide, a radiograph's corner or a photograph's label strip carries
names, dates and record numbers in its pixels, where no metadata scrub reaches; a clinical
photograph can show a face. Text is read by Tesseract (Debian's ``tesseract-ocr``, through
pytesseract) and run through the same rules as the case's text (``deid.text``); faces are found
by OpenCV's bundled Haar cascades. Both are slow next to a text scan, so what an image shows is
kept in the user's cache folder under the hash of its bytes: a text-only edit never reads an
image again.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from caseletter.deid.text import scan_text
from caseletter.deid.user_cache import cache_folder, read_json, write_json

#: Words read with less confidence than this (Tesseract's 0-100) are texture, not text.
MIN_WORD_CONFIDENCE = 60
#: Tesseract's page layouts: 3, a page of blocks of text; 11, sparse text anywhere.
_LAYOUTS = (3, 11)
#: Images are read at this size at most (the longer side, pixels): larger photographs only cost time.
MAX_SIDE = 2400


@dataclass(frozen=True)
class ImageFinding:
    """One thing an image shows that can identify the patient.

    ``kind`` is a ``deid.text`` finding type (``name``, ``date``, ``mrn``, ...) for burned-in
    text, or ``face``; ``box`` is ``(left, top, width, height)`` in the image's own pixels.
    """

    kind: str
    text: str
    box: tuple[int, int, int, int]
    suggestion: str

    def region(self, size: tuple[int, int]) -> str:
        """Where in the image, in words a reader finds it by: 'top left', 'bottom centre'."""
        left, top, width, height = self.box
        across = ("left", "centre", "right")[min(2, int(3 * (left + width / 2) / max(1, size[0])))]
        down = ("top", "middle", "bottom")[min(2, int(3 * (top + height / 2) / max(1, size[1])))]
        return f"{down} {across}" if (down, across) != ("middle", "centre") else "centre"


@dataclass
class ImageContent:
    """What one image was found to show, and whether its text could be read at all."""

    size: tuple[int, int]
    findings: list[ImageFinding] = field(default_factory=list)
    text_read: bool = True


def scan_image_content(path: Path) -> ImageContent:
    """Burned-in identifiers and faces in one image file, from the cache when the bytes are unchanged."""
    data = path.read_bytes()
    reading = _read_cached(data)
    findings = [*_identifiers_in_lines(reading["lines"]), *(_face(box) for box in reading["faces"])]
    return ImageContent(tuple(reading["size"]), findings, reading["text_read"])


def _identifiers_in_lines(lines: list[dict]) -> list[ImageFinding]:
    """Run the text rules over each line read, and box each finding with the words it covers."""
    findings: dict[tuple[str, str], ImageFinding] = {}
    for line in lines:
        text, boxes = line["text"], line["boxes"]
        for hit in scan_text(text):
            covered = [box for start, end, box in boxes if start < hit.end and end > hit.start]
            findings.setdefault((hit.type, hit.text), ImageFinding(hit.type, hit.text, _union(covered), hit.suggestion))
    return list(findings.values())


def _face(box: list[int]) -> ImageFinding:
    return ImageFinding(
        "face",
        "",
        tuple(box),
        "publish it only with the patient's consent to identifiable images, or crop or mask the face",
    )


def _union(boxes: list[list[int]]) -> tuple[int, int, int, int]:
    left, top = min(b[0] for b in boxes), min(b[1] for b in boxes)
    right, bottom = max(b[0] + b[2] for b in boxes), max(b[1] + b[3] for b in boxes)
    return left, top, right - left, bottom - top


# --- reading an image, cached by its bytes ------------------------------------------------


def _read_cached(data: bytes) -> dict:
    """The image's lines of text and face boxes, read once per content and engine version."""
    path = _cache_folder() / f"{hashlib.sha256(data + _engine_stamp().encode()).hexdigest()[:32]}.json"
    reading = read_json(path)
    if reading is None:
        reading = _read(data)
        if reading["text_read"]:  # an unread image is read again once Tesseract is installed
            write_json(path, reading)
    return reading


def _cache_folder() -> Path:
    return cache_folder("image-content")


def _engine_stamp() -> str:
    """What a cached reading depends on besides the bytes: this module, OpenCV, Tesseract."""
    from importlib.metadata import version

    tesseract = shutil.which("tesseract") or "none"
    return f"{Path(__file__).read_text(encoding='utf-8')}\n{version('opencv-python-headless')}\n{tesseract}"


def _read(data: bytes) -> dict:
    """Open the image's first frame as RGB, then read its text and find its faces side by side."""
    import io

    from PIL import Image, ImageOps

    with Image.open(io.BytesIO(data)) as opened:
        image = ImageOps.exif_transpose(opened).convert("RGB")
    scale = min(1.0, MAX_SIDE / max(image.size))
    work = image.resize((round(image.width * scale), round(image.height * scale))) if scale < 1 else image
    text_read = shutil.which("tesseract") is not None
    passes = [(bright, layout) for bright in (True, False) for layout in _LAYOUTS] if text_read else []
    with _one_thread_each, ThreadPoolExecutor(max_workers=len(passes) + 1) as pool:
        readings = [pool.submit(_read_text, work, bright, layout) for bright, layout in passes]
        faces = pool.submit(_find_faces, work)
        lines = [line for reading in readings for line in reading.result()]
        boxes = faces.result()
    return {
        "size": list(image.size),
        "lines": [_rescaled_line(line, scale) for line in lines],
        "faces": [[round(v / scale) for v in box] for box in boxes],
        "text_read": text_read,
    }


class _OneThreadEach:
    """Tesseract processes started while any image is being read use one OpenMP thread each.

    The passes already run side by side; letting each Tesseract also start a thread per core
    oversubscribes the machine (on 2 cores the first read of a figure took a third longer).
    pytesseract passes ``os.environ`` to Tesseract, so the limit is set there while images are
    read (figures are read side by side too, hence the count) and put back after the last one.
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.readers = 0
        self.previous: str | None = None

    def __enter__(self) -> None:
        with self.lock:
            if self.readers == 0:
                self.previous = os.environ.get("OMP_THREAD_LIMIT")
                os.environ["OMP_THREAD_LIMIT"] = "1"
            self.readers += 1

    def __exit__(self, *exc: object) -> None:
        with self.lock:
            self.readers -= 1
            if self.readers == 0:
                if self.previous is None:
                    os.environ.pop("OMP_THREAD_LIMIT", None)
                else:
                    os.environ["OMP_THREAD_LIMIT"] = self.previous


_one_thread_each = _OneThreadEach()


def _rescaled_line(line: dict, scale: float) -> dict:
    boxes = [[start, end, [round(v / scale) for v in box]] for start, end, box in line["boxes"]]
    return {"text": line["text"], "boxes": boxes}


def _read_text(image, bright: bool, layout: int) -> list[dict]:
    """Tesseract's lines of one polarity and one page layout.

    Reading the brightest and the darkest channel separately finds white and yellow captions on a
    radiograph as well as black text on a slide, which a grey conversion blurs into the background.
    Tesseract's layout analysis misses a label strip under a textured photograph in one mode and a
    caption scattered over it in the other, so both are read (``_LAYOUTS``).
    """
    import numpy as np
    import pytesseract
    from PIL import Image

    pixels = np.asarray(image)
    channel = pixels.max(axis=2) if bright else 255 - pixels.min(axis=2)
    if min(image.size) < 400:  # small figures: Tesseract reads text of 20-30 pixels best
        grey = Image.fromarray(channel).resize((image.width * 2, image.height * 2), Image.LANCZOS)
        factor = 2
    else:
        grey, factor = Image.fromarray(channel), 1
    words = pytesseract.image_to_data(grey, config=f"--psm {layout}", output_type=pytesseract.Output.DICT)
    return _lines(words, factor)


def _lines(words: dict, factor: int) -> list[dict]:
    """Group Tesseract's confident words into lines, remembering where each word sits in the line."""
    grouped: dict[tuple, list[int]] = {}
    for i, word in enumerate(words["text"]):
        if word.strip() and float(words["conf"][i]) >= MIN_WORD_CONFIDENCE:
            grouped.setdefault((words["block_num"][i], words["par_num"][i], words["line_num"][i]), []).append(i)
    lines = []
    for indices in grouped.values():
        text, boxes = "", []
        for i in sorted(indices, key=lambda i: words["left"][i]):
            start = len(text) + (1 if text else 0)
            text = f"{text} {words['text'][i]}" if text else words["text"][i]
            box = [words[k][i] // factor for k in ("left", "top", "width", "height")]
            boxes.append([start, len(text), box])
        lines.append({"text": text, "boxes": boxes})
    return lines


def _find_faces(image) -> list[list[int]]:
    """Faces that two of OpenCV's bundled frontal models agree on, and profiles seen either way round.

    One Haar model alone finds "faces" in histology and gravel; asking two to agree on the same
    place keeps the real ones.
    """
    import cv2
    import numpy as np

    grey = cv2.equalizeHist(cv2.cvtColor(np.asarray(image), cv2.COLOR_RGB2GRAY))
    smallest = max(30, min(grey.shape) // 12)
    default = _detect(grey, "frontalface_default", smallest)
    alt = _detect(grey, "frontalface_alt2", smallest)
    faces = [box for box in default if any(_overlap(box, other) > 0.3 for other in alt)]
    profiles = _detect(grey, "profileface", smallest, neighbours=6)
    width = grey.shape[1]
    mirrored = [[width - x - w, y, w, h] for x, y, w, h in _detect(cv2.flip(grey, 1), "profileface", smallest, 6)]
    for box in profiles + mirrored:
        if not any(_overlap(box, other) > 0.3 for other in faces):
            faces.append(box)
    return faces


def _detect(grey, model: str, smallest: int, neighbours: int = 5) -> list[list[int]]:
    import cv2

    cascade = cv2.CascadeClassifier(os.path.join(cv2.data.haarcascades, f"haarcascade_{model}.xml"))
    found = cascade.detectMultiScale(grey, scaleFactor=1.1, minNeighbors=neighbours, minSize=(smallest, smallest))
    return [[int(v) for v in box] for box in found]


def _overlap(a: list[int], b: list[int]) -> float:
    """Intersection over union of two boxes."""
    width = min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0])
    height = min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1])
    if width <= 0 or height <= 0:
        return 0.0
    inter = width * height
    return inter / (a[2] * a[3] + b[2] * b[3] - inter)
