"""The reference list of the JATS article: CSL-JSON items as numbered ``<ref>``s of ``element-citation``.

pandoc's own element-citation writer names CSL types ("article-journal") where JATS names
publication types ("journal") and leaves out the numbers, so the list is built here, one
``<ref id="refN">`` per cited item in order of first citation, as the letter numbers them:
the names (a group author as ``<collab>``, "and others" as ``<etal/>``), the titles with their
CSL markup mapped to JATS (italic, bold, super- and subscript; a nocase span dropped), the
source, date, volume, issue, pages or elocation-id, and the DOI, PMID and PMCID.
"""

from __future__ import annotations

import re

from lxml import etree

from caseletter.submission.jats_text import XLINK, add_text, sub

#: JATS publication types of CSL item types (JATS4R's values); any other is "other".
PUBLICATION_TYPES = {
    "article-journal": "journal", "article-magazine": "magazine", "article-newspaper": "newspaper",
    "book": "book", "chapter": "book", "paper-conference": "confproc", "webpage": "webpage", "report": "report",
    "thesis": "thesis", "dataset": "data", "software": "software", "patent": "patent",
}
#: Types whose own title is the source: nothing contains them.
STANDALONE = frozenset({"book", "report", "thesis"})
#: CSL-JSON's rich text in titles: a few HTML-like tags; anything else is text.
CSL_MARKUP = re.compile(
    r'</?(?:i|b|sup|sub)>|<span class="nocase">|<span style="font-variant:\s*small-caps;?">|</span>'
)
CSL_TAGS = {"i": "italic", "b": "bold", "sup": "sup", "sub": "sub"}
SIMPLE_FIELDS = (
    ("edition", "edition"), ("collection-title", "series"), ("publisher-place", "publisher-loc"),
    ("publisher", "publisher-name"), ("volume", "volume"), ("issue", "issue"), ("supplement-number", "supplement"),
)
PUB_IDS = (("DOI", "doi"), ("PMID", "pmid"), ("PMCID", "pmcid"))


def reference_list(items: list[dict], title: str) -> etree._Element:
    """``<ref-list>``: one ``<ref id="refN">`` per item, numbered in the order given (first citation)."""
    element = etree.Element("ref-list")
    sub(element, "title", title)
    for n, item in enumerate(items, start=1):
        ref = sub(element, "ref", attrib={"id": f"ref{n}"})
        sub(ref, "label", str(n))
        ref.append(element_citation(item))
    return element


def element_citation(item: dict) -> etree._Element:
    """One CSL-JSON item as ``<element-citation>``: names, titles, publication details, pages and identifiers."""
    kind = str(item.get("type", ""))
    citation = etree.Element("element-citation", {"publication-type": PUBLICATION_TYPES.get(kind, "other")})
    for role in ("author", "editor", "translator"):
        if item.get(role):
            citation.append(person_group(role, item[role]))
    for tag, value in reference_titles(kind, item):
        citation.append(rich_text(tag, value))
    for key, tag in SIMPLE_FIELDS:
        if item.get(key):
            sub(citation, tag, str(item[key]))
    add_date(citation, item.get("issued"))
    add_pages(citation, str(item.get("page", "")), str(item.get("number", "")) if kind == "article-journal" else "")
    for key, kind_of_id in PUB_IDS:
        if item.get(key):
            sub(citation, "pub-id", str(item[key]), {"pub-id-type": kind_of_id})
    if item.get("URL"):
        url = str(item["URL"])
        sub(citation, "ext-link", url, {"ext-link-type": "uri", f"{{{XLINK}}}href": url})
    accessed = date_text(item.get("accessed"))
    if accessed:
        sub(citation, "date-in-citation", accessed, {"content-type": "access-date", "iso-8601-date": accessed})
    return citation


def person_group(role: str, names: list[dict]) -> etree._Element:
    """Every name CSL gives (none dropped); BibTeX's "and others" as ``<etal/>``, a group author as ``<collab>``."""
    group = etree.Element("person-group", {"person-group-type": role})
    for person in names:
        literal = str(person.get("literal", ""))
        if literal == "others":
            sub(group, "etal")
        elif literal or not person.get("family"):
            sub(group, "collab", literal or str(person.get("given", "")))
        else:
            name = sub(group, "name")
            particle = " ".join(str(person[k]) for k in ("dropping-particle", "non-dropping-particle") if person.get(k))
            sub(name, "surname", f"{particle} {person['family']}".strip())
            for key, tag in (("given", "given-names"), ("suffix", "suffix")):
                if person.get(key):
                    sub(name, tag, str(person[key]))
    return group


def reference_titles(kind: str, item: dict) -> list[tuple[str, str]]:
    """(element, text) for the item's titles: its own, and the source that holds it."""
    title, container = str(item.get("title", "")), str(item.get("container-title", ""))
    if kind in STANDALONE or not container:
        return [("source", title)] if title else []
    own = "chapter-title" if kind == "chapter" else "article-title"
    return [(own, title)] * bool(title) + [("source", container)]


def rich_text(tag: str, value: str) -> etree._Element:
    """An element holding CSL rich text: <i>, <b>, <sup>, <sub> and small caps as JATS; nocase spans dropped.

    Any other tag-like text stays text, as a CSL processor prints it.
    """
    root = etree.Element(tag)
    stack: list[tuple[etree._Element, str]] = [(root, "")]
    position = 0
    for match in CSL_MARKUP.finditer(value):
        add_text(stack[-1][0], value[position:match.start()])
        position = match.end()
        token = match.group(0)
        name = token.strip("</>").split()[0]
        if token.startswith("</"):
            if len(stack) > 1 and stack[-1][1] == name:
                stack.pop()
            else:
                add_text(stack[-1][0], token)
        elif name == "span":
            small_caps = "small-caps" in token
            stack.append((sub(stack[-1][0], "sc") if small_caps else stack[-1][0], "span"))
        else:
            stack.append((sub(stack[-1][0], CSL_TAGS[name]), name))
    add_text(stack[-1][0], value[position:])
    return root


def add_date(citation: etree._Element, issued: dict | None) -> None:
    """Year, month and day of a CSL date; a literal date ("in press") as a string date."""
    if not issued:
        return
    parts = (issued.get("date-parts") or [[]])[0]
    if not parts:
        if issued.get("literal"):
            sub(citation, "string-date", str(issued["literal"]))
        return
    for tag, value in zip(("year", "month", "day"), parts):
        sub(citation, tag, str(value).zfill(2) if tag != "year" else str(value))


def date_text(date: dict | None) -> str:
    """A CSL date as ISO 8601 ("2019-06-18"), or "" without one."""
    parts = ((date or {}).get("date-parts") or [[]])[0]
    return "-".join(str(p).zfill(2 if i else 4) for i, p in enumerate(parts))


def add_pages(citation: etree._Element, page: str, number: str) -> None:
    """A page range as first and last page; an electronic locator ("e12345", or the article number) as elocation-id."""
    first, _, last = page.partition("-")
    if first and not last and first[:1] in "eE" and first[1:].isdigit():
        sub(citation, "elocation-id", first)
    elif first:
        sub(citation, "fpage", first)
        if last:
            sub(citation, "lpage", last)
    if number:
        sub(citation, "elocation-id", number)
