"""The class roster: each student's state in words and colour, counts against limits, a CSV for the gradebook.

A class holding one case in each state is built once: ready (over the figure limit of its
journal), a draft, a case refused for identifiers and one refused for an unknown citation key.
The second build of the unchanged class must answer from what the first recorded, failures
included, without checking a case again.
"""

from __future__ import annotations

import csv
import shutil
import stat

import pytest
from bs4 import BeautifulSoup

from caseletter.build.failures import read_failure
from helpers import edited_example, run_cli

SECRET = "Mercy General Hospital"


@pytest.fixture(scope="module")
def roster(tmp_path_factory):
    root = tmp_path_factory.mktemp("roster")
    cases = root / "cases"
    edits = {
        "ready": dict(journal="ama"),  # AMA's practice profile allows 2 figures: this letter has 3
        "draft": dict(replace=[("consent: The patient", "consent: TODO what was consented to. The patient")]),
        "leaky": dict(replace=[("presentation: >-\n", f"presentation: >-\n    She was seen at {SECRET}.\n")]),
        "unknown-key": dict(replace=[("[@gutierrez2012]", "[@nosuchkey2020]")]),
    }
    cases.mkdir()
    for name, edit in edits.items():  # one cases/ folder; the figures and references.bib shared
        made = edited_example(root / f"made-{name}", **edit)
        (cases / f"{name}.yaml").write_text(made.read_text(encoding="utf-8"), encoding="utf-8")
    shutil.copytree(made.parent / "figures", cases / "figures")
    shutil.copy(made.parent.parent / "references.bib", root / "references.bib")
    first = run_cli("build", cases, "--out", root / "build", "--to", "html")
    return root, first


def rows(root) -> dict[str, list[str]]:
    page = BeautifulSoup((root / "build" / "index.html").read_text(encoding="utf-8"), "html.parser")
    return {r.td.get_text(): r for r in page.select("tbody tr")}


def test_each_state_in_words_and_colour(roster):
    root, first = roster
    assert first.status == 1, first.out
    found = {name: row.find(class_="status") for name, row in rows(root).items()}
    assert found["ready"].get_text() == "ready" and "ready" in found["ready"]["class"]
    assert found["draft"].get_text() == "draft: 1 item to complete" and "draft" in found["draft"]["class"]
    assert found["leaky"].get_text() == "check errors: 1 identifier" and "errors" in found["leaky"]["class"]
    assert found["unknown-key"].get_text() == "check errors" and "nosuchkey2020" in rows(root)["unknown-key"].get_text()


def test_counts_stand_against_their_limits_with_the_overage_marked(roster):
    root, _ = roster
    figures = rows(root)["ready"].find_all("td")[4]
    assert figures.get_text() == "3 / 2 (1 over)" and "over" in figures["class"]
    assert rows(root)["draft"].find_all("td")[2].get_text() == "519 (limit not confirmed)"  # Cutis gives none


def test_every_case_links_a_check_report_failed_ones_their_own(roster):
    root, _ = roster
    for name, row in rows(root).items():
        reports = [a["href"] for a in row.find_all("a") if a.get_text() == "check report"]
        expected = f"./{name}/failed/check.html" if name in ("leaky", "unknown-key") else f"./{name}/check.html"
        assert reports == [expected] and (root / "build" / expected).is_file(), name


def test_identifiers_are_counted_never_quoted(roster):
    root, _ = roster
    for path in (root / "build").rglob("*"):
        if path.is_file() and path.suffix in (".html", ".csv", ".json", ".log"):
            assert SECRET not in path.read_text(encoding="utf-8"), path


def test_the_roster_csv_reads_back_for_a_gradebook(roster):
    root, _ = roster
    with open(root / "build" / "roster.csv", newline="", encoding="utf-8") as handle:
        table = {row["case"]: row for row in csv.DictReader(handle)}
    assert set(table) == {"ready", "draft", "leaky", "unknown-key"}
    assert table["ready"]["figures"] == "3" and table["ready"]["figure_limit"] == "2"
    assert table["draft"]["status"] == "draft" and table["draft"]["items_to_complete"] == "1"
    assert table["leaky"]["identifiers"] == "1" and table["leaky"]["status"] == "check errors"
    assert table["unknown-key"]["check_report"] == "unknown-key/failed/check.html"


def test_the_roster_is_readable_like_the_letters(roster):
    root, _ = roster
    letter = (root / "build" / "ready" / "letter.html").stat().st_mode
    for name in ("index.html", "roster.csv"):
        mode = (root / "build" / name).stat().st_mode
        assert mode & stat.S_IROTH == letter & stat.S_IROTH and mode & stat.S_IRGRP == letter & stat.S_IRGRP


def test_an_unchanged_class_answers_its_failures_from_memory_without_checking(roster, monkeypatch):
    root, _ = roster

    def no_check(*args, **kwargs):
        raise AssertionError("a case was checked again")

    monkeypatch.setattr("caseletter.checks.run.run_checks", no_check)
    again = run_cli("build", root / "cases", "--out", root / "build", "--to", "html")
    assert again.status == 1
    assert "0 built, 2 unchanged (not rebuilt), 2 failed." in " ".join(again.out.split())
    assert "nosuchkey2020" in again.out and SECRET not in again.out + again.err
    assert rows(root)["leaky"].find(class_="status").get_text() == "check errors: 1 identifier"


def test_an_edit_to_a_failed_case_is_checked_again(roster):
    root, _ = roster
    case = root / "cases" / "unknown-key.yaml"
    case.write_text(case.read_text(encoding="utf-8").replace("[@nosuchkey2020]", "[@gutierrez2012]"), "utf-8")
    run = run_cli("build", root / "cases", "--out", root / "build", "--to", "html")
    assert "1 built, 2 unchanged (not rebuilt), 1 failed." in " ".join(run.out.split())
    assert read_failure(root / "build" / "unknown-key") == {}  # the good build forgot the failure
    assert rows(root)["unknown-key"].find(class_="status").get_text() == "ready"
