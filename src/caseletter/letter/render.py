"""Rendering the composed letter with pandoc's citeproc: HTML and Markdown for every section.

The whole letter goes through citeproc in one document, so references are numbered in order of
first citation across every section, runs collapse the CSL way, and the bibliography comes out
in that order. Each section is marked by a sentinel paragraph; the output is cut back into
sections along those marks. Raw HTML and TeX, raw attributes and attribute blocks in the
author's text are read as plain text (`READER`), and a Lua filter drops any key-value attribute
left on what pandoc built, so nothing a trainee types can inject markup into the letter.

The Markdown form travels on to the DOCX and PDF exporters, which read it back. It is written
and read with one set of extensions (`INTERCHANGE`): what pandoc writes as text then reads back
as text, so a code span followed by ``{=openxml}``, a stray ``@word`` or a ``{#id}`` stays text
in every format, exactly as in the HTML.
"""

from __future__ import annotations

import re
import secrets
import tempfile
from dataclasses import dataclass
from html import escape
from pathlib import Path

from caseletter.letter.compose import LetterDocument
from caseletter.pandoc import escape_markdown, run_pandoc
from caseletter.references.citeproc import citeproc_args, csl_items_file


def _markdown(*off: str) -> str:
    return "markdown" + "".join(f"-{extension}" for extension in off)


_NO_RAW = ("raw_html", "raw_tex", "raw_attribute")
_NO_ATTRIBUTE_BLOCKS = ("header_attributes", "inline_code_attributes", "fenced_code_attributes")
#: How the composed letter (the author's text inside the kit's structure) is read.
READER = _markdown(
    *_NO_RAW, *_NO_ATTRIBUTE_BLOCKS, "tex_math_dollars", "tex_math_single_backslash", "yaml_metadata_block",
)
#: The Markdown between the renderer and the exporters: citations are already numbers, quotes already curled.
INTERCHANGE = _markdown(*_NO_RAW, *_NO_ATTRIBUTE_BLOCKS, "citations", "smart")
MARKDOWN_WRITER = INTERCHANGE + "-simple_tables-multiline_tables-grid_tables"

# Runs before citeproc, so only the author's elements lose their attributes; ids and classes stay.
ATTRIBUTE_FILTER = """
local function drop_attributes(el)
  el.attributes = {}
  return el
end
return {{Header = drop_attributes, Code = drop_attributes, CodeBlock = drop_attributes, Div = drop_attributes,
         Span = drop_attributes, Link = drop_attributes, Image = drop_attributes, Table = drop_attributes,
         Figure = drop_attributes}}
"""


@dataclass(frozen=True)
class RenderedSection:
    """One section of the letter in the two forms the exporters read."""

    name: str
    html: str
    markdown: str


def render_letter(
    doc: LetterDocument, csl_items: list[dict], csl: Path, range_delimiter: str = "–"
) -> list[RenderedSection]:
    """Run citeproc over the whole letter and return its sections, rendered, in order.

    Args:
        doc: the composed letter.
        csl_items: CSL-JSON items for every cited key.
        csl: the journal's CSL style file.
        range_delimiter: what joins a collapsed run of citation numbers ("1-3"). CSL has no
            standard term for it and pandoc's citeproc always writes an en dash; AMA wants a hyphen.
    """
    token = "CASELETTERSECTION" + secrets.token_hex(6).upper()
    source = "\n\n".join(f"{token}{i:04d}\n\n{markdown}" for i, (_, markdown) in enumerate(doc.parts)) + "\n"
    with csl_items_file(csl_items) as items_file, tempfile.TemporaryDirectory(prefix="caseletter-") as tmp:
        attribute_filter = Path(tmp) / "drop-attributes.lua"
        attribute_filter.write_text(ATTRIBUTE_FILTER, encoding="utf-8")
        common = ["-f", READER, f"--lua-filter={attribute_filter}", *citeproc_args(csl, items_file), "--wrap=none"]
        html, markdown = run_side_by_side(
            lambda: run_pandoc([*common, "-t", "html5"], source, "rendering the letter (HTML)").decode("utf-8"),
            lambda: run_pandoc(
                [*common, "-t", MARKDOWN_WRITER], source, "rendering the letter (Markdown)"
            ).decode("utf-8"),
        )
    html = inline_reference_numbers(set_citation_ranges(html, HTML_CITATION, escape(range_delimiter)))
    html_parts = _split(html, re.compile(rf"<p>{token}(\d{{4}})</p>"))
    md_parts = _split(
        set_citation_ranges(markdown, MARKDOWN_SUPERSCRIPT, escape_markdown(range_delimiter, smart=False)),
        re.compile(rf"^{token}(\d{{4}})$", re.MULTILINE),
    )
    return [
        RenderedSection(name, html_parts.get(i, "").strip(), md_parts.get(i, "").strip())
        for i, name in enumerate(doc.section_names)
    ]


def run_side_by_side(*jobs):
    """Run independent pandoc jobs at once (each is its own process) and return their results."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=len(jobs)) as workers:
        return [f.result() for f in [workers.submit(job) for job in jobs]]


HTML_CITATION = re.compile(r'<span class="citation"[^>]*>.*?</span>', re.DOTALL)
MARKDOWN_SUPERSCRIPT = re.compile(r"\^[^\s^]+\^")


def set_citation_ranges(text: str, citation: re.Pattern[str], delimiter: str) -> str:
    """Write `delimiter` between the numbers of collapsed citation runs ("2–4" → "2-4")."""
    if delimiter == "–":
        return text
    return citation.sub(lambda m: re.sub(r"(?<=\d)–(?=\d)", lambda _: delimiter, m.group(0)), text)


REFERENCE_PARTS = re.compile(
    r'<div class="csl-left-margin">(.*?)</div><div class="csl-right-inline">(.*?)</div>', re.DOTALL
)


def inline_reference_numbers(html: str) -> str:
    """Keep a reference's number and text on one line wherever the HTML is shown.

    pandoc writes them as two blocks and relies on a stylesheet to set them side by side;
    JupyterLab has no such stylesheet, so they become spans.
    """
    return REFERENCE_PARTS.sub(r'<span class="csl-left-margin">\1</span><span class="csl-right-inline">\2</span>', html)


def _split(text: str, marker: re.Pattern[str]) -> dict[int, str]:
    matches = list(marker.finditer(text))
    parts = {}
    for match, following in zip(matches, [*matches[1:], None]):
        end = following.start() if following else len(text)
        parts[int(match.group(1))] = text[match.end() : end]
    return parts
