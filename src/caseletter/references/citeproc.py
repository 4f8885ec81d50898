"""Formatting references with a CSL style: the kit's one way of running pandoc's citeproc.

Every reference the kit prints goes through citeproc with the same options (`citeproc_args`:
one style, one locale, the items as a CSL-JSON file written by `csl_items_file`), whether it
is a whole letter (``letter.render``) or a list of references (`format_references`, behind
``caseletter refs`` and the tutorial). For a list, a document cites the keys in order (so item
i gets number i + 1) and pandoc's JSON AST comes back; each entry's inlines are rendered here
as plain text, pandoc Markdown and HTML.
"""

from __future__ import annotations

import contextlib
import html
import json
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from caseletter.errors import ExportError, UnknownStyle
from caseletter.pandoc import escape_markdown, run_pandoc
from caseletter.references.bibliography import load_bibliography


@dataclass(frozen=True)
class FormattedReference:
    """One entry of the reference list, numbered in order of first citation."""

    number: int
    key: str
    text: str
    markdown: str
    html: str


def format_references(items: Sequence[dict[str, Any]], csl: Path) -> list[FormattedReference]:
    """Format ``items`` with the style ``csl``, numbered 1..n in the order given.

    Raises:
        UnknownStyle: the CSL file does not exist.
        ExportError: pandoc is missing or failed (its stderr is in the message).
    """
    csl = Path(csl)
    if not csl.is_file():
        raise UnknownStyle(str(csl), "the CSL style file does not exist", "Check the path.")
    keys = [str(item["id"]) for item in items]
    if len(set(keys)) != len(keys):
        raise ValueError("format_references needs each item once; number citations first")
    if not keys:
        return []
    entries = _entry_inlines(_run_citeproc(items, keys, csl))
    return [_build_reference(n, key, entries, csl) for n, key in enumerate(keys, start=1)]


def format_reference_lines(
    bib_paths: Iterable[Path | str], csl: Path, keys: Sequence[str] | None = None, show_keys: bool = False
) -> list[str]:
    """``N. text`` lines for ``keys`` in the given order (all entries, in file order, if None).

    This is what ``caseletter refs`` prints; `show_keys` starts each line with the key to cite
    (``[@key]``), which a file from a reference manager may not show. An unknown key raises
    ``UnknownCitationKey`` naming the key and the closest keys of the bibliography.
    """
    bibliography = load_bibliography(bib_paths)
    wanted = list(dict.fromkeys(keys)) if keys else None
    refs = format_references(bibliography.csl_items(wanted), csl)
    return [f"{f'[@{ref.key}] ' if show_keys else ''}{ref.number}. {ref.text}" for ref in refs]


def citeproc_args(csl: Path, items_file: Path) -> list[str]:
    """The pandoc flags of every citeproc run: the style, the items, one locale, no links."""
    return [
        "--citeproc", f"--csl={csl}", f"--bibliography={items_file}", "-M", "lang=en-US", "-M", "link-citations=false"
    ]


