"""The manuscript in submission layout: ``--to caseletter_manuscript``, a DOCX for a journal's editors.

A reader's copy sets figures and tables where the text first needs them; a submission system
asks for the opposite: double-spaced text with line and page numbers (so reviewers can point at
a line), no figures in the text, the references, then the tables and the figure legends at the
end, and, for double-blind review, no author's name anywhere: not in the text, not in a
header, not in the document's properties. The exporter reads the same executed notebook as the
letter exporters; pandoc writes the DOCX, a Lua filter moves the tables, and python-docx sets
the layout Word reads (``lnNumType``, a PAGE field, double spacing in every style).
"""

from __future__ import annotations

import io
from typing import Any

from traitlets import Bool, default

from caseletter.letter.exporters import LetterDOCXExporter, convert_in_folder, metadata_args
from caseletter.paths import templates_dir

#: Tables leave the text for the end of the manuscript, each numbered; only the template's Div
#: of class manuscript-tables (which the author's escaped text cannot make) marks where.
TABLES_TO_END_FILTER = """
local tables = {}
local function numbered(tbl, n)
  local caption = pandoc.utils.stringify(tbl.caption.long)
  if not caption:match("^Table %d") then
    local label = pandoc.Strong({pandoc.Str("Table"), pandoc.Space(), pandoc.Str(n .. ".")})
    if #tbl.caption.long > 0 and tbl.caption.long[1].content then
      table.insert(tbl.caption.long[1].content, 1, pandoc.Space())
      table.insert(tbl.caption.long[1].content, 1, label)
    else
      tbl.caption.long = {pandoc.Plain({label})}
    end
  end
  return tbl
end
function Pandoc(doc)
  local blocks = {}
  for _, block in ipairs(doc.blocks) do
    if block.t == "Table" then
      table.insert(tables, numbered(block, #tables + 1))
    else
      table.insert(blocks, block)
    end
  end
  local out = {}
  for _, block in ipairs(blocks) do
    if block.t == "Div" and block.classes:includes("manuscript-tables") then
      if #tables > 0 then
        table.insert(out, pandoc.Header(2, pandoc.Str("Tables")))
        for _, tbl in ipairs(tables) do table.insert(out, tbl) end
      end
    else
      table.insert(out, block)
    end
  end
  doc.blocks = out
  return doc
end
"""
DOUBLE = 480  # line spacing in 240ths of a line: 480 is double


class ManuscriptDOCXExporter(LetterDOCXExporter):
    """A Word manuscript in submission layout: double-spaced, numbered lines and pages, tables and legends last."""

    export_from_notebook = "Case manuscript for submission (DOCX)"
    blinded = Bool(True, help="Leave every author's name out (double-blind review).").tag(config=True)

    @default("template_name")
    def _template_name_default(self) -> str:
        return "caseletter_manuscript"

    def from_notebook_node(self, nb: Any, resources: dict | None = None, **kw: Any) -> tuple[bytes, dict]:
        """Render the Markdown without figures, let pandoc write the .docx, then set the submission layout."""
        resources = self._init_resources(resources)
        blinded = resources.setdefault("manuscript_blinded", self.blinded)
        markdown, resources = self.markdown_and_images(nb, resources, **kw)
        if blinded:
            resources["letter_authors"] = []
        reference = templates_dir() / "caseletter_docx" / "reference.docx"
        args = ["-t", "docx", f"--reference-doc={reference}", *metadata_args(resources)]
        filters = {"tables-to-end.lua": TABLES_TO_END_FILTER}
        what = "exporting the manuscript"
        docx = convert_in_folder(markdown, resources, args, "manuscript.docx", what, None, filters)
        return submission_layout(docx, resources.get("letter_title", ""), blinded), resources


def submission_layout(docx: bytes, title: str, blinded: bool) -> bytes:
    """Double spacing, continuous line numbers, page numbers, and properties that name nobody when blinded."""
    from docx import Document

    document = Document(io.BytesIO(docx))
    double_space(document)
    for section in document.sections:
        number_lines(section)
        number_pages(section)
    properties = document.core_properties
    properties.title = title
    properties.last_modified_by = ""
    properties.comments = ""
    if blinded:
        properties.author = ""
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def double_space(document: Any) -> None:
    """Every paragraph style, and the document's defaults, at double spacing."""
    from docx.enum.text import WD_LINE_SPACING

    for style in document.styles:
        paragraph_format = getattr(style, "paragraph_format", None)
        if paragraph_format is not None:
            paragraph_format.line_spacing_rule = WD_LINE_SPACING.DOUBLE
    defaults = document.styles.element.find(_w("docDefaults"))
    if defaults is not None:
        spacing = _child(_child(_child(defaults, "pPrDefault"), "pPr"), "spacing")
        spacing.set(_w("line"), str(DOUBLE))
        spacing.set(_w("lineRule"), "auto")


def number_lines(section: Any) -> None:
    """Line numbers in the margin, counted through the whole manuscript (``w:lnNumType``)."""
    sect_pr = section._sectPr
    for old in sect_pr.findall(_w("lnNumType")):
        sect_pr.remove(old)
    numbering = sect_pr.makeelement(_w("lnNumType"), {_w("countBy"): "1", _w("restart"): "continuous"})
    # The schema's order: lnNumType comes after the page size, margins, paper source and borders.
    anchor = None
    for name in ("pgSz", "pgMar", "paperSrc", "pgBorders"):
        found = sect_pr.find(_w(name))
        anchor = found if found is not None else anchor
    if anchor is not None:
        anchor.addnext(numbering)
    else:
        sect_pr.insert(0, numbering)


def number_pages(section: Any) -> None:
    """A centred page number in the footer: a PAGE field Word fills in."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    footer = section.footer
    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = paragraph._p.makeelement(_w("fldSimple"), {_w("instr"): "PAGE"})
    run = field.makeelement(_w("r"), {})
    text = run.makeelement(_w("t"), {})
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _w(name: str) -> str:
    return "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}" + name


def _child(parent: Any, name: str) -> Any:
    found = parent.find(_w(name))
    if found is None:
        found = parent.makeelement(_w(name), {})
        if name == "pPr":  # a paragraph's properties come first in its element
            parent.insert(0, found)
        else:
            parent.append(found)
    return found
