"""Citations in narrative text: finding the keys, checking them, and preparing them for citeproc.

Authors cite the pandoc way, ``[@smith2013]`` or ``[@gutierrez2012; @mageau2017]``. The CSL
processor (pandoc's citeproc) numbers references in order of first citation, collapses runs
(1-3) and sets the superscripts; this module only makes sure every key exists before that
happens, and puts the superscript where AMA wants it: after a period or comma, before a colon
or semicolon ("tissues.1", not "tissues1.").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

# pandoc's citation key: starts with a letter, digit or _, may hold internal punctuation.
KEY = r"[\w](?:[\w:.#$%&+?<>~/-]*[\w])?"
CLUSTER = re.compile(r"\[(?P<body>[^\[\]]*?@" + KEY + r"[^\[\]]*)\]")
KEY_IN_CLUSTER = re.compile(r"(?<![\w])-?@(?P<key>" + KEY + ")")
CLUSTER_BEFORE_PUNCT = re.compile(r"\s*(?P<cluster>" + CLUSTER.pattern + r")(?P<punct>[.,]+)")


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


def place_after_punctuation(text: str) -> str:
    """Move a citation after a following period or comma ("word [@a]." → "word.[@a]")."""
    return CLUSTER_BEFORE_PUNCT.sub(lambda m: m.group("punct") + m.group("cluster"), text)


def escape_outside_citations(text: str) -> str:
    """Escape the Markdown a case's text has no use for, keeping citation clusters whole.

    Outside ``[@key]`` clusters and code spans, every ``[``, ``]``, ``<`` and ``@`` is escaped:
    links, images, footnotes, spans and autolinks are printed as typed, so no text can
    smuggle a ``javascript:`` link or a remote image into the letter, and pandoc's Markdown
    reader, whose time grows exponentially with unclosed or nested brackets (jgm/pandoc#1735),
    never sees one. Inside a cluster, emphasis marks around the keys are escaped for the same
    reason (runs of clusters holding ``__`` are just as slow). A ``:::`` line is escaped too:
    a fenced div of the author's could move the reference list or swallow the sections after it.
    """
    return _MARKDOWN_TOKEN.sub(_escape_token, _FENCED_DIV.sub(r"\1\\:", text))


_FENCED_DIV = re.compile(r"^( {0,3}):(?=::)", re.MULTILINE)


_MARKDOWN_TOKEN = re.compile(
    r"(?P<escaped>\\.)"
    r"|(?P<code>(?P<open>`+)(?!`).*?(?<!`)(?P=open)(?!`))"
    r"|(?P<ticks>`+)"
    r"|(?P<cluster>" + CLUSTER.pattern + ")"
    r"|(?P<special>[\[\]<@])",
    re.DOTALL,
)


def _escape_token(match: re.Match[str]) -> str:
    if match.group("special"):
        return "\\" + match.group("special")
    if match.group("cluster"):
        return "[" + _escape_around_keys(match.group("body")) + "]"
    return match.group(0)


def _escape_around_keys(body: str) -> str:
    pieces, last = [], 0
    for key in KEY_IN_CLUSTER.finditer(body):
        pieces += [_escape_emphasis(body[last : key.start()]), key.group(0)]
        last = key.end()
    pieces.append(_escape_emphasis(body[last:]))
    return "".join(pieces)


def _escape_emphasis(chunk: str) -> str:
    return re.sub(r"(?<!\\)([*_<`])", r"\\\1", chunk)
