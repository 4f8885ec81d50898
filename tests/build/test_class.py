"""A class at once: a dozen generated cases, one broken, built in parallel, then built again."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from caseletter.cli import main
from caseletter.teaching.sampleclass import make_class

CLASS_SIZE = 12
BROKEN = 5


@pytest.fixture(scope="module")
def built_class(tmp_path_factory):
    """Build the class twice; keep what each run printed."""
    root = tmp_path_factory.mktemp("class")
    cases = make_class(root / "cases", CLASS_SIZE, broken=(BROKEN,))
    runs = []
    for _ in range(2):
        runs.append(run_cli(["build", str(root / "cases"), "--out", str(root / "build"), "-j", "2"]))
    return root, cases, runs


def run_cli(argv):
    import contextlib
    import io

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(argv)
    return status, out.getvalue(), err.getvalue()


def test_the_broken_case_fails_and_the_others_are_built(built_class):
    root, cases, runs = built_class
    status, out, _ = runs[0]
    assert status == 1
    assert f"{CLASS_SIZE - 1} built, 0 unchanged (not rebuilt), 1 failed." in " ".join(out.split())
    assert 'cites "nosuchkey2020"' in out
    for i, case in enumerate(cases):
        letter = root / "build" / case.stem / "letter.pdf"
        assert letter.is_file() == (i != BROKEN), case.stem
    broken = root / "build" / cases[BROKEN].stem
    assert not list(broken.glob("letter.*"))  # no letter; the failure and its check report are kept apart
    assert sorted(p.name for p in (broken / "failed").iterdir()) == ["check.html", "failure.json"]


def test_the_summary_has_a_row_per_case_with_counts(built_class):
    _, cases, runs = built_class
    out = runs[0][1]
    for i, case in enumerate(cases):
        row = next(line for line in out.splitlines() if f" {case.stem} " in line)
        cells = [c.strip() for c in re.split(r"[│┃]", row) if c.strip()]
        assert cells[1] == ("failed" if i == BROKEN else "built")
        if i != BROKEN:
            assert int(cells[2]) > 300 and cells[3] == "6" and cells[5].endswith(" s")


def test_the_index_links_every_letter_and_its_check_report(built_class):
    root, cases, _ = built_class
    page = BeautifulSoup((root / "build" / "index.html").read_text(encoding="utf-8"), "html.parser")
    rows = page.select("tbody tr")
    assert len(rows) == CLASS_SIZE
    for i, case in enumerate(cases):
        row = next(r for r in rows if r.td.get_text() == case.stem)
        hrefs = [a["href"] for a in row.find_all("a")]
        if i == BROKEN:  # no letter; the check report of the state that failed
            assert hrefs == [f"./{case.stem}/failed/check.html"] and "nosuchkey2020" in row.get_text()
            assert "check errors" in row.get_text() and (root / "build" / hrefs[0]).is_file()
        else:
            assert hrefs == [
                f"./{case.stem}/letter.html", f"./{case.stem}/letter.docx", f"./{case.stem}/letter.pdf",
                f"./{case.stem}/check.html",
            ]
            assert all((root / "build" / h).is_file() for h in hrefs)


def test_a_second_build_with_nothing_changed_rebuilds_nothing_and_says_so(built_class):
    root, cases, runs = built_class
    status, out, _ = runs[1]
    assert f"0 built, {CLASS_SIZE - 1} unchanged (not rebuilt), 1 failed." in " ".join(out.split())
    manifests = [
        (root / "build" / c.stem / "build.json").stat().st_mtime_ns for i, c in enumerate(cases) if i != BROKEN
    ]
    assert len(manifests) == CLASS_SIZE - 1


def test_each_letter_is_its_own_case(built_class):
    root, cases, _ = built_class
    ages = set()
    for i, case in enumerate(cases):
        if i == BROKEN:
            continue
        html = (root / "build" / case.stem / "letter.html").read_text(encoding="utf-8")
        ages.add(re.search(r"A (\d+)-year-old", html).group(1))
        assert f"(case {i + 1})" in html
    assert len(ages) == CLASS_SIZE - 1
