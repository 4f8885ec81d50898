"""A case's inputs sent to a cluster worker as bytes, and the folder it built sent back.

A cluster's workers may not see the client's files. The client packs what a letter is made from
(the case file as it was read, its figures and .bib files, the shared references.bib, the
project's own journal styles, a variant notebook), each at its place under one folder that holds
them all and the working folder. A worker lays them out at the same places in a folder of its
own and builds there with the copy of the working folder as its own, so every relative path
(the case as typed, its figures, references.bib found above it, the letter's folder) means what
it meant on the client. The kit's own files (templates, the CSL project's styles) are not sent:
every worker has the kit installed. What the worker built comes back as bytes, and the client
publishes it whole, as a local build does.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from caseletter.build.options import BuildOptions

JOURNALS_VARIABLE = "CASELETTER_JOURNALS"


@dataclass
class CaseBundle:
    """One case's inputs as the client packed them: the part sent, and what the client keeps to publish."""

    case_path: Path  # as typed
    root: Path  # the folder above every file sent and the working folder
    files: dict[str, bytes]  # by path relative to `root`
    links: dict[str, str]  # links that lead out of the case's folder, by path: where they lead
    inputs: list[Path]  # the letter's inputs, as its manifest will name them
    hashes: dict[Path, str]  # of the very bytes sent, by input
    journal: str

    def wire(self, opts: BuildOptions) -> dict[str, Any]:
        """What the worker needs, JSON-safe but for the files' bytes."""
        journals = os.environ.get(JOURNALS_VARIABLE)
        return {
            "case": placed(self.case_path, self.root), "out_root": placed(opts.out_root, self.root),
            "cwd": os.path.relpath(os.getcwd(), self.root), "files": self.files, "links": self.links,
            "notebook": placed(opts.notebook, self.root) if opts.notebook else None,
            "journals": placed(Path(journals), self.root) if journals else None,
            "options": {
                "formats": list(opts.formats), "journal": opts.journal, "allow_identifiers": opts.allow_identifiers,
                "cell_timeout": opts.cell_timeout, "remember_failures": opts.remember_failures,
            },
        }


def pack_case(case_path: Path, opts: BuildOptions) -> CaseBundle:
    """Read the case and every file its letter is made from, with their places.

    Raises:
        CaseFileError: the case file cannot be read (as a local build would say).
    """
    from caseletter.case.source import read_case_text

    text = read_case_text(case_path)
    inputs, journal = inputs_of(text, opts)
    sent = [p for p in dict.fromkeys([*inputs[1:], *project_journal_files(case_path)]) if not is_kit_file(p)]
    sent = [p for p in sent if os.path.lexists(p)] + ([opts.notebook] if opts.notebook else [])
    journals = os.environ.get(JOURNALS_VARIABLE)
    root = common_folder([Path.cwd(), opts.out_root, case_path, *sent, *([Path(journals)] if journals else [])])
    case_bytes = text.text.encode("utf-8")
    bundle = CaseBundle(case_path, root, {relative(case_path, root): case_bytes}, {}, inputs,
                        {case_path: hashlib.sha256(case_bytes).hexdigest()}, journal)
    case_folder = case_path.resolve().parent
    for path in sent:
        add_file(bundle, path, case_folder)
    return bundle


def inputs_of(text: Any, opts: BuildOptions) -> tuple[list[Path], str]:
    """The letter's inputs and journal, listed as the build lists them (`failures.failure_inputs`)."""
    from caseletter.build.cache import letter_inputs
    from caseletter.case.source import read_case_source
    from caseletter.errors import CaseletterError

    try:
        source = read_case_source(text.path, text.text)
    except CaseletterError:  # the worker's check will say why; the case file alone is its input
        return [text.path], opts.journal or ""
    journal = opts.journal or source.case.journal
    return letter_inputs(source, journal), journal


