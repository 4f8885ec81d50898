"""Incremental builds: a content hash of everything a letter is made from.

A letter is rebuilt only when one of its inputs changed: the case file, its figure files, the
.bib files it reads, the templates and journal styles, the letter notebook, the kit's own code,
or the options of the build. The hash is of file contents, never of file times, so a copy or a
checkout that touches every file does not force a rebuild and an edit that keeps the time does
not escape one. A build records the files it read in its manifest, so the next check hashes
exactly those files without reading the case's YAML at all: "nothing changed" answers in a
fraction of a second, for one letter or a class. It also records where it looked things up (the
references.bib found above the case, the journal style's folder), so that a new file that
would now be found first means a rebuild too. Paths in the manifest are relative to the
letter's folder: it names nothing of the machine, and a project moved whole stays cached.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from caseletter.paths import PROJECT_ROOT, find_project_bib, notebooks_dir, templates_dir

MANIFEST = "build.json"
KIT_SOURCES = Path(__file__).resolve().parents[1]


def inputs_hash(out_dir: Path, names: list[str], options: dict[str, Any], known: dict[str, str] | None = None) -> str:
    """The hash of the input files' contents, the kit and the build options; unreadable files hash as absent.

    Args:
        out_dir: the letter's folder, which the names are relative to.
        names: the inputs' paths relative to `out_dir`, the case file first.
        options: the build options that change the letter, and where things were looked up.
        known: hashes already taken (the case file's, of the very bytes that were checked),
            by name, used instead of reading those files again.
    """
    known = known or {}
    digest = hashlib.sha256()
    digest.update(json.dumps(options, sort_keys=True).encode())
    digest.update(kit_hash().encode())
    for name in names:
        digest.update(name.encode())
        digest.update((known.get(name) or file_hash(from_output(out_dir, name))).encode())
    return digest.hexdigest()


def from_output(out_dir: Path, name: str) -> Path:
    """The file a name relative to the letter's folder points at, whether that folder exists yet or not."""
    return Path(os.path.normpath(os.path.join(os.path.abspath(out_dir), name)))


def relative_names(files: list[Path], out_dir: Path) -> list[str]:
    """Each file's path relative to the letter's folder."""
    base = Path(os.path.abspath(out_dir))
    return [os.path.relpath(os.path.abspath(f), base) for f in files]


def lookups(case_path: Path, journal: str, out_dir: Path) -> dict[str, str | None]:
    """Where the build found the shared references.bib and the journal style, relative to `out_dir`.

    Recomputed by every "nothing changed" check: a references.bib put closer to the case, or a
    journals/ folder that now wins, changes the answer and so the hash.
    """
    from caseletter.journals import journal_folder

    found = {"references.bib": find_project_bib(case_path), "journal": journal_folder(journal, case_path)}
    return {key: (relative_names([path], out_dir)[0] if path else None) for key, path in found.items()}


def letter_inputs(source: Any, journal: str) -> list[Path]:
    """Every file a letter is made from: the case file, its figures and .bib files, the journal style."""
    from caseletter.journals import journal_files

    return [source.path, *source.named_files(), *journal_files(journal, source.path)]


@functools.cache
def kit_hash() -> str:
    """One hash for the templates, journal styles, the letter notebook and the kit's code."""
    digest = hashlib.sha256()
    notebooks = [notebooks_dir() / f"{name}.ipynb" for name in ("letter", "case_report", "images")]
    roots = [templates_dir(), *notebooks, KIT_SOURCES]
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
    names = manifest.get("files", [])
    if not names or names[0] != relative_names([case_path], out_dir)[0]:
        return False
    found = lookups(case_path, str(manifest.get("journal", "")), out_dir)
    if manifest.get("inputs") != inputs_hash(out_dir, names, {**options, "lookups": found}):
        return False
    return all((out_dir / f"letter.{fmt}").is_file() for fmt in formats)


def read_manifest(out_dir: Path) -> dict[str, Any]:
    """The manifest of the last successful build, or an empty one."""
    try:
        return json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def manifest_text(digest: str, names: list[str], summary: dict[str, Any]) -> str:
    """What a successful build records beside its letter: the inputs' hash and which files they were."""
    return json.dumps({"inputs": digest, "files": names, **summary}, indent=2, sort_keys=True)
