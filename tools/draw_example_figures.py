"""Draw the example case's illustrative figures (the original photographs are not available).

Each image is a plain line drawing with scattered pale deposits and a visible label saying it is
an illustration, so nobody mistakes it for a clinical photograph. Run from the project root:

    .venv/bin/python tools/draw_example_figures.py
"""

from __future__ import annotations

import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

OUT = Path("cases/figures/sts-calcinosis")
SIZE = (600, 450)
SKIN = (236, 205, 180)
LINE = (120, 85, 60)
DEPOSIT = (250, 248, 238)


def draw_neck(deposits: int, seed: int) -> Image.Image:
    """A neck and shoulder outline with `deposits` calcified nodules over the clavicle."""
    img, draw = _canvas()
    draw.rectangle([240, 0, 360, 190], fill=SKIN, outline=LINE, width=3)
    draw.polygon([(240, 180), (40, 260), (40, 450), (560, 450), (560, 260), (360, 180)], fill=SKIN, outline=LINE)
    draw.line([(120, 280), (280, 250)], fill=LINE, width=4)
    draw.line([(320, 250), (480, 280)], fill=LINE, width=4)
    _scatter(draw, deposits, seed, [(100, 200, 500, 330), (250, 60, 350, 190)])
    return _label(img)


def draw_arm(deposits: int, seed: int) -> Image.Image:
    """An inner elbow outline with nodules in the antecubital fossa."""
    img, draw = _canvas()
    draw.polygon([(0, 150), (300, 190), (600, 120), (600, 300), (300, 290), (0, 320)], fill=SKIN, outline=LINE)
    draw.arc([240, 200, 360, 280], 200, 340, fill=LINE, width=3)
    _scatter(draw, deposits, seed, [(200, 190, 400, 290)])
    return _label(img)


def _canvas() -> tuple[Image.Image, ImageDraw.ImageDraw]:
    img = Image.new("RGB", SIZE, (250, 250, 250))
    return img, ImageDraw.Draw(img)


def _scatter(draw: ImageDraw.ImageDraw, count: int, seed: int, boxes: list[tuple[int, int, int, int]]) -> None:
    rng = random.Random(seed)
    for i in range(count):
        x0, y0, x1, y1 = boxes[i % len(boxes)]
        x, y, r = rng.randint(x0, x1), rng.randint(y0, y1), rng.randint(5, 14)
        draw.ellipse([x - r, y - r, x + r, y + r], fill=DEPOSIT, outline=(170, 160, 140), width=2)


def _label(img: Image.Image) -> Image.Image:
    draw = ImageDraw.Draw(img)
    font = ImageFont.load_default(size=22)
    text = "ILLUSTRATION, NOT A PHOTOGRAPH"
    right = draw.textbbox((10, 6), text, font=font)[2] + 10
    draw.rectangle([0, 0, right, 34], fill=(40, 40, 40))
    draw.text((10, 6), text, fill=(255, 255, 255), font=font)
    return img


def main() -> None:
    """Write the three PNG files of the example case."""
    OUT.mkdir(parents=True, exist_ok=True)
    draw_neck(60, 1).save(OUT / "before-neck.png", optimize=True)
    draw_arm(25, 2).save(OUT / "before-arm.png", optimize=True)
    draw_neck(8, 3).save(OUT / "after-neck.png", optimize=True)


if __name__ == "__main__":
    main()
