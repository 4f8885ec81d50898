"""The preview's session on a real kernel: rebuilds after edits, keeps the last good letter, exports on demand.

One session (one kernel kept warm) serves the module's tests in order, as one author's edits
would: each test edits the case file, rebuilds, and reads what the page would show.
"""

from __future__ import annotations

import io
import os

import pytest
from bs4 import BeautifulSoup

from caseletter.preview.page import letter_body, page_html, update_json
from caseletter.preview.session import PreviewSession
from helpers import copy_example, docx_xml, pdf_text


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = tmp_path_factory.mktemp("preview")
    case = copy_example(root)
    return root, case, case.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def session(project):
    root, case, _ = project
    session = PreviewSession(case.resolve())
    yield session
    session.close()


def save(case, text):
    case.write_text(text, encoding="utf-8")


def letter_text(snapshot) -> str:
    return BeautifulSoup(letter_body(snapshot.letter), "html.parser").get_text(" ")


def test_first_build_shows_the_letter_and_its_check(session, project):
    snapshot = session.rebuild()
    assert snapshot.version == 1 and snapshot.error is None and snapshot.status == "passed"
    assert "sodium thiosulfate" in letter_text(snapshot)
    assert set(snapshot.timings) >= {"check", "execute", "render"}
    assert session.kernel_pid() is not None


def test_the_inputs_to_watch_are_the_case_its_figures_bib_and_journal_style(session, project):
    root, case, _ = project
    names = {p.name for p in session.inputs}
    assert {case.name, "references.bib", "before-neck.png", "journal.yaml"} <= names


def test_an_edit_shows_in_the_next_version_on_the_same_kernel(session, project):
    _, case, original = project
    pid = session.kernel_pid()
    save(case, original.replace("opening: >-\n", "opening: >-\n  A sentence written in the preview.\n", 1))
    snapshot = session.rebuild()
    assert "A sentence written in the preview." in letter_text(snapshot)
    assert session.kernel_pid() == pid  # kept warm between saves


def test_a_yaml_error_keeps_the_last_good_letter_and_says_where(session, project):
    _, case, original = project
    before = session.snapshot.letter
    save(case, original + "\nbroken: [\n")
    snapshot = session.rebuild()
    assert snapshot.status == "failed" and snapshot.letter == before
    assert "line" in snapshot.error and case.name in snapshot.error
    page = BeautifulSoup(page_html(snapshot, case.name), "html.parser")
    assert snapshot.error in page.find(id="cl-error").get_text()
    assert "sodium thiosulfate" in page.find("main").get_text()


def test_an_unreadable_regimen_is_one_paragraph_over_the_old_letter(session, project):
    _, case, original = project
    save(case, original.replace("- dose: 12.5 g", "- dose: 12,5 g", 1))
    snapshot = session.rebuild()
    assert snapshot.status == "failed" and snapshot.letter is not None
    assert "interventions" in snapshot.error and "Traceback" not in snapshot.error


def test_the_next_good_save_recovers(session, project):
    _, case, original = project
    save(case, original.replace("opening: >-\n", "opening: >-\n  Recovered after the broken edit.\n", 1))
    snapshot = session.rebuild()
    assert snapshot.error is None and "Recovered after the broken edit." in letter_text(snapshot)


def test_a_placeholder_goes_to_the_top_of_the_panel(session, project):
    _, case, original = project
    save(case, original.replace("consent: The patient", "consent: TODO say what was consented to. The patient", 1))
    snapshot = session.rebuild()
    assert snapshot.status == "draft"
    panel = BeautifulSoup(update_json_panel(snapshot, case.name), "html.parser")
    first = panel.find("li")
    assert "placeholder" in first["class"] and "consent" in first.get_text()
    assert "Draft" in panel.find(id="cl-status").get_text()
    assert "Draft — 1 item to complete" in letter_text(snapshot)


def update_json_panel(snapshot, name) -> str:
    import json

    return json.loads(update_json(snapshot, name))["panel"]


def test_downloads_are_the_current_state_and_refused_while_identifiers_remain(session, project):
    import docx

    _, case, original = project
    save(case, original.replace("opening: >-\n", "opening: >-\n  Written for the download test.\n", 1))
    session.rebuild()
    path = session.export("docx")
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(path.read_bytes())).paragraphs)
    assert "Written for the download test." in text
    assert str(project[0]) not in docx_xml(path.read_bytes())  # names nothing of this machine
    assert "Written for the download test." in pdf_text(session.export("pdf").read_bytes())
    assert path.parent == session.folder
    named = "opening: >-\n  She was seen by Dr Alan Whitcombe on 3 March 2024.\n"
    save(case, original.replace("opening: >-\n", named, 1))
    snapshot = session.rebuild()
    assert snapshot.error is None  # the author sees their page ...
    assert any(f.kind == "identifier" for f in snapshot.findings)
    from caseletter.errors import ExportError

    with pytest.raises(ExportError, match="identifier"):  # ... but no file to pass on
        session.export("pdf")


def test_nothing_is_written_into_the_project(session, project):
    root, _, _ = project
    assert not (root / "build").exists()
    assert sorted(p.name for p in root.iterdir()) == ["cases", "references.bib"]


def test_case_text_cannot_add_script_to_the_page(session, project):
    _, case, original = project
    save(case, original.replace("opening: >-\n", "opening: >-\n  <script>alert(1)</script> `x`{=html}\n", 1))
    snapshot = session.rebuild()
    page = BeautifulSoup(page_html(snapshot, "<img src=x onerror=alert(1)>.yaml"), "html.parser")
    assert len(page.find_all("script")) == 1  # the page's own
    assert not page.find_all("img", onerror=True)


def test_closing_stops_the_kernel_and_removes_the_folder(project):
    _, case, original = project
    save(case, original)
    session = PreviewSession(case.resolve())
    session.rebuild()
    pid, folder = session.kernel_pid(), session.folder
    session.export("docx")
    session.close()
    assert not folder.exists()
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
