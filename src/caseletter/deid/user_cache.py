"""The user's cache folder, where what is slow to build or read is kept as JSON between runs.

Word lists (``deid.word_lists``) and what images show (``deid.image_content``) are kept here. A
file is written whole (a temporary file, then a rename), so a killed run never leaves half a
list; a home that cannot be written only costs speed.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any


def cache_folder(*parts: str) -> Path:
    """``$XDG_CACHE_HOME/caseletter/...`` (``~/.cache`` when the variable is unset)."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache", "caseletter", *parts)


def read_json(path: Path) -> Any | None:
    """The file's JSON value, or None when it is missing or unreadable."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_json(path: Path, value: Any) -> bool:
    """Write the value whole; False when the folder cannot be written."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, path)
    except OSError:
        return False
    return True
