"""One finding of the check: a severity, a place in the case file, what is wrong and what to do.

Severity says what a finding does to a build. An *error* blocks it (an identifier in the
text, a citation key no .bib holds, a case the letter cannot be built from); a *warning* is
printed but does not block (a limit exceeded, a CARE item missing, a reference the style
cannot print in full, a dose far from every cited dose); a *note* is for the author's eye
(a CARE item only partly covered, a .bib entry never cited).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ERROR, WARNING, NOTE = "error", "warning", "note"
SEVERITIES = (ERROR, WARNING, NOTE)


@dataclass(frozen=True)
class Finding:
    """One thing the check found: where (field and span), what, and what to do instead.

    ``kind`` is one of identifier, citation, care, limit, dosing, journal, figure, case; ``detail``
    narrows it (the identifier type, the citation problem, the CARE item, the limit's name).
    ``field`` is the case file's field path, or ``file, line N, entry KEY`` for a .bib entry;
    ``text``, ``start`` and ``end`` locate the offending text inside that field.
    """

    severity: str
    kind: str
    field: str
    message: str
    suggestion: str
    text: str = ""
    start: int | None = None
    end: int | None = None
    detail: str = ""
    line: int | None = None


def short_path(path: Path) -> str:
    """A file's path relative to the working folder when it lies inside it (shorter to read)."""
    try:
        return str(Path(os.path.relpath(path)) if Path(path).resolve().is_relative_to(Path.cwd()) else path)
    except ValueError:
        return str(path)


def entry_where(entry: Any) -> str:
    """``file, line N, entry KEY``: where a finding about a .bib entry points."""
    return f"{short_path(entry.source)}, line {entry.line}, entry {entry.key}"
