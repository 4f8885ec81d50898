"""`caseletter check` and `caseletter build` accept and refuse the same case files.

A case the check passes must build; a case the build refuses must have been refused by the
check, in one run, before any kernel starts. Both read the case the same way (`CaseSource`), so
a difference is a bug of the kind that let a title holding an escape character pass the check
and then stop the build inside the kernel. The property runs the build's own stages in-process
(the check and gate, then `open_letter`, which is what the notebook's kernel runs); two whole
builds through the command line close the loop with a real kernel.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caseletter.build.options import BuildOptions, BuildResult
from caseletter.build.recipe import check_case
from caseletter.case.source import read_case_text
from caseletter.checks.run import run_checks
from caseletter.errors import CaseletterError
from caseletter.letter.notebook import open_letter
from helpers import edited_example, run_cli


def _append(path: tuple, text: str):
    def edit(data):
        node = data
        for part in path[:-1]:
            node = node[part]
        node[path[-1]] = f"{node[path[-1]]}{text}"
    return edit


def _set(path: tuple, value):
    def edit(data):
        node = data
        for part in path[:-1]:
            node = node[part]
        node[path[-1]] = value
    return edit


def _add_broken_bib(data):
    data["bibliography"] = ["own.bib"]


#: Edits a trainee makes by mistake, or on purpose: each one the check must judge as the build does.
EDITS = {
    "escape_in_title": _append(("title",), "\x1b[31m"),
    "identifier_in_opening": _append(("opening",), " She was seen at Mercy General Hospital on March 3, 2021."),
    "unknown_key": _append(("discussion", 0), " [@nosuchkey2020]"),
    "dose_without_unit": _set(("interventions", 0, "phases", 0, "dose"), "12.5"),
    "unreadable_frequency": _set(("interventions", 0, "phases", 0, "frequency"), "sometimes"),
    "unreadable_time": _set(("timeline", 0, "time"), "soon"),
    "figure_outside": _set(("figures", 0, "panels", 0, "file"), "../../etc/passwd"),
    "age_95": _set(("patient", "age"), 95),
    "unknown_journal": _set(("journal",), "nosuchjournal"),
    "unknown_article_type": _set(("article_type",), "research_letter"),
    "empty_outcome": _set(("case", "outcome"), ""),
    "points_not_a_list": _set(("practice_points",), 5),
    "literature_cites_nothing_known": _set(("dosing", "literature", 0, "cite"), ["nosuch2001"]),
    "script_in_discussion": _append(("discussion", 1), " <script>alert(1)</script> [x](javascript:alert(1))"),
    "template_syntax": _append(("case", "presentation"), " {{ 7*7 }} {% raw %}"),
    "tex_in_timeline": _append(("timeline", 1, "event"), " $\\frac{"),
    "missing_case_bib": _set(("bibliography",), ["missing.bib"]),
    "broken_case_bib": _add_broken_bib,
    "unknown_figure_reference": _append(("figures", 0, "legend"), " See @fig-nosuch."),
}


def refused_by_check(case) -> bool:
    """The check's verdict: it raises (the case cannot be read) or reports an error."""
    try:
        return run_checks(case).has_errors
    except CaseletterError:
        return True


def refused_by_build(case, tmp_path) -> bool:
    """The build's verdict, stage for stage up to the letter: the gate, then what the kernel runs."""
    opts = BuildOptions(out_root=tmp_path / "build")
    try:
        source, _ = check_case(read_case_text(case), opts, BuildResult(case, opts.out_root / case.stem))
        open_letter(source)
    except CaseletterError:
        return True
    return False


@settings(max_examples=max(8, settings().max_examples // 2), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(names=st.lists(st.sampled_from(sorted(EDITS)), min_size=0, max_size=2, unique=True))
def test_check_and_build_agree(names, tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("agree")

    def edit(data):
        for name in names:
            EDITS[name](data)

    case = edited_example(tmp_path, edit)
    if "broken_case_bib" in names:
        (case.parent / "own.bib").write_text("@article{broken, title = {No end\n", encoding="utf-8")
    assert refused_by_check(case) == refused_by_build(case, tmp_path), names


@pytest.mark.parametrize("name", sorted(EDITS))
def test_every_edit_alone_gets_the_same_verdict(name, tmp_path):
    case = edited_example(tmp_path, EDITS[name])
    if name == "broken_case_bib":
        (case.parent / "own.bib").write_text("@article{broken, title = {No end\n", encoding="utf-8")
    assert refused_by_check(case) == refused_by_build(case, tmp_path)


def test_an_escape_character_in_the_title_is_refused_by_check_as_by_build(tmp_path):
    case = edited_example(tmp_path, EDITS["escape_in_title"])
    check = run_cli("check", case)
    build = run_cli("build", case, "--out", tmp_path / "build")
    assert check.status == build.status == 2
    message = " ".join(check.err.split())
    assert f"{case}, title (line " in message and "the control character U+001B" in message
    assert check.err == build.err
    assert not (tmp_path / "build" / case.stem / "letter.html").exists()


def test_a_case_the_check_passes_builds_with_a_real_kernel(tmp_path):
    case = edited_example(tmp_path, EDITS["unknown_article_type"])  # a warning only
    assert run_cli("check", case).status == 0
    build = run_cli("build", case, "--out", tmp_path / "build", "--to", "html")
    assert build.status == 0, build.err
    assert (tmp_path / "build" / case.stem / "letter.html").is_file()
