"""Text into JATS elements, safely: what the writer and the reference list both put text in with.

The author's text reaches the XML only as element text or attribute values set through lxml,
which escapes it; the characters XML 1.0 cannot hold (control characters, lone surrogates) are
dropped first, since lxml refuses them rather than escaping them.
"""

from __future__ import annotations

import re

from lxml import etree

XLINK = "http://www.w3.org/1999/xlink"
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(text: str) -> str:
    """The text without the characters XML 1.0 cannot hold (control characters, lone surrogates)."""
    return NOT_XML.sub("", text)


def add_text(parent: etree._Element, text: str) -> None:
    """Append text after whatever `parent` already holds (its text, or its last child's tail)."""
    text = xml_safe(text)
    if len(parent):
        parent[-1].tail = (parent[-1].tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def sub(parent: etree._Element, tag: str, text: str = "", attrib: dict[str, str] | None = None) -> etree._Element:
    """A child element holding `text` (escaped by lxml, never parsed)."""
    child = etree.SubElement(parent, tag, {k: xml_safe(v) for k, v in (attrib or {}).items()})
    if text:
        child.text = xml_safe(text)
    return child
