"""Any journal's reference style offline, journal profiles that say where each limit comes from.

The expected lines are written by hand from each family's rules: AMA (initials without points,
journal abbreviation, year;volume(issue):pages, "doi:"), Vancouver (the same names, pages
shortened with an en dash, "https://doi.org/"), APA (family, initials with points, "&", year in
parentheses, the journal's full title, volume(issue), pages with an en dash, the DOI as a URL).
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from bs4 import BeautifulSoup

from caseletter.checks.run import run_checks
from caseletter.errors import UnknownStyle
from caseletter.journals import available_journals, list_journals, load_journal
from caseletter.references.citeproc import format_reference_lines
from caseletter.styles import style_info, style_path
from helpers import EXAMPLE_CASE, FIXTURES, edited_example, run_cli

ARTICLE = FIXTURES / "exports" / "betterbibtex.bib"


@pytest.mark.parametrize(("style", "parent", "line"), [
    pytest.param("jaad-case-reports", "american-medical-association",
                 "1. Gutierrez A Jr, Wetter DA. Calcinosis cutis in autoimmune connective tissue diseases. "
                 "Dermatol Ther. 2012;25(2):195-206. doi:10.1111/j.1529-8019.2012.01492.x", id="ama"),
    pytest.param("journal-of-medical-case-reports", "springer-vancouver-brackets",
                 "1. Gutierrez A Jr, Wetter DA. Calcinosis cutis in autoimmune connective tissue diseases. "
                 "Dermatol Ther. 2012;25:195–206. https://doi.org/10.1111/j.1529-8019.2012.01492.x", id="vancouver"),
    pytest.param("acta-psychologica", "apa",
                 "1. Gutierrez, A., Jr, & Wetter, D. A. (2012). Calcinosis cutis in autoimmune connective tissue "
                 "diseases. Dermatologic Therapy, 25(2), 195–206. https://doi.org/10.1111/j.1529-8019.2012.01492.x",
                 id="apa"),
])
def test_a_dependent_style_prints_its_family_from_the_parent_found_locally(style, parent, line):
    assert style_info(style).parent == parent
    assert style_path(style).name == f"{parent}.csl"
    assert format_reference_lines([ARTICLE], style_path(style)) == [line]


def test_a_case_naming_a_dependent_style_builds_with_no_network_at_all(tmp_path):
    case = edited_example(tmp_path, journal="journal-of-medical-case-reports")
    # A network namespace of its own: loopback only (the kernel talks to it), no route anywhere else.
    command = ["unshare", "-n", "sh", "-c", 'ip link set lo up && exec "$@"', "sh", sys.executable, "-m",
               "caseletter", "build", str(case), "--to", "html", "--out", str(tmp_path / "build")]
    done = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    page = BeautifulSoup((tmp_path / "build" / case.stem / "letter.html").read_text(encoding="utf-8"), "html.parser")
    entries = [e.get_text(" ", strip=True) for e in page.select(".csl-entry")]
    assert entries[1].endswith("Joint Bone Spine. 2017;84:341–4.")  # Vancouver shortens the page range
    assert not entries[0].startswith(("1. 1.", "1 1"))


def test_a_style_only_journal_is_checked_with_its_limits_said_unknown(tmp_path):
    case = edited_example(tmp_path, journal="jama")
    report = run_checks(case)
    (finding,) = [f for f in report.findings if f.detail == "no_profile"]
    assert finding.severity == "warning" and "JAMA" in finding.message
    assert "csl_style: jama" in finding.suggestion


def test_an_unknown_style_names_the_closest(tmp_path):
    with pytest.raises(UnknownStyle, match="jaad-case-reports"):
        load_journal("jaad-case-report")


def test_journals_lists_real_journals_with_their_style_and_issn():
    choices = {c.key: c for c in list_journals(["dermatology"])}
    assert choices["jama-dermatology"].issn == "2168-6068"
    assert choices["jama-dermatology"].profile is not None  # the kit has its profile
    assert choices["journal-of-the-american-academy-of-dermatology"].follows == "american-medical-association"
    assert choices["journal-of-the-american-academy-of-dermatology"].profile is None
    run = run_cli("journals", "case", "reports", columns=200)
    assert run.status == 0 and "bmj-case-reports" in run.out and "jaad-case-reports" in run.out
    assert run_cli("journals", "no", "such", "journal", "anywhere").status == 1


def test_at_least_eight_journal_profiles_and_every_limit_has_its_source():
    journals = [k for k in available_journals() if k != "ama"]
    assert len(journals) >= 8
    for key in journals:
        for name, kind in load_journal(key).article_types.items():
            where = f"{key}.{name}"
            assert str(kind.get("source", "")).startswith("http"), where
            assert kind.get("read_on"), where
            for limit in ("word_limit", "reference_limit", "figure_limit"):
                assert (kind.get(limit) is None) or (limit not in kind.get("unconfirmed", [])), where


def test_an_unconfirmed_limit_is_said_not_invented():
    report = run_checks(EXAMPLE_CASE)
    words = next(m for m in report.measures if m.name == "words")
    assert words.limit is None and words.shown.endswith("words (limit not confirmed)")
    (note,) = [f for f in report.findings if f.detail == "unconfirmed_limits"]
    assert note.message == (
        "the word, reference and figure limits were not found in Cutis's instructions for a letter: check them"
    )
    assert "mdedge.com/cutis" in note.suggestion and "read on 2026-11-28" in note.suggestion


@pytest.mark.parametrize(("text", "said"), [
    ("name: X\ncsl_stlye: ama\n", "Did you mean 'csl_style'?"),
    ("name: X\ncsl_style: no-such-style-anywhere\n", 'no journal style or CSL style named "no-such-style-anywhere"'),
    ("name: X\ncsl_style: jama\narticle_types:\n  letter:\n    word_limit: 600\n    unconfirmed: [word_limit]\n",
     "is a number, yet listed as unconfirmed"),
    ("name: X\ncsl_style: jama\narticle_types:\n  letter:\n    source: somewhere\n", "is not a web address"),
    ("name: X\ncsl_style: jama\narticle_types:\n  letter:\n    read_on: last week\n", "is not a day"),
])
def test_a_profile_mistake_is_one_message_naming_the_key(tmp_path, text, said):
    folder = tmp_path / "cases" / "journals" / "mine"
    folder.mkdir(parents=True)
    (folder / "journal.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(UnknownStyle) as caught:
        load_journal("mine", tmp_path / "cases" / "case.yaml")
    assert said in caught.value.message
