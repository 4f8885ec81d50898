"""Checking a JATS article against the Journal Publishing 1.3 DTD shipped with the kit, offline.

A journal's submission system refuses JATS that its DTD refuses, so the kit checks the XML it
writes before packing it. The DTD and every module it pulls in are read from the kit's own
``templates/jats/publishing-1.3/``: the document's DOCTYPE is never followed (its system id is
usually an http URL), and the parser is kept off the network, so a machine without a connection
gets the same answer as one with it.

libxml2 leaves three things unchecked that a journal's validator would refuse, so they are
checked here too: the root element (it validates any declared element as a root), an entity the
DTD does not declare (only a warning once a DOCTYPE names an external DTD), and a module of the
DTD that failed to load (also only a warning, after which the DTD silently lacks its elements).
"""

from __future__ import annotations

import functools
import re
import threading
from pathlib import Path

from lxml import etree

from caseletter.paths import templates_dir

DTD_FOLDER = ("jats", "publishing-1.3")
MAIN_DTD = "JATS-journalpublishing1-3.dtd"
ROOT_ELEMENT = "article"
# A content-model message quotes the element's whole model, up to a thousand characters for <sec>:
# the start of it is kept, and all of what the document has ("got (...)"), which is what to fix.
MODEL_SHOWN = 120
CONTENT_MODEL = re.compile(r"(?P<head>.*?, expecting )(?P<model>\(.*\)), got (?P<got>.*)", re.DOTALL)
# One DTD object serves the process; its error log is rewritten by each validation.
VALIDATION_LOCK = threading.Lock()


class JatsDtdUnavailable(RuntimeError):
    """The shipped DTD is missing or one of its modules did not load: the kit's files are incomplete."""


def dtd_path() -> Path:
    """The main file of the shipped DTD, absolute so that the working directory never matters."""
    return templates_dir().joinpath(*DTD_FOLDER, MAIN_DTD).resolve()


@functools.cache
def jats_dtd() -> etree.DTD:
    """The Journal Publishing 1.3 DTD, loaded once per process from the kit's files.

    Each module is named by a system id relative to the main file, so libxml2 reads it from the
    same folder; no catalog is needed and none is consulted.

    Raises:
        JatsDtdUnavailable: the main file is missing, or a module failed to load (libxml2 only
            warns about that and carries on with a DTD that lacks the module's declarations).
    """
    path = dtd_path()
    if not path.is_file():
        raise JatsDtdUnavailable(f"the JATS DTD {path} is missing: reinstall the kit")
    dtd = etree.DTD(str(path))
    if dtd.error_log:
        raise JatsDtdUnavailable(f"the JATS DTD {path} did not load whole: {dtd.error_log[0].message}")
    return dtd


def validate_jats(xml: bytes) -> list[str]:
    """Check a JATS article against the shipped Journal Publishing 1.3 DTD, without the network.

    Args:
        xml: the article as bytes, so that its XML declaration's encoding is honoured.

    Returns:
        One "line N: message" string per problem, in the document's order; an empty list for a
        valid article. XML that is not well-formed gives its parse error as the one string.

    Raises:
        JatsDtdUnavailable: the kit's copy of the DTD is incomplete (never the document's fault).
    """
    dtd = jats_dtd()
    parser = etree.XMLParser(no_network=True, resolve_entities=False, load_dtd=False)
    try:
        root = etree.fromstring(xml, parser)
    except etree.XMLSyntaxError as exc:
        return [parse_error(parser, exc)]
    problems = root_problems(root) + dtd_problems(dtd, root) + entity_problems(dtd, root)
    return [f"line {line}: {message}" for line, message in sorted(dict.fromkeys(problems), key=lambda p: p[0])]


def parse_error(parser: etree.XMLParser, exc: etree.XMLSyntaxError) -> str:
    """The error that stopped the parse, from this parser's own log (lxml's global one keeps older ones)."""
    errors = parser.error_log.filter_from_errors()
    if errors:
        return f"line {errors[-1].line}: {errors[-1].message}"
    return f"line {exc.lineno or 1}: {exc.msg}"


def root_problems(root: etree._Element) -> list[tuple[int, str]]:
    """The root element must be <article>: libxml2 accepts any element the DTD declares as a root."""
    problems = []
    if root.tag != ROOT_ELEMENT:
        problems.append((root.sourceline or 1, f"the root element is <{root.tag}>, a JATS article's is <article>"))
    doctype = root.getroottree().docinfo.internalDTD  # docinfo.root_name is the root's own name, not the DOCTYPE's
    if doctype is not None and doctype.name != root.tag:
        problems.append((1, f"the DOCTYPE names <{doctype.name}> but the root element is <{root.tag}>"))
    return problems


def dtd_problems(dtd: etree.DTD, root: etree._Element) -> list[tuple[int, str]]:
    """What the DTD itself says of the document, each long content model cut to its start."""
    with VALIDATION_LOCK:
        dtd.validate(root.getroottree())
        return [(error.line, shortened(error.message)) for error in dtd.error_log]


def shortened(message: str) -> str:
    """A content-model message with the expected model cut: the model of <sec> alone is 900 characters."""
    match = CONTENT_MODEL.fullmatch(message)
    if not match:
        return message
    model = match["model"] if len(match["model"]) <= MODEL_SHOWN else match["model"][: MODEL_SHOWN - 3] + "..."
    got = match["got"].replace(" )", ")")  # libxml2 leaves a space before the closing parenthesis
    return f"{match['head']}{model}, got {got}"


def entity_problems(dtd: etree.DTD, root: etree._Element) -> list[tuple[int, str]]:
    """Entity references that neither the DTD nor the document's own internal subset declares.

    Entities are left unexpanded (nothing outside the document is read), so an undeclared one
    would otherwise pass: with a DOCTYPE naming an external DTD, libxml2 only warns about it.
    """
    declared = {entity.name for entity in dtd.iterentities()}
    internal = root.getroottree().docinfo.internalDTD
    if internal is not None:
        declared |= {entity.name for entity in internal.iterentities()}
    return [
        (node.sourceline or 1, f"the entity &{node.name}; is not declared in the JATS DTD")
        for node in root.iter(etree.Entity)
        if node.name not in declared
    ]
