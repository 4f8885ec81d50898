"""The letter notebook in a real browser: JupyterLab on loopback, headless Chromium, Run All.

Needs the ``jupyterlab`` and ``playwright`` Python packages and Debian's ``chromium``
(Playwright drives the system browser; its own browser download is not used). The server runs
on 127.0.0.1 with a random free port and a token, from a temporary copy of the notebook, the
cases and references.bib, with its settings, workspaces and runtime files in that copy too, so
nothing of the user's Jupyter setup is read or written. Every wait is bounded.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from helpers import ROOT

REPO = ROOT
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
# JupyterLab user settings for an unattended session: no news or update checks (no network),
# and the notebook's own kernel starts without asking.
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"autoStartDefaultKernel": True},
}
SERVER_START_SECONDS = 40
KERNEL_IDLE_SECONDS = 40
RUN_ALL_SECONDS = 60


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def copy_project(root: Path) -> None:
    """The files the letter notebook reads, laid out as in the repository."""
    (root / "notebooks").mkdir()
    shutil.copy(REPO / "notebooks" / "letter.ipynb", root / "notebooks")
    shutil.copytree(REPO / "cases", root / "cases")
    shutil.copy(REPO / "references.bib", root)
    for name, values in LAB_SETTINGS.items():
        target = root / ".lab-settings" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(values), encoding="utf-8")


def wait_for_server(base: str, token: str, server: subprocess.Popen, log: Path) -> None:
    """Poll the server's status API until it answers; fail with its log if it exits or stalls."""
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"JupyterLab exited with status {server.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"JupyterLab did not answer within {SERVER_START_SECONDS} s:\n{log.read_text()[-3000:]}")


def stop_server(server: subprocess.Popen) -> None:
    """Stop the server (and with it the kernels it started), forcibly if it will not go."""
    server.terminate()
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=5)


@pytest.fixture(scope="module")
def jupyterlab(tmp_path_factory):
    """A JupyterLab server on loopback serving a copy of the project; yields (base URL, token)."""
    root = tmp_path_factory.mktemp("lab")
    copy_project(root)
    port, token = free_port(), secrets.token_hex(16)
    env = dict(
        os.environ,
        JUPYTERLAB_SETTINGS_DIR=str(root / ".lab-settings"),
        JUPYTER_RUNTIME_DIR=str(root / ".runtime"),
        JUPYTER_CONFIG_DIR=str(root / ".config"),
        JUPYTER_DATA_DIR=str(root / ".data"),
    )
    command = [
        sys.executable, "-m", "jupyterlab", "--no-browser", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
        "--ServerApp.allow_root=True", f"--LabApp.workspaces_dir={root / '.workspaces'}", "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    log = root / "server.log"
    with log.open("w") as out:
        server = subprocess.Popen(command, cwd=root, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for_server(base, token, server, log)
        yield base, token
    finally:
        stop_server(server)


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, headless, driven by Playwright."""
    from playwright.sync_api import sync_playwright

    assert CHROMIUM.exists(), "Debian's chromium is missing: install it with `apt-get install chromium`"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, timeout=30_000)
        try:
            yield chromium
        finally:
            chromium.close()


def wait_for_idle_kernel(page) -> None:
    """Wait until the notebook's kernel is idle, choosing the suggested kernel if JupyterLab asks."""
    status = page.locator(".jp-StatusBar-TextItem", has_text=re.compile(r"\| Idle$"))
    select = page.locator(".jp-Dialog button", has_text="Select")
    deadline = time.monotonic() + KERNEL_IDLE_SECONDS
    while time.monotonic() < deadline:
        if status.count():
            return
        if select.count():
            select.first.click()
        page.wait_for_timeout(300)
    raise AssertionError(
        f"the kernel was not idle within {KERNEL_IDLE_SECONDS} s: "
        f"{page.locator('.jp-StatusBar-TextItem').all_inner_texts()}"
    )


def run_all_cells(page) -> None:
    """Run > Run All Cells, from the menu bar, as a reader would."""
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()


def wait_for_every_cell_to_finish(page) -> None:
    """Wait until every code cell's prompt carries its execution count ([*] while it runs)."""
    page.wait_for_function(
        """() => {
            const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')];
            return prompts.length > 0 && prompts.every(p => /^\\[\\d+\\]:$/.test(p.textContent.trim()));
        }""",
        timeout=RUN_ALL_SECONDS * 1000,
    )


def test_letter_notebook_runs_in_jupyterlab_and_shows_its_references(jupyterlab, browser, tmp_path):
    base, token = jupyterlab
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(30_000)
    try:
        page.goto(f"{base}/lab/tree/notebooks/letter.ipynb?token={token}&reset", timeout=30_000)
        page.locator(".jp-NotebookPanel .jp-Cell").first.wait_for()
        wait_for_idle_kernel(page)
        run_all_cells(page)
        references = page.locator(".jp-OutputArea-output h2", has_text=re.compile(r"^References$"))
        references.wait_for(timeout=RUN_ALL_SECONDS * 1000)
        wait_for_every_cell_to_finish(page)
        references.scroll_into_view_if_needed()
        page.screenshot(path=str(tmp_path / "references.png"))
        entries = page.locator(".jp-OutputArea-output .csl-entry").all_inner_texts()
        prompts = page.locator(".jp-CodeCell .jp-InputPrompt").all_text_contents()
        outputs = " ".join(page.locator(".jp-OutputArea-output").all_text_contents())
    finally:
        page.close()
    assert len(entries) == 6, entries
    assert "Gutierrez A Jr, Wetter DA. Calcinosis cutis in autoimmune connective tissue diseases" in entries[0]
    assert "Smith GP. Intradermal sodium thiosulfate" in entries[5]
    assert prompts and all(re.fullmatch(r"\[\d+\]:", p.strip()) for p in prompts), prompts
    assert "Traceback" not in outputs and "Error" not in outputs
    assert "To the Editor" in outputs and "Practice Points" in outputs
    assert (tmp_path / "references.png").stat().st_size > 10_000
