"""Kernels started ahead of need: each case runs on a fresh kernel that is already warm.

Starting a Python kernel costs about a second and importing the kit, pint and matplotlib in it
about as much again; a build that waited for both would spend most of its time there. The pool
starts kernels in background threads while the builder does its own work, runs only import
statements in them (no case data), and hands each kernel to exactly one case. After that case
the kernel is shut down, so nothing of one case can reach the next.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import queue
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from caseletter.errors import ExecutionError

# Modules and caches only: a warm kernel holds no case's data, and leaves no names behind.
WARM_UP_CODE = (
    "import caseletter.build.zygote as _caseletter_zygote\n_caseletter_zygote.warm_up()\ndel _caseletter_zygote\n"
)
START_TIMEOUT = 60


@dataclass
class WarmKernel:
    """A started, warmed kernel, owned by one case until `discard` is called."""

    manager: object
    log: list[str] = field(default_factory=list)

    def discard(self) -> None:
        """Stop the kernel process and remove its connection file."""
        manager = self.manager
        for client in getattr(manager, "clients", []):
            client.stop_channels()  # nbclient leaves a kernel it does not own connected
        try:
            manager.provisioner.process.kill()
            manager.provisioner.process.wait(timeout=10)
        except Exception:  # already gone: nothing to stop
            pass
        try:
            manager.cleanup_connection_file()
            manager._close_control_socket()  # jupyter_client's own clean-up step, run synchronously
            manager.context.destroy(linger=0)
        except Exception:  # a missing connection file or a closed socket is fine
            pass


class KernelPool:
    """Starts up to `size` kernels at a time, `total` in all, each handed out once.

    Args:
        total: how many kernels the build needs (one per case).
        size: how many may be alive and waiting at once (the number of workers).
        cwd: the kernels' working folder (the notebook's folder).
    """

    def __init__(self, total: int, size: int, cwd: Path, kernel_name: str = "python3", fork: bool = True) -> None:
        from caseletter.build.forking import Zygote

        self.kernel_name = kernel_name
        self.cwd = cwd
        # Forking from a warm zygote pays the imports once per build instead of once per case.
        self.zygote = Zygote() if fork and total > 1 and kernel_name == "python3" else None
        # A lone kernel is needed at once: warming it first would only delay the same imports.
        self.warm = total > 1
        self.ready: queue.Queue[WarmKernel | BaseException] = queue.Queue()
        self.to_start = total
        self.lock = threading.Lock()
        self.closed = False
        self.started: list[WarmKernel] = []
        for _ in range(min(size, total)):
            self._start_one()

    def take(self, timeout: float = START_TIMEOUT * 2) -> WarmKernel:
        """The next warm kernel; starts another in its place if more are needed.

        A worker waiting here when the build is stopped (Ctrl-C, SIGTERM) is released at once,
        so that stopping never waits for a kernel that will not come.
        """
        item = self._next(timeout)
        self._start_one()
        if isinstance(item, BaseException):
            raise ExecutionError(
                "kernel",
                f"the Python kernel did not start: {item}",
                "Run `make letter` to reinstall the kit's environment.",
            )
        return item

    def _next(self, timeout: float) -> WarmKernel | BaseException:
        deadline = time.monotonic() + timeout
        while not self.closed:
            try:
                return self.ready.get(timeout=min(0.2, max(0.0, deadline - time.monotonic())))
            except queue.Empty:
                if time.monotonic() >= deadline:
                    raise ExecutionError(
                        "kernel",
                        f"no Python kernel was ready after {timeout:.0f} s",
                        "Check that ipykernel is installed in the kit's environment (`make letter`).",
                    ) from None
        raise ExecutionError("kernel", "the build was stopped before this case's kernel was ready")

    def kill_all(self) -> None:
        """Stop every kernel this pool started, handed out or not (on Ctrl-C)."""
        self.closed = True
        for kernel in list(self.started):
            kernel.discard()

    def close(self) -> None:
        """Stop every kernel that was started and not handed out, and the zygote."""
        self.closed = True
        if self.zygote is not None:
            self.zygote.close()
        while True:
            try:
                item = self.ready.get_nowait()
            except queue.Empty:
                break
            if isinstance(item, WarmKernel):
                item.discard()

    def _start_one(self) -> None:
        with self.lock:
            if self.to_start <= 0 or self.closed:
                return
            self.to_start -= 1
        threading.Thread(target=self._boot, daemon=True, name="caseletter-kernel").start()

    def _boot(self) -> None:
        try:
            kernel = asyncio.run(start_warm_kernel(self.kernel_name, self.cwd, self.zygote, warm=self.warm))
        except BaseException as exc:  # reported to whoever takes this slot
            self.ready.put(exc)
            return
        self.started.append(kernel)
        if self.closed:
            kernel.discard()
        else:
            self.ready.put(kernel)


async def start_warm_kernel(kernel_name: str, cwd: Path, zygote=None, warm: bool = True) -> WarmKernel:
    """Start a kernel (forked from the zygote when there is one), warm it, detach the client."""
    from caseletter.build.forking import forked_kernel_manager, tracking_manager_class

    if zygote is not None:
        manager = forked_kernel_manager(zygote, cwd, kernel_name)
    else:
        manager = tracking_manager_class()(kernel_name=kernel_name)
    manager.log.setLevel(logging.ERROR)
    await manager.start_kernel(cwd=str(cwd), stderr=_devnull())
    client = manager.client()
    client.start_channels()
    try:
        await client.wait_for_ready(timeout=START_TIMEOUT)
        if warm and zygote is None:  # a forked kernel inherited the zygote's warm modules
            reply = await client.execute_interactive(WARM_UP_CODE, timeout=START_TIMEOUT, output_hook=lambda msg: None)
            if reply["content"]["status"] != "ok":
                raise RuntimeError(f"warm-up failed: {reply['content'].get('ename')}: {reply['content'].get('evalue')}")
    finally:
        client.stop_channels()
    manager.client_factory = ready_client_class()
    return WarmKernel(manager)


@functools.cache
def ready_client_class() -> type:
    """A kernel client for a kernel already known to be ready: no pause when it connects.

    jupyter_client's ``wait_for_ready`` ends by listening 0.2 s for stray output; nbclient
    calls it each time it connects, which is once per letter. A kernel this pool hands out has
    already answered once and been warmed, so one ``kernel_info`` round trip says it is
    listening, and whatever output is already waiting is drained without waiting for more.
    """
    from jupyter_client.asynchronous import AsyncKernelClient

    class ReadyKernelClient(AsyncKernelClient):
        async def wait_for_ready(self, timeout: float | None = None) -> None:
            msg_id = self.kernel_info()
            deadline = time.monotonic() + (timeout or START_TIMEOUT)
            while True:
                reply = await self.shell_channel.get_msg(timeout=max(0.0, deadline - time.monotonic()))
                if reply.get("parent_header", {}).get("msg_id") == msg_id:
                    break
            while True:
                try:
                    await self.iopub_channel.get_msg(timeout=0.001)
                except queue.Empty:
                    return

    return ReadyKernelClient


def _devnull():
    """Where the kernel's own stderr goes: its warnings are not the user's business."""
    import subprocess

    return subprocess.DEVNULL
