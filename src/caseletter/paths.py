"""Where the kit's own files are, where a case's shared files are found, and the case-folder guard.

Kept free of heavy imports: the "nothing changed" check of an incremental build uses it before
anything else is loaded.
"""

from __future__ import annotations

import os
from pathlib import Path

from caseletter.errors import CaseletterError, cut

PROJECT_ROOT = Path(__file__).resolve().parents[2]
# An installed wheel carries the kit's files here; a checkout has them at the top of the repository.
PACKAGED = Path(__file__).resolve().parent / "kit"
BIB_SEARCH_DEPTH = 4


def kit_files() -> Path:
    """The folder holding the kit's notebooks and templates: the wheel's copy, else the repository."""
    return PACKAGED if PACKAGED.is_dir() else PROJECT_ROOT


def example_folder() -> Path:
    """The folder holding the example's ``cases/`` and its ``references.bib``."""
    return PACKAGED / "example" if PACKAGED.is_dir() else PROJECT_ROOT


def templates_dir() -> Path:
    """Where the nbconvert templates and the shipped journal styles live."""
    return Path(os.environ.get("CASELETTER_TEMPLATES", kit_files() / "templates"))


def notebooks_dir() -> Path:
    """Where the letter notebook and the lesson notebooks (solutions inline) live."""
    return kit_files() / "notebooks"


def example_case() -> Path:
    """The shipped example case file."""
    return example_folder() / "cases" / "sts-calcinosis.yaml"


def find_project_bib(case_path: Path | str) -> Path | None:
    """references.bib beside the case file or in one of the few folders above it."""
    folder = Path(case_path).resolve().parent
    for candidate in [folder, *list(folder.parents)[:BIB_SEARCH_DEPTH]]:
        if (candidate / "references.bib").is_file():
            return candidate / "references.bib"
    return None


def shown_path(relative: str) -> str:
    """A path as a message quotes it: as typed when plain, else escaped (NUL, bidi marks) and cut to 80."""
    if is_plain(relative):
        return f'"{relative}"'
    return repr(cut(relative, 80))


def is_plain(text: str) -> bool:
    """True for text a message can quote as it is: printable and short."""
    return text.isprintable() and len(text) <= 80


def resolve_inside(base: Path, relative: str, where: str, error: type[CaseletterError], what: str = "file") -> Path:
    """Resolve a path a case file names, refusing one that leads outside the case's folder.

    A symbolic link is followed before the check, so one inside the folder that points out of
    it is refused too. Figures and a case's own .bib files share this guard; `error` is the
    class the caller reports with, `what` names the file in the message ("image file").

    Raises:
        error: an absolute path, a name the file system refuses, a path that leads outside
            `base`, or a file that does not exist.
    """
    candidate = Path(relative)
    if candidate.is_absolute():
        raise error(
            where,
            f"{shown_path(relative)} is an absolute path",
            f"Give the path relative to the case file's folder and keep the {what} inside it.",
        )
    try:
        resolved = (base / candidate).resolve()
        inside, exists = resolved.is_relative_to(base), resolved.is_file()
    except (OSError, ValueError) as exc:  # a NUL byte, a name too long for the file system
        raise error(
            where,
            f"{shown_path(relative)} cannot be a file name ({exc.__class__.__name__}: {cut(str(exc), 60)})",
            f"Give the {what}'s path relative to the case file's folder.",
        ) from None
    if not inside:
        raise error(
            where,
            f"{shown_path(relative)} leads outside the case's folder {base}",
            f"Copy the {what} into the case's folder and point at it there.",
        )
    if not exists:
        shown = base / candidate if is_plain(relative) else f"{shown_path(relative)} in {base}"
        raise error(where, f"the {what} {shown} does not exist", "Check the file name, or put the file there.")
    return resolved
