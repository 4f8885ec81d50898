"""The exporters are real nbconvert exporters: found by name and usable from `jupyter nbconvert`."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from nbconvert.exporters import get_exporter

from caseletter.letter.exporters import LetterDOCXExporter, LetterHTMLExporter, LetterPDFExporter


@pytest.mark.parametrize(
    ("name", "cls"),
    [
        ("caseletter_html", LetterHTMLExporter), ("caseletter_docx", LetterDOCXExporter),
        ("caseletter_pdf", LetterPDFExporter),
    ],
)
def test_exporters_are_registered_by_entry_point(name, cls):
    assert get_exporter(name) is cls


def test_jupyter_nbconvert_exports_the_executed_letter(example_build, tmp_path):
    notebook = tmp_path / "letter.ipynb"
    shutil.copy(example_build.files["ipynb"], notebook)
    jupyter = [sys.executable, "-m", "jupyter", "nbconvert", "--to", "caseletter_html", str(notebook)]
    subprocess.run(jupyter, capture_output=True, check=True)
    html = (tmp_path / "letter.html").read_text(encoding="utf-8")
    assert "To the Editor:" in html and 'id="references"' in html
    assert html == example_build.files["html"].read_text(encoding="utf-8")