def add_file(bundle: CaseBundle, path: Path, case_folder: Path) -> None:
    """Add one file's bytes; a link out of the case's folder goes as a link, to be refused there as here."""
    name = relative(path, bundle.root)
    if os.path.islink(path) and not path.resolve().is_relative_to(case_folder):
        bundle.links[name] = str(path.resolve())
        return
    try:
        data = Path(path).read_bytes()
    except OSError:  # unreadable here: the worker will find it missing, as a local check would
        return
    bundle.files[name] = data
    bundle.hashes[path] = hashlib.sha256(data).hexdigest()


def project_journal_files(case_path: Path) -> list[Path]:
    """The project's own journal styles a case can name (not the kit's): their profiles and CSL files.

    All of them go, not just the case's, so a journal name that is wrong is answered on the
    worker with the same list of choices as here.
    """
    from caseletter.journals import journal_search_path
    from caseletter.paths import templates_dir

    kit = (templates_dir() / "journals").resolve()
    files = []
    for folder in journal_search_path(case_path):
        if folder.is_dir() and folder.resolve() != kit:
            for style in sorted(p for p in folder.iterdir() if (p / "journal.yaml").is_file()):
                files += [style / "journal.yaml", *sorted(style.glob("*.csl"))]
    return files


def is_kit_file(path: Path) -> bool:
    """True for the kit's own files (templates, the CSL project's styles): every worker has them."""
    from caseletter.paths import templates_dir
    from caseletter.styles import styles_folder

    where = Path(os.path.abspath(path))
    return any(where.is_relative_to(os.path.abspath(kit)) for kit in (templates_dir(), styles_folder()))


def common_folder(paths: list[Path]) -> Path:
    """The deepest folder holding every path (a file's folder for a file)."""
    folders = [os.path.abspath(p) if Path(p).is_dir() else os.path.dirname(os.path.abspath(p)) for p in paths]
    return Path(os.path.commonpath(folders))


def relative(path: Path, root: Path) -> str:
    """A path's place under `root`, written with forward slashes."""
    return Path(os.path.relpath(os.path.abspath(path), root)).as_posix()


def placed(path: Path, root: Path) -> list[str]:
    """A path as the worker should write it: as typed when relative, else by its place under `root`."""
    return ["typed", str(path)] if not Path(path).is_absolute() else ["root", relative(path, root)]


def unplaced(place: list[str], root: Path) -> Path:
    """The worker's path for a `placed` one, its copy of the project being at `root`."""
    how, path = place
    return Path(path) if how == "typed" else root / path


def lay_out(wire: dict[str, Any], root: Path) -> None:
    """Write the files the client sent at their places under `root` (on the worker).

    Raises:
        ValueError: a place that would lead out of `root`.
    """
    for name, data in wire["files"].items():
        target = inside(root, name)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    for name, points_to in wire["links"].items():
        target = inside(root, name)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.symlink_to(points_to)


def inside(root: Path, name: str) -> Path:
    """``root/name``, refusing a name that leads out of `root`."""
    target = Path(os.path.normpath(root / name))
    if not target.is_relative_to(root):
        raise ValueError(f"{name} leads out of the build's folder")
    return target


def read_folder(folder: Path) -> dict[str, bytes]:
    """Every file under `folder`, by path relative to it (what the worker sends back)."""
    if not folder.is_dir():
        return {}
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def clear_folder(root: Path, keep: Path) -> None:
    """Empty `root` but for the folders leading to `keep`, which stay (a warm kernel works in `keep`).

    A kernel started ahead keeps the working folder it was started in; removing and making that
    folder again would leave it in a folder that no longer exists.
    """
    import shutil

    keep.mkdir(parents=True, exist_ok=True)
    chain = {root, *(p for p in keep.parents if p.is_relative_to(root)), keep}
    for folder in sorted(chain, key=lambda p: len(p.parts)):
        for child in folder.iterdir():
            if child in chain:
                continue
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child)
            else:
                child.unlink()
