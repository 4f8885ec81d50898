"""What a build writes names nothing of the machine: no absolute path, user name or build time.

A letter's folder is shared (sent to a supervisor, handed in, put in a repository), so the files
beside the letter point at the case and its files relative to that folder, the way the case
points at its figures, and the executed notebook keeps its computations but not the clock
papermill and the kernel stamped on every cell.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

#: Timing stamps papermill and nbclient add to the notebook and each cell.
_CLOCK_KEYS = ("start_time", "end_time", "duration")
_PAPERMILL_PATHS = ("input_path", "output_path", "environment_variables")


def relative_to(path: Path, out_dir: Path) -> str:
    """A path relative to the letter's folder."""
    return os.path.relpath(os.path.abspath(path), os.path.abspath(out_dir))


def without_machine_paths(text: str, out_dir: Path, case_path: Path) -> str:
    """`text` with absolute paths that lead into the case's project written relative to `out_dir`.

    The longest known folder comes first: the case's own folder, the working folder, then the
    home folder, which is written ``~`` (a path elsewhere under it would name the user).
    """
    folders = {
        os.path.abspath(case_path.parent): relative_to(case_path.parent, out_dir),
        os.getcwd(): relative_to(Path.cwd(), out_dir),
        os.path.expanduser("~"): "~",
    }
    for folder in sorted((f for f in folders if f not in ("", os.sep)), key=len, reverse=True):
        text = re.sub(re.escape(folder) + r"(?=[/\"'\s,)<]|$)", lambda _m, f=folder: folders[f], text)
    return text


def publishable_notebook(nb: Any, out_dir: Path, case_path: Path) -> Any:
    """The executed notebook without clock stamps, naming its case relative to the letter's folder."""
    shown = relative_to(case_path, out_dir)
    papermill = nb.metadata.get("papermill", {})
    for key in (*_CLOCK_KEYS, *_PAPERMILL_PATHS):
        papermill.pop(key, None)
    if "case_path" in papermill.get("parameters", {}):
        papermill["parameters"]["case_path"] = shown
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        for key in _CLOCK_KEYS:
            cell.metadata.get("papermill", {}).pop(key, None)
        if "injected-parameters" in cell.metadata.get("tags", []):
            line = f"case_path = {json.dumps(shown)}"
            cell.source = re.sub(r"^case_path = .*$", lambda _m: line, cell.source, flags=re.MULTILINE)
    return nb
