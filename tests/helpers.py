"""Helpers shared by the tests: the example case copied and edited, and the CLI run in-process."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import socket
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE_CASE = ROOT / "cases" / "sts-calcinosis.yaml"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def copy_example(target: Path) -> Path:
    """A copy of the example case with its figures and references.bib, for tests that edit it."""
    cases = target / "cases"
    shutil.copytree(ROOT / "cases" / "figures", cases / "figures", dirs_exist_ok=True)
    shutil.copy(ROOT / "references.bib", target / "references.bib")
    shutil.copy(EXAMPLE_CASE, cases / EXAMPLE_CASE.name)
    return cases / EXAMPLE_CASE.name


def copy_built_example(built: Path, target: Path) -> tuple[Path, Path]:
    """A copy of the `built_example_copy` fixture's folder in `target`: (its case file, its build folder)."""
    shutil.copytree(built, target, dirs_exist_ok=True)
    return target / "cases" / EXAMPLE_CASE.name, target / "build"


def edited_example(
    tmp_path: Path, edit: Callable[[Any], Any] | None = None, replace: list[tuple[str, str]] = (), **changes: Any,
) -> Path:
    """A copy of the example case under `tmp_path`, with fields changed; the case file's path.

    Args:
        tmp_path: where the copy goes (``cases/``, its figures, ``references.bib``).
        edit: changes the parsed YAML in place, for edits that are not one value
            (appending, deleting, a payload in every field).
        replace: (old, new) pairs replaced once each in the file's text, last, for what the
            YAML data cannot say (a key given twice); each `old` must be there.
        changes: a value per field, the path written with ``__`` for a dot and a number for a
            list index: ``case__outcome="..."``, ``discussion__0="..."``, ``patient__age=95``.
    """
    case = copy_example(tmp_path)
    if edit is not None or changes:
        _edit_yaml(case, edit, changes)
    text = case.read_text(encoding="utf-8")
    for old, new in replace:
        assert old in text, f"{old!r} is not in the example case"
        text = text.replace(old, new, 1)
    case.write_text(text, encoding="utf-8")
    return case


def _edit_yaml(case: Path, edit: Callable[[Any], Any] | None, changes: dict[str, Any]) -> None:
    """Load the case's YAML keeping its comments, change it, and write it back."""
    from ruamel.yaml import YAML

    yaml = YAML()
    data = yaml.load(case.read_text(encoding="utf-8"))
    for dotted, value in changes.items():
        *parents, last = dotted.split("__")
        target = data
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        target[int(last) if last.isdigit() else last] = value
    if edit is not None:
        edit(data)
    with case.open("w", encoding="utf-8") as handle:
        yaml.dump(data, handle)


@dataclass
class CliRun:
    """What one command printed, and its exit status."""

    status: int
    out: str
    err: str


def run_cli(*argv: str | Path, columns: int = 160) -> CliRun:
    """Run ``caseletter ARGV`` in this process, with a terminal `columns` wide; capture what it prints."""
    from caseletter.cli import main

    out, err = io.StringIO(), io.StringIO()
    saved = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = str(columns)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = main([str(a) for a in argv])
    finally:
        if saved is None:
            os.environ.pop("COLUMNS", None)
        else:
            os.environ["COLUMNS"] = saved
    return CliRun(status, out.getvalue(), err.getvalue())


LETTER_PARTS = ("header", "opening", "case", "discussion", "dosing", "references", "practice_points")


def letter_notebook(letter: Any) -> Any:
    """The letter notebook's display outputs, made in this process from a `Letter`, with no kernel.

    It mirrors ``Letter.show`` cell by cell, so the kit's exporters can be run on many letters
    quickly; whole builds (real kernel) are tested elsewhere.
    """
    from nbformat.v4 import new_code_cell, new_notebook, new_output

    from caseletter.letter.notebook import HEADER_PARTS

    cells = []
    for name in LETTER_PARTS:
        outputs = []
        for part in HEADER_PARTS if name == "header" else [name]:
            if part in letter.sections:
                data, metadata = letter.part(part)._repr_mimebundle_()
                outputs.append(new_output("display_data", data=data, metadata=metadata))
        for fig_id in letter.figures_after(name):
            data, metadata = letter.figures[fig_id]._repr_mimebundle_()
            outputs.append(new_output("display_data", data=data, metadata=metadata))
        cells.append(new_code_cell(f'letter.show("{name}")', outputs=outputs))
    return new_notebook(cells=cells)


def export(letter: Any, fmt: str) -> bytes:
    """One format of the letter, by the kit's own exporter, from `letter_notebook`."""
    from caseletter.letter.exporters import exporter_for

    body, _ = exporter_for(fmt).from_notebook_node(letter_notebook(letter))
    return body if isinstance(body, bytes) else body.encode("utf-8")


def docx_xml(data: bytes) -> str:
    """The main part of a DOCX (word/document.xml) as text."""
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("word/document.xml").decode("utf-8")


def pdf_text(data: bytes) -> str:
    """The text of a PDF, whitespace squashed."""
    from pypdf import PdfReader

    return " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(data)).pages)


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
