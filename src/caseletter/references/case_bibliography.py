"""A case's bibliography: the shared references.bib found above the case, then the case's own .bib files."""

from __future__ import annotations

import functools
from pathlib import Path

from caseletter.case.source import CaseSource
from caseletter.errors import BibliographyError
from caseletter.paths import find_project_bib
from caseletter.references.bibliography import Bibliography, load_bibliography


def case_bib_files(source: CaseSource) -> list[Path]:
    """The .bib files a case reads, shared first; a case's own must lie inside its folder.

    Raises:
        BibliographyError: a case's own .bib path leads outside its folder or does not exist.
    """
    shared = [p for p in [find_project_bib(source.path)] if p]
    own = [
        source.resolve(relative, f"bibliography[{i}]", BibliographyError, ".bib file")
        for i, relative in enumerate(source.case.bibliography)
    ]
    return shared + own


@functools.lru_cache(maxsize=8)
def load_case_bibliography(source: CaseSource, strict: bool = True) -> Bibliography:
    """Every entry the case can cite (see `load_bibliography` for `strict`).

    Kept for the few most recent sources: the citation and identifier checks of one case read
    the same files, and a source is never changed after it is read.
    """
    return load_bibliography(case_bib_files(source), strict=strict)
