"""nbconvert exporters for the letter: ``--to caseletter_html``, ``caseletter_docx``, ``caseletter_pdf``.

Each is a small `TemplateExporter` whose template (under ``templates/``) keeps only the kit's
display outputs. HTML is the template's output as it is. DOCX and PDF take the template's
pandoc Markdown one step further: pandoc with a reference document for Word, and pandoc's typst
writer then the typst compiler (a PyPI wheel, no TeX) for PDF. They know nothing of case files.
"""

from __future__ import annotations

import base64
import re
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

from nbconvert.exporters import TemplateExporter
from nbconvert.preprocessors import Preprocessor
from traitlets import default

from caseletter.errors import ExportError, cut
from caseletter.letter.render import INTERCHANGE
from caseletter.pandoc import run_pandoc
from caseletter.paths import templates_dir

#: The sections' Markdown is read with the extensions it was written with (see `letter.render`).
EXPORT_READER = INTERCHANGE
TYPST_TIMEOUT = 120
# A PDF says nothing of when or on which machine it was made: embedded fonts only, timestamp 0.
_TYPST_COMPILE = (
    "import sys, typst\n"
    "sys.stdout.buffer.write(typst.compile(sys.argv[1], root=sys.argv[2], ignore_system_fonts=True, timestamp=0))"
)
# The Practice Points box is a typst function of letter.typ; the template marks the box as a Div
# with this class, which the author's text cannot make (its fenced divs are escaped).
PRACTICE_POINTS_FILTER = """
function Div(el)
  if el.classes:includes("practice-points") then
    local blocks = {pandoc.RawBlock("typst", "#practice-points[")}
    for _, block in ipairs(el.content) do table.insert(blocks, block) end
    table.insert(blocks, pandoc.RawBlock("typst", "]"))
    return blocks
  end
end
"""


class LetterExporterBase(TemplateExporter):
    """What the three letter exporters share: our template folder and the letter's metadata."""

    exclude_input = True
    exclude_input_prompt = True
    exclude_output_prompt = True

    @default("extra_template_basedirs")
    def _extra_template_basedirs_default(self) -> list[str]:
        return [str(templates_dir())]

    def from_notebook_node(self, nb: Any, resources: dict | None = None, **kw: Any) -> tuple[Any, dict]:
        """Add the letter's title and authors to `resources`, then render the template."""
        resources = self._init_resources(resources)
        resources.update(letter_properties(nb))
        return super().from_notebook_node(nb, resources, **kw)


class LetterHTMLExporter(LetterExporterBase):
    """A self-contained HTML page: embedded images, inline CSS, a print stylesheet."""

    export_from_notebook = "Case letter (HTML)"
    output_mimetype = "text/html"

    @default("file_extension")
    def _file_extension_default(self) -> str:
        return ".html"

    @default("template_name")
    def _template_name_default(self) -> str:
        return "caseletter_html"

    @default("template_file")
    def _template_file_default(self) -> str:
        return "index.html.j2"


class FigureImagesPreprocessor(Preprocessor):
    """Put each figure's image into ``resources["outputs"]`` for pandoc to read from a file.

    A figure travels in the notebook once, as the data URI of its HTML (what JupyterLab and the
    HTML letter show); this decodes it and names the file in the output's metadata, the way
    nbconvert's ExtractOutputPreprocessor does for ``image/png`` outputs.
    """

    def preprocess_cell(self, cell, resources, index):
        """Extract the figures of one cell."""
        for number, output in enumerate(cell.get("outputs", [])):
            kit = output.get("metadata", {}).get("caseletter", {})
            match = DATA_URI.search(output.get("data", {}).get("text/html", "")) if kit.get("figure") else None
            if match:
                name = f"figure-{kit['figure']}-{index}-{number}.png"
                resources.setdefault("outputs", {})[name] = base64.b64decode(match.group(1))
                output.metadata["filenames"] = {"image/png": name}
        return cell, resources


