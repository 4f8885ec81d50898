"""Watching the files a letter is made from, and nothing else.

The folders holding the case file, its figures, its .bib files and its journal style are
watched (not the files themselves): editors often save by writing a new file and renaming it
over the old one, which a watch on the old file would lose. watchfiles gathers a burst of
changes (an editor's several writes, a figure exported in steps) into one batch, and a batch
that touches an input asks for one rebuild. The set of inputs changes as the case does (a
figure added, another journal), so the watch starts again whenever it changes.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Callable
from pathlib import Path

# watchfiles yields a batch once no change has come for STEP_MS, and at the latest after DEBOUNCE_MS.
STEP_MS = 30
DEBOUNCE_MS = 400


def watched_files(inputs: list[Path]) -> frozenset[Path]:
    """The inputs as absolute paths (a file that does not exist yet is watched for its arrival)."""
    return frozenset(Path(os.path.abspath(p)) for p in inputs)


def watched_folders(files: frozenset[Path]) -> list[Path]:
    """The existing folders that hold the inputs."""
    return sorted({f.parent for f in files if f.parent.is_dir()})


def saved_at(paths: list[Path]) -> float:
    """When the earliest of these changed files was written (now, for one that is gone)."""
    times = []
    for path in paths:
        try:
            times.append(path.stat().st_mtime)
        except OSError:
            times.append(time.time())
    return min(times) if times else time.time()


async def watch_inputs(inputs: Callable[[], list[Path]], changed: Callable[[float], None],
                       stop: asyncio.Event) -> None:
    """Call `changed(saved_at)` after each batch of changes to the current inputs, until `stop` is set.

    Args:
        inputs: returns the letter's input files now (they change as the case does).
        changed: told when the earliest changed input was saved.
        stop: set to end the watch.
    """
    from watchfiles import awatch

    while not stop.is_set():
        files = watched_files(inputs())
        folders = watched_folders(files)
        if not folders:  # the case's folder is gone for now (moved, or being replaced)
            await asyncio.sleep(0.5)
            continue
        restart = asyncio.Event()
        relay = asyncio.create_task(_set_when(stop, restart))
        try:
            async for batch in awatch(*folders, stop_event=restart, recursive=False,
                                      step=STEP_MS, debounce=DEBOUNCE_MS, rust_timeout=500, yield_on_timeout=True):
                hits = [Path(path) for _, path in batch if Path(path) in files]
                if hits:
                    changed(saved_at(hits))
                if watched_files(inputs()) != files:
                    break
        except (FileNotFoundError, RuntimeError):  # a watched folder vanished: look again shortly
            await asyncio.sleep(0.5)
        finally:
            relay.cancel()


async def _set_when(source: asyncio.Event, target: asyncio.Event) -> None:
    await source.wait()
    target.set()
