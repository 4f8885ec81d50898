"""A journal profile's CSL stays in its folder; a .bib field has a size limit; pandoc's errors stay short."""

from __future__ import annotations

import pytest

from caseletter.errors import BibliographyError, UnknownStyle
from caseletter.journals import load_journal
from caseletter.references.bibliography import load_bibliography
from helpers import edited_example, run_cli


def profile(tmp_path, text: str, csl: bytes | None = None):
    case = edited_example(tmp_path, journal="mine")
    folder = case.parent / "journals" / "mine"
    folder.mkdir(parents=True)
    (folder / "journal.yaml").write_text(text, encoding="utf-8")
    if csl is not None:
        (folder / "style.csl").write_bytes(csl)
    return case


def test_a_profile_csl_path_outside_its_folder_is_refused(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET LINE\n" * 50, encoding="utf-8")
    case = profile(tmp_path, f"name: Mine\ncsl: {secret}\n")
    run = run_cli("check", case)
    message = " ".join((run.err + run.out).split())
    assert "TOP SECRET" not in message
    with pytest.raises(UnknownStyle, match="leads outside|absolute path"):
        load_journal("mine", case)


def test_a_csl_that_is_not_a_csl_style_is_refused_without_quoting_it(tmp_path):
    case = profile(tmp_path, "name: Mine\n", csl=b"TOP SECRET LINE\n" * 50)
    with pytest.raises(UnknownStyle) as refused:
        load_journal("mine", case)
    assert "not a CSL style" in refused.value.message and "TOP SECRET" not in refused.value.message


def test_pandoc_errors_show_no_haskell_internals(tmp_path):
    case = profile(tmp_path, "name: Mine\n", csl=b"<style xmlns='http://purl.org/net/xbiblio/csl'><info>")
    run = run_cli("build", case, "--out", tmp_path / "out", "--to", "html")
    assert run.status == 2
    for internal in ("CallStack", "HasCallStack", "ghc-internal", "libraries/", ".hs:"):
        assert internal not in run.err


def test_a_megabyte_bib_field_is_refused_quickly(tmp_path):
    path = tmp_path / "huge.bib"
    path.write_text("@article{big,\n  title = {" + "a\\'e " * 250_000 + "},\n  year = {2020}\n}\n", encoding="utf-8")
    with pytest.raises(BibliographyError, match="longer than"):  # before decoding, whose time grows with its square
        load_bibliography([path])
