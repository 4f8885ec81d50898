"""Make templates/caseletter_docx/reference.docx: pandoc's reference document, restyled.

pandoc takes paragraph and character styles from a reference document. This starts from
pandoc's own (so every style pandoc uses exists, under Word's built-in names that journals'
submission systems read) and gives it a manuscript look: Times New Roman 12 pt, double spacing,
1-inch margins, plain bold headings, and a shaded, ruled "Practice Points" paragraph style.
Run from the project root after changing it:

    .venv/bin/python tools/make_reference_docx.py
"""

from __future__ import annotations

import io
import subprocess
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Inches, Pt, RGBColor

from caseletter.pandoc import pandoc_path

TARGET = Path("templates/caseletter_docx/reference.docx")
BODY_FONT = "Times New Roman"


def pandoc_default_reference() -> bytes:
    """Pandoc's built-in reference.docx."""
    return subprocess.run(
        [pandoc_path(), "--print-default-data-file", "reference.docx"], capture_output=True, check=True
    ).stdout


def restyle(doc: Document) -> None:
    """Manuscript fonts, spacing and headings."""
    for section in doc.sections:
        section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = Inches(1)
    for name in [
        "Normal", "Body Text", "First Paragraph", "Compact", "Title", "Author", "Heading 1", "Heading 2", "Heading 3",
        "Image Caption", "Table Caption", "Bibliography",
    ]:
        if name not in [s.name for s in doc.styles]:
            continue
        style = doc.styles[name]
        style.font.name = BODY_FONT
        style.font.size = Pt(12)
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.font.italic = False
        rpr = style.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = OxmlElement("w:rFonts")
            rpr.append(fonts)
        for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(attr), BODY_FONT)
        for theme_attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
            fonts.attrib.pop(qn(theme_attr), None)
        if style.type == WD_STYLE_TYPE.PARAGRAPH:
            style.paragraph_format.line_spacing = 2.0
    for name in ["Title", "Heading 1", "Heading 2", "Heading 3"]:
        doc.styles[name].font.bold = True
    doc.styles["Title"].font.size = Pt(14)


def add_practice_points_style(doc: Document) -> None:
    """A paragraph style with a grey background and a rule on the left, for the box."""
    style = doc.styles.add_style("Practice Points", WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = doc.styles["Normal"]
    style.font.name = BODY_FONT
    style.paragraph_format.line_spacing = 1.5
    ppr = style.element.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    for side in ("top", "left", "bottom", "right"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), "single")
        edge.set(qn("w:sz"), "12" if side == "left" else "4")
        edge.set(qn("w:space"), "6")
        edge.set(qn("w:color"), "8A6D3B")
        borders.append(edge)
    ppr.append(borders)
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:fill"), "F4EFE6")
    ppr.append(shading)


def main() -> None:
    """Write the reference document."""
    doc = Document(io.BytesIO(pandoc_default_reference()))
    restyle(doc)
    add_practice_points_style(doc)
    core = doc.core_properties
    core.author = core.last_modified_by = core.title = core.comments = ""
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    doc.save(TARGET)
    write_plain_app_properties(TARGET)


#: pandoc copies docProps/app.xml from the reference document into every DOCX it writes; the
#: default one claims "Microsoft Word 12" and a made-up page, word and editing-time count.
APP_PROPERTIES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
    'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    "<Application>caseletter</Application></Properties>"
)


def write_plain_app_properties(path: Path) -> None:
    """Replace the document's application properties by one honest line, keeping every other part."""
    with zipfile.ZipFile(path) as source:
        parts = [(info, source.read(info.filename)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in parts:
            target.writestr(info, APP_PROPERTIES.encode("utf-8") if info.filename == "docProps/app.xml" else data)


if __name__ == "__main__":
    main()
