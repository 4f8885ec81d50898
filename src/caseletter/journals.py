"""Journal styles: a folder per journal holding its profile (`journal.yaml`) and its CSL file.

The kit ships its styles under ``templates/journals/``; a user can keep their own beside their
cases in a ``journals/`` folder (or point ``CASELETTER_JOURNALS`` at one), and a folder there
wins over a shipped one of the same name. Adding a journal is adding a folder, never code.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from caseletter.errors import UnknownStyle

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def templates_dir() -> Path:
    """Where the nbconvert templates and the shipped journal styles live."""
    return Path(os.environ.get("CASELETTER_TEMPLATES", PROJECT_ROOT / "templates"))


@dataclass(frozen=True)
class Journal:
    """A journal's profile: its name, its CSL style and its limits per article type."""

    key: str
    folder: Path
    name: str
    csl: Path
    article_types: dict[str, dict[str, Any]] = field(default_factory=dict)

    def limits(self, article_type: str) -> dict[str, Any]:
        """The limits of one article type (empty when the profile does not give it)."""
        return dict(self.article_types.get(article_type, {}))


def journal_search_path(case_path: Path | None = None) -> list[Path]:
    """Folders searched for journal styles, the user's own first."""
    folders = []
    if os.environ.get("CASELETTER_JOURNALS"):
        folders.append(Path(os.environ["CASELETTER_JOURNALS"]))
    if case_path is not None:
        folders.append(Path(case_path).resolve().parent / "journals")
    folders.append(templates_dir() / "journals")
    return folders


def available_journals(case_path: Path | None = None) -> list[str]:
    """Names of every journal style found on the search path."""
    names = {p.name for folder in journal_search_path(case_path) if folder.is_dir() for p in folder.iterdir() if (p / "journal.yaml").is_file()}
    return sorted(names)


def load_journal(key: str, case_path: Path | None = None) -> Journal:
    """Find and read a journal style by its folder name.

    Raises:
        UnknownStyle: no folder of that name, listing the styles that exist.
    """
    for folder in journal_search_path(case_path):
        candidate = folder / key
        if (candidate / "journal.yaml").is_file():
            return _read_journal(key, candidate)
    choices = ", ".join(available_journals(case_path)) or "none found"
    raise UnknownStyle(f'journal style "{key}"', "no such style", f"Use one of: {choices}; or add a folder with journal.yaml and style.csl under journals/.")


def _read_journal(key: str, folder: Path) -> Journal:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    profile_path = folder / "journal.yaml"
    try:
        profile = YAML(typ="safe", pure=True).load(profile_path.read_text(encoding="utf-8")) or {}
    except (YAMLError, UnicodeDecodeError) as exc:
        raise UnknownStyle(str(profile_path), f"the profile cannot be read ({exc.__class__.__name__})", "Fix its YAML.") from None
    csl = folder / str(profile.get("csl", "style.csl"))
    if not csl.is_file():
        raise UnknownStyle(str(profile_path), f"its CSL file {csl.name} is missing", "Put the style's .csl file beside journal.yaml.")
    return Journal(key=key, folder=folder, name=str(profile.get("name", key)), csl=csl, article_types=dict(profile.get("article_types", {})))
