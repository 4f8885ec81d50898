"""Warm kernels: each case gets a fresh kernel, and nothing of one case reaches the next."""

from __future__ import annotations

import asyncio

from caseletter.build.execute import LETTER_NOTEBOOK
from caseletter.build.kernels import KernelPool

USER_NAMES = """
import types
print(sorted(k for k, v in globals().items()
             if not k.startswith('_') and not isinstance(v, types.ModuleType)
             and k not in ('In', 'Out', 'get_ipython', 'exit', 'quit', 'open')))
"""


def run_in(kernel, code: str) -> str:
    """Execute code in a pool kernel and return what it printed."""

    async def go():
        client = kernel.manager.client()
        client.start_channels()
        try:
            await client.wait_for_ready(timeout=60)
            printed = []

            def keep(msg):
                if msg["msg_type"] == "stream":
                    printed.append(msg["content"]["text"])

            await client.execute_interactive(code, timeout=60, output_hook=keep)
            return "".join(printed).strip()
        finally:
            client.stop_channels()

    return asyncio.run(go())


def test_each_case_gets_its_own_clean_kernel():
    """Kernels forked from the warm zygote (the class-build path) are separate and clean."""
    pool = KernelPool(total=2, size=2, cwd=LETTER_NOTEBOOK.parent)
    try:
        first, second = pool.take(), pool.take()
        assert first.manager.provisioner.process.pid != second.manager.provisioner.process.pid
        # A warm kernel holds modules only: no variable of any case.
        assert run_in(first, USER_NAMES) == "[]"
        assert run_in(first, "import sys; print('caseletter.dosing.timeline' in sys.modules)") == "True"
        # One case leaves state behind in its kernel...
        run_in(first, "case_path = 'cases/one.yaml'; letter = 'case one'")
        assert run_in(first, "print(letter)") == "case one"
        process = first.manager.provisioner.process
        first.discard()
        # ...which dies with that kernel; the next case's kernel never saw it.
        assert process.poll() is not None
        assert run_in(second, USER_NAMES) == "[]"
        assert run_in(second, "print('letter' in globals(), 'case_path' in globals())") == "False False"
        second.discard()
    finally:
        pool.close()
    assert pool.zygote is not None and pool.zygote.process.poll() is not None, "the zygote outlived its build"


def test_a_pool_starts_no_more_kernels_than_cases():
    pool = KernelPool(total=1, size=4, cwd=LETTER_NOTEBOOK.parent)
    try:
        kernel = pool.take()
        assert pool.to_start == 0 and pool.ready.empty()
        kernel.discard()
    finally:
        pool.close()
