"""Putting a build's files in place: all or nothing, one writer at a time, failures kept apart.

Every file of a build is written to a private staging folder beside the case's output folder
and moved in whole, under a per-case lock, so a failed, interrupted or concurrent build leaves
the previous letter as it was and never a half-written one. A failed build's executed notebook
goes to ``failed/`` inside the case's folder, for the author to see where it stopped; it never
takes the place of the last good letter.
"""

from __future__ import annotations

import contextlib
import fcntl
import glob
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from caseletter.build.cache import MANIFEST
from caseletter.build.options import FORMATS
from caseletter.errors import ExportError

BUILD_LOG = "build.log"
FAILED = "failed"


@contextlib.contextmanager
def case_lock(out_dir: Path) -> Iterator[None]:
    """Hold an exclusive lock on the case's output folder while the block runs.

    The lock is an advisory ``flock`` on a small file beside the folder; the operating system
    releases it if the process dies, so a killed build never leaves a stale lock behind.
    """
    lock_path = out_dir.parent / f".{out_dir.name}.lock"
    with open(lock_path, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def prepare_out_root(out_root: Path) -> None:
    """Make the output folder, or say in one message why it cannot be made."""
    try:
        out_root.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise ExportError(
            str(out_root), "is a file, not a folder", "Give --out a folder (it is made if missing)."
        ) from None
    except OSError as exc:
        raise ExportError(
            str(out_root), f"the output folder cannot be made ({exc.strerror})",
            "Check its permissions, or choose another --out.",
        ) from None


@contextlib.contextmanager
def staging_folder(out_dir: Path) -> Iterator[Path]:
    """A private folder beside `out_dir` for one build's files, removed whatever happens.

    Its name holds this process's id, so the next build can tell a folder left by a build that
    was killed (its process is gone) from one of a build still running, and remove the first.
    """
    prefix = f".{out_dir.name}-"
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        remove_abandoned(out_dir.parent, prefix)
        folder = tempfile.TemporaryDirectory(prefix=f"{prefix}{os.getpid()}-", dir=out_dir.parent)
    except OSError as exc:
        raise ExportError(
            str(out_dir.parent), f"the output folder cannot be written ({exc.strerror})",
            "Check its permissions and the free disk space, or choose another --out.",
        ) from None
    with folder as tmp:
        yield Path(tmp)


def remove_abandoned(folder: Path, prefix: str) -> None:
    """Remove staging folders of this case whose build's process no longer runs."""
    for path in folder.glob(f"{glob.escape(prefix)}*"):
        pid = path.name[len(prefix):].split("-", 1)[0]
        if path.is_dir() and pid.isdigit() and not process_alive(int(pid)):
            shutil.rmtree(path, ignore_errors=True)


def process_alive(pid: int) -> bool:
    """True while a process of that id runs (or belongs to someone else)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def write_file(target: Path, data: str | bytes) -> None:
    """Write one file of the build (in the staging folder), naming it if the disk refuses."""
    try:
        target.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    except OSError as exc:
        raise ExportError(f"writing {target.name}", f"the file could not be written ({exc.strerror})",
                          "Check the free disk space and the output folder's permissions.") from None


def publish(staging: Path, out_dir: Path, formats: tuple[str, ...] = ()) -> dict[str, Path]:
    """Move every finished file into the case's folder, each replaced whole, under a lock.

    The old manifest goes first and the new one moves last, so an interrupted move leaves a
    folder that the next build rebuilds rather than trusts. Letters in formats this build did
    not make are removed, so what the folder holds is one build's letter; an earlier failure's
    notebook goes, since this build is good.

    Returns:
        The letter's files by format.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    produced = sorted((p for p in staging.iterdir() if p.is_file()), key=lambda p: p.name == MANIFEST)
    files = {}
    with case_lock(out_dir):
        (out_dir / MANIFEST).unlink(missing_ok=True)
        for stale in (out_dir / f"letter.{fmt}" for fmt in FORMATS if fmt not in formats):
            stale.unlink(missing_ok=True)
        for path in produced:
            final = out_dir / path.name
            os.replace(path, final)
            if path.name.startswith("letter."):
                files[path.suffix.lstrip(".")] = final
        shutil.rmtree(out_dir / FAILED, ignore_errors=True)
    return files


def log_failure(out_dir: Path, case_path: Path, message: str) -> None:
    """Say in the case's build.log that this build failed and the previous letter was kept.

    The line names the case relative to the log, and carries no time: the log is shared with
    the letter.
    """
    kept = ("Nothing from this build was published: a letter already here is from the last good build "
            "and none of its files was changed.")
    shown = os.path.relpath(os.path.abspath(case_path), os.path.abspath(out_dir))
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        with open(out_dir / BUILD_LOG, "a", encoding="utf-8") as log:
            log.write(f"FAILED {shown}: {message} {kept}\n")
    except OSError:  # a full disk may refuse even this line; the message still reaches the user
        pass


def keep_failed_notebook(out_dir: Path, notebook: Any) -> Path | None:
    """Write a failed build's executed notebook to ``failed/letter.ipynb``, whole or not at all.

    Returns None when the disk refuses it: the failure itself is still reported.
    """
    import nbformat

    try:
        return write_whole(out_dir / FAILED, "letter.ipynb", nbformat.writes(notebook))
    except (OSError, ValueError):
        return None


def write_whole(folder: Path, name: str, text: str) -> Path:
    """Write ``folder/name`` whole or not at all (a temporary file, then a rename), readable like the letters.

    Raises:
        OSError: the folder or the file cannot be written; nothing is left half-written.
    """
    folder.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{name}-")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        os.chmod(temporary, 0o666 & ~current_umask())
        os.replace(temporary, folder / name)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    return folder / name


def current_umask() -> int:
    """The process's file-creation mask (read by setting it and putting it back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
