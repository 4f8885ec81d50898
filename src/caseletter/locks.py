"""A lock per case, so two builds of the same letter (two terminals, or a class build while the
author rebuilds) never interleave their files in ``build/<case>/``."""

from __future__ import annotations

import contextlib
import fcntl
from collections.abc import Iterator
from pathlib import Path


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
