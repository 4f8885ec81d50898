"""Connecting to a Dask cluster for a class build, or saying in one paragraph why it cannot build.

The scheduler must answer, have at least one worker, and its workers must run this very version
of the kit (a letter built by another version would not match what this machine's cache
records). Then each worker gets the kit's plugin (`clusterworker.LetterWorkerPlugin`), which
keeps its kernels warm from one case, and one build, to the next.

How long the scheduler has to answer is ``CONNECT_TIMEOUT`` (10 s), unless the environment
variable ``CASELETTER_CONNECT_TIMEOUT`` gives another number of seconds (the tests give 1 for an
address where nothing listens).
"""

from __future__ import annotations

import os
from typing import Any

from caseletter.errors import ClusterError

CONNECT_TIMEOUT = 10  # seconds for the scheduler to answer
CONNECT_TIMEOUT_VARIABLE = "CASELETTER_CONNECT_TIMEOUT"  # another number of seconds, if set
WORKERS_TIMEOUT = 10  # seconds for a scheduler with no worker yet to get one
INSTALL = "pip install 'caseletter[dask]'"


def connected(address: str) -> Any:
    """A client of the cluster at `address`, its workers checked and ready for letters.

    Raises:
        ClusterError: distributed is not installed, nothing answers at the address, the
            cluster has no workers, or they do not run this version of the kit.
    """
    client = connect(address)
    try:
        check_workers(client, address)
        from caseletter.build.clusterworker import LetterWorkerPlugin

        client.register_plugin(LetterWorkerPlugin())
    except BaseException:
        client.close()
        raise
    return client


def connect(address: str) -> Any:
    """A Dask client of the scheduler at `address`, or one paragraph saying why not."""
    try:
        from distributed import Client
    except ImportError:
        raise ClusterError(
            f"--dask {address}", "Dask's distributed scheduler is not installed here",
            f"Install it with {INSTALL} (the workers need the same), or build without --dask.",
        ) from None
    quiet_dask_logs()
    seconds = connect_timeout()
    try:
        return Client(address, timeout=seconds, set_as_default=False)
    except Exception as exc:  # a refused connection, a timeout, an address that is not one
        raise ClusterError(
            f"--dask {address}", f"no Dask scheduler answered there within {seconds:g} s ({describe(exc)})",
            "Check the address (tcp://HOST:8786) and that this machine can reach it; start a scheduler with "
            "`dask scheduler` and workers with `dask worker ADDRESS`, or build without --dask. Nothing was built.",
        ) from None


def connect_timeout() -> float:
    """Seconds for the scheduler to answer: ``CASELETTER_CONNECT_TIMEOUT`` if it is a positive number, else 10."""
    try:
        seconds = float(os.environ.get(CONNECT_TIMEOUT_VARIABLE, ""))
    except ValueError:
        return CONNECT_TIMEOUT
    return seconds if 0 < seconds < float("inf") else CONNECT_TIMEOUT


def quiet_dask_logs() -> None:
    """Keep distributed's own log lines off the terminal: the kit says in one paragraph what went wrong."""
    import logging

    for name in ("distributed", "distributed.client", "distributed.comm", "distributed.core"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


def describe(exc: BaseException) -> str:
    """An exception in a few words, for a message."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{exc.__class__.__name__}: {text}" if text else exc.__class__.__name__


def check_workers(client: Any, address: str) -> None:
    """Refuse a cluster with no worker, or whose workers cannot run this kit's version.

    Raises:
        ClusterError: naming the address and what to install or start.
    """
    from caseletter.build.clusterworker import kit_version

    try:
        client.wait_for_workers(1, timeout=WORKERS_TIMEOUT)
    except Exception:  # TimeoutError, or the scheduler went away
        raise ClusterError(
            f"--dask {address}", f"the scheduler has no workers after {WORKERS_TIMEOUT} s",
            f"Start some with `dask worker {address}` on machines that have {INSTALL}. Nothing was built.",
        ) from None
    try:
        versions = client.run(kit_version)
    except Exception as exc:  # caseletter missing on a worker: it cannot unpickle the function
        raise ClusterError(
            f"--dask {address}", f"the workers cannot run caseletter ({describe(exc)})",
            f"Install the kit with {INSTALL} on every worker, in the environment `dask worker` runs in.",
        ) from None
    mine = kit_version()
    others = {worker: version for worker, version in versions.items() if version != mine}
    if others:
        listed = ", ".join(f"{worker} has {version}" for worker, version in sorted(others.items()))
        raise ClusterError(
            f"--dask {address}", f"workers run another caseletter than this machine's {mine} ({listed})",
            "Install the same version on every worker, so that the letters match what this build records.",
        )
