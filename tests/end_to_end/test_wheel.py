"""The kit as a user gets it from pip: the wheel, installed outside the repository, in a workspace of one's own.

The wheel is built from this checkout by its build backend and installed into a new virtual
environment in a temporary folder. The kit's dependencies are not downloaded again: the new
environment sees the test environment's packages through a .pth file, which Python reads as a
plain path (it does not run the .pth files found there, so the checkout's editable install is not
seen), and their data files (nbconvert's templates) through JUPYTER_PATH. caseletter itself, its
notebooks, templates and example come from the wheel alone, which the test checks before anything
else. Then, from a workspace made by ``caseletter init``: ``new``, the case filled in, ``check``,
``build`` to HTML, DOCX and PDF, and ``python -m nbconvert --to caseletter_html``; each output is
opened.
"""

from __future__ import annotations

import io
import os
import shutil
import site
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from helpers import ROOT, pdf_text

GOLDEN_FIRST = "Gutierrez A Jr, Wetter DA. Calcinosis cutis in autoimmune connective tissue diseases."


def run(argv: list, cwd: Path, env: dict) -> subprocess.CompletedProcess:
    done = subprocess.run([str(a) for a in argv], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"{' '.join(map(str, argv))} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(python, caseletter command, environment) of a fresh environment holding the wheel."""
    tmp = tmp_path_factory.mktemp("wheel")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "CASELETTER_TEMPLATES", "VIRTUAL_ENV")}
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", tmp / "dist", ROOT], tmp, env)
    (wheel,) = (tmp / "dist").glob("caseletter-*.whl")
    run([sys.executable, "-m", "venv", "--without-pip", tmp / "venv"], tmp, env)
    python = tmp / "venv" / "bin" / "python"
    run([sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--quiet", wheel], tmp, env)
    purelib = run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], tmp, env).stdout.strip()
    Path(purelib, "test-environment.pth").write_text(site.getsitepackages()[0] + "\n", encoding="utf-8")
    # The dependencies' data files (nbconvert's base templates) live under their own prefix's share/jupyter.
    env["JUPYTER_PATH"] = str(Path(sys.prefix) / "share" / "jupyter")
    return python, tmp / "venv" / "bin" / "caseletter", env, tmp


def test_the_wheel_carries_the_kit_and_is_what_runs(installed):
    python, _, env, tmp = installed
    where = run([python, "-c", "import caseletter, caseletter.paths as p; print(caseletter.__file__); "
                 "print(p.notebooks_dir()); print(p.templates_dir()); print(p.example_case())"], tmp, env).stdout
    venv = str(tmp / "venv")
    assert all(line.startswith(venv) for line in where.split()), where
    assert str(ROOT) not in where


def test_a_workspace_from_init_to_the_three_formats(installed):
    python, caseletter, env, tmp = installed
    home = tmp / "elsewhere"
    home.mkdir()
    run([caseletter, "init", "letters"], home, env)
    workspace = home / "letters"
    assert sorted(p.name for p in workspace.iterdir()) == [".gitignore", "README.md", "cases", "journals",
                                                            "references.bib"]
    run([caseletter, "new", "mine"], workspace, env)
    fill_in(python, env, workspace)
    check = subprocess.run([str(caseletter), "check", "cases/mine.yaml"], cwd=workspace, env=env, capture_output=True,
                           text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    run([caseletter, "build", "cases/mine.yaml"], workspace, env)
    out = workspace / "build" / "mine"
    html = BeautifulSoup((out / "letter.html").read_text(encoding="utf-8"), "html.parser")
    assert "sodium thiosulfate" in html.title.get_text()
    assert GOLDEN_FIRST in html.get_text(" ")
    import docx

    paragraphs = [p.text for p in docx.Document(io.BytesIO((out / "letter.docx").read_bytes())).paragraphs]
    assert any(GOLDEN_FIRST in p for p in paragraphs)
    assert GOLDEN_FIRST in pdf_text((out / "letter.pdf").read_bytes())
    for name in ("letter.ipynb", "build.log", "check.html"):
        assert str(ROOT) not in (out / name).read_text(encoding="utf-8")
    run([python, "-m", "nbconvert", "--to", "caseletter_html", out / "letter.ipynb", "--output-dir",
         workspace / "converted"], workspace, env)
    converted = BeautifulSoup((workspace / "converted" / "letter.html").read_text(encoding="utf-8"), "html.parser")
    assert converted.find("main", class_="letter") and GOLDEN_FIRST in converted.get_text(" ")


def fill_in(python: Path, env: dict, workspace: Path) -> None:
    """Write the case as a trainee would: the example's facts, figures and references, in the new case's place."""
    example = Path(run([python, "-c", "import caseletter.paths as p; print(p.example_folder())"], workspace,
                       env).stdout.strip())
    text = (example / "cases" / "sts-calcinosis.yaml").read_text(encoding="utf-8")
    (workspace / "cases" / "mine.yaml").write_text(text.replace("figures/sts-calcinosis/", "figures/mine/"),
                                                   encoding="utf-8")
    shutil.copytree(example / "cases" / "figures" / "sts-calcinosis", workspace / "cases" / "figures" / "mine",
                    dirs_exist_ok=True)
    with (workspace / "references.bib").open("a", encoding="utf-8") as bib:
        bib.write((example / "references.bib").read_text(encoding="utf-8"))


def test_the_case_report_example_packs_from_the_wheel(installed):
    """The second example, its notebook, the submission templates and the JATS DTD all ship in the wheel."""
    import json
    import zipfile

    python, caseletter, env, tmp = installed
    home = tmp / "packing"
    home.mkdir()
    run([caseletter, "init", "reports", "--example"], home, env)
    workspace = home / "reports"
    done = run([caseletter, "pack", "cases/sts-calcinosis-report.yaml"], workspace, env)
    assert "Packed" in done.stdout
    folder = workspace / "build" / "sts-calcinosis-report" / "submission"
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert {f["name"] for f in manifest["files"]} == {
        "manuscript.docx", "title-page.docx", "cover-letter.docx", "care-checklist.docx", "Figure1.tif",
        "Figure2.tif", "article.xml",
    }
    assert b"<ref-list>" in (folder / "article.xml").read_bytes()
    with zipfile.ZipFile(folder.parent / "sts-calcinosis-report-submission.zip") as archive:
        assert len(archive.namelist()) == 8
    assert str(ROOT) not in (folder / "manifest.json").read_text(encoding="utf-8")
