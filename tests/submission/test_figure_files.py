"""Figure files to a journal's specification: RGB, the dpi set, no metadata, and enough pixels said.

Sources are made with Pillow to carry what must not reach a journal (EXIF with a GPS position,
XMP, an ICC profile, PNG text chunks) and the modes that need converting (CMYK, RGBA, palette,
16-bit grey); each written file is read back with Pillow and, for PNG, chunk by chunk.
"""

from __future__ import annotations

import io
import struct
from pathlib import Path

import pytest
from PIL import ExifTags, Image, ImageCms, PngImagePlugin

from caseletter.case.model import Figure, Panel
from caseletter.case.source import read_case_source
from caseletter.errors import FigureError
from caseletter.letter.figures import PANEL_HEIGHT, figure_png
from caseletter.submission.figure_files import (
    FigureSpec,
    figure_image,
    timeline_image,
    write_figure_file,
    write_figure_files,
)
from helpers import EXAMPLE_CASE

BASELINE_TAGS = {
    256,  # ImageWidth
    257,  # ImageLength
    258,  # BitsPerSample
    259,  # Compression
    262,  # PhotometricInterpretation
    273,  # StripOffsets
    277,  # SamplesPerPixel
    278,  # RowsPerStrip
    279,  # StripByteCounts
    282,  # XResolution
    283,  # YResolution
    284,  # PlanarConfiguration
    296,  # ResolutionUnit
    317,  # Predictor
}
PNG_CHUNKS = {b"IHDR", b"pHYs", b"IDAT", b"IEND"}
XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF/><!-- Dr A. Jones --></x:xmpmeta>'
FORMATS = [pytest.param("tif", id="tiff"), pytest.param("png", id="png")]


def gradient(mode: str = "RGB", size: tuple[int, int] = (64, 48)) -> Image.Image:
    """An image whose every pixel differs from its neighbours, so that a changed pixel shows."""
    image = Image.new("RGB", size)
    image.putdata([(x * 4 % 256, y * 5 % 256, (x * y) % 256) for y in range(size[1]) for x in range(size[0])])
    return image.convert(mode)


def jpeg_with_gps(folder: Path) -> Path:
    """A JPEG carrying a camera, a date, a GPS position, XMP and an sRGB ICC profile."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.DateTime] = "2024:03:01 10:15:00"
    exif[ExifTags.Base.Artist] = "Dr A. Jones"
    exif[ExifTags.IFD.GPSInfo] = {ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: (51.0, 30.0, 12.0)}
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    path = folder / "photo.jpg"
    gradient().save(path, exif=exif, icc_profile=icc, xmp=XMP, quality=95)
    with Image.open(path) as source:
        assert source.getexif().get_ifd(ExifTags.IFD.GPSInfo) and "icc_profile" in source.info and source.info["xmp"]
    return path


def png_with_text(folder: Path) -> Path:
    """An RGBA PNG, transparent on its left half, with tEXt, iTXt and zTXt chunks."""
    image = Image.new("RGBA", (40, 20), (0, 0, 0, 0))
    image.paste((20, 60, 200, 255), (20, 0, 40, 20))
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Dr A. Jones")
    info.add_itxt("Comment", "Patient 12345", zip=False)
    info.add_text("Description", "ward 4", zip=True)
    path = folder / "drawn.png"
    image.save(path, pnginfo=info)
    return path


def written(image: Image.Image, tmp_path: Path, fmt: str = "tif", number: int = 1):
    """The image written as figure `number`, and the file read back."""
    figure = write_figure_file(image, number, FigureSpec(format=fmt), tmp_path / "out")
    back = Image.open(figure.path)
    back.load()
    return figure, back


def png_chunk_types(path: Path) -> list[bytes]:
    """The types of a PNG's chunks, read from its bytes (Pillow hides some of them)."""
    data, at, kinds = path.read_bytes(), 8, []
    while at < len(data):
        length, kind = struct.unpack(">I4s", data[at : at + 8])
        kinds.append(kind)
        at += 12 + length
    return kinds


