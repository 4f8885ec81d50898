"""How to build (`BuildOptions`) and what a build made (`BuildResult`)."""

from __future__ import annotations

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

    def cache_key(self) -> dict[str, Any]:
        """The options that change what a letter looks like (and so its cache entry)."""
        from caseletter.build.cache import file_hash

        return {
            "formats": list(self.formats), "journal": self.journal,
            "notebook": file_hash(self.notebook) if self.notebook else None,
        }


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


def check_formats(formats: tuple[str, ...]) -> None:
    """Refuse an unknown output format, listing the known ones."""
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise CaseletterError(
            "--to", f"unknown format {', '.join(unknown) or '(none given)'}", f"Choose from {', '.join(FORMATS)}."
        )
