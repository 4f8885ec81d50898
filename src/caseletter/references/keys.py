"""Citation keys in a case's text: finding them, and the order they are first cited in.

Authors cite the pandoc way, ``[@smith2013]`` or ``[@gutierrez2012; @mageau2017]``. The CSL
processor (pandoc's citeproc) numbers references in order of first citation, collapses runs
(1-3) and sets the superscripts; this module reads the same syntax so that the checks, the
word count and the tutorial see the citations citeproc will see.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from caseletter.case.model import Case

# pandoc's citation key: starts with a letter, digit or _, may hold internal punctuation.
KEY = r"[\w](?:[\w:.#$%&+?<>~/-]*[\w])?"
CLUSTER = re.compile(r"\[(?P<body>[^\[\]]*?@" + KEY + r"[^\[\]]*)\]")
KEY_IN_CLUSTER = re.compile(r"(?<![\w])-?@(?P<key>" + KEY + ")")


@dataclass(frozen=True)
class Citation:
    """One cited key and where it was cited (the case file's field path)."""

    key: str
    field: str


def cited_keys(text: str) -> list[str]:
    """The keys cited in `text`, in order, repeats kept."""
    return [k.group("key") for c in CLUSTER.finditer(text) for k in KEY_IN_CLUSTER.finditer(c.group("body"))]


def find_citations(fields: Iterable[tuple[str, str]]) -> Iterator[Citation]:
    """Every citation in (field path, text) pairs, in the order given."""
    for field, text in fields:
        for key in cited_keys(text):
            yield Citation(key, field)


def first_citation_order(fields: Iterable[tuple[str, str]]) -> list[str]:
    """Keys in order of first citation: the order the reference list is numbered in."""
    seen: dict[str, None] = {}
    for citation in find_citations(fields):
        seen.setdefault(citation.key, None)
    return list(seen)


def cited_in_order(case: Case) -> list[str]:
    """Every key the letter cites, in order of first citation: the reference list's numbering."""
    from caseletter.case.fields import citation_fields

    return first_citation_order(citation_fields(case))
