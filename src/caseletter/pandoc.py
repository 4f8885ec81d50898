"""Running pandoc, and writing plain text as pandoc Markdown.

pandoc is the binary that ships inside the pypandoc-binary wheel, not one on PATH. It is found
by file location rather than by importing pypandoc, so the kernel and the CLI do not pay for
that import; pypandoc's own lookup is the fallback.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import subprocess
from pathlib import Path

from caseletter.errors import ExportError, cut

#: Characters pandoc's Markdown gives a meaning to (emphasis, links, code, tables, math...).
MARKUP_CHARACTERS = "\\`*_{}[]<>#+!|^~@$&"
#: Characters pandoc's smart typography changes (quotes curl, -- becomes a dash, ... an ellipsis).
TYPOGRAPHY_CHARACTERS = "-.\"'"
_PANDOC_NOISE = ("CallStack", "ghc-internal", "libraries/", "HasCallStack", "toException", "throwIO", "ioException")


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
        raise ExportError(
            "pandoc",
            "the pandoc program was not found",
            "Install the kit's dependencies: `pip install pypandoc-binary` (or run `make letter`).",
        ) from None


def run_pandoc(args: list[str], stdin: str | bytes = "", what: str = "pandoc", timeout: float = 120) -> bytes:
    """Run pandoc with `args`, feeding `stdin`; return its standard output.

    ``SOURCE_DATE_EPOCH`` is set to 0, so what pandoc writes carries no build time (a DOCX's
    creation date among them) and the same input always gives the same bytes.

    Raises:
        ExportError: pandoc exited non-zero or timed out; the message carries its stderr, short.
    """
    data = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
    env = {**os.environ, "SOURCE_DATE_EPOCH": "0"}
    try:
        done = subprocess.run(
            [pandoc_path(), *args], input=data, capture_output=True, timeout=timeout, check=False, env=env,
        )
    except subprocess.TimeoutExpired:
        raise ExportError(
            what,
            f"pandoc did not finish within {timeout:.0f} s",
            "Try again; if it persists, report the case file that causes it.",
        ) from None
    except OSError as exc:
        raise ExportError(
            what, f"pandoc could not be started ({exc.strerror})", "Reinstall the kit's dependencies (`make letter`)."
        ) from None
    if done.returncode != 0:
        lines = [line.strip() for line in done.stderr.decode("utf-8", "replace").splitlines() if line.strip()]
        message = " ".join(line for line in lines if not line.startswith(_PANDOC_NOISE))
        raise ExportError(
            what,
            f"pandoc failed: {cut(message, 400) or 'no message'}",
            "Check the text it names; if it is the kit's fault, report it.",
        )
    return done.stdout


def escape_markdown(text: str, *, smart: bool = True) -> str:
    """Plain text as pandoc Markdown that reads back as the same characters.

    With `smart`, quotes, hyphens and periods are left to pandoc's smart typography, as prose
    wants ("patient's" gets a curly apostrophe); without it they are escaped too, so that a
    title, a byline or a formatted reference prints exactly as typed.
    """
    escaped = MARKUP_CHARACTERS if smart else MARKUP_CHARACTERS + TYPOGRAPHY_CHARACTERS
    return "".join("\\" + ch if ch in escaped else ch for ch in text)
