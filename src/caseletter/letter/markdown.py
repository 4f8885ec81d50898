"""The author's Markdown made safe and AMA-shaped for the letter, before pandoc reads it.

Two steps for narrative text: a citation moves after the period or comma it stands before
(AMA: "tissues.1", not "tissues1."), and the Markdown a case's text has no use for is escaped,
keeping citation clusters whole. Plain text (titles, bylines, table cells) is escaped whole
with `caseletter.pandoc.escape_markdown`.
"""

from __future__ import annotations

import re

from caseletter.references.keys import CLUSTER, KEY_IN_CLUSTER

CLUSTER_BEFORE_PUNCT = re.compile(r"\s*(?P<cluster>" + CLUSTER.pattern + r")(?P<punct>[.,]+)")


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