DATA_URI = re.compile(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"')


class LetterMarkdownExporterBase(LetterExporterBase):
    """Renders the template to pandoc Markdown with the figures extracted beside it."""

    output_mimetype = "text/markdown"

    @default("preprocessors")
    def _preprocessors_default(self) -> list:
        return [FigureImagesPreprocessor]

    def markdown_and_images(self, nb: Any, resources: dict | None, **kw: Any) -> tuple[str, dict]:
        """The letter as Markdown, and the resources holding its images under ``outputs``."""
        return super().from_notebook_node(nb, resources, **kw)


class LetterDOCXExporter(LetterMarkdownExporterBase):
    """A Word manuscript through pandoc, with the kit's reference document for its styles."""

    export_from_notebook = "Case letter (DOCX)"
    output_mimetype = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

    @default("file_extension")
    def _file_extension_default(self) -> str:
        return ".docx"

    def default_filters(self):
        """Add `list_as_paragraphs`: Word applies a box style to paragraphs, not to list items."""
        yield from super().default_filters()
        yield ("list_as_paragraphs", list_as_paragraphs)

    @default("template_name")
    def _template_name_default(self) -> str:
        return "caseletter_docx"

    @default("template_file")
    def _template_file_default(self) -> str:
        return "index.md.j2"

    def from_notebook_node(self, nb: Any, resources: dict | None = None, **kw: Any) -> tuple[bytes, dict]:
        """Render the Markdown, then let pandoc write the .docx."""
        markdown, resources = self.markdown_and_images(nb, resources, **kw)
        reference = templates_dir() / "caseletter_docx" / "reference.docx"
        args = ["-t", "docx", f"--reference-doc={reference}", *metadata_args(resources)]
        docx = convert_in_folder(markdown, resources, args, "letter.docx", "exporting DOCX")
        return with_page_header(docx, resources.get("letter_draft", "")), resources


class LetterPDFExporter(LetterMarkdownExporterBase):
    """A PDF through pandoc's typst writer and the typst compiler; no TeX needed."""

    export_from_notebook = "Case letter (PDF)"
    output_mimetype = "application/pdf"

    @default("file_extension")
    def _file_extension_default(self) -> str:
        return ".pdf"

    @default("template_name")
    def _template_name_default(self) -> str:
        return "caseletter_pdf"

    @default("template_file")
    def _template_file_default(self) -> str:
        return "index.md.j2"

    def from_notebook_node(self, nb: Any, resources: dict | None = None, **kw: Any) -> tuple[bytes, dict]:
        """Render the Markdown, turn it into typst with pandoc, and compile the PDF."""
        markdown, resources = self.markdown_and_images(nb, resources, **kw)
        template = templates_dir() / "caseletter_pdf" / "letter.typ"
        args = ["-t", "typst", f"--template={template}", *metadata_args(resources), *typst_property_args(resources)]
        filters = {"practice-points.lua": PRACTICE_POINTS_FILTER}
        pdf = convert_in_folder(markdown, resources, args, "letter.typ", "exporting PDF", compile_typst, filters)
        return pdf, resources


_EXPORTERS = threading.local()


def exporter_for(fmt: str) -> LetterExporterBase:
    """This thread's exporter for a format, made once: its templates load once per worker."""
    cache = _EXPORTERS.__dict__.setdefault("by_format", {})
    if fmt not in cache:
        cache[fmt] = {"html": LetterHTMLExporter, "docx": LetterDOCXExporter, "pdf": LetterPDFExporter}[fmt]()
    return cache[fmt]


def list_as_paragraphs(markdown: str) -> str:
    """Turn a Markdown bullet list into paragraphs that start with a bullet."""
    out = []
    for line in markdown.splitlines():
        out.append("\n• " + line[2:] if line.startswith(("- ", "* ", "+ ")) else line)
    return "\n".join(out)


def letter_properties(nb: Any) -> dict[str, Any]:
    """The title and authors the title section carries, and a draft's mark, for each format's header."""
    found: dict[str, Any] = {"letter_title": "", "letter_authors": [], "letter_draft": ""}
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            kit = output.get("metadata", {}).get("caseletter", {})
            if kit.get("section") == "title":
                found.update(letter_title=kit.get("title", ""), letter_authors=list(kit.get("authors", [])))
            elif kit.get("section") == "draft":
                found["letter_draft"] = str(kit.get("draft", ""))
    return found


def metadata_args(resources: dict) -> list[str]:
    """Pandoc metadata flags: document title and authors come from the letter, nothing else."""
    args = ["-M", f"title={resources.get('letter_title', '')}"]
    for author in resources.get("letter_authors", []):
        args += ["-M", f"author={author}"]
    return args


def with_page_header(docx: bytes, text: str) -> bytes:
    """The DOCX with `text` in red at the top of every page (a draft's mark); unchanged when empty."""
    if not text:
        return docx
    import io

    from docx import Document
    from docx.shared import RGBColor

    document = Document(io.BytesIO(docx))
    for section in document.sections:
        run = section.header.paragraphs[0].add_run(text)
        run.bold = True
        run.font.color.rgb = RGBColor(0xB0, 0x00, 0x20)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def typst_property_args(resources: dict) -> list[str]:
    """Template variables for the PDF's own title and author fields, escaped as typst strings."""

    def quoted(text: str) -> str:
        return " ".join(text.split()).replace("\\", "\\\\").replace('"', '\\"')

    args = ["-V", f"doc-title={quoted(resources.get('letter_title', ''))}"]
    if resources.get("letter_draft"):
        args += ["-V", f"draft={quoted(resources['letter_draft'])}"]
    for author in resources.get("letter_authors", []):
        args += ["-V", f"doc-author={quoted(author)}"]
    return args


def convert_in_folder(
    markdown: str, resources: dict, args: list[str], target: str, what: str, finish=None, filters: dict | None = None,
) -> bytes:
    """Write the Markdown and its images to a private folder, run pandoc there, return the bytes.

    `filters` are Lua filters by file name, run by pandoc after it has read the Markdown.
    """
    with tempfile.TemporaryDirectory(prefix="caseletter-export-") as tmp:
        folder = Path(tmp)
        for name, data in resources.get("outputs", {}).items():
            (folder / name).write_bytes(data)
        for name, code in (filters or {}).items():
            (folder / name).write_text(code, encoding="utf-8")
        source = folder / "letter.md"
        source.write_text(markdown, encoding="utf-8")
        out = folder / target
        lua = [f"--lua-filter={folder / name}" for name in filters or {}]
        command = ["-f", EXPORT_READER, "--resource-path", str(folder), *lua, *args, "-o", str(out), str(source)]
        run_pandoc(command, what=what)
        return finish(out) if finish else out.read_bytes()


def compile_typst(source: Path, timeout: float = TYPST_TIMEOUT) -> bytes:
    """Compile a typst file in a process of its own, stopped after `timeout` seconds.

    The compiler is the typst wheel's, with its embedded fonts only, so every machine gets the
    same PDF; running it apart is what lets a compile that does not end be stopped.
    """
    command = [sys.executable, "-c", _TYPST_COMPILE, str(source), str(source.parent)]
    try:
        done = subprocess.run(command, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise ExportError(
            "exporting PDF", f"typst did not finish within {timeout:g} s", "Report it with the case file.",
        ) from None
    if done.returncode != 0 or not done.stdout.startswith(b"%PDF"):
        raise ExportError(
            "exporting PDF",
            f"typst could not compile the letter: {typst_message(done.stderr)}",
            "If the text it names is yours, simplify it; otherwise report it.",
        )
    return done.stdout


def typst_message(stderr: bytes) -> str:
    """The compiler's complaint: the last line Python printed, without the exception's class."""
    lines = [line.strip() for line in stderr.decode("utf-8", "replace").splitlines() if line.strip()]
    last = lines[-1] if lines else "no message"
    return cut(last.split(": ", 1)[1] if last.split(": ", 1)[0].endswith(("Error", "Exception")) else last, 300)
