"""Where the kit's own files are, and where a case's shared files are found.

Kept free of heavy imports: the "nothing changed" check of an incremental build uses it before
anything else is loaded.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
BIB_SEARCH_DEPTH = 4


def templates_dir() -> Path:
    """Where the nbconvert templates and the shipped journal styles live."""
    return Path(os.environ.get("CASELETTER_TEMPLATES", PROJECT_ROOT / "templates"))


def find_project_bib(case_path: Path | str) -> Path | None:
    """references.bib beside the case file or in one of the few folders above it."""
    folder = Path(case_path).resolve().parent
    for candidate in [folder, *list(folder.parents)[:BIB_SEARCH_DEPTH]]:
        if (candidate / "references.bib").is_file():
            return candidate / "references.bib"
    return None
