"""``caseletter preview`` as an author uses it: a real server, a real kernel, headless Chromium, edits on disk.

The preview runs as its own process from a copy of the example; the test edits the case file as
an editor would and reads the page the way a person would see it. It also opens the preview
through JupyterLab's jupyter-server-proxy, as on a JupyterHub, where the page's websocket must
find its way back through the proxy's path.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from helpers import copy_example, free_port

START_SECONDS = 90
UPDATE_MS = 30_000
ADDED = "A sentence added while the preview was open."


def status(base: str) -> dict:
    with urllib.request.urlopen(f"{base}status", timeout=5) as reply:
        return json.load(reply)


def wait_for_first_letter(base: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the preview exited with {process.returncode}:\n{log.read_text()}")
        try:
            if status(base)["version"] >= 1:
                return
        except OSError:
            pass
        time.sleep(0.3)
    pytest.fail(f"no letter within {START_SECONDS} s:\n{log.read_text()}")


@contextlib.contextmanager
def running_preview(root: Path):
    """``caseletter preview`` on a copy of the example in `root`; yields (base URL, case file, process, log)."""
    case = copy_example(root)
    port, log = free_port(), root / "preview.log"
    command = [sys.executable, "-m", "caseletter", "preview", "cases/" + case.name, "--no-browser", "--port", str(port)]
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=root, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}/"
    try:
        wait_for_first_letter(base, process, log)
        yield base, case, process, log
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    """One preview for the tests that leave it running: first a refused request, then an author's edits."""
    with running_preview(tmp_path_factory.mktemp("preview")) as running:
        yield running


@pytest.fixture
def preview_to_stop(tmp_path):
    """A preview of the test's own, for a test that stops it."""
    with running_preview(tmp_path) as running:
        yield running


def edit(case: Path, old: str, new: str) -> None:
    """Save the case as an editor does: write a new file beside it, then rename it over the old one."""
    text = case.read_text(encoding="utf-8")
    assert old in text
    partial = case.with_name(f".{case.name}.swp")
    partial.write_text(text.replace(old, new, 1), encoding="utf-8")
    os.replace(partial, case)


def children_of(pid: int) -> list[int]:
    """The processes whose parent is `pid`, read from /proc."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def is_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"


def test_a_page_that_names_itself_otherwise_is_refused(preview):
    base, *_ = preview
    request = urllib.request.Request(base + "update", headers={"Host": "attacker.example"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=5)
    refused.value.close()
    assert refused.value.code == 400


def test_the_page_follows_each_save_keeps_its_place_and_survives_a_bad_edit(preview, browser, tmp_path):
    base, case, process, log = preview
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.set_default_timeout(UPDATE_MS)
    main = page.locator("main.letter")
    try:
        page.goto(base)
        main.get_by_text("sodium thiosulfate").first.wait_for()
        assert "Passed" in page.locator("#cl-status").inner_text()
        page.evaluate("window.scrollTo(0, 900); window.notReloaded = true")
        scrolled = page.evaluate("window.scrollY")

        edit(case, "discussion:\n  - >-\n", f"discussion:\n  - >-\n    {ADDED}\n")
        main.get_by_text(ADDED).wait_for()
        assert page.evaluate("window.notReloaded") is True  # updated in place, not reloaded
        assert abs(page.evaluate("window.scrollY") - scrolled) < 5

        edit(case, "consent:", "consent: [unclosed\nconsent:")
        page.locator("#cl-error").wait_for(state="visible")
        error = page.locator("#cl-error").inner_text()
        assert case.name in error and "line" in error and "Traceback" not in error
        assert main.get_by_text(ADDED).count() == 1  # the last good letter is still there
        page.screenshot(path=str(tmp_path / "broken-edit.png"))

        edit(case, "consent: [unclosed\n", "")
        page.locator("#cl-error").wait_for(state="hidden")
        edit(case, "consent: The patient", "consent: TODO what was consented to. The patient")
        page.locator("#cl-panel li.placeholder").first.wait_for()
        assert "consent" in page.locator("#cl-panel li").first.inner_text()
        assert "Draft" in page.locator("#cl-status").inner_text()
        page.screenshot(path=str(tmp_path / "draft.png"), full_page=False)
        docx_reply = page.request.get(base + "letter.docx")
        docx_status, docx_body = docx_reply.status, docx_reply.body()
    finally:
        page.close()
    import docx

    assert docx_status == 200
    document = docx.Document(io.BytesIO(docx_body))
    assert ADDED in "\n".join(p.text for p in document.paragraphs)
    assert "Draft" in document.sections[0].header.paragraphs[0].text  # the current state: a draft now
    assert (tmp_path / "broken-edit.png").stat().st_size > 20_000
    assert not (case.parent.parent / "build").exists()  # the preview writes nothing beside the case


def test_ctrl_c_stops_the_server_the_watcher_and_the_kernel(preview_to_stop):
    base, _, process, log = preview_to_stop
    kernel = status(base)["kernel_pid"]
    children = children_of(process.pid)
    assert kernel in children
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=20) == 0
    output = log.read_text()
    assert "Preview stopped." in output and "Traceback" not in output
    assert not [pid for pid in children if is_running(pid)]
    with pytest.raises(OSError):
        urllib.request.urlopen(base, timeout=2)


def test_behind_jupyter_server_proxy_from_the_launcher(jupyterlab, browser, tmp_path):
    base, token, root = jupyterlab
    case = root / "cases" / "sts-calcinosis.yaml"
    original = case.read_text(encoding="utf-8")
    case.write_text(original, encoding="utf-8")  # saved last of the examples: the one the launcher's preview shows
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.set_default_timeout(START_SECONDS * 1000)
    try:
        page.goto(f"{base}/caseletter-preview/?token={token}")
        page.locator("main.letter").get_by_text("sodium thiosulfate").first.wait_for()
        edit(case, "discussion:\n  - >-\n", f"discussion:\n  - >-\n    {ADDED}\n")
        page.locator("main.letter").get_by_text(ADDED).wait_for(timeout=UPDATE_MS)
        docx_reply = page.request.get(f"{base}/caseletter-preview/letter.docx")
        docx_status, docx_body = docx_reply.status, docx_reply.body()
    finally:
        page.close()
        case.write_text(original, encoding="utf-8")
    assert docx_status == 200 and docx_body[:2] == b"PK"
