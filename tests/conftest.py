"""Shared fixtures: one real build of the example letter, reused by every test that reads it."""

from __future__ import annotations

import pytest
from hypothesis import settings

from helpers import EXAMPLE_CASE, copy_example, run_cli

# Property tests run a bounded number of examples so `make test` stays fast; run
# `pytest --hypothesis-profile=long` to try many more. No deadline: some examples run pandoc.
settings.register_profile("default", max_examples=50, deadline=None)
settings.register_profile("long", max_examples=10_000, deadline=None)
settings.load_profile("default")


@pytest.fixture(scope="session")
def example_build(tmp_path_factory):
    """Build the example case once (real kernel, pandoc and typst) into a temporary folder."""
    from caseletter.build.recipe import build_letter

    out = tmp_path_factory.mktemp("build")
    return build_letter(EXAMPLE_CASE, out)


def build_a_copy(root, *options: str):
    """A copy of the example case in `root` (``cases/``, ``references.bib``), its letter built into ``build/``."""
    case = copy_example(root)
    run = run_cli("build", case, "--out", root / "build", *options)
    assert run.status == 0, run.err
    return root


@pytest.fixture(scope="session")
def built_example_copy(tmp_path_factory):
    """A copy of the example case (``cases/``, ``references.bib``), its letter built once into ``build/``.

    Every format is built. Tests that build the copy again take a copy of the whole folder
    (`helpers.copy_built_example`): the manifest names the case relative to the letter, so the
    copy's letter is the copy's case's.
    """
    return build_a_copy(tmp_path_factory.mktemp("built-example"))


@pytest.fixture(scope="session")
def built_example_copy_html(tmp_path_factory):
    """The same as `built_example_copy`, built to HTML only (``--to html``)."""
    return build_a_copy(tmp_path_factory.mktemp("built-example-html"), "--to", "html")
