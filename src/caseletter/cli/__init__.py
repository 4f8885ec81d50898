"""The command line: argument parsing (`commands`) and everything that prints (`show`)."""

from caseletter.cli.commands import main

__all__ = ["main"]
