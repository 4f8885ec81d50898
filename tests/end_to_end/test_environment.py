"""environment.yml asks for the same packages, with the same lower bounds, as pyproject.toml."""

from __future__ import annotations

import re
import tomllib

from ruamel.yaml import YAML

from helpers import ROOT

#: Programs conda installs that pip cannot (pyproject.toml's users get them from their system).
PROGRAMS = ("tesseract",)


def requirement_bounds(specs: list[str]) -> dict[str, tuple[str, str | None]]:
    """{normalized name: (lower, upper)} from requirements such as 'ruamel.yaml>=0.18' or 'x>=4.8,<5'.

    An upper bound is allowed only with a lower one, where a release removed what the kit uses.
    """
    bounds = {}
    for spec in specs:
        match = re.fullmatch(r"\s*([A-Za-z0-9_.\-]+)\s*>=\s*([^\s,;]+)(?:\s*,\s*<\s*([^\s,;]+))?\s*", spec)
        assert match, f"not a lower-bound requirement: {spec!r}"
        bounds[re.sub(r"[-_.]+", "-", match.group(1)).lower()] = (match.group(2), match.group(3))
    return bounds


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = requirement_bounds(project["dependencies"] + project["optional-dependencies"]["test"])
    env = YAML(typ="safe").load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    conda = [
        d for d in env["dependencies"]
        if isinstance(d, str) and d not in ("pip", *PROGRAMS) and not re.match(r"python(>|=|$)", d)
    ]
    pip = [d for d in next(d for d in env["dependencies"] if isinstance(d, dict))["pip"] if not d.startswith("-e")]
    assert requirement_bounds(conda + pip) == wanted
    assert "python>=3.11" in env["dependencies"]


def test_environment_yml_brings_the_ocr_engine():
    env = YAML(typ="safe").load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    assert "tesseract" in env["dependencies"]
