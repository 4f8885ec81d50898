"""A workspace of one's own: ``caseletter init FOLDER`` lays out a folder every command works from.

The folder gets ``cases/``, ``references.bib``, ``journals/`` (for the user's own styles), a short
README with the commands that matter, and a ``.gitignore`` for ``build/``. Commands run there find
the cases, the .bib file and the journal styles in the workspace (``references.bib`` and
``journals/`` are looked for beside a case and in the folders above it), never in the kit's install
folder. With ``--example`` the kit's example case, its figures and its references come too, so the
first build can happen before the first case is written.

Nothing that exists is overwritten: each file is created in exclusive mode, and an existing one is
reported as kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from caseletter.errors import CaseletterError
from caseletter.paths import example_folder, templates_dir

# Template files and where they go in the workspace (git would treat a file named .gitignore in
# the kit's templates as its own, so it is kept there without the dot).
WORKSPACE_FILES = {
    "README.md": "README.md", "gitignore": ".gitignore", "references.bib": "references.bib",
    "journals/README.md": "journals/README.md",
}


@dataclass
class Workspace:
    """What ``init`` did: the files and folders it created, and those it found and kept."""

    folder: Path
    created: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)


def init_workspace(folder: Path, example: bool = False) -> Workspace:
    """Lay out a workspace in `folder` (made if missing), keeping whatever is already there.

    Raises:
        CaseletterError: `folder` is a file, or a file cannot be written there.
    """
    workspace = Workspace(Path(folder))
    make_folder(workspace, workspace.folder)
    make_folder(workspace, workspace.folder / "cases")
    make_folder(workspace, workspace.folder / "journals")
    source = templates_dir() / "workspace"
    for template, target in WORKSPACE_FILES.items():
        text = (source / template).read_text(encoding="utf-8")
        if example and target == "references.bib":
            text = (example_folder() / "references.bib").read_text(encoding="utf-8")
        write_new(workspace, workspace.folder / target, text.encode("utf-8"))
    if example:
        copy_example(workspace)
    return workspace


def copy_example(workspace: Workspace) -> None:
    """The example case file and its figures, into the workspace's ``cases/``."""
    cases = example_folder() / "cases"
    for path in sorted(p for p in cases.rglob("*") if p.is_file() and not p.name.startswith(".")):
        target = workspace.folder / "cases" / path.relative_to(cases)
        make_folder(workspace, target.parent)
        write_new(workspace, target, path.read_bytes())


def make_folder(workspace: Workspace, folder: Path) -> None:
    """A folder of the workspace, made (and listed) when missing."""
    if folder.is_dir():
        return
    try:
        folder.mkdir(parents=True)
    except (FileExistsError, NotADirectoryError):
        raise CaseletterError(
            str(folder), "is a file, not a folder", "Give `caseletter init` a new or existing folder."
        ) from None
    except OSError as exc:
        raise CaseletterError(str(folder), f"the folder cannot be made ({exc.strerror})",
                              "Check the permissions of the folder above it.") from None
    workspace.created.append(folder)


def write_new(workspace: Workspace, path: Path, data: bytes) -> None:
    """Write a file that does not exist yet; an existing one is kept and listed as kept."""
    try:
        with path.open("xb") as out:
            out.write(data)
    except FileExistsError:
        workspace.kept.append(path)
        return
    except OSError as exc:
        raise CaseletterError(str(path), f"the file cannot be written ({exc.strerror})",
                              "Check the folder's permissions and free space.") from None
    workspace.created.append(path)