def assert_plain(figure, back: Image.Image) -> None:
    """RGB at 300 dpi, and nothing else: no EXIF, XMP or profile, only baseline tags or chunks."""
    assert back.mode == "RGB"
    assert back.info["dpi"] == pytest.approx((300, 300), abs=0.01)
    assert "icc_profile" not in back.info and "xmp" not in back.info and "exif" not in back.info
    exif = back.getexif()  # for a TIFF, Pillow gives its own first IFD: the baseline tags, no Exif or GPS IFD
    assert not exif.get_ifd(ExifTags.IFD.Exif) and not exif.get_ifd(ExifTags.IFD.GPSInfo)
    if back.format == "TIFF":
        assert set(back.tag_v2) <= BASELINE_TAGS and set(exif) <= BASELINE_TAGS
        assert back.tag_v2[259] == 5  # LZW
    else:
        assert not exif
        kinds = png_chunk_types(figure.path)
        assert set(kinds) <= PNG_CHUNKS, kinds
        assert not {b"tEXt", b"iTXt", b"zTXt", b"eXIf", b"iCCP", b"tIME"} & set(kinds)


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_photograph_loses_its_exif_gps_xmp_and_profile_but_not_a_pixel(tmp_path, fmt):
    with Image.open(jpeg_with_gps(tmp_path)) as source:
        source.load()
        figure, back = written(source, tmp_path, fmt)
        assert back.tobytes() == source.convert("RGB").tobytes()
    assert_plain(figure, back)
    assert b"PhoneMaker" not in figure.path.read_bytes() and b"Jones" not in figure.path.read_bytes()


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_cmyk_jpeg_becomes_rgb(tmp_path, fmt):
    Image.new("CMYK", (30, 20), (0, 255, 255, 0)).save(tmp_path / "print.jpg", quality=95)
    with Image.open(tmp_path / "print.jpg") as source:
        assert source.mode == "CMYK"
        figure, back = written(source, tmp_path, fmt)
    assert_plain(figure, back)
    red, green, blue = back.getpixel((15, 10))
    assert red > 240 and green < 15 and blue < 15


@pytest.mark.parametrize("fmt", FORMATS)
def test_transparency_is_flattened_onto_white_and_text_chunks_are_dropped(tmp_path, fmt):
    with Image.open(png_with_text(tmp_path)) as source:
        assert source.text["Author"] == "Dr A. Jones"
        figure, back = written(source, tmp_path, fmt)
    assert_plain(figure, back)
    assert back.getpixel((5, 10)) == (255, 255, 255)
    assert back.getpixel((30, 10)) == (20, 60, 200)
    assert b"Jones" not in figure.path.read_bytes() and b"12345" not in figure.path.read_bytes()


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_palette_png_keeps_its_colours_and_its_transparent_index_turns_white(tmp_path, fmt):
    source = Image.new("P", (20, 10), 0)
    source.putpalette([0, 0, 0, 200, 30, 30, 30, 160, 60])
    source.paste(1, (0, 0, 10, 10))
    source.paste(2, (10, 0, 20, 5))
    source.save(tmp_path / "palette.png", transparency=0)
    with Image.open(tmp_path / "palette.png") as opened:
        figure, back = written(opened, tmp_path, fmt)
    assert_plain(figure, back)
    assert [back.getpixel(xy) for xy in [(2, 2), (15, 2), (15, 8)]] == [(200, 30, 30), (30, 160, 60), (255, 255, 255)]


@pytest.mark.parametrize("fmt", FORMATS)
def test_sixteen_bit_grey_is_scaled_to_eight_bits_not_clipped_to_white(tmp_path, fmt):
    source = Image.new("I;16", (3, 1))
    for x, value in enumerate([0, 32896, 65535]):
        source.putpixel((x, 0), value)
    source.save(tmp_path / "scan.png")
    with Image.open(tmp_path / "scan.png") as opened:
        assert opened.mode.startswith("I")
        figure, back = written(opened, tmp_path, fmt)
    assert_plain(figure, back)
    assert [back.getpixel((x, 0)) for x in range(3)] == [(0, 0, 0), (128, 128, 128), (255, 255, 255)]


def test_an_unreadable_profile_is_dropped_and_the_pixels_kept(tmp_path):
    source = gradient()
    source.info["icc_profile"] = b"not a profile"
    figure, back = written(source, tmp_path)
    assert_plain(figure, back)
    assert back.tobytes() == source.tobytes()


def test_an_exif_orientation_is_applied_before_the_tag_is_dropped(tmp_path):
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # stored on its side: turn 90° clockwise to view
    gradient(size=(60, 40)).save(tmp_path / "turned.jpg", exif=exif)
    with Image.open(tmp_path / "turned.jpg") as source:
        figure, back = written(source, tmp_path)
    assert (figure.width_px, figure.height_px) == back.size == (40, 60)


@pytest.mark.parametrize(("width", "enough"), [(400, False), (991, False), (992, True), (1000, True)])
def test_enough_pixels_for_84_mm_at_300_dpi(tmp_path, width, enough):
    figure, back = written(gradient(size=(width, 30)), tmp_path)
    assert figure.enough_pixels is enough
    assert back.width == figure.width_px == width  # never scaled up to make the width
    assert figure.printed_width_mm == pytest.approx(width / 300 * 25.4, abs=0.05)
    assert figure.dpi == 300


