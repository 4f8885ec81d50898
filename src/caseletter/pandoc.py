"""Running pandoc: the binary that ships inside the pypandoc-binary wheel, not one on PATH.

Found by file location rather than by importing pypandoc, so the kernel and the CLI do not pay
for that import; pypandoc's own lookup is the fallback.
"""

from __future__ import annotations

import functools
import importlib.util
import subprocess
from pathlib import Path

from caseletter.errors import ExportError


@functools.cache
def pandoc_path() -> str:
    """The pandoc executable shipped in the pypandoc-binary wheel."""
    spec = importlib.util.find_spec("pypandoc")
    if spec and spec.origin:
        candidate = Path(spec.origin).parent / "files" / "pandoc"
        if candidate.is_file():
            return str(candidate)
    try:
        import pypandoc

        return pypandoc.get_pandoc_path()
    except (ImportError, OSError):
        raise ExportError("pandoc", "the pandoc program was not found", "Install the kit's dependencies: `pip install pypandoc-binary` (or run `make letter`).") from None


def run_pandoc(args: list[str], stdin: str | bytes = "", what: str = "pandoc", timeout: float = 120) -> bytes:
    """Run pandoc with `args`, feeding `stdin`; return its standard output.

    Raises:
        ExportError: pandoc exited non-zero or timed out; the message carries its stderr.
    """
    data = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
    try:
        done = subprocess.run([pandoc_path(), *args], input=data, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise ExportError(what, f"pandoc did not finish within {timeout:.0f} s", "Try again; if it persists, report the case file that causes it.") from None
    except OSError as exc:
        raise ExportError(what, f"pandoc could not be started ({exc.strerror})", "Reinstall the kit's dependencies (`make letter`).") from None
    if done.returncode != 0:
        lines = [line.strip() for line in done.stderr.decode("utf-8", "replace").splitlines() if line.strip()]
        message = " ".join(line for line in lines if not line.startswith(("CallStack", "ghc-internal", "libraries/", "HasCallStack", "toException", "throwIO", "ioException")))
        raise ExportError(what, f"pandoc failed: {message[:400] or 'no message'}", "Check the text it names; if it is the kit's fault, report it.")
    return done.stdout