@contextlib.contextmanager
def csl_items_file(items: Sequence[dict[str, Any]]) -> Iterator[Path]:
    """The items as a CSL-JSON file in a private folder, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="caseletter-refs-") as tmp:
        path = Path(tmp, "items.json")
        path.write_text(json.dumps(list(items), ensure_ascii=False), encoding="utf-8")
        yield path


def _run_citeproc(items: Sequence[dict[str, Any]], keys: list[str], csl: Path) -> dict:
    # Each key is cited in its own paragraph: citeproc numbers by first citation.
    document = "\n\n".join(f"[@{{{key}}}]" for key in keys) + "\n"
    with csl_items_file(items) as items_file:
        args = ["--from=markdown", "--to=json", *citeproc_args(csl, items_file)]
        output = run_pandoc(args, document, what=f"formatting references with {csl}")
    return json.loads(output)


def _entry_inlines(ast: dict) -> dict[str, list[dict]]:
    """Map each key to the inlines of its bibliography entry (without the number)."""
    found: dict[str, list[dict]] = {}
    for block in _walk_blocks(ast.get("blocks", [])):
        ident, classes = block["c"][0][0], block["c"][0][1]
        if "csl-entry" in classes and ident.startswith("ref-"):  # entries come in citation order
            found[ident[len("ref-"):]] = _strip_number(_block_inlines(block["c"][1]), len(found) + 1)
    return found


def _walk_blocks(blocks: list[dict]) -> Iterable[dict]:
    for block in blocks:
        if block.get("t") == "Div":
            yield block
            yield from _walk_blocks(block["c"][1])


def _block_inlines(blocks: list[dict]) -> list[dict]:
    inlines: list[dict] = []
    for block in blocks:
        if block.get("t") in ("Para", "Plain"):
            inlines.extend(block["c"])
    return inlines


def _strip_number(inlines: list[dict], number: int | None = None) -> list[dict]:
    # Numeric styles put the number in a "csl-left-margin" span; the text is the rest. Styles that
    # do not align the number (Vancouver styles: "1. Author ...") write it as the first word.
    spans = [i for i in inlines if i.get("t") == "Span"]
    right = [s for s in spans if "csl-right-inline" in s["c"][0][1]]
    if right:
        return right[0]["c"][1]
    rest = [i for i in inlines if not (i.get("t") == "Span" and "csl-left-margin" in i["c"][0][1])]
    first = rest[0] if rest else {}
    if number is not None and first.get("t") == "Str" and re.fullmatch(rf"[\[(]?{number}[\])]?[.:]?", first["c"]):
        rest = rest[1:]
        while rest and rest[0].get("t") == "Space":
            rest = rest[1:]
    return rest


def _build_reference(number: int, key: str, entries: dict, csl: Path) -> FormattedReference:
    if key not in entries:
        raise ExportError(
            f"pandoc --citeproc with {csl}",
            f"the formatted bibliography has no entry for {key!r}",
            "Check that the style has a <bibliography> section.",
        )
    inlines = entries[key]
    return FormattedReference(
        number=number,
        key=key,
        text=render_plain(inlines).strip(),
        markdown=render_markdown(inlines).strip(),
        html=render_html(inlines).strip(),
    )


# --- rendering ---------------------------------------------------------------------------

_QUOTES = {"DoubleQuote": ("“", "”"), "SingleQuote": ("‘", "’")}


def render_plain(inlines: list[dict]) -> str:
    """Plain text, exactly as a journal prints it (italics dropped, links as their text)."""
    return "".join(_plain_inline(i) for i in inlines)


def _plain_inline(inline: dict) -> str:
    kind, content = inline["t"], inline.get("c")
    if kind == "Str":
        return content
    if kind in ("Space", "SoftBreak", "LineBreak"):
        return " "
    if kind == "Quoted":
        left, right = _QUOTES[content[0]["t"]]
        return left + render_plain(content[1]) + right
    if kind in ("Code", "Math"):
        return content[1]
    return render_plain(_children(inline))


def render_markdown(inlines: list[dict]) -> str:
    """Pandoc Markdown that pandoc reads back to the same text and emphasis."""
    text = "".join(_markdown_inline(i) for i in inlines)
    # A line that starts like a numbered list item would not read back as text.
    return re.sub(r"^(\d+)\)", r"\1\\)", text)


def _markdown_inline(inline: dict) -> str:
    kind, content = inline["t"], inline.get("c")
    if kind == "Str":
        return escape_markdown(content, smart=False)
    if kind in ("Space", "SoftBreak", "LineBreak"):
        return " "
    wrappers = {"Emph": "*", "Strong": "**", "Superscript": "^", "Subscript": "~",
                "Strikeout": "~~"}
    if kind in wrappers:
        inner = "".join(_markdown_inline(i) for i in content)
        if kind in ("Superscript", "Subscript"):
            inner = inner.replace(" ", "\\ ")
        return wrappers[kind] + inner + wrappers[kind]
    if kind == "Link":
        label = "".join(_markdown_inline(i) for i in content[1])
        return f"[{label}](<{content[2][0]}>)"
    if kind == "Quoted":
        left, right = _QUOTES[content[0]["t"]]
        return left + "".join(_markdown_inline(i) for i in content[1]) + right
    if kind == "SmallCaps":
        return "[" + "".join(_markdown_inline(i) for i in content) + "]{.smallcaps}"
    return "".join(_markdown_inline(i) for i in _children(inline))


def render_html(inlines: list[dict]) -> str:
    """An inline HTML fragment: escaped text, <i> for italics, links as <a>."""
    return "".join(_html_inline(i) for i in inlines)


def _html_inline(inline: dict) -> str:
    kind, content = inline["t"], inline.get("c")
    if kind == "Str":
        return html.escape(content, quote=False)
    if kind in ("Space", "SoftBreak", "LineBreak"):
        return " "
    tags = {"Emph": "i", "Strong": "b", "Superscript": "sup", "Subscript": "sub",
            "Strikeout": "s", "Underline": "u"}
    if kind in tags:
        inner = "".join(_html_inline(i) for i in content)
        return f"<{tags[kind]}>{inner}</{tags[kind]}>"
    if kind == "Link":
        label = "".join(_html_inline(i) for i in content[1])
        return f'<a href="{html.escape(content[2][0])}">{label}</a>'
    if kind == "SmallCaps":
        inner = "".join(_html_inline(i) for i in content)
        return f'<span style="font-variant:small-caps">{inner}</span>'
    if kind in ("Quoted", "Code", "Math"):
        return html.escape(_plain_inline(inline), quote=False)
    return "".join(_html_inline(i) for i in _children(inline))


def _children(inline: dict) -> list[dict]:
    """The inlines inside a container (Span, Link, Cite, ...); none for a leaf."""
    content = inline.get("c")
    if inline["t"] in ("Span", "Link"):
        return content[1]
    if inline["t"] == "Cite":
        return content[1]
    if isinstance(content, list) and all(isinstance(c, dict) for c in content):
        return content
    return []
