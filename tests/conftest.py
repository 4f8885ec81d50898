"""Shared fixtures: one real build of the example letter, reused by every test that reads it."""

from __future__ import annotations

import pytest
from hypothesis import settings

from helpers import copy_example, run_cli

# Property tests run a bounded number of examples so `make test` stays fast; run
# `pytest --hypothesis-profile=long` to try many more. No deadline: some examples run pandoc.
settings.register_profile("default", max_examples=50, deadline=None)
settings.register_profile("long", max_examples=10_000, deadline=None)
settings.load_profile("default")


@pytest.fixture(scope="session")
def example_build(tmp_path_factory):
    """Build the example case once (real kernel, pandoc and typst) into a temporary folder.

    The case is a copy of the example (``cases/`` with its figures, ``references.bib``) in the
    folder, built into its ``build/``: the same letter, and a folder other tests may copy whole
    (`built_example_copy`).
    """
    from caseletter.build.recipe import build_letter

    root = tmp_path_factory.mktemp("example")
    return build_letter(copy_example(root), root / "build")


@pytest.fixture(scope="session")
def built_example_copy(example_build):
    """The folder of `example_build`: the copy of the example case, its letter built into ``build/``.

    Every format is built. Tests that build the copy again take a copy of the whole folder
    (`helpers.copy_built_example`): the manifest names the case relative to the letter, so the
    copy's letter is the copy's case's.
    """
    return example_build.out_dir.parent.parent


@pytest.fixture(scope="session")
def built_example_copy_html(tmp_path_factory):
    """The same as `built_example_copy`, built to HTML only (``--to html``)."""
    root = tmp_path_factory.mktemp("built-example-html")
    run = run_cli("build", copy_example(root), "--out", root / "build", "--to", "html")
    assert run.status == 0, run.err
    return root
