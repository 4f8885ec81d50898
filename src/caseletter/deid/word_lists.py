"""Word lists built once from installed packages and kept in the user's cache folder.

The first-name list and the gazetteer take about a second and three seconds to build from their
packages; every later scan reads them back as JSON in a fraction of that. A list is keyed by
the versions of the packages it comes from and by the text of the module that builds it, so an
upgrade or a changed rule rebuilds it; older copies of the same list are removed then.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path
from typing import Any

from caseletter.deid.user_cache import cache_folder, read_json, write_json


def cached_lists(name: str, packages: tuple[str, ...], builder_source: Path, build: Callable[[], Any]) -> Any:
    """The JSON value ``build()`` returns, from the cache when its key still holds."""
    stamp = " ".join(f"{p}={version(p)}" for p in packages) + "\n" + builder_source.read_text(encoding="utf-8")
    path = cache_folder() / f"{name}-{hashlib.sha256(stamp.encode()).hexdigest()[:16]}.json"
    value = read_json(path)
    if value is None:
        value = build()
        if write_json(path, value):
            for old in path.parent.glob(f"{name}-*.json"):
                if old != path:
                    old.unlink(missing_ok=True)
    return value


#: How many of the most frequent English words count as everyday words.
COMMON_WORD_RANKS = 5000


def common_english_words() -> frozenset[str]:
    """The most frequent English words, from pyspellchecker's frequency list (built from subtitles).

    A town or a surname spelled like one of these ("Nice", "Reading", "Young") is read as the word
    unless something else says it is a name.
    """
    from spellchecker import SpellChecker

    frequencies = SpellChecker(language="en").word_frequency.dictionary
    ranked = sorted(frequencies, key=frequencies.__getitem__, reverse=True)
    return frozenset(ranked[:COMMON_WORD_RANKS])
