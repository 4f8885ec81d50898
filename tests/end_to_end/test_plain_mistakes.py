"""A user's mistake is named as one, not as an internal error to report."""

from __future__ import annotations

from helpers import copy_example, run_cli


def test_a_timeout_with_decimals_is_accepted(tmp_path):
    case = copy_example(tmp_path)
    run = run_cli("build", case, "--out", tmp_path / "out", "--to", "html", "--timeout", "120.5")
    assert run.status == 0, run.err


def test_a_timeout_that_is_no_length_of_time_is_named(tmp_path):
    case = copy_example(tmp_path)
    run = run_cli("build", case, "--out", tmp_path / "out", "--timeout", "0")
    assert run.status == 2 and "internal error" not in run.err and "--timeout" in run.err
