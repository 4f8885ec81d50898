"""Format CSL-JSON items with a CSL style, through pandoc's citeproc.

One pandoc run formats the whole list: the items go in as CSL-JSON, a document cites their
keys in order (so item i gets number i + 1), and pandoc's JSON AST comes back. Each entry's
inlines are then rendered here three ways (plain text, pandoc Markdown, HTML) so that the
notebook, the exporters and the ``caseletter refs`` command all print the same reference.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from caseletter.bibliography import load_bibliography
from caseletter.errors import ExportError, UnknownStyle

PANDOC_TIMEOUT_SECONDS = 120
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#+!|~^$@&\"'])")
#: pandoc's default "abbreviations" data file: with the smart extension, a space after one of
#: these reads back as a non-breaking space ("et al. The" -> "et al.\u00a0The").
PANDOC_ABBREVIATIONS = frozenset(
    "aet. aetat. al. Apr. Aug. bk. Bros. c. Capt. cf. ch. chap. chs. Co. col. Corp. cp. d. "
    "Dec. Dr. e.g. ed. eds. esp. f. fasc. Feb. ff. fig. fl. fol. fols. Fr. Gen. Gov. Hon. i.e. "
    "ill. Inc. incl. Jan. Jr. Jul. Jun. Ltd. M.A. M.D. Mar. Mr. Mrs. Ms. n. n.b. nn. No. Nov. "
    "Oct. p. Ph.D. pp. Pres. Prof. pt. q.v. Rep. Rev. s.v. s.vv. saec. sec. Sen. Sep. Sept. "
    "Sgt. Sr. St. univ. viz. vol. vs.".split()
)
_ABBREVIATION_BEFORE_SPACE = re.compile(
    r"(?<![\w.])("
    + "|".join(re.escape(a[:-1]) for a in sorted(PANDOC_ABBREVIATIONS, key=len, reverse=True))
    + r")\.(?= )"
)


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
    bib_paths: Iterable[Path | str], csl: Path, keys: Sequence[str] | None = None
) -> list[str]:
    """``N. text`` lines for ``keys`` in the given order (all entries, in file order, if None).

    This is what ``caseletter refs`` prints. An unknown key raises ``UnknownCitationKey``
    naming the key and the closest keys of the bibliography.
    """
    bibliography = load_bibliography(bib_paths)
    wanted = list(dict.fromkeys(keys)) if keys else None
    refs = format_references(bibliography.csl_items(wanted), csl)
    return [f"{ref.number}. {ref.text}" for ref in refs]


def pandoc_path() -> str:
    """The pandoc binary that ships inside the pypandoc-binary wheel."""
    try:
        import pypandoc

        return pypandoc.get_pandoc_path()
    except (ImportError, OSError) as exc:
        raise ExportError(
            "pandoc",
            f"the pandoc binary of pypandoc-binary was not found ({exc})",
            "Install it with: pip install 'pypandoc-binary>=1.13'.",
        ) from exc


def _run_citeproc(items: Sequence[dict[str, Any]], keys: list[str], csl: Path) -> dict:
    # Each key is cited in its own paragraph: citeproc numbers by first citation.
    document = "\n\n".join(f"[@{{{key}}}]" for key in keys) + "\n"
    with tempfile.TemporaryDirectory(prefix="caseletter-refs-") as tmp:
        bib = Path(tmp, "items.json")
        bib.write_text(json.dumps(list(items), ensure_ascii=False), encoding="utf-8")
        command = [
            pandoc_path(), "--from=markdown", "--to=json", "--citeproc",
            f"--csl={csl}", f"--bibliography={bib}", "--metadata=lang:en-US",
        ]
        try:
            done = subprocess.run(
                command, input=document, capture_output=True, text=True,
                encoding="utf-8", timeout=PANDOC_TIMEOUT_SECONDS, check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise ExportError("pandoc --citeproc", f"pandoc did not run ({exc})") from exc
    if done.returncode != 0:
        raise ExportError(
            f"pandoc --citeproc with {csl}",
            f"pandoc failed (exit {done.returncode}): {done.stderr.strip()}",
            "Check that the CSL file is valid CSL 1.0 XML.",
        )
    return json.loads(done.stdout)


def _entry_inlines(ast: dict) -> dict[str, list[dict]]:
    """Map each key to the inlines of its bibliography entry (without the number)."""
    found: dict[str, list[dict]] = {}
    for block in _walk_blocks(ast.get("blocks", [])):
        ident, classes = block["c"][0][0], block["c"][0][1]
        if "csl-entry" in classes and ident.startswith("ref-"):
            found[ident[len("ref-"):]] = _strip_number(_block_inlines(block["c"][1]))
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


def _strip_number(inlines: list[dict]) -> list[dict]:
    # Numeric styles put the number in a "csl-left-margin" span; the text is the rest.
    spans = [i for i in inlines if i.get("t") == "Span"]
    right = [s for s in spans if "csl-right-inline" in s["c"][0][1]]
    if right:
        return right[0]["c"][1]
    return [i for i in inlines if not (i.get("t") == "Span" and "csl-left-margin" in i["c"][0][1])]


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
    text = _ABBREVIATION_BEFORE_SPACE.sub(r"\1\\.", text)
    # A line that starts like a list item or heading would not read back as text.
    return re.sub(r"^(\d+)([.)])", r"\1\\\2", text)


def _markdown_inline(inline: dict) -> str:
    kind, content = inline["t"], inline.get("c")
    if kind == "Str":
        return _escape_markdown(content)
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


def _escape_markdown(text: str) -> str:
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    # Smart punctuation would turn -- into a dash and ... into an ellipsis.
    text = re.sub(r"-(?=-)", r"-\\", text)
    return text.replace("...", "..\\.")


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
