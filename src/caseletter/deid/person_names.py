"""First names and surnames, from Faker's person providers: the evidence for a name that has no cue.

Faker ships ~21,000 Latin-script first names and as many surnames over its locales as module
constants (MIT, no network, no data files). Names and places both ask whether a word is a first
name, so the lists live below both. Surnames that are everyday English words (Young, King, Brown)
are left out: alone they say nothing.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache
from pathlib import Path

from caseletter.deid.word_lists import cached_lists, common_english_words

#: First names that are far more often ordinary words in a case report.
NON_NAME_WORDS = frozenset(
    "Will May Grace Hope Joy Faith Iris Rose Ruby Jade Amber Ivy Dawn Summer Autumn Winter Spring "
    "Sky Hunter Mark Bill Pat Sterling Royal Major King Page Case Chase Cash Star Sunny Honey "
    "Patience Mercy Charity Unity Liberty Justice Dale Glen Heath Forest River Brook Lane Bay "
    "Miles Art Guy Rich Young Long Short Price Chance Clay Stone Rock Ray Sandy Rusty Sol Sage "
    "August June April Christian Angel Precious Blessing Marvel Gift Wisdom Destiny Harmony".split()
)


@lru_cache(maxsize=1)
def load_first_names() -> frozenset[str]:
    """First names from every Faker person locale written in Latin script.

    Faker ships the lists as module constants, so this needs no network and no data files.
    Importing its seventy-odd locale modules takes most of a second, so the merged list is kept
    in the user's cache folder (``deid.word_lists``).
    """
    names = cached_lists("first-names", ("faker",), Path(__file__), lambda: sorted(collect_first_names()))
    return frozenset(names)


@lru_cache(maxsize=1)
def load_surnames() -> frozenset[str]:
    """Surnames from every Faker person locale written in Latin script, without everyday words."""
    names = cached_lists("surnames", ("faker", "pyspellchecker"), Path(__file__), lambda: sorted(collect_surnames()))
    return frozenset(names)


def collect_surnames() -> frozenset[str]:
    """The merged surname list, less the names that are among the commonest English words."""
    names = _collect(("last_names", "last_names_male", "last_names_female", "last_romanized_names"))
    common = common_english_words()
    return frozenset(n for n in names - NON_NAME_WORDS if n.lower() not in common)


def collect_first_names() -> frozenset[str]:
    """The merged first-name list, read from Faker's locale modules."""
    attributes = ("first_names", "first_names_male", "first_names_female", "first_romanized_names")
    romanized = ("first_romanized_names_male", "first_romanized_names_female")
    return frozenset(_collect(attributes + romanized) - NON_NAME_WORDS)


def _collect(attributes: tuple[str, ...]) -> set[str]:
    import faker.providers.person as person

    names: set[str] = set()
    for module in pkgutil.iter_modules(person.__path__):
        provider = importlib.import_module(f"{person.__name__}.{module.name}").Provider
        for attribute in attributes:
            value = getattr(provider, attribute, ())
            if isinstance(value, (list, tuple, dict, set, frozenset)):
                names.update(n for n in value if _is_latin_name(n))
    return names


def _is_latin_name(name: str) -> bool:
    return bool(name) and name[0].isupper() and name.isalpha() and all(ord(c) < 0x250 for c in name)