def test_files_are_named_as_the_journal_asks_and_nothing_else_is_left(tmp_path):
    images = [(n, gradient()) for n in (1, 2, 3)]
    tifs = write_figure_files(images, FigureSpec(), tmp_path / "tif")
    pngs = write_figure_files(images, FigureSpec(format="png", name="Fig_{number}"), tmp_path / "png")
    assert [f.path.name for f in tifs] == [p.name for p in sorted((tmp_path / "tif").iterdir())]
    assert [f.path.name for f in tifs] == ["Figure1.tif", "Figure2.tif", "Figure3.tif"]
    assert sorted(p.name for p in (tmp_path / "png").iterdir()) == ["Fig_1.png", "Fig_2.png", "Fig_3.png"]
    assert [image_format(f.path) for f in tifs + pngs] == ["TIFF"] * 3 + ["PNG"] * 3


def image_format(path: Path) -> str:
    with Image.open(path) as image:
        return image.format


def test_a_failed_write_leaves_no_file_and_names_the_figure(tmp_path, monkeypatch):
    def fail_halfway(self, out, *args, **kwargs):
        out.write(b"II*\x00half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Image.Image, "save", fail_halfway)
    with pytest.raises(FigureError) as caught:
        write_figure_file(gradient(), 4, FigureSpec(), tmp_path)
    assert caught.value.message.startswith(f"{tmp_path / 'Figure4.tif'}: the figure file cannot be written")
    assert "No space left on device" in caught.value.message
    assert list(tmp_path.iterdir()) == []


def test_one_number_given_twice_is_refused_before_a_file_is_written(tmp_path):
    with pytest.raises(FigureError, match="repeat"):
        write_figure_files([(1, gradient()), (1, gradient())], FigureSpec(), tmp_path)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        pytest.param({"format": "jpg"}, "format", id="lossy_format"),
        pytest.param({"dpi": 0}, "dpi", id="no_dpi"),
        pytest.param({"name": "Figure{n}"}, "name", id="unknown_placeholder"),
        pytest.param({"name": "../Figure{number}"}, "name", id="name_leading_out_of_the_folder"),
    ],
)
def test_a_spec_that_cannot_give_a_usable_file_is_refused(changes, field):
    with pytest.raises(FigureError) as caught:
        FigureSpec(**changes)
    assert caught.value.message.startswith(f"figure file specification, {field}")


def test_the_examples_panels_make_one_image_wider_than_either(tmp_path):
    source = read_case_source(EXAMPLE_CASE)
    index, figure = next((i, f) for i, f in enumerate(source.case.figures) if f.id == "fig-before")
    assert len(figure.panels) == 2
    image = figure_image(figure, index, source.path)
    sizes = [image_size(source.folder / p.file) for p in figure.panels]
    assert image.width > max(width for width, _ in sizes)
    assert image.height == max(height for _, height in sizes)
    written_figure, back = written(image, tmp_path)
    assert_plain(written_figure, back)
    assert back.tobytes() == image.tobytes()


def image_size(path: Path) -> tuple[int, int]:
    with Image.open(path) as image:
        return image.size


def test_panels_keep_their_full_resolution_where_the_letter_scales_them_down(tmp_path):
    (tmp_path / "figures").mkdir()
    gradient(size=(1200, 900)).save(tmp_path / "figures" / "a.png")
    gradient(size=(800, 600)).save(tmp_path / "figures" / "b.png")
    figure = Figure(id="fig-x", legend="Two.", panels=[Panel(file="figures/a.png"), Panel(file="figures/b.png")])
    image = figure_image(figure, 0, tmp_path / "case.yaml")
    assert image.size == (1200 + 1200 + 24, 900)  # the gap grows with the height, as the letters do
    top = (0, 0, 1200, 700)  # above panel A's letter
    assert image.crop(top).tobytes() == gradient(size=(1200, 900)).crop(top).tobytes()
    with Image.open(io.BytesIO(figure_png(figure, 0, tmp_path / "case.yaml"))) as letter:
        assert letter.height == PANEL_HEIGHT


def test_the_examples_timeline_has_300_dpi_at_84_mm(tmp_path):
    source = read_case_source(EXAMPLE_CASE)
    image = timeline_image(source.case, source.path, FigureSpec())
    assert image is not None and image.width >= 992
    figure, back = written(image, tmp_path, number=3)
    assert_plain(figure, back)
    assert figure.enough_pixels and figure.path.name == "Figure3.tif"
    assert figure.printed_width_mm >= 84
    assert back.getpixel((0, 0)) == (255, 255, 255)


def test_a_case_without_a_timeline_has_no_timeline_image(tmp_path):
    source = read_case_source(EXAMPLE_CASE)
    bare = source.case.model_copy(update={"timeline": [], "interventions": []})
    assert timeline_image(bare, source.path, FigureSpec()) is None
