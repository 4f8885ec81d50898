"""A failed build keeps its executed notebook apart; the kernel writes from the text that was checked."""

from __future__ import annotations

import hashlib

import nbformat
import pytest

from caseletter.build.execute import execute_letter
from caseletter.case.source import read_case_source
from helpers import ROOT, copy_built_example, copy_example, run_cli


def letters(folder) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.glob("letter.*")}


def raising_notebook(tmp_path) -> str:
    """The letter notebook with a cell that raises after the discussion."""
    nb = nbformat.read(ROOT / "notebooks" / "letter.ipynb", as_version=4)
    index = next(i for i, c in enumerate(nb.cells) if 'letter.show("discussion")' in c.source)
    nb.cells.insert(index + 1, nbformat.v4.new_code_cell('raise ValueError("the variant broke here")'))
    path = tmp_path / "variant.ipynb"
    nbformat.write(nb, path)
    return str(path)


@pytest.fixture(scope="module")
def failed_build(built_example_copy, tmp_path_factory):
    """A good build of the example (a copy of the session's build), then a build of a notebook variant that raises."""
    root = tmp_path_factory.mktemp("failed")
    case, out = copy_built_example(built_example_copy, root)
    before = letters(out / case.stem)
    run = run_cli("build", case, "--out", out, "--force", "--notebook", raising_notebook(root))
    return case, out, before, run


def test_the_failed_notebook_is_kept_with_its_error_cell_marked(failed_build):
    case, out, _, run = failed_build
    assert run.status == 2
    kept = out / case.stem / "failed" / "letter.ipynb"
    assert f"The notebook as far as it ran is in {kept}." in " ".join(run.err.split())
    nb = nbformat.read(kept, as_version=4)
    raising = [c for c in nb.cells if c.cell_type == "code" and "the variant broke here" in c.source]
    assert raising and raising[0].outputs[-1].output_type == "error"
    assert raising[0].outputs[-1].evalue == "the variant broke here"
    marked = [c for c in nb.cells if "papermill-error-cell-tag" in c.metadata.get("tags", [])]
    assert len(marked) == 2, "papermill marks the top of the notebook and the failing cell"
    sections = [o.metadata["caseletter"].get("section") for c in nb.cells if c.cell_type == "code"
                for o in c.get("outputs", []) if o.get("metadata", {}).get("caseletter")]
    assert "discussion" in sections and "references" not in sections, "the cells before it ran, none after"


def test_the_last_good_letter_is_untouched_by_the_failure(failed_build):
    case, out, before, _ = failed_build
    assert letters(out / case.stem) == before
    assert not (out / case.stem / "failed" / "letter.html").exists()


def test_the_next_good_build_clears_the_failed_notebook(failed_build):
    case, out, _, _ = failed_build
    assert (out / case.stem / "failed").is_dir()
    assert run_cli("build", case, "--out", out, "--force", "--to", "html").status == 0
    assert not (out / case.stem / "failed").exists()


def test_the_kernel_writes_from_the_text_that_was_checked_not_the_file(tmp_path):
    case = copy_example(tmp_path)
    source = read_case_source(case)
    case.write_text(case.read_text(encoding="utf-8").replace("title: ", "title: Saved later: ", 1), encoding="utf-8")
    nb = execute_letter(source, None)
    titles = [o.metadata["caseletter"]["title"] for c in nb.cells for o in c.get("outputs", [])
              if o.get("metadata", {}).get("caseletter", {}).get("section") == "title"]
    assert titles == [source.case.title]
    assert "Saved later" not in nbformat.writes(nb)
