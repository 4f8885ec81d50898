r"""A warm parent for kernels: one process that has imported everything, forked once per case.

Starting a kernel the ordinary way costs a new interpreter, ipykernel's imports and the kit's
imports (pint, matplotlib, pydantic) — about two seconds of CPU for every case of a class. The
zygote pays that once: it imports and warms up, then waits on its standard input. For each
kernel the builder needs, it forks a child that starts an IPython kernel on the connection file
it was given. The child owns nothing the zygote did (no sockets, no threads, no user names: the
zygote never runs case code), so each case still starts from a clean kernel, and the child is
discarded after its one case like any other kernel.

Protocol, one line each way: ``FORK <cwd>\t<connection file>`` → ``PID <pid>``; end of input
stops the zygote. Run as ``python -m caseletter.build.zygote``.
"""

from __future__ import annotations

import os
import signal
import sys


def warm_up() -> None:
    """Import what a letter needs and build the caches it uses, before any fork.

    A kernel started the ordinary way runs this too, in its warm-up, so both kinds of kernel
    start a case equally ready.
    """
    import io

    import ipykernel.kernelapp  # noqa: F401
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    import caseletter.dosing.timeline  # noqa: F401
    import caseletter.letter.figures  # noqa: F401
    import caseletter.letter.notebook  # noqa: F401
    import caseletter.letter.tables  # noqa: F401
    from caseletter.dosing.units import unit_registry

    unit_registry()
    figure = Figure(figsize=(1, 1))
    FigureCanvasAgg(figure)
    figure.text(0.5, 0.5, "warm")
    figure.savefig(io.BytesIO(), format="png")


def serve(commands, replies) -> None:
    """Fork a kernel for every FORK line until the input ends."""
    for line in commands:
        verb, _, rest = line.rstrip("\n").partition(" ")
        if verb != "FORK":
            continue
        cwd, _, connection_file = rest.partition("\t")
        pid = os.fork()
        if pid == 0:
            run_kernel(cwd, connection_file)
        replies.write(f"PID {pid}\n")
        replies.flush()


def run_kernel(cwd: str, connection_file: str) -> None:
    """In the child: detach from the zygote's pipes and process group, then be a kernel.

    The kernel dies with the zygote twice over: the kernel's own parent poller watches the
    zygote's pid, and the system sends SIGKILL when the zygote ends (parent-death signal).
    """
    zygote = os.getppid()
    try:
        die_with_parent(zygote)
        os.setsid()
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(devnull, fd)
        os.chdir(cwd)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        from ipykernel.kernelapp import IPKernelApp

        app = IPKernelApp.instance()
        # parent_handle's default was read from the environment when the zygote imported ipykernel.
        app.initialize(["-f", connection_file, f"--IPKernelApp.parent_handle={zygote}"])
        app.start()
    finally:
        os._exit(0)


def die_with_parent(parent: int) -> None:
    """Ask Linux to SIGKILL this process when its parent ends; end now if it already has.

    A killed build (kill -9, a closed terminal) runs no clean-up of its own, so its zygote
    and kernels must not outlive it by their own means. Elsewhere than Linux this does nothing.
    """
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    pr_set_pdeathsig = 1
    ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the request was made
        os._exit(0)


def main() -> None:
    """Warm up, say so, then serve fork requests on stdin, as long as the builder lives."""
    die_with_parent(os.getppid())
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped by the system
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the builder's to handle
    warm_up()
    sys.stdout.write("READY\n")
    sys.stdout.flush()
    serve(sys.stdin, sys.stdout)


if __name__ == "__main__":
    main()
