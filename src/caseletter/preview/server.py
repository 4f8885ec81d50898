"""Serving the preview: Starlette routes on uvicorn, the watcher and the rebuild thread beside them.

`run_preview` binds 127.0.0.1 (a free port unless one is given), builds the case once, opens the
browser, and then rebuilds after each save and tells every open page over a websocket. The page
asks for what changed (``update``), so a message on the socket is only a version number: nothing
of the case travels where a page that is not ours could listen. Requests whose Host is not this
machine's name are refused (a page elsewhere cannot reach the preview by renaming itself to
127.0.0.1) unless the preview runs behind a proxy, which then decides who may see it. Ctrl-C (or
SIGTERM) ends the server; its shutdown stops the watcher, the rebuild thread and the kernel, and
removes the session's folder.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import socket
import threading
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

from caseletter.errors import CaseletterError, ExportError
from caseletter.preview.page import page_html, update_json
from caseletter.preview.session import DOWNLOADS, PreviewSession, Rebuilder, Snapshot
from caseletter.preview.watch import watch_inputs

LOCAL_NAMES = ["127.0.0.1", "localhost", "::1", "[::1]"]
MEDIA_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "pdf": "application/pdf",
}


class Hub:
    """The open pages, and when each version was published (to time how long showing it took)."""

    def __init__(self) -> None:
        self.sockets: set[Any] = set()
        self.loop: asyncio.AbstractEventLoop | None = None
        self.published_at: dict[int, float] = {}
        self.shown: dict[int, float] = {}  # version -> seconds from publishing to a page showing it
        self.first_shown = threading.Event()

    def publish(self, snapshot: Snapshot) -> None:
        """Called from the rebuild thread: tell every page a new version is there."""
        self.published_at[snapshot.version] = time.perf_counter()
        if self.loop is not None and not self.loop.is_closed():
            asyncio.run_coroutine_threadsafe(self.broadcast(snapshot.version), self.loop)

    async def broadcast(self, version: int) -> None:
        """Send the version number to every open page; drop the pages that went away."""
        for ws in list(self.sockets):
            try:
                await ws.send_json({"version": version})
            except Exception:  # a page closed mid-send is simply gone
                self.sockets.discard(ws)

    def page_showed(self, version: int) -> None:
        """A page says it shows `version`: record the push time once."""
        published = self.published_at.get(version)
        if published is not None and version not in self.shown:
            self.shown[version] = time.perf_counter() - published


def preview_app(session: PreviewSession, hub: Hub, allowed_hosts: list[str],
                on_start: Callable[[], None] = lambda: None) -> Any:
    """The Starlette application: the page, its update, the downloads, the status and the socket."""
    from starlette.applications import Starlette
    from starlette.concurrency import run_in_threadpool
    from starlette.middleware import Middleware
    from starlette.middleware.trustedhost import TrustedHostMiddleware
    from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response
    from starlette.routing import Route, WebSocketRoute
    from starlette.websockets import WebSocketDisconnect

    name = session.case_path.name

    async def page(request: Any) -> Response:
        nonce = secrets.token_urlsafe(16)
        return HTMLResponse(page_html(session.snapshot, name, nonce), headers=page_headers(nonce))

    async def update(request: Any) -> Response:
        return Response(update_json(session.snapshot, name), media_type="application/json",
                        headers={"Cache-Control": "no-store"})

    async def status(request: Any) -> Response:
        snapshot = session.snapshot
        timings = dict(snapshot.timings)
        if snapshot.version in hub.shown:
            timings["push"] = hub.shown[snapshot.version]
        return JSONResponse({
            "version": snapshot.version, "status": snapshot.status, "error": snapshot.error,
            "timings": timings, "pid": os.getpid(), "kernel_pid": session.kernel_pid(),
        }, headers={"Cache-Control": "no-store"})

    async def download(request: Any) -> Response:
        fmt = request.path_params["fmt"]
        if fmt not in DOWNLOADS:
            return Response(status_code=404)
        try:
            path = await run_in_threadpool(session.export, fmt)
        except ExportError as exc:
            return HTMLResponse(f"<!DOCTYPE html><p>{_escape(exc.message)}</p>", status_code=409)
        return FileResponse(path, media_type=MEDIA_TYPES[fmt], filename=path.name)

    async def events(ws: Any) -> None:
        await ws.accept()
        hub.sockets.add(ws)
        try:
            await ws.send_json({"version": session.snapshot.version})
            while True:
                message = await ws.receive_json()
                if isinstance(message, dict) and isinstance(message.get("shown"), int):
                    hub.page_showed(message["shown"])
        except (WebSocketDisconnect, ValueError, RuntimeError):
            pass
        finally:
            hub.sockets.discard(ws)

    @contextlib.asynccontextmanager
    async def lifespan(app: Any) -> AsyncIterator[None]:
        hub.loop = asyncio.get_running_loop()
        stop = asyncio.Event()
        rebuilder = Rebuilder(session, hub.publish)
        watcher = asyncio.create_task(watch_inputs(lambda: session.inputs, rebuilder.request, stop))
        rebuilder.start()
        on_start()
        try:
            yield
        finally:
            stop.set()
            rebuilder.stop()
            session.close()  # stops the kernel, which ends a rebuild in progress
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await asyncio.wait_for(watcher, timeout=2)

    routes = [
        Route("/", page), Route("/update", update), Route("/status", status),
        Route("/letter.{fmt:str}", download), WebSocketRoute("/events", events),
    ]
    app = Starlette(routes=routes, lifespan=lifespan,
                    middleware=[Middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts)])
    return app


def page_headers(nonce: str) -> dict[str, str]:
    """No caching, and a policy that runs only the page's own script (whatever a letter might hold)."""
    return {
        "Cache-Control": "no-store",
        "Content-Security-Policy": (
            f"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'unsafe-inline'; img-src data:; "
            "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'"
        ),
        "X-Content-Type-Options": "nosniff",
    }


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on `host`:`port` (0 for a free port).

    Raises:
        CaseletterError: the port is taken or the address is not this machine's.
    """
    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host.strip("[]"), port))
        sock.listen(64)
    except OSError as exc:
        raise CaseletterError(
            f"--host {host} --port {port}", f"the preview cannot listen there ({exc.strerror})",
            "Leave --port out to take a free port, or give another one.",
        ) from None
    return sock


def latest_case(folder: Path) -> Path:
    """The case file saved last in `folder` (what a preview started without a case shows).

    Raises:
        CaseletterError: the folder holds no case file.
    """
    cases = [p for pattern in ("*.yaml", "*.yml") for p in folder.glob(pattern) if p.is_file()]
    if not cases:
        raise CaseletterError(
            str(folder), "there is no case file here to preview",
            "Give the case file (caseletter preview cases/NAME.yaml), or start one with `caseletter new NAME`.",
        )
    return max(cases, key=lambda p: (p.stat().st_mtime, p.name))


def run_preview(case_path: Path, journal: str | None = None, host: str = "127.0.0.1", port: int = 0,
                open_browser: bool = True, behind_proxy: bool = False, cell_timeout: float = 300,
                say: Callable[[str], None] = print) -> None:
    """Serve the preview of one case until Ctrl-C (the library entry point of ``caseletter preview``).

    Raises:
        CaseletterError: the case file does not exist, or the address cannot be used.
    """
    import uvicorn

    if not case_path.is_file():
        raise CaseletterError(str(case_path), "there is no such case file", "Give the path of a case's .yaml file.")
    sock = bind(host, port)
    name = host.strip("[]")
    url = f"http://{f'[{name}]' if ':' in name else name}:{sock.getsockname()[1]}/"
    session = PreviewSession(case_path, journal, cell_timeout)
    hub = Hub()
    # Listening on every address (0.0.0.0, ::) means answering to whatever name reaches it.
    allowed = ["*"] if behind_proxy or name in ("0.0.0.0", "::") else sorted({*LOCAL_NAMES, name})
    app = preview_app(session, hub, allowed, on_start=lambda: announce(url, host, open_browser, say))
    server = quiet_server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    try:
        server.run(sockets=[sock])
    finally:
        session.close()
        sock.close()


def quiet_server(config: Any) -> Any:
    """A uvicorn server that ends on Ctrl-C or SIGTERM by shutting down, and nothing more.

    uvicorn raises the signal again once it has stopped, which would end the shutdown of the
    app (the kernel, the watcher) half-way with a traceback.
    """
    import signal

    import uvicorn

    class QuietServer(uvicorn.Server):
        @contextlib.contextmanager
        def capture_signals(self) -> Any:
            if threading.current_thread() is not threading.main_thread():
                yield
                return
            signals = (signal.SIGINT, signal.SIGTERM)
            previous = {sig: signal.signal(sig, self.handle_exit) for sig in signals}
            try:
                yield
            finally:
                for sig, handler in previous.items():
                    signal.signal(sig, handler)

    return QuietServer(config)


def announce(url: str, host: str, open_browser: bool, say: Callable[[str], None]) -> None:
    """Say where the preview is (and warn when others may reach it); open the browser."""
    say(f"Preview at {url} (Ctrl-C to stop)")
    if host.strip("[]") not in LOCAL_NAMES:
        say(f"Warning: the preview listens on {host}: anyone who can reach this machine there can read the letter "
            "and its check, identifiers included.")
    if open_browser:
        import webbrowser

        threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()


def _escape(text: str) -> str:
    import html

    return html.escape(text)
