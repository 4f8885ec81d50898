"""Lazy re-exports for the sub-packages' ``__init__`` modules (PEP 562).

``from caseletter.build import build_letter`` is the convenient spelling, but importing a
package runs its ``__init__`` first: an eager one would load every stage below it, and the
"nothing changed" answer of a build (a fraction of a second) would pay for pydantic, pint and
matplotlib. So a package names what it re-exports and each name is imported on first use.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import Any


def reexport(package: str, modules: dict[str, list[str]]) -> Callable[[str], Any]:
    """A module ``__getattr__`` that imports each name of `modules` from ``package.<module>`` on first use."""
    owners = {name: f"{package}.{module}" for module, names in modules.items() for name in names}

    def __getattr__(name: str) -> Any:
        if name in owners:
            return getattr(import_module(owners[name]), name)
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    return __getattr__
