"""A case file read once: its path, its exact text, the parsed YAML and the validated case.

Every stage of a build takes a `CaseSource` instead of a path, so the case is read and checked
once and the letter is written from the very text that was checked: an edit saved while a build
runs cannot slip past the check (the next build sees it). The parsed YAML is kept beside the
model for one reason, the line numbers of findings.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from caseletter.case.loading import decode_case_text, parse_case_yaml, read_case_bytes
from caseletter.case.model import Case
from caseletter.case.validation import line_of, parse_field_path, validate_case
from caseletter.errors import CaseletterError
from caseletter.paths import find_project_bib, resolve_inside


@dataclass(frozen=True, eq=False)
class CaseSource:
    """One case file as read: where it is, what it said, and what it means."""

    path: Path
    text: str
    data: Any
    case: Case
    digest: str

    @cached_property
    def folder(self) -> Path:
        """The folder a case's relative paths (figures, its own .bib files) are resolved against."""
        return self.path.resolve().parent

    def where(self, field: str) -> str:
        """``file, field``: the start of a message about one field."""
        return f"{self.path}, {field}"

    def line_of(self, field: str) -> int | None:
        """The line of a field path (``case.outcome``, ``discussion[2]``) in the case file."""
        loc = parse_field_path(field)
        return line_of(self.data, loc) if loc else None

    def resolve(self, relative: str, field: str, error: type[CaseletterError], what: str) -> Path:
        """A path the case names, inside the case's folder (see `paths.resolve_inside`)."""
        return resolve_inside(self.folder, relative, self.where(field), error, what)

    def named_files(self) -> list[Path]:
        """The figure and .bib files the case names, and the shared references.bib, unresolved.

        These are the inputs of a build besides the case file itself; a path that leads
        nowhere is listed all the same, so that its appearing later changes the build's hash.
        """
        figures = [f for fig in self.case.figures for f in [fig.file, *(p.file for p in fig.panels)] if f]
        files = [self.folder / f for f in figures] + [self.folder / b for b in self.case.bibliography]
        project_bib = find_project_bib(self.path)
        return files + ([project_bib] if project_bib else [])


@dataclass(frozen=True)
class CaseText:
    """A case file's path and text, read but not yet parsed: all a kernel needs to write the letter."""

    path: Path
    text: str


def read_case_text(path: Path) -> CaseText:
    """Read a case file's text (refusing what is not a readable UTF-8 file of sensible size).

    Raises:
        CaseFileError: the file is missing, too large, or not UTF-8 text.
    """
    return CaseText(path, decode_case_text(read_case_bytes(path), path))


def read_case_source(path: Path | str, text: str | None = None) -> CaseSource:
    """Read, parse and validate one case file.

    Args:
        path: the YAML case file.
        text: the file's text when it was already read (the build hands the notebook's kernel
            the text it checked); None reads the file.

    Raises:
        CaseFileError: the file is missing or unreadable; BadYAML with line and column;
            SchemaViolation with the field's path, its line and what is expected.
    """
    path = Path(path)
    if text is None:
        raw = read_case_bytes(path)
        text = decode_case_text(raw, path)
    else:
        raw = text.encode("utf-8")
    data = parse_case_yaml(text, path)
    return CaseSource(path, text, data, validate_case(data, path), hashlib.sha256(raw).hexdigest())


def load_case(path: Path | str) -> Case:
    """Read and validate one case file (the model alone, for scripts and the tutorial)."""
    return read_case_source(path).case
