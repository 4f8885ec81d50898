"""What the browser tests share: Debian's Chromium driven by Playwright, and JupyterLab on loopback.

Playwright drives the system browser (its own browser download is not used). JupyterLab runs on
127.0.0.1 with a random free port and a token, from a temporary copy of the notebook, the cases
and references.bib, with its settings, workspaces and runtime files in that copy too, so nothing
of the user's Jupyter setup is read or written. One server serves the whole run, one browser each module.
Every wait is bounded.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from helpers import ROOT, free_port

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


@pytest.fixture(scope="session")
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
        yield base, token, root
    finally:
        stop_server(server)


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, headless, driven by Playwright.

    One per module: Playwright's synchronous API keeps an event loop running on the main thread
    until it stops, which later tests that run their own loop must not find.
    """
    from playwright.sync_api import sync_playwright

    assert CHROMIUM.exists(), "Debian's chromium is missing: install it with `apt-get install chromium`"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, timeout=30_000)
        try:
            yield chromium
        finally:
            chromium.close()
