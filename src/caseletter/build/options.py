"""How to build (`BuildOptions`) and what a build made (`BuildResult`)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from caseletter.errors import CaseletterError

FORMATS = ("html", "docx", "pdf")


@dataclass
class BuildOptions:
    """How to build: formats, output folder, journal override, and the user's explicit choices."""

    out_root: Path = Path("build")
    formats: tuple[str, ...] = FORMATS
    journal: str | None = None
    allow_identifiers: bool = False
    force: bool = False
    cell_timeout: float = 300
    notebook: Path | None = None  # a variant of the letter notebook; None for the kit's own
    remember_failures: bool = False  # a class build keeps each failure for its roster (see build.failures)

    def cache_key(self) -> dict[str, Any]:
        """The options that change what a letter looks like (and so its cache entry).

        The journals folder named by ``CASELETTER_JOURNALS`` is one of them: it changes which
        journal style a name finds.
        """
        from caseletter.build.cache import file_hash

        return {
            "formats": list(self.formats), "journal": self.journal,
            "notebook": file_hash(self.notebook) if self.notebook else None,
            "journals": os.environ.get("CASELETTER_JOURNALS"),
        }

    def out_dir(self, case_path: Path) -> Path:
        """The folder one case's letter goes to: the case file's name without its suffix."""
        return self.out_root / case_path.stem


@dataclass
class BuildResult:
    """What a build produced, how long each stage took, and what it noticed."""

    case_path: Path
    out_dir: Path
    status: str = "built"  # built | unchanged
    files: dict[str, Path] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    log: list[str] = field(default_factory=list)
    words: int | None = None
    references: int | None = None
    findings: dict[str, int] = field(default_factory=dict)
    inputs: list[Path] = field(default_factory=list)  # the files the letter was made from
    journal: str = ""  # the journal style the letter was built for
    report: Any = None  # the check's report, once the check has run


def check_formats(formats: tuple[str, ...]) -> None:
    """Refuse an unknown output format, listing the known ones."""
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise CaseletterError(
            "--to", f"unknown format {', '.join(unknown) or '(none given)'}", f"Choose from {', '.join(FORMATS)}."
        )
