"""Incremental builds: a content hash of everything a letter is made from.

A letter is rebuilt only when one of its inputs changed: the case file, its figure files, the
.bib files it reads, the templates and journal styles, the letter notebook, the kit's own code,
or the options of the build. The hash is of file contents, never of file times, so a copy or a
checkout that touches every file does not force a rebuild and an edit that keeps the time does
not escape one. A build records the files it read in its manifest, so the next check hashes
exactly those files without reading the case's YAML at all: "nothing changed" answers in a
fraction of a second, for one letter or a class.
"""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path
from typing import Any

from caseletter.paths import PROJECT_ROOT, notebooks_dir, templates_dir

MANIFEST = "build.json"
KIT_SOURCES = Path(__file__).resolve().parents[1]


def inputs_hash(files: list[Path], options: dict[str, Any], known: dict[Path, str] | None = None) -> str:
    """The hash of the input files' contents, the kit and the build options; unreadable files hash as absent.

    Args:
        files: the inputs, the case file first.
        options: the build options that change the letter.
        known: hashes already taken (the case file's, of the very bytes that were checked),
            used instead of reading those files again.
    """
    known = known or {}
    digest = hashlib.sha256()
    digest.update(json.dumps(options, sort_keys=True).encode())
    digest.update(kit_hash().encode())
    for path in files:
        digest.update(str(path).encode())
        digest.update((known.get(path) or file_hash(path)).encode())
    return digest.hexdigest()


@functools.cache
def kit_hash() -> str:
    """One hash for the templates, journal styles, the letter notebook and the kit's code."""
    digest = hashlib.sha256()
    roots = [templates_dir(), notebooks_dir() / "letter.ipynb", KIT_SOURCES]
    for root in roots:
        files = (
            sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
            if root.is_dir()
            else [root]
        )
        for path in files:
            digest.update(str(path.relative_to(PROJECT_ROOT) if path.is_relative_to(PROJECT_ROOT) else path).encode())
            digest.update(file_hash(path).encode())
    return digest.hexdigest()


def file_hash(path: Path) -> str:
    """SHA-256 of a file's bytes, or a marker when it cannot be read."""
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return "missing"


def is_up_to_date(out_dir: Path, case_path: Path, options: dict[str, Any], formats: tuple[str, ...]) -> bool:
    """True when the files the last build in `out_dir` read are unchanged and its letters are there.

    The case file heads the recorded list, so a case that now names other figures or .bib
    files has changed itself and is rebuilt.
    """
    manifest = read_manifest(out_dir)
    files = [Path(f) for f in manifest.get("files", [])]
    if not files or files[0] != Path(case_path):
        return False
    if manifest.get("inputs") != inputs_hash(files, options):
        return False
    return all((out_dir / f"letter.{fmt}").is_file() for fmt in formats)


def read_manifest(out_dir: Path) -> dict[str, Any]:
    """The manifest of the last successful build, or an empty one."""
    try:
        return json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def manifest_text(digest: str, files: list[Path], summary: dict[str, Any]) -> str:
    """What a successful build records beside its letter: the inputs' hash and which files they were."""
    return json.dumps({"inputs": digest, "files": [str(f) for f in files], **summary}, indent=2, sort_keys=True)
