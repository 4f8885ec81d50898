"""Shared fixtures: one real build of the example letter, reused by every test that reads it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests run a bounded number of examples so `make test` stays fast; run
# `pytest --hypothesis-profile=long` to try many more. No deadline: some examples run pandoc.
settings.register_profile("default", max_examples=50, deadline=None)
settings.register_profile("long", max_examples=2000, deadline=None)
settings.load_profile("default")

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE_CASE = ROOT / "cases" / "sts-calcinosis.yaml"


@pytest.fixture(scope="session")
def example_build(tmp_path_factory):
    """Build the example case once (real kernel, pandoc and typst) into a temporary folder."""
    from caseletter.build import build_letter

    out = tmp_path_factory.mktemp("build")
    return build_letter(EXAMPLE_CASE, out)


def copy_example(target: Path) -> Path:
    """A copy of the example case with its figures and references.bib, for tests that edit it."""
    cases = target / "cases"
    shutil.copytree(ROOT / "cases" / "figures", cases / "figures")
    shutil.copy(ROOT / "references.bib", target / "references.bib")
    shutil.copy(EXAMPLE_CASE, cases / EXAMPLE_CASE.name)
    return cases / EXAMPLE_CASE.name
