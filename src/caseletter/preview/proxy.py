"""The preview as a server JupyterLab can start: registered with jupyter-server-proxy.

jupyter-server-proxy finds this through the ``jupyter_serverproxy_servers`` entry point, puts a
"Case letter preview" tile in JupyterLab's launcher, starts the preview on a port of its choosing
when the tile is opened, and serves it under ``<base url>/caseletter-preview/``. The preview runs
in the Jupyter server's folder and shows the case file saved last under ``cases/``; the page's
websocket address is relative to the page, so it passes through the proxy unchanged.
"""

from __future__ import annotations

import sys
from typing import Any


def preview_server() -> dict[str, Any]:
    """The server's description as jupyter-server-proxy reads it."""
    return {
        "command": [sys.executable, "-m", "caseletter", "preview", "--port", "{port}", "--no-browser",
                    "--behind-proxy"],
        "timeout": 60,
        "new_browser_tab": True,
        "launcher_entry": {"title": "Case letter preview", "enabled": True},
    }
