"""One bibliography from several .bib files: entries by key, every fault kept, CSL-JSON out.

A case's letter cites from the shared ``references.bib`` and the case's own .bib files. They are
read in that order into one `Bibliography`; a key defined twice, an entry that cannot be read, a
field that swallowed the next one, all become `BibliographyError`s in ``problems``, so the check
can name each of them in one run, while the letter (``strict``) stops at the first.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from caseletter.errors import BibliographyError, UnknownCitationKey
from caseletter.references.bibtex import BibEntry, parse_bib_file, read_reference_text, shorten
from caseletter.references.csljson import build_csl_item


class Bibliography(Mapping[str, BibEntry]):
    """The entries of one or more .bib files, by key, in file order."""

    def __init__(
        self, entries: Mapping[str, BibEntry], sources: Iterable[Path], problems: Iterable[BibliographyError] = ()
    ) -> None:
        self._entries = dict(entries)
        self.sources = tuple(sources)
        self.problems = tuple(problems)

    def __getitem__(self, key: str) -> BibEntry:
        return self._entries[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def closest_keys(self, key: str, n: int = 3) -> list[str]:
        """Keys that look like ``key``, best first, for a "did you mean" hint."""
        by_lower = {k.lower(): k for k in self._entries}
        found = difflib.get_close_matches(key.lower(), list(by_lower), n=n, cutoff=0.6)
        return [by_lower[k] for k in found]

    def require(self, key: str, where: str = "") -> BibEntry:
        """Return the entry for ``key`` or raise ``UnknownCitationKey`` with suggestions."""
        if key in self._entries:
            return self._entries[key]
        near = self.closest_keys(key)
        hint = f"Did you mean {', '.join(near)}?" if near else "Check the spelling of the key."
        files = ", ".join(str(p) for p in self.sources) or "no .bib file"
        raise UnknownCitationKey(
            where or f"citation key {key!r}",
            f"no entry with key {key!r} in {files}",
            f"{hint} Or add the entry to the .bib file.",
        )

    def csl_items(self, keys: Iterable[str] | None = None) -> list[dict[str, Any]]:
        """CSL-JSON items for ``keys`` (all entries in file order when None)."""
        wanted = list(self._entries) if keys is None else list(keys)
        return [self._csl_item(self.require(key)) for key in wanted]

    @staticmethod
    def _csl_item(entry: BibEntry) -> dict[str, Any]:
        try:
            return build_csl_item(entry.key, entry.entry_type, entry.fields)
        except (ValueError, TypeError) as exc:
            raise BibliographyError(entry.where, shorten(str(exc), 300), "Correct the field.") from exc


def load_bibliography(paths: Iterable[Path | str], strict: bool = True) -> Bibliography:
    """Parse ``paths`` in order into one Bibliography.

    A case may bring its own .bib beside the shared ``references.bib``; a key defined in
    two places is a problem naming both, because which one wins would be a silent guess.

    Args:
        paths: the .bib files, shared first.
        strict: raise the first problem (saying how many more there are), as a letter needs
            every entry it cites; False keeps the problems in ``Bibliography.problems`` and
            the entries that could be read, as the check reports every fault at once.

    Raises:
        BibliographyError: with ``strict``, the first fault of any file.
    """
    entries: dict[str, BibEntry] = {}
    problems: list[BibliographyError] = []
    sources = [Path(p) for p in paths]
    for path in sources:
        found, faults = parse_reference_file(path)
        problems += faults
        for entry in found:
            if entry.key in entries:
                problems.append(_duplicate_error(entry, entries[entry.key]))
            else:
                entries[entry.key] = entry
    if strict and problems:
        raise _first_of(problems)
    return Bibliography(entries, sources, problems)


def parse_reference_file(path: Path) -> tuple[list[BibEntry], list[BibliographyError]]:
    """The entries of one reference file, whatever reference manager wrote it (by its suffix).

    ``.json`` is CSL-JSON, ``.ris`` RIS, ``.nbib`` (or ``.medline``) PubMed's MEDLINE format, and
    anything else BibTeX.
    """
    from caseletter.references.exports import READERS, too_long_fields

    reader = READERS.get(path.suffix.lower())
    if reader is None:
        return parse_bib_file(path)
    try:
        entries, faults = reader(path, read_reference_text(path))
    except BibliographyError as exc:
        return [], [exc]
    except (ValueError, TypeError, RecursionError, AttributeError, KeyError) as exc:
        return [], [BibliographyError(str(path), f"the file could not be read ({type(exc).__name__})",
                                      "Export the references again from your reference manager.")]
    long = [fault for entry in entries for fault in too_long_fields(entry)]
    kept = [entry for entry in entries if not too_long_fields(entry)]
    return kept, faults + long


def read_bib_file(path: Path) -> list[BibEntry]:
    """Parse one .bib file into entries, raising its first fault (and how many more there are)."""
    entries, problems = parse_bib_file(path)
    if problems:
        raise _first_of(problems)
    return entries


def _first_of(problems: list[BibliographyError]) -> BibliographyError:
    first = problems[0]
    if len(problems) == 1:
        return first
    more = len(problems) - 1
    todo = (
        f"{first.todo} {more} more problem{'s' if more > 1 else ''} in the .bib files: "
        "`caseletter check` lists them all."
    )
    return BibliographyError(first.where, first.why, todo.strip())


def _duplicate_error(entry: BibEntry, first: BibEntry) -> BibliographyError:
    return BibliographyError(
        entry.where,
        f"the key {entry.key!r} is already defined in {first.source}, line {first.line}",
        "Keys must be unique across the shared references.bib and the case's own .bib: "
        "rename one of them or delete the copy.",
    )
