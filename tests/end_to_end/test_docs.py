"""The README stays true: every command is documented there and has --help text."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from caseletter.cli.commands import build_parser
from helpers import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def commands() -> list[str]:
    parser = build_parser()
    action = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    return sorted(action.choices)


def test_the_readme_shows_the_two_commands_first():
    first_block = README.split("```")[1]
    assert "make letter" in first_block and "make test" in first_block


@pytest.mark.parametrize("command", commands())
def test_every_command_is_in_the_readme_and_has_help(command):
    assert re.search(rf"^caseletter {command}\b", README, re.MULTILINE), f"README does not show `caseletter {command}`"
    done = subprocess.run(
        [sys.executable, "-m", "caseletter", command, "--help"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0 and "usage: caseletter " + command in done.stdout


def test_schema_is_json_schema_with_every_top_level_field():
    import json

    done = subprocess.run([sys.executable, "-m", "caseletter", "schema"], capture_output=True, text=True, check=True)
    schema = json.loads(done.stdout)
    assert schema["$schema"].endswith("2020-12/schema")
    assert {
        "title", "authors", "patient", "case", "interventions", "timeline", "figures", "discussion", "practice_points",
    } <= set(schema["properties"])
    assert schema["properties"]["opening"]["contentMediaType"] == "text/markdown"
