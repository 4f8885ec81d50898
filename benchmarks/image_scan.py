"""How long reading a figure takes: uncached (Tesseract's four passes and the face models) and cached.

Figures: the example's three drawings, a drawn camera label strip, a drawn slide, and
scikit-image's portrait, histology slide and fundus photograph. Each is read three times into an
empty cache (the median is reported) and then three times from the cache.

Usage: python benchmarks/image_scan.py   (needs the test extras: scikit-image)
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))


def figures(folder: Path) -> list[Path]:
    """The figures to time, written into `folder`."""
    import skimage.data
    from PIL import Image

    from deid.test_image_content import draw_label_strip, draw_slide

    paths = sorted((ROOT / "cases" / "figures" / "sts-calcinosis").glob("*.png"))
    draw_label_strip(folder / "label-strip.png")
    draw_slide(folder / "slide.png")
    for name in ("astronaut", "immunohistochemistry", "retina"):
        Image.fromarray(getattr(skimage.data, name)()).save(folder / f"{name}.png")
    return paths + sorted(folder.glob("*.png"))


def time_one(path: Path, cache: Path) -> tuple[float, float, int]:
    """(median uncached seconds, median cached milliseconds, findings) for one figure."""
    from caseletter.deid import image_content

    uncached, cached = [], []
    for run in range(3):
        image_content._cache_folder = lambda run=run: cache / f"cold-{path.stem}-{run}"
        start = time.perf_counter()
        content = image_content.scan_image_content(path)
        uncached.append(time.perf_counter() - start)
    for _ in range(3):
        start = time.perf_counter()
        image_content.scan_image_content(path)
        cached.append(time.perf_counter() - start)
    return statistics.median(uncached), 1000 * statistics.median(cached), len(content.findings)


def main() -> int:
    from PIL import Image

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        rows = []
        for path in figures(folder):
            with Image.open(path) as image:
                size = f"{image.width}x{image.height}"
            cold, warm, found = time_one(path, folder / "cache")
            rows.append(f"| {path.name} | {size} | {cold:.2f} | {warm:.1f} | {found} |")
    print("| figure | pixels | uncached, s (median of 3) | cached, ms (median of 3) | findings |")
    print("|---|---|---|---|---|")
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
