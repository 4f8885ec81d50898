"""Kernels forked from the zygote, behind jupyter_client's own kernel manager.

`ForkingProvisioner` is jupyter_client's local provisioner with one change: instead of
starting a new interpreter for the kernel command, it asks the zygote (`build.zygote`)
to fork a warm child on the same connection file. Everything else — connection files, the
clients papermill and nbclient make, signals, shutdown — is jupyter_client's.
"""

from __future__ import annotations

import functools
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

from jupyter_client.provisioning import LocalProvisioner

ZYGOTE_START_TIMEOUT = 60


class ForkedProcess:
    """The parts of `subprocess.Popen` the provisioner uses, for a process we did not spawn."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        """None while the process lives (the zygote reaps it when it ends)."""
        if self.returncode is None:
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                self.returncode = -signal.SIGKILL
            except PermissionError:  # the pid was reused by someone else's process
                self.returncode = -signal.SIGKILL
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        """Wait for the process to end."""
        import time

        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(str(self.pid), timeout)
            time.sleep(0.02)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        """Signal the process if it still lives."""
        if self.poll() is None:
            try:
                os.kill(self.pid, signum)
            except ProcessLookupError:
                pass

    def kill(self) -> None:
        """SIGKILL."""
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        """SIGTERM."""
        self.send_signal(signal.SIGTERM)


class Zygote:
    """The warm parent process, started once per build and shared by every kernel."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "caseletter.build.zygote"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL, text=True, bufsize=1, start_new_session=True,
        )
        self.ready = threading.Event()
        self.failed = False
        threading.Thread(target=self._wait_ready, daemon=True, name="caseletter-zygote").start()

    def _wait_ready(self) -> None:
        line = self.process.stdout.readline()
        self.failed = line.strip() != "READY"
        self.ready.set()

    def fork(self, cwd: str, connection_file: str) -> int:
        """A new kernel process on `connection_file`; its pid."""
        if not self.ready.wait(ZYGOTE_START_TIMEOUT) or self.failed:
            raise RuntimeError("the kernel zygote did not start")
        with self.lock:
            self.process.stdin.write(f"FORK {cwd}\t{connection_file}\n")
            self.process.stdin.flush()
            reply = self.process.stdout.readline().split()
        if len(reply) != 2 or reply[0] != "PID":
            raise RuntimeError("the kernel zygote stopped answering")
        return int(reply[1])

    def close(self) -> None:
        """End the zygote (its kernels are discarded by their own cases)."""
        try:
            self.process.stdin.close()
            self.process.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()
        finally:
            self.process.stdout.close()


class ForkingProvisioner(LocalProvisioner):
    """jupyter_client's local provisioner, launching by fork from the zygote."""

    zygote: Zygote | None = None
    cwd: str = "."

    async def launch_kernel(self, cmd: list[str], **kwargs: Any):
        """Ask the zygote for a kernel on this manager's connection file."""
        connection_file = str(Path(self.parent.connection_file).resolve())
        pid = self.zygote.fork(self.cwd, connection_file)
        self.process = ForkedProcess(pid)
        self.pid = pid
        self.pgid = pid  # the child made itself a process-group leader
        return self.connection_info


@functools.cache
def tracking_manager_class() -> type:
    """An AsyncKernelManager that remembers the clients it hands out, so they can be closed."""
    from jupyter_client.manager import AsyncKernelManager

    class TrackingKernelManager(AsyncKernelManager):
        async def _async_start_kernel(self, **kw: Any) -> None:
            # The kernel's own warnings (ipykernel's note on unencrypted TCP) are not the
            # user's business, and in a tutorial they would land in the learner's cell.
            kw.setdefault("stderr", subprocess.DEVNULL)
            await super()._async_start_kernel(**kw)

        start_kernel = _async_start_kernel

        def client(self, **kwargs: Any) -> Any:
            made = super().client(**kwargs)
            self.__dict__.setdefault("clients", []).append(made)
            return made

    return TrackingKernelManager


def forked_kernel_manager(zygote: Zygote, cwd: Path, kernel_name: str = "python3") -> Any:
    """A kernel manager whose kernel will come from `zygote` when it is started."""
    import uuid

    manager = tracking_manager_class()(kernel_name=kernel_name)
    manager.kernel_id = str(uuid.uuid4())
    provisioner = ForkingProvisioner(kernel_id=manager.kernel_id, kernel_spec=manager.kernel_spec, parent=manager)
    provisioner.zygote = zygote
    provisioner.cwd = str(cwd)
    manager.provisioner = provisioner
    return manager
