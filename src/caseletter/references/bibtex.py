"""Reading one .bib file: bibtexparser v2 with the kit's middlewares, faults kept as data.

The stage is a bibtexparser v2 pipeline: split the file, then a stack of middlewares
(lower-case field names, decode LaTeX, separate co-authors, split name parts, months to
numbers). Everything bibtexparser could not parse comes back as data in
``library.failed_blocks``; each is turned into a ``BibliographyError`` that names the file,
the line and the entry key, so a trainee never sees the parser's own traceback. Faults stay
data to the end: a file with three broken entries reports all three in one run
(``Bibliography.problems``), and only a caller that needs a whole bibliography raises.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import bibtexparser
from bibtexparser import middlewares as mw
from bibtexparser.exceptions import BlockAbortedException
from bibtexparser.model import DuplicateBlockKeyBlock, Entry, MiddlewareErrorBlock
from pylatexenc import latex2text
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec

from caseletter.errors import BibliographyError, cut
from caseletter.references.keys import KEY

MAX_BIB_BYTES = 50_000_000
MAX_FIELD_CHARS = 200_000  # a 5,000-author consortium list fits; decoding it takes under a second
#: Fields whose text is an address, not prose: LaTeX decoding would eat ``%`` and ``~``.
VERBATIM_FIELDS = frozenset({"url", "doi", "eprint", "file", "pmid", "pmcid", "isbn", "issn"})

_BARE_AMPERSAND = re.compile(r"(?<!\\)&")
_BRACED_ACCENT = re.compile(
    r"\\([`'^\"~=.])\{(\\?[A-Za-z])\}|\\([uvHckrbd])\{(\\?[A-Za-z])\}"
)
_KEY_IN_RAW = re.compile(r"@\s*\w+\s*[{(]\s*([^,\s{}()]+)\s*,")
_FIELD_SWALLOWED = re.compile(r"\n\s*([A-Za-z][\w-]*)\s*=")
_KNOWN_FIELDS = frozenset(
    "author editor title journal journaltitle booktitle year date month volume number issue "
    "pages eid publisher edition doi url urldate note address institution school".split()
)


@dataclass(frozen=True)
class BibEntry:
    """One parsed entry and where it came from (for messages that point at a line)."""

    key: str
    entry_type: str
    fields: Mapping[str, Any]
    source: Path
    line: int

    @property
    def where(self) -> str:
        """``file, line N, entry key``: the place a person opens to fix the entry."""
        return f"{self.source}, line {self.line}, entry {shorten(self.key)}"


class VerbatimSafeLatexDecoding(mw.LatexDecodingMiddleware):
    r"""LaTeX decoding that leaves URLs and DOIs exactly as written.

    Braced groups are kept so that the CSL-JSON stage can protect ``{DNA}`` from case
    changes; ``\emph``/``\textit`` become ``<i>`` (CSL-JSON's own markup for italics);
    math is decoded to text (``$\alpha$`` becomes the Greek letter).
    """

    def __init__(self) -> None:
        super().__init__(decoder=_build_decoder())

    def transform_entry(self, entry: Entry, library: Any) -> Any:
        """Decode every field except the verbatim ones."""
        kept = [f for f in entry.fields if f.key in VERBATIM_FIELDS]
        entry.fields = [f for f in entry.fields if f.key not in VERBATIM_FIELDS]
        for field in entry.fields:
            if isinstance(field.value, str):
                field.value = _normalize_latex(field.value)
        block = super().transform_entry(entry, library)
        entry.fields = entry.fields + kept
        return block


def _normalize_latex(text: str) -> str:
    r"""Prepare a value for pylatexenc.

    A bare & is a LaTeX alignment tab that decodes to spaces, but "Johnson & Johnson" in a
    .bib file means the ampersand. And pylatexenc, asked to keep braced groups, garbles an
    accent whose letter is braced (``Sch\"{o}n``), so the braces go: ``Sch\"on``.
    """
    text = _BARE_AMPERSAND.sub(r"\\&", text)
    return _BRACED_ACCENT.sub(
        lambda m: f"\\{m[1]}{m[2]}" if m[1] else f"\\{m[3]} {m[4]}", text
    )


def _build_decoder() -> LatexNodes2Text:
    context = latex2text.get_default_latex_context_db()
    context.add_context_category(
        "caseletter",
        prepend=True,
        macros=[
            MacroTextSpec("url", simplify_repl="%s"),
            MacroTextSpec("emph", simplify_repl="<i>%s</i>"),
            MacroTextSpec("textit", simplify_repl="<i>%s</i>"),
            MacroTextSpec("textbf", simplify_repl="<b>%s</b>"),
        ],
    )
    return LatexNodes2Text(
        latex_context=context,
        keep_braced_groups=True,
        keep_braced_groups_minlen=1,  # {T}-cell: one protected capital is still protected
        math_mode="text",
    )


class FieldTooLong(ValueError):
    """A field longer than any real reference needs: LaTeX decoding's time grows with its square."""


class FieldSizeLimit(mw.BlockMiddleware):
    """Refuse an entry with a field over `MAX_FIELD_CHARS` before anything decodes it.

    A title or an author list is a few hundred characters; a megabyte field is a broken brace or
    an attack, and decoding it would take minutes.
    """

    def __init__(self) -> None:
        super().__init__(allow_inplace_modification=True)

    def transform_entry(self, entry: Entry, library: Any) -> Any:
        """The entry as it is, or a failed block naming its longest field."""
        for field in entry.fields:
            if isinstance(field.value, str) and len(field.value) > MAX_FIELD_CHARS:
                name = shorten(repr(field.key))
                error = FieldTooLong(f"the field {name} is longer than {MAX_FIELD_CHARS:,} characters")
                return MiddlewareErrorBlock(block=entry, error=error)
        return entry


def build_parse_stack() -> list[mw.Middleware]:
    """The middlewares appended to bibtexparser's default stack, in the order they run."""
    return [
        FieldSizeLimit(),
        mw.NormalizeFieldKeys(),
        VerbatimSafeLatexDecoding(),
        mw.SeparateCoAuthors(),
        mw.SplitNameParts(),
        mw.MonthIntMiddleware(),
    ]


def parse_bib_file(path: Path) -> tuple[list[BibEntry], list[BibliographyError]]:
    """The entries of one .bib file that can be cited, and every fault found in it, in file order."""
    try:
        library = _parse_text(path, read_reference_text(path))
    except BibliographyError as exc:
        return [], [exc]
    faults = [(block.start_line or 0, _failed_block_error(path, block)) for block in library.failed_blocks]
    entries = []
    for entry in (_to_bib_entry(path, e) for e in library.entries):
        fault = _citable_key_fault(entry) or _swallowed_field_fault(entry)
        if fault:
            fault.entry_key = entry.key
            faults.append((entry.line - 1, fault))
        else:
            entries.append(entry)
    return entries, [fault for _, fault in sorted(faults, key=lambda pair: pair[0])]


def _citable_key_fault(entry: BibEntry) -> BibliographyError | None:
    """A key that pandoc's [@key] syntax cannot cite (one with a space, or ending in '.')."""
    if re.fullmatch(KEY, entry.key):
        return None
    return BibliographyError(
            entry.where,
            f"the key {shorten(repr(entry.key))} cannot be cited as [@key]",
            "A key starts and ends with a letter, digit or _, with no spaces; inside it, "
            ": . # $ % & - + ? < > ~ / are allowed.",
        )


def read_reference_text(path: Path) -> str:
    """A reference file's text, refusing what is too large, missing or not UTF-8."""
    try:
        if path.stat().st_size > MAX_BIB_BYTES:
            raise BibliographyError(
                str(path), f"the file is larger than {MAX_BIB_BYTES // 1_000_000} MB",
                "A .bib file of a few thousand references is a few megabytes; check that this is the right file.",
            )
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise BibliographyError(
            str(path), "the bibliography file does not exist", "Check the path, or create it."
        ) from None
    except UnicodeDecodeError as exc:
        raise BibliographyError(
            f"{path}, byte {exc.start}", "the file is not UTF-8 text", "Save it as UTF-8."
        ) from None
    except OSError as exc:
        raise BibliographyError(str(path), f"cannot be read ({exc.strerror})") from None


@contextmanager
def _quiet_bibtexparser() -> Iterator[None]:
    """Keep bibtexparser's own log lines off the user's terminal; we report instead."""
    logger = logging.getLogger("bibtexparser")
    saved = logger.propagate, logger.handlers[:]
    logger.propagate, logger.handlers = False, [logging.NullHandler()]
    try:
        yield
    finally:
        logger.propagate, logger.handlers = saved


def _parse_text(path: Path, text: str) -> Any:
    try:
        with _quiet_bibtexparser():
            return bibtexparser.parse_string(text, append_middleware=build_parse_stack())
    except Exception as exc:  # the parser's own bugs must not reach the user as tracebacks
        raise BibliographyError(
            str(path),
            f"bibtexparser could not read the file ({type(exc).__name__}: {shorten(str(exc))})",
            "Look for an unbalanced brace or quote near the last entry you edited.",
        ) from exc


def _to_bib_entry(path: Path, entry: Entry) -> BibEntry:
    fields = {f.key: f.value for f in entry.fields}
    line = (entry.start_line or 0) + 1
    return BibEntry(entry.key, entry.entry_type.lower(), fields, path, line)


def _failed_block_error(path: Path, block: Any) -> BibliographyError:
    line = (block.start_line or 0) + 1
    if isinstance(block, DuplicateBlockKeyBlock):
        first = (block.previous_block.start_line or 0) + 1
        return BibliographyError(
            f"{path}, line {line}, entry {shorten(block.key)}",
            f"the key {shorten(repr(block.key))} is already used by the entry on line {first}",
            "Give one of the two entries a different key, or delete the copy.",
        )
    key = _key_from_raw(block.raw or "")
    where = f"{path}, line {line}" + (f", entry {shorten(key)}" if key else "")
    error = BibliographyError(where, _describe_failure(block), _advice_for(block))
    error.entry_key = key
    return error


def _describe_failure(block: Any) -> str:
    error = block.error
    if isinstance(error, BlockAbortedException):
        end = (block.start_line or 0) + 1 + (block.raw or "").rstrip("\n").count("\n")
        return f"the entry is malformed and parsing stopped by line {end} ({error.abort_reason})"
    if isinstance(error, FieldTooLong):
        return str(error)
    if isinstance(block, MiddlewareErrorBlock):
        return f"a field could not be decoded ({shorten(str(error))})"
    return f"the entry is malformed ({shorten(str(error))})"


def shorten(text: str, limit: int = 120) -> str:
    """Text from the .bib file or the parser, cut for a message: a value can be megabytes long."""
    return cut(text, limit)


def _advice_for(block: Any) -> str:
    if isinstance(block.error, FieldTooLong):
        return "A field holds a title, names or a note, a few hundred characters; look for a brace never closed."
    if isinstance(block.error, BlockAbortedException):
        return "Check that every { has its } and that fields are separated by commas."
    return "Correct the entry; LaTeX in fields must be valid (for example {\\'e} for é)."


def _key_from_raw(raw: str) -> str:
    match = _KEY_IN_RAW.search(raw)
    return match.group(1) if match else ""


def _swallowed_field_fault(entry: BibEntry) -> BibliographyError | None:
    """A missing comma, which bibtexparser reads as one long field value."""
    for name, value in entry.fields.items():
        match = _FIELD_SWALLOWED.search(value) if isinstance(value, str) else None
        if match and match.group(1).lower() in _KNOWN_FIELDS:
            return BibliographyError(
                entry.where,
                f"the field {shorten(repr(name))} swallowed the next field {match.group(1)!r}",
                f"Add the missing comma after the value of {name!r}.",
            )
    return None
