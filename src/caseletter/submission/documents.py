"""The submission's Word documents besides the manuscript: written as Markdown, made DOCX by pandoc.

The title page, the cover letter and the CARE checklist are the kit's own text with the case's
values in it. They go through pandoc with the letter's reference document, so they share its
fonts and styles, and every value from the case is escaped as Markdown first, so that nothing a
trainee types is read as markup. A placeholder the authors must fill in is a span of the
character style "Placeholder", shown highlighted in yellow, so it cannot be overlooked.
"""

from __future__ import annotations

import io

from caseletter.letter.exporters import convert_in_folder
from caseletter.pandoc import escape_markdown
from caseletter.paths import templates_dir

#: Read as the letter's Markdown is between stages, with bracketed spans for the placeholder style.
DOCUMENT_READER = "markdown-raw_html-raw_tex-raw_attribute+bracketed_spans"


def plain_markdown(value: str) -> str:
    """A value from the case as Markdown that prints exactly as typed, on one line."""
    return escape_markdown(" ".join(str(value).split()), smart=False)


def markdown_docx(markdown: str, title: str, what: str) -> bytes:
    """A DOCX from the kit's Markdown, in the letter's styles, with placeholders highlighted.

    Args:
        markdown: the document; values from the case already escaped.
        title: the document's title property (not printed).
        what: what is being made, for an error message ("writing the title page").
    """
    reference = templates_dir() / "caseletter_docx" / "reference.docx"
    args = ["-f", DOCUMENT_READER, "-t", "docx", f"--reference-doc={reference}", "-M", f"pagetitle={title}"]
    docx = convert_in_folder(markdown, {}, args, "document.docx", what)
    return highlighted_placeholders(docx, title)


def highlighted_placeholders(docx: bytes, title: str) -> bytes:
    """Runs of the "Placeholder" style in yellow highlight and bold; document properties name nobody."""
    from docx import Document
    from docx.enum.text import WD_COLOR_INDEX

    document = Document(io.BytesIO(docx))
    for paragraph in document.paragraphs:
        for run in paragraph.runs:
            if run.style is not None and run.style.name == "Placeholder":
                run.font.highlight_color = WD_COLOR_INDEX.YELLOW
                run.bold = True
    properties = document.core_properties
    properties.title, properties.author, properties.last_modified_by = title, "", ""
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
