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

from caseletter.locations import PROJECT_ROOT, find_project_bib, templates_dir

MANIFEST = "build.json"
KIT_SOURCES = Path(__file__).resolve().parent


def inputs_hash(files: list[Path], options: dict[str, Any]) -> str:
    """The hash of the input files' contents, the kit and the build options; unreadable files hash as absent."""
    digest = hashlib.sha256()
    digest.update(json.dumps(options, sort_keys=True).encode())
    digest.update(kit_hash().encode())
    for path in files:
        digest.update(str(path).encode())
        digest.update(file_hash(path).encode())
    return digest.hexdigest()


def case_input_files(case_path: Path) -> list[Path]:
    """The case file, the figure files and the .bib files it names (as far as its YAML can be read)."""
    case_path = Path(case_path)
    files = [case_path]
    data = _plain_yaml(case_path)
    base = case_path.resolve().parent
    for fig in _as_list(data.get("figures")):
        if isinstance(fig, dict):
            files += [base / str(f) for f in [fig.get("file"), *[p.get("file") for p in _as_list(fig.get("panels")) if isinstance(p, dict)]] if f]
    files += [base / str(b) for b in _as_list(data.get("bibliography"))]
    project_bib = find_project_bib(case_path)
    return files + ([project_bib] if project_bib else [])


@functools.cache
def kit_hash() -> str:
    """One hash for the templates, journal styles, the letter notebook and the kit's code."""
    digest = hashlib.sha256()
    roots = [templates_dir(), PROJECT_ROOT / "notebooks" / "letter.ipynb", KIT_SOURCES]
    for root in roots:
        files = sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts) if root.is_dir() else [root]
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


def _plain_yaml(path: Path) -> dict[str, Any]:
    """The case file's data with the loader's guards, or nothing when it cannot be read."""
    from caseletter.casefile import parse_case_yaml, read_case_text
    from caseletter.errors import CaseletterError

    try:
        return parse_case_yaml(read_case_text(path), path)
    except CaseletterError:
        return {}


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []
