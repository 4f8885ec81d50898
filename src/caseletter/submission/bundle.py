"""The submission's folder and zip, put in place whole, with a manifest of what they hold.

Every file is first written to a private folder beside ``build/<case>/submission/``; only when
all of them exist does the folder replace the previous one (and the zip the previous zip), so an
interrupted pack leaves the last good submission as it was. The manifest lists each file with
its size and SHA-256, so an editor's system, or the author a week later, can tell that the zip
holds exactly what was packed.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from caseletter.errors import ExportError

MANIFEST = "manifest.json"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the zip's entries carry no date of packing


def sha256(path: Path) -> str:
    """A file's SHA-256, hex."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_manifest(folder: Path, about: dict[str, Any]) -> Path:
    """``manifest.json``: what was packed (`about`) and every file of the folder with its size and SHA-256."""
    files = [
        {"name": p.name, "bytes": p.stat().st_size, "sha256": sha256(p)}
        for p in sorted(folder.iterdir()) if p.is_file() and p.name != MANIFEST
    ]
    path = folder / MANIFEST
    path.write_text(json.dumps({**about, "files": files}, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def write_zip(folder: Path, target: Path) -> None:
    """Zip every file of the folder (manifest included) under a folder of the zip's own name."""
    root = target.stem
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(p for p in folder.iterdir() if p.is_file()):
            info = zipfile.ZipInfo(f"{root}/{path.name}", date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, path.read_bytes())


@contextlib.contextmanager
def staged_submission(out_dir: Path) -> Iterator[Path]:
    """A private folder beside the case's output folder for one pack's files, removed whatever happens."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        staging = tempfile.TemporaryDirectory(prefix=".submission-", dir=out_dir)
    except OSError as exc:
        raise ExportError(
            str(out_dir), f"the submission cannot be written there ({exc.strerror})",
            "Check the folder's permissions and the free disk space, or choose another --out.",
        ) from None
    with staging as tmp:
        folder = Path(tmp) / "submission"
        folder.mkdir()
        yield folder


def put_in_place(staged: Path, out_dir: Path, zip_name: str) -> tuple[Path, Path]:
    """Zip the staged folder, then move both into ``out_dir``, each replacing the previous one whole."""
    zip_staged = staged.parent / zip_name
    write_zip(staged, zip_staged)
    final, old = out_dir / "submission", staged.parent / "previous"
    if final.exists():
        os.replace(final, old)  # the old folder leaves in one step, and goes with the staging folder
    os.replace(staged, final)
    os.replace(zip_staged, out_dir / zip_name)
    shutil.rmtree(old, ignore_errors=True)
    return final, out_dir / zip_name
